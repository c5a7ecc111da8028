/*
 * fuzz_hdr_decode: libFuzzer target for the HdrHistogram V2 decoder
 * (stats/hdr_codec.c) and the strict base64 decoder under it (core/base64.c).
 *
 * Each input is decoded as binary (ombc_hist_decode) and as base64 text
 * (ombc_hist_decode_base64); it is also base64-encoded, and wrapped in a zlib
 * envelope, and both must decode to what the binary decode gave. A decoded histogram must be
 * consistent (total = sum of counts, min and max on non-zero buckets) and
 * must survive re-encoding, plain and compressed, unchanged. A failure must
 * be OMBC_EINVAL with a message, or OMBC_ENOMEM, and leave the output
 * finished. A violated invariant aborts, which libFuzzer reports as a crash;
 * ASan and UBSan report the rest. Built and run by scripts/fuzz.sh, corpus in
 * tests/fuzz/hdr_decode/.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "core/base64.h"
#include "core/err.h"
#include "stats/hdr.h"
#include "stats/hdr_codec.h"
#include "fuzz.h"

static uint32_t get_cookie(const uint8_t *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The outcome of a failed decode: a known code, a message, a finished output. */
static void check_failure(int rc, const struct ombc_hist *h, const char *err) {
    CHECK(rc == OMBC_EINVAL || rc == OMBC_ENOMEM);
    if (rc == OMBC_EINVAL)
        CHECK(err[0] != '\0');
    CHECK(h->counts == NULL && h->counts_len == 0 && !h->owns_counts);
}

/* A decoded histogram is internally consistent. */
static void check_hist(const struct ombc_hist *h) {
    CHECK(h->counts != NULL && h->owns_counts && h->counts_len > 0);
    CHECK(h->lowest >= 1 && h->highest / 2 >= h->lowest);
    CHECK(h->digits >= 0 && h->digits <= 5);
    int64_t sum = 0;
    int32_t first = -1, last = -1;
    for (int32_t i = 0; i < h->counts_len; i++) {
        CHECK(h->counts[i] >= 0);
        CHECK(h->counts[i] <= INT64_MAX - sum);
        sum += h->counts[i];
        if (h->counts[i] > 0) {
            if (first < 0)
                first = i;
            last = i;
        }
    }
    CHECK(ombc_hist_total(h) == sum);
    if (sum == 0) {
        CHECK(ombc_hist_min(h) == 0 && ombc_hist_max(h) == 0);
        return;
    }
    int64_t min = ombc_hist_min(h), max = ombc_hist_max(h);
    CHECK(min <= max);
    CHECK(ombc_hist_index_of(h, min) == first);
    CHECK(ombc_hist_index_of(h, max) == last);
}

static void check_same(const struct ombc_hist *a, const struct ombc_hist *b) {
    CHECK(a->lowest == b->lowest && a->highest == b->highest && a->digits == b->digits);
    CHECK(a->counts_len == b->counts_len);
    CHECK(memcmp(a->counts, b->counts, (size_t)a->counts_len * sizeof(int64_t)) == 0);
    CHECK(ombc_hist_total(a) == ombc_hist_total(b));
    CHECK(ombc_hist_min(a) == ombc_hist_min(b));
    CHECK(ombc_hist_max(a) == ombc_hist_max(b));
}

/* Re-encoding h (plain, and base64 of compressed at level) gives h back, and
 * the plain encoding of that is the same bytes (the encoding is canonical). */
static void check_roundtrip(const struct ombc_hist *h, int level) {
    char err[256] = "";
    uint8_t *enc;
    size_t enc_len;
    CHECK(ombc_hist_encode(h, &enc, &enc_len) == 0);
    struct ombc_hist back;
    int rc = ombc_hist_decode(enc, enc_len, &back, err, sizeof(err));
    if (rc != 0)
        fprintf(stderr, "re-decoding failed: %s\n", err);
    CHECK(rc == 0);
    check_same(h, &back);
    uint8_t *again;
    size_t again_len;
    CHECK(ombc_hist_encode(&back, &again, &again_len) == 0);
    CHECK(again_len == enc_len && memcmp(again, enc, enc_len) == 0);
    free(again);
    free(enc);
    ombc_hist_fini(&back);

    char *text;
    CHECK(ombc_hist_encode_base64(h, level, &text) == 0);
    CHECK(strncmp(text, "HISTF", 5) == 0);
    rc = ombc_hist_decode_base64(text, strlen(text), &back, err, sizeof(err));
    if (rc != 0)
        fprintf(stderr, "re-decoding base64 failed: %s\n", err);
    CHECK(rc == 0);
    check_same(h, &back);
    free(text);
    ombc_hist_fini(&back);
}

