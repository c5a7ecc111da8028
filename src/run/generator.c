/*
 * generator: OMB's WorkloadGenerator.run() and printAndCollectStats(), step
 * by step, over the Worker interface. Owns the phase timing and turns the
 * worker's period and cumulative readings into OMB's lines and TestResult;
 * formatting itself is report.c's.
 */
#include "run/generator.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/log.h"
#include "core/random.h"
#include "run/payload.h"
#include "run/progress.h"
#include "run/backlog.h"
#include "run/rate_search.h"
#include "stats/hlog.h"
#include "stats/report.h"

#define LOGGER "WorkloadGenerator"
#define PROBE_TIMEOUT_NS (60LL * 1000000000)
#define PROBE_POLL_NS (2LL * 1000000000)
#define SUPERVISE_SLICE_NS ((int64_t)OMBC_WORKER_SUPERVISE_MS * 1000000) /* wake to supervise */
#define RESETS_WARN_NS 10000000000LL       /* offset resets: a warning at most every 10 s */
#define RATE_SHORTFALL 0.01               /* warn when a period is 1% below the rate */
#define RATE_APPLIED_TOLERANCE 0.01        /* msg/s: agents show their rate to 0.001 */
#define DELIVERY_POLL_NS 100000000LL       /* delivery check: counters every 100 ms */
#define DELIVERY_STALL_NS 10000000000LL    /* ... until 10 s pass with nothing received */

struct run {
    struct ombc_worker *worker;
    struct ombc_run_clock clock;
    const struct ombc_workload *w;
    const struct ombc_run_options *opt;
    struct ombc_period_stats period;
    bool histograms; /* period and cumulative initialised */
    /* The phase's periods added up: its aggregated figures come from exactly
     * the histograms its period lines and .hlog intervals show. */
    struct ombc_cumulative_latencies cumulative;
    struct ombc_hlog_writer hlog[OMBC_METRIC_COUNT];
    struct ombc_progress progress; /* phase events and the status line */
    /* OMB's background tasks, run from wait_until between its sleeps. */
    struct ombc_rate_search rate_search;
    struct ombc_backlog backlog;
    /* The phase being collected ends here (monotonic ns; INT64_MAX while
     * unknown: no duration, or a backlog not yet drained). wait_until wakes
     * for it, so the last period closes at the phase's stated length. */
    int64_t phase_end_ns;
    /* Offset resets the worker reported (messages the broker dropped before
     * the consumers read them), the count last warned about, and when. */
    int64_t offset_resets, resets_warned, resets_warned_ns;
    char *errstr;
    size_t errstr_size;
};

int ombc_generator_check(const struct ombc_workload *w, char *errstr, size_t errstr_size) {
    if (w->topics <= 0 || w->partitions_per_topic <= 0 || w->producers_per_topic <= 0)
        return ombc_errf(errstr, errstr_size, OMBC_EINVAL,
                         "%s: topics, partitionsPerTopic and producersPerTopic must be > 0",
                         w->path);
    if (w->subscriptions_per_topic > 0 && w->consumer_per_subscription <= 0)
        return ombc_errf(errstr, errstr_size, OMBC_EINVAL,
                         "%s: consumerPerSubscription must be > 0 with subscriptions", w->path);
    if (ombc_workload_backlog_bytes(w) > 0 && w->message_size <= 0)
        return ombc_errf(errstr, errstr_size, OMBC_EINVAL,
                         "%s: a backlog (consumerBacklogSizeGB) needs messageSize > 0 to count "
                         "its bytes",
                         w->path);
    return 0;
}

/* The clocks (run options, or core/clock.h's). */
static int64_t real_now_ns(void *ctx) {
    (void)ctx;
    return ombc_now_ns();
}

static int64_t real_wall_ms(void *ctx) {
    (void)ctx;
    return ombc_wall_ms();
}

static void real_sleep_until_ns(void *ctx, int64_t deadline) {
    (void)ctx;
    ombc_sleep_until_ns(deadline);
}

static int64_t now_ns(const struct run *r) {
    return r->clock.now_ns(r->clock.ctx);
}

static int64_t wall_ms(const struct run *r) {
    return r->clock.wall_ms(r->clock.ctx);
}

static void sleep_until(const struct run *r, int64_t deadline) {
    r->clock.sleep_until_ns(r->clock.ctx, deadline);
}

static int out_of_memory(struct run *r) {
    return ombc_errf(r->errstr, r->errstr_size, OMBC_ENOMEM, "out of memory");
}

