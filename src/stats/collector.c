/*
 * collector: merges the agents' monotonic stats blocks into OMB's interval
 * and cumulative readings by differencing against snapshots. One pass over
 * each counts array per reading; entries are written only where they change,
 * so untouched buckets cost no memory in the coordinator either.
 */
#include "stats/collector.h"

#include <string.h>

#include "core/err.h"

int ombc_collector_init(struct ombc_collector *c, struct ombc_agent_stats *const *agents,
                        int count) {
    memset(c, 0, sizeof(*c));
    c->agents = agents;
    c->agent_count = count;
    for (int m = 0; m < OMBC_METRIC_COUNT; m++) {
        if (ombc_metric_hist_init(&c->period_base[m], m) != 0 ||
            ombc_metric_hist_init(&c->cumulative_base[m], m) != 0) {
            ombc_collector_fini(c);
            return OMBC_ENOMEM;
        }
    }
    return 0;
}

void ombc_collector_fini(struct ombc_collector *c) {
    for (int m = 0; m < OMBC_METRIC_COUNT; m++) {
        ombc_hist_fini(&c->period_base[m]);
        ombc_hist_fini(&c->cumulative_base[m]);
    }
}

void ombc_collector_sums(const struct ombc_collector *c, struct ombc_counter_sums *out) {
    memset(out, 0, sizeof(*out));
    for (int a = 0; a < c->agent_count; a++) {
        const struct ombc_agent_counters *k = c->agents[a]->counters;
        out->sent += ombc_counter_read(&k->sent);
        out->bytes_sent += ombc_counter_read(&k->bytes_sent);
        out->send_errors += ombc_counter_read(&k->send_errors) +
                            ombc_counter_read(&k->send_errors_sync);
        out->probe_sent += ombc_counter_read(&k->probe_sent);
        out->latency_clamped += ombc_counter_read(&k->latency_clamped);
        out->received += ombc_counter_read(&k->received);
        out->bytes_received += ombc_counter_read(&k->bytes_received);
        out->e2e_non_positive += ombc_counter_read(&k->e2e_non_positive);
        out->e2e_out_of_range += ombc_counter_read(&k->e2e_out_of_range);
        out->offset_resets += ombc_counter_read(&k->offset_resets);
    }
}

/*
 * For metric m: s = sum over agents of their counts; out = s - base (when out
 * is not NULL); base = s. Only the index range some agent ever used is
 * scanned (ranges only grow, so entries outside it are zero everywhere), and
 * only entries that change are written.
 */
static void take_interval(struct ombc_collector *c, int m, struct ombc_hist *base,
                          struct ombc_hist *out) {
    int64_t lo = INT64_MAX, hi = -1;
    for (int a = 0; a < c->agent_count; a++) {
        const struct ombc_index_range *r = &c->agents[a]->ranges[m];
        int64_t l = __atomic_load_n(&r->lo, __ATOMIC_RELAXED);
        int64_t h = __atomic_load_n(&r->hi, __ATOMIC_RELAXED);
        lo = l < lo ? l : lo;
        hi = h > hi ? h : hi;
    }
    if (hi >= base->counts_len)
        hi = base->counts_len - 1;
    for (int64_t i = lo < 0 ? 0 : lo; i <= hi; i++) {
        int64_t s = 0;
        for (int a = 0; a < c->agent_count; a++)
            s += ombc_counter_read(&c->agents[a]->hist[m].counts[i]);
        int64_t b = base->counts[i];
        if (out && out->counts[i] != s - b)
            out->counts[i] = s - b;
        if (b != s)
            base->counts[i] = s;
    }
    /* entries outside [lo, hi] are 0 in every block, in base and in out */
    ombc_hist_recalc_range(base, lo, hi);
    if (out)
        ombc_hist_recalc_range(out, lo, hi);
}

void ombc_collector_period(struct ombc_collector *c, struct ombc_period_stats *out) {
    /* Histograms first, counters last: the caller's clock, read right after
     * this returns, then marks the end of the counters' window to within
     * microseconds, however long the histogram pass took. */
    for (int m = 0; m < OMBC_METRIC_COUNT; m++)
        take_interval(c, m, &c->period_base[m], &out->hist[m]);
    struct ombc_counter_sums now;
    ombc_collector_sums(c, &now);
    const struct ombc_counter_sums *prev = &c->period_counters;
    out->messages_sent = now.sent - prev->sent;
    out->message_send_errors = now.send_errors - prev->send_errors;
    out->bytes_sent = now.bytes_sent - prev->bytes_sent;
    out->messages_received = now.received - prev->received;
    out->bytes_received = now.bytes_received - prev->bytes_received;
    out->total_messages_sent = now.sent + now.probe_sent - c->total_base.sent -
                               c->total_base.probe_sent;
    out->total_message_send_errors = now.send_errors;
    out->total_messages_received = now.received - c->total_base.received;
    c->period_counters = now;
}

void ombc_collector_cumulative(struct ombc_collector *c, struct ombc_cumulative_latencies *out) {
    for (int m = 0; m < OMBC_METRIC_COUNT; m++)
        take_interval(c, m, &c->cumulative_base[m], &out->hist[m]);
}

void ombc_collector_counters(const struct ombc_collector *c, struct ombc_counters_stats *out) {
    struct ombc_counter_sums now;
    ombc_collector_sums(c, &now);
    out->messages_sent = now.sent + now.probe_sent - c->total_base.sent -
                         c->total_base.probe_sent;
    out->messages_received = now.received - c->total_base.received;
    out->message_send_errors = now.send_errors;
    out->offset_resets = now.offset_resets; /* never reset, as send errors */
    int64_t milli = 0;
    for (int a = 0; a < c->agent_count; a++)
        milli += ombc_counter_read(&c->agents[a]->counters->rate_applied_milli);
    out->publish_rate_applied = (double)milli / 1000.0;
}

void ombc_collector_reset_latencies(struct ombc_collector *c) {
    for (int m = 0; m < OMBC_METRIC_COUNT; m++) {
        take_interval(c, m, &c->period_base[m], NULL);
        take_interval(c, m, &c->cumulative_base[m], NULL);
    }
}

void ombc_collector_reset_all(struct ombc_collector *c) {
    ombc_collector_reset_latencies(c);
    ombc_collector_sums(c, &c->period_counters);
    c->total_base = c->period_counters;
}
