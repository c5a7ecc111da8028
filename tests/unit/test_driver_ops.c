/*
 * test_driver_ops: unit tests of the driver table's checks and lookup
 * (src/driver/registry.c): every registered table passes
 * ombc_driver_check_ops; a table lacking a required op, or with an op
 * without its pair, is refused with a message naming it; a driver left out
 * of the build answers "not built" with its CMake option; an unknown class
 * lists the known ones. No broker needed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "config/driver_conf.h"
#include "core/err.h"
#include "driver/driver.h"

/* Stand-ins: the check looks at presence only, never calls them. */
static int s_open(const struct ombc_driver_conf *conf, const struct ombc_client_callbacks *cb,
                  int pfd, int cfd, struct ombc_client **out, char *e, size_t n) {
    (void)conf, (void)cb, (void)pfd, (void)cfd, (void)out, (void)e, (void)n;
    return 0;
}
static void s_close(struct ombc_client *c) {
    (void)c;
}
static int s_pnew(struct ombc_client *c, const char *t, struct ombc_producer **o, char *e,
                  size_t n) {
    (void)c, (void)t, (void)o, (void)e, (void)n;
    return 0;
}
static int s_send(struct ombc_producer *p, const void *k, size_t kl, const void *v, size_t l,
                  bool copy, void *o) {
    (void)p, (void)k, (void)kl, (void)v, (void)l, (void)copy, (void)o;
    return 0;
}
static int s_ppoll(struct ombc_producer *p) {
    (void)p;
    return 0;
}
static int s_flush(struct ombc_producer *p, int t) {
    (void)p, (void)t;
    return 0;
}
static void s_pclose(struct ombc_producer *p) {
    (void)p;
}
static int s_cnew(struct ombc_client *c, const char *t, const char *s, struct ombc_consumer **o,
                  char *e, size_t n) {
    (void)c, (void)t, (void)s, (void)o, (void)e, (void)n;
    return 0;
}
static int s_cpoll(struct ombc_consumer *s, int max) {
    (void)s, (void)max;
    return 0;
}
static void s_cclose(struct ombc_consumer *s) {
    (void)s;
}
static int s_client_poll(struct ombc_client *c, bool producers, int max) {
    (void)c, (void)producers, (void)max;
    return 0;
}
static void s_fstop(struct ombc_fixture *f) {
    (void)f;
}
static int s_list(struct ombc_admin *a, char ***n, int *c, char *e, size_t s) {
    (void)a, (void)n, (void)c, (void)e, (void)s;
    return 0;
}
static int s_aopen(const struct ombc_driver_conf *c, struct ombc_fixture *f, struct ombc_admin **o,
                   char *e, size_t n) {
    (void)c, (void)f, (void)o, (void)e, (void)n;
    return 0;
}
static void s_aclose(struct ombc_admin *a) {
    (void)a;
}

static const char *const classes[] = {"x.Driver", NULL};

static struct ombc_driver_ops minimal(void) {
    return (struct ombc_driver_ops){
        .name = "x",
        .driver_classes = classes,
        .topic_prefix = "test-topic",
        .client_open = s_open,
        .client_close = s_close,
        .producer_new = s_pnew,
        .producer_send = s_send,
        .producer_poll = s_ppoll,
        .producer_flush = s_flush,
        .producer_close = s_pclose,
        .consumer_new = s_cnew,
        .consumer_poll = s_cpoll,
        .consumer_close = s_cclose,
    };
}

static void expect_refused(const struct ombc_driver_ops *d, const char *want) {
    char err[256] = "";
    assert_int_equal(ombc_driver_check_ops(d, err, sizeof(err)), OMBC_EINVAL);
    assert_string_equal(err, want);
}

static void test_registered_tables_pass(void **state) {
    (void)state;
    size_t n = 0;
    const struct ombc_driver_ops *const *all = ombc_driver_list(&n);
    assert_true(n >= 2);
    for (size_t i = 0; i < n; i++) {
        char err[256] = "";
        if (ombc_driver_check_ops(all[i], err, sizeof(err)) != 0)
            fail_msg("%s", err);
    }
}

