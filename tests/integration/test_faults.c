/*
 * Broker faults on the embedded Kafka (the driver-file key embeddedFaults):
 * a broker down for 3 s mid-run, two bursts of 100 Produce requests failing
 * with a non-retriable error, and 50 ms of added round-trip time. Each run
 * completes with exit 0 and shows the fault where OMB's results show such
 * things: the outage as publish latency of the messages that waited for
 * the broker, the errors in publishErrorRate and the period lines, the
 * round-trip time in the publish latency median. With acks=all nothing
 * acknowledged is lost (--check-delivery: received == sent), and client
 * errors are logged a few times per kind, never once per message.
 *
 * Faults are timed from the cluster's start, and the measured phase starts
 * after the readiness probe (2 to 8 s: it checks every 2 s) and a 1 s
 * warm-up, then lasts 12 s: from [3, 15] s to [9, 21] s after the start.
 * Each schedule is laid out to show its fault inside that window whatever
 * the probe took. Asserts outcomes (lower bounds on latency, counts),
 * never durations.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>

#include "integration/runner.h"

#define AGENTS 2

/* The embedded driver's settings, with acks=all, plus extra client lines
 * and the fault steps. */
static const char *driver_text(char *buf, size_t size, const char *extra_common,
                               const char *extra_producer, const char *faults) {
    snprintf(buf, size,
             "name: Kafka-embedded-faults\n"
             "driverClass: io.openmessaging.benchmark.driver.kafka.KafkaBenchmarkDriver\n"
             "embeddedBrokers: 3\n"
             "replicationFactor: 3\n"
             "commonConfig: |\n"
             "  client.id=ombc\n"
             "%s"
             "producerConfig: |\n"
             "  acks=all\n"
             "  linger.ms=1\n"
             "  batch.size=131072\n"
             "%s"
             "consumerConfig: |\n"
             "  fetch.wait.max.ms=5\n"
             "  session.timeout.ms=6000\n"
             "  heartbeat.interval.ms=500\n"
             "  auto.offset.reset=earliest\n"
             "  enable.auto.commit=false\n"
             "embeddedFaults:\n"
             "%s",
             extra_common, extra_producer, faults);
    return buf;
}

/* Runs a 1 s warm-up and 12 s test at 1000 msg/s of 512 bytes (about 2 MB
 * per partition at most: within the mock's retention) with --check-delivery;
 * returns the result JSON. One consumer: a group of one never rebalances,
 * so no message is read twice after a rebalance (at-least-once) and the
 * delivery check can ask for received == sent exactly. */
static cJSON *run_with_faults(struct ombc_run *r, const char *driver, int partitions) {
    char workload[512];
    snprintf(workload, sizeof(workload),
             "name: faults\n"
             "topics: 1\n"
             "partitionsPerTopic: %d\n"
             "messageSize: 512\n"
             "subscriptionsPerTopic: 1\n"
             "consumerPerSubscription: 1\n"
             "producersPerTopic: 2\n"
             "producerRate: 1000\n"
             "testDurationSeconds: 12\n"
             "warmupDurationSeconds: 1\n",
             partitions);
    runner_write(r, "faults.yaml", workload);
    runner_write(r, "driver.yaml", driver);
    char *args[] = {"run", "-d", "driver.yaml", "--agents", "2", "--report-interval", "1",
                    "-o", "result.json", "--check-delivery", "faults.yaml", NULL};
    runner_run(r, args, 150);
    if (r->status != 0)
        fprintf(stderr, "stdout:\n%s\nstderr:\n%s\n", r->out, r->err);
    assert_int_equal(r->status, 0);
    cJSON *root = runner_json(r->dir, "result.json");
    assert_non_null(root);
    return root;
}

static double item(const cJSON *root, const char *list, int i) {
    return cJSON_GetArrayItem(cJSON_GetObjectItem(root, list), i)->valuedouble;
}

static int periods(const cJSON *root) {
    return cJSON_GetArraySize(cJSON_GetObjectItem(root, "publishRate"));
}

