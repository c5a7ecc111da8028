/*
 * test_report: unit tests of src/stats/report.c — OMB's period and
 * aggregated lines (OMB-REFERENCE.md 3.3), Java DecimalFormat "0.0" and
 * Double.toString, the TestResult JSON (5.1, 5.2) in Jackson's layout (4.2),
 * and writing the result file. Expected texts are written by hand from the
 * reference; cJSON parses the JSON back. Uses temporary directories only.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <cmocka.h>
#include <math.h>

#include "core/err.h"
#include "stats/hdr.h"
#include "stats/report.h"
#include "stats/result.h"

/* ---- DecimalFormat("0.0") ---- */

static void check_dec(double v, int width, const char *want) {
    char buf[512];
    ombc_format_decimal1(buf, sizeof(buf), v, width);
    if (strcmp(buf, want) != 0) {
        fail_msg("decimal1(%.17g, %d) = \"%s\", want \"%s\"", v, width, buf, want);
    }
}

static void test_decimal1_half_even(void **state) {
    (void)state;
    /* Exact binary ties go to the even digit. */
    check_dec(0.25, 0, "0.2");
    check_dec(0.75, 0, "0.8");
    check_dec(1.25, 0, "1.2");
    check_dec(5.25, 0, "5.2");
    check_dec(3.75, 0, "3.8");
    check_dec(12.25, 0, "12.2");
    /* Decimal "ties" that are not binary ties follow the exact value. */
    check_dec(0.35, 0, "0.3");  /* 0.34999999999999997779... */
    check_dec(0.45, 0, "0.5");  /* 0.45000000000000001110... */
    check_dec(1.05, 0, "1.1");  /* 1.05000000000000004440... */
    check_dec(0.15, 0, "0.1");  /* 0.14999999999999999444... */
    check_dec(0.05, 0, "0.1");  /* 0.05000000000000000277... */
    check_dec(1.35, 0, "1.4");
    check_dec(7.35, 0, "7.3");
    check_dec(9.95, 0, "9.9");
    check_dec(0.045, 0, "0.0");
    check_dec(99999.95, 0, "99999.9");
    /* Plain rounding and carries. */
    check_dec(2.5, 0, "2.5");
    check_dec(9.96, 0, "10.0");
    check_dec(0.06, 0, "0.1");
    check_dec(0.04, 0, "0.0");
    check_dec(0.001, 0, "0.0");
    check_dec(1e-300, 0, "0.0");
    check_dec(2.3456, 0, "2.3");
    check_dec(123.456, 0, "123.5");
    check_dec(50000.123, 0, "50000.1");
    check_dec(0.0, 0, "0.0");
    check_dec(15.0, 0, "15.0");
}

static void test_decimal1_sign_and_width(void **state) {
    (void)state;
    check_dec(-0.0, 0, "-0.0");
    check_dec(-0.0, 4, "-0.0");
    check_dec(-0.04, 4, "-0.0"); /* rounds to zero, keeps its sign */
    check_dec(-1.25, 0, "-1.2");
    check_dec(-1.5, 7, "   -1.5");
    check_dec(0.0, 4, " 0.0");
    check_dec(0.0, 7, "    0.0");
    check_dec(5.0, 7, "    5.0");
    check_dec(12.5, 4, "12.5");
    check_dec(123.5, 4, "123.5");         /* wider than the minimum: not cut */
    check_dec(12345678.9, 7, "12345678.9");
    check_dec(NAN, 4, " NaN");
    check_dec(INFINITY, 4, "   \xE2\x88\x9E");  /* U+221E counts as one char */
    check_dec(-INFINITY, 4, "  -\xE2\x88\x9E");
}

static void test_decimal1_large(void **state) {
    (void)state;
    /* Java prints the shortest digits of the double, then zeros. */
    check_dec(1e7, 4, "10000000.0");
    check_dec(1e16, 0, "10000000000000000.0");
    check_dec(1e20, 7, "100000000000000000000.0");
    check_dec(1.2345678901234567e20, 0, "123456789012345670000.0");
    check_dec(1152921504606846976.0, 0, "1152921504606847000.0"); /* 2^60 */
    check_dec(9007199254740994.0, 0, "9007199254740994.0");
    check_dec(1000000000000000.25, 0, "1000000000000000.2");
    check_dec(123456789.25, 0, "123456789.2");
    check_dec(33333333.333333332, 0, "33333333.3");
}

static void test_decimal1_truncates_safely(void **state) {
    char buf[4];
    (void)state;
    ombc_format_decimal1(buf, sizeof(buf), 12345.5, 7);
    assert_string_equal(buf, "123");
}

/* ---- Double.toString ---- */

static void check_jd(double v, const char *want) {
    char buf[64];
    ombc_format_java_double(buf, sizeof(buf), v);
    if (strcmp(buf, want) != 0) {
        fail_msg("java_double(%.17g) = \"%s\", want \"%s\"", v, buf, want);
    }
}

static void test_java_double(void **state) {
    (void)state;
    check_jd(25000.0, "25000.0");
    check_jd(0.5, "0.5");
    check_jd(1.0e7, "1.0E7");
    check_jd(3.3333333333333336e7, "3.3333333333333336E7");
    check_jd(1.0e-4, "1.0E-4");
    check_jd(0.001, "0.001");
    check_jd(9999999.0, "9999999.0");
    check_jd(100.0, "100.0");
    check_jd(99.9013671875, "99.9013671875");
    check_jd(0.0, "0.0");
    check_jd(-1.5, "-1.5");
    check_jd(-0.0, "-0.0");
    check_jd(0.1, "0.1");
    check_jd(0.032, "0.032");
    check_jd(100.0 / 3.0, "33.333333333333336");
    check_jd(200.0 / 3.0, "66.66666666666667");
    check_jd(1.0 / 3.0, "0.3333333333333333");
    check_jd(1e8 / 3.0, "3.3333333333333332E7");
    check_jd(9.999999999999998e-4, "9.999999999999998E-4");
    check_jd(123456.789, "123456.789");
    check_jd(1.2345678e7, "1.2345678E7");
    check_jd(-2.5e-7, "-2.5E-7");
    check_jd(1e21, "1.0E21");
    check_jd(1e23, "1.0E23");                   /* shortest (Java 19+) */
    check_jd(1152921504606846976.0, "1.152921504606847E18");
    check_jd(1.7976931348623157e308, "1.7976931348623157E308");
    check_jd(4.9e-324, "4.9E-324");             /* two digits at least */
    check_jd(2.2250738585072014e-308, "2.2250738585072014E-308");
    check_jd(NAN, "NaN");
    check_jd(INFINITY, "Infinity");
    check_jd(-INFINITY, "-Infinity");
}

static void test_java_double_round_trips(void **state) {
    uint64_t x = 0x9E3779B97F4A7C15ULL;
    (void)state;
    for (int i = 0; i < 20000; i++) {
        char buf[64];
        double v, back;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        memcpy(&v, &x, sizeof(v));
        if (!isfinite(v)) {
            continue;
        }
        ombc_format_java_double(buf, sizeof(buf), v);
        back = strtod(buf, NULL);
        assert_memory_equal(&back, &v, sizeof(v));
        assert_non_null(strchr(buf, '.'));
    }
}

