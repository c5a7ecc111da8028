/*
 * Unit tests for core/keys and core/random: OMB's key pool and distributors
 * (OMB-REFERENCE.md 1.1), its base64url random strings, and the workload
 * loader's refusal of an unknown keyDistributor.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/workload.h"
#include "core/err.h"
#include "core/keys.h"
#include "core/random.h"

static bool is_base64url(const char *s) {
    for (; *s; s++)
        if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", *s))
            return false;
    return true;
}

static void random_strings_have_omb_shape(void **state) {
    (void)state;
    struct ombc_rng r;
    ombc_rng_seed(&r, 42);
    char s[16];
    ombc_random_string(&r, 5, s); /* names: 5 bytes -> 7 characters */
    assert_int_equal(strlen(s), 7);
    assert_true(is_base64url(s));
    ombc_random_string(&r, 7, s); /* keys: 7 bytes -> 10 characters */
    assert_int_equal(strlen(s), 10);
    assert_true(is_base64url(s));
}

/* The alphabet is base64url: never '+', '/' or '=' padding, over many seeds. */
static void base64url_alphabet_is_url_safe(void **state) {
    (void)state;
    struct ombc_rng r;
    for (uint64_t seed = 1; seed < 200; seed++) {
        ombc_rng_seed(&r, seed);
        char s[16];
        ombc_random_string(&r, 7, s);
        assert_null(strchr(s, '+'));
        assert_null(strchr(s, '/'));
        assert_null(strchr(s, '='));
    }
}

static void round_robin_starts_at_one_and_wraps(void **state) {
    (void)state;
    static struct ombc_key_pool pool;
    struct ombc_rng r;
    ombc_rng_seed(&r, 7);
    ombc_key_pool_init(&pool, &r);
    struct ombc_key_dist d = {.type = OMBC_KEY_ROUND_ROBIN};
    size_t len;
    assert_ptr_equal(ombc_key_next(&d, &pool, 0, &len), pool.keys[1]);
    assert_int_equal(len, OMBC_KEY_LEN);
    assert_ptr_equal(ombc_key_next(&d, &pool, 0, &len), pool.keys[2]);
    for (int i = 3; i < OMBC_KEY_POOL_SIZE; i++)
        ombc_key_next(&d, &pool, 0, &len);
    assert_ptr_equal(ombc_key_next(&d, &pool, 0, &len), pool.keys[0]);
    assert_ptr_equal(ombc_key_next(&d, &pool, 0, &len), pool.keys[1]);
}

/* RANDOM_NANO: pool[|(int32)nanoTime % 10000|]. */
static void random_nano_uses_truncated_signed_clock(void **state) {
    (void)state;
    static struct ombc_key_pool pool;
    struct ombc_rng r;
    ombc_rng_seed(&r, 7);
    ombc_key_pool_init(&pool, &r);
    struct ombc_key_dist d = {.type = OMBC_KEY_RANDOM_NANO};
    size_t len;
    assert_ptr_equal(ombc_key_next(&d, &pool, 123456789, &len), pool.keys[6789]);
    /* 0x1_8000_0007 truncates to INT32_MIN + 7 = -2147483641; % 10000 = -3641 */
    assert_ptr_equal(ombc_key_next(&d, &pool, 0x180000007LL, &len), pool.keys[3641]);
    struct ombc_key_dist none = {.type = OMBC_KEY_NO_KEY};
    assert_null(ombc_key_next(&none, &pool, 1, &len));
    assert_int_equal(len, 0);
}

/* The pool: 10,000 keys of 10 base64url characters, all distinct in practice. */
static void pool_has_omb_shape(void **state) {
    (void)state;
    static struct ombc_key_pool pool;
    struct ombc_rng r;
    ombc_rng_seed(&r, 11);
    ombc_key_pool_init(&pool, &r);
    for (int i = 0; i < OMBC_KEY_POOL_SIZE; i++) {
        assert_int_equal(strlen(pool.keys[i]), OMBC_KEY_LEN);
        assert_true(is_base64url(pool.keys[i]));
    }
    assert_string_not_equal(pool.keys[0], pool.keys[1]);
    assert_string_not_equal(pool.keys[1], pool.keys[OMBC_KEY_POOL_SIZE - 1]);
}

/* KEY_ROUND_ROBIN over two and a half turns: the n-th key (n from 1) is
 * pool[n % 10000], whatever the clock says. */
static void round_robin_full_sequence(void **state) {
    (void)state;
    static struct ombc_key_pool pool;
    struct ombc_rng r;
    ombc_rng_seed(&r, 3);
    ombc_key_pool_init(&pool, &r);
    struct ombc_key_dist d = {.type = OMBC_KEY_ROUND_ROBIN};
    for (int n = 1; n <= 25000; n++) {
        size_t len = 0;
        const char *k = ombc_key_next(&d, &pool, (int64_t)n * 7919, &len);
        assert_ptr_equal(k, pool.keys[n % OMBC_KEY_POOL_SIZE]);
        assert_int_equal(len, OMBC_KEY_LEN);
    }
    /* two distributors (two producers) advance independently */
    struct ombc_key_dist a = {.type = OMBC_KEY_ROUND_ROBIN}, b = {.type = OMBC_KEY_ROUND_ROBIN};
    size_t len;
    ombc_key_next(&a, &pool, 0, &len);
    ombc_key_next(&a, &pool, 0, &len);
    assert_ptr_equal(ombc_key_next(&b, &pool, 0, &len), pool.keys[1]);
    assert_ptr_equal(ombc_key_next(&a, &pool, 0, &len), pool.keys[3]);
}

