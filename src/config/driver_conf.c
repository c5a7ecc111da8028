/*
 * driver_conf: owns loading an OMB driver YAML file with libyaml's document
 * API, checking the two keys the core needs (name, driverClass), flattening
 * every other key to "a.b" / "key[0]" scalar entries with 1-based line and
 * column, the list of top-level keys and its check against the keys a
 * driver declares, and the typed getters drivers use on those entries. What
 * each key means is left to the driver that reads it; file reading, document
 * loading and value parsing are shared with workload through yaml_util.
 * Called at set-up time, by the coordinator and by each agent, from one
 * thread.
 */
#include "config/driver_conf.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "config/props.h"
#include "config/yaml_util.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/file.h"
#include "core/log.h"

#define LOGGER "DriverConf"
#define MAX_DEPTH 32      /* nesting levels; also stops alias cycles */
#define MAX_ENTRIES 10000 /* flattened entries; stops alias blow-up */
#define MAX_NODES 100000  /* nodes visited; stops alias blow-up of nulls */

/* State shared by the flattening recursion. */
struct flat {
    struct ombc_driver_conf *c;
    size_t cap;
    yaml_document_t *doc;
    struct ombc_buf key; /* current flattened path */
    size_t visits; /* nodes flattened so far */
    char *errstr;
    size_t errstr_size;
};

static int oom(struct flat *f) {
    return ombc_errf(f->errstr, f->errstr_size, OMBC_ENOMEM, "%s: out of memory", f->c->path);
}

