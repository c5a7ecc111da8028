/*
 * html: HTML escaping, the one function every string from a result goes
 * through on its way into the report. The report's text is a core/buf
 * (struct ombc_buf): appends never need checking one by one, the buffer's
 * sticky error makes ombc_buf_take return NULL at the end. Used by
 * report/chart and report/chart_svg; stateless, any thread.
 */
#ifndef OMBC_REPORT_HTML_H
#define OMBC_REPORT_HTML_H

#include <stddef.h>

#include "core/buf.h"

/** @brief Appends s (NULL: nothing) escaped for HTML text and for attribute
 *  values in either quotes: & < > " ' become entities. */
void ombc_html_esc(struct ombc_buf *b, const char *s);

/** @brief Appends the first n bytes of s (fewer if s ends first) escaped as
 *  ombc_html_esc does. */
void ombc_html_escn(struct ombc_buf *b, const char *s, size_t n);

#endif
