/*
 * test_results_csv: unit tests of src/stats/results_csv.c, OMB's --csv
 * (OMB-REFERENCE.md 5.4): result JSON files are written into a temporary
 * directory, converted, and the CSV text compared exactly.
 *
 * Every expected number is derived by hand from the rules, as the comments
 * show. The rate histogram is Histogram(10000000, 1) (6.1): 32 sub-buckets,
 * so values 0..31 are exact (unit 1) and bucket b >= 1 holds
 * [16 * 2^b, 32 * 2^b) in units of 2^b. For a value v with unit u:
 * lowest = floor(v / u) * u, highest = lowest + u - 1, median = lowest + u / 2
 * (u = 1: median = v). Each rate is recorded as (long)rate with count 2, so
 * mean = average of the medians, std-dev = population std-dev of the
 * medians; min = lowest of the smallest non-zero, max = highest of the
 * largest. avg is printed with "#", std-dev with "#.##" (half-even).
 * The expected rows were also checked once, outside this suite, against
 * HdrHistogram 2.1.11's Java Histogram and MessageFormat (OMB's own calls).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <ftw.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/err.h"
#include "stats/report.h"
#include "stats/result.h"
#include "stats/results_csv.h"

#define HEADER                                                                               \
    "topics,partitions,message-size,producers-per-topic,consumers-per-topic,"                \
    "prod-rate-min,prod-rate-avg,prod-rate-std-dev,prod-rate-max,"                           \
    "con-rate-min,con-rate-avg,con-rate-std-dev,con-rate-max,\n"

/* ---- scratch directories ---- */

static void make_dir(char *dir) {
    strcpy(dir, "/tmp/ombc-csv-XXXXXX");
    assert_non_null(mkdtemp(dir));
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void remove_dir(const char *dir) {
    assert_int_equal(nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS), 0);
}

