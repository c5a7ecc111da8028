/*
 * base64: RFC 4648 encode and strict decode, both alphabets.
 */
#include "core/base64.h"

#include "core/err.h"

static const char STD[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char URL[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

size_t ombc_base64_encoded_len(size_t len, enum ombc_base64_alphabet a) {
    if (a == OMBC_BASE64_STD)
        return (len + 2) / 3 * 4;
    return len / 3 * 4 + (len % 3 ? len % 3 + 1 : 0);
}

size_t ombc_base64_encode(const void *in, size_t len, char *out, enum ombc_base64_alphabet a) {
    const uint8_t *b = in;
    const char *abc = a == OMBC_BASE64_STD ? STD : URL;
    size_t o = 0;
    for (size_t i = 0; i < len; i += 3) {
        size_t left = len - i;
        uint32_t v = (uint32_t)b[i] << 16;
        if (left > 1)
            v |= (uint32_t)b[i + 1] << 8;
        if (left > 2)
            v |= b[i + 2];
        out[o++] = abc[(v >> 18) & 63];
        out[o++] = abc[(v >> 12) & 63];
        if (left > 1)
            out[o++] = abc[(v >> 6) & 63];
        else if (a == OMBC_BASE64_STD)
            out[o++] = '=';
        if (left > 2)
            out[o++] = abc[v & 63];
        else if (a == OMBC_BASE64_STD)
            out[o++] = '=';
    }
    out[o] = '\0';
    return o;
}

static int sextet(char c, enum ombc_base64_alphabet a) {
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == (a == OMBC_BASE64_STD ? '+' : '-'))
        return 62;
    if (c == (a == OMBC_BASE64_STD ? '/' : '_'))
        return 63;
    return -1;
}

int ombc_base64_decode(const char *in, size_t len, uint8_t *out, size_t *out_len,
                       enum ombc_base64_alphabet a, char *errstr, size_t errstr_size) {
    size_t data = len; /* characters that carry bits */
    if (a == OMBC_BASE64_STD) {
        if (len % 4 != 0)
            return ombc_errf(errstr, errstr_size, OMBC_EINVAL,
                             "base64: length %zu is not a multiple of 4", len);
        while (data > 0 && len - data < 2 && in[data - 1] == '=')
            data--;
    }
    if (data % 4 == 1)
        return ombc_errf(errstr, errstr_size, OMBC_EINVAL, "base64: truncated input (%zu characters)",
                         len);
    size_t o = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < data; i++) {
        int s = sextet(in[i], a);
        if (s < 0)
            return ombc_errf(errstr, errstr_size, OMBC_EINVAL,
                             "base64: invalid character 0x%02x at offset %zu",
                             (unsigned char)in[i], i);
        acc = (acc << 6) | (uint32_t)s;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (uint8_t)(acc >> bits);
            acc &= (1u << bits) - 1;
        }
    }
    if (acc != 0)
        return ombc_errf(errstr, errstr_size, OMBC_EINVAL,
                         "base64: non-zero padding bits at the end");
    *out_len = o;
    return 0;
}
