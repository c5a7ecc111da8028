/*
 * benchmark: OMB's Benchmark for one (workload, driver) pair, whatever the
 * front end (`ombc run`, a remote coordinator, `ombc calibrate`): the
 * result's metadata, the driver's initialisation on the worker, the
 * generator, stop-all, the result file and the delivery verdict; and the
 * broker the coordinator hosts for a run (a driver's fixture: the embedded
 * Kafka), started before the workers are initialised. Main thread of the
 * coordinator.
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

struct ombc_driver_ops;

/** A driver configuration as the workers get it, with the broker this
 *  process hosts for it (the embedded Kafka), if any. */
struct ombc_hosted {
    const struct ombc_driver_conf *conf; /**< what workers get: d, or client_conf */
    const struct ombc_driver_ops *drv;
    struct ombc_fixture *fixture;        /**< NULL: d asks for no hosted broker */
    struct ombc_driver_conf client_conf; /**< the fixture's address written in */
};

/**
 * @brief Starts the broker d asks this process to host (the driver's
 * fixture: the embedded Kafka) before anything runs; h->conf is then the
 * configuration to give the workers (the fixture's address written in,
 * conf->fixture set for this process's admin half), or d itself.
 * @return 0 or an error with errstr (nothing to undo then).
 */
int ombc_benchmark_host(const struct ombc_driver_conf *d, struct ombc_hosted *h, char *errstr,
                        size_t errstr_size);
/** @brief Stops the hosted broker, after the workers' stop-all. */
void ombc_benchmark_unhost(struct ombc_hosted *h);

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
