/*
 * test_rate_controller: OMB's RateController against the examples and rules
 * of OMB-REFERENCE.md 3.6.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "run/rate_controller.h"

#define SEC 1000000000LL

/* The reference's example: 1 s periods from 10000 with factor 1. */
static void test_reference_example(void **state) {
    (void)state;
    struct ombc_rate_controller c;
    ombc_rate_controller_init(&c);
    double r = ombc_rate_controller_next(&c, 10000, SEC, 10000, 10000);
    assert_float_equal(r, 20000, 1e-9);
    assert_float_equal(c.ramping_factor, 1.0, 0);
    /* expected 20000, published 10000, received 5000; receive backlog
     * 20000 - 15000 = 5000 > 1000: min(5000, max(0, 20000 - 5000)) */
    r = ombc_rate_controller_next(&c, r, SEC, 20000, 15000);
    assert_float_equal(r, 5000, 1e-9);
    assert_float_equal(c.ramping_factor, 0.5, 0);
}

static void test_publish_backlog_ramps_down_to_the_minimum(void **state) {
    (void)state;
    struct ombc_rate_controller c;
    ombc_rate_controller_init(&c);
    int64_t pub = 0;
    double r = 100000;
    for (int i = 0; i < 10; i++) {
        /* the client manages only 50000/s of the 100000 asked for */
        pub += 50000;
        r = ombc_rate_controller_next(&c, 100000, SEC, pub, pub);
        /* expected 100000, backlog 50000: min(50000, 100000 - 50000) */
        assert_float_equal(r, 50000, 1e-9);
    }
    assert_float_equal(c.ramping_factor, 0.01, 0); /* halved 10 times, floored */
    /* then keeping up: ramp up doubles the factor first, then applies it */
    pub += 50000;
    r = ombc_rate_controller_next(&c, 50000, SEC, pub, pub);
    assert_float_equal(c.ramping_factor, 0.02, 1e-12);
    assert_float_equal(r, 50000 * 1.02, 1e-9);
}

static void test_expected_truncates_and_backlog_floor(void **state) {
    (void)state;
    struct ombc_rate_controller c;
    ombc_rate_controller_init(&c);
    /* 3 s period at 333.7 msg/s: expected (long)1001.1 = 1001; published 0
     * → publish backlog 1001 > 1000: min(0, r(0)) = 0 */
    double r = ombc_rate_controller_next(&c, 333.7, 3 * SEC, 0, 0);
    assert_float_equal(r, 0.0, 0);
    /* backlog exactly at the limit does not ramp down */
    ombc_rate_controller_init(&c);
    r = ombc_rate_controller_next(&c, 1000, 2 * SEC, 1000, 1000);
    assert_float_equal(r, 2000, 1e-9);
}

static void test_environment(void **state) {
    (void)state;
    struct ombc_rate_controller c;
    char err[256];
    setenv("PUBLISH_BACKLOG_LIMIT", "50", 1);
    setenv("MAX_RAMPING_FACTOR", "0.25", 1);
    assert_int_equal(ombc_rate_controller_from_env(&c, err, sizeof(err)), 0);
    assert_int_equal(c.publish_backlog_limit, 50);
    assert_int_equal(c.receive_backlog_limit, 1000);
    assert_float_equal(c.ramping_factor, 0.25, 0);
    assert_float_equal(ombc_rate_controller_next(&c, 1000, SEC, 1000, 1000), 1250, 1e-9);
    setenv("RECEIVE_BACKLOG_LIMIT", "lots", 1);
    assert_int_equal(ombc_rate_controller_from_env(&c, err, sizeof(err)), OMBC_EINVAL);
    assert_string_equal(err, "environment variable RECEIVE_BACKLOG_LIMIT='lots' is not an integer");
    unsetenv("PUBLISH_BACKLOG_LIMIT");
    unsetenv("RECEIVE_BACKLOG_LIMIT");
    unsetenv("MAX_RAMPING_FACTOR");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference_example),
        cmocka_unit_test(test_publish_backlog_ramps_down_to_the_minimum),
        cmocka_unit_test(test_expected_truncates_and_backlog_floor),
        cmocka_unit_test(test_environment),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
