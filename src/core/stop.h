/*
 * stop: the flag a signal handler raises and every long step polls, from
 * any thread (the generator, the local worker between batches of topics,
 * the supervisor's waits on the ensemble's call threads). A lock-free
 * atomic int: storing it is async-signal-safe (C11 7.14.1.1) and reading it
 * from another thread is no data race, which a volatile sig_atomic_t is not.
 */
#ifndef OMBC_CORE_STOP_H
#define OMBC_CORE_STOP_H

#include <stdatomic.h>

_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "the stop flag must be lock-free");

struct ombc_stop {
    atomic_int sig; /**< 0, or the signal that asked to stop */
};

/** @brief The signal that asked to stop, or 0 (also for a NULL flag). */
static inline int ombc_stop_requested(const struct ombc_stop *s) {
    return s ? atomic_load_explicit(&s->sig, memory_order_relaxed) : 0;
}

/** @brief Raises the flag (async-signal-safe). */
static inline void ombc_stop_raise(struct ombc_stop *s, int sig) {
    atomic_store_explicit(&s->sig, sig, memory_order_relaxed);
}

#endif