static bool stop_requested(const struct run *r) {
    return ombc_stop_requested(r->opt->stop_requested) != 0;
}

/* Keeps the worker's count of offset resets, and warns when it grew (at
 * most every RESETS_WARN_NS): the messages skipped never arrive, so a
 * backlog cannot drain below them. */
static void note_offset_resets(struct run *r, const struct ombc_counters_stats *c) {
    if (c->offset_resets > r->offset_resets)
        r->offset_resets = c->offset_resets;
    int64_t now = now_ns(r);
    if (r->offset_resets == r->resets_warned ||
        (r->resets_warned > 0 && now - r->resets_warned_ns < RESETS_WARN_NS))
        return;
    OMBC_WARN(LOGGER, "The broker dropped messages before the consumers read them: %" PRId64
              " offset resets so far (librdkafka: \"Offset out of range\"); the messages "
              "skipped are never received, and the backlog cannot drain below them",
              r->offset_resets);
    r->resets_warned = r->offset_resets;
    r->resets_warned_ns = now;
}

/* One step of the rate search (3.6), every 3 s: OMB's controller on the
 * cumulative totals, then the new rate to every agent. */
static int tick_rate_search(struct run *r, int64_t now) {
    struct ombc_counters_stats c;
    int rc = r->worker->ops->get_counters_stats(r->worker, &c, r->errstr, r->errstr_size);
    if (rc)
        return rc;
    note_offset_resets(r, &c);
    /* Every agent applies a new rate at its next message; one control
     * period later their rates must add up to the one asked for. */
    if (!isnan(c.publish_rate_applied) && !isnan(c.publish_rate_target) &&
        fabs(c.publish_rate_applied - c.publish_rate_target) > RATE_APPLIED_TOLERANCE)
        OMBC_WARN(LOGGER, "The agents publish at %.3f msg/s in all, %.3f msg/s was asked 3 s ago",
                  c.publish_rate_applied, c.publish_rate_target);
    ombc_rate_search_step(&r->rate_search, now, c.messages_sent, c.messages_received);
    OMBC_INFO(LOGGER, "Publish rate adjusted to %.1f msg/s", r->rate_search.rate);
    return r->worker->ops->adjust_publish_rate(r->worker, r->rate_search.rate, r->errstr,
                                               r->errstr_size);
}

/* Messages not yet received, over all subscriptions (OMB's arithmetic). */
static int backlog_messages(struct run *r, int64_t *out) {
    struct ombc_counters_stats c;
    int rc = r->worker->ops->get_counters_stats(r->worker, &c, r->errstr, r->errstr_size);
    if (rc == 0) {
        *out = (int64_t)r->w->subscriptions_per_topic * c.messages_sent - c.messages_received;
        note_offset_resets(r, &c);
    }
    return rc;
}

/* One step of the backlog task (3.5): the backlog read for it, and what
 * its events ask of the worker and the phase. */
static int tick_backlog(struct run *r, int64_t now) {
    int64_t backlog = 0;
    int rc = ombc_backlog_reading(&r->backlog) ? backlog_messages(r, &backlog) : 0;
    enum ombc_backlog_event ev;
    if (rc == 0)
        rc = ombc_backlog_step(&r->backlog, now, backlog, r->offset_resets, &ev, r->errstr,
                               r->errstr_size);
    if (rc)
        return rc;
    if (ev == OMBC_BACKLOG_BUILT) {
        ombc_progress_phase(&r->progress, now_ns(r), "backlog-drain", 0,
                            "--- Start draining backlog ---");
        return r->worker->ops->resume_consumers(r->worker, r->errstr, r->errstr_size);
    }
    if (ev == OMBC_BACKLOG_DRAINED && r->backlog.test_ns > 0) /* 0: the phase never ends */
        r->phase_end_ns = r->backlog.hold_end_ns; /* the test duration, from now */
    return 0;
}

/* Runs the background tasks that are due. @return the time the next is due. */
static int tick_background(struct run *r, int64_t now, int64_t *next) {
    int rc = 0;
    if (r->rate_search.on && now >= r->rate_search.next_ns)
        rc = tick_rate_search(r, now);
    if (rc == 0 && r->backlog.phase != OMBC_BACKLOG_OFF && now >= r->backlog.next_ns)
        rc = tick_backlog(r, now);
    *next = INT64_MAX;
    if (r->rate_search.on)
        *next = r->rate_search.next_ns;
    if (r->backlog.phase != OMBC_BACKLOG_OFF && r->backlog.next_ns < *next)
        *next = r->backlog.next_ns;
    return rc;
}

