/*
 * test_workload: unit tests of the workload YAML loader
 * (src/config/workload.c): every OMB workload shipped in shared/omb/workloads,
 * defaults, the seconds extensions, type and range checks, OMB's backlog
 * validation, unknown keys refused with a "did you mean", the rules between
 * keys (ombc_workload_check), loading from memory, and the exact error
 * messages.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "config/workload.h"
#include "core/err.h"
#include "unit/shared_dir.h"

/* Writes text to a new temporary "*.yaml" file whose name is stored in path (>= 48 bytes). */
static void write_temp(char *path, const char *text) {
    strcpy(path, "/tmp/ombc_workload_XXXXXX.yaml");
    int fd = mkstemps(path, 5);
    assert_true(fd >= 0);
    size_t len = strlen(text);
    assert_int_equal(write(fd, text, len), (ssize_t)len);
    close(fd);
}

static struct ombc_workload load_text_ok(const char *text) {
    char path[64], err[512] = "";
    write_temp(path, text);
    struct ombc_workload w;
    int rc = ombc_workload_load(path, &w, err, sizeof(err));
    unlink(path);
    if (rc != 0)
        fail_msg("load failed (%d): %s", rc, err);
    return w;
}

/* Loads text from a temp file, expects code and message (the path replaced by %s). */
static void expect_error(const char *text, int code, const char *fmt) {
    char path[64], err[1024] = "", want[1024];
    write_temp(path, text);
    struct ombc_workload w;
    int rc = ombc_workload_load(path, &w, err, sizeof(err));
    unlink(path);
    snprintf(want, sizeof(want), fmt, path);
    assert_string_equal(err, want);
    assert_int_equal(rc, code);
    /* A failed load leaves the struct finished. */
    assert_null(w.path);
    assert_null(w.name);
    ombc_workload_fini(&w);
}

/* Runs a load with stderr sent to a file; returns what was logged (caller frees). */
static char *load_capturing_log(const char *text, struct ombc_workload *w, int *rc,
                                char *path_out) {
    char err[512] = "", log_path[] = "/tmp/ombc_log_XXXXXX";
    write_temp(path_out, text);
    int log_fd = mkstemp(log_path);
    assert_true(log_fd >= 0);
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    dup2(log_fd, STDERR_FILENO);
    *rc = ombc_workload_load(path_out, w, err, sizeof(err));
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    unlink(path_out);
    off_t size = lseek(log_fd, 0, SEEK_END);
    char *log = calloc(1, (size_t)size + 1);
    assert_int_equal(pread(log_fd, log, (size_t)size, 0), (ssize_t)size);
    close(log_fd);
    unlink(log_path);
    return log;
}

static void test_all_shared_workloads_load(void **state) {
    (void)state;
    char dir[4096];
    snprintf(dir, sizeof(dir), "%s/omb/workloads", shared_dir());
    DIR *d = opendir(dir);
    if (!d)
        fail_msg("cannot open %s", dir);
    int loaded = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 5, ".yaml") != 0)
            continue;
        char path[8192], err[512] = "";
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        struct ombc_workload w;
        int rc = ombc_workload_load(path, &w, err, sizeof(err));
        if (rc != 0)
            fail_msg("%s: %s", e->d_name, err);
        assert_non_null(w.name);
        assert_true(w.topics > 0);
        assert_true(w.message_size > 0);
        assert_int_equal(strlen(w.base_name), n - 5);
        assert_memory_equal(w.base_name, e->d_name, n - 5);
        ombc_workload_fini(&w);
        loaded++;
    }
    closedir(d);
    assert_true(loaded >= 5);
}

static struct ombc_workload load_shared(const char *file) {
    char path[4096], err[512] = "";
    snprintf(path, sizeof(path), "%s/omb/workloads/%s", shared_dir(), file);
    struct ombc_workload w;
    int rc = ombc_workload_load(path, &w, err, sizeof(err));
    if (rc != 0)
        fail_msg("%s", err);
    assert_string_equal(w.path, path);
    return w;
}