/* ---- log lines ---- */

static const struct ombc_period_figures line_figures = {
    .publish_rate = 50000.123,
    .publish_mib_s = 48.828,
    .error_rate = 0.0,
    .consume_rate = 49999.95,
    .consume_mib_s = 5.25,
    .backlog = 1500,
    .publish_latency = {.avg = 2345.6, .p50 = 2000, .p99 = 9999, .p999 = 12345, .max = 123456},
    .publish_delay = {.avg = 3.75, .p50 = 1, .p99 = 25, .p999 = 1000, .max = 65536},
};

static void test_period_line(void **state) {
    char buf[1024];
    (void)state;
    ombc_report_period_line(buf, sizeof(buf), &line_figures);
    assert_string_equal(buf,
                        "Pub rate 50000.1 msg/s / 48.8 MB/s | Pub err     0.0 err/s | "
                        "Cons rate 49999.9 msg/s /  5.2 MB/s | Backlog:  1.5 K | "
                        "Pub Latency (ms) avg:  2.3 - 50%:  2.0 - 99%: 10.0 - 99.9%: 12.3 - "
                        "Max: 123.5 | Pub Delay Latency (us) avg:  3.8 - 50%:  1.0 - 99%: 25.0 - "
                        "99.9%: 1000.0 - Max: 65536.0");
}

static void test_period_line_zero(void **state) {
    struct ombc_period_figures f;
    char buf[1024];
    (void)state;
    memset(&f, 0, sizeof(f));
    ombc_report_period_line(buf, sizeof(buf), &f);
    assert_string_equal(buf,
                        "Pub rate     0.0 msg/s /  0.0 MB/s | Pub err     0.0 err/s | "
                        "Cons rate     0.0 msg/s /  0.0 MB/s | Backlog:  0.0 K | "
                        "Pub Latency (ms) avg:  0.0 - 50%:  0.0 - 99%:  0.0 - 99.9%:  0.0 - "
                        "Max:  0.0 | Pub Delay Latency (us) avg:  0.0 - 50%:  0.0 - 99%:  0.0 - "
                        "99.9%:  0.0 - Max:  0.0");
}

static void test_period_line_truncates(void **state) {
    char buf[21];
    (void)state;
    ombc_report_period_line(buf, sizeof(buf), &line_figures);
    assert_string_equal(buf, "Pub rate 50000.1 msg");
}

static void test_aggregated_line(void **state) {
    const struct ombc_latency_stats pl = {.avg = 1234.5, .p50 = 1050, .p95 = 250, .p99 = 350,
                                          .p999 = 7350, .p9999 = 12250, .max = 45};
    const struct ombc_latency_stats pd = {.avg = 12.25, .p50 = 0, .p95 = 7, .p99 = 100,
                                          .p999 = 1000, .p9999 = 123456, .max = 9876543};
    char buf[1024];
    (void)state;
    ombc_report_aggregated_line(buf, sizeof(buf), &pl, &pd);
    assert_string_equal(buf,
                        "----- Aggregated Pub Latency (ms) avg:  1.2 - 50%:  1.1 - 95%:  0.2 - "
                        "99%:  0.3 - 99.9%:  7.3 - 99.99%: 12.2 - Max:  0.0 | "
                        "Pub Delay (us)  avg: 12.2 - 50%:  0.0 - 95%:  7.0 - 99%: 100.0 - "
                        "99.9%: 1000.0 - 99.99%: 123456.0 - Max: 9876543.0");
}

/* ---- JSON: exact layout ---- */

static struct ombc_quantile pl_items[] = {{50.0, 1000}, {99.9013671875, 5000}, {100.0, 60000000}};
static struct ombc_quantile e2e_items[] = {{0.032, 12000}, {100.0, 18000}};
static struct ombc_quantile resp_items[] = {{99.0, 2100}, {100.0, 52000}};

/* A tiny result filled by hand (no histograms), two periods. */
static void tiny_result(struct ombc_result *r) {
    struct ombc_period_sample s;

    assert_int_equal(ombc_result_init(r, "tiny", "Kafka"), 0);
    r->message_size = 100;
    r->topics = 1;
    r->partitions = 1;
    r->producers_per_topic = 1;
    r->consumers_per_topic = 1;

    memset(&s, 0, sizeof(s));
    s.publish_rate = 25000.0;
    s.publish_error_rate = 0.0;
    s.consume_rate = 25000.0;
    s.backlog = 0;
    s.publish_latency = (struct ombc_latency_stats){1500.0, 1000, 2000, 3000, 4000, 5000, 6000,
                                                    7000, 100};
    s.publish_delay = (struct ombc_latency_stats){2.5, 1, 2, 3, 4, 5, 6, 10, 100};
    s.end_to_end = (struct ombc_latency_stats){12000.0, 12000, 13000, 14000, 15000, 16000, 17000,
                                               18000, 100};
    s.publish_response = (struct ombc_latency_stats){1600.0, 1100, 2100, 3100, 4100, 5100, 6100,
                                                     7100, 100};
    assert_int_equal(ombc_result_add_period(r, &s), 0);

    memset(&s, 0, sizeof(s));
    s.publish_rate = 1.0e7;
    s.publish_error_rate = 0.5;
    s.consume_rate = 3.3333333333333336e7;
    s.backlog = 1500;
    s.publish_latency = (struct ombc_latency_stats){0.1, 1, 12, 123, 1234, 12345, 123456,
                                                    60000000, 100};
    assert_int_equal(ombc_result_add_period(r, &s), 0);

    r->agg_publish_latency = (struct ombc_latency_stats){750.05, 1000, 2000, 3000, 4000, 5000,
                                                         6000, 60000000, 100};
    r->agg_publish_delay = (struct ombc_latency_stats){1.25, 1, 2, 3, 4, 5, 6, 10, 100};
    r->agg_end_to_end = (struct ombc_latency_stats){6000.0, 12000, 13000, 14000, 15000, 16000,
                                                    17000, 18000, 100};
    r->agg_publish_response = (struct ombc_latency_stats){2599.0, 2100, 2100, 2100, 2100, 52000,
                                                          52000, 52000, 100};
    /* Borrowed static arrays: detached again before ombc_result_fini. */
    r->publish_latency_quantiles.items = pl_items;
    r->publish_latency_quantiles.count = 3;
    r->end_to_end_quantiles.items = e2e_items;
    r->end_to_end_quantiles.count = 2;
    r->publish_response_quantiles.items = resp_items;
    r->publish_response_quantiles.count = 2;
}

static void tiny_fini(struct ombc_result *r) {
    memset(&r->publish_latency_quantiles, 0, sizeof(r->publish_latency_quantiles));
    memset(&r->end_to_end_quantiles, 0, sizeof(r->end_to_end_quantiles));
    memset(&r->publish_response_quantiles, 0, sizeof(r->publish_response_quantiles));
    ombc_result_fini(r);
}

