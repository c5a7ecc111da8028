/*
 * workload: owns reading an OMB workload YAML file (OMB-REFERENCE.md section
 * 1) into struct ombc_workload: OMB's defaults, ombc's seconds extensions,
 * type and range checks with FILE:LINE:COL messages, OMB's own validation,
 * and warnings (with a "did you mean") for keys it does not know, which OMB
 * ignores. Payload files and the run itself are left to other modules; file
 * reading, document loading and value parsing are shared with driver_conf
 * through yaml_util. Called by the coordinator only, at start-up, from one
 * thread.
 */
#include "config/workload.h"

#include <ctype.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "config/yaml_util.h"
#include "core/err.h"
#include "core/log.h"

#define LOGGER "Workload"

enum kind {
    K_STR,     /* char *, NULL when absent */
    K_INT,     /* int in [0, INT_MAX] */
    K_LONG,    /* int64_t in [0, max] */
    K_BOOL,    /* bool */
    K_RATIO,   /* double in [0, 1] */
    K_KEYDIST, /* enum ombc_key_distributor */
};

struct field {
    const char *key;
    enum kind kind;
    size_t off;
    int64_t max; /* K_LONG only */
};

/* The longest seconds value: as long as the largest minutes value. */
#define MAX_SECONDS ((int64_t)INT_MAX * 60)

#define F(k, kind, member, max) {k, kind, offsetof(struct ombc_workload, member), max}
static const struct field fields[] = {
    F("name", K_STR, name, 0),
    F("topics", K_INT, topics, 0),
    F("partitionsPerTopic", K_INT, partitions_per_topic, 0),
    F("keyDistributor", K_KEYDIST, key_distributor, 0),
    F("messageSize", K_INT, message_size, 0),
    F("useRandomizedPayloads", K_BOOL, use_randomized_payloads, 0),
    F("randomBytesRatio", K_RATIO, random_bytes_ratio, 0),
    F("randomizedPayloadPoolSize", K_INT, randomized_payload_pool_size, 0),
    F("payloadFile", K_STR, payload_file, 0),
    F("subscriptionsPerTopic", K_INT, subscriptions_per_topic, 0),
    F("producersPerTopic", K_INT, producers_per_topic, 0),
    F("consumerPerSubscription", K_INT, consumer_per_subscription, 0),
    F("producerRate", K_INT, producer_rate, 0),
    F("consumerBacklogSizeGB", K_LONG, consumer_backlog_size_gb, INT64_MAX),
    F("consumerBacklogSizeMB", K_LONG, consumer_backlog_size_mb, INT64_MAX),
    F("backlogDrainRatio", K_RATIO, backlog_drain_ratio, 0),
    F("testDurationMinutes", K_INT, test_duration_minutes, 0),
    F("warmupDurationMinutes", K_INT, warmup_duration_minutes, 0),
    F("testDurationSeconds", K_LONG, test_duration_seconds, MAX_SECONDS),
    F("warmupDurationSeconds", K_LONG, warmup_duration_seconds, MAX_SECONDS),
};
#undef F
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

static const struct {
    const char *name;
    enum ombc_key_distributor value;
} key_distributors[] = {
    {"NO_KEY", OMBC_KEY_NO_KEY},
    {"KEY_ROUND_ROBIN", OMBC_KEY_ROUND_ROBIN},
    {"RANDOM_NANO", OMBC_KEY_RANDOM_NANO},
    {"ROUND_ROBIN", OMBC_KEY_ROUND_ROBIN}, /* alias */
    {"RANDOM", OMBC_KEY_RANDOM_NANO},      /* alias */
};

/* What one load needs to report errors. */
struct ctx {
    const char *path;
    char *errstr;
    size_t errstr_size;
};

/* Levenshtein distance, or 3 when it is certainly more than 2. */
static int distance(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    if (lb >= 64 || la > lb + 2 || lb > la + 2)
        return 3;
    int prev[64], cur[64];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            int del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
        memcpy(prev, cur, (lb + 1) * sizeof(int));
    }
    return prev[lb];
}

/* The known key closest to an unknown one (case-insensitive match first), or NULL. */
static const char *suggest(const char *key) {
    for (size_t i = 0; i < NFIELDS; i++)
        if (strcasecmp(key, fields[i].key) == 0)
            return fields[i].key;
    const char *best = NULL;
    int best_d = 3;
    for (size_t i = 0; i < NFIELDS; i++) {
        int d = distance(key, fields[i].key);
        if (d < best_d) {
            best_d = d;
            best = fields[i].key;
        }
    }
    return best;
}

