/*
 * stamp: the send time ombc writes into the first bytes of each payload, so
 * the consumer measures end-to-end latency in microseconds instead of OMB's
 * whole milliseconds of the broker's message timestamp.
 *
 * Layout (OMBC_STAMP_BYTES, only when the payload has room for it):
 *   bytes 0-7   the marker "\0OMBCts1", so a payload from another producer
 *               (OMB's Java workers, a payload file) is not mistaken for one;
 *   bytes 8-15  CLOCK_REALTIME at the send, ns since the epoch, little-endian.
 * Producer and consumer compare two machines' wall clocks when they run on
 * different hosts: the figure is then only as good as their clock sync
 * (docs/PERFORMANCE.md). Inline: both ends sit on the per-message path.
 */
#ifndef OMBC_CORE_STAMP_H
#define OMBC_CORE_STAMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define OMBC_STAMP_BYTES 16

static const uint8_t ombc_stamp_marker[8] = {0, 'O', 'M', 'B', 'C', 't', 's', '1'};

/** @brief Writes the stamp for wall_ns into buf if len leaves room.
 *  @return whether it did. */
static inline bool ombc_stamp_write(uint8_t *buf, size_t len, int64_t wall_ns) {
    if (len < OMBC_STAMP_BYTES)
        return false;
    memcpy(buf, ombc_stamp_marker, sizeof(ombc_stamp_marker));
    uint64_t v = (uint64_t)wall_ns;
    for (int i = 0; i < 8; i++)
        buf[8 + i] = (uint8_t)(v >> (8 * i));
    return true;
}

/** @brief Reads a stamp from the first bytes of a payload of len bytes.
 *  @return the send time (wall ns), or 0 when the payload carries none. */
static inline int64_t ombc_stamp_read(const uint8_t *buf, size_t len) {
    if (len < OMBC_STAMP_BYTES || memcmp(buf, ombc_stamp_marker, sizeof(ombc_stamp_marker)) != 0)
        return 0;
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | buf[8 + i];
    return (int64_t)v;
}

#endif
