/*
 * metric: the four latency metrics ombc measures and the histogram layout
 * each is recorded in (OMB's ranges, 5 significant digits). Shared by the
 * agents' stats blocks, the Worker interface's stats and the reports.
 * Constant data only: any thread.
 */
#ifndef OMBC_STATS_METRIC_H
#define OMBC_STATS_METRIC_H

#include <stdint.h>

#include "stats/hdr.h"

#define OMBC_PUBLISH_HIGHEST 60000000LL  /* us: 60 s, as OMB */
#define OMBC_E2E_HIGHEST 43200000000LL   /* us: 12 h, as OMB */
#define OMBC_HIST_DIGITS 5

/* The order is fixed: indexes are the stats block's layout and name the
 * .hlog files; a new metric goes last. */
enum ombc_metric {
    OMBC_METRIC_PUBLISH_LATENCY = 0, /**< ack - send, us up to 60 s */
    OMBC_METRIC_PUBLISH_DELAY,       /**< send - intended send time, us up to 60 s */
    OMBC_METRIC_END_TO_END,          /**< receive - publish timestamp, us up to 12 h */
    /** ombc: ack - intended send time (delay + latency), us up to 60 s: the
     *  response time a client of a fixed-rate service sees, free of
     *  coordinated omission. */
    OMBC_METRIC_PUBLISH_RESPONSE,
    OMBC_METRIC_COUNT
};

/** @brief "publish-latency", "publish-delay", "end-to-end" or
 *  "publish-response-time" ("unknown" out of range). */
const char *ombc_metric_name(enum ombc_metric m);

/** @brief The highest value (us) metric m's histogram tracks. */
int64_t ombc_metric_highest(enum ombc_metric m);

/** @brief Initialises h (owned counts) with OMB's parameters for metric m.
 *  @return 0 or OMBC_ENOMEM. */
int ombc_metric_hist_init(struct ombc_hist *h, enum ombc_metric m);

#endif
