/*
 * prometheus: figures -> Prometheus text exposition (see prometheus.h). The
 * table of families below is the one place that names what /metrics shows;
 * numbers are written as BookKeeper's provider writes them (counters and
 * counts as integers, the rest with Java's Double.toString: "0.0", "1.706",
 * "NaN"). Called by the metrics server's thread, on figures it owns.
 */
#include "stats/prometheus.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "stats/report.h"

static const double quantiles[OMBC_PROM_QUANTILE_COUNT] = {0.5,   0.75,   0.95, 0.99,
                                                           0.999, 0.9999, 1.0};
/* Java's Double.toString of each, as BookKeeper writes the label */
static const char *const quantile_labels[OMBC_PROM_QUANTILE_COUNT] = {
    "0.5", "0.75", "0.95", "0.99", "0.999", "0.9999", "1.0"};

/* ------------------------------------------------------------ summaries */

void ombc_prom_summary_empty(struct ombc_prom_summary *s) {
    s->count = 0;
    s->sum_ms = 0.0;
    for (int q = 0; q < OMBC_PROM_QUANTILE_COUNT; q++)
        s->quantile_ms[q] = NAN;
}

void ombc_prom_summary_totals(struct ombc_prom_summary *s, const struct ombc_hist *h, int32_t lo,
                              int32_t hi) {
    int64_t count = 0;
    double sum_us = 0.0;
    if (lo < 0)
        lo = 0;
    if (hi >= h->counts_len)
        hi = h->counts_len - 1;
    for (int32_t i = lo; i <= hi; i++) {
        int64_t c = h->counts[i];
        if (c > 0) {
            count += c;
            sum_us += (double)ombc_hist_median_equivalent(h, ombc_hist_value_at_index(h, i)) *
                      (double)c;
        }
    }
    s->count = count;
    s->sum_ms = sum_us / 1000.0;
}

void ombc_prom_summary_quantiles(struct ombc_prom_summary *s, const struct ombc_hist *h) {
    for (int q = 0; q < OMBC_PROM_QUANTILE_COUNT; q++)
        s->quantile_ms[q] =
            h->total > 0 ? (double)ombc_hist_value_at_percentile(h, quantiles[q] * 100.0) / 1000.0
                         : NAN;
}

/* ---------------------------------------------------------------- text */

size_t ombc_prom_escape(char *dst, size_t size, const char *src, int label) {
    size_t n = 0;
    for (const char *c = src; *c; c++) {
        char rep[2] = {*c, 0};
        size_t k = 1;
        if (*c == '\\' || *c == '\n' || (*c == '"' && label)) {
            rep[0] = '\\';
            rep[1] = *c == '\n' ? 'n' : *c;
            k = 2;
        }
        for (size_t j = 0; j < k; j++, n++)
            if (n + 1 < size)
                dst[n] = rep[j];
    }
    if (size > 0)
        dst[n < size ? n : size - 1] = '\0';
    return n;
}

/* src escaped (label value or HELP text) into b. */
static void put_escaped(struct ombc_buf *b, const char *src, int label) {
    size_t need = ombc_prom_escape(NULL, 0, src, label);
    if (ombc_buf_reserve(b, need) != 0)
        return;
    ombc_prom_escape(b->p + b->len, need + 1, src, label);
    b->len += need;
}

static void header(struct ombc_buf *b, const char *name, const char *type, const char *help) {
    ombc_buf_printf(b, "# HELP %s ", name);
    put_escaped(b, help, 0);
    ombc_buf_printf(b, "\n# TYPE %s %s\n", name, type);
}

static void counter(struct ombc_buf *b, const char *name, const char *help, int64_t v) {
    header(b, name, "counter", help);
    ombc_buf_printf(b, "%s %" PRId64 "\n", name, v);
}

static void put_double(struct ombc_buf *b, double v) {
    char text[64];
    ombc_format_java_double(text, sizeof(text), v);
    ombc_buf_printf(b, "%s", text);
}

/* BookKeeper's OpStatsLogger layout: success="false" (nothing: OMB records
 * no latency of a failed send), then success="true". */
static void summary(struct ombc_buf *b, const char *name, const char *help,
                    const struct ombc_prom_summary *s) {
    struct ombc_prom_summary failed;
    ombc_prom_summary_empty(&failed);
    header(b, name, "summary", help);
    for (int ok = 0; ok <= 1; ok++) {
        const struct ombc_prom_summary *x = ok ? s : &failed;
        const char *success = ok ? "true" : "false";
        for (int q = 0; q < OMBC_PROM_QUANTILE_COUNT; q++) {
            ombc_buf_printf(b, "%s{success=\"%s\",quantile=\"%s\"} ", name, success, quantile_labels[q]);
            put_double(b, x->quantile_ms[q]);
            ombc_buf_printf(b, "\n");
        }
        ombc_buf_printf(b, "%s_count{success=\"%s\"} %" PRId64 "\n", name, success, x->count);
        ombc_buf_printf(b, "%s_sum{success=\"%s\"} ", name, success);
        put_double(b, x->sum_ms);
        ombc_buf_printf(b, "\n");
    }
}

