/*
 * test_hdr: unit tests of stats/hdr against OMB-REFERENCE.md section 6.
 * Every expected number is derived by hand from the reference's rules; the
 * derivation is in the comment next to it. Shorthand: "bits(v)" is the bit
 * length of v, so numberOfLeadingZeros(v) = 64 - bits(v) for v > the mask.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "stats/hdr.h"

/* Histogram parameters OMB uses (6.1). */
#define PUB_H 60000000LL
#define E2E_H 43200000000LL

static void rec(struct ombc_hist *h, int64_t v) {
    assert_true(ombc_hist_record(h, v));
}

static void rec_n(struct ombc_hist *h, int64_t v, int64_t n) {
    assert_true(ombc_hist_record_n(h, v, n));
}

static int64_t count_at(const struct ombc_hist *h, int64_t v) {
    int32_t i = ombc_hist_index_of(h, v);
    assert_true(i >= 0);
    return h->counts[i];
}

static int64_t sum_counts(const struct ombc_hist *h) {
    int64_t s = 0;
    for (int32_t i = 0; i < h->counts_len; i++)
        s += h->counts[i];
    return s;
}

/* Largest value in the last bucket = highestEquivalent(valueFromIndex(len - 1)). */
static int64_t last_value(const struct ombc_hist *h) {
    return ombc_hist_highest_equivalent(h, ombc_hist_value_at_index(h, h->counts_len - 1));
}

/* ---- 6.1 layouts: every row of the table ---- */

static void test_layout_publish(void **state) {
    (void)state;
    /* Row (1, 60 000 000, 5): subBucketCountMagnitude ceil(log2 200000) = 18. */
    struct ombc_hist h;
    assert_int_equal(ombc_hist_init(&h, 1, PUB_H, 5), 0);
    assert_int_equal(h.lowest, 1);
    assert_int_equal(h.highest, PUB_H);
    assert_int_equal(h.digits, 5);
    assert_int_equal(h.unit_magnitude, 0);
    assert_int_equal(h.sub_bucket_count, 262144);
    assert_int_equal(h.sub_bucket_half_count, 131072);
    assert_int_equal(h.sub_bucket_half_count_magnitude, 17);
    assert_int_equal(h.sub_bucket_mask, 0x3FFFF);
    assert_int_equal(h.leading_zero_count_base, 46);
    assert_int_equal(h.bucket_count, 9);
    assert_int_equal(h.counts_len, 1310720);
    assert_int_equal(last_value(&h), 67108863);
    assert_int_equal(ombc_hist_counts_bytes(1, PUB_H, 5), (size_t)1310720 * 8);
    assert_true(h.owns_counts);
    assert_int_equal(sum_counts(&h), 0);
    ombc_hist_fini(&h);
}

static void test_layout_e2e(void **state) {
    (void)state;
    /* Row (1, 43 200 000 000, 5). */
    struct ombc_hist h;
    assert_int_equal(ombc_hist_init(&h, 1, E2E_H, 5), 0);
    assert_int_equal(h.unit_magnitude, 0);
    assert_int_equal(h.sub_bucket_count, 262144);
    assert_int_equal(h.sub_bucket_half_count_magnitude, 17);
    assert_int_equal(h.sub_bucket_mask, 0x3FFFF);
    assert_int_equal(h.leading_zero_count_base, 46);
    assert_int_equal(h.bucket_count, 19);
    assert_int_equal(h.counts_len, 2621440);
    assert_int_equal(last_value(&h), 68719476735LL);
    assert_int_equal(ombc_hist_counts_bytes(1, E2E_H, 5), (size_t)2621440 * 8);
    ombc_hist_fini(&h);
}

static void test_layout_rates(void **state) {
    (void)state;
    /* Row (1, 10 000 000, 1): ceil(log2 20) = 5. */
    struct ombc_hist h;
    assert_int_equal(ombc_hist_init(&h, 1, 10000000, 1), 0);
    assert_int_equal(h.unit_magnitude, 0);
    assert_int_equal(h.sub_bucket_count, 32);
    assert_int_equal(h.sub_bucket_half_count_magnitude, 4);
    assert_int_equal(h.sub_bucket_mask, 0x1F);
    assert_int_equal(h.leading_zero_count_base, 59);
    assert_int_equal(h.bucket_count, 20);
    assert_int_equal(h.counts_len, 336);
    assert_int_equal(last_value(&h), 16777215);
    ombc_hist_fini(&h);
}

static void test_layout_3600s(void **state) {
    (void)state;
    /* Row (1, 3 600 000 000, 3): ceil(log2 2000) = 11. */
    struct ombc_hist h;
    assert_int_equal(ombc_hist_init(&h, 1, 3600000000LL, 3), 0);
    assert_int_equal(h.unit_magnitude, 0);
    assert_int_equal(h.sub_bucket_count, 2048);
    assert_int_equal(h.sub_bucket_half_count_magnitude, 10);
    assert_int_equal(h.sub_bucket_mask, 0x7FF);
    assert_int_equal(h.leading_zero_count_base, 53);
    assert_int_equal(h.bucket_count, 22);
    assert_int_equal(h.counts_len, 23552);
    assert_int_equal(last_value(&h), 4294967295LL);
    ombc_hist_fini(&h);
}

