/*
 * runner: helpers for integration tests that run the ombc binary ($OMBC_BIN)
 * as a user would: start it with arguments in a scratch directory, capture
 * stdout and stderr, wait with a deadline (a hang is a failure, never a
 * stuck test), and read the files it writes. Header-only; each test is one
 * executable.
 */
#ifndef OMBC_TESTS_RUNNER_H
#define OMBC_TESTS_RUNNER_H

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

struct ombc_run {
    pid_t pid;
    int status;     /* exit status, 128+signal if killed, -1 on timeout */
    char *out;      /* captured stdout */
    char *err;      /* captured stderr */
    char dir[64];   /* scratch directory the run happened in */
};

/* The whole file as a NUL-terminated string (works for /proc files, whose
 * size is not known in advance), or NULL. */
static inline char *runner_slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    size_t n;
    while (buf && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len - 1 == 0) {
            char *bigger = realloc(buf, cap * 2);
            if (!bigger) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    if (buf)
        buf[len] = '\0';
    fclose(f);
    return buf;
}

/* The JSON file dir/name parsed (cJSON_Delete it), or NULL if it is missing
 * or not JSON. */
static inline cJSON *runner_json(const char *dir, const char *name) {
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    char *text = runner_slurp(path);
    cJSON *root = text ? cJSON_Parse(text) : NULL;
    free(text);
    return root;
}

static inline const char *runner_source_dir(void) {
    const char *s = getenv("OMBC_SOURCE_DIR");
    return s ? s : ".";
}

static inline const char *runner_shared_dir(void) {
    static char buf[1024];
    const char *s = getenv("OMBC_SHARED_DIR");
    if (s)
        return s;
    snprintf(buf, sizeof(buf), "%s/../shared", runner_source_dir());
    return buf;
}

/* Writes text to dir/name and returns the full path (static buffer). */
static inline const char *runner_write(struct ombc_run *r, const char *name, const char *text) {
    static char path[256];
    snprintf(path, sizeof(path), "%s/%s", r->dir, name);
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
    return path;
}

static inline void runner_init(struct ombc_run *r) {
    memset(r, 0, sizeof(*r));
    snprintf(r->dir, sizeof(r->dir), "/tmp/ombc-test-XXXXXX");
    if (!mkdtemp(r->dir))
        abort();
}

/* Starts `ombc args...` in r->dir, without waiting. Its stdin is the file
 * "stdin" in r->dir when there is one (runner_write), else /dev/null. */
static inline void runner_start(struct ombc_run *r, char *const args[]) {
    const char *bin = getenv("OMBC_BIN");
    char out[128], err[128];
    snprintf(out, sizeof(out), "%s/stdout", r->dir);
    snprintf(err, sizeof(err), "%s/stderr", r->dir);
    char *argv[64];
    int n = 0;
    argv[n++] = (char *)(bin ? bin : "ombc");
    for (int i = 0; args[i] && n < 63; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    r->pid = fork();
    if (r->pid == 0) {
        if (chdir(r->dir) != 0)
            _exit(126);
        int i = open("stdin", O_RDONLY);
        if (i < 0)
            i = open("/dev/null", O_RDONLY);
        dup2(i, 0);
        int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(o, 1);
        dup2(e, 2);
        execv(argv[0], argv);
        _exit(127);
    }
}

/* Waits up to timeout_s for the run to end and collects its output. */
static inline void runner_wait(struct ombc_run *r, int timeout_s) {
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    r->status = -1;
    for (;;) {
        int st;
        pid_t w = waitpid(r->pid, &st, WNOHANG);
        if (w == r->pid) {
            r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
            break;
        }
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec - start.tv_sec >= timeout_s) {
            kill(r->pid, SIGKILL);
            waitpid(r->pid, &st, 0);
            break;
        }
        usleep(20000);
    }
    char path[128];
    snprintf(path, sizeof(path), "%s/stdout", r->dir);
    r->out = runner_slurp(path);
    snprintf(path, sizeof(path), "%s/stderr", r->dir);
    r->err = runner_slurp(path);
    if (!r->out)
        r->out = strdup("");
    if (!r->err)
        r->err = strdup("");
}

/* Runs `ombc args...` to completion (at most timeout_s seconds). */
static inline void runner_run(struct ombc_run *r, char *const args[], int timeout_s) {
    runner_start(r, args);
    runner_wait(r, timeout_s);
}

/* The pids of pid's children: every /proc/N/stat whose parent is pid.
 * @return how many. */
static inline int runner_children(pid_t pid, pid_t *out, int max) {
    DIR *d = opendir("/proc");
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) && n < max) {
        char path[300];
        snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
        char *text = runner_slurp(path);
        const char *close_paren = text ? strrchr(text, ')') : NULL;
        int ppid = 0;
        char st;
        if (close_paren && sscanf(close_paren + 1, " %c %d", &st, &ppid) == 2 && ppid == pid)
            out[n++] = (pid_t)atoi(e->d_name);
        free(text);
    }
    if (d)
        closedir(d);
    return n;
}

