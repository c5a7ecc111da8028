/*
 * chart_svg: draws one chart of the HTML report as inline SVG markup.
 * Owns the chart's geometry (a 640 px wide card: title, plot area, axis
 * labels, legend rows below), the scales (nice 1-2-2.5-5 linear ticks, the
 * percentile axis at OMB's log10(1/(1-p))), tick labels skipped where they
 * would overlap (widths estimated for DejaVu Sans at 12 px), the palette
 * and dash patterns, tooltips, and the exact numbers written into each
 * series' data attributes. Every string from a result is escaped here or
 * by the caller through report/html. Stateless; any thread.
 */
#include "report/chart_svg.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "report/chart.h"

/* ---- numbers ---- */

/* v exactly enough to read back the same double; Jackson's names for the
 * non-finite ones. */
static void fmt_exact(char *buf, size_t size, double v) {
    if (isnan(v)) {
        snprintf(buf, size, "NaN");
    } else if (isinf(v)) {
        snprintf(buf, size, "%s", v < 0 ? "-Infinity" : "Infinity");
    } else {
        snprintf(buf, size, "%.15g", v);
        if (strtod(buf, NULL) != v)
            snprintf(buf, size, "%.17g", v);
    }
}

/* The step of about `target` ticks over range: 1, 2, 2.5 or 5 x 10^k
 * (2.5 only when quarter steps read well: not for seconds). */
static double nice_step_of(double range, int target, bool quarters) {
    if (!(range > 0))
        range = 1;
    if (target < 1)
        target = 1;
    double raw = range / target;
    double mag = pow(10, floor(log10(raw)));
    double norm = raw / mag;
    double step = norm <= 1                 ? 1
                  : norm <= 2               ? 2
                  : norm <= 2.5 && quarters ? 2.5
                  : norm <= 5               ? 5
                                            : 10;
    return step * mag;
}

static double nice_step(double range, int target) {
    return nice_step_of(range, target, true);
}

/* A tick label: k/M suffixes on large axes, as many decimals as the step needs. */
static void tick_label(char *buf, size_t size, double v, double step, double axis_max) {
    double scale = 1;
    const char *suffix = "";
    if (axis_max >= 1e6) {
        scale = 1e6;
        suffix = "M";
    } else if (axis_max >= 1e4) {
        scale = 1e3;
        suffix = "k";
    }
    double s = step / scale;
    int d = 0;
    while (d < 6 && fabs(s * pow(10, d) - round(s * pow(10, d))) > 1e-6 * pow(10, d))
        d++;
    if (fabs(v) < step * 1e-9)
        snprintf(buf, size, "0");
    else
        snprintf(buf, size, "%.*f%s", d, v / scale, suffix);
}

/* ---- colours ---- */

/* Okabe & Ito's palette, darkest first for a white background; yellow last. */
static const char *const PALETTE[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                      "#E69F00", "#56B4E9", "#000000", "#F0E442"};
#define NPALETTE (sizeof(PALETTE) / sizeof(PALETTE[0]))
static const char *const DASHES[] = {"", "7 4", "2 3", "9 3 2 3"};
#define NDASHES (sizeof(DASHES) / sizeof(DASHES[0]))

static const char *colour_of(size_t i) {
    return PALETTE[i % NPALETTE];
}

static const char *dash_of(size_t i) {
    return DASHES[(i / NPALETTE) % NDASHES];
}

/* Layout of every chart, in px. */
#define CW 640.0        /* width */
#define PLOT_TOP 44.0   /* title above */
#define PLOT_H 236.0    /* plot height */
#define RIGHT 26.0      /* room for the last x label */
#define LEGEND_ROW 20.0 /* legend line height */
#define CHAR_W 7.4      /* estimated width of a 12 px character (DejaVu Sans digits: 7.6) */
#define NAME_CHAR_W 6.6 /* the same for names (DejaVu Sans averages 0.55 em) */
#define NAME_MAX_CHARS 72

/* What a series draws: data_x as written in data-x (percentile or elapsed
 * seconds), axis_x its position on the axis scale, y the value. */
struct points {
    double *data_x, *axis_x, *y;
    size_t n;
    double step; /* over time: the period length (a lone point spans it); else 0 */
};

static void points_fini(struct points *p) {
    free(p->data_x);
    free(p->axis_x);
    free(p->y);
}

