/*
 * yaml_util: owns what the YAML config loaders (driver_conf, workload) share:
 * reading a whole file, loading one libyaml document whose root must be a
 * mapping (syntax errors reported as FILE:LINE:COL), naming node kinds, YAML
 * null detection, NUL bytes in scalars, quoting a bad value for a one-line
 * message, the "did you mean" for an unknown key, and the integer and
 * boolean spellings both accept. Knows no keys; what they mean is left to
 * the loaders. Called at set-up time, from one thread.
 */
#ifndef OMBC_CONFIG_YAML_UTIL_H
#define OMBC_CONFIG_YAML_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yaml.h>

#define OMBC_YAML_SHOW_MAX 60                        /* bytes of a bad value quoted */
#define OMBC_YAML_SHOW_SIZE (OMBC_YAML_SHOW_MAX + 8) /* buffer for ombc_yaml_show */

/** @brief Copies n bytes of s and a NUL into a new malloc'd string. @return it, or NULL. */
char *ombc_yaml_dup(const char *s, size_t n);

/**
 * @brief Quotes value for a one-line message into out: newline, tab and CR
 * escaped, other control characters as '?', text past OMBC_YAML_SHOW_MAX
 * bytes cut to "...". out_size is at least 1 (OMBC_YAML_SHOW_SIZE shows all).
 * @return out.
 */
const char *ombc_yaml_show(const char *value, char *out, size_t out_size);

/** @brief ombc_yaml_show of a scalar node's whole value (len bytes: a NUL in
 *  it shows as '?', as other control characters do). */
const char *ombc_yaml_show_node(const yaml_node_t *n, char *out, size_t out_size);

/** @brief "a scalar", "a sequence", "a mapping" or "nothing", for messages. */
const char *ombc_yaml_describe(const yaml_node_t *n);

/** @brief True for a plain scalar spelling YAML null (`key:`, `~`, `null`), or a !!null. */
bool ombc_yaml_is_null(const yaml_node_t *n);

/** @brief True for a scalar holding a NUL byte, which a C string would cut short
 *  (YAML writes one as "\0" in double quotes). */
bool ombc_yaml_has_nul(const yaml_node_t *n);

/**
 * @brief The known name closest to an unknown key, for "did you mean": an
 * exact case-insensitive match first, else the nearest within 2 edits.
 * The count names are strings at base, base + stride, ... (so a table of
 * structs whose first member is the name can be passed directly).
 * @return the name (one of the table's pointers), or NULL when none is close.
 */
const char *ombc_yaml_suggest(const char *key, const char *const *base, size_t count,
                              size_t stride);

/**
 * @brief Loads the first YAML document of text (len bytes) into *doc and
 * checks its root is a mapping, stored in *root. On success the caller
 * frees doc with yaml_document_delete; on failure nothing is left to free.
 * @return 0, OMBC_EPARSE ("PATH:LINE:COL: YAML syntax error: ...",
 * "PATH:1:1: empty document (expected a mapping of keys)", "PATH:LINE:COL:
 * expected a mapping at the top level, got ...") or OMBC_ENOMEM.
 */
int ombc_yaml_load(const char *path, const char *text, size_t len, yaml_document_t *doc,
                   yaml_node_t **root, char *errstr, size_t errstr_size);

/**
 * @brief Parses a decimal integer: an optional sign, then digits, nothing else
 * (core/units does the parsing).
 * @return 0 with *out set, OMBC_EPARSE, or OMBC_ERANGE if it does not fit.
 */
int ombc_yaml_parse_int(const char *v, int64_t *out);

/**
 * @brief Parses true/yes/on or false/no/off, in any case.
 * @return 0 with *out set, or OMBC_EPARSE.
 */
int ombc_yaml_parse_bool(const char *v, bool *out);

#endif
