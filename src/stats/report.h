/*
 * report: everything ombc prints or writes about a run, in OMB's exact text:
 * the period line and the aggregated line (OMB-REFERENCE.md 3.3), and the
 * TestResult JSON in Jackson's pretty-printed layout with Java's number
 * formatting (5.1, 5.2, 4.2), followed by ombc's extension fields. The only
 * module that formats results.
 */
#ifndef OMBC_STATS_REPORT_H
#define OMBC_STATS_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "stats/result.h"

/** The figures of one period line, already divided by the period length. */
struct ombc_period_figures {
    double publish_rate;    /**< msg/s */
    double publish_mib_s;   /**< MiB/s */
    double error_rate;      /**< err/s */
    double consume_rate;    /**< msg/s */
    double consume_mib_s;   /**< MiB/s */
    int64_t backlog;        /**< messages */
    struct ombc_latency_stats publish_latency; /**< us */
    struct ombc_latency_stats publish_delay;   /**< us */
    struct ombc_latency_stats end_to_end;      /**< us; ombc: not in OMB's line */
};

/** What a period's figures show when the rate asked for was not reached. */
enum ombc_shortfall_cause {
    OMBC_SHORTFALL_ERRORS, /**< sends failed (error rate > 0) */
    OMBC_SHORTFALL_QUEUE,  /**< publish latency high or growing: broker or client queue */
    OMBC_SHORTFALL_CPU,    /**< publish delay high or growing, latency flat: ombc's CPU */
    OMBC_SHORTFALL_UNCLEAR /**< neither: the figures show no cause */
};

/**
 * @brief The one-line warning for a period published below target msg/s,
 * saying what its figures show, in this order: errors (error rate > 0); the
 * broker or the client's queue (publish latency avg >= 100 ms, or 1.5 x the
 * previous period's and 1 ms more); ombc's own CPU (publish delay avg >=
 * 10 ms, or 1.5 x the previous period's and 1 ms more, while publish
 * latency is flat). prev_latency / prev_delay: the previous period's, NULL
 * for the first. @return the cause named.
 */
enum ombc_shortfall_cause ombc_report_shortfall(char *buf, size_t size, double target,
                                                const struct ombc_period_figures *f,
                                                const struct ombc_latency_stats *prev_latency,
                                                const struct ombc_latency_stats *prev_delay);

/** @brief OMB's period line ("Pub rate ... | Pub Delay Latency (us) ..."),
 *  NUL-terminated, no newline. */
void ombc_report_period_line(char *buf, size_t size, const struct ombc_period_figures *f);

/** @brief OMB's "----- Aggregated Pub Latency (ms) ..." line, no newline. */
void ombc_report_aggregated_line(char *buf, size_t size,
                                 const struct ombc_latency_stats *publish_latency,
                                 const struct ombc_latency_stats *publish_delay);

/** @brief The period line's figures as JSON members text for a log event
 *  (core/log.h), unrounded, in the line's units (latency ms, delay us,
 *  backlog messages), with the phase ("warmup", "test"). */
void ombc_report_period_fields(char *buf, size_t size, const char *phase,
                               const struct ombc_period_figures *f);

/** @brief The aggregated line's figures as JSON members text. */
void ombc_report_aggregated_fields(char *buf, size_t size, const char *phase,
                                   const struct ombc_latency_stats *publish_latency,
                                   const struct ombc_latency_stats *publish_delay);

/** @brief What verdict v says, in words for the summary and messages;
 *  NULL for OMBC_CONSUMERS_OK. */
const char *ombc_report_verdict_text(enum ombc_consumer_verdict v);

/**
 * @brief ombc's end-of-run summary, after OMB's aggregated line: lines
 * separated by '\n' (no final newline), each starting "----- ": the mean
 * publish and consume rates, p50/p99/max of publish latency (ms), publish
 * delay (us) and end-to-end latency (ms), "-" for a latency with no
 * samples, and a "FAILED: " line with the consumers' verdict
 * (r->consumers) when it is not OK. has_consumers: the workload has
 * subscriptions (else the consume rate and end-to-end say so).
 */
void ombc_report_summary(char *buf, size_t size, const struct ombc_result *r,
                         bool has_consumers);

/** @brief The summary's figures as JSON members text (null for an absent
 *  latency, "consumerShortfall": null or the verdict's name). */
void ombc_report_summary_fields(char *buf, size_t size, const struct ombc_result *r,
                                bool has_consumers);

/** @brief Java DecimalFormat("0.0") with half-even rounding, left-padded with
 *  spaces to width. */
void ombc_format_decimal1(char *buf, size_t size, double v, int width);

/** @brief Java Double.toString(v) ("25000.0", "1.0E7", "0.5", "NaN"). */
void ombc_format_java_double(char *buf, size_t size, double v);

/**
 * @brief The TestResult JSON of r, as OMB's Jackson writer lays it out; then
 * ombc's extensions: publishResponseTime{Avg,50pct,...,9999pct,Max} lists,
 * aggregatedPublishResponseTime{Avg,...,Max} and
 * aggregatedPublishResponseTimeQuantiles (ms, as publishLatency),
 * agentRestarts, and when set incomplete and deliveryCheck.
 * @return a malloc'd NUL-terminated string, or NULL when out of memory.
 */
char *ombc_report_result_json(const struct ombc_result *r);

/**
 * @brief Writes the TestResult JSON to path (via a temporary file and rename).
 * @return 0, OMBC_EIO (errstr names the path and errno text), OMBC_ENOMEM.
 */
int ombc_report_write_result(const struct ombc_result *r, const char *path, char *errstr,
                             size_t errstr_size);

#endif