/* Sleeps until deadline, or the end of the phase if that comes first,
 * while supervising the worker (every OMBC_WORKER_SUPERVISE_MS), watching
 * the stop flag, and running the background tasks when they are due.
 * @return 0, OMBC_EINTR, or the worker's failure. */
static int wait_until(struct run *r, int64_t deadline) {
    for (;;) {
        if (r->phase_end_ns < deadline) /* known now, or moved by the backlog task */
            deadline = r->phase_end_ns;
        if (stop_requested(r))
            return ombc_errf(r->errstr, r->errstr_size, OMBC_EINTR, "interrupted");
        int rc = r->worker->ops->supervise
                     ? r->worker->ops->supervise(r->worker, r->errstr, r->errstr_size)
                     : 0;
        if (rc)
            return rc;
        int64_t now = now_ns(r), next_task;
        if ((rc = tick_background(r, now, &next_task)))
            return rc;
        if (ombc_progress_due(&r->progress, now)) {
            struct ombc_counters_stats c;
            if ((rc = r->worker->ops->get_counters_stats(r->worker, &c, r->errstr,
                                                         r->errstr_size)))
                return rc;
            ombc_progress_tick(&r->progress, now, &c);
        }
        if (now >= deadline)
            return 0;
        int64_t wake = deadline - now > SUPERVISE_SLICE_NS ? now + SUPERVISE_SLICE_NS : deadline;
        sleep_until(r, next_task < wake ? next_task : wake);
    }
}

/* OMB's step 8. */
static int start_backlog(struct run *r) {
    ombc_progress_phase(&r->progress, now_ns(r), "backlog-build", 0,
                        "Stopping all consumers to build backlog");
    int rc = r->worker->ops->pause_consumers(r->worker, r->errstr, r->errstr_size);
    if (rc == 0)
        ombc_backlog_start(&r->backlog, r->w, now_ns(r));
    return rc;
}

/* Fisher-Yates over n elements of `size` bytes (at most 64). */
static void shuffle(void *base, size_t n, size_t size, struct ombc_rng *rng) {
    unsigned char *a = base, tmp[64];
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)ombc_rng_below(rng, i);
        memcpy(tmp, a + (i - 1) * size, size);
        memcpy(a + (i - 1) * size, a + j * size, size);
        memcpy(a + j * size, tmp, size);
    }
}

#define SUBSCRIPTION_NAME_SIZE 32 /* "sub-%03d-" + 7 characters */

static int create_consumers(struct run *r, char **topics, struct ombc_rng *rng) {
    const struct ombc_workload *w = r->w;
    size_t nsubs = (size_t)w->topics * (size_t)w->subscriptions_per_topic;
    size_t n = nsubs * (size_t)w->consumer_per_subscription;
    /* n may be 0: a run without consumers (subscriptionsPerTopic: 0) */
    struct ombc_topic_subscription *subs = calloc(n ? n : 1, sizeof(*subs));
    char *names = calloc(nsubs ? nsubs : 1, SUBSCRIPTION_NAME_SIZE);
    if (!subs || !names) {
        free(subs);
        free(names);
        return out_of_memory(r);
    }
    size_t k = 0, s = 0;
    for (int t = 0; t < w->topics; t++) {
        for (int i = 0; i < w->subscriptions_per_topic; i++, s++) {
            char rnd[16];
            ombc_random_string(rng, 5, rnd);
            char *name = names + s * SUBSCRIPTION_NAME_SIZE;
            snprintf(name, SUBSCRIPTION_NAME_SIZE, "sub-%03d-%s", i, rnd);
            for (int c = 0; c < w->consumer_per_subscription; c++)
                subs[k++] = (struct ombc_topic_subscription){.topic = topics[t],
                                                              .subscription = name};
        }
    }
    shuffle(subs, n, sizeof(*subs), rng);
    int64_t t0 = now_ns(r);
    int rc = r->worker->ops->create_consumers(r->worker, subs, n, r->errstr, r->errstr_size);
    if (rc == 0)
        OMBC_INFO(LOGGER, "Created %zu consumers in %" PRId64 " ms", n,
                  (now_ns(r) - t0) / 1000000);
    free(subs);
    free(names);
    return rc;
}

