/*
 * hdr: ombc's HDR histogram, HdrHistogram's integer Histogram re-done in C
 * with the same log-linear bucket math (OMB-REFERENCE.md section 6), so that
 * counts indexes, percentiles, means and the percentile iteration agree with
 * the Java reference bit for bit.
 *
 * A histogram is a plain struct the caller embeds; its counts array is either
 * owned (ombc_hist_init) or lives in memory the caller supplies
 * (ombc_hist_init_at, used for shared memory). No locking: one writer, or
 * the caller's own discipline. Nothing here does I/O.
 */
#ifndef OMBC_STATS_HDR_H
#define OMBC_STATS_HDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ombc_hist {
    int64_t lowest;                  /**< lowest discernible value (>= 1) */
    int64_t highest;                 /**< highest trackable value */
    int32_t digits;                  /**< significant value digits, 0..5 */
    int32_t unit_magnitude;
    int32_t sub_bucket_half_count_magnitude;
    int32_t sub_bucket_count;
    int32_t sub_bucket_half_count;
    int32_t bucket_count;
    int64_t sub_bucket_mask;
    int32_t leading_zero_count_base;
    int32_t counts_len;              /**< number of entries in counts */
    int64_t total;                   /**< sum of counts */
    int64_t min_nonzero;             /**< raw tracked min (INT64_MAX = none) */
    int64_t max_raw;                 /**< raw tracked max (0 = none) */
    int64_t *counts;
    bool owns_counts;
};

/**
 * @brief Initialises h and allocates its zeroed counts.
 * @return 0, OMBC_EINVAL for lowest < 1, highest < 2*lowest or digits outside
 *         0..5, OMBC_ENOMEM.
 */
int ombc_hist_init(struct ombc_hist *h, int64_t lowest, int64_t highest, int digits);

/**
 * @brief Like ombc_hist_init but uses counts_mem (at least
 * ombc_hist_counts_bytes() bytes, 8-byte aligned) as the counts array, not
 * cleared and not freed by ombc_hist_fini. Derived total/min/max start at
 * "empty"; call ombc_hist_recalc() if the memory already holds counts.
 */
int ombc_hist_init_at(struct ombc_hist *h, int64_t lowest, int64_t highest, int digits,
                      int64_t *counts_mem);

/** @brief Bytes needed for the counts of a histogram with these parameters,
 *  or 0 if they are invalid. */
size_t ombc_hist_counts_bytes(int64_t lowest, int64_t highest, int digits);

/** @brief Frees owned counts. Safe on a zeroed or already finished struct. */
void ombc_hist_fini(struct ombc_hist *h);

/** @brief Index of value v in counts, or -1 if v < 0 or beyond the range. */
int32_t ombc_hist_index_of(const struct ombc_hist *h, int64_t v);

/** @brief Value at the lower end of the bucket of counts index i. */
int64_t ombc_hist_value_at_index(const struct ombc_hist *h, int32_t i);

int64_t ombc_hist_lowest_equivalent(const struct ombc_hist *h, int64_t v);
int64_t ombc_hist_highest_equivalent(const struct ombc_hist *h, int64_t v);
int64_t ombc_hist_median_equivalent(const struct ombc_hist *h, int64_t v);

/** @brief Records v once. @return false (nothing recorded) if v is out of range. */
bool ombc_hist_record(struct ombc_hist *h, int64_t v);

/** @brief Records v count times. @return false if v out of range or count < 0. */
bool ombc_hist_record_n(struct ombc_hist *h, int64_t v, int64_t count);

/** @brief Zeroes all counts and the derived total/min/max. */
void ombc_hist_reset(struct ombc_hist *h);
/** @brief As ombc_hist_reset for a histogram whose counts are all >= 0 and
 *  tracked (recorded, added or recalculated since they were written): zeroes
 *  only the tracked range, so pages never used stay untouched. */
void ombc_hist_clear(struct ombc_hist *h);

/** @brief Re-derives total, min and max from the counts (after bulk changes). */
void ombc_hist_recalc(struct ombc_hist *h);
/** @brief ombc_hist_recalc for a histogram whose counts outside [lo, hi]
 *  are all 0 (or not positive): only that range is scanned. */
void ombc_hist_recalc_range(struct ombc_hist *h, int64_t lo, int64_t hi);

/**
 * @brief Adds src into dst (HdrHistogram add): index by index when the layouts
 * are identical, otherwise value by value.
 * @return the number of counts of src that fell outside dst's range and were
 *         dropped (0 normally); dst keeps everything else.
 */
int64_t ombc_hist_add(struct ombc_hist *dst, const struct ombc_hist *src);

/**
 * @brief dst -= src, index by index; layouts must be identical and no count of
 * src may exceed dst's. Used to turn monotonic snapshots into intervals.
 * @return 0 or OMBC_EINVAL (layout mismatch or negative result; dst unchanged).
 */
int ombc_hist_subtract(struct ombc_hist *dst, const struct ombc_hist *src);

/** @brief dst = src (counts and derived values); layouts must match.
 *  @return 0 or OMBC_EINVAL. */
int ombc_hist_copy(struct ombc_hist *dst, const struct ombc_hist *src);

int64_t ombc_hist_total(const struct ombc_hist *h);
int64_t ombc_hist_min(const struct ombc_hist *h);   /**< getMinValue() */
int64_t ombc_hist_max(const struct ombc_hist *h);   /**< getMaxValue() */
/** @brief getMinNonZeroValue(): the lowest equivalent value of the smallest
 *  non-zero value recorded, or INT64_MAX (Long.MAX_VALUE) if there is none. */
int64_t ombc_hist_min_nonzero(const struct ombc_hist *h);
double ombc_hist_mean(const struct ombc_hist *h);   /**< getMean(), Java-identical */
double ombc_hist_stddev(const struct ombc_hist *h); /**< getStdDeviation() */
/** @brief getValueAtPercentile(p), p in [0, 100]. 0 for an empty histogram. */
int64_t ombc_hist_value_at_percentile(const struct ombc_hist *h, double p);

/**
 * Percentile iteration, HdrHistogram's percentiles(ticksPerHalfDistance)
 * (OMB-REFERENCE.md 6.6). Usage:
 *   struct ombc_hist_pct_iter it; ombc_hist_pct_iter_init(&it, h, 100);
 *   while (ombc_hist_pct_iter_next(&it)) use(it.value, it.percentile);
 */
struct ombc_hist_pct_iter {
    const struct ombc_hist *h;
    int64_t ticks_per_half_distance;
    int32_t index;           /* current counts index */
    int64_t cum;             /* running count up to and including index */
    double level;            /* percentile level being iterated to */
    bool reached_last;       /* cum == total was emitted; one final 100% step left */
    bool done;
    /* Outputs of the last successful next(): */
    int64_t value;           /**< highest equivalent value of the step's bucket */
    double percentile;       /**< 100 * cum / total at that bucket */
    double percentile_level; /**< the tick level iterated to */
};

void ombc_hist_pct_iter_init(struct ombc_hist_pct_iter *it, const struct ombc_hist *h,
                             int64_t ticks_per_half_distance);
bool ombc_hist_pct_iter_next(struct ombc_hist_pct_iter *it);

#endif
