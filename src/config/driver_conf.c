/*
 * driver_conf: owns loading an OMB driver YAML file with libyaml's document
 * API, checking the two keys the core needs (name, driverClass), flattening
 * every other key to "a.b" / "key[0]" scalar entries with 1-based line and
 * column, and the typed getters drivers use on those entries. What each key
 * means is left to the driver that reads it. Called at set-up time, by the
 * coordinator and by each agent, from one thread.
 */
#include "config/driver_conf.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "config/props.h"
#include "core/err.h"

#define MAX_DEPTH 32      /* nesting levels; also stops alias cycles */
#define MAX_ENTRIES 10000 /* flattened entries; stops alias blow-up */
#define SHOW_MAX 60       /* bytes of a bad value quoted in a message */

/* State shared by the flattening recursion. */
struct flat {
    struct ombc_driver_conf *c;
    size_t cap;
    yaml_document_t *doc;
    char *key; /* current flattened path */
    size_t key_len;
    size_t key_cap;
    char *errstr;
    size_t errstr_size;
};

static char *dup_mem(const char *s, size_t n) {
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

/* Quotes value for a one-line message: control characters escaped, long text cut. */
static const char *show(const char *value, char *out, size_t out_size) {
    size_t o = 0;
    for (size_t i = 0; value[i] != '\0' && o + 5 < out_size; i++) {
        if (i >= SHOW_MAX) {
            memcpy(out + o, "...", 3);
            o += 3;
            break;
        }
        unsigned char ch = (unsigned char)value[i];
        if (ch == '\n' || ch == '\t' || ch == '\r') {
            out[o++] = '\\';
            out[o++] = ch == '\n' ? 'n' : ch == '\t' ? 't' : 'r';
        } else if (ch < 0x20 || ch == 0x7F) {
            out[o++] = '?';
        } else {
            out[o++] = (char)ch;
        }
    }
    out[o] = '\0';
    return out;
}

static const char *node_kind(const yaml_node_t *n) {
    switch (n->type) {
    case YAML_SCALAR_NODE: return "a scalar";
    case YAML_SEQUENCE_NODE: return "a sequence";
    case YAML_MAPPING_NODE: return "a mapping";
    default: return "nothing";
    }
}

/* A plain scalar spelling YAML null (`key:`, `~`, `null`), or an explicit !!null. */
static bool is_null(const yaml_node_t *n) {
    if (n->type != YAML_SCALAR_NODE)
        return false;
    if (n->tag && strcmp((const char *)n->tag, YAML_NULL_TAG) == 0)
        return true;
    if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return false;
    const char *v = (const char *)n->data.scalar.value;
    return v[0] == '\0' || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 ||
           strcmp(v, "Null") == 0 || strcmp(v, "NULL") == 0;
}

/* Reads a whole file into a NUL-terminated buffer. */
static int read_file(const char *path, char **out, size_t *out_len, char *errstr,
                     size_t errstr_size) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return ombc_errf(errstr, errstr_size, OMBC_ENOENT, "%s: cannot open: %s", path,
                         strerror(errno));
    size_t cap = 4096, len = 0;
    char *data = malloc(cap);
    if (!data) {
        fclose(f);
        return ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "%s: out of memory", path);
    }
    for (;;) {
        if (cap - len < 2) {
            char *p = realloc(data, cap * 2);
            if (!p) {
                free(data);
                fclose(f);
                return ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "%s: out of memory", path);
            }
            data = p;
            cap *= 2;
        }
        size_t n = fread(data + len, 1, cap - len - 1, f);
        len += n;
        if (n == 0)
            break;
    }
    if (ferror(f)) {
        int e = errno;
        free(data);
        fclose(f);
        return ombc_errf(errstr, errstr_size, OMBC_ENOENT, "%s: cannot read: %s", path,
                         strerror(e));
    }
    fclose(f);
    data[len] = '\0';
    *out = data;
    *out_len = len;
    return 0;
}

