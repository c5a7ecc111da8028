/*
 * report: the only module that turns results into text. Owns OMB's period
 * and aggregated log lines (OMB-REFERENCE.md 3.3) with Java DecimalFormat
 * "0.0" numbers, Java Double.toString, and the TestResult JSON (5.1, 5.2) in
 * Jackson's default pretty-printed layout (4.2), written to a file through a
 * temporary file and rename; ombc's extensions (publish response time, agent
 * restarts, ...) follow OMB's fields, so OMB's tooling reads the file. The
 * figures come from result.c / the caller; logging the lines is the caller's
 * job. Stateless, callable from any thread (the C locale's number formatting
 * is assumed for the digits only; the separators written are always '.').
 */
#include "stats/report.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/json.h"

/* ---- shortest round-trip digits ---- */

/* Whether sig x 10^e reads back as v (no decimal point in the text, so
 * strtod's locale does not matter). */
static bool reads_back(int64_t sig, int e, double v) {
    char s[48];
    snprintf(s, sizeof(s), "%" PRId64 "e%d", sig, e);
    return strtod(s, NULL) == v;
}

/* The shortest decimal that reads back as v (v finite, > 0), as Java 19+
 * Double.toString selects it: digits dig[0..n) without trailing zeros and
 * exp10 such that v = 0.dig x 10^exp10; returns n. Like Java, lengths below
 * two are not tried on their own, so a one-digit result is the closest of
 * the two-digit candidates (Double.MIN_VALUE gives 4.9E-324). For each
 * length p, "%.*e" gives the closest p-digit decimal (ties to even); next to
 * a power of two the rounding interval is lopsided, so a neighbour may read
 * back where the closest does not. 17 digits always read back. */
static int shortest_digits(double v, char *dig, int *exp10) {
    static const int64_t delta[3] = {0, -1, 1};
    int64_t sig = 0;
    int e = 0, n;
    bool found = false;

    for (int p = 2; p <= 17 && !found; p++) {
        char s[64];
        const char *c = s;
        int64_t cand = 0;

        snprintf(s, sizeof(s), "%.*e", p - 1, v);
        for (; *c && *c != 'e'; c++) {
            if (*c >= '0' && *c <= '9') {
                cand = cand * 10 + (*c - '0');
            }
        }
        e = (int)strtol(*c ? c + 1 : c, NULL, 10) - (p - 1);
        sig = cand;
        for (int k = 0; k < 3 && !found; k++) {
            if (reads_back(cand + delta[k], e, v)) {
                sig = cand + delta[k];
                found = true;
            }
        }
    }
    while (sig != 0 && sig % 10 == 0) {
        sig /= 10;
        e++;
    }
    n = snprintf(dig, 24, "%" PRId64, sig);
    *exp10 = e + n;
    return n;
}

/* Left-pads src (len characters) to width into buf. */
static void pad_into(char *buf, size_t size, const char *src, int len, int width) {
    int padn = width > len ? width - len : 0;
    snprintf(buf, size, "%*s%s", padn, "", src);
}

/* Plain notation of 0.dig x 10^x (n digits) with at least one fraction
 * digit: "0.00123", "12.5", "1200.0". out holds at least x + n + 4 bytes. */
static void plain_digits(char *out, const char *dig, int n, int x) {
    char *o = out;

    if (x <= 0) {
        *o++ = '0';
        *o++ = '.';
        for (int i = 0; i < -x; i++) {
            *o++ = '0';
        }
        memcpy(o, dig, (size_t)n);
        o += n;
    } else if (x < n) {
        memcpy(o, dig, (size_t)x);
        o += x;
        *o++ = '.';
        memcpy(o, dig + x, (size_t)(n - x));
        o += n - x;
    } else {
        memcpy(o, dig, (size_t)n);
        o += n;
        for (int i = 0; i < x - n; i++) {
            *o++ = '0';
        }
        *o++ = '.';
        *o++ = '0';
    }
    *o = '\0';
}

void ombc_format_java_double(char *buf, size_t size, double v) {
    char dig[24], out[64];
    const char *sign = signbit(v) ? "-" : "";
    double a = fabs(v);
    int n, x;

    if (isnan(v)) {
        snprintf(buf, size, "NaN");
        return;
    }
    if (isinf(v)) {
        snprintf(buf, size, "%sInfinity", sign);
        return;
    }
    if (a == 0.0) {
        snprintf(buf, size, "%s0.0", sign);
        return;
    }
    n = shortest_digits(a, dig, &x);
    if (a >= 1e-3 && a < 1e7) {
        plain_digits(out, dig, n, x); /* -2 <= x <= 7: fits */
    } else {
        snprintf(out, sizeof(out), "%c.%sE%d", dig[0], n > 1 ? dig + 1 : "0", x - 1);
    }
    snprintf(buf, size, "%s%s", sign, out);
}

