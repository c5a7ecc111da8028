/*
 * Unit tests for stats/agent_stats and stats/collector: two agents' shared
 * blocks merged into OMB's period, cumulative and counter readings; and the
 * round-robin assignment of producers and consumers to agents.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "stats/agent_stats.h"
#include "stats/collector.h"
#include "worker/ensemble.h"

struct fixture {
    struct ombc_agent_stats agents[2];
    struct ombc_agent_stats *ptrs[2];
    int fds[2];
    struct ombc_collector c;
    struct ombc_period_stats period;
    struct ombc_cumulative_latencies cumulative;
};

static int setup(void **state) {
    static struct fixture f;
    char err[256];
    for (int i = 0; i < 2; i++) {
        assert_int_equal(ombc_agent_stats_create(&f.agents[i], &f.fds[i], err, sizeof(err)), 0);
        f.ptrs[i] = &f.agents[i];
    }
    assert_int_equal(ombc_collector_init(&f.c, f.ptrs, 2), 0);
    for (int m = 0; m < OMBC_METRIC_COUNT; m++) {
        assert_int_equal(ombc_metric_hist_init(&f.period.hist[m], m), 0);
        assert_int_equal(ombc_metric_hist_init(&f.cumulative.hist[m], m), 0);
    }
    *state = &f;
    return 0;
}

static int teardown(void **state) {
    struct fixture *f = *state;
    for (int m = 0; m < OMBC_METRIC_COUNT; m++) {
        ombc_hist_fini(&f->period.hist[m]);
        ombc_hist_fini(&f->cumulative.hist[m]);
    }
    ombc_collector_fini(&f->c);
    for (int i = 0; i < 2; i++) {
        ombc_agent_stats_detach(&f->agents[i]);
        close(f->fds[i]);
    }
    return 0;
}

static void sent(struct ombc_agent_stats *a, int64_t latency_us, int64_t bytes) {
    ombc_agent_stats_record(a, OMBC_METRIC_PUBLISH_LATENCY, latency_us);
    ombc_agent_stats_record(a, OMBC_METRIC_PUBLISH_DELAY, 1);
    ombc_counter_add(&a->counters->sent, 1);
    ombc_counter_add(&a->counters->bytes_sent, bytes);
}

/* The block is the same memory when attached through its descriptor. */
static void attach_sees_the_writers_block(void **state) {
    struct fixture *f = *state;
    struct ombc_agent_stats other;
    char err[256];
    assert_int_equal(ombc_agent_stats_attach(&other, f->fds[0], err, sizeof(err)), 0);
    ombc_counter_add(&other.counters->received, 7);
    ombc_agent_stats_record(&other, OMBC_METRIC_END_TO_END, 43200000000LL);
    assert_int_equal(ombc_counter_read(&f->agents[0].counters->received), 7);
    int32_t i = ombc_hist_index_of(&f->agents[0].hist[OMBC_METRIC_END_TO_END], 43200000000LL);
    assert_int_equal(ombc_counter_read(&f->agents[0].hist[OMBC_METRIC_END_TO_END].counts[i]), 1);
    /* beyond the last bucket: not recorded, the caller counts it */
    assert_false(ombc_agent_stats_record(&other, OMBC_METRIC_END_TO_END, 1LL << 40));
    ombc_agent_stats_detach(&other);
    ombc_collector_reset_all(&f->c);
}

/* Period readings are the merge of both agents since the previous reading. */
static void period_merges_agents_and_intervals(void **state) {
    struct fixture *f = *state;
    ombc_collector_reset_all(&f->c);
    sent(&f->agents[0], 100, 10);
    sent(&f->agents[0], 200, 10);
    sent(&f->agents[1], 300, 10);
    ombc_counter_add(&f->agents[1].counters->received, 2);
    ombc_counter_add(&f->agents[1].counters->bytes_received, 20);
    ombc_collector_period(&f->c, &f->period);
    assert_int_equal(f->period.messages_sent, 3);
    assert_int_equal(f->period.bytes_sent, 30);
    assert_int_equal(f->period.messages_received, 2);
    assert_int_equal(f->period.bytes_received, 20);
    const struct ombc_hist *h = &f->period.hist[OMBC_METRIC_PUBLISH_LATENCY];
    assert_int_equal(ombc_hist_total(h), 3);
    assert_int_equal(ombc_hist_min(h), 100);
    assert_int_equal(ombc_hist_max(h), 300);

    sent(&f->agents[1], 5000, 10);
    ombc_collector_period(&f->c, &f->period);
    assert_int_equal(f->period.messages_sent, 1);
    assert_int_equal(f->period.total_messages_sent, 4);
    assert_int_equal(ombc_hist_total(h), 1);
    assert_int_equal(ombc_hist_min(h), 5000);
    assert_int_equal(ombc_hist_max(h), 5000);

    /* an empty period is empty, not the previous one */
    ombc_collector_period(&f->c, &f->period);
    assert_int_equal(f->period.messages_sent, 0);
    assert_int_equal(ombc_hist_total(h), 0);
}