/* Adds (or, for a repeated key, replaces: the last one wins) the entry f->key. */
static int add_entry(struct flat *f, const yaml_node_t *n) {
    struct ombc_driver_conf *c = f->c;
    if (ombc_yaml_has_nul(n))
        return ombc_errf(f->errstr, f->errstr_size, OMBC_EPARSE,
                         "%s:%d:%d: key '%s': the value holds a NUL character", c->path,
                         (int)n->start_mark.line + 1, (int)n->start_mark.column + 1, f->key.p);
    char *value = ombc_yaml_dup((const char *)n->data.scalar.value, n->data.scalar.length);
    if (!value)
        return oom(f);
    int line = (int)n->start_mark.line + 1, column = (int)n->start_mark.column + 1;
    /* A block scalar's text starts on the line after its | or > indicator. */
    yaml_scalar_style_t style = n->data.scalar.style;
    int text_line = style == YAML_LITERAL_SCALAR_STYLE || style == YAML_FOLDED_SCALAR_STYLE
                        ? line + 1
                        : line;
    for (size_t i = 0; i < c->entry_count; i++) {
        if (strcmp(c->entries[i].key, f->key.p) == 0) {
            free(c->entries[i].value);
            c->entries[i].value = value;
            c->entries[i].line = line;
            c->entries[i].column = column;
            c->entries[i].text_line = text_line;
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
    char *key = ombc_yaml_dup(f->key.p, f->key.len);
    if (!key) {
        free(value);
        return oom(f);
    }
    c->entries[c->entry_count++] =
        (struct ombc_conf_entry){
            .key = key, .value = value, .line = line, .column = column, .text_line = text_line};
    return 0;
}

static int flatten(struct flat *f, yaml_node_t *n, int depth) {
    if (depth > MAX_DEPTH)
        return ombc_errf(f->errstr, f->errstr_size, OMBC_EPARSE,
                         "%s:%d:%d: nested deeper than %d levels", f->c->path,
                         (int)n->start_mark.line + 1, (int)n->start_mark.column + 1, MAX_DEPTH);
    if (++f->visits > MAX_NODES)
        return ombc_errf(f->errstr, f->errstr_size, OMBC_EPARSE,
                         "%s:%d:%d: more than %d YAML nodes (alias expansion?)", f->c->path,
                         (int)n->start_mark.line + 1, (int)n->start_mark.column + 1, MAX_NODES);
    size_t saved = f->key.len;
    int rc = 0;
    if (n->type == YAML_SCALAR_NODE) {
        if (!ombc_yaml_is_null(n)) /* a null reads as absent, as Jackson maps it to null */
            rc = add_entry(f, n);
    } else if (n->type == YAML_SEQUENCE_NODE) {
        size_t count = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
        for (size_t i = 0; rc == 0 && i < count; i++) {
            char idx[32];
            int len = snprintf(idx, sizeof(idx), "[%zu]", i);
            if (ombc_buf_putn(&f->key, idx, (size_t)len) != 0)
                return oom(f);
            yaml_node_t *item = yaml_document_get_node(f->doc, n->data.sequence.items.start[i]);
            rc = item ? flatten(f, item, depth + 1) : 0;
            ombc_buf_truncate(&f->key, saved);
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
                                 ombc_yaml_describe(k));
            if (ombc_yaml_has_nul(k))
                return ombc_errf(f->errstr, f->errstr_size, OMBC_EPARSE,
                                 "%s:%d:%d: a key holds a NUL character", f->c->path,
                                 (int)k->start_mark.line + 1, (int)k->start_mark.column + 1);
            if ((saved > 0 && ombc_buf_putn(&f->key, ".", 1) != 0) ||
                ombc_buf_putn(&f->key, (const char *)k->data.scalar.value, k->data.scalar.length) != 0)
                return oom(f);
            rc = flatten(f, v, depth + 1);
            ombc_buf_truncate(&f->key, saved);
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
                         "%s:%d:%d: missing required key '%s'", path,
                         (int)root->start_mark.line + 1, (int)root->start_mark.column + 1, key);
    int line = (int)found->start_mark.line + 1, col = (int)found->start_mark.column + 1;
    if (found->type != YAML_SCALAR_NODE)
        return ombc_errf(f->errstr, f->errstr_size, OMBC_EPARSE,
                         "%s:%d:%d: key '%s': expected a scalar, got %s", path, line, col, key,
                         ombc_yaml_describe(found));
    if (ombc_yaml_is_null(found) || found->data.scalar.length == 0)
        return ombc_errf(f->errstr, f->errstr_size, OMBC_EPARSE,
                         "%s:%d:%d: key '%s': must not be empty", path, line, col, key);
    if (ombc_yaml_has_nul(found))
        return ombc_errf(f->errstr, f->errstr_size, OMBC_EPARSE,
                         "%s:%d:%d: key '%s': the value holds a NUL character", path, line, col,
                         key);
    *out = ombc_yaml_dup((const char *)found->data.scalar.value, found->data.scalar.length);
    return *out ? 0 : oom(f);
}

static enum ombc_conf_kind kind_of(const yaml_node_t *n) {
    if (ombc_yaml_is_null(n))
        return OMBC_CONF_NULL;
    switch (n->type) {
    case YAML_SEQUENCE_NODE: return OMBC_CONF_SEQUENCE;
    case YAML_MAPPING_NODE: return OMBC_CONF_MAPPING;
    default: return OMBC_CONF_SCALAR;
    }
}

/* Records the top-level keys of root (scalar keys only; flatten refuses the others). */
static int list_keys(struct flat *f, yaml_node_t *root) {
    struct ombc_driver_conf *c = f->c;
    size_t n = (size_t)(root->data.mapping.pairs.top - root->data.mapping.pairs.start);
    c->keys = calloc(n ? n : 1, sizeof(*c->keys));
    if (!c->keys)
        return oom(f);
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = yaml_document_get_node(f->doc, p->key);
        yaml_node_t *v = yaml_document_get_node(f->doc, p->value);
        if (!k || !v || k->type != YAML_SCALAR_NODE)
            continue;
        struct ombc_conf_key *e = &c->keys[c->key_count];
        e->key = ombc_yaml_dup((const char *)k->data.scalar.value, k->data.scalar.length);
        if (!e->key)
            return oom(f);
        e->kind = kind_of(v);
        e->line = (int)k->start_mark.line + 1;
        e->column = (int)k->start_mark.column + 1;
        c->key_count++;
    }
    return 0;
}

static int parse_doc(struct flat *f, const char *text, size_t len) {
    struct ombc_driver_conf *c = f->c;
    yaml_document_t doc;
    yaml_node_t *root;
    int rc = ombc_yaml_load(c->path, text, len, &doc, &root, f->errstr, f->errstr_size);
    if (rc != 0)
        return rc;
    f->doc = &doc;
    rc = required(f, root, "name", &c->name);
    if (rc == 0)
        rc = required(f, root, "driverClass", &c->driver_class);
    if (rc == 0)
        rc = flatten(f, root, 0);
    if (rc == 0)
        rc = list_keys(f, root);
    yaml_document_delete(&doc);
    f->doc = NULL;
    return rc;
}

int ombc_driver_conf_parse(const char *path, const char *text, size_t len,
                           struct ombc_driver_conf *c, char *errstr, size_t errstr_size) {
    memset(c, 0, sizeof(*c));
    c->path = ombc_yaml_dup(path, strlen(path));
    c->raw = ombc_yaml_dup(text, len);
    if (!c->path || !c->raw) {
        ombc_driver_conf_fini(c);
        return ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "%s: out of memory", path);
    }
    c->raw_len = len;
    struct flat f = {.c = c, .errstr = errstr, .errstr_size = errstr_size};
    int rc = parse_doc(&f, c->raw, len);
    ombc_buf_fini(&f.key);
    if (rc != 0)
        ombc_driver_conf_fini(c);
    return rc;
}

