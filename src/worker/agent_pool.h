/*
 * agent_pool: OMB's Worker implemented by N local agent processes (one per
 * core by default). The coordinator-side half: it opens the driver's admin
 * half (and so hosts the embedded Kafka), creates topics, spreads producers
 * and consumers over the agents round-robin, splits the publish rate among
 * the agents that have producers, and reads their shared stats blocks.
 */
#ifndef OMBC_WORKER_AGENT_POOL_H
#define OMBC_WORKER_AGENT_POOL_H

#include <stddef.h>

#include "worker/agent.h"
#include "worker/worker.h"

/**
 * @brief Creates a pool of agent_count agents; exe is the ombc binary the
 * agents are started from (`exe agent ...`). An agent that dies during a
 * run is started again with the same work, up to max_restarts times per
 * run; the next death ends the run (health() fails with OMBC_EAGENT).
 * @return 0 or OMBC_EINVAL / OMBC_ENOMEM with errstr.
 */
int ombc_agent_pool_new(int agent_count, const struct ombc_agent_options *opt,
                        struct ombc_worker **out, char *errstr, size_t errstr_size);

/** @brief Agents restarted since the driver was last initialised. */
int ombc_agent_pool_restarts(const struct ombc_worker *w);

/** @brief The rate each agent of the pool (a worker made by
 *  ombc_agent_pool_new) publishes at now, in msg/s, 0 for an agent that does
 *  not publish; fills rates[0..n). @return the number of agents. */
int ombc_agent_pool_applied_rates(const struct ombc_worker *w, double *rates, int n);

/** @brief The stats blocks of the pool's agents (a worker made by
 *  ombc_agent_pool_new), one per agent, in *n. The array and the blocks are
 *  the pool's: created with it, unchanged until ombc_worker_ops.destroy, and
 *  kept across agent restarts (a restarted agent writes on into its block),
 *  so their counters only grow. Any thread may read the blocks at any time
 *  with the reader side of agent_stats.h. */
const struct ombc_agent_stats *const *ombc_agent_pool_stats(const struct ombc_worker *w, int *n);

/** @brief Assigns item i of n to an agent: i mod agents (OMB's ListPartition
 *  when n > agents). Exposed for tests. */
int ombc_agent_pool_assign(int item, int agents);

#endif
