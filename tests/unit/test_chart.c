/*
 * test_chart: unit tests of src/report/result_read.c and src/report/chart.c
 * (`ombc chart`, `ombc compare`). Results with known figures are written as
 * JSON text, read, rendered, and the page is read back: every series' data
 * attributes (data-x, data-values) must hold the JSON's numbers, the
 * polylines must sit where the axes put those numbers (the log(1/(1-p))
 * percentile axis included), every string from a result must come out
 * escaped, and missing or empty fields must give "no data", never a crash
 * or a NaN coordinate. Also the reader's errors ("FILE: message"), the
 * period length (recorded, inferred, assumed), the series names and the
 * number format. Uses a temporary directory only.
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
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/err.h"
#include "report/chart.h"
#include "report/result_read.h"

/* ---- fixtures ---- */

/* An ombc result: extensions, the period length recorded, a NaN period,
 * quantile keys out of order and beyond 99.999, strings to escape. */
static const char RESULT_A[] =
    "{\n"
    "  \"workload\" : \"wl <A> & \\\"B\\\"\",\n"
    "  \"driver\" : \"Kafka's\",\n"
    "  \"messageSize\" : 1024,\n"
    "  \"topics\" : 1, \"partitions\" : 4, \"producersPerTopic\" : 2,\n"
    "  \"consumersPerTopic\" : 1,\n"
    "  \"publishRate\" : [ 1000.5, 2000.25, \"NaN\", 4000.0 ],\n"
    "  \"publishErrorRate\" : [ 0.0, 0.0, 0.0, 0.0 ],\n"
    "  \"consumeRate\" : [ 999.0, 2001.0, 3000.0, 4000.0 ],\n"
    "  \"backlog\" : [ 0, 10, 5, 0 ],\n"
    "  \"publishLatency99pct\" : [ 1.5, 2.25, 3.125, 4.0 ],\n"
    "  \"aggregatedPublishLatency50pct\" : 1.25,\n"
    "  \"aggregatedPublishLatency99pct\" : 3.5,\n"
    "  \"aggregatedPublishLatency999pct\" : 4.75,\n"
    "  \"aggregatedPublishLatencyMax\" : 9.5,\n"
    "  \"aggregatedPublishDelayLatency50pct\" : 12,\n"
    "  \"aggregatedPublishDelayLatency99pct\" : 250,\n"
    "  \"aggregatedPublishLatencyQuantiles\" : { \"50.0\" : 1.25, \"0.0\" : 0.25,\n"
    "    \"1.0E-4\" : 0.5, \"90.0\" : 2.0, \"99.0\" : 3.5, \"99.9\" : 4.75, \"99.99\" : 8.0,\n"
    "    \"99.9995\" : 9.0, \"100.0\" : 9.5 },\n"
    "  \"aggregatedPublishDelayLatencyQuantiles\" : { \"50.0\" : 12, \"99.0\" : 250,\n"
    "    \"100.0\" : 300 },\n"
    "  \"aggregatedEndToEndLatencyQuantiles\" : { \"50.0\" : 2.0, \"99.0\" : 5.0,\n"
    "    \"100.0\" : 6.0 },\n"
    "  \"aggregatedEndToEndLatency50pct\" : 2.0,\n"
    "  \"aggregatedEndToEndLatency99pct\" : 5.0,\n"
    "  \"aggregatedEndToEndLatencyMax\" : 6.0,\n"
    "  \"aggregatedPublishResponseTime99pct\" : 3.75,\n"
    "  \"aggregatedPublishResponseTimeQuantiles\" : { \"50.0\" : 1.5, \"99.0\" : 3.75,\n"
    "    \"100.0\" : 4.0 },\n"
    "  \"reportIntervalSeconds\" : 2\n"
    "}\n";

/* As OMB writes it: no ombc field, no period length; some lists empty or
 * missing, no end-to-end map; the same workload and driver as A. */
static const char RESULT_B[] =
    "{ \"workload\" : \"wl <A> & \\\"B\\\"\", \"driver\" : \"Kafka's\",\n"
    "  \"publishRate\" : [ 500.0, 600.0 ], \"consumeRate\" : [ ],\n"
    "  \"publishLatency99pct\" : [ 1.0, 2.0 ],\n"
    "  \"aggregatedPublishLatency99pct\" : 2.0,\n"
    "  \"aggregatedPublishLatencyQuantiles\" : { \"50.0\" : 1.0, \"100.0\" : 2.0 } }\n";

#define NAME_A "res/a&1.json"
#define NAME_B "res/b.json"
/* Both series names, as they must appear in the HTML. */
#define ESC_BASE "wl &lt;A&gt; &amp; &quot;B&quot; \xC2\xB7 Kafka&#39;s"
#define ESC_A ESC_BASE " (a&amp;1.json)"
#define ESC_B ESC_BASE " (b.json)"

static void read_text(const char *name, const char *text, struct ombc_result_figures *f) {
    char err[512] = "";
    int rc = ombc_result_read_text(name, text, strlen(text), f, err, sizeof(err));
    if (rc != 0)
        fail_msg("reading %s: %s", name, err);
}

