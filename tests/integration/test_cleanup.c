/*
 * `ombc cleanup` against a Kafka that is not ombc's own: this test process
 * hosts a librdkafka mock cluster (a Kafka protocol server on loopback) with
 * topics an earlier run would have left next to a user's topics, and points
 * a plain OMB Kafka driver file at it. Cleanup must list through the
 * broker's metadata exactly the topics named as runs name theirs, with the
 * driver's or the given prefix, and nothing else. (The mock answers no
 * DeleteTopics request, so deletion itself is the same call every run makes
 * at its end, kafka_delete_topics; this checks what would be deleted with
 * --dry-run.) `ombc run --clean-start` runs the same step before a run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include "integration/runner.h"
#include "run/cleanup.h"

static void names_are_matched_exactly(void **state) {
    (void)state;
    assert_true(ombc_cleanup_matches("test-topic-0000000-AbC_e-9", "test-topic"));
    assert_true(ombc_cleanup_matches("test-topic-0001234-zzzzzzz", "test-topic"));
    assert_false(ombc_cleanup_matches("test-topic-0000000-AbC_e-", "test-topic"));  /* 6 */
    assert_false(ombc_cleanup_matches("test-topic-0000000-AbC_e-99", "test-topic")); /* 8 */
    assert_false(ombc_cleanup_matches("test-topic-000000-AbC_e-9", "test-topic"));   /* 6 digits */
    assert_false(ombc_cleanup_matches("test-topic-000000x-AbC_e-9", "test-topic"));
    assert_false(ombc_cleanup_matches("test-topic-0000000-AbC.e-9", "test-topic"));
    assert_false(ombc_cleanup_matches("test-topicX0000000-AbC_e-9", "test-topic"));
    assert_false(ombc_cleanup_matches("orders", "test-topic"));
    assert_false(ombc_cleanup_matches("my-test-topic-0000000-AbC_e-9", "test-topic"));
    assert_true(ombc_cleanup_matches("bench-0000003-AAAAAAA", "bench"));
    assert_false(ombc_cleanup_matches("bench-0000003-AAAAAAA", "test-topic"));
}

struct cluster {
    rd_kafka_t *rk;
    rd_kafka_mock_cluster_t *mock;
};

static void cluster_start(struct cluster *c, const char *const *topics) {
    char err[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    assert_int_equal(rd_kafka_conf_set(conf, "log_level", "0", err, sizeof(err)),
                     RD_KAFKA_CONF_OK);
    c->rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof(err));
    assert_non_null(c->rk);
    c->mock = rd_kafka_mock_cluster_new(c->rk, 1);
    assert_non_null(c->mock);
    for (int i = 0; topics[i]; i++)
        assert_int_equal(rd_kafka_mock_topic_create(c->mock, topics[i], 2, 1), 0);
}

static void cluster_stop(struct cluster *c) {
    rd_kafka_mock_cluster_destroy(c->mock);
    rd_kafka_destroy(c->rk);
}

