/*
 * benchmark: OMB's Benchmark for one (workload, driver) pair, whatever the
 * front end (`ombc run`, a remote coordinator, `ombc calibrate`): the
 * result's metadata, the driver's initialisation on the worker, the
 * generator, stop-all, the result file and the delivery verdict. Main
 * thread of the coordinator.
 */
#ifndef OMBC_RUN_BENCHMARK_H
#define OMBC_RUN_BENCHMARK_H

#include "config/driver_conf.h"
#include "config/workload.h"
#include "run/generator.h"
#include "worker/worker.h"

struct ombc_benchmark_options {
    const struct ombc_run_options *run; /**< the generator's (hlog_prefix derived here) */
    const char *output;   /**< result file; NULL: OMB's <workload>-<driver>-<date>.json */
    const char *hlog_dir; /**< NULL: no .hlog files */
    int agents;           /**< agent processes, for the result's run info */
};

/**
 * @brief Runs w with driver d on worker and writes the result (also an
 * incomplete one, when the test phase was interrupted or failed after it
 * began). Errors are printed as one line each.
 * @return an exit status: OMBC_EXIT_OK, OMBC_EXIT_USAGE (the driver could
 *         not be initialised), OMBC_EXIT_FAILED, or 128 + the signal that
 *         stopped it.
 */
int ombc_benchmark_run_pair(struct ombc_worker *worker, const struct ombc_workload *w,
                            const struct ombc_driver_conf *d,
                            const struct ombc_benchmark_options *opt);

#endif