/* ---- reading back the page ---- */

/* The <svg id="chart-ID"> element of html, malloc'd, or NULL. */
static char *chart_svg(const char *html, const char *id) {
    char open[128];
    snprintf(open, sizeof(open), "<svg id=\"chart-%s\"", id);
    const char *start = strstr(html, open);
    if (!start)
        return NULL;
    const char *end = strstr(start, "</svg>");
    assert_non_null(end);
    return strndup(start, (size_t)(end - start) + 6);
}

/* Attribute attr of the series whose data-series is esc_name, malloc'd, or
 * NULL when there is no such series. */
static char *series_attr(const char *svg, const char *esc_name, const char *attr) {
    char key[512];
    snprintf(key, sizeof(key), "class=\"series\" data-series=\"%s\"", esc_name);
    const char *g = strstr(svg, key);
    if (!g)
        return NULL;
    const char *tag_end = strchr(g, '>');
    char want[64];
    snprintf(want, sizeof(want), " %s=\"", attr);
    const char *a = strstr(g, want);
    if (!a || a > tag_end)
        return NULL;
    a += strlen(want);
    return strndup(a, strcspn(a, "\""));
}

/* The element text after the series' opening tag, up to its </g>. */
static char *series_body(const char *svg, const char *esc_name) {
    char key[512];
    snprintf(key, sizeof(key), "class=\"series\" data-series=\"%s\"", esc_name);
    const char *g = strstr(svg, key);
    assert_non_null(g);
    const char *end = strstr(g, "</g>");
    assert_non_null(end);
    return strndup(g, (size_t)(end - g));
}

/* Numbers separated by spaces or commas ("NaN" included). @return how many. */
static size_t parse_numbers(const char *s, double *out, size_t max) {
    size_t n = 0;
    while (s && *s && n < max) {
        s += strspn(s, " ,");
        if (!*s)
            break;
        char *end;
        out[n] = strtod(s, &end);
        assert_true(end != s);
        n++;
        s = end;
    }
    return n;
}

/* The series' data-x and data-values equal xs and ys (NaN where NaN). */
static void check_series(const char *svg, const char *esc_name, const double *xs, const double *ys,
                         size_t n) {
    char *ax = series_attr(svg, esc_name, "data-x");
    char *av = series_attr(svg, esc_name, "data-values");
    char *ac = series_attr(svg, esc_name, "data-count");
    if (!ax || !av || !ac)
        fail_msg("no series \"%s\" in %.60s", esc_name, svg);
    double gx[64], gy[64];
    size_t nx = parse_numbers(ax, gx, 64), ny = parse_numbers(av, gy, 64);
    assert_int_equal(nx, n);
    assert_int_equal(ny, n);
    assert_int_equal(atoi(ac), (int)n);
    for (size_t i = 0; i < n; i++) {
        if (gx[i] != xs[i])
            fail_msg("%s: x[%zu] = %.17g, want %.17g", esc_name, i, gx[i], xs[i]);
        if (isnan(ys[i]) ? !isnan(gy[i]) : gy[i] != ys[i])
            fail_msg("%s: y[%zu] = %.17g, want %.17g", esc_name, i, gy[i], ys[i]);
    }
    free(ax);
    free(av);
    free(ac);
}

/* The numbers of an attribute of the <svg> root. */
static void svg_attr_numbers(const char *svg, const char *attr, double *out, size_t n) {
    char want[64];
    snprintf(want, sizeof(want), " %s=\"", attr);
    const char *a = strstr(svg, want);
    assert_non_null(a);
    assert_true(a < strchr(svg, '>'));
    assert_int_equal(parse_numbers(a + strlen(want), out, n), n);
}

/* ---- tests ---- */

static void test_percentile_axis(void **state) {
    (void)state;
    assert_true(ombc_chart_percentile_x(0) == 0);
    assert_true(fabs(ombc_chart_percentile_x(50) - log10(2)) < 1e-12);
    assert_true(fabs(ombc_chart_percentile_x(90) - 1) < 1e-12);
    assert_true(fabs(ombc_chart_percentile_x(99) - 2) < 1e-12);
    assert_true(fabs(ombc_chart_percentile_x(99.9) - 3) < 1e-9);
    assert_true(fabs(ombc_chart_percentile_x(99.99) - 4) < 1e-9);
    assert_true(fabs(ombc_chart_percentile_x(99.999) - 5) < 1e-8);
    assert_true(isinf(ombc_chart_percentile_x(100)));
    assert_true(isnan(ombc_chart_percentile_x(-1)));
    assert_true(isnan(ombc_chart_percentile_x(NAN)));
}