static void write_text(const char *dir, const char *name, const char *text) {
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* A TestResult with the fields the CSV reads (and a few it ignores); the
 * rates are JSON array bodies, e.g. "1.0, 2.0". */
static void write_result(const char *dir, const char *name, long size, int topics,
                         int partitions, int producers, int consumers, const char *publish,
                         const char *consume) {
    char text[2048];
    snprintf(text, sizeof(text),
             "{\n"
             "    \"workload\" : \"w\",\n"
             "    \"driver\" : \"d\",\n"
             "    \"messageSize\" : %ld,\n"
             "    \"topics\" : %d,\n"
             "    \"partitions\" : %d,\n"
             "    \"producersPerTopic\" : %d,\n"
             "    \"consumersPerTopic\" : %d,\n"
             "    \"publishRate\" : [ %s ],\n"
             "    \"publishErrorRate\" : [ 0.0 ],\n"
             "    \"consumeRate\" : [ %s ],\n"
             "    \"aggregatedPublishLatencyQuantiles\" : { \"100.0\" : 1.5 }\n"
             "}\n",
             size, topics, partitions, producers, consumers, publish, consume);
    write_text(dir, name, text);
}

/* Converts dir and compares the CSV with want exactly. */
static void expect_csv(const char *dir, const char *want) {
    char err[1024] = "";
    char *csv = NULL;
    int rc = ombc_results_csv_text(dir, &csv, err, sizeof(err));
    if (rc != 0)
        fail_msg("ombc_results_csv_text: %d %s", rc, err);
    if (strcmp(csv, want) != 0)
        fail_msg("CSV:\n%s\nwant:\n%s", csv, want);
    free(csv);
}

/* Converts dir, expecting failure rc with errstr want (dir's path is
 * replaced by "DIR" in want). */
static void expect_error(const char *dir, int want_rc, const char *want) {
    char err[1024] = "", expect[1024];
    char *csv = NULL;
    int rc = ombc_results_csv_text(dir, &csv, err, sizeof(err));
    assert_int_equal(rc, want_rc);
    assert_null(csv);
    const char *mark = strstr(want, "DIR");
    if (mark)
        snprintf(expect, sizeof(expect), "%.*s%s%s", (int)(mark - want), want, dir, mark + 3);
    else
        snprintf(expect, sizeof(expect), "%s", want);
    assert_string_equal(err, expect);
}

/* ---- DecimalFormat "#" and "#.##" ---- */

static void check_fmt(double v, int digits, const char *want) {
    char buf[64];
    ombc_results_csv_decimal(buf, sizeof(buf), v, digits);
    if (strcmp(buf, want) != 0)
        fail_msg("decimal(%.17g, %d) = \"%s\", want \"%s\"", v, digits, buf, want);
}

static void test_decimal_format(void **state) {
    (void)state;
    /* "#": no fraction, half-even on exact binary ties, "0" for zero. */
    check_fmt(0.0, 0, "0");
    check_fmt(0.5, 0, "0");       /* tie -> even 0 */
    check_fmt(1.5, 0, "2");       /* tie -> even 2 */
    check_fmt(2.5, 0, "2");       /* tie -> even 2 */
    check_fmt(1234.5, 0, "1234"); /* tie -> even */
    check_fmt(1235.5, 0, "1236"); /* tie -> even */
    check_fmt(9.999, 0, "10");
    check_fmt(13369344.0, 0, "13369344"); /* no grouping */
    check_fmt(-1.5, 0, "-2");
    check_fmt(-0.0, 0, "-0");  /* Java keeps the sign of a negative zero */
    check_fmt(-0.001, 0, "-0");
    /* "#.##": at most two fraction digits, trailing zeros dropped, the
     * integer digit always shown ("#.##" has minimum integer digits 1). */
    check_fmt(0.0, 2, "0");
    check_fmt(0.5, 2, "0.5");
    check_fmt(1234.5, 2, "1234.5");
    check_fmt(100.0, 2, "100");
    check_fmt(1.1, 2, "1.1");
    check_fmt(9.999, 2, "10");       /* 10.00 -> "10" */
    check_fmt(0.001, 2, "0");        /* 0.00 -> "0" */
    check_fmt(0.125, 2, "0.12");     /* exact binary tie -> even 2 */
    check_fmt(0.375, 2, "0.38");     /* exact binary tie -> even 8 */
    check_fmt(2.675, 2, "2.67");     /* 2.67499999999999982236... */
    check_fmt(1.005, 2, "1");        /* 1.00499999999999989341... -> 1.00 */
    check_fmt(0.005, 2, "0.01");     /* 0.00500000000000000010... */
    check_fmt(0.045, 2, "0.04");     /* 0.04499999999999999833... */
    check_fmt(12.345, 2, "12.35");   /* 12.34500000000000063948... */
    check_fmt(1234.567, 2, "1234.57");
    check_fmt(-1.5, 2, "-1.5");
    check_fmt(NAN, 2, "NaN");
    check_fmt(INFINITY, 0, "\xE2\x88\x9E");
}

/* ---- rows ---- */

static void test_quantization(void **state) {
    (void)state;
    char dir[64];
    make_dir(dir);
    /* publish [49999.9]: (long) 49999, in [32768, 65536) = bucket 11, unit
     * 2048: lowest 24 * 2048 = 49152, median 49152 + 1024 = 50176, highest
     * 49152 + 2047 = 51199. One bucket: avg 50176, std-dev 0.
     * consume [50000, 50100]: the same bucket, so the same four figures.
     * consume of the second file [49999, 50000, 52000, 100000]:
     *   49999, 50000 -> bucket 49152 (median 50176);
     *   52000 -> 25 * 2048 = 51200, median 52224;
     *   100000 in [65536, 131072), unit 4096: 24 * 4096 = 98304, median
     *   100352, highest 102399.
     *   avg = (2 * 50176 + 52224 + 100352) / 4 = 252928 / 4 = 63232;
     *   deviations -13056 (x2), -11008, 37120; squares 170459136 (x2),
     *   121176064, 1377894400; sum 1839988736 / 4 = 459997184;
     *   sqrt = 21447.5449... -> "21447.54".
     * publish of the second file [1000, 1500, 2000]:
     *   1000 in [512, 1024), unit 32: 31 * 32 = 992, median 1008;
     *   1500 in [1024, 2048), unit 64: 23 * 64 = 1472, median 1504;
     *   2000: 31 * 64 = 1984, median 2016, highest 2047;
     *   avg = 4528 / 3 = 1509.33 -> "1509"; deviations -501.33, -5.33,
     *   506.67; squares sum 508074.67 / 3 = 169358.22; sqrt 411.53. */
    write_result(dir, "a.json", 1024, 1, 1, 1, 1, "49999.9", "50000.0, 50100.0");
    write_result(dir, "b.json", 1024, 1, 2, 4, 3, "1000.0, 1500.0, 2000.0",
                 "49999.0, 50000.0, 52000.0, 100000.0");
    expect_csv(dir, HEADER "1,1,1024,1,1,49152,50176,0,51199,49152,50176,0,51199\n"
                           "1,2,1024,4,3,992,1509,411.53,2047,49152,63232,21447.54,102399\n");
    remove_dir(dir);
}

static void test_half_even_and_std_dev(void **state) {
    (void)state;
    char dir[64];
    make_dir(dir);
    /* a: publish [2, 3] (exact bucket 0): avg (2 + 3) / 2 = 2.5 -> "2"
     *    (half-even); deviations +-0.5 -> std-dev 0.5 -> "0.5"; min 2, max 3.
     *    consume [33, 64]: 33 in [32, 64), unit 2: lowest 32, median 33;
     *    64 in [64, 128), unit 4: lowest 64, median 66, highest 67;
     *    avg (33 + 66) / 2 = 49.5 -> "50" (half-even, up to the even 50);
     *    std-dev 16.5.
     * b: publish [35, 64]: 35 -> lowest 34, median 35; avg (35 + 66) / 2 =
     *    50.5 -> "50" (half-even, down to the even 50); std-dev 15.5;
     *    min 34, max 67.
     *    consume [1, 2, 4]: avg 7 / 3 = 2.33 -> "2"; deviations -4/3, -1/3,
     *    5/3: variance (16 + 1 + 25) / 27 = 14 / 9; std-dev sqrt(14) / 3 =
     *    1.2472 -> "1.25".
     * c: publish [2.9, 3.99]: (long) truncates to 2 and 3: as a's publish.
     *    consume [-0.5, 4]: (long)-0.5 = 0, recorded at 0, which is not a
     *    non-zero minimum: min 4; avg (0 + 4) / 2 = 2; std-dev 2; max 4. */
    write_result(dir, "a.json", 10, 1, 1, 1, 1, "2.0, 3.0", "33.0, 64.0");
    write_result(dir, "b.json", 20, 1, 1, 1, 1, "35.0, 64.0", "1.0, 2.0, 4.0");
    write_result(dir, "c.json", 30, 1, 1, 1, 1, "2.9, 3.99", "-0.5, 4.0");
    expect_csv(dir, HEADER "1,1,10,1,1,2,2,0.5,3,32,50,16.5,67\n"
                           "1,1,20,1,1,34,50,15.5,67,1,2,1.25,4\n"
                           "1,1,30,1,1,2,2,0.5,3,4,2,2,4\n");
    remove_dir(dir);
}

static void test_top_of_range(void **state) {
    (void)state;
    char dir[64];
    make_dir(dir);
    /* [10000000, 16777215.9]: both in [8388608, 16777216) = bucket 19, unit
     * 524288. 10000000: 19 * 524288 = 9961472, median 10223616.
     * 16777215: 31 * 524288 = 16252928, median 16515072, highest 16777215.
     * avg (10223616 + 16515072) / 2 = 13369344 (no grouping); std-dev
     * (16515072 - 10223616) / 2 = 3145728. consume [10]: exact, 10,10,0,10. */
    write_result(dir, "big.json", 1, 1, 1, 1, 1, "10000000.0, 16777215.9", "10.0");
    expect_csv(dir, HEADER "1,1,1,1,1,9961472,13369344,3145728,16777215,10,10,0,10\n");
    remove_dir(dir);
}

static void test_empty_and_zero_rates(void **state) {
    (void)state;
    char dir[64];
    make_dir(dir);
    /* No rate, or only rates whose (long) is 0: getMinNonZeroValue() has
     * nothing and answers Long.MAX_VALUE, which OMB prints as is (a min
     * above the average); ombc writes "none" in that column (issue 14 item
     * 12); mean, std-dev and max are 0. */
    write_result(dir, "empty.json", 1024, 1, 1, 1, 1, "", "0.0, 0.4");
    expect_csv(dir, HEADER "1,1,1024,1,1,none,0,0,0,none,0,0,0\n");
    remove_dir(dir);
}

static void test_sort_is_stable(void **state) {
    (void)state;
    char dir[64];
    make_dir(dir);
    /* Files in name order (byte order: "D.json" < "a.json" < "b.json" <
     * "c.json" < "e.json"), then sorted by (messageSize, topics,
     * partitions); D and c share all three keys and keep name order, D
     * first, whatever their other fields. Rates [10] give 10,10,0,10. */
    write_result(dir, "a.json", 1024, 2, 1, 1, 1, "10.0", "10.0");
    write_result(dir, "b.json", 100, 5, 5, 1, 1, "10.0", "10.0");
    write_result(dir, "c.json", 1024, 1, 4, 7, 1, "10.0", "10.0");
    write_result(dir, "D.json", 1024, 1, 4, 3, 1, "10.0", "10.0");
    write_result(dir, "e.json", 1024, 1, 2, 1, 1, "10.0", "10.0");
    expect_csv(dir, HEADER "5,5,100,1,1,10,10,0,10,10,10,0,10\n"  /* b: size 100 */
                           "1,2,1024,1,1,10,10,0,10,10,10,0,10\n" /* e: 1 topic, 2 part. */
                           "1,4,1024,3,1,10,10,0,10,10,10,0,10\n" /* D: name order */
                           "1,4,1024,7,1,10,10,0,10,10,10,0,10\n" /* c */
                           "2,1,1024,1,1,10,10,0,10,10,10,0,10\n" /* a: 2 topics */);
    remove_dir(dir);
}

static void test_only_regular_json_files(void **state) {
    (void)state;
    char dir[64], path[PATH_MAX], target[PATH_MAX];
    make_dir(dir);
    write_result(dir, "r.json", 1, 1, 1, 1, 1, "10.0", "10.0");
    /* Not read: other suffixes, a directory, a dangling symbolic link. */
    write_text(dir, "notes.txt", "not json");
    write_text(dir, "r.json.bak", "not json");
    write_text(dir, "json", "not json");
    snprintf(path, sizeof(path), "%s/sub.json", dir);
    assert_int_equal(mkdir(path, 0755), 0);
    snprintf(path, sizeof(path), "%s/dangling.json", dir);
    assert_int_equal(symlink("/nonexistent/x.json", path), 0);
    /* Read: a symbolic link to a regular file (Java's isFile follows it). */
    snprintf(target, sizeof(target), "%s/r.json", dir);
    snprintf(path, sizeof(path), "%s/s.json", dir);
    assert_int_equal(symlink(target, path), 0);
    expect_csv(dir, HEADER "1,1,1,1,1,10,10,0,10,10,10,0,10\n"
                           "1,1,1,1,1,10,10,0,10,10,10,0,10\n");
    /* A trailing '/' on the directory changes nothing. */
    char slash[80];
    snprintf(slash, sizeof(slash), "%s/", dir);
    expect_csv(slash, HEADER "1,1,1,1,1,10,10,0,10,10,10,0,10\n"
                             "1,1,1,1,1,10,10,0,10,10,10,0,10\n");
    remove_dir(dir);
}

/* ombc's own result files (report.c's writer) convert like OMB's: its
 * extension fields (publish response time, agentRestarts) are ignored, as
 * OMB's ResultsToCsv ignores them; OMB's files, without them, are the
 * write_result() files of the other tests. */
static void test_reads_ombc_results(void **state) {
    (void)state;
    char dir[64], path[PATH_MAX], err[512] = "";
    make_dir(dir);
    struct ombc_result r;
    assert_int_equal(ombc_result_init(&r, "1 topic / 1 partition / 1kb", "Kafka"), 0);
    r.message_size = 1024;
    r.topics = 1;
    r.partitions = 16;
    r.producers_per_topic = 2;
    r.consumers_per_topic = 1;
    /* publish [49999.9, 50000.3], consume [50100.2, 100000.0]:
     * publish: both in bucket 49152 (median 50176): 49152,50176,0,51199;
     * consume: 50100 -> median 50176, 100000 -> lowest 98304, median
     * 100352, highest 102399; avg (50176 + 100352) / 2 = 75264; std-dev
     * (100352 - 50176) / 2 = 25088. */
    const double pub[] = {49999.9, 50000.3}, con[] = {50100.2, 100000.0};
    for (int i = 0; i < 2; i++) {
        struct ombc_period_sample p = {.publish_rate = pub[i], .consume_rate = con[i],
                                       .publish_response = {2100.0, 2100, 2100, 2100, 2100,
                                                            2100, 2100, 2100}};
        assert_int_equal(ombc_result_add_period(&r, &p), 0);
    }
    snprintf(path, sizeof(path), "%s/run.json", dir);
    assert_int_equal(ombc_report_write_result(&r, path, err, sizeof(err)), 0);
    ombc_result_fini(&r);
    expect_csv(dir, HEADER "1,16,1024,2,1,49152,50176,0,51199,49152,75264,25088,102399\n");
    remove_dir(dir);
}

/* ---- errors ---- */

static void test_errors(void **state) {
    (void)state;
    char dir[64], missing[96];
    make_dir(dir);

    snprintf(missing, sizeof(missing), "%s/missing", dir);
    expect_error(missing, OMBC_ENOENT, "cannot open directory DIR: No such file or directory");

    write_text(dir, "notes.txt", "x");
    expect_error(dir, OMBC_ENOENT, "no .json file in DIR");

    write_text(dir, "bad.json", "{\n  \"topics\": 1,\n  oops\n}\n");
    expect_error(dir, OMBC_EPARSE, "DIR/bad.json:3: not valid JSON");
    write_text(dir, "bad.json", "[1, 2]");
    expect_error(dir, OMBC_EPARSE, "DIR/bad.json: not an OMB result: not a JSON object");
    write_text(dir, "bad.json", "{\"messageSize\": 1024}");
    expect_error(dir, OMBC_EPARSE, "DIR/bad.json: not an OMB result: no \"topics\"");
    /* Later keys are checked too: a fractional or non-numeric field. */
    write_text(dir, "bad.json",
               "{\"messageSize\": 1024, \"topics\": 1.5, \"partitions\": 1, "
               "\"producersPerTopic\": 1, \"consumersPerTopic\": 1, "
               "\"publishRate\": [], \"consumeRate\": []}");
    expect_error(dir, OMBC_EPARSE,
                 "DIR/bad.json: not an OMB result: \"topics\" is not an integer in "
                 "[-2147483648, 2147483647]");
    write_text(dir, "bad.json",
               "{\"messageSize\": 1024, \"topics\": 1, \"partitions\": 1, "
               "\"producersPerTopic\": 1, \"consumersPerTopic\": 1, "
               "\"publishRate\": [1.0, \"2\"], \"consumeRate\": []}");
    expect_error(dir, OMBC_EPARSE,
                 "DIR/bad.json: not an OMB result: publishRate[1] is not a number");
    write_text(dir, "bad.json",
               "{\"messageSize\": 1024, \"topics\": 1, \"partitions\": 1, "
               "\"producersPerTopic\": 1, \"consumersPerTopic\": 1, "
               "\"publishRate\": []}");
    expect_error(dir, OMBC_EPARSE, "DIR/bad.json: not an OMB result: no \"consumeRate\"");
    write_text(dir, "bad.json",
               "{\"messageSize\": 1024, \"topics\": 1, \"partitions\": 1, "
               "\"producersPerTopic\": 1, \"consumersPerTopic\": 1, "
               "\"publishRate\": [], \"consumeRate\": 5}");
    expect_error(dir, OMBC_EPARSE,
                 "DIR/bad.json: not an OMB result: \"consumeRate\" is not an array");

    /* A rate OMB's histogram cannot hold: (long)16777216.0 is past the last
     * count (index 336 of 336); 16777215.9 truncates to 16777215 and fits
     * (test_top_of_range). Negative after truncation: Java refuses it. */
    write_result(dir, "bad.json", 1024, 1, 1, 1, 1, "10.0", "10.0, 16777216.0");
    expect_error(dir, OMBC_ERANGE,
                 "DIR/bad.json: consumeRate[1] = 16777216: OMB's CSV statistics (an "
                 "HdrHistogram with 1 significant digit) hold only rates from 0 to 16777215");
    write_result(dir, "bad.json", 1024, 1, 1, 1, 1, "1e300", "10.0");
    expect_error(dir, OMBC_ERANGE,
                 "DIR/bad.json: publishRate[0] = 1e+300: OMB's CSV statistics (an "
                 "HdrHistogram with 1 significant digit) hold only rates from 0 to 16777215");
    write_result(dir, "bad.json", 1024, 1, 1, 1, 1, "-1.0", "10.0");
    expect_error(dir, OMBC_ERANGE,
                 "DIR/bad.json: publishRate[0] = -1: OMB's CSV statistics (an "
                 "HdrHistogram with 1 significant digit) hold only rates from 0 to 16777215");

    /* One bad file fails the whole conversion, wherever it sorts. */
    write_result(dir, "a.json", 1024, 1, 1, 1, 1, "10.0", "10.0");
    expect_error(dir, OMBC_ERANGE,
                 "DIR/bad.json: publishRate[0] = -1: OMB's CSV statistics (an "
                 "HdrHistogram with 1 significant digit) hold only rates from 0 to 16777215");
    remove_dir(dir);
}

/* ---- the file ---- */

static void test_write_file(void **state) {
    (void)state;
    char dir[64], in[96], out[96], cwd[PATH_MAX], path[64], err[512] = "";
    make_dir(dir);
    snprintf(in, sizeof(in), "%s/in", dir);
    snprintf(out, sizeof(out), "%s/out", dir);
    assert_int_equal(mkdir(in, 0755), 0);
    assert_int_equal(mkdir(out, 0755), 0);
    write_result(in, "r.json", 1024, 1, 1, 1, 1, "49999.9", "10.0");

    assert_non_null(getcwd(cwd, sizeof(cwd)));
    assert_int_equal(chdir(out), 0);
    time_t before = time(NULL);
    int rc = ombc_results_csv_write(in, path, sizeof(path), err, sizeof(err));
    time_t after = time(NULL);
    assert_int_equal(chdir(cwd), 0);
    if (rc != 0)
        fail_msg("ombc_results_csv_write: %d %s", rc, err);

    /* "results-<epoch seconds>.csv", taken between before and after. */
    long long epoch = -1;
    char tail[8] = "";
    assert_int_equal(sscanf(path, "results-%lld%7s", &epoch, tail), 2);
    assert_string_equal(tail, ".csv");
    assert_true(epoch >= (long long)before && epoch <= (long long)after);

    /* The only file in the working directory (no temporary left), with the
     * same text ombc_results_csv_text gives. */
    DIR *d = opendir(out);
    assert_non_null(d);
    int files = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            assert_string_equal(e->d_name, path);
            files++;
        }
    }
    closedir(d);
    assert_int_equal(files, 1);
    char file[PATH_MAX], text[1024];
    snprintf(file, sizeof(file), "%s/%s", out, path);
    FILE *f = fopen(file, "r");
    assert_non_null(f);
    size_t n = fread(text, 1, sizeof(text) - 1, f);
    fclose(f);
    text[n] = '\0';
    assert_string_equal(text, HEADER "1,1,1024,1,1,49152,50176,0,51199,10,10,0,10\n");

    /* Bad input writes nothing. */
    assert_int_equal(chdir(out), 0);
    assert_int_equal(unlink(path), 0);
    rc = ombc_results_csv_write(out, path, sizeof(path), err, sizeof(err));
    assert_int_equal(chdir(cwd), 0);
    assert_int_equal(rc, OMBC_ENOENT);
    assert_int_equal(rmdir(out), 0); /* still empty */
    remove_dir(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decimal_format),
        cmocka_unit_test(test_quantization),
        cmocka_unit_test(test_half_even_and_std_dev),
        cmocka_unit_test(test_top_of_range),
        cmocka_unit_test(test_empty_and_zero_rates),
        cmocka_unit_test(test_sort_is_stable),
        cmocka_unit_test(test_only_regular_json_files),
        cmocka_unit_test(test_reads_ombc_results),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_write_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