/* True while pid runs (a zombie, dead but not yet reaped, does not). */
static inline bool runner_alive(pid_t pid) {
    char path[64];
    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    char *text = runner_slurp(path);
    const char *close_paren = text ? strrchr(text, ')') : NULL;
    char st = 'Z';
    if (close_paren)
        sscanf(close_paren + 1, " %c", &st);
    free(text);
    return st != 'Z' && st != 'X';
}

static inline bool runner_stderr_contains(struct ombc_run *r, const char *needle) {
    char path[128];
    snprintf(path, sizeof(path), "%s/stderr", r->dir);
    char *text = runner_slurp(path);
    bool found = text && strstr(text, needle);
    free(text);
    return found;
}

/* Occurrences of needle in the file `name` of the run's directory as it is
 * now ("stdout", "stderr", or a file the run writes); 0 when it is missing. */
static inline int runner_count(const struct ombc_run *r, const char *name, const char *needle) {
    char path[256];
    snprintf(path, sizeof(path), "%s/%s", r->dir, name);
    char *text = runner_slurp(path);
    int n = 0;
    for (const char *p = text; p && (p = strstr(p, needle)); p += strlen(needle))
        n++;
    free(text);
    return n;
}

/* How tests wait for something to happen: cond(r, arg) is checked every
 * 20 ms until it holds or timeout_s pass (a line in the run's output, a
 * file, a counter, a process gone), never a fixed sleep that hopes it did.
 * @return whether cond held. */
static inline bool runner_wait_for(struct ombc_run *r,
                                   bool (*cond)(struct ombc_run *r, void *arg), void *arg,
                                   int timeout_s) {
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        if (cond(r, arg))
            return true;
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec - start.tv_sec >= timeout_s)
            return cond(r, arg);
        usleep(20000);
    }
}

struct runner_output {
    const char *name, *needle;
    int count;
};

static inline bool runner_output_seen(struct ombc_run *r, void *arg) {
    const struct runner_output *o = arg;
    return runner_count(r, o->name, o->needle) >= o->count;
}

/* A started run's output reaching count occurrences of needle (no need
 * to wait on once the run has exited). */
static inline bool runner_output_or_exit(struct ombc_run *r, void *arg) {
    return runner_output_seen(r, arg) || !runner_alive(r->pid);
}

/* Waits up to timeout_s for needle to occur count times in the started
 * run's file `name` ("stdout", "stderr"). @return whether it did (false at
 * once when the run exits first). */
static inline bool runner_wait_output(struct ombc_run *r, const char *name, const char *needle,
                                      int count, int timeout_s) {
    struct runner_output o = {name, needle, count};
    runner_wait_for(r, runner_output_or_exit, &o, timeout_s);
    return runner_output_seen(r, &o);
}

/* The counts of a result's "deliveryCheck" (written by --check-delivery),
 * printed for the test's log. @return false when the result has none. */
struct runner_delivery {
    double sent, expected, received;
};

static inline bool runner_delivery(const cJSON *root, struct runner_delivery *d) {
    const cJSON *c = cJSON_GetObjectItem(root, "deliveryCheck");
    if (!c)
        return false;
    d->sent = cJSON_GetNumberValue(cJSON_GetObjectItem(c, "messagesSent"));
    d->expected = cJSON_GetNumberValue(cJSON_GetObjectItem(c, "messagesExpected"));
    d->received = cJSON_GetNumberValue(cJSON_GetObjectItem(c, "messagesReceived"));
    fprintf(stderr, "delivery: sent %.0f expected %.0f received %.0f\n", d->sent, d->expected,
            d->received);
    return true;
}

/* True when the suite runs under a sanitizer (make check-asan/check-tsan
 * set OMBC_SANITIZER): everything runs several times slower, so assertions
 * about throughput alone are skipped, with a note; the rest still hold. */
static inline bool runner_sanitized(const char *what) {
    const char *s = getenv("OMBC_SANITIZER");
    if (!s || !*s)
        return false;
    fprintf(stderr, "under %s sanitizer: not asserting %s\n", s, what);
    return true;
}

/* Kills a run an assertion left behind: never a stray benchmark. */
static inline void runner_kill(struct ombc_run *r) {
    if (r->pid > 0 && kill(r->pid, 0) == 0) {
        kill(r->pid, SIGKILL);
        waitpid(r->pid, NULL, 0);
    }
}

static inline void runner_fini(struct ombc_run *r) {
    free(r->out);
    free(r->err);
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", r->dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", r->dir);
}

#endif
