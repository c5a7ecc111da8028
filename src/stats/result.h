/*
 * result: the figures of one (workload, driver) run, shaped as OMB's
 * TestResult (OMB-REFERENCE.md 5.1/5.2): per-period samples of the measured
 * phase and the aggregated statistics and quantile maps of the cumulative
 * histograms, plus ombc's publish response time (publish delay + publish
 * latency, measured from the intended send time) beside them. Latencies are
 * kept in microseconds here; report.c converts to OMB's units (ms for
 * publish, response time and end-to-end, us for publish delay) when it
 * writes. No I/O in this module.
 */
#ifndef OMBC_STATS_RESULT_H
#define OMBC_STATS_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stats/hdr.h"

/** Mean and OMB's percentiles of one histogram, in the histogram's unit (us).
 *  A histogram with no samples gives count 0 and zero figures (as HdrHistogram
 *  does): the latency is then absent, and every reader shows it so (null in
 *  the JSON where OMB's readers allow, "-" in text), never as 0. */
struct ombc_latency_stats {
    double avg;
    int64_t p50, p75, p95, p99, p999, p9999, max;
    int64_t count; /**< samples recorded; 0: absent */
};

/** @brief Whether s holds samples (a latency with none is absent). */
static inline bool ombc_latency_present(const struct ombc_latency_stats *s) {
    return s->count > 0;
}

/** One reporting period of the measured phase. */
struct ombc_period_sample {
    double publish_rate;       /**< msg/s */
    double publish_error_rate; /**< err/s */
    double consume_rate;       /**< msg/s, all subscriptions together */
    int64_t backlog;           /**< messages */
    struct ombc_latency_stats publish_latency;  /**< us */
    struct ombc_latency_stats publish_delay;    /**< us */
    struct ombc_latency_stats end_to_end;       /**< us */
    struct ombc_latency_stats publish_response; /**< us; ombc: ack - intended send time */
};

/** One entry of a quantile map: the cumulative percentile and the value. */
struct ombc_quantile {
    double percentile;
    int64_t value; /**< us */
};

struct ombc_quantile_map {
    struct ombc_quantile *items; /**< ascending percentile, unique keys, last 100.0 */
    size_t count;
};

/** ombc's delivery check: what was acknowledged and what the consumers got
 *  once the load had stopped. */
struct ombc_delivery {
    bool checked;
    int64_t sent;     /**< acknowledged, including the readiness probe */
    int64_t expected; /**< sent x subscriptions per topic */
    int64_t received; /**< by all consumers; duplicates count again */
};

/** One entry of a configuration as run: value is JSON text (a number,
 *  true/false, null) when raw, else a string to be quoted. */
struct ombc_setting {
    char *key;
    char *value;
    bool raw;
};

/** An ordered list of settings the result owns. */
struct ombc_settings {
    struct ombc_setting *items;
    size_t count;
    size_t cap;
};

/** @brief Appends key = value (copied). @return 0 or OMBC_ENOMEM. */
int ombc_settings_add(struct ombc_settings *s, const char *key, const char *value, bool raw);
void ombc_settings_fini(struct ombc_settings *s);

/** Where and how a run ran (ombc extensions of the result; strings owned,
 *  NULL when unknown). */
struct ombc_run_info {
    char *ombc_version;
    char *client_version; /**< the driver's client library, "librdkafka 2.0.2" */
    char *cpu_model;
    int cpu_cores;        /**< online CPUs */
    char *kernel;         /**< "Linux 6.1.0-18-amd64" */
    int agents;
    int report_interval_s; /**< the length of a period; 0 when not set */
    int64_t start_ms;     /**< epoch ms; 0 when not set */
    int64_t end_ms;
    struct ombc_settings workload; /**< every workload key, defaults included */
    struct ombc_settings driver;   /**< the driver file's keys, secrets masked */
};

/** What the consumers did over the measured phase (ombc). */
enum ombc_consumer_verdict {
    OMBC_CONSUMERS_OK = 0,        /**< kept up, or the workload has none */
    OMBC_CONSUMERS_NOTHING,       /**< received nothing in any period */
    OMBC_CONSUMERS_FELL_BEHIND,   /**< backlog still growing at the end */
};