/* The summaries, by enum ombc_metric. */
static const struct {
    const char *name, *help;
} latencies[OMBC_METRIC_COUNT] = {
    [OMBC_METRIC_PUBLISH_LATENCY] = {"benchmark_producer_produce_latency",
                                     "Publish latency: from the send to the broker's "
                                     "acknowledgement, in milliseconds."},
    [OMBC_METRIC_PUBLISH_DELAY] = {"benchmark_producer_producer_delay_latency",
                                   "Publish delay: from the time a send was due (the rate "
                                   "schedule) to the send, in milliseconds."},
    [OMBC_METRIC_END_TO_END] = {"benchmark_consumer_e2e_latency",
                                "End-to-end latency: from the send to the consumer, in "
                                "milliseconds; values <= 0 are not recorded, as in OMB."},
    [OMBC_METRIC_PUBLISH_RESPONSE] = {"benchmark_ombc_producer_response_time",
                                      "ombc: publish response time, from the time a send was "
                                      "due to its acknowledgement (publish delay + latency, free "
                                      "of coordinated omission), in milliseconds."},
};

int ombc_prom_format(const struct ombc_prom_figures *f, char **text, size_t *len) {
    struct ombc_buf b = OMBC_BUF_INIT;
    if (ombc_buf_reserve(&b, 16384) != 0)
        return OMBC_ENOMEM;
    char window[160], help[512];
    snprintf(window, sizeof(window),
             " Quantiles: of the values of the last %d to %d s; count and sum: since the "
             "agents started.", f->quantile_window_s, 2 * f->quantile_window_s);

    counter(&b, "benchmark_producer_messages_sent",
            "Messages the broker acknowledged (OMB's counter: no _total suffix).",
            f->messages_sent);
    counter(&b, "benchmark_producer_bytes_sent", "Payload bytes of the messages acknowledged.",
            f->bytes_sent);
    counter(&b, "benchmark_producer_message_send_errors",
            "Messages whose send failed, at the send or later.", f->message_send_errors);
    for (int m = OMBC_METRIC_PUBLISH_LATENCY; m <= OMBC_METRIC_PUBLISH_DELAY; m++) {
        snprintf(help, sizeof(help), "%s%s", latencies[m].help, window);
        summary(&b, latencies[m].name, help, &f->latency[m]);
    }
    counter(&b, "benchmark_consumer_messages_recv", "Messages the consumers received.",
            f->messages_recv);
    counter(&b, "benchmark_consumer_bytes_recv", "Payload bytes the consumers received.",
            f->bytes_recv);
    snprintf(help, sizeof(help), "%s%s", latencies[OMBC_METRIC_END_TO_END].help, window);
    summary(&b, latencies[OMBC_METRIC_END_TO_END].name, help, &f->latency[OMBC_METRIC_END_TO_END]);

    snprintf(help, sizeof(help), "%s%s", latencies[OMBC_METRIC_PUBLISH_RESPONSE].help, window);
    summary(&b, latencies[OMBC_METRIC_PUBLISH_RESPONSE].name, help,
            &f->latency[OMBC_METRIC_PUBLISH_RESPONSE]);
    counter(&b, "benchmark_ombc_probe_messages_sent_total",
            "ombc: readiness probe messages the broker acknowledged (not in "
            "benchmark_producer_messages_sent, as in OMB).",
            f->probe_messages_sent);
    counter(&b, "benchmark_ombc_producer_latency_clamped_total",
            "ombc: acknowledgements more than 60 s after the send was due; their publish "
            "latencies are recorded as 60 s at most, as in OMB.",
            f->latency_clamped);
    header(&b, "benchmark_ombc_consumer_e2e_latency_dropped_total", "counter",
           "ombc: received messages whose end-to-end latency was not recorded: not positive "
           "(OMB's rule; clocks apart) or above the histogram's 12 h.");
    ombc_buf_printf(&b, "benchmark_ombc_consumer_e2e_latency_dropped_total{reason=\"not_positive\"} %" PRId64
            "\n", f->e2e_not_positive);
    ombc_buf_printf(&b, "benchmark_ombc_consumer_e2e_latency_dropped_total{reason=\"out_of_range\"} %" PRId64
            "\n", f->e2e_out_of_range);
    header(&b, "benchmark_ombc_publish_rate_target", "gauge",
           "ombc: the rate the agents' rate limiters publish at now, in messages per second "
           "(0 while no load runs).");
    ombc_buf_printf(&b, "benchmark_ombc_publish_rate_target ");
    put_double(&b, f->publish_rate_target);
    ombc_buf_printf(&b, "\n");
    header(&b, "benchmark_ombc_agents", "gauge", "ombc: agent processes of the run (--agents).");
    ombc_buf_printf(&b, "benchmark_ombc_agents %d\n", f->agents);
    if (f->version) {
        header(&b, "benchmark_ombc_info", "gauge", "ombc: the version serving these metrics.");
        ombc_buf_printf(&b, "benchmark_ombc_info{version=\"");
        put_escaped(&b, f->version, 1);
        ombc_buf_printf(&b, "\"} 1\n");
    }

    if (b.err) {
        ombc_buf_fini(&b);
        return OMBC_ENOMEM;
    }
    if (len)
        *len = b.len;
    *text = ombc_buf_take(&b);
    return 0;
}