/* Lines of text containing needle. */
static int count_lines(const char *text, const char *needle) {
    int n = 0;
    for (const char *line = text; *line;) {
        const char *eol = strchr(line, '\n');
        size_t len = eol ? (size_t)(eol - line) : strlen(line);
        const char *hit = strstr(line, needle);
        if (hit && hit < line + len)
            n++;
        line += len + (eol ? 1 : 0);
    }
    return n;
}

/* Every acknowledged message arrived, once. */
static void assert_nothing_lost(const cJSON *root) {
    struct runner_delivery d = {0};
    assert_true(runner_delivery(root, &d));
    assert_true(d.sent > 0);
    assert_true(d.expected == d.sent);
    assert_true(d.received == d.expected);
}

static void print_periods(const cJSON *root) {
    for (int i = 0; i < periods(root); i++)
        fprintf(stderr,
                "period %2d: pub %6.0f err %5.1f cons %6.0f | pub latency p50 %7.1f max %7.1f ms\n",
                i, item(root, "publishRate", i), item(root, "publishErrorRate", i),
                item(root, "consumeRate", i), item(root, "publishLatency50pct", i),
                item(root, "publishLatencyMax", i));
}

/*
 * Broker 1 down for 3 s (from 9 s: the messages that waited are
 * acknowledged at about 12.5 s, inside the measured phase). Partitions are led by random brokers; with 24 the
 * chance that broker 1 leads none is (2/3)^24, under 1e-4. The producers are
 * idempotent (a request cut off by the outage is retried without a
 * duplicate) and reconnect within 500 ms once the broker is back, so the
 * consumer's group survives (6 s session) and nothing is read twice.
 */
static void broker_down_mid_run(void **state) {
    (void)state;
    struct ombc_run r;
    runner_init(&r);
    char driver[2048];
    driver_text(driver, sizeof(driver), "  reconnect.backoff.max.ms=500\n",
                "  enable.idempotence=true\n",
                "  - {at: 9, broker: 1, action: down, for: 3}\n");
    cJSON *root = run_with_faults(&r, driver, 24);
    print_periods(root);
    assert_non_null(strstr(r.err, "embeddedFaults[0]: broker 1 down"));
    assert_non_null(strstr(r.err, "embeddedFaults[0]: broker 1 up again"));

    /* the messages for broker 1's partitions waited out the outage */
    double worst = 0;
    for (int i = 0; i < periods(root); i++)
        if (item(root, "publishLatencyMax", i) > worst)
            worst = item(root, "publishLatencyMax", i);
    fprintf(stderr, "worst publish latency: %.1f ms\n", worst);
    assert_true(worst >= 2500);

    assert_nothing_lost(root);

    /* librdkafka's complaints about the lost connections: a few lines, at
     * most one per facility per second in each process */
    int lines = count_lines(r.err, "librdkafka - ");
    fprintf(stderr, "librdkafka log lines: %d\n", lines);
    assert_true(lines <= 50);
    cJSON_Delete(root);
    runner_fini(&r);
}

/*
 * Two bursts (at 8 and 12 s: one at least in the measured phase) of 100
 * Produce requests failing with INVALID_RECORD, which librdkafka does not
 * retry: each fails the messages of its batch. They are counted as publish
 * errors, in the result and the period lines, and never as sent; the agents
 * log them at most once a second per kind, with the count held back.
 */