static void test_sub_bucket_magnitudes(void **state) {
    (void)state;
    /* 6.1: subBucketCountMagnitude for d = 0..5 is 1, 5, 8, 11, 15, 18. */
    static const int mag[6] = {1, 5, 8, 11, 15, 18};
    for (int d = 0; d <= 5; d++) {
        struct ombc_hist h;
        assert_int_equal(ombc_hist_init(&h, 1, 1000000, d), 0);
        assert_int_equal(h.sub_bucket_half_count_magnitude, mag[d] - 1);
        assert_int_equal(h.sub_bucket_count, 1 << mag[d]);
        assert_int_equal(h.leading_zero_count_base, 64 - mag[d]);
        ombc_hist_fini(&h);
    }
}

static void test_invalid_params(void **state) {
    (void)state;
    struct ombc_hist h;
    assert_int_equal(ombc_hist_init(&h, 0, 1000, 3), OMBC_EINVAL);       /* L < 1 */
    assert_int_equal(ombc_hist_init(&h, 10, 19, 3), OMBC_EINVAL);        /* H < 2L */
    assert_int_equal(ombc_hist_init(&h, 1, 1000, -1), OMBC_EINVAL);      /* d < 0 */
    assert_int_equal(ombc_hist_init(&h, 1, 1000, 6), OMBC_EINVAL);       /* d > 5 */
    assert_int_equal(ombc_hist_init(&h, INT64_MAX / 2 + 1, INT64_MAX, 0), OMBC_EINVAL);
    /* L = 2^50: unitMagnitude 50 + subBucketCountMagnitude 18 > 62. */
    assert_int_equal(ombc_hist_init(&h, 1LL << 50, INT64_MAX, 5), OMBC_EINVAL);
    assert_int_equal(ombc_hist_counts_bytes(10, 19, 3), 0);
    assert_int_equal(ombc_hist_counts_bytes(1, 1000, 6), 0);
    int64_t mem[4];
    assert_int_equal(ombc_hist_init_at(&h, 1, 1000, 7, mem), OMBC_EINVAL);
    assert_int_equal(ombc_hist_init_at(&h, 1, 1000, 1, NULL), OMBC_EINVAL);
    /* H = 2L is the smallest valid range. */
    assert_int_equal(ombc_hist_init(&h, 10, 20, 3), 0);
    ombc_hist_fini(&h);
    ombc_hist_fini(&h); /* a second fini is harmless */
}

/* ---- 6.2 index math ---- */

static void test_index_examples(void **state) {
    (void)state;
    struct ombc_hist h;
    assert_int_equal(ombc_hist_init(&h, 1, PUB_H, 5), 0);
    /* 300000: bits 19 -> nlz 45 -> bucket 46-45 = 1; sub-bucket 300000>>1 = 150000;
     * index (2<<17) + (150000-131072) = 281072; range size 1<<1 = 2. */
    assert_int_equal(ombc_hist_index_of(&h, 300000), 281072);
    assert_int_equal(ombc_hist_value_at_index(&h, 281072), 300000);
    assert_int_equal(ombc_hist_lowest_equivalent(&h, 300000), 300000);
    assert_int_equal(ombc_hist_highest_equivalent(&h, 300000), 300001);
    assert_int_equal(ombc_hist_median_equivalent(&h, 300000), 300001);
    assert_int_equal(ombc_hist_index_of(&h, 300001), 281072);
    /* 59999999: bits 26 -> bucket 8; sub-bucket 59999999>>8 = 234374;
     * index (9<<17) + (234374-131072) = 1282950; lowest 234374<<8 = 59999744,
     * size 256, highest 59999999, median 59999744+128 = 59999872. */
    assert_int_equal(ombc_hist_index_of(&h, 59999999), 1282950);
    assert_int_equal(ombc_hist_value_at_index(&h, 1282950), 59999744);
    assert_int_equal(ombc_hist_lowest_equivalent(&h, 59999999), 59999744);
    assert_int_equal(ombc_hist_highest_equivalent(&h, 59999999), 59999999);
    assert_int_equal(ombc_hist_median_equivalent(&h, 59999999), 59999872);
    assert_int_equal(ombc_hist_index_of(&h, 59999744), 1282950);
    /* Bucket 0 is exact: 0..262143 map to their own index (b = 0 since v|mask
     * has 18 bits; index = (1<<17) + v - 131072 = v). 262144 opens bucket 1 at
     * index (2<<17) + (131072-131072) = 262144, and 262145 shares it. */
    assert_int_equal(ombc_hist_index_of(&h, 0), 0);
    assert_int_equal(ombc_hist_index_of(&h, 1), 1);
    assert_int_equal(ombc_hist_index_of(&h, 131072), 131072);
    assert_int_equal(ombc_hist_index_of(&h, 262143), 262143);
    assert_int_equal(ombc_hist_index_of(&h, 262144), 262144);
    assert_int_equal(ombc_hist_index_of(&h, 262145), 262144);
    assert_int_equal(ombc_hist_value_at_index(&h, 0), 0);
    assert_int_equal(ombc_hist_value_at_index(&h, 131071), 131071);
    assert_int_equal(ombc_hist_value_at_index(&h, 131072), 131072);
    assert_int_equal(ombc_hist_median_equivalent(&h, 7), 7); /* size 1: 7 + (1>>1) */
    /* 67108863 = 2^26-1: bucket 8, sub-bucket 262143, index (9<<17)+131071 = 1310719,
     * the last one; 2^26 would need bucket 9: out of range. */
    assert_int_equal(ombc_hist_index_of(&h, 67108863), 1310719);
    assert_int_equal(ombc_hist_index_of(&h, 67108864), -1);
    assert_int_equal(ombc_hist_index_of(&h, -1), -1);
    assert_int_equal(ombc_hist_index_of(&h, INT64_MIN), -1);
    assert_int_equal(ombc_hist_index_of(&h, INT64_MAX), -1);
    ombc_hist_fini(&h);

    /* (1, 1e7, 1): 1e7 has 24 bits -> bucket 59-40 = 19; sub-bucket 1e7>>19 = 19;
     * index (20<<4) + (19-16) = 323; lowest 19<<19 = 9961472, highest +2^19-1. */
    assert_int_equal(ombc_hist_init(&h, 1, 10000000, 1), 0);
    assert_int_equal(ombc_hist_index_of(&h, 10000000), 323);
    assert_int_equal(ombc_hist_lowest_equivalent(&h, 10000000), 9961472);
    assert_int_equal(ombc_hist_highest_equivalent(&h, 10000000), 10485759);
    ombc_hist_fini(&h);

    /* (1, 3.6e9, 3): 3.6e9 has 32 bits -> bucket 53-32 = 21; sub-bucket
     * 3.6e9>>21 = 1716 (1716*2^21 = 3598712832); index (22<<10) + 692 = 23220. */
    assert_int_equal(ombc_hist_init(&h, 1, 3600000000LL, 3), 0);
    assert_int_equal(ombc_hist_index_of(&h, 3600000000LL), 23220);
    assert_int_equal(ombc_hist_value_at_index(&h, 23220), 3598712832LL);
    ombc_hist_fini(&h);
}

