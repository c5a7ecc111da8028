/*
 * test_result: unit tests of src/stats/result.c — the latency statistics of a
 * histogram, OMB's quantile maps (OMB-REFERENCE.md 5.2, 6.6) and the result
 * lifecycle. Uses the real hdr.c; no I/O.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/err.h"
#include "stats/hdr.h"
#include "stats/result.h"

static void hist_new(struct ombc_hist *h) {
    assert_int_equal(ombc_hist_init(h, 1, 60000000, 5), 0);
}

static void test_stats_exact_values(void **state) {
    struct ombc_hist h;
    struct ombc_latency_stats s;
    (void)state;

    hist_new(&h);
    for (int64_t v = 1; v <= 100; v++) {
        assert_true(ombc_hist_record(&h, v));
    }
    ombc_latency_stats_of(&s, &h);
    assert_true(s.avg == 50.5);
    assert_int_equal(s.p50, 50);
    assert_int_equal(s.p75, 75);
    assert_int_equal(s.p95, 95);
    assert_int_equal(s.p99, 99);
    assert_int_equal(s.p999, 100);
    assert_int_equal(s.p9999, 100);
    assert_int_equal(s.max, 100);
    ombc_hist_fini(&h);
}

static void test_stats_bucket_bounds(void **state) {
    struct ombc_hist h;
    struct ombc_latency_stats s;
    (void)state;

    /* 1 000 000 lies in a bucket of width 4 ([1000000, 1000003]) with 5
     * digits: percentiles and max report the upper bound, the mean the
     * median equivalent (6.5). */
    hist_new(&h);
    assert_true(ombc_hist_record(&h, 1000000));
    ombc_latency_stats_of(&s, &h);
    assert_int_equal(s.p50, 1000003);
    assert_int_equal(s.p9999, 1000003);
    assert_int_equal(s.max, 1000003);
    assert_true(s.avg == 1000002.0);
    ombc_hist_fini(&h);
}

static void test_stats_empty(void **state) {
    struct ombc_hist h;
    struct ombc_latency_stats s;
    (void)state;

    hist_new(&h);
    memset(&s, 0xff, sizeof(s));
    ombc_latency_stats_of(&s, &h);
    assert_true(s.avg == 0.0);
    assert_int_equal(s.p50, 0);
    assert_int_equal(s.p99, 0);
    assert_int_equal(s.p9999, 0);
    assert_int_equal(s.max, 0);
    /* no samples: the latency is absent, not 0 */
    assert_int_equal(s.count, 0);
    assert_false(ombc_latency_present(&s));
    assert_true(ombc_hist_record(&h, 7));
    ombc_latency_stats_of(&s, &h);
    assert_int_equal(s.count, 1);
    assert_true(ombc_latency_present(&s));
    ombc_hist_fini(&h);
}

static void test_quantile_map_empty(void **state) {
    struct ombc_hist h;
    struct ombc_quantile_map m;
    (void)state;

    hist_new(&h);
    assert_int_equal(ombc_quantile_map_of(&m, &h), 0);
    assert_int_equal(m.count, 0);
    ombc_quantile_map_fini(&m);
    ombc_quantile_map_fini(&m); /* idempotent */
    ombc_hist_fini(&h);
}

static void test_quantile_map_collapses_steps(void **state) {
    struct ombc_hist h;
    struct ombc_quantile_map m;
    (void)state;

    /* 1 once, 2 three times: the iteration emits (1, 25.0) for every level
     * from 0 to 25, then (2, 100.0) and the final 100% step; the sorted map
     * keeps one entry per cumulative percentile. */
    hist_new(&h);
    assert_true(ombc_hist_record(&h, 1));
    assert_true(ombc_hist_record_n(&h, 2, 3));
    assert_int_equal(ombc_quantile_map_of(&m, &h), 0);
    assert_int_equal(m.count, 2);
    assert_true(m.items[0].percentile == 25.0);
    assert_int_equal(m.items[0].value, 1);
    assert_true(m.items[1].percentile == 100.0);
    assert_int_equal(m.items[1].value, 2);
    ombc_quantile_map_fini(&m);
    ombc_hist_fini(&h);
}

