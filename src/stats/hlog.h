/*
 * hlog: HdrHistogram interval logs (.hlog, format 1.3; OMB-REFERENCE.md 6.7),
 * written as Java's HistogramLogWriter writes them and read by the rules of
 * its HistogramLogReader, so that HistogramLogProcessor and
 * HistogramLogAnalyzer open what ombc writes, and `ombc hist summary` opens
 * what they write. ombc's values are microseconds; the informational max
 * column is written in milliseconds.
 */
#ifndef OMBC_STATS_HLOG_H
#define OMBC_STATS_HLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "stats/hdr.h"

#define OMBC_HLOG_TAG_MAX 64

/** An interval log being written. */
struct ombc_hlog_writer {
    FILE *f;
    char *path;
    int64_t base_ms; /**< interval start times are written relative to this */
};

/**
 * @brief Creates path and writes the header: a comment naming ombc and what
 * is logged (comment may be NULL), the format version, StartTime and BaseTime
 * (both start_ms, epoch milliseconds) and the legend line.
 * @return 0 or OMBC_EIO with errstr naming the file and the system error.
 */
int ombc_hlog_writer_open(struct ombc_hlog_writer *w, const char *path, int64_t start_ms,
                          const char *comment, char *errstr, size_t errstr_size);

/**
 * @brief Appends one interval (epoch milliseconds) holding h, tagged when tag
 * is not NULL (no ',', space, CR or LF in it). @return 0, OMBC_EINVAL (bad
 * tag), OMBC_ENOMEM or OMBC_EIO.
 */
int ombc_hlog_writer_add(struct ombc_hlog_writer *w, const char *tag, int64_t start_ms,
                         int64_t end_ms, const struct ombc_hist *h, char *errstr,
                         size_t errstr_size);

/** @brief Flushes and closes (safe on a zeroed or closed writer).
 *  @return 0 or OMBC_EIO when the data could not be written. */
int ombc_hlog_writer_close(struct ombc_hlog_writer *w, char *errstr, size_t errstr_size);

/** An interval log being read. */
struct ombc_hlog_reader {
    FILE *f;
    char *path;
    char *line;
    size_t line_cap;
    long line_no;
    double start_time_s; /**< from #[StartTime:], else the first interval's */
    double base_time_s;  /**< from #[BaseTime:], else inferred as Java does */
    bool have_start_time, have_base_time, base_inferred;
};

/** One interval as read; hist is owned by the interval until the next read. */
struct ombc_hlog_interval {
    char tag[OMBC_HLOG_TAG_MAX]; /**< "" when untagged */
    double start_s;              /**< absolute: epoch seconds */
    double length_s;
    struct ombc_hist hist;
    long line_no;
};

int ombc_hlog_reader_open(struct ombc_hlog_reader *r, const char *path, char *errstr,
                          size_t errstr_size);

/**
 * @brief Reads the next interval into iv (finishing the histogram iv held
 * before; zero iv before the first call).
 * @return 1 when an interval was read, 0 at the end of the log, or
 *         OMBC_EINVAL / OMBC_EIO / OMBC_ENOMEM with errstr as FILE:LINE: why.
 */
int ombc_hlog_reader_next(struct ombc_hlog_reader *r, struct ombc_hlog_interval *iv,
                          char *errstr, size_t errstr_size);

void ombc_hlog_reader_close(struct ombc_hlog_reader *r);

#endif
