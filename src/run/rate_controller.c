/*
 * rate_controller: RateController.nextRate, step for step.
 */
#include "run/rate_controller.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

#include "core/err.h"
#include "core/units.h"

void ombc_rate_controller_init(struct ombc_rate_controller *c) {
    *c = (struct ombc_rate_controller){
        .publish_backlog_limit = 1000,
        .receive_backlog_limit = 1000,
        .min_ramping_factor = 0.01,
        .max_ramping_factor = 1.0,
        .ramping_factor = 1.0,
    };
}

static int env_long(const char *name, int64_t *out, char *errstr, size_t errstr_size) {
    const char *s = getenv(name);
    if (!s)
        return 0;
    const char *digits = s;
    while (isspace((unsigned char)*digits)) /* strtoll's leniency, kept */
        digits++;
    if (ombc_units_parse_int(digits, INT64_MIN, INT64_MAX, out, NULL, 0) != 0)
        return ombc_errf(errstr, errstr_size, OMBC_EINVAL,
                         "environment variable %s='%s' is not an integer", name, s);
    return 0;
}

static int env_double(const char *name, double *out, char *errstr, size_t errstr_size) {
    const char *s = getenv(name);
    if (!s)
        return 0;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (!*s || *end || errno)
        return ombc_errf(errstr, errstr_size, OMBC_EINVAL,
                         "environment variable %s='%s' is not a number", name, s);
    *out = v;
    return 0;
}

int ombc_rate_controller_from_env(struct ombc_rate_controller *c, char *errstr,
                                  size_t errstr_size) {
    ombc_rate_controller_init(c);
    int rc;
    if ((rc = env_long("PUBLISH_BACKLOG_LIMIT", &c->publish_backlog_limit, errstr, errstr_size)) ||
        (rc = env_long("RECEIVE_BACKLOG_LIMIT", &c->receive_backlog_limit, errstr, errstr_size)) ||
        (rc = env_double("MIN_RAMPING_FACTOR", &c->min_ramping_factor, errstr, errstr_size)) ||
        (rc = env_double("MAX_RAMPING_FACTOR", &c->max_ramping_factor, errstr, errstr_size)))
        return rc;
    c->ramping_factor = c->max_ramping_factor;
    return 0;
}

static double rate_of(int64_t count, int64_t period_ns) {
    return (double)count / (double)period_ns * 1e9;
}

static void ramp_up(struct ombc_rate_controller *c) {
    double f = c->ramping_factor * 2;
    c->ramping_factor = f < c->max_ramping_factor ? f : c->max_ramping_factor;
}

static void ramp_down(struct ombc_rate_controller *c) {
    double f = c->ramping_factor / 2;
    c->ramping_factor = f > c->min_ramping_factor ? f : c->min_ramping_factor;
}

static double min_d(double a, double b) {
    return a < b ? a : b;
}

double ombc_rate_controller_next(struct ombc_rate_controller *c, double rate,
                                 int64_t period_ns, int64_t total_published,
                                 int64_t total_received) {
    int64_t expected = (int64_t)((rate / 1e9) * (double)period_ns);
    int64_t published = total_published - c->prev_published;
    int64_t received = total_received - c->prev_received;
    c->prev_published = total_published;
    c->prev_received = total_received;

    int64_t receive_backlog = total_published - total_received;
    c->sustained = false;
    if (receive_backlog > c->receive_backlog_limit) {
        ramp_down(c);
        int64_t rest = expected - receive_backlog;
        return min_d(rate_of(received, period_ns), rate_of(rest > 0 ? rest : 0, period_ns));
    }
    int64_t publish_backlog = expected - published;
    if (publish_backlog > c->publish_backlog_limit) {
        ramp_down(c);
        int64_t rest = expected - publish_backlog;
        return min_d(rate_of(published, period_ns), rate_of(rest > 0 ? rest : 0, period_ns));
    }
    c->sustained = true;
    ramp_up(c);
    return rate + rate * c->ramping_factor;
}
