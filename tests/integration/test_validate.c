/*
 * ombc validate as a user runs it: every OMB workload file with every OMB
 * Kafka driver file (and with the default embedded driver, but for OMB's
 * backlog workload, larger than the embedded Kafka keeps) passes, with
 * "FILE: ok" per file on stdout, no error on stderr (only the warnings
 * about Java client properties, each FILE:LINE:COL) and nothing created.
 * Validate starts no agent and connects to no broker, so no broker is
 * needed here. Bad files, usage errors and a broker that is away are cases
 * of the bad-input corpus (tests/bad-input/, run by test_bad_input).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <limits.h>

#include "integration/runner.h"

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

/* Whether every line of err is a warning or a note (a Java property left
 * out or translated), placed as FILE:LINE:COL. */
static bool only_warnings(const char *err) {
    for (const char *line = err; *line;) {
        const char *eol = strchr(line, '\n');
        size_t len = eol ? (size_t)(eol - line) + 1 : strlen(line);
        char buf[2048];
        snprintf(buf, sizeof(buf), "%.*s", (int)len, line);
        if (!strstr(buf, " WARN  KafkaDriver - ") && !strstr(buf, " INFO  KafkaDriver - "))
            return false;
        line += len;
    }
    return true;
}

/* Only stdout and stderr in the scratch directory: validate creates nothing. */
static void assert_nothing_created(const struct ombc_run *r) {
    DIR *d = opendir(r->dir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        const char *n = e->d_name;
        bool known = !strcmp(n, ".") || !strcmp(n, "..") || !strcmp(n, "stdout") ||
                     !strcmp(n, "stderr");
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
    if (r.status != 0 || !only_warnings(r.err)) {
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
    /* OMB's throughput file has a Java-only property: named, with its place */
    if (driver && strstr(driver, "kafka-throughput.yaml"))
        assert_non_null(strstr(r.err, "kafka-throughput.yaml:27:3: commonConfig: "
                                      "'default.api.timeout.ms' is a Java client property "
                                      "librdkafka does not have; left out"));
    assert_nothing_created(&r);
    runner_fini(&r);
    return true;
}

/* Whether the workload file asks for a backlog (consumerBacklogSizeGB > 0). */
static bool has_backlog(const char *path) {
    char *text = runner_slurp(path);
    assert_non_null(text);
    const char *k = strstr(text, "consumerBacklogSizeGB:");
    bool yes = k && strtol(k + strlen("consumerBacklogSizeGB:"), NULL, 10) > 0;
    free(text);
    return yes;
}

/* OMB's backlog workload (512 GiB over 100 partitions) on the default
 * driver, the embedded Kafka, which keeps 5 MiB or 100,000 messages per
 * partition: refused, with the numbers, and nothing created. */
static void omb_backlog_refused_on_embedded(const char *path) {
    char *args[] = {"validate", (char *)path, NULL};
    struct ombc_run r;
    runner_init(&r);
    runner_run(&r, args, 60);
    if (r.status != 2)
        fprintf(stderr, "ombc validate %s: exit %d, stderr:\n%s", path, r.status, r.err);
    assert_int_equal(r.status, 2);
    char line[PATH_MAX + 512];
    snprintf(line, sizeof(line), "%s: the backlog asked (consumerBacklogSizeGB: 512, "
             "549755813888 bytes: 549755813888 bytes or 536870912 messages of 1024 bytes behind "
             "on each of 1 subscriptions) is more than the broker ", path);
    if (!strstr(r.err, line))
        fail_msg("no '%s' in:\n%s", line, r.err);
    assert_non_null(strstr(r.err, "kafka-embedded.yaml hosts keeps: 100 partitions (1 topics x "
                                  "100) of at most 5242880 bytes or 100000 messages each; it "
                                  "would drop the oldest messages before the consumers read "
                                  "them, and the backlog would never drain\n"));
    snprintf(line, sizeof(line), "%s: ok\n", path);
    assert_null(strstr(r.out, line)); /* the workload is not ok; the driver file is */
    assert_nothing_created(&r);
    runner_fini(&r);
}

/* Every OMB workload with every OMB Kafka driver file (real brokers), and
 * with the default driver: exit 0, one ok line per file, no error on
 * stderr; but for the default driver, the embedded Kafka, a backlog
 * larger than it keeps is refused (omb_backlog_refused_on_embedded). */
static void every_omb_workload_validates(void **state) {
    (void)state;
    static struct file_list all, workloads, backlogs, drivers;
    char dir[PATH_MAX];
    snprintf(dir, sizeof(dir), "%s/omb/workloads", runner_shared_dir());
    list_yaml(dir, &all);
    workloads.count = backlogs.count = 0;
    for (int i = 0; i < all.count; i++) {
        struct file_list *to = has_backlog(all.paths[i]) ? &backlogs : &workloads;
        snprintf(to->paths[to->count++], PATH_MAX, "%s", all.paths[i]);
    }
    assert_int_equal(backlogs.count, 1);
    for (int i = 0; i < backlogs.count; i++)
        omb_backlog_refused_on_embedded(backlogs.paths[i]);
    snprintf(dir, sizeof(dir), "%s/omb/driver-kafka", runner_shared_dir());
    list_yaml(dir, &drivers);
    assert_true(workloads.count >= 5);
    assert_true(drivers.count >= 2);
    int failed = 0;
    for (int d = 0; d <= drivers.count; d++) {
        const char *driver = d < drivers.count ? drivers.paths[d] : NULL;
        const struct file_list *list = driver ? &all : &workloads;
        for (int first = 0; first < list->count; first += BATCH) {
            int n = list->count - first < BATCH ? list->count - first : BATCH;
            fprintf(stderr, "validate -d %s: %d workloads\n", driver ? driver : "(default)", n);
            failed += !validate_ok(driver, list, first, n);
        }
    }
    assert_int_equal(failed, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_omb_workload_validates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
