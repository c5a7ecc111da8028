/*
 * result_read: a result JSON file into struct ombc_result_figures, for
 * `ombc chart` and `ombc compare`. Owns which fields they use and how a
 * missing or odd one is read: Jackson writes a non-finite double as the
 * string "NaN" or "Infinity", which reads as that number; null and absent
 * fields read as empty. The headline throughputs are derived here (mean of
 * the period rates, and with messageSize the MB/s of OMB's period line), so
 * the chart and compare show the same figures. Stateless; any thread.
 */
#include "report/result_read.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/err.h"
#include "core/file.h"

static const struct ombc_headline_info HEADLINES[OMBC_H_COUNT] = {
    [OMBC_H_PUBLISH_RATE] = {"Publish rate", "msg/s", "publishRate", 1},
    [OMBC_H_PUBLISH_MBS] = {"Publish throughput", "MB/s", "publishRate,messageSize", 2},
    [OMBC_H_CONSUME_RATE] = {"Consume rate", "msg/s", "consumeRate", 1},
    [OMBC_H_CONSUME_MBS] = {"Consume throughput", "MB/s", "consumeRate,messageSize", 2},
    [OMBC_H_PUB_LATENCY_P50] = {"Publish latency p50", "ms", "aggregatedPublishLatency50pct", 3},
    [OMBC_H_PUB_LATENCY_P99] = {"Publish latency p99", "ms", "aggregatedPublishLatency99pct", 3},
    [OMBC_H_PUB_LATENCY_P999] = {"Publish latency p99.9", "ms", "aggregatedPublishLatency999pct",
                                 3},
    [OMBC_H_PUB_LATENCY_MAX] = {"Publish latency max", "ms", "aggregatedPublishLatencyMax", 3},
    [OMBC_H_PUB_DELAY_P50] = {"Publish delay p50", "us", "aggregatedPublishDelayLatency50pct", 0},
    [OMBC_H_PUB_DELAY_P99] = {"Publish delay p99", "us", "aggregatedPublishDelayLatency99pct", 0},
    [OMBC_H_E2E_P50] = {"End-to-end latency p50", "ms", "aggregatedEndToEndLatency50pct", 3},
    [OMBC_H_E2E_P99] = {"End-to-end latency p99", "ms", "aggregatedEndToEndLatency99pct", 3},
    [OMBC_H_E2E_MAX] = {"End-to-end latency max", "ms", "aggregatedEndToEndLatencyMax", 3},
    [OMBC_H_RESPONSE_P99] = {"Publish response time p99", "ms",
                             "aggregatedPublishResponseTime99pct", 3},
};

static const char *const PERIOD_FIELDS[OMBC_P_COUNT] = {
    [OMBC_P_PUBLISH_RATE] = "publishRate",
    [OMBC_P_CONSUME_RATE] = "consumeRate",
    [OMBC_P_BACKLOG] = "backlog",
    [OMBC_P_PUBLISH_LATENCY_P99] = "publishLatency99pct",
};

static const char *const QUANTILE_FIELDS[OMBC_Q_COUNT] = {
    [OMBC_Q_PUBLISH_LATENCY] = "aggregatedPublishLatencyQuantiles",
    [OMBC_Q_PUBLISH_DELAY] = "aggregatedPublishDelayLatencyQuantiles",
    [OMBC_Q_END_TO_END] = "aggregatedEndToEndLatencyQuantiles",
    [OMBC_Q_PUBLISH_RESPONSE] = "aggregatedPublishResponseTimeQuantiles",
};

const struct ombc_headline_info *ombc_headline_info(enum ombc_headline h) {
    return h < OMBC_H_COUNT ? &HEADLINES[h] : NULL;
}

const char *ombc_period_field(enum ombc_period_kind k) {
    return k < OMBC_P_COUNT ? PERIOD_FIELDS[k] : NULL;
}

const char *ombc_quantile_field(enum ombc_quantile_kind k) {
    return k < OMBC_Q_COUNT ? QUANTILE_FIELDS[k] : NULL;
}

/* ---- values ---- */

/* A JSON value as a double: a number; Jackson's "NaN", "Infinity",
 * "-Infinity"; null as NAN. @return false for anything else. */
