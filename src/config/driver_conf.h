/*
 * driver_conf: an OMB driver YAML file, kept generic. The core reads only
 * `name` and `driverClass`; every other key is flattened into a map of
 * "a.b.c" -> scalar text with its line and column, so that each driver reads
 * its own keys (and reports errors with file:line:col) without the core
 * knowing them. The top-level keys are also kept with their places and
 * kinds, so that they can be checked against the keys a driver declares
 * (ombc_driver_conf_check_keys). The raw file bytes are kept for OMB's
 * initialize-driver.
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

/** What a top-level value is. */
enum ombc_conf_kind {
    OMBC_CONF_ANY = 0,  /**< in a key spec: any kind */
    OMBC_CONF_NULL,     /**< `key:`, `~`, `null` */
    OMBC_CONF_SCALAR,
    OMBC_CONF_SEQUENCE,
    OMBC_CONF_MAPPING,
};

/** A top-level key of the file, in file order (repeats included). */
struct ombc_conf_key {
    char *key;
    enum ombc_conf_kind kind; /**< of its value */
    int line;                 /**< of the key, 1-based */
    int column;
};

/** A top-level key a driver reads (name and driverClass are implied). */
struct ombc_conf_key_spec {
    const char *name;
    enum ombc_conf_kind kind; /**< what its value must be; NULL is always accepted */
    const char *what;         /**< its value for messages ("properties text") or NULL */
};

struct ombc_driver_conf {
    char *path;
    char *name;         /**< `name`, required */
    char *driver_class; /**< `driverClass`, required */
    struct ombc_conf_entry *entries;
    size_t entry_count;
    struct ombc_conf_key *keys; /**< the top-level keys */
    size_t key_count;
    char *raw;          /**< the file's bytes, NUL-terminated */
    size_t raw_len;
    /** The broker this process hosts for this configuration (a driver's
     *  fixture_start result, set by whoever started it; not owned, never
     *  written to a file or sent to another process), or NULL. */
    struct ombc_fixture *fixture;
};

/**
 * @brief Loads a driver file. @return 0, OMBC_ENOENT, OMBC_EPARSE (bad YAML,
 * missing name/driverClass, non-scalar where a scalar is needed, a NUL
 * byte in a key or value, nesting or alias expansion beyond the limits),
 * OMBC_ENOMEM; errstr is "FILE[:LINE:COL]: problem".
 */
int ombc_driver_conf_load(const char *path, struct ombc_driver_conf *c, char *errstr,
                          size_t errstr_size);

/** @brief Parses a driver document held in memory (path is used in messages). */
int ombc_driver_conf_parse(const char *path, const char *text, size_t len,
                           struct ombc_driver_conf *c, char *errstr, size_t errstr_size);

void ombc_driver_conf_fini(struct ombc_driver_conf *c);

/** One change of ombc_driver_conf_edit, to a top-level key. */
struct ombc_conf_edit {
    const char *key;
    const char *value; /**< the key's new scalar text, or NULL: remove the key */
};

/**
 * @brief A new driver file made from c's text with edits applied to its
 * top-level keys (a key set that c lacks is added at the end; everything
 * else, nested values included, is kept), emitted as YAML and parsed into
 * out as ombc_driver_conf_parse does (path: c's), so out's raw text and
 * entries agree. For a driver that hands clients a file of its own (a
 * fixture's client configuration). out is the caller's to fini.
 * @return 0, OMBC_EPARSE (c's text does not parse, or out would be no
 * driver file), OMBC_ENOMEM; errstr names c's path.
 */
int ombc_driver_conf_edit(const struct ombc_driver_conf *c, const struct ombc_conf_edit *edits,
                          size_t count, struct ombc_driver_conf *out, char *errstr,
                          size_t errstr_size);

/**
 * @brief Checks every top-level key of c against those its driver reads
 * (known, {NULL}-terminated; name and driverClass are implied): an unknown
 * key is an error naming the closest known one, a value of the wrong kind
 * an error naming what is expected. A key given twice is a warning (the
 * last value is used). driver names the driver in messages ("Kafka").
 * @return 0 or OMBC_EPARSE ("FILE:LINE:COL: unknown key 'x' in a Kafka driver
 * file; did you mean 'y'?").
 */
int ombc_driver_conf_check_keys(const struct ombc_driver_conf *c,
                                const struct ombc_conf_key_spec *known, const char *driver,
                                char *errstr, size_t errstr_size);

/**
 * @brief Where line text_line (1-based) of entry e's text is in the file:
 * for a block scalar (| or >), that file line and the column of its first
 * non-blank character; for any other scalar, the value's own place.
 */
void ombc_driver_conf_text_pos(const struct ombc_driver_conf *c, const struct ombc_conf_entry *e,
                               int text_line, int *line, int *column);

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
 * @return 0, OMBC_EPARSE ("FILE:LINE:COL: key 'K': properties line N: ...",
 * LINE:COL being where that properties line is in the file), OMBC_ENOMEM.
 */
int ombc_driver_conf_props(const struct ombc_driver_conf *c, const char *key,
                           struct ombc_props *props, char *errstr, size_t errstr_size);

#endif
