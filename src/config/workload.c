/*
 * workload: owns reading an OMB workload YAML file (OMB-REFERENCE.md section
 * 1) into struct ombc_workload: OMB's defaults, ombc's extensions, each key's
 * type and range (one table), unknown keys refused with a "did you mean"
 * (OMB ignores them: a typo would silently run another benchmark), OMB's own
 * validation, and the rules between keys (ombc_workload_check), every
 * message as FILE:LINE:COL. Payload files and the run itself are left to
 * other modules; file reading, document loading and value parsing are shared
 * with driver_conf through yaml_util. Called by the coordinator only, at
 * start-up, from one thread.
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
#include "core/file.h"
#include "core/log.h"

#define LOGGER "Workload"

enum kind {
    K_STR,     /* char *, NULL when absent */
    K_INT,     /* int in [min, max] */
    K_LONG,    /* int64_t in [min, max] */
    K_BOOL,    /* bool */
    K_RATIO,   /* double in [0, 1] */
    K_KEYDIST, /* enum ombc_key_distributor */
};

struct field {
    const char *key; /* first: the table is also ombc_yaml_suggest's list */
    enum kind kind;
    size_t off;
    int64_t min;   /* K_INT, K_LONG */
    int64_t max;   /* K_INT, K_LONG */
    bool required; /* ombc_workload_check: must be present (and so > 0) */
};

/* The longest seconds value: as long as the largest minutes value. */
#define MAX_SECONDS ((int64_t)INT_MAX * 60)

#define M(member) offsetof(struct ombc_workload, member)
static const struct field fields[] = {
    {"name", K_STR, M(name), 0, 0, false},
    {"topics", K_INT, M(topics), 1, INT_MAX, true},
    {"partitionsPerTopic", K_INT, M(partitions_per_topic), 1, INT_MAX, true},
    {"keyDistributor", K_KEYDIST, M(key_distributor), 0, 0, false},
    {"messageSize", K_INT, M(message_size), 1, INT_MAX, true},
    {"useRandomizedPayloads", K_BOOL, M(use_randomized_payloads), 0, 0, false},
    {"randomBytesRatio", K_RATIO, M(random_bytes_ratio), 0, 0, false},
    {"randomizedPayloadPoolSize", K_INT, M(randomized_payload_pool_size), 0, INT_MAX, false},
    {"payloadFile", K_STR, M(payload_file), 0, 0, false},
    /* 0 (OMB's default): a run without consumers, as OMB */
    {"subscriptionsPerTopic", K_INT, M(subscriptions_per_topic), 0, INT_MAX, false},
    {"producersPerTopic", K_INT, M(producers_per_topic), 1, INT_MAX, true},
    {"consumerPerSubscription", K_INT, M(consumer_per_subscription), 0, INT_MAX, false},
    {"producerRate", K_INT, M(producer_rate), 0, INT_MAX, false},
    {"consumerBacklogSizeGB", K_LONG, M(consumer_backlog_size_gb), 0, INT64_MAX, false},
    {"consumerBacklogSizeMB", K_LONG, M(consumer_backlog_size_mb), 0, INT64_MAX, false},
    {"backlogDrainRatio", K_RATIO, M(backlog_drain_ratio), 0, 0, false},
    {"testDurationMinutes", K_INT, M(test_duration_minutes), 0, INT_MAX, false},
    {"warmupDurationMinutes", K_INT, M(warmup_duration_minutes), 0, INT_MAX, false},
    {"testDurationSeconds", K_LONG, M(test_duration_seconds), 0, MAX_SECONDS, false},
    {"warmupDurationSeconds", K_LONG, M(warmup_duration_seconds), 0, MAX_SECONDS, false},
};
#undef M
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))
_Static_assert(NFIELDS <= OMBC_WORKLOAD_MAX_KEYS, "struct ombc_workload.pos is too small");

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