static int points_of(const struct ombc_chart_spec *c, const struct ombc_result_figures *f,
                     struct points *p) {
    memset(p, 0, sizeof(*p));
    size_t cap = c->quantile ? f->quantiles[c->kind].n : f->period[c->kind].n;
    if (cap == 0)
        return 0;
    p->data_x = malloc(cap * sizeof(double));
    p->axis_x = malloc(cap * sizeof(double));
    p->y = malloc(cap * sizeof(double));
    if (!p->data_x || !p->axis_x || !p->y) {
        points_fini(p);
        return OMBC_ENOMEM;
    }
    if (c->quantile) {
        const struct ombc_quantile_list *q = &f->quantiles[c->kind];
        for (size_t i = 0; i < q->n; i++) {
            if (!(q->pct[i] <= OMBC_CHART_MAX_PERCENTILE))
                continue;
            p->data_x[p->n] = q->pct[i];
            p->axis_x[p->n] = ombc_chart_percentile_x(q->pct[i]);
            p->y[p->n++] = q->value[i];
        }
    } else {
        const struct ombc_number_list *l = &f->period[c->kind];
        for (size_t i = 0; i < l->n; i++) {
            p->data_x[p->n] = p->axis_x[p->n] = (double)(i + 1) * f->interval_s;
            p->step = f->interval_s;
            p->y[p->n++] = l->v[i];
        }
    }
    return 0;
}

/* Plot area and the ranges it shows. */
struct frame {
    double x0, y0, w, h;
    double xmin, xmax, ymin, ymax, ystep, xstep;
};

/* A point the axes can place: finite, and not so large that the range
 * around it overflows. */
static bool drawable(const struct points *p, size_t i) {
    return isfinite(p->axis_x[i]) && isfinite(p->y[i]) && fabs(p->y[i]) <= 1e300;
}

/* Coordinates far outside the card are clipped anyway: keep them short. */
static double clamp_px(double v) {
    return v < -1e5 ? -1e5 : v > 1e5 ? 1e5 : v;
}

static double px_x(const struct frame *f, double x) {
    return clamp_px(f->x0 + (x - f->xmin) / (f->xmax - f->xmin) * f->w);
}

static double px_y(const struct frame *f, double y) {
    return clamp_px(f->y0 + f->h - (y - f->ymin) / (f->ymax - f->ymin) * f->h);
}

static const double PCT_TICKS[] = {0, 50, 90, 99, 99.9, 99.99, 99.999};
#define NPCT_TICKS (sizeof(PCT_TICKS) / sizeof(PCT_TICKS[0]))

/* Ranges and ticks from the finite points of every series. */
static void frame_of(struct frame *fr, const struct ombc_chart_spec *c, const struct points *pts,
                     size_t n) {
    double xmax = 0, ylo = 0, yhi = 0;
    bool any = false;
    for (size_t s = 0; s < n; s++) {
        for (size_t i = 0; i < pts[s].n; i++) {
            if (!drawable(&pts[s], i))
                continue;
            any = true;
            if (pts[s].axis_x[i] > xmax)
                xmax = pts[s].axis_x[i];
            if (pts[s].y[i] > yhi)
                yhi = pts[s].y[i];
            if (pts[s].y[i] < ylo)
                ylo = pts[s].y[i];
        }
    }
    fr->ystep = nice_step((yhi > ylo ? yhi - ylo : 1) * 1.05, 5);
    if (c->integral && fr->ystep < 1)
        fr->ystep = 1;
    fr->ymin = floor(ylo / fr->ystep) * fr->ystep;
    fr->ymax = ceil((yhi > ylo ? ylo + (yhi - ylo) * 1.05 : ylo + 1) / fr->ystep) * fr->ystep;
    if (fr->ymax <= fr->ymin)
        fr->ymax = fr->ymin + fr->ystep;
    if (c->quantile) {
        fr->xmin = 0;
        fr->xmax = any ? fmax(1, ceil(xmax - 1e-9)) : 3;
        fr->xstep = 1;
    } else {
        fr->xmin = 0;
        if (!any || xmax <= 0)
            xmax = 10;
        fr->xstep = nice_step_of(xmax, 8, false);
        fr->xmax = ceil(xmax / fr->xstep - 1e-9) * fr->xstep;
    }
    /* The left margin fits the widest y label. */
    double widest = 0;
    for (double v = fr->ymin; v <= fr->ymax + fr->ystep * 1e-6; v += fr->ystep) {
        char label[48];
        tick_label(label, sizeof(label), v, fr->ystep, fmax(fabs(fr->ymin), fabs(fr->ymax)));
        widest = fmax(widest, (double)strlen(label) * CHAR_W);
    }
    fr->x0 = fmax(58, 34 + widest + 8);
    fr->y0 = PLOT_TOP;
    fr->w = CW - fr->x0 - RIGHT;
    fr->h = PLOT_H;
}

