/*
 * test_kafka_faults: unit tests of the embedded Kafka's fault schedule
 * (src/driver/kafka_faults.c): the steps of `embeddedFaults` read from a
 * driver file, every kind of bad step refused with its exact message and
 * FILE:LINE:COL, and the schedule applied to a real mock cluster (errors
 * pushed onto a broker's Produce error stack) and stopped before its time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include "config/driver_conf.h"
#include "core/err.h"
#include "driver/kafka_faults.h"

#define HEAD                                                                                       \
    "name: k\n"                                                                                    \
    "driverClass: io.openmessaging.benchmark.driver.kafka.KafkaBenchmarkDriver\n"                  \
    "embeddedBrokers: 3\n"

/* Loads text (HEAD is lines 1-3) as d.yaml and its faults for 3 brokers. */
static int load(const char *text, int64_t brokers, struct ombc_kafka_faults **f, char *err,
                size_t size) {
    struct ombc_driver_conf dc;
    char e[512];
    assert_int_equal(ombc_driver_conf_parse("d.yaml", text, strlen(text), &dc, e, sizeof(e)), 0);
    err[0] = '\0';
    int rc = ombc_kafka_faults_load(&dc, brokers, f, err, size);
    ombc_driver_conf_fini(&dc);
    return rc;
}

static void expect_error(const char *faults, int code, const char *want) {
    char text[1024], err[512];
    snprintf(text, sizeof(text), HEAD "embeddedFaults:\n%s", faults);
    struct ombc_kafka_faults *f = (struct ombc_kafka_faults *)&f;
    assert_int_equal(load(text, 3, &f, err, sizeof(err)), code);
    assert_string_equal(err, want);
    assert_null(f);
}

static void test_no_steps(void **state) {
    (void)state;
    char err[256];
    struct ombc_kafka_faults *f = (struct ombc_kafka_faults *)&f;
    assert_int_equal(load(HEAD, 3, &f, err, sizeof(err)), 0);
    assert_null(f);
    assert_int_equal(load(HEAD "embeddedFaults: []\n", 3, &f, err, sizeof(err)), 0);
    assert_null(f);
    /* an empty step does nothing */
    assert_int_equal(load(HEAD "embeddedFaults:\n  - {}\n", 3, &f, err, sizeof(err)), 0);
    assert_null(f);
    ombc_kafka_faults_destroy(NULL);
}

static void test_good_steps(void **state) {
    (void)state;
    char err[256];
    struct ombc_kafka_faults *f = NULL;
    assert_int_equal(load(HEAD "embeddedFaults:\n"
                               "  - {at: 6, broker: 1, action: down, for: 3}\n"
                               "  - {at: 4.5, action: produceErrors, error: "
                               "NOT_LEADER_OR_FOLLOWER, count: 200}\n"
                               "  - {at: 2, broker: 2, action: rtt, ms: 50, for: 0.5}\n"
                               "  - {at: 0, action: up}\n"
                               "  - at: 1\n"
                               "    action: produceErrors\n"
                               "    error: 87\n"
                               "  - {at: 1, action: produceErrors, error: _transport}\n",
                          3, &f, err, sizeof(err)),
                     0);
    assert_string_equal(err, "");
    assert_non_null(f);
    ombc_kafka_faults_destroy(f);
}

