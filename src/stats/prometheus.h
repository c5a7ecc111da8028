/*
 * prometheus: the text ombc serves at /metrics (`ombc run --metrics-port`),
 * in Prometheus's text exposition format 0.0.4, from figures the caller has
 * already gathered. Pure functions: no I/O, no clock, no shared state, so the
 * exact text is unit-tested without a server (run/metrics_server.c serves it).
 *
 * The names, types and units are those OMB's worker serves through
 * BookKeeper's Prometheus provider (OMB-REFERENCE.md 4.4): counters without a
 * `_total` suffix, and OMB's latencies as summaries in milliseconds, written
 * for success="false" (always empty: OMB records no latency of a failed send)
 * then success="true", quantiles 0.5 .. 1.0, `_count` and `_sum`. Unlike
 * BookKeeper, every family has a HELP line and `_sum` adds the values
 * themselves (BookKeeper adds each value truncated to whole milliseconds, so
 * sub-millisecond latencies sum to 0). What ombc adds is named
 * benchmark_ombc_* and follows Prometheus's conventions (`_total` counters).
 */
#ifndef OMBC_STATS_PROMETHEUS_H
#define OMBC_STATS_PROMETHEUS_H

#include <stddef.h>
#include <stdint.h>

#include "stats/agent_stats.h"
#include "stats/hdr.h"

/** Quantiles of every summary, as BookKeeper writes them. */
#define OMBC_PROM_QUANTILE_COUNT 7

/** One latency as a summary. */
struct ombc_prom_summary {
    int64_t count;  /**< values recorded since the agents started */
    double sum_ms;  /**< their sum, ms */
    /** 0.5, 0.75, 0.95, 0.99, 0.999, 0.9999 and 1.0 of the recent values
     *  (the caller's window), ms; NaN when the window holds none. */
    double quantile_ms[OMBC_PROM_QUANTILE_COUNT];
};

/** Everything /metrics shows. Counters are totals since the agents started. */
struct ombc_prom_figures {
    /* OMB's counters */
    int64_t messages_sent;       /**< load messages acknowledged (not the probe's) */
    int64_t bytes_sent;
    int64_t message_send_errors; /**< refused at send or failed later */
    int64_t messages_recv;
    int64_t bytes_recv;
    /* OMB's summaries and ombc's response time, by enum ombc_metric */
    struct ombc_prom_summary latency[OMBC_METRIC_COUNT];
    /* ombc's */
    int64_t probe_messages_sent;  /**< readiness probe messages acknowledged */
    int64_t latency_clamped;      /**< publish latencies recorded at 60 s, being longer */
    int64_t e2e_not_positive;     /**< e2e latencies <= 0, not recorded (OMB's rule) */
    int64_t e2e_out_of_range;     /**< e2e latencies above 12 h, not recorded */
    double publish_rate_target;   /**< msg/s the agents' rate limiters are set to now */
    int agents;                   /**< agent processes of the run */
    /** The summaries' quantiles cover the last quantile_window_s to twice
     *  that many seconds (named in their HELP text). */
    int quantile_window_s;
    const char *version;          /**< ombc's version, a label of benchmark_ombc_info */
};

/**
 * @brief Count and sum of a summary from h, a histogram of microseconds
 * whose counts are all within indexes [lo, hi] (lo > hi: empty); sets
 * s->count and s->sum_ms (each value counted at its bucket's median, as
 * HdrHistogram's mean). Reads only counts[lo..hi].
 */
void ombc_prom_summary_totals(struct ombc_prom_summary *s, const struct ombc_hist *h, int32_t lo,
                              int32_t hi);

/**
 * @brief The quantiles of a summary from h (microseconds; h->total must be
 * the sum of its counts): HdrHistogram's getValueAtPercentile(100 q) / 1000,
 * or NaN for every quantile when h is empty. Reads counts only up to the
 * highest quantile's bucket.
 */
void ombc_prom_summary_quantiles(struct ombc_prom_summary *s, const struct ombc_hist *h);

/** @brief A summary with nothing recorded: count 0, sum 0, NaN quantiles. */
void ombc_prom_summary_empty(struct ombc_prom_summary *s);

/**
 * @brief Escapes src for the exposition format into dst (always
 * NUL-terminated, truncated to size): backslash and newline, and also the
 * double quote when label is nonzero (a label value; otherwise HELP text).
 * @return the length the whole escaped text needs, as snprintf.
 */
size_t ombc_prom_escape(char *dst, size_t size, const char *src, int label);

/**
 * @brief The exposition text of f: HELP and TYPE lines, then the samples of
 * each family, '\n'-terminated lines.
 * @return 0 and a malloc'd NUL-terminated *text (its length in *len, when
 *         len is not NULL; the caller frees it), or OMBC_ENOMEM.
 */
int ombc_prom_format(const struct ombc_prom_figures *f, char **text, size_t *len);

#endif
