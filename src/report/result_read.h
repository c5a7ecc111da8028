/*
 * result_read: reads a result JSON file (OMB's TestResult, with or without
 * ombc's extensions) into the few figures `ombc chart` and `ombc compare`
 * need: identity, shape, the per-period lists they draw, the quantile maps
 * and the headline numbers. It reads results, it does not check them: a
 * missing field is left empty (a list with no points, a NAN figure) so that
 * OMB-written results and partial ones still chart; only a file that cannot
 * be read, is not JSON, is not an object, holds none of a result's fields,
 * or has a field of the wrong type is an error, returned as "FILE: message".
 * Writing results is stats/report.c's; this module formats nothing.
 * Stateless; any thread.
 */
#ifndef OMBC_REPORT_RESULT_READ_H
#define OMBC_REPORT_RESULT_READ_H

#include <stdbool.h>
#include <stddef.h>

/** A per-period list as written: NAN where the file has "NaN", null... */
struct ombc_number_list {
    double *v;
    size_t n;
};

/** A quantile map: ascending percentiles (the keys, 0..100) and values. */
struct ombc_quantile_list {
    double *pct;
    double *value;
    size_t n;
};

/** The quantile maps a result may hold, in chart order. */
enum ombc_quantile_kind {
    OMBC_Q_PUBLISH_LATENCY,  /**< aggregatedPublishLatencyQuantiles, ms */
    OMBC_Q_PUBLISH_DELAY,    /**< aggregatedPublishDelayLatencyQuantiles, us */
    OMBC_Q_END_TO_END,       /**< aggregatedEndToEndLatencyQuantiles, ms */
    OMBC_Q_PUBLISH_RESPONSE, /**< ombc: aggregatedPublishResponseTimeQuantiles, ms */
    OMBC_Q_COUNT
};

/** The per-period lists charted over time. */
enum ombc_period_kind {
    OMBC_P_PUBLISH_RATE,        /**< publishRate, msg/s */
    OMBC_P_CONSUME_RATE,        /**< consumeRate, msg/s */
    OMBC_P_BACKLOG,             /**< backlog, messages */
    OMBC_P_PUBLISH_LATENCY_P99, /**< publishLatency99pct, ms */
    OMBC_P_COUNT
};

/** The headline numbers, in table order. */
enum ombc_headline {
    OMBC_H_PUBLISH_RATE,     /**< mean of publishRate, msg/s */
    OMBC_H_PUBLISH_MBS,      /**< that x messageSize, MB/s (2^20 bytes, as OMB's period line) */
    OMBC_H_CONSUME_RATE,     /**< mean of consumeRate, msg/s */
    OMBC_H_CONSUME_MBS,      /**< MB/s */
    OMBC_H_PUB_LATENCY_P50,  /**< aggregatedPublishLatency50pct, ms */
    OMBC_H_PUB_LATENCY_P99,  /**< ms */
    OMBC_H_PUB_LATENCY_P999, /**< ms */
    OMBC_H_PUB_LATENCY_MAX,  /**< ms */
    OMBC_H_PUB_DELAY_P50,    /**< aggregatedPublishDelayLatency50pct, us */
    OMBC_H_PUB_DELAY_P99,    /**< us */
    OMBC_H_E2E_P50,          /**< aggregatedEndToEndLatency50pct, ms */
    OMBC_H_E2E_P99,          /**< ms */
    OMBC_H_E2E_MAX,          /**< ms */
    OMBC_H_RESPONSE_P99,     /**< ombc: aggregatedPublishResponseTime99pct, ms */
    OMBC_H_COUNT
};

/** How a headline number is shown. */
struct ombc_headline_info {
    const char *label; /**< "Publish latency p99" */
    const char *unit;  /**< "ms" */
    const char *field; /**< the JSON field(s) it comes from */
    int decimals;      /**< digits after the point when printed */
};

/** @brief Label, unit and format of headline h (0 <= h < OMBC_H_COUNT). */
const struct ombc_headline_info *ombc_headline_info(enum ombc_headline h);

/** Where the period length came from. */
enum ombc_interval_source {
    OMBC_INTERVAL_RECORDED, /**< the result's reportIntervalSeconds */
    OMBC_INTERVAL_INFERRED, /**< test duration / number of periods */
    OMBC_INTERVAL_ASSUMED,  /**< neither: OMB's 10 s, as its chart script assumes */
};

struct ombc_result_figures {
    char *path;                 /**< the file as named by the caller */
    char *workload;             /**< "workload", or NULL */
    char *driver;               /**< "driver", or NULL */
    double message_size;        /**< bytes; NAN when absent */
    double topics, partitions;  /**< NAN when absent */
    double producers_per_topic; /**< NAN when absent */
    double consumers_per_topic; /**< NAN when absent */
    bool incomplete;            /**< "incomplete": true (ombc) */
    char *consumer_shortfall;   /**< "consumerShortfall" (ombc): "receivedNothing"..., or NULL */
    double interval_s;          /**< seconds per period, > 0 */
    enum ombc_interval_source interval_source;
    struct ombc_number_list period[OMBC_P_COUNT];
    struct ombc_quantile_list quantiles[OMBC_Q_COUNT];
    double headline[OMBC_H_COUNT]; /**< NAN when the result lacks it */
};

/** OMB's report interval, which its chart script assumes for every result. */
#define OMBC_RESULT_DEFAULT_INTERVAL_S 10.0

/**
 * @brief Reads the result file at path into *out (zeroed first).
 * @return 0; OMBC_ENOENT (cannot open or read), OMBC_EPARSE (not JSON, not
 * an object, none of a result's fields, a field of the wrong type),
 * OMBC_ENOMEM. errstr gets "PATH: message". On failure *out holds nothing
 * to free.
 */
int ombc_result_read(const char *path, struct ombc_result_figures *out, char *errstr,
                     size_t errstr_size);

/**
 * @brief As ombc_result_read, from text already in memory; name is used as
 * the path (in messages and figures->path).
 */
int ombc_result_read_text(const char *name, const char *text, size_t len,
                          struct ombc_result_figures *out, char *errstr, size_t errstr_size);

/** @brief Frees what *f holds and zeroes it; NULL allowed. */
void ombc_result_figures_fini(struct ombc_result_figures *f);

/** @brief Field name of period list k ("publishRate"...). */
const char *ombc_period_field(enum ombc_period_kind k);

/** @brief Field name of quantile map k ("aggregatedPublishLatencyQuantiles"...). */
const char *ombc_quantile_field(enum ombc_quantile_kind k);

#endif