static int create_producers(struct run *r, char **topics, struct ombc_rng *rng) {
    const struct ombc_workload *w = r->w;
    size_t n = (size_t)w->topics * (size_t)w->producers_per_topic;
    const char **list = calloc(n, sizeof(*list));
    if (!list)
        return out_of_memory(r);
    for (size_t i = 0; i < n; i++)
        list[i] = topics[i % (size_t)w->topics];
    shuffle(list, n, sizeof(*list), rng);
    int64_t t0 = now_ns(r);
    int rc = r->worker->ops->create_producers(r->worker, list, n, r->errstr, r->errstr_size);
    if (rc == 0)
        OMBC_INFO(LOGGER, "Created %zu producers in %" PRId64 " ms", n,
                  (now_ns(r) - t0) / 1000000);
    free(list);
    return rc;
}

/* OMB's ensureTopicsAreReady. */
static int probe(struct run *r) {
    ombc_progress_phase(&r->progress, now_ns(r), "probe", 0, "Waiting for consumers to be ready");
    int rc = r->worker->ops->probe_producers(r->worker, r->errstr, r->errstr_size);
    if (rc)
        return rc;
    int64_t expected = (int64_t)r->w->topics * r->w->subscriptions_per_topic;
    int64_t start = now_ns(r);
    for (;;) {
        struct ombc_counters_stats c;
        rc = r->worker->ops->get_counters_stats(r->worker, &c, r->errstr, r->errstr_size);
        if (rc)
            return rc;
        OMBC_INFO(LOGGER, "Waiting for topics to be ready -- Sent: %" PRId64 ", Received: %" PRId64,
                  c.messages_sent, c.messages_received);
        if (c.messages_received >= expected)
            break;
        if (now_ns(r) - start >= PROBE_TIMEOUT_NS)
            return ombc_errf(r->errstr, r->errstr_size, OMBC_ETIMEDOUT,
                             "Timed out waiting for consumers to be ready (received %" PRId64
                             " of %" PRId64 " probe messages in 60 s)",
                             c.messages_received, expected);
        rc = wait_until(r, now_ns(r) + PROBE_POLL_NS);
        if (rc)
            return rc;
    }
    OMBC_INFO(LOGGER, "All consumers are ready");
    return 0;
}

/* One .hlog per metric, named after the run's result file. */
static int open_hlogs(struct run *r) {
    int64_t now = wall_ms(r);
    for (int m = 0; m < OMBC_METRIC_COUNT; m++) {
        char path[4096], comment[256];
        snprintf(path, sizeof(path), "%s-%s.hlog", r->opt->hlog_prefix, ombc_metric_name(m));
        snprintf(comment, sizeof(comment),
                 "Logged with ombc %s: %s in microseconds, one interval per period, warm-up "
                 "tagged 'warmup'",
                 OMBC_VERSION, ombc_metric_name(m));
        int rc = ombc_hlog_writer_open(&r->hlog[m], path, now, comment, r->errstr,
                                       r->errstr_size);
        if (rc)
            return rc;
    }
    char names[256];
    size_t len = 0;
    for (int m = 0; m < OMBC_METRIC_COUNT && len < sizeof(names); m++)
        len += (size_t)snprintf(names + len, sizeof(names) - len, "%s%s", m ? "," : "",
                                ombc_metric_name(m));
    OMBC_INFO(LOGGER, "Writing interval logs to %s-{%s}.hlog", r->opt->hlog_prefix, names);
    return 0;
}

static int close_hlogs(struct run *r, int rc) {
    for (int m = 0; m < OMBC_METRIC_COUNT; m++) {
        char err[512];
        int crc = ombc_hlog_writer_close(&r->hlog[m], err, sizeof(err));
        if (crc && rc == 0)
            rc = ombc_errf(r->errstr, r->errstr_size, crc, "%s", err);
    }
    return rc;
}

/* Adds a period to the phase's sum and its interval logs. */
static int log_period(struct run *r, bool warmup, int64_t start_ms, int64_t end_ms) {
    for (int m = 0; m < OMBC_METRIC_COUNT; m++) {
        if (r->hlog[m].f) {
            int rc = ombc_hlog_writer_add(&r->hlog[m], warmup ? "warmup" : NULL, start_ms,
                                          end_ms, &r->period.hist[m], r->errstr,
                                          r->errstr_size);
            if (rc)
                return rc;
        }
    }
    return 0;
}

