/*
 * completion_queue: the out-of-line halves of the rings and wakers drivers
 * hand completions through (see completion_queue.h, where the hot path
 * lives, inline): setting them up, and the wake-up's system call.
 */
#include "driver/completion_queue.h"

#include <unistd.h>

#include "core/err.h"

int ombc_cq_ring_init(struct ombc_cq_ring *r, size_t capacity) {
    if (capacity < 2 || (capacity & (capacity - 1)) != 0)
        return OMBC_EINVAL;
    atomic_init(&r->head, 0);
    atomic_init(&r->tail, 0);
    r->tail_seen = 0;
    r->wmask = r->rmask = (uint_fast64_t)capacity - 1;
    return 0;
}

void ombc_cq_waker_init(struct ombc_cq_waker *w, int fd) {
    atomic_init(&w->asleep, false);
    w->fd = fd;
}

void ombc_cq_waker_signal(struct ombc_cq_waker *w) {
    if (w->fd < 0)
        return;
    uint64_t one = 1;
    ssize_t n = write(w->fd, &one, sizeof(one));
    (void)n; /* a full eventfd is awake anyway */
}
