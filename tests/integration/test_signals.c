/*
 * SIGINT or SIGTERM during the measured phase: ombc stops the load, writes
 * the result measured so far marked incomplete, deletes its topics, stops
 * every agent and exits 130 or 143. A second signal ends it at once.
 * During set-up (topic creation, an agent's reply) or warm-up, the first
 * signal ends the run within seconds, with one line saying where it was and
 * that no result was written.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sys/stat.h>
#include <time.h>

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

static double seconds_since(const struct timespec *t0) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

static bool file_exists(const char *dir, const char *name) {
    char path[512];
    struct stat st;
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    return stat(path, &st) == 0;
}

/* Sends sig and waits at most bound_s for the exit: a hang is a failure. */
static void interrupt_within(int sig, int bound_s) {
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(kill(r.pid, sig), 0);
    runner_wait(&r, bound_s);
    fprintf(stderr, "exit %d %.2f s after the signal, stderr tail: %s\n", r.status,
            seconds_since(&t0), r.err + (strlen(r.err) > 400 ? strlen(r.err) - 400 : 0));
}

/* The embedded Kafka (librdkafka 2.0's mock) often falls to about 4 topics
 * a second (measured; some runs make 2000 in seconds): 1000 topics took
 * minutes, and SIGINT was ignored until they were all made. Now creation
 * watches the stop flag between topics and says how far it got every 5 s,
 * and the first signal ends the run within seconds. When the mock happens
 * to be quick, the signal lands later in set-up (1000 consumers and
 * producers), which must end as quickly. */
static void sigint_while_creating_topics(void **state) {
    (void)state;
    runner_init(&r);
    runner_write(&r, "w.yaml",
                 "name: many-topics\ntopics: 1000\npartitionsPerTopic: 1\nmessageSize: 100\n"
                 "subscriptionsPerTopic: 1\nconsumerPerSubscription: 1\n"
                 "producersPerTopic: 1\nproducerRate: 1000\n"
                 "testDurationSeconds: 60\nwarmupDurationSeconds: 0\n");
    char *args[] = {"run", "--agents", "2", "-o", "result.json", "w.yaml", NULL};
    runner_start(&r, args);
    assert_true(runner_wait_output(&r, "stderr", "Creating topics", 1, 60));
    pid_t agents[2];
    assert_int_equal(runner_children(r.pid, agents, 2), 2);
    /* a long creation says how far it got */
    bool slow = runner_wait_output(&r, "stderr", " of 1000 topics", 1, 8);
    interrupt_within(SIGINT, 10);
    assert_int_equal(r.status, 128 + SIGINT);
    if (slow) {
        assert_non_null(strstr(r.err, "ombc: interrupted while creating topics ("));
        assert_null(strstr(r.err, "Creating consumers"));
    } else {
        fprintf(stderr, "the embedded Kafka made the topics quickly: interrupted later\n");
        assert_non_null(strstr(r.err, "Created 1000 topics in"));
        assert_non_null(strstr(r.err, "ombc: interrupted while "));
    }
    assert_non_null(strstr(r.err, "; the topics created were deleted and the agents stopped; "
                                  "the test phase never started: no result written"));
    for (int i = 0; i < 2; i++)
        assert_false(runner_alive(agents[i]));
    assert_false(file_exists(r.dir, "result.json"));
    runner_fini(&r);
}

/* Both agents started (arg: where their pids go). */
static bool agents_started(struct ombc_run *run, void *arg) {
    return runner_children(run->pid, arg, 2) == 2;
}

/* An agent that does not answer during set-up (stopped as soon as it
 * exists, so the run waits on it to start or to create its consumers): the
 * wait for its reply (up to 120 s) ends at the signal, and it is killed. */
static void sigint_while_an_agent_is_silent(void **state) {
    (void)state;
    runner_init(&r);
    runner_write(&r, "w.yaml",
                 "name: silent-agent\ntopics: 4\npartitionsPerTopic: 1\nmessageSize: 100\n"
                 "subscriptionsPerTopic: 1\nconsumerPerSubscription: 1\n"
                 "producersPerTopic: 1\nproducerRate: 1000\n"
                 "testDurationSeconds: 60\nwarmupDurationSeconds: 0\n");
    char *args[] = {"run", "--agents", "2", "-o", "result.json", "w.yaml", NULL};
    runner_start(&r, args);
    pid_t agents[2];
    assert_true(runner_wait_for(&r, agents_started, agents, 60));
    assert_int_equal(kill(agents[0], SIGSTOP), 0);
    /* the run gets as far as it can without that agent */
    runner_wait_output(&r, "stderr", "Creating consumers and producers", 1, 3);
    interrupt_within(SIGINT, 10);
    kill(agents[0], SIGCONT);
    assert_int_equal(r.status, 128 + SIGINT);
    assert_non_null(strstr(r.err, "ombc: interrupted while "));
    assert_non_null(strstr(r.err, "stopped; the test phase never started: no result written"));
    assert_true(runner_wait_for(&r, agents_gone, agents, 5));
    assert_false(file_exists(r.dir, "result.json"));
    runner_fini(&r);
}

/* Warm-up measures nothing the result keeps: an interruption there says so
 * and writes no result (its figures would read as a test's). */
static void sigint_during_warmup(void **state) {
    (void)state;
    runner_init(&r);
    runner_write(&r, "w.yaml",
                 "name: warmup\ntopics: 1\npartitionsPerTopic: 2\nmessageSize: 100\n"
                 "subscriptionsPerTopic: 1\nconsumerPerSubscription: 1\n"
                 "producersPerTopic: 2\nproducerRate: 2000\n"
                 "testDurationSeconds: 60\nwarmupDurationSeconds: 600\n");
    char *args[] = {"run", "--agents", "2", "--report-interval", "1", "-o", "result.json",
                    "w.yaml", NULL};
    runner_start(&r, args);
    assert_true(runner_wait_output(&r, "stderr", "Starting warm-up traffic", 1, 60));
    assert_true(runner_wait_output(&r, "stdout", "Pub rate", 1, 30));
    pid_t agents[2];
    assert_int_equal(runner_children(r.pid, agents, 2), 2);
    interrupt_within(SIGINT, 15);
    assert_int_equal(r.status, 128 + SIGINT);
    assert_non_null(strstr(r.err, "ombc: interrupted during the warm-up ("));
    assert_non_null(strstr(r.err, " of 600 s); the topics created were deleted and the agents "
                                  "stopped; the test phase never started: no result written"));
    assert_null(strstr(r.err, "Writing"));
    for (int i = 0; i < 2; i++)
        assert_false(runner_alive(agents[i]));
    assert_false(file_exists(r.dir, "result.json"));
    runner_fini(&r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(sigint_writes_incomplete_result, teardown),
        cmocka_unit_test_teardown(sigterm_writes_incomplete_result, teardown),
        cmocka_unit_test_teardown(second_signal_exits_at_once, teardown),
        cmocka_unit_test_teardown(sigint_while_creating_topics, teardown),
        cmocka_unit_test_teardown(sigint_while_an_agent_is_silent, teardown),
        cmocka_unit_test_teardown(sigint_during_warmup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
