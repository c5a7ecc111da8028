/*
 * agent: the body of an agent process (`ombc agent`, started by agent_supervisor).
 */
#ifndef OMBC_WORKER_AGENT_H
#define OMBC_WORKER_AGENT_H

#include "core/stop.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** The rate limiter's default spin window: the load thread sleeps until this
 *  long before a send is due, then spins. Covers the wake-up lateness of
 *  clock_nanosleep on the machines measured (docs/PERFORMANCE.md). */
#define OMBC_DEFAULT_SPIN_US 100
#define OMBC_MAX_SPIN_US 1000000

/** How agents are started and tuned (the same for every agent of a pool). */
struct ombc_agent_options {
    const char *exe;  /**< the ombc binary the agents are started from */
    int max_restarts; /**< restarts per run before a death ends it */
    int spin_us;      /**< rate limiter spin window, 0..OMBC_MAX_SPIN_US */
    int log_level;    /**< enum ombc_log_level (0: errors only) */
    bool log_json;    /**< --log-format json */
    bool no_stamp;    /**< --no-payload-stamp: payloads unchanged, e2e in ms */
    /** The run's stop flag (set by a signal handler; may be NULL): a wait
     *  for an agent's reply, and a set-up step of the local worker, end
     *  within about OMBC_AGENT_STOP_POLL_MS once it is set. */
    const struct ombc_stop *stop_requested;
};

#define OMBC_AGENT_STOP_POLL_MS 100 /* how often a wait looks at stop_requested */

/**
 * @brief Serves commands from ctrl_fd until "stop" or until the coordinator
 * goes away, recording into the stats block behind stats_fd; spin_us is the
 * rate limiter's spin window; stamp: stamp payloads with their send time.
 * @return 0 on an orderly end, else a negative OMBC_E* code with errstr.
 */
int ombc_agent_main(int index, int ctrl_fd, int stats_fd, int spin_us, bool stamp,
                    char *errstr, size_t errstr_size);

#endif
