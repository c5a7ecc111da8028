/*
 * An agent that dies mid-run (SIGKILL) is detected and reported with its
 * exit status, the run ends with a failure instead of hanging, and no agent
 * process is left behind.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>

#include "integration/runner.h"

/* The pids of pid's children: every /proc/N/stat whose parent is pid.
 * @return how many. */
static int children_of(pid_t pid, pid_t *out, int max) {
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

static bool stderr_contains(struct ombc_run *r, const char *needle) {
    char path[128];
    snprintf(path, sizeof(path), "%s/stderr", r->dir);
    char *text = runner_slurp(path);
    bool found = text && strstr(text, needle);
    free(text);
    return found;
}

static struct ombc_run r;

/* Whatever an assertion left running is killed: never a stray benchmark. */
static int teardown(void **state) {
    (void)state;
    if (r.pid > 0 && kill(r.pid, 0) == 0) {
        kill(r.pid, SIGKILL);
        waitpid(r.pid, NULL, 0);
    }
    return 0;
}

static void killed_agent_is_reported_not_hung(void **state) {
    (void)state;
    runner_init(&r);
    const char *w = runner_write(&r, "w.yaml",
                                 "name: death\ntopics: 1\npartitionsPerTopic: 2\nmessageSize: 100\n"
                                 "subscriptionsPerTopic: 1\nconsumerPerSubscription: 2\n"
                                 "producersPerTopic: 2\nproducerRate: 1000\n"
                                 "testDurationSeconds: 600\nwarmupDurationSeconds: 0\n");
    char wpath[256];
    snprintf(wpath, sizeof(wpath), "%s", w);
    char *args[] = {"run", "--agents", "2", "--report-interval", "1", wpath, NULL};
    runner_start(&r, args);

    /* wait for the measured phase, then kill one agent */
    for (int i = 0; i < 600 && !stderr_contains(&r, "Starting benchmark traffic"); i++)
        usleep(100000);
    assert_true(stderr_contains(&r, "Starting benchmark traffic"));
    pid_t agents[8];
    int n = children_of(r.pid, agents, 8);
    assert_int_equal(n, 2);
    assert_int_equal(kill(agents[1], SIGKILL), 0);

    runner_wait(&r, 30); /* detected well within this, or the test fails */
    fprintf(stderr, "exit %d, stderr tail: %s\n", r.status,
            r.err + (strlen(r.err) > 400 ? strlen(r.err) - 400 : 0));
    assert_int_equal(r.status, 1);
    char expect[64];
    snprintf(expect, sizeof(expect), "(pid %d) died: killed by signal 9", (int)agents[1]);
    assert_non_null(strstr(r.err, expect));
    /* the surviving agent was stopped too */
    for (int i = 0; i < n; i++)
        assert_true(kill(agents[i], 0) != 0);
    runner_fini(&r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(killed_agent_is_reported_not_hung, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
