/*
 * test_hdr_codec: the V2 encodings, base64 and .hlog files against the byte
 * layouts and test vectors of OMB-REFERENCE.md 6.3, 6.4 and 6.7. (The Java
 * library itself is the oracle in test_hdr_oracle; the decoder's malformed
 * inputs are in test_hdr_codec_cases.)
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

#include "core/base64.h"
#include "core/err.h"
#include "core/random.h"
#include "stats/hdr.h"
#include "stats/hdr_codec.h"
#include "stats/hlog.h"

#define PUB_H 60000000LL
#define E2E_H 43200000000LL

/* 6.4: values 1, 2 (x3), 1000, 123456 in Histogram(60 000 000, 5). */
static void example(struct ombc_hist *h) {
    assert_int_equal(ombc_hist_init(h, 1, PUB_H, 5), 0);
    assert_true(ombc_hist_record(h, 1));
    assert_true(ombc_hist_record_n(h, 2, 3));
    assert_true(ombc_hist_record(h, 1000));
    assert_true(ombc_hist_record(h, 123456));
}

static const uint8_t EXAMPLE_V2[] = {
    0x1c, 0x84, 0x93, 0x13, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
    0x00, 0x00, 0x03, 0x93, 0x87, 0x00, 0x3f, 0xf0, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x02, 0x06, 0xc9, 0x0f, 0x02, 0xad, 0xf9, 0x0e, 0x02};

static void test_example_uncompressed_bytes(void **state) {
    (void)state;
    struct ombc_hist h;
    example(&h);
    uint8_t *buf;
    size_t len;
    assert_int_equal(ombc_hist_encode(&h, &buf, &len), 0);
    assert_int_equal(len, sizeof(EXAMPLE_V2));
    assert_memory_equal(buf, EXAMPLE_V2, len);
    free(buf);
    ombc_hist_fini(&h);
}

static void test_example_compressed_bytes(void **state) {
    (void)state;
    static const uint8_t expected[] = {
        0x1c, 0x84, 0x93, 0x14, 0x00, 0x00, 0x00, 0x29, 0x78, 0x9c, 0x93, 0x69, 0x99,
        0x2c, 0xcc, 0xc0, 0xc0, 0xc0, 0xc5, 0x00, 0x01, 0xac, 0x50, 0x9a, 0x11, 0x44,
        0x30, 0x4f, 0x6e, 0x67, 0xb0, 0xff, 0x00, 0x15, 0x61, 0x62, 0x3b, 0xc9, 0xcf,
        0xb4, 0xf6, 0x27, 0x1f, 0x13, 0x00, 0x77, 0x90, 0x06, 0x3b};
    struct ombc_hist h;
    example(&h);
    uint8_t *buf;
    size_t len;
    assert_int_equal(ombc_hist_encode_compressed(&h, OMBC_HDR_LEVEL_DEFAULT, &buf, &len), 0);
    assert_int_equal(len, sizeof(expected));
    assert_memory_equal(buf, expected, len);
    free(buf);
    ombc_hist_fini(&h);
}

static void check_base64(int64_t highest, void (*fill)(struct ombc_hist *), const char *expected) {
    struct ombc_hist h;
    if (fill)
        fill(&h);
    else
        assert_int_equal(ombc_hist_init(&h, 1, highest, 5), 0);
    char *s;
    assert_int_equal(ombc_hist_encode_base64(&h, OMBC_HDR_LEVEL_DEFAULT, &s), 0);
    assert_string_equal(s, expected);
    free(s);
    ombc_hist_fini(&h);
}

/* 6.3's test vectors: what OMB's workers put in their JSON. */
static void test_reference_base64_vectors(void **state) {
    (void)state;
    check_base64(PUB_H, NULL, "HISTFAAAAB94nJNpmSzMwMDAyAABrFAazGee3M5g/wEqAgBJwQOa");
    check_base64(E2E_H, NULL, "HISTFAAAACB4nJNpmSzMwMDAyAABrFAaxOfie72Bwf4DVAQAUL8EMA==");
    check_base64(PUB_H, example,
                 "HISTFAAAACl4nJNpmSzMwMDAxQABrFCaEUQwT25nsP8AFWFiO8nPtPYnHxMAd5AGOw==");
}

static void assert_same_hist(const struct ombc_hist *a, const struct ombc_hist *b) {
    assert_int_equal(a->lowest, b->lowest);
    assert_int_equal(a->highest, b->highest);
    assert_int_equal(a->digits, b->digits);
    assert_int_equal(a->counts_len, b->counts_len);
    assert_memory_equal(a->counts, b->counts, (size_t)a->counts_len * sizeof(int64_t));
    assert_int_equal(ombc_hist_total(a), ombc_hist_total(b));
    assert_int_equal(ombc_hist_min(a), ombc_hist_min(b));
    assert_int_equal(ombc_hist_max(a), ombc_hist_max(b));
}

