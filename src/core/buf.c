/*
 * buf: see buf.h. Stateless apart from the caller's buffer.
 */
#include "core/buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"

#define FIRST_CAP 64

int ombc_buf_reserve(struct ombc_buf *b, size_t extra) {
    if (b->err)
        return b->err;
    if (extra > SIZE_MAX - 1 - b->len) /* len + extra + 1 would wrap */
        return b->err = OMBC_ENOMEM;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : FIRST_CAP;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *p = realloc(b->p, cap);
    if (!p)
        return b->err = OMBC_ENOMEM;
    if (!b->p)
        p[0] = '\0';
    b->p = p;
    b->cap = cap;
    return 0;
}

int ombc_buf_putn(struct ombc_buf *b, const char *s, size_t n) {
    int rc = ombc_buf_reserve(b, n);
    if (rc != 0)
        return rc;
    if (n > 0)
        memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
    return 0;
}

int ombc_buf_puts(struct ombc_buf *b, const char *s) {
    return ombc_buf_putn(b, s, strlen(s));
}

int ombc_buf_putc(struct ombc_buf *b, char c) {
    return ombc_buf_putn(b, &c, 1);
}

int ombc_buf_vprintf(struct ombc_buf *b, const char *fmt, va_list ap) {
    if (b->err)
        return b->err;
    va_list again;
    va_copy(again, ap);
    /* First into what is free (maybe nothing), then once more if it was short. */
    size_t room = b->cap > b->len ? b->cap - b->len : 0;
    int n = vsnprintf(room ? b->p + b->len : NULL, room, fmt, ap);
    if (n >= 0 && (size_t)n >= room) {
        if (ombc_buf_reserve(b, (size_t)n) == 0)
            n = vsnprintf(b->p + b->len, (size_t)n + 1, fmt, again);
        else
            n = -1;
    }
    va_end(again);
    if (b->err)
        return b->err;
    if (n < 0) {
        if (b->p) /* vsnprintf may have written part of it */
            b->p[b->len] = '\0';
        return b->err = OMBC_EINVAL;
    }
    b->len += (size_t)n;
    return 0;
}

int ombc_buf_printf(struct ombc_buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int rc = ombc_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

void ombc_buf_truncate(struct ombc_buf *b, size_t len) {
    if (len >= b->len)
        return;
    b->len = len;
    b->p[len] = '\0';
}

void ombc_buf_reset(struct ombc_buf *b) {
    b->len = 0;
    b->err = 0;
    if (b->p)
        b->p[0] = '\0';
}

char *ombc_buf_take(struct ombc_buf *b) {
    if (!b->err && !b->p)
        ombc_buf_reserve(b, 0);
    if (b->err) {
        ombc_buf_fini(b);
        return NULL;
    }
    char *p = b->p;
    memset(b, 0, sizeof(*b));
    return p;
}

void ombc_buf_fini(struct ombc_buf *b) {
    free(b->p);
    memset(b, 0, sizeof(*b));
}
