/*
 * test_completion_queue: unit tests of the rings and wakers drivers hand
 * completions through (src/driver/completion_queue.h): capacity checks,
 * full and free slots across wrap-around, the waker writing its eventfd only
 * once armed (and once per arming), and a writer and a reader thread passing
 * a million numbers in order, the reader blocking on the eventfd as the
 * agent's pollers do.
 */
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/err.h"
#include "driver/completion_queue.h"

static void test_capacity(void **state) {
    (void)state;
    struct ombc_cq_ring r;
    assert_int_equal(ombc_cq_ring_init(&r, 0), OMBC_EINVAL);
    assert_int_equal(ombc_cq_ring_init(&r, 1), OMBC_EINVAL);
    assert_int_equal(ombc_cq_ring_init(&r, 12), OMBC_EINVAL);
    assert_int_equal(ombc_cq_ring_init(&r, 8), 0);
}

static void test_full_and_wrap(void **state) {
    (void)state;
    struct ombc_cq_ring r;
    int slots[4];
    assert_int_equal(ombc_cq_ring_init(&r, 4), 0);
    int next = 0, expect = 0;
    for (int round = 0; round < 5; round++) {
        while (!ombc_cq_full(&r)) {
            slots[ombc_cq_write_index(&r)] = next++;
            ombc_cq_push(&r);
        }
        assert_int_equal(next - expect, 4);
        assert_true(ombc_cq_pending(&r));
        uint_fast64_t end, i = ombc_cq_read_begin(&r, &end);
        assert_int_equal(end - i, 4);
        for (int k = 0; k < 3; k++, i++) /* read three, leave one */
            assert_int_equal(slots[ombc_cq_index(&r, i)], expect++);
        ombc_cq_read_end(&r, i);
        assert_false(ombc_cq_full(&r));
    }
    uint_fast64_t end, i = ombc_cq_read_begin(&r, &end);
    for (; i != end; i++)
        assert_int_equal(slots[ombc_cq_index(&r, i)], expect++);
    ombc_cq_read_end(&r, i);
    assert_false(ombc_cq_pending(&r));
    assert_int_equal(expect, next);
}

static uint64_t drain(int fd) {
    uint64_t v = 0, total = 0;
    while (read(fd, &v, sizeof(v)) == (ssize_t)sizeof(v))
        total += v;
    return total;
}

static void test_waker_writes_only_when_armed(void **state) {
    (void)state;
    int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    assert_true(fd >= 0);
    struct ombc_cq_waker w;
    ombc_cq_waker_init(&w, fd);
    ombc_cq_wake_fence();
    ombc_cq_waker_wake(&w);
    assert_int_equal(drain(fd), 0); /* awake: no system call */
    ombc_cq_waker_arm(&w);
    ombc_cq_wake_fence();
    ombc_cq_waker_wake(&w);
    ombc_cq_waker_wake(&w);
    assert_int_equal(drain(fd), 1); /* once per arming */
    struct ombc_cq_waker none;
    ombc_cq_waker_init(&none, -1);
    ombc_cq_waker_arm(&none);
    ombc_cq_waker_wake(&none); /* no fd: nothing to write */
    close(fd);
}

#define STRESS_COUNT 1000000
#define STRESS_RING 256

struct stress {
    struct ombc_cq_ring ring;
    struct ombc_cq_waker waker;
    uint32_t slots[STRESS_RING];
};

static void *writer_main(void *arg) {
    struct stress *s = arg;
    for (uint32_t n = 0; n < STRESS_COUNT; n++) {
        while (ombc_cq_full(&s->ring))
            sched_yield();
        s->slots[ombc_cq_write_index(&s->ring)] = n;
        ombc_cq_push(&s->ring);
        ombc_cq_wake_fence();
        ombc_cq_waker_wake(&s->waker);
    }
    return NULL;
}

static void test_two_threads_in_order(void **state) {
    (void)state;
    static struct stress s;
    int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    assert_true(fd >= 0);
    assert_int_equal(ombc_cq_ring_init(&s.ring, STRESS_RING), 0);
    ombc_cq_waker_init(&s.waker, fd);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, writer_main, &s), 0);
    uint32_t expect = 0;
    int blocked = 0;
    while (expect < STRESS_COUNT) {
        uint_fast64_t end, i = ombc_cq_read_begin(&s.ring, &end);
        for (; i != end; i++)
            assert_int_equal(s.slots[ombc_cq_index(&s.ring, i)], expect++);
        ombc_cq_read_end(&s.ring, i);
        if (expect == STRESS_COUNT)
            break;
        /* as the agent's pollers: arm, look again, then block */
        ombc_cq_waker_arm(&s.waker);
        if (ombc_cq_pending(&s.ring))
            continue;
        struct pollfd p = {.fd = fd, .events = POLLIN};
        /* a lost wake-up would stall here until the 10 s timeout */
        assert_int_equal(poll(&p, 1, 10000), 1);
        drain(fd);
        blocked++;
    }
    pthread_join(t, NULL);
    print_message("blocked %d times in %d messages\n", blocked, STRESS_COUNT);
    close(fd);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_capacity),
        cmocka_unit_test(test_full_and_wrap),
        cmocka_unit_test(test_waker_writes_only_when_armed),
        cmocka_unit_test(test_two_threads_in_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