static void test_decode_example_both_forms(void **state) {
    (void)state;
    struct ombc_hist want, got;
    example(&want);
    char err[256] = "";
    assert_int_equal(ombc_hist_decode(EXAMPLE_V2, sizeof(EXAMPLE_V2), &got, err, sizeof(err)), 0);
    assert_same_hist(&want, &got);
    assert_int_equal(ombc_hist_total(&got), 6);
    assert_int_equal(ombc_hist_min(&got), 1);
    assert_int_equal(ombc_hist_max(&got), 123456);
    ombc_hist_fini(&got);
    const char *b64 = "  HISTFAAAACl4nJNpmSzMwMDAxQABrFCaEUQwT25nsP8AFWFiO8nPtPYnHxMAd5AGOw==\n";
    assert_int_equal(ombc_hist_decode_base64(b64, strlen(b64), &got, err, sizeof(err)), 0);
    assert_same_hist(&want, &got);
    ombc_hist_fini(&got);
    ombc_hist_fini(&want);
}

/* Random histograms of many layouts survive encode → decode unchanged, at
 * every compression level. */
static void test_round_trip_random(void **state) {
    (void)state;
    static const struct {
        int64_t lowest, highest;
        int digits;
    } layouts[] = {{1, PUB_H, 5}, {1, E2E_H, 5}, {1, 3600000000LL, 3}, {1000, 1000000000, 2},
                   {1, 2, 0}, {7, INT64_MAX / 2, 1}};
    struct ombc_rng rng;
    ombc_rng_seed(&rng, 42);
    for (size_t l = 0; l < sizeof(layouts) / sizeof(layouts[0]); l++) {
        for (int round = 0; round < 20; round++) {
            struct ombc_hist h, d;
            assert_int_equal(ombc_hist_init(&h, layouts[l].lowest, layouts[l].highest,
                                            layouts[l].digits), 0);
            int n = (int)ombc_rng_below(&rng, 2000);
            for (int i = 0; i < n; i++) {
                int64_t v = (int64_t)ombc_rng_below(&rng, (uint64_t)layouts[l].highest + 1);
                if (round % 2) /* log-uniform: exercise every bucket */
                    v >>= ombc_rng_below(&rng, 63);
                assert_true(ombc_hist_record_n(&h, v, 1 + (int64_t)ombc_rng_below(&rng, 1u << 20)));
            }
            uint8_t *buf;
            size_t len;
            char err[256];
            int level = round % 10;
            assert_int_equal(ombc_hist_encode_compressed(&h, level, &buf, &len), 0);
            assert_int_equal(ombc_hist_decode(buf, len, &d, err, sizeof(err)), 0);
            assert_same_hist(&h, &d);
            free(buf);
            ombc_hist_fini(&d);
            assert_int_equal(ombc_hist_encode(&h, &buf, &len), 0);
            assert_int_equal(ombc_hist_decode(buf, len, &d, err, sizeof(err)), 0);
            assert_same_hist(&h, &d);
            free(buf);
            ombc_hist_fini(&d);
            ombc_hist_fini(&h);
        }
    }
}

static void test_huge_counts_and_highest_value(void **state) {
    (void)state;
    struct ombc_hist h, d;
    assert_int_equal(ombc_hist_init(&h, 1, E2E_H, 5), 0);
    assert_true(ombc_hist_record_n(&h, E2E_H, INT64_MAX / 4));
    assert_true(ombc_hist_record_n(&h, 0, INT64_MAX / 4));
    assert_true(ombc_hist_record_n(&h, 12345, 1LL << 40));
    uint8_t *buf;
    size_t len;
    char err[256];
    assert_int_equal(ombc_hist_encode_compressed(&h, 6, &buf, &len), 0);
    assert_int_equal(ombc_hist_decode(buf, len, &d, err, sizeof(err)), 0);
    assert_same_hist(&h, &d);
    assert_int_equal(ombc_hist_value_at_percentile(&d, 100.0),
                     ombc_hist_highest_equivalent(&d, E2E_H));
    free(buf);
    ombc_hist_fini(&d);
    ombc_hist_fini(&h);
}

