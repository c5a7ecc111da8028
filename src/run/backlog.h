/*
 * backlog: OMB's backlog task (consumerBacklogSizeGB, OMB-REFERENCE.md 3.5)
 * as a task of the generator's wait loop: with the consumers paused, build
 * the backlog asked; resume them and drain it to the workload's level; then
 * hold the measured phase open for the test duration. ombc bounds the
 * drain: no new low for OMBC_BACKLOG_DRAIN_STALL_NS ends the run (OMB waits
 * for ever, its issue 334). The generator reads the backlog and acts on the
 * events (resume, the phase's new end); this module keeps the state and
 * the timing. Main thread.
 */
#ifndef OMBC_RUN_BACKLOG_H
#define OMBC_RUN_BACKLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/workload.h"

#define OMBC_BACKLOG_DRAIN_STALL_NS 30000000000LL /* ombc: no new low for 30 s ends it */

enum ombc_backlog_phase {
    OMBC_BACKLOG_OFF, OMBC_BACKLOG_BUILD, OMBC_BACKLOG_DRAIN, OMBC_BACKLOG_HOLD,
    OMBC_BACKLOG_DONE
};

/** What a step saw happen. */
enum ombc_backlog_event {
    OMBC_BACKLOG_NOTHING,
    OMBC_BACKLOG_BUILT,   /**< built: resume the consumers, the drain begins */
    OMBC_BACKLOG_DRAINED, /**< drained: the test duration runs from now (hold_end_ns) */
};

struct ombc_backlog {
    enum ombc_backlog_phase phase;
    int64_t requested_bytes, min_backlog, message_size;
    int64_t test_ns;               /**< the workload's test duration (0: open-ended) */
    int64_t t0, next_ns, hold_end_ns; /**< monotonic ns */
    int64_t low, low_ns;           /**< draining: the lowest backlog seen, and when */
};

/** @brief Starts building the backlog w asks for at now_ns (the caller has
 *  paused the consumers). */
void ombc_backlog_start(struct ombc_backlog *b, const struct ombc_workload *w, int64_t now_ns);

/** @brief True while the task reads the backlog (building or draining):
 *  the caller reads it before ombc_backlog_step. */
bool ombc_backlog_reading(const struct ombc_backlog *b);

/**
 * @brief The step due at now_ns (b->next_ns), given the backlog in messages
 * (when reading) and the offset resets seen so far (named when the drain
 * stalls). @return 0 with *ev, or OMBC_ETIMEDOUT with errstr when the
 * drain made no new low for OMBC_BACKLOG_DRAIN_STALL_NS.
 */
int ombc_backlog_step(struct ombc_backlog *b, int64_t now_ns, int64_t backlog,
                      int64_t offset_resets, enum ombc_backlog_event *ev, char *errstr,
                      size_t errstr_size);

/** @brief True while the task keeps the measured phase open. */
bool ombc_backlog_pending(const struct ombc_backlog *b);

#endif