static bool number_of(const cJSON *item, double *out) {
    if (cJSON_IsNumber(item)) {
        *out = item->valuedouble;
        return true;
    }
    if (cJSON_IsNull(item)) {
        *out = NAN;
        return true;
    }
    if (cJSON_IsString(item)) {
        const char *s = item->valuestring;
        if (strcmp(s, "NaN") == 0) {
            *out = NAN;
            return true;
        }
        if (strcmp(s, "Infinity") == 0 || strcmp(s, "-Infinity") == 0) {
            *out = s[0] == '-' ? -INFINITY : INFINITY;
            return true;
        }
    }
    return false;
}

/* Scalar field key of root into *out (NAN when absent). */
static int scalar(const cJSON *root, const char *key, double *out, const char *path, char *errstr,
                  size_t errstr_size) {
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(root, key);
    *out = NAN;
    if (!item)
        return 0;
    if (!number_of(item, out))
        return ombc_errf(errstr, errstr_size, OMBC_EPARSE, "%s: \"%s\" is not a number", path, key);
    return 0;
}

static int string_field(const cJSON *root, const char *key, char **out, const char *path,
                        char *errstr, size_t errstr_size) {
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(root, key);
    *out = NULL;
    if (!item || cJSON_IsNull(item))
        return 0;
    if (!cJSON_IsString(item))
        return ombc_errf(errstr, errstr_size, OMBC_EPARSE, "%s: \"%s\" is not a string", path, key);
    *out = strdup(item->valuestring);
    if (!*out)
        return ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "%s: out of memory", path);
    return 0;
}

static int number_list(const cJSON *root, const char *key, struct ombc_number_list *out,
                       const char *path, char *errstr, size_t errstr_size) {
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, key);
    if (!arr || cJSON_IsNull(arr))
        return 0;
    if (!cJSON_IsArray(arr))
        return ombc_errf(errstr, errstr_size, OMBC_EPARSE, "%s: \"%s\" is not a list", path, key);
    int n = cJSON_GetArraySize(arr);
    if (n == 0)
        return 0;
    out->v = malloc((size_t)n * sizeof(*out->v));
    if (!out->v)
        return ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "%s: out of memory", path);
    const cJSON *item;
    cJSON_ArrayForEach(item, arr) {
        if (!number_of(item, &out->v[out->n]))
            return ombc_errf(errstr, errstr_size, OMBC_EPARSE, "%s: %s[%zu] is not a number", path,
                             key, out->n);
        out->n++;
    }
    return 0;
}

/* The map's keys are Java Double.toString of percentiles ("99.9", "1.0E-4"). */
static int quantile_map(const cJSON *root, const char *key, struct ombc_quantile_list *out,
                        const char *path, char *errstr, size_t errstr_size) {
    const cJSON *obj = cJSON_GetObjectItemCaseSensitive(root, key);
    if (!obj || cJSON_IsNull(obj))
        return 0;
    if (!cJSON_IsObject(obj))
        return ombc_errf(errstr, errstr_size, OMBC_EPARSE, "%s: \"%s\" is not an object", path,
                         key);
    int n = cJSON_GetArraySize(obj);
    if (n == 0)
        return 0;
    out->pct = malloc((size_t)n * sizeof(*out->pct));
    out->value = malloc((size_t)n * sizeof(*out->value));
    if (!out->pct || !out->value)
        return ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "%s: out of memory", path);
    const cJSON *item;
    cJSON_ArrayForEach(item, obj) {
        char *end = NULL;
        errno = 0;
        double p = item->string ? strtod(item->string, &end) : NAN;
        if (!item->string || end == item->string || *end != '\0' || errno == ERANGE ||
            !(p >= 0.0 && p <= 100.0))
            return ombc_errf(errstr, errstr_size, OMBC_EPARSE,
                             "%s: %s: key \"%s\" is not a percentile (0 to 100)", path, key,
                             item->string ? item->string : "");
        double v;
        if (!number_of(item, &v))
            return ombc_errf(errstr, errstr_size, OMBC_EPARSE, "%s: %s[\"%s\"] is not a number",
                             path, key, item->string);
        /* Insert in ascending order: OMB writes them sorted, so this is
         * normally an append. */
        size_t i = out->n;
        while (i > 0 && out->pct[i - 1] > p) {
            out->pct[i] = out->pct[i - 1];
            out->value[i] = out->value[i - 1];
            i--;
        }
        out->pct[i] = p;
        out->value[i] = v;
        out->n++;
    }
    return 0;
}