static void test_1_topic_1_partition_100b(void **state) {
    (void)state;
    struct ombc_workload w = load_shared("1-topic-1-partition-100b.yaml");
    assert_string_equal(w.base_name, "1-topic-1-partition-100b");
    assert_string_equal(w.name, "1 topic / 1 partition / 100b");
    assert_int_equal(w.topics, 1);
    assert_int_equal(w.partitions_per_topic, 1);
    assert_int_equal(w.key_distributor, OMBC_KEY_NO_KEY);
    assert_int_equal(w.message_size, 100);
    assert_false(w.use_randomized_payloads);
    assert_true(w.random_bytes_ratio == 0.0);
    assert_int_equal(w.randomized_payload_pool_size, 0);
    assert_string_equal(w.payload_file, "payload/payload-100b.data");
    assert_int_equal(w.subscriptions_per_topic, 1);
    assert_int_equal(w.producers_per_topic, 1);
    assert_int_equal(w.consumer_per_subscription, 1);
    assert_int_equal(w.producer_rate, 50000);
    assert_int_equal(w.consumer_backlog_size_gb, 0);
    assert_true(w.backlog_drain_ratio == 1.0);
    assert_int_equal(w.test_duration_minutes, 15);
    assert_int_equal(w.warmup_duration_minutes, 1);
    assert_int_equal(w.test_duration_seconds, -1);
    assert_int_equal(w.warmup_duration_seconds, -1);
    assert_int_equal(ombc_workload_test_seconds(&w), 900);
    assert_int_equal(ombc_workload_warmup_seconds(&w), 60);
    ombc_workload_fini(&w);
}

static void test_backlog_workload(void **state) {
    (void)state;
    struct ombc_workload w = load_shared("1-topic-100-partitions-1kb-4p-4c-200k-backlog.yaml");
    assert_string_equal(w.base_name, "1-topic-100-partitions-1kb-4p-4c-200k-backlog");
    assert_string_equal(w.name,
                        "Backlog for 200k rate 4 producers and 4 consumers on 1 topic / 100 "
                        "partition");
    assert_int_equal(w.topics, 1);
    assert_int_equal(w.partitions_per_topic, 100);
    assert_int_equal(w.key_distributor, OMBC_KEY_NO_KEY);
    assert_int_equal(w.message_size, 1024);
    assert_true(w.use_randomized_payloads);
    assert_true(w.random_bytes_ratio == 0.5);
    assert_int_equal(w.randomized_payload_pool_size, 1000);
    assert_null(w.payload_file);
    assert_int_equal(w.subscriptions_per_topic, 1);
    assert_int_equal(w.producers_per_topic, 4);
    assert_int_equal(w.consumer_per_subscription, 4);
    assert_int_equal(w.producer_rate, 200000);
    assert_int_equal(w.consumer_backlog_size_gb, 512);
    assert_true(w.backlog_drain_ratio == 1.0);
    assert_int_equal(w.test_duration_minutes, 5);
    assert_int_equal(w.warmup_duration_minutes, 1);
    assert_int_equal(ombc_workload_test_seconds(&w), 300);
    ombc_workload_fini(&w);
}

static void test_max_rate_workload(void **state) {
    (void)state;
    struct ombc_workload w = load_shared("max-rate-1-topic-1-partition-1p-1c-1kb.yaml");
    assert_string_equal(w.name, "max-rate-1-topic-1-partition-1p-1c-1kb");
    assert_int_equal(w.topics, 1);
    assert_int_equal(w.partitions_per_topic, 1);
    assert_int_equal(w.message_size, 1024);
    assert_true(w.use_randomized_payloads);
    assert_true(w.random_bytes_ratio == 0.5);
    assert_int_equal(w.randomized_payload_pool_size, 1000);
    assert_null(w.payload_file); /* commented out in the file */
    assert_int_equal(w.subscriptions_per_topic, 1);
    assert_int_equal(w.consumer_per_subscription, 1);
    assert_int_equal(w.producers_per_topic, 1);
    assert_int_equal(w.producer_rate, 10000000);
    assert_int_equal(w.consumer_backlog_size_gb, 0);
    assert_int_equal(w.test_duration_minutes, 5);
    ombc_workload_fini(&w);
}