static const char tiny_json[] =
    "{\n"
    "  \"workload\" : \"tiny\",\n"
    "  \"driver\" : \"Kafka\",\n"
    "  \"messageSize\" : 100,\n"
    "  \"topics\" : 1,\n"
    "  \"partitions\" : 1,\n"
    "  \"producersPerTopic\" : 1,\n"
    "  \"consumersPerTopic\" : 1,\n"
    "  \"publishRate\" : [ 25000.0, 1.0E7 ],\n"
    "  \"publishErrorRate\" : [ 0.0, 0.5 ],\n"
    "  \"consumeRate\" : [ 25000.0, 3.3333333333333336E7 ],\n"
    "  \"backlog\" : [ 0, 1500 ],\n"
    "  \"publishLatencyAvg\" : [ 1.5, 1.0E-4 ],\n"
    "  \"publishLatency50pct\" : [ 1.0, 0.001 ],\n"
    "  \"publishLatency75pct\" : [ 2.0, 0.012 ],\n"
    "  \"publishLatency95pct\" : [ 3.0, 0.123 ],\n"
    "  \"publishLatency99pct\" : [ 4.0, 1.234 ],\n"
    "  \"publishLatency999pct\" : [ 5.0, 12.345 ],\n"
    "  \"publishLatency9999pct\" : [ 6.0, 123.456 ],\n"
    "  \"publishLatencyMax\" : [ 7.0, 60000.0 ],\n"
    "  \"publishDelayLatencyAvg\" : [ 2.5, null ],\n"
    "  \"publishDelayLatency50pct\" : [ 1, null ],\n"
    "  \"publishDelayLatency75pct\" : [ 2, null ],\n"
    "  \"publishDelayLatency95pct\" : [ 3, null ],\n"
    "  \"publishDelayLatency99pct\" : [ 4, 0 ],\n"
    "  \"publishDelayLatency999pct\" : [ 5, null ],\n"
    "  \"publishDelayLatency9999pct\" : [ 6, null ],\n"
    "  \"publishDelayLatencyMax\" : [ 10, null ],\n"
    "  \"aggregatedPublishLatencyAvg\" : 0.75005,\n"
    "  \"aggregatedPublishLatency50pct\" : 1.0,\n"
    "  \"aggregatedPublishLatency75pct\" : 2.0,\n"
    "  \"aggregatedPublishLatency95pct\" : 3.0,\n"
    "  \"aggregatedPublishLatency99pct\" : 4.0,\n"
    "  \"aggregatedPublishLatency999pct\" : 5.0,\n"
    "  \"aggregatedPublishLatency9999pct\" : 6.0,\n"
    "  \"aggregatedPublishLatencyMax\" : 60000.0,\n"
    "  \"aggregatedPublishDelayLatencyAvg\" : 1.25,\n"
    "  \"aggregatedPublishDelayLatency50pct\" : 1,\n"
    "  \"aggregatedPublishDelayLatency75pct\" : 2,\n"
    "  \"aggregatedPublishDelayLatency95pct\" : 3,\n"
    "  \"aggregatedPublishDelayLatency99pct\" : 4,\n"
    "  \"aggregatedPublishDelayLatency999pct\" : 5,\n"
    "  \"aggregatedPublishDelayLatency9999pct\" : 6,\n"
    "  \"aggregatedPublishDelayLatencyMax\" : 10,\n"
    "  \"aggregatedPublishLatencyQuantiles\" : {\n"
    "    \"50.0\" : 1.0,\n"
    "    \"99.9013671875\" : 5.0,\n"
    "    \"100.0\" : 60000.0\n"
    "  },\n"
    "  \"aggregatedPublishDelayLatencyQuantiles\" : { },\n"
    "  \"endToEndLatencyAvg\" : [ 12.0, 0.0 ],\n"
    "  \"endToEndLatency50pct\" : [ 12.0, null ],\n"
    "  \"endToEndLatency75pct\" : [ 13.0, null ],\n"
    "  \"endToEndLatency95pct\" : [ 14.0, 0.0 ],\n"
    "  \"endToEndLatency99pct\" : [ 15.0, null ],\n"
    "  \"endToEndLatency999pct\" : [ 16.0, null ],\n"
    "  \"endToEndLatency9999pct\" : [ 17.0, null ],\n"
    "  \"endToEndLatencyMax\" : [ 18.0, null ],\n"
    "  \"aggregatedEndToEndLatencyQuantiles\" : {\n"
    "    \"0.032\" : 12.0,\n"
    "    \"100.0\" : 18.0\n"
    "  },\n"
    "  \"aggregatedEndToEndLatencyAvg\" : 6.0,\n"
    "  \"aggregatedEndToEndLatency50pct\" : 12.0,\n"
    "  \"aggregatedEndToEndLatency75pct\" : 13.0,\n"
    "  \"aggregatedEndToEndLatency95pct\" : 14.0,\n"
    "  \"aggregatedEndToEndLatency99pct\" : 15.0,\n"
    "  \"aggregatedEndToEndLatency999pct\" : 16.0,\n"
    "  \"aggregatedEndToEndLatency9999pct\" : 17.0,\n"
    "  \"aggregatedEndToEndLatencyMax\" : 18.0,\n"
    "  \"publishResponseTimeAvg\" : [ 1.6, null ],\n"
    "  \"publishResponseTime50pct\" : [ 1.1, null ],\n"
    "  \"publishResponseTime75pct\" : [ 2.1, null ],\n"
    "  \"publishResponseTime95pct\" : [ 3.1, null ],\n"
    "  \"publishResponseTime99pct\" : [ 4.1, null ],\n"
    "  \"publishResponseTime999pct\" : [ 5.1, null ],\n"
    "  \"publishResponseTime9999pct\" : [ 6.1, null ],\n"
    "  \"publishResponseTimeMax\" : [ 7.1, null ],\n"
    "  \"aggregatedPublishResponseTimeAvg\" : 2.599,\n"
    "  \"aggregatedPublishResponseTime50pct\" : 2.1,\n"
    "  \"aggregatedPublishResponseTime75pct\" : 2.1,\n"
    "  \"aggregatedPublishResponseTime95pct\" : 2.1,\n"
    "  \"aggregatedPublishResponseTime99pct\" : 2.1,\n"
    "  \"aggregatedPublishResponseTime999pct\" : 52.0,\n"
    "  \"aggregatedPublishResponseTime9999pct\" : 52.0,\n"
    "  \"aggregatedPublishResponseTimeMax\" : 52.0,\n"
    "  \"aggregatedPublishResponseTimeQuantiles\" : {\n"
    "    \"99.0\" : 2.1,\n"
    "    \"100.0\" : 52.0\n"
    "  },\n"
    "  \"agentRestarts\" : 0\n"
    "}";

static void test_json_layout_exact(void **state) {
    struct ombc_result r;
    char *json;
    (void)state;

    tiny_result(&r);
    json = ombc_report_result_json(&r);
    assert_non_null(json);
    assert_string_equal(json, tiny_json);
    free(json);
    tiny_fini(&r);
}

/* Issue 14 item 5: the consumers' verdict is marked after OMB's fields. */
static void test_json_consumer_shortfall(void **state) {
    struct ombc_result r;
    (void)state;
    tiny_result(&r);
    char *json = ombc_report_result_json(&r);
    assert_null(strstr(json, "consumerShortfall"));
    free(json);
    r.consumers = OMBC_CONSUMERS_NOTHING;
    json = ombc_report_result_json(&r);
    assert_non_null(strstr(json, ",\n  \"consumerShortfall\" : \"receivedNothing\"\n}"));
    free(json);
    r.consumers = OMBC_CONSUMERS_FELL_BEHIND;
    json = ombc_report_result_json(&r);
    assert_non_null(strstr(json, "\"consumerShortfall\" : \"fellBehind\""));
    free(json);
    tiny_fini(&r);
}