/* Adds the period to the phase's sum, once it is in the .hlog and the
 * result: the aggregated figures never count a period the result lacks. */
static void sum_period(struct run *r) {
    for (int m = 0; m < OMBC_METRIC_COUNT; m++)
        ombc_hist_add(&r->cumulative.hist[m], &r->period.hist[m]); /* same layout: no drops */
}

/* Reads the period that began at prev (monotonic) / prev_ms (wall clock):
 * prints OMB's period line, adds it to the .hlog, to result when the phase
 * is measured (result not NULL), and then to the phase's sum. */
static int close_period(struct run *r, struct ombc_result *result, int64_t prev, int64_t prev_ms,
                        int64_t *now_out, int64_t *now_ms_out) {
    int rc = r->worker->ops->get_period_stats(r->worker, &r->period, r->errstr, r->errstr_size);
    if (rc)
        return rc;
    int64_t now = now_ns(r), now_ms = wall_ms(r);
    *now_out = now;
    *now_ms_out = now_ms;
    double elapsed = (double)(now - prev) / 1e9;
    const struct ombc_period_stats *s = &r->period;
    struct ombc_period_figures f = {
        .publish_rate = (double)s->messages_sent / elapsed,
        .publish_mib_s = (double)s->bytes_sent / elapsed / 1024 / 1024,
        .error_rate = (double)s->message_send_errors / elapsed,
        .consume_rate = (double)s->messages_received / elapsed,
        .consume_mib_s = (double)s->bytes_received / elapsed / 1024 / 1024,
    };
    int64_t backlog = (int64_t)r->w->subscriptions_per_topic * s->total_messages_sent -
                      s->total_messages_received;
    f.backlog = backlog > 0 ? backlog : 0;
    ombc_latency_stats_of(&f.publish_latency, &s->hist[OMBC_METRIC_PUBLISH_LATENCY]);
    ombc_latency_stats_of(&f.publish_delay, &s->hist[OMBC_METRIC_PUBLISH_DELAY]);
    ombc_latency_stats_of(&f.end_to_end, &s->hist[OMBC_METRIC_END_TO_END]);
    char line[1024], fields[2048];
    ombc_report_period_line(line, sizeof(line), &f);
    ombc_report_period_fields(fields, sizeof(fields), result ? "test" : "warmup", &f);
    if (!r->opt->quiet)
        ombc_log_result(LOGGER, "period", fields, "%s", line);
    /* OMB stays silent when the rate asked for is not reached; ombc says
     * what the period's figures show, against the period before. */
    double target = r->w->producer_rate;
    if (!r->rate_search.on && !r->opt->quiet && target > 0 &&
        f.publish_rate < (1.0 - RATE_SHORTFALL) * target) {
        bool before = r->progress.have_period;
        ombc_report_shortfall(line, sizeof(line), target, &f,
                              before ? &r->progress.last_latency : NULL,
                              before ? &r->progress.last_delay : NULL);
        OMBC_WARN(LOGGER, "%s", line);
    }
    ombc_progress_period(&r->progress, &f.publish_latency, &f.publish_delay, &f.end_to_end);
    if ((rc = log_period(r, result == NULL, prev_ms, now_ms)))
        return rc;
    if (!result) {
        sum_period(r);
        return 0;
    }
    struct ombc_period_sample sample = {
        .publish_rate = f.publish_rate,
        .publish_error_rate = f.error_rate,
        .consume_rate = f.consume_rate,
        .backlog = f.backlog,
        .publish_latency = f.publish_latency,
        .publish_delay = f.publish_delay,
        .end_to_end = f.end_to_end,
    };
    ombc_latency_stats_of(&sample.publish_response, &s->hist[OMBC_METRIC_PUBLISH_RESPONSE]);
    if (ombc_result_add_period(result, &sample) != 0)
        return out_of_memory(r);
    sum_period(r);
    return 0;
}

/* OMB's aggregated line and the result's aggregated figures, from the sum
 * of the phase's periods. OMB reads the worker's cumulative histograms
 * instead; the sum differs from them only by what was recorded between the
 * stats reset and the first period read, and it makes the aggregated
 * figures agree with the period lines and the .hlog files exactly. */
