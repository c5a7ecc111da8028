/*
 * Unit tests for stats/prometheus: the exact exposition text /metrics serves
 * (OMB's names, types and layout, every sample line in order, one HELP line
 * before each TYPE), its escaping, and the summaries' count, sum and
 * quantiles computed from histograms of known values.
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

#include "core/err.h"
#include "stats/agent_stats.h"
#include "stats/hdr.h"
#include "stats/prometheus.h"

/* cmocka 1.1.5 (Debian 12) has no assert_double_equal */
#define assert_near(got, want, eps)                                                        \
    do {                                                                                   \
        double g_ = (got), w_ = (want);                                                    \
        if (!(fabs(g_ - w_) <= (eps)))                                                     \
            fail_msg("%s = %.17g, want %.17g", #got, g_, w_);                              \
    } while (0)

static void set_summary(struct ombc_prom_summary *s, int64_t count, double sum,
                        const double q[OMBC_PROM_QUANTILE_COUNT]) {
    s->count = count;
    s->sum_ms = sum;
    for (int i = 0; i < OMBC_PROM_QUANTILE_COUNT; i++)
        s->quantile_ms[i] = q[i];
}

static void figures(struct ombc_prom_figures *f) {
    memset(f, 0, sizeof(*f));
    f->messages_sent = 12345;
    f->bytes_sent = 790080;
    f->message_send_errors = 3;
    f->messages_recv = 12340;
    f->bytes_recv = 789760;
    static const double lat[] = {0.1, 1.0, 1.0, 5.0, 20.0, 20.0, 300.001};
    set_summary(&f->latency[OMBC_METRIC_PUBLISH_LATENCY], 100, 90.5, lat);
    ombc_prom_summary_empty(&f->latency[OMBC_METRIC_PUBLISH_DELAY]);
    static const double e2e[] = {0.001234, 0.0001, 1.5, 2.0, 3.0, 4.0, 12345678.9};
    set_summary(&f->latency[OMBC_METRIC_END_TO_END], 7, 12345690.5, e2e);
    static const double resp[] = {0.2, 1.1, 1.2, 5.5, 21.0, 21.0, 301.0};
    set_summary(&f->latency[OMBC_METRIC_PUBLISH_RESPONSE], 100, 95.25, resp);
    f->probe_messages_sent = 2;
    f->latency_clamped = 1;
    f->e2e_not_positive = 4;
    f->e2e_out_of_range = 5;
    f->publish_rate_target = 2500.5;
    f->agents = 2;
    f->quantile_window_s = 60;
    f->version = "v1.2-3-gabc";
}

/* The lines of a summary, as BookKeeper writes them. */
static int summary_lines(const char **out, char store[][160], int at, const char *name,
                         const char *false_values, const char *true_values, const char *count,
                         const char *sum) {
    static const char *const q[] = {"0.5", "0.75", "0.95", "0.99", "0.999", "0.9999", "1.0"};
    int n = at;
    for (int ok = 0; ok <= 1; ok++) {
        const char *success = ok ? "true" : "false";
        char values[256];
        snprintf(values, sizeof(values), "%s", ok ? true_values : false_values);
        char *save = NULL, *v = strtok_r(values, " ", &save);
        for (int i = 0; i < 7; i++, v = strtok_r(NULL, " ", &save)) {
            snprintf(store[n], 160, "%s{success=\"%s\",quantile=\"%s\"} %s", name, success, q[i],
                     v);
            out[n] = store[n];
            n++;
        }
        snprintf(store[n], 160, "%s_count{success=\"%s\"} %s", name, success, ok ? count : "0");
        out[n] = store[n];
        n++;
        snprintf(store[n], 160, "%s_sum{success=\"%s\"} %s", name, success, ok ? sum : "0.0");
        out[n] = store[n];
        n++;
    }
    return n;
}

static void exposition_lines_are_exact(void **state) {
    (void)state;
    struct ombc_prom_figures f;
    figures(&f);
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(ombc_prom_format(&f, &text, &len), 0);
    assert_int_equal(strlen(text), len);
    assert_true(len > 0 && text[len - 1] == '\n');

    static char store[200][160];
    const char *want[200];
    int n = 0;
#define L(s) (want[n++] = (s))
    const char *nan7 = "NaN NaN NaN NaN NaN NaN NaN";
    L("# TYPE benchmark_producer_messages_sent counter");
    L("benchmark_producer_messages_sent 12345");
    L("# TYPE benchmark_producer_bytes_sent counter");
    L("benchmark_producer_bytes_sent 790080");
    L("# TYPE benchmark_producer_message_send_errors counter");
    L("benchmark_producer_message_send_errors 3");
    L("# TYPE benchmark_producer_produce_latency summary");
    n = summary_lines(want, store, n, "benchmark_producer_produce_latency", nan7,
                      "0.1 1.0 1.0 5.0 20.0 20.0 300.001", "100", "90.5");
    L("# TYPE benchmark_producer_producer_delay_latency summary");
    n = summary_lines(want, store, n, "benchmark_producer_producer_delay_latency", nan7, nan7, "0",
                      "0.0");
    L("# TYPE benchmark_consumer_messages_recv counter");
    L("benchmark_consumer_messages_recv 12340");
    L("# TYPE benchmark_consumer_bytes_recv counter");
    L("benchmark_consumer_bytes_recv 789760");
    L("# TYPE benchmark_consumer_e2e_latency summary");
    n = summary_lines(want, store, n, "benchmark_consumer_e2e_latency", nan7,
                      "0.001234 1.0E-4 1.5 2.0 3.0 4.0 1.23456789E7", "7", "1.23456905E7");
    L("# TYPE benchmark_ombc_producer_response_time summary");
    n = summary_lines(want, store, n, "benchmark_ombc_producer_response_time", nan7,
                      "0.2 1.1 1.2 5.5 21.0 21.0 301.0", "100", "95.25");
    L("# TYPE benchmark_ombc_probe_messages_sent_total counter");
    L("benchmark_ombc_probe_messages_sent_total 2");
    L("# TYPE benchmark_ombc_producer_latency_clamped_total counter");
    L("benchmark_ombc_producer_latency_clamped_total 1");
    L("# TYPE benchmark_ombc_consumer_e2e_latency_dropped_total counter");
    L("benchmark_ombc_consumer_e2e_latency_dropped_total{reason=\"not_positive\"} 4");
    L("benchmark_ombc_consumer_e2e_latency_dropped_total{reason=\"out_of_range\"} 5");
    L("# TYPE benchmark_ombc_publish_rate_target gauge");
    L("benchmark_ombc_publish_rate_target 2500.5");
    L("# TYPE benchmark_ombc_agents gauge");
    L("benchmark_ombc_agents 2");
    L("# TYPE benchmark_ombc_info gauge");
    L("benchmark_ombc_info{version=\"v1.2-3-gabc\"} 1");
#undef L

    /* Every line but HELP, in order; each TYPE right after its family's
     * one HELP line. */
    int i = 0, helps = 0;
    char prev[512] = "";
    for (char *line = text; *line;) {
        char *end = strchr(line, '\n');
        assert_non_null(end);
        *end = '\0';
        if (strncmp(line, "# HELP ", 7) == 0) {
            helps++;
            assert_true(strlen(line) > 7 + strlen("benchmark_x "));
        } else {
            if (i >= n)
                fail_msg("unexpected extra line: %s", line);
            if (strcmp(line, want[i]) != 0)
                fail_msg("line %d: got\n  %s\nwant\n  %s", i, line, want[i]);
            if (strncmp(line, "# TYPE ", 7) == 0) {
                const char *name = line + 7;
                size_t name_len = strcspn(name, " ");
                char help_prefix[256];
                snprintf(help_prefix, sizeof(help_prefix), "# HELP %.*s ", (int)name_len, name);
                if (strncmp(prev, help_prefix, strlen(help_prefix)) != 0)
                    fail_msg("no HELP right before %s (got: %s)", line, prev);
            }
            i++;
        }
        snprintf(prev, sizeof(prev), "%s", line);
        line = end + 1;
    }
    assert_int_equal(i, n);
    assert_int_equal(helps, 15); /* one per family */
    free(text);
}

static void help_names_the_quantile_window(void **state) {
    (void)state;
    struct ombc_prom_figures f;
    figures(&f);
    f.quantile_window_s = 30;
    char *text = NULL;
    assert_int_equal(ombc_prom_format(&f, &text, NULL), 0);
    assert_non_null(strstr(text, "# HELP benchmark_producer_produce_latency Publish latency"));
    assert_non_null(strstr(text, "the last 30 to 60 s"));
    assert_non_null(strstr(text, "in milliseconds"));
    free(text);
}

static void escaping(void **state) {
    (void)state;
    char buf[64];
    assert_int_equal(ombc_prom_escape(buf, sizeof(buf), "plain text", 1), 10);
    assert_string_equal(buf, "plain text");
    /* a label value: backslash, double quote and newline */
    assert_int_equal(ombc_prom_escape(buf, sizeof(buf), "a\\b\"c\nd", 1), 10);
    assert_string_equal(buf, "a\\\\b\\\"c\\nd");
    /* HELP text: the double quote stays */
    assert_int_equal(ombc_prom_escape(buf, sizeof(buf), "a\\b\"c\nd", 0), 9);
    assert_string_equal(buf, "a\\\\b\"c\\nd");
    /* truncated as snprintf: NUL-terminated, the full length returned */
    assert_int_equal(ombc_prom_escape(buf, 4, "x\ny", 1), 4);
    assert_string_equal(buf, "x\\n");
    assert_int_equal(ombc_prom_escape(NULL, 0, "\"\"", 1), 4);

    /* in the text: a label value and a HELP line */
    struct ombc_prom_figures f;
    figures(&f);
    f.version = "1.0 \"rc\"\\x\ny";
    char *text = NULL;
    assert_int_equal(ombc_prom_format(&f, &text, NULL), 0);
    assert_non_null(strstr(text, "\nbenchmark_ombc_info{version=\"1.0 \\\"rc\\\"\\\\x\\ny\"} 1\n"));
    free(text);
    /* no version: no info family */
    f.version = NULL;
    assert_int_equal(ombc_prom_format(&f, &text, NULL), 0);
    assert_null(strstr(text, "benchmark_ombc_info"));
    free(text);
}

static void summary_from_histograms(void **state) {
    (void)state;
    struct ombc_hist h;
    assert_int_equal(ombc_metric_hist_init(&h, OMBC_METRIC_PUBLISH_LATENCY), 0);
    /* us; below 2^18 every value has its own bucket */
    assert_true(ombc_hist_record_n(&h, 100, 50));
    assert_true(ombc_hist_record_n(&h, 1000, 45));
    assert_true(ombc_hist_record_n(&h, 5000, 4));
    /* 300001 us lies in a bucket 2 wide, [300000, 300001]: counted at its
     * median 300001 in the sum, at its highest 300001 as a quantile */
    assert_true(ombc_hist_record_n(&h, 300001, 1));

    struct ombc_prom_summary s;
    int32_t lo = ombc_hist_index_of(&h, 100), hi = ombc_hist_index_of(&h, 300001);
    ombc_prom_summary_totals(&s, &h, lo, hi);
    assert_int_equal(s.count, 100);
    assert_near(s.sum_ms, (100.0 * 50 + 1000.0 * 45 + 5000.0 * 4 + 300001.0) / 1000.0,
                        1e-9);
    /* a range that leaves a value out does not count it */
    ombc_prom_summary_totals(&s, &h, lo, hi - 1);
    assert_int_equal(s.count, 99);
    ombc_prom_summary_totals(&s, &h, lo, hi);

    ombc_prom_summary_quantiles(&s, &h);
    const double want[] = {0.1, 1.0, 1.0, 5.0, 300.001, 300.001, 300.001};
    for (int q = 0; q < OMBC_PROM_QUANTILE_COUNT; q++)
        assert_near(s.quantile_ms[q], want[q], 1e-12);

    /* an empty window: NaN quantiles, as BookKeeper before any data */
    ombc_hist_reset(&h);
    ombc_prom_summary_quantiles(&s, &h);
    for (int q = 0; q < OMBC_PROM_QUANTILE_COUNT; q++)
        assert_true(isnan(s.quantile_ms[q]));
    ombc_prom_summary_totals(&s, &h, 1, 0); /* empty range */
    assert_int_equal(s.count, 0);
    assert_near(s.sum_ms, 0.0, 0.0);
    ombc_prom_summary_empty(&s);
    assert_int_equal(s.count, 0);
    assert_true(isnan(s.quantile_ms[0]) && isnan(s.quantile_ms[6]));
    ombc_hist_fini(&h);
}

static void end_to_end_range(void **state) {
    (void)state;
    /* e2e histograms reach 12 h: a value of an hour sits in a wide bucket */
    struct ombc_hist h;
    assert_int_equal(ombc_metric_hist_init(&h, OMBC_METRIC_END_TO_END), 0);
    int64_t hour = 3600LL * 1000 * 1000;
    assert_true(ombc_hist_record(&h, hour));
    struct ombc_prom_summary s;
    int32_t i = ombc_hist_index_of(&h, hour);
    ombc_prom_summary_totals(&s, &h, i, i);
    assert_int_equal(s.count, 1);
    assert_near(s.sum_ms,
                        (double)ombc_hist_median_equivalent(&h, hour) / 1000.0, 1e-9);
    ombc_prom_summary_quantiles(&s, &h);
    assert_near(s.quantile_ms[6], (double)ombc_hist_highest_equivalent(&h, hour) / 1000.0,
                        1e-9);
    assert_true(s.quantile_ms[6] >= hour / 1000.0 && s.quantile_ms[6] < hour / 1000.0 * 1.0001);
    ombc_hist_fini(&h);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(exposition_lines_are_exact),
        cmocka_unit_test(help_names_the_quantile_window),
        cmocka_unit_test(escaping),
        cmocka_unit_test(summary_from_histograms),
        cmocka_unit_test(end_to_end_range),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