/* ---- derived figures ---- */

static double mean_of(const struct ombc_number_list *l) {
    double sum = 0;
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (isfinite(l->v[i])) {
            sum += l->v[i];
            n++;
        }
    }
    return n ? sum / (double)n : NAN;
}

/* The measured phase's length in seconds: ombc's testDurationSeconds over
 * OMB's testDurationMinutes, at the top level or in an object one level down
 * (the workload as run). NAN when neither is there, and when the workload
 * built a backlog: its measured phase also holds the build and the drain. */
static double test_duration_s(const cJSON *obj, int depth) {
    static const char *const backlog_keys[] = {"consumerBacklogSizeGB", "consumerBacklogSizeMB"};
    for (size_t i = 0; i < sizeof(backlog_keys) / sizeof(backlog_keys[0]); i++) {
        const cJSON *b = cJSON_GetObjectItemCaseSensitive(obj, backlog_keys[i]);
        if (cJSON_IsNumber(b) && b->valuedouble > 0)
            return NAN;
    }
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(obj, "testDurationSeconds");
    if (cJSON_IsNumber(s) && s->valuedouble > 0)
        return s->valuedouble;
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(obj, "testDurationMinutes");
    if (cJSON_IsNumber(m) && m->valuedouble > 0)
        return m->valuedouble * 60.0;
    if (depth > 0) {
        const cJSON *child;
        cJSON_ArrayForEach(child, obj) {
            if (cJSON_IsObject(child)) {
                double d = test_duration_s(child, depth - 1);
                if (!isnan(d))
                    return d;
            }
        }
    }
    return NAN;
}

static int read_interval(const cJSON *root, struct ombc_result_figures *f, char *errstr,
                         size_t errstr_size) {
    double recorded;
    int rc = scalar(root, "reportIntervalSeconds", &recorded, f->path, errstr, errstr_size);
    if (rc != 0)
        return rc;
    if (isfinite(recorded) && recorded > 0) {
        f->interval_s = recorded;
        f->interval_source = OMBC_INTERVAL_RECORDED;
        return 0;
    }
    size_t periods = 0;
    for (int k = 0; k < OMBC_P_COUNT; k++)
        if (f->period[k].n > periods)
            periods = f->period[k].n;
    /* A run cut short has fewer periods than its duration holds. */
    double d = f->incomplete ? NAN : test_duration_s(root, 1);
    if (isfinite(d) && periods > 0) {
        f->interval_s = d / (double)periods;
        f->interval_source = OMBC_INTERVAL_INFERRED;
        return 0;
    }
    f->interval_s = OMBC_RESULT_DEFAULT_INTERVAL_S;
    f->interval_source = OMBC_INTERVAL_ASSUMED;
    return 0;
}

/* True when root has at least one field of a result. */
static bool looks_like_result(const cJSON *root) {
    static const char *const keys[] = {"workload",    "driver",
                                       "messageSize", "publishRate",
                                       "consumeRate", "aggregatedPublishLatencyQuantiles"};
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        if (cJSON_GetObjectItemCaseSensitive(root, keys[i]))
            return true;
    return false;
}

