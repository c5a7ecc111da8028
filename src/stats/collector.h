/*
 * collector: the coordinator's view of all agents' stats blocks, turned into
 * OMB's three readings (OMB-REFERENCE.md 3.8):
 *   - period stats: counters and histograms since the previous period read;
 *   - cumulative latencies: histograms since the previous cumulative read or
 *     reset;
 *   - counters stats: totals since the last stop-all.
 * Agents only ever add; the collector keeps the merged snapshot taken at each
 * boundary and reports differences, so reading never disturbs a writer.
 * Single-threaded: called by the worker that owns the blocks (one agent's
 * worker, agent_worker.c).
 */
#ifndef OMBC_STATS_COLLECTOR_H
#define OMBC_STATS_COLLECTOR_H

#include <stdint.h>

#include "stats/agent_stats.h"
#include "stats/hdr.h"
#include "worker/worker.h" /* the stats types a worker returns */

/** Raw sums of every agent counter, for diagnostics and bases. */
struct ombc_counter_sums {
    int64_t sent, bytes_sent, send_errors, probe_sent, latency_clamped;
    int64_t received, bytes_received, e2e_non_positive, e2e_out_of_range;
    int64_t offset_resets;
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