/* Plain input wrapped in a valid zlib envelope decodes as it does bare
 * (rc, and h when that is 0), so the fuzzer reaches every header and payload
 * check through inflate as well. */
static void check_compressed(const uint8_t *data, size_t size, int level, int rc,
                             const struct ombc_hist *h) {
    if (size >= 4 && (get_cookie(data) & ~0xF0u) == (OMBC_HDR_V2_COMPRESSED_COOKIE & ~0xF0u))
        return; /* bare, this is an envelope itself */
    uLongf zlen = compressBound((uLong)size);
    uint8_t *env = malloc(8 + (size_t)zlen);
    CHECK(env != NULL);
    CHECK(compress2(env + 8, &zlen, data, (uLong)size, level) == Z_OK);
    uint32_t header[2] = {OMBC_HDR_V2_COMPRESSED_COOKIE, (uint32_t)zlen};
    for (int i = 0; i < 8; i++)
        env[i] = (uint8_t)(header[i / 4] >> (24 - 8 * (i % 4)));
    char err[256] = "";
    struct ombc_hist z;
    int zrc = ombc_hist_decode(env, 8 + (size_t)zlen, &z, err, sizeof(err));
    CHECK(zrc == rc);
    if (zrc == 0)
        check_same(h, &z);
    else
        check_failure(zrc, &z, err);
    ombc_hist_fini(&z);
    free(env);
}

/* The URL-safe alphabet round-trips arbitrary bytes (the standard one is
 * exercised by the base64 comparison below). */
static void check_base64_url(const uint8_t *data, size_t size) {
    size_t n = ombc_base64_encoded_len(size, OMBC_BASE64_URL);
    char *text = malloc(n + 1);
    uint8_t *bin = malloc(ombc_base64_decoded_max(n));
    CHECK(text && bin);
    CHECK(ombc_base64_encode(data, size, text, OMBC_BASE64_URL) == n);
    size_t bin_len = 0;
    char err[128] = "";
    CHECK(ombc_base64_decode(text, n, bin, &bin_len, OMBC_BASE64_URL, err, sizeof(err)) == 0);
    CHECK(bin_len == size && (size == 0 || memcmp(bin, data, size) == 0));
    free(bin);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    int level = (int)(size % 10);
    char err[256] = "";
    struct ombc_hist h, again;

    /* Binary. */
    int rc = ombc_hist_decode(data, size, &h, err, sizeof(err));
    if (rc == 0) {
        check_hist(&h);
        check_roundtrip(&h, level);
    } else {
        check_failure(rc, &h, err);
    }

    /* The same bytes as base64 text decode the same way; a short errstr
     * buffer gets a truncated, terminated prefix of the same message. */
    size_t n = ombc_base64_encoded_len(size, OMBC_BASE64_STD);
    char *text = malloc(n + 1);
    CHECK(text != NULL);
    CHECK(ombc_base64_encode(data, size, text, OMBC_BASE64_STD) == n);
    char small[8];
    memset(small, 'x', sizeof(small));
    int rc2 = ombc_hist_decode_base64(text, n, &again, small, sizeof(small));
    CHECK(rc2 == rc);
    if (rc2 == 0) {
        check_same(&h, &again);
    } else {
        CHECK(memchr(small, '\0', sizeof(small)) != NULL);
        CHECK(strncmp(small, err, sizeof(small) - 1) == 0);
        check_failure(rc2, &again, err);
    }
    ombc_hist_fini(&again);
    free(text);

    /* Wrapped in zlib. */
    check_compressed(data, size, level, rc, &h);
    ombc_hist_fini(&h);
    ombc_hist_fini(&h); /* finishing twice is safe */

    /* The input as base64 text. */
    memset(err, 0, sizeof(err));
    rc = ombc_hist_decode_base64((const char *)data, size, &h, err, sizeof(err));
    if (rc == 0) {
        check_hist(&h);
        check_roundtrip(&h, level);
    } else {
        check_failure(rc, &h, err);
    }
    ombc_hist_fini(&h);

    check_base64_url(data, size);
    return 0;
}