static int read_root(const cJSON *root, struct ombc_result_figures *f, char *errstr,
                     size_t errstr_size) {
    const char *path = f->path;
    if (!cJSON_IsObject(root))
        return ombc_errf(errstr, errstr_size, OMBC_EPARSE,
                         "%s: not an OMB result: not a JSON object", path);
    if (!looks_like_result(root))
        return ombc_errf(errstr, errstr_size, OMBC_EPARSE,
                         "%s: not an OMB result: none of workload, driver, messageSize, "
                         "publishRate, consumeRate, aggregatedPublishLatencyQuantiles",
                         path);
    int rc = string_field(root, "workload", &f->workload, path, errstr, errstr_size);
    if (rc == 0)
        rc = string_field(root, "driver", &f->driver, path, errstr, errstr_size);
    if (rc == 0)
        rc = scalar(root, "messageSize", &f->message_size, path, errstr, errstr_size);
    if (rc == 0)
        rc = scalar(root, "topics", &f->topics, path, errstr, errstr_size);
    if (rc == 0)
        rc = scalar(root, "partitions", &f->partitions, path, errstr, errstr_size);
    if (rc == 0)
        rc = scalar(root, "producersPerTopic", &f->producers_per_topic, path, errstr, errstr_size);
    if (rc == 0)
        rc = scalar(root, "consumersPerTopic", &f->consumers_per_topic, path, errstr, errstr_size);
    for (int k = 0; rc == 0 && k < OMBC_P_COUNT; k++)
        rc = number_list(root, PERIOD_FIELDS[k], &f->period[k], path, errstr, errstr_size);
    for (int k = 0; rc == 0 && k < OMBC_Q_COUNT; k++)
        rc = quantile_map(root, QUANTILE_FIELDS[k], &f->quantiles[k], path, errstr, errstr_size);
    if (rc != 0)
        return rc;
    f->incomplete = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "incomplete"));
    rc = string_field(root, "consumerShortfall", &f->consumer_shortfall, path, errstr,
                      errstr_size);
    if (rc != 0)
        return rc;

    double publish = mean_of(&f->period[OMBC_P_PUBLISH_RATE]);
    double consume = mean_of(&f->period[OMBC_P_CONSUME_RATE]);
    f->headline[OMBC_H_PUBLISH_RATE] = publish;
    f->headline[OMBC_H_CONSUME_RATE] = consume;
    f->headline[OMBC_H_PUBLISH_MBS] = publish * f->message_size / 1048576.0;
    f->headline[OMBC_H_CONSUME_MBS] = consume * f->message_size / 1048576.0;
    for (int h = OMBC_H_PUB_LATENCY_P50; rc == 0 && h < OMBC_H_COUNT; h++)
        rc = scalar(root, HEADLINES[h].field, &f->headline[h], path, errstr, errstr_size);
    /* A latency with no samples is absent: ombc writes null, OMB the 0 of
     * an empty histogram; nothing published or consumed tells it there. */
    for (int h = OMBC_H_PUB_LATENCY_P50; h < OMBC_H_COUNT; h++) {
        bool e2e = h >= OMBC_H_E2E_P50 && h <= OMBC_H_E2E_MAX;
        double rate = e2e ? consume : publish;
        if (f->period[e2e ? OMBC_P_CONSUME_RATE : OMBC_P_PUBLISH_RATE].n > 0 && rate == 0 &&
            f->headline[h] == 0)
            f->headline[h] = NAN;
    }
    if (rc == 0)
        rc = read_interval(root, f, errstr, errstr_size);
    return rc;
}

int ombc_result_read_text(const char *name, const char *text, size_t len,
                          struct ombc_result_figures *out, char *errstr, size_t errstr_size) {
    memset(out, 0, sizeof(*out));
    out->path = strdup(name);
    if (!out->path)
        return ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "%s: out of memory", name);
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    int rc;
    if (!root) {
        size_t line = 1;
        for (const char *c = text; end && c < end && c < text + len; c++)
            line += *c == '\n';
        rc = ombc_errf(errstr, errstr_size, OMBC_EPARSE, "%s:%zu: not valid JSON", name, line);
    } else {
        rc = read_root(root, out, errstr, errstr_size);
        cJSON_Delete(root);
    }
    if (rc != 0)
        ombc_result_figures_fini(out);
    return rc;
}

int ombc_result_read(const char *path, struct ombc_result_figures *out, char *errstr,
                     size_t errstr_size) {
    memset(out, 0, sizeof(*out));
    char *text;
    size_t len;
    int rc = ombc_read_file(path, &text, &len, errstr, errstr_size);
    if (rc != 0)
        return rc;
    rc = ombc_result_read_text(path, text, len, out, errstr, errstr_size);
    free(text);
    return rc;
}

void ombc_result_figures_fini(struct ombc_result_figures *f) {
    if (!f)
        return;
    free(f->path);
    free(f->workload);
    free(f->driver);
    free(f->consumer_shortfall);
    for (int k = 0; k < OMBC_P_COUNT; k++)
        free(f->period[k].v);
    for (int k = 0; k < OMBC_Q_COUNT; k++) {
        free(f->quantiles[k].pct);
        free(f->quantiles[k].value);
    }
    memset(f, 0, sizeof(*f));
}
