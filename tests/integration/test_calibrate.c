/*
 * `ombc calibrate` measures ombc's own ceiling through the null driver with
 * one agent and then N, and prints a positive rate for each (what the rate
 * is depends on the machine: it is reported, never asserted).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "integration/runner.h"

static void calibrate_prints_a_ceiling_per_agent_count(void **state) {
    (void)state;
    struct ombc_run r;
    runner_init(&r);
    char *args[] = {"calibrate", "--agents", "2", "--seconds", "1", NULL};
    runner_run(&r, args, 120);
    fprintf(stderr, "stdout:\n%s\nstderr:\n%s\n", r.out, r.err);
    assert_int_equal(r.status, 0);
    double one = 0, two = 0;
    const char *p = strstr(r.out, " 1 agent: ");
    const char *q = strstr(r.out, " 2 agents: ");
    assert_non_null(p);
    assert_non_null(q);
    assert_int_equal(sscanf(p, " 1 agent: %lf msg/s", &one), 1);
    assert_int_equal(sscanf(q, " 2 agents: %lf msg/s", &two), 1);
    assert_true(one > 0);
    assert_true(two > 0);
    runner_fini(&r);

    char *bad[] = {"calibrate", "--agents", "0", NULL};
    runner_init(&r);
    runner_run(&r, bad, 30);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "--agents must be an integer between 1 and 1024"));
    runner_fini(&r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(calibrate_prints_a_ceiling_per_agent_count),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
