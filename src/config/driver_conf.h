/*
 * driver_conf: an OMB driver YAML file, kept generic. The core reads only
 * `name` and `driverClass`; every other key is flattened into a map of
 * "a.b.c" -> scalar text with its line and column, so that each driver reads
 * its own keys (and reports errors with file:line:col) without the core
 * knowing them. The raw file bytes are kept for OMB's initialize-driver.
 */
#ifndef OMBC_CONFIG_DRIVER_CONF_H
#define OMBC_CONFIG_DRIVER_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ombc_props;

struct ombc_conf_entry {
    char *key;   /**< flattened path, e.g. "commonConfig" or "client.serverUri" */
    char *value; /**< scalar text; for a sequence, entries are "key[0]", "key[1]"... */
    int line;    /**< 1-based */
    int column;  /**< 1-based */
    int text_line; /**< file line of the value's first text line (after a | or >) */
};

struct ombc_driver_conf {
    char *path;
    char *name;         /**< `name`, required */
    char *driver_class; /**< `driverClass`, required */
    struct ombc_conf_entry *entries;
    size_t entry_count;
    char *raw;          /**< the file's bytes, NUL-terminated */
    size_t raw_len;
};

/**
 * @brief Loads a driver file. @return 0, OMBC_ENOENT, OMBC_EPARSE (bad YAML,
 * missing name/driverClass, non-scalar where a scalar is needed), OMBC_ENOMEM;
 * errstr is "FILE[:LINE:COL]: problem".
 */
int ombc_driver_conf_load(const char *path, struct ombc_driver_conf *c, char *errstr,
                          size_t errstr_size);

/** @brief Parses a driver document held in memory (path is used in messages). */
int ombc_driver_conf_parse(const char *path, const char *text, size_t len,
                           struct ombc_driver_conf *c, char *errstr, size_t errstr_size);

void ombc_driver_conf_fini(struct ombc_driver_conf *c);

/** @brief The entry for key, or NULL. */
const struct ombc_conf_entry *ombc_driver_conf_find(const struct ombc_driver_conf *c,
                                                    const char *key);

/**
 * Typed getters. Absent key: *out = def, return 0. Present but malformed or
 * out of [min, max]: OMBC_EPARSE / OMBC_ERANGE with errstr
 * "FILE:LINE:COL: key 'K': expected an integer, got 'x'".
 */
int ombc_driver_conf_int(const struct ombc_driver_conf *c, const char *key, int64_t def,
                         int64_t min, int64_t max, int64_t *out, char *errstr,
                         size_t errstr_size);
int ombc_driver_conf_bool(const struct ombc_driver_conf *c, const char *key, bool def,
                          bool *out, char *errstr, size_t errstr_size);
/** @brief String value or def (not copied). */
const char *ombc_driver_conf_str(const struct ombc_driver_conf *c, const char *key,
                                 const char *def);

/** @brief Number of entries "key[0]", "key[1]"... of a sequence (0 if none). */
size_t ombc_driver_conf_count(const struct ombc_driver_conf *c, const char *key);

/**
 * @brief Parses the value of key as .properties text into props (which may
 * already hold entries; later pairs replace earlier ones). Absent key: no-op.
 * @return 0, OMBC_EPARSE ("FILE:LINE:COL: key 'K': properties line N: ..."),
 * OMBC_ENOMEM.
 */
int ombc_driver_conf_props(const struct ombc_driver_conf *c, const char *key,
                           struct ombc_props *props, char *errstr, size_t errstr_size);

#endif
