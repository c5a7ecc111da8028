/*
 * Unit tests for core/units: integers, sizes and durations, and every way
 * they fail (empty, garbage, spaces, unknown units, 64-bit overflow, out of
 * range, negatives), each with its code and its errstr.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/units.h"

static void integers(void **state) {
    (void)state;
    int64_t v = 0;
    char err[256];
    assert_int_equal(ombc_units_parse_int("42", 0, 100, &v, err, sizeof(err)), 0);
    assert_int_equal(v, 42);
    assert_int_equal(ombc_units_parse_int("+7", 0, 100, &v, err, sizeof(err)), 0);
    assert_int_equal(v, 7);
    assert_int_equal(ombc_units_parse_int("-5", -10, 10, &v, err, sizeof(err)), 0);
    assert_int_equal(v, -5);
    assert_int_equal(ombc_units_parse_int("007", 0, 100, &v, err, sizeof(err)), 0);
    assert_int_equal(v, 7);
    assert_int_equal(
        ombc_units_parse_int("9223372036854775807", INT64_MIN, INT64_MAX, &v, err, sizeof(err)),
        0);
    assert_true(v == INT64_MAX);
    assert_int_equal(
        ombc_units_parse_int("-9223372036854775808", INT64_MIN, INT64_MAX, &v, err, sizeof(err)),
        0);
    assert_true(v == INT64_MIN);
    assert_int_equal(ombc_units_parse_int("1", 0, 1, &v, NULL, 0), 0); /* errstr may be NULL */
}

static void integer_failures(void **state) {
    (void)state;
    int64_t v = 99;
    char err[256];
    assert_int_equal(ombc_units_parse_int("", 0, 10, &v, err, sizeof(err)), OMBC_EPARSE);
    assert_string_equal(err, "empty value, expected an integer");
    assert_int_equal(ombc_units_parse_int("abc", 0, 10, &v, err, sizeof(err)), OMBC_EPARSE);
    assert_string_equal(err, "'abc' is not an integer");
    assert_int_equal(ombc_units_parse_int("12x", 0, 100, &v, err, sizeof(err)), OMBC_EPARSE);
    assert_string_equal(err, "'12x' is not an integer");
    assert_int_equal(ombc_units_parse_int(" 5", 0, 10, &v, err, sizeof(err)), OMBC_EPARSE);
    assert_int_equal(ombc_units_parse_int("5 ", 0, 10, &v, err, sizeof(err)), OMBC_EPARSE);
    assert_int_equal(ombc_units_parse_int("-", 0, 10, &v, err, sizeof(err)), OMBC_EPARSE);
    assert_int_equal(ombc_units_parse_int("+-1", -5, 10, &v, err, sizeof(err)), OMBC_EPARSE);
    assert_int_equal(ombc_units_parse_int("0x10", 0, 100, &v, err, sizeof(err)), OMBC_EPARSE);
    assert_int_equal(ombc_units_parse_int("1.5", 0, 10, &v, err, sizeof(err)), OMBC_EPARSE);
    assert_int_equal(ombc_units_parse_int("5s", 0, 10, &v, err, sizeof(err)), OMBC_EPARSE);
    assert_int_equal(ombc_units_parse_int("-1", 0, 10, &v, err, sizeof(err)), OMBC_ERANGE);
    assert_string_equal(err, "'-1' is out of range [0, 10]");
    assert_int_equal(ombc_units_parse_int("11", 0, 10, &v, err, sizeof(err)), OMBC_ERANGE);
    assert_string_equal(err, "'11' is out of range [0, 10]");
    assert_int_equal(ombc_units_parse_int("9223372036854775808", INT64_MIN, INT64_MAX, &v, err,
                                          sizeof(err)),
                     OMBC_ERANGE);
    assert_string_equal(err, "'9223372036854775808' does not fit in 64 bits");
    assert_int_equal(ombc_units_parse_int("-99999999999999999999", INT64_MIN, INT64_MAX, &v, err,
                                          sizeof(err)),
                     OMBC_ERANGE);
    assert_int_equal(v, 99); /* untouched on failure */
    /* A long input is quoted cut, never overflowing errstr. */
    char longer[300];
    memset(longer, 'a', sizeof(longer) - 2);
    longer[sizeof(longer) - 2] = 'x';
    longer[sizeof(longer) - 1] = '\0';
    assert_int_equal(ombc_units_parse_int(longer, 0, 10, &v, err, 16), OMBC_EPARSE);
    assert_int_equal(strlen(err), 15);
}