/* ---- recording ---- */

static void test_record_out_of_range(void **state) {
    (void)state;
    struct ombc_hist h;
    assert_int_equal(ombc_hist_init(&h, 1, PUB_H, 5), 0);
    rec(&h, 1000);
    /* 2^26 and up do not fit the 9 buckets; negatives are invalid. */
    assert_false(ombc_hist_record(&h, 67108864));
    assert_false(ombc_hist_record(&h, INT64_MAX));
    assert_false(ombc_hist_record(&h, -1));
    assert_false(ombc_hist_record(&h, INT64_MIN));
    assert_false(ombc_hist_record_n(&h, 67108864, 2));
    assert_false(ombc_hist_record_n(&h, -5, 2));
    assert_int_equal(ombc_hist_total(&h), 1);
    assert_int_equal(sum_counts(&h), 1);
    assert_int_equal(ombc_hist_min(&h), 1000);
    assert_int_equal(ombc_hist_max(&h), 1000);
    /* Like Java, the bound is the counts array, not H: 60000001..67108863 fit. */
    rec(&h, 67108863);
    assert_int_equal(ombc_hist_max(&h), 67108863);
    assert_int_equal(ombc_hist_total(&h), 2);
    ombc_hist_fini(&h);

    /* e2e: 2^36-1 has 36 bits -> bucket 18, sub-bucket 262143 -> index
     * (19<<17) + 131071 = 2621439, the last; 2^36 is out. */
    assert_int_equal(ombc_hist_init(&h, 1, E2E_H, 5), 0);
    rec(&h, E2E_H - 1);
    rec(&h, 68719476735LL);
    assert_int_equal(ombc_hist_index_of(&h, 68719476735LL), 2621439);
    assert_false(ombc_hist_record(&h, 68719476736LL));
    assert_int_equal(ombc_hist_total(&h), 2);
    ombc_hist_fini(&h);
}

static void test_record_n(void **state) {
    (void)state;
    struct ombc_hist h;
    assert_int_equal(ombc_hist_init(&h, 1, PUB_H, 5), 0);
    rec_n(&h, 5, 4);
    rec_n(&h, 300001, 3); /* shares index 281072 with 300000 */
    rec(&h, 300000);
    assert_int_equal(count_at(&h, 5), 4);
    assert_int_equal(h.counts[281072], 4);
    assert_int_equal(ombc_hist_total(&h), 8);
    assert_int_equal(ombc_hist_min(&h), 5);
    assert_int_equal(ombc_hist_max(&h), 300001);
    /* Negative counts are refused and change nothing. */
    assert_false(ombc_hist_record_n(&h, 7, -1));
    assert_int_equal(count_at(&h, 7), 0);
    assert_int_equal(ombc_hist_total(&h), 8);
    /* Count 0 adds nothing to the counts (Java still tracks the value for min/max). */
    assert_true(ombc_hist_record_n(&h, 7, 0));
    assert_int_equal(count_at(&h, 7), 0);
    assert_int_equal(ombc_hist_total(&h), 8);
    assert_int_equal(sum_counts(&h), 8);
    ombc_hist_fini(&h);
}

static void test_reset(void **state) {
    (void)state;
    struct ombc_hist h;
    assert_int_equal(ombc_hist_init(&h, 1, PUB_H, 5), 0);
    rec(&h, 0);
    rec(&h, 59999999);
    rec_n(&h, 42, 10);
    ombc_hist_reset(&h);
    assert_int_equal(ombc_hist_total(&h), 0);
    assert_int_equal(sum_counts(&h), 0);
    assert_int_equal(ombc_hist_min(&h), 0);
    assert_int_equal(ombc_hist_max(&h), 0);
    assert_int_equal(h.min_nonzero, INT64_MAX);
    assert_int_equal(h.max_raw, 0);
    assert_true(ombc_hist_mean(&h) == 0.0);
    /* Usable again afterwards. */
    rec(&h, 9);
    assert_int_equal(ombc_hist_min(&h), 9);
    assert_int_equal(ombc_hist_max(&h), 9);
    assert_int_equal(ombc_hist_total(&h), 1);
    ombc_hist_fini(&h);
}