static void x_axis(struct ombc_buf *b, const struct frame *fr, const struct ombc_chart_spec *c) {
    double bottom = fr->y0 + fr->h, last_right = -1e9;
    size_t nticks = c->quantile ? NPCT_TICKS : (size_t)(fr->xmax / fr->xstep + 1.5);
    ombc_buf_puts(b, "<g class=\"x-ticks\" text-anchor=\"middle\" fill=\"#57606a\">");
    for (size_t i = 0; i < nticks; i++) {
        double x =
            c->quantile ? ombc_chart_percentile_x(PCT_TICKS[i]) : fr->xmin + fr->xstep * (double)i;
        if (x > fr->xmax + 1e-9)
            break;
        char label[48];
        if (c->quantile)
            snprintf(label, sizeof(label), "%g", PCT_TICKS[i]);
        else
            tick_label(label, sizeof(label), x, fr->xstep, fr->xmax);
        double px = px_x(fr, x), half = (double)strlen(label) * CHAR_W / 2;
        ombc_buf_printf(
            b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e6e9ee\"/>", px,
            fr->y0, px, bottom);
        if (px - half < last_right + 8)
            continue; /* would overlap the label before it */
        last_right = px + half;
        ombc_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\">", px, bottom + 18);
        ombc_html_esc(b, label);
        ombc_buf_puts(b, "</text>");
    }
    ombc_buf_puts(b, "</g>\n");
}

static void y_axis(struct ombc_buf *b, const struct frame *fr) {
    ombc_buf_puts(b, "<g class=\"y-ticks\" text-anchor=\"end\" fill=\"#57606a\">");
    double axis_max = fmax(fabs(fr->ymin), fabs(fr->ymax));
    double last_top = 1e9;
    for (int i = 0;; i++) {
        double v = fr->ymin + fr->ystep * i;
        if (v > fr->ymax + fr->ystep * 1e-6)
            break;
        double py = px_y(fr, v);
        char label[48];
        tick_label(label, sizeof(label), v, fr->ystep, axis_max);
        ombc_buf_printf(
            b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e6e9ee\"/>", fr->x0,
            py, fr->x0 + fr->w, py);
        if (py + 6 > last_top - 4)
            continue;
        last_top = py - 6;
        ombc_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\">", fr->x0 - 8, py + 4);
        ombc_html_esc(b, label);
        ombc_buf_puts(b, "</text>");
    }
    ombc_buf_puts(b, "</g>\n");
}

/* Characters (not bytes) of UTF-8 text s. */
static size_t utf8_chars(const char *s) {
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* Legend entries flow left to right, wrapping; positions per series. */
static double legend_layout(char *const *names, size_t n, double x0, double *lx, double *ly) {
    double x = x0, row = 0;
    for (size_t s = 0; s < n; s++) {
        size_t chars = utf8_chars(names[s]) + 10; /* room for " (no data)" */
        if (chars > NAME_MAX_CHARS)
            chars = NAME_MAX_CHARS;
        double w = 30 + (double)chars * NAME_CHAR_W + 22;
        if (x > x0 && x + w > CW - 10) {
            x = x0;
            row++;
        }
        lx[s] = x;
        ly[s] = row * LEGEND_ROW;
        x += w;
    }
    return n ? (row + 1) * LEGEND_ROW : 0;
}

/* name, cut to NAME_MAX_CHARS characters (UTF-8 aware) with an ellipsis. */
void ombc_chart_svg_name(struct ombc_buf *b, const char *name) {
    if (utf8_chars(name) <= NAME_MAX_CHARS) {
        ombc_html_esc(b, name);
        return;
    }
    size_t chars = 0, cut = 0;
    for (; name[cut]; cut++) {
        if (((unsigned char)name[cut] & 0xC0) != 0x80 && chars++ == NAME_MAX_CHARS - 1)
            break; /* at the first byte of the last character kept out */
    }
    ombc_html_escn(b, name, cut);
    ombc_buf_puts(b, "\xE2\x80\xA6");
}

static void stroke_attrs(struct ombc_buf *b, size_t s) {
    ombc_buf_printf(b, " stroke=\"%s\"", colour_of(s));
    if (*dash_of(s))
        ombc_buf_printf(b, " stroke-dasharray=\"%s\"", dash_of(s));
}

static void series_markers(struct ombc_buf *b, const struct frame *fr,
                           const struct ombc_chart_spec *c, const struct points *p, size_t s,
                           const char *name) {
    char vbuf[64], xbuf[64];
    if (c->quantile) {
        /* A marker at the first key at or above each labelled percentile. */
        size_t last = (size_t)-1;
        for (size_t t = 1; t < NPCT_TICKS; t++) {
            size_t i = 0;
            while (i < p->n && p->data_x[i] < PCT_TICKS[t])
                i++;
            if (i == p->n || i == last || !drawable(p, i))
                continue;
            last = i;
            ombc_chart_format_number(vbuf, sizeof(vbuf), p->y[i], c->decimals);
            ombc_buf_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"><title>",
                             px_x(fr, p->axis_x[i]), px_y(fr, p->y[i]), colour_of(s));
            ombc_html_esc(b, name);
            ombc_buf_printf(b, "&#10;%.10g%% at or below %s %s</title></circle>", p->data_x[i],
                             vbuf, c->unit);
        }
        return;
    }
    if (p->n > 240)
        return; /* too dense to point at */
    for (size_t i = 0; i < p->n; i++) {
        if (!drawable(p, i))
            continue;
        ombc_chart_format_number(vbuf, sizeof(vbuf), p->y[i], c->decimals);
        ombc_chart_format_number(xbuf, sizeof(xbuf), p->data_x[i], 1);
        ombc_buf_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"><title>",
                         px_x(fr, p->axis_x[i]), px_y(fr, p->y[i]), colour_of(s));
        ombc_html_esc(b, name);
        ombc_buf_printf(b, "&#10;%s s: %s %s</title></circle>", xbuf, vbuf, c->unit);
    }
}