/* ---- DecimalFormat("0.0"), HALF_EVEN, padded ---- */

/* DecimalFormat works on the shortest digits of v; when they have at most
 * one fraction digit it prints them as they are (so huge values show the
 * shortest digits followed by zeros, 1e20 -> "100000000000000000000.0"),
 * otherwise it rounds half-even on the exact binary value (JDK 8+), which is
 * what glibc's correctly rounded "%.1f" does. a is finite and >= 0; out holds
 * at least 340 bytes. */
static void decimal1_abs(char *out, size_t size, double a) {
    char dig[24];
    int n, x;
    char *w;
    bool dot = false;

    if (a == 0.0) {
        snprintf(out, size, "0.0");
        return;
    }
    n = shortest_digits(a, dig, &x);
    if (n - x <= 1) {
        plain_digits(out, dig, n, x);
        return;
    }
    snprintf(out, size, "%.1f", a);
    /* Keep the digits and one '.', whatever the locale's separator is. */
    w = out;
    for (const char *r = out; *r; r++) {
        if (*r >= '0' && *r <= '9') {
            *w++ = *r;
        } else if (!dot) {
            *w++ = '.';
            dot = true;
        }
    }
    *w = '\0';
}

void ombc_format_decimal1(char *buf, size_t size, double v, int width) {
    char num[400], out[402];
    int len;

    if (isnan(v)) {
        pad_into(buf, size, "NaN", 3, width);
        return;
    }
    if (isinf(v)) {
        /* DecimalFormatSymbols' infinity is U+221E, one Java char */
        pad_into(buf, size, v < 0 ? "-\xE2\x88\x9E" : "\xE2\x88\x9E", v < 0 ? 2 : 1, width);
        return;
    }
    decimal1_abs(num, sizeof(num), fabs(v));
    len = snprintf(out, sizeof(out), "%s%s", signbit(v) ? "-" : "", num);
    pad_into(buf, size, out, len, width);
}

/* DecimalFormat("0.0").format(long): exact digits and ".0". */
static void format_long1(char *buf, size_t size, int64_t v, int width) {
    char out[32];
    int len = snprintf(out, sizeof(out), "%" PRId64 ".0", v);
    pad_into(buf, size, out, len, width);
}

/* ---- log lines ---- */

struct line {
    char *buf;
    size_t size;
    size_t len;
};

static void line_puts(struct line *l, const char *s) {
    size_t n = strlen(s);
    if (l->size == 0) {
        return;
    }
    if (l->len + n >= l->size) {
        n = l->size - 1 - l->len;
    }
    memcpy(l->buf + l->len, s, n);
    l->len += n;
    l->buf[l->len] = '\0';
}

static void line_dbl(struct line *l, const char *before, double v, int width) {
    char num[420];
    line_puts(l, before);
    ombc_format_decimal1(num, sizeof(num), v, width);
    line_puts(l, num);
}

static void line_long(struct line *l, const char *before, int64_t v, int width) {
    char num[64];
    line_puts(l, before);
    format_long1(num, sizeof(num), v, width);
    line_puts(l, num);
}

void ombc_report_period_line(char *buf, size_t size, const struct ombc_period_figures *f) {
    struct line l = {buf, size, 0};
    const struct ombc_latency_stats *pl = &f->publish_latency, *pd = &f->publish_delay;

    if (size == 0) {
        return;
    }
    buf[0] = '\0';
    line_dbl(&l, "Pub rate ", f->publish_rate, 7);
    line_dbl(&l, " msg/s / ", f->publish_mib_s, 4);
    line_dbl(&l, " MB/s | Pub err ", f->error_rate, 7);
    line_dbl(&l, " err/s | Cons rate ", f->consume_rate, 7);
    line_dbl(&l, " msg/s / ", f->consume_mib_s, 4);
    line_dbl(&l, " MB/s | Backlog: ", (double)f->backlog / 1000.0, 4);
    line_dbl(&l, " K | Pub Latency (ms) avg: ", pl->avg / 1000.0, 4);
    line_dbl(&l, " - 50%: ", (double)pl->p50 / 1000.0, 4);
    line_dbl(&l, " - 99%: ", (double)pl->p99 / 1000.0, 4);
    line_dbl(&l, " - 99.9%: ", (double)pl->p999 / 1000.0, 4);
    line_dbl(&l, " - Max: ", (double)pl->max / 1000.0, 4);
    line_dbl(&l, " | Pub Delay Latency (us) avg: ", pd->avg, 4);
    line_long(&l, " - 50%: ", pd->p50, 4);
    line_long(&l, " - 99%: ", pd->p99, 4);
    line_long(&l, " - 99.9%: ", pd->p999, 4);
    line_long(&l, " - Max: ", pd->max, 4);
}

