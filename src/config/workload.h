/*
 * workload: an OMB workload YAML file (OMB-REFERENCE.md section 1) parsed once
 * into a plain struct, with OMB's defaults, ombc's extensions
 * (testDurationSeconds, warmupDurationSeconds) and checked types. Every error
 * names the file, line and column. Used by the coordinator only.
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
};

/**
 * @brief Loads and checks a workload file. On failure errstr holds one line
 * "FILE[:LINE:COL]: problem" and w is left finished (safe to fini again).
 * @return 0, OMBC_ENOENT (cannot read), OMBC_EPARSE (bad YAML or wrong type),
 *         OMBC_ERANGE (value out of range), OMBC_ENOMEM.
 */
int ombc_workload_load(const char *path, struct ombc_workload *w, char *errstr,
                       size_t errstr_size);

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

#endif