static void test_min_max(void **state) {
    (void)state;
    struct ombc_hist h;
    assert_int_equal(ombc_hist_init(&h, 1, PUB_H, 5), 0);
    /* Only zeros: getMinValue is 0 (count[0] > 0) and maxValue stays 0. */
    rec(&h, 0);
    assert_int_equal(ombc_hist_min(&h), 0);
    assert_int_equal(ombc_hist_max(&h), 0);
    /* min reports the lowest equivalent, max the highest equivalent:
     * 300001 -> [300000, 300001]; min stays 0 while count[0] > 0. */
    rec(&h, 300001);
    assert_int_equal(ombc_hist_min(&h), 0);
    assert_int_equal(ombc_hist_max(&h), 300001);
    ombc_hist_fini(&h);

    assert_int_equal(ombc_hist_init(&h, 1, PUB_H, 5), 0);
    rec(&h, 300001);
    assert_int_equal(ombc_hist_min(&h), 300000);
    rec(&h, 59999800); /* bucket [59999744, 59999999] */
    assert_int_equal(ombc_hist_max(&h), 59999999);
    assert_int_equal(ombc_hist_min(&h), 300000);
    ombc_hist_fini(&h);

    /* L = 1000: unitMagnitude (int)log2(1000) = 9, mask 511; subBucketMask
     * 0x7FF<<9; leadingZeroCountBase 64-9-11 = 44. 1023|mask has 20 bits ->
     * bucket 0, sub-bucket 1023>>9 = 1, index (1<<10) + 1 - 1024 = 1, whose
     * value is 1<<9 = 512. Tracked max 1023|511 = 1023 -> highest equivalent
     * 512+512-1 = 1023; tracked min 1023&~511 = 512. 100 <= mask is index 0
     * and "unit-equivalent to 0": it makes getMinValue 0. */
    assert_int_equal(ombc_hist_init(&h, 1000, 3600000000LL, 3), 0);
    assert_int_equal(h.unit_magnitude, 9);
    assert_int_equal(h.sub_bucket_mask, 0x7FFLL << 9);
    assert_int_equal(h.leading_zero_count_base, 44);
    rec(&h, 1023);
    assert_int_equal(ombc_hist_index_of(&h, 1023), 1);
    assert_int_equal(ombc_hist_value_at_index(&h, 1), 512);
    assert_int_equal(ombc_hist_max(&h), 1023);
    assert_int_equal(ombc_hist_min(&h), 512);
    rec(&h, 100);
    assert_int_equal(ombc_hist_index_of(&h, 100), 0);
    assert_int_equal(h.min_nonzero, 512);
    assert_int_equal(ombc_hist_min(&h), 0);
    ombc_hist_fini(&h);
}

/* ---- 6.4 / 6.5 statistics ---- */

/* 6.4: Histogram(60e6, 5) with 1, 2 x3, 1000, 123456 (all in exact bucket 0). */
static void make_example(struct ombc_hist *h) {
    assert_int_equal(ombc_hist_init(h, 1, PUB_H, 5), 0);
    rec(h, 1);
    rec_n(h, 2, 3);
    rec(h, 1000);
    rec(h, 123456);
}

static void test_worked_example(void **state) {
    (void)state;
    struct ombc_hist h;
    make_example(&h);
    assert_int_equal(ombc_hist_total(&h), 6);
    assert_int_equal(h.counts[0], 0);
    assert_int_equal(h.counts[1], 1);
    assert_int_equal(h.counts[2], 3);
    assert_int_equal(h.counts[1000], 1);
    assert_int_equal(h.counts[123456], 1);
    assert_int_equal(ombc_hist_min(&h), 1);
    assert_int_equal(ombc_hist_max(&h), 123456);
    /* Bucket 0 has size-1 ranges, so medians are the values themselves:
     * 1*1 + 2*3 + 1000*1 + 123456*1 = 124463 (each partial sum exact). */
    assert_true(ombc_hist_mean(&h) == 124463.0 / 6.0);
    /* Population variance = (n*sum(x^2) - sum(x)^2) / n^2
     *   = (6*15242383949 - 124463^2) / 36 = 75963265325 / 36. */
    double sd = sqrt(75963265325.0 / 36.0);
    assert_true(fabs(ombc_hist_stddev(&h) - sd) < 1e-9 * sd);
    /* getValueAtPercentile: target = max(1, ceil(q*6/100)) with q one ulp
     * below p; cumulative counts: value 1 -> 1, 2 -> 4, 1000 -> 5, 123456 -> 6. */
    assert_int_equal(ombc_hist_value_at_percentile(&h, 0.0), 1);   /* target 1 */
    assert_int_equal(ombc_hist_value_at_percentile(&h, 10.0), 1);  /* 0.6 -> 1 */
    assert_int_equal(ombc_hist_value_at_percentile(&h, 20.0), 2);  /* 1.2 -> 2 */
    assert_int_equal(ombc_hist_value_at_percentile(&h, 50.0), 2);  /* 3-eps -> 3 */
    assert_int_equal(ombc_hist_value_at_percentile(&h, 66.0), 2);  /* 3.96 -> 4 */
    assert_int_equal(ombc_hist_value_at_percentile(&h, 67.0), 1000);    /* 4.02 -> 5 */
    assert_int_equal(ombc_hist_value_at_percentile(&h, 83.0), 1000);    /* 4.98 -> 5 */
    assert_int_equal(ombc_hist_value_at_percentile(&h, 84.0), 123456);  /* 5.04 -> 6 */
    assert_int_equal(ombc_hist_value_at_percentile(&h, 99.0), 123456);  /* 5.94 -> 6 */
    assert_int_equal(ombc_hist_value_at_percentile(&h, 99.9), 123456);  /* 5.994 -> 6 */
    assert_int_equal(ombc_hist_value_at_percentile(&h, 100.0), 123456); /* 6-eps -> 6 */
    /* Out-of-range p is clamped to [0, 100]; only p == 0.0 itself picks lowest. */
    assert_int_equal(ombc_hist_value_at_percentile(&h, -5.0), 1);
    assert_int_equal(ombc_hist_value_at_percentile(&h, 250.0), 123456);
    ombc_hist_fini(&h);
}