void ombc_report_aggregated_line(char *buf, size_t size,
                                 const struct ombc_latency_stats *publish_latency,
                                 const struct ombc_latency_stats *publish_delay) {
    struct line l = {buf, size, 0};
    const struct ombc_latency_stats *pl = publish_latency, *pd = publish_delay;

    if (size == 0) {
        return;
    }
    buf[0] = '\0';
    line_dbl(&l, "----- Aggregated Pub Latency (ms) avg: ", pl->avg / 1000.0, 4);
    line_dbl(&l, " - 50%: ", (double)pl->p50 / 1000.0, 4);
    line_dbl(&l, " - 95%: ", (double)pl->p95 / 1000.0, 4);
    line_dbl(&l, " - 99%: ", (double)pl->p99 / 1000.0, 4);
    line_dbl(&l, " - 99.9%: ", (double)pl->p999 / 1000.0, 4);
    line_dbl(&l, " - 99.99%: ", (double)pl->p9999 / 1000.0, 4);
    line_dbl(&l, " - Max: ", (double)pl->max / 1000.0, 4);
    line_dbl(&l, " | Pub Delay (us)  avg: ", pd->avg, 4);
    line_long(&l, " - 50%: ", pd->p50, 4);
    line_long(&l, " - 95%: ", pd->p95, 4);
    line_long(&l, " - 99%: ", pd->p99, 4);
    line_long(&l, " - 99.9%: ", pd->p999, 4);
    line_long(&l, " - 99.99%: ", pd->p9999, 4);
    line_long(&l, " - Max: ", pd->max, 4);
}

/* ---- the shortfall warning ---- */

#define SHORTFALL_HIGH_LATENCY_US 100000.0 /* a broker or client queue, not the network */
#define SHORTFALL_HIGH_DELAY_US 10000.0    /* sends 10 ms behind their schedule */
#define SHORTFALL_GROWTH 1.5               /* x the previous period's average ... */
#define SHORTFALL_GROWTH_MIN_US 1000.0     /* ... and at least 1 ms more */

/* Whether now's average is high, or grew from prev's. */
static bool rising(const struct ombc_latency_stats *now, const struct ombc_latency_stats *prev,
                   double high_us, bool *grew) {
    *grew = prev && ombc_latency_present(prev) && ombc_latency_present(now) &&
            now->avg > SHORTFALL_GROWTH * prev->avg &&
            now->avg - prev->avg >= SHORTFALL_GROWTH_MIN_US;
    return *grew || (ombc_latency_present(now) && now->avg >= high_us);
}

enum ombc_shortfall_cause ombc_report_shortfall(char *buf, size_t size, double target,
                                                const struct ombc_period_figures *f,
                                                const struct ombc_latency_stats *prev_latency,
                                                const struct ombc_latency_stats *prev_delay) {
    const struct ombc_latency_stats *pl = &f->publish_latency, *pd = &f->publish_delay;
    char head[160], lat[64], del[64];
    snprintf(head, sizeof(head), "Published %.1f msg/s, %.1f%% below the %.1f msg/s asked",
             f->publish_rate, 100.0 * (1.0 - f->publish_rate / target), target);
    if (ombc_latency_present(pl))
        snprintf(lat, sizeof(lat), "avg %.3f ms", pl->avg / 1000.0);
    else
        snprintf(lat, sizeof(lat), "no samples");
    if (ombc_latency_present(pd))
        snprintf(del, sizeof(del), "avg %.0f us", pd->avg);
    else
        snprintf(del, sizeof(del), "no samples");
    bool lat_grew, del_grew;
    if (f->error_rate > 0) {
        snprintf(buf, size, "%s: %.1f sends/s failed (errors: see the client's messages)", head,
                 f->error_rate);
        return OMBC_SHORTFALL_ERRORS;
    }
    if (rising(pl, prev_latency, SHORTFALL_HIGH_LATENCY_US, &lat_grew)) {
        if (lat_grew)
            snprintf(buf, size, "%s: publish latency growing (%s, was %.3f ms): the broker or "
                     "the client's queue is the limit", head, lat, prev_latency->avg / 1000.0);
        else
            snprintf(buf, size, "%s: publish latency high (%s): the broker or the client's "
                     "queue is the limit", head, lat);
        return OMBC_SHORTFALL_QUEUE;
    }
    if (rising(pd, prev_delay, SHORTFALL_HIGH_DELAY_US, &del_grew)) {
        if (del_grew)
            snprintf(buf, size, "%s: publish delay growing (%s, was %.0f us) while publish "
                     "latency is flat (%s): ombc's own CPU is the limit", head, del,
                     prev_delay->avg, lat);
        else
            snprintf(buf, size, "%s: publish delay high (%s) while publish latency is flat "
                     "(%s): ombc's own CPU is the limit", head, del, lat);
        return OMBC_SHORTFALL_CPU;
    }
    snprintf(buf, size, "%s: no errors, publish latency (%s) and delay (%s) flat: the figures "
             "show no cause", head, lat, del);
    return OMBC_SHORTFALL_UNCLEAR;
}

