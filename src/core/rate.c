/*
 * rate: construction of the uniform schedule (acquire is inline in rate.h).
 */
#include "core/rate.h"

#include <math.h>

#include "core/err.h"

int ombc_rate_init(struct ombc_rate *r, double ops_per_sec) {
    if (!isfinite(ops_per_sec) || ops_per_sec <= 0)
        return OMBC_EINVAL;
    r->interval_ns = 1e9 / ops_per_sec;
    r->start_ns = 0;
    r->next = 0;
    r->started = false;
    return 0;
}
