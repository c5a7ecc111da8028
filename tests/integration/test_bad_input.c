/*
 * Bad input: runs every case of the corpus in tests/bad-input/ (one
 * directory per case: its input files and a `case` file; the format is in
 * tests/bad-input/README.md) through the ombc binary, as a user would, in a
 * scratch copy of the case's directory, and checks for each command: the
 * exit status, the expected stderr lines (with FILE:LINE:COL) in order and
 * stdout texts, no crash (no signal, no sanitizer report), and that a
 * failing `ombc run` (or any `ombc validate`) created nothing (no "Created"
 * line, no file written, no workload/driver pair started unless the case
 * allows it). Every failure
 * of every case is printed before the test fails.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <limits.h>

#include "integration/runner.h"

#define MAX_CASES 256
#define MAX_ARGS 48
#define MAX_EXPECT 16
#define MAX_CMDS 8
#define MAX_ENTRIES 64
#define LINE_SIZE 1024

/* One command of a case and what it must give. */
struct command {
    char *args[MAX_ARGS + 1]; /* after `ombc`, NULL-ended; strings owned */
    int status;
    bool started;                  /* a run may start its pair */
    char *err_expect[MAX_EXPECT]; /* in order */
    int nerr;
    char *out_expect[MAX_EXPECT];
    int nout;
    int err_lines; /* -1: any */
};

struct bad_case {
    char name[NAME_MAX + 1];
    struct command cmds[MAX_CMDS];
    int ncmds;
};

/* Failures so far, printed as they come and counted. */
static int failures;

static void failf(const char *case_name, const struct command *c, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void failf(const char *case_name, const struct command *c, const char *fmt, ...) {
    fprintf(stderr, "FAILED %s: ombc", case_name);
    for (int i = 0; c && c->args[i]; i++)
        fprintf(stderr, " %s", c->args[i]);
    fprintf(stderr, ": ");
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n");
    failures++;
}

/* Replaces {omb}, {src} and {dir} in s; a new string. */
static char *expand(const char *s, const char *dir) {
    char omb[PATH_MAX];
    snprintf(omb, sizeof(omb), "%s/omb", runner_shared_dir());
    const struct {
        const char *name, *value;
    } vars[] = {{"{omb}", omb}, {"{src}", runner_source_dir()}, {"{dir}", dir}};
    char out[4 * LINE_SIZE];
    size_t used = 0;
    while (*s && used + 1 < sizeof(out)) {
        bool done = false;
        for (size_t v = 0; v < 3 && !done; v++) {
            size_t n = strlen(vars[v].name);
            if (strncmp(s, vars[v].name, n) == 0) {
                used += (size_t)snprintf(out + used, sizeof(out) - used, "%s", vars[v].value);
                if (used >= sizeof(out))
                    used = sizeof(out) - 1;
                s += n;
                done = true;
            }
        }
        if (!done)
            out[used++] = *s++;
    }
    out[used] = '\0';
    return strdup(out);
}

/* Splits line at blanks into c->args after n existing ones ('...' quotes). */
static int split_args(struct command *c, int n, const char *line, const char *dir) {
    const char *p = line;
    while (*p) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        char word[LINE_SIZE];
        size_t len = 0;
        if (*p == '\'') {
            const char *end = strchr(p + 1, '\'');
            if (!end)
                return -1;
            len = (size_t)(end - p - 1);
            memcpy(word, p + 1, len);
            p = end + 1;
        } else {
            while (*p && *p != ' ' && *p != '\t' && len + 1 < sizeof(word))
                word[len++] = *p++;
        }
        word[len] = '\0';
        if (n >= MAX_ARGS)
            return -1;
        c->args[n++] = expand(word, dir);
    }
    c->args[n] = NULL;
    return n;
}

static void free_case(struct bad_case *bc) {
    for (int i = 0; i < bc->ncmds; i++) {
        struct command *c = &bc->cmds[i];
        for (int j = 0; c->args[j]; j++)
            free(c->args[j]);
        for (int j = 0; j < c->nerr; j++)
            free(c->err_expect[j]);
        for (int j = 0; j < c->nout; j++)
            free(c->out_expect[j]);
    }
}