static void test_defaults(void **state) {
    (void)state;
    struct ombc_workload w = load_text_ok("topics: 2\n");
    assert_null(w.name);
    assert_int_equal(w.topics, 2);
    assert_int_equal(w.partitions_per_topic, 0);
    assert_int_equal(w.key_distributor, OMBC_KEY_NO_KEY);
    assert_int_equal(w.message_size, 0);
    assert_false(w.use_randomized_payloads);
    assert_true(w.random_bytes_ratio == 0.0);
    assert_int_equal(w.randomized_payload_pool_size, 0);
    assert_null(w.payload_file);
    assert_int_equal(w.subscriptions_per_topic, 0);
    assert_int_equal(w.producers_per_topic, 0);
    assert_int_equal(w.consumer_per_subscription, 0);
    assert_int_equal(w.producer_rate, 0);
    assert_int_equal(w.consumer_backlog_size_gb, 0);
    assert_true(w.backlog_drain_ratio == 1.0);
    assert_int_equal(w.test_duration_minutes, 0);
    assert_int_equal(w.warmup_duration_minutes, 1);
    assert_int_equal(w.test_duration_seconds, -1);
    assert_int_equal(w.warmup_duration_seconds, -1);
    assert_int_equal(ombc_workload_test_seconds(&w), 0);
    assert_int_equal(ombc_workload_warmup_seconds(&w), 60);
    ombc_workload_fini(&w);

    /* YAML nulls keep the defaults; a quoted "~" is a string. */
    w = load_text_ok("name: '~'\n"
                     "topics:\n"
                     "warmupDurationMinutes: ~\n"
                     "backlogDrainRatio: null\n"
                     "payloadFile: NULL\n"
                     "testDurationSeconds: !!null ''\n");
    assert_string_equal(w.name, "~");
    assert_int_equal(w.topics, 0);
    assert_int_equal(w.warmup_duration_minutes, 1);
    assert_true(w.backlog_drain_ratio == 1.0);
    assert_null(w.payload_file);
    assert_int_equal(w.test_duration_seconds, -1);
    ombc_workload_fini(&w);
    ombc_workload_fini(&w); /* twice is fine */

    struct ombc_workload zero;
    memset(&zero, 0, sizeof(zero));
    ombc_workload_fini(&zero);
}

static void test_values(void **state) {
    (void)state;
    struct ombc_workload w = load_text_ok("name: \"all keys\"\n"
                                          "topics: '3'\n"
                                          "partitionsPerTopic: +4\n"
                                          "keyDistributor: KEY_ROUND_ROBIN\n"
                                          "messageSize: 512\n"
                                          "useRandomizedPayloads: Yes\n"
                                          "randomBytesRatio: 1\n"
                                          "randomizedPayloadPoolSize: 7\n"
                                          "payloadFile: p/x.data\n"
                                          "subscriptionsPerTopic: 2\n"
                                          "producersPerTopic: 5\n"
                                          "consumerPerSubscription: 6\n"
                                          "producerRate: 2147483647\n"
                                          "consumerBacklogSizeGB: 8589934592\n"
                                          "backlogDrainRatio: 0.25\n"
                                          "testDurationMinutes: 0\n"
                                          "warmupDurationMinutes: 0\n");
    assert_string_equal(w.name, "all keys");
    assert_int_equal(w.topics, 3);
    assert_int_equal(w.partitions_per_topic, 4);
    assert_int_equal(w.key_distributor, OMBC_KEY_ROUND_ROBIN);
    assert_int_equal(w.message_size, 512);
    assert_true(w.use_randomized_payloads);
    assert_true(w.random_bytes_ratio == 1.0);
    assert_int_equal(w.randomized_payload_pool_size, 7);
    assert_string_equal(w.payload_file, "p/x.data");
    assert_int_equal(w.subscriptions_per_topic, 2);
    assert_int_equal(w.producers_per_topic, 5);
    assert_int_equal(w.consumer_per_subscription, 6);
    assert_int_equal(w.producer_rate, 2147483647);
    assert_true(w.consumer_backlog_size_gb == INT64_C(8589934592));
    assert_true(w.backlog_drain_ratio == 0.25);
    assert_int_equal(ombc_workload_test_seconds(&w), 0);
    assert_int_equal(ombc_workload_warmup_seconds(&w), 0);
    ombc_workload_fini(&w);

    static const struct {
        const char *text;
        enum ombc_key_distributor k;
    } kd[] = {
        {"keyDistributor: NO_KEY\n", OMBC_KEY_NO_KEY},
        {"keyDistributor: RANDOM_NANO\n", OMBC_KEY_RANDOM_NANO},
        {"keyDistributor: ROUND_ROBIN\n", OMBC_KEY_ROUND_ROBIN},
        {"keyDistributor: RANDOM\n", OMBC_KEY_RANDOM_NANO},
    };
    for (size_t i = 0; i < sizeof(kd) / sizeof(kd[0]); i++) {
        w = load_text_ok(kd[i].text);
        assert_int_equal(w.key_distributor, kd[i].k);
        ombc_workload_fini(&w);
    }
    assert_string_equal(ombc_key_distributor_name(OMBC_KEY_NO_KEY), "NO_KEY");
    assert_string_equal(ombc_key_distributor_name(OMBC_KEY_ROUND_ROBIN), "KEY_ROUND_ROBIN");
    assert_string_equal(ombc_key_distributor_name(OMBC_KEY_RANDOM_NANO), "RANDOM_NANO");
}