static void series(struct ombc_buf *b, const struct frame *fr, const struct ombc_chart_spec *c,
                   const struct points *p, size_t s, const char *name) {
    char num[64];
    ombc_buf_puts(b, "<g class=\"series\" data-series=\"");
    ombc_html_esc(b, name);
    ombc_buf_printf(b, "\" data-count=\"%zu\" data-x=\"", p->n);
    for (size_t i = 0; i < p->n; i++) {
        fmt_exact(num, sizeof(num), p->data_x[i]);
        ombc_buf_printf(b, "%s%s", i ? " " : "", num);
    }
    ombc_buf_puts(b, "\" data-values=\"");
    for (size_t i = 0; i < p->n; i++) {
        fmt_exact(num, sizeof(num), p->y[i]);
        ombc_buf_printf(b, "%s%s", i ? " " : "", num);
    }
    ombc_buf_puts(b, "\"><title>");
    ombc_html_esc(b, name);
    ombc_buf_puts(b, "</title>\n");
    /* One polyline per run of drawable points: a NaN breaks the line. */
    size_t i = 0;
    while (i < p->n) {
        while (i < p->n && !drawable(p, i))
            i++;
        if (i == p->n)
            break;
        ombc_buf_printf(b,
                         "<polyline clip-path=\"url(#clip-%s)\" fill=\"none\" stroke-width=\"2\" "
                         "stroke-linejoin=\"round\" stroke-linecap=\"round\"",
                         c->id);
        stroke_attrs(b, s);
        ombc_buf_puts(b, " points=\"");
        /* A period alone (a one-period run, or one between gaps) would be a
         * line of one point, invisible: draw it across its period, from
         * the period's start to its end, as the value it held. */
        if (p->step > 0 && (i + 1 == p->n || !drawable(p, i + 1)))
            ombc_buf_printf(b, "%.2f,%.2f ", px_x(fr, p->axis_x[i] - p->step),
                             px_y(fr, p->y[i]));
        for (bool first = true; i < p->n && drawable(p, i); i++, first = false)
            ombc_buf_printf(b, "%s%.2f,%.2f", first ? "" : " ", px_x(fr, p->axis_x[i]),
                             px_y(fr, p->y[i]));
        ombc_buf_puts(b, "\"/>\n");
    }
    series_markers(b, fr, c, p, s, name);
    ombc_buf_puts(b, "</g>\n");
}

