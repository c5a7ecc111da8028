/*
 * hdr_codec: V2 encode (ZigZag LEB128 counts with zero runs, big-endian
 * header, optional zlib wrapper) and a validating streaming decoder. The
 * decoder never holds the inflated payload: it reads it through a small
 * window, so a header that claims a huge payload costs nothing until bytes
 * actually arrive.
 */
#include "stats/hdr_codec.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "core/base64.h"
#include "core/err.h"

#define V2_COOKIE_BASE 0x1c849303u
#define V2_COMPRESSED_COOKIE_BASE 0x1c849304u
#define V1_COOKIE_BASE 0x1c849301u
#define V1_COMPRESSED_COOKIE_BASE 0x1c849302u
#define V0_COOKIE_BASE 0x1c849308u
#define V0_COMPRESSED_COOKIE_BASE 0x1c849309u
#define DOUBLE_COOKIE_BASE 0x0c72124eu
#define DOUBLE_COMPRESSED_COOKIE_BASE 0x0c72124fu
#define MAX_VARINT 9 /* LEB128-64b9B */

static uint32_t cookie_base(uint32_t cookie) {
    return cookie & ~0xF0u;
}

/* ---- encoding ---------------------------------------------------------- */

static void put_be32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static void put_be64(uint8_t *p, uint64_t v) {
    put_be32(p, (uint32_t)(v >> 32));
    put_be32(p + 4, (uint32_t)v);
}

/* ZigZag then LEB128-64b9B (Java's ZigZagEncoding.putLong). */
static size_t put_varint(uint8_t *p, int64_t n) {
    uint64_t u = ((uint64_t)n << 1) ^ (uint64_t)(n >> 63);
    size_t i = 0;
    while (i < 8 && u >> 7) {
        p[i++] = (uint8_t)((u & 0x7F) | 0x80);
        u >>= 7;
    }
    p[i++] = (uint8_t)u; /* the 9th byte carries the top 8 bits whole */
    return i;
}

/* Counts indexes the encoding covers: 0 .. countsArrayIndex(maxValue). */
static int32_t encoded_length(const struct ombc_hist *h) {
    int32_t last = ombc_hist_index_of(h, ombc_hist_max(h));
    return last < 0 ? h->counts_len : last + 1;
}

int ombc_hist_encode(const struct ombc_hist *h, uint8_t **out, size_t *out_len) {
    int32_t n = encoded_length(h);
    uint8_t *buf = malloc(OMBC_HDR_V2_HEADER + (size_t)n * MAX_VARINT);
    if (!buf)
        return OMBC_ENOMEM;
    size_t o = OMBC_HDR_V2_HEADER;
    for (int32_t i = 0; i < n;) {
        int64_t c = h->counts[i++];
        if (c < 0)
            c = 0; /* not encodable; Java throws, we never hold negative counts */
        int64_t zeros = 0;
        if (c == 0) {
            zeros = 1;
            while (i < n && h->counts[i] <= 0) {
                zeros++;
                i++;
            }
        }
        o += put_varint(buf + o, zeros > 1 ? -zeros : c);
    }
    double ratio = 1.0;
    uint64_t ratio_bits;
    memcpy(&ratio_bits, &ratio, sizeof(ratio_bits));
    put_be32(buf, OMBC_HDR_V2_COOKIE);
    put_be32(buf + 4, (uint32_t)(o - OMBC_HDR_V2_HEADER));
    put_be32(buf + 8, 0); /* normalizingIndexOffset */
    put_be32(buf + 12, (uint32_t)h->digits);
    put_be64(buf + 16, (uint64_t)h->lowest);
    put_be64(buf + 24, (uint64_t)h->highest);
    put_be64(buf + 32, ratio_bits);
    *out = buf;
    *out_len = o;
    return 0;
}

int ombc_hist_encode_compressed(const struct ombc_hist *h, int level, uint8_t **out,
                                size_t *out_len) {
    if (level < 0 || level > 9)
        return OMBC_EINVAL;
    uint8_t *plain;
    size_t plain_len;
    int rc = ombc_hist_encode(h, &plain, &plain_len);
    if (rc)
        return rc;
    uLongf zlen = compressBound((uLong)plain_len);
    uint8_t *buf = malloc(8 + (size_t)zlen);
    if (!buf) {
        free(plain);
        return OMBC_ENOMEM;
    }
    int zrc = compress2(buf + 8, &zlen, plain, (uLong)plain_len, level);
    free(plain);
    if (zrc != Z_OK) {
        free(buf);
        return OMBC_ENOMEM;
    }
    put_be32(buf, OMBC_HDR_V2_COMPRESSED_COOKIE);
    put_be32(buf + 4, (uint32_t)zlen);
    *out = buf;
    *out_len = 8 + (size_t)zlen;
    return 0;
}