static void test_seconds_extension(void **state) {
    (void)state;
    /* Seconds win over minutes when both are present. */
    struct ombc_workload w = load_text_ok("testDurationMinutes: 15\n"
                                          "testDurationSeconds: 30\n"
                                          "warmupDurationMinutes: 2\n"
                                          "warmupDurationSeconds: 0\n");
    assert_int_equal(w.test_duration_minutes, 15);
    assert_int_equal(w.test_duration_seconds, 30);
    assert_int_equal(w.warmup_duration_minutes, 2);
    assert_int_equal(w.warmup_duration_seconds, 0);
    assert_int_equal(ombc_workload_test_seconds(&w), 30);
    assert_int_equal(ombc_workload_warmup_seconds(&w), 0);
    ombc_workload_fini(&w);

    /* Order in the file does not matter. */
    w = load_text_ok("warmupDurationSeconds: 5\nwarmupDurationMinutes: 3\n");
    assert_int_equal(ombc_workload_warmup_seconds(&w), 5);
    assert_int_equal(ombc_workload_test_seconds(&w), 0);
    ombc_workload_fini(&w);

    /* Minutes alone. */
    w = load_text_ok("testDurationMinutes: 2\nwarmupDurationMinutes: 3\n");
    assert_int_equal(ombc_workload_test_seconds(&w), 120);
    assert_int_equal(ombc_workload_warmup_seconds(&w), 180);
    ombc_workload_fini(&w);

    expect_error("testDurationSeconds: -1\n", OMBC_ERANGE,
                 "%s:1:22: key 'testDurationSeconds': must be >= 0, got '-1'");
    expect_error("warmupDurationSeconds: 1.5\n", OMBC_EPARSE,
                 "%s:1:24: key 'warmupDurationSeconds': expected an integer, got '1.5'");
    expect_error("testDurationSeconds: 128849018821\n", OMBC_ERANGE,
                 "%s:1:22: key 'testDurationSeconds': expected an integer in [0, 128849018820], "
                 "got '128849018821'");
}

static void test_base_name(void **state) {
    (void)state;
    char path[64], err[256];
    write_temp(path, "topics: 1\n");
    struct ombc_workload w;
    assert_int_equal(ombc_workload_load(path, &w, err, sizeof(err)), 0);
    unlink(path);
    /* "/tmp/ombc_workload_XXXXXX.yaml" -> "ombc_workload_XXXXXX" */
    assert_int_equal(strlen(w.base_name), strlen("ombc_workload_XXXXXX"));
    assert_memory_equal(w.base_name, path + 5, strlen("ombc_workload_XXXXXX"));
    assert_string_equal(w.path, path);
    ombc_workload_fini(&w);

    /* Relative path with several dots: only the last extension goes. */
    char dir[] = "/tmp/ombc_wdir_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof(cwd)));
    assert_int_equal(chdir(dir), 0);
    assert_int_equal(mkdir("workloads", 0700), 0);
    FILE *f = fopen("workloads/1-topic.v2.yaml", "w");
    assert_non_null(f);
    fputs("topics: 1\n", f);
    fclose(f);
    f = fopen("noext", "w");
    assert_non_null(f);
    fputs("topics: 1\n", f);
    fclose(f);
    assert_int_equal(ombc_workload_load("workloads/1-topic.v2.yaml", &w, err, sizeof(err)), 0);
    assert_string_equal(w.base_name, "1-topic.v2");
    assert_string_equal(w.path, "workloads/1-topic.v2.yaml");
    ombc_workload_fini(&w);
    assert_int_equal(ombc_workload_load("noext", &w, err, sizeof(err)), 0);
    assert_string_equal(w.base_name, "noext");
    ombc_workload_fini(&w);
    unlink("workloads/1-topic.v2.yaml");
    unlink("noext");
    rmdir("workloads");
    assert_int_equal(chdir(cwd), 0);
    rmdir(dir);
}

static void test_missing_file(void **state) {
    (void)state;
    struct ombc_workload w;
    char err[256] = "";
    assert_int_equal(ombc_workload_load("/nonexistent/workloads/x.yaml", &w, err, sizeof(err)),
                     OMBC_ENOENT);
    assert_string_equal(err, "/nonexistent/workloads/x.yaml: cannot open: No such file or "
                             "directory");
    assert_null(w.path);
    ombc_workload_fini(&w);

    /* A directory opens but cannot be read. */
    assert_int_equal(ombc_workload_load("/tmp", &w, err, sizeof(err)), OMBC_ENOENT);
    assert_string_equal(err, "/tmp: cannot read: Is a directory");
}

