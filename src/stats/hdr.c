/*
 * hdr: the HDR histogram: layout derivation, the log-linear index math,
 * recording, add/subtract/copy, and the statistics and percentile iteration
 * of HdrHistogram 2.1.12's integer Histogram (OMB-REFERENCE.md section 6),
 * reproduced operation for operation so results match Java bit for bit.
 * Owns nothing but the counts array of histograms set up by ombc_hist_init.
 *
 * Java's longs wrap and its double-to-long casts saturate; where a C
 * expression could overflow, it is done in uint64_t or through java_d2l().
 * The double sums rely on no FP contraction (ISO C mode, GCC's default there).
 */
#include "stats/hdr.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"

_Static_assert(sizeof(unsigned long long) == sizeof(uint64_t), "clzll must be 64-bit");

/*
 * Long.numberOfLeadingZeros for the index math. __builtin_clzll(0) is
 * undefined, but the argument there is v | sub_bucket_mask and the mask is
 * never 0 (sub_bucket_count >= 2), so it is never 0; the extra "| 1" only keeps
 * a zeroed struct free of undefined behaviour and changes no non-zero result
 * (bit 0 cannot alter the leading-zero count of a non-zero word). Branch-free,
 * as record() is on the per-message path.
 */
static inline int32_t clz64_nonzero(uint64_t x) {
    return __builtin_clzll(x | 1);
}

/* Java's (long) cast of a double: NaN -> 0, saturating at the ends. */
static int64_t java_d2l(double x) {
    if (isnan(x))
        return 0;
    if (x >= 9223372036854775808.0)
        return INT64_MAX;
    if (x <= -9223372036854775808.0)
        return INT64_MIN;
    return (int64_t)x;
}

static inline int64_t unit_mask(const struct ombc_hist *h) {
    return (int64_t)((UINT64_C(1) << h->unit_magnitude) - 1);
}

/*
 * Index math (6.2). Shifts are done unsigned: for any int64 v the bucket index
 * lies in 0..leading_zero_count_base, so every shift count stays below 64.
 */
static inline int32_t bucket_index(const struct ombc_hist *h, int64_t v) {
    return h->leading_zero_count_base - clz64_nonzero((uint64_t)(v | h->sub_bucket_mask));
}

static inline int32_t sub_bucket_index(const struct ombc_hist *h, int64_t v, int32_t b) {
    return (int32_t)((uint64_t)v >> (b + h->unit_magnitude));
}

/* countsArrayIndex without the range check. A negative v has all top bits set,
 * lands in the highest possible bucket and so beyond counts_len as well. */
static inline int64_t counts_index(const struct ombc_hist *h, int64_t v) {
    int32_t b = bucket_index(h, v);
    int32_t sb = sub_bucket_index(h, v, b);
    return ((int64_t)(b + 1) << h->sub_bucket_half_count_magnitude) +
           (sb - h->sub_bucket_half_count);
}

static inline int64_t size_of_range(const struct ombc_hist *h, int64_t v) {
    return (int64_t)(UINT64_C(1) << (h->unit_magnitude + bucket_index(h, v)));
}

static inline bool same_layout(const struct ombc_hist *a, const struct ombc_hist *b) {
    return a->bucket_count == b->bucket_count && a->sub_bucket_count == b->sub_bucket_count &&
           a->unit_magnitude == b->unit_magnitude;
}

/* updatedMaxValue / updateMinNonZeroValue (single-threaded forms). */
static inline void update_max(struct ombc_hist *h, int64_t v) {
    int64_t internal = v | unit_mask(h);
    if (internal > h->max_raw)
        h->max_raw = internal;
}

static inline void update_min_nonzero(struct ombc_hist *h, int64_t v) {
    int64_t mask = unit_mask(h);
    if (v <= mask)
        return;
    int64_t internal = v & ~mask;
    if (internal < h->min_nonzero)
        h->min_nonzero = internal;
}

/* updateMinAndMax: v > max_raw and v < min_nonzero are Java's pre-checks. */
static inline void update_min_max(struct ombc_hist *h, int64_t v) {
    if (v > h->max_raw)
        update_max(h, v);
    if (v < h->min_nonzero && v != 0)
        update_min_nonzero(h, v);
}

