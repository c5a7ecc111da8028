/*
 * Integration test of what a run shows while it runs (issue 7): JSON log
 * lines that parse and carry the same figures as OMB's plain lines and the
 * result file, --quiet, and the status line on a terminal (a pty from
 * util-linux's script(1)). Null driver: no broker needed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "integration/runner.h"

static const char workload[] = "name: progress\ntopics: 1\npartitionsPerTopic: 1\n"
                               "messageSize: 100\nsubscriptionsPerTopic: 1\n"
                               "consumerPerSubscription: 1\nproducersPerTopic: 1\n"
                               "producerRate: 2000\ntestDurationSeconds: 3\n"
                               "warmupDurationSeconds: 1\n";

static const char *null_driver(void) {
    static char path[1024];
    snprintf(path, sizeof(path), "%s/drivers/null.yaml", runner_source_dir());
    return path;
}

static double number(const cJSON *o, const char *key) {
    const cJSON *v = cJSON_GetObjectItem(o, key);
    if (!cJSON_IsNumber(v))
        fail_msg("no number '%s'", key);
    return v->valuedouble;
}

/* The number after `label` in OMB's plain line. */
static double in_line(const char *line, const char *label) {
    const char *p = strstr(line, label);
    if (!p)
        fail_msg("'%s' not in '%s'", label, line);
    return strtod(p + strlen(label), NULL);
}

/* A figure shown with one decimal in the line (half-even: either neighbour). */
static void same_figure(const char *line, const char *label, double value) {
    double shown = in_line(line, label);
    if (fabs(shown - value) > 0.05 + 1e-9)
        fail_msg("%s %g in the line, %g in the event", label, shown, value);
}

/* Every line on stdout is one JSON object; the period events carry the
 * figures of their plain line (the message) and the result's periods. */
static void json_lines(void **state) {
    (void)state;
    struct ombc_run r;
    runner_init(&r);
    runner_write(&r, "w.yaml", workload);
    char *args[] = {"run", "-d", (char *)null_driver(), "--agents", "1", "--report-interval",
                    "1", "--log-format", "json", "-o", "result.json", "w.yaml", NULL};
    runner_run(&r, args, 60);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.err, ""); /* agents' lines too go to stdout as JSON */
    cJSON *result = runner_json(r.dir, "result.json");
    assert_non_null(result);
    const cJSON *rates = cJSON_GetObjectItem(result, "publishRate");

    int phases = 0, test_periods = 0, aggregated = 0, results = 0, summaries = 0;
    bool seen[5] = {false};
    static const char *const want[5] = {"topics", "clients", "probe", "warmup", "test"};
    for (char *line = r.out, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        assert_non_null(next); /* whole lines only */
        *next++ = '\0';
        cJSON *o = cJSON_Parse(line);
        if (!o)
            fail_msg("not JSON: %s", line);
        const char *event = cJSON_GetObjectItem(o, "event")->valuestring;
        const char *msg = cJSON_GetObjectItem(o, "message")->valuestring;
        assert_non_null(cJSON_GetObjectItem(o, "time"));
        assert_non_null(cJSON_GetObjectItem(o, "level"));
        if (strcmp(event, "phase") == 0) {
            const char *ph = cJSON_GetObjectItem(o, "phase")->valuestring;
            for (int i = 0; i < 5; i++)
                seen[i] = seen[i] || strcmp(ph, want[i]) == 0;
            phases++;
        } else if (strcmp(event, "period") == 0) {
            same_figure(msg, "Pub rate ", number(o, "publishRate"));
            same_figure(msg, " msg/s / ", number(o, "publishMBs"));
            same_figure(msg, "Pub err ", number(o, "publishErrorRate"));
            same_figure(msg, "Cons rate ", number(o, "consumeRate"));
            same_figure(msg, "Backlog: ", number(o, "backlog") / 1000);
            same_figure(msg, "Pub Latency (ms) avg: ", number(o, "publishLatencyAvg"));
            same_figure(msg, " - Max: ", number(o, "publishLatencyMax"));
            same_figure(msg, "Pub Delay Latency (us) avg: ", number(o, "publishDelayLatencyAvg"));
            /* ombc's end-to-end, not in OMB's line (issue 14 item 11) */
            assert_true(number(o, "endToEndLatency99pct") >= 0);
            assert_true(number(o, "endToEndLatencyMax") >= number(o, "endToEndLatency50pct"));
            assert_null(strstr(msg, "nd-to-end"));
            if (strcmp(cJSON_GetObjectItem(o, "phase")->valuestring, "test") == 0) {
                /* the very number the result file holds for that period */
                assert_true(test_periods < cJSON_GetArraySize(rates));
                assert_true(number(o, "publishRate") ==
                            cJSON_GetArrayItem(rates, test_periods)->valuedouble);
                test_periods++;
            }
        } else if (strcmp(event, "aggregated") == 0) {
            same_figure(msg, "- 99%: ", number(o, "publishLatency99pct"));
            aggregated++;
        } else if (strcmp(event, "summary") == 0) {
            if (summaries++ == 0) { /* the first line carries the figures */
                assert_true(number(o, "publishRate") > 0);
                assert_true(number(o, "consumeRate") > 0);
                assert_true(number(o, "endToEndLatency99pct") >= 0);
                assert_true(cJSON_IsNull(cJSON_GetObjectItem(o, "consumerShortfall")));
            }
            assert_non_null(strstr(msg, "----- "));
        } else if (strcmp(event, "result") == 0) {
            assert_string_equal(cJSON_GetObjectItem(o, "path")->valuestring, "result.json");
            assert_true(cJSON_IsFalse(cJSON_GetObjectItem(o, "incomplete")));
            results++;
        }
        cJSON_Delete(o);
    }
    for (int i = 0; i < 5; i++)
        if (!seen[i])
            fail_msg("no phase event '%s'", want[i]);
    assert_true(phases >= 5);
    assert_int_equal(test_periods, cJSON_GetArraySize(rates));
    assert_int_equal(aggregated, 2); /* warm-up and test */
    assert_int_equal(results, 1);
    assert_int_equal(summaries, 3); /* rates, publish, end-to-end: no failure line */
    cJSON_Delete(result);
    runner_fini(&r);
}

