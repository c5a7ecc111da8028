/*
 * Unit tests for run/payload: OMB's payloads (OMB-REFERENCE.md 1.2). The
 * randomized pool (size, (int)(messageSize * randomBytesRatio) random bytes
 * then zeros, distinct payloads), payload files (exact bytes, the lookup
 * from the working directory, the workload's directory and its parent, and
 * OMB's length rule), and ombc_payload_check agreeing with the load.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/workload.h"
#include "core/err.h"
#include "run/payload.h"
#include "unit/shared_dir.h"

/* A scratch directory for one test, removed by its teardown. */
static char scratch[64];

static int make_scratch(void **state) {
    (void)state;
    snprintf(scratch, sizeof(scratch), "/tmp/ombc-test-payload-XXXXXX");
    return mkdtemp(scratch) ? 0 : -1;
}

static int remove_scratch(void **state) {
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", scratch);
    return system(cmd) == 0 ? 0 : -1;
}

/* Writes len bytes to scratch/name (creating its directories) and returns the path. */
static const char *put(const char *name, const void *data, size_t len) {
    static char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s/%s", scratch, name);
    for (char *slash = strchr(path + strlen(scratch) + 1, '/'); slash;
         slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        mkdir(path, 0777);
        *slash = '/';
    }
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
    return path;
}

/* A workload as the loader leaves it; path is only used for the lookup
 * and in messages. */
static struct ombc_workload workload(const char *path, int message_size) {
    struct ombc_workload w;
    memset(&w, 0, sizeof(w));
    w.path = (char *)path;
    w.message_size = message_size;
    return w;
}

static bool all_zero(const uint8_t *p, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return false;
    return true;
}

/* Randomized: pool size, length, random prefix of (int)(size * ratio) bytes
 * (5.5 truncates to 5) then zeros, and every payload different. */
static void randomized_pool_follows_omb(void **state) {
    (void)state;
    static const struct {
        int size;
        double ratio;
        size_t random_bytes;
    } cases[] = {
        {10, 0.55, 5}, {1024, 0.5, 512}, {100, 1.0, 100}, {7, 0.99, 6}, {1000, 0.001, 1},
    };
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        struct ombc_workload w = workload("w.yaml", cases[c].size);
        w.use_randomized_payloads = true;
        w.random_bytes_ratio = cases[c].ratio;
        w.randomized_payload_pool_size = 200;
        struct ombc_payload_set set;
        char err[512] = "";
        assert_int_equal(ombc_payload_check(&w, err, sizeof(err)), 0);
        assert_int_equal(ombc_payload_set_load(&set, &w, err, sizeof(err)), 0);
        assert_int_equal(set.count, 200);
        assert_null(set.resolved_path);
        size_t rb = cases[c].random_bytes, size = (size_t)cases[c].size;
        for (size_t i = 0; i < set.count; i++) {
            assert_int_equal(set.items[i].len, size);
            assert_true(all_zero(set.items[i].data + rb, size - rb));
        }
        /* every random position holds a non-zero byte in some payload */
        for (size_t b = 0; b < rb; b++) {
            bool nonzero = false;
            for (size_t i = 0; i < set.count && !nonzero; i++)
                nonzero = set.items[i].data[b] != 0;
            assert_true(nonzero);
        }
        /* distinct payloads (at least 5 random bytes make a repeat in 200
         * draws vanishingly unlikely; 1 byte cannot give 200 distinct) */
        if (rb >= 5)
            for (size_t i = 0; i < set.count; i++)
                for (size_t j = i + 1; j < set.count; j++)
                    assert_memory_not_equal(set.items[i].data, set.items[j].data, size);
        ombc_payload_set_fini(&set);
    }
}

/* randomBytesRatio 0 (OMB's default): payloads of zeros only. */
static void randomized_ratio_zero_gives_zeros(void **state) {
    (void)state;
    struct ombc_workload w = workload("w.yaml", 64);
    w.use_randomized_payloads = true;
    w.randomized_payload_pool_size = 3;
    struct ombc_payload_set set;
    char err[512];
    assert_int_equal(ombc_payload_set_load(&set, &w, err, sizeof(err)), 0);
    assert_int_equal(set.count, 3);
    for (size_t i = 0; i < set.count; i++)
        assert_true(all_zero(set.items[i].data, 64));
    ombc_payload_set_fini(&set);
}

/* A pool of 0 (which makes OMB's Java worker fail at start-load) or a
 * messageSize of 0 is refused before anything starts. */