/* getMinNonZeroValue */
static int64_t min_nonzero_value(const struct ombc_hist *h) {
    return h->min_nonzero == INT64_MAX ? INT64_MAX
                                       : ombc_hist_lowest_equivalent(h, h->min_nonzero);
}

/* Derives every layout field of h from the parameters (6.1); counts untouched. */
static int layout(struct ombc_hist *h, int64_t lowest, int64_t highest, int digits) {
    if (lowest < 1 || lowest > INT64_MAX / 2 || highest < 2 * lowest || digits < 0 ||
        digits > 5)
        return OMBC_EINVAL;

    int64_t largest_single_unit = 2;
    for (int i = 0; i < digits; i++)
        largest_single_unit *= 10;
    int32_t unit_magnitude = (int32_t)(log((double)lowest) / log(2));
    int32_t sbc_magnitude = (int32_t)ceil(log((double)largest_single_unit) / log(2));
    if (sbc_magnitude + unit_magnitude > 62)
        return OMBC_EINVAL;

    int32_t sub_bucket_count = (int32_t)1 << sbc_magnitude;
    int32_t bucket_count = 1;
    int64_t smallest_untrackable = (int64_t)sub_bucket_count << unit_magnitude;
    while (smallest_untrackable <= highest) {
        if (smallest_untrackable > INT64_MAX / 2) {
            bucket_count++;
            break;
        }
        smallest_untrackable <<= 1;
        bucket_count++;
    }

    h->lowest = lowest;
    h->highest = highest;
    h->digits = digits;
    h->unit_magnitude = unit_magnitude;
    h->sub_bucket_half_count_magnitude = sbc_magnitude - 1;
    h->sub_bucket_count = sub_bucket_count;
    h->sub_bucket_half_count = sub_bucket_count / 2;
    h->bucket_count = bucket_count;
    h->sub_bucket_mask = (int64_t)(sub_bucket_count - 1) << unit_magnitude;
    h->leading_zero_count_base = 64 - unit_magnitude - sbc_magnitude;
    h->counts_len = (bucket_count + 1) * h->sub_bucket_half_count;
    h->total = 0;
    h->min_nonzero = INT64_MAX;
    h->max_raw = 0;
    return 0;
}

size_t ombc_hist_counts_bytes(int64_t lowest, int64_t highest, int digits) {
    struct ombc_hist h;
    if (layout(&h, lowest, highest, digits) != 0)
        return 0;
    return (size_t)h.counts_len * sizeof(int64_t);
}

int ombc_hist_init(struct ombc_hist *h, int64_t lowest, int64_t highest, int digits) {
    memset(h, 0, sizeof(*h));
    int rc = layout(h, lowest, highest, digits);
    if (rc != 0)
        return rc;
    h->counts = calloc((size_t)h->counts_len, sizeof(int64_t));
    if (!h->counts)
        return OMBC_ENOMEM;
    h->owns_counts = true;
    return 0;
}

int ombc_hist_init_at(struct ombc_hist *h, int64_t lowest, int64_t highest, int digits,
                      int64_t *counts_mem) {
    memset(h, 0, sizeof(*h));
    if (!counts_mem)
        return OMBC_EINVAL;
    int rc = layout(h, lowest, highest, digits);
    if (rc != 0)
        return rc;
    h->counts = counts_mem;
    h->owns_counts = false;
    return 0;
}

void ombc_hist_fini(struct ombc_hist *h) {
    if (!h)
        return;
    if (h->owns_counts)
        free(h->counts);
    memset(h, 0, sizeof(*h));
}

int32_t ombc_hist_index_of(const struct ombc_hist *h, int64_t v) {
    int64_t i = counts_index(h, v);
    if (v < 0 || i >= h->counts_len)
        return -1;
    return (int32_t)i;
}

