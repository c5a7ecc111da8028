/*
 * clock: the two clocks ombc reads. Monotonic nanoseconds for schedules and
 * latencies inside one machine; wall-clock for timestamps that cross
 * processes or hosts (end-to-end latency, result file names).
 * Inline because they sit on the per-message path.
 */
#ifndef OMBC_CORE_CLOCK_H
#define OMBC_CORE_CLOCK_H

#include <stdint.h>
#include <time.h>

/** @brief CLOCK_MONOTONIC in nanoseconds. */
static inline int64_t ombc_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/** @brief CLOCK_REALTIME in nanoseconds since the epoch. */
static inline int64_t ombc_wall_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/** @brief CLOCK_REALTIME in milliseconds since the epoch. */
static inline int64_t ombc_wall_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/** @brief Sleeps until the monotonic clock reaches deadline_ns (absolute). */
static inline void ombc_sleep_until_ns(int64_t deadline_ns) {
    struct timespec ts = {.tv_sec = deadline_ns / 1000000000, .tv_nsec = deadline_ns % 1000000000};
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) != 0) {
    }
}

/** @brief A hint inside a busy-wait loop: lets the core's other hardware
 *  thread run and saves power, for a few dozen ns. */
static inline void ombc_cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

#endif