int ombc_workload_each(const struct ombc_workload *w,
                       int (*fn)(void *ctx, const char *key, const char *value, bool raw),
                       void *ctx) {
    for (size_t i = 0; i < NFIELDS; i++) {
        const void *m = (const char *)w + fields[i].off;
        char num[64];
        const char *v = num;
        bool raw = true;
        switch (fields[i].kind) {
        case K_STR:
            v = *(char *const *)m;
            raw = v == NULL; /* null */
            break;
        case K_INT: snprintf(num, sizeof(num), "%d", *(const int *)m); break;
        case K_LONG: /* ombc's optional keys are -1 when not given: null */
            if (*(const int64_t *)m < 0)
                v = NULL;
            else
                snprintf(num, sizeof(num), "%" PRId64, *(const int64_t *)m);
            break;
        case K_BOOL: v = *(const bool *)m ? "true" : "false"; break;
        case K_RATIO: snprintf(num, sizeof(num), "%.15g", *(const double *)m); break;
        case K_KEYDIST:
            v = ombc_key_distributor_name(*(const enum ombc_key_distributor *)m);
            raw = false;
            break;
        }
        int rc = fn(ctx, fields[i].key, v, raw);
        if (rc)
            return rc;
    }
    return 0;
}

static size_t field_index(const char *key) {
    size_t i = 0;
    while (i < NFIELDS && strcmp(fields[i].key, key) != 0)
        i++;
    return i;
}

/* "must be > 0" or "must be >= N" for an integer below its minimum. */
static int below_min(const struct ctx *x, const struct field *f, int line, int col,
                     const char *shown) {
    if (f->min == 1)
        return ombc_errf(x->errstr, x->errstr_size, OMBC_ERANGE,
                         "%s:%d:%d: key '%s': must be > 0, got '%s'", x->path, line, col, f->key,
                         shown);
    return ombc_errf(x->errstr, x->errstr_size, OMBC_ERANGE,
                     "%s:%d:%d: key '%s': must be >= %" PRId64 ", got '%s'", x->path, line, col,
                     f->key, f->min, shown);
}