static void test_quantile_map_actual_percentiles(void **state) {
    struct ombc_hist h;
    struct ombc_quantile_map m;
    (void)state;

    /* Keys are 100.0 * cum / total, not the tick levels. */
    hist_new(&h);
    assert_true(ombc_hist_record(&h, 1));
    assert_true(ombc_hist_record(&h, 2));
    assert_true(ombc_hist_record(&h, 3));
    assert_int_equal(ombc_quantile_map_of(&m, &h), 0);
    assert_int_equal(m.count, 3);
    assert_true(m.items[0].percentile == 100.0 * 1.0 / 3.0);
    assert_true(m.items[1].percentile == 100.0 * 2.0 / 3.0);
    assert_true(m.items[2].percentile == 100.0);
    assert_int_equal(m.items[0].value, 1);
    assert_int_equal(m.items[1].value, 2);
    assert_int_equal(m.items[2].value, 3);
    ombc_quantile_map_fini(&m);
    ombc_hist_fini(&h);
}

static void test_quantile_map_large(void **state) {
    struct ombc_hist h;
    struct ombc_quantile_map m;
    uint64_t x = 88172645463325252ULL;
    (void)state;

    hist_new(&h);
    for (int i = 0; i < 100000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        assert_true(ombc_hist_record(&h, 1 + (int64_t)(x % 5000000)));
    }
    assert_int_equal(ombc_quantile_map_of(&m, &h), 0);
    assert_true(m.count > 100);
    for (size_t i = 1; i < m.count; i++) {
        assert_true(m.items[i - 1].percentile < m.items[i].percentile);
        assert_true(m.items[i - 1].value <= m.items[i].value);
    }
    assert_true(m.items[0].percentile > 0.0);
    assert_true(m.items[m.count - 1].percentile == 100.0);
    assert_int_equal(m.items[m.count - 1].value, ombc_hist_max(&h));
    ombc_quantile_map_fini(&m);
    ombc_hist_fini(&h);
}

static void test_result_lifecycle(void **state) {
    struct ombc_result r;
    struct ombc_period_sample s;
    (void)state;

    assert_int_equal(ombc_result_init(&r, "1 topic / 1 partition", "Kafka"), 0);
    assert_string_equal(r.workload, "1 topic / 1 partition");
    assert_string_equal(r.driver, "Kafka");
    assert_int_equal(r.period_count, 0);
    assert_null(r.periods);

    memset(&s, 0, sizeof(s));
    for (int i = 0; i < 100; i++) {
        s.publish_rate = i * 10.0;
        s.backlog = i;
        s.end_to_end.max = 1000 * i;
        assert_int_equal(ombc_result_add_period(&r, &s), 0);
    }
    assert_int_equal(r.period_count, 100);
    assert_true(r.period_cap >= 100);
    for (int i = 0; i < 100; i++) {
        assert_true(r.periods[i].publish_rate == i * 10.0);
        assert_int_equal(r.periods[i].backlog, i);
        assert_int_equal(r.periods[i].end_to_end.max, 1000 * i);
    }
    ombc_result_fini(&r);
    assert_null(r.workload);
    assert_null(r.periods);
    assert_int_equal(r.period_count, 0);
    ombc_result_fini(&r); /* safe twice */
}

static void test_result_null_workload(void **state) {
    struct ombc_result r;
    (void)state;

    assert_int_equal(ombc_result_init(&r, NULL, "Redis"), 0);
    assert_null(r.workload);
    assert_string_equal(r.driver, "Redis");
    ombc_result_fini(&r);
}