static void test_read_figures(void **state) {
    (void)state;
    struct ombc_result_figures a, b;
    read_text(NAME_A, RESULT_A, &a);
    read_text(NAME_B, RESULT_B, &b);

    assert_string_equal(a.path, NAME_A);
    assert_string_equal(a.workload, "wl <A> & \"B\"");
    assert_string_equal(a.driver, "Kafka's");
    assert_true(a.message_size == 1024 && a.partitions == 4);
    assert_int_equal(a.period[OMBC_P_PUBLISH_RATE].n, 4);
    assert_true(isnan(a.period[OMBC_P_PUBLISH_RATE].v[2])); /* Jackson's "NaN" */
    /* Sorted by percentile, whatever the file's order; every key kept. */
    const struct ombc_quantile_list *q = &a.quantiles[OMBC_Q_PUBLISH_LATENCY];
    assert_int_equal(q->n, 9);
    assert_true(q->pct[0] == 0.0 && q->value[0] == 0.25);
    assert_true(q->pct[1] == 1.0e-4 && q->value[1] == 0.5);
    assert_true(q->pct[2] == 50.0 && q->value[2] == 1.25);
    assert_true(q->pct[8] == 100.0 && q->value[8] == 9.5);

    /* Headlines: the mean of the finite periods, MB/s by 2^20 bytes. */
    double mean = (1000.5 + 2000.25 + 4000.0) / 3;
    assert_true(fabs(a.headline[OMBC_H_PUBLISH_RATE] - mean) < 1e-9);
    assert_true(fabs(a.headline[OMBC_H_PUBLISH_MBS] - mean * 1024 / 1048576) < 1e-12);
    assert_true(a.headline[OMBC_H_CONSUME_RATE] == 2500.0);
    assert_true(a.headline[OMBC_H_PUB_LATENCY_P999] == 4.75);
    assert_true(a.headline[OMBC_H_PUB_DELAY_P99] == 250);
    assert_true(a.headline[OMBC_H_E2E_MAX] == 6.0);
    assert_true(a.headline[OMBC_H_RESPONSE_P99] == 3.75);
    assert_true(a.interval_s == 2 && a.interval_source == OMBC_INTERVAL_RECORDED);

    /* OMB's result: what is missing is NAN or empty. */
    assert_true(b.headline[OMBC_H_PUBLISH_RATE] == 550.0);
    assert_true(isnan(b.headline[OMBC_H_PUBLISH_MBS]));  /* no messageSize */
    assert_true(isnan(b.headline[OMBC_H_CONSUME_RATE])); /* empty list */
    assert_true(isnan(b.headline[OMBC_H_RESPONSE_P99]));
    assert_true(isnan(b.headline[OMBC_H_E2E_P99]));
    assert_true(isnan(b.topics));
    assert_int_equal(b.period[OMBC_P_BACKLOG].n, 0);
    assert_int_equal(b.quantiles[OMBC_Q_END_TO_END].n, 0);
    assert_true(b.interval_s == OMBC_RESULT_DEFAULT_INTERVAL_S);
    assert_true(b.interval_source == OMBC_INTERVAL_ASSUMED);
    ombc_result_figures_fini(&a);
    ombc_result_figures_fini(&b);
    ombc_result_figures_fini(NULL);
}

static void test_interval_inferred(void **state) {
    (void)state;
    struct ombc_result_figures f;
    /* ombc's workload as run, one level down: seconds over minutes. */
    read_text("i.json",
              "{\"publishRate\": [1, 2, 3, 4], \"workloadConfig\": {\"testDurationMinutes\": 0,"
              " \"testDurationSeconds\": 20}}",
              &f);
    assert_true(f.interval_s == 5 && f.interval_source == OMBC_INTERVAL_INFERRED);
    ombc_result_figures_fini(&f);
    read_text("m.json", "{\"publishRate\": [1, 2, 3], \"testDurationMinutes\": 1}", &f);
    assert_true(f.interval_s == 20 && f.interval_source == OMBC_INTERVAL_INFERRED);
    ombc_result_figures_fini(&f);
    /* Cut short, or with a backlog built and drained: the periods do not
     * divide the test duration. */
    read_text("c.json",
              "{\"publishRate\": [1, 2], \"incomplete\": true,"
              " \"workloadConfig\": {\"testDurationSeconds\": 20}}",
              &f);
    assert_true(f.interval_s == 10 && f.interval_source == OMBC_INTERVAL_ASSUMED);
    assert_true(f.incomplete);
    ombc_result_figures_fini(&f);
    read_text("b.json",
              "{\"publishRate\": [1, 2], \"workloadConfig\": {\"testDurationSeconds\": 20,"
              " \"consumerBacklogSizeGB\": 0, \"consumerBacklogSizeMB\": 4}}",
              &f);
    assert_true(f.interval_s == 10 && f.interval_source == OMBC_INTERVAL_ASSUMED);
    ombc_result_figures_fini(&f);
    /* A duration but no periods: nothing to divide. */
    read_text("e.json", "{\"publishRate\": [], \"testDurationMinutes\": 1}", &f);
    assert_true(f.interval_s == 10 && f.interval_source == OMBC_INTERVAL_ASSUMED);
    ombc_result_figures_fini(&f);
}

