/*
 * hdr_codec: HdrHistogram's V2 encoding of a histogram, plain and compressed
 * (zlib), and base64 of the compressed form: the bytes OMB workers exchange
 * and .hlog lines carry (OMB-REFERENCE.md 6.3). Encoding is byte-identical to
 * Java's encodeIntoByteBuffer / encodeIntoCompressedByteBuffer.
 *
 * Decoding takes bytes from other programs and the network: it checks every
 * field it reads (cookie, lengths, parameters, indexes, counts, totals),
 * never reads past its input and never aborts; a malformed input gives
 * OMBC_EINVAL and a message naming the first problem.
 */
#ifndef OMBC_STATS_HDR_CODEC_H
#define OMBC_STATS_HDR_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "stats/hdr.h"

#define OMBC_HDR_V2_COOKIE 0x1c849313u            /* uncompressed, as Java writes it */
#define OMBC_HDR_V2_COMPRESSED_COOKIE 0x1c849314u /* compressed, as Java writes it */
#define OMBC_HDR_V2_HEADER 40                     /* bytes before the payload */

/** zlib level Java's encodeIntoCompressedByteBuffer uses (Deflater default). */
#define OMBC_HDR_LEVEL_DEFAULT 6
/** zlib level Java's HistogramLogWriter uses. */
#define OMBC_HDR_LEVEL_LOG 9

/**
 * @brief V2 uncompressed encoding of h into a new buffer (*out, freed by the
 * caller). @return 0 or OMBC_ENOMEM.
 */
int ombc_hist_encode(const struct ombc_hist *h, uint8_t **out, size_t *out_len);

/**
 * @brief V2 compressed encoding of h (zlib level 0..9) into a new buffer.
 * @return 0, OMBC_ENOMEM or OMBC_EINVAL (bad level).
 */
int ombc_hist_encode_compressed(const struct ombc_hist *h, int level, uint8_t **out,
                                size_t *out_len);

/**
 * @brief Standard padded base64 of the compressed encoding, NUL-terminated,
 * in a new string (*out, freed by the caller). Starts with "HISTF".
 * @return 0, OMBC_ENOMEM or OMBC_EINVAL.
 */
int ombc_hist_encode_base64(const struct ombc_hist *h, int level, char **out);

/**
 * @brief Decodes a V2 encoding, compressed or not, into out, which this
 * initialises with the encoded parameters (owned counts; the caller calls
 * ombc_hist_fini). On error out is left finished (safe to fini again).
 * @return 0, OMBC_EINVAL (malformed: errstr says why) or OMBC_ENOMEM.
 */
int ombc_hist_decode(const uint8_t *in, size_t len, struct ombc_hist *out, char *errstr,
                     size_t errstr_size);

/** @brief ombc_hist_decode of base64 text (whitespace around it ignored). */
int ombc_hist_decode_base64(const char *in, size_t len, struct ombc_hist *out, char *errstr,
                            size_t errstr_size);

#endif
