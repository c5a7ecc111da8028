/*
 * props: owns the ordered key/value list and its parser for Java .properties
 * text, following java.util.Properties.load: logical lines joined by an odd
 * number of trailing backslashes, '#'/'!' comment lines, key/value split at the
 * first unescaped '=', ':' or whitespace, and the escapes \t \n \r \f \uXXXX
 * (written out as UTF-8). Leaves YAML and driver semantics to its callers.
 * Called at set-up time only, from any single thread.
 */
#include "config/props.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"

static char *dup_str(const char *s) {
    size_t n = strlen(s);
    char *p = malloc(n + 1);
    if (p)
        memcpy(p, s, n + 1);
    return p;
}

static bool is_ws(char c) {
    return c == ' ' || c == '\t' || c == '\f';
}

static int find_index(const struct ombc_props *props, const char *key) {
    for (size_t i = 0; i < props->count; i++)
        if (strcmp(props->items[i].key, key) == 0)
            return (int)i;
    return -1;
}

/* Sets key to value, remembering the properties line it came from. */
static int set_line(struct ombc_props *props, const char *key, const char *value, int line) {
    char *v = dup_str(value);
    if (!v)
        return OMBC_ENOMEM;
    int i = find_index(props, key);
    if (i >= 0) {
        free(props->items[i].value);
        props->items[i].value = v;
        props->items[i].line = line;
        return 0;
    }
    if (props->count == props->cap) {
        size_t cap = props->cap ? props->cap * 2 : 8;
        struct ombc_prop *items = realloc(props->items, cap * sizeof(*items));
        if (!items) {
            free(v);
            return OMBC_ENOMEM;
        }
        props->items = items;
        props->cap = cap;
    }
    char *k = dup_str(key);
    if (!k) {
        free(v);
        return OMBC_ENOMEM;
    }
    props->items[props->count++] = (struct ombc_prop){.key = k, .value = v, .line = line};
    return 0;
}