static void test_syntax_errors(void **state) {
    (void)state;
    expect_error("topics: 1\n  partitionsPerTopic: 2\n", OMBC_EPARSE,
                 "%s:2:21: YAML syntax error: mapping values are not allowed in this context");
    expect_error("name: \"unterminated\ntopics: 1\n", OMBC_EPARSE,
                 "%s:3:1: YAML syntax error: found unexpected end of stream");
    expect_error("", OMBC_EPARSE, "%s:1:1: empty document (expected a mapping of keys)");
    expect_error("# nothing but comments\n\n", OMBC_EPARSE,
                 "%s:1:1: empty document (expected a mapping of keys)");
    expect_error("- topics: 1\n", OMBC_EPARSE,
                 "%s:1:1: expected a mapping at the top level, got a sequence");
    expect_error("42\n", OMBC_EPARSE, "%s:1:1: expected a mapping at the top level, got a scalar");
    expect_error("? [a]\n: 1\n", OMBC_EPARSE, "%s:1:3: expected a scalar key, got a sequence");
}

static void test_wrong_types(void **state) {
    (void)state;
    expect_error("topics: abc\n", OMBC_EPARSE,
                 "%s:1:9: key 'topics': expected an integer, got 'abc'");
    expect_error("name: x\ntopics: 1.5\n", OMBC_EPARSE,
                 "%s:2:9: key 'topics': expected an integer, got '1.5'");
    expect_error("topics: ''\n", OMBC_EPARSE, "%s:1:9: key 'topics': expected an integer, got ''");
    expect_error("topics: 1e3\n", OMBC_EPARSE,
                 "%s:1:9: key 'topics': expected an integer, got '1e3'");
    expect_error("topics: 2147483648\n", OMBC_ERANGE,
                 "%s:1:9: key 'topics': expected an integer in [1, 2147483647], got "
                 "'2147483648'");
    expect_error("producerRate: 99999999999999999999\n", OMBC_ERANGE,
                 "%s:1:15: key 'producerRate': expected an integer in [0, 2147483647], got "
                 "'99999999999999999999'");
    expect_error("producerRate: -99999999999999999999\n", OMBC_ERANGE,
                 "%s:1:15: key 'producerRate': must be >= 0, got '-99999999999999999999'");
    expect_error("consumerBacklogSizeGB: 99999999999999999999\n", OMBC_ERANGE,
                 "%s:1:24: key 'consumerBacklogSizeGB': expected an integer in [0, "
                 "9223372036854775807], got '99999999999999999999'");
    expect_error("messageSize: [1, 2]\n", OMBC_EPARSE,
                 "%s:1:14: key 'messageSize': expected a scalar, got a sequence");
    expect_error("name:\n  first: a\n", OMBC_EPARSE,
                 "%s:2:3: key 'name': expected a scalar, got a mapping");
    expect_error("useRandomizedPayloads: sometimes\n", OMBC_EPARSE,
                 "%s:1:24: key 'useRandomizedPayloads': expected a boolean (true/false), got "
                 "'sometimes'");
    expect_error("randomBytesRatio: half\n", OMBC_EPARSE,
                 "%s:1:19: key 'randomBytesRatio': expected a number, got 'half'");
    expect_error("randomBytesRatio: ' 0.5'\n", OMBC_EPARSE,
                 "%s:1:19: key 'randomBytesRatio': expected a number, got ' 0.5'");
    expect_error("producerRate: |\n  12\n  34\n", OMBC_EPARSE,
                 "%s:1:15: key 'producerRate': expected an integer, got '12\\n34\\n'");
}

static void test_negative_values(void **state) {
    (void)state;
    expect_error("topics: -1\n", OMBC_ERANGE, "%s:1:9: key 'topics': must be > 0, got '-1'");
    expect_error("partitionsPerTopic: -3\n", OMBC_ERANGE,
                 "%s:1:21: key 'partitionsPerTopic': must be > 0, got '-3'");
    expect_error("messageSize: -100\n", OMBC_ERANGE,
                 "%s:1:14: key 'messageSize': must be > 0, got '-100'");
    expect_error("randomizedPayloadPoolSize: -1\n", OMBC_ERANGE,
                 "%s:1:28: key 'randomizedPayloadPoolSize': must be >= 0, got '-1'");
    expect_error("producerRate: -5\n", OMBC_ERANGE,
                 "%s:1:15: key 'producerRate': must be >= 0, got '-5'");
    expect_error("consumerBacklogSizeGB: -1\n", OMBC_ERANGE,
                 "%s:1:24: key 'consumerBacklogSizeGB': must be >= 0, got '-1'");
    expect_error("testDurationMinutes: -1\n", OMBC_ERANGE,
                 "%s:1:22: key 'testDurationMinutes': must be >= 0, got '-1'");
    expect_error("warmupDurationMinutes: -2\n", OMBC_ERANGE,
                 "%s:1:24: key 'warmupDurationMinutes': must be >= 0, got '-2'");
}

