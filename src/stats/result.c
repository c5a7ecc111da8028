/*
 * result: the in-memory TestResult of one run (OMB-REFERENCE.md 5.1/5.2).
 * Owns the per-period samples, the aggregated statistics and the quantile
 * maps (OMB's three latencies and ombc's publish response time), all in
 * microseconds; unit conversion and formatting are report.c's.
 * Reads histograms through the hdr.h API only and does no I/O. Called from
 * the coordinator's reporting loop; no locking (one owner per result).
 */
#include "stats/result.h"

#include <stdlib.h>
#include <string.h>

#include "core/err.h"

void ombc_latency_stats_of(struct ombc_latency_stats *s, const struct ombc_hist *h) {
    s->avg = ombc_hist_mean(h);
    s->p50 = ombc_hist_value_at_percentile(h, 50.0);
    s->p75 = ombc_hist_value_at_percentile(h, 75.0);
    s->p95 = ombc_hist_value_at_percentile(h, 95.0);
    s->p99 = ombc_hist_value_at_percentile(h, 99.0);
    s->p999 = ombc_hist_value_at_percentile(h, 99.9);
    s->p9999 = ombc_hist_value_at_percentile(h, 99.99);
    s->max = ombc_hist_max(h);
    s->count = ombc_hist_total(h);
}

const char *ombc_consumer_verdict_name(enum ombc_consumer_verdict v) {
    switch (v) {
    case OMBC_CONSUMERS_NOTHING: return "receivedNothing";
    case OMBC_CONSUMERS_FELL_BEHIND: return "fellBehind";
    default: return NULL;
    }
}

#define FELL_BEHIND_PERIODS 3

enum ombc_consumer_verdict ombc_result_judge_consumers(struct ombc_result *r,
                                                       int subscriptions_per_topic) {
    r->consumers = OMBC_CONSUMERS_OK;
    size_t n = r->period_count;
    if (subscriptions_per_topic <= 0 || n == 0)
        return r->consumers;
    bool received = false;
    for (size_t i = 0; i < n; i++)
        received = received || r->periods[i].consume_rate > 0;
    /* falling behind without recovering: the backlog grew in each of the
     * last FELL_BEHIND_PERIODS periods (a rebalance or a pause grows it
     * for one), ending above a second of consumption, and a delivery check,
     * if any, did not see every message arrive after all */
    size_t k = n < FELL_BEHIND_PERIODS ? n : FELL_BEHIND_PERIODS;
    bool growing = true;
    for (size_t i = n - k; i < n; i++)
        growing = growing && r->periods[i].backlog > (i > 0 ? r->periods[i - 1].backlog : 0);
    const struct ombc_period_sample *last = &r->periods[n - 1];
    bool recovered = r->delivery.checked && r->delivery.received >= r->delivery.expected;
    if (!received)
        r->consumers = OMBC_CONSUMERS_NOTHING;
    else if (growing && (double)last->backlog > last->consume_rate && !recovered)
        r->consumers = OMBC_CONSUMERS_FELL_BEHIND;
    return r->consumers;
}

/* Java TreeMap.put on a sorted array: overwrite an equal key, else insert in
 * order. The iteration yields non-decreasing keys, so this is almost always
 * an append or an overwrite of the last entry. */
