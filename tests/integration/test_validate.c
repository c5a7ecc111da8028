/*
 * ombc validate as a user runs it: every OMB workload file with every OMB
 * Kafka driver file (and with the default embedded driver) passes, with
 * "FILE: ok" per file on stdout and nothing on stderr; bad files give exit
 * status 2 and one "FILE[:LINE:COL]: message" line per problem, while the
 * good files of the same call are still reported ok. Validate starts no
 * agent and connects to no broker, so no broker is needed here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <limits.h>

#include "integration/runner.h"

#define GOOD_WORKLOAD                                                                          \
    "name: w\ntopics: 1\npartitionsPerTopic: 1\nmessageSize: 16\nsubscriptionsPerTopic: 1\n"   \
    "consumerPerSubscription: 1\nproducersPerTopic: 1\nproducerRate: 10\n"                     \
    "testDurationSeconds: 1\nwarmupDurationSeconds: 0\n"

#define KAFKA_DRIVER_HEAD                                                                      \
    "name: K\ndriverClass: io.openmessaging.benchmark.driver.kafka.KafkaBenchmarkDriver\n"

#define MAX_FILES 256
#define BATCH 50 /* workloads per call: runner_start takes up to 63 arguments */

struct file_list {
    int count;
    char paths[MAX_FILES][PATH_MAX];
};

static int compare_paths(const void *a, const void *b) {
    return strcmp(a, b);
}

/* The *.yaml files of dir, sorted. */
static void list_yaml(const char *dir, struct file_list *out) {
    out->count = 0;
    DIR *d = opendir(dir);
    if (!d)
        fail_msg("cannot open %s", dir);
    struct dirent *e;
    while ((e = readdir(d)) != NULL && out->count < MAX_FILES) {
        size_t n = strlen(e->d_name);
        if (n > 5 && strcmp(e->d_name + n - 5, ".yaml") == 0)
            snprintf(out->paths[out->count++], PATH_MAX, "%s/%s", dir, e->d_name);
    }
    closedir(d);
    qsort(out->paths, (size_t)out->count, PATH_MAX, compare_paths);
}

/* Asserts that text has the line "<path>: ok". */
static void assert_ok_line(const char *text, const char *path) {
    char line[PATH_MAX + 8];
    snprintf(line, sizeof(line), "%s: ok\n", path);
    if (!strstr(text, line))
        fail_msg("no '%s: ok' line in:\n%s", path, text);
}

/* Only stdout and stderr in the scratch directory (and any file the test
 * wrote itself, named in keep): validate creates nothing. */
static void assert_nothing_created(const struct ombc_run *r, const char *const *keep) {
    DIR *d = opendir(r->dir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        const char *n = e->d_name;
        bool known = !strcmp(n, ".") || !strcmp(n, "..") || !strcmp(n, "stdout") ||
                     !strcmp(n, "stderr");
        for (const char *const *k = keep; k && *k && !known; k++)
            known = !strcmp(n, *k);
        if (!known)
            fail_msg("validate created %s/%s", r->dir, n);
    }
    closedir(d);
}

/* `ombc validate [-d driver] workloads[first, first+n)`, expecting success.
 * @return whether it passed (what failed is printed). */
static bool validate_ok(const char *driver, const struct file_list *w, int first, int n) {
    char *args[64];
    int k = 0;
    args[k++] = "validate";
    if (driver) {
        args[k++] = "-d";
        args[k++] = (char *)driver;
    }
    for (int i = first; i < first + n; i++)
        args[k++] = (char *)w->paths[i];
    args[k] = NULL;
    struct ombc_run r;
    runner_init(&r);
    runner_run(&r, args, 60);
    if (r.status != 0 || r.err[0]) {
        fprintf(stderr, "FAILED: ombc validate -d %s (%d workloads): exit %d, stderr:\n%s",
                driver ? driver : "(default)", n, r.status, r.err);
        runner_fini(&r);
        return false;
    }
    for (int i = first; i < first + n; i++)
        assert_ok_line(r.out, w->paths[i]);
    if (driver)
        assert_ok_line(r.out, driver);
    else
        assert_non_null(strstr(r.out, "drivers/kafka-embedded.yaml: ok\n"));
    assert_nothing_created(&r, NULL);
    runner_fini(&r);
    return true;
}

/* Every OMB workload with every OMB Kafka driver file, and with the
 * default driver: exit 0, one ok line per file, nothing on stderr. */