/* --quiet: the result file's path and nothing else. */
static void quiet(void **state) {
    (void)state;
    struct ombc_run r;
    runner_init(&r);
    runner_write(&r, "w.yaml", workload);
    char *args[] = {"run", "-d", (char *)null_driver(), "--agents", "1", "--report-interval",
                    "1", "--quiet", "-o", "result.json", "w.yaml", NULL};
    runner_run(&r, args, 60);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "result.json\n");
    assert_string_equal(r.err, "");
    runner_fini(&r);
}

/* On a terminal: the status line, redrawn in place with the phase, the
 * time left and the rates, and OMB's lines still printed above it. */
static void status_line_on_a_terminal(void **state) {
    (void)state;
    struct ombc_run r;
    runner_init(&r);
    runner_write(&r, "w.yaml", workload);
    const char *bin = getenv("OMBC_BIN");
    char cmd[4096];
    snprintf(cmd, sizeof(cmd),
             "cd %s && script -qfec '%s run -d %s --agents 1 --report-interval 1 -o result.json "
             "w.yaml' /dev/null > tty.out 2>&1 < /dev/null",
             r.dir, bin ? bin : "ombc", null_driver());
    assert_int_equal(system(cmd), 0);
    char *out = runner_slurp(strcat(strcpy(cmd, r.dir), "/tty.out"));
    assert_non_null(out);
    assert_non_null(strstr(out, "\r\033[Ktest ")); /* redrawn in place */
    assert_non_null(strstr(out, "s left | pub "));
    assert_non_null(strstr(out, " msg/s | cons "));
    assert_non_null(strstr(out, "| p99 pub "));
    assert_non_null(strstr(out, " ms | p99 e2e ")); /* issue 14 item 11 */
    assert_non_null(strstr(out, "----- End-to-end Latency (ms) 50%: "));
    assert_non_null(strstr(out, "\r\033[Kwarmup "));
    assert_non_null(strstr(out, "Pub rate ")); /* OMB's lines too */
    assert_non_null(strstr(out, "Writing test result into result.json"));
    free(out);
    runner_fini(&r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(json_lines),
        cmocka_unit_test(quiet),
        cmocka_unit_test(status_line_on_a_terminal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
