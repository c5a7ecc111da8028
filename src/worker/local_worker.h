/*
 * local_worker: OMB's LocalWorker for this host: the driver's admin half
 * (topic creation and deletion) in this process, and an ensemble of agent
 * processes (one per core by default) that run the producers and consumers.
 * `ombc run` drives it, and `ombc worker` will serve it over OMB's REST
 * protocol. Main thread.
 */
#ifndef OMBC_WORKER_LOCAL_WORKER_H
#define OMBC_WORKER_LOCAL_WORKER_H

#include <stddef.h>

#include "stats/agent_stats.h"
#include "worker/agent.h"
#include "worker/worker.h"

struct ombc_local_worker;

/**
 * @brief A local worker of `agents` agent processes started from opt->exe
 * (`exe agent ...`) when the driver is initialised. An agent that dies
 * during a run is restarted with the same work up to opt->max_restarts
 * times per run, by the supervise operation; the next death ends the run.
 * @return 0, or OMBC_EINVAL / OMBC_ENOMEM with errstr.
 */
int ombc_local_worker_new(int agents, const struct ombc_agent_options *opt,
                          struct ombc_local_worker **out, char *errstr, size_t errstr_size);

/** @brief Its Worker interface; worker->ops->destroy(worker) destroys lw. */
struct ombc_worker *ombc_local_worker_worker(struct ombc_local_worker *lw);

/** @brief The agents' stats blocks, one per agent (*n of them): created with
 *  lw, unchanged until it is destroyed, kept across agent restarts, so their
 *  counters only grow. Any thread may read them at any time with the reader
 *  side of agent_stats.h (the metrics server does). */
const struct ombc_agent_stats *const *ombc_local_worker_blocks(const struct ombc_local_worker *lw,
                                                               int *n);

/** @brief The rate each agent publishes at now (msg/s, 0 for one that does
 *  not publish), as its load thread shows it; fills rates[0..n).
 *  @return the number of agents. */
int ombc_local_worker_applied_rates(const struct ombc_local_worker *lw, double *rates, int n);

#endif
