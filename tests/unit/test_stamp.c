/*
 * Unit tests for core/stamp: the send time in a payload's first bytes, read
 * back only from payloads that carry ombc's marker.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/stamp.h"

static void round_trip(void **state) {
    (void)state;
    uint8_t buf[100];
    memset(buf, 0xab, sizeof(buf));
    const int64_t t = 1795000000123456789LL; /* 2026-11-18, ns */
    assert_true(ombc_stamp_write(buf, sizeof(buf), t));
    assert_int_equal(ombc_stamp_read(buf, sizeof(buf)), t);
    /* only the first OMBC_STAMP_BYTES are written */
    for (size_t i = OMBC_STAMP_BYTES; i < sizeof(buf); i++)
        assert_int_equal(buf[i], 0xab);
    /* exactly the stamp's size is room enough */
    assert_true(ombc_stamp_write(buf, OMBC_STAMP_BYTES, 42));
    assert_int_equal(ombc_stamp_read(buf, OMBC_STAMP_BYTES), 42);
}

/* The value is little-endian, whatever the host. */
static void layout_is_fixed(void **state) {
    (void)state;
    uint8_t buf[OMBC_STAMP_BYTES];
    assert_true(ombc_stamp_write(buf, sizeof(buf), 0x0102030405060708LL));
    static const uint8_t want[OMBC_STAMP_BYTES] = {0,    'O',  'M',  'B',  'C',  't',
                                                   's',  '1',  0x08, 0x07, 0x06, 0x05,
                                                   0x04, 0x03, 0x02, 0x01};
    assert_memory_equal(buf, want, sizeof(want));
}

/* Too short to hold one: nothing written, nothing read (the broker's
 * timestamp is used instead). */
static void short_payloads_carry_none(void **state) {
    (void)state;
    uint8_t buf[OMBC_STAMP_BYTES - 1];
    memset(buf, 0x11, sizeof(buf));
    assert_false(ombc_stamp_write(buf, sizeof(buf), 7));
    for (size_t i = 0; i < sizeof(buf); i++)
        assert_int_equal(buf[i], 0x11);
    uint8_t full[OMBC_STAMP_BYTES];
    assert_true(ombc_stamp_write(full, sizeof(full), 7));
    assert_int_equal(ombc_stamp_read(full, sizeof(full) - 1), 0);
    assert_int_equal(ombc_stamp_read(NULL, 0), 0);
}

/* A payload from another producer (OMB's payload files, a Java worker) is
 * not taken for a stamp, even if one byte short of the marker. */
static void foreign_payloads_carry_none(void **state) {
    (void)state;
    uint8_t buf[64];
    memset(buf, 0, sizeof(buf));
    assert_int_equal(ombc_stamp_read(buf, sizeof(buf)), 0);
    assert_true(ombc_stamp_write(buf, sizeof(buf), 123456789));
    buf[7] ^= 1;
    assert_int_equal(ombc_stamp_read(buf, sizeof(buf)), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trip),
        cmocka_unit_test(layout_is_fixed),
        cmocka_unit_test(short_payloads_carry_none),
        cmocka_unit_test(foreign_payloads_carry_none),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
