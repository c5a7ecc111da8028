/*
 * worker_calls: one call on each of several Workers at once, as OMB's
 * ensemble does with futures: each worker's call on a thread of its own,
 * joined before returning, so no two threads ever touch one worker. The
 * caller's thread; worker calls on the threads made here.
 */
#ifndef OMBC_WORKER_WORKER_CALLS_H
#define OMBC_WORKER_WORKER_CALLS_H

#include <stdbool.h>
#include <stddef.h>

#include "worker/worker.h"

/** One worker's part of an operation; arg as given to ombc_worker_calls. */
typedef int (*ombc_worker_call)(struct ombc_worker *w, void *arg, char *errstr,
                                size_t errstr_size);

/**
 * @brief Calls fn(workers[i], args ? args[i] : arg) for every i < n with
 * want[i] (every i when want is NULL); in parallel when more than one, on
 * the caller's thread when just one (or a thread cannot be made).
 * @return 0, or the error of the first failing worker in index order (its
 *         errstr), or OMBC_ENOMEM.
 */
int ombc_worker_calls(struct ombc_worker *const *workers, int n, const bool *want,
                      ombc_worker_call fn, void *const *args, void *arg, char *errstr,
                      size_t errstr_size);

#endif