static void randomized_needs_sizes(void **state) {
    (void)state;
    struct ombc_workload w = workload("w.yaml", 64);
    w.use_randomized_payloads = true;
    char err[512];
    const char *want = "w.yaml: useRandomizedPayloads needs messageSize > 0 and "
                       "randomizedPayloadPoolSize > 0";
    assert_int_equal(ombc_payload_check(&w, err, sizeof(err)), OMBC_EINVAL);
    assert_string_equal(err, want);
    struct ombc_payload_set set;
    assert_int_equal(ombc_payload_set_load(&set, &w, err, sizeof(err)), OMBC_EINVAL);
    assert_string_equal(err, want);
    assert_int_equal(set.count, 0);
    w.randomized_payload_pool_size = 4;
    w.message_size = 0;
    assert_int_equal(ombc_payload_check(&w, err, sizeof(err)), OMBC_EINVAL);
    assert_string_equal(err, want);
}

/* Randomized mode ignores payloadFile, as OMB does. */
static void randomized_ignores_payload_file(void **state) {
    (void)state;
    struct ombc_workload w = workload("w.yaml", 8);
    w.use_randomized_payloads = true;
    w.randomized_payload_pool_size = 2;
    w.payload_file = "no/such/file.data";
    char err[512];
    struct ombc_payload_set set;
    assert_int_equal(ombc_payload_check(&w, err, sizeof(err)), 0);
    assert_int_equal(ombc_payload_set_load(&set, &w, err, sizeof(err)), 0);
    assert_int_equal(set.count, 2);
    ombc_payload_set_fini(&set);
}

/* ombc's extension: neither a file nor a pool gives one random payload of
 * messageSize bytes, which must then be > 0. */
static void no_file_gives_one_random_payload(void **state) {
    (void)state;
    struct ombc_workload w = workload("w.yaml", 100);
    char err[512];
    struct ombc_payload_set set;
    assert_int_equal(ombc_payload_set_load(&set, &w, err, sizeof(err)), 0);
    assert_int_equal(set.count, 1);
    assert_int_equal(set.items[0].len, 100);
    assert_false(all_zero(set.items[0].data, 100));
    ombc_payload_set_fini(&set);
    w.message_size = 0;
    assert_int_equal(ombc_payload_check(&w, err, sizeof(err)), OMBC_EINVAL);
    assert_string_equal(err, "w.yaml: messageSize must be > 0 when no payloadFile is given");
}

/* The file's exact bytes, zeros and high bytes included, as one payload. */
static void payload_file_exact_bytes(void **state) {
    (void)state;
    uint8_t bytes[300];
    for (size_t i = 0; i < sizeof(bytes); i++)
        bytes[i] = (uint8_t)(i * 37 + 11);
    bytes[0] = 0;
    bytes[299] = 0xff;
    char file[PATH_MAX];
    snprintf(file, sizeof(file), "%s", put("p/bytes.data", bytes, sizeof(bytes)));
    struct ombc_workload w = workload("w.yaml", 300);
    w.payload_file = file;
    char err[512] = "";
    assert_int_equal(ombc_payload_check(&w, err, sizeof(err)), 0);
    struct ombc_payload_set set;
    assert_int_equal(ombc_payload_set_load(&set, &w, err, sizeof(err)), 0);
    assert_int_equal(set.count, 1);
    assert_int_equal(set.items[0].len, sizeof(bytes));
    assert_memory_equal(set.items[0].data, bytes, sizeof(bytes));
    assert_string_equal(set.resolved_path, file);
    ombc_payload_set_fini(&set);
}

/* OMB's length rule, with its words, from the check and from the load. */
static void payload_file_length_must_be_message_size(void **state) {
    (void)state;
    char file[PATH_MAX], want[PATH_MAX + 256], err[PATH_MAX + 256];
    snprintf(file, sizeof(file), "%s", put("seven.data", "1234567", 7));
    struct ombc_workload w = workload("dir/w.yaml", 8);
    w.payload_file = file;
    w.payload_file_line = 9;
    w.payload_file_col = 14;
    snprintf(want, sizeof(want),
             "dir/w.yaml:9:14: payloadFile '%s': Payload length mismatch. Actual is: 7, but "
             "expected: 8 (messageSize)",
             file);
    assert_int_equal(ombc_payload_check(&w, err, sizeof(err)), OMBC_EINVAL);
    assert_string_equal(err, want);
    struct ombc_payload_set set;
    assert_int_equal(ombc_payload_set_load(&set, &w, err, sizeof(err)), OMBC_EINVAL);
    assert_string_equal(err, want);
    assert_int_equal(set.count, 0);
    assert_null(set.items);
    /* messageSize absent (0) is a mismatch too, as in OMB */
    w.message_size = 0;
    assert_int_equal(ombc_payload_check(&w, err, sizeof(err)), OMBC_EINVAL);
    assert_non_null(strstr(err, "Actual is: 7, but expected: 0 (messageSize)"));
    w.message_size = 7;
    assert_int_equal(ombc_payload_check(&w, err, sizeof(err)), 0);
}

