/*
 * Unit tests for core/keys and core/random: OMB's key pool and distributors,
 * and its base64url random strings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

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

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(random_strings_have_omb_shape),
        cmocka_unit_test(base64url_alphabet_is_url_safe),
        cmocka_unit_test(round_robin_starts_at_one_and_wraps),
        cmocka_unit_test(random_nano_uses_truncated_signed_clock),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