int ombc_hist_encode_base64(const struct ombc_hist *h, int level, char **out) {
    uint8_t *bin;
    size_t len;
    int rc = ombc_hist_encode_compressed(h, level, &bin, &len);
    if (rc)
        return rc;
    char *s = malloc(ombc_base64_encoded_len(len, OMBC_BASE64_STD) + 1);
    if (s)
        ombc_base64_encode(bin, len, s, OMBC_BASE64_STD);
    free(bin);
    if (!s)
        return OMBC_ENOMEM;
    *out = s;
    return 0;
}

/* ---- decoding ---------------------------------------------------------- */

/* The decoded bytes, read either straight from memory or through inflate. */
struct source {
    const uint8_t *mem; /* uncompressed input, or NULL when inflating */
    size_t mem_len, mem_pos;
    z_stream z;
    bool inflating;
    bool stream_end;
    uint8_t window[4096];
    size_t win_len, win_pos;
    int64_t produced; /* decoded bytes handed out so far */
};

static int source_fill(struct source *s, char *errstr, size_t errstr_size) {
    if (s->stream_end)
        return ombc_errf(errstr, errstr_size, OMBC_EINVAL,
                         "compressed histogram ends after %" PRId64 " of its bytes", s->produced);
    s->z.next_out = s->window;
    s->z.avail_out = sizeof(s->window);
    int zrc = inflate(&s->z, Z_NO_FLUSH);
    if (zrc == Z_STREAM_END)
        s->stream_end = true;
    else if (zrc != Z_OK)
        return ombc_errf(errstr, errstr_size, OMBC_EINVAL, "compressed histogram: zlib: %s",
                         s->z.msg ? s->z.msg : (zrc == Z_BUF_ERROR ? "truncated data" : "error"));
    s->win_len = sizeof(s->window) - s->z.avail_out;
    s->win_pos = 0;
    if (s->win_len == 0 && !s->stream_end)
        return ombc_errf(errstr, errstr_size, OMBC_EINVAL,
                         "compressed histogram: zlib data is truncated");
    return 0;
}

/* Next decoded byte; an error at the end of the data. */
static int source_byte(struct source *s, uint8_t *b, char *errstr, size_t errstr_size) {
    if (!s->inflating) {
        if (s->mem_pos >= s->mem_len)
            return ombc_errf(errstr, errstr_size, OMBC_EINVAL,
                             "histogram is truncated at byte %zu", s->mem_pos);
        *b = s->mem[s->mem_pos++];
        s->produced++;
        return 0;
    }
    while (s->win_pos >= s->win_len) {
        int rc = source_fill(s, errstr, errstr_size);
        if (rc)
            return rc;
    }
    *b = s->window[s->win_pos++];
    s->produced++;
    return 0;
}

static int source_read(struct source *s, uint8_t *out, size_t n, char *errstr,
                       size_t errstr_size) {
    for (size_t i = 0; i < n; i++) {
        int rc = source_byte(s, &out[i], errstr, errstr_size);
        if (rc)
            return rc;
    }
    return 0;
}

/* True when nothing follows what was read. */
static int source_finish(struct source *s, char *errstr, size_t errstr_size) {
    if (!s->inflating) {
        if (s->mem_pos != s->mem_len)
            return ombc_errf(errstr, errstr_size, OMBC_EINVAL,
                             "%zu unexpected bytes after the histogram's payload",
                             s->mem_len - s->mem_pos);
        return 0;
    }
    while (s->win_pos >= s->win_len && !s->stream_end) {
        int rc = source_fill(s, errstr, errstr_size);
        if (rc)
            return rc;
    }
    if (s->win_pos < s->win_len)
        return ombc_errf(errstr, errstr_size, OMBC_EINVAL,
                         "compressed histogram holds more bytes than its payload length says");
    if (s->z.avail_in != 0)
        return ombc_errf(errstr, errstr_size, OMBC_EINVAL,
                         "%u unexpected bytes after the compressed histogram's zlib data",
                         s->z.avail_in);
    return 0;
}