/** @brief Result field value / summary text of v: NULL for OK,
 *  "receivedNothing", "fellBehind". */
const char *ombc_consumer_verdict_name(enum ombc_consumer_verdict v);

struct ombc_result {
    char *workload; /**< workload YAML name (may be NULL) */
    char *driver;   /**< driver name */
    int64_t message_size;
    int topics;
    int partitions;
    int producers_per_topic;
    int consumers_per_topic; /**< = consumerPerSubscription, as OMB */

    struct ombc_period_sample *periods;
    size_t period_count;
    size_t period_cap;

    struct ombc_latency_stats agg_publish_latency;
    struct ombc_latency_stats agg_publish_delay;
    struct ombc_latency_stats agg_end_to_end;
    struct ombc_latency_stats agg_publish_response; /**< ombc */
    struct ombc_quantile_map publish_latency_quantiles;
    struct ombc_quantile_map publish_delay_quantiles;
    struct ombc_quantile_map end_to_end_quantiles;
    struct ombc_quantile_map publish_response_quantiles; /**< ombc */

    struct ombc_delivery delivery; /**< written only when checked */
    enum ombc_consumer_verdict consumers; /**< ombc_result_judge_consumers */
    /** producerRate 0 (ombc): the rate search ran; max_sustainable_rate is
     *  then the highest rate (msg/s) held through a whole control period of
     *  the measured phase with both backlogs within the controller's limits
     *  (run/generator.c), NAN when no period held. */
    bool rate_searched;
    double max_sustainable_rate;
    /** Times a consumer found the messages it was to read next dropped by
     *  the broker and skipped them (Kafka: offset resets), over the run;
     *  written when > 0 (ombc). */
    int64_t offset_resets;
    bool incomplete;     /**< the measured phase ended early (signal, failure) */
    int agent_restarts;  /**< agent processes restarted during the run */
    struct ombc_run_info info;
};

/** @brief Mean, p50..p99.99 and max of h (HdrHistogram semantics). */
void ombc_latency_stats_of(struct ombc_latency_stats *s, const struct ombc_hist *h);

/**
 * @brief OMB's quantile map of h: percentiles(100) iteration, key = the
 * step's cumulative percentile, value = the step's value, duplicate keys
 * collapsed (the later step wins, as in a Java TreeMap put).
 * @return 0 or OMBC_ENOMEM. An empty histogram gives an empty map.
 */
int ombc_quantile_map_of(struct ombc_quantile_map *m, const struct ombc_hist *h);
void ombc_quantile_map_fini(struct ombc_quantile_map *m);

/** @brief Zeroes r and copies the identifying strings. @return 0 or OMBC_ENOMEM. */
int ombc_result_init(struct ombc_result *r, const char *workload, const char *driver);

/** @brief Appends one period. @return 0 or OMBC_ENOMEM. */
int ombc_result_add_period(struct ombc_result *r, const struct ombc_period_sample *s);

/** @brief Fills the aggregated fields and quantile maps from the cumulative
 *  histograms (none NULL), replacing earlier ones. @return 0 or OMBC_ENOMEM
 *  (r unchanged). */
int ombc_result_set_aggregated(struct ombc_result *r, const struct ombc_hist *publish_latency,
                               const struct ombc_hist *publish_delay,
                               const struct ombc_hist *end_to_end,
                               const struct ombc_hist *publish_response);

/**
 * @brief Judges the consumers from the measured periods, sets r->consumers
 * and returns it. With subscriptions_per_topic 0 (no consumers) or no period
 * it is OK. NOTHING: the consume rate is 0 in every period. FELL_BEHIND: the
 * backlog grew in each of the last three periods (or all, when fewer; from 0
 * before the first) and ends above one second of the last period's
 * consumption, so the consumers are behind by more than their in-flight
 * messages and not catching up; unless a delivery check (r->delivery, so
 * judge after it) saw every message arrive in the end.
 */
enum ombc_consumer_verdict ombc_result_judge_consumers(struct ombc_result *r,
                                                       int subscriptions_per_topic);

void ombc_result_fini(struct ombc_result *r);

#endif
