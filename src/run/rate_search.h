/*
 * rate_search: OMB's maximum-rate search (producerRate: 0, OMB-REFERENCE.md
 * 3.6) as a task of the generator's wait loop: every control period OMB's
 * controller (rate_controller.c) turns the cumulative totals into the next
 * rate. ombc also keeps the answer OMB never gives: the highest rate held
 * through a whole control period of the measured phase. Main thread.
 */
#ifndef OMBC_RUN_RATE_SEARCH_H
#define OMBC_RUN_RATE_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "run/rate_controller.h"
#include "stats/result.h"

struct ombc_rate_search {
    bool on;
    struct ombc_rate_controller ctl;
    double rate;             /**< msg/s asked now */
    int64_t prev_ns, next_ns; /**< the control period's start, the next step (monotonic) */
    /** The rate found: control periods that began at or after
     *  measure_from_ns (the test phase's start; INT64_MAX before it), how
     *  many of them the controller judged sustained, and the highest rate
     *  such a period ran at (NAN: none yet). */
    int64_t measure_from_ns;
    int periods, held;
    double best;
};

/** @brief Starts the search at OMB's 10,000 msg/s at now (the controller's
 *  limits from the environment, as OMB). @return 0 or OMBC_EINVAL. */
int ombc_rate_search_start(struct ombc_rate_search *s, int64_t now_ns, char *errstr,
                           size_t errstr_size);

/** @brief The control step due at now_ns (s->next_ns): the rate for the next
 *  period from the totals published and received (all subscriptions). */
double ombc_rate_search_step(struct ombc_rate_search *s, int64_t now_ns, int64_t sent,
                             int64_t received);

/** @brief Logs the rate found (or that none held) and writes it in result;
 *  nothing when the search did not run. */
void ombc_rate_search_report(const struct ombc_rate_search *s, struct ombc_result *result);

#endif
