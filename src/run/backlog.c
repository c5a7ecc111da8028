/*
 * backlog: OMB's backlog build, drain and hold (see backlog.h).
 */
#include "run/backlog.h"

#include <inttypes.h>
#include <stdio.h>

#include "core/err.h"
#include "core/log.h"

#define LOGGER "WorkloadGenerator"
#define BUILD_POLL_NS 1000000000LL /* OMB: counters every 1 s while building */
#define DRAIN_POLL_NS 100000000LL  /* OMB: every 100 ms while draining */
#define MIN_DRAIN_BACKLOG 1000     /* OMB: draining is done at <= max(1000, ...) */

void ombc_backlog_start(struct ombc_backlog *b, const struct ombc_workload *w, int64_t now_ns) {
    int64_t requested = ombc_workload_backlog_bytes(w);
    int64_t capacity = requested / w->message_size;
    int64_t empty_level = (int64_t)((1.0 - w->backlog_drain_ratio) * (double)capacity);
    *b = (struct ombc_backlog){
        .phase = OMBC_BACKLOG_BUILD,
        .requested_bytes = requested,
        .min_backlog = empty_level > MIN_DRAIN_BACKLOG ? empty_level : MIN_DRAIN_BACKLOG,
        .message_size = w->message_size,
        .test_ns = ombc_workload_test_seconds(w) * 1000000000,
        .t0 = now_ns,
        .next_ns = now_ns + BUILD_POLL_NS,
    };
}

bool ombc_backlog_reading(const struct ombc_backlog *b) {
    return b->phase == OMBC_BACKLOG_BUILD || b->phase == OMBC_BACKLOG_DRAIN;
}

bool ombc_backlog_pending(const struct ombc_backlog *b) {
    return ombc_backlog_reading(b) || b->phase == OMBC_BACKLOG_HOLD;
}

/* OMB waits for ever (its issue 334); a backlog that stops shrinking, e.g.
 * because the broker dropped messages before they were read, would hold the
 * phase open for good. */
static int drain_stalled(const struct ombc_backlog *b, int64_t offset_resets, char *errstr,
                         size_t errstr_size) {
    char why[160];
    if (offset_resets > 0)
        snprintf(why, sizeof(why), "the broker dropped messages before the consumers read them "
                 "(%" PRId64 " offset resets), and those never arrive", offset_resets);
    else
        snprintf(why, sizeof(why), "the consumers do not receive what is left");
    return ombc_errf(errstr, errstr_size, OMBC_ETIMEDOUT,
                     "the backlog stopped draining at %" PRId64 " messages for %.0f s (the "
                     "drain ends at %" PRId64 "): %s",
                     b->low, (double)OMBC_BACKLOG_DRAIN_STALL_NS / 1e9, b->min_backlog, why);
}

int ombc_backlog_step(struct ombc_backlog *b, int64_t now_ns, int64_t backlog,
                      int64_t offset_resets, enum ombc_backlog_event *ev, char *errstr,
                      size_t errstr_size) {
    *ev = OMBC_BACKLOG_NOTHING;
    switch (b->phase) {
    case OMBC_BACKLOG_BUILD:
        b->next_ns = now_ns + BUILD_POLL_NS;
        if (backlog * b->message_size < b->requested_bytes)
            return 0;
        OMBC_INFO(LOGGER, "--- Completed backlog build in %.1f s ---",
                  (double)(now_ns - b->t0) / 1e9);
        b->phase = OMBC_BACKLOG_DRAIN;
        b->t0 = b->low_ns = now_ns;
        b->next_ns = now_ns + DRAIN_POLL_NS;
        b->low = backlog;
        *ev = OMBC_BACKLOG_BUILT;
        return 0;
    case OMBC_BACKLOG_DRAIN:
        b->next_ns = now_ns + DRAIN_POLL_NS;
        if (backlog < b->low) {
            b->low = backlog;
            b->low_ns = now_ns;
        }
        if (backlog > b->min_backlog) {
            return now_ns - b->low_ns >= OMBC_BACKLOG_DRAIN_STALL_NS
                       ? drain_stalled(b, offset_resets, errstr, errstr_size)
                       : 0;
        }
        OMBC_INFO(LOGGER, "--- Completed backlog draining in %.1f s ---",
                  (double)(now_ns - b->t0) / 1e9);
        b->phase = OMBC_BACKLOG_HOLD;
        b->hold_end_ns = now_ns + b->test_ns;
        b->next_ns = b->hold_end_ns;
        *ev = OMBC_BACKLOG_DRAINED;
        return 0;
    case OMBC_BACKLOG_HOLD:
        b->phase = OMBC_BACKLOG_DONE;
        b->next_ns = INT64_MAX;
        return 0;
    default:
        return 0;
    }
}