static void check_read_error(const char *text, const char *want) {
    struct ombc_result_figures f;
    char err[512] = "";
    int rc = ombc_result_read_text("x.json", text, strlen(text), &f, err, sizeof(err));
    assert_int_equal(rc, OMBC_EPARSE);
    if (strcmp(err, want) != 0)
        fail_msg("error \"%s\", want \"%s\"", err, want);
}

static void test_read_errors(void **state) {
    (void)state;
    check_read_error("{\n\"workload\": \"w\",\n oops }", "x.json:3: not valid JSON");
    check_read_error("[1, 2]", "x.json: not an OMB result: not a JSON object");
    check_read_error("{\"topics\": 1}",
                     "x.json: not an OMB result: none of workload, driver, messageSize, "
                     "publishRate, consumeRate, aggregatedPublishLatencyQuantiles");
    check_read_error("{\"publishRate\": 3}", "x.json: \"publishRate\" is not a list");
    check_read_error("{\"publishRate\": [1, \"fast\"]}", "x.json: publishRate[1] is not a number");
    check_read_error("{\"workload\": 7}", "x.json: \"workload\" is not a string");
    check_read_error("{\"workload\": \"w\", \"messageSize\": \"big\"}",
                     "x.json: \"messageSize\" is not a number");
    check_read_error("{\"aggregatedPublishLatencyQuantiles\": {\"p99\": 1}}",
                     "x.json: aggregatedPublishLatencyQuantiles: key \"p99\" is not a "
                     "percentile (0 to 100)");
    check_read_error("{\"aggregatedPublishLatencyQuantiles\": {\"101\": 1}}",
                     "x.json: aggregatedPublishLatencyQuantiles: key \"101\" is not a "
                     "percentile (0 to 100)");
    check_read_error("{\"aggregatedPublishLatencyQuantiles\": {\"50.0\": [1]}}",
                     "x.json: aggregatedPublishLatencyQuantiles[\"50.0\"] is not a number");

    struct ombc_result_figures f;
    char err[512];
    assert_int_equal(ombc_result_read("/nonexistent/r.json", &f, err, sizeof(err)), OMBC_ENOENT);
    assert_string_equal(err, "/nonexistent/r.json: cannot open: No such file or directory");
    assert_int_equal(ombc_result_read("/", &f, err, sizeof(err)), OMBC_ENOENT);
    assert_string_equal(err, "/: cannot read: Is a directory");
}

static void test_series_names(void **state) {
    (void)state;
    struct ombc_result_figures r[5];
    memset(r, 0, sizeof(r));
    char *p[] = {"x/a.json", "y/a.json", "b.json", "b.json", "z/c.json"};
    char *w[] = {"w", "w", "w", "w", NULL};
    for (int i = 0; i < 5; i++) {
        r[i].path = p[i];
        r[i].workload = w[i];
        r[i].driver = "d";
    }
    char *names[5];
    assert_int_equal(ombc_chart_series_names(r, 5, names), 0);
    assert_string_equal(names[0], "w \xC2\xB7 d (a.json) (x/a.json)");
    assert_string_equal(names[1], "w \xC2\xB7 d (a.json) (y/a.json)");
    assert_string_equal(names[2], "w \xC2\xB7 d (b.json) (b.json) (#3)");
    assert_string_equal(names[3], "w \xC2\xB7 d (b.json) (b.json) (#4)");
    assert_string_equal(names[4], "d"); /* no workload: the driver alone */
    for (int i = 0; i < 5; i++)
        free(names[i]);
    /* Distinct names stay short. */
    r[1].workload = "v";
    assert_int_equal(ombc_chart_series_names(r, 2, names), 0);
    assert_string_equal(names[0], "w \xC2\xB7 d");
    assert_string_equal(names[1], "v \xC2\xB7 d");
    free(names[0]);
    free(names[1]);
}

static void check_number(double v, int decimals, const char *want) {
    char buf[64];
    ombc_chart_format_number(buf, sizeof(buf), v, decimals);
    if (strcmp(buf, want) != 0)
        fail_msg("format(%.17g, %d) = \"%s\", want \"%s\"", v, decimals, buf, want);
}

static void test_format_number(void **state) {
    (void)state;
    check_number(1234567.891, 1, "1,234,567.9");
    check_number(999.96, 1, "1,000.0");
    check_number(100, 0, "100");
    check_number(1000, 0, "1,000");
    check_number(0.0185, 3, "0.018"); /* the exact binary value rounds down */
    check_number(-1234.5, 2, "-1,234.50");
    check_number(-0.0001, 3, "0.000");
    check_number(NAN, 2, "n/a");
    check_number(INFINITY, 2, "n/a");
}

