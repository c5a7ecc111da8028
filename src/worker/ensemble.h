/*
 * ensemble: OMB's DistributedWorkersEnsemble, written once: a Worker made of
 * member Workers (the local worker's agents today; remote OMB or ombc
 * workers next). It decides which members produce and consume (producers
 * and consumers dealt round-robin), splits the publish rate among the
 * members that received producers, merges their stats, and leaves topic
 * creation to its leader (member 0), as OMB does. Members' control calls run
 * in parallel, one thread per member for the duration of the call (as OMB's
 * futures); stats are read member after member. Main thread.
 */
#ifndef OMBC_WORKER_ENSEMBLE_H
#define OMBC_WORKER_ENSEMBLE_H

#include <stddef.h>

#include "core/random.h"
#include "worker/worker.h"

/**
 * @brief An ensemble of members[0..n) (owned from here on, destroyed with
 * it, also on failure). Its optional operations are those every member has
 * (stop_load) or any member has (supervise, agent_restarts).
 * @return 0, or OMBC_EINVAL / OMBC_ENOMEM with errstr.
 */
int ombc_ensemble_new(struct ombc_worker *const *members, int n, struct ombc_worker **out,
                      char *errstr, size_t errstr_size);

/** @brief The member item i of a list goes to: i mod members (OMB's
 *  ListPartition when items > members). */
int ombc_ensemble_assign(int item, int members);

/** @brief OMB's topic name: "<prefix>-<index, 7 digits>-<5 random
 *  characters>", written to buf. */
void ombc_ensemble_topic_name(char *buf, size_t size, const char *prefix, int index,
                              struct ombc_rng *rng);

#endif