int64_t ombc_hist_value_at_index(const struct ombc_hist *h, int32_t i) {
    int32_t b = (i >> h->sub_bucket_half_count_magnitude) - 1;
    int32_t sb = (i & (h->sub_bucket_half_count - 1)) + h->sub_bucket_half_count;
    if (b < 0) {
        sb -= h->sub_bucket_half_count;
        b = 0;
    }
    return (int64_t)((uint64_t)sb << (b + h->unit_magnitude));
}

int64_t ombc_hist_lowest_equivalent(const struct ombc_hist *h, int64_t v) {
    int32_t b = bucket_index(h, v);
    int32_t sb = sub_bucket_index(h, v, b);
    return (int64_t)((uint64_t)sb << (b + h->unit_magnitude));
}

int64_t ombc_hist_highest_equivalent(const struct ombc_hist *h, int64_t v) {
    /* nextNonEquivalentValue(v) - 1, wrapping like Java near INT64_MAX */
    uint64_t next = (uint64_t)ombc_hist_lowest_equivalent(h, v) + (uint64_t)size_of_range(h, v);
    return (int64_t)(next - 1);
}

int64_t ombc_hist_median_equivalent(const struct ombc_hist *h, int64_t v) {
    return (int64_t)((uint64_t)ombc_hist_lowest_equivalent(h, v) +
                     ((uint64_t)size_of_range(h, v) >> 1));
}

bool ombc_hist_record(struct ombc_hist *h, int64_t v) {
    int64_t i = counts_index(h, v);
    if (v < 0 || i >= h->counts_len)
        return false;
    h->counts[i]++;
    h->total++;
    update_min_max(h, v);
    return true;
}

/* Like Java's recordValueWithCount, a count of 0 still updates min and max. */
bool ombc_hist_record_n(struct ombc_hist *h, int64_t v, int64_t count) {
    int64_t i = counts_index(h, v);
    if (v < 0 || count < 0 || i >= h->counts_len)
        return false;
    h->counts[i] += count;
    h->total += count;
    update_min_max(h, v);
    return true;
}

void ombc_hist_reset(struct ombc_hist *h) {
    memset(h->counts, 0, (size_t)h->counts_len * sizeof(int64_t));
    h->total = 0;
    h->min_nonzero = INT64_MAX;
    h->max_raw = 0;
}

/* The indexes past 0 that can hold positive counts in a histogram whose
 * counts are tracked: [index of the min non-zero, index of the max], within
 * the array; empty (*lo > *hi) when nothing above 0 was recorded. */
static void tracked_range(const struct ombc_hist *h, int64_t *lo, int64_t *hi) {
    *lo = h->min_nonzero == INT64_MAX ? h->counts_len : counts_index(h, h->min_nonzero);
    *hi = h->max_raw == 0 ? 0 : counts_index(h, h->max_raw);
    if (*lo < 1)
        *lo = 1;
    if (*hi > h->counts_len - 1)
        *hi = h->counts_len - 1;
}

void ombc_hist_clear(struct ombc_hist *h) {
    if (h->total != 0 || h->max_raw != 0 || h->min_nonzero != INT64_MAX) {
        h->counts[0] = 0;
        int64_t lo, hi;
        tracked_range(h, &lo, &hi);
        if (hi >= lo)
            memset(h->counts + lo, 0, (size_t)(hi - lo + 1) * sizeof(int64_t));
    }
    h->total = 0;
    h->min_nonzero = INT64_MAX;
    h->max_raw = 0;
}

/* establishInternalTackingValues: only positive counts take part. */
void ombc_hist_recalc(struct ombc_hist *h) {
    ombc_hist_recalc_range(h, 0, h->counts_len - 1);
}

void ombc_hist_recalc_range(struct ombc_hist *h, int64_t lo, int64_t hi) {
    int64_t max_index = -1;
    int64_t min_nonzero_index = -1;
    int64_t total = 0;
    if (lo < 0)
        lo = 0;
    if (hi > h->counts_len - 1)
        hi = h->counts_len - 1;
    for (int64_t i = lo; i <= hi; i++) {
        int64_t c = h->counts[i];
        if (c > 0) {
            total += c;
            max_index = i;
            if (min_nonzero_index == -1 && i != 0)
                min_nonzero_index = i;
        }
    }
    h->max_raw = 0;
    h->min_nonzero = INT64_MAX;
    if (max_index >= 0)
        update_max(h, ombc_hist_highest_equivalent(h, ombc_hist_value_at_index(h, (int32_t)max_index)));
    if (min_nonzero_index >= 0)
        update_min_nonzero(h, ombc_hist_value_at_index(h, (int32_t)min_nonzero_index));
    h->total = total;
}