/* Formats a libyaml parser failure as "PATH:LINE:COL: YAML syntax error: problem". */
static int yaml_error(const yaml_parser_t *p, const char *path, const char *text, size_t len,
                      char *errstr, size_t errstr_size) {
    if (p->error == YAML_MEMORY_ERROR)
        return ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "%s: out of memory", path);
    const char *problem = p->problem ? p->problem : "unknown error";
    size_t line = p->problem_mark.line + 1, col = p->problem_mark.column + 1;
    if (p->error == YAML_READER_ERROR) { /* only a byte offset is known */
        line = 1;
        col = 1;
        for (size_t i = 0; i < p->problem_offset && i < len; i++) {
            if (text[i] == '\n') {
                line++;
                col = 1;
            } else if (((unsigned char)text[i] & 0xC0) != 0x80) {
                col++;
            }
        }
    }
    return ombc_errf(errstr, errstr_size, OMBC_EPARSE, "%s:%zu:%zu: YAML syntax error: %s", path,
                     line, col, problem);
}

static int key_append(struct flat *f, const char *s, size_t n) {
    if (f->key_len + n + 1 > f->key_cap) {
        size_t cap = f->key_cap ? f->key_cap : 64;
        while (cap < f->key_len + n + 1)
            cap *= 2;
        char *p = realloc(f->key, cap);
        if (!p)
            return OMBC_ENOMEM;
        f->key = p;
        f->key_cap = cap;
    }
    memcpy(f->key + f->key_len, s, n);
    f->key_len += n;
    f->key[f->key_len] = '\0';
    return 0;
}

static int oom(struct flat *f) {
    return ombc_errf(f->errstr, f->errstr_size, OMBC_ENOMEM, "%s: out of memory", f->c->path);
}

/* Adds (or, for a repeated key, replaces: the last one wins) the entry f->key. */
static int add_entry(struct flat *f, const yaml_node_t *n) {
    struct ombc_driver_conf *c = f->c;
    char *value = dup_mem((const char *)n->data.scalar.value, n->data.scalar.length);
    if (!value)
        return oom(f);
    int line = (int)n->start_mark.line + 1, column = (int)n->start_mark.column + 1;
    for (size_t i = 0; i < c->entry_count; i++) {
        if (strcmp(c->entries[i].key, f->key) == 0) {
            free(c->entries[i].value);
            c->entries[i].value = value;
            c->entries[i].line = line;
            c->entries[i].column = column;
            return 0;
        }
    }
    if (c->entry_count >= MAX_ENTRIES) {
        free(value);
        return ombc_errf(f->errstr, f->errstr_size, OMBC_EPARSE,
                         "%s:%d:%d: more than %d keys (alias expansion?)", c->path, line, column,
                         MAX_ENTRIES);
    }
    if (c->entry_count == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 16;
        struct ombc_conf_entry *e = realloc(c->entries, cap * sizeof(*e));
        if (!e) {
            free(value);
            return oom(f);
        }
        c->entries = e;
        f->cap = cap;
    }
    char *key = dup_mem(f->key, f->key_len);
    if (!key) {
        free(value);
        return oom(f);
    }
    c->entries[c->entry_count++] =
        (struct ombc_conf_entry){.key = key, .value = value, .line = line, .column = column};
    return 0;
}

static int flatten(struct flat *f, yaml_node_t *n, int depth) {
    if (depth > MAX_DEPTH)
        return ombc_errf(f->errstr, f->errstr_size, OMBC_EPARSE,
                         "%s:%d:%d: nested deeper than %d levels", f->c->path,
                         (int)n->start_mark.line + 1, (int)n->start_mark.column + 1, MAX_DEPTH);
    size_t saved = f->key_len;
    int rc = 0;
    if (n->type == YAML_SCALAR_NODE) {
        if (!is_null(n)) /* a null reads as absent, as Jackson maps it to null */
            rc = add_entry(f, n);
    } else if (n->type == YAML_SEQUENCE_NODE) {
        size_t count = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
        for (size_t i = 0; rc == 0 && i < count; i++) {
            char idx[32];
            int len = snprintf(idx, sizeof(idx), "[%zu]", i);
            if (key_append(f, idx, (size_t)len) != 0)
                return oom(f);
            yaml_node_t *item = yaml_document_get_node(f->doc, n->data.sequence.items.start[i]);
            rc = item ? flatten(f, item, depth + 1) : 0;
            f->key_len = saved;
            f->key[saved] = '\0';
        }
    } else if (n->type == YAML_MAPPING_NODE) {
        for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
             rc == 0 && p < n->data.mapping.pairs.top; p++) {
            yaml_node_t *k = yaml_document_get_node(f->doc, p->key);
            yaml_node_t *v = yaml_document_get_node(f->doc, p->value);
            if (!k || !v)
                continue;
            if (k->type != YAML_SCALAR_NODE)
                return ombc_errf(f->errstr, f->errstr_size, OMBC_EPARSE,
                                 "%s:%d:%d: expected a scalar key, got %s", f->c->path,
                                 (int)k->start_mark.line + 1, (int)k->start_mark.column + 1,
                                 node_kind(k));
            if ((saved > 0 && key_append(f, ".", 1) != 0) ||
                key_append(f, (const char *)k->data.scalar.value, k->data.scalar.length) != 0)
                return oom(f);
            rc = flatten(f, v, depth + 1);
            f->key_len = saved;
            if (f->key)
                f->key[saved] = '\0';
        }
    }
    return rc;
}