static void test_bad_steps(void **state) {
    (void)state;
    expect_error("  - {at: 1, action: explode}\n", OMBC_EPARSE,
                 "d.yaml:5:21: embeddedFaults[0]: key 'action': expected one of down, up, rtt, "
                 "produceErrors, got 'explode'");
    expect_error("  - {at: 1, action: down}\n  - {at: 1, action: down, broker: 4}\n",
                 OMBC_ERANGE,
                 "d.yaml:6:35: embeddedFaults[1]: key 'broker': expected an integer in [1, 3], "
                 "got '4'");
    expect_error("  - {at: -1, action: down}\n", OMBC_ERANGE,
                 "d.yaml:5:10: embeddedFaults[0]: key 'at': expected seconds, a number from 0 "
                 "and at most 86400, got '-1'");
    expect_error("  - {at: 1s, action: down}\n", OMBC_ERANGE,
                 "d.yaml:5:10: embeddedFaults[0]: key 'at': expected seconds, a number from 0 "
                 "and at most 86400, got '1s'");
    expect_error("  - {at: 1, action: down, for: 0}\n", OMBC_ERANGE,
                 "d.yaml:5:32: embeddedFaults[0]: key 'for': expected seconds, a number above 0 "
                 "and at most 86400, got '0'");
    expect_error("  - {action: down}\n", OMBC_EPARSE,
                 "d.yaml:5:14: embeddedFaults[0]: missing 'at' (seconds after the embedded "
                 "Kafka starts)");
    expect_error("  - {at: 1}\n", OMBC_EPARSE,
                 "d.yaml:5:10: embeddedFaults[0]: missing 'action' (one of down, up, rtt, "
                 "produceErrors)");
    expect_error("  - {at: 1, action: down, ms: 3}\n", OMBC_EPARSE,
                 "d.yaml:5:31: embeddedFaults[0]: key 'ms' does not apply to action down");
    expect_error("  - {at: 1, action: up, for: 3}\n", OMBC_EPARSE,
                 "d.yaml:5:30: embeddedFaults[0]: key 'for' does not apply to action up");
    expect_error("  - {at: 1, action: rtt}\n", OMBC_EPARSE,
                 "d.yaml:5:21: embeddedFaults[0]: action rtt needs 'ms' (the added round-trip "
                 "time)");
    expect_error("  - {at: 1, action: rtt, ms: 60001}\n", OMBC_ERANGE,
                 "d.yaml:5:30: embeddedFaults[0]: key 'ms': expected an integer in [0, 60000], "
                 "got '60001'");
    expect_error("  - {at: 1, action: produceErrors}\n", OMBC_EPARSE,
                 "d.yaml:5:21: embeddedFaults[0]: action produceErrors needs 'error' (a Kafka "
                 "error name)");
    expect_error("  - {at: 1, action: produceErrors, error: NOPE}\n", OMBC_EPARSE,
                 "d.yaml:5:43: embeddedFaults[0]: key 'error': unknown Kafka error 'NOPE' "
                 "(expected a broker error name such as INVALID_RECORD or NOT_LEADER_OR_FOLLOWER, "
                 "_TRANSPORT, or a code)");
    expect_error("  - {at: 1, action: produceErrors, error: _MSG_TIMED_OUT}\n", OMBC_EPARSE,
                 "d.yaml:5:43: embeddedFaults[0]: key 'error': unknown Kafka error "
                 "'_MSG_TIMED_OUT' (expected a broker error name such as INVALID_RECORD or "
                 "NOT_LEADER_OR_FOLLOWER, _TRANSPORT, or a code)");
    expect_error("  - {at: 1, action: produceErrors, error: 87, count: 0}\n", OMBC_ERANGE,
                 "d.yaml:5:54: embeddedFaults[0]: key 'count': expected an integer in [1, "
                 "100000], got '0'");
    expect_error("  - {at: 1, action: down, bogus: 0}\n", OMBC_EPARSE,
                 "d.yaml:5:34: embeddedFaults[0]: unknown key 'bogus' (known: at, action, "
                 "broker, for, ms, error, count)");
    expect_error("  - {at: [1], action: down}\n", OMBC_EPARSE,
                 "d.yaml:5:11: embeddedFaults[0]: key 'at': expected a scalar, got a sequence");
    expect_error("  - {at: {s: 1}, action: down}\n", OMBC_EPARSE,
                 "d.yaml:5:14: embeddedFaults[0]: key 'at': expected a scalar, got a mapping");
    expect_error("  - down\n", OMBC_EPARSE,
                 "d.yaml:5:5: embeddedFaults[0]: expected a mapping such as {at: 5, action: "
                 "down, broker: 1, for: 3}, got 'down'");
    expect_error("  - [1, 2]\n", OMBC_EPARSE,
                 "d.yaml:5:6: embeddedFaults[0]: expected a mapping such as {at: 5, action: "
                 "down, broker: 1, for: 3}, got a sequence");
    expect_error("  3\n", OMBC_EPARSE,
                 "d.yaml:5:3: key 'embeddedFaults': expected a list of steps such as {at: 5, "
                 "action: down, broker: 1, for: 3}, got a scalar");
    expect_error("  at: 3\n", OMBC_EPARSE,
                 "d.yaml:5:7: key 'embeddedFaults': expected a list of steps such as {at: 5, "
                 "action: down, broker: 1, for: 3}, got a mapping");
}

static void test_real_kafka_refused(void **state) {
    (void)state;
    char err[256];
    struct ombc_kafka_faults *f = NULL;
    assert_int_equal(load("name: k\n"
                          "driverClass: kafka\n"
                          "embeddedFaults:\n"
                          "  - {at: 1, action: down}\n",
                          0, &f, err, sizeof(err)),
                     OMBC_EINVAL);
    assert_string_equal(err, "d.yaml:4:10: key 'embeddedFaults': faults are for the embedded "
                             "Kafka only (set embeddedBrokers)");
    assert_null(f);
}

/* The schedule pushes errors onto broker 2's Produce stack at 0 s, and is
 * stopped, joined and freed with a step still 1000 s away. */
static void test_applied_to_mock(void **state) {
    (void)state;
    char err[256], kerr[256];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "log_level", "3", kerr, sizeof(kerr));
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, kerr, sizeof(kerr));
    assert_non_null(rk);
    rd_kafka_mock_cluster_t *mock = rd_kafka_mock_cluster_new(rk, 3);
    assert_non_null(mock);

    struct ombc_kafka_faults *f = NULL;
    assert_int_equal(load(HEAD "embeddedFaults:\n"
                               "  - {at: 1000, action: down}\n"
                               "  - {at: 0, broker: 2, action: produceErrors, error: "
                               "INVALID_RECORD, count: 21}\n",
                          3, &f, err, sizeof(err)),
                     0);
    assert_int_equal(ombc_kafka_faults_start(f, mock, err, sizeof(err)), 0);
    size_t cnt = 0;
    for (int i = 0; i < 1000 && cnt < 21; i++) { /* pushed in chunks; wait up to 10 s */
        assert_int_equal(rd_kafka_mock_broker_error_stack_cnt(mock, 2, 0, &cnt), 0);
        if (cnt < 21)
            nanosleep(&(struct timespec){.tv_nsec = 10000000}, NULL);
    }
    assert_int_equal(cnt, 21);
    cnt = 0; /* (left alone for a broker that never had an error stack) */
    assert_int_equal(rd_kafka_mock_broker_error_stack_cnt(mock, 1, 0, &cnt), 0);
    assert_int_equal(cnt, 0);
    ombc_kafka_faults_destroy(f);

    rd_kafka_mock_cluster_destroy(mock);
    rd_kafka_destroy(rk);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_steps),        cmocka_unit_test(test_good_steps),
        cmocka_unit_test(test_bad_steps),       cmocka_unit_test(test_real_kafka_refused),
        cmocka_unit_test(test_applied_to_mock),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