static int aggregate_phase(struct run *r, struct ombc_result *result) {
    const struct ombc_hist *h = r->cumulative.hist;
    struct ombc_latency_stats pub, delay;
    ombc_latency_stats_of(&pub, &h[OMBC_METRIC_PUBLISH_LATENCY]);
    ombc_latency_stats_of(&delay, &h[OMBC_METRIC_PUBLISH_DELAY]);
    char line[1024], fields[2048];
    ombc_report_aggregated_line(line, sizeof(line), &pub, &delay);
    ombc_report_aggregated_fields(fields, sizeof(fields), result ? "test" : "warmup", &pub,
                                  &delay);
    if (!r->opt->quiet)
        ombc_log_result(LOGGER, "aggregated", fields, "%s", line);
    if (result &&
        ombc_result_set_aggregated(result, &h[OMBC_METRIC_PUBLISH_LATENCY],
                                   &h[OMBC_METRIC_PUBLISH_DELAY], &h[OMBC_METRIC_END_TO_END],
                                   &h[OMBC_METRIC_PUBLISH_RESPONSE]) != 0)
        return out_of_memory(r);
    return 0;
}

/* The measured phase ended early (interrupted, or the worker failed):
 * what was measured up to now becomes the result, marked incomplete. The
 * period begun is read too when read_last (the worker may still answer;
 * if it does not, the periods before it are kept all the same). The error
 * that ended the phase stays in errstr. */
static void salvage_phase(struct run *r, struct ombc_result *result, int64_t prev,
                          int64_t prev_ms, bool read_last) {
    char err[1024];
    snprintf(err, sizeof(err), "%s", r->errstr);
    int64_t now, now_ms;
    if (read_last)
        (void)close_period(r, result, prev, prev_ms, &now, &now_ms);
    if (aggregate_phase(r, result) == 0) {
        result->incomplete = true;
        OMBC_WARN(LOGGER, "The test phase ended early: the result holds the %zu periods measured "
                  "and is marked incomplete", result->period_count);
    }
    snprintf(r->errstr, r->errstr_size, "%s", err);
}

/* OMB's printAndCollectStats for one phase; result is NULL for warm-up. */
static int collect_phase(struct run *r, int64_t duration_s, struct ombc_result *result) {
    const int64_t interval = (int64_t)r->opt->report_interval_s * 1000000000;
    /* Unlike OMB, start the first period's counters at the phase start: what
     * was acknowledged between the previous phase's last reading and now
     * (its aggregation and the stats reset) belongs to neither, and would
     * inflate the first period's rate. */
    int rc = r->worker->ops->get_period_stats(r->worker, &r->period, r->errstr, r->errstr_size);
    if (rc)
        return rc;
    for (int m = 0; m < OMBC_METRIC_COUNT; m++)
        ombc_hist_reset(&r->cumulative.hist[m]);
    int64_t t0 = now_ns(r);
    int64_t end = duration_s > 0 ? t0 + duration_s * 1000000000 : INT64_MAX;
    int64_t prev = t0, next = t0, prev_ms = wall_ms(r);
    /* Unlike OMB, the phase ends at its stated length: the last period is
     * cut short there (its rates from its own length). A backlog being
     * built or drained keeps it open; the drained backlog's hold (the test
     * duration) then sets the end. */
    r->phase_end_ns = ombc_backlog_pending(&r->backlog) ? INT64_MAX : end;
    for (;;) {
        next += interval;
        if ((rc = wait_until(r, next))) {
            if (result)
                salvage_phase(r, result, prev, prev_ms, true);
            r->phase_end_ns = INT64_MAX;
            return rc;
        }
        int64_t now, now_ms;
        if ((rc = close_period(r, result, prev, prev_ms, &now, &now_ms))) {
            if (result)
                salvage_phase(r, result, prev, prev_ms, false);
            r->phase_end_ns = INT64_MAX;
            return rc;
        }
        if (now >= r->phase_end_ns && !ombc_backlog_pending(&r->backlog)) {
            r->phase_end_ns = INT64_MAX;
            return aggregate_phase(r, result);
        }
        prev = now;
        prev_ms = now_ms;
    }
}

/* ombc's delivery check: stop publishing, then wait until the consumers have
 * received every acknowledged message once per subscription, or until
 * nothing more arrives for DELIVERY_STALL_NS. */
