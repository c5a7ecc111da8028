/*
 * rate_controller: OMB's RateController, the search for the maximum
 * sustainable publish rate when a workload asks for producerRate: 0
 * (OMB-REFERENCE.md 3.6). Pure arithmetic on counter totals, so the same
 * numbers in give OMB's rates out; the generator feeds it every 3 s.
 */
#ifndef OMBC_RUN_RATE_CONTROLLER_H
#define OMBC_RUN_RATE_CONTROLLER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OMBC_RATE_CONTROLLER_INITIAL_RATE 10000.0 /* msg/s, OMB's start */
#define OMBC_RATE_CONTROLLER_PERIOD_MS 3000       /* OMB's control period */

struct ombc_rate_controller {
    int64_t publish_backlog_limit; /**< PUBLISH_BACKLOG_LIMIT, default 1000 */
    int64_t receive_backlog_limit; /**< RECEIVE_BACKLOG_LIMIT, default 1000 */
    double min_ramping_factor;     /**< MIN_RAMPING_FACTOR, default 0.01 */
    double max_ramping_factor;     /**< MAX_RAMPING_FACTOR, default 1 */
    double ramping_factor;         /**< starts at the maximum */
    int64_t prev_published, prev_received;
    /** The verdict of the last ombc_rate_controller_next (ombc): the period
     *  just ended with the receive backlog (total published - total
     *  received) and the publish backlog (expected - published) both within
     *  their limits, so the rate it ran at was held and the controller
     *  ramped up. false before the first call. */
    bool sustained;
};

/** @brief OMB's defaults. */
void ombc_rate_controller_init(struct ombc_rate_controller *c);

/**
 * @brief Reads the four limits from the environment as OMB does (getenv is
 * the only source; an unset variable keeps the default).
 * @return 0, or OMBC_EINVAL when a variable is set but is not a number (a
 *         Java NumberFormatException in OMB), with errstr naming it.
 */
int ombc_rate_controller_from_env(struct ombc_rate_controller *c, char *errstr,
                                  size_t errstr_size);

/**
 * @brief RateController.nextRate: the rate for the next period, given the
 * current rate, the period's length and the cumulative totals published and
 * received (all subscriptions). Sets c->sustained.
 */
double ombc_rate_controller_next(struct ombc_rate_controller *c, double rate,
                                 int64_t period_ns, int64_t total_published,
                                 int64_t total_received);

#endif