/* Stores the scalar node n into the field f of w. */
static int set_field(const struct ctx *x, struct ombc_workload *w, const struct field *f,
                     const yaml_node_t *n) {
    int line = (int)n->start_mark.line + 1, col = (int)n->start_mark.column + 1;
    const char *v = (const char *)n->data.scalar.value;
    char *member = (char *)w + f->off;
    char shown[OMBC_YAML_SHOW_SIZE];
    ombc_yaml_show(v, shown, sizeof(shown));
    switch (f->kind) {
    case K_STR: {
        char *s = ombc_yaml_dup(v, n->data.scalar.length);
        if (!s)
            return ombc_errf(x->errstr, x->errstr_size, OMBC_ENOMEM, "%s: out of memory",
                             x->path);
        free(*(char **)member);
        *(char **)member = s;
        return 0;
    }
    case K_INT:
    case K_LONG: {
        int64_t max = f->kind == K_INT ? INT_MAX : f->max;
        int64_t i;
        int rc = ombc_yaml_parse_int(v, &i);
        if (rc == OMBC_EPARSE)
            return ombc_errf(x->errstr, x->errstr_size, OMBC_EPARSE,
                             "%s:%d:%d: key '%s': expected an integer, got '%s'", x->path, line,
                             col, f->key, shown);
        if (rc == 0 && i < 0)
            return ombc_errf(x->errstr, x->errstr_size, OMBC_ERANGE,
                             "%s:%d:%d: key '%s': must be >= 0, got '%s'", x->path, line, col,
                             f->key, shown);
        if (rc != 0 || i > max)
            return ombc_errf(x->errstr, x->errstr_size, OMBC_ERANGE,
                             "%s:%d:%d: key '%s': expected an integer in [0, %" PRId64
                             "], got '%s'",
                             x->path, line, col, f->key, max, shown);
        if (f->kind == K_INT)
            *(int *)member = (int)i;
        else
            *(int64_t *)member = i;
        return 0;
    }
    case K_BOOL:
        if (ombc_yaml_parse_bool(v, (bool *)member) != 0)
            return ombc_errf(x->errstr, x->errstr_size, OMBC_EPARSE,
                             "%s:%d:%d: key '%s': expected a boolean (true/false), got '%s'",
                             x->path, line, col, f->key, shown);
        return 0;
    case K_RATIO: {
        char *end = NULL;
        double d = 0.0;
        bool ok = v[0] != '\0' && !isspace((unsigned char)v[0]);
        if (ok) {
            d = strtod(v, &end);
            ok = *end == '\0';
        }
        if (!ok)
            return ombc_errf(x->errstr, x->errstr_size, OMBC_EPARSE,
                             "%s:%d:%d: key '%s': expected a number, got '%s'", x->path, line,
                             col, f->key, shown);
        if (!(d >= 0.0 && d <= 1.0))
            return ombc_errf(x->errstr, x->errstr_size, OMBC_ERANGE,
                             "%s:%d:%d: key '%s': must be within [0, 1], got '%s'", x->path,
                             line, col, f->key, shown);
        *(double *)member = d;
        return 0;
    }
    case K_KEYDIST:
        for (size_t i = 0; i < sizeof(key_distributors) / sizeof(key_distributors[0]); i++) {
            if (strcmp(v, key_distributors[i].name) == 0) {
                *(enum ombc_key_distributor *)member = key_distributors[i].value;
                return 0;
            }
        }
        return ombc_errf(x->errstr, x->errstr_size, OMBC_EPARSE,
                         "%s:%d:%d: key '%s': unknown value '%s' (accepted: NO_KEY, "
                         "KEY_ROUND_ROBIN, RANDOM_NANO, or the aliases ROUND_ROBIN, RANDOM)",
                         x->path, line, col, f->key, shown);
    }
    return 0;
}

/* Applies every top-level pair of the mapping root to w. */
static int apply(const struct ctx *x, yaml_document_t *doc, yaml_node_t *root,
                 struct ombc_workload *w) {
    bool seen[NFIELDS] = {false};
    const yaml_node_t *backlog = NULL; /* value of consumerBacklogSizeGB, for validation */
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = yaml_document_get_node(doc, p->key);
        yaml_node_t *v = yaml_document_get_node(doc, p->value);
        if (!k || !v)
            continue;
        int kline = (int)k->start_mark.line + 1, kcol = (int)k->start_mark.column + 1;
        if (k->type != YAML_SCALAR_NODE)
            return ombc_errf(x->errstr, x->errstr_size, OMBC_EPARSE,
                             "%s:%d:%d: expected a scalar key, got %s", x->path, kline, kcol,
                             ombc_yaml_describe(k));
        const char *key = (const char *)k->data.scalar.value;
        size_t fi = 0;
        while (fi < NFIELDS && strcmp(fields[fi].key, key) != 0)
            fi++;
        if (fi == NFIELDS) {
            char shown[OMBC_YAML_SHOW_SIZE];
            const char *s = suggest(key);
            ombc_yaml_show(key, shown, sizeof(shown));
            if (s)
                OMBC_WARN(LOGGER, "%s:%d:%d: unknown key '%s' ignored; did you mean '%s'?",
                          x->path, kline, kcol, shown, s);
            else
                OMBC_WARN(LOGGER, "%s:%d:%d: unknown key '%s' ignored", x->path, kline, kcol,
                          shown);
            continue;
        }
        if (seen[fi])
            OMBC_WARN(LOGGER, "%s:%d:%d: key '%s' appears again; the last value is used",
                      x->path, kline, kcol, key);
        seen[fi] = true;
        if (v->type != YAML_SCALAR_NODE)
            return ombc_errf(x->errstr, x->errstr_size, OMBC_EPARSE,
                             "%s:%d:%d: key '%s': expected a scalar, got %s", x->path,
                             (int)v->start_mark.line + 1, (int)v->start_mark.column + 1, key,
                             ombc_yaml_describe(v));
        if (strcmp(key, "consumerBacklogSizeGB") == 0 || strcmp(key, "consumerBacklogSizeMB") == 0)
            backlog = v;
        if (strcmp(key, "payloadFile") == 0 && !ombc_yaml_is_null(v)) { /* for run/payload */
            w->payload_file_line = (int)v->start_mark.line + 1;
            w->payload_file_col = (int)v->start_mark.column + 1;
        }
        if (ombc_yaml_is_null(v)) { /* keep the default, as Jackson does for null */
            continue;
        }
        int rc = set_field(x, w, &fields[fi], v);
        if (rc != 0)
            return rc;
    }
    if (ombc_workload_backlog_bytes(w) > 0 && w->producer_rate == 0)
        return ombc_errf(x->errstr, x->errstr_size, OMBC_EPARSE,
                         "%s:%d:%d: Cannot probe producer sustainable rate when building backlog",
                         x->path, (int)backlog->start_mark.line + 1,
                         (int)backlog->start_mark.column + 1);
    return 0;
}