/* Finds top-level `key` and checks it is a non-empty scalar; stores a copy in *out. */
static int required(struct flat *f, yaml_node_t *root, const char *key, char **out) {
    yaml_node_t *found = NULL;
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = yaml_document_get_node(f->doc, p->key);
        if (k && k->type == YAML_SCALAR_NODE &&
            strcmp((const char *)k->data.scalar.value, key) == 0)
            found = yaml_document_get_node(f->doc, p->value); /* the last one wins */
    }
    const char *path = f->c->path;
    if (!found)
        return ombc_errf(f->errstr, f->errstr_size, OMBC_EPARSE,
                         "%s: missing required key '%s'", path, key);
    int line = (int)found->start_mark.line + 1, col = (int)found->start_mark.column + 1;
    if (found->type != YAML_SCALAR_NODE)
        return ombc_errf(f->errstr, f->errstr_size, OMBC_EPARSE,
                         "%s:%d:%d: key '%s': expected a scalar, got %s", path, line, col, key,
                         node_kind(found));
    if (is_null(found) || found->data.scalar.length == 0)
        return ombc_errf(f->errstr, f->errstr_size, OMBC_EPARSE,
                         "%s:%d:%d: key '%s': must not be empty", path, line, col, key);
    *out = dup_mem((const char *)found->data.scalar.value, found->data.scalar.length);
    return *out ? 0 : oom(f);
}

static int parse_doc(struct flat *f, const char *text, size_t len) {
    struct ombc_driver_conf *c = f->c;
    yaml_parser_t parser;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&parser))
        return oom(f);
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    if (!yaml_parser_load(&parser, &doc)) {
        int rc = yaml_error(&parser, c->path, text, len, f->errstr, f->errstr_size);
        yaml_parser_delete(&parser);
        return rc;
    }
    yaml_parser_delete(&parser);
    f->doc = &doc;
    int rc = 0;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (!root) {
        rc = ombc_errf(f->errstr, f->errstr_size, OMBC_EPARSE, "%s: empty document", c->path);
    } else if (root->type != YAML_MAPPING_NODE) {
        rc = ombc_errf(f->errstr, f->errstr_size, OMBC_EPARSE,
                       "%s:%d:%d: expected a mapping at the top level, got %s", c->path,
                       (int)root->start_mark.line + 1, (int)root->start_mark.column + 1,
                       node_kind(root));
    } else {
        rc = required(f, root, "name", &c->name);
        if (rc == 0)
            rc = required(f, root, "driverClass", &c->driver_class);
        if (rc == 0)
            rc = flatten(f, root, 0);
    }
    yaml_document_delete(&doc);
    f->doc = NULL;
    return rc;
}

int ombc_driver_conf_parse(const char *path, const char *text, size_t len,
                           struct ombc_driver_conf *c, char *errstr, size_t errstr_size) {
    memset(c, 0, sizeof(*c));
    c->path = dup_mem(path, strlen(path));
    c->raw = dup_mem(text, len);
    if (!c->path || !c->raw) {
        ombc_driver_conf_fini(c);
        return ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "%s: out of memory", path);
    }
    c->raw_len = len;
    struct flat f = {.c = c, .errstr = errstr, .errstr_size = errstr_size};
    int rc = parse_doc(&f, c->raw, len);
    free(f.key);
    if (rc != 0)
        ombc_driver_conf_fini(c);
    return rc;
}

int ombc_driver_conf_load(const char *path, struct ombc_driver_conf *c, char *errstr,
                          size_t errstr_size) {
    memset(c, 0, sizeof(*c));
    char *text = NULL;
    size_t len = 0;
    int rc = read_file(path, &text, &len, errstr, errstr_size);
    if (rc != 0)
        return rc;
    rc = ombc_driver_conf_parse(path, text, len, c, errstr, errstr_size);
    free(text);
    return rc;
}

