/*
 * units: the one parser of numbers a user types (command-line values,
 * environment variables, YAML integers): decimal integers, sizes with a
 * metric or binary suffix, and durations with a time unit, as wrk's units.c
 * (scan_metric, scan_time), with strtoll's end pointer and overflow checked
 * and a range the caller states. Accepted: an optional sign, decimal digits,
 * then (sizes and durations only) a suffix; no spaces, no fractions, no hex.
 * Failures return a negative OMBC_E* code with errstr naming what was wrong
 * and quoting the input; the caller adds which option or key it was.
 * Stateless; any thread; allocates nothing.
 */
#ifndef OMBC_CORE_UNITS_H
#define OMBC_CORE_UNITS_H

#include <stddef.h>
#include <stdint.h>

#define OMBC_UNITS_NS 1LL
#define OMBC_UNITS_US 1000LL
#define OMBC_UNITS_MS 1000000LL
#define OMBC_UNITS_S 1000000000LL

/**
 * @brief Parses a decimal integer: an optional sign, then digits, nothing else.
 * @param s the text (not NULL); min, max: the range allowed, inclusive.
 * @return 0 with *out set; OMBC_EPARSE for an empty or non-integer text
 * ("empty value, expected an integer", "'12x' is not an integer");
 * OMBC_ERANGE when it does not fit 64 bits or [min, max] ("'99' is out of
 * range [0, 10]"). *out is left alone on failure. errstr may be NULL.
 */
int ombc_units_parse_int(const char *s, int64_t min, int64_t max, int64_t *out, char *errstr,
                         size_t errstr_size);

/**
 * @brief Parses a size: an integer with an optional suffix, k or K (10^3),
 * M (10^6), G (10^9), T (10^12), Ki (2^10), Mi (2^20), Gi (2^30), Ti (2^40),
 * each optionally followed by B, or B alone ("4MiB", "1k", "512B").
 * @return 0 with *out set (bytes, or units); OMBC_EPARSE for an empty text,
 * no digits or an unknown suffix ("'3X': unknown size suffix 'X' (expected
 * k, M, G, T, Ki, Mi, Gi or Ti, optionally followed by B)"); OMBC_ERANGE when
 * the value overflows or falls outside [min, max].
 */
int ombc_units_parse_size(const char *s, int64_t min, int64_t max, int64_t *out, char *errstr,
                          size_t errstr_size);

/**
 * @brief Parses a duration into nanoseconds: an integer followed by ns, us,
 * ms, s, m (minutes) or h ("500ms", "10s", "2m", "1h"); a plain integer is
 * in default_unit_ns (e.g. OMBC_UNITS_S: "10" is ten seconds).
 * @return 0 with *out_ns set; OMBC_EPARSE for an empty text, no digits or an
 * unknown unit ("'5d': unknown time unit 'd' (expected ns, us, ms, s, m or
 * h)"); OMBC_ERANGE when it overflows or falls outside [min_ns, max_ns]
 * ("'2h' is out of range [0, 3600000000000] ns").
 */
int ombc_units_parse_duration(const char *s, int64_t default_unit_ns, int64_t min_ns,
                              int64_t max_ns, int64_t *out_ns, char *errstr, size_t errstr_size);

#endif
