/*
 * Unit tests for core/rate: OMB's uniform schedule.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>

#include "core/err.h"
#include "core/rate.h"

/* The n-th operation is due at start + n * 1e9/rate; the start is the clock
 * at the first acquire, whatever clock later calls pass. */
static void schedule_is_uniform_from_first_acquire(void **state) {
    (void)state;
    struct ombc_rate r;
    assert_int_equal(ombc_rate_init(&r, 1000.0), 0);
    assert_int_equal(ombc_rate_acquire(&r, 5000), 5000);
    assert_int_equal(ombc_rate_acquire(&r, 999999999), 5000 + 1000000);
    assert_int_equal(ombc_rate_acquire(&r, 0), 5000 + 2000000);
}

/* 3 ops/s: interval 333333333.33 ns. OMB rounds the interval, which would
 * drift by n/3 ns; the product from the start stays within 1 ns. */
static void schedule_does_not_drift(void **state) {
    (void)state;
    struct ombc_rate r;
    assert_int_equal(ombc_rate_init(&r, 3.0), 0);
    ombc_rate_acquire(&r, 0);
    int64_t t = 0;
    for (int i = 1; i <= 3000000; i++)
        t = ombc_rate_acquire(&r, 0);
    /* op 3,000,000 is due at exactly 1,000,000 s */
    assert_true(llabs(t - 1000000LL * 1000000000LL) <= 1);
}

/* High rates: 3,000,000 ops/s over one hour is exactly 3600 s of schedule. */
static void high_rate_hour_is_exact(void **state) {
    (void)state;
    struct ombc_rate r;
    assert_int_equal(ombc_rate_init(&r, 3e6), 0);
    r.next = 3000000LL * 3600;
    r.started = true;
    r.start_ns = 0;
    assert_true(llabs(ombc_rate_acquire(&r, 0) - 3600LL * 1000000000LL) <= 1);
}

static void rejects_invalid_rates(void **state) {
    (void)state;
    struct ombc_rate r;
    assert_int_equal(ombc_rate_init(&r, 0.0), OMBC_EINVAL);
    assert_int_equal(ombc_rate_init(&r, -1.0), OMBC_EINVAL);
    assert_int_equal(ombc_rate_init(&r, NAN), OMBC_EINVAL);
    assert_int_equal(ombc_rate_init(&r, INFINITY), OMBC_EINVAL);
}

/* A new rate is a new schedule: it starts from the clock at its first acquire. */
static void reinit_carries_no_debt(void **state) {
    (void)state;
    struct ombc_rate r;
    ombc_rate_init(&r, 10.0);
    ombc_rate_acquire(&r, 0);
    ombc_rate_acquire(&r, 0);
    ombc_rate_init(&r, 100.0);
    assert_int_equal(ombc_rate_acquire(&r, 777), 777);
    assert_int_equal(ombc_rate_acquire(&r, 0), 777 + 10000000);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(schedule_is_uniform_from_first_acquire),
        cmocka_unit_test(schedule_does_not_drift),
        cmocka_unit_test(high_rate_hour_is_exact),
        cmocka_unit_test(rejects_invalid_rates),
        cmocka_unit_test(reinit_carries_no_debt),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