static void test_percentile_nextafter(void **state) {
    (void)state;
    struct ombc_hist h;
    assert_int_equal(ombc_hist_init(&h, 1, PUB_H, 5), 0);
    rec(&h, 1);
    rec(&h, 2);
    /* p = 50 + 1 ulp (ulp at 50 is 2^-47): q = exactly 50, 50*2/100 = 1 -> value 1.
     * Without the one-ulp step down, p*2 = 100 + 2^-46 and /100 rounds to
     * 1 + 2^-52, whose ceil 2 would give value 2. */
    assert_int_equal(ombc_hist_value_at_percentile(&h, nextafter(50.0, INFINITY)), 1);
    assert_int_equal(ombc_hist_value_at_percentile(&h, 50.0), 1);      /* 1-eps -> 1 */
    assert_int_equal(ombc_hist_value_at_percentile(&h, 50.000001), 2); /* 1.00000002 -> 2 */
    ombc_hist_fini(&h);
}

static void test_percentile_0_and_100(void **state) {
    (void)state;
    struct ombc_hist h;
    assert_int_equal(ombc_hist_init(&h, 1, PUB_H, 5), 0);
    rec(&h, 59999800);
    rec(&h, 59999900);
    /* Both in the bucket [59999744, 59999999] (6.2 example): percentile 0 is its
     * lowest equivalent, any other percentile the highest; max is the same. */
    assert_int_equal(ombc_hist_value_at_percentile(&h, 0.0), 59999744);
    assert_int_equal(ombc_hist_value_at_percentile(&h, 50.0), 59999999);
    assert_int_equal(ombc_hist_value_at_percentile(&h, 100.0), 59999999);
    assert_int_equal(ombc_hist_value_at_percentile(&h, 100.0), ombc_hist_max(&h));
    assert_int_equal(ombc_hist_min(&h), 59999744);
    ombc_hist_fini(&h);
}

static void test_mean_median_equivalent(void **state) {
    (void)state;
    struct ombc_hist h;
    assert_int_equal(ombc_hist_init(&h, 1, PUB_H, 5), 0);
    rec(&h, 300000);
    rec(&h, 59999999);
    /* medians 300001 and 59999872 (6.2): (300001 + 59999872) / 2 = 60299873 / 2. */
    assert_true(ombc_hist_mean(&h) == 30149936.5);
    /* deviations +-29849935.5 -> stddev 29849935.5 */
    assert_true(fabs(ombc_hist_stddev(&h) - 29849935.5) < 1e-6);
    ombc_hist_fini(&h);
}

static void test_stddev_simple(void **state) {
    (void)state;
    struct ombc_hist h;
    assert_int_equal(ombc_hist_init(&h, 1, PUB_H, 5), 0);
    rec(&h, 2);
    rec(&h, 4);
    /* mean 3; deviations -1, 1 -> sum 2 / 2 = 1 -> sqrt 1, all exact. */
    assert_true(ombc_hist_mean(&h) == 3.0);
    assert_true(ombc_hist_stddev(&h) == 1.0);
    /* One value: deviation 0. */
    ombc_hist_reset(&h);
    rec_n(&h, 77, 5);
    assert_true(ombc_hist_mean(&h) == 77.0);
    assert_true(ombc_hist_stddev(&h) == 0.0);
    ombc_hist_fini(&h);
}

static void test_empty(void **state) {
    (void)state;
    struct ombc_hist h;
    assert_int_equal(ombc_hist_init(&h, 1, PUB_H, 5), 0);
    assert_int_equal(ombc_hist_total(&h), 0);
    assert_int_equal(ombc_hist_min(&h), 0);
    assert_int_equal(ombc_hist_max(&h), 0);
    assert_true(ombc_hist_mean(&h) == 0.0);
    assert_true(ombc_hist_stddev(&h) == 0.0);
    assert_int_equal(ombc_hist_value_at_percentile(&h, 0.0), 0);
    assert_int_equal(ombc_hist_value_at_percentile(&h, 50.0), 0);
    assert_int_equal(ombc_hist_value_at_percentile(&h, 100.0), 0);
    struct ombc_hist_pct_iter it;
    ombc_hist_pct_iter_init(&it, &h, 100);
    assert_false(ombc_hist_pct_iter_next(&it));
    assert_false(ombc_hist_pct_iter_next(&it));
    ombc_hist_fini(&h);
}

/* ---- external memory and recalc ---- */

