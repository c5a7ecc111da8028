/*
 * agent_stats: the block of shared memory one agent process writes its
 * measurements into, and the coordinator reads: counters and the counts of
 * four HDR histograms (publish latency, publish delay, end-to-end, and
 * ombc's publish response time).
 *
 * Everything in the block only ever grows (except one gauge, the applied
 * rate), and every word has exactly one writer thread in the agent (the ack
 * thread owns the producer side, the load thread its send errors and rate,
 * the consumer thread the consumer side). Writers use relaxed atomic stores of
 * their own values, readers relaxed atomic loads: no locks, and a writer
 * never waits for the reader. Intervals are differences of snapshots, taken
 * by the collector (collector.h). The block belongs to the coordinator and
 * outlives any one agent process, so an agent can be restarted into it.
 */
#ifndef OMBC_STATS_AGENT_STATS_H
#define OMBC_STATS_AGENT_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stats/hdr.h"
#include "stats/metric.h"

/** Counters of one agent, each on the cache line of its writer thread. */
struct ombc_agent_counters {
    /* ack thread */
    _Alignas(64) int64_t sent;       /**< load messages acknowledged */
    int64_t bytes_sent;
    int64_t send_errors;             /**< failed in the client or broker */
    int64_t probe_sent;              /**< readiness probe messages acknowledged */
    int64_t latency_clamped;         /**< publish latency, delay or response time above 60 s */
    /* load thread */
    _Alignas(64) int64_t send_errors_sync; /**< refused by the client at send */
    /** The rate the load thread publishes at now, in msg/s x 1000; 0 when it
     *  does not publish. A gauge, the one word here that may go down. */
    int64_t rate_applied_milli;
    /* consumer thread */
    _Alignas(64) int64_t received;
    int64_t bytes_received;
    int64_t e2e_non_positive;        /**< e2e <= 0 ms, not recorded (OMB drops them) */
    int64_t e2e_out_of_range;        /**< e2e above 12 h, not recorded */
    /** The broker no longer had what a consumer was to read next, which
     *  skipped ahead (Kafka: an offset reset after "Offset out of range"):
     *  messages lost to it, never received. */
    int64_t offset_resets;
};

/** The range of counts indexes a histogram has ever used, so readers scan
 *  only that; on its own cache line, written by the histogram's writer
 *  thread only when a value falls outside it. */
struct ombc_index_range {
    _Alignas(64) int64_t lo; /**< lowest index used; INT64_MAX when none */
    int64_t hi;              /**< highest index used; -1 when none */
};

struct ombc_agent_stats_shm; /* the mapped block's layout, private to agent_stats.c */

/** One mapping of an agent's block. */
struct ombc_agent_stats {
    struct ombc_agent_stats_shm *shm;
    size_t size;
    struct ombc_agent_counters *counters;
    struct ombc_index_range *ranges; /**< one per metric, in the block */
    struct ombc_hist hist[OMBC_METRIC_COUNT]; /**< layouts; counts point into the block */
};

/**
 * @brief Creates a block in a new memfd (returned in *fd, close-on-exec) and
 * maps it. @return 0, OMBC_EIO (errstr has the system error), OMBC_ENOMEM.
 */
int ombc_agent_stats_create(struct ombc_agent_stats *s, int *fd, char *errstr, size_t errstr_size);

/** @brief Maps an existing block from fd (in the agent). @return 0,
 *  OMBC_EIO, OMBC_EPARSE (not an ombc stats block). */
int ombc_agent_stats_attach(struct ombc_agent_stats *s, int fd, char *errstr, size_t errstr_size);

void ombc_agent_stats_detach(struct ombc_agent_stats *s);

/* ---- writer side (agent hot path) ---- */

/** @brief Adds n to a counter owned by the calling thread. */
static inline void ombc_counter_add(int64_t *c, int64_t n) {
    __atomic_store_n(c, __atomic_load_n(c, __ATOMIC_RELAXED) + n, __ATOMIC_RELAXED);
}

/** @brief Records v into metric m. @return false if v is out of the
 *  histogram's range (nothing recorded: the caller counts it). */
static inline bool ombc_agent_stats_record(struct ombc_agent_stats *s, enum ombc_metric m,
                                           int64_t v) {
    int32_t i = ombc_hist_index_of(&s->hist[m], v);
    if (i < 0)
        return false;
    struct ombc_index_range *r = &s->ranges[m];
    if (i < __atomic_load_n(&r->lo, __ATOMIC_RELAXED))
        __atomic_store_n(&r->lo, i, __ATOMIC_RELAXED);
    if (i > __atomic_load_n(&r->hi, __ATOMIC_RELAXED))
        __atomic_store_n(&r->hi, i, __ATOMIC_RELAXED);
    ombc_counter_add(&s->hist[m].counts[i], 1);
    return true;
}

/** @brief Sets a gauge owned by the calling thread. */
static inline void ombc_gauge_set(int64_t *g, int64_t v) {
    __atomic_store_n(g, v, __ATOMIC_RELAXED);
}

/* ---- reader side ---- */

static inline int64_t ombc_counter_read(const int64_t *c) {
    return __atomic_load_n(c, __ATOMIC_RELAXED);
}

#endif