static void test_minimal_and_optional(void **state) {
    (void)state;
    char err[256];
    struct ombc_driver_ops d = minimal();
    assert_int_equal(ombc_driver_check_ops(&d, err, sizeof(err)), 0);
    /* a client poll may stand for both per-item polls */
    d.producer_poll = NULL;
    d.consumer_poll = NULL;
    d.client_poll = s_client_poll;
    assert_int_equal(ombc_driver_check_ops(&d, err, sizeof(err)), 0);
    /* an admin half with list only */
    d.admin_close = s_aclose;
    d.admin_open = s_aopen;
    d.list_topics = s_list;
    assert_int_equal(ombc_driver_check_ops(&d, err, sizeof(err)), 0);
}

static void test_missing_ops_refused(void **state) {
    (void)state;
    struct ombc_driver_ops d = minimal();
    d.producer_send = NULL;
    expect_refused(&d, "driver 'x': its table lacks producer_send");
    d = minimal();
    d.consumer_close = NULL;
    expect_refused(&d, "driver 'x': its table lacks consumer_close");
    d = minimal();
    d.consumer_poll = NULL;
    expect_refused(&d, "driver 'x': its table lacks client_poll, or producer_poll and "
                       "consumer_poll");
    d = minimal();
    d.fixture_stop = s_fstop;
    expect_refused(&d, "driver 'x': its table has one of fixture_start and fixture_stop "
                       "without the other");
    d = minimal();
    d.admin_close = s_aclose;
    expect_refused(&d, "driver 'x': its table has one of admin_open and admin_close without "
                       "the other");
    d = minimal();
    d.list_topics = s_list;
    expect_refused(&d, "driver 'x': its table has admin ops without admin_open");
    d = minimal();
    d.topic_prefix = NULL;
    expect_refused(&d, "driver 'x': its table has no topic_prefix");
    d = minimal();
    d.driver_classes = NULL;
    expect_refused(&d, "driver 'x': its table has no name or driverClass");
}

static void test_not_built_needs_names_only(void **state) {
    (void)state;
    char err[256];
    const struct ombc_driver_ops d = {
        .name = "x", .driver_classes = classes, .not_built = "OMBC_WITH_X"};
    assert_int_equal(ombc_driver_check_ops(&d, err, sizeof(err)), 0);
}

static void test_find(void **state) {
    (void)state;
    char err[512] = "";
    struct ombc_driver_conf c = {.path = "d.yaml", .driver_class = "ombc.NullDriver"};
    const struct ombc_driver_ops *d = ombc_driver_find(&c, err, sizeof(err));
    assert_non_null(d);
    assert_string_equal(d->name, "null");
    c.driver_class = "null";
    assert_ptr_equal(ombc_driver_find(&c, err, sizeof(err)), d);
    c.driver_class = "no.Such";
    assert_null(ombc_driver_find(&c, err, sizeof(err)));
    assert_non_null(strstr(err, "d.yaml: driverClass 'no.Such' is not supported (known: "));
    assert_non_null(strstr(err, "ombc.NullDriver"));
    /* a registered driver answers "not built" only when left out of the build */
    c.driver_class = "io.openmessaging.benchmark.driver.kafka.KafkaBenchmarkDriver";
    d = ombc_driver_find(&c, err, sizeof(err));
    if (!d)
        assert_string_equal(err, "d.yaml: driverClass "
                                 "'io.openmessaging.benchmark.driver.kafka.KafkaBenchmarkDriver' "
                                 "is known but driver 'kafka' was not built (OMBC_WITH_KAFKA=OFF)");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_registered_tables_pass),
        cmocka_unit_test(test_minimal_and_optional),
        cmocka_unit_test(test_missing_ops_refused),
        cmocka_unit_test(test_not_built_needs_names_only),
        cmocka_unit_test(test_find),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