static void test_init_at_recalc(void **state) {
    (void)state;
    /* (1, 1e7, 1): subBucketCount 32, so 0..31 are index = value; 100 has 7 bits
     * -> bucket 59-57 = 2, sub-bucket 25, index (3<<4) + 25 - 16 = 57, range
     * [100, 103], median 100 + (4>>1) = 102. */
    size_t bytes = ombc_hist_counts_bytes(1, 10000000, 1);
    assert_int_equal(bytes, 336 * 8);
    int64_t *mem = calloc(1, bytes);
    assert_non_null(mem);
    mem[5] = 2;
    mem[57] = 3;
    struct ombc_hist h;
    assert_int_equal(ombc_hist_init_at(&h, 1, 10000000, 1, mem), 0);
    assert_false(h.owns_counts);
    assert_ptr_equal(h.counts, mem);
    /* Not cleared; derived values start empty until recalc. */
    assert_int_equal(mem[5], 2);
    assert_int_equal(ombc_hist_total(&h), 0);
    assert_int_equal(ombc_hist_index_of(&h, 100), 57);
    ombc_hist_recalc(&h);
    assert_int_equal(ombc_hist_total(&h), 5);
    assert_int_equal(ombc_hist_min(&h), 5);
    assert_int_equal(ombc_hist_max(&h), 103); /* highestEquivalent(valueFromIndex(57)) */
    /* (5*2 + 102*3) / 5 = 316 / 5 */
    assert_true(ombc_hist_mean(&h) == 316.0 / 5.0);
    /* Only positive counts count; index 0 never sets the non-zero minimum. */
    mem[10] = -1;
    mem[0] = 4;
    ombc_hist_recalc(&h);
    assert_int_equal(ombc_hist_total(&h), 9);
    assert_int_equal(ombc_hist_min(&h), 0);
    assert_int_equal(h.min_nonzero, 5);
    mem[10] = 0;
    /* Recording goes to the caller's memory. */
    rec(&h, 100);
    assert_int_equal(mem[57], 4);
    /* All zero -> empty. */
    memset(mem, 0, bytes);
    ombc_hist_recalc(&h);
    assert_int_equal(ombc_hist_total(&h), 0);
    assert_int_equal(h.max_raw, 0);
    assert_int_equal(h.min_nonzero, INT64_MAX);
    ombc_hist_fini(&h); /* must not free mem */
    free(mem);
}

/* ---- add / subtract / copy ---- */

static void test_add_identical(void **state) {
    (void)state;
    struct ombc_hist a, b, e;
    assert_int_equal(ombc_hist_init(&a, 1, PUB_H, 5), 0);
    /* 62e6 also needs 9 buckets (262144<<7 <= 62e6 < 262144<<8): the same
     * layout as 60e6, so counts are added index by index. */
    assert_int_equal(ombc_hist_init(&b, 1, 62000000, 5), 0);
    assert_int_equal(b.bucket_count, a.bucket_count);
    assert_int_equal(ombc_hist_init(&e, 1, PUB_H, 5), 0);
    rec(&a, 1);
    rec(&a, 300000);
    rec_n(&b, 2, 2);
    rec(&b, 59999999);
    assert_int_equal(ombc_hist_add(&a, &b), 0);
    assert_int_equal(ombc_hist_total(&a), 5);
    assert_int_equal(sum_counts(&a), 5);
    assert_int_equal(a.counts[1], 1);
    assert_int_equal(a.counts[2], 2);
    assert_int_equal(a.counts[281072], 1);
    assert_int_equal(a.counts[1282950], 1);
    assert_int_equal(ombc_hist_min(&a), 1);
    assert_int_equal(ombc_hist_max(&a), 59999999);
    /* src untouched */
    assert_int_equal(ombc_hist_total(&b), 3);
    assert_int_equal(ombc_hist_min(&b), 2);
    /* Into an empty histogram: takes src's min and max. */
    assert_int_equal(ombc_hist_add(&e, &b), 0);
    assert_int_equal(ombc_hist_total(&e), 3);
    assert_int_equal(ombc_hist_min(&e), 2);
    assert_int_equal(ombc_hist_max(&e), 59999999);
    /* Adding an empty histogram changes nothing. */
    ombc_hist_reset(&b);
    assert_int_equal(ombc_hist_add(&a, &b), 0);
    assert_int_equal(ombc_hist_total(&a), 5);
    assert_int_equal(ombc_hist_min(&a), 1);
    assert_int_equal(ombc_hist_max(&a), 59999999);
    /* Empty into empty stays empty. */
    ombc_hist_reset(&e);
    assert_int_equal(ombc_hist_add(&e, &b), 0);
    assert_int_equal(ombc_hist_total(&e), 0);
    assert_int_equal(e.max_raw, 0);
    assert_int_equal(e.min_nonzero, INT64_MAX);
    ombc_hist_fini(&a);
    ombc_hist_fini(&b);
    ombc_hist_fini(&e);
}

static void test_add_different_layouts(void **state) {
    (void)state;
    struct ombc_hist dst, src;
    assert_int_equal(ombc_hist_init(&dst, 1, PUB_H, 5), 0);
    assert_int_equal(ombc_hist_init(&src, 1, 3600000000LL, 3), 0);
    rec(&dst, 7);
    /* In src (d = 3, leadingZeroCountBase 53) each non-zero bucket is re-recorded
     * into dst at its lowest value:
     *  5001: 13 bits -> bucket 2, sub-bucket 1250 -> value 5000;
     *  65e6: 26 bits -> bucket 15, sub-bucket 1983 -> 64978944 (fits dst: <= 67108863);
     *  1e8:  27 bits -> bucket 16, sub-bucket 1525 -> 99942400 (beyond dst: dropped). */
    rec(&src, 5001);
    rec_n(&src, 65000000, 2);
    rec_n(&src, 100000000, 3);
    assert_int_equal(ombc_hist_add(&dst, &src), 3);
    assert_int_equal(ombc_hist_total(&dst), 4);
    assert_int_equal(sum_counts(&dst), 4);
    assert_int_equal(count_at(&dst, 7), 1);
    assert_int_equal(count_at(&dst, 5000), 1);
    assert_int_equal(count_at(&dst, 5001), 0);
    assert_int_equal(count_at(&dst, 64978944), 2);
    /* 64978944 in dst: bucket 8 (size 256), 64978944 = 253824*256 -> highest
     * equivalent 64978944 + 255 = 64979199. */
    assert_int_equal(ombc_hist_max(&dst), 64979199);
    assert_int_equal(ombc_hist_min(&dst), 7);
    /* src untouched */
    assert_int_equal(ombc_hist_total(&src), 6);
    /* Nothing out of range: 0 dropped. */
    ombc_hist_reset(&src);
    rec(&src, 3);
    assert_int_equal(ombc_hist_add(&dst, &src), 0);
    assert_int_equal(ombc_hist_total(&dst), 5);
    assert_int_equal(ombc_hist_min(&dst), 3);
    ombc_hist_fini(&dst);
    ombc_hist_fini(&src);
}

