/*
 * json: the one JSON string escaper ombc has, for the JSON it writes by hand
 * (cJSON writes the rest): the TestResult file in Jackson's layout
 * (stats/report.c) and --log-format json lines (core/log.c). It escapes as
 * Jackson does: '"', '\\', the short forms \b \t \n \f \r, other control
 * characters as \u00XX (upper-case hex); every other byte as it is (UTF-8
 * passes through). Stateless; any thread; allocates only through a buf.
 */
#ifndef OMBC_CORE_JSON_H
#define OMBC_CORE_JSON_H

#include <stddef.h>

struct ombc_buf;

/**
 * @brief Escapes s (the contents of a JSON string, without the quotes) into
 * dst, always NUL-terminated when size > 0. Only whole escapes are written:
 * when dst is too small the text stops before the first one that does not
 * fit, so what was written is valid JSON string contents.
 * @return the length the whole escaped text needs (as snprintf): it was cut
 * if the return is >= size. Allocates nothing (log lines use it).
 */
size_t ombc_json_escape(char *dst, size_t size, const char *s);

/**
 * @brief Appends s as a JSON string, quotes included; NULL appends null.
 * @return 0 or the buffer's error (OMBC_ENOMEM; core/buf.h).
 */
int ombc_json_put_string(struct ombc_buf *b, const char *s);

#endif