int ombc_driver_conf_load(const char *path, struct ombc_driver_conf *c, char *errstr,
                          size_t errstr_size) {
    memset(c, 0, sizeof(*c));
    char *text = NULL;
    size_t len = 0;
    int rc = ombc_read_file(path, &text, &len, errstr, errstr_size);
    if (rc != 0)
        return rc;
    rc = ombc_driver_conf_parse(path, text, len, c, errstr, errstr_size);
    free(text);
    return rc;
}

/* ------------------------------------------------------------ editing */

/* Copies node id of src into dst. @return its id in dst, or 0 (no memory). */
static int copy_node(yaml_document_t *src, int id, yaml_document_t *dst, int depth) {
    yaml_node_t *n = yaml_document_get_node(src, id);
    if (!n || depth > MAX_DEPTH)
        return 0;
    int out = 0;
    switch (n->type) {
    case YAML_SCALAR_NODE:
        return yaml_document_add_scalar(dst, n->tag, n->data.scalar.value,
                                        (int)n->data.scalar.length, n->data.scalar.style);
    case YAML_SEQUENCE_NODE:
        out = yaml_document_add_sequence(dst, n->tag, n->data.sequence.style);
        for (yaml_node_item_t *i = n->data.sequence.items.start;
             out && i < n->data.sequence.items.top; i++) {
            int item = copy_node(src, *i, dst, depth + 1);
            if (!item || !yaml_document_append_sequence_item(dst, out, item))
                return 0;
        }
        return out;
    case YAML_MAPPING_NODE:
        out = yaml_document_add_mapping(dst, n->tag, n->data.mapping.style);
        for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
             out && p < n->data.mapping.pairs.top; p++) {
            int k = copy_node(src, p->key, dst, depth + 1);
            int v = k ? copy_node(src, p->value, dst, depth + 1) : 0;
            if (!v || !yaml_document_append_mapping_pair(dst, out, k, v))
                return 0;
        }
        return out;
    default:
        return 0;
    }
}

static int add_text(yaml_document_t *dst, const char *text, bool block) {
    return yaml_document_add_scalar(dst, NULL, (yaml_char_t *)text, (int)strlen(text),
                                    block ? YAML_LITERAL_SCALAR_STYLE : YAML_ANY_SCALAR_STYLE);
}

/* dst's root mapping: src's pairs with edits applied. @return 0 or OMBC_ENOMEM. */
static int edit_root(yaml_document_t *src, yaml_node_t *root, const struct ombc_conf_edit *edits,
                     size_t count, yaml_document_t *dst) {
    int map = yaml_document_add_mapping(dst, NULL, YAML_BLOCK_MAPPING_STYLE);
    if (!map)
        return OMBC_ENOMEM;
    bool done[count > 0 ? count : 1];
    memset(done, 0, sizeof(done));
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = yaml_document_get_node(src, p->key);
        const struct ombc_conf_edit *e = NULL;
        for (size_t i = 0; k && k->type == YAML_SCALAR_NODE && i < count; i++)
            if (strlen(edits[i].key) == k->data.scalar.length &&
                memcmp(edits[i].key, k->data.scalar.value, k->data.scalar.length) == 0) {
                e = &edits[i];
                done[i] = true;
            }
        if (e && !e->value)
            continue;
        int kid = copy_node(src, p->key, dst, 1);
        int vid = !kid ? 0 : e ? add_text(dst, e->value, strchr(e->value, '\n') != NULL)
                               : copy_node(src, p->value, dst, 1);
        if (!vid || !yaml_document_append_mapping_pair(dst, map, kid, vid))
            return OMBC_ENOMEM;
    }
    for (size_t i = 0; i < count; i++) {
        if (done[i] || !edits[i].value)
            continue;
        int kid = add_text(dst, edits[i].key, false);
        int vid = kid ? add_text(dst, edits[i].value, strchr(edits[i].value, '\n') != NULL) : 0;
        if (!vid || !yaml_document_append_mapping_pair(dst, map, kid, vid))
            return OMBC_ENOMEM;
    }
    return 0;
}