/* ---- the same figures as JSON members, for log events ---- */

static void member_dbl(struct line *l, const char *name, double v) {
    char num[64];
    ombc_format_java_double(num, sizeof(num), v);
    line_puts(l, ",\"");
    line_puts(l, name);
    line_puts(l, "\":");
    line_puts(l, isfinite(v) ? num : "null");
}

/* name + the suffix of each of OMB's figures in the line: ms or us. */
static void member_stats(struct line *l, const char *name, const struct ombc_latency_stats *s,
                         double scale, bool all) {
    const struct {
        const char *suffix;
        double v;
        bool both; /* in the period line too, not only the aggregated one */
    } f[] = {{"Avg", s->avg, true},          {"50pct", (double)s->p50, true},
             {"95pct", (double)s->p95, false}, {"99pct", (double)s->p99, true},
             {"999pct", (double)s->p999, true}, {"9999pct", (double)s->p9999, false},
             {"Max", (double)s->max, true}};
    char key[96];
    for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
        if (!all && !f[i].both)
            continue;
        snprintf(key, sizeof(key), "%s%s", name, f[i].suffix);
        member_dbl(l, key, ombc_latency_present(s) ? f[i].v * scale : NAN); /* absent: null */
    }
}

void ombc_report_period_fields(char *buf, size_t size, const char *phase,
                               const struct ombc_period_figures *f) {
    struct line l = {buf, size, 0};
    if (size == 0)
        return;
    buf[0] = '\0';
    line_puts(&l, "\"phase\":\"");
    line_puts(&l, phase);
    line_puts(&l, "\"");
    member_dbl(&l, "publishRate", f->publish_rate);
    member_dbl(&l, "publishMBs", f->publish_mib_s);
    member_dbl(&l, "publishErrorRate", f->error_rate);
    member_dbl(&l, "consumeRate", f->consume_rate);
    member_dbl(&l, "consumeMBs", f->consume_mib_s);
    member_dbl(&l, "backlog", (double)f->backlog);
    member_stats(&l, "publishLatency", &f->publish_latency, 1e-3, false);
    member_stats(&l, "publishDelayLatency", &f->publish_delay, 1.0, false);
    member_stats(&l, "endToEndLatency", &f->end_to_end, 1e-3, false); /* ombc */
}

void ombc_report_aggregated_fields(char *buf, size_t size, const char *phase,
                                   const struct ombc_latency_stats *publish_latency,
                                   const struct ombc_latency_stats *publish_delay) {
    struct line l = {buf, size, 0};
    if (size == 0)
        return;
    buf[0] = '\0';
    line_puts(&l, "\"phase\":\"");
    line_puts(&l, phase);
    line_puts(&l, "\"");
    member_stats(&l, "publishLatency", publish_latency, 1e-3, true);
    member_stats(&l, "publishDelayLatency", publish_delay, 1.0, true);
}

/* ---- ombc's end-of-run summary ---- */

static double mean_rate(const struct ombc_result *r, bool consume) {
    double sum = 0;
    for (size_t i = 0; i < r->period_count; i++)
        sum += consume ? r->periods[i].consume_rate : r->periods[i].publish_rate;
    return r->period_count ? sum / (double)r->period_count : 0.0;
}

/* " 50%: a - 99%: b - Max: c" in ms (3 decimals) or us, or " -" when the
 * latency has no samples. */
