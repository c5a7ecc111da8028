/*
 * progress: what a run tells its user while it runs, apart from OMB's
 * period lines: an event at each phase change (a log line, or a JSON event
 * with --log-format json) and, on a terminal, a status line refreshed every
 * second: the phase, a bar with elapsed and remaining time, the current
 * publish and consume rates, the backlog and the last period's p99 publish
 * and end-to-end latencies ("-" when the period had no sample). It keeps
 * the last period's latencies, which the shortfall warning compares
 * against. Owned by the generator, on its thread.
 */
#ifndef OMBC_RUN_PROGRESS_H
#define OMBC_RUN_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stats/result.h"
#include "worker/worker.h"

struct ombc_progress {
    bool status;          /**< draw the status line (core/log.h has it on) */
    int subscriptions;    /**< per topic: backlog = subs x sent - received */
    const char *phase;    /**< "warmup", "test", ... */
    int64_t phase_start;  /**< monotonic ns */
    int64_t phase_ns;     /**< planned length, 0 when open-ended */
    int64_t last_tick;    /**< monotonic ns of the last rate reading, 0: none */
    int64_t last_sent, last_received;
    double pub_rate, cons_rate; /**< msg/s over the last second */
    int64_t backlog;
    bool have_period;     /**< a period was read: the three below are set */
    struct ombc_latency_stats last_latency; /**< the last period's publish latency, us */
    struct ombc_latency_stats last_delay;   /**< its publish delay, us */
    struct ombc_latency_stats last_e2e;     /**< its end-to-end latency, us */
};

/** @brief Sets p up; status: whether to draw the status line. */
void ombc_progress_init(struct ombc_progress *p, bool status, int subscriptions_per_topic);

/** @brief A new phase (name as in the JSON events: "topics", "consumers",
 *  "producers", "probe", "warmup", "test", "backlog-build", "backlog-drain",
 *  "delivery-check"), planned for seconds (0: open-ended); message is the
 *  log line (OMB's where OMB has one). */
void ombc_progress_phase(struct ombc_progress *p, int64_t now, const char *name,
                         int64_t seconds, const char *message);

/** @brief Whether a reading is due at now (one per second). */
bool ombc_progress_due(const struct ombc_progress *p, int64_t now);

/** @brief Takes the worker's counters read at now and redraws. */
void ombc_progress_tick(struct ombc_progress *p, int64_t now, const struct ombc_counters_stats *c);

/** @brief The last period's publish latency, publish delay and end-to-end
 *  latency (us), kept for the status line and the next period's shortfall
 *  warning. */
void ombc_progress_period(struct ombc_progress *p, const struct ombc_latency_stats *latency,
                          const struct ombc_latency_stats *delay,
                          const struct ombc_latency_stats *end_to_end);

/** @brief Removes the status line (at the end of a run). */
void ombc_progress_done(struct ombc_progress *p);

/** @brief The status line for p at now into buf (exposed for tests). */
void ombc_progress_format(const struct ombc_progress *p, int64_t now, char *buf, size_t size);

#endif