/* RANDOM_NANO as Java computes Math.abs((int) System.nanoTime() % 10000):
 * expected indexes worked out independently with Java's int semantics. */
static void random_nano_matches_java_int_arithmetic(void **state) {
    (void)state;
    static struct ombc_key_pool pool;
    struct ombc_rng r;
    ombc_rng_seed(&r, 5);
    ombc_key_pool_init(&pool, &r);
    static const struct {
        int64_t nano;
        int index;
    } cases[] = {
        {0, 0},
        {123456789, 6789},
        {9999, 9999},
        {10000, 0},
        {-1, 1},                     /* (int)-1 % 10000 = -1 */
        {0xFFFFFFFFLL, 1},           /* truncates to -1 */
        {0x80000000LL, 3648},        /* INT32_MIN % 10000 = -3648 */
        {0x7FFFFFFFLL, 3647},        /* INT32_MAX */
        {0x8000270FLL, 3649},        /* INT32_MIN + 9999 */
        {0x180000007LL, 3641},       /* high bits dropped, then negative */
        {0x100002710LL, 0},          /* 2^32 + 10000 truncates to 10000 */
        {1234567890123456789LL, 4933},
        {-1234567890123456789LL, 4933}, /* truncates to -2112454933 */
        {INT64_MAX, 1},                 /* low 32 bits 0xFFFFFFFF */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct ombc_key_dist d = {.type = OMBC_KEY_RANDOM_NANO};
        size_t len = 0;
        const char *k = ombc_key_next(&d, &pool, cases[i].nano, &len);
        if (k != pool.keys[cases[i].index])
            fail_msg("nanoTime %lld: expected pool[%d], got pool[%ld]",
                     (long long)cases[i].nano, cases[i].index,
                     (long)((k - pool.keys[0]) / (OMBC_KEY_LEN + 1)));
        assert_int_equal(len, OMBC_KEY_LEN);
    }
}

/* NO_KEY: never a key, whatever the clock. */
static void no_key_never_gives_a_key(void **state) {
    (void)state;
    static struct ombc_key_pool pool;
    struct ombc_rng r;
    ombc_rng_seed(&r, 5);
    ombc_key_pool_init(&pool, &r);
    struct ombc_key_dist d = {.type = OMBC_KEY_NO_KEY};
    for (int64_t t = -5; t < 5; t++) {
        size_t len = 99;
        assert_null(ombc_key_next(&d, &pool, t * 1000003, &len));
        assert_int_equal(len, 0);
    }
}

/* Writes text to a temporary file and loads it as a workload. */
static int load_text(const char *text, struct ombc_workload *w, char *path, size_t path_size,
                     char *err, size_t err_size) {
    snprintf(path, path_size, "/tmp/ombc-test-keys-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    int rc = ombc_workload_load(path, w, err, err_size);
    unlink(path);
    return rc;
}

/* OMB falls back to NO_KEY for an unknown value; ombc refuses it, naming
 * the accepted values, so a typo never silently changes the partitioning. */
static void unknown_key_distributor_is_refused(void **state) {
    (void)state;
    static const struct {
        const char *yaml;  /* as written in the file */
        const char *shown; /* as the message shows it */
    } unknown[] = {
        {"HASH", "HASH"},
        {"no_key", "no_key"}, /* case-sensitive, as Jackson */
        {"'KEY_ROUND_ROBIN '", "KEY_ROUND_ROBIN "},
        {"\"\"", ""},
    };
    for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
        char text[256], path[64], err[1024], want[1024];
        snprintf(text, sizeof(text), "topics: 1\nkeyDistributor: %s\n", unknown[i].yaml);
        struct ombc_workload w;
        assert_int_equal(load_text(text, &w, path, sizeof(path), err, sizeof(err)), OMBC_EPARSE);
        snprintf(want, sizeof(want),
                 "%s:2:17: key 'keyDistributor': unknown value '%s' (accepted: NO_KEY, "
                 "KEY_ROUND_ROBIN, RANDOM_NANO, or the aliases ROUND_ROBIN, RANDOM)",
                 path, unknown[i].shown);
        assert_string_equal(err, want);
        ombc_workload_fini(&w); /* left finished by load: safe again */
    }
    /* every accepted spelling loads */
    static const struct {
        const char *value;
        enum ombc_key_distributor type;
    } ok[] = {
        {"NO_KEY", OMBC_KEY_NO_KEY},
        {"KEY_ROUND_ROBIN", OMBC_KEY_ROUND_ROBIN},
        {"RANDOM_NANO", OMBC_KEY_RANDOM_NANO},
        {"ROUND_ROBIN", OMBC_KEY_ROUND_ROBIN},
        {"RANDOM", OMBC_KEY_RANDOM_NANO},
    };
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        char text[256], path[64], err[1024];
        snprintf(text, sizeof(text), "topics: 1\nkeyDistributor: %s\n", ok[i].value);
        struct ombc_workload w;
        assert_int_equal(load_text(text, &w, path, sizeof(path), err, sizeof(err)), 0);
        assert_int_equal(w.key_distributor, ok[i].type);
        ombc_workload_fini(&w);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(random_strings_have_omb_shape),
        cmocka_unit_test(base64url_alphabet_is_url_safe),
        cmocka_unit_test(round_robin_starts_at_one_and_wraps),
        cmocka_unit_test(random_nano_uses_truncated_signed_clock),
        cmocka_unit_test(pool_has_omb_shape),
        cmocka_unit_test(round_robin_full_sequence),
        cmocka_unit_test(random_nano_matches_java_int_arithmetic),
        cmocka_unit_test(no_key_never_gives_a_key),
        cmocka_unit_test(unknown_key_distributor_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
