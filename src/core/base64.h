/*
 * base64: RFC 4648 base64, standard (padded, used for HdrHistogram's
 * encodings and OMB's byte[] fields) and URL-safe (unpadded, used for OMB's
 * random names). The decoder is strict: it accepts only canonical input
 * (right alphabet, right padding, zero spare bits), because what it decodes
 * comes from other programs and a silent reinterpretation hides bugs.
 */
#ifndef OMBC_CORE_BASE64_H
#define OMBC_CORE_BASE64_H

#include <stddef.h>
#include <stdint.h>

enum ombc_base64_alphabet {
    OMBC_BASE64_STD, /**< A-Z a-z 0-9 + /, padded with '=' */
    OMBC_BASE64_URL, /**< A-Z a-z 0-9 - _, no padding */
};

/** @brief Characters needed to encode len bytes, without the terminating NUL. */
size_t ombc_base64_encoded_len(size_t len, enum ombc_base64_alphabet a);

/** @brief Writes the encoding of in[0..len) and a NUL to out, which must hold
 *  ombc_base64_encoded_len(len, a) + 1 chars. @return characters written. */
size_t ombc_base64_encode(const void *in, size_t len, char *out, enum ombc_base64_alphabet a);

/** @brief Upper bound of the bytes decoded from len characters. */
static inline size_t ombc_base64_decoded_max(size_t len) {
    return len / 4 * 3 + 3;
}

/**
 * @brief Decodes in[0..len) into out (ombc_base64_decoded_max(len) bytes).
 * @return 0 and *out_len, or OMBC_EINVAL with errstr saying what and where
 *         (bad character, bad length, bad padding, non-zero spare bits).
 */
int ombc_base64_decode(const char *in, size_t len, uint8_t *out, size_t *out_len,
                       enum ombc_base64_alphabet a, char *errstr, size_t errstr_size);

#endif
