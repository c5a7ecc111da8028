/*
 * rate_search: OMB's maximum-rate search and the rate it found (see
 * rate_search.h).
 */
#include "run/rate_search.h"

#include <inttypes.h>
#include <math.h>

#include "core/log.h"

#define LOGGER "WorkloadGenerator"
#define PERIOD_NS ((int64_t)OMBC_RATE_CONTROLLER_PERIOD_MS * 1000000)

int ombc_rate_search_start(struct ombc_rate_search *s, int64_t now_ns, char *errstr,
                           size_t errstr_size) {
    int rc = ombc_rate_controller_from_env(&s->ctl, errstr, errstr_size);
    if (rc)
        return rc;
    s->on = true;
    s->rate = OMBC_RATE_CONTROLLER_INITIAL_RATE;
    s->measure_from_ns = INT64_MAX;
    s->periods = s->held = 0;
    s->best = NAN;
    s->prev_ns = now_ns;
    s->next_ns = now_ns + PERIOD_NS;
    return 0;
}

double ombc_rate_search_step(struct ombc_rate_search *s, int64_t now_ns, int64_t sent,
                             int64_t received) {
    int64_t period = now_ns - s->prev_ns;
    bool measured = s->prev_ns >= s->measure_from_ns;
    double ran_at = s->rate; /* over the whole period just ended */
    s->prev_ns = now_ns;
    s->next_ns = now_ns + PERIOD_NS;
    s->rate = ombc_rate_controller_next(&s->ctl, s->rate, period, sent, received);
    if (measured) {
        s->periods++;
        if (s->ctl.sustained) {
            s->held++;
            if (isnan(s->best) || ran_at > s->best)
                s->best = ran_at;
        }
    }
    return s->rate;
}

/* The rate found: the highest rate a whole control period of the test phase
 * ran at that OMB's controller judged sustained: the period ended with the
 * receive backlog (published - received) and the publish backlog (expected
 * - published) within RECEIVE_ and PUBLISH_BACKLOG_LIMIT, the verdict on
 * which the controller ramps up. The controller changes the rate every
 * period, so no rate is held longer; one held period is its own evidence,
 * and the count of held periods says how often. */
void ombc_rate_search_report(const struct ombc_rate_search *s, struct ombc_result *result) {
    if (!s->on)
        return;
    result->rate_searched = true;
    result->max_sustainable_rate = s->best;
    double period_s = OMBC_RATE_CONTROLLER_PERIOD_MS / 1000.0;
    if (isnan(s->best))
        OMBC_WARN(LOGGER, "Maximum sustainable rate: none found: none of the %d control periods "
                  "(%.0f s) of the test phase ended with the publish backlog within %" PRId64
                  " and the receive backlog within %" PRId64 " messages",
                  s->periods, period_s, s->ctl.publish_backlog_limit,
                  s->ctl.receive_backlog_limit);
    else
        OMBC_INFO(LOGGER, "Maximum sustainable rate: %.1f msg/s (the highest rate held through a "
                  "whole %.0f s control period of the test phase, the publish backlog within %"
                  PRId64 " and the receive backlog within %" PRId64 " messages; %d of %d periods "
                  "held)", s->best, period_s, s->ctl.publish_backlog_limit,
                  s->ctl.receive_backlog_limit, s->held, s->periods);
}
