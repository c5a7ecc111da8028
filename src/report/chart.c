/*
 * chart: the HTML report of `ombc chart` as one self-contained page: inline
 * CSS, a table of the runs, a table of headline numbers, and the charts of
 * OMB's create_charts.py (report/chart_svg draws each): latency quantiles,
 * then rates, backlog and p99 publish latency over time. No script and
 * nothing fetched, so the page opens anywhere, offline; tooltips are SVG
 * <title> elements. Owns which charts a page has, the series names, the
 * number format shared with `ombc compare`, and writing the file. Every
 * string from a result goes through ombc_html_esc. Reading results is
 * report/result_read's; cli/cmd_chart.c only parses arguments.
 * Stateless; any thread.
 */
#include "report/chart.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "report/chart_svg.h"
#include "report/html.h"

/* ---- numbers ---- */

void ombc_chart_format_number(char *buf, size_t size, double v, int decimals) {
    if (!isfinite(v)) {
        snprintf(buf, size, "n/a");
        return;
    }
    char num[400];
    snprintf(num, sizeof(num), "%.*f", decimals < 0 ? 0 : decimals > 9 ? 9 : decimals, fabs(v));
    size_t int_len = strspn(num, "0123456789");
    bool zero = strspn(num, "0.") == strlen(num);
    char out[520];
    size_t o = 0;
    if (v < 0 && !zero)
        out[o++] = '-';
    for (size_t i = 0; i < int_len; i++) {
        if (i > 0 && (int_len - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = num[i];
    }
    snprintf(out + o, sizeof(out) - o, "%s", num + int_len);
    snprintf(buf, size, "%s", out);
}

double ombc_chart_percentile_x(double p) {
    if (isnan(p) || p < 0)
        return NAN;
    if (p >= 100)
        return INFINITY;
    return log10(100.0 / (100.0 - p));
}

/* ---- series names ---- */

static const char *base_name(const char *path) {
    const char *slash = path ? strrchr(path, '/') : NULL;
    return slash ? slash + 1 : path ? path : "";
}

static char *str_concat(const char *a, const char *sep, const char *b, const char *end) {
    size_t n = strlen(a) + strlen(sep) + strlen(b) + strlen(end) + 1;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s%s%s%s", a, sep, b, end);
    return s;
}

/* Replaces names[i] by "names[i] (what)" for every i whose name is shared. */
static int disambiguate(char **names, size_t n, const struct ombc_result_figures *r, int how) {
    bool *dup = calloc(n ? n : 1, sizeof(*dup));
    if (!dup)
        return OMBC_ENOMEM;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            if (i != j && strcmp(names[i], names[j]) == 0)
                dup[i] = true;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (!dup[i])
            continue;
        char pos[32];
        snprintf(pos, sizeof(pos), "#%zu", i + 1);
        const char *what = how == 0 ? base_name(r[i].path) : how == 1 ? r[i].path : pos;
        char *s = str_concat(names[i], " (", what ? what : "", ")");
        if (!s) {
            rc = OMBC_ENOMEM;
            break;
        }
        free(names[i]);
        names[i] = s;
    }
    free(dup);
    return rc;
}

int ombc_chart_series_names(const struct ombc_result_figures *r, size_t n, char **names) {
    int rc = 0;
    size_t made = 0;
    for (; made < n; made++) {
        const struct ombc_result_figures *f = &r[made];
        if (f->workload && f->driver)
            names[made] = str_concat(f->workload, " \xC2\xB7 ", f->driver, "");
        else
            names[made] = strdup(f->workload ? f->workload
                                 : f->driver ? f->driver
                                             : base_name(f->path));
        if (!names[made]) {
            rc = OMBC_ENOMEM;
            break;
        }
    }
    /* The file's name; for the same name in two folders, the path; for the
     * same file twice, its position. */
    for (int how = 0; rc == 0 && how < 3; how++)
        rc = disambiguate(names, n, r, how);
    if (rc != 0) {
        for (size_t i = 0; i < made && i < n; i++) {
            free(names[i]);
            names[i] = NULL;
        }
    }
    return rc;
}

/* ---- the page ---- */

static const struct ombc_chart_spec QUANTILE_CHARTS[] = {
    {"publish-latency-quantiles", "Publish latency quantiles", "Publish latency (ms)", "ms", true,
     OMBC_Q_PUBLISH_LATENCY, 3, false},
    {"publish-delay-quantiles", "Publish delay quantiles", "Publish delay (\xC2\xB5s)", "\xC2\xB5s",
     true, OMBC_Q_PUBLISH_DELAY, 0, true},
    {"end-to-end-latency-quantiles", "End-to-end latency quantiles", "End-to-end latency (ms)",
     "ms", true, OMBC_Q_END_TO_END, 3, false},
    {"publish-response-time-quantiles", "Publish response time quantiles",
     "Publish response time (ms)", "ms", true, OMBC_Q_PUBLISH_RESPONSE, 3, false},
};

static const struct ombc_chart_spec TIME_CHARTS[] = {
    {"publish-rate", "Publish rate", "Publish rate (msg/s)", "msg/s", false, OMBC_P_PUBLISH_RATE, 1,
     true},
    {"consume-rate", "Consume rate", "Consume rate (msg/s)", "msg/s", false, OMBC_P_CONSUME_RATE, 1,
     true},
    {"backlog", "Backlog", "Backlog (messages)", "messages", false, OMBC_P_BACKLOG, 0, true},
    {"publish-latency-p99", "Publish latency p99 per period", "Publish latency p99 (ms)", "ms",
     false, OMBC_P_PUBLISH_LATENCY_P99, 3, false},
};

static const char CSS[] =
    "*{box-sizing:border-box}"
    "body{margin:0;background:#f6f8fa;color:#1f2328;"
    "font:14px/1.45 \"DejaVu Sans\",\"Segoe UI\",Helvetica,Arial,sans-serif}"
    "main{max-width:1360px;margin:0 auto;padding:24px}"
    "h1{font-size:22px;margin:0 0 4px}"
    "h2{font-size:17px;margin:28px 0 10px}"
    ".sub,.note{color:#57606a}"
    ".note{font-size:12.5px;max-width:1000px;margin:8px 0 0}"
    "table{border-collapse:collapse;background:#fff;border:1px solid #d0d7de;max-width:100%}"
    /* headers, names and paths wrap, so tables fit the page (issue 14) */
    "th,td{padding:5px 12px;border-bottom:1px solid #eaeef2;text-align:left;vertical-align:top;"
    "white-space:normal}"
    "thead th{background:#f6f8fa;font-weight:600}"
    "td.file{overflow-wrap:anywhere;min-width:12ch}"
    "td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}"
    "td.num{white-space:nowrap}"
    "td.na{color:#8c959f;text-align:right}"
    ".badge{background:#fff1e5;color:#9a3412;border-radius:4px;padding:0 5px;"
    "font-size:12px;margin-left:6px}"
    ".swatch{vertical-align:middle;margin-right:6px}"
    ".charts{display:flex;flex-wrap:wrap;gap:16px}"
    "svg.chart{background:#fff;border:1px solid #d0d7de;border-radius:6px;"
    "font-family:\"DejaVu Sans\",\"Segoe UI\",Helvetica,Arial,sans-serif}"
    ".scroll{overflow-x:auto}"
    "footer{margin-top:28px}";

static void cell_number(struct ombc_buf *b, double v, int decimals, const char *suffix) {
    if (!isfinite(v)) {
        ombc_buf_puts(b, "<td class=\"na\">\xE2\x80\x94</td>");
        return;
    }
    char num[64];
    ombc_chart_format_number(num, sizeof(num), v, decimals);
    ombc_buf_printf(b, "<td class=\"num\">%s%s</td>", num, suffix);
}

static void runs_table(struct ombc_buf *b, const struct ombc_result_figures *r, char *const *names,
                       size_t n) {
    ombc_buf_puts(
        b, "<h2>Runs</h2>\n<div class=\"scroll\"><table class=\"runs\"><thead><tr>"
           "<th>Series</th><th>File</th><th class=\"num\">Message size</th>"
           "<th class=\"num\">Topics</th><th class=\"num\">Partitions</th>"
           "<th class=\"num\">Producers / topic</th><th class=\"num\">Consumers / topic</th>"
           "<th class=\"num\">Periods</th><th class=\"num\">Period length</th></tr></thead>"
           "<tbody>\n");
    for (size_t s = 0; s < n; s++) {
        const struct ombc_result_figures *f = &r[s];
        ombc_buf_puts(b, "<tr><td>");
        ombc_chart_svg_swatch(b, s);
        ombc_html_esc(b, names[s]);
        if (f->incomplete)
            ombc_buf_puts(b, "<span class=\"badge\">incomplete</span>");
        if (f->consumer_shortfall)
            ombc_buf_printf(b, "<span class=\"badge\">consumers %s</span>",
                            strcmp(f->consumer_shortfall, "receivedNothing") == 0
                                ? "received nothing"
                                : strcmp(f->consumer_shortfall, "fellBehind") == 0
                                      ? "fell behind"
                                      : "short");
        ombc_buf_puts(b, "</td><td class=\"file\">");
        ombc_html_esc(b, f->path);
        ombc_buf_puts(b, "</td>");
        cell_number(b, f->message_size, 0, " B");
        cell_number(b, f->topics, 0, "");
        cell_number(b, f->partitions, 0, "");
        cell_number(b, f->producers_per_topic, 0, "");
        cell_number(b, f->consumers_per_topic, 0, "");
        size_t periods = 0;
        for (int k = 0; k < OMBC_P_COUNT; k++)
            if (f->period[k].n > periods)
                periods = f->period[k].n;
        cell_number(b, (double)periods, 0, "");
        static const char *const why[] = {
            [OMBC_INTERVAL_RECORDED] = "as recorded in the result",
            [OMBC_INTERVAL_INFERRED] = "not in the result: its test duration divided by its "
                                       "number of periods",
            [OMBC_INTERVAL_ASSUMED] = "neither the period nor the test duration is in the "
                                      "result: OMB's 10 s, as its chart script assumes",
        };
        static const char *const how[] = {
            [OMBC_INTERVAL_RECORDED] = "",
            [OMBC_INTERVAL_INFERRED] = " (inferred)",
            [OMBC_INTERVAL_ASSUMED] = " (assumed)",
        };
        ombc_buf_printf(b, "<td class=\"num\" title=\"%s\">%g s%s</td></tr>\n",
                         why[f->interval_source], f->interval_s, how[f->interval_source]);
    }
    ombc_buf_puts(b, "</tbody></table></div>\n");
}

static void headline_table(struct ombc_buf *b, const struct ombc_result_figures *r,
                           char *const *names, size_t n) {
    ombc_buf_puts(b, "<h2>Headline numbers</h2>\n<div class=\"scroll\"><table class=\"headline\">"
                      "<thead><tr><th>Figure</th>");
    for (size_t s = 0; s < n; s++) {
        ombc_buf_puts(b, "<th class=\"num\">");
        ombc_chart_svg_swatch(b, s);
        ombc_chart_svg_name(b, names[s]);
        ombc_buf_puts(b, "</th>");
    }
    if (n == 2)
        ombc_buf_puts(b, "<th class=\"num\">ratio (2nd / 1st)</th>");
    ombc_buf_puts(b, "</tr></thead><tbody>\n");
    for (int h = 0; h < OMBC_H_COUNT; h++) {
        const struct ombc_headline_info *hi = ombc_headline_info(h);
        bool any = false;
        for (size_t s = 0; s < n; s++)
            any = any || isfinite(r[s].headline[h]);
        if (!any && h == OMBC_H_RESPONSE_P99)
            continue; /* ombc's extension, absent from OMB's results */
        ombc_buf_printf(b, "<tr data-figure=\"%s\"><th>%s (%s)</th>", hi->field, hi->label,
                         strcmp(hi->unit, "us") == 0 ? "\xC2\xB5s" : hi->unit);
        for (size_t s = 0; s < n; s++)
            cell_number(b, r[s].headline[h], hi->decimals, "");
        if (n == 2) {
            double a = r[0].headline[h], c = r[1].headline[h];
            cell_number(b, a != 0 ? c / a : NAN, 3, "");
        }
        ombc_buf_puts(b, "</tr>\n");
    }
    ombc_buf_puts(b, "</tbody></table></div>\n");
}

static char *default_title(const struct ombc_result_figures *r, size_t n) {
    struct ombc_buf b = OMBC_BUF_INIT;
    ombc_buf_puts(&b, "ombc report");
    size_t shown = 0;
    for (size_t s = 0; s < n; s++) {
        if (!r[s].workload)
            continue;
        bool seen = false;
        for (size_t t = 0; t < s && !seen; t++)
            seen = r[t].workload && strcmp(r[t].workload, r[s].workload) == 0;
        if (!seen)
            ombc_buf_printf(&b, "%s%s", shown++ ? ", " : ": ", r[s].workload);
    }
    return ombc_buf_take(&b);
}

char *ombc_chart_render(const struct ombc_result_figures *r, size_t n, const char *title) {
    if (n == 0)
        return NULL;
    char **names = calloc(n, sizeof(*names));
    char *own_title = title ? NULL : default_title(r, n);
    struct ombc_buf b = OMBC_BUF_INIT;
    if (!names || (!title && !own_title) || ombc_chart_series_names(r, n, names) != 0) {
        free(names);
        free(own_title);
        return NULL;
    }
    if (!title)
        title = own_title;

    ombc_buf_puts(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                       "<title>");
    ombc_html_esc(&b, title);
    ombc_buf_printf(&b, "</title>\n<style>%s</style>\n</head><body><main>\n<h1>", CSS);
    ombc_html_esc(&b, title);
    ombc_buf_printf(&b, "</h1>\n<p class=\"sub\">%zu result%s, charted by ombc %s</p>\n", n,
                     n == 1 ? "" : "s", OMBC_VERSION);
    runs_table(&b, r, names, n);
    headline_table(&b, r, names, n);
    ombc_buf_puts(
        &b, "<p class=\"note\">Rates are the mean of the periods; MB is 2<sup>20</sup> bytes, "
            "as in OMB's period lines. Latency percentiles come from the whole test's "
            "histograms (the result's aggregated figures).</p>\n");

    size_t assumed = 0;
    for (size_t s = 0; s < n; s++)
        assumed += r[s].interval_source == OMBC_INTERVAL_ASSUMED;
    int rc = 0;
    ombc_buf_puts(&b, "<h2>Latency distributions</h2>\n<div class=\"charts\">\n");
    for (size_t c = 0; rc == 0 && c < sizeof(QUANTILE_CHARTS) / sizeof(QUANTILE_CHARTS[0]); c++) {
        const struct ombc_chart_spec *spec = &QUANTILE_CHARTS[c];
        bool present = spec->kind != OMBC_Q_PUBLISH_RESPONSE;
        for (size_t s = 0; s < n && !present; s++)
            present = r[s].quantiles[spec->kind].n > 0;
        if (present) /* the response-time chart only for ombc's results */
            rc = ombc_chart_svg(&b, spec, r, names, n,
                                "Percentile (%), log scale of 1/(1\xE2\x88\x92p)");
    }
    ombc_buf_puts(&b, "</div>\n<h2>Over time</h2>\n<div class=\"charts\">\n");
    for (size_t c = 0; rc == 0 && c < sizeof(TIME_CHARTS) / sizeof(TIME_CHARTS[0]); c++)
        rc = ombc_chart_svg(&b, &TIME_CHARTS[c], r, names, n,
                            assumed == n ? "Elapsed time (s), assuming OMB's 10 s periods"
                            : assumed ? "Elapsed time (s); 10 s periods where a result lacks them"
                                      : "Elapsed time (s), end of each period");
    ombc_buf_puts(&b,
                   "</div>\n<footer><p class=\"note\">Quantile charts place percentile p at "
                   "log<sub>10</sub>(1/(1\xE2\x88\x92p)), as OMB's create_charts.py, and stop at "
                   "99.999%; hover a marker for its value. Each series carries its numbers in "
                   "data-x and data-values attributes.</p></footer>\n</main></body></html>\n");

    for (size_t s = 0; s < n; s++)
        free(names[s]);
    free(names);
    free(own_title);
    if (rc != 0) {
        ombc_buf_fini(&b);
        return NULL;
    }
    return ombc_buf_take(&b);
}

int ombc_chart_write(const char *path, const struct ombc_result_figures *r, size_t n,
                     const char *title, char *errstr, size_t errstr_size) {
    char *html = ombc_chart_render(r, n, title);
    if (!html)
        return ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "%s: out of memory", path);
    size_t tmp_size = strlen(path) + 32;
    char *tmp = malloc(tmp_size);
    if (!tmp) {
        free(html);
        return ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "%s: out of memory", path);
    }
    snprintf(tmp, tmp_size, "%s.tmp.%ld", path, (long)getpid());
    int rc = 0;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (fd < 0) {
        rc =
            ombc_errf(errstr, errstr_size, OMBC_EIO, "%s: cannot write: %s", path, strerror(errno));
    } else {
        size_t len = strlen(html), done = 0;
        while (rc == 0 && done < len) {
            ssize_t w = write(fd, html + done, len - done);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                rc = ombc_errf(errstr, errstr_size, OMBC_EIO, "%s: cannot write: %s", path,
                               strerror(errno));
            else
                done += (size_t)w;
        }
        if (close(fd) != 0 && rc == 0)
            rc = ombc_errf(errstr, errstr_size, OMBC_EIO, "%s: cannot write: %s", path,
                           strerror(errno));
        if (rc == 0 && rename(tmp, path) != 0)
            rc = ombc_errf(errstr, errstr_size, OMBC_EIO, "%s: cannot write: %s", path,
                           strerror(errno));
        if (rc != 0)
            unlink(tmp);
    }
    free(tmp);
    free(html);
    return rc;
}
