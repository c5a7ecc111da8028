/*
 * html: a growing NUL-terminated buffer for the report's markup and the
 * one HTML escaping function every string from a result goes through.
 * Growth doubles from 64 KiB (a report is a few hundred KiB). Stateless
 * apart from the caller's buffer; any thread.
 */
#include "report/html.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ombc_html_putn(struct ombc_html *h, const char *s, size_t n) {
    if (h->oom)
        return;
    if (h->len + n + 1 > h->cap) {
        size_t cap = h->cap ? h->cap : 64 * 1024;
        while (cap < h->len + n + 1)
            cap *= 2;
        char *p = realloc(h->p, cap);
        if (!p) {
            h->oom = true;
            return;
        }
        h->p = p;
        h->cap = cap;
    }
    memcpy(h->p + h->len, s, n);
    h->len += n;
    h->p[h->len] = '\0';
}

void ombc_html_puts(struct ombc_html *h, const char *s) {
    ombc_html_putn(h, s, strlen(s));
}

void ombc_html_printf(struct ombc_html *h, const char *fmt, ...) {
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof(small)) {
        ombc_html_putn(h, small, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big) {
        h->oom = true;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    ombc_html_putn(h, big, (size_t)n);
    free(big);
}

void ombc_html_esc(struct ombc_html *h, const char *s) {
    const char *run = s;
    for (; s && *s; s++) {
        const char *entity = NULL;
        switch (*s) {
        case '&': entity = "&amp;"; break;
        case '<': entity = "&lt;"; break;
        case '>': entity = "&gt;"; break;
        case '"': entity = "&quot;"; break;
        case '\'': entity = "&#39;"; break;
        default: continue;
        }
        ombc_html_putn(h, run, (size_t)(s - run));
        ombc_html_puts(h, entity);
        run = s + 1;
    }
    if (run)
        ombc_html_putn(h, run, (size_t)(s - run));
}

char *ombc_html_take(struct ombc_html *h) {
    if (h->oom) {
        ombc_html_fini(h);
        return NULL;
    }
    if (!h->p)
        ombc_html_putn(h, "", 0);
    char *p = h->oom ? NULL : h->p;
    if (!p)
        ombc_html_fini(h);
    memset(h, 0, sizeof(*h));
    return p;
}

void ombc_html_fini(struct ombc_html *h) {
    free(h->p);
    memset(h, 0, sizeof(*h));
}