static void every_omb_workload_validates(void **state) {
    (void)state;
    static struct file_list workloads, drivers;
    char dir[PATH_MAX];
    snprintf(dir, sizeof(dir), "%s/omb/workloads", runner_shared_dir());
    list_yaml(dir, &workloads);
    snprintf(dir, sizeof(dir), "%s/omb/driver-kafka", runner_shared_dir());
    list_yaml(dir, &drivers);
    assert_true(workloads.count >= 5);
    assert_true(drivers.count >= 2);
    int failed = 0;
    for (int d = 0; d <= drivers.count; d++) {
        const char *driver = d < drivers.count ? drivers.paths[d] : NULL;
        for (int first = 0; first < workloads.count; first += BATCH) {
            int n = workloads.count - first < BATCH ? workloads.count - first : BATCH;
            fprintf(stderr, "validate -d %s: %d workloads\n", driver ? driver : "(default)", n);
            failed += !validate_ok(driver, &workloads, first, n);
        }
    }
    assert_int_equal(failed, 0);
}

/* Validate connects to nothing: a driver whose broker is away still passes. */
static void validate_connects_to_no_broker(void **state) {
    (void)state;
    struct ombc_run r;
    runner_init(&r);
    char w[256], d[256];
    snprintf(w, sizeof(w), "%s", runner_write(&r, "w.yaml", GOOD_WORKLOAD));
    snprintf(d, sizeof(d), "%s",
             runner_write(&r, "d.yaml",
                          KAFKA_DRIVER_HEAD "commonConfig: |\n  bootstrap.servers=127.0.0.1:1\n"));
    char *args[] = {"validate", "-d", d, w, NULL};
    runner_run(&r, args, 20);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.err, "");
    char want[600];
    snprintf(want, sizeof(want), "%s: ok\n%s: ok\n", w, d);
    assert_string_equal(r.out, want);
    static const char *const keep[] = {"w.yaml", "d.yaml", NULL};
    assert_nothing_created(&r, keep);
    runner_fini(&r);
}

struct bad_case {
    const char *name;
    const char *workload; /* text, or NULL for a missing file */
    const char *driver;   /* text, or NULL for the default driver */
    const char *expect;   /* the whole stderr, "%1$s" standing for the scratch dir */
};

static const struct bad_case cases[] = {
    {"bad key type", GOOD_WORKLOAD "randomizedPayloadPoolSize: 1.5\n", NULL,
     "%s/w.yaml:11:28: key 'randomizedPayloadPoolSize': expected an integer, got '1.5'\n"},
    {"unknown keyDistributor", GOOD_WORKLOAD "keyDistributor: HASH\n", NULL,
     "%s/w.yaml:11:17: key 'keyDistributor': unknown value 'HASH' (accepted: NO_KEY, "
     "KEY_ROUND_ROBIN, RANDOM_NANO, or the aliases ROUND_ROBIN, RANDOM)\n"},
    {"missing workload file", NULL, NULL,
     "%s/missing.yaml: cannot open: No such file or directory\n"},
    {"bad driver class", GOOD_WORKLOAD, "name: X\ndriverClass: com.example.Nope\n",
     "%s/d.yaml: driverClass 'com.example.Nope' is not supported (known: "
     "io.openmessaging.benchmark.driver.kafka.KafkaBenchmarkDriver)\n"},
    {"bad driver key type", GOOD_WORKLOAD, KAFKA_DRIVER_HEAD "replicationFactor: three\n",
     "%s/d.yaml:3:20: key 'replicationFactor': expected an integer, got 'three'\n"},
    {"bad client property", GOOD_WORKLOAD,
     KAFKA_DRIVER_HEAD "embeddedBrokers: 1\nproducerConfig: |\n  acks=1\n  no.such.property=1\n",
     "%s/d.yaml:6: producerConfig: No such configuration property: \"no.such.property\"\n"},
    {"missing payload file", GOOD_WORKLOAD "payloadFile: payload/none.data\n", NULL,
     "%s/w.yaml:11:14: payloadFile 'payload/none.data' not found; tried payload/none.data, "
     "%s/payload/none.data, %s/../payload/none.data (relative paths: the working directory, "
     "the workload's directory and its parent)\n"},
    {"payload length mismatch", GOOD_WORKLOAD "payloadFile: p.data\n", NULL,
     "%s/w.yaml:11:14: payloadFile 'p.data': Payload length mismatch. Actual is: "
     "5, but expected: 16 (messageSize)\n"},
};

/* Replaces each "%s" of fmt by dir. */
static void expand(const char *fmt, const char *dir, char *out, size_t size) {
    size_t used = 0;
    for (const char *p = fmt; *p && used + 1 < size; p++) {
        if (p[0] == '%' && p[1] == 's') {
            used += (size_t)snprintf(out + used, size - used, "%s", dir);
            p++;
        } else {
            out[used++] = *p;
        }
    }
    out[used < size ? used : size - 1] = '\0';
}

/* Each bad file: exit 2, exactly its one line on stderr, and the good
 * files of the call still reported ok on stdout. */
