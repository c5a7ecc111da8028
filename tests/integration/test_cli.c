/*
 * The command line as a new user meets it: where results go is checked
 * before anything starts (-o, --hlog: one line, exit 2, in seconds rather
 * than after the run); more agents than CPUs is warned about with the
 * reason; OMB's distributed flags are named as not supported yet rather
 * than unknown; every command's help is reachable both as `ombc help CMD`
 * and `ombc CMD --help` (stdout, exit 0); and the README's command
 * reference and the man page say what --help says, all three printed from
 * one table (src/cli/help.c): README.md must hold `ombc help --markdown`'s
 * output between its markers. Needs no broker: the runs that start use the
 * null driver.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "integration/runner.h"

#define README_BEGIN "<!-- ombc help --markdown: begin -->\n"
#define README_END "<!-- ombc help --markdown: end -->\n"

/* A workload that would run for a minute: a check that comes after the run
 * shows as a timeout. */
static const char long_workload[] =
    "name: long\ntopics: 1\npartitionsPerTopic: 1\nmessageSize: 100\n"
    "subscriptionsPerTopic: 1\nconsumerPerSubscription: 1\nproducersPerTopic: 1\n"
    "producerRate: 1000\ntestDurationSeconds: 60\nwarmupDurationSeconds: 0\n";

static int lines(const char *text) {
    int n = 0;
    for (const char *p = text; *p; p++)
        n += *p == '\n';
    return n;
}

/* Runs `ombc run -d null.yaml ARGS w.yaml` (ARGS up to 4) and asserts it
 * refused at once: exit 2, one line on stderr holding needle, nothing run. */
static void assert_refused(const char *a1, const char *a2, const char *needle) {
    struct ombc_run r;
    runner_init(&r);
    runner_write(&r, "w.yaml", long_workload);
    runner_write(&r, "afile", "not a directory\n");
    char driver[1024];
    snprintf(driver, sizeof(driver), "%s/drivers/null.yaml", runner_source_dir());
    char *args[] = {"run", "-d", driver, (char *)a1, (char *)a2, "w.yaml", NULL};
    if (!a2) {
        args[4] = "w.yaml";
        args[5] = NULL;
    }
    runner_run(&r, args, 20);
    fprintf(stderr, "ombc run %s %s: exit %d, stderr: %s", a1, a2 ? a2 : "", r.status, r.err);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, needle));
    assert_int_equal(lines(r.err), 1);
    assert_null(strstr(r.out, "WORKLOAD"));
    runner_fini(&r);
}

/* Item 4: a result path that cannot be written is bad input, found first. */
static void test_unwritable_result_paths(void **state) {
    (void)state;
    assert_refused("-o", "/nonexistent/ombc/result.json",
                   "ombc run: -o: cannot write /nonexistent/ombc/result.json: No such file");
    assert_refused("-o", "afile/result.json", "cannot write afile/result.json: Not a directory");
    assert_refused("--output", "/tmp", "ombc run: -o: cannot write /tmp: Is a directory");
    assert_refused("--hlog", "afile", "ombc run: --hlog: cannot write into afile: Not a directory");
    assert_refused("--hlog", "/nonexistent/ombc/hlog", "cannot create directory");
}

/* Item 14: OMB's distributed flags, in each spelling OMB accepts. */
static void test_distributed_flags_not_supported(void **state) {
    (void)state;
    assert_refused("-w", "http://10.0.0.1:8080,http://10.0.0.2:8080",
                   "ombc run: -w/--workers is OMB's distributed mode, not supported yet");
    assert_refused("--workers", "http://10.0.0.1:8080", "-w/--workers is OMB's distributed mode");
    assert_refused("--workers=http://10.0.0.1:8080", NULL, "-w/--workers is OMB's distributed");
    assert_refused("-wf", "workers.yaml", "-wf/--workers-file is OMB's distributed mode");
    assert_refused("--workers-file", "workers.yaml", "-wf/--workers-file is OMB's distributed");
    assert_refused("-x", NULL, "-x/--extra is OMB's distributed mode, not supported yet");
    assert_refused("--extra", NULL, "-x/--extra is OMB's distributed mode");
}

/* `ombc run --agents N` on the null driver for one second. */
static void run_agents(struct ombc_run *r, int agents) {
    char workload[512], n[16], driver[1024];
    snprintf(workload, sizeof(workload),
             "name: agents\ntopics: 1\npartitionsPerTopic: 1\nmessageSize: 100\n"
             "subscriptionsPerTopic: 1\nconsumerPerSubscription: %d\nproducersPerTopic: %d\n"
             "producerRate: 1000\ntestDurationSeconds: 1\nwarmupDurationSeconds: 0\n",
             agents, agents);
    snprintf(n, sizeof(n), "%d", agents);
    snprintf(driver, sizeof(driver), "%s/drivers/null.yaml", runner_source_dir());
    runner_init(r);
    runner_write(r, "w.yaml", workload);
    char *args[] = {"run", "-d", driver, "--agents", n, "--report-interval", "1",
                    "-o", "result.json", "w.yaml", NULL};
    runner_run(r, args, 120);
    fprintf(stderr, "--agents %d: exit %d\n", agents, r->status);
}