static void test_result_set_aggregated(void **state) {
    struct ombc_hist pl, pd, e2e, resp;
    struct ombc_result r;
    (void)state;

    hist_new(&pl);
    hist_new(&pd);
    hist_new(&e2e);
    hist_new(&resp);
    for (int64_t v = 1; v <= 100; v++) {
        assert_true(ombc_hist_record(&pl, v * 100));
    }
    assert_true(ombc_hist_record(&pd, 7));
    /* e2e and response time left empty */
    assert_int_equal(ombc_result_init(&r, "w", "d"), 0);
    assert_int_equal(ombc_result_set_aggregated(&r, &pl, &pd, &e2e, &resp), 0);
    assert_int_equal(r.agg_publish_latency.p50, 5000);
    assert_int_equal(r.agg_publish_latency.max, 10000);
    assert_true(r.agg_publish_latency.avg == 5050.0);
    assert_int_equal(r.agg_publish_delay.p99, 7);
    assert_true(r.agg_end_to_end.avg == 0.0);
    assert_true(r.agg_publish_response.avg == 0.0);
    assert_int_equal(r.agg_publish_response.max, 0);
    assert_int_equal(r.publish_latency_quantiles.count, 100);
    assert_int_equal(r.publish_delay_quantiles.count, 1);
    assert_true(r.publish_delay_quantiles.items[0].percentile == 100.0);
    assert_int_equal(r.publish_delay_quantiles.items[0].value, 7);
    assert_int_equal(r.end_to_end_quantiles.count, 0);
    assert_int_equal(r.publish_response_quantiles.count, 0);

    /* Setting again replaces (and frees) the previous maps. */
    assert_true(ombc_hist_record(&e2e, 3000));
    assert_true(ombc_hist_record(&resp, 3007));
    assert_int_equal(ombc_result_set_aggregated(&r, &pl, &pd, &e2e, &resp), 0);
    assert_int_equal(r.end_to_end_quantiles.count, 1);
    assert_int_equal(r.agg_end_to_end.max, 3000);
    assert_int_equal(r.publish_response_quantiles.count, 1);
    assert_int_equal(r.agg_publish_response.max, 3007);

    ombc_result_fini(&r);
    assert_null(r.publish_response_quantiles.items);
    ombc_hist_fini(&pl);
    ombc_hist_fini(&pd);
    ombc_hist_fini(&e2e);
    ombc_hist_fini(&resp);
}

/* ombc's publish response time is its own histogram, kept in us like the
 * others: each message's delay + latency, from the intended send time. */
static void test_result_publish_response(void **state) {
    struct ombc_hist pl, pd, e2e, resp;
    struct ombc_period_sample s;
    struct ombc_result r;
    (void)state;

    hist_new(&pl);
    hist_new(&pd);
    hist_new(&e2e);
    hist_new(&resp);
    /* 99 messages sent on time (delay 100 us, latency 2 ms: response
     * 2.1 ms); one sent 50 ms late with the same latency: response 52 ms. */
    for (int i = 0; i < 99; i++) {
        assert_true(ombc_hist_record(&pd, 100));
        assert_true(ombc_hist_record(&pl, 2000));
        assert_true(ombc_hist_record(&resp, 100 + 2000));
    }
    assert_true(ombc_hist_record(&pd, 50000));
    assert_true(ombc_hist_record(&pl, 2000));
    assert_true(ombc_hist_record(&resp, 50000 + 2000));

    memset(&s, 0, sizeof(s));
    ombc_latency_stats_of(&s.publish_response, &resp);
    assert_int_equal(ombc_result_init(&r, "w", "d"), 0);
    assert_int_equal(ombc_result_add_period(&r, &s), 0);
    assert_int_equal(r.periods[0].publish_response.p50, 2100);
    assert_int_equal(r.periods[0].publish_response.p99, 2100);
    assert_int_equal(r.periods[0].publish_response.max, 52000); /* exact below 2^18 */

    assert_int_equal(ombc_result_set_aggregated(&r, &pl, &pd, &e2e, &resp), 0);
    /* Publish latency alone misses the late message; response time shows it. */
    assert_int_equal(r.agg_publish_latency.max, 2000);
    assert_int_equal(r.agg_publish_response.p50, 2100);
    assert_int_equal(r.agg_publish_response.p99, 2100);
    assert_int_equal(r.agg_publish_response.p999, 52000);
    assert_int_equal(r.agg_publish_response.max, 52000);
    assert_true(r.agg_publish_response.avg == (99.0 * 2100 + 52000) / 100.0);
    assert_int_equal(r.publish_response_quantiles.count, 2);
    assert_true(r.publish_response_quantiles.items[0].percentile == 99.0);
    assert_int_equal(r.publish_response_quantiles.items[0].value, 2100);
    assert_true(r.publish_response_quantiles.items[1].percentile == 100.0);
    assert_int_equal(r.publish_response_quantiles.items[1].value, 52000);

    ombc_result_fini(&r);
    ombc_hist_fini(&pl);
    ombc_hist_fini(&pd);
    ombc_hist_fini(&e2e);
    ombc_hist_fini(&resp);
}

/* A result with the given (consume rate, backlog) periods. */
static void periods_of(struct ombc_result *r, const double *consume, const int64_t *backlog,
                       size_t n) {
    assert_int_equal(ombc_result_init(r, "w", "d"), 0);
    for (size_t i = 0; i < n; i++) {
        struct ombc_period_sample s = {.publish_rate = 1000, .consume_rate = consume[i],
                                       .backlog = backlog[i]};
        assert_int_equal(ombc_result_add_period(r, &s), 0);
    }
}

