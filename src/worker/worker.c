/*
 * worker: the stats types of the Worker interface (worker.h): their
 * lifecycles and OMB's merge of members' stats (DistributedWorkersEnsemble
 * adds counters and histograms). Any thread, one object at a time.
 */
#include "worker/worker.h"

#include <math.h>
#include <string.h>

#include "core/err.h"

static int hists_init(struct ombc_hist *h) {
    for (int m = 0; m < OMBC_METRIC_COUNT; m++) {
        if (ombc_metric_hist_init(&h[m], m) != 0) {
            for (int k = 0; k < m; k++)
                ombc_hist_fini(&h[k]);
            return OMBC_ENOMEM;
        }
    }
    return 0;
}

static void hists_fini(struct ombc_hist *h) {
    for (int m = 0; m < OMBC_METRIC_COUNT; m++)
        ombc_hist_fini(&h[m]);
}

static void hists_clear(struct ombc_hist *h) {
    for (int m = 0; m < OMBC_METRIC_COUNT; m++)
        ombc_hist_clear(&h[m]);
}

static void hists_add(struct ombc_hist *dst, const struct ombc_hist *src) {
    for (int m = 0; m < OMBC_METRIC_COUNT; m++)
        ombc_hist_add(&dst[m], &src[m]); /* same layout: nothing dropped */
}

int ombc_period_stats_init(struct ombc_period_stats *s) {
    memset(s, 0, sizeof(*s));
    return hists_init(s->hist);
}

void ombc_period_stats_fini(struct ombc_period_stats *s) {
    hists_fini(s->hist);
}

void ombc_period_stats_clear(struct ombc_period_stats *s) {
    s->messages_sent = s->message_send_errors = s->bytes_sent = 0;
    s->messages_received = s->bytes_received = 0;
    s->total_messages_sent = s->total_message_send_errors = s->total_messages_received = 0;
    hists_clear(s->hist);
}

void ombc_period_stats_add(struct ombc_period_stats *dst, const struct ombc_period_stats *src) {
    dst->messages_sent += src->messages_sent;
    dst->message_send_errors += src->message_send_errors;
    dst->bytes_sent += src->bytes_sent;
    dst->messages_received += src->messages_received;
    dst->bytes_received += src->bytes_received;
    dst->total_messages_sent += src->total_messages_sent;
    dst->total_message_send_errors += src->total_message_send_errors;
    dst->total_messages_received += src->total_messages_received;
    hists_add(dst->hist, src->hist);
}

int ombc_cumulative_latencies_init(struct ombc_cumulative_latencies *c) {
    memset(c, 0, sizeof(*c));
    return hists_init(c->hist);
}

void ombc_cumulative_latencies_fini(struct ombc_cumulative_latencies *c) {
    hists_fini(c->hist);
}

void ombc_cumulative_latencies_clear(struct ombc_cumulative_latencies *c) {
    hists_clear(c->hist);
}

void ombc_cumulative_latencies_add(struct ombc_cumulative_latencies *dst,
                                   const struct ombc_cumulative_latencies *src) {
    hists_add(dst->hist, src->hist);
}

void ombc_counters_stats_add(struct ombc_counters_stats *dst,
                             const struct ombc_counters_stats *src) {
    dst->messages_sent += src->messages_sent;
    dst->messages_received += src->messages_received;
    dst->message_send_errors += src->message_send_errors;
    dst->offset_resets += src->offset_resets;
    dst->publish_rate_applied += src->publish_rate_applied; /* NAN stays NAN */
    dst->publish_rate_target += src->publish_rate_target;
}
