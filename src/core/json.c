/*
 * json: see json.h.
 */
#include "core/json.h"

#include <string.h>

#include "core/buf.h"

/* The escape of c into out (at least 7 bytes, NUL-terminated). @return its length. */
static size_t escape_char(unsigned char c, char *out) {
    static const char hex[] = "0123456789ABCDEF";
    char s = 0;
    switch (c) {
    case '"': s = '"'; break;
    case '\\': s = '\\'; break;
    case '\b': s = 'b'; break;
    case '\t': s = 't'; break;
    case '\n': s = 'n'; break;
    case '\f': s = 'f'; break;
    case '\r': s = 'r'; break;
    default:
        if (c < 0x20) {
            memcpy(out, "\\u00", 4);
            out[4] = hex[c >> 4];
            out[5] = hex[c & 15];
            out[6] = '\0';
            return 6;
        }
        out[0] = (char)c;
        out[1] = '\0';
        return 1;
    }
    out[0] = '\\';
    out[1] = s;
    out[2] = '\0';
    return 2;
}

size_t ombc_json_escape(char *dst, size_t size, const char *s) {
    size_t need = 0, written = 0;
    int cut = 0;
    for (; *s; s++) {
        char e[7];
        size_t k = escape_char((unsigned char)*s, e);
        if (!cut && written + k < size) {
            memcpy(dst + written, e, k);
            written += k;
        } else {
            cut = 1;
        }
        need += k;
    }
    if (size > 0)
        dst[written] = '\0';
    return need;
}

int ombc_json_put_string(struct ombc_buf *b, const char *s) {
    if (!s)
        return ombc_buf_puts(b, "null");
    ombc_buf_putc(b, '"');
    const char *run = s; /* bytes that need no escape go in runs */
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        char e[7];
        size_t k = escape_char(c, e);
        ombc_buf_putn(b, run, (size_t)(s - run));
        ombc_buf_putn(b, e, k);
        run = s + 1;
    }
    ombc_buf_putn(b, run, (size_t)(s - run));
    return ombc_buf_putc(b, '"');
}
