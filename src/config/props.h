/*
 * props: an ordered list of string key/value pairs, parsed from Java
 * .properties text (OMB's commonConfig, producerConfig, consumerConfig,
 * topicConfig). Setting an existing key replaces its value in place, so
 * layering (common, then producer) is "set all of common, then all of
 * producer". Used at set-up time only.
 */
#ifndef OMBC_CONFIG_PROPS_H
#define OMBC_CONFIG_PROPS_H

#include <stddef.h>

struct ombc_prop {
    char *key;
    char *value;
    int line; /**< 1-based line within the properties text, 0 if set in code */
};

struct ombc_props {
    struct ombc_prop *items;
    size_t count;
    size_t cap;
};

/**
 * @brief Parses .properties text (key=value, key: value, key value; # and !
 * comments; backslash continuation and escapes; blank lines) and sets each
 * pair into props (which may already hold entries).
 * @return 0, OMBC_EPARSE with errstr "line N: ...", OMBC_ENOMEM.
 */
int ombc_props_parse(struct ombc_props *props, const char *text, char *errstr,
                     size_t errstr_size);

/** @brief Sets key to value (copies both). @return 0 or OMBC_ENOMEM. */
int ombc_props_set(struct ombc_props *props, const char *key, const char *value);

/** @brief Value of key or NULL. */
const char *ombc_props_get(const struct ombc_props *props, const char *key);

/** @brief Sets every pair of src into dst, in order. @return 0 or OMBC_ENOMEM. */
int ombc_props_merge(struct ombc_props *dst, const struct ombc_props *src);

void ombc_props_fini(struct ombc_props *props);

#endif