/* ---- issue 14: shortfall causes, e2e in period events, the summary ---- */

static struct ombc_latency_stats lat(double avg_us) {
    return (struct ombc_latency_stats){.avg = avg_us, .p50 = (int64_t)avg_us,
                                       .p99 = (int64_t)avg_us, .max = (int64_t)avg_us,
                                       .count = 10};
}

static void test_shortfall_names_the_cause(void **state) {
    (void)state;
    char buf[512];
    struct ombc_period_figures f = {.publish_rate = 500.0};
    struct ombc_latency_stats prev_l = lat(2000), prev_d = lat(50);

    /* errors first */
    f.error_rate = 12.0;
    f.publish_latency = lat(2000);
    f.publish_delay = lat(50);
    assert_int_equal(ombc_report_shortfall(buf, sizeof(buf), 1000, &f, &prev_l, &prev_d),
                     OMBC_SHORTFALL_ERRORS);
    assert_non_null(strstr(buf, "Published 500.0 msg/s, 50.0% below the 1000.0 msg/s asked: "
                                "12.0 sends/s failed"));
    assert_null(strstr(buf, "bottleneck"));
    f.error_rate = 0;

    /* publish latency growing: the queue */
    f.publish_latency = lat(18800000);
    assert_int_equal(ombc_report_shortfall(buf, sizeof(buf), 1000, &f, &prev_l, &prev_d),
                     OMBC_SHORTFALL_QUEUE);
    assert_non_null(strstr(buf, "publish latency growing (avg 18800.000 ms, was 2.000 ms): the "
                                "broker or the client's queue is the limit"));
    /* high from the first period on */
    assert_int_equal(ombc_report_shortfall(buf, sizeof(buf), 1000, &f, NULL, NULL),
                     OMBC_SHORTFALL_QUEUE);
    assert_non_null(strstr(buf, "publish latency high (avg 18800.000 ms)"));

    /* delay growing, latency flat: ombc's CPU */
    f.publish_latency = lat(2100);
    f.publish_delay = lat(40000);
    assert_int_equal(ombc_report_shortfall(buf, sizeof(buf), 1000, &f, &prev_l, &prev_d),
                     OMBC_SHORTFALL_CPU);
    assert_non_null(strstr(buf, "publish delay growing (avg 40000 us, was 50 us) while publish "
                                "latency is flat (avg 2.100 ms): ombc's own CPU is the limit"));

    /* nothing moved: say so, no guess */
    f.publish_delay = lat(60);
    assert_int_equal(ombc_report_shortfall(buf, sizeof(buf), 1000, &f, &prev_l, &prev_d),
                     OMBC_SHORTFALL_UNCLEAR);
    assert_non_null(strstr(buf, "the figures show no cause"));
    assert_null(strchr(buf, '\n')); /* one line */
}

static void test_period_fields_end_to_end(void **state) {
    (void)state;
    char buf[4096];
    struct ombc_period_figures f = {.publish_rate = 10, .publish_latency = lat(1500),
                                    .publish_delay = lat(3), .end_to_end = lat(2500)};
    ombc_report_period_fields(buf, sizeof(buf), "test", &f);
    assert_non_null(strstr(buf, ",\"endToEndLatencyAvg\":2.5,\"endToEndLatency50pct\":2.5,"
                                "\"endToEndLatency99pct\":2.5,\"endToEndLatency999pct\":0.0,"
                                "\"endToEndLatencyMax\":2.5"));
    f.end_to_end = (struct ombc_latency_stats){0};
    ombc_report_period_fields(buf, sizeof(buf), "test", &f);
    assert_non_null(strstr(buf, ",\"endToEndLatencyAvg\":null,\"endToEndLatency50pct\":null,"));
    assert_non_null(strstr(buf, "\"publishLatency99pct\":1.5")); /* the rest unchanged */
}

static void test_summary(void **state) {
    (void)state;
    struct ombc_result r;
    char buf[2048], fields[1024];
    assert_int_equal(ombc_result_init(&r, "w", "d"), 0);
    struct ombc_period_sample s = {.publish_rate = 1000, .consume_rate = 0, .backlog = 1000};
    assert_int_equal(ombc_result_add_period(&r, &s), 0);
    s.publish_rate = 3000;
    s.backlog = 4000;
    assert_int_equal(ombc_result_add_period(&r, &s), 0);
    r.agg_publish_latency = lat(1500);
    r.agg_publish_delay = lat(7);
    ombc_result_judge_consumers(&r, 1);
    ombc_report_summary(buf, sizeof(buf), &r, true);
    assert_string_equal(buf,
                        "----- Summary of 2 periods: Pub rate 2000.0 msg/s | Cons rate 0.0 msg/s\n"
                        "----- Pub Latency (ms) 50%: 1.500 - 99%: 1.500 - Max: 1.500 | "
                        "Pub Delay (us) 50%: 7 - 99%: 7 - Max: 7\n"
                        "----- End-to-end Latency (ms) -\n"
                        "----- FAILED: the consumers received nothing: no end-to-end latency "
                        "was measured");
    ombc_report_summary_fields(fields, sizeof(fields), &r, true);
    assert_non_null(strstr(fields, "\"endToEndLatency99pct\":null"));
    assert_non_null(strstr(fields, "\"publishLatency99pct\":1.5"));
    assert_non_null(strstr(fields, "\"consumerShortfall\":\"receivedNothing\""));

    /* no consumers in the workload: said, and no failure */
    ombc_result_judge_consumers(&r, 0);
    r.incomplete = true;
    ombc_report_summary(buf, sizeof(buf), &r, false);
    assert_non_null(strstr(buf, "Summary of 2 periods (incomplete): "));
    assert_non_null(strstr(buf, "Cons rate - (no consumers)"));
    assert_non_null(strstr(buf, "End-to-end Latency (ms) - (no consumers)"));
    assert_null(strstr(buf, "FAILED"));
    ombc_result_fini(&r);
}