static void test_bad_key_distributor(void **state) {
    (void)state;
    expect_error("topics: 1\nkeyDistributor: HASH\n", OMBC_EPARSE,
                 "%s:2:17: key 'keyDistributor': unknown value 'HASH' (accepted: NO_KEY, "
                 "KEY_ROUND_ROBIN, RANDOM_NANO, or the aliases ROUND_ROBIN, RANDOM)");
    expect_error("keyDistributor: no_key\n", OMBC_EPARSE,
                 "%s:1:17: key 'keyDistributor': unknown value 'no_key' (accepted: NO_KEY, "
                 "KEY_ROUND_ROBIN, RANDOM_NANO, or the aliases ROUND_ROBIN, RANDOM)");
}

static void test_ratio_range(void **state) {
    (void)state;
    expect_error("randomBytesRatio: 1.5\n", OMBC_ERANGE,
                 "%s:1:19: key 'randomBytesRatio': must be within [0, 1], got '1.5'");
    expect_error("backlogDrainRatio: -0.1\n", OMBC_ERANGE,
                 "%s:1:20: key 'backlogDrainRatio': must be within [0, 1], got '-0.1'");
    expect_error("backlogDrainRatio: nan\n", OMBC_ERANGE,
                 "%s:1:20: key 'backlogDrainRatio': must be within [0, 1], got 'nan'");
    struct ombc_workload w = load_text_ok("randomBytesRatio: 0\nbacklogDrainRatio: 0.0\n");
    assert_true(w.random_bytes_ratio == 0.0);
    assert_true(w.backlog_drain_ratio == 0.0);
    ombc_workload_fini(&w);
}

static void test_backlog_needs_rate(void **state) {
    (void)state;
    expect_error("topics: 1\nconsumerBacklogSizeGB: 10\n", OMBC_EPARSE,
                 "%s:2:24: Cannot probe producer sustainable rate when building backlog");
    expect_error("producerRate: 0\nconsumerBacklogSizeGB: 1\n", OMBC_EPARSE,
                 "%s:2:24: Cannot probe producer sustainable rate when building backlog");
    struct ombc_workload w = load_text_ok("producerRate: 1\nconsumerBacklogSizeGB: 1\n");
    assert_int_equal(w.consumer_backlog_size_gb, 1);
    ombc_workload_fini(&w);
}

/* Counts that cannot be zero are refused at 0 (OMB's default 0 cannot run). */
static void test_zero_refused(void **state) {
    (void)state;
    static const char *const keys[] = {"topics", "partitionsPerTopic", "messageSize",
                                       "producersPerTopic"};
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        char text[128], fmt[256];
        snprintf(text, sizeof(text), "name: x\n%s: 0\n", keys[i]);
        snprintf(fmt, sizeof(fmt), "%%s:2:%zu: key '%s': must be > 0, got '0'",
                 strlen(keys[i]) + 3, keys[i]);
        expect_error(text, OMBC_ERANGE, fmt);
    }
    /* zero is fine where it means something */
    struct ombc_workload w = load_text_ok("producerRate: 0\nrandomizedPayloadPoolSize: 0\n"
                                          "testDurationMinutes: 0\nwarmupDurationSeconds: 0\n"
                                          "consumerBacklogSizeGB: 0\nsubscriptionsPerTopic: 0\n"
                                          "consumerPerSubscription: 0\n");
    ombc_workload_fini(&w);
}

static void test_unknown_keys_refused(void **state) {
    (void)state;
    expect_error("topics: 2\ntopic: 5\n", OMBC_EPARSE,
                 "%s:2:1: unknown key 'topic'; did you mean 'topics'?");
    expect_error("TESTDURATIONMINUTES: 3\n", OMBC_EPARSE,
                 "%s:1:1: unknown key 'TESTDURATIONMINUTES'; did you mean 'testDurationMinutes'?");
    expect_error("name: x\n  \nproducerrate: 7\n", OMBC_EPARSE,
                 "%s:3:1: unknown key 'producerrate'; did you mean 'producerRate'?");
    expect_error("consumerPerSubscriptions: 1\n", OMBC_EPARSE,
                 "%s:1:1: unknown key 'consumerPerSubscriptions'; did you mean "
                 "'consumerPerSubscription'?");
    expect_error("somethingElseEntirely: [1, 2]\n", OMBC_EPARSE,
                 "%s:1:1: unknown key 'somethingElseEntirely' (known: name, topics, "
                 "partitionsPerTopic, keyDistributor, messageSize, useRandomizedPayloads, "
                 "randomBytesRatio, randomizedPayloadPoolSize, payloadFile, subscriptionsPerTopic, "
                 "producersPerTopic, consumerPerSubscription, producerRate, consumerBacklogSizeGB, "
                 "consumerBacklogSizeMB, backlogDrainRatio, testDurationMinutes, "
                 "warmupDurationMinutes, testDurationSeconds, warmupDurationSeconds)");
    /* a key that only looks like a known one */
    expect_error("\"topics\\0x\": 1\n", OMBC_EPARSE, "%s:1:1: unknown key 'topics?x' (known: "
                 "name, topics, partitionsPerTopic, keyDistributor, messageSize, "
                 "useRandomizedPayloads, randomBytesRatio, randomizedPayloadPoolSize, payloadFile, "
                 "subscriptionsPerTopic, producersPerTopic, consumerPerSubscription, producerRate, "
                 "consumerBacklogSizeGB, consumerBacklogSizeMB, backlogDrainRatio, "
                 "testDurationMinutes, warmupDurationMinutes, testDurationSeconds, "
                 "warmupDurationSeconds)");
}