/* RFC 4648 section 10 vectors, and the decoder's strictness. */
static void test_base64(void **state) {
    (void)state;
    static const char *plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    static const char *std[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
    static const char *url[] = {"", "Zg", "Zm8", "Zm9v", "Zm9vYg", "Zm9vYmE", "Zm9vYmFy"};
    for (int i = 0; i < 7; i++) {
        char out[16];
        uint8_t back[16];
        size_t n;
        size_t len = strlen(plain[i]);
        assert_int_equal(ombc_base64_encode(plain[i], len, out, OMBC_BASE64_STD), strlen(std[i]));
        assert_string_equal(out, std[i]);
        assert_int_equal(ombc_base64_encoded_len(len, OMBC_BASE64_STD), strlen(std[i]));
        ombc_base64_encode(plain[i], len, out, OMBC_BASE64_URL);
        assert_string_equal(out, url[i]);
        assert_int_equal(ombc_base64_encoded_len(len, OMBC_BASE64_URL), strlen(url[i]));
        assert_int_equal(ombc_base64_decode(std[i], strlen(std[i]), back, &n, OMBC_BASE64_STD,
                                            NULL, 0), 0);
        assert_int_equal(n, len);
        assert_memory_equal(back, plain[i], len);
        assert_int_equal(ombc_base64_decode(url[i], strlen(url[i]), back, &n, OMBC_BASE64_URL,
                                            NULL, 0), 0);
        assert_int_equal(n, len);
        assert_memory_equal(back, plain[i], len);
    }
    static const uint8_t all[] = {0xfb, 0xff, 0xbf};
    char out[8];
    ombc_base64_encode(all, 3, out, OMBC_BASE64_STD);
    assert_string_equal(out, "+/+/");
    ombc_base64_encode(all, 3, out, OMBC_BASE64_URL);
    assert_string_equal(out, "-_-_");

    static const char *bad[] = {"Zg=", "Zh==", "Zm9v!A==", "Z===", "=Zg=", "-_-_", "Zg==Zg=="};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        uint8_t back[16];
        size_t n;
        char err[128] = "";
        assert_int_equal(ombc_base64_decode(bad[i], strlen(bad[i]), back, &n, OMBC_BASE64_STD,
                                            err, sizeof(err)), OMBC_EINVAL);
        assert_non_null(strstr(err, "base64"));
    }
}

static char *temp_path(const char *name) {
    static char path[256];
    snprintf(path, sizeof(path), "/tmp/ombc-test-hdr-codec-%d-%s", (int)getpid(), name);
    return path;
}

