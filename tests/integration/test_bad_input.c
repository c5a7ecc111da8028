/*
 * Bad input: each case runs `ombc run` as a user would and expects exit
 * status 2, nothing on stdout, and one clear line on stderr that names the
 * file and the problem (checked by a fragment of the expected message).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "integration/runner.h"

#define GOOD_WORKLOAD                                                                          \
    "name: w\ntopics: 1\npartitionsPerTopic: 1\nmessageSize: 16\nsubscriptionsPerTopic: 1\n"   \
    "consumerPerSubscription: 1\nproducersPerTopic: 1\nproducerRate: 10\n"                     \
    "testDurationSeconds: 1\nwarmupDurationSeconds: 0\n"

#define KAFKA_DRIVER_HEAD                                                                      \
    "name: K\ndriverClass: io.openmessaging.benchmark.driver.kafka.KafkaBenchmarkDriver\n"

struct bad_case {
    const char *name;
    const char *workload; /* text, or NULL to use a missing file */
    const char *driver;   /* text, or NULL for the default (embedded) */
    const char *expect1;  /* fragments the error line must contain */
    const char *expect2;
};

static const struct bad_case cases[] = {
    {"missing workload file", NULL, NULL, "missing.yaml", "No such file"},
    {"workload YAML syntax", "topics: [1, 2\n", NULL, "w.yaml:", "YAML"},
    {"workload wrong type", "topics: many\n", NULL, "w.yaml:1:", "topics"},
    {"workload negative", "topics: -1\n", NULL, "w.yaml:1:", "topics"},
    {"unknown key distributor", GOOD_WORKLOAD "keyDistributor: SOMETIMES\n", NULL, "w.yaml:",
     "KEY_ROUND_ROBIN"},
    {"backlog with the max-rate search", "topics: 1\nproducerRate: 0\nconsumerBacklogSizeGB: 1\n",
     NULL, "w.yaml:", "Cannot probe producer sustainable rate when building backlog"},
    {"driver without name", GOOD_WORKLOAD, "driverClass: x\n", "d.yaml", "name"},
    {"unknown driver class", GOOD_WORKLOAD, "name: X\ndriverClass: com.example.Nope\n", "d.yaml",
     "com.example.Nope"},
    {"driver wrong type", GOOD_WORKLOAD, KAFKA_DRIVER_HEAD "replicationFactor: three\n", "d.yaml:3:",
     "replicationFactor"},
    {"unknown librdkafka property", GOOD_WORKLOAD,
     KAFKA_DRIVER_HEAD "embeddedBrokers: 1\nproducerConfig: |\n  acks=1\n  no.such.property=1\n",
     "d.yaml:6: producerConfig: ", "No such configuration property: \"no.such.property\""},
    {"bad librdkafka value", GOOD_WORKLOAD,
     KAFKA_DRIVER_HEAD "embeddedBrokers: 1\ncommonConfig: |\n  acks=sometimes\n",
     "d.yaml:5: commonConfig: ", "acks"},
    {"unreachable bootstrap server", GOOD_WORKLOAD,
     KAFKA_DRIVER_HEAD "commonConfig: |\n  bootstrap.servers=127.0.0.1:1\n", "127.0.0.1:1",
     "cannot reach Kafka"},
};

static void run_case(const struct bad_case *c) {
    struct ombc_run r;
    runner_init(&r);
    char wpath[256] = "missing.yaml", dpath[256] = "";
    if (c->workload)
        snprintf(wpath, sizeof(wpath), "%s", runner_write(&r, "w.yaml", c->workload));
    char *args[12];
    int n = 0;
    args[n++] = "run";
    args[n++] = "--agents";
    args[n++] = "1";
    if (c->driver) {
        snprintf(dpath, sizeof(dpath), "%s", runner_write(&r, "d.yaml", c->driver));
        args[n++] = "-d";
        args[n++] = dpath;
    }
    args[n++] = wpath;
    args[n] = NULL;
    runner_run(&r, args, 60);
    fprintf(stderr, "[%s] exit %d: %s", c->name, r.status, r.err);
    assert_int_equal(r.status, 2);
    assert_string_equal(r.out, "");
    /* exactly one line that mentions the problem */
    const char *line = strstr(r.err, "ombc: ");
    assert_non_null(line);
    const char *eol = strchr(line, '\n');
    assert_non_null(eol);
    assert_null(strstr(eol + 1, "ombc: "));
    char msg[2048];
    snprintf(msg, sizeof(msg), "%.*s", (int)(eol - line), line);
    assert_non_null(strstr(msg, c->expect1));
    assert_non_null(strstr(msg, c->expect2));
    runner_fini(&r);
}

static void every_bad_input_gets_one_clear_line(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        run_case(&cases[i]);
}

static void usage_errors_exit_2(void **state) {
    (void)state;
    char *none[] = {"run", NULL};
    char *bad_agents[] = {"run", "--agents", "zero", "w.yaml", NULL};
    char *unknown[] = {"frobnicate", NULL};
    char *const *cmds[] = {none, bad_agents, unknown};
    for (size_t i = 0; i < 3; i++) {
        struct ombc_run r;
        runner_init(&r);
        runner_run(&r, cmds[i], 10);
        assert_int_equal(r.status, 2);
        assert_true(strlen(r.err) > 0);
        runner_fini(&r);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_bad_input_gets_one_clear_line),
        cmocka_unit_test(usage_errors_exit_2),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