static void summary_stats(struct line *l, const struct ombc_latency_stats *s, bool ms) {
    char num[160];
    if (!ombc_latency_present(s)) {
        line_puts(l, " -");
        return;
    }
    if (ms)
        snprintf(num, sizeof(num), " 50%%: %.3f - 99%%: %.3f - Max: %.3f", (double)s->p50 / 1000.0,
                 (double)s->p99 / 1000.0, (double)s->max / 1000.0);
    else
        snprintf(num, sizeof(num), " 50%%: %" PRId64 " - 99%%: %" PRId64 " - Max: %" PRId64,
                 s->p50, s->p99, s->max);
    line_puts(l, num);
}

const char *ombc_report_verdict_text(enum ombc_consumer_verdict v) {
    switch (v) {
    case OMBC_CONSUMERS_NOTHING:
        return "the consumers received nothing: no end-to-end latency was measured";
    case OMBC_CONSUMERS_FELL_BEHIND:
        return "the consumers fell behind: the backlog was still growing at the end of the test";
    default: return NULL;
    }
}

void ombc_report_summary(char *buf, size_t size, const struct ombc_result *r,
                         bool has_consumers) {
    struct line l = {buf, size, 0};
    char num[160];
    if (size == 0)
        return;
    buf[0] = '\0';
    snprintf(num, sizeof(num), "----- Summary of %zu period%s%s: Pub rate %.1f msg/s | Cons rate ",
             r->period_count, r->period_count == 1 ? "" : "s",
             r->incomplete ? " (incomplete)" : "", mean_rate(r, false));
    line_puts(&l, num);
    if (has_consumers) {
        snprintf(num, sizeof(num), "%.1f msg/s", mean_rate(r, true));
        line_puts(&l, num);
    } else {
        line_puts(&l, "- (no consumers)");
    }
    line_puts(&l, "\n----- Pub Latency (ms)");
    summary_stats(&l, &r->agg_publish_latency, true);
    line_puts(&l, " | Pub Delay (us)");
    summary_stats(&l, &r->agg_publish_delay, false);
    line_puts(&l, "\n----- End-to-end Latency (ms)");
    summary_stats(&l, &r->agg_end_to_end, true);
    if (!has_consumers)
        line_puts(&l, " (no consumers)");
    const char *verdict = ombc_report_verdict_text(r->consumers);
    if (verdict) {
        line_puts(&l, "\n----- FAILED: ");
        line_puts(&l, verdict);
    }
}

/* name + 50pct, 99pct, Max of s, scaled; null when s has no samples. */
static void member_summary_stats(struct line *l, const char *name,
                                 const struct ombc_latency_stats *s, double scale) {
    const struct {
        const char *suffix;
        int64_t v;
    } f[] = {{"50pct", s->p50}, {"99pct", s->p99}, {"Max", s->max}};
    char key[96];
    for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
        snprintf(key, sizeof(key), "%s%s", name, f[i].suffix);
        member_dbl(l, key, ombc_latency_present(s) ? (double)f[i].v * scale : NAN);
    }
}

void ombc_report_summary_fields(char *buf, size_t size, const struct ombc_result *r,
                                bool has_consumers) {
    struct line l = {buf, size, 0};
    if (size == 0)
        return;
    buf[0] = '\0';
    line_puts(&l, "\"periods\":");
    char num[32];
    snprintf(num, sizeof(num), "%zu", r->period_count);
    line_puts(&l, num);
    line_puts(&l, r->incomplete ? ",\"incomplete\":true" : ",\"incomplete\":false");
    member_dbl(&l, "publishRate", mean_rate(r, false));
    member_dbl(&l, "consumeRate", has_consumers ? mean_rate(r, true) : NAN);
    member_summary_stats(&l, "publishLatency", &r->agg_publish_latency, 1e-3);
    member_summary_stats(&l, "publishDelayLatency", &r->agg_publish_delay, 1.0);
    member_summary_stats(&l, "endToEndLatency", &r->agg_end_to_end, 1e-3);
    const char *v = ombc_consumer_verdict_name(r->consumers);
    line_puts(&l, ",\"consumerShortfall\":");
    if (v) {
        line_puts(&l, "\"");
        line_puts(&l, v);
        line_puts(&l, "\"");
    } else {
        line_puts(&l, "null");
    }
}

/* ---- JSON text in Jackson's DefaultPrettyPrinter layout ---- */

/* The text, and where the root object's fields stand. */
struct sb {
    struct ombc_buf text;
    bool first; /* no field written yet in the current object */
};

static void sb_puts(struct sb *b, const char *s) {
    ombc_buf_puts(&b->text, s);
}

/* A JSON string as Jackson escapes it (core/json.h); NULL as null. */
static void sb_string(struct sb *b, const char *s) {
    ombc_json_put_string(&b->text, s);
}