static int check_delivery(struct run *r, struct ombc_delivery *d) {
    ombc_progress_phase(&r->progress, now_ns(r), "delivery-check", 0,
                        "----- Stopping the load to check delivery ------");
    r->rate_search.on = false;
    int rc = r->worker->ops->stop_load(r->worker, r->errstr, r->errstr_size);
    if (rc)
        return rc;
    int64_t last_received = -1, last_progress = now_ns(r);
    struct ombc_counters_stats c;
    for (;;) {
        if ((rc = r->worker->ops->get_counters_stats(r->worker, &c, r->errstr, r->errstr_size)))
            return rc;
        note_offset_resets(r, &c);
        int64_t now = now_ns(r);
        int64_t expected = (int64_t)r->w->subscriptions_per_topic * c.messages_sent;
        if (c.messages_received >= expected)
            break;
        if (c.messages_received != last_received) {
            last_received = c.messages_received;
            last_progress = now;
        } else if (now - last_progress >= DELIVERY_STALL_NS) {
            break;
        }
        if ((rc = wait_until(r, now + DELIVERY_POLL_NS)))
            return rc;
    }
    d->checked = true;
    d->sent = c.messages_sent;
    d->expected = (int64_t)r->w->subscriptions_per_topic * c.messages_sent;
    d->received = c.messages_received;
    if (d->received == d->expected)
        OMBC_INFO(LOGGER, "Delivery: sent %" PRId64 ", received %" PRId64 " of %" PRId64
                  " expected: all received once", d->sent, d->received, d->expected);
    else if (d->received > d->expected)
        OMBC_WARN(LOGGER, "Delivery: sent %" PRId64 ", received %" PRId64 " of %" PRId64
                  " expected: %" PRId64 " received more than once", d->sent, d->received,
                  d->expected, d->received - d->expected);
    else
        OMBC_WARN(LOGGER, "Delivery: sent %" PRId64 ", received %" PRId64 " of %" PRId64
                  " expected: %" PRId64 " missing after %.0f s without progress", d->sent,
                  d->received, d->expected, d->expected - d->received,
                  (double)DELIVERY_STALL_NS / 1e9);
    return 0;
}

