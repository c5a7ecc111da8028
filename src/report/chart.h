/*
 * chart: the HTML report of `ombc chart`: one self-contained page (inline
 * CSS and SVG, no script, nothing fetched) with a table of the runs, a table
 * of headline numbers and the charts OMB's create_charts.py draws: latency
 * quantiles on a log(1/(1-p)) axis and per-period figures over time, one
 * series per result. Takes results already read by report/result_read;
 * owns the page, which charts it has, the series names and the number
 * format (shared with `ombc compare`); report/chart_svg draws each chart.
 * Every series carries its numbers in data attributes (data-series, data-x,
 * data-values) so tests, and anyone scraping the page, read back exactly
 * what was drawn. Stateless; any thread.
 */
#ifndef OMBC_REPORT_CHART_H
#define OMBC_REPORT_CHART_H

#include <stddef.h>

#include "report/result_read.h"

/** Quantile keys above this are not drawn, as in OMB's chart script. */
#define OMBC_CHART_MAX_PERCENTILE 99.999

/**
 * @brief Where percentile p (0..100) sits on the quantile charts' x axis:
 * log10(1 / (1 - p/100)), so 0 -> 0, 90 -> 1, 99 -> 2, 99.9 -> 3.
 * @return that; INFINITY for p >= 100; NAN for p < 0 or NaN.
 */
double ombc_chart_percentile_x(double p);

/**
 * @brief The series name of each result: "workload · driver", with the
 * file's base name (then its path, then its position) added where two
 * results would otherwise share a name.
 * @param names receives n malloc'd strings (free each, then nothing else).
 * @return 0 or OMBC_ENOMEM (nothing left to free).
 */
int ombc_chart_series_names(const struct ombc_result_figures *r, size_t n, char **names);

/**
 * @brief v with thousands separators and `decimals` digits after the point
 * ("12,345.6"); "n/a" when v is not finite.
 */
void ombc_chart_format_number(char *buf, size_t size, double v, int decimals);

/**
 * @brief The report page for results r[0..n-1] (n >= 1).
 * @param title the page heading; NULL for one made from the workload names.
 * @return a malloc'd NUL-terminated HTML document, or NULL when out of memory.
 */
char *ombc_chart_render(const struct ombc_result_figures *r, size_t n, const char *title);

/**
 * @brief Renders the page and writes it to path (through a temporary file
 * renamed into place).
 * @return 0, OMBC_ENOMEM, OMBC_EIO (errstr: "PATH: cannot write: ...").
 */
int ombc_chart_write(const char *path, const struct ombc_result_figures *r, size_t n,
                     const char *title, char *errstr, size_t errstr_size);

#endif