static char *slurp(const char *path) {
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    static char buf[8192];
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* 6.7's example, written by ombc, byte for byte (values 1500 and 2500). */
static void test_hlog_writer_matches_reference(void **state) {
    (void)state;
    struct ombc_hist h;
    assert_int_equal(ombc_hist_init(&h, 1, PUB_H, 5), 0);
    assert_true(ombc_hist_record(&h, 1500));
    assert_true(ombc_hist_record(&h, 2500));
    struct ombc_hlog_writer w;
    char err[256];
    const char *path = temp_path("ref.hlog");
    int64_t start = 1700000000123LL;
    assert_int_equal(ombc_hlog_writer_open(&w, path, start, NULL, err, sizeof(err)), 0);
    assert_int_equal(ombc_hlog_writer_add(&w, NULL, start + 10, start + 10010, &h, err,
                                          sizeof(err)), 0);
    assert_int_equal(ombc_hlog_writer_add(&w, "pub", start + 10, start + 10010, &h, err,
                                          sizeof(err)), 0);
    assert_int_equal(ombc_hlog_writer_add(&w, "bad tag", start, start, &h, err, sizeof(err)),
                     OMBC_EINVAL);
    assert_int_equal(ombc_hlog_writer_close(&w, err, sizeof(err)), 0);
    /* The reference's max column is in ms of ns values (ratio 1e6); ombc's
     * values are µs, so its max column is in ms with ratio 1e3: 2.500. */
    assert_string_equal(
        slurp(path),
        "#[Histogram log format version 1.3]\n"
        "#[StartTime: 1700000000.123 (seconds since epoch), Tue Nov 14 22:13:20 UTC 2023]\n"
        "#[BaseTime: 1700000000.123 (seconds since epoch)]\n"
        "\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_Histogram\"\n"
        "0.010,10.000,2.500,HISTFAAAACZ42pNpmSzMwMDAxgABrFCaEUQwT25nsP8AEdguznSWnwkAY9IFTQ==\n"
        "Tag=pub,0.010,10.000,2.500,HISTFAAAACZ42pNpmSzMwMDAxgABrFCaEUQwT25nsP8AEdguznSWnwkAY9IFTQ==\n");
    ombc_hist_fini(&h);

    struct ombc_hlog_reader r;
    struct ombc_hlog_interval iv = {0};
    assert_int_equal(ombc_hlog_reader_open(&r, path, err, sizeof(err)), 0);
    assert_int_equal(ombc_hlog_reader_next(&r, &iv, err, sizeof(err)), 1);
    assert_string_equal(iv.tag, "");
    assert_float_equal(iv.start_s, 1700000000.133, 1e-6);
    assert_float_equal(iv.length_s, 10.0, 1e-9);
    assert_int_equal(ombc_hist_total(&iv.hist), 2);
    assert_int_equal(ombc_hist_max(&iv.hist), 2500);
    assert_int_equal(ombc_hlog_reader_next(&r, &iv, err, sizeof(err)), 1);
    assert_string_equal(iv.tag, "pub");
    assert_int_equal(ombc_hlog_reader_next(&r, &iv, err, sizeof(err)), 0);
    ombc_hist_fini(&iv.hist);
    ombc_hlog_reader_close(&r);
    unlink(path);
}

static void write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* HistogramLogReader's base-time inference, and errors with file:line. */
static void test_hlog_reader_rules(void **state) {
    (void)state;
    const char *path = temp_path("rules.hlog");
    const char *h = "HISTFAAAACZ42pNpmSzMwMDAxgABrFCaEUQwT25nsP8AEdguznSWnwkAY9IFTQ==";
    char text[1024], err[256];
    struct ombc_hlog_reader r;
    struct ombc_hlog_interval iv = {0};

    /* No BaseTime, timestamps small: relative to StartTime. */
    snprintf(text, sizeof(text), "#[StartTime: 1700000000.000 (seconds since epoch)]\n\n"
                                 "1.5,1.0,0.0,%s\r\n", h);
    write_file(path, text);
    assert_int_equal(ombc_hlog_reader_open(&r, path, err, sizeof(err)), 0);
    assert_int_equal(ombc_hlog_reader_next(&r, &iv, err, sizeof(err)), 1);
    assert_float_equal(iv.start_s, 1700000001.5, 1e-6);
    ombc_hlog_reader_close(&r);

    /* No BaseTime, absolute timestamps: base 0. No header at all: the same. */
    snprintf(text, sizeof(text), "#[StartTime: 1700000000.000]\n1700000002.0 1.0 0.0 %s\n", h);
    write_file(path, text);
    assert_int_equal(ombc_hlog_reader_open(&r, path, err, sizeof(err)), 0);
    assert_int_equal(ombc_hlog_reader_next(&r, &iv, err, sizeof(err)), 1);
    assert_float_equal(iv.start_s, 1700000002.0, 1e-6);
    ombc_hlog_reader_close(&r);

    /* Errors name the file and the line. */
    snprintf(text, sizeof(text), "# comment\n1.0,x,0.0,%s\n", h);
    write_file(path, text);
    assert_int_equal(ombc_hlog_reader_open(&r, path, err, sizeof(err)), 0);
    assert_int_equal(ombc_hlog_reader_next(&r, &iv, err, sizeof(err)), OMBC_EINVAL);
    assert_non_null(strstr(err, ":2: interval length: expected a number, got 'x'"));
    ombc_hlog_reader_close(&r);

    write_file(path, "1.0,1.0,0.0,HISTFAAAACZ42p\n");
    assert_int_equal(ombc_hlog_reader_open(&r, path, err, sizeof(err)), 0);
    assert_int_equal(ombc_hlog_reader_next(&r, &iv, err, sizeof(err)), OMBC_EINVAL);
    assert_non_null(strstr(err, ":1: base64"));
    ombc_hlog_reader_close(&r);

    write_file(path, "1.0,1.0,0.0\n");
    assert_int_equal(ombc_hlog_reader_open(&r, path, err, sizeof(err)), 0);
    assert_int_equal(ombc_hlog_reader_next(&r, &iv, err, sizeof(err)), OMBC_EINVAL);
    assert_non_null(strstr(err, "interval has no histogram"));
    ombc_hlog_reader_close(&r);

    ombc_hist_fini(&iv.hist);
    unlink(path);
    assert_int_equal(ombc_hlog_reader_open(&r, path, err, sizeof(err)), OMBC_EIO);
    assert_non_null(strstr(err, "No such file"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_example_uncompressed_bytes),
        cmocka_unit_test(test_example_compressed_bytes),
        cmocka_unit_test(test_reference_base64_vectors),
        cmocka_unit_test(test_decode_example_both_forms),
        cmocka_unit_test(test_round_trip_random),
        cmocka_unit_test(test_huge_counts_and_highest_value),
        cmocka_unit_test(test_base64),
        cmocka_unit_test(test_hlog_writer_matches_reference),
        cmocka_unit_test(test_hlog_reader_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