static void test_subtract(void **state) {
    (void)state;
    struct ombc_hist a, b, c;
    assert_int_equal(ombc_hist_init(&a, 1, PUB_H, 5), 0);
    assert_int_equal(ombc_hist_init(&b, 1, PUB_H, 5), 0);
    rec_n(&a, 1, 3);
    rec_n(&a, 300000, 2);
    rec(&b, 1);
    rec_n(&b, 300001, 2); /* same bucket as 300000 */
    /* {1 x3, 300000 x2} - {1, 300000 x2} = {1 x2}: min and max re-derived. */
    assert_int_equal(ombc_hist_subtract(&a, &b), 0);
    assert_int_equal(ombc_hist_total(&a), 2);
    assert_int_equal(a.counts[1], 2);
    assert_int_equal(a.counts[281072], 0);
    assert_int_equal(ombc_hist_min(&a), 1);
    assert_int_equal(ombc_hist_max(&a), 1);
    assert_int_equal(ombc_hist_total(&b), 3);

    /* src count above dst's: EINVAL, dst unchanged. */
    ombc_hist_reset(&b);
    rec_n(&b, 1, 4);
    assert_int_equal(ombc_hist_subtract(&a, &b), OMBC_EINVAL);
    assert_int_equal(a.counts[1], 2);
    assert_int_equal(ombc_hist_total(&a), 2);
    /* Also when an earlier index alone would have been fine (all checked first). */
    ombc_hist_reset(&b);
    rec(&b, 1);
    rec(&b, 500);
    assert_int_equal(ombc_hist_subtract(&a, &b), OMBC_EINVAL);
    assert_int_equal(a.counts[1], 2);
    assert_int_equal(a.counts[500], 0);
    assert_int_equal(ombc_hist_total(&a), 2);
    assert_int_equal(ombc_hist_min(&a), 1);
    assert_int_equal(ombc_hist_max(&a), 1);

    /* Layout mismatch: EINVAL, dst unchanged. */
    assert_int_equal(ombc_hist_init(&c, 1, 10000000, 1), 0);
    rec(&c, 1);
    assert_int_equal(ombc_hist_subtract(&a, &c), OMBC_EINVAL);
    assert_int_equal(ombc_hist_total(&a), 2);
    assert_int_equal(a.counts[1], 2);

    /* Subtracting itself empties it. */
    assert_int_equal(ombc_hist_subtract(&a, &a), 0);
    assert_int_equal(ombc_hist_total(&a), 0);
    assert_int_equal(ombc_hist_max(&a), 0);
    assert_int_equal(sum_counts(&a), 0);
    ombc_hist_fini(&a);
    ombc_hist_fini(&b);
    ombc_hist_fini(&c);
}

static void test_copy(void **state) {
    (void)state;
    struct ombc_hist a, b, c;
    make_example(&a);
    assert_int_equal(ombc_hist_init(&b, 1, 62000000, 5), 0); /* same layout */
    rec(&b, 777);
    assert_int_equal(ombc_hist_copy(&b, &a), 0);
    assert_int_equal(ombc_hist_total(&b), 6);
    assert_int_equal(ombc_hist_min(&b), 1);
    assert_int_equal(ombc_hist_max(&b), 123456);
    assert_int_equal(count_at(&b, 777), 0);
    assert_memory_equal(b.counts, a.counts, (size_t)a.counts_len * sizeof(int64_t));
    assert_true(ombc_hist_mean(&b) == ombc_hist_mean(&a));
    assert_int_equal(b.highest, 62000000); /* dst keeps its own parameters */
    assert_int_equal(ombc_hist_copy(&a, &a), 0);
    assert_int_equal(ombc_hist_total(&a), 6);
    /* Layout mismatch: EINVAL, dst unchanged. */
    assert_int_equal(ombc_hist_init(&c, 1, 10000000, 1), 0);
    rec(&c, 3);
    assert_int_equal(ombc_hist_copy(&c, &a), OMBC_EINVAL);
    assert_int_equal(ombc_hist_total(&c), 1);
    assert_int_equal(count_at(&c, 3), 1);
    ombc_hist_fini(&a);
    ombc_hist_fini(&b);
    ombc_hist_fini(&c);
}

/* ---- 6.6 percentile iteration ---- */

static void expect_step(struct ombc_hist_pct_iter *it, int64_t value, double pct, double level) {
    assert_true(ombc_hist_pct_iter_next(it));
    assert_int_equal(it->value, value);
    assert_true(it->percentile == pct);
    assert_true(it->percentile_level == level);
}