/* A repeated key is a warning; the last value is used (as Jackson does). */
static void test_duplicate_key_warns(void **state) {
    (void)state;
    struct ombc_workload w;
    int rc;
    char path[64];
    char *log = load_capturing_log("topics: 2\nname: a\ntopics: 4\n", &w, &rc, path);
    assert_int_equal(rc, 0);
    assert_int_equal(w.topics, 4);
    char want[256];
    snprintf(want, sizeof(want), "%s:3:1: key 'topics' appears again; the last value is used",
             path);
    assert_non_null(strstr(log, want));
    assert_non_null(strstr(log, "WARN  Workload - "));
    free(log);
    ombc_workload_fini(&w);
}

/* A NUL byte (YAML's "\0") would cut a C string short: refused. */
static void test_nul_refused(void **state) {
    (void)state;
    expect_error("topics: \"1\\0\"\n", OMBC_EPARSE,
                 "%s:1:9: key 'topics': the value holds a NUL character");
    expect_error("payloadFile: \"a\\0b\"\n", OMBC_EPARSE,
                 "%s:1:14: key 'payloadFile': the value holds a NUL character");
}

#define COMPLETE                                                                              \
    "topics: 1\npartitionsPerTopic: 1\nmessageSize: 10\nsubscriptionsPerTopic: 1\n"          \
    "consumerPerSubscription: 1\nproducersPerTopic: 1\n"

/* Loads text and runs ombc_workload_check, expecting code and message. */
static void expect_rules(const char *text, int code, const char *fmt) {
    char path[64], err[768] = "", want[768];
    write_temp(path, text);
    struct ombc_workload w;
    int rc = ombc_workload_load(path, &w, err, sizeof(err));
    unlink(path);
    if (rc != 0)
        fail_msg("load: %s", err);
    rc = ombc_workload_check(&w, err, sizeof(err));
    snprintf(want, sizeof(want), fmt, path);
    assert_string_equal(err, want);
    assert_int_equal(rc, code);
    ombc_workload_fini(&w);
}

