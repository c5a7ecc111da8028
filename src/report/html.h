/*
 * html: the growing text buffer the HTML report is written into, and HTML
 * escaping. Appends never fail outright: running out of memory sets oom,
 * later appends do nothing, and ombc_html_take then returns NULL, so a
 * writer checks once at the end. Used by report/chart and report/chart_svg;
 * one buffer per caller, no shared state.
 */
#ifndef OMBC_REPORT_HTML_H
#define OMBC_REPORT_HTML_H

#include <stdbool.h>
#include <stddef.h>

struct ombc_html {
    char *p;    /**< NUL-terminated once anything was appended */
    size_t len; /**< bytes before the NUL */
    size_t cap; /**< bytes allocated */
    bool oom;   /**< an append ran out of memory; the text is incomplete */
};

/** @brief Appends n bytes of s as they are (markup). */
void ombc_html_putn(struct ombc_html *h, const char *s, size_t n);

/** @brief Appends s as it is (markup). */
void ombc_html_puts(struct ombc_html *h, const char *s);

/** @brief Appends printf-formatted markup; escape any text through ombc_html_esc. */
void ombc_html_printf(struct ombc_html *h, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/** @brief Appends s (NULL: nothing) escaped for HTML text and for attribute
 *  values in either quotes: & < > " ' become entities. */
void ombc_html_esc(struct ombc_html *h, const char *s);

/**
 * @brief Hands over the text and empties h.
 * @return the malloc'd NUL-terminated text (an empty one if nothing was
 * appended), or NULL if an append ran out of memory (h freed either way).
 */
char *ombc_html_take(struct ombc_html *h);

/** @brief Frees the text and empties h. */
void ombc_html_fini(struct ombc_html *h);

#endif
