/*
 * generator: OMB's WorkloadGenerator (OMB-REFERENCE.md 3.2-3.4): the run
 * algorithm for one (workload, driver) pair, driving any Worker through its
 * table of operations: topics, consumers, producers, readiness probe,
 * warm-up, test, with OMB's period and aggregated lines and its TestResult.
 * Runs in the coordinator's main thread.
 */
#ifndef OMBC_RUN_GENERATOR_H
#define OMBC_RUN_GENERATOR_H

#include "core/stop.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/driver_conf.h"
#include "config/workload.h"
#include "stats/result.h"
#include "worker/worker.h"

/** The clocks the generator reads and sleeps on (tests inject a fake one). */
struct ombc_run_clock {
    int64_t (*now_ns)(void *ctx);                       /**< monotonic ns */
    int64_t (*wall_ms)(void *ctx);                      /**< epoch ms */
    void (*sleep_until_ns)(void *ctx, int64_t deadline); /**< monotonic ns */
    void *ctx;
};

struct ombc_run_options {
    int report_interval_s;                 /**< OMB: 10 */
    /** When not NULL, one .hlog per metric is written to
     *  "<hlog_prefix>-<metric>.hlog", one interval per period (warm-up ones
     *  tagged "warmup"). */
    const char *hlog_prefix;
    /** After the test, stop publishing and wait for the consumers to receive
     *  every acknowledged message once per subscription (ombc extension;
     *  result->delivery). */
    bool check_delivery;
    /** No period or aggregated lines, no rate warnings (`ombc calibrate`). */
    bool quiet;
    /** Draw the status line (run/progress.h): stdout is a terminal. */
    bool status_line;
    const struct ombc_stop *stop_requested; /**< raised by a signal handler; may be NULL */
    /** NULL: the real clocks (core/clock.h). */
    const struct ombc_run_clock *clock;
};

/**
 * @brief Checks that ombc can run w as asked (features it does not act on
 * yet are errors here, before anything is created). @return 0 or OMBC_EINVAL.
 */
int ombc_generator_check(const struct ombc_workload *w, char *errstr, size_t errstr_size);

/**
 * @brief Runs w on worker (whose driver is already initialised) and fills
 * result (initialised by the caller). The caller stops the worker after.
 * @return 0, OMBC_EINTR when stop_requested was set, or the error of the
 *         step that failed (errstr says which).
 */
int ombc_generator_run(struct ombc_worker *worker, const struct ombc_workload *w,
                       const struct ombc_run_options *opt, struct ombc_result *result,
                       char *errstr, size_t errstr_size);

#endif
