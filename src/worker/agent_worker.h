/*
 * agent_worker: the Worker of one agent process: OMB's Worker operations as
 * commands to the agent (through the supervisor, which remembers those that
 * shape it for a restart), and its stats read straight from its shared
 * block by a collector, without a round trip. The local worker composes
 * these in an ensemble; it creates the topics itself, so an agent worker
 * has no create_topics. Main thread or one ensemble call thread at a time.
 */
#ifndef OMBC_WORKER_AGENT_WORKER_H
#define OMBC_WORKER_AGENT_WORKER_H

#include <stddef.h>

#include "worker/agent_supervisor.h"
#include "worker/worker.h"

/**
 * @brief The Worker of agent i of s (s must outlive it). The
 * process must have been spawned (ombc_agent_supervisor_spawn) before its
 * initialize_driver; stop_all stops it.
 * @return 0 or OMBC_ENOMEM with errstr.
 */
int ombc_agent_worker_new(struct ombc_agent_supervisor *s, int i, struct ombc_worker **out,
                          char *errstr, size_t errstr_size);

#endif
