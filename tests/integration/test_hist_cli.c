/*
 * `ombc hist decode` and `ombc hist summary` as a user runs them: the
 * figures they print for known histograms and logs, and one clear line with
 * exit status 2 for bad input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "integration/runner.h"
#include "stats/hdr.h"
#include "stats/hlog.h"

/* OMB-REFERENCE 6.4's histogram: 1, 2 (x3), 1000, 123456 in (1, 60e6, 5). */
#define EXAMPLE "HISTFAAAACl4nJNpmSzMwMDAxQABrFCaEUQwT25nsP8AFWFiO8nPtPYnHxMAd5AGOw=="

static void decode_prints_figures(void **state) {
    (void)state;
    struct ombc_run r;
    runner_init(&r);
    runner_write(&r, "stdin", "\n  \"" EXAMPLE "\",\n");
    char *args[] = {"hist", "decode", NULL};
    runner_run(&r, args, 30);
    assert_int_equal(r.status, 0);
    /* count 6, min 1, mean (1+3*2+1000+123456)/6 at bucket medians, max,
     * p50 = 2, p90..p100 = 123456 (the 6th value is the 90th percentile's) */
    assert_non_null(strstr(r.out, "2                       6          1    20743.833     123456"
                                  "          2     123456     123456     123456     123456"
                                  "     123456"));
    assert_non_null(strstr(r.out, "range [1, 60000000], 5 significant digits"));
    runner_fini(&r);
}

static void decode_rejects_bad_input(void **state) {
    (void)state;
    struct ombc_run r;
    runner_init(&r);
    runner_write(&r, "stdin", "HISTFAAAACl4nJNpmSzMwMDAxQABrFCaEUQwT25nsP8AFWFiO8nPtPYnHxMAd5AGOw\n");
    char *args[] = {"hist", "decode", NULL};
    runner_run(&r, args, 30);
    assert_int_equal(r.status, 2);
    assert_string_equal(r.err, "ombc hist decode: stdin:1: base64: length 66 is not a multiple of 4\n");
    runner_fini(&r);

    runner_init(&r);
    runner_write(&r, "stdin", "AAAAAAAAAAAA\n"); /* 9 zero bytes: no known cookie */
    runner_run(&r, args, 30);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "stdin:1: not an HdrHistogram V2 encoding (cookie 0x00000000)"));
    runner_fini(&r);

    runner_init(&r);
    runner_run(&r, args, 30); /* empty stdin */
    assert_int_equal(r.status, 2);
    assert_string_equal(r.err, "ombc hist decode: no histogram on stdin\n");
    runner_fini(&r);
}

static void summary_adds_up_intervals_per_tag(void **state) {
    (void)state;
    struct ombc_run r;
    runner_init(&r);
    char path[256], err[256];
    snprintf(path, sizeof(path), "%s/run.hlog", r.dir);
    struct ombc_hlog_writer w;
    assert_int_equal(ombc_hlog_writer_open(&w, path, 1700000000000LL, "test", err, sizeof(err)), 0);
    struct ombc_hist h;
    assert_int_equal(ombc_hist_init(&h, 1, 60000000, 5), 0);
    assert_true(ombc_hist_record_n(&h, 100, 10));
    assert_int_equal(ombc_hlog_writer_add(&w, "warmup", 1700000000000LL, 1700000001000LL, &h,
                                          err, sizeof(err)), 0);
    for (int i = 0; i < 3; i++) {
        ombc_hist_reset(&h);
        assert_true(ombc_hist_record_n(&h, 1000 * (i + 1), 100));
        int64_t t = 1700000001000LL + i * 1000;
        assert_int_equal(ombc_hlog_writer_add(&w, NULL, t, t + 1000, &h, err, sizeof(err)), 0);
    }
    assert_int_equal(ombc_hlog_writer_close(&w, err, sizeof(err)), 0);
    ombc_hist_fini(&h);

    char *args[] = {"hist", "summary", "-i", "run.hlog", NULL};
    runner_run(&r, args, 30);
    if (r.status != 0)
        fprintf(stderr, "%s%s", r.out, r.err);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "0.000 warmup           10        100      100.000        100"));
    assert_non_null(strstr(r.out, "3.000                 100       3000     3000.000       3000"));
    /* 300 values, 100 each of 1000, 2000, 3000 */
    assert_non_null(strstr(r.out, "(untagged)            300       1000     2000.000       3000"
                                  "       2000       3000       3000       3000       3000"
                                  "       3000\n             3 intervals over 3.000 s"));
    runner_fini(&r);

    runner_init(&r);
    runner_write(&r, "bad.hlog", "#[StartTime: 1700000000.000]\n0.0,1.0,x,HISTF\n");
    char *bad[] = {"hist", "summary", "bad.hlog", "missing.hlog", NULL};
    runner_run(&r, bad, 30);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "ombc hist summary: bad.hlog:2: interval max: expected a "
                                  "number, got 'x'\n"));
    assert_non_null(strstr(r.err, "ombc hist summary: cannot open missing.hlog: No such file"));
    runner_fini(&r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(decode_prints_figures),
        cmocka_unit_test(decode_rejects_bad_input),
        cmocka_unit_test(summary_adds_up_intervals_per_tag),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