static void free_names(char **names, int n) {
    if (!names)
        return;
    for (int i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

static int init_histograms(struct run *r) {
    if (ombc_period_stats_init(&r->period) != 0)
        return ombc_errf(r->errstr, r->errstr_size, OMBC_ENOMEM, "out of memory");
    if (ombc_cumulative_latencies_init(&r->cumulative) != 0) {
        ombc_period_stats_fini(&r->period);
        return ombc_errf(r->errstr, r->errstr_size, OMBC_ENOMEM, "out of memory");
    }
    r->histograms = true;
    return 0;
}

static void fini_histograms(struct run *r) {
    if (!r->histograms)
        return;
    ombc_period_stats_fini(&r->period);
    ombc_cumulative_latencies_fini(&r->cumulative);
}

/* After a set-up step: OMBC_EINTR naming the step when it was interrupted
 * (the worker gave up on it, or finished it though the stop flag was raised
 * meanwhile: the next step is not begun), else rc. keep: the worker's own
 * text says more (the local worker counts the topics it created). */
static int setup_step(struct run *r, int rc, bool keep, const char *what) {
    if (rc != OMBC_EINTR && !(rc == 0 && stop_requested(r)))
        return rc;
    if (rc == OMBC_EINTR && keep && r->errstr[0])
        return rc;
    return ombc_errf(r->errstr, r->errstr_size, OMBC_EINTR, "interrupted %s", what);
}

int ombc_generator_run(struct ombc_worker *worker, const struct ombc_workload *w,
                       const struct ombc_run_options *opt, struct ombc_result *result,
                       char *errstr, size_t errstr_size) {
    struct run r = {.worker = worker, .w = w, .opt = opt, .errstr = errstr,
                    .errstr_size = errstr_size, .phase_end_ns = INT64_MAX,
                    .clock = {real_now_ns, real_wall_ms, real_sleep_until_ns, NULL}};
    if (opt->clock)
        r.clock = *opt->clock;
    ombc_progress_init(&r.progress, opt->status_line, w->subscriptions_per_topic);
    struct ombc_rng rng;
    ombc_rng_seed(&rng, 0);
    struct ombc_payload_set payloads = {0};
    char **topics = NULL;
    int rc = ombc_generator_check(w, errstr, errstr_size);
    if (rc == 0 && opt->check_delivery && !worker->ops->stop_load)
        rc = ombc_errf(errstr, errstr_size, OMBC_EINVAL,
                       "--check-delivery needs workers that can stop the load and go on "
                       "consuming (an ombc extension OMB's workers lack)");
    if (rc == 0)
        rc = ombc_payload_set_load(&payloads, w, errstr, errstr_size);
    if (rc == 0)
        rc = init_histograms(&r);
    if (rc == 0 && opt->hlog_prefix)
        rc = open_hlogs(&r);
    if (rc == 0)
        rc = setup_step(&r, 0, false, "before creating topics");
    if (rc == 0) {
        int64_t t0 = now_ns(&r);
        ombc_progress_phase(&r.progress, now_ns(&r), "topics", 0, "Creating topics");
        rc = worker->ops->create_topics(worker, w->topics, w->partitions_per_topic, &topics,
                                        errstr, errstr_size);
        if (rc == 0)
            OMBC_INFO(LOGGER, "Created %d topics in %" PRId64 " ms", w->topics,
                      (now_ns(&r) - t0) / 1000000);
        char what[64] = "while creating topics";
        if (rc == 0)
            snprintf(what, sizeof(what), "while creating topics (all %d created)", w->topics);
        rc = setup_step(&r, rc, true, what);
    }
    if (rc == 0) {
        ombc_progress_phase(&r.progress, now_ns(&r), "clients", 0, "Creating consumers and producers");
        rc = setup_step(&r, create_consumers(&r, topics, &rng), false, "while creating consumers");
    }
    if (rc == 0)
        rc = setup_step(&r, create_producers(&r, topics, &rng), false, "while creating producers");
    if (rc == 0)
        rc = setup_step(&r, probe(&r), false, "while waiting for the consumers to be ready");
    if (rc == 0 && w->producer_rate == 0)
        rc = ombc_rate_search_start(&r.rate_search, now_ns(&r), errstr, errstr_size);
    if (rc == 0) {
        struct ombc_producer_assignment a = {
            .publish_rate = w->producer_rate > 0 ? w->producer_rate : r.rate_search.rate,
            .key_distributor = w->key_distributor,
            .payloads = payloads.items,
            .payload_count = payloads.count,
        };
        rc = setup_step(&r, worker->ops->start_load(worker, &a, errstr, errstr_size), false,
                        "while starting the load");
    }
    int64_t warmup = ombc_workload_warmup_seconds(w);
    if (rc == 0 && warmup > 0) {
        char msg[96];
        snprintf(msg, sizeof(msg), "----- Starting warm-up traffic (%" PRId64 "s) ------", warmup);
        int64_t t0 = now_ns(&r);
        ombc_progress_phase(&r.progress, t0, "warmup", warmup, msg);
        rc = collect_phase(&r, warmup, NULL);
        if (rc == OMBC_EINTR) /* nothing measured: the result stays unwritten */
            rc = ombc_errf(errstr, errstr_size, OMBC_EINTR,
                           "interrupted during the warm-up (%.0f s of %" PRId64 " s)",
                           (double)(now_ns(&r) - t0) / 1e9, warmup);
    }
    if (rc == 0 && ombc_workload_backlog_bytes(w) > 0)
        rc = start_backlog(&r);
    if (rc == 0)
        rc = worker->ops->reset_stats(worker, errstr, errstr_size);
    if (rc == 0) {
        char msg[96];
        int64_t test = ombc_workload_test_seconds(w);
        snprintf(msg, sizeof(msg), "----- Starting benchmark traffic (%" PRId64 "s)------", test);
        ombc_progress_phase(&r.progress, now_ns(&r), "test", test, msg);
        r.rate_search.measure_from_ns = now_ns(&r);
        rc = collect_phase(&r, ombc_workload_test_seconds(w), result);
        if (rc == 0 || result->incomplete) {
            ombc_rate_search_report(&r.rate_search, result);
            /* the offset resets up to the end of the test (a worker that
             * failed may not answer: then those counted so far) */
            struct ombc_counters_stats c;
            char err[256];
            if (worker->ops->get_counters_stats(worker, &c, err, sizeof(err)) == 0)
                note_offset_resets(&r, &c);
            result->offset_resets = r.offset_resets;
        }
    }
    if (rc == 0 && opt->check_delivery && (rc = check_delivery(&r, &result->delivery))) {
        /* the test phase is whole; what follows it failed: keep it, say so */
        result->incomplete = true;
        OMBC_WARN(LOGGER, "The delivery check failed: the result holds the %zu periods of the "
                  "test phase, marked incomplete", result->period_count);
    }
    ombc_progress_done(&r.progress);
    rc = close_hlogs(&r, rc);
    free_names(topics, w->topics);
    fini_histograms(&r);
    ombc_payload_set_fini(&payloads);
    return rc;
}
