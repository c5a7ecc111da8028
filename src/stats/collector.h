/*
 * collector: the coordinator's view of all agents' stats blocks, turned into
 * OMB's three readings (OMB-REFERENCE.md 3.8):
 *   - period stats: counters and histograms since the previous period read;
 *   - cumulative latencies: histograms since the previous cumulative read or
 *     reset;
 *   - counters stats: totals since the last stop-all.
 * Agents only ever add; the collector keeps the merged snapshot taken at each
 * boundary and reports differences, so reading never disturbs a writer.
 * Single-threaded: called by the worker that owns the agents.
 */
#ifndef OMBC_STATS_COLLECTOR_H
#define OMBC_STATS_COLLECTOR_H

#include <stdint.h>

#include "stats/agent_stats.h"
#include "stats/hdr.h"

/** OMB's CountersStats: cumulative totals. */
struct ombc_counters_stats {
    int64_t messages_sent;     /**< includes probe messages, as OMB */
    int64_t messages_received;
    int64_t message_send_errors;
    /** ombc: the rates the agents publish at now, added up (msg/s). */
    double publish_rate_applied;
    /** ombc: what they were last told, added up (msg/s; each agent publishes
     *  at least 1 msg/s, as OMB's LocalWorker); filled by the worker. */
    double publish_rate_target;
};

/** OMB's PeriodStats. The histograms are the caller's, initialised with
 *  ombc_metric_hist_init() and written only by the collector afterwards (it
 *  updates just the index range the agents use and relies on zeros beyond). */
struct ombc_period_stats {
    int64_t messages_sent;
    int64_t message_send_errors;
    int64_t bytes_sent;
    int64_t messages_received;
    int64_t bytes_received;
    int64_t total_messages_sent;
    int64_t total_message_send_errors;
    int64_t total_messages_received;
    struct ombc_hist hist[OMBC_METRIC_COUNT];
};

/** OMB's CumulativeLatencies (caller-initialised histograms). */
struct ombc_cumulative_latencies {
    struct ombc_hist hist[OMBC_METRIC_COUNT];
};

/** Raw sums of every agent counter, for diagnostics and bases. */
struct ombc_counter_sums {
    int64_t sent, bytes_sent, send_errors, probe_sent, latency_clamped;
    int64_t received, bytes_received, e2e_non_positive, e2e_out_of_range;
};

struct ombc_collector {
    struct ombc_agent_stats *const *agents;
    int agent_count;
    struct ombc_hist period_base[OMBC_METRIC_COUNT];
    struct ombc_hist cumulative_base[OMBC_METRIC_COUNT];
    struct ombc_counter_sums period_counters; /**< sums at the last period read */
    struct ombc_counter_sums total_base;      /**< sums at the last stop-all */
};

/** @brief Watches agents[0..count) (not owned; they must outlive c).
 *  @return 0 or OMBC_ENOMEM. */
int ombc_collector_init(struct ombc_collector *c, struct ombc_agent_stats *const *agents,
                        int count);
void ombc_collector_fini(struct ombc_collector *c);

/** @brief Sums every counter over all agents. */
void ombc_collector_sums(const struct ombc_collector *c, struct ombc_counter_sums *out);

void ombc_collector_period(struct ombc_collector *c, struct ombc_period_stats *out);
void ombc_collector_cumulative(struct ombc_collector *c, struct ombc_cumulative_latencies *out);
void ombc_collector_counters(const struct ombc_collector *c, struct ombc_counters_stats *out);
/** @brief OMB reset-stats: latency histograms start over, counters do not. */
void ombc_collector_reset_latencies(struct ombc_collector *c);
/** @brief OMB stop-all: everything starts over except total send errors. */
void ombc_collector_reset_all(struct ombc_collector *c);

#endif