static void produce_errors_counted(void **state) {
    (void)state;
    struct ombc_run r;
    runner_init(&r);
    char driver[2048];
    driver_text(driver, sizeof(driver), "", "",
                "  - {at: 8, action: produceErrors, error: INVALID_RECORD, count: 100}\n"
                "  - {at: 12, action: produceErrors, error: INVALID_RECORD, count: 100}\n");
    cJSON *root = run_with_faults(&r, driver, 4);
    print_periods(root);
    assert_non_null(
        strstr(r.err, "embeddedFaults[1]: the next 100 Produce requests to any broker fail "
                      "with INVALID_RECORD"));

    double errors = 0;
    int error_periods = 0;
    for (int i = 0; i < periods(root); i++) {
        double e = item(root, "publishErrorRate", i);
        errors += e;
        error_periods += e > 0;
    }
    fprintf(stderr, "publish errors: %.0f/s summed over %d periods\n", errors, error_periods);
    assert_true(error_periods >= 1);

    /* the period lines show them (the warm-up's lines too) */
    int shown = 0;
    for (const char *p = r.out; (p = strstr(p, "Pub err ")); p++)
        shown += strtod(p + strlen("Pub err "), NULL) > 0;
    assert_true(shown >= error_periods);

    /* logged per kind, at most once a second and agent, the rest counted */
    int lines = count_lines(r.err, "Write error on message: Broker: Broker failed to validate");
    int counted = count_lines(r.err, "more like it since the last line");
    fprintf(stderr, "error log lines: %d (%d with a count held back)\n", lines, counted);
    assert_true(lines >= 1);
    assert_true(lines <= AGENTS * (2 * error_periods + 2));
    assert_true(lines * 5 <= errors);

    /* what was acknowledged all arrived */
    assert_nothing_lost(root);
    cJSON_Delete(root);
    runner_fini(&r);
}

/* The time of day of a log line ("HH:MM:SS.mmm [..."), in ms; -1 if none. */
static long line_ms(const char *line) {
    int h, m, sec, ms, n = 0;
    if (sscanf(line, "%2d:%2d:%2d.%3d%n", &h, &m, &sec, &ms, &n) != 4 || n != 12)
        return -1;
    return ((h * 60L + m) * 60 + sec) * 1000 + ms;
}

/* The time of the stderr line containing needle, or -1. */
static long event_ms(const char *err, const char *needle) {
    const char *hit = strstr(err, needle);
    if (!hit)
        return -1;
    while (hit > err && hit[-1] != '\n')
        hit--;
    return line_ms(hit);
}

/*
 * 50 ms more round-trip time on every broker from 8 to 14 s. Every period
 * line (warm-up or measured) whose whole period lies between the two log
 * lines of the fault shows a publish latency median of at least 50 ms: the
 * mock answers no Produce request sooner. (A period is read from the
 * previous period line to its own; lines are stamped by one clock.)
 */
static void added_rtt_shows_in_latency(void **state) {
    (void)state;
    struct ombc_run r;
    runner_init(&r);
    char driver[2048];
    driver_text(driver, sizeof(driver), "", "", "  - {at: 8, action: rtt, ms: 50, for: 6}\n");
    cJSON *root = run_with_faults(&r, driver, 4);
    print_periods(root);
    long from = event_ms(r.err, "embeddedFaults[0]: every broker round-trip time +50 ms");
    long to = event_ms(r.err, "embeddedFaults[0]: every broker round-trip time +0 ms");
    assert_true(from >= 0 && to > from); /* (a run across midnight would fail here) */
    int inside = 0, outside_slow = 0, outside = 0;
    long prev = -1;
    for (const char *line = r.out; *line;) {
        const char *eol = strchr(line, '\n');
        const char *pr = strstr(line, "] INFO  WorkloadGenerator - Pub rate ");
        const char *p50 = pr ? strstr(pr, "Pub Latency (ms) avg: ") : NULL;
        p50 = p50 ? strstr(p50, " - 50%: ") : NULL;
        if (p50 && (!eol || p50 < eol)) { /* a period line, not an aggregated one */
            long end = line_ms(line);
            double v = strtod(p50 + strlen(" - 50%: "), NULL);
            if (prev >= from && end <= to) {
                fprintf(stderr, "inside the fault: period to %ld ms, p50 %.1f ms\n", end, v);
                assert_true(v >= 50);
                inside++;
            } else {
                outside++;
                outside_slow += v >= 50;
            }
            prev = end;
        }
        line = eol ? eol + 1 : line + strlen(line);
    }
    fprintf(stderr, "periods inside the fault: %d; outside: %d, %d of them with p50 >= 50 ms\n",
            inside, outside, outside_slow);
    assert_true(inside >= 1);
    assert_nothing_lost(root);
    cJSON_Delete(root);
    runner_fini(&r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(broker_down_mid_run),
        cmocka_unit_test(produce_errors_counted),
        cmocka_unit_test(added_rtt_shows_in_latency),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