static void sizes(void **state) {
    (void)state;
    int64_t v = 0;
    char err[256];
    const struct {
        const char *text;
        int64_t bytes;
    } ok[] = {{"0", 0},
              {"512", 512},
              {"512B", 512},
              {"1k", 1000},
              {"1K", 1000},
              {"2kB", 2000},
              {"3M", 3000000},
              {"1G", 1000000000},
              {"2T", 2000000000000LL},
              {"1Ki", 1024},
              {"4MiB", 4 << 20},
              {"1GiB", 1LL << 30},
              {"1Ti", 1LL << 40}};
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        assert_int_equal(ombc_units_parse_size(ok[i].text, 0, INT64_MAX, &v, err, sizeof(err)),
                         0);
        assert_true(v == ok[i].bytes);
    }
    assert_int_equal(ombc_units_parse_size("", 0, 10, &v, err, sizeof(err)), OMBC_EPARSE);
    assert_string_equal(err, "empty value, expected a size");
    assert_int_equal(ombc_units_parse_size("k", 0, 10, &v, err, sizeof(err)), OMBC_EPARSE);
    assert_string_equal(err, "'k' is not a size");
    assert_int_equal(ombc_units_parse_size("3X", 0, 10, &v, err, sizeof(err)), OMBC_EPARSE);
    assert_string_equal(err, "'3X': unknown size suffix 'X' (expected k, M, G, T, Ki, Mi, Gi "
                             "or Ti, optionally followed by B)");
    assert_int_equal(ombc_units_parse_size("1BB", 0, 10, &v, err, sizeof(err)), OMBC_EPARSE);
    assert_int_equal(ombc_units_parse_size("1 k", 0, 10, &v, err, sizeof(err)), OMBC_EPARSE);
    assert_int_equal(ombc_units_parse_size("1Mi", 0, 1000, &v, err, sizeof(err)), OMBC_ERANGE);
    assert_string_equal(err, "'1Mi' is out of range [0, 1000]");
    assert_int_equal(ombc_units_parse_size("-1k", 0, INT64_MAX, &v, err, sizeof(err)),
                     OMBC_ERANGE);
    assert_int_equal(ombc_units_parse_size("9000000Ti", 0, INT64_MAX, &v, err, sizeof(err)),
                     OMBC_ERANGE);
    assert_string_equal(err, "'9000000Ti' does not fit in 64 bits");
}

static void durations(void **state) {
    (void)state;
    int64_t ns = 0;
    char err[256];
    const struct {
        const char *text;
        int64_t default_unit, ns;
    } ok[] = {{"500ms", OMBC_UNITS_S, 500000000LL},
              {"10s", OMBC_UNITS_MS, 10000000000LL},
              {"2m", OMBC_UNITS_S, 120000000000LL},
              {"1h", OMBC_UNITS_S, 3600000000000LL},
              {"250us", OMBC_UNITS_S, 250000},
              {"7ns", OMBC_UNITS_S, 7},
              {"10", OMBC_UNITS_S, 10000000000LL}, /* plain: the default unit */
              {"10", OMBC_UNITS_MS, 10000000},
              {"0", OMBC_UNITS_S, 0}};
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        assert_int_equal(ombc_units_parse_duration(ok[i].text, ok[i].default_unit, 0, INT64_MAX,
                                                   &ns, err, sizeof(err)),
                         0);
        assert_true(ns == ok[i].ns);
    }
    assert_int_equal(
        ombc_units_parse_duration("", OMBC_UNITS_S, 0, INT64_MAX, &ns, err, sizeof(err)),
        OMBC_EPARSE);
    assert_string_equal(err, "empty value, expected a duration");
    assert_int_equal(
        ombc_units_parse_duration("ms", OMBC_UNITS_S, 0, INT64_MAX, &ns, err, sizeof(err)),
        OMBC_EPARSE);
    assert_string_equal(err, "'ms' is not a duration");
    assert_int_equal(
        ombc_units_parse_duration("5d", OMBC_UNITS_S, 0, INT64_MAX, &ns, err, sizeof(err)),
        OMBC_EPARSE);
    assert_string_equal(err, "'5d': unknown time unit 'd' (expected ns, us, ms, s, m or h)");
    assert_int_equal(
        ombc_units_parse_duration("1.5s", OMBC_UNITS_S, 0, INT64_MAX, &ns, err, sizeof(err)),
        OMBC_EPARSE);
    assert_int_equal(
        ombc_units_parse_duration("10 s", OMBC_UNITS_S, 0, INT64_MAX, &ns, err, sizeof(err)),
        OMBC_EPARSE);
    assert_int_equal(
        ombc_units_parse_duration("10S", OMBC_UNITS_S, 0, INT64_MAX, &ns, err, sizeof(err)),
        OMBC_EPARSE);
    assert_int_equal(ombc_units_parse_duration("2h", OMBC_UNITS_S, 0, 3600 * OMBC_UNITS_S, &ns,
                                               err, sizeof(err)),
                     OMBC_ERANGE);
    assert_string_equal(err, "'2h' is out of range [0, 3600000000000] ns");
    assert_int_equal(
        ombc_units_parse_duration("-1s", OMBC_UNITS_S, 0, INT64_MAX, &ns, err, sizeof(err)),
        OMBC_ERANGE);
    assert_int_equal(ombc_units_parse_duration("9999999999h", OMBC_UNITS_S, 0, INT64_MAX, &ns,
                                               err, sizeof(err)),
                     OMBC_ERANGE);
    assert_string_equal(err, "'9999999999h' does not fit in 64 bits");
    assert_int_equal(ombc_units_parse_duration("99999999999999999999", OMBC_UNITS_S, 0,
                                               INT64_MAX, &ns, err, sizeof(err)),
                     OMBC_ERANGE);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(integers),
        cmocka_unit_test(integer_failures),
        cmocka_unit_test(sizes),
        cmocka_unit_test(durations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