static void dry_run_lists_only_leftovers(void **state) {
    (void)state;
    static const char *const topics[] = {
        "test-topic-0000000-Ab3_x-Q", "test-topic-0000001-ZZZZZZZ", "orders",
        "test-topic-orders", "bench-0000000-qqqqqqq", NULL,
    };
    struct cluster c;
    cluster_start(&c, topics);
    struct ombc_run r;
    runner_init(&r);
    char driver[1024];
    snprintf(driver, sizeof(driver),
             "name: Kafka\n"
             "driverClass: io.openmessaging.benchmark.driver.kafka.KafkaBenchmarkDriver\n"
             "replicationFactor: 1\n"
             "commonConfig: |\n  bootstrap.servers=%s\n"
             "producerConfig: |\n  acks=all\n"
             "consumerConfig: |\n  auto.offset.reset=earliest\n",
             rd_kafka_mock_cluster_bootstraps(c.mock));
    runner_write(&r, "kafka.yaml", driver);

    char *args[] = {"cleanup", "-d", "kafka.yaml", "--dry-run", NULL};
    runner_run(&r, args, 60);
    fprintf(stderr, "exit %d\n%s", r.status, r.err);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "Would delete test-topic-0000000-Ab3_x-Q\n"));
    assert_non_null(strstr(r.err, "Would delete test-topic-0000001-ZZZZZZZ\n"));
    assert_null(strstr(r.err, "Would delete orders"));
    assert_null(strstr(r.err, "Would delete test-topic-orders"));
    assert_null(strstr(r.err, "Would delete bench"));
    assert_non_null(strstr(r.err, "2 topic(s) named test-topic-NNNNNNN-XXXXXXX found"));
    free(r.out);
    free(r.err);

    char *bench[] = {"cleanup", "-d", "kafka.yaml", "--dry-run", "--prefix", "bench", NULL};
    runner_run(&r, bench, 60);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "Would delete bench-0000000-qqqqqqq\n"));
    assert_non_null(strstr(r.err, "1 topic(s) named bench-NNNNNNN-XXXXXXX found"));
    runner_fini(&r);
    cluster_stop(&c);
}

/* A driver whose broker is away: one clear line and exit 2, no hang. */
static void unreachable_broker_fails_clearly(void **state) {
    (void)state;
    struct ombc_run r;
    runner_init(&r);
    runner_write(&r, "kafka.yaml",
                 "name: Kafka\n"
                 "driverClass: io.openmessaging.benchmark.driver.kafka.KafkaBenchmarkDriver\n"
                 "replicationFactor: 1\n"
                 "commonConfig: |\n  bootstrap.servers=127.0.0.1:1\n");
    char *args[] = {"cleanup", "-d", "kafka.yaml", "--dry-run", NULL};
    runner_run(&r, args, 90);
    fprintf(stderr, "exit %d\n%s", r.status, r.err);
    assert_int_equal(r.status, 2); /* bad input, as ombc run says it */
    assert_non_null(strstr(r.err, "ombc: cleanup: kafka.yaml: cannot reach Kafka at 127.0.0.1:1"));
    runner_fini(&r);
}

/* --clean-start cleans each driver's broker first, then runs. */
static void clean_start_runs_after_cleanup(void **state) {
    (void)state;
    struct ombc_run r;
    runner_init(&r);
    runner_write(&r, "w.yaml",
                 "name: clean\ntopics: 1\npartitionsPerTopic: 1\nmessageSize: 100\n"
                 "subscriptionsPerTopic: 1\nconsumerPerSubscription: 1\n"
                 "producersPerTopic: 1\nproducerRate: 100\n"
                 "testDurationSeconds: 1\nwarmupDurationSeconds: 0\n");
    char *args[] = {"run", "--agents", "1", "--report-interval", "1", "--clean-start", "-o",
                    "result.json", "w.yaml", NULL};
    runner_run(&r, args, 120);
    assert_int_equal(r.status, 0);
    const char *cleaned = strstr(r.err, "keeps nothing between runs: no topics to clean up");
    const char *created = strstr(r.err, "Created 1 topics");
    assert_non_null(cleaned);
    assert_non_null(created);
    assert_true(cleaned < created);
    runner_fini(&r);
}

/* Issue 14 item 12: with no -d, the embedded Kafka: nothing survives a run,
 * which cleanup says instead of reporting 0 topics found. */
static void embedded_kafka_keeps_nothing(void **state) {
    (void)state;
    struct ombc_run r;
    runner_init(&r);
    char *args[] = {"cleanup", "--dry-run", NULL};
    runner_run(&r, args, 60);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "lives only while a run does and keeps "
                                  "nothing between runs: no topics to clean up"));
    assert_null(strstr(r.err, "topic(s) named"));
    runner_fini(&r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_are_matched_exactly),
        cmocka_unit_test(dry_run_lists_only_leftovers),
        cmocka_unit_test(unreachable_broker_fails_clearly),
        cmocka_unit_test(clean_start_runs_after_cleanup),
        cmocka_unit_test(embedded_kafka_keeps_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