static uint32_t get_be32(const uint8_t *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t get_be64(const uint8_t *p) {
    return (uint64_t)get_be32(p) << 32 | get_be32(p + 4);
}

/* ZigZagEncoding.getLong: up to 8 bytes of 7 bits, then a whole 9th byte. */
static int get_varint(struct source *s, int64_t *n, char *errstr, size_t errstr_size) {
    uint64_t u = 0;
    uint8_t b = 0x80;
    int shift = 0;
    for (int i = 0; i < 8 && (b & 0x80); i++, shift += 7) {
        int rc = source_byte(s, &b, errstr, errstr_size);
        if (rc)
            return rc;
        u |= (uint64_t)(b & 0x7F) << shift;
    }
    if (b & 0x80) {
        int rc = source_byte(s, &b, errstr, errstr_size);
        if (rc)
            return rc;
        u |= (uint64_t)b << 56;
    }
    *n = (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
    return 0;
}

/* Names a cookie that is not V2. DoubleHistogram cookies are whole values (Java
 * compares them exactly), the others are compared by their base. */
static const char *cookie_name(uint32_t cookie) {
    if (cookie == DOUBLE_COOKIE_BASE || cookie == DOUBLE_COMPRESSED_COOKIE_BASE)
        return "a DoubleHistogram";
    switch (cookie_base(cookie)) {
    case V1_COOKIE_BASE:
    case V1_COMPRESSED_COOKIE_BASE:
        return "a V1 encoding (HdrHistogram before 2.0.1)";
    case V0_COOKIE_BASE:
    case V0_COMPRESSED_COOKIE_BASE:
        return "a V0 encoding (HdrHistogram before 1.2)";
    default:
        return NULL;
    }
}

/* Header and payload of a V2 encoding, read from s. */
static int decode_v2(struct source *s, struct ombc_hist *out, char *errstr, size_t errstr_size) {
    uint8_t hdr[OMBC_HDR_V2_HEADER];
    int rc = source_read(s, hdr, 4, errstr, errstr_size);
    if (rc)
        return rc;
    uint32_t cookie = get_be32(hdr);
    if (cookie_base(cookie) != V2_COOKIE_BASE) {
        const char *what = cookie_name(cookie);
        if (what)
            return ombc_errf(errstr, errstr_size, OMBC_EINVAL,
                             "histogram is %s; only V2 is supported", what);
        return ombc_errf(errstr, errstr_size, OMBC_EINVAL,
                         "not an HdrHistogram V2 encoding (cookie 0x%08" PRIx32 ")", cookie);
    }
    rc = source_read(s, hdr + 4, sizeof(hdr) - 4, errstr, errstr_size);
    if (rc)
        return rc;
    int32_t payload_len = (int32_t)get_be32(hdr + 4);
    int32_t digits = (int32_t)get_be32(hdr + 12);
    int64_t lowest = (int64_t)get_be64(hdr + 16);
    int64_t highest = (int64_t)get_be64(hdr + 24);
    if (payload_len < 0)
        return ombc_errf(errstr, errstr_size, OMBC_EINVAL,
                         "histogram payload length %" PRId32 " is negative", payload_len);
    if (digits < 0 || digits > 5)
        return ombc_errf(errstr, errstr_size, OMBC_EINVAL,
                         "histogram has %" PRId32 " significant digits; 0 to 5 are valid", digits);
    if (lowest < 1 || highest < 2 || highest / 2 < lowest)
        return ombc_errf(errstr, errstr_size, OMBC_EINVAL,
                         "histogram range [%" PRId64 ", %" PRId64
                         "] is invalid (lowest must be >= 1, highest >= 2 * lowest)",
                         lowest, highest);
    rc = ombc_hist_init(out, lowest, highest, digits);
    if (rc == OMBC_EINVAL)
        return ombc_errf(errstr, errstr_size, OMBC_EINVAL,
                         "histogram parameters (lowest %" PRId64 ", highest %" PRId64
                         ", digits %" PRId32 ") are not supported",
                         lowest, highest, digits);
    if (rc)
        return ombc_errf(errstr, errstr_size, rc, "out of memory for a histogram of %" PRId64
                         " values", highest);

    int64_t start = s->produced, end = start + payload_len;
    int64_t idx = 0, total = 0;
    int64_t first_nonzero = -1, last = -1; /* first non-zero index > 0; last non-zero index */
    while (s->produced < end) {
        int64_t at = s->produced - start, n;
        rc = get_varint(s, &n, errstr, errstr_size);
        if (rc)
            return rc;
        if (s->produced > end)
            return ombc_errf(errstr, errstr_size, OMBC_EINVAL,
                             "histogram payload: count at byte %" PRId64
                             " runs past the payload length %" PRId32,
                             at, payload_len);
        if (n < 0) {
            if (n == INT64_MIN || -n > out->counts_len - idx)
                return ombc_errf(errstr, errstr_size, OMBC_EINVAL,
                                 "histogram payload: a run of %" PRIu64
                                 " zeros at byte %" PRId64 " passes the end of the %" PRId32
                                 " counts",
                                 n == INT64_MIN ? (uint64_t)INT64_MAX + 1 : (uint64_t)-n, at,
                                 out->counts_len);
            idx += -n;
            continue;
        }
        if (idx >= out->counts_len)
            return ombc_errf(errstr, errstr_size, OMBC_EINVAL,
                             "histogram payload: count at byte %" PRId64
                             " is beyond the last of the %" PRId32 " counts",
                             at, out->counts_len);
        if (n > INT64_MAX - total)
            return ombc_errf(errstr, errstr_size, OMBC_EINVAL,
                             "histogram payload: total count overflows at byte %" PRId64, at);
        out->counts[idx] = n;
        if (n > 0) {
            total += n;
            last = idx;
            if (first_nonzero < 0 && idx > 0)
                first_nonzero = idx;
        }
        idx++;
    }
    rc = source_finish(s, errstr, errstr_size);
    if (rc)
        return rc;
    /* establishInternalTackingValues, from what was just read. */
    out->total = total;
    if (last >= 0)
        out->max_raw = ombc_hist_highest_equivalent(out, ombc_hist_value_at_index(out, (int32_t)last));
    if (first_nonzero >= 0)
        out->min_nonzero = ombc_hist_value_at_index(out, (int32_t)first_nonzero);
    return 0;
}

int ombc_hist_decode(const uint8_t *in, size_t len, struct ombc_hist *out, char *errstr,
                     size_t errstr_size) {
    memset(out, 0, sizeof(*out));
    if (len < 8)
        return ombc_errf(errstr, errstr_size, OMBC_EINVAL,
                         "histogram is %zu bytes; too short for any encoding", len);
    uint32_t base = cookie_base(get_be32(in));
    struct source *s = calloc(1, sizeof(*s));
    if (!s)
        return ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "histogram: out of memory");
    int rc;
    if (base == V2_COMPRESSED_COOKIE_BASE) {
        uint32_t zlen = get_be32(in + 4);
        if ((size_t)zlen != len - 8) {
            rc = ombc_errf(errstr, errstr_size, OMBC_EINVAL,
                           "compressed histogram says %" PRIu32 " bytes of zlib data, has %zu",
                           zlen, len - 8);
            goto out;
        }
        if (inflateInit(&s->z) != Z_OK) {
            rc = ombc_errf(errstr, errstr_size, OMBC_ENOMEM,
                           "compressed histogram: zlib: out of memory");
            goto out;
        }
        s->inflating = true;
        s->z.next_in = (Bytef *)(uintptr_t)(in + 8);
        s->z.avail_in = (uInt)zlen;
    } else {
        s->mem = in;
        s->mem_len = len;
    }
    rc = decode_v2(s, out, errstr, errstr_size);
    if (s->inflating)
        inflateEnd(&s->z);
out:
    free(s);
    if (rc)
        ombc_hist_fini(out);
    return rc;
}

int ombc_hist_decode_base64(const char *in, size_t len, struct ombc_hist *out, char *errstr,
                            size_t errstr_size) {
    memset(out, 0, sizeof(*out));
    while (len > 0 && isspace((unsigned char)*in)) {
        in++;
        len--;
    }
    while (len > 0 && isspace((unsigned char)in[len - 1]))
        len--;
    uint8_t *bin = malloc(ombc_base64_decoded_max(len));
    if (!bin)
        return ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "histogram: out of memory");
    size_t bin_len;
    int rc = ombc_base64_decode(in, len, bin, &bin_len, OMBC_BASE64_STD, errstr, errstr_size);
    if (rc == 0)
        rc = ombc_hist_decode(bin, bin_len, out, errstr, errstr_size);
    free(bin);
    return rc;
}