int ombc_chart_svg(struct ombc_buf *b, const struct ombc_chart_spec *c,
                   const struct ombc_result_figures *r, char *const *names, size_t n,
                   const char *x_label) {
    struct points *pts = calloc(n, sizeof(*pts));
    double *lx = calloc(n, sizeof(double)), *ly = calloc(n, sizeof(double));
    int rc = pts && lx && ly ? 0 : OMBC_ENOMEM;
    for (size_t s = 0; rc == 0 && s < n; s++)
        rc = points_of(c, &r[s], &pts[s]);
    if (rc != 0)
        goto out;

    struct frame fr;
    frame_of(&fr, c, pts, n);
    double bottom = fr.y0 + fr.h;
    double legend_top = bottom + 62;
    double height = legend_top + legend_layout(names, n, fr.x0, lx, ly) + 8;

    ombc_buf_printf(b,
                     "<svg id=\"chart-%s\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" "
                     "width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
                     "aria-labelledby=\"chart-%s-title\" font-size=\"12\" "
                     "data-x-scale=\"%s\" data-plot=\"%.3f %.3f %.3f %.3f\" "
                     "data-x-range=\"%.17g %.17g\" data-y-range=\"%.17g %.17g\">\n",
                     c->id, CW, height, CW, height, c->id,
                     c->quantile ? "log-percentile" : "linear", fr.x0, fr.y0, fr.w, fr.h, fr.xmin,
                     fr.xmax, fr.ymin, fr.ymax);
    ombc_buf_printf(b, "<title id=\"chart-%s-title\">%s</title>\n", c->id, c->title);
    ombc_buf_printf(b,
                     "<defs><clipPath id=\"clip-%s\"><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                     "height=\"%.1f\"/></clipPath></defs>\n",
                     c->id, fr.x0 - 4, fr.y0 - 4, fr.w + 8, fr.h + 8);
    ombc_buf_printf(b,
                     "<text class=\"chart-title\" x=\"%.1f\" y=\"26\" text-anchor=\"middle\" "
                     "font-size=\"15\" font-weight=\"600\" fill=\"#1f2328\">%s</text>\n",
                     CW / 2, c->title);
    y_axis(b, &fr);
    x_axis(b, &fr, c);
    ombc_buf_printf(b, "<path d=\"M%.1f %.1fV%.1fH%.1f\" fill=\"none\" stroke=\"#8c959f\"/>\n",
                     fr.x0, fr.y0, bottom, fr.x0 + fr.w);
    ombc_buf_printf(b,
                     "<text class=\"y-label\" transform=\"translate(18 %.1f) rotate(-90)\" "
                     "text-anchor=\"middle\" fill=\"#1f2328\">%s</text>\n",
                     fr.y0 + fr.h / 2, c->y_label);
    ombc_buf_printf(b,
                     "<text class=\"x-label\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
                     "fill=\"#1f2328\">",
                     fr.x0 + fr.w / 2, bottom + 40);
    ombc_html_esc(b, x_label);
    ombc_buf_puts(b, "</text>\n");

    bool any = false;
    for (size_t s = 0; s < n; s++) {
        for (size_t i = 0; i < pts[s].n && !any; i++)
            any = drawable(&pts[s], i);
        series(b, &fr, c, &pts[s], s, names[s]);
    }
    if (!any)
        ombc_buf_printf(b,
                         "<text class=\"no-data\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
                         "font-size=\"14\" fill=\"#8c959f\">No data in %s</text>\n",
                         fr.x0 + fr.w / 2, fr.y0 + fr.h / 2,
                         n == 1 ? "this result" : "these results");

    ombc_buf_puts(b, "<g class=\"legend\">\n");
    for (size_t s = 0; s < n; s++) {
        bool has = false;
        for (size_t i = 0; i < pts[s].n && !has; i++)
            has = drawable(&pts[s], i);
        ombc_buf_printf(
            b,
            "<g transform=\"translate(%.1f %.1f)\"%s><line x1=\"0\" y1=\"0\" x2=\"24\" "
            "y2=\"0\" stroke-width=\"3\"",
            lx[s], legend_top + ly[s], has ? "" : " opacity=\"0.4\"");
        stroke_attrs(b, s);
        ombc_buf_puts(b, "/><text x=\"30\" y=\"4\" fill=\"#1f2328\">");
        ombc_chart_svg_name(b, names[s]);
        if (!has)
            ombc_buf_puts(b, " (no data)");
        ombc_buf_puts(b, "<title>");
        ombc_html_esc(b, names[s]);
        ombc_buf_puts(b, "</title></text></g>\n");
    }
    ombc_buf_puts(b, "</g>\n</svg>\n");
out:
    for (size_t s = 0; pts && s < n; s++)
        points_fini(&pts[s]);
    free(pts);
    free(lx);
    free(ly);
    return rc;
}

void ombc_chart_svg_swatch(struct ombc_buf *b, size_t s) {
    ombc_buf_puts(b, "<svg class=\"swatch\" width=\"24\" height=\"8\" aria-hidden=\"true\">"
                      "<line x1=\"1\" y1=\"4\" x2=\"23\" y2=\"4\" stroke-width=\"3\"");
    stroke_attrs(b, s);
    ombc_buf_puts(b, "/></svg>");
}
