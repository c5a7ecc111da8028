/*
 * The null driver (drivers/null.yaml): no broker; every send is acknowledged
 * at once and delivered to the consumers of the same agent. A run through
 * it goes through every phase, records publish latency and delay, and
 * delivers every message exactly once (one topic and subscription, a
 * producer and a consumer on each of the two agents).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "integration/runner.h"

/* Runs workload on the null driver with `agents` agents and one more option
 * (--check-delivery, ...), 1 s periods, into result.json; asserts success
 * and returns the result (to cJSON_Delete). */
static cJSON *run_null(struct ombc_run *r, const char *workload, char *agents, char *option) {
    runner_init(r);
    runner_write(r, "w.yaml", workload);
    char driver[1024];
    snprintf(driver, sizeof(driver), "%s/drivers/null.yaml", runner_source_dir());
    char *args[] = {"run", "-d", driver, "--agents", agents, "--report-interval", "1",
                    option, "-o", "result.json", "w.yaml", NULL};
    runner_run(r, args, 60);
    if (r->status != 0)
        fprintf(stderr, "stderr:\n%s\n", r->err);
    assert_int_equal(r->status, 0);
    cJSON *root = runner_json(r->dir, "result.json");
    assert_non_null(root);
    return root;
}

static void null_driver_runs_and_delivers(void **state) {
    (void)state;
    struct ombc_run r;
    cJSON *root = run_null(&r,
                           "name: null\ntopics: 1\npartitionsPerTopic: 1\nmessageSize: 64\n"
                           "subscriptionsPerTopic: 1\nconsumerPerSubscription: 2\n"
                           "producersPerTopic: 2\nproducerRate: 20000\n"
                           "testDurationSeconds: 3\nwarmupDurationSeconds: 1\n",
                           "2", "--check-delivery");
    assert_string_equal(cJSON_GetObjectItem(root, "driver")->valuestring, "null-driver");
    const cJSON *pub = cJSON_GetObjectItem(root, "publishRate");
    assert_true(cJSON_GetArraySize(pub) >= 3);
    for (int i = 0; i < cJSON_GetArraySize(pub); i++)
        assert_true(cJSON_GetArrayItem(pub, i)->valuedouble > 0);
    /* the publish delay was recorded (it may be below 1 us throughout) */
    const cJSON *delays = cJSON_GetObjectItem(root, "aggregatedPublishDelayLatencyQuantiles");
    assert_true(cJSON_GetArraySize(delays) > 0);
    assert_true(cJSON_GetObjectItem(root, "aggregatedPublishDelayLatency50pct")->valuedouble <=
                cJSON_GetObjectItem(root, "aggregatedPublishDelayLatencyMax")->valuedouble);
    /* End-to-end inside one process is far below OMB's whole milliseconds:
     * it is recorded only because the payload carries a stamp in ns. */
    assert_true(cJSON_GetObjectItem(root, "aggregatedEndToEndLatencyMax")->valuedouble > 0);
    struct runner_delivery d = {0};
    assert_true(runner_delivery(root, &d));
    assert_true(d.sent >= 20000 * 3);
    assert_true(d.received == d.sent);
    cJSON_Delete(root);
    runner_fini(&r);
}

/* subscriptionsPerTopic: 0 (OMB's default) is a run without consumers, as
 * in OMB: the readiness probe expects nothing, nothing is consumed. */
static void producers_only(void **state) {
    (void)state;
    struct ombc_run r;
    cJSON *root = run_null(&r,
                           "name: producers-only\ntopics: 1\npartitionsPerTopic: 1\n"
                           "messageSize: 64\nproducersPerTopic: 2\nproducerRate: 5000\n"
                           "testDurationSeconds: 2\nwarmupDurationSeconds: 1\n",
                           "2", "--check-delivery");
    assert_true(runner_stderr_contains(&r, "Created 0 consumers"));
    const cJSON *v;
    cJSON_ArrayForEach(v, cJSON_GetObjectItem(root, "publishRate")) assert_true(v->valuedouble > 0);
    cJSON_ArrayForEach(v, cJSON_GetObjectItem(root, "consumeRate")) assert_true(v->valuedouble == 0);
    cJSON_ArrayForEach(v, cJSON_GetObjectItem(root, "backlog")) assert_true(v->valuedouble == 0);
    struct runner_delivery d = {0};
    assert_true(runner_delivery(root, &d));
    assert_true(d.sent > 0);
    assert_true(d.expected == 0 && d.received == 0);
    cJSON_Delete(root);
    runner_fini(&r);
}

/* --no-payload-stamp: payloads go out unchanged, so end-to-end comes from
 * the broker's millisecond timestamp, as OMB: within one process that is 0
 * ms, which OMB's rule leaves unrecorded, so the latency is absent. */
static void without_payload_stamps(void **state) {
    (void)state;
    struct ombc_run r;
    cJSON *root = run_null(&r,
                           "name: no-stamp\ntopics: 1\npartitionsPerTopic: 1\nmessageSize: 64\n"
                           "subscriptionsPerTopic: 1\nconsumerPerSubscription: 1\n"
                           "producersPerTopic: 1\nproducerRate: 2000\n"
                           "testDurationSeconds: 2\nwarmupDurationSeconds: 1\n",
                           "1", "--no-payload-stamp");
    const cJSON *v;
    cJSON_ArrayForEach(v, cJSON_GetObjectItem(root, "consumeRate")) assert_true(v->valuedouble > 0);
    /* no sample: absent (null), never 0 */
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(root, "aggregatedEndToEndLatencyMax")));
    cJSON_Delete(root);
    runner_fini(&r);
}

/* Issue 14 item 5: the null driver delivers only inside an agent, so with
 * two agents each given a producer and only the first a consumer, half of
 * what is sent is never received (the probe gets through the first): the
 * backlog grows to the end. The run is marked, summarised and fails, its
 * result still written. */
static void consumers_fall_behind(void **state) {
    (void)state;
    struct ombc_run r;
    runner_init(&r);
    runner_write(&r, "w.yaml",
                 "name: behind\ntopics: 1\npartitionsPerTopic: 1\nmessageSize: 64\n"
                 "subscriptionsPerTopic: 1\nconsumerPerSubscription: 1\n"
                 "producersPerTopic: 2\nproducerRate: 2000\n"
                 "testDurationSeconds: 2\nwarmupDurationSeconds: 1\n");
    char driver[1024];
    snprintf(driver, sizeof(driver), "%s/drivers/null.yaml", runner_source_dir());
    char *args[] = {"run", "-d", driver, "--agents", "2", "--report-interval", "1",
                    "-o", "result.json", "w.yaml", NULL};
    runner_run(&r, args, 60);
    assert_int_equal(r.status, 1);
    assert_true(runner_stderr_contains(&r, "the consumers fell behind"));
    assert_non_null(strstr(r.out, "----- Summary of "));
    assert_non_null(strstr(r.out, "----- End-to-end Latency (ms) 50%: "));
    assert_non_null(strstr(r.out, "----- FAILED: the consumers fell behind"));
    cJSON *root = runner_json(r.dir, "result.json");
    assert_non_null(root);
    const cJSON *mark = cJSON_GetObjectItem(root, "consumerShortfall");
    assert_true(cJSON_IsString(mark));
    assert_string_equal(mark->valuestring, "fellBehind");
    cJSON_Delete(root);
    runner_fini(&r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(null_driver_runs_and_delivers),
        cmocka_unit_test(producers_only),
        cmocka_unit_test(without_payload_stamps),
        cmocka_unit_test(consumers_fall_behind),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