/* Cumulative readings span all periods since the previous cumulative read or
 * reset, and reading resets them (OMB's recorder semantics). */
static void cumulative_spans_periods_and_resets_on_read(void **state) {
    struct fixture *f = *state;
    ombc_collector_reset_all(&f->c);
    sent(&f->agents[0], 10, 1);
    ombc_collector_period(&f->c, &f->period);
    sent(&f->agents[1], 20, 1);
    ombc_collector_period(&f->c, &f->period);
    ombc_collector_cumulative(&f->c, &f->cumulative);
    const struct ombc_hist *h = &f->cumulative.hist[OMBC_METRIC_PUBLISH_LATENCY];
    assert_int_equal(ombc_hist_total(h), 2);
    ombc_collector_cumulative(&f->c, &f->cumulative);
    assert_int_equal(ombc_hist_total(h), 0);
}

/* reset-stats clears latencies but not counters; stop-all clears everything
 * but the total send errors; probe messages count in totals only. */
static void resets_follow_omb(void **state) {
    struct fixture *f = *state;
    ombc_collector_reset_all(&f->c);
    ombc_counter_add(&f->agents[0].counters->probe_sent, 1);
    ombc_counter_add(&f->agents[0].counters->send_errors, 2);
    ombc_counter_add(&f->agents[1].counters->send_errors_sync, 1);
    sent(&f->agents[0], 10, 1);
    ombc_collector_reset_latencies(&f->c);
    struct ombc_counters_stats cs;
    ombc_collector_counters(&f->c, &cs);
    assert_int_equal(cs.messages_sent, 2); /* 1 load + 1 probe */
    assert_int_equal(cs.message_send_errors, 3);
    ombc_collector_period(&f->c, &f->period);
    assert_int_equal(f->period.messages_sent, 1);
    assert_int_equal(f->period.message_send_errors, 3);
    assert_int_equal(ombc_hist_total(&f->period.hist[OMBC_METRIC_PUBLISH_LATENCY]), 0);

    ombc_collector_reset_all(&f->c);
    ombc_collector_counters(&f->c, &cs);
    assert_int_equal(cs.messages_sent, 0);
    assert_int_equal(cs.messages_received, 0);
    assert_int_equal(cs.message_send_errors, 3);
}

/* The fourth metric, publish response time, has publish latency's range and
 * precision, its own counts in the block, and merges like the others. */