struct text_buf {
    char *data;
    size_t len, cap;
};

static int text_write(void *ctx, unsigned char *buffer, size_t size) {
    struct text_buf *b = ctx;
    if (b->len + size + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 1024;
        while (cap < b->len + size + 1)
            cap *= 2;
        char *p = realloc(b->data, cap);
        if (!p)
            return 0;
        b->data = p;
        b->cap = cap;
    }
    memcpy(b->data + b->len, buffer, size);
    b->len += size;
    b->data[b->len] = '\0';
    return 1;
}

int ombc_driver_conf_edit(const struct ombc_driver_conf *c, const struct ombc_conf_edit *edits,
                          size_t count, struct ombc_driver_conf *out, char *errstr,
                          size_t errstr_size) {
    memset(out, 0, sizeof(*out));
    yaml_document_t src, dst;
    yaml_node_t *root;
    int rc = ombc_yaml_load(c->path, c->raw, c->raw_len, &src, &root, errstr, errstr_size);
    if (rc != 0)
        return rc;
    if (!yaml_document_initialize(&dst, NULL, NULL, NULL, 1, 1)) {
        yaml_document_delete(&src);
        return ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "%s: out of memory", c->path);
    }
    rc = edit_root(&src, root, edits, count, &dst);
    yaml_document_delete(&src);
    struct text_buf text = {0};
    yaml_emitter_t em;
    if (rc == 0 && yaml_emitter_initialize(&em)) {
        yaml_emitter_set_output(&em, text_write, &text);
        yaml_emitter_set_unicode(&em, 1);
        yaml_emitter_set_width(&em, -1);
        if (!yaml_emitter_open(&em)) {
            yaml_document_delete(&dst);
            rc = OMBC_ENOMEM;
        } else if (!yaml_emitter_dump(&em, &dst) || !yaml_emitter_close(&em)) {
            rc = OMBC_ENOMEM;
        }
        yaml_emitter_delete(&em); /* dump deleted dst */
    } else {
        yaml_document_delete(&dst);
        rc = OMBC_ENOMEM;
    }
    if (rc == 0 && !text.data)
        rc = OMBC_ENOMEM;
    if (rc != 0) {
        free(text.data);
        return ombc_errf(errstr, errstr_size, rc, "%s: cannot write the edited driver file: %s",
                         c->path, ombc_strerror(rc));
    }
    rc = ombc_driver_conf_parse(c->path, text.data, text.len, out, errstr, errstr_size);
    free(text.data);
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
    for (size_t i = 0; i < c->key_count; i++)
        free(c->keys[i].key);
    free(c->keys);
    free(c->path);
    free(c->name);
    free(c->driver_class);
    free(c->raw);
    memset(c, 0, sizeof(*c));
}

static const char *kind_name(enum ombc_conf_kind k) {
    switch (k) {
    case OMBC_CONF_NULL: return "null";
    case OMBC_CONF_SCALAR: return "a scalar";
    case OMBC_CONF_SEQUENCE: return "a sequence";
    case OMBC_CONF_MAPPING: return "a mapping";
    default: return "anything";
    }
}

