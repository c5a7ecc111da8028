/*
 * fuzz_workload: libFuzzer target for the workload loader
 * (config/workload.c over config/yaml_util.c and libyaml).
 *
 * Each input is a workload document (ombc_workload_parse). A load that
 * succeeds must hold only values its keys allow (counts within their
 * ranges, ratios within [0, 1], a known key distributor, OMB's backlog
 * rule), and ombc_workload_check of it must either pass, with every
 * required count > 0 and the totals within an int, or fail with a known
 * code and a one-line "fuzz.yaml:LINE:COL: ..." message. A failed load
 * must give a known code, a one-line message naming the file, and a
 * finished struct. Loading is deterministic: the same bytes twice give the
 * same outcome. A violated invariant aborts, which libFuzzer reports as a
 * crash; ASan and UBSan report the rest. Built and run by scripts/fuzz.sh,
 * corpus in tests/fuzz/workload/.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/workload.h"
#include "core/err.h"
#include "core/log.h"
#include "fuzz.h"

#define PATH "fuzz.yaml"

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    ombc_log_init(OMBC_LOG_ERROR, "fuzz"); /* no repeated-key warnings */
    return 0;
}

/* A message: non-empty, one line, about the file. */
static void check_message(const char *err) {
    CHECK(err[0] != '\0');
    CHECK(strchr(err, '\n') == NULL);
    CHECK(strncmp(err, PATH, strlen(PATH)) == 0);
}

static void check_loaded(const struct ombc_workload *w) {
    CHECK(w->path && strcmp(w->path, PATH) == 0);
    CHECK(w->base_name && strcmp(w->base_name, "fuzz") == 0);
    const int counts[] = {w->topics, w->partitions_per_topic, w->message_size,
                          w->subscriptions_per_topic, w->producers_per_topic,
                          w->consumer_per_subscription, w->producer_rate,
                          w->randomized_payload_pool_size, w->test_duration_minutes,
                          w->warmup_duration_minutes};
    for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
        CHECK(counts[i] >= 0);
    CHECK(w->random_bytes_ratio >= 0.0 && w->random_bytes_ratio <= 1.0);
    CHECK(w->backlog_drain_ratio >= 0.0 && w->backlog_drain_ratio <= 1.0);
    CHECK(w->key_distributor == OMBC_KEY_NO_KEY || w->key_distributor == OMBC_KEY_ROUND_ROBIN ||
          w->key_distributor == OMBC_KEY_RANDOM_NANO);
    CHECK(w->consumer_backlog_size_gb >= 0 && w->consumer_backlog_size_mb >= 0);
    CHECK(w->test_duration_seconds >= -1 && w->test_duration_seconds <= (int64_t)INT_MAX * 60);
    CHECK(w->warmup_duration_seconds >= -1 &&
          w->warmup_duration_seconds <= (int64_t)INT_MAX * 60);
    CHECK(ombc_workload_test_seconds(w) >= 0);
    CHECK(ombc_workload_warmup_seconds(w) >= 0);
    CHECK(ombc_workload_backlog_bytes(w) >= 0);
    /* OMB's rule, checked at load */
    CHECK(ombc_workload_backlog_bytes(w) == 0 || w->producer_rate > 0);
    CHECK(strcmp(ombc_key_distributor_name(w->key_distributor), "UNKNOWN") != 0);
    if (w->payload_file) {
        CHECK(strlen(w->payload_file) < 1u << 20);
    } else {
        CHECK(w->payload_file_line == 0);
    }
    for (int i = 0; i < OMBC_WORKLOAD_MAX_KEYS; i++)
        CHECK(w->pos[i].line >= 0 && w->pos[i].col >= 0);
    CHECK(w->root.line >= 1 && w->root.col >= 1);

    char err[1024] = "";
    int rc = ombc_workload_check(w, err, sizeof(err));
    if (rc != 0) {
        CHECK(rc == OMBC_EINVAL || rc == OMBC_ERANGE);
        check_message(err);
        return;
    }
    const int required[] = {w->topics, w->partitions_per_topic, w->message_size,
                            w->subscriptions_per_topic, w->producers_per_topic,
                            w->consumer_per_subscription};
    for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++)
        CHECK(required[i] > 0);
    CHECK((int64_t)w->topics * w->partitions_per_topic <= INT_MAX);
    CHECK((int64_t)w->topics * w->producers_per_topic <= INT_MAX);
    CHECK((int64_t)w->topics * w->subscriptions_per_topic <= INT_MAX);
    CHECK((int64_t)w->topics * w->subscriptions_per_topic * w->consumer_per_subscription <=
          INT_MAX);
    CHECK(!w->use_randomized_payloads || w->randomized_payload_pool_size > 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    struct ombc_workload w;
    char err[1024] = "";
    int rc = ombc_workload_parse(PATH, (const char *)data, size, &w, err, sizeof(err));
    if (rc == 0) {
        check_loaded(&w);
    } else {
        CHECK(rc == OMBC_EPARSE || rc == OMBC_ERANGE || rc == OMBC_ENOMEM);
        check_message(err);
        CHECK(w.path == NULL && w.name == NULL && w.payload_file == NULL);
    }

    /* The same bytes again: the same outcome and message (a short buffer
     * gets a terminated prefix of it). */
    struct ombc_workload again;
    char small[16];
    memset(small, 'x', sizeof(small));
    int rc2 = ombc_workload_parse(PATH, (const char *)data, size, &again, small, sizeof(small));
    CHECK(rc2 == rc);
    if (rc2 == 0) {
        CHECK(again.topics == w.topics && again.message_size == w.message_size &&
              again.producer_rate == w.producer_rate &&
              again.key_distributor == w.key_distributor);
        CHECK((again.name == NULL) == (w.name == NULL));
        CHECK(!again.name || strcmp(again.name, w.name) == 0);
    } else {
        CHECK(memchr(small, '\0', sizeof(small)) != NULL);
        CHECK(strncmp(small, err, sizeof(small) - 1) == 0);
    }
    ombc_workload_fini(&again);
    ombc_workload_fini(&w);
    ombc_workload_fini(&w); /* finishing twice is safe */
    return 0;
}
