/*
 * units: see units.h. A number is read by strtoll once; a suffix is looked
 * up in a table and multiplied in with an overflow check.
 */
#include "core/units.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"

#define SHOWN "'%.64s'" /* how an input is quoted in errstr */

struct unit {
    const char *suffix;
    int64_t scale;
};

static const struct unit size_units[] = {
    {"", 1},
    {"k", 1000LL},
    {"K", 1000LL},
    {"M", 1000000LL},
    {"G", 1000000000LL},
    {"T", 1000000000000LL},
    {"Ki", 1LL << 10},
    {"Mi", 1LL << 20},
    {"Gi", 1LL << 30},
    {"Ti", 1LL << 40},
};

static const struct unit time_units[] = {
    {"ns", 1},
    {"us", OMBC_UNITS_US},
    {"ms", OMBC_UNITS_MS},
    {"s", OMBC_UNITS_S},
    {"m", 60 * OMBC_UNITS_S},
    {"h", 3600 * OMBC_UNITS_S},
};

/* The leading integer of s: *end at what follows it.
 * @return 0, OMBC_EPARSE (no digits) or OMBC_ERANGE (over 64 bits). */
static int scan(const char *s, int64_t *v, const char **end, char *errstr, size_t errstr_size,
                const char *what) {
    if (*s == '\0')
        return ombc_errf(errstr, errstr_size, OMBC_EPARSE, "empty value, expected %s", what);
    const char *d = (*s == '-' || *s == '+') ? s + 1 : s;
    if (*d < '0' || *d > '9') /* strtoll would skip spaces and take "-" for 0 */
        return ombc_errf(errstr, errstr_size, OMBC_EPARSE, SHOWN " is not %s", s, what);
    char *e;
    errno = 0;
    long long n = strtoll(s, &e, 10);
    if (errno == ERANGE)
        return ombc_errf(errstr, errstr_size, OMBC_ERANGE, SHOWN " does not fit in 64 bits", s);
    *v = (int64_t)n;
    *end = e;
    return 0;
}

/* v * scale, checked against [min, max]. */
static int scale_in_range(const char *s, int64_t v, int64_t scale, int64_t min, int64_t max,
                          const char *unit, int64_t *out, char *errstr, size_t errstr_size) {
    if ((v > 0 && v > INT64_MAX / scale) || (v < 0 && v < INT64_MIN / scale))
        return ombc_errf(errstr, errstr_size, OMBC_ERANGE, SHOWN " does not fit in 64 bits", s);
    v *= scale;
    if (v < min || v > max)
        return ombc_errf(errstr, errstr_size, OMBC_ERANGE,
                         SHOWN " is out of range [%" PRId64 ", %" PRId64 "]%s", s, min, max,
                         unit);
    *out = v;
    return 0;
}

int ombc_units_parse_int(const char *s, int64_t min, int64_t max, int64_t *out, char *errstr,
                         size_t errstr_size) {
    int64_t v;
    const char *end;
    int rc = scan(s, &v, &end, errstr, errstr_size, "an integer");
    if (rc != 0)
        return rc;
    if (*end != '\0')
        return ombc_errf(errstr, errstr_size, OMBC_EPARSE, SHOWN " is not an integer", s);
    return scale_in_range(s, v, 1, min, max, "", out, errstr, errstr_size);
}

int ombc_units_parse_size(const char *s, int64_t min, int64_t max, int64_t *out, char *errstr,
                          size_t errstr_size) {
    int64_t v;
    const char *end;
    int rc = scan(s, &v, &end, errstr, errstr_size, "a size");
    if (rc != 0)
        return rc;
    size_t n = strlen(end);
    if (n > 0 && end[n - 1] == 'B') /* "4MiB", "1kB", "512B" */
        n--;
    for (size_t i = 0; i < sizeof(size_units) / sizeof(size_units[0]); i++)
        if (strlen(size_units[i].suffix) == n && strncmp(size_units[i].suffix, end, n) == 0)
            return scale_in_range(s, v, size_units[i].scale, min, max, "", out, errstr,
                                  errstr_size);
    return ombc_errf(errstr, errstr_size, OMBC_EPARSE,
                     SHOWN ": unknown size suffix '%.16s' (expected k, M, G, T, Ki, Mi, Gi or "
                           "Ti, optionally followed by B)",
                     s, end);
}

int ombc_units_parse_duration(const char *s, int64_t default_unit_ns, int64_t min_ns,
                              int64_t max_ns, int64_t *out_ns, char *errstr,
                              size_t errstr_size) {
    int64_t v;
    const char *end;
    int rc = scan(s, &v, &end, errstr, errstr_size, "a duration");
    if (rc != 0)
        return rc;
    int64_t scale = *end == '\0' ? default_unit_ns : 0;
    for (size_t i = 0; !scale && i < sizeof(time_units) / sizeof(time_units[0]); i++)
        if (strcmp(time_units[i].suffix, end) == 0)
            scale = time_units[i].scale;
    if (scale <= 0)
        return ombc_errf(errstr, errstr_size, OMBC_EPARSE,
                         SHOWN ": unknown time unit '%.16s' (expected ns, us, ms, s, m or h)", s,
                         end);
    return scale_in_range(s, v, scale, min_ns, max_ns, " ns", out_ns, errstr, errstr_size);
}
