/*
 * Several drivers x several workloads in one `ombc run`, as OMB's Benchmark
 * loop: every workload (sorted by file name) with every driver (in -d
 * order), one result file each; a pair that fails is reported and the
 * others still run, and the exit status says something failed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>

#include "integration/runner.h"

#define DRIVER(name, extra)                                                                   \
    "name: " name "\n"                                                                          \
    "driverClass: io.openmessaging.benchmark.driver.kafka.KafkaBenchmarkDriver\n"              \
    "replicationFactor: 1\n" extra                                                              \
    "producerConfig: |\n  linger.ms=1\n"                                                        \
    "consumerConfig: |\n  fetch.wait.max.ms=5\n  auto.offset.reset=earliest\n"

#define WORKLOAD(name)                                                                        \
    "name: " name "\ntopics: 1\npartitionsPerTopic: 2\nmessageSize: 64\n"                     \
    "subscriptionsPerTopic: 1\nconsumerPerSubscription: 1\nproducersPerTopic: 1\n"            \
    "producerRate: 500\ntestDurationSeconds: 2\nwarmupDurationSeconds: 0\n"

static int count_results(const char *dir, const char *prefix) {
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += strncmp(e->d_name, prefix, strlen(prefix)) == 0 &&
             strstr(e->d_name, ".json") != NULL;
    closedir(d);
    return n;
}

static void two_drivers_two_workloads_and_a_failing_one(void **state) {
    (void)state;
    struct ombc_run r;
    runner_init(&r);
    runner_write(&r, "a.yaml", DRIVER("Alpha", "embeddedBrokers: 1\n"));
    runner_write(&r, "b.yaml", DRIVER("Beta", "embeddedBrokers: 1\n"));
    /* valid, but its broker is not there: fails when the pair starts */
    runner_write(&r, "dead.yaml",
                 DRIVER("Dead", "commonConfig: |\n  bootstrap.servers=127.0.0.1:1\n"));
    runner_write(&r, "w2.yaml", WORKLOAD("second"));
    runner_write(&r, "w1.yaml", WORKLOAD("first"));
    char *args[] = {"run", "--agents", "2", "--report-interval", "1", "-d",
                    "a.yaml,dead.yaml,b.yaml", "w2.yaml", "w1.yaml", NULL};
    runner_run(&r, args, 240);
    /* bad input in one pair (an unreachable broker) is exit 2; the rest ran */
    if (r.status != 2)
        fprintf(stderr, "status %d\nstdout:\n%s\nstderr:\n%s\n", r.status, r.out, r.err);
    assert_int_equal(r.status, 2);
    assert_int_equal(count_results(r.dir, "w1-Alpha-"), 1);
    assert_int_equal(count_results(r.dir, "w1-Beta-"), 1);
    assert_int_equal(count_results(r.dir, "w2-Alpha-"), 1);
    assert_int_equal(count_results(r.dir, "w2-Beta-"), 1);
    assert_int_equal(count_results(r.dir, "w1-Dead-"), 0);
    assert_int_equal(count_results(r.dir, "w2-Dead-"), 0);
    /* in OMB's order: workloads by file name, drivers in -d order */
    const char *order[] = {"WORKLOAD : first --- DRIVER : Alpha", "WORKLOAD : first --- DRIVER : Dead",
                           "WORKLOAD : first --- DRIVER : Beta", "WORKLOAD : second --- DRIVER : Alpha",
                           "WORKLOAD : second --- DRIVER : Dead",
                           "WORKLOAD : second --- DRIVER : Beta"};
    const char *at = r.err;
    for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
        const char *p = strstr(at, order[i]);
        if (!p)
            fprintf(stderr, "missing in order: %s\n%s\n", order[i], r.err);
        assert_non_null(p);
        at = p;
    }
    /* each failure reported once per pair, naming the broker */
    int failures = 0;
    for (const char *p = r.err; (p = strstr(p, "cannot reach Kafka at 127.0.0.1:1")); p++)
        failures++;
    assert_int_equal(failures, 2);
    runner_fini(&r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(two_drivers_two_workloads_and_a_failing_one),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