/* Renders A and B and checks every chart against the JSON's numbers. */
static void test_render_matches_json(void **state) {
    (void)state;
    struct ombc_result_figures r[2];
    read_text(NAME_A, RESULT_A, &r[0]);
    read_text(NAME_B, RESULT_B, &r[1]);
    char *html = ombc_chart_render(r, 2, NULL);
    assert_non_null(html);

    /* Self-contained: no script, nothing fetched. */
    assert_null(strstr(html, "<script"));
    assert_null(strstr(html, "http://www.w3.org/1999/xhtml"));
    assert_null(strstr(html, "src="));
    assert_null(strstr(html, "href="));
    assert_null(strstr(html, "@import"));
    assert_null(strstr(html, "url(http"));
    /* Every string from the results escaped, nowhere raw. */
    assert_null(strstr(html, "<A>"));
    assert_null(strstr(html, "Kafka's"));
    assert_null(strstr(html, "a&1.json"));
    assert_non_null(strstr(html, "<title>ombc report: wl &lt;A&gt; &amp; &quot;B&quot;</title>"));
    assert_non_null(strstr(html, "<td class=\"file\">" NAME_B "</td>"));
    assert_non_null(strstr(html, "<td class=\"file\">res/a&amp;1.json</td>"));
    /* No coordinate or size from a NaN or an infinity. */
    assert_null(strstr(html, "nan"));
    assert_null(strstr(html, "inf"));

    /* Quantiles: keys up to 99.999 drawn, 99.9995 and 100 not. */
    char *svg = chart_svg(html, "publish-latency-quantiles");
    assert_non_null(svg);
    assert_non_null(strstr(svg, "data-x-scale=\"log-percentile\""));
    const double ax[] = {0.0, 1.0e-4, 50.0, 90.0, 99.0, 99.9, 99.99};
    const double ay[] = {0.25, 0.5, 1.25, 2.0, 3.5, 4.75, 8.0};
    check_series(svg, ESC_A, ax, ay, 7);
    const double bx[] = {50.0}, by[] = {1.0};
    check_series(svg, ESC_B, bx, by, 1);
    /* The polyline of A sits on the log(1/(1-p)) axis: p = 99.99 is 4. */
    double plot[4], xr[2], yr[2];
    svg_attr_numbers(svg, "data-plot", plot, 4);
    svg_attr_numbers(svg, "data-x-range", xr, 2);
    svg_attr_numbers(svg, "data-y-range", yr, 2);
    assert_true(xr[0] == 0 && xr[1] == 4);
    assert_true(yr[0] == 0 && yr[1] >= 8.0);
    char *body = series_body(svg, ESC_A);
    const char *pts = strstr(body, "points=\"");
    assert_non_null(pts);
    double xy[14];
    assert_int_equal(parse_numbers(pts + 8, xy, 14), 14);
    for (int i = 0; i < 7; i++) {
        double want_x = plot[0] + log10(100.0 / (100.0 - ax[i])) / xr[1] * plot[2];
        double want_y = plot[1] + plot[3] - (ay[i] - yr[0]) / (yr[1] - yr[0]) * plot[3];
        if (fabs(xy[2 * i] - want_x) > 0.006 || fabs(xy[2 * i + 1] - want_y) > 0.006)
            fail_msg("point %d at (%g, %g), want (%g, %g)", i, xy[2 * i], xy[2 * i + 1], want_x,
                     want_y);
    }
    assert_true(xy[0] == plot[0]); /* p = 0 is the axis' origin */
    /* Tick labels are percentiles, up to the axis' end. */
    assert_non_null(strstr(svg, ">99.99</text>"));
    assert_null(strstr(svg, ">99.999</text>"));
    free(body);
    free(svg);

    svg = chart_svg(html, "publish-delay-quantiles");
    const double dx[] = {50.0, 99.0}, dy[] = {12, 250};
    check_series(svg, ESC_A, dx, dy, 2);
    check_series(svg, ESC_B, NULL, NULL, 0);
    assert_non_null(strstr(svg, " (no data)"));
    free(svg);
    svg = chart_svg(html, "end-to-end-latency-quantiles");
    const double ex[] = {50.0, 99.0}, ey[] = {2.0, 5.0};
    check_series(svg, ESC_A, ex, ey, 2);
    free(svg);
    /* ombc's response time: charted since A has it; B (OMB's) has none. */
    svg = chart_svg(html, "publish-response-time-quantiles");
    assert_non_null(svg);
    const double rx[] = {50.0, 99.0}, ry[] = {1.5, 3.75};
    check_series(svg, ESC_A, rx, ry, 2);
    check_series(svg, ESC_B, NULL, NULL, 0);
    free(svg);

    /* Over time: period i at (i + 1) x the period length (A: 2 s
     * recorded; B: OMB's 10 s assumed). A NaN breaks A's line in two. */
    svg = chart_svg(html, "publish-rate");
    assert_non_null(strstr(svg, "data-x-scale=\"linear\""));
    const double tx[] = {2, 4, 6, 8}, ty[] = {1000.5, 2000.25, NAN, 4000.0};
    check_series(svg, ESC_A, tx, ty, 4);
    const double t2x[] = {10, 20}, t2y[] = {500, 600};
    check_series(svg, ESC_B, t2x, t2y, 2);
    body = series_body(svg, ESC_A);
    int lines = 0;
    for (const char *s = body; (s = strstr(s, "<polyline")); s++)
        lines++;
    assert_int_equal(lines, 2);
    free(body);
    assert_non_null(strstr(svg, "Elapsed time (s); 10 s periods where a result lacks them"));
    free(svg);
    svg = chart_svg(html, "consume-rate");
    const double cy[] = {999, 2001, 3000, 4000};
    check_series(svg, ESC_A, tx, cy, 4);
    check_series(svg, ESC_B, NULL, NULL, 0);
    free(svg);
    svg = chart_svg(html, "backlog");
    const double bly[] = {0, 10, 5, 0};
    check_series(svg, ESC_A, tx, bly, 4);
    check_series(svg, ESC_B, NULL, NULL, 0);
    free(svg);
    svg = chart_svg(html, "publish-latency-p99");
    const double ly[] = {1.5, 2.25, 3.125, 4.0}, l2y[] = {1.0, 2.0};
    check_series(svg, ESC_A, tx, ly, 4);
    check_series(svg, ESC_B, t2x, l2y, 2);
    free(svg);

    /* The headline table, with "—" for what B lacks and the ratio B/A. */
    assert_non_null(strstr(html, "<tr data-figure=\"aggregatedPublishLatency99pct\"><th>Publish "
                                 "latency p99 (ms)</th><td class=\"num\">3.500</td>"
                                 "<td class=\"num\">2.000</td><td class=\"num\">0.571</td></tr>"));
    assert_non_null(strstr(html, "<tr data-figure=\"aggregatedPublishResponseTime99pct\"><th>"
                                 "Publish response time p99 (ms)</th><td class=\"num\">3.750</td>"
                                 "<td class=\"na\">\xE2\x80\x94</td>"));
    assert_non_null(strstr(html, "<th>Publish delay p99 (\xC2\xB5s)</th><td class=\"num\">250"
                                 "</td>"));
    assert_non_null(strstr(html, "<td class=\"num\">2,333.6</td><td class=\"num\">550.0</td>"));
    free(html);
    ombc_result_figures_fini(&r[0]);
    ombc_result_figures_fini(&r[1]);
}

