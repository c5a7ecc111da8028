/*
 * test_hdr_codec_cases: the HdrHistogram decoder (stats/hdr_codec) and the
 * strict base64 under it (core/base64) on malformed input, one case per
 * error path, each asserting OMBC_EINVAL and a distinctive part of the
 * message. Cases the fuzzer (fuzz/fuzz_hdr_decode.c) reached and cases built
 * by hand from OMB-REFERENCE.md 6.3 alike; the bytes are inline. Every input
 * is decoded from memory that ends at a PROT_NONE page, so an over-read
 * faults instead of passing unseen (picohttpparser's guard-page tests).
 *
 * Header shorthand: V2 = cookie 1c849313, payload length, offset 0, digits,
 * lowest, highest, ratio 3ff0000000000000; "(1, 60e6, 5)" has 1310720 counts.
 * Varints are ZigZag LEB128-64b9B: -1310721 = 81 80 a0 01, 1 = 02.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/base64.h"
#include "core/err.h"
#include "stats/hdr.h"
#include "stats/hdr_codec.h"

/* Memory whose last byte is followed by an inaccessible page. */
struct guarded {
    uint8_t *map;
    size_t map_len;
    uint8_t *data; /* the copy, ending at the guard page */
};

static void guard_copy(struct guarded *g, const void *p, size_t n) {
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t pages = (n + page - 1) / page + 1;
    g->map_len = pages * page;
    void *m = mmap(NULL, g->map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(m != MAP_FAILED);
    g->map = m;
    assert_int_equal(mprotect(g->map + g->map_len - page, page, PROT_NONE), 0);
    g->data = g->map + g->map_len - page - n;
    if (n > 0)
        memcpy(g->data, p, n);
}

static void guard_free(struct guarded *g) { munmap(g->map, g->map_len); }

/* A failed decode leaves the output finished (and safe to finish again). */
static void assert_finished(struct ombc_hist *h) {
    assert_null(h->counts);
    assert_int_equal(h->counts_len, 0);
    ombc_hist_fini(h);
}

static int decode_guarded(const uint8_t *in, size_t len, struct ombc_hist *h, char *err,
                          size_t err_size) {
    struct guarded g;
    guard_copy(&g, in, len);
    int rc = ombc_hist_decode(g.data, len, h, err, err_size);
    guard_free(&g);
    return rc;
}

static int decode_base64_guarded(const char *in, size_t len, struct ombc_hist *h, char *err,
                                 size_t err_size) {
    struct guarded g;
    guard_copy(&g, in, len);
    int rc = ombc_hist_decode_base64((const char *)g.data, len, h, err, err_size);
    guard_free(&g);
    return rc;
}

/*
 * in is malformed: OMBC_EINVAL with want in the message, as binary and as
 * base64 text (the same message), and also without an errstr buffer.
 */
static void expect_einval(const uint8_t *in, size_t len, const char *want) {
    char err[256] = "";
    struct ombc_hist h;
    assert_int_equal(decode_guarded(in, len, &h, err, sizeof(err)), OMBC_EINVAL);
    if (!strstr(err, want))
        fail_msg("message \"%s\" lacks \"%s\"", err, want);
    assert_finished(&h);

    assert_int_equal(decode_guarded(in, len, &h, NULL, 0), OMBC_EINVAL);
    assert_finished(&h);

    char *text = malloc(ombc_base64_encoded_len(len, OMBC_BASE64_STD) + 1);
    assert_non_null(text);
    size_t n = ombc_base64_encode(in, len, text, OMBC_BASE64_STD);
    char err64[256] = "";
    assert_int_equal(decode_base64_guarded(text, n, &h, err64, sizeof(err64)), OMBC_EINVAL);
    assert_string_equal(err64, err);
    assert_finished(&h);
    free(text);
}

#define EXPECT_EINVAL(bytes, want) expect_einval(bytes, sizeof(bytes), want)

static void expect_base64_einval(const char *in, const char *want) {
    char err[256] = "";
    struct ombc_hist h;
    assert_int_equal(decode_base64_guarded(in, strlen(in), &h, err, sizeof(err)), OMBC_EINVAL);
    if (!strstr(err, want))
        fail_msg("message \"%s\" lacks \"%s\"", err, want);
    assert_finished(&h);
}

/* in decodes to a histogram with this total, min and max. */
static void expect_ok(const uint8_t *in, size_t len, int64_t total, int64_t min, int64_t max,
                      struct ombc_hist *h) {
    char err[256] = "";
    int rc = decode_guarded(in, len, h, err, sizeof(err));
    if (rc != 0)
        fail_msg("decode failed: %s", err);
    assert_int_equal(ombc_hist_total(h), total);
    assert_int_equal(ombc_hist_min(h), min);
    assert_int_equal(ombc_hist_max(h), max);
}

/* ---- malformed binary encodings ---------------------------------------- */

/* an unknown cookie */
static const uint8_t BAD_COOKIE[] = {
    0xde, 0xad, 0xbe, 0xef, 0x00, 0x00, 0x00, 0x00,
};
static void test_bad_cookie(void **state) {
    (void)state;
    EXPECT_EINVAL(BAD_COOKIE, "not an HdrHistogram V2 encoding (cookie 0xdeadbeef)");
}

/* V1 cookie (base 0x1c849301, 2-byte counts) with a V2-like header */
static const uint8_t V1_COOKIE[] = {
    0x1c, 0x84, 0x93, 0x21, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
    0x03, 0x93, 0x87, 0x00, 0x3f, 0xf0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};
static void test_v1_cookie(void **state) {
    (void)state;
    EXPECT_EINVAL(V1_COOKIE, "a V1 encoding");
}

/* V1 compressed cookie (base 0x1c849302) */
static const uint8_t V1_COMPRESSED_COOKIE[] = {
    0x1c, 0x84, 0x93, 0x12, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00,
};
static void test_v1_compressed_cookie(void **state) {
    (void)state;
    EXPECT_EINVAL(V1_COMPRESSED_COOKIE, "a V1 encoding");
}

/* V0 header: cookie, digits, lowest, highest, total */
static const uint8_t V0_COOKIE[] = {
    0x1c, 0x84, 0x93, 0x08, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x00, 0x00, 0x00, 0x00, 0x03, 0x93, 0x87, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};
static void test_v0_cookie(void **state) {
    (void)state;
    EXPECT_EINVAL(V0_COOKIE, "a V0 encoding");
}

/* V0 compressed cookie (base 0x1c849309) */
static const uint8_t V0_COMPRESSED_COOKIE[] = {
    0x1c, 0x84, 0x93, 0x19, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00,
};
static void test_v0_compressed_cookie(void **state) {
    (void)state;
    EXPECT_EINVAL(V0_COMPRESSED_COOKIE, "a V0 encoding");
}

/* DoubleHistogram cookie */
static const uint8_t DOUBLE_COOKIE[] = {
    0x0c, 0x72, 0x12, 0x4e, 0x00, 0x00, 0x00, 0x00,
};
static void test_double_cookie(void **state) {
    (void)state;
    EXPECT_EINVAL(DOUBLE_COOKIE, "a DoubleHistogram");
}

/* compressed DoubleHistogram cookie */
static const uint8_t DOUBLE_COMPRESSED_COOKIE[] = {
    0x0c, 0x72, 0x12, 0x4f, 0x00, 0x00, 0x00, 0x00,
};
static void test_double_compressed_cookie(void **state) {
    (void)state;
    EXPECT_EINVAL(DOUBLE_COMPRESSED_COOKIE, "a DoubleHistogram");
}

/* 7 bytes */
static const uint8_t TOO_SHORT[] = {
    0x1c, 0x84, 0x93, 0x13, 0x00, 0x00, 0x00,
};
static void test_too_short(void **state) {
    (void)state;
    EXPECT_EINVAL(TOO_SHORT, "histogram is 7 bytes; too short");
}

/* the first 20 of the 40 header bytes */
static const uint8_t TRUNCATED_HEADER[] = {
    0x1c, 0x84, 0x93, 0x13, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00,
};
static void test_truncated_header(void **state) {
    (void)state;
    EXPECT_EINVAL(TRUNCATED_HEADER, "histogram is truncated at byte 20");
}

/* payload length 0xffffffff */
static const uint8_t NEGATIVE_PAYLOAD_LENGTH[] = {
    0x1c, 0x84, 0x93, 0x13, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
    0x03, 0x93, 0x87, 0x00, 0x3f, 0xf0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};
static void test_negative_payload_length(void **state) {
    (void)state;
    EXPECT_EINVAL(NEGATIVE_PAYLOAD_LENGTH, "payload length -1 is negative");
}

/* digits 6 */
static const uint8_t DIGITS_6[] = {
    0x1c, 0x84, 0x93, 0x13, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
    0x03, 0x93, 0x87, 0x00, 0x3f, 0xf0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};
static void test_digits_6(void **state) {
    (void)state;
    EXPECT_EINVAL(DIGITS_6, "has 6 significant digits");
}

/* digits -1 */
static const uint8_t DIGITS_NEGATIVE[] = {
    0x1c, 0x84, 0x93, 0x13, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff,
    0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
    0x03, 0x93, 0x87, 0x00, 0x3f, 0xf0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};
static void test_digits_negative(void **state) {
    (void)state;
    EXPECT_EINVAL(DIGITS_NEGATIVE, "has -1 significant digits");
}

/* lowest 0 */
static const uint8_t LOWEST_0[] = {
    0x1c, 0x84, 0x93, 0x13, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x03, 0x93, 0x87, 0x00, 0x3f, 0xf0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};
static void test_lowest_0(void **state) {
    (void)state;
    EXPECT_EINVAL(LOWEST_0, "range [0, 60000000] is invalid");
}

/* lowest 10, highest 19 */
static const uint8_t HIGHEST_BELOW_2_LOWEST[] = {
    0x1c, 0x84, 0x93, 0x13, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x13, 0x3f, 0xf0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};
static void test_highest_below_2_lowest(void **state) {
    (void)state;
    EXPECT_EINVAL(HIGHEST_BELOW_2_LOWEST, "range [10, 19] is invalid");
}

/* lowest 2^45, digits 5: unit magnitude 45 + 18 > 62 */
static const uint8_t UNSUPPORTED_PARAMS[] = {
    0x1c, 0x84, 0x93, 0x13, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x05, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x3f, 0xf0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};
static void test_unsupported_params(void **state) {
    (void)state;
    EXPECT_EINVAL(UNSUPPORTED_PARAMS,
                  "(lowest 35184372088832, highest 140737488355328, digits 5) are not supported");
}

/* a run of 1310721 zeros in 1310720 counts */
static const uint8_t ZERO_RUN_PAST_END[] = {
    0x1c, 0x84, 0x93, 0x13, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x03, 0x93,
    0x87, 0x00, 0x3f, 0xf0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x81, 0x80, 0xa0, 0x01,
};
static void test_zero_run_past_end(void **state) {
    (void)state;
    EXPECT_EINVAL(ZERO_RUN_PAST_END,
                  "a run of 1310721 zeros at byte 0 passes the end of the 1310720 counts");
}

/* varint ff x 9 = Long.MIN_VALUE as a zero run */
static const uint8_t ZERO_RUN_INT64_MIN[] = {
    0x1c, 0x84, 0x93, 0x13, 0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
    0x00, 0x00, 0x03, 0x93, 0x87, 0x00, 0x3f, 0xf0, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
};
static void test_zero_run_int64_min(void **state) {
    (void)state;
    EXPECT_EINVAL(ZERO_RUN_INT64_MIN, "a run of 9223372036854775808 zeros");
}

/* a run over all 1310720 counts, then a count */
static const uint8_t COUNT_BEYOND_LAST[] = {
    0x1c, 0x84, 0x93, 0x13, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x03, 0x93,
    0x87, 0x00, 0x3f, 0xf0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0x9f, 0x01, 0x02,
};
static void test_count_beyond_last(void **state) {
    (void)state;
    EXPECT_EINVAL(COUNT_BEYOND_LAST, "count at byte 4 is beyond the last of the 1310720 counts");
}

/* counts Long.MAX_VALUE and 1 */
static const uint8_t TOTAL_OVERFLOW[] = {
    0x1c, 0x84, 0x93, 0x13, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
    0x00, 0x00, 0x03, 0x93, 0x87, 0x00, 0x3f, 0xf0, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02,
};
static void test_total_overflow(void **state) {
    (void)state;
    EXPECT_EINVAL(TOTAL_OVERFLOW, "total count overflows at byte 9");
}

/* payload: one varint byte with the continuation bit, then the end */
static const uint8_t TRUNCATED_VARINT[] = {
    0x1c, 0x84, 0x93, 0x13, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
    0x03, 0x93, 0x87, 0x00, 0x3f, 0xf0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80,
};
static void test_truncated_varint(void **state) {
    (void)state;
    EXPECT_EINVAL(TRUNCATED_VARINT, "histogram is truncated at byte 41");
}

/* payload length 1, but its varint takes 2 bytes */
static const uint8_t VARINT_PAST_PAYLOAD[] = {
    0x1c, 0x84, 0x93, 0x13, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
    0x03, 0x93, 0x87, 0x00, 0x3f, 0xf0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x02,
};
static void test_varint_past_payload(void **state) {
    (void)state;
    EXPECT_EINVAL(VARINT_PAST_PAYLOAD, "count at byte 0 runs past the payload length 1");
}

/* payload length 3, 1 byte present */
static const uint8_t PAYLOAD_LONGER_THAN_INPUT[] = {
    0x1c, 0x84, 0x93, 0x13, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
    0x03, 0x93, 0x87, 0x00, 0x3f, 0xf0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
};
static void test_payload_longer_than_input(void **state) {
    (void)state;
    EXPECT_EINVAL(PAYLOAD_LONGER_THAN_INPUT, "histogram is truncated at byte 41");
}

/* empty histogram and one more byte */
static const uint8_t TRAILING_BYTES[] = {
    0x1c, 0x84, 0x93, 0x13, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
    0x03, 0x93, 0x87, 0x00, 0x3f, 0xf0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};
static void test_trailing_bytes(void **state) {
    (void)state;
    EXPECT_EINVAL(TRAILING_BYTES, "1 unexpected bytes after the histogram's payload");
}

/* compressed, says 100 bytes of zlib data, has 31 */
static const uint8_t COMPRESSED_LENGTH_MISMATCH[] = {
    0x1c, 0x84, 0x93, 0x14, 0x00, 0x00, 0x00, 0x64, 0x78, 0x9c, 0x93, 0x69, 0x99,
    0x2c, 0xcc, 0xc0, 0xc0, 0xc0, 0xc8, 0x00, 0x01, 0xac, 0x50, 0x1a, 0xcc, 0x67,
    0x9e, 0xdc, 0xce, 0x60, 0xff, 0x01, 0x2a, 0x02, 0x00, 0x49, 0xc1, 0x03, 0x9a,
};
static void test_compressed_length_mismatch(void **state) {
    (void)state;
    EXPECT_EINVAL(COMPRESSED_LENGTH_MISMATCH, "says 100 bytes of zlib data, has 31");
}

/* zlib header 78 9d (check bits wrong) */
static const uint8_t COMPRESSED_BAD_ZLIB_HEADER[] = {
    0x1c, 0x84, 0x93, 0x14, 0x00, 0x00, 0x00, 0x04, 0x78, 0x9d, 0x00, 0x00,
};
static void test_compressed_bad_zlib_header(void **state) {
    (void)state;
    EXPECT_EINVAL(COMPRESSED_BAD_ZLIB_HEADER, "zlib: incorrect header check");
}

/* empty histogram, zlib Adler-32 with one bit flipped */
static const uint8_t COMPRESSED_BAD_CHECKSUM[] = {
    0x1c, 0x84, 0x93, 0x14, 0x00, 0x00, 0x00, 0x1f, 0x78, 0x9c, 0x93, 0x69, 0x99,
    0x2c, 0xcc, 0xc0, 0xc0, 0xc0, 0xc8, 0x00, 0x01, 0xac, 0x50, 0x1a, 0xcc, 0x67,
    0x9e, 0xdc, 0xce, 0x60, 0xff, 0x01, 0x2a, 0x02, 0x00, 0x49, 0xc1, 0x03, 0x9b,
};
static void test_compressed_bad_checksum(void **state) {
    (void)state;
    EXPECT_EINVAL(COMPRESSED_BAD_CHECKSUM, "zlib: incorrect data check");
}

/* empty histogram, zlib stream without its last 5 bytes */
static const uint8_t COMPRESSED_TRUNCATED_ZLIB[] = {
    0x1c, 0x84, 0x93, 0x14, 0x00, 0x00, 0x00, 0x1a, 0x78, 0x9c, 0x93, 0x69,
    0x99, 0x2c, 0xcc, 0xc0, 0xc0, 0xc0, 0xc8, 0x00, 0x01, 0xac, 0x50, 0x1a,
    0xcc, 0x67, 0x9e, 0xdc, 0xce, 0x60, 0xff, 0x01, 0x2a, 0x02,
};
static void test_compressed_truncated_zlib(void **state) {
    (void)state;
    EXPECT_EINVAL(COMPRESSED_TRUNCATED_ZLIB, "zlib: truncated data");
}

/* empty histogram, 2 bytes after the zlib stream */
static const uint8_t COMPRESSED_TRAILING_GARBAGE[] = {
    0x1c, 0x84, 0x93, 0x14, 0x00, 0x00, 0x00, 0x21, 0x78, 0x9c, 0x93, 0x69, 0x99, 0x2c,
    0xcc, 0xc0, 0xc0, 0xc0, 0xc8, 0x00, 0x01, 0xac, 0x50, 0x1a, 0xcc, 0x67, 0x9e, 0xdc,
    0xce, 0x60, 0xff, 0x01, 0x2a, 0x02, 0x00, 0x49, 0xc1, 0x03, 0x9a, 0x01, 0x02,
};
static void test_compressed_trailing_garbage(void **state) {
    (void)state;
    EXPECT_EINVAL(COMPRESSED_TRAILING_GARBAGE,
                  "2 unexpected bytes after the compressed histogram's zlib data");
}

/* zlib of: payload length 1, 2 payload bytes */
static const uint8_t COMPRESSED_STREAM_LONGER[] = {
    0x1c, 0x84, 0x93, 0x14, 0x00, 0x00, 0x00, 0x20, 0x78, 0x9c, 0x93, 0x69, 0x99, 0x2c,
    0xcc, 0xc0, 0xc0, 0xc0, 0xc8, 0x00, 0x01, 0xac, 0x50, 0x1a, 0xcc, 0x67, 0x9e, 0xdc,
    0xce, 0x60, 0xff, 0x01, 0x2a, 0xc2, 0x00, 0x00, 0x4d, 0x5b, 0x03, 0x9a,
};
static void test_compressed_stream_longer(void **state) {
    (void)state;
    EXPECT_EINVAL(COMPRESSED_STREAM_LONGER, "holds more bytes than its payload length says");
}

/* zlib of: payload length 2, 1 payload byte */
static const uint8_t COMPRESSED_STREAM_SHORTER[] = {
    0x1c, 0x84, 0x93, 0x14, 0x00, 0x00, 0x00, 0x20, 0x78, 0x9c, 0x93, 0x69, 0x99, 0x2c,
    0xcc, 0xc0, 0xc0, 0xc0, 0xc4, 0x00, 0x01, 0xac, 0x50, 0x9a, 0x11, 0x44, 0x30, 0x4f,
    0x6e, 0x67, 0xb0, 0xff, 0x00, 0x15, 0x01, 0x00, 0x49, 0xe3, 0x03, 0x9b,
};
static void test_compressed_stream_shorter(void **state) {
    (void)state;
    EXPECT_EINVAL(COMPRESSED_STREAM_SHORTER, "compressed histogram ends after 41 of its bytes");
}

/* zlib of a compressed cookie */
static const uint8_t COMPRESSED_INNER_COMPRESSED[] = {
    0x1c, 0x84, 0x93, 0x14, 0x00, 0x00, 0x00, 0x0f, 0x78, 0x9c, 0x93, 0x69,
    0x99, 0x2c, 0xc2, 0x40, 0x04, 0x00, 0x00, 0x31, 0x5a, 0x01, 0x48,
};
static void test_compressed_inner_compressed(void **state) {
    (void)state;
    EXPECT_EINVAL(COMPRESSED_INNER_COMPRESSED,
                  "not an HdrHistogram V2 encoding (cookie 0x1c849314)");
}

/* zlib of a V1 cookie */
static const uint8_t COMPRESSED_INNER_V1[] = {
    0x1c, 0x84, 0x93, 0x14, 0x00, 0x00, 0x00, 0x1e, 0x78, 0x9c, 0x93, 0x69, 0x99,
    0xcc, 0xc8, 0xc0, 0xc0, 0x00, 0xc2, 0x20, 0xc0, 0x0a, 0xa5, 0xc1, 0x7c, 0xe6,
    0xc9, 0xed, 0x0c, 0xf6, 0x1f, 0xa0, 0x22, 0x00, 0x47, 0x15, 0x03, 0x88,
};
static void test_compressed_inner_v1(void **state) {
    (void)state;
    EXPECT_EINVAL(COMPRESSED_INNER_V1, "a V1 encoding");
}

/* zlib of zero_run_past_end */
static const uint8_t COMPRESSED_ZERO_RUN_PAST_END[] = {
    0x1c, 0x84, 0x93, 0x14, 0x00, 0x00, 0x00, 0x24, 0x78, 0x9c, 0x93, 0x69, 0x99, 0x2c, 0xcc,
    0xc0, 0xc0, 0xc0, 0xc2, 0x00, 0x01, 0xac, 0x50, 0x9a, 0x11, 0x44, 0x30, 0x4f, 0x6e, 0x67,
    0xb0, 0xff, 0x00, 0x11, 0x68, 0x6c, 0x58, 0xc0, 0x08, 0x00, 0x59, 0xc3, 0x05, 0x3f,
};
static void test_compressed_zero_run_past_end(void **state) {
    (void)state;
    EXPECT_EINVAL(COMPRESSED_ZERO_RUN_PAST_END, "a run of 1310721 zeros at byte 0 passes the end");
}

/* ---- accepted inputs (checked below) ------------------------------------ */

/* payload 00 00 02: two single zeros, not a run of 2 (non-canonical, accepted) */
static const uint8_t OK_EXPLICIT_ZEROS[] = {
    0x1c, 0x84, 0x93, 0x13, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x03, 0x93,
    0x87, 0x00, 0x3f, 0xf0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
};

/* a zero run over exactly all 1310720 counts */
static const uint8_t OK_RUN_TO_END[] = {
    0x1c, 0x84, 0x93, 0x13, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x03, 0x93,
    0x87, 0x00, 0x3f, 0xf0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0x9f, 0x01,
};

/* count Long.MAX_VALUE at index 0 (9-byte varint) */
static const uint8_t OK_TOTAL_INT64_MAX[] = {
    0x1c, 0x84, 0x93, 0x13, 0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
    0x00, 0x00, 0x03, 0x93, 0x87, 0x00, 0x3f, 0xf0, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
};

/* (1000, 3.6e12, 3) compressed at level 1 (78 01): count 1 at index 1 = [512, 1023] */
static const uint8_t OK_LEVEL1_UNIT_MAGNITUDE[] = {
    0x1c, 0x84, 0x93, 0x14, 0x00, 0x00, 0x00, 0x24, 0x78, 0x01, 0x93, 0x69, 0x99, 0x2c, 0xcc,
    0xc0, 0xc0, 0xc0, 0x04, 0xc4, 0x20, 0xc0, 0x0c, 0xa5, 0x5e, 0x00, 0x99, 0x6e, 0x06, 0x3b,
    0x16, 0x30, 0xd8, 0x7f, 0x80, 0x88, 0x30, 0x30, 0x01, 0x00, 0x68, 0x78, 0x05, 0x39,
};
/* ---- malformed base64 ---------------------------------------------------- */

/* The worked example (OMB-REFERENCE.md 6.4) compressed at level 9. */
#define WORKED_B64 "HISTFAAAACl42pNpmSzMwMDAxQABrFCaEUQwT25nsP8AFWFiO8nPtPYnHxMAd5AGOw=="

static void test_base64_bad_character(void **state) {
    (void)state;
    expect_base64_einval("HISTF!AA", "base64: invalid character 0x21 at offset 5");
    /* whitespace is trimmed around the text, not accepted inside it */
    expect_base64_einval("HISTFAAA AAAA", "base64: length 13 is not a multiple of 4");
    expect_base64_einval("HISTFAA AAAA", "base64: invalid character 0x20 at offset 7");
    /* the URL-safe alphabet's characters are not standard base64 */
    expect_base64_einval("HIST-AAA", "base64: invalid character 0x2d at offset 4");
    expect_base64_einval("HIST_AAA", "base64: invalid character 0x5f at offset 4");
}

static void test_base64_bad_length(void **state) {
    (void)state;
    expect_base64_einval("HISTFAAAACl", "base64: length 11 is not a multiple of 4");
    /* padding dropped: a multiple of 4 no more */
    expect_base64_einval("HISTFAAAACl42pNpmSzMwMDAxQABrFCaEUQwT25nsP8AFWFiO8nPtPYnHxMAd5AGOw",
                         "base64: length 66 is not a multiple of 4");
}

static void test_base64_bad_padding(void **state) {
    (void)state;
    expect_base64_einval("HIST=AAA", "base64: invalid character 0x3d at offset 4");
    expect_base64_einval("A===", "base64: invalid character 0x3d at offset 1");
    expect_base64_einval("====", "base64: invalid character 0x3d at offset 0");
    expect_base64_einval("HISTFAAAACl42pNpmSzMwMDAxQABrFCaEUQwT25nsP8AFWFiO8nPtPYnHxMAd5AGOw=A",
                         "base64: invalid character 0x3d at offset 66");
}

static void test_base64_nonzero_spare_bits(void **state) {
    (void)state;
    /* "AB==": 12 bits, the byte 00 and 4 spare bits 0001 */
    expect_base64_einval("AB==", "base64: non-zero padding bits");
    /* the worked example with its last sextet "w" (110000) made "x" (110001) */
    expect_base64_einval("HISTFAAAACl42pNpmSzMwMDAxQABrFCaEUQwT25nsP8AFWFiO8nPtPYnHxMAd5AGOx==",
                         "base64: non-zero padding bits");
}

static void test_base64_truncated_url(void **state) {
    (void)state;
    /* Unpadded: 5 characters leave 6 bits, less than a byte. */
    uint8_t out[8];
    size_t out_len = 0;
    char err[128] = "";
    assert_int_equal(
        ombc_base64_decode("AAAAA", 5, out, &out_len, OMBC_BASE64_URL, err, sizeof(err)),
        OMBC_EINVAL);
    assert_non_null(strstr(err, "base64: truncated input (5 characters)"));
}

static void test_base64_valid_but_not_a_histogram(void **state) {
    (void)state;
    expect_base64_einval("", "histogram is 0 bytes; too short");
    expect_base64_einval("  \n", "histogram is 0 bytes; too short");
    expect_base64_einval("AAAAAAAAAAA=", "not an HdrHistogram V2 encoding (cookie 0x00000000)");
}

static void test_base64_whitespace_around(void **state) {
    (void)state;
    const char *text = " \t" WORKED_B64 "\r\n";
    char err[256] = "";
    struct ombc_hist h;
    int rc = decode_base64_guarded(text, strlen(text), &h, err, sizeof(err));
    if (rc != 0)
        fail_msg("decode failed: %s", err);
    /* values 1, 2 (x3), 1000, 123456 */
    assert_int_equal(ombc_hist_total(&h), 6);
    assert_int_equal(ombc_hist_min(&h), 1);
    assert_int_equal(ombc_hist_max(&h), 123456);
    ombc_hist_fini(&h);
}

/* ---- the error buffer ---------------------------------------------------- */

static void test_errstr_truncated(void **state) {
    (void)state;
    char err[8];
    memset(err, 'x', sizeof(err));
    struct ombc_hist h;
    assert_int_equal(decode_guarded(BAD_COOKIE, sizeof(BAD_COOKIE), &h, err, sizeof(err)),
                     OMBC_EINVAL);
    assert_string_equal(err, "not an ");
    assert_finished(&h);
    char one[1] = {'x'};
    assert_int_equal(decode_guarded(BAD_COOKIE, sizeof(BAD_COOKIE), &h, one, sizeof(one)),
                     OMBC_EINVAL);
    assert_int_equal(one[0], '\0');
    assert_finished(&h);
}

/* ---- accepted edge cases ------------------------------------------------- */

static void test_ok_explicit_zeros(void **state) {
    (void)state;
    struct ombc_hist h;
    expect_ok(OK_EXPLICIT_ZEROS, sizeof(OK_EXPLICIT_ZEROS), 1, 2, 2, &h);
    assert_int_equal(h.counts[2], 1);
    ombc_hist_fini(&h);
}

static void test_ok_run_to_end(void **state) {
    (void)state;
    struct ombc_hist h;
    expect_ok(OK_RUN_TO_END, sizeof(OK_RUN_TO_END), 0, 0, 0, &h);
    assert_int_equal(h.counts_len, 1310720);
    ombc_hist_fini(&h);
}

static void test_ok_total_int64_max(void **state) {
    (void)state;
    struct ombc_hist h;
    expect_ok(OK_TOTAL_INT64_MAX, sizeof(OK_TOTAL_INT64_MAX), INT64_MAX, 0, 0, &h);
    assert_int_equal(h.counts[0], INT64_MAX);
    ombc_hist_fini(&h);
}

static void test_ok_level1_unit_magnitude(void **state) {
    (void)state;
    struct ombc_hist h;
    /* unit magnitude 9: index 1 is the bucket [512, 1023] */
    expect_ok(OK_LEVEL1_UNIT_MAGNITUDE, sizeof(OK_LEVEL1_UNIT_MAGNITUDE), 1, 512, 1023, &h);
    assert_int_equal(h.lowest, 1000);
    assert_int_equal(h.highest, 3600000000000LL);
    assert_int_equal(h.digits, 3);
    ombc_hist_fini(&h);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_cookie),
        cmocka_unit_test(test_v1_cookie),
        cmocka_unit_test(test_v1_compressed_cookie),
        cmocka_unit_test(test_v0_cookie),
        cmocka_unit_test(test_v0_compressed_cookie),
        cmocka_unit_test(test_double_cookie),
        cmocka_unit_test(test_double_compressed_cookie),
        cmocka_unit_test(test_too_short),
        cmocka_unit_test(test_truncated_header),
        cmocka_unit_test(test_negative_payload_length),
        cmocka_unit_test(test_digits_6),
        cmocka_unit_test(test_digits_negative),
        cmocka_unit_test(test_lowest_0),
        cmocka_unit_test(test_highest_below_2_lowest),
        cmocka_unit_test(test_unsupported_params),
        cmocka_unit_test(test_zero_run_past_end),
        cmocka_unit_test(test_zero_run_int64_min),
        cmocka_unit_test(test_count_beyond_last),
        cmocka_unit_test(test_total_overflow),
        cmocka_unit_test(test_truncated_varint),
        cmocka_unit_test(test_varint_past_payload),
        cmocka_unit_test(test_payload_longer_than_input),
        cmocka_unit_test(test_trailing_bytes),
        cmocka_unit_test(test_compressed_length_mismatch),
        cmocka_unit_test(test_compressed_bad_zlib_header),
        cmocka_unit_test(test_compressed_bad_checksum),
        cmocka_unit_test(test_compressed_truncated_zlib),
        cmocka_unit_test(test_compressed_trailing_garbage),
        cmocka_unit_test(test_compressed_stream_longer),
        cmocka_unit_test(test_compressed_stream_shorter),
        cmocka_unit_test(test_compressed_inner_compressed),
        cmocka_unit_test(test_compressed_inner_v1),
        cmocka_unit_test(test_compressed_zero_run_past_end),
        cmocka_unit_test(test_base64_bad_character),
        cmocka_unit_test(test_base64_bad_length),
        cmocka_unit_test(test_base64_bad_padding),
        cmocka_unit_test(test_base64_nonzero_spare_bits),
        cmocka_unit_test(test_base64_truncated_url),
        cmocka_unit_test(test_base64_valid_but_not_a_histogram),
        cmocka_unit_test(test_base64_whitespace_around),
        cmocka_unit_test(test_errstr_truncated),
        cmocka_unit_test(test_ok_explicit_zeros),
        cmocka_unit_test(test_ok_run_to_end),
        cmocka_unit_test(test_ok_total_int64_max),
        cmocka_unit_test(test_ok_level1_unit_magnitude),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