/* Reads dir/case into bc. @return false (and a failure) when malformed. */
static bool read_case(const char *case_dir, const char *scratch, struct bad_case *bc) {
    char path[PATH_MAX + NAME_MAX + 16];
    snprintf(path, sizeof(path), "%s/case", case_dir);
    FILE *f = fopen(path, "r");
    if (!f) {
        failf(bc->name, NULL, "no case file");
        return false;
    }
    char line[LINE_SIZE];
    int group_start = 0; /* first command the next expectations apply to */
    bool in_expect = false;
    bool ok = true;
    int lineno = 0;
    while (ok && fgets(line, sizeof(line), f)) {
        lineno++;
        line[strcspn(line, "\n")] = '\0';
        if (line[0] == '#' || line[0] == '\0')
            continue;
        char *colon = strchr(line, ':');
        if (!colon) {
            ok = false;
            break;
        }
        *colon = '\0';
        const char *key = line, *value = colon + 1;
        while (*value == ' ')
            value++;
        bool both = strcmp(key, "both") == 0;
        if (both || !strcmp(key, "validate") || !strcmp(key, "run") || !strcmp(key, "ombc")) {
            if (in_expect) {
                group_start = bc->ncmds;
                in_expect = false;
            }
            for (int k = 0; k < (both ? 2 : 1); k++) {
                if (bc->ncmds >= MAX_CMDS) {
                    ok = false;
                    break;
                }
                struct command *c = &bc->cmds[bc->ncmds++];
                *c = (struct command){.status = 2, .err_lines = -1};
                int n = 0;
                const char *sub = both ? (k == 0 ? "validate" : "run") : key;
                if (strcmp(sub, "ombc") != 0)
                    c->args[n++] = strdup(sub);
                if (both && k == 1) {
                    c->args[n++] = strdup("--agents");
                    c->args[n++] = strdup("1");
                }
                if (split_args(c, n, value, scratch) < 0)
                    ok = false;
            }
            continue;
        }
        in_expect = true;
        for (int i = group_start; ok && i < bc->ncmds; i++) {
            struct command *c = &bc->cmds[i];
            if (!strcmp(key, "status"))
                c->status = atoi(value);
            else if (!strcmp(key, "started"))
                c->started = !strcmp(value, "yes");
            else if (!strcmp(key, "stderr-lines"))
                c->err_lines = atoi(value);
            else if (!strcmp(key, "stderr") && c->nerr < MAX_EXPECT)
                c->err_expect[c->nerr++] = expand(value, scratch);
            else if (!strcmp(key, "stdout") && c->nout < MAX_EXPECT)
                c->out_expect[c->nout++] = expand(value, scratch);
            else
                ok = false;
        }
        if (bc->ncmds == 0)
            ok = false;
    }
    fclose(f);
    if (!ok)
        failf(bc->name, NULL, "case file line %d is malformed", lineno);
    return ok && bc->ncmds > 0;
}

/* The names in dir, sorted, into names (NAME_MAX + 1 each). */
static int list_dir(const char *dir, char names[][NAME_MAX + 1], int max, bool dirs_only) {
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < max) {
        if (e->d_name[0] == '.')
            continue;
        if (dirs_only) {
            char p[PATH_MAX + NAME_MAX + 2];
            struct stat st;
            snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
            if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode))
                continue;
        }
        snprintf(names[n++], NAME_MAX + 1, "%s", e->d_name);
    }
    closedir(d);
    qsort(names, (size_t)n, NAME_MAX + 1, (int (*)(const void *, const void *))strcmp);
    return n;
}

/* Whether names (n of them) holds name. */
static bool has_name(char names[][NAME_MAX + 1], int n, const char *name) {
    for (int i = 0; i < n; i++)
        if (!strcmp(names[i], name))
            return true;
    return false;
}