/* A double as Jackson writes it: Double.toString, non-finite as strings. */
static void sb_double(struct sb *b, double v) {
    char num[64];
    ombc_format_java_double(num, sizeof(num), v);
    if (isfinite(v)) {
        sb_puts(b, num);
    } else {
        sb_string(b, num);
    }
}

static void sb_long(struct sb *b, int64_t v) {
    char num[32];
    snprintf(num, sizeof(num), "%" PRId64, v);
    sb_puts(b, num);
}

/* Starts field name in the root object (indent level 1). */
static void field(struct sb *b, const char *name) {
    sb_puts(b, b->first ? "\n  " : ",\n  ");
    b->first = false;
    sb_string(b, name);
    sb_puts(b, " : ");
}

/* A one-level object of settings, in Jackson's layout. */
static void settings_object(struct sb *b, const struct ombc_settings *s) {
    if (s->count == 0) {
        sb_puts(b, "{ }");
        return;
    }
    for (size_t i = 0; i < s->count; i++) {
        sb_puts(b, i ? ",\n    " : "{\n    ");
        sb_string(b, s->items[i].key);
        sb_puts(b, " : ");
        if (s->items[i].raw)
            sb_puts(b, s->items[i].value ? s->items[i].value : "null");
        else
            sb_string(b, s->items[i].value);
    }
    sb_puts(b, "\n  }");
}

/* Epoch ms as ISO 8601 UTC with ms: "2026-11-22T19:40:00.123Z". */
static void sb_time(struct sb *b, int64_t ms) {
    time_t secs = (time_t)(ms / 1000);
    struct tm tm;
    char text[40];
    gmtime_r(&secs, &tm);
    size_t n = strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(text + n, sizeof(text) - n, ".%03dZ", (int)(ms % 1000));
    sb_string(b, text);
}

/* ombc's extensions that say where and how the run ran; fields with
 * nothing known are left out. */
static void run_info(struct sb *b, const struct ombc_run_info *in) {
    const struct {
        const char *name, *value;
    } texts[] = {{"ombcVersion", in->ombc_version},
                 {"clientVersion", in->client_version},
                 {"cpuModel", in->cpu_model},
                 {"kernel", in->kernel}};
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        if (texts[i].value) {
            field(b, texts[i].name);
            sb_string(b, texts[i].value);
        }
    }
    const struct {
        const char *name;
        int64_t value;
        bool time; /* epoch ms, written as ISO 8601 */
    } numbers[] = {{"cpuCores", in->cpu_cores, false},
                   {"agents", in->agents, false},
                   {"reportIntervalSeconds", in->report_interval_s, false},
                   {"startTime", in->start_ms, true},
                   {"endTime", in->end_ms, true}};
    for (size_t i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
        if (numbers[i].value <= 0)
            continue;
        field(b, numbers[i].name);
        if (numbers[i].time)
            sb_time(b, numbers[i].value);
        else
            sb_long(b, numbers[i].value);
    }
    if (in->workload.count > 0) {
        field(b, "workloadConfig");
        settings_object(b, &in->workload);
    }
    if (in->driver.count > 0) {
        field(b, "driverConfig");
        settings_object(b, &in->driver);
    }
}

/* Which member of a period sample or stats a list/field shows, and how. */
enum conv { MS, US, LONG_US };

static int64_t stat_at(const struct ombc_latency_stats *s, int k) {
    switch (k) {
    case 1: return s->p50;
    case 2: return s->p75;
    case 3: return s->p95;
    case 4: return s->p99;
    case 5: return s->p999;
    case 6: return s->p9999;
    default: return s->max;
    }
}

static const char *const stat_suffix[8] = {"Avg",    "50pct",   "75pct",    "95pct",
                                           "99pct",  "999pct",  "9999pct",  "Max"};

/* Writes the value of stat k (0 = avg) of s, converted: MS = us/1000.0 as a
 * double; US / LONG_US = raw us (avg as a double, others as longs). A
 * latency with no samples is null unless zero_if_absent: OMB's layout with
 * the 0 HdrHistogram gives an empty histogram (README: a latency with no samples). */
static void stat_value(struct sb *b, const struct ombc_latency_stats *s, int k, enum conv c,
                       bool zero_if_absent) {
    if (!ombc_latency_present(s) && !zero_if_absent) {
        sb_puts(b, "null");
    } else if (k == 0) {
        sb_double(b, c == MS ? s->avg / 1000.0 : s->avg);
    } else if (c == MS) {
        sb_double(b, (double)stat_at(s, k) / 1000.0);
    } else {
        sb_long(b, stat_at(s, k));
    }
}