static void every_bad_input_gets_its_line(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct bad_case *c = &cases[i];
        struct ombc_run r;
        runner_init(&r);
        char w[256], d[256] = "", want[4096];
        snprintf(w, sizeof(w), "%s/missing.yaml", r.dir);
        if (c->workload)
            snprintf(w, sizeof(w), "%s", runner_write(&r, "w.yaml", c->workload));
        if (strstr(c->name, "mismatch")) /* in the working directory */
            runner_write(&r, "p.data", "12345");
        char *args[8];
        int n = 0;
        args[n++] = "validate";
        if (c->driver) {
            snprintf(d, sizeof(d), "%s", runner_write(&r, "d.yaml", c->driver));
            args[n++] = "-d";
            args[n++] = d;
        }
        args[n++] = w;
        args[n] = NULL;
        runner_run(&r, args, 30);
        fprintf(stderr, "[%s] exit %d: %s", c->name, r.status, r.err);
        assert_int_equal(r.status, 2);
        expand(c->expect, r.dir, want, sizeof(want));
        assert_string_equal(r.err, want);
        /* the other file of the call is good and said so */
        if (c->driver && c->workload)
            assert_ok_line(r.out, w);
        else if (!c->driver)
            assert_non_null(strstr(r.out, "drivers/kafka-embedded.yaml: ok\n"));
        runner_fini(&r);
    }
}

/* Several bad files in one call: every problem, one line each, in argument
 * order (workloads, then drivers), and ok lines for the good ones. */
static void every_problem_is_reported(void **state) {
    (void)state;
    struct ombc_run r;
    runner_init(&r);
    char good[256], bad1[256], bad2[256], drv_bad[256], drv_good[PATH_MAX], missing[256];
    snprintf(good, sizeof(good), "%s", runner_write(&r, "good.yaml", GOOD_WORKLOAD));
    snprintf(bad1, sizeof(bad1), "%s", runner_write(&r, "bad1.yaml", "topics: many\n"));
    snprintf(bad2, sizeof(bad2), "%s",
             runner_write(&r, "bad2.yaml", GOOD_WORKLOAD "keyDistributor: SOMETIMES\n"));
    snprintf(drv_bad, sizeof(drv_bad), "%s", runner_write(&r, "d.yaml", "driverClass: x\n"));
    snprintf(drv_good, sizeof(drv_good), "%s/omb/driver-kafka/kafka-latency.yaml",
             runner_shared_dir());
    snprintf(missing, sizeof(missing), "%s/missing.yaml", r.dir);
    char drivers[PATH_MAX + 300];
    snprintf(drivers, sizeof(drivers), "%s,%s", drv_bad, drv_good);
    char *args[] = {"validate", "--drivers", drivers, bad1, good, missing, bad2, NULL};
    runner_run(&r, args, 30);
    fprintf(stderr, "exit %d:\n%s", r.status, r.err);
    assert_int_equal(r.status, 2);
    char want[PATH_MAX * 3];
    snprintf(want, sizeof(want),
             "%s:1:9: key 'topics': expected an integer, got 'many'\n"
             "%s: cannot open: No such file or directory\n"
             "%s:11:17: key 'keyDistributor': unknown value 'SOMETIMES' (accepted: NO_KEY, "
             "KEY_ROUND_ROBIN, RANDOM_NANO, or the aliases ROUND_ROBIN, RANDOM)\n"
             "%s: missing required key 'name'\n",
             bad1, missing, bad2, drv_bad);
    assert_string_equal(r.err, want);
    snprintf(want, sizeof(want), "%s: ok\n%s: ok\n", good, drv_good);
    assert_string_equal(r.out, want);
    runner_fini(&r);
}

static void usage_errors_exit_2(void **state) {
    (void)state;
    char *none[] = {"validate", NULL};
    char *only_d[] = {"validate", "-d", "x.yaml", NULL};
    char *unknown_opt[] = {"validate", "--frobnicate", "w.yaml", NULL};
    char *const *cmds[] = {none, only_d, unknown_opt};
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
        struct ombc_run r;
        runner_init(&r);
        runner_run(&r, cmds[i], 10);
        assert_int_equal(r.status, 2);
        assert_non_null(strstr(r.err, "usage: ombc validate"));
        assert_string_equal(r.out, "");
        runner_fini(&r);
    }
    char *help[] = {"validate", "--help", NULL};
    struct ombc_run r;
    runner_init(&r);
    runner_run(&r, help, 10);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "usage: ombc validate"));
    runner_fini(&r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_omb_workload_validates),
        cmocka_unit_test(validate_connects_to_no_broker),
        cmocka_unit_test(every_bad_input_gets_its_line),
        cmocka_unit_test(every_problem_is_reported),
        cmocka_unit_test(usage_errors_exit_2),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