static const char empty_json[] =
    "{\n"
    "  \"workload\" : null,\n"
    "  \"driver\" : \"a \\\"b\\\" \\\\ \\t\\n\\u0001/\xC3\xA9\",\n"
    "  \"messageSize\" : 0,\n"
    "  \"topics\" : 0,\n"
    "  \"partitions\" : 0,\n"
    "  \"producersPerTopic\" : 0,\n"
    "  \"consumersPerTopic\" : 0,\n"
    "  \"publishRate\" : [ ],\n"
    "  \"publishErrorRate\" : [ ],\n"
    "  \"consumeRate\" : [ ],\n"
    "  \"backlog\" : [ ],\n"
    "  \"publishLatencyAvg\" : [ ],\n"
    "  \"publishLatency50pct\" : [ ],\n"
    "  \"publishLatency75pct\" : [ ],\n"
    "  \"publishLatency95pct\" : [ ],\n"
    "  \"publishLatency99pct\" : [ ],\n"
    "  \"publishLatency999pct\" : [ ],\n"
    "  \"publishLatency9999pct\" : [ ],\n"
    "  \"publishLatencyMax\" : [ ],\n"
    "  \"publishDelayLatencyAvg\" : [ ],\n"
    "  \"publishDelayLatency50pct\" : [ ],\n"
    "  \"publishDelayLatency75pct\" : [ ],\n"
    "  \"publishDelayLatency95pct\" : [ ],\n"
    "  \"publishDelayLatency99pct\" : [ ],\n"
    "  \"publishDelayLatency999pct\" : [ ],\n"
    "  \"publishDelayLatency9999pct\" : [ ],\n"
    "  \"publishDelayLatencyMax\" : [ ],\n"
    "  \"aggregatedPublishLatencyAvg\" : null,\n"
    "  \"aggregatedPublishLatency50pct\" : null,\n"
    "  \"aggregatedPublishLatency75pct\" : null,\n"
    "  \"aggregatedPublishLatency95pct\" : null,\n"
    "  \"aggregatedPublishLatency99pct\" : null,\n"
    "  \"aggregatedPublishLatency999pct\" : null,\n"
    "  \"aggregatedPublishLatency9999pct\" : null,\n"
    "  \"aggregatedPublishLatencyMax\" : null,\n"
    "  \"aggregatedPublishDelayLatencyAvg\" : \"NaN\",\n"
    "  \"aggregatedPublishDelayLatency50pct\" : 0,\n"
    "  \"aggregatedPublishDelayLatency75pct\" : 0,\n"
    "  \"aggregatedPublishDelayLatency95pct\" : 0,\n"
    "  \"aggregatedPublishDelayLatency99pct\" : 0,\n"
    "  \"aggregatedPublishDelayLatency999pct\" : 0,\n"
    "  \"aggregatedPublishDelayLatency9999pct\" : 0,\n"
    "  \"aggregatedPublishDelayLatencyMax\" : 0,\n"
    "  \"aggregatedPublishLatencyQuantiles\" : { },\n"
    "  \"aggregatedPublishDelayLatencyQuantiles\" : { },\n"
    "  \"endToEndLatencyAvg\" : [ ],\n"
    "  \"endToEndLatency50pct\" : [ ],\n"
    "  \"endToEndLatency75pct\" : [ ],\n"
    "  \"endToEndLatency95pct\" : [ ],\n"
    "  \"endToEndLatency99pct\" : [ ],\n"
    "  \"endToEndLatency999pct\" : [ ],\n"
    "  \"endToEndLatency9999pct\" : [ ],\n"
    "  \"endToEndLatencyMax\" : [ ],\n"
    "  \"aggregatedEndToEndLatencyQuantiles\" : { },\n"
    "  \"aggregatedEndToEndLatencyAvg\" : \"Infinity\",\n"
    "  \"aggregatedEndToEndLatency50pct\" : 0.0,\n"
    "  \"aggregatedEndToEndLatency75pct\" : 0.0,\n"
    "  \"aggregatedEndToEndLatency95pct\" : 0.0,\n"
    "  \"aggregatedEndToEndLatency99pct\" : 0.0,\n"
    "  \"aggregatedEndToEndLatency999pct\" : 0.0,\n"
    "  \"aggregatedEndToEndLatency9999pct\" : 0.0,\n"
    "  \"aggregatedEndToEndLatencyMax\" : 0.0,\n"
    "  \"publishResponseTimeAvg\" : [ ],\n"
    "  \"publishResponseTime50pct\" : [ ],\n"
    "  \"publishResponseTime75pct\" : [ ],\n"
    "  \"publishResponseTime95pct\" : [ ],\n"
    "  \"publishResponseTime99pct\" : [ ],\n"
    "  \"publishResponseTime999pct\" : [ ],\n"
    "  \"publishResponseTime9999pct\" : [ ],\n"
    "  \"publishResponseTimeMax\" : [ ],\n"
    "  \"aggregatedPublishResponseTimeAvg\" : null,\n"
    "  \"aggregatedPublishResponseTime50pct\" : null,\n"
    "  \"aggregatedPublishResponseTime75pct\" : null,\n"
    "  \"aggregatedPublishResponseTime95pct\" : null,\n"
    "  \"aggregatedPublishResponseTime99pct\" : null,\n"
    "  \"aggregatedPublishResponseTime999pct\" : null,\n"
    "  \"aggregatedPublishResponseTime9999pct\" : null,\n"
    "  \"aggregatedPublishResponseTimeMax\" : null,\n"
    "  \"aggregatedPublishResponseTimeQuantiles\" : { },\n"
    "  \"agentRestarts\" : 0\n"
    "}";

static void test_json_layout_empty(void **state) {
    struct ombc_result r;
    char *json;
    (void)state;

    /* No periods, empty maps, a null workload, a driver name needing
     * escapes, non-finite doubles written as strings. */
    assert_int_equal(ombc_result_init(&r, NULL, "a \"b\" \\ \t\n\x01/\xC3\xA9"), 0);
    r.agg_publish_delay.avg = NAN;
    r.agg_publish_delay.count = 1;
    r.agg_end_to_end.avg = INFINITY;
    r.agg_end_to_end.count = 1;
    /* the other two latencies have no samples: null, never 0 */
    json = ombc_report_result_json(&r);
    assert_non_null(json);
    assert_string_equal(json, empty_json);
    free(json);
    ombc_result_fini(&r);
}

/* ---- JSON: parse back a result built from histograms ---- */

static const char *const field_order[] = {
    "workload", "driver", "messageSize", "topics", "partitions", "producersPerTopic",
    "consumersPerTopic", "publishRate", "publishErrorRate", "consumeRate", "backlog",
    "publishLatencyAvg", "publishLatency50pct", "publishLatency75pct", "publishLatency95pct",
    "publishLatency99pct", "publishLatency999pct", "publishLatency9999pct", "publishLatencyMax",
    "publishDelayLatencyAvg", "publishDelayLatency50pct", "publishDelayLatency75pct",
    "publishDelayLatency95pct", "publishDelayLatency99pct", "publishDelayLatency999pct",
    "publishDelayLatency9999pct", "publishDelayLatencyMax", "aggregatedPublishLatencyAvg",
    "aggregatedPublishLatency50pct", "aggregatedPublishLatency75pct",
    "aggregatedPublishLatency95pct", "aggregatedPublishLatency99pct",
    "aggregatedPublishLatency999pct", "aggregatedPublishLatency9999pct",
    "aggregatedPublishLatencyMax", "aggregatedPublishDelayLatencyAvg",
    "aggregatedPublishDelayLatency50pct", "aggregatedPublishDelayLatency75pct",
    "aggregatedPublishDelayLatency95pct", "aggregatedPublishDelayLatency99pct",
    "aggregatedPublishDelayLatency999pct", "aggregatedPublishDelayLatency9999pct",
    "aggregatedPublishDelayLatencyMax", "aggregatedPublishLatencyQuantiles",
    "aggregatedPublishDelayLatencyQuantiles", "endToEndLatencyAvg", "endToEndLatency50pct",
    "endToEndLatency75pct", "endToEndLatency95pct", "endToEndLatency99pct",
    "endToEndLatency999pct", "endToEndLatency9999pct", "endToEndLatencyMax",
    "aggregatedEndToEndLatencyQuantiles", "aggregatedEndToEndLatencyAvg",
    "aggregatedEndToEndLatency50pct", "aggregatedEndToEndLatency75pct",
    "aggregatedEndToEndLatency95pct", "aggregatedEndToEndLatency99pct",
    "aggregatedEndToEndLatency999pct", "aggregatedEndToEndLatency9999pct",
    "aggregatedEndToEndLatencyMax",
    /* ombc's extensions follow OMB's fields */
    "publishResponseTimeAvg", "publishResponseTime50pct", "publishResponseTime75pct",
    "publishResponseTime95pct", "publishResponseTime99pct", "publishResponseTime999pct",
    "publishResponseTime9999pct", "publishResponseTimeMax", "aggregatedPublishResponseTimeAvg",
    "aggregatedPublishResponseTime50pct", "aggregatedPublishResponseTime75pct",
    "aggregatedPublishResponseTime95pct", "aggregatedPublishResponseTime99pct",
    "aggregatedPublishResponseTime999pct", "aggregatedPublishResponseTime9999pct",
    "aggregatedPublishResponseTimeMax", "aggregatedPublishResponseTimeQuantiles",
    "agentRestarts",
};
#define FIELD_COUNT (sizeof(field_order) / sizeof(field_order[0]))