void ombc_driver_conf_fini(struct ombc_driver_conf *c) {
    if (!c)
        return;
    for (size_t i = 0; i < c->entry_count; i++) {
        free(c->entries[i].key);
        free(c->entries[i].value);
    }
    free(c->entries);
    free(c->path);
    free(c->name);
    free(c->driver_class);
    free(c->raw);
    memset(c, 0, sizeof(*c));
}

const struct ombc_conf_entry *ombc_driver_conf_find(const struct ombc_driver_conf *c,
                                                    const char *key) {
    for (size_t i = 0; i < c->entry_count; i++)
        if (strcmp(c->entries[i].key, key) == 0)
            return &c->entries[i];
    return NULL;
}

size_t ombc_driver_conf_count(const struct ombc_driver_conf *c, const char *key) {
    size_t n = 0;
    for (;;) {
        char k[512];
        int len = snprintf(k, sizeof(k), "%s[%zu]", key, n);
        if (len < 0 || (size_t)len >= sizeof(k) || !ombc_driver_conf_find(c, k))
            return n;
        n++;
    }
}

int ombc_driver_conf_int(const struct ombc_driver_conf *c, const char *key, int64_t def,
                         int64_t min, int64_t max, int64_t *out, char *errstr,
                         size_t errstr_size) {
    const struct ombc_conf_entry *e = ombc_driver_conf_find(c, key);
    if (!e) {
        *out = def;
        return 0;
    }
    char shown[SHOW_MAX + 8];
    const char *v = e->value;
    char *end;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    bool digits = (v[0] >= '0' && v[0] <= '9') ||
                  ((v[0] == '-' || v[0] == '+') && v[1] >= '0' && v[1] <= '9');
    if (!digits || *end != '\0')
        return ombc_errf(errstr, errstr_size, OMBC_EPARSE,
                         "%s:%d:%d: key '%s': expected an integer, got '%s'", c->path, e->line,
                         e->column, key, show(v, shown, sizeof(shown)));
    if (errno == ERANGE || n < min || n > max)
        return ombc_errf(errstr, errstr_size, OMBC_ERANGE,
                         "%s:%d:%d: key '%s': expected an integer in [%" PRId64 ", %" PRId64
                         "], got '%s'",
                         c->path, e->line, e->column, key, min, max,
                         show(v, shown, sizeof(shown)));
    *out = (int64_t)n;
    return 0;
}

int ombc_driver_conf_bool(const struct ombc_driver_conf *c, const char *key, bool def,
                          bool *out, char *errstr, size_t errstr_size) {
    const struct ombc_conf_entry *e = ombc_driver_conf_find(c, key);
    if (!e) {
        *out = def;
        return 0;
    }
    static const char *const yes[] = {"true", "yes", "on"};
    static const char *const no[] = {"false", "no", "off"};
    for (size_t i = 0; i < 3; i++) {
        if (strcasecmp(e->value, yes[i]) == 0) {
            *out = true;
            return 0;
        }
        if (strcasecmp(e->value, no[i]) == 0) {
            *out = false;
            return 0;
        }
    }
    char shown[SHOW_MAX + 8];
    return ombc_errf(errstr, errstr_size, OMBC_EPARSE,
                     "%s:%d:%d: key '%s': expected a boolean (true/false), got '%s'", c->path,
                     e->line, e->column, key, show(e->value, shown, sizeof(shown)));
}

const char *ombc_driver_conf_str(const struct ombc_driver_conf *c, const char *key,
                                 const char *def) {
    const struct ombc_conf_entry *e = ombc_driver_conf_find(c, key);
    return e ? e->value : def;
}

int ombc_driver_conf_props(const struct ombc_driver_conf *c, const char *key,
                           struct ombc_props *props, char *errstr, size_t errstr_size) {
    const struct ombc_conf_entry *e = ombc_driver_conf_find(c, key);
    if (!e)
        return 0;
    char msg[256];
    int rc = ombc_props_parse(props, e->value, msg, sizeof(msg));
    if (rc != 0)
        return ombc_errf(errstr, errstr_size, rc, "%s:%d:%d: key '%s': properties %s", c->path,
                         e->line, e->column, key, msg);
    return 0;
}
