/*
 * html: see html.h. Stateless apart from the caller's buffer; any thread.
 */
#include "report/html.h"

void ombc_html_escn(struct ombc_buf *b, const char *s, size_t n) {
    if (!s)
        return;
    const char *run = s, *end = s;
    for (; (size_t)(end - s) < n && *end; end++) {
        const char *entity = NULL;
        switch (*end) {
        case '&': entity = "&amp;"; break;
        case '<': entity = "&lt;"; break;
        case '>': entity = "&gt;"; break;
        case '"': entity = "&quot;"; break;
        case '\'': entity = "&#39;"; break;
        default: continue;
        }
        ombc_buf_putn(b, run, (size_t)(end - run));
        ombc_buf_puts(b, entity);
        run = end + 1;
    }
    ombc_buf_putn(b, run, (size_t)(end - run));
}

void ombc_html_esc(struct ombc_buf *b, const char *s) {
    ombc_html_escn(b, s, (size_t)-1);
}