static void test_check_rules(void **state) {
    (void)state;
    struct ombc_workload w = load_text_ok(COMPLETE);
    char err[256] = "";
    assert_int_equal(ombc_workload_check(&w, err, sizeof(err)), 0);
    ombc_workload_fini(&w);

    expect_rules("name: x\n", OMBC_EINVAL,
                 "%s:1:1: missing keys topics, partitionsPerTopic, messageSize, "
                 "producersPerTopic (each must be > 0, OMB's default 0 cannot run)");
    /* no subscriptions: a run without consumers, as OMB; subscriptions
     * without consumers could never pass the readiness probe */
    expect_rules("topics: 1\npartitionsPerTopic: 1\nmessageSize: 10\nproducersPerTopic: 1\n"
                 "subscriptionsPerTopic: 2\n",
                 OMBC_EINVAL,
                 "%s:1:1: key 'consumerPerSubscription': must be > 0 with "
                 "subscriptionsPerTopic: 2 (or subscriptionsPerTopic: 0 for a run without "
                 "consumers)");
    expect_rules("topics: 1\npartitionsPerTopic: 1\nmessageSize: 10\nproducersPerTopic: 1\n"
                 "consumerBacklogSizeMB: 1\nproducerRate: 1\n",
                 OMBC_EINVAL,
                 "%s:1:1: key 'subscriptionsPerTopic': a backlog (consumerBacklogSizeGB/MB) "
                 "needs consumers to drain it");
    w = load_text_ok("topics: 1\npartitionsPerTopic: 1\nmessageSize: 10\nproducersPerTopic: 1\n"
                     "consumerPerSubscription: 3\n");
    assert_int_equal(ombc_workload_check(&w, err, sizeof(err)), 0);
    ombc_workload_fini(&w);
    expect_rules("# a comment first\n\ntopics: 1\npartitionsPerTopic: 1\nmessageSize: 10\n"
                 "subscriptionsPerTopic: 1\nconsumerPerSubscription: 1\n",
                 OMBC_EINVAL,
                 "%s:3:1: missing key producersPerTopic (must be > 0, OMB's default 0 cannot "
                 "run)");
    expect_rules("topics: 1\npartitionsPerTopic: 1\nmessageSize: ~\nsubscriptionsPerTopic: 1\n"
                 "consumerPerSubscription: 1\nproducersPerTopic: 1\n",
                 OMBC_EINVAL, "%s:3:14: key 'messageSize': must be > 0, got null");
    expect_rules(COMPLETE "useRandomizedPayloads: true\n", OMBC_EINVAL,
                 "%s:7:24: key 'randomizedPayloadPoolSize': must be > 0 with "
                 "useRandomizedPayloads: true (OMB's worker fails on an empty pool)");
    expect_rules(COMPLETE "useRandomizedPayloads: true\nrandomizedPayloadPoolSize: 0\n",
                 OMBC_EINVAL,
                 "%s:8:28: key 'randomizedPayloadPoolSize': must be > 0 with "
                 "useRandomizedPayloads: true (OMB's worker fails on an empty pool)");
    expect_rules("topics: 65536\npartitionsPerTopic: 32768\nmessageSize: 10\n"
                 "subscriptionsPerTopic: 1\nconsumerPerSubscription: 1\nproducersPerTopic: 1\n",
                 OMBC_ERANGE,
                 "%s:1:9: too many partitions (topics x partitionsPerTopic): more than "
                 "2147483647");
    expect_rules("topics: 100000\npartitionsPerTopic: 1\nmessageSize: 10\n"
                 "subscriptionsPerTopic: 100\nconsumerPerSubscription: 1000\n"
                 "producersPerTopic: 1\n",
                 OMBC_ERANGE,
                 "%s:1:9: too many consumers (topics x subscriptionsPerTopic x "
                 "consumerPerSubscription): more than 2147483647");
    /* the largest totals that fit */
    w = load_text_ok("topics: 65536\npartitionsPerTopic: 32767\nmessageSize: 10\n"
                     "subscriptionsPerTopic: 1\nconsumerPerSubscription: 1\n"
                     "producersPerTopic: 32767\n");
    assert_int_equal(ombc_workload_check(&w, err, sizeof(err)), 0);
    ombc_workload_fini(&w);
}

/* Loading from memory gives what loading the file gives. */
static void test_parse_in_memory(void **state) {
    (void)state;
    const char *text = COMPLETE "name: mem\nproducerRate: 7\n";
    struct ombc_workload w;
    char err[256] = "";
    assert_int_equal(ombc_workload_parse("dir/mem.yaml", text, strlen(text), &w, err,
                                         sizeof(err)),
                     0);
    assert_string_equal(w.path, "dir/mem.yaml");
    assert_string_equal(w.base_name, "mem");
    assert_string_equal(w.name, "mem");
    assert_int_equal(w.producer_rate, 7);
    assert_int_equal(w.warmup_duration_minutes, 1);
    ombc_workload_fini(&w);
    /* not NUL-terminated: only len bytes count */
    char buf[16] = "topics: 12345";
    assert_int_equal(ombc_workload_parse("m", buf, 10, &w, err, sizeof(err)), 0);
    assert_int_equal(w.topics, 12);
    ombc_workload_fini(&w);
    assert_int_equal(ombc_workload_parse("m", "topics: [", 9, &w, err, sizeof(err)),
                     OMBC_EPARSE);
    assert_string_equal(err, "m:2:1: YAML syntax error: did not find expected node content");
    assert_null(w.path);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_all_shared_workloads_load),
        cmocka_unit_test(test_1_topic_1_partition_100b),
        cmocka_unit_test(test_backlog_workload),
        cmocka_unit_test(test_max_rate_workload),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_seconds_extension),
        cmocka_unit_test(test_base_name),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_wrong_types),
        cmocka_unit_test(test_negative_values),
        cmocka_unit_test(test_bad_key_distributor),
        cmocka_unit_test(test_ratio_range),
        cmocka_unit_test(test_backlog_needs_rate),
        cmocka_unit_test(test_zero_refused),
        cmocka_unit_test(test_unknown_keys_refused),
        cmocka_unit_test(test_duplicate_key_warns),
        cmocka_unit_test(test_nul_refused),
        cmocka_unit_test(test_check_rules),
        cmocka_unit_test(test_parse_in_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