static void test_pct_iter_one_tick(void **state) {
    (void)state;
    struct ombc_hist h;
    assert_int_equal(ombc_hist_init(&h, 1, PUB_H, 5), 0);
    rec(&h, 1);
    rec(&h, 2);
    rec(&h, 3);
    rec(&h, 300000);
    /* ticksPerHalfDistance 1, total 4; the level advances by 100 / (1 * 2^e),
     * e = (long)log2(100 / (100 - level)) + 1:
     *  level 0:    e = 1 -> +50   -> 50
     *  level 50:   e = 2 -> +25   -> 75
     *  level 75:   e = 3 -> +12.5 -> 87.5
     * Steps: 1 (25% >= 0); 2 (50% >= 50); 3 (75% >= 75); 300000's bucket
     * [300000, 300001] (100% >= 87.5), where cum == total; then the extra
     * step at level 100 on the same bucket. */
    struct ombc_hist_pct_iter it;
    ombc_hist_pct_iter_init(&it, &h, 1);
    expect_step(&it, 1, 25.0, 0.0);
    expect_step(&it, 2, 50.0, 50.0);
    expect_step(&it, 3, 75.0, 75.0);
    expect_step(&it, 300001, 100.0, 87.5);
    expect_step(&it, 300001, 100.0, 100.0);
    assert_false(ombc_hist_pct_iter_next(&it));
    assert_false(ombc_hist_pct_iter_next(&it));
    ombc_hist_fini(&h);
}

static void test_pct_iter_single_value(void **state) {
    (void)state;
    struct ombc_hist h;
    assert_int_equal(ombc_hist_init(&h, 1, PUB_H, 5), 0);
    rec_n(&h, 59999800, 3);
    /* One bucket [59999744, 59999999]: 100% >= level 0 and cum == total, so one
     * regular step at level 0, then the extra step at 100. */
    struct ombc_hist_pct_iter it;
    ombc_hist_pct_iter_init(&it, &h, 100);
    expect_step(&it, 59999999, 100.0, 0.0);
    expect_step(&it, 59999999, 100.0, 100.0);
    assert_false(ombc_hist_pct_iter_next(&it));
    ombc_hist_fini(&h);
}

/* Tick size for ticksPerHalfDistance 100, from 6.6: 100 / (100 * 2^e) with
 * e = 1 below 50 %, 2 in [50, 75), 3 in [75, 87.5). */
static double tick100(double level) {
    if (level < 50.0)
        return 0.5;
    if (level < 75.0)
        return 0.25;
    assert_true(level < 87.5);
    return 0.125;
}

static void test_pct_iter_hundred_ticks(void **state) {
    (void)state;
    struct ombc_hist h;
    make_example(&h);
    /* The 6.4 histogram: cumulative percentiles 100*1/6 = 16.67 (value 1),
     * 100*4/6 = 66.67 (2), 100*5/6 = 83.33 (1000), 100 (123456). Each bucket
     * emits every tick level <= its percentile:
     *   value 1:      0, 0.5, ..., 16.5                  -> 34 steps
     *   value 2:      17.0 ... 50.0 (67), 50.25 ... 66.5 (66) -> 133 steps
     *   value 1000:   66.75 ... 75.0 (34), 75.125 ... 83.25 (66) -> 100 steps
     *   value 123456: 83.375 (cum == total)               -> 1 step
     *   extra step:   level 100.0, percentile 100.0, value 123456. */
    static const int64_t values[4] = {1, 2, 1000, 123456};
    static const int64_t cums[4] = {1, 4, 5, 6};
    static const int steps[4] = {34, 133, 100, 1};
    struct ombc_hist_pct_iter it;
    ombc_hist_pct_iter_init(&it, &h, 100);
    double level = 0.0;
    for (int k = 0; k < 4; k++) {
        double pct = (100.0 * (double)cums[k]) / 6.0;
        for (int s = 0; s < steps[k]; s++) {
            assert_true(level <= pct);
            expect_step(&it, values[k], pct, level);
            if (cums[k] < 6)
                level += tick100(level);
        }
        assert_true(cums[k] == 6 || level > pct);
    }
    assert_true(level == 83.375);
    expect_step(&it, 123456, 100.0, 100.0);
    assert_true(it.percentile == 100.0);
    assert_false(ombc_hist_pct_iter_next(&it));
    ombc_hist_fini(&h);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout_publish),
        cmocka_unit_test(test_layout_e2e),
        cmocka_unit_test(test_layout_rates),
        cmocka_unit_test(test_layout_3600s),
        cmocka_unit_test(test_sub_bucket_magnitudes),
        cmocka_unit_test(test_invalid_params),
        cmocka_unit_test(test_index_examples),
        cmocka_unit_test(test_record_out_of_range),
        cmocka_unit_test(test_record_n),
        cmocka_unit_test(test_reset),
        cmocka_unit_test(test_min_max),
        cmocka_unit_test(test_worked_example),
        cmocka_unit_test(test_percentile_nextafter),
        cmocka_unit_test(test_percentile_0_and_100),
        cmocka_unit_test(test_mean_median_equivalent),
        cmocka_unit_test(test_stddev_simple),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_init_at_recalc),
        cmocka_unit_test(test_add_identical),
        cmocka_unit_test(test_add_different_layouts),
        cmocka_unit_test(test_subtract),
        cmocka_unit_test(test_copy),
        cmocka_unit_test(test_pct_iter_one_tick),
        cmocka_unit_test(test_pct_iter_single_value),
        cmocka_unit_test(test_pct_iter_hundred_ticks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