static int map_put(struct ombc_quantile_map *m, size_t *cap, double key, int64_t value) {
    size_t lo = 0, hi = m->count;

    if (m->count > 0 && m->items[m->count - 1].percentile < key) {
        lo = m->count;
    } else {
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (m->items[mid].percentile < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if (lo < m->count && m->items[lo].percentile == key) {
            m->items[lo].value = value;
            return 0;
        }
    }
    if (m->count == *cap) {
        size_t ncap = *cap ? *cap * 2 : 64;
        struct ombc_quantile *n = realloc(m->items, ncap * sizeof(*n));
        if (!n) {
            return OMBC_ENOMEM;
        }
        m->items = n;
        *cap = ncap;
    }
    memmove(&m->items[lo + 1], &m->items[lo], (m->count - lo) * sizeof(m->items[0]));
    m->items[lo].percentile = key;
    m->items[lo].value = value;
    m->count++;
    return 0;
}

int ombc_quantile_map_of(struct ombc_quantile_map *m, const struct ombc_hist *h) {
    struct ombc_hist_pct_iter it;
    size_t cap = 0;

    m->items = NULL;
    m->count = 0;
    ombc_hist_pct_iter_init(&it, h, 100);
    while (ombc_hist_pct_iter_next(&it)) {
        if (map_put(m, &cap, it.percentile, it.value) != 0) {
            ombc_quantile_map_fini(m);
            return OMBC_ENOMEM;
        }
    }
    return 0;
}

void ombc_quantile_map_fini(struct ombc_quantile_map *m) {
    free(m->items);
    m->items = NULL;
    m->count = 0;
}

static int dup_str(char **dst, const char *s) {
    size_t n;

    *dst = NULL;
    if (!s) {
        return 0;
    }
    n = strlen(s) + 1;
    *dst = malloc(n);
    if (!*dst) {
        return OMBC_ENOMEM;
    }
    memcpy(*dst, s, n);
    return 0;
}

int ombc_settings_add(struct ombc_settings *s, const char *key, const char *value, bool raw) {
    if (s->count == s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 16;
        struct ombc_setting *n = realloc(s->items, ncap * sizeof(*n));
        if (!n)
            return OMBC_ENOMEM;
        s->items = n;
        s->cap = ncap;
    }
    struct ombc_setting *e = &s->items[s->count];
    e->key = strdup(key);
    e->value = value ? strdup(value) : NULL;
    e->raw = raw || !value;
    if (!e->key || (value && !e->value)) {
        free(e->key);
        free(e->value);
        return OMBC_ENOMEM;
    }
    s->count++;
    return 0;
}

void ombc_settings_fini(struct ombc_settings *s) {
    for (size_t i = 0; i < s->count; i++) {
        free(s->items[i].key);
        free(s->items[i].value);
    }
    free(s->items);
    memset(s, 0, sizeof(*s));
}

static void run_info_fini(struct ombc_run_info *info) {
    free(info->ombc_version);
    free(info->client_version);
    free(info->cpu_model);
    free(info->kernel);
    ombc_settings_fini(&info->workload);
    ombc_settings_fini(&info->driver);
}

int ombc_result_init(struct ombc_result *r, const char *workload, const char *driver) {
    memset(r, 0, sizeof(*r));
    if (dup_str(&r->workload, workload) != 0 || dup_str(&r->driver, driver) != 0) {
        ombc_result_fini(r);
        return OMBC_ENOMEM;
    }
    return 0;
}

int ombc_result_add_period(struct ombc_result *r, const struct ombc_period_sample *s) {
    if (r->period_count == r->period_cap) {
        size_t ncap = r->period_cap ? r->period_cap * 2 : 16;
        struct ombc_period_sample *n = realloc(r->periods, ncap * sizeof(*n));
        if (!n) {
            return OMBC_ENOMEM;
        }
        r->periods = n;
        r->period_cap = ncap;
    }
    r->periods[r->period_count++] = *s;
    return 0;
}

int ombc_result_set_aggregated(struct ombc_result *r, const struct ombc_hist *publish_latency,
                               const struct ombc_hist *publish_delay,
                               const struct ombc_hist *end_to_end,
                               const struct ombc_hist *publish_response) {
    const struct ombc_hist *h[4] = {publish_latency, publish_delay, end_to_end, publish_response};
    struct ombc_quantile_map *dst[4] = {&r->publish_latency_quantiles,
                                        &r->publish_delay_quantiles, &r->end_to_end_quantiles,
                                        &r->publish_response_quantiles};
    struct ombc_quantile_map maps[4];

    /* All maps first, so that running out of memory leaves r as it was. */
    for (int i = 0; i < 4; i++) {
        if (ombc_quantile_map_of(&maps[i], h[i]) != 0) {
            while (i-- > 0) {
                ombc_quantile_map_fini(&maps[i]);
            }
            return OMBC_ENOMEM;
        }
    }
    ombc_latency_stats_of(&r->agg_publish_latency, publish_latency);
    ombc_latency_stats_of(&r->agg_publish_delay, publish_delay);
    ombc_latency_stats_of(&r->agg_end_to_end, end_to_end);
    ombc_latency_stats_of(&r->agg_publish_response, publish_response);
    for (int i = 0; i < 4; i++) {
        ombc_quantile_map_fini(dst[i]);
        *dst[i] = maps[i];
    }
    return 0;
}

void ombc_result_fini(struct ombc_result *r) {
    free(r->workload);
    free(r->driver);
    free(r->periods);
    ombc_quantile_map_fini(&r->publish_latency_quantiles);
    ombc_quantile_map_fini(&r->publish_delay_quantiles);
    ombc_quantile_map_fini(&r->end_to_end_quantiles);
    ombc_quantile_map_fini(&r->publish_response_quantiles);
    run_info_fini(&r->info);
    memset(r, 0, sizeof(*r));
}
