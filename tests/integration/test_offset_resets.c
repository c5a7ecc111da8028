/*
 * Messages the broker dropped before the consumers read them (issue 14 item
 * 3b), on the embedded Kafka: every message goes to one partition (the
 * consistent partitioner maps the empty key to one), so an 8 MiB backlog,
 * within what two partitions keep, overflows the mock's 5 MB on that one.
 * The resumed consumer finds its offset gone (librdkafka resets it): the
 * run says so, the drain's bound ends it instead of a wait for ever, and
 * the result counts the resets and is marked incomplete.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>

#include "integration/runner.h"

static void dropped_messages_are_named(void **state) {
    (void)state;
    struct ombc_run r;
    runner_init(&r);
    runner_write(&r, "kafka.yaml",
                 "name: one-partition\n"
                 "driverClass: io.openmessaging.benchmark.driver.kafka.KafkaBenchmarkDriver\n"
                 "embeddedBrokers: 1\n"
                 "replicationFactor: 1\n"
                 "producerConfig: |\n"
                 "  linger.ms=1\n"
                 "  partitioner=consistent\n"
                 "consumerConfig: |\n"
                 "  fetch.wait.max.ms=5\n"
                 "  auto.offset.reset=earliest\n"
                 "  enable.auto.commit=false\n"
                 "  queued.max.messages.kbytes=1024\n");
    runner_write(&r, "w.yaml",
                 "name: overflow\n"
                 "topics: 1\n"
                 "partitionsPerTopic: 2\n"
                 "messageSize: 1024\n"
                 "subscriptionsPerTopic: 1\n"
                 "consumerPerSubscription: 1\n"
                 "producersPerTopic: 1\n"
                 "producerRate: 20000\n"
                 "consumerBacklogSizeMB: 8\n"
                 "backlogDrainRatio: 1.0\n"
                 "testDurationSeconds: 5\n"
                 "warmupDurationSeconds: 0\n");
    char *args[] = {"run", "--agents", "1", "--report-interval", "2", "-d", "kafka.yaml",
                    "-o", "result.json", "w.yaml", NULL};
    runner_run(&r, args, 150);
    fprintf(stderr, "exit %d, stderr tail: %s\n", r.status,
            r.err + (strlen(r.err) > 1500 ? strlen(r.err) - 1500 : 0));
    assert_int_equal(r.status, 1);
    assert_true(runner_stderr_contains(&r, "The broker dropped messages before the consumers "
                                           "read them"));
    assert_true(runner_stderr_contains(&r, "the backlog stopped draining at"));
    assert_true(runner_stderr_contains(&r, "offset resets), and those never arrive"));
    cJSON *root = runner_json(r.dir, "result.json");
    assert_non_null(root);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(root, "incomplete")));
    const cJSON *resets = cJSON_GetObjectItem(root, "consumerOffsetResets");
    assert_non_null(resets);
    assert_true(resets->valuedouble > 0);
    cJSON_Delete(root);
    runner_fini(&r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dropped_messages_are_named),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