/* Issue 14 item 5: consumers that received nothing, or whose backlog still
 * grows at the end, are judged so; a workload without consumers never. */
static void test_judge_consumers(void **state) {
    (void)state;
    struct ombc_result r;
    const double none[3] = {0, 0, 0}, kept_up[3] = {1000, 1000, 1000},
                 behind[3] = {500, 500, 500};
    const int64_t zero[3] = {0, 0, 0}, small[3] = {12, 30, 8}, growing[3] = {5000, 10000, 15000},
                  recovered[3] = {20000, 9000, 40};

    periods_of(&r, none, growing, 3);
    assert_int_equal(ombc_result_judge_consumers(&r, 1), OMBC_CONSUMERS_NOTHING);
    assert_int_equal(r.consumers, OMBC_CONSUMERS_NOTHING);
    assert_string_equal(ombc_consumer_verdict_name(r.consumers), "receivedNothing");
    /* subscriptionsPerTopic: 0: nothing was to be received */
    assert_int_equal(ombc_result_judge_consumers(&r, 0), OMBC_CONSUMERS_OK);
    assert_null(ombc_consumer_verdict_name(r.consumers));
    ombc_result_fini(&r);

    periods_of(&r, behind, growing, 3);
    assert_int_equal(ombc_result_judge_consumers(&r, 1), OMBC_CONSUMERS_FELL_BEHIND);
    assert_string_equal(ombc_consumer_verdict_name(r.consumers), "fellBehind");
    ombc_result_fini(&r);

    /* one period: growing from nothing */
    periods_of(&r, behind, growing, 1);
    assert_int_equal(ombc_result_judge_consumers(&r, 1), OMBC_CONSUMERS_FELL_BEHIND);
    ombc_result_fini(&r);

    /* one period's growth (a rebalance after an agent restart): fine */
    const int64_t spike[3] = {10, 10, 5000};
    periods_of(&r, kept_up, spike, 3);
    assert_int_equal(ombc_result_judge_consumers(&r, 1), OMBC_CONSUMERS_OK);
    ombc_result_fini(&r);
    /* growing to the end, but the delivery check saw everything arrive */
    periods_of(&r, behind, growing, 3);
    r.delivery = (struct ombc_delivery){.checked = true, .sent = 100, .expected = 100,
                                        .received = 100};
    assert_int_equal(ombc_result_judge_consumers(&r, 1), OMBC_CONSUMERS_OK);
    r.delivery.received = 99;
    assert_int_equal(ombc_result_judge_consumers(&r, 1), OMBC_CONSUMERS_FELL_BEHIND);
    ombc_result_fini(&r);

    /* in-flight messages going up and down, a backlog drained: fine */
    periods_of(&r, kept_up, small, 3);
    assert_int_equal(ombc_result_judge_consumers(&r, 1), OMBC_CONSUMERS_OK);
    ombc_result_fini(&r);
    periods_of(&r, kept_up, recovered, 3);
    assert_int_equal(ombc_result_judge_consumers(&r, 1), OMBC_CONSUMERS_OK);
    ombc_result_fini(&r);
    periods_of(&r, kept_up, zero, 3);
    assert_int_equal(ombc_result_judge_consumers(&r, 1), OMBC_CONSUMERS_OK);
    ombc_result_fini(&r);

    /* no period measured: nothing to judge */
    periods_of(&r, none, zero, 0);
    assert_int_equal(ombc_result_judge_consumers(&r, 1), OMBC_CONSUMERS_OK);
    ombc_result_fini(&r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stats_exact_values),
        cmocka_unit_test(test_stats_bucket_bounds),
        cmocka_unit_test(test_stats_empty),
        cmocka_unit_test(test_quantile_map_empty),
        cmocka_unit_test(test_quantile_map_collapses_steps),
        cmocka_unit_test(test_quantile_map_actual_percentiles),
        cmocka_unit_test(test_quantile_map_large),
        cmocka_unit_test(test_result_lifecycle),
        cmocka_unit_test(test_result_null_workload),
        cmocka_unit_test(test_result_set_aggregated),
        cmocka_unit_test(test_result_publish_response),
        cmocka_unit_test(test_judge_consumers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