static void empty_payload_file_is_refused(void **state) {
    (void)state;
    char file[PATH_MAX], want[PATH_MAX + 256], err[PATH_MAX + 256];
    snprintf(file, sizeof(file), "%s", put("empty.data", "", 0));
    struct ombc_workload w = workload("w.yaml", 0);
    w.payload_file = file;
    snprintf(want, sizeof(want), "w.yaml: payloadFile '%s' is empty", file);
    assert_int_equal(ombc_payload_check(&w, err, sizeof(err)), OMBC_EINVAL);
    assert_string_equal(err, want);
    struct ombc_payload_set set;
    assert_int_equal(ombc_payload_set_load(&set, &w, err, sizeof(err)), OMBC_EINVAL);
    assert_string_equal(err, want);
}

/* A relative payloadFile: the working directory first (OMB), then the
 * workload's directory, then its parent (OMB's workloads/ beside payload/). */
static void payload_file_lookup_order(void **state) {
    (void)state;
    char wpath[PATH_MAX], want[PATH_MAX], err[PATH_MAX * 2];
    snprintf(wpath, sizeof(wpath), "%s", put("omb/workloads/w.yaml", "", 0));
    put("omb/payload/p.data", "parent", 6);
    struct ombc_workload w = workload(wpath, 6);
    w.payload_file = "payload/p.data";
    struct ombc_payload_set set;
    assert_int_equal(ombc_payload_set_load(&set, &w, err, sizeof(err)), 0);
    snprintf(want, sizeof(want), "%s/omb/workloads/../payload/p.data", scratch);
    assert_string_equal(set.resolved_path, want);
    assert_memory_equal(set.items[0].data, "parent", 6);
    ombc_payload_set_fini(&set);

    put("omb/workloads/payload/p.data", "wdir..", 6); /* the workload's directory wins */
    assert_int_equal(ombc_payload_set_load(&set, &w, err, sizeof(err)), 0);
    snprintf(want, sizeof(want), "%s/omb/workloads/payload/p.data", scratch);
    assert_string_equal(set.resolved_path, want);
    assert_memory_equal(set.items[0].data, "wdir..", 6);
    ombc_payload_set_fini(&set);

    char cwd[PATH_MAX], sub[PATH_MAX];
    assert_non_null(getcwd(cwd, sizeof(cwd)));
    put("cwd/payload/p.data", "cwd...", 6); /* and the working directory wins over both */
    snprintf(sub, sizeof(sub), "%s/cwd", scratch);
    assert_int_equal(chdir(sub), 0);
    int rc = ombc_payload_set_load(&set, &w, err, sizeof(err));
    assert_int_equal(chdir(cwd), 0);
    assert_int_equal(rc, 0);
    assert_string_equal(set.resolved_path, "payload/p.data");
    assert_memory_equal(set.items[0].data, "cwd...", 6);
    ombc_payload_set_fini(&set);
}

/* Not found: ENOENT naming every path tried, from the check and the load. */
static void missing_payload_file_names_every_path(void **state) {
    (void)state;
    char wpath[PATH_MAX], want[PATH_MAX * 4], err[PATH_MAX * 4];
    snprintf(wpath, sizeof(wpath), "%s/workloads/w.yaml", scratch);
    struct ombc_workload w = workload(wpath, 6);
    w.payload_file = "payload/none.data";
    w.payload_file_line = 3;
    w.payload_file_col = 14;
    snprintf(want, sizeof(want),
             "%s:3:14: payloadFile 'payload/none.data' not found; tried payload/none.data, "
             "%s/workloads/payload/none.data, %s/workloads/../payload/none.data (relative "
             "paths: the working directory, the workload's directory and its parent)",
             wpath, scratch, scratch);
    assert_int_equal(ombc_payload_check(&w, err, sizeof(err)), OMBC_ENOENT);
    assert_string_equal(err, want);
    struct ombc_payload_set set;
    assert_int_equal(ombc_payload_set_load(&set, &w, err, sizeof(err)), OMBC_ENOENT);
    assert_string_equal(err, want);

    /* a workload in the working directory: two distinct places, no repeat */
    struct ombc_workload here = workload("w.yaml", 6);
    here.payload_file = "payload/none.data";
    assert_int_equal(ombc_payload_check(&here, err, sizeof(err)), OMBC_ENOENT);
    assert_non_null(strstr(err, "tried payload/none.data, ../payload/none.data ("));

    /* an absolute path is only looked for where it says */
    char abs_path[PATH_MAX];
    snprintf(abs_path, sizeof(abs_path), "%s/none.data", scratch);
    w.payload_file = abs_path;
    assert_int_equal(ombc_payload_check(&w, err, sizeof(err)), OMBC_ENOENT);
    snprintf(want, sizeof(want), "not found; tried %s (relative", abs_path);
    assert_non_null(strstr(err, want));
}