/* Stores the scalar node n into the field f of w. */
static int set_field(const struct ctx *x, struct ombc_workload *w, const struct field *f,
                     const yaml_node_t *n) {
    int line = (int)n->start_mark.line + 1, col = (int)n->start_mark.column + 1;
    const char *v = (const char *)n->data.scalar.value;
    char *member = (char *)w + f->off;
    char shown[OMBC_YAML_SHOW_SIZE];
    ombc_yaml_show(v, shown, sizeof(shown));
    if (ombc_yaml_has_nul(n))
        return ombc_errf(x->errstr, x->errstr_size, OMBC_EPARSE,
                         "%s:%d:%d: key '%s': the value holds a NUL character", x->path, line,
                         col, f->key);
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
        int64_t i;
        int rc = ombc_yaml_parse_int(v, &i);
        if (rc == OMBC_EPARSE)
            return ombc_errf(x->errstr, x->errstr_size, OMBC_EPARSE,
                             "%s:%d:%d: key '%s': expected an integer, got '%s'", x->path, line,
                             col, f->key, shown);
        if (rc == 0 && i < f->min)
            return below_min(x, f, line, col, shown);
        if (rc != 0 && v[0] == '-') /* below INT64_MIN */
            return below_min(x, f, line, col, shown);
        if (rc != 0 || i > f->max)
            return ombc_errf(x->errstr, x->errstr_size, OMBC_ERANGE,
                             "%s:%d:%d: key '%s': expected an integer in [%" PRId64 ", %" PRId64
                             "], got '%s'",
                             x->path, line, col, f->key, f->min, f->max, shown);
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

/* An unknown key: an error naming the closest known one. */
static int unknown_key(const struct ctx *x, const yaml_node_t *k) {
    int line = (int)k->start_mark.line + 1, col = (int)k->start_mark.column + 1;
    const char *key = (const char *)k->data.scalar.value;
    char shown[OMBC_YAML_SHOW_SIZE];
    ombc_yaml_show_node(k, shown, sizeof(shown));
    const char *s = ombc_yaml_has_nul(k) ? NULL
                                         : ombc_yaml_suggest(key, &fields[0].key, NFIELDS,
                                                             sizeof(fields[0]));
    if (s)
        return ombc_errf(x->errstr, x->errstr_size, OMBC_EPARSE,
                         "%s:%d:%d: unknown key '%s'; did you mean '%s'?", x->path, line, col,
                         shown, s);
    char known[640] = "";
    size_t used = 0;
    for (size_t i = 0; i < NFIELDS; i++) {
        int n = snprintf(known + used, sizeof(known) - used, "%s%s", i ? ", " : "",
                         fields[i].key);
        if (n > 0 && (size_t)n < sizeof(known) - used)
            used += (size_t)n;
    }
    return ombc_errf(x->errstr, x->errstr_size, OMBC_EPARSE,
                     "%s:%d:%d: unknown key '%s' (known: %s)", x->path, line, col, shown, known);
}

/* Applies every top-level pair of the mapping root to w. */
static int apply(const struct ctx *x, yaml_document_t *doc, yaml_node_t *root,
                 struct ombc_workload *w) {
    bool seen[NFIELDS] = {false};
    const yaml_node_t *backlog = NULL; /* value of consumerBacklogSize*, for validation */
    w->root.line = (int)root->start_mark.line + 1;
    w->root.col = (int)root->start_mark.column + 1;
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
        size_t fi = ombc_yaml_has_nul(k) ? NFIELDS : field_index(key);
        if (fi == NFIELDS)
            return unknown_key(x, k);
        if (seen[fi])
            OMBC_WARN(LOGGER, "%s:%d:%d: key '%s' appears again; the last value is used",
                      x->path, kline, kcol, key);
        seen[fi] = true;
        int vline = (int)v->start_mark.line + 1, vcol = (int)v->start_mark.column + 1;
        if (v->type != YAML_SCALAR_NODE)
            return ombc_errf(x->errstr, x->errstr_size, OMBC_EPARSE,
                             "%s:%d:%d: key '%s': expected a scalar, got %s", x->path, vline,
                             vcol, key, ombc_yaml_describe(v));
        w->pos[fi] = (struct ombc_workload_pos){vline, vcol};
        if (strcmp(key, "consumerBacklogSizeGB") == 0 || strcmp(key, "consumerBacklogSizeMB") == 0)
            backlog = v;
        if (fields[fi].off == offsetof(struct ombc_workload, payload_file) &&
            !ombc_yaml_is_null(v)) { /* for run/payload's messages */
            w->payload_file_line = vline;
            w->payload_file_col = vcol;
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

/* Sets OMB's defaults and ombc's "absent" markers. */
static void defaults(struct ombc_workload *w) {
    memset(w, 0, sizeof(*w));
    w->key_distributor = OMBC_KEY_NO_KEY;
    w->backlog_drain_ratio = 1.0;
    w->warmup_duration_minutes = 1;
    w->test_duration_seconds = -1;
    w->warmup_duration_seconds = -1;
}

/* Parses text into w (already defaulted), naming it path. */
static int parse_named(const char *path, const char *text, size_t len, struct ombc_workload *w,
                       char *errstr, size_t errstr_size) {
    struct ctx x = {.path = path, .errstr = errstr, .errstr_size = errstr_size};
    w->path = ombc_yaml_dup(path, strlen(path));
    w->base_name = base_name_of(path);
    int rc = 0;
    if (!w->path || !w->base_name)
        rc = ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "%s: out of memory", path);
    if (rc == 0)
        rc = parse(&x, text, len, w);
    if (rc != 0)
        ombc_workload_fini(w);
    return rc;
}

int ombc_workload_parse(const char *path, const char *text, size_t len, struct ombc_workload *w,
                        char *errstr, size_t errstr_size) {
    defaults(w);
    return parse_named(path, text, len, w, errstr, errstr_size);
}

int ombc_workload_load(const char *path, struct ombc_workload *w, char *errstr,
                       size_t errstr_size) {
    defaults(w);
    char *text = NULL;
    size_t len = 0;
    int rc = ombc_read_file(path, &text, &len, errstr, errstr_size);
    if (rc == 0)
        rc = parse_named(path, text, len, w, errstr, errstr_size);
    free(text);
    return rc;
}

/* The place of key's value, or the top-level mapping when it is absent. */
static struct ombc_workload_pos pos_of(const struct ombc_workload *w, const char *key) {
    size_t i = field_index(key);
    return i < NFIELDS && w->pos[i].line > 0 ? w->pos[i] : w->root;
}

/* The product of n factors, or -1 when it exceeds INT_MAX. */
static int64_t product(const int *factors, int n) {
    int64_t p = 1;
    for (int i = 0; i < n; i++) {
        p *= factors[i] > 0 ? factors[i] : 0;
        if (p > INT_MAX)
            return -1;
    }
    return p;
}

int ombc_workload_check(const struct ombc_workload *w, char *errstr, size_t errstr_size) {
    const char *path = w->path ? w->path : "(workload)";
    /* Required counts: a null value is pointed at, absent ones are listed. */
    char missing[512] = "";
    size_t used = 0;
    int nmissing = 0;
    for (size_t i = 0; i < NFIELDS; i++) {
        const struct field *f = &fields[i];
        if (!f->required || *(const int *)((const char *)w + f->off) > 0)
            continue;
        if (w->pos[i].line > 0)
            return ombc_errf(errstr, errstr_size, OMBC_EINVAL,
                             "%s:%d:%d: key '%s': must be > 0, got null", path, w->pos[i].line,
                             w->pos[i].col, f->key);
        int n = snprintf(missing + used, sizeof(missing) - used, "%s%s", nmissing ? ", " : "",
                         f->key);
        if (n > 0 && (size_t)n < sizeof(missing) - used)
            used += (size_t)n;
        nmissing++;
    }
    if (nmissing > 0)
        return ombc_errf(errstr, errstr_size, OMBC_EINVAL,
                         "%s:%d:%d: missing key%s %s (%s > 0, OMB's default 0 cannot run)", path,
                         w->root.line, w->root.col, nmissing > 1 ? "s" : "", missing,
                         nmissing > 1 ? "each must be" : "must be");
    /* Subscriptions without consumers would never pass the readiness probe
     * (OMB waits 60 s and fails); no subscriptions is a producer-only run. */
    if (w->subscriptions_per_topic > 0 && w->consumer_per_subscription <= 0) {
        struct ombc_workload_pos p = pos_of(w, "consumerPerSubscription");
        return ombc_errf(errstr, errstr_size, OMBC_EINVAL,
                         "%s:%d:%d: key 'consumerPerSubscription': must be > 0 with "
                         "subscriptionsPerTopic: %d (or subscriptionsPerTopic: 0 for a run "
                         "without consumers)",
                         path, p.line, p.col, w->subscriptions_per_topic);
    }
    if (w->subscriptions_per_topic == 0 && ombc_workload_backlog_bytes(w) > 0) {
        struct ombc_workload_pos p = pos_of(w, "subscriptionsPerTopic");
        return ombc_errf(errstr, errstr_size, OMBC_EINVAL,
                         "%s:%d:%d: key 'subscriptionsPerTopic': a backlog "
                         "(consumerBacklogSizeGB/MB) needs consumers to drain it",
                         path, p.line, p.col);
    }
    if (w->use_randomized_payloads && w->randomized_payload_pool_size <= 0) {
        struct ombc_workload_pos p = pos_of(w, "randomizedPayloadPoolSize");
        if (p.line == w->root.line && p.col == w->root.col)
            p = pos_of(w, "useRandomizedPayloads");
        return ombc_errf(errstr, errstr_size, OMBC_EINVAL,
                         "%s:%d:%d: key 'randomizedPayloadPoolSize': must be > 0 with "
                         "useRandomizedPayloads: true (OMB's worker fails on an empty pool)",
                         path, p.line, p.col);
    }
    /* Totals the run allocates and counts in ints. */
    static const struct {
        const char *what;
        size_t off[3];
        int n;
    } totals[] = {
        {"partitions (topics x partitionsPerTopic)",
         {offsetof(struct ombc_workload, topics),
          offsetof(struct ombc_workload, partitions_per_topic)},
         2},
        {"producers (topics x producersPerTopic)",
         {offsetof(struct ombc_workload, topics),
          offsetof(struct ombc_workload, producers_per_topic)},
         2},
        {"consumers (topics x subscriptionsPerTopic x consumerPerSubscription)",
         {offsetof(struct ombc_workload, topics),
          offsetof(struct ombc_workload, subscriptions_per_topic),
          offsetof(struct ombc_workload, consumer_per_subscription)},
         3},
    };
    for (size_t t = 0; t < sizeof(totals) / sizeof(totals[0]); t++) {
        int factors[3];
        for (int i = 0; i < totals[t].n; i++)
            factors[i] = *(const int *)((const char *)w + totals[t].off[i]);
        if (product(factors, totals[t].n) < 0) {
            struct ombc_workload_pos p = pos_of(w, "topics");
            return ombc_errf(errstr, errstr_size, OMBC_ERANGE,
                             "%s:%d:%d: too many %s: more than %d", path, p.line, p.col,
                             totals[t].what, INT_MAX);
        }
    }
    return 0;
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