/* Nothing to draw: every chart says so, none has a NaN, no response chart. */
static void test_render_empty(void **state) {
    (void)state;
    struct ombc_result_figures r;
    read_text("e.json",
              "{\"workload\": \"empty\", \"publishRate\": [],"
              " \"aggregatedPublishLatencyQuantiles\": {}}",
              &r);
    char *html = ombc_chart_render(&r, 1, "My <own> title");
    assert_non_null(html);
    assert_non_null(strstr(html, "<h1>My &lt;own&gt; title</h1>"));
    assert_null(strstr(html, "nan"));
    assert_null(strstr(html, "inf"));
    assert_null(strstr(html, "chart-publish-response-time-quantiles"));
    const char *ids[] = {"publish-latency-quantiles",
                         "publish-delay-quantiles",
                         "end-to-end-latency-quantiles",
                         "publish-rate",
                         "consume-rate",
                         "backlog",
                         "publish-latency-p99"};
    for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
        char *svg = chart_svg(html, ids[i]);
        assert_non_null(svg);
        assert_non_null(strstr(svg, ">No data in this result</text>"));
        check_series(svg, "empty", NULL, NULL, 0);
        assert_null(strstr(svg, "<polyline"));
        free(svg);
    }
    /* The response-time row is left out when no result has it. */
    assert_null(strstr(html, "aggregatedPublishResponseTime99pct"));
    free(html);
    ombc_result_figures_fini(&r);
}

/* Values no axis can hold, and a long name: still a page without NaN or
 * infinite coordinates (Chromium logs an error for each), the name cut. */
static void test_render_extremes(void **state) {
    (void)state;
    char text[1024];
    snprintf(text, sizeof(text),
             "{\"workload\": \"%080d\", \"publishRate\": [1e308, 5, \"Infinity\", -1e308, 7],"
             " \"consumeRate\": [1, 2], \"reportIntervalSeconds\": 1e308,"
             " \"aggregatedPublishLatencyQuantiles\": {\"0.0\": 1e308, \"50.0\": 2}}",
             7);
    struct ombc_result_figures r;
    read_text("x.json", text, &r);
    char *html = ombc_chart_render(&r, 1, NULL);
    assert_non_null(html);
    assert_null(strstr(html, "nan"));
    assert_null(strstr(html, "inf"));
    assert_null(strstr(html, "NaN,"));
    char *svg = chart_svg(html, "publish-rate");
    const double x[] = {1e308, INFINITY, INFINITY, INFINITY, INFINITY};
    const double y[] = {1e308, 5, INFINITY, -1e308, 7};
    check_series(svg,
                 "0000000000000000000000000000000000000000000000000000000000000000000000000"
                 "0000007",
                 x, y, 5);
    assert_null(strstr(svg, "<polyline")); /* nothing the axis can place */
    free(svg);
    svg = chart_svg(html, "publish-latency-quantiles");
    assert_non_null(strstr(svg, "<polyline"));
    free(svg);
    /* The legend shows 71 characters and an ellipsis, the tooltip all. */
    assert_non_null(strstr(html,
                           ">"
                           "00000000000000000000000000000000000000000000000000000000000000000000000"
                           "\xE2\x80\xA6"));
    free(html);
    ombc_result_figures_fini(&r);
}