int ombc_driver_conf_check_keys(const struct ombc_driver_conf *c,
                                const struct ombc_conf_key_spec *known, const char *driver,
                                char *errstr, size_t errstr_size) {
    static const struct ombc_conf_key_spec implied[] = {
        {"name", OMBC_CONF_SCALAR, NULL},
        {"driverClass", OMBC_CONF_SCALAR, NULL},
    };
    size_t nknown = 0;
    while (known[nknown].name)
        nknown++;
    for (size_t i = 0; i < c->key_count; i++) {
        const struct ombc_conf_key *k = &c->keys[i];
        char shown[OMBC_YAML_SHOW_SIZE];
        ombc_yaml_show(k->key, shown, sizeof(shown));
        const struct ombc_conf_key_spec *spec = NULL;
        for (size_t j = 0; j < 2 && !spec; j++)
            if (strcmp(k->key, implied[j].name) == 0)
                spec = &implied[j];
        for (size_t j = 0; j < nknown && !spec; j++)
            if (strcmp(k->key, known[j].name) == 0)
                spec = &known[j];
        if (!spec) {
            const char *s = ombc_yaml_suggest(k->key, &known[0].name, nknown, sizeof(known[0]));
            if (!s)
                s = ombc_yaml_suggest(k->key, &implied[0].name, 2, sizeof(implied[0]));
            if (s)
                return ombc_errf(errstr, errstr_size, OMBC_EPARSE,
                                 "%s:%d:%d: unknown key '%s' in a %s driver file; did you mean "
                                 "'%s'?",
                                 c->path, k->line, k->column, shown, driver, s);
            char list[512] = "name, driverClass";
            size_t used = strlen(list);
            for (size_t j = 0; j < nknown; j++) {
                int n = snprintf(list + used, sizeof(list) - used, ", %s", known[j].name);
                if (n > 0 && (size_t)n < sizeof(list) - used)
                    used += (size_t)n;
            }
            return ombc_errf(errstr, errstr_size, OMBC_EPARSE,
                             "%s:%d:%d: unknown key '%s' in a %s driver file (known: %s)",
                             c->path, k->line, k->column, shown, driver, list);
        }
        if (spec->kind != OMBC_CONF_ANY && k->kind != OMBC_CONF_NULL && k->kind != spec->kind) {
            return ombc_errf(errstr, errstr_size, OMBC_EPARSE,
                             "%s:%d:%d: key '%s': expected %s%s%s%s, got %s", c->path,
                             k->line, k->column, shown, kind_name(spec->kind),
                             spec->what ? " (" : "", spec->what ? spec->what : "",
                             spec->what ? ")" : "", kind_name(k->kind));
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(c->keys[j].key, k->key) == 0) {
                OMBC_WARN(LOGGER, "%s:%d:%d: key '%s' appears again; the last value is used",
                          c->path, k->line, k->column, shown);
                break;
            }
    }
    return 0;
}

void ombc_driver_conf_text_pos(const struct ombc_driver_conf *c, const struct ombc_conf_entry *e,
                               int text_line, int *line, int *column) {
    *line = e->line;
    *column = e->column;
    if (e->text_line == e->line || text_line < 1 || !c->raw)
        return; /* not a block scalar: its text's lines are not the file's */
    int want = e->text_line + text_line - 1, at = 1;
    const char *p = c->raw, *end = c->raw + c->raw_len;
    while (at < want && p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            return;
        p = nl + 1;
        at++;
    }
    if (at != want || p >= end)
        return;
    int col = 1;
    while (p < end && (*p == ' ' || *p == '\t')) {
        p++;
        col++;
    }
    *line = want;
    *column = col;
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
    char shown[OMBC_YAML_SHOW_SIZE];
    const char *v = e->value;
    int64_t n = 0;
    int rc = ombc_yaml_parse_int(v, &n);
    if (rc == OMBC_EPARSE)
        return ombc_errf(errstr, errstr_size, OMBC_EPARSE,
                         "%s:%d:%d: key '%s': expected an integer, got '%s'", c->path, e->line,
                         e->column, key, ombc_yaml_show(v, shown, sizeof(shown)));
    if (rc != 0 || n < min || n > max)
        return ombc_errf(errstr, errstr_size, OMBC_ERANGE,
                         "%s:%d:%d: key '%s': expected an integer in [%" PRId64 ", %" PRId64
                         "], got '%s'",
                         c->path, e->line, e->column, key, min, max,
                         ombc_yaml_show(v, shown, sizeof(shown)));
    *out = n;
    return 0;
}

int ombc_driver_conf_bool(const struct ombc_driver_conf *c, const char *key, bool def,
                          bool *out, char *errstr, size_t errstr_size) {
    const struct ombc_conf_entry *e = ombc_driver_conf_find(c, key);
    if (!e) {
        *out = def;
        return 0;
    }
    if (ombc_yaml_parse_bool(e->value, out) == 0)
        return 0;
    char shown[OMBC_YAML_SHOW_SIZE];
    return ombc_errf(errstr, errstr_size, OMBC_EPARSE,
                     "%s:%d:%d: key '%s': expected a boolean (true/false), got '%s'", c->path,
                     e->line, e->column, key, ombc_yaml_show(e->value, shown, sizeof(shown)));
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
    char msg[256] = "";
    int rc = ombc_props_parse(props, e->value, msg, sizeof(msg));
    if (rc != 0) {
        int text_line = 0, line, column;
        if (sscanf(msg, "line %d:", &text_line) != 1) /* props.h: "line N: ..." */
            text_line = 0;
        ombc_driver_conf_text_pos(c, e, text_line, &line, &column);
        return ombc_errf(errstr, errstr_size, rc, "%s:%d:%d: key '%s': properties %s", c->path,
                         line, column, key, msg);
    }
    return 0;
}