static void array_start(struct sb *b, const char *name, size_t count) {
    field(b, name);
    sb_puts(b, count ? "[ " : "[ ]");
}

static void array_sep(struct sb *b, size_t i, size_t count) {
    sb_puts(b, i + 1 < count ? ", " : " ]");
}

enum which { PUB, DELAY, E2E, RESPONSE };

static const struct ombc_latency_stats *period_stats(const struct ombc_period_sample *p,
                                                     enum which w) {
    switch (w) {
    case PUB: return &p->publish_latency;
    case DELAY: return &p->publish_delay;
    case E2E: return &p->end_to_end;
    default: return &p->publish_response;
    }
}

/* The per-period lists OMB's bin/create_charts.py plots: it takes max()
 * over each, which fails on a null, so a period with no samples keeps
 * OMB's 0 there (the list's other figures say null). */
static bool charted_by_omb(const char *name) {
    static const char *const charted[] = {"publishLatency99pct", "publishDelayLatency99pct",
                                          "endToEndLatency95pct", "endToEndLatencyAvg"};
    for (size_t i = 0; i < sizeof(charted) / sizeof(charted[0]); i++)
        if (strcmp(name, charted[i]) == 0)
            return true;
    return false;
}

/* The eight per-period lists of one latency kind: prefix + Avg..Max. */
static void period_lists(struct sb *b, const struct ombc_result *r, const char *prefix,
                         enum which w, enum conv c) {
    for (int k = 0; k < 8; k++) {
        char name[80];
        snprintf(name, sizeof(name), "%s%s", prefix, stat_suffix[k]);
        bool zero = charted_by_omb(name);
        array_start(b, name, r->period_count);
        for (size_t i = 0; i < r->period_count; i++) {
            stat_value(b, period_stats(&r->periods[i], w), k, c, zero);
            array_sep(b, i, r->period_count);
        }
    }
}

static void agg_fields(struct sb *b, const struct ombc_latency_stats *s, const char *prefix,
                       enum conv c) {
    for (int k = 0; k < 8; k++) {
        char name[80];
        snprintf(name, sizeof(name), "%s%s", prefix, stat_suffix[k]);
        field(b, name);
        stat_value(b, s, k, c, false);
    }
}

static void quantile_map(struct sb *b, const char *name, const struct ombc_quantile_map *m,
                         enum conv c) {
    field(b, name);
    if (m->count == 0) {
        sb_puts(b, "{ }");
        return;
    }
    sb_puts(b, "{");
    for (size_t i = 0; i < m->count; i++) {
        char key[64];
        sb_puts(b, i ? ",\n    " : "\n    ");
        ombc_format_java_double(key, sizeof(key), m->items[i].percentile);
        sb_string(b, key);
        sb_puts(b, " : ");
        if (c == MS) {
            sb_double(b, (double)m->items[i].value / 1000.0);
        } else {
            sb_long(b, m->items[i].value);
        }
    }
    sb_puts(b, "\n  }");
}

static void rate_list(struct sb *b, const struct ombc_result *r, const char *name, int which) {
    array_start(b, name, r->period_count);
    for (size_t i = 0; i < r->period_count; i++) {
        const struct ombc_period_sample *p = &r->periods[i];
        switch (which) {
        case 0: sb_double(b, p->publish_rate); break;
        case 1: sb_double(b, p->publish_error_rate); break;
        case 2: sb_double(b, p->consume_rate); break;
        default: sb_long(b, p->backlog); break;
        }
        array_sep(b, i, r->period_count);
    }
}