/* Tick labels of one axis never overlap: a crowded time axis (900 periods)
 * and large rates get k/M suffixes. */
static void test_ticks_readable(void **state) {
    (void)state;
    size_t n = 900;
    size_t cap = 64 + n * 24;
    char *text = malloc(cap);
    assert_non_null(text);
    size_t len = (size_t)snprintf(text, cap, "{\"workload\": \"w\", \"publishRate\": [");
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(text + len, cap - len, "%s%zu.5", i ? ", " : "", 2000000 + i);
    snprintf(text + len, cap - len, "]}");
    struct ombc_result_figures r;
    read_text("big.json", text, &r);
    free(text);
    char *html = ombc_chart_render(&r, 1, NULL);
    assert_non_null(html);
    char *svg = chart_svg(html, "publish-rate");
    assert_non_null(strstr(svg, "M</text>")); /* 2.5M, not 2500000 */
    /* x labels: centred, each at least 8 px clear of the one before. */
    const char *ticks = strstr(svg, "<g class=\"x-ticks\"");
    const char *end = strstr(ticks, "</g>");
    double last_right = -1e9;
    int labels = 0;
    for (const char *t = ticks; (t = strstr(t, "<text x=\"")) && t < end; t++) {
        double x = strtod(t + 9, NULL);
        const char *s = strchr(t, '>') + 1;
        double half = (double)strcspn(s, "<") * 7.6 / 2; /* DejaVu Sans digits: 0.63 em */
        assert_true(x - half >= last_right);
        last_right = x + half;
        labels++;
    }
    assert_true(labels >= 4);
    free(svg);
    free(html);
    ombc_result_figures_fini(&r);
}

static void test_write(void **state) {
    (void)state;
    char dir[] = "/tmp/ombc-test-chart-XXXXXX";
    assert_non_null(mkdtemp(dir));
    struct ombc_result_figures r;
    read_text(NAME_B, RESULT_B, &r);
    char path[256], err[512];
    snprintf(path, sizeof(path), "%s/report.html", dir);
    assert_int_equal(ombc_chart_write(path, &r, 1, NULL, err, sizeof(err)), 0);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_true(st.st_size > 1000);
    char bad[300];
    snprintf(bad, sizeof(bad), "%s/missing/report.html", dir);
    assert_int_equal(ombc_chart_write(bad, &r, 1, NULL, err, sizeof(err)), OMBC_EIO);
    char want[400];
    snprintf(want, sizeof(want), "%s: cannot write: No such file or directory", bad);
    assert_string_equal(err, want);
    ombc_result_figures_fini(&r);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(rmdir(dir), 0);
}

/* Issue 14 items 5 and 12: a run whose consumers received nothing, cut
 * short: ombc writes null for its end-to-end latency, OMB the 0 of an empty
 * histogram; both read as absent when nothing was consumed. */
static const char RESULT_NOTHING[] =
    "{ \"workload\" : \"w\", \"driver\" : \"d\",\n"
    "  \"publishRate\" : [ 900000.0 ], \"consumeRate\" : [ 0.0 ],\n"
    "  \"aggregatedPublishLatency99pct\" : 18800.0,\n"
    "  \"aggregatedEndToEndLatency50pct\" : null, \"aggregatedEndToEndLatency99pct\" : null,\n"
    "  \"aggregatedEndToEndLatencyMax\" : null,\n"
    "  \"incomplete\" : true, \"consumerShortfall\" : \"receivedNothing\" }\n";
static const char RESULT_OMB_NOTHING[] =
    "{ \"workload\" : \"w\", \"driver\" : \"d\",\n"
    "  \"publishRate\" : [ 900000.0 ], \"consumeRate\" : [ 0.0 ],\n"
    "  \"aggregatedPublishLatency99pct\" : 18800.0,\n"
    "  \"aggregatedEndToEndLatency99pct\" : 0.0 }\n";