static void payload_file_must_be_a_regular_file(void **state) {
    (void)state;
    char err[PATH_MAX * 2];
    struct ombc_workload w = workload("w.yaml", 6);
    w.payload_file = scratch; /* a directory */
    assert_int_equal(ombc_payload_check(&w, err, sizeof(err)), OMBC_EINVAL);
    assert_non_null(strstr(err, "is not a regular file"));
}

/* The loader records where payloadFile's value is, for these messages. */
static void loader_gives_payload_file_position(void **state) {
    (void)state;
    const char *text = "name: w\nmessageSize: 8\n\npayloadFile:   x.data\n";
    const char *wpath = put("pos/w.yaml", text, strlen(text));
    struct ombc_workload w;
    char err[PATH_MAX * 2];
    assert_int_equal(ombc_workload_load(wpath, &w, err, sizeof(err)), 0);
    assert_int_equal(w.payload_file_line, 4);
    assert_int_equal(w.payload_file_col, 16);
    assert_int_equal(ombc_payload_check(&w, err, sizeof(err)), OMBC_ENOENT);
    char want[PATH_MAX];
    snprintf(want, sizeof(want), "%s:4:16: payloadFile 'x.data' not found", wpath);
    assert_memory_equal(err, want, strlen(want));
    ombc_workload_fini(&w);
}

/* Every OMB workload's payloads build, as OMB's own files lay them out. */
static void omb_workloads_payloads_build(void **state) {
    (void)state;
    char dir[PATH_MAX];
    snprintf(dir, sizeof(dir), "%s/omb/workloads", shared_dir());
    DIR *d = opendir(dir);
    assert_non_null(d);
    int seen = 0, files = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 6 || strcmp(e->d_name + n - 5, ".yaml") != 0)
            continue;
        char path[PATH_MAX + 256], err[PATH_MAX * 2] = "";
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        struct ombc_workload w;
        assert_int_equal(ombc_workload_load(path, &w, err, sizeof(err)), 0);
        if (ombc_payload_check(&w, err, sizeof(err)) != 0)
            fail_msg("%s", err);
        struct ombc_payload_set set;
        if (ombc_payload_set_load(&set, &w, err, sizeof(err)) != 0)
            fail_msg("%s", err);
        assert_true(set.count >= 1);
        for (size_t i = 0; i < set.count; i++)
            assert_int_equal(set.items[i].len, (size_t)w.message_size);
        files += set.resolved_path != NULL;
        ombc_payload_set_fini(&set);
        ombc_workload_fini(&w);
        seen++;
    }
    closedir(d);
    assert_true(seen >= 5);
    assert_true(files >= 3); /* the payload/payload-*.data ones */
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(randomized_pool_follows_omb),
        cmocka_unit_test(randomized_ratio_zero_gives_zeros),
        cmocka_unit_test(randomized_needs_sizes),
        cmocka_unit_test(randomized_ignores_payload_file),
        cmocka_unit_test(no_file_gives_one_random_payload),
        cmocka_unit_test_setup_teardown(payload_file_exact_bytes, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(payload_file_length_must_be_message_size, make_scratch,
                                        remove_scratch),
        cmocka_unit_test_setup_teardown(empty_payload_file_is_refused, make_scratch,
                                        remove_scratch),
        cmocka_unit_test_setup_teardown(payload_file_lookup_order, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(missing_payload_file_names_every_path, make_scratch,
                                        remove_scratch),
        cmocka_unit_test_setup_teardown(payload_file_must_be_a_regular_file, make_scratch,
                                        remove_scratch),
        cmocka_unit_test_setup_teardown(loader_gives_payload_file_position, make_scratch,
                                        remove_scratch),
        cmocka_unit_test(omb_workloads_payloads_build),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