char *ombc_report_result_json(const struct ombc_result *r) {
    struct sb b = {OMBC_BUF_INIT, true};

    sb_puts(&b, "{");
    field(&b, "workload");
    sb_string(&b, r->workload);
    field(&b, "driver");
    sb_string(&b, r->driver);
    field(&b, "messageSize");
    sb_long(&b, r->message_size);
    field(&b, "topics");
    sb_long(&b, r->topics);
    field(&b, "partitions");
    sb_long(&b, r->partitions);
    field(&b, "producersPerTopic");
    sb_long(&b, r->producers_per_topic);
    field(&b, "consumersPerTopic");
    sb_long(&b, r->consumers_per_topic);

    rate_list(&b, r, "publishRate", 0);
    rate_list(&b, r, "publishErrorRate", 1);
    rate_list(&b, r, "consumeRate", 2);
    rate_list(&b, r, "backlog", 3);

    period_lists(&b, r, "publishLatency", PUB, MS);
    period_lists(&b, r, "publishDelayLatency", DELAY, LONG_US);

    agg_fields(&b, &r->agg_publish_latency, "aggregatedPublishLatency", MS);
    agg_fields(&b, &r->agg_publish_delay, "aggregatedPublishDelayLatency", LONG_US);

    quantile_map(&b, "aggregatedPublishLatencyQuantiles", &r->publish_latency_quantiles, MS);
    quantile_map(&b, "aggregatedPublishDelayLatencyQuantiles", &r->publish_delay_quantiles,
                 LONG_US);

    period_lists(&b, r, "endToEndLatency", E2E, MS);
    quantile_map(&b, "aggregatedEndToEndLatencyQuantiles", &r->end_to_end_quantiles, MS);
    agg_fields(&b, &r->agg_end_to_end, "aggregatedEndToEndLatency", MS);

    /* ombc extensions, after OMB's fields. Publish response time (delay +
     * latency, from the intended send time) is shaped as OMB's publish
     * latency: the same eight lists and aggregated figures and a quantile
     * map, in ms. */
    period_lists(&b, r, "publishResponseTime", RESPONSE, MS);
    agg_fields(&b, &r->agg_publish_response, "aggregatedPublishResponseTime", MS);
    quantile_map(&b, "aggregatedPublishResponseTimeQuantiles", &r->publish_response_quantiles,
                 MS);
    field(&b, "agentRestarts");
    sb_long(&b, r->agent_restarts);
    run_info(&b, &r->info);
    if (r->incomplete) {
        field(&b, "incomplete");
        sb_puts(&b, "true");
    }
    if (ombc_consumer_verdict_name(r->consumers)) {
        field(&b, "consumerShortfall");
        sb_string(&b, ombc_consumer_verdict_name(r->consumers));
    }
    if (r->delivery.checked) {
        field(&b, "deliveryCheck");
        const char *keys[] = {"messagesSent", "messagesExpected", "messagesReceived"};
        const int64_t values[] = {r->delivery.sent, r->delivery.expected, r->delivery.received};
        for (int i = 0; i < 3; i++) {
            sb_puts(&b, i ? ",\n    " : "{\n    ");
            sb_string(&b, keys[i]);
            sb_puts(&b, " : ");
            sb_long(&b, values[i]);
        }
        sb_puts(&b, "\n  }");
    }
    if (r->offset_resets > 0) { /* messages the broker dropped before they were read */
        field(&b, "consumerOffsetResets");
        sb_long(&b, r->offset_resets);
    }
    if (r->rate_searched) { /* producerRate 0: the rate found, null when none */
        field(&b, "maxSustainableRate");
        if (isfinite(r->max_sustainable_rate))
            sb_double(&b, r->max_sustainable_rate);
        else
            sb_puts(&b, "null");
    }

    sb_puts(&b, "\n}");
    return ombc_buf_take(&b.text);
}

/* ---- result file ---- */

static int write_all(int fd, const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int ombc_report_write_result(const struct ombc_result *r, const char *path, char *errstr,
                             size_t errstr_size) {
    char *json, *tmp;
    size_t tmp_size;
    int fd = -1, e;

    json = ombc_report_result_json(r);
    if (!json) {
        return ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "cannot write %s: out of memory",
                         path);
    }
    tmp_size = strlen(path) + 32;
    tmp = malloc(tmp_size);
    if (!tmp) {
        free(json);
        return ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "cannot write %s: out of memory",
                         path);
    }
    /* A sibling of path, so rename() stays on one file system; O_EXCL and
     * mode 0666 (less the umask) give the permissions a plain create would. */
    for (unsigned i = 0; i < 100 && fd < 0; i++) {
        snprintf(tmp, tmp_size, "%s.tmp.%ld.%u", path, (long)getpid(), i);
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && errno != EEXIST) {
            break;
        }
    }
    if (fd < 0) {
        goto fail;
    }
    if (write_all(fd, json, strlen(json)) != 0) {
        goto fail_unlink;
    }
    if (close(fd) != 0) {
        fd = -1;
        goto fail_unlink;
    }
    fd = -1;
    if (rename(tmp, path) != 0) {
        goto fail_unlink;
    }
    free(tmp);
    free(json);
    return 0;

fail_unlink:
    e = errno;
    if (fd >= 0) {
        close(fd);
    }
    unlink(tmp);
    errno = e;
fail:
    e = errno;
    free(tmp);
    free(json);
    return ombc_errf(errstr, errstr_size, OMBC_EIO, "cannot write %s: %s", path, strerror(e));
}
