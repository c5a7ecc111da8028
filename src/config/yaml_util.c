/*
 * yaml_util: owns the helpers the YAML config loaders share: file reading,
 * document loading with libyaml errors formatted as FILE:LINE:COL, node kind
 * names, null and NUL detection, value quoting for messages, the "did you
 * mean" of an unknown key, and integer and boolean parsing.
 */
#include "config/yaml_util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/err.h"
#include "core/units.h"

char *ombc_yaml_dup(const char *s, size_t n) {
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

/* ombc_yaml_show of len bytes of value. */
static const char *show_n(const char *value, size_t len, char *out, size_t out_size) {
    size_t o = 0;
    for (size_t i = 0; i < len && o + 5 < out_size; i++) {
        if (i >= OMBC_YAML_SHOW_MAX) {
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

const char *ombc_yaml_show(const char *value, char *out, size_t out_size) {
    return show_n(value, strlen(value), out, out_size);
}

const char *ombc_yaml_show_node(const yaml_node_t *n, char *out, size_t out_size) {
    if (n->type != YAML_SCALAR_NODE)
        return show_n("", 0, out, out_size);
    return show_n((const char *)n->data.scalar.value, n->data.scalar.length, out, out_size);
}

const char *ombc_yaml_describe(const yaml_node_t *n) {
    switch (n->type) {
    case YAML_SCALAR_NODE: return "a scalar";
    case YAML_SEQUENCE_NODE: return "a sequence";
    case YAML_MAPPING_NODE: return "a mapping";
    default: return "nothing";
    }
}

bool ombc_yaml_is_null(const yaml_node_t *n) {
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

bool ombc_yaml_has_nul(const yaml_node_t *n) {
    return n->type == YAML_SCALAR_NODE &&
           memchr(n->data.scalar.value, '\0', n->data.scalar.length) != NULL;
}

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

const char *ombc_yaml_suggest(const char *key, const char *const *base, size_t count,
                              size_t stride) {
#define NAME(i) (*(const char *const *)((const char *)base + (i) * stride))
    for (size_t i = 0; i < count; i++)
        if (strcasecmp(key, NAME(i)) == 0)
            return NAME(i);
    const char *best = NULL;
    int best_d = 3;
    for (size_t i = 0; i < count; i++) {
        int d = distance(key, NAME(i));
        if (d < best_d) {
            best_d = d;
            best = NAME(i);
        }
    }
    return best;
#undef NAME
}

/* Formats a libyaml parser failure as "PATH:LINE:COL: YAML syntax error: problem". */
static int syntax_error(const yaml_parser_t *p, const char *path, const char *text, size_t len,
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

int ombc_yaml_load(const char *path, const char *text, size_t len, yaml_document_t *doc,
                   yaml_node_t **root, char *errstr, size_t errstr_size) {
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        return ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "%s: out of memory", path);
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    if (!yaml_parser_load(&parser, doc)) {
        int rc = syntax_error(&parser, path, text, len, errstr, errstr_size);
        yaml_parser_delete(&parser);
        return rc;
    }
    yaml_parser_delete(&parser);
    yaml_node_t *r = yaml_document_get_root_node(doc);
    int rc = 0;
    if (!r)
        rc = ombc_errf(errstr, errstr_size, OMBC_EPARSE,
                       "%s:1:1: empty document (expected a mapping of keys)", path);
    else if (r->type != YAML_MAPPING_NODE)
        rc = ombc_errf(errstr, errstr_size, OMBC_EPARSE,
                       "%s:%d:%d: expected a mapping at the top level, got %s", path,
                       (int)r->start_mark.line + 1, (int)r->start_mark.column + 1,
                       ombc_yaml_describe(r));
    if (rc != 0) {
        yaml_document_delete(doc);
        return rc;
    }
    *root = r;
    return 0;
}

int ombc_yaml_parse_int(const char *v, int64_t *out) {
    return ombc_units_parse_int(v, INT64_MIN, INT64_MAX, out, NULL, 0);
}

int ombc_yaml_parse_bool(const char *v, bool *out) {
    static const char *const yes[] = {"true", "yes", "on"};
    static const char *const no[] = {"false", "no", "off"};
    for (size_t i = 0; i < 3; i++) {
        if (strcasecmp(v, yes[i]) == 0) {
            *out = true;
            return 0;
        }
        if (strcasecmp(v, no[i]) == 0) {
            *out = false;
            return 0;
        }
    }
    return OMBC_EPARSE;
}
