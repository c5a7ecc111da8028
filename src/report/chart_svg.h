/*
 * chart_svg: one chart of the HTML report as an inline <svg>: the axes
 * (nice linear ticks, or OMB's log10(1/(1-p)) percentile axis), tick labels
 * kept from overlapping, light grid lines, one series per result in the
 * Okabe-Ito palette (colour-blind safe; dash patterns once it repeats), a
 * legend, SVG <title> tooltips, and the data attributes that carry each
 * series' numbers. Which charts a page has, and the page around them, are
 * report/chart's. Stateless; any thread.
 */
#ifndef OMBC_REPORT_CHART_SVG_H
#define OMBC_REPORT_CHART_SVG_H

#include <stdbool.h>
#include <stddef.h>

#include "report/html.h"
#include "report/result_read.h"

/** What one chart draws. */
struct ombc_chart_spec {
    const char *id;      /**< the <svg>'s id is "chart-" id */
    const char *title;   /**< markup */
    const char *y_label; /**< markup, with the unit */
    const char *unit;    /**< markup, in tooltips */
    bool quantile;       /**< a quantile map (else a per-period list) */
    int kind;            /**< enum ombc_quantile_kind or ombc_period_kind */
    int decimals;        /**< of values in tooltips */
    bool integral;       /**< y ticks at whole numbers only */
};

/**
 * @brief Appends the <svg> of chart c for results r[0..n-1], series s named
 * names[s] and coloured as ombc_chart_svg_swatch(s); x_label is text.
 * Each series is a <g class="series" data-series=NAME data-count=N
 * data-x="..." data-values="...">, its numbers exact (NaN as "NaN"): for a
 * quantile chart the percentiles up to OMBC_CHART_MAX_PERCENTILE and their
 * values; over time the elapsed seconds at each period's end, (i + 1) x the
 * result's period length, and the list's values. The <svg> carries
 * data-plot (x y width height of the plot area, px), data-x-range and
 * data-y-range (axis units; for the percentile axis log10(1/(1-p))).
 * @return 0 or OMBC_ENOMEM.
 */
int ombc_chart_svg(struct ombc_buf *h, const struct ombc_chart_spec *c,
                   const struct ombc_result_figures *r, char *const *names, size_t n,
                   const char *x_label);

/** @brief Appends a small inline <svg> of series s's line, for tables. */
void ombc_chart_svg_swatch(struct ombc_buf *h, size_t s);

/** @brief Appends name escaped, cut with an ellipsis past 72 characters. */
void ombc_chart_svg_name(struct ombc_buf *h, const char *name);

#endif