static int put_utf8(struct ombc_buf *out, uint32_t cp) {
    char tmp[4];
    size_t n;
    if (cp < 0x80) {
        tmp[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        tmp[0] = (char)(0xC0 | (cp >> 6));
        tmp[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        tmp[0] = (char)(0xE0 | (cp >> 12));
        tmp[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        tmp[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        tmp[0] = (char)(0xF0 | (cp >> 18));
        tmp[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        tmp[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        tmp[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    for (size_t i = 0; i < n; i++)
        if (ombc_buf_putc(out, tmp[i]) != 0)
            return OMBC_ENOMEM;
    return 0;
}

/* Reads the 4 hex digits of a \u escape at s[0..3] (within len). */
static bool read_hex4(const char *s, size_t len, uint32_t *out) {
    if (len < 4)
        return false;
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (uint32_t)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (uint32_t)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (uint32_t)(c - 'A' + 10);
        else
            return false;
    }
    *out = v;
    return true;
}

static int oom(int line, char *errstr, size_t errstr_size) {
    return ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "line %d: out of memory", line);
}

/*
 * Java's loadConvert: resolves escapes in s[0..len) into out (reset first).
 * A UTF-16 surrogate pair written as two \u escapes becomes one code point; an
 * unpaired surrogate becomes U+FFFD.
 */
static int convert(const char *s, size_t len, struct ombc_buf *out, int line, char *errstr,
                   size_t errstr_size) {
    ombc_buf_reset(out);
    if (ombc_buf_reserve(out, 0) != 0) /* "" for an empty key or value */
        return oom(line, errstr, errstr_size);
    size_t i = 0;
    while (i < len) {
        char c = s[i++];
        if (c != '\\') {
            if (ombc_buf_putc(out, c) != 0)
                return oom(line, errstr, errstr_size);
            continue;
        }
        if (i >= len) /* a lone trailing backslash: dropped, as the line reader does */
            break;
        c = s[i++];
        int rc = 0;
        switch (c) {
        case 't': rc = ombc_buf_putc(out, '\t'); break;
        case 'n': rc = ombc_buf_putc(out, '\n'); break;
        case 'r': rc = ombc_buf_putc(out, '\r'); break;
        case 'f': rc = ombc_buf_putc(out, '\f'); break;
        case 'u': {
            uint32_t cp;
            if (!read_hex4(s + i, len - i, &cp))
                return ombc_errf(errstr, errstr_size, OMBC_EPARSE,
                                 "line %d: malformed \\uXXXX encoding", line);
            i += 4;
            if (cp == 0)
                return ombc_errf(errstr, errstr_size, OMBC_EPARSE,
                                 "line %d: \\u0000 cannot be stored in a C string", line);
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                uint32_t lo;
                if (len - i >= 6 && s[i] == '\\' && s[i + 1] == 'u' &&
                    read_hex4(s + i + 2, len - i - 2, &lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    i += 6;
                } else {
                    cp = 0xFFFD;
                }
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                cp = 0xFFFD;
            }
            rc = put_utf8(out, cp);
            break;
        }
        default: rc = ombc_buf_putc(out, c); break; /* \\ \= \: \# \! "\ " and any other */
        }
        if (rc != 0)
            return oom(line, errstr, errstr_size);
    }
    return 0;
}

/* Splits one logical line into key and value (Java's load0) and sets them. */
static int parse_pair(struct ombc_props *props, const char *ln, size_t limit, int line,
                      struct ombc_buf *key, struct ombc_buf *val, char *errstr, size_t errstr_size) {
    size_t key_len = 0;
    size_t value_start = limit;
    bool has_sep = false;
    bool preceding_backslash = false;
    while (key_len < limit) {
        char c = ln[key_len];
        if ((c == '=' || c == ':') && !preceding_backslash) {
            value_start = key_len + 1;
            has_sep = true;
            break;
        }
        if (is_ws(c) && !preceding_backslash) {
            value_start = key_len + 1;
            break;
        }
        preceding_backslash = (c == '\\') ? !preceding_backslash : false;
        key_len++;
    }
    while (value_start < limit) {
        char c = ln[value_start];
        if (!is_ws(c)) {
            if (!has_sep && (c == '=' || c == ':'))
                has_sep = true;
            else
                break;
        }
        value_start++;
    }
    int rc = convert(ln, key_len, key, line, errstr, errstr_size);
    if (rc == 0)
        rc = convert(ln + value_start, limit - value_start, val, line, errstr, errstr_size);
    if (rc == 0)
        rc = set_line(props, key->p, val->p, line);
    if (rc == OMBC_ENOMEM)
        return oom(line, errstr, errstr_size);
    return rc;
}

/* Consumes one line terminator (\n, \r or \r\n) at text[*i], if any. */
static bool eat_newline(const char *text, size_t *i) {
    if (text[*i] == '\r') {
        (*i)++;
        if (text[*i] == '\n')
            (*i)++;
        return true;
    }
    if (text[*i] == '\n') {
        (*i)++;
        return true;
    }
    return false;
}

int ombc_props_parse(struct ombc_props *props, const char *text, char *errstr,
                     size_t errstr_size) {
    struct ombc_buf ln = OMBC_BUF_INIT, key = OMBC_BUF_INIT, val = OMBC_BUF_INIT;
    size_t i = 0;
    int line_no = 1; /* natural line at text[i] */
    int rc = 0;
    while (rc == 0 && text[i] != '\0') {
        int start_line = line_no;
        while (is_ws(text[i]))
            i++;
        if (text[i] == '\0')
            break;
        if (eat_newline(text, &i)) { /* blank line */
            line_no++;
            continue;
        }
        if (text[i] == '#' || text[i] == '!') { /* comments never continue */
            while (text[i] != '\0' && text[i] != '\n' && text[i] != '\r')
                i++;
            if (eat_newline(text, &i))
                line_no++;
            continue;
        }
        ombc_buf_reset(&ln);
        for (;;) {
            size_t backslashes = 0;
            while (text[i] != '\0' && text[i] != '\n' && text[i] != '\r') {
                if (ombc_buf_putc(&ln, text[i]) != 0) {
                    rc = ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "line %d: out of memory",
                                   start_line);
                    goto out;
                }
                backslashes = text[i] == '\\' ? backslashes + 1 : 0;
                i++;
            }
            bool more = eat_newline(text, &i);
            if (more)
                line_no++;
            if (backslashes % 2 == 0)
                break;
            ombc_buf_truncate(&ln, ln.len - 1); /* the continuation backslash */
            if (!more)
                break;
            while (is_ws(text[i]))
                i++;
            /* A continuation onto an empty line ends the logical line there. */
            if (eat_newline(text, &i)) {
                line_no++;
                break;
            }
            if (text[i] == '\0')
                break;
        }
        if (ln.len > 0)
            rc = parse_pair(props, ln.p, ln.len, start_line, &key, &val, errstr,
                            errstr_size);
    }
out:
    ombc_buf_fini(&ln);
    ombc_buf_fini(&key);
    ombc_buf_fini(&val);
    return rc;
}

int ombc_props_set(struct ombc_props *props, const char *key, const char *value) {
    return set_line(props, key, value, 0);
}

const char *ombc_props_get(const struct ombc_props *props, const char *key) {
    int i = find_index(props, key);
    return i >= 0 ? props->items[i].value : NULL;
}

int ombc_props_merge(struct ombc_props *dst, const struct ombc_props *src) {
    for (size_t i = 0; i < src->count; i++) {
        int rc = set_line(dst, src->items[i].key, src->items[i].value, src->items[i].line);
        if (rc != 0)
            return rc;
    }
    return 0;
}

void ombc_props_fini(struct ombc_props *props) {
    if (!props)
        return;
    for (size_t i = 0; i < props->count; i++) {
        free(props->items[i].key);
        free(props->items[i].value);
    }
    free(props->items);
    memset(props, 0, sizeof(*props));
}