/* The text after `"name" : ` up to the end of its line. */
static const char *raw_value(const char *json, const char *name, char *out, size_t size) {
    char key[96];
    const char *p, *e;
    size_t n;

    snprintf(key, sizeof(key), "\n  \"%s\" : ", name);
    p = strstr(json, key);
    assert_non_null(p);
    p += strlen(key);
    e = strchr(p, '\n');
    n = e ? (size_t)(e - p) : strlen(p);
    if (n >= size) {
        n = size - 1;
    }
    memcpy(out, p, n);
    out[n] = '\0';
    return out;
}

/* Longs are written without '.' or exponent; doubles always have one. */
static void check_number_kind(const char *json, const char *name, bool is_long) {
    char v[4096];
    raw_value(json, name, v, sizeof(v));
    if (is_long) {
        assert_null(strpbrk(v, ".E"));
    } else {
        /* every element of a double list is "d.d" or "d.dE.." */
        char *save = NULL;
        for (char *t = strtok_r(v, "[ ],", &save); t; t = strtok_r(NULL, "[ ],", &save)) {
            if (!strchr(t, '.')) {
                fail_msg("%s: \"%s\" has no fraction", name, t);
            }
        }
    }
}

static bool is_long_field(const char *name) {
    return ((strstr(name, "publishDelayLatency") || strstr(name, "PublishDelayLatency")) &&
            !strstr(name, "Avg") &&
            !strstr(name, "Quantiles")) ||
           !strcmp(name, "backlog") || !strcmp(name, "messageSize") || !strcmp(name, "topics") ||
           !strcmp(name, "partitions") || !strcmp(name, "producersPerTopic") ||
           !strcmp(name, "consumersPerTopic") || !strcmp(name, "agentRestarts");
}

static void check_map(const cJSON *m, const struct ombc_quantile_map *q, bool ms) {
    const cJSON *it;
    size_t i = 0;
    double prev = -1.0;

    assert_true(cJSON_IsObject(m));
    assert_int_equal(cJSON_GetArraySize(m), q->count);
    cJSON_ArrayForEach(it, m) {
        double key = strtod(it->string, NULL);
        assert_true(key > prev);
        prev = key;
        assert_true(key == q->items[i].percentile);
        assert_true(cJSON_IsNumber(it));
        if (ms) {
            assert_true(it->valuedouble == (double)q->items[i].value / 1000.0);
        } else {
            assert_true(it->valuedouble == (double)q->items[i].value);
        }
        if (!it->next) {
            assert_string_equal(it->string, "100.0");
        }
        i++;
    }
}

