/*
 * agent_supervisor: the agent processes of the local worker: their spawn
 * (fork + exec of `ombc agent`), their stats blocks (memfds owned here, so
 * they outlive any one process), one command at a time to each over its
 * control socket (agent_proto), a log of the commands that shaped each
 * agent, and the supervision step that restarts an agent that died and
 * replays that log into it, within a budget of restarts per run.
 *
 * Threads: calls for different agents may run on different threads at once
 * (an ensemble's call threads); calls for one agent, and the supervision
 * step, on one thread at a time, never while another call is in flight.
 */
#ifndef OMBC_WORKER_AGENT_SUPERVISOR_H
#define OMBC_WORKER_AGENT_SUPERVISOR_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "stats/agent_stats.h"
#include "worker/agent.h"
#include "worker/worker.h"

#define OMBC_AGENT_SETUP_TIMEOUT_MS 120000 /* init, clients, load start */
#define OMBC_AGENT_COMMAND_TIMEOUT_MS 30000

struct ombc_agent_supervisor;

/**
 * @brief Creates the stats blocks of n agents (no process yet). An agent
 * that dies is restarted with the same work up to opt->max_restarts times
 * per run (ombc_agent_supervisor_step). @return 0, OMBC_EINVAL or
 * OMBC_ENOMEM with errstr.
 */
int ombc_agent_supervisor_new(int n, const struct ombc_agent_options *opt,
                              struct ombc_agent_supervisor **out, char *errstr,
                              size_t errstr_size);
/** @brief Stops every agent still running and frees the blocks. NULL-safe. */
void ombc_agent_supervisor_destroy(struct ombc_agent_supervisor *s);

int ombc_agent_supervisor_count(const struct ombc_agent_supervisor *s);

/** @brief Agent i's stats block: created with s, unchanged until destroy,
 *  kept across restarts (a restarted agent writes on into it). */
struct ombc_agent_stats *ombc_agent_supervisor_block(struct ombc_agent_supervisor *s, int i);

/** @brief Every agent's block, in agent order (*n of them); the array is
 *  s's, valid until destroy. Any thread may read the blocks at any time
 *  with the reader side of agent_stats.h. */
const struct ombc_agent_stats *const *ombc_agent_supervisor_blocks(
    const struct ombc_agent_supervisor *s, int *n);

/** @brief Starts agent i's process, with an empty command log. Call it from
 *  the thread that lives as long as the agents (the main thread): an agent
 *  dies with the thread that forked it (PR_SET_PDEATHSIG).
 *  @return 0 or OMBC_EIO with errstr. */
int ombc_agent_supervisor_spawn(struct ombc_agent_supervisor *s, int i, char *errstr,
                                size_t errstr_size);

/**
 * @brief Sends cmd, then the raw frames, to agent i and waits up to
 * timeout_ms for its reply. @return 0; OMBC_EAGENT when the agent died or
 * did not answer in time (errstr says which, with its exit status);
 * OMBC_EDRIVER with the agent's own error; or OMBC_EINTR when the stop flag
 * of the options (stop_requested) was raised during the wait (seen within
 * OMBC_AGENT_STOP_POLL_MS): the reply is given up on, and the agent takes
 * no further command until ombc_agent_supervisor_stop kills it.
 */
int ombc_agent_supervisor_call(struct ombc_agent_supervisor *s, int i, const cJSON *cmd,
                               const struct ombc_payload *frames, size_t frame_count,
                               int timeout_ms, char *errstr, size_t errstr_size);

/**
 * @brief Adds cmd (owned from here on; frames: the caller's, valid for the
 * run) to what a restart of agent i replays. slot NULL appends it to the
 * log; a slot name makes it the one command of that slot (replacing the
 * previous, or removing it when cmd is NULL). A restart replays the log in
 * order, then the slots in the order they were first filled.
 */
void ombc_agent_supervisor_remember(struct ombc_agent_supervisor *s, int i, const char *slot,
                                    cJSON *cmd, const struct ombc_payload *frames,
                                    size_t frame_count);

/**
 * @brief The supervision step: reaps every agent that exited; restarts each
 * into its block and replays its commands while the run's budget lasts.
 * @return 0, or OMBC_EAGENT when an agent died and could not be restarted.
 */
int ombc_agent_supervisor_step(struct ombc_agent_supervisor *s, char *errstr,
                               size_t errstr_size);

/** @brief Restarts since the last ombc_agent_supervisor_reset. */
int ombc_agent_supervisor_restarts(const struct ombc_agent_supervisor *s);

/** @brief Stops agent i: "stop", a wait for it to exit, then SIGKILL; its
 *  command log is forgotten. Once the stop flag is raised the waits are
 *  short (about 1.5 s in all), and an agent given up on is killed at once. */
void ombc_agent_supervisor_stop(struct ombc_agent_supervisor *s, int i);

/** @brief A new run: the restart budget starts over. */
void ombc_agent_supervisor_reset(struct ombc_agent_supervisor *s);

#endif