static int parse(const struct ctx *x, const char *text, size_t len, struct ombc_workload *w) {
    yaml_document_t doc;
    yaml_node_t *root;
    int rc = ombc_yaml_load(x->path, text, len, &doc, &root, x->errstr, x->errstr_size);
    if (rc != 0)
        return rc;
    rc = apply(x, &doc, root, w);
    yaml_document_delete(&doc);
    return rc;
}

static char *base_name_of(const char *path) {
    const char *slash = strrchr(path, '/');
    const char *file = slash ? slash + 1 : path;
    const char *dot = strrchr(file, '.');
    return ombc_yaml_dup(file, dot ? (size_t)(dot - file) : strlen(file));
}

int ombc_workload_load(const char *path, struct ombc_workload *w, char *errstr,
                       size_t errstr_size) {
    memset(w, 0, sizeof(*w));
    w->key_distributor = OMBC_KEY_NO_KEY;
    w->backlog_drain_ratio = 1.0;
    w->warmup_duration_minutes = 1;
    w->test_duration_seconds = -1;
    w->warmup_duration_seconds = -1;

    struct ctx x = {.path = path, .errstr = errstr, .errstr_size = errstr_size};
    char *text = NULL;
    size_t len = 0;
    int rc = ombc_yaml_read_file(path, &text, &len, errstr, errstr_size);
    if (rc == 0) {
        w->path = ombc_yaml_dup(path, strlen(path));
        w->base_name = base_name_of(path);
        if (!w->path || !w->base_name)
            rc = ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "%s: out of memory", path);
    }
    if (rc == 0)
        rc = parse(&x, text, len, w);
    free(text);
    if (rc != 0)
        ombc_workload_fini(w);
    return rc;
}

void ombc_workload_fini(struct ombc_workload *w) {
    if (!w)
        return;
    free(w->path);
    free(w->base_name);
    free(w->name);
    free(w->payload_file);
    memset(w, 0, sizeof(*w));
}

int64_t ombc_workload_test_seconds(const struct ombc_workload *w) {
    if (w->test_duration_seconds >= 0)
        return w->test_duration_seconds;
    return (int64_t)w->test_duration_minutes * 60;
}

int64_t ombc_workload_backlog_bytes(const struct ombc_workload *w) {
    /* Saturating: OMB takes any long, and a backlog of 2^63 bytes never completes either. */
    if (w->consumer_backlog_size_mb > 0)
        return w->consumer_backlog_size_mb > (INT64_MAX >> 20) ? INT64_MAX
                                                               : w->consumer_backlog_size_mb << 20;
    if (w->consumer_backlog_size_gb > 0)
        return w->consumer_backlog_size_gb > (INT64_MAX >> 30) ? INT64_MAX
                                                               : w->consumer_backlog_size_gb << 30;
    return 0;
}

int64_t ombc_workload_warmup_seconds(const struct ombc_workload *w) {
    if (w->warmup_duration_seconds >= 0)
        return w->warmup_duration_seconds;
    return (int64_t)w->warmup_duration_minutes * 60;
}

const char *ombc_key_distributor_name(enum ombc_key_distributor k) {
    switch (k) {
    case OMBC_KEY_NO_KEY: return "NO_KEY";
    case OMBC_KEY_ROUND_ROBIN: return "KEY_ROUND_ROBIN";
    case OMBC_KEY_RANDOM_NANO: return "RANDOM_NANO";
    }
    return "UNKNOWN";
}