static void test_json_parse_back(void **state) {
    struct ombc_hist p, d, e, rt, cp, cd, ce, crt;
    struct ombc_result r;
    const cJSON *it;
    cJSON *root;
    char *json;
    size_t i = 0;
    (void)state;

    assert_int_equal(ombc_hist_init(&cp, 1, 60000000, 5), 0);
    assert_int_equal(ombc_hist_init(&cd, 1, 60000000, 5), 0);
    assert_int_equal(ombc_hist_init(&ce, 1, 43200000000LL, 5), 0);
    assert_int_equal(ombc_hist_init(&crt, 1, 60000000, 5), 0);
    assert_int_equal(ombc_result_init(&r, "1 topic / 1 partition / 1kb", "Kafka"), 0);
    r.message_size = 1024;
    r.topics = 1;
    r.partitions = 1;
    r.producers_per_topic = 1;
    r.consumers_per_topic = 1;
    for (int k = 0; k < 2; k++) {
        struct ombc_period_sample s;
        assert_int_equal(ombc_hist_init(&p, 1, 60000000, 5), 0);
        assert_int_equal(ombc_hist_init(&d, 1, 60000000, 5), 0);
        assert_int_equal(ombc_hist_init(&e, 1, 43200000000LL, 5), 0);
        assert_int_equal(ombc_hist_init(&rt, 1, 60000000, 5), 0);
        for (int64_t v = 1; v <= 200; v++) {
            int64_t lat = 1000 + v * 37 * (k + 1), dly = v % 7, e2e = (v % 5 + 1) * 1000;
            ombc_hist_record(&p, lat);
            ombc_hist_record(&cp, lat);
            ombc_hist_record(&d, dly);
            ombc_hist_record(&cd, dly);
            ombc_hist_record(&e, e2e);
            ombc_hist_record(&ce, e2e);
            ombc_hist_record(&rt, dly + lat); /* each message's response time */
            ombc_hist_record(&crt, dly + lat);
        }
        s.publish_rate = 200 / 10.001;
        s.publish_error_rate = k;
        s.consume_rate = 199 / 10.001;
        s.backlog = 1 + k;
        ombc_latency_stats_of(&s.publish_latency, &p);
        ombc_latency_stats_of(&s.publish_delay, &d);
        ombc_latency_stats_of(&s.end_to_end, &e);
        ombc_latency_stats_of(&s.publish_response, &rt);
        assert_int_equal(ombc_result_add_period(&r, &s), 0);
        ombc_hist_fini(&p);
        ombc_hist_fini(&d);
        ombc_hist_fini(&e);
        ombc_hist_fini(&rt);
    }
    assert_int_equal(ombc_result_set_aggregated(&r, &cp, &cd, &ce, &crt), 0);

    json = ombc_report_result_json(&r);
    assert_non_null(json);
    assert_int_not_equal(json[strlen(json) - 1], '\n');
    root = cJSON_Parse(json);
    assert_non_null(root);

    /* Every field of 5.1, in order, with its JSON type and number kind. */
    cJSON_ArrayForEach(it, root) {
        assert_true(i < FIELD_COUNT);
        assert_string_equal(it->string, field_order[i]);
        if (i < 2) {
            assert_true(cJSON_IsString(it));
        } else if (strstr(it->string, "Quantiles")) {
            assert_true(cJSON_IsObject(it));
        } else if (cJSON_IsArray(it)) {
            assert_int_equal(cJSON_GetArraySize(it), 2);
            check_number_kind(json, it->string, is_long_field(it->string));
        } else {
            assert_true(cJSON_IsNumber(it));
            check_number_kind(json, it->string, is_long_field(it->string));
        }
        i++;
    }
    assert_int_equal(i, FIELD_COUNT);
    assert_string_equal(cJSON_GetObjectItem(root, "workload")->valuestring,
                        "1 topic / 1 partition / 1kb");
    assert_int_equal(cJSON_GetObjectItem(root, "messageSize")->valuedouble, 1024);

    /* Units: ms = us / 1000.0 for publish and e2e, raw us for the delay. */
    for (int k = 0; k < 2; k++) {
        const struct ombc_period_sample *s = &r.periods[k];
#define AT(name) cJSON_GetArrayItem(cJSON_GetObjectItem(root, name), k)->valuedouble
        assert_true(AT("publishRate") == s->publish_rate);
        assert_true(AT("publishErrorRate") == (double)k);
        assert_true(AT("backlog") == (double)(1 + k));
        assert_true(AT("publishLatencyAvg") == s->publish_latency.avg / 1000.0);
        assert_true(AT("publishLatency50pct") == (double)s->publish_latency.p50 / 1000.0);
        assert_true(AT("publishLatency9999pct") == (double)s->publish_latency.p9999 / 1000.0);
        assert_true(AT("publishLatencyMax") == (double)s->publish_latency.max / 1000.0);
        assert_true(AT("publishDelayLatencyAvg") == s->publish_delay.avg);
        assert_true(AT("publishDelayLatency75pct") == (double)s->publish_delay.p75);
        assert_true(AT("publishDelayLatencyMax") == (double)s->publish_delay.max);
        assert_true(AT("endToEndLatencyAvg") == s->end_to_end.avg / 1000.0);
        assert_true(AT("endToEndLatency95pct") == (double)s->end_to_end.p95 / 1000.0);
        assert_true(AT("endToEndLatencyMax") == (double)s->end_to_end.max / 1000.0);
        assert_true(AT("publishResponseTimeAvg") == s->publish_response.avg / 1000.0);
        assert_true(AT("publishResponseTime50pct") == (double)s->publish_response.p50 / 1000.0);
        assert_true(AT("publishResponseTime99pct") == (double)s->publish_response.p99 / 1000.0);
        assert_true(AT("publishResponseTimeMax") == (double)s->publish_response.max / 1000.0);
        /* delay + latency >= latency, message by message */
        assert_true(AT("publishResponseTime99pct") >= AT("publishLatency99pct"));
        assert_true(AT("publishResponseTimeMax") >= AT("publishLatencyMax"));
#undef AT
    }
    assert_true(r.periods[1].publish_latency.max > 7000);
    assert_true(cJSON_GetObjectItem(root, "aggregatedPublishLatencyAvg")->valuedouble ==
                r.agg_publish_latency.avg / 1000.0);
    assert_true(cJSON_GetObjectItem(root, "aggregatedPublishLatency99pct")->valuedouble ==
                (double)r.agg_publish_latency.p99 / 1000.0);
    assert_true(cJSON_GetObjectItem(root, "aggregatedPublishDelayLatencyAvg")->valuedouble ==
                r.agg_publish_delay.avg);
    assert_true(cJSON_GetObjectItem(root, "aggregatedPublishDelayLatencyMax")->valuedouble ==
                (double)r.agg_publish_delay.max);
    assert_true(cJSON_GetObjectItem(root, "aggregatedEndToEndLatencyMax")->valuedouble == 5.0);
    assert_true(cJSON_GetObjectItem(root, "aggregatedPublishResponseTimeAvg")->valuedouble ==
                r.agg_publish_response.avg / 1000.0);
    assert_true(cJSON_GetObjectItem(root, "aggregatedPublishResponseTime99pct")->valuedouble ==
                (double)r.agg_publish_response.p99 / 1000.0);
    assert_true(cJSON_GetObjectItem(root, "aggregatedPublishResponseTime99pct")->valuedouble >=
                cJSON_GetObjectItem(root, "aggregatedPublishLatency99pct")->valuedouble);
    assert_true(cJSON_GetObjectItem(root, "aggregatedPublishResponseTimeMax")->valuedouble ==
                (double)r.agg_publish_response.max / 1000.0);

    assert_true(r.publish_latency_quantiles.count > 10);
    check_map(cJSON_GetObjectItem(root, "aggregatedPublishLatencyQuantiles"),
              &r.publish_latency_quantiles, true);
    check_map(cJSON_GetObjectItem(root, "aggregatedPublishDelayLatencyQuantiles"),
              &r.publish_delay_quantiles, false);
    check_map(cJSON_GetObjectItem(root, "aggregatedEndToEndLatencyQuantiles"),
              &r.end_to_end_quantiles, true);
    assert_true(r.publish_response_quantiles.count > 10);
    check_map(cJSON_GetObjectItem(root, "aggregatedPublishResponseTimeQuantiles"),
              &r.publish_response_quantiles, true);
    /* 80 of 400 e2e samples are 1 ms: the first key is 20.0, value 1.0 ms. */
    assert_non_null(strstr(json, "\"aggregatedEndToEndLatencyQuantiles\" : {\n"
                                 "    \"20.0\" : 1.0,\n"));

    cJSON_Delete(root);
    free(json);

    /* The optional extensions: an incomplete run and a delivery check. */
    r.agent_restarts = 2;
    r.incomplete = true;
    r.delivery = (struct ombc_delivery){.checked = true, .sent = 7, .expected = 14,
                                        .received = 13};
    json = ombc_report_result_json(&r);
    assert_non_null(json);
    assert_non_null(strstr(json, "\"aggregatedPublishResponseTimeQuantiles\" : {\n"));
    assert_non_null(strstr(json, "\n  },\n"
                                 "  \"agentRestarts\" : 2,\n"
                                 "  \"incomplete\" : true,\n"
                                 "  \"deliveryCheck\" : {\n"
                                 "    \"messagesSent\" : 7,\n"
                                 "    \"messagesExpected\" : 14,\n"
                                 "    \"messagesReceived\" : 13\n"
                                 "  }\n}"));
    root = cJSON_Parse(json);
    assert_non_null(root);
    cJSON_Delete(root);
    free(json);
    ombc_result_fini(&r);
    ombc_hist_fini(&cp);
    ombc_hist_fini(&cd);
    ombc_hist_fini(&ce);
    ombc_hist_fini(&crt);
}

/* ---- JSON: publish response time from known histograms ---- */

/* Each message waits 100 us past its intended send time (publish delay) and
 * is acknowledged 2 ms after it is sent (publish latency): its response time
 * is 2.1 ms, written in ms as publish latency is. */
