/*
 * An agent that dies mid-run (SIGKILL) is detected and started again with
 * the same producers and consumers: the run completes, the restart is
 * printed and counted (agentRestarts), and nothing acknowledged is lost.
 * With no restarts left the run ends with the agent's exit status instead of
 * hanging, writes the periods it measured as an incomplete result, and
 * leaves no agent process behind.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "integration/runner.h"

static struct ombc_run r;

/* Whatever an assertion left running is killed: never a stray benchmark. */
static int teardown(void **state) {
    (void)state;
    runner_kill(&r);
    return 0;
}

#define RATE 1000

/* Starts a run of test_seconds with two agents, each with a producer and a
 * consumer, waits for the measured phase and SIGKILLs agent 1.
 * @return agent 1's pid; agents[] gets both. */
static pid_t start_and_kill(char *const extra[], int test_seconds, pid_t agents[2]) {
    runner_init(&r);
    char yaml[512];
    snprintf(yaml, sizeof(yaml),
             "name: death\ntopics: 1\npartitionsPerTopic: 2\nmessageSize: 100\n"
             "subscriptionsPerTopic: 1\nconsumerPerSubscription: 2\n"
             "producersPerTopic: 2\nproducerRate: %d\n"
             "testDurationSeconds: %d\nwarmupDurationSeconds: 0\n",
             RATE, test_seconds);
    runner_write(&r, "w.yaml", yaml);
    char *args[16] = {"run", "--agents", "2", "--report-interval", "1", "-o", "result.json"};
    int n = 7;
    for (int i = 0; extra[i]; i++)
        args[n++] = extra[i];
    args[n++] = "w.yaml";
    args[n] = NULL;
    runner_start(&r, args);

    assert_true(runner_wait_output(&r, "stderr", "Starting benchmark traffic", 1, 60));
    /* a couple of periods measured before the death (OMB's period lines on
     * stdout; no warm-up) */
    assert_true(runner_wait_output(&r, "stdout", "Pub rate", 2, 30));
    assert_int_equal(runner_children(r.pid, agents, 2), 2);
    pid_t victim = agents[0] > agents[1] ? agents[0] : agents[1]; /* agent 1: started last */
    assert_int_equal(kill(victim, SIGKILL), 0);
    return victim;
}

static void killed_agent_is_restarted(void **state) {
    (void)state;
    pid_t agents[2];
    char *extra[] = {"--check-delivery", NULL};
    pid_t victim = start_and_kill(extra, 12, agents);
    runner_wait(&r, 120);
    fprintf(stderr, "exit %d, stderr tail: %s\n", r.status,
            r.err + (strlen(r.err) > 1500 ? strlen(r.err) - 1500 : 0));
    assert_int_equal(r.status, 0);
    char expect[128];
    snprintf(expect, sizeof(expect),
             "(pid %d) died: killed by signal 9 (Killed); restarting it (restart 1 of 3)",
             (int)victim);
    assert_non_null(strstr(r.err, expect));
    assert_non_null(strstr(r.err, "Agent 1 restarted as pid "));

    cJSON *root = runner_json(r.dir, "result.json");
    assert_non_null(root);
    assert_int_equal(cJSON_GetObjectItem(root, "agentRestarts")->valueint, 1);
    assert_null(cJSON_GetObjectItem(root, "incomplete"));
    /* the restarted agent publishes its share again: after the restart
     * (the kill came after two 1 s periods) periods run at the full rate again,
     * not at the surviving agent's half of it */
    const cJSON *pub = cJSON_GetObjectItem(root, "publishRate");
    double best = 0;
    for (int i = 4; i < cJSON_GetArraySize(pub); i++) {
        double rate = cJSON_GetArrayItem(pub, i)->valuedouble;
        best = rate > best ? rate : best;
    }
    fprintf(stderr, "best period after the restart: %.1f msg/s\n", best);
    assert_true(best > 0.75 * RATE);
    /* every acknowledged message arrived; the dead agent's consumer may
     * have been given some again after the rebalance, never fewer */
    struct runner_delivery d = {0};
    assert_true(runner_delivery(root, &d));
    assert_true(d.expected > 0 && d.received >= d.expected);
    cJSON_Delete(root);
    runner_fini(&r);
}

static void no_restarts_left_ends_the_run(void **state) {
    (void)state;
    pid_t agents[2];
    char *extra[] = {"--agent-restarts", "0", NULL};
    pid_t victim = start_and_kill(extra, 600, agents);
    runner_wait(&r, 30); /* detected well within this, or the test fails */
    fprintf(stderr, "exit %d, stderr tail: %s\n", r.status,
            r.err + (strlen(r.err) > 600 ? strlen(r.err) - 600 : 0));
    assert_int_equal(r.status, 1);
    char expect[128];
    snprintf(expect, sizeof(expect),
             "(pid %d) died: killed by signal 9 (Killed); no restarts left (--agent-restarts 0)",
             (int)victim);
    assert_non_null(strstr(r.err, expect));
    /* the surviving agent was stopped too */
    for (int i = 0; i < 2; i++)
        assert_false(runner_alive(agents[i]));
    /* what was measured is written, marked incomplete */
    cJSON *root = runner_json(r.dir, "result.json");
    assert_non_null(root);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(root, "incomplete")));
    assert_int_equal(cJSON_GetObjectItem(root, "agentRestarts")->valueint, 0);
    assert_true(cJSON_GetArraySize(cJSON_GetObjectItem(root, "publishRate")) >= 2);
    cJSON_Delete(root);
    runner_fini(&r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(killed_agent_is_restarted, teardown),
        cmocka_unit_test_teardown(no_restarts_left_ends_the_run, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
