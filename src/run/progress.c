/*
 * progress: see progress.h. The status line is drawn through core/log.h,
 * which keeps it below every other line printed.
 */
#include "run/progress.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/log.h"

#define LOGGER "WorkloadGenerator"
#define TICK_NS 1000000000LL
#define BAR_WIDTH 20

void ombc_progress_init(struct ombc_progress *p, bool status, int subscriptions_per_topic) {
    memset(p, 0, sizeof(*p));
    p->status = status;
    p->subscriptions = subscriptions_per_topic;
    p->phase = "";
}

static void redraw(const struct ombc_progress *p, int64_t now) {
    if (!p->status)
        return;
    char line[256];
    ombc_progress_format(p, now, line, sizeof(line));
    ombc_log_status(line);
}

void ombc_progress_phase(struct ombc_progress *p, int64_t now, const char *name,
                         int64_t seconds, const char *message) {
    char fields[128];
    snprintf(fields, sizeof(fields), "\"phase\":\"%s\",\"seconds\":%" PRId64, name, seconds);
    ombc_log_event(OMBC_LOG_INFO, LOGGER, "phase", fields, "%s", message);
    p->phase = name;
    p->phase_start = now;
    p->phase_ns = seconds * 1000000000;
    redraw(p, p->phase_start);
}

bool ombc_progress_due(const struct ombc_progress *p, int64_t now) {
    return p->status && (p->last_tick == 0 || now - p->last_tick >= TICK_NS);
}

void ombc_progress_tick(struct ombc_progress *p, int64_t now, const struct ombc_counters_stats *c) {
    if (p->last_tick > 0 && now > p->last_tick) {
        double s = (double)(now - p->last_tick) / 1e9;
        p->pub_rate = (double)(c->messages_sent - p->last_sent) / s;
        p->cons_rate = (double)(c->messages_received - p->last_received) / s;
    }
    int64_t backlog = (int64_t)p->subscriptions * c->messages_sent - c->messages_received;
    p->backlog = backlog > 0 ? backlog : 0;
    p->last_tick = now;
    p->last_sent = c->messages_sent;
    p->last_received = c->messages_received;
    redraw(p, now);
}

void ombc_progress_period(struct ombc_progress *p, const struct ombc_latency_stats *latency,
                          const struct ombc_latency_stats *delay,
                          const struct ombc_latency_stats *end_to_end) {
    p->have_period = true;
    p->last_latency = *latency;
    p->last_delay = *delay;
    p->last_e2e = *end_to_end;
}

/* " | p99 <what> 1.23 ms", or " | p99 <what> -" without samples. */
static int p99_part(char *buf, size_t size, const char *what, const struct ombc_latency_stats *s) {
    if (ombc_latency_present(s))
        return snprintf(buf, size, " | p99 %s %.2f ms", what, (double)s->p99 / 1000.0);
    return snprintf(buf, size, " | p99 %s -", what);
}

void ombc_progress_done(struct ombc_progress *p) {
    if (p->status)
        ombc_log_status(NULL);
}

/* 12345678 -> "12.3M", 4999.7 -> "5.00k", 12.0 -> "12" */
static void human(char *buf, size_t size, double v) {
    if (v >= 1e6)
        snprintf(buf, size, "%.2fM", v / 1e6);
    else if (v >= 1e4)
        snprintf(buf, size, "%.1fk", v / 1e3);
    else
        snprintf(buf, size, "%.0f", v);
}

void ombc_progress_format(const struct ombc_progress *p, int64_t now, char *buf, size_t size) {
    int64_t elapsed = now - p->phase_start;
    char bar[BAR_WIDTH + 1], when[48];
    if (p->phase_ns > 0) {
        int64_t done = elapsed >= p->phase_ns ? BAR_WIDTH : elapsed * BAR_WIDTH / p->phase_ns;
        for (int i = 0; i < BAR_WIDTH; i++)
            bar[i] = i < done ? '#' : '.';
        int64_t left = (p->phase_ns - elapsed) / 1000000000;
        snprintf(when, sizeof(when), "%" PRId64 "s, %" PRId64 "s left", elapsed / 1000000000,
                 left > 0 ? left : 0);
    } else {
        for (int i = 0; i < BAR_WIDTH; i++)
            bar[i] = i == (elapsed / 250000000) % BAR_WIDTH ? '#' : '.';
        snprintf(when, sizeof(when), "%" PRId64 "s", elapsed / 1000000000);
    }
    bar[BAR_WIDTH] = '\0';
    int n = snprintf(buf, size, "%-14s [%s] %s", p->phase, bar, when);
    if (p->last_tick > 0 && n > 0 && (size_t)n < size) {
        char pub[16], cons[16], backlog[16];
        human(pub, sizeof(pub), p->pub_rate);
        human(cons, sizeof(cons), p->cons_rate);
        human(backlog, sizeof(backlog), (double)p->backlog);
        n += snprintf(buf + n, size - (size_t)n, " | pub %s msg/s | cons %s msg/s | backlog %s",
                      pub, cons, backlog);
    }
    if (p->have_period && n > 0 && (size_t)n < size)
        n += p99_part(buf + n, size - (size_t)n, "pub", &p->last_latency);
    if (p->have_period && p->subscriptions > 0 && n > 0 && (size_t)n < size)
        p99_part(buf + n, size - (size_t)n, "e2e", &p->last_e2e);
}