int64_t ombc_hist_add(struct ombc_hist *dst, const struct ombc_hist *src) {
    if (same_layout(dst, src)) {
        /* Counts mean the same in both: add index by index (positive counts, as Java).
         * Only src's tracked range [min non-zero, max] (and index 0, value 0) can hold
         * positive counts, and only non-zero entries are written, so a merge of a
         * narrow histogram into a wide one touches no other page of dst. */
        int64_t *d = dst->counts;
        const int64_t *s = src->counts;
        int64_t added = 0;
        if (s[0] > 0) {
            d[0] += s[0];
            added += s[0];
        }
        int64_t lo, hi;
        tracked_range(src, &lo, &hi);
        for (int64_t i = lo; i <= hi; i++) {
            if (s[i] > 0) {
                d[i] += s[i];
                added += s[i];
            }
        }
        int64_t dst_max = ombc_hist_max(dst);
        int64_t src_max = ombc_hist_max(src);
        int64_t dst_min = min_nonzero_value(dst);
        int64_t src_min = min_nonzero_value(src);
        int64_t mx = dst_max > src_max ? dst_max : src_max;
        dst->total += added;
        if (mx != 0) /* Java would store 0 | unit mask here; we keep 0 = none */
            update_max(dst, mx);
        int64_t mn = dst_min < src_min ? dst_min : src_min;
        if (mn != INT64_MAX)
            update_min_nonzero(dst, mn);
        return 0;
    }
    /* Different layouts: record each non-zero bucket of src at its lowest value. */
    int64_t dropped = 0;
    for (int32_t i = 0; i < src->counts_len; i++) {
        int64_t c = src->counts[i];
        if (c > 0 && !ombc_hist_record_n(dst, ombc_hist_value_at_index(src, i), c))
            dropped += c;
    }
    return dropped;
}

int ombc_hist_subtract(struct ombc_hist *dst, const struct ombc_hist *src) {
    if (!same_layout(dst, src))
        return OMBC_EINVAL;
    int32_t n = src->counts_len;
    for (int32_t i = 0; i < n; i++) {
        if (src->counts[i] > 0 && dst->counts[i] < src->counts[i])
            return OMBC_EINVAL;
    }
    for (int32_t i = 0; i < n; i++) {
        if (src->counts[i] > 0)
            dst->counts[i] -= src->counts[i];
    }
    ombc_hist_recalc(dst);
    return 0;
}

int ombc_hist_copy(struct ombc_hist *dst, const struct ombc_hist *src) {
    if (!same_layout(dst, src))
        return OMBC_EINVAL;
    if (dst == src)
        return 0;
    memcpy(dst->counts, src->counts, (size_t)src->counts_len * sizeof(int64_t));
    dst->total = src->total;
    dst->min_nonzero = src->min_nonzero;
    dst->max_raw = src->max_raw;
    return 0;
}

int64_t ombc_hist_total(const struct ombc_hist *h) {
    return h->total;
}

int64_t ombc_hist_min(const struct ombc_hist *h) {
    if (h->counts[0] > 0 || h->total == 0)
        return 0;
    return min_nonzero_value(h);
}

int64_t ombc_hist_min_nonzero(const struct ombc_hist *h) {
    return min_nonzero_value(h);
}

int64_t ombc_hist_max(const struct ombc_hist *h) {
    return h->max_raw == 0 ? 0 : ombc_hist_highest_equivalent(h, h->max_raw);
}

