/*
 * worker: OMB's Worker interface (OMB-REFERENCE.md sections 0 and 4) as a
 * table of operations, and the stats types a worker returns, so that the run
 * algorithm (run/generator.c) drives any worker the same way: the local
 * worker of agent processes (local_worker.c), the ensemble that composes
 * workers (ensemble.c), one agent (agent_worker.c), and next a remote OMB or
 * ombc worker over HTTP. This header depends on no implementation.
 *
 * Every operation returns 0 or a negative OMBC_E* code with errstr filled,
 * and is called from one thread at a time (the coordinator's main thread, or
 * an ensemble's call thread for a member).
 */
#ifndef OMBC_WORKER_WORKER_H
#define OMBC_WORKER_WORKER_H

#include <stddef.h>
#include <stdint.h>

#include "config/driver_conf.h"
#include "config/workload.h"
#include "stats/hdr.h"
#include "stats/metric.h"

struct ombc_topic_subscription {
    const char *topic;
    const char *subscription;
};

struct ombc_payload {
    const uint8_t *data;
    size_t len;
};

/** OMB's ProducerWorkAssignment. */
struct ombc_producer_assignment {
    double publish_rate; /**< msg/s for this worker (all its producers) */
    enum ombc_key_distributor key_distributor;
    const struct ombc_payload *payloads;
    size_t payload_count; /**< >= 1 */
};

/* ------------------------------------------------------------- stats */

/** OMB's CountersStats: cumulative totals since the last stop-all. */
struct ombc_counters_stats {
    int64_t messages_sent;     /**< includes probe messages, as OMB */
    int64_t messages_received;
    int64_t message_send_errors;
    /** ombc only: times a consumer found the messages it was to read next
     *  gone from the broker and skipped ahead (Kafka: offset resets after
     *  "Offset out of range"), since the worker started; 0 when the worker
     *  cannot tell. */
    int64_t offset_resets;
    /** ombc only: the rates the worker's producers publish at now, added up
     *  (msg/s); NAN when the worker cannot tell (OMB's workers). */
    double publish_rate_applied;
    /** ombc only: what they were last told, added up (msg/s; each member
     *  that publishes at least 1 msg/s, as OMB's LocalWorker); NAN when
     *  unknown. */
    double publish_rate_target;
};

/** OMB's PeriodStats: since the previous period read. The histograms are
 *  initialised by ombc_period_stats_init (one per metric, OMB's layout). */
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

/** OMB's CumulativeLatencies: since the previous cumulative read or reset. */
struct ombc_cumulative_latencies {
    struct ombc_hist hist[OMBC_METRIC_COUNT];
};

/** @brief Zeroes s and gives it one histogram per metric. @return 0 or
 *  OMBC_ENOMEM (nothing to fini then). */
int ombc_period_stats_init(struct ombc_period_stats *s);
void ombc_period_stats_fini(struct ombc_period_stats *s);
/** @brief Zeroes the counters and empties the histograms. */
void ombc_period_stats_clear(struct ombc_period_stats *s);
/** @brief dst += src: counters summed, histograms merged (OMB's ensemble). */
void ombc_period_stats_add(struct ombc_period_stats *dst, const struct ombc_period_stats *src);

int ombc_cumulative_latencies_init(struct ombc_cumulative_latencies *c);
void ombc_cumulative_latencies_fini(struct ombc_cumulative_latencies *c);
void ombc_cumulative_latencies_clear(struct ombc_cumulative_latencies *c);
void ombc_cumulative_latencies_add(struct ombc_cumulative_latencies *dst,
                                   const struct ombc_cumulative_latencies *src);

/** @brief dst += src; an unknown (NAN) rate on either side stays unknown. */
void ombc_counters_stats_add(struct ombc_counters_stats *dst,
                             const struct ombc_counters_stats *src);

/* ------------------------------------------------------------- operations */

/** How often the generator calls supervise while it waits (ms). */
#define OMBC_WORKER_SUPERVISE_MS 200

struct ombc_worker;

struct ombc_worker_ops {
    /* ---- OMB's Worker: required, except create_topics (see there) ---- */
    int (*initialize_driver)(struct ombc_worker *w, const struct ombc_driver_conf *conf,
                             char *errstr, size_t errstr_size);
    /** Creates topics and returns their names (*names: malloc'd array of
     *  malloc'd strings, *count entries; the caller frees both). NULL only
     *  in a worker that is never asked (an agent inside the local worker,
     *  which creates the topics itself). */
    int (*create_topics)(struct ombc_worker *w, int topics, int partitions, char ***names,
                         char *errstr, size_t errstr_size);
    int (*create_producers)(struct ombc_worker *w, const char *const *topics, size_t count,
                            char *errstr, size_t errstr_size);
    int (*create_consumers)(struct ombc_worker *w, const struct ombc_topic_subscription *subs,
                            size_t count, char *errstr, size_t errstr_size);
    int (*probe_producers)(struct ombc_worker *w, char *errstr, size_t errstr_size);
    int (*start_load)(struct ombc_worker *w, const struct ombc_producer_assignment *a,
                      char *errstr, size_t errstr_size);
    int (*adjust_publish_rate)(struct ombc_worker *w, double rate, char *errstr,
                               size_t errstr_size);
    int (*pause_consumers)(struct ombc_worker *w, char *errstr, size_t errstr_size);
    int (*resume_consumers)(struct ombc_worker *w, char *errstr, size_t errstr_size);
    /** out: initialised by ombc_period_stats_init; overwritten. */
    int (*get_period_stats)(struct ombc_worker *w, struct ombc_period_stats *out, char *errstr,
                            size_t errstr_size);
    /** out: initialised by ombc_cumulative_latencies_init; overwritten. */
    int (*get_cumulative_latencies)(struct ombc_worker *w, struct ombc_cumulative_latencies *out,
                                    char *errstr, size_t errstr_size);
    int (*get_counters_stats)(struct ombc_worker *w, struct ombc_counters_stats *out,
                              char *errstr, size_t errstr_size);
    int (*reset_stats)(struct ombc_worker *w, char *errstr, size_t errstr_size);
    /** Stops the load, closes producers, consumers and the driver, deletes
     *  the topics (and subscriptions) this worker created. The worker can be
     *  initialised again. */
    int (*stop_all)(struct ombc_worker *w, char *errstr, size_t errstr_size);
    void (*destroy)(struct ombc_worker *w);

    /* ---- ombc extensions: NULL where a worker lacks them (OMB's REST
     *      protocol has none of them) ---- */

    /** Stops publishing and waits for the sends in flight to be
     *  acknowledged or failed; consumers go on. --check-delivery needs it. */
    int (*stop_load)(struct ombc_worker *w, char *errstr, size_t errstr_size);
    /** The supervision step: notices members that died and restarts them
     *  with the same work (fork, exec and a replay of their commands: tens
     *  of ms, only when one died); OMBC_EAGENT when one died and cannot be
     *  restarted. Called every OMBC_WORKER_SUPERVISE_MS while a phase runs;
     *  without a death it costs a waitpid per agent. */
    int (*supervise)(struct ombc_worker *w, char *errstr, size_t errstr_size);
    /** Agent processes restarted since the driver was last initialised. */
    int (*agent_restarts)(struct ombc_worker *w);
};

struct ombc_worker {
    const struct ombc_worker_ops *ops;
};

#endif
