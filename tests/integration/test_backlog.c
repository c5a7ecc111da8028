/*
 * consumerBacklogSizeGB (here its MiB extension) on the embedded Kafka, with
 * two subscriptions: consumers pause while 4 MiB of backlog builds (counting
 * every subscription), resume, drain it, and the measured phase then runs its
 * test duration, as OMB's backlog task does. Pausing loses and doubles
 * nothing: once the load stops (--check-delivery) every acknowledged message
 * has been received exactly once per subscription.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>

#include "integration/runner.h"

#define RATE 1000
#define SUBSCRIPTIONS 2
#define BACKLOG_MESSAGES (4 * 1024 * 1024 / 1024) /* 4 MiB of 1 KiB messages */

static void backlog_builds_and_drains(void **state) {
    (void)state;
    struct ombc_run r;
    runner_init(&r);
    runner_write(&r, "backlog.yaml",
                 "name: backlog\n"
                 "topics: 1\n"
                 "partitionsPerTopic: 4\n"
                 "messageSize: 1024\n"
                 "subscriptionsPerTopic: 2\n"
                 "consumerPerSubscription: 1\n"
                 "producersPerTopic: 1\n"
                 "producerRate: 1000\n"
                 "consumerBacklogSizeMB: 4\n"
                 "backlogDrainRatio: 1.0\n"
                 "testDurationSeconds: 4\n"
                 "warmupDurationSeconds: 2\n");
    char *args[] = {"run", "--agents", "2", "--report-interval", "1", "-o", "result.json",
                    "--check-delivery", "backlog.yaml", NULL};
    runner_run(&r, args, 180);
    if (r.status != 0)
        fprintf(stderr, "stdout:\n%s\nstderr:\n%s\n", r.out, r.err);
    assert_int_equal(r.status, 0);
    const char *steps[] = {"Stopping all consumers to build backlog",
                           "--- Completed backlog build in ", "--- Start draining backlog ---",
                           "--- Completed backlog draining in ",
                           "----- Aggregated Pub Latency"};
    const char *at = r.err;
    for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
        const char *log = i == 4 ? r.out : r.err;
        const char *p = strstr(i == 4 ? log : at, steps[i]);
        if (!p)
            fprintf(stderr, "missing, in order: '%s'\nstderr:\n%s\n", steps[i], r.err);
        assert_non_null(p);
        if (i < 4)
            at = p;
    }

    cJSON *root = runner_json(r.dir, "result.json");
    assert_non_null(root);
    const cJSON *backlog = cJSON_GetObjectItem(root, "backlog");
    const cJSON *cons = cJSON_GetObjectItem(root, "consumeRate");
    const cJSON *pub = cJSON_GetObjectItem(root, "publishRate");
    int n = cJSON_GetArraySize(backlog);
    /* build (~2 s) + drain + the 4 s test duration, in 1 s periods */
    assert_true(n >= 6);
    double peak = 0, last = cJSON_GetArrayItem(backlog, n - 1)->valuedouble;
    int peak_at = 0;
    for (int i = 0; i < n; i++) {
        double b = cJSON_GetArrayItem(backlog, i)->valuedouble;
        fprintf(stderr, "period %d: pub %.0f cons %.0f backlog %.0f\n", i,
                cJSON_GetArrayItem(pub, i)->valuedouble, cJSON_GetArrayItem(cons, i)->valuedouble,
                b);
        if (b > peak) {
            peak = b;
            peak_at = i;
        }
    }
    /* it grew to the requested size (both subscriptions counted); the build
     * is checked every second and the period lines are read on their own
     * clock, so the largest period reading can fall short of the size by
     * up to a second of traffic ... */
    assert_true(peak >= BACKLOG_MESSAGES - RATE * SUBSCRIPTIONS);
    assert_true(peak < BACKLOG_MESSAGES + 3 * RATE * SUBSCRIPTIONS);
    /* ... consumers were paused while it grew: nothing consumed in the first
     * period, and once resumed they consumed faster than the producers ... */
    assert_true(cJSON_GetArrayItem(cons, 0)->valuedouble == 0);
    bool drained_fast = false;
    for (int i = peak_at; i < n; i++)
        drained_fast |= cJSON_GetArrayItem(cons, i)->valuedouble > RATE * SUBSCRIPTIONS * 1.2;
    assert_true(drained_fast);
    /* ... and at the end only what is in flight is left */
    assert_true(last < 0.5 * RATE * SUBSCRIPTIONS);

    /* received == sent x subscriptions, exactly */
    struct runner_delivery d = {0};
    assert_true(runner_delivery(root, &d));
    assert_true(d.sent >= BACKLOG_MESSAGES / SUBSCRIPTIONS);
    assert_true(d.expected == d.sent * SUBSCRIPTIONS);
    assert_true(d.received == d.expected);
    assert_non_null(strstr(r.err, "expected: all received once"));
    cJSON_Delete(root);
    runner_fini(&r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(backlog_builds_and_drains),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
