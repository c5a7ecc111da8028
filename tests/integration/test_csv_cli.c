/*
 * `ombc csv DIR` and `ombc run -c DIR` as a user runs them (OMB's --csv):
 * the name of the CSV on stdout, the CSV in the working directory, and one
 * clear line with exit status 2 for bad input. No broker needed. The
 * figures are derived in tests/unit/test_results_csv.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "integration/runner.h"

#define HEADER                                                                               \
    "topics,partitions,message-size,producers-per-topic,consumers-per-topic,"                \
    "prod-rate-min,prod-rate-avg,prod-rate-std-dev,prod-rate-max,"                           \
    "con-rate-min,con-rate-avg,con-rate-std-dev,con-rate-max,\n"

/* Two results in r->dir/results, given in the opposite of their CSV order. */
static void write_results(struct ombc_run *r) {
    char dir[128];
    snprintf(dir, sizeof(dir), "%s/results", r->dir);
    assert_int_equal(mkdir(dir, 0755), 0);
    runner_write(r, "results/a.json",
                 "{\"workload\": \"w\", \"driver\": \"Kafka\", \"messageSize\": 1024,"
                 " \"topics\": 1, \"partitions\": 1, \"producersPerTopic\": 1,"
                 " \"consumersPerTopic\": 1, \"publishRate\": [49999.9],"
                 " \"consumeRate\": [50000.0, 50100.0]}\n");
    runner_write(r, "results/b.json",
                 "{\"workload\": \"w\", \"driver\": \"Kafka\", \"messageSize\": 100,"
                 " \"topics\": 1, \"partitions\": 1, \"producersPerTopic\": 1,"
                 " \"consumersPerTopic\": 1, \"publishRate\": [2.0, 3.0],"
                 " \"consumeRate\": [33.0, 64.0]}\n");
    runner_write(r, "results/notes.txt", "not a result\n");
}

#define ROWS                                                                                 \
    HEADER "1,1,100,1,1,2,2,0.5,3,32,50,16.5,67\n"                                           \
           "1,1,1024,1,1,49152,50176,0,51199,49152,50176,0,51199\n"

/* stdout is "results-<epoch>.csv\n"; that file in r->dir holds ROWS. */
static void check_output(struct ombc_run *r) {
    assert_int_equal(r->status, 0);
    long long epoch = -1;
    char tail[8] = "";
    assert_int_equal(sscanf(r->out, "results-%lld%7s", &epoch, tail), 2);
    assert_string_equal(tail, ".csv");
    assert_true(epoch > 1600000000LL);
    char path[256];
    snprintf(path, sizeof(path), "%s/%.*s", r->dir, (int)strcspn(r->out, "\n"), r->out);
    char *csv = runner_slurp(path);
    assert_non_null(csv);
    assert_string_equal(csv, ROWS);
    free(csv);
    assert_string_equal(r->err, "");
}

static void csv_converts(void **state) {
    (void)state;
    struct ombc_run r;
    runner_init(&r);
    write_results(&r);
    char *args[] = {"csv", "results", NULL};
    runner_run(&r, args, 30);
    check_output(&r);
    runner_fini(&r);
}

static void run_dash_c_converts(void **state) {
    (void)state;
    struct ombc_run r;
    runner_init(&r);
    write_results(&r);
    char *args[] = {"run", "--csv", "results", NULL}; /* no workload needed */
    runner_run(&r, args, 30);
    check_output(&r);
    runner_fini(&r);

    runner_init(&r);
    write_results(&r);
    char *short_args[] = {"run", "-c", "results", NULL};
    runner_run(&r, short_args, 30);
    check_output(&r);
    runner_fini(&r);
}

static void csv_rejects_bad_input(void **state) {
    (void)state;
    struct ombc_run r;
    runner_init(&r);
    char *missing[] = {"csv", "nowhere", NULL};
    runner_run(&r, missing, 30);
    assert_int_equal(r.status, 2);
    assert_string_equal(r.err,
                        "ombc csv: cannot open directory nowhere: No such file or directory\n");
    assert_string_equal(r.out, "");
    runner_fini(&r);

    runner_init(&r);
    write_results(&r);
    runner_write(&r, "results/c.json", "{\"topics\": 1}\n");
    char *bad[] = {"csv", "results", NULL};
    runner_run(&r, bad, 30);
    assert_int_equal(r.status, 2);
    assert_string_equal(r.err,
                        "ombc csv: results/c.json: not an OMB result: no \"messageSize\"\n");
    runner_fini(&r);

    runner_init(&r);
    write_results(&r);
    runner_write(&r, "results/c.json",
                 "{\"messageSize\": 1, \"topics\": 1, \"partitions\": 1,"
                 " \"producersPerTopic\": 1, \"consumersPerTopic\": 1,"
                 " \"publishRate\": [20000000.0], \"consumeRate\": []}\n");
    char *big[] = {"run", "-c", "results", NULL};
    runner_run(&r, big, 30);
    assert_int_equal(r.status, 2);
    assert_string_equal(r.err, "ombc run: results/c.json: publishRate[0] = 20000000: OMB's CSV "
                               "statistics (an HdrHistogram with 1 significant digit) hold only "
                               "rates from 0 to 16777215\n");
    runner_fini(&r);

    runner_init(&r);
    char dir[128];
    snprintf(dir, sizeof(dir), "%s/empty", r.dir);
    assert_int_equal(mkdir(dir, 0755), 0);
    char *empty[] = {"csv", "empty", NULL};
    runner_run(&r, empty, 30);
    assert_int_equal(r.status, 2);
    assert_string_equal(r.err, "ombc csv: no .json file in empty\n");
    runner_fini(&r);

    runner_init(&r);
    char *none[] = {"csv", NULL};
    runner_run(&r, none, 30);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "ombc csv: no directory given\nusage: ombc csv DIR\n"));
    runner_fini(&r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(csv_converts),
        cmocka_unit_test(run_dash_c_converts),
        cmocka_unit_test(csv_rejects_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
