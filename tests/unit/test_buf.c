/*
 * Unit tests for core/buf (the growable text buffer: appends, growth,
 * printf of any length, truncate, reset, take, sticky errors) and
 * core/json (the one JSON string escaper, Jackson's rules, cut only at
 * whole escapes).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/json.h"

static void empty_buffer_takes_an_empty_string(void **state) {
    (void)state;
    struct ombc_buf b = OMBC_BUF_INIT;
    assert_null(b.p);
    char *s = ombc_buf_take(&b);
    assert_non_null(s);
    assert_string_equal(s, "");
    free(s);
    assert_null(b.p);
    assert_int_equal(b.len, 0);
    ombc_buf_fini(&b); /* on an empty buffer: nothing */
    ombc_buf_fini(&b);
}

static void appends_grow_and_stay_terminated(void **state) {
    (void)state;
    struct ombc_buf b = OMBC_BUF_INIT;
    assert_int_equal(ombc_buf_puts(&b, "abc"), 0);
    assert_int_equal(ombc_buf_putc(&b, '-'), 0);
    assert_int_equal(ombc_buf_putn(&b, "xyz123", 3), 0);
    assert_int_equal(ombc_buf_putn(&b, NULL, 0), 0);
    assert_string_equal(b.p, "abc-xyz");
    assert_int_equal(b.len, 7);
    for (int i = 0; i < 10000; i++)
        assert_int_equal(ombc_buf_putc(&b, (char)('a' + i % 26)), 0);
    assert_int_equal(b.len, 10007);
    assert_true(b.cap > b.len);
    assert_int_equal(b.p[b.len], '\0');
    assert_int_equal(b.p[7 + 25], 'z');
    ombc_buf_fini(&b);
    assert_null(b.p);
}

static void bytes_with_nuls_are_kept(void **state) {
    (void)state;
    struct ombc_buf b = OMBC_BUF_INIT;
    assert_int_equal(ombc_buf_putn(&b, "a\0b", 3), 0);
    assert_int_equal(b.len, 3);
    assert_memory_equal(b.p, "a\0b", 4);
    ombc_buf_fini(&b);
}

static void printf_of_any_length(void **state) {
    (void)state;
    struct ombc_buf b = OMBC_BUF_INIT;
    assert_int_equal(ombc_buf_printf(&b, "%d-%s", 42, "x"), 0);
    assert_string_equal(b.p, "42-x");
    char big[5000];
    memset(big, 'q', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    assert_int_equal(ombc_buf_printf(&b, "[%s]", big), 0); /* longer than the room left */
    assert_int_equal(b.len, 4 + 2 + 4999);
    assert_int_equal(b.p[4], '[');
    assert_int_equal(b.p[b.len - 1], ']');
    assert_int_equal(strlen(b.p), b.len);
    assert_int_equal(ombc_buf_printf(&b, "%s", ""), 0);
    assert_int_equal(b.len, 4 + 2 + 4999);
    ombc_buf_fini(&b);
}

static void reserve_keeps_the_text(void **state) {
    (void)state;
    struct ombc_buf b = OMBC_BUF_INIT;
    assert_int_equal(ombc_buf_reserve(&b, 0), 0); /* allocates "" */
    assert_string_equal(b.p, "");
    ombc_buf_puts(&b, "keep");
    assert_int_equal(ombc_buf_reserve(&b, 100000), 0);
    assert_true(b.cap >= 100005);
    assert_string_equal(b.p, "keep");
    ombc_buf_fini(&b);
}

static void truncate_and_reset(void **state) {
    (void)state;
    struct ombc_buf b = OMBC_BUF_INIT;
    ombc_buf_truncate(&b, 0); /* empty: nothing */
    ombc_buf_puts(&b, "hello\\");
    ombc_buf_truncate(&b, b.len - 1);
    assert_string_equal(b.p, "hello");
    ombc_buf_truncate(&b, 99); /* past the end: nothing */
    assert_string_equal(b.p, "hello");
    size_t cap = b.cap;
    ombc_buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.p, "");
    assert_int_equal(b.cap, cap); /* memory kept */
    ombc_buf_puts(&b, "again");
    char *s = ombc_buf_take(&b);
    assert_string_equal(s, "again");
    free(s);
}

/* The first failure sticks: later appends do nothing and report it, take
 * gives NULL; reset clears it. (Out of memory is simulated by a size whose
 * sum with the length overflows: refused before any allocation.) */
static void errors_are_sticky_and_reported(void **state) {
    (void)state;
    struct ombc_buf b = OMBC_BUF_INIT;
    ombc_buf_puts(&b, "ok");
    assert_int_equal(ombc_buf_reserve(&b, SIZE_MAX - 1), OMBC_ENOMEM);
    assert_int_equal(b.err, OMBC_ENOMEM);
    assert_int_equal(ombc_buf_puts(&b, "more"), OMBC_ENOMEM);
    assert_int_equal(ombc_buf_printf(&b, "%d", 1), OMBC_ENOMEM);
    assert_string_equal(b.p, "ok"); /* what was there stays, nothing appended */
    ombc_buf_reset(&b);
    assert_int_equal(b.err, 0);
    assert_int_equal(ombc_buf_puts(&b, "x"), 0);
    assert_int_equal(ombc_buf_reserve(&b, SIZE_MAX - 1), OMBC_ENOMEM);
    assert_null(ombc_buf_take(&b));
    assert_null(b.p);
    assert_int_equal(b.err, 0);
}

/* ---------------------------------------------------------------- json */

static void json_escapes_as_jackson(void **state) {
    (void)state;
    struct ombc_buf b = OMBC_BUF_INIT;
    assert_int_equal(ombc_json_put_string(&b, "a \"b\" \\ \t\n\x01/\xC3\xA9\b\f\r\x1f"), 0);
    assert_string_equal(b.p, "\"a \\\"b\\\" \\\\ \\t\\n\\u0001/\xC3\xA9\\b\\f\\r\\u001F\"");
    ombc_buf_reset(&b);
    ombc_json_put_string(&b, NULL);
    ombc_json_put_string(&b, "");
    assert_string_equal(b.p, "null\"\"");
    ombc_buf_fini(&b);
}

static void json_escape_into_memory_cuts_at_whole_escapes(void **state) {
    (void)state;
    char out[64];
    assert_int_equal(ombc_json_escape(out, sizeof(out), "x\"y\n"), 6);
    assert_string_equal(out, "x\\\"y\\n");
    /* "ab" + \u0001 needs 8; in 5 bytes only "ab" fits, never "ab\u" */
    assert_int_equal(ombc_json_escape(out, 5, "ab\x01"), 8);
    assert_string_equal(out, "ab");
    assert_int_equal(ombc_json_escape(out, 4, "ab\"c"), 5);
    assert_string_equal(out, "ab"); /* \" does not fit whole, and c stays out after it */
    assert_int_equal(ombc_json_escape(out, 1, "abc"), 3);
    assert_string_equal(out, "");
    assert_int_equal(ombc_json_escape(NULL, 0, "a\tb"), 4);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(empty_buffer_takes_an_empty_string),
        cmocka_unit_test(appends_grow_and_stay_terminated),
        cmocka_unit_test(bytes_with_nuls_are_kept),
        cmocka_unit_test(printf_of_any_length),
        cmocka_unit_test(reserve_keeps_the_text),
        cmocka_unit_test(truncate_and_reset),
        cmocka_unit_test(errors_are_sticky_and_reported),
        cmocka_unit_test(json_escapes_as_jackson),
        cmocka_unit_test(json_escape_into_memory_cuts_at_whole_escapes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
