/*
 * completion_queue: how a driver hands completions (send acknowledgements,
 * received messages) from the thread that learns of them to the agent's
 * poller thread that reports them, so that the agent's on_sent/on_received
 * callbacks, and so every stats word they write, run on one thread each.
 *
 * Two pieces, both allocation-free, lock-free and system-call-free on the
 * hot path:
 *   - struct ombc_cq_ring: a single-producer single-consumer ring of indices
 *     into an array of slots the driver owns and types (an opaque pointer
 *     per ack, a stamp and a length per message...). Exactly one writer
 *     thread and one reader thread per ring: the writer is the agent's load
 *     thread or one of the client library's threads (a driver whose library
 *     calls back on several threads at once gives each its own ring); the
 *     reader is the poller (the ack thread for producers, the consumer
 *     thread for consumers), inside producer_poll/consumer_poll/client_poll.
 *   - struct ombc_cq_waker: the wake-up of one poller. The agent hands the
 *     driver an eventfd per poller (client_open); writing it per message
 *     would cost a system call each, so the poller says when it is about to
 *     block (the driver's prepare_wait calls ombc_cq_waker_arm) and the
 *     writers write the fd only then (ombc_cq_waker_wake).
 *
 * Writer, per message:   if (ombc_cq_full(r)) back off (OMBC_EAGAIN);
 *                        fill slots[ombc_cq_write_index(r)]; ombc_cq_push(r);
 *                        ... (other rings) ...; ombc_cq_wake_fence();
 *                        ombc_cq_waker_wake(w) for each side pushed to.
 * Reader, per poll:      for (i = ombc_cq_read_begin(r, &end); i != end; i++)
 *                            use slots[ombc_cq_index(r, i)];
 *                        ombc_cq_read_end(r, i);
 * Poller, before block:  ombc_cq_waker_arm(w); poll once more; block on fd.
 *
 * The waker is a Dekker handshake: the poller stores asleep and then loads
 * the rings' heads (its last poll); the writer stores a head and then loads
 * asleep; a full fence between each pair means one of them sees the other,
 * so a poller is never left asleep with work waiting.
 */
#ifndef OMBC_DRIVER_COMPLETION_QUEUE_H
#define OMBC_DRIVER_COMPLETION_QUEUE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** One writer thread, one reader thread. head is written by the writer,
 *  tail by the reader, each on its own cache line with that side's copy of
 *  the size mask. */
struct ombc_cq_ring {
    _Alignas(64) atomic_uint_fast64_t head;
    uint_fast64_t tail_seen; /* the writer's last look at tail */
    uint_fast64_t wmask;     /* capacity - 1, the writer's copy */
    _Alignas(64) atomic_uint_fast64_t tail;
    uint_fast64_t rmask; /* capacity - 1, the reader's copy */
};

/** The wake-up of one poller (all the rings it reads). */
struct ombc_cq_waker {
    _Alignas(64) atomic_bool asleep;
    int fd; /* an eventfd (8-byte writes), or -1: never written */
};

/**
 * @brief Empties r for a capacity of slots (a power of two, at least 2).
 * Before either thread uses it. @return 0 or OMBC_EINVAL.
 */
int ombc_cq_ring_init(struct ombc_cq_ring *r, size_t capacity);

/** @brief Sets w to wake fd (-1: none), awake. */
void ombc_cq_waker_init(struct ombc_cq_waker *w, int fd);

/** @brief Writes w's eventfd (the slow half of ombc_cq_waker_wake). */
void ombc_cq_waker_signal(struct ombc_cq_waker *w);

/* ------------------------------------------------------------- writer */

/** @brief Writer: whether r has no free slot. tail is read again only when
 *  the last look says full, so the reader's cache line is not pulled over
 *  on every message. */
static inline bool ombc_cq_full(struct ombc_cq_ring *r) {
    uint_fast64_t h = atomic_load_explicit(&r->head, memory_order_relaxed);
    if (h - r->tail_seen <= r->wmask)
        return false;
    r->tail_seen = atomic_load_explicit(&r->tail, memory_order_acquire);
    return h - r->tail_seen > r->wmask;
}

/** @brief Writer: the slot to fill next (valid when !ombc_cq_full). */
static inline size_t ombc_cq_write_index(struct ombc_cq_ring *r) {
    return (size_t)(atomic_load_explicit(&r->head, memory_order_relaxed) & r->wmask);
}

/** @brief Writer: publishes the slot filled at ombc_cq_write_index. */
static inline void ombc_cq_push(struct ombc_cq_ring *r) {
    uint_fast64_t h = atomic_load_explicit(&r->head, memory_order_relaxed);
    atomic_store_explicit(&r->head, h + 1, memory_order_release);
}

/** @brief Writer: after its pushes and before ombc_cq_waker_wake (one fence
 *  for any number of wakers); pairs with ombc_cq_waker_arm. */
static inline void ombc_cq_wake_fence(void) {
    atomic_thread_fence(memory_order_seq_cst);
}

/** @brief Writer: wakes w's poller if it is blocking or about to (after
 *  ombc_cq_wake_fence). Only then a system call. */
static inline void ombc_cq_waker_wake(struct ombc_cq_waker *w) {
    if (atomic_load_explicit(&w->asleep, memory_order_relaxed) &&
        atomic_exchange_explicit(&w->asleep, false, memory_order_relaxed))
        ombc_cq_waker_signal(w);
}

/* ------------------------------------------------------------- reader */

/** @brief Reader: the first unread position; *end is one past the last
 *  published one. */
static inline uint_fast64_t ombc_cq_read_begin(struct ombc_cq_ring *r, uint_fast64_t *end) {
    *end = atomic_load_explicit(&r->head, memory_order_acquire);
    return atomic_load_explicit(&r->tail, memory_order_relaxed);
}

/** @brief Reader: the slot of position i. */
static inline size_t ombc_cq_index(const struct ombc_cq_ring *r, uint_fast64_t i) {
    return (size_t)(i & r->rmask);
}

/** @brief Reader: frees the slots before position i for the writer. */
static inline void ombc_cq_read_end(struct ombc_cq_ring *r, uint_fast64_t i) {
    atomic_store_explicit(&r->tail, i, memory_order_release);
}

/** @brief Reader: about to block. From now on writers write the fd; poll
 *  once more before blocking (work may have come in between). */
static inline void ombc_cq_waker_arm(struct ombc_cq_waker *w) {
    atomic_store_explicit(&w->asleep, true, memory_order_relaxed);
    atomic_thread_fence(memory_order_seq_cst); /* pairs with ombc_cq_wake_fence */
}

/** @brief Any thread: whether r holds unread slots (e.g. a flush's wait). */
static inline bool ombc_cq_pending(struct ombc_cq_ring *r) {
    return atomic_load_explicit(&r->tail, memory_order_acquire) !=
           atomic_load_explicit(&r->head, memory_order_acquire);
}

#endif