static void test_json_publish_response_units(void **state) {
    struct ombc_hist pl, pd, e2e, resp;
    struct ombc_period_sample s;
    struct ombc_result r;
    char v[256];
    char *json;
    cJSON *root;
    (void)state;

    assert_int_equal(ombc_hist_init(&pl, 1, 60000000, 5), 0);
    assert_int_equal(ombc_hist_init(&pd, 1, 60000000, 5), 0);
    assert_int_equal(ombc_hist_init(&e2e, 1, 43200000000LL, 5), 0);
    assert_int_equal(ombc_hist_init(&resp, 1, 60000000, 5), 0);
    for (int i = 0; i < 10; i++) {
        assert_true(ombc_hist_record(&pd, 100));
        assert_true(ombc_hist_record(&pl, 2000));
        assert_true(ombc_hist_record(&resp, 100 + 2000));
    }
    assert_int_equal(ombc_result_init(&r, "w", "d"), 0);
    memset(&s, 0, sizeof(s));
    ombc_latency_stats_of(&s.publish_latency, &pl);
    ombc_latency_stats_of(&s.publish_delay, &pd);
    ombc_latency_stats_of(&s.end_to_end, &e2e);
    ombc_latency_stats_of(&s.publish_response, &resp);
    assert_int_equal(ombc_result_add_period(&r, &s), 0);
    assert_int_equal(ombc_result_set_aggregated(&r, &pl, &pd, &e2e, &resp), 0);
    json = ombc_report_result_json(&r);
    assert_non_null(json);

    assert_string_equal(raw_value(json, "publishLatency99pct", v, sizeof(v)), "[ 2.0 ],");
    assert_string_equal(raw_value(json, "publishDelayLatency99pct", v, sizeof(v)), "[ 100 ],");
    assert_string_equal(raw_value(json, "publishResponseTimeAvg", v, sizeof(v)), "[ 2.1 ],");
    assert_string_equal(raw_value(json, "publishResponseTime50pct", v, sizeof(v)), "[ 2.1 ],");
    assert_string_equal(raw_value(json, "publishResponseTime9999pct", v, sizeof(v)), "[ 2.1 ],");
    assert_string_equal(raw_value(json, "publishResponseTimeMax", v, sizeof(v)), "[ 2.1 ],");
    assert_string_equal(raw_value(json, "aggregatedPublishLatency99pct", v, sizeof(v)), "2.0,");
    assert_string_equal(raw_value(json, "aggregatedPublishDelayLatency99pct", v, sizeof(v)),
                        "100,");
    assert_string_equal(raw_value(json, "aggregatedPublishResponseTimeAvg", v, sizeof(v)),
                        "2.1,");
    assert_string_equal(raw_value(json, "aggregatedPublishResponseTime99pct", v, sizeof(v)),
                        "2.1,");
    assert_string_equal(raw_value(json, "aggregatedPublishResponseTimeMax", v, sizeof(v)),
                        "2.1,");
    assert_non_null(strstr(json, "\n  \"aggregatedPublishResponseTimeQuantiles\" : {\n"
                                 "    \"100.0\" : 2.1\n"
                                 "  },\n"
                                 "  \"agentRestarts\" : 0\n}"));
    /* OMB's fields are all there, unchanged, before the extensions. */
    assert_true(strstr(json, "\"aggregatedEndToEndLatencyMax\"") <
                strstr(json, "\"publishResponseTimeAvg\""));
    root = cJSON_Parse(json);
    assert_non_null(root);
    assert_true(cJSON_GetObjectItem(root, "aggregatedPublishResponseTime99pct")->valuedouble ==
                2.1);
    cJSON_Delete(root);
    free(json);
    ombc_result_fini(&r);
    ombc_hist_fini(&pl);
    ombc_hist_fini(&pd);
    ombc_hist_fini(&e2e);
    ombc_hist_fini(&resp);
}

/* ---- writing the file ---- */

static char *read_text(const char *path) {
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static int count_entries(const char *dir) {
    DIR *d = opendir(dir);
    struct dirent *de;
    int n = 0;

    assert_non_null(d);
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0) {
            n++;
        }
    }
    closedir(d);
    return n;
}

static void test_write_result(void **state) {
    char dir[] = "/tmp/ombc-test-report-XXXXXX";
    char path[256], err[256];
    struct ombc_result r;
    struct stat st;
    char *text;
    (void)state;

    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/result.json", dir);
    tiny_result(&r);

    /* An older file at path is replaced as a whole. */
    text = (char *)"old contents that are longer than nothing";
    {
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs(text, f);
        fclose(f);
    }
    err[0] = '\0';
    assert_int_equal(ombc_report_write_result(&r, path, err, sizeof(err)), 0);
    assert_string_equal(err, "");
    text = read_text(path);
    assert_string_equal(text, tiny_json);
    free(text);
    assert_int_equal(stat(path, &st), 0);
    assert_true(S_ISREG(st.st_mode));
    assert_int_equal(count_entries(dir), 1); /* no temporary file left */

    assert_int_equal(unlink(path), 0);
    assert_int_equal(rmdir(dir), 0);
    tiny_fini(&r);
}

static void test_write_result_unwritable(void **state) {
    const char *path = "/nonexistent-ombc-dir/sub/result.json";
    struct ombc_result r;
    char err[256];
    (void)state;

    tiny_result(&r);
    assert_int_equal(ombc_report_write_result(&r, path, err, sizeof(err)), OMBC_EIO);
    assert_string_equal(err, "cannot write /nonexistent-ombc-dir/sub/result.json: "
                             "No such file or directory");
    /* errstr may be NULL */
    assert_int_equal(ombc_report_write_result(&r, path, NULL, 0), OMBC_EIO);
    tiny_fini(&r);
}

static void test_write_result_onto_directory(void **state) {
    char dir[] = "/tmp/ombc-test-report-XXXXXX";
    char path[256], want[320], err[320];
    struct ombc_result r;
    (void)state;

    /* The temporary file is written, the rename fails: it must not stay. */
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/target", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    tiny_result(&r);
    assert_int_equal(ombc_report_write_result(&r, path, err, sizeof(err)), OMBC_EIO);
    snprintf(want, sizeof(want), "cannot write %s: Is a directory", path);
    assert_string_equal(err, want);
    assert_int_equal(count_entries(dir), 1);
    assert_int_equal(rmdir(path), 0);
    assert_int_equal(rmdir(dir), 0);
    tiny_fini(&r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decimal1_half_even),
        cmocka_unit_test(test_decimal1_sign_and_width),
        cmocka_unit_test(test_decimal1_large),
        cmocka_unit_test(test_decimal1_truncates_safely),
        cmocka_unit_test(test_java_double),
        cmocka_unit_test(test_java_double_round_trips),
        cmocka_unit_test(test_period_line),
        cmocka_unit_test(test_period_line_zero),
        cmocka_unit_test(test_period_line_truncates),
        cmocka_unit_test(test_aggregated_line),
        cmocka_unit_test(test_json_layout_exact),
        cmocka_unit_test(test_json_layout_empty),
        cmocka_unit_test(test_json_consumer_shortfall),
        cmocka_unit_test(test_shortfall_names_the_cause),
        cmocka_unit_test(test_period_fields_end_to_end),
        cmocka_unit_test(test_summary),
        cmocka_unit_test(test_json_parse_back),
        cmocka_unit_test(test_json_publish_response_units),
        cmocka_unit_test(test_write_result),
        cmocka_unit_test(test_write_result_unwritable),
        cmocka_unit_test(test_write_result_onto_directory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
