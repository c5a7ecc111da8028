/*
 * kafka_props: what the Kafka driver makes of the client properties of an OMB
 * driver file (commonConfig, producerConfig, consumerConfig), which are
 * written for Kafka's Java client while ombc's clients are librdkafka's:
 *   - one table (kafka_props.c) of the Java properties librdkafka has under
 *     another name or spelling, whose value is converted (buffer.memory in
 *     bytes becomes queue.buffering.max.kbytes in KiB), of values beyond
 *     librdkafka's range, which are clamped, of the Java-only properties
 *     librdkafka lacks, which are left out, and of those ombc sets itself;
 *   - the check of a whole driver file before anything starts: every
 *     property through the table and librdkafka's own rd_kafka_conf_set
 *     (errors and warnings as FILE:LINE:COL), then each client
 *     configuration through rd_kafka_new, without connecting.
 * Part of the Kafka driver (it includes librdkafka). The check runs in the
 * coordinator, the translation in the coordinator and in agents; each call
 * is independent and reentrant.
 */
#ifndef OMBC_DRIVER_KAFKA_PROPS_H
#define OMBC_DRIVER_KAFKA_PROPS_H

#include <stdbool.h>
#include <stddef.h>

#include "config/driver_conf.h"
#include "config/props.h"

/** What happens to one property written in a driver file. */
enum ombc_kafka_prop_action {
    OMBC_KAFKA_PROP_PASS = 0,  /**< librdkafka takes it as written */
    OMBC_KAFKA_PROP_RENAMED,   /**< librdkafka has it under another name */
    OMBC_KAFKA_PROP_CONVERTED, /**< same name, the value spelled librdkafka's way */
    OMBC_KAFKA_PROP_DROPPED,   /**< a Java client property librdkafka lacks: left out */
    OMBC_KAFKA_PROP_REPLACED,  /**< passed on, but ombc sets it itself, as OMB does */
};

/** One property as librdkafka gets it. */
struct ombc_kafka_prop {
    enum ombc_kafka_prop_action action;
    bool clamped;      /**< the value was above librdkafka's maximum: value is that maximum */
    const char *key;   /**< the name librdkafka gets; NULL when dropped */
    const char *value; /**< the value librdkafka gets: the input's, or buf */
    const char *note;  /**< a hint for messages (what to use instead...), or NULL */
    char buf[160];
};

/** One entry of the translation table, for tests and documentation. */
struct ombc_kafka_prop_rule {
    const char *java;       /**< the Java client's name, as in OMB's files */
    const char *librdkafka; /**< librdkafka's name; NULL: the same; "": none (Java-only) */
    const char *note;       /**< the conversion or the hint, in words */
};

/**
 * @brief Translates one property for librdkafka (key and value are not
 * copied: out points into them, the table, or out->buf). A property the
 * table does not know passes as written (librdkafka then judges it); a
 * Java-only one is dropped only when this librdkafka lacks the name.
 * @return 0, or OMBC_EINVAL when a value to convert is malformed (errstr:
 *         "buffer.memory: expected an integer number of bytes, got 'x'").
 */
int ombc_kafka_prop_translate(const char *key, const char *value, struct ombc_kafka_prop *out,
                              char *errstr, size_t errstr_size);

/** @brief Entry i of the translation table into out. @return false past its end. */
bool ombc_kafka_prop_rule_get(size_t i, struct ombc_kafka_prop_rule *out);

/**
 * @brief Sets every property of props into a librdkafka configuration
 * (rd_kafka_conf_t *, passed as void * so callers need not include
 * librdkafka) through the table; dropped ones are skipped silently (the
 * coordinator's check warned about them).
 * @return 0, or OMBC_EINVAL with errstr "WHERE: librdkafka's message".
 */
int ombc_kafka_props_apply(const char *where, const struct ombc_props *props, void *rd_conf,
                           char *errstr, size_t errstr_size);

/**
 * @brief Checks the client properties of driver file dc before anything is
 * created: each property of commonConfig, producerConfig and consumerConfig
 * through the table (a warning, with FILE:LINE:COL, for each dropped,
 * clamped or replaced one and a note for each translated one when warn is
 * true) and librdkafka's rd_kafka_conf_set; `reset` (OMB's delete-every-
 * topic switch, which ombc does not do: a warning); embeddedBrokers
 * together with bootstrap.servers (an error); then the producer (common +
 * producer) and consumer (common + consumer) configurations through
 * rd_kafka_new without a broker list, which rejects combinations
 * (enable.idempotence with acks=1...).
 * @return 0, OMBC_EINVAL or OMBC_EPARSE ("FILE:LINE:COL: producerConfig:
 *         librdkafka's message"), OMBC_ENOMEM.
 */
int ombc_kafka_props_check(const struct ombc_driver_conf *dc, bool warn, char *errstr,
                           size_t errstr_size);

#endif