static int count_lines(const char *s) {
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

/* Runs one command in r's directory and checks everything about it. */
static void run_command(const char *name, struct ombc_run *r, const struct command *c) {
    static char before[MAX_ENTRIES][NAME_MAX + 1], after[MAX_ENTRIES][NAME_MAX + 1];
    int nbefore = list_dir(r->dir, before, MAX_ENTRIES, false);
    runner_run(r, c->args, 60);
    if (r->status != c->status)
        failf(name, c, "exit status %d, expected %d; stderr:\n%s", r->status, c->status, r->err);
    if (r->status >= 128 || r->status < 0)
        failf(name, c, "killed or timed out (%d)", r->status);
    static const char *const crash[] = {"Sanitizer", "runtime error:", "Segmentation fault",
                                        "Aborted", "core dumped"};
    for (size_t i = 0; i < sizeof(crash) / sizeof(crash[0]); i++)
        if (strstr(r->err, crash[i]))
            failf(name, c, "'%s' on stderr:\n%s", crash[i], r->err);
    const char *from = r->err;
    for (int i = 0; i < c->nerr; i++) {
        const char *at = strstr(from, c->err_expect[i]);
        if (!at) {
            failf(name, c, "no '%s' on stderr%s:\n%s", c->err_expect[i],
                  strstr(r->err, c->err_expect[i]) ? " in that order" : "", r->err);
            break;
        }
        from = at + strlen(c->err_expect[i]);
    }
    for (int i = 0; i < c->nout; i++)
        if (!strstr(r->out, c->out_expect[i]))
            failf(name, c, "no '%s' on stdout:\n%s", c->out_expect[i], r->out);
    if (c->err_lines >= 0 && count_lines(r->err) != c->err_lines)
        failf(name, c, "%d stderr lines, expected %d:\n%s", count_lines(r->err), c->err_lines,
              r->err);
    /* validate never creates anything; a failing run creates nothing. */
    bool validate = !strcmp(c->args[0], "validate");
    if (validate || (!strcmp(c->args[0], "run") && c->status != 0)) {
        if (strstr(r->err, "Created ") || strstr(r->out, "Created "))
            failf(name, c, "created something before failing:\n%s", r->err);
        if (!c->started && strstr(r->err, "--- WORKLOAD :"))
            failf(name, c, "started a workload before failing:\n%s", r->err);
        int nafter = list_dir(r->dir, after, MAX_ENTRIES, false);
        for (int i = 0; i < nafter; i++)
            if (!has_name(before, nbefore, after[i]) && strcmp(after[i], "stdout") != 0 &&
                strcmp(after[i], "stderr") != 0)
                failf(name, c, "wrote %s", after[i]);
    }
}

/* Copies the case's directory into a scratch directory and runs its commands. */
static int run_case(const char *corpus, const char *name) {
    struct ombc_run r;
    runner_init(&r);
    char case_dir[PATH_MAX + NAME_MAX + 2], cmd[2 * PATH_MAX + 2 * NAME_MAX + 64];
    snprintf(case_dir, sizeof(case_dir), "%.*s/%.*s", PATH_MAX - 1, corpus, NAME_MAX, name);
    snprintf(cmd, sizeof(cmd), "cp -R '%s/.' '%s/' && rm -f '%s/case'", case_dir, r.dir, r.dir);
    assert_int_equal(system(cmd), 0);
    struct bad_case bc = {0};
    snprintf(bc.name, sizeof(bc.name), "%.*s", NAME_MAX, name);
    int ncmds = 0;
    if (read_case(case_dir, r.dir, &bc)) {
        for (int i = 0; i < bc.ncmds; i++) {
            run_command(name, &r, &bc.cmds[i]);
            free(r.out);
            free(r.err);
            r.out = r.err = NULL;
        }
        ncmds = bc.ncmds;
    }
    free_case(&bc);
    runner_fini(&r);
    return ncmds;
}

static void every_case_of_the_corpus(void **state) {
    (void)state;
    char corpus[PATH_MAX];
    snprintf(corpus, sizeof(corpus), "%s/tests/bad-input", runner_source_dir());
    static char names[MAX_CASES][NAME_MAX + 1];
    int n = list_dir(corpus, names, MAX_CASES, true);
    if (n < 0)
        fail_msg("cannot open %s", corpus);
    int commands = 0, bad = 0;
    for (int i = 0; i < n; i++) {
        bad += strncmp(names[i], "ok-", 3) != 0;
        commands += run_case(corpus, names[i]);
    }
    fprintf(stderr, "bad-input: %d cases (%d of bad input), %d commands, %d failures\n", n, bad,
            commands, failures);
    assert_true(bad >= 40);
    assert_int_equal(failures, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_case_of_the_corpus),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
