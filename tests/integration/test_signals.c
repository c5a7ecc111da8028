/*
 * SIGINT or SIGTERM during the measured phase: ombc stops the load, writes
 * the result measured so far marked incomplete, deletes its topics, stops
 * every agent and exits 130 or 143. A second signal ends it at once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "integration/runner.h"

static struct ombc_run r;

static int teardown(void **state) {
    (void)state;
    runner_kill(&r);
    return 0;
}

/* Starts a long run with two agents and waits for two measured periods.
 * agents[] gets the agents' pids. */
static void start_measuring(pid_t agents[2]) {
    runner_init(&r);
    runner_write(&r, "w.yaml",
                 "name: signals\ntopics: 1\npartitionsPerTopic: 2\nmessageSize: 100\n"
                 "subscriptionsPerTopic: 1\nconsumerPerSubscription: 1\n"
                 "producersPerTopic: 2\nproducerRate: 2000\n"
                 "testDurationSeconds: 600\nwarmupDurationSeconds: 0\n");
    char *args[] = {"run", "--agents", "2", "--report-interval", "1", "-o", "result.json",
                    "w.yaml", NULL};
    runner_start(&r, args);
    assert_true(runner_wait_output(&r, "stderr", "Starting benchmark traffic", 1, 60));
    /* OMB's period line, on stdout: two measured periods (no warm-up) */
    assert_true(runner_wait_output(&r, "stdout", "Pub rate", 2, 30));
    assert_int_equal(runner_children(r.pid, agents, 2), 2);
}

/* Both agents gone (arg: their pids). */
static bool agents_gone(struct ombc_run *run, void *arg) {
    (void)run;
    const pid_t *agents = arg;
    return !runner_alive(agents[0]) && !runner_alive(agents[1]);
}

static void interrupted(int sig) {
    pid_t agents[2];
    start_measuring(agents);
    assert_int_equal(kill(r.pid, sig), 0);
    runner_wait(&r, 60);
    fprintf(stderr, "signal %d: exit %d, stderr tail: %s\n", sig, r.status,
            r.err + (strlen(r.err) > 500 ? strlen(r.err) - 500 : 0));
    assert_int_equal(r.status, 128 + sig);
    assert_non_null(strstr(r.err, "ombc: interrupted"));
    assert_non_null(strstr(r.err, "Writing the incomplete test result into result.json"));
    for (int i = 0; i < 2; i++)
        assert_false(runner_alive(agents[i]));
    cJSON *root = runner_json(r.dir, "result.json");
    assert_non_null(root);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(root, "incomplete")));
    const cJSON *pub = cJSON_GetObjectItem(root, "publishRate");
    assert_true(cJSON_GetArraySize(pub) >= 2);
    assert_true(cJSON_GetArrayItem(pub, 0)->valuedouble > 1000);
    assert_true(cJSON_GetObjectItem(root, "aggregatedPublishLatencyMax")->valuedouble > 0);
    /* OMB's lines: the periods, then the aggregated one */
    assert_non_null(strstr(r.out, "Aggregated Pub Latency"));
    cJSON_Delete(root);
    runner_fini(&r);
}

static void sigint_writes_incomplete_result(void **state) {
    (void)state;
    interrupted(SIGINT);
}

static void sigterm_writes_incomplete_result(void **state) {
    (void)state;
    interrupted(SIGTERM);
}

/* The second signal does not wait for the first one's clean-up. */
static void second_signal_exits_at_once(void **state) {
    (void)state;
    pid_t agents[2];
    start_measuring(agents);
    /* a stopped agent makes the clean-up wait: only the second signal ends it */
    assert_int_equal(kill(agents[0], SIGSTOP), 0);
    assert_int_equal(kill(r.pid, SIGINT), 0);
    /* the first signal is handled (the measured phase salvaged), and the
     * clean-up now waits on the stopped agent: two signals sent at once
     * could merge into one pending signal */
    assert_true(runner_wait_output(&r, "stderr", "The test phase ended early", 1, 30));
    assert_int_equal(kill(r.pid, SIGINT), 0);
    runner_wait(&r, 10);
    kill(agents[0], SIGCONT);
    assert_int_equal(r.status, 128 + SIGINT);
    /* agents die with the coordinator (parent-death signal) */
    assert_true(runner_wait_for(&r, agents_gone, agents, 5));
    runner_fini(&r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(sigint_writes_incomplete_result, teardown),
        cmocka_unit_test_teardown(sigterm_writes_incomplete_result, teardown),
        cmocka_unit_test_teardown(second_signal_exits_at_once, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