double ombc_hist_mean(const struct ombc_hist *h) {
    if (h->total == 0)
        return 0.0;
    double sum = 0.0;
    for (int32_t i = 0; i < h->counts_len; i++) {
        int64_t c = h->counts[i];
        if (c != 0)
            sum += (double)ombc_hist_median_equivalent(h, ombc_hist_value_at_index(h, i)) *
                   (double)c;
    }
    return (sum * 1.0) / (double)h->total;
}

double ombc_hist_stddev(const struct ombc_hist *h) {
    if (h->total == 0)
        return 0.0;
    double mean = ombc_hist_mean(h);
    double sum = 0.0;
    for (int32_t i = 0; i < h->counts_len; i++) {
        int64_t c = h->counts[i];
        if (c != 0) {
            double dev =
                ((double)ombc_hist_median_equivalent(h, ombc_hist_value_at_index(h, i)) * 1.0) -
                mean;
            sum += (dev * dev) * (double)c;
        }
    }
    return sqrt(sum / (double)h->total);
}

int64_t ombc_hist_value_at_percentile(const struct ombc_hist *h, double p) {
    if (h->total == 0)
        return 0;
    /* One ulp below p, clamped to [0, 100] (Java's Math.max/min keep a NaN). */
    double q = nextafter(p, -INFINITY);
    if (q < 0.0)
        q = 0.0;
    if (q > 100.0)
        q = 100.0;
    int64_t target = java_d2l(ceil((q * (double)h->total) / 100.0));
    if (target < 1)
        target = 1;
    int64_t cum = 0;
    for (int32_t i = 0; i < h->counts_len; i++) {
        cum += h->counts[i];
        if (cum >= target) {
            int64_t v = ombc_hist_value_at_index(h, i);
            return p == 0.0 ? ombc_hist_lowest_equivalent(h, v)
                            : ombc_hist_highest_equivalent(h, v);
        }
    }
    return 0;
}

/* PercentileIterator.incrementIterationLevel, with Java's long arithmetic. */
static double next_level(double level, int64_t ticks_per_half_distance) {
    int64_t e = java_d2l(log(100.0 / (100.0 - level)) / log(2));
    e = (int64_t)((uint64_t)e + 1);
    int64_t pow2 = java_d2l(pow(2, (double)e));
    int64_t ticks = (int64_t)((uint64_t)ticks_per_half_distance * (uint64_t)pow2);
    if (ticks == 0)
        return INFINITY; /* Java: 100.0 / 0L */
    return level + 100.0 / (double)ticks;
}

void ombc_hist_pct_iter_init(struct ombc_hist_pct_iter *it, const struct ombc_hist *h,
                             int64_t ticks_per_half_distance) {
    memset(it, 0, sizeof(*it));
    it->h = h;
    it->ticks_per_half_distance = ticks_per_half_distance;
    it->index = 0;
    it->level = 0.0;
    it->done = h->total <= 0;
    it->cum = it->done ? 0 : h->counts[0];
}

static void emit(struct ombc_hist_pct_iter *it, double pct) {
    const struct ombc_hist *h = it->h;
    it->value = ombc_hist_highest_equivalent(h, ombc_hist_value_at_index(h, it->index));
    it->percentile = pct;
    it->percentile_level = it->level;
}

bool ombc_hist_pct_iter_next(struct ombc_hist_pct_iter *it) {
    if (it->done)
        return false;
    const struct ombc_hist *h = it->h;
    double total = (double)h->total;
    if (it->reached_last) {
        /* The extra step to 100%, at the bucket where the count ran out. */
        it->reached_last = false;
        it->done = true;
        it->level = 100.0;
        emit(it, (100.0 * (double)it->cum) / total);
        return true;
    }
    for (;;) {
        if (h->counts[it->index] != 0) {
            double pct = (100.0 * (double)it->cum) / total;
            if (pct >= it->level) {
                emit(it, pct);
                if (it->cum >= h->total)
                    it->reached_last = true;
                else
                    it->level = next_level(it->level, it->ticks_per_half_distance);
                return true;
            }
        }
        if (++it->index >= h->counts_len) {
            it->done = true;
            return false;
        }
        it->cum += h->counts[it->index];
    }
}
