/*
 * rate: OMB's UniformRateLimiter as a schedule. The n-th operation is due at
 * start + n * (1e9 / rate) ns, where start is the clock at the first acquire.
 * Unlike OMB (which rounds the interval to whole ns and so drifts at high
 * rates) the product is computed from the start every time, so the schedule
 * never drifts. A new rate means a new schedule: no debt is carried over.
 * Owned by one thread (the agent's producer loop); no locking.
 */
#ifndef OMBC_CORE_RATE_H
#define OMBC_CORE_RATE_H

#include <stdbool.h>
#include <stdint.h>

struct ombc_rate {
    double interval_ns; /**< 1e9 / ops per second */
    int64_t start_ns;   /**< monotonic time of the first acquire */
    int64_t next;       /**< index of the next operation */
    bool started;
};

/** @brief Sets up a schedule of ops_per_sec. @return 0, or OMBC_EINVAL for
 *  NaN, infinities and values <= 0 (as OMB). */
int ombc_rate_init(struct ombc_rate *r, double ops_per_sec);

/** @brief Takes the next operation and returns its intended time (ns); the
 *  first call fixes the start at now_ns. */
static inline int64_t ombc_rate_acquire(struct ombc_rate *r, int64_t now_ns) {
    if (!r->started) {
        r->start_ns = now_ns;
        r->started = true;
    }
    return r->start_ns + (int64_t)((double)r->next++ * r->interval_ns);
}

#endif