static void write_text(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static void test_absent_and_flagged(void **state) {
    (void)state;
    struct ombc_result_figures r;
    read_text("n.json", RESULT_NOTHING, &r);
    assert_true(isnan(r.headline[OMBC_H_E2E_P99]));
    assert_true(r.headline[OMBC_H_PUB_LATENCY_P99] == 18800.0);
    assert_string_equal(r.consumer_shortfall, "receivedNothing");
    char *html = ombc_chart_render(&r, 1, NULL);
    assert_non_null(strstr(html, "<span class=\"badge\">consumers received nothing</span>"));
    free(html);
    ombc_result_figures_fini(&r);
    read_text("o.json", RESULT_OMB_NOTHING, &r);
    assert_true(isnan(r.headline[OMBC_H_E2E_P99])); /* OMB's 0: nothing was consumed */
    ombc_result_figures_fini(&r);

    char dir[] = "/tmp/ombc-test-compare-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char a[128], b[128], out[128];
    snprintf(a, sizeof(a), "%s/a.json", dir);
    snprintf(b, sizeof(b), "%s/b.json", dir);
    snprintf(out, sizeof(out), "%s/out.txt", dir);
    write_text(a, RESULT_A);
    write_text(b, RESULT_NOTHING);
    fflush(stdout);
    int saved = dup(1);
    FILE *o = fopen(out, "w");
    assert_non_null(o);
    dup2(fileno(o), 1);
    char *argv[] = {"compare", a, b, NULL};
    int status = ombc_cmd_compare(3, argv);
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    fclose(o);
    assert_int_equal(status, 0);
    char text[8192] = "";
    FILE *in = fopen(out, "r");
    size_t n = fread(text, 1, sizeof(text) - 1, in);
    text[n] = '\0';
    fclose(in);
    assert_non_null(strstr(text, "   B is INCOMPLETE: its test phase ended early"));
    assert_non_null(strstr(text, "   B: consumers RECEIVED NOTHING"));
    assert_null(strstr(text, "A is INCOMPLETE"));
    const char *row = strstr(text, "End-to-end latency p99 (ms)");
    assert_non_null(row);
    char line[256];
    snprintf(line, sizeof(line), "%.*s", (int)strcspn(row, "\n"), row);
    assert_null(strstr(line, "0.000"));
    /* A's figure, B's absent, no ratio */
    assert_non_null(strstr(line, " 5.000  "));
    size_t len = strlen(line);
    assert_non_null(strstr(line, "  -  "));
    assert_true(len > 3);
    assert_string_equal(line + len - 3, "n/a");
    unlink(a);
    unlink(b);
    unlink(out);
    rmdir(dir);
}

/* Issue 14 item 13: with four results the tables fit the page (headers,
 * names and paths wrap; only numbers stay on one line), and a run of one
 * period draws a visible line across its period, not a lone dot. */
static const char RESULT_ONE_PERIOD[] =
    "{ \"workload\" : \"a workload with a rather long name to make headers wide\",\n"
    "  \"driver\" : \"a driver with a long name too\",\n"
    "  \"publishRate\" : [ 500.0 ], \"consumeRate\" : [ 500.0 ],\n"
    "  \"reportIntervalSeconds\" : 10 }\n";

static void test_tables_fit_and_one_period_visible(void **state) {
    (void)state;
    struct ombc_result_figures r[4];
    static const char *const names[4] = {"results/some/long/directory/first-run.json",
                                         "results/some/long/directory/second-run.json",
                                         "results/some/long/directory/third-run.json",
                                         "results/some/long/directory/fourth-run.json"};
    for (int i = 0; i < 4; i++)
        read_text(names[i], RESULT_ONE_PERIOD, &r[i]);
    char *html = ombc_chart_render(r, 4, NULL);
    assert_non_null(html);
    /* nothing forces a header, a name or a path onto one line */
    assert_non_null(strstr(html, "white-space:normal}"));
    assert_null(strstr(html, "th.num{text-align:right;font-variant-numeric:tabular-nums;"
                             "white-space:nowrap"));
    assert_non_null(strstr(html, "td.file{overflow-wrap:anywhere"));
    assert_non_null(strstr(html, "<td class=\"file\">results/some/long/directory/first-run.json"));
    /* the publish rate over time: one period, drawn from 0 s to 10 s */
    char *svg = chart_svg(html, "publish-rate");
    assert_non_null(svg);
    const char *poly = strstr(svg, "<polyline");
    assert_non_null(poly);
    const char *pts = strstr(poly, "points=\"");
    assert_non_null(pts);
    pts += strlen("points=\"");
    double x0, y0, x1, y1;
    assert_int_equal(sscanf(pts, "%lf,%lf %lf,%lf", &x0, &y0, &x1, &y1), 4);
    assert_true(x1 - x0 > 50); /* a segment, not a dot */
    assert_true(y0 == y1);
    free(svg);
    free(html);
    for (int i = 0; i < 4; i++)
        ombc_result_figures_fini(&r[i]);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_percentile_axis),
        cmocka_unit_test(test_read_figures),
        cmocka_unit_test(test_interval_inferred),
        cmocka_unit_test(test_read_errors),
        cmocka_unit_test(test_series_names),
        cmocka_unit_test(test_format_number),
        cmocka_unit_test(test_render_matches_json),
        cmocka_unit_test(test_render_empty),
        cmocka_unit_test(test_render_extremes),
        cmocka_unit_test(test_ticks_readable),
        cmocka_unit_test(test_write),
        cmocka_unit_test(test_absent_and_flagged),
        cmocka_unit_test(test_tables_fit_and_one_period_visible),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