/* Item 9: more agents than online CPUs runs, with a warning saying why. */
static void test_agents_above_cpus_warned(void **state) {
    (void)state;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    assert_true(cpus > 0);
    char needle[128];
    snprintf(needle, sizeof(needle), "is more than the %ld online CPUs", cpus);
    struct ombc_run r;
    run_agents(&r, (int)cpus + 1);
    if (r.status != 0)
        fprintf(stderr, "%s", r.err);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, needle));
    assert_non_null(strstr(r.err, "an ack thread and a consumer thread"));
    runner_fini(&r);
    run_agents(&r, (int)cpus);
    assert_int_equal(r.status, 0);
    assert_null(strstr(r.err, "online CPUs"));
    runner_fini(&r);
}

static const char *const commands[] = {"run",  "validate", "calibrate", "hist decode",
                                        "hist summary", "csv", "chart", "compare",
                                        "cleanup", "help"};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

/* `ombc WORDS... extra` with the words of cmd split at its blank. */
static void run_words(struct ombc_run *r, const char *first, const char *cmd, const char *extra) {
    char words[64];
    snprintf(words, sizeof(words), "%s", cmd);
    char *space = strchr(words, ' ');
    char *args[6];
    int n = 0;
    if (first)
        args[n++] = (char *)first;
    args[n++] = words;
    if (space) {
        *space = '\0';
        args[n++] = space + 1;
    }
    if (extra)
        args[n++] = (char *)extra;
    args[n] = NULL;
    runner_init(r);
    runner_run(r, args, 20);
}

/* Item 10: `ombc help CMD` and `ombc CMD --help` print CMD's own help. */
static void test_help_for_every_command(void **state) {
    (void)state;
    for (size_t i = 0; i < NCOMMANDS; i++) {
        char usage[64];
        snprintf(usage, sizeof(usage), "usage: ombc %s", commands[i]);
        struct ombc_run a, b;
        run_words(&a, "help", commands[i], NULL);
        run_words(&b, NULL, commands[i], "--help");
        fprintf(stderr, "ombc help %s: exit %d; ombc %s --help: exit %d\n", commands[i],
                a.status, commands[i], b.status);
        assert_int_equal(a.status, 0);
        assert_int_equal(b.status, 0);
        assert_true(strncmp(a.out, usage, strlen(usage)) == 0);
        assert_string_equal(a.out, b.out);
        assert_string_equal(a.err, "");
        assert_string_equal(b.err, "");
        runner_fini(&a);
        runner_fini(&b);
    }
    struct ombc_run r;
    run_words(&r, "help", "nosuch", NULL);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "ombc help: no command 'nosuch'"));
    runner_fini(&r);
    /* --hlog writes four latencies: its help says so */
    run_words(&r, NULL, "run", "--help");
    assert_non_null(strstr(r.out, "four latencies"));
    assert_non_null(strstr(r.out, "publish response time"));
    runner_fini(&r);
}

/* Item 10: README.md holds `ombc help --markdown` between its markers, and
 * the man page documents every option --help shows. */
static void test_readme_and_man_page_match_help(void **state) {
    (void)state;
    char path[1024];
    snprintf(path, sizeof(path), "%s/README.md", runner_source_dir());
    char *readme = runner_slurp(path);
    assert_non_null(readme);
    char *begin = strstr(readme, README_BEGIN);
    char *end = begin ? strstr(begin, README_END) : NULL;
    if (!begin || !end)
        fail_msg("README.md lacks the markers %s and %s", README_BEGIN, README_END);
    begin += strlen(README_BEGIN);
    *end = '\0';
    struct ombc_run md, man;
    run_words(&md, "help", "--markdown", NULL);
    assert_int_equal(md.status, 0);
    if (strcmp(begin, md.out) != 0)
        fail_msg("README.md's command reference differs from `ombc help --markdown`: replace "
                 "the lines between its markers by that command's output (src/cli/help.c is "
                 "the source)");
    free(readme);
    run_words(&man, "help", "--man", NULL);
    assert_int_equal(man.status, 0);
    assert_true(strncmp(man.out, ".\\\"", 3) == 0);
    assert_non_null(strstr(man.out, "\n.TH OMBC 1 "));
    for (size_t i = 0; i < NCOMMANDS; i++) {
        struct ombc_run h;
        run_words(&h, "help", commands[i], NULL);
        char section[64];
        snprintf(section, sizeof(section), ".SS \"ombc %s\"", commands[i]);
        assert_non_null(strstr(man.out, section));
        /* every long option of the help, as the man page spells it (\-\-name) */
        for (const char *p = h.out; (p = strstr(p, " --")) != NULL; p += 3) {
            size_t len = strspn(p + 3, "abcdefghijklmnopqrstuvwxyz-");
            char roff[80] = "\\-\\-", md_opt[80];
            for (size_t k = 0; k < len && strlen(roff) < sizeof(roff) - 3; k++) {
                if (p[3 + k] == '-')
                    strcat(roff, "\\-");
                else
                    strncat(roff, p + 3 + k, 1);
            }
            snprintf(md_opt, sizeof(md_opt), "--%.*s", (int)len, p + 3);
            if (!strstr(man.out, roff))
                fail_msg("man page lacks %s of ombc %s --help", md_opt, commands[i]);
            if (strcmp(md_opt, "--help") != 0 && !strstr(md.out, md_opt)) /* left out there */
                fail_msg("README reference lacks %s of ombc %s --help", md_opt, commands[i]);
        }
        runner_fini(&h);
    }
    runner_fini(&md);
    runner_fini(&man);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unwritable_result_paths),
        cmocka_unit_test(test_distributed_flags_not_supported),
        cmocka_unit_test(test_help_for_every_command),
        cmocka_unit_test(test_readme_and_man_page_match_help),
        cmocka_unit_test(test_agents_above_cpus_warned),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