static void publish_response_is_a_fourth_histogram(void **state) {
    struct fixture *f = *state;
    assert_int_equal(OMBC_METRIC_PUBLISH_LATENCY, 0);
    assert_int_equal(OMBC_METRIC_PUBLISH_DELAY, 1);
    assert_int_equal(OMBC_METRIC_END_TO_END, 2);
    assert_int_equal(OMBC_METRIC_PUBLISH_RESPONSE, 3);
    assert_int_equal(OMBC_METRIC_COUNT, 4);
    assert_string_equal(ombc_metric_name(OMBC_METRIC_PUBLISH_RESPONSE), "publish-response-time");
    assert_string_equal(ombc_metric_name(OMBC_METRIC_END_TO_END), "end-to-end");
    assert_string_equal(ombc_metric_name(OMBC_METRIC_COUNT), "unknown");

    const struct ombc_hist *lat = &f->agents[0].hist[OMBC_METRIC_PUBLISH_LATENCY];
    const struct ombc_hist *resp = &f->agents[0].hist[OMBC_METRIC_PUBLISH_RESPONSE];
    assert_int_equal(resp->highest, OMBC_PUBLISH_HIGHEST);
    assert_int_equal(resp->digits, OMBC_HIST_DIGITS);
    assert_int_equal(resp->counts_len, lat->counts_len);
    assert_true(resp->counts != lat->counts);
    for (int m = 0; m < OMBC_METRIC_PUBLISH_RESPONSE; m++)
        assert_true(f->agents[0].hist[m].counts != resp->counts);

    ombc_collector_reset_all(&f->c);
    /* delay 100 us + latency 2 ms on one agent, 1 ms + 3 ms on the other */
    sent(&f->agents[0], 2000, 1);
    assert_true(ombc_agent_stats_record(&f->agents[0], OMBC_METRIC_PUBLISH_RESPONSE, 2100));
    sent(&f->agents[1], 3000, 1);
    assert_true(ombc_agent_stats_record(&f->agents[1], OMBC_METRIC_PUBLISH_RESPONSE, 4000));
    assert_true(ombc_agent_stats_record(&f->agents[1], OMBC_METRIC_PUBLISH_RESPONSE,
                                        OMBC_PUBLISH_HIGHEST));
    ombc_collector_period(&f->c, &f->period);
    const struct ombc_hist *h = &f->period.hist[OMBC_METRIC_PUBLISH_RESPONSE];
    assert_int_equal(ombc_hist_total(h), 3);
    assert_int_equal(ombc_hist_min(h), 2100);
    assert_int_equal(ombc_hist_value_at_percentile(h, 50.0), 4000);
    assert_true(ombc_hist_max(h) >= OMBC_PUBLISH_HIGHEST);
    /* the other histograms did not see it */
    assert_int_equal(ombc_hist_total(&f->period.hist[OMBC_METRIC_PUBLISH_LATENCY]), 2);
    assert_int_equal(ombc_hist_max(&f->period.hist[OMBC_METRIC_PUBLISH_LATENCY]), 3000);
    assert_int_equal(ombc_hist_total(&f->period.hist[OMBC_METRIC_END_TO_END]), 0);

    ombc_collector_period(&f->c, &f->period);
    assert_int_equal(ombc_hist_total(h), 0);
    ombc_collector_cumulative(&f->c, &f->cumulative);
    assert_int_equal(ombc_hist_total(&f->cumulative.hist[OMBC_METRIC_PUBLISH_RESPONSE]), 3);
    ombc_collector_reset_latencies(&f->c);
    assert_true(ombc_agent_stats_record(&f->agents[0], OMBC_METRIC_PUBLISH_RESPONSE, 7));
    ombc_collector_cumulative(&f->c, &f->cumulative);
    assert_int_equal(ombc_hist_total(&f->cumulative.hist[OMBC_METRIC_PUBLISH_RESPONSE]), 1);
    ombc_collector_reset_all(&f->c);
}

/* The block's layout has a version: a block of version 4 (before the
 * consumers' offset_resets counter) is refused by name, not misread. The
 * version is the 32-bit word after the 64-bit magic. */
static void attach_refuses_another_layout_version(void **state) {
    struct fixture *f = *state;
    struct ombc_agent_stats other;
    char err[256];
    uint32_t version = 0;
    assert_int_equal(pread(f->fds[1], &version, sizeof(version), 8), (ssize_t)sizeof(version));
    assert_int_equal(version, 5);
    uint32_t old = 4;
    assert_int_equal(pwrite(f->fds[1], &old, sizeof(old), 8), (ssize_t)sizeof(old));
    assert_int_equal(ombc_agent_stats_attach(&other, f->fds[1], err, sizeof(err)),
                     OMBC_EPARSE);
    assert_non_null(strstr(err, "not an ombc stats block of this version"));
    assert_int_equal(pwrite(f->fds[1], &version, sizeof(version), 8), (ssize_t)sizeof(version));
    assert_int_equal(ombc_agent_stats_attach(&other, f->fds[1], err, sizeof(err)), 0);
    ombc_agent_stats_detach(&other);
}

/* Items go to agents round-robin (OMB's ListPartition). */
static void assignment_is_round_robin(void **state) {
    (void)state;
    int per_agent[3] = {0};
    for (int i = 0; i < 8; i++)
        per_agent[ombc_ensemble_assign(i, 3)]++;
    assert_int_equal(per_agent[0], 3);
    assert_int_equal(per_agent[1], 3);
    assert_int_equal(per_agent[2], 2);
    assert_int_equal(ombc_ensemble_assign(0, 4), 0);
    assert_int_equal(ombc_ensemble_assign(5, 4), 1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(attach_sees_the_writers_block),
        cmocka_unit_test(period_merges_agents_and_intervals),
        cmocka_unit_test(cumulative_spans_periods_and_resets_on_read),
        cmocka_unit_test(resets_follow_omb),
        cmocka_unit_test(publish_response_is_a_fourth_histogram),
        cmocka_unit_test(attach_refuses_another_layout_version),
        cmocka_unit_test(assignment_is_round_robin),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
