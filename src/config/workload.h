/*
 * workload: an OMB workload YAML file (OMB-REFERENCE.md section 1) parsed once
 * into a plain struct, with OMB's defaults, ombc's extensions
 * (testDurationSeconds, warmupDurationSeconds, consumerBacklogSizeMB), every
 * key checked for type and range as it is read (an unknown key is an error
 * with a "did you mean"), and the rules between keys checked by
 * ombc_workload_check. Every error names the file, line and column. Used by
 * the coordinator only.
 */
#ifndef OMBC_CONFIG_WORKLOAD_H
#define OMBC_CONFIG_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ombc_key_distributor {
    OMBC_KEY_NO_KEY = 0,
    OMBC_KEY_ROUND_ROBIN, /* "KEY_ROUND_ROBIN" */
    OMBC_KEY_RANDOM_NANO, /* "RANDOM_NANO" */
};

/** Room for the positions of every workload key (the loader has 20). */
#define OMBC_WORKLOAD_MAX_KEYS 32

/** A place in the file, 1-based; line 0 when unknown. */
struct ombc_workload_pos {
    int line;
    int col;
};

struct ombc_workload {
    char *path;      /**< file as given on the command line */
    char *base_name; /**< file name without directory and last extension */
    char *name;      /**< YAML `name` (may be NULL, as in OMB) */
    int topics;
    int partitions_per_topic;
    enum ombc_key_distributor key_distributor;
    int message_size; /**< bytes */
    bool use_randomized_payloads;
    double random_bytes_ratio;
    int randomized_payload_pool_size;
    char *payload_file; /**< as written in the file, or NULL */
    int payload_file_line; /**< position of payloadFile's value (1-based); 0 when unknown */
    int payload_file_col;
    int subscriptions_per_topic;
    int producers_per_topic;
    int consumer_per_subscription;
    int producer_rate;                /**< msg/s in total; 0 = max-rate search */
    int64_t consumer_backlog_size_gb; /**< GiB */
    int64_t consumer_backlog_size_mb; /**< MiB; ombc extension for short runs, wins over GB */
    double backlog_drain_ratio;
    int test_duration_minutes;
    int warmup_duration_minutes;
    int64_t test_duration_seconds;   /**< extension; -1 when absent */
    int64_t warmup_duration_seconds; /**< extension; -1 when absent */
    /** Where each key's value is, in the loader's key order (line 0: absent);
     *  for ombc_workload_check's messages. */
    struct ombc_workload_pos pos[OMBC_WORKLOAD_MAX_KEYS];
    struct ombc_workload_pos root; /**< the top-level mapping */
};

/**
 * @brief Loads a workload file and checks each key it has: known (else an
 * error with the closest known key), a scalar of the right type (integer,
 * boolean, number, keyDistributor value) within its range (counts that
 * must be > 0 refuse 0 and negatives; the others refuse negatives; ratios
 * are within [0, 1]), no NUL byte, and OMB's own rule refusing a backlog
 * with producerRate 0. Keys the file leaves out keep OMB's defaults: see
 * ombc_workload_check for what must be there. On failure errstr holds one
 * line "FILE[:LINE:COL]: problem" and w is left finished (safe to fini
 * again).
 * @return 0, OMBC_ENOENT (cannot read), OMBC_EPARSE (bad YAML, unknown key,
 *         wrong type), OMBC_ERANGE (value out of range), OMBC_ENOMEM.
 */
int ombc_workload_load(const char *path, struct ombc_workload *w, char *errstr,
                       size_t errstr_size);

/** @brief ombc_workload_load of a document held in memory (len bytes of
 *  text, which needs no NUL); path names it in messages. */
int ombc_workload_parse(const char *path, const char *text, size_t len, struct ombc_workload *w,
                        char *errstr, size_t errstr_size);

/**
 * @brief The rules a loaded workload must meet to be run, beyond each key's
 * own type and range: topics, partitionsPerTopic, messageSize,
 * subscriptionsPerTopic, consumerPerSubscription and producersPerTopic
 * present (every missing one is named); randomizedPayloadPoolSize > 0 with
 * useRandomizedPayloads; and topic, partition, producer and consumer totals
 * that fit an int. Messages are "FILE:LINE:COL: problem" (a missing key
 * points at the top-level mapping).
 * @return 0, OMBC_EINVAL (a key missing or null), OMBC_ERANGE.
 */
int ombc_workload_check(const struct ombc_workload *w, char *errstr, size_t errstr_size);

/** @brief Frees what load allocated. Safe on a zeroed struct. */
void ombc_workload_fini(struct ombc_workload *w);

/** @brief Effective measured-phase length in seconds (the seconds extension
 *  wins over the minutes key); 0 means "never ends", as in OMB. */
int64_t ombc_workload_test_seconds(const struct ombc_workload *w);

/** @brief Effective warm-up length in seconds; 0 skips the warm-up. */
int64_t ombc_workload_warmup_seconds(const struct ombc_workload *w);

/** @brief Backlog to build in bytes: consumerBacklogSizeMB MiB when set, else
 *  consumerBacklogSizeGB GiB; 0 = no backlog phase. */
int64_t ombc_workload_backlog_bytes(const struct ombc_workload *w);

/** @brief OMB's name of a key distributor ("NO_KEY", ...). */
const char *ombc_key_distributor_name(enum ombc_key_distributor k);

/**
 * @brief Calls fn for every workload key, in the loader's order, with its
 * value as run (OMB's default when the file left it out; null for an ombc
 * duration key not given): JSON text when raw (numbers, true/false, null),
 * else a string. Stops at fn's first non-zero return. @return that, or 0.
 */
int ombc_workload_each(const struct ombc_workload *w,
                       int (*fn)(void *ctx, const char *key, const char *value, bool raw),
                       void *ctx);

#endif
