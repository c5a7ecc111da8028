/*
 * buf: the one growable byte and string buffer: append bytes, strings and
 * printf output, reset, hand over or free. Every text ombc builds piece by
 * piece in memory (the TestResult JSON, the HTML report, the Prometheus
 * page, .properties lines, flattened YAML keys) goes through it. Set-up and
 * reporting code only: it allocates, so never on the per-message path. One
 * buffer belongs to one caller; there is no shared state (any thread).
 *
 * Errors are sticky: the first failed append (out of memory, or a size that
 * overflows) is kept in err, returned by that append and by every later one,
 * which then do nothing. A writer may check each call or only once at the
 * end (ombc_buf_take returns NULL). Nothing is ever cut silently.
 */
#ifndef OMBC_CORE_BUF_H
#define OMBC_CORE_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct ombc_buf {
    char *p;    /**< NUL-terminated once anything was appended; NULL before */
    size_t len; /**< bytes before the NUL */
    size_t cap; /**< bytes allocated */
    int err;    /**< 0, or the first failure (OMBC_ENOMEM): later appends do nothing */
};

/** An empty buffer: `struct ombc_buf b = OMBC_BUF_INIT;` (zeroed is the same). */
#define OMBC_BUF_INIT {NULL, 0, 0, 0}

/**
 * @brief Makes room for extra more bytes (plus the NUL) without changing the
 * text. Growth doubles from 64 bytes.
 * @return 0, or OMBC_ENOMEM (also sticky in b->err).
 */
int ombc_buf_reserve(struct ombc_buf *b, size_t extra);

/** @brief Appends n bytes of s (which may hold NULs). @return 0 or b->err. */
int ombc_buf_putn(struct ombc_buf *b, const char *s, size_t n);

/** @brief Appends the string s. @return 0 or b->err. */
int ombc_buf_puts(struct ombc_buf *b, const char *s);

/** @brief Appends one byte. @return 0 or b->err. */
int ombc_buf_putc(struct ombc_buf *b, char c);

/** @brief Appends printf output, whatever its length. @return 0 or b->err
 *  (OMBC_EINVAL if vsnprintf fails, which only a bad format does). */
int ombc_buf_printf(struct ombc_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/** @brief ombc_buf_printf with a va_list. */
int ombc_buf_vprintf(struct ombc_buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/** @brief Cuts the text to its first len bytes (nothing if len >= b->len). */
void ombc_buf_truncate(struct ombc_buf *b, size_t len);

/** @brief Empties the text (len 0, "" if allocated), keeping the memory,
 *  and clears err. */
void ombc_buf_reset(struct ombc_buf *b);

/**
 * @brief Hands over the text and empties b.
 * @return the malloc'd NUL-terminated text (to free; "" if nothing was
 * appended), or NULL if an append failed or "" cannot be allocated (b is
 * freed either way).
 */
char *ombc_buf_take(struct ombc_buf *b);

/** @brief Frees the text and empties b; safe on an empty or freed buffer. */
void ombc_buf_fini(struct ombc_buf *b);

#endif
