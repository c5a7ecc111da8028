/*
 * worker: OMB's Worker interface (OMB-REFERENCE.md sections 0 and 4) as a
 * table of operations, so that the run algorithm (run/generator.c) drives
 * any worker the same way: today the pool of local agent processes
 * (agent_pool.c); later a remote OMB worker over HTTP.
 * Every operation returns 0 or a negative OMBC_E* code with errstr filled.
 */
#ifndef OMBC_WORKER_WORKER_H
#define OMBC_WORKER_WORKER_H

#include <stddef.h>
#include <stdint.h>

#include "config/driver_conf.h"
#include "config/workload.h"
#include "stats/collector.h"

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

struct ombc_worker;

struct ombc_worker_ops {
    int (*initialize_driver)(struct ombc_worker *w, const struct ombc_driver_conf *conf,
                             char *errstr, size_t errstr_size);
    /** Creates topics and returns their names (*names: malloc'd array of
     *  malloc'd strings, *count entries; the caller frees both). */
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
    /** Stops publishing and waits for the sends in flight to be
     *  acknowledged or failed; consumers go on (ombc extension: it lets the
     *  generator check that every message sent was received). */
    int (*stop_load)(struct ombc_worker *w, char *errstr, size_t errstr_size);
    int (*pause_consumers)(struct ombc_worker *w, char *errstr, size_t errstr_size);
    int (*resume_consumers)(struct ombc_worker *w, char *errstr, size_t errstr_size);
    int (*get_period_stats)(struct ombc_worker *w, struct ombc_period_stats *out, char *errstr,
                            size_t errstr_size);
    int (*get_cumulative_latencies)(struct ombc_worker *w, struct ombc_cumulative_latencies *out,
                                    char *errstr, size_t errstr_size);
    int (*get_counters_stats)(struct ombc_worker *w, struct ombc_counters_stats *out,
                              char *errstr, size_t errstr_size);
    int (*reset_stats)(struct ombc_worker *w, char *errstr, size_t errstr_size);
    /** Stops the load, closes producers, consumers and the driver, deletes
     *  the topics this worker created. The worker can be initialised again. */
    int (*stop_all)(struct ombc_worker *w, char *errstr, size_t errstr_size);
    /** Cheap liveness check (ombc extension): OMBC_EAGENT when part of the
     *  worker died. Called about once a second while a phase runs. */
    int (*health)(struct ombc_worker *w, char *errstr, size_t errstr_size);
    void (*destroy)(struct ombc_worker *w);
};

struct ombc_worker {
    const struct ombc_worker_ops *ops;
};

#endif
