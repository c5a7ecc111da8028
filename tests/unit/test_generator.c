/*
 * test_generator: run/generator.c (OMB's WorkloadGenerator, OMB-REFERENCE.md
 * 3.2-3.6) over a fake worker and a fake clock. The fake records every call
 * that shapes the run (with its fake time) and answers stats from a small
 * model of producers and consumers driven by the fake clock; the clock's
 * sleep jumps to the deadline, so minutes of run take microseconds and every
 * number the algorithm fixes is asserted exactly. No threads, no sleeps.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/workload.h"
#include "core/err.h"
#include "core/log.h"
#include "run/generator.h"
#include "run/rate_controller.h"
#include "stats/hdr.h"
#include "stats/result.h"
#include "worker/worker.h"

#define SEC 1000000000LL
#define MS 1000000LL
#define T0 (1000 * SEC)          /* the fake monotonic clock starts here, not at 0 */
#define WALL0_MS 1700000000000LL /* and the wall clock here */
#define AT(ms) (T0 + (int64_t)(ms) * MS)
#define MAX_READS 64

/* Every workload of these tests has this shape, with its own rate and
 * durations: 2 topics x 3 partitions, 2 subscriptions of 3 consumers per
 * topic (12 consumers), 2 producers per topic (4 producers, so the probe
 * sends 4 messages and 8 are received). */
#define SHAPE                                                                                     \
    "topics: 2\npartitionsPerTopic: 3\nmessageSize: 100\nsubscriptionsPerTopic: 2\n"            \
    "consumerPerSubscription: 3\nproducersPerTopic: 2\n"

enum applied_mode { APPLIED_AS_ASKED, APPLIED_NAN, APPLIED_HALF };

/* The fake worker and its clock. */
struct fake {
    struct ombc_worker base; /* first: the ops receive &base */
    int64_t now;             /* fake monotonic ns */

    /* ---- set by a test before the run */
    int64_t probe_delay;  /* ns until the probe messages arrive; < 0: never */
    double consume_cap;   /* msg/s the consumers manage in all; 0: they keep up */
    int64_t lost;         /* load messages the consumers never get */
    int64_t offset_resets; /* the counters' offset resets (the broker dropped messages) */
    int64_t read_cost;    /* fake ns a period read takes */
    /* OMB's default warm-up is a minute: most tests go without. */
#define NO_WARMUP "warmupDurationSeconds: 0\n"

enum applied_mode applied;
    const char *fail_op;  /* these ops ("a b") fail from fail_at on, with fail_rc */
    int64_t fail_at;
    int fail_rc;
    int64_t stop_at;      /* the stop flag is raised at this time; 0: never */
    const char *stop_in;  /* ...or when these ops ("a b") are called (a signal meanwhile) */
    struct ombc_stop stop;

    /* ---- the model */
    int subs;             /* subscriptions per topic */
    int64_t message_size;
    bool load_on, paused;
    double rate;          /* msg/s asked for */
    int64_t seg_start, seg_sent; /* the rate's segment: since when, sent before */
    int64_t probe_sent, probe_at;
    int64_t recv_start, recv_base; /* the consumers' segment at consume_cap */
    int64_t load_received, received; /* load messages; all, the probe's included */
    int64_t period_sent, period_received; /* load sent, received at the last period read */

    /* ---- what the run did */
    char log[16384];      /* "@<ms since T0> <call>\n" per shaping call and period read */
    size_t log_len;
    char **topics;
    int ntopics;
    int consumers_per_topic[2], producers_per_topic[2];
    int distinct_subscriptions;
    int counters_reads;
    int supervise_calls;
    int64_t last_supervise, max_supervise_gap; /* over the test phase */
    int64_t test_start;   /* when reset_stats was called */
    struct {
        int64_t at, sent, received; /* the counters read just before */
        double rate;
    } adjust[64];
    int adjusts;
    int64_t last_counters_sent, last_counters_received;
    int reads;            /* period reads */
    struct {
        int64_t at; /* after the read */
        int64_t sent, received, total_sent, total_received;
    } read[MAX_READS];

    /* ---- the run */
    struct ombc_run_clock clock;
    struct ombc_run_options opt;
    struct ombc_result result;
    char err[512];
    int rc;
};

static struct fake *fake_of(struct ombc_worker *w) {
    return (struct fake *)w;
}

static void logf_(struct fake *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void logf_(struct fake *f, const char *fmt, ...) {
    int n = snprintf(f->log + f->log_len, sizeof(f->log) - f->log_len, "@%lld ",
                     (long long)((f->now - T0) / MS));
    f->log_len += (size_t)n;
    va_list ap;
    va_start(ap, fmt);
    n = vsnprintf(f->log + f->log_len, sizeof(f->log) - f->log_len, fmt, ap);
    va_end(ap);
    f->log_len += (size_t)n;
    assert_true(f->log_len + 1 < sizeof(f->log));
    f->log[f->log_len++] = '\n';
    f->log[f->log_len] = '\0';
}

/* ---------------------------------------------------------------- model */

/* Load messages acknowledged so far (the probe's not included). */
static int64_t published(const struct fake *f) {
    if (!f->load_on)
        return f->seg_sent;
    return f->seg_sent + (int64_t)(f->rate * (double)(f->now - f->seg_start) / 1e9);
}

static int64_t total_sent(const struct fake *f) {
    return f->probe_sent + published(f);
}

/* Brings the consumers up to f->now: they receive the probe when it
 * arrives, and every load message once per subscription, at most
 * consume_cap per second, nothing while paused. */
static void model_update(struct fake *f) {
    bool probe_in = f->probe_sent && f->probe_delay >= 0 && f->now >= f->probe_at + f->probe_delay;
    int64_t load = (int64_t)f->subs * published(f) - f->lost;
    int64_t deliverable = load > 0 ? load : 0;
    if (f->paused || f->load_received >= deliverable) {
        f->recv_base = f->load_received;
        f->recv_start = f->now;
    } else {
        int64_t can = f->consume_cap > 0
                          ? f->recv_base +
                                (int64_t)(f->consume_cap * (double)(f->now - f->recv_start) / 1e9)
                          : deliverable;
        f->load_received = can < deliverable ? can : deliverable;
        if (f->load_received == deliverable) {
            f->recv_base = f->load_received;
            f->recv_start = f->now;
        }
    }
    f->received = (probe_in ? (int64_t)f->subs * f->probe_sent : 0) + f->load_received;
}

/* A new rate segment from now on. */
static void set_rate(struct fake *f, double rate, bool on) {
    f->seg_sent = published(f);
    f->seg_start = f->now;
    f->rate = rate;
    f->load_on = on;
}

/* Every op starts here: the model catches up, and the op fails if the test
 * said so. */
static int enter(struct fake *f, const char *op, char *errstr, size_t errstr_size) {
    model_update(f);
    if (f->stop_in && strstr(f->stop_in, op))
        ombc_stop_raise(&f->stop, 2);
    if (f->fail_op && strstr(f->fail_op, op) && f->now >= f->fail_at)
        return ombc_errf(errstr, errstr_size, f->fail_rc, "fake %s failed at %lld ms", op,
                         (long long)((f->now - T0) / MS));
    return 0;
}

/* ---------------------------------------------------------------- clock */

static int64_t clock_now(void *ctx) {
    return ((struct fake *)ctx)->now;
}

static int64_t clock_wall(void *ctx) {
    return WALL0_MS + (((struct fake *)ctx)->now - T0) / MS;
}

/* Time jumps to the deadline, or to the stop request (a signal ends a sleep). */
static void clock_sleep(void *ctx, int64_t deadline) {
    struct fake *f = ctx;
    assert_true(deadline >= f->now - SEC); /* never far in the past */
    if (f->stop_at && f->now < f->stop_at && deadline >= f->stop_at) {
        f->now = f->stop_at;
        ombc_stop_raise(&f->stop, 2);
    } else if (deadline > f->now) {
        f->now = deadline;
    }
    model_update(f);
}

/* ---------------------------------------------------------------- ops */

static int op_initialize_driver(struct ombc_worker *w, const struct ombc_driver_conf *conf,
                                char *errstr, size_t errstr_size) {
    (void)conf;
    logf_(fake_of(w), "initialize_driver");
    return enter(fake_of(w), "initialize_driver", errstr, errstr_size);
}

static int op_create_topics(struct ombc_worker *w, int topics, int partitions, char ***names,
                            char *errstr, size_t errstr_size) {
    struct fake *f = fake_of(w);
    logf_(f, "create_topics(%d,%d)", topics, partitions);
    int rc = enter(f, "create_topics", errstr, errstr_size);
    if (rc)
        return rc;
    char **list = calloc((size_t)topics, sizeof(*list));
    f->topics = calloc((size_t)topics, sizeof(*f->topics));
    assert_non_null(list);
    assert_non_null(f->topics);
    for (int i = 0; i < topics; i++) {
        char name[32];
        snprintf(name, sizeof(name), "test-%07d-AbCdEfG", i);
        list[i] = strdup(name);
        f->topics[i] = strdup(name);
    }
    f->ntopics = topics;
    *names = list;
    return 0;
}

static int topic_index(const struct fake *f, const char *topic) {
    for (int i = 0; i < f->ntopics; i++)
        if (strcmp(f->topics[i], topic) == 0)
            return i;
    fail_msg("unknown topic %s", topic);
    return -1;
}

static int op_create_consumers(struct ombc_worker *w, const struct ombc_topic_subscription *subs,
                               size_t count, char *errstr, size_t errstr_size) {
    struct fake *f = fake_of(w);
    logf_(f, "create_consumers(%zu)", count);
    for (size_t i = 0; i < count; i++) {
        f->consumers_per_topic[topic_index(f, subs[i].topic)]++;
        /* OMB's name: "sub-%03d-" and 7 random characters */
        assert_int_equal(strlen(subs[i].subscription), 15);
        assert_memory_equal(subs[i].subscription, "sub-00", 6);
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = strcmp(subs[j].subscription, subs[i].subscription) == 0 &&
                   strcmp(subs[j].topic, subs[i].topic) == 0;
        f->distinct_subscriptions += !seen;
    }
    return enter(f, "create_consumers", errstr, errstr_size);
}

static int op_create_producers(struct ombc_worker *w, const char *const *topics, size_t count,
                               char *errstr, size_t errstr_size) {
    struct fake *f = fake_of(w);
    logf_(f, "create_producers(%zu)", count);
    for (size_t i = 0; i < count; i++)
        f->producers_per_topic[topic_index(f, topics[i])]++;
    return enter(f, "create_producers", errstr, errstr_size);
}

static int op_probe_producers(struct ombc_worker *w, char *errstr, size_t errstr_size) {
    struct fake *f = fake_of(w);
    logf_(f, "probe_producers");
    int rc = enter(f, "probe_producers", errstr, errstr_size);
    f->probe_sent = f->producers_per_topic[0] + f->producers_per_topic[1];
    f->probe_at = f->now;
    model_update(f);
    return rc;
}

static int op_start_load(struct ombc_worker *w, const struct ombc_producer_assignment *a,
                         char *errstr, size_t errstr_size) {
    struct fake *f = fake_of(w);
    logf_(f, "start_load(%.1f)", a->publish_rate);
    int rc = enter(f, "start_load", errstr, errstr_size);
    assert_true(a->payload_count >= 1);
    assert_int_equal(a->payloads[0].len, f->message_size);
    set_rate(f, a->publish_rate, true);
    return rc;
}

static int op_adjust_publish_rate(struct ombc_worker *w, double rate, char *errstr,
                                  size_t errstr_size) {
    struct fake *f = fake_of(w);
    int rc = enter(f, "adjust_publish_rate", errstr, errstr_size);
    assert_true(f->adjusts < 64);
    f->adjust[f->adjusts].at = f->now;
    f->adjust[f->adjusts].rate = rate;
    f->adjust[f->adjusts].sent = f->last_counters_sent;
    f->adjust[f->adjusts].received = f->last_counters_received;
    f->adjusts++;
    set_rate(f, rate, true);
    return rc;
}

static int op_pause_consumers(struct ombc_worker *w, char *errstr, size_t errstr_size) {
    struct fake *f = fake_of(w);
    logf_(f, "pause_consumers");
    int rc = enter(f, "pause_consumers", errstr, errstr_size);
    f->paused = true;
    return rc;
}

static int op_resume_consumers(struct ombc_worker *w, char *errstr, size_t errstr_size) {
    struct fake *f = fake_of(w);
    logf_(f, "resume_consumers");
    int rc = enter(f, "resume_consumers", errstr, errstr_size);
    f->paused = false;
    return rc;
}

/* The counters since the last read, and one value per histogram that tells
 * which read it was: read n records publish latency n ms, publish delay
 * 10 n us, end-to-end 2n ms and publish response time n ms + 10 n us. */
static int op_get_period_stats(struct ombc_worker *w, struct ombc_period_stats *out, char *errstr,
                               size_t errstr_size) {
    struct fake *f = fake_of(w);
    logf_(f, "period_stats");
    int rc = enter(f, "get_period_stats", errstr, errstr_size);
    if (rc)
        return rc;
    ombc_period_stats_clear(out);
    int64_t sent = published(f);
    out->messages_sent = sent - f->period_sent;
    out->bytes_sent = out->messages_sent * f->message_size;
    out->messages_received = f->received - f->period_received;
    out->bytes_received = out->messages_received * f->message_size;
    out->total_messages_sent = total_sent(f);
    out->total_messages_received = f->received;
    f->period_sent = sent;
    f->period_received = f->received;
    int64_t n = ++f->reads;
    assert_true(ombc_hist_record(&out->hist[OMBC_METRIC_PUBLISH_LATENCY], 1000 * n));
    assert_true(ombc_hist_record(&out->hist[OMBC_METRIC_PUBLISH_DELAY], 10 * n));
    assert_true(ombc_hist_record(&out->hist[OMBC_METRIC_END_TO_END], 2000 * n));
    assert_true(ombc_hist_record(&out->hist[OMBC_METRIC_PUBLISH_RESPONSE], 1010 * n));
    f->now += f->read_cost;
    assert_true(n <= MAX_READS);
    f->read[n - 1].at = f->now;
    f->read[n - 1].sent = out->messages_sent;
    f->read[n - 1].received = out->messages_received;
    f->read[n - 1].total_sent = out->total_messages_sent;
    f->read[n - 1].total_received = out->total_messages_received;
    return 0;
}

static int op_get_cumulative_latencies(struct ombc_worker *w,
                                       struct ombc_cumulative_latencies *out, char *errstr,
                                       size_t errstr_size) {
    logf_(fake_of(w), "cumulative_latencies");
    ombc_cumulative_latencies_clear(out);
    return enter(fake_of(w), "get_cumulative_latencies", errstr, errstr_size);
}

static int op_get_counters_stats(struct ombc_worker *w, struct ombc_counters_stats *out,
                                 char *errstr, size_t errstr_size) {
    struct fake *f = fake_of(w);
    int rc = enter(f, "get_counters_stats", errstr, errstr_size);
    if (rc)
        return rc;
    f->counters_reads++;
    double target = f->load_on ? f->rate : 0;
    *out = (struct ombc_counters_stats){
        .messages_sent = total_sent(f),
        .messages_received = f->received,
        .offset_resets = f->offset_resets,
        .publish_rate_target = target,
        .publish_rate_applied = f->applied == APPLIED_NAN    ? NAN
                                : f->applied == APPLIED_HALF ? target / 2
                                                             : target,
    };
    f->last_counters_sent = out->messages_sent;
    f->last_counters_received = out->messages_received;
    return 0;
}

static int op_reset_stats(struct ombc_worker *w, char *errstr, size_t errstr_size) {
    struct fake *f = fake_of(w);
    logf_(f, "reset_stats");
    f->test_start = f->now;
    f->last_supervise = f->now;
    return enter(f, "reset_stats", errstr, errstr_size);
}

static int op_stop_all(struct ombc_worker *w, char *errstr, size_t errstr_size) {
    logf_(fake_of(w), "stop_all");
    return enter(fake_of(w), "stop_all", errstr, errstr_size);
}

static void op_destroy(struct ombc_worker *w) {
    (void)w;
}

static int op_stop_load(struct ombc_worker *w, char *errstr, size_t errstr_size) {
    struct fake *f = fake_of(w);
    logf_(f, "stop_load");
    int rc = enter(f, "stop_load", errstr, errstr_size);
    set_rate(f, 0, false);
    return rc;
}

static int op_supervise(struct ombc_worker *w, char *errstr, size_t errstr_size) {
    struct fake *f = fake_of(w);
    f->supervise_calls++;
    if (f->test_start) {
        if (f->now - f->last_supervise > f->max_supervise_gap)
            f->max_supervise_gap = f->now - f->last_supervise;
        f->last_supervise = f->now;
    }
    return enter(f, "supervise", errstr, errstr_size);
}

static int op_agent_restarts(struct ombc_worker *w) {
    (void)w;
    return 0;
}

static const struct ombc_worker_ops fake_ops = {
    .initialize_driver = op_initialize_driver,
    .create_topics = op_create_topics,
    .create_producers = op_create_producers,
    .create_consumers = op_create_consumers,
    .probe_producers = op_probe_producers,
    .start_load = op_start_load,
    .adjust_publish_rate = op_adjust_publish_rate,
    .pause_consumers = op_pause_consumers,
    .resume_consumers = op_resume_consumers,
    .get_period_stats = op_get_period_stats,
    .get_cumulative_latencies = op_get_cumulative_latencies,
    .get_counters_stats = op_get_counters_stats,
    .reset_stats = op_reset_stats,
    .stop_all = op_stop_all,
    .destroy = op_destroy,
    .stop_load = op_stop_load,
    .supervise = op_supervise,
    .agent_restarts = op_agent_restarts,
};

/* ---------------------------------------------------------------- helpers */

static int setup(void **state) {
    struct fake *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    f->base.ops = &fake_ops;
    f->now = T0;
    f->clock = (struct ombc_run_clock){clock_now, clock_wall, clock_sleep, f};
    f->opt = (struct ombc_run_options){.report_interval_s = 10, .quiet = true,
                                       .stop_requested = &f->stop, .clock = &f->clock};
    assert_int_equal(ombc_result_init(&f->result, "test", "fake"), 0);
    *state = f;
    return 0;
}

static int teardown(void **state) {
    struct fake *f = *state;
    for (int i = 0; i < f->ntopics; i++)
        free(f->topics[i]);
    free(f->topics);
    ombc_result_fini(&f->result);
    free(f);
    return 0;
}

/* Runs the generator on the workload in yaml; f->rc, f->err, f->result. */
static void run(struct fake *f, const char *yaml) {
    struct ombc_workload w = {0};
    char err[512];
    int rc = ombc_workload_parse("test.yaml", yaml, strlen(yaml), &w, err, sizeof(err));
    if (rc)
        fail_msg("%s", err);
    f->subs = w.subscriptions_per_topic;
    f->message_size = w.message_size;
    f->rc = ombc_generator_run(&f->base, &w, &f->opt, &f->result, f->err, sizeof(f->err));
    ombc_workload_fini(&w);
}

/* The generator's stderr while it runs yaml (for its warnings). */
static char *run_capturing_stderr(struct fake *f, const char *yaml) {
    FILE *tmp = tmpfile();
    assert_non_null(tmp);
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    assert_true(saved >= 0);
    assert_true(dup2(fileno(tmp), STDERR_FILENO) >= 0);
    run(f, yaml);
    fflush(stderr);
    assert_true(dup2(saved, STDERR_FILENO) >= 0);
    close(saved);
    long len = ftell(tmp);
    assert_true(len >= 0);
    char *text = calloc(1, (size_t)len + 1);
    assert_non_null(text);
    rewind(tmp);
    assert_int_equal(fread(text, 1, (size_t)len, tmp), (size_t)len);
    fclose(tmp);
    return text;
}

/* ---------------------------------------------------------------- tests */

/* OMB's steps in order: topics, consumers, producers, the probe until the
 * consumers received it (read every 2 s), the load at producerRate, the
 * warm-up periods, the stats reset, the test periods; nothing after (the
 * caller stops the worker). */
static void test_phases_in_order(void **state) {
    struct fake *f = *state;
    f->probe_delay = 3 * SEC; /* ready at the third reading: 0, 2, 4 s */
    f->opt.quiet = false;     /* the period and aggregated lines too */
    run(f, SHAPE "producerRate: 1000\nwarmupDurationSeconds: 20\ntestDurationSeconds: 60\n");
    assert_int_equal(f->rc, 0);
    assert_string_equal(f->log, "@0 create_topics(2,3)\n"
                                "@0 create_consumers(12)\n"
                                "@0 create_producers(4)\n"
                                "@0 probe_producers\n"
                                "@4000 start_load(1000.0)\n"
                                "@4000 period_stats\n" /* the warm-up starts */
                                "@14000 period_stats\n"
                                "@24000 period_stats\n"
                                "@24000 reset_stats\n"
                                "@24000 period_stats\n" /* the test starts */
                                "@34000 period_stats\n"
                                "@44000 period_stats\n"
                                "@54000 period_stats\n"
                                "@64000 period_stats\n"
                                "@74000 period_stats\n"
                                "@84000 period_stats\n");
    assert_int_equal(f->counters_reads, 4); /* the probe's 3; the offset resets at the end */
    /* each topic: 2 subscriptions x 3 consumers; 2 producers */
    assert_int_equal(f->consumers_per_topic[0], 6);
    assert_int_equal(f->consumers_per_topic[1], 6);
    assert_int_equal(f->distinct_subscriptions, 4);
    assert_int_equal(f->producers_per_topic[0], 2);
    assert_int_equal(f->producers_per_topic[1], 2);
    assert_int_equal(f->result.period_count, 6);
    assert_false(f->result.incomplete);
    assert_false(f->result.delivery.checked);
    for (size_t i = 0; i < 6; i++)
        assert_float_equal(f->result.periods[i].publish_rate, 1000.0, 0);
    /* the aggregate holds the 6 test periods (reads 5 to 10) only: neither
     * the warm-up nor the readings that open a phase */
    assert_int_equal(f->result.agg_publish_latency.max, 10000);
    assert_int_equal(f->result.agg_publish_latency.p50, 7000);
    assert_float_equal(f->result.agg_publish_latency.avg, 7500.0, 0);
    assert_int_equal(f->result.agg_end_to_end.max, 20000);
    assert_int_equal(f->result.agg_publish_delay.max, 100);
    assert_int_equal(f->result.agg_publish_response.max, 10100);
    const struct ombc_quantile_map *q = &f->result.publish_latency_quantiles;
    assert_true(q->count > 0);
    assert_float_equal(q->items[q->count - 1].percentile, 100.0, 0);
    assert_int_equal(q->items[q->count - 1].value, 10000);
    assert_int_equal(q->items[0].value, 5000);
}

/* Periods last report_interval_s from the phase start; the phase ends at
 * its stated length, the last period cut short there (25 s: 10, 10, 5 s).
 * Each period's rates are its messages over its elapsed time on the
 * coordinator's clock, which here includes a 250 ms period read; the
 * backlog is subscriptions x total sent - total received. */
static void test_period_arithmetic(void **state) {
    struct fake *f = *state;
    f->read_cost = 250 * MS;
    f->consume_cap = 600; /* the consumers fall behind the 2 x 1000 msg/s */
    run(f, SHAPE "producerRate: 1000\ntestDurationSeconds: 25\n" NO_WARMUP);
    assert_int_equal(f->rc, 0);
    assert_int_equal(f->reads, 4); /* the phase's opening read and 3 periods */
    assert_int_equal(f->result.period_count, 3);
    for (int i = 0; i < 3; i++) {
        const struct ombc_period_sample *p = &f->result.periods[i];
        double elapsed = (double)(f->read[i + 1].at - f->read[i].at) / 1e9;
        assert_float_equal(p->publish_rate, (double)f->read[i + 1].sent / elapsed, 1e-9);
        assert_float_equal(p->consume_rate, (double)f->read[i + 1].received / elapsed, 1e-9);
        assert_int_equal(p->backlog, 2 * f->read[i + 1].total_sent - f->read[i + 1].total_received);
        assert_float_equal(p->publish_error_rate, 0.0, 0);
        /* the period's own histograms (read i + 2) */
        assert_int_equal(p->publish_latency.max, 1000 * (i + 2));
        assert_int_equal(p->publish_latency.p99, 1000 * (i + 2));
        assert_int_equal(p->publish_delay.p50, 10 * (i + 2));
        assert_int_equal(p->end_to_end.max, 2000 * (i + 2));
        assert_int_equal(p->publish_response.max, 1010 * (i + 2));
    }
    /* the first period is 10.25 s long (the opening read took 250 ms) and
     * holds 10250 messages; the second, 10 s and 10000 */
    assert_int_equal(f->read[1].sent, 10250);
    assert_int_equal(f->read[1].at - f->read[0].at, 10250 * MS);
    assert_float_equal(f->result.periods[1].publish_rate, 1000.0, 1e-9);
    assert_float_equal(f->result.periods[1].consume_rate, 600.0, 1e-9);
    /* the third ends at 25 s (read at 25.25 s): 4 + 25250 sent, 8 + 600 x
     * 25.25 received, over its own 5 s */
    assert_int_equal(f->read[3].at - f->read[2].at, 5000 * MS);
    assert_int_equal(f->read[3].sent, 5000);
    assert_float_equal(f->result.periods[2].publish_rate, 1000.0, 1e-9);
    assert_int_equal(f->result.periods[2].backlog, 2 * 25254 - 15158);
    /* the aggregate of reads 2, 3, 4 */
    assert_float_equal(f->result.agg_publish_latency.avg, 3000.0, 0);
    assert_int_equal(f->result.agg_publish_latency.max, 4000);
    assert_float_equal(f->result.agg_end_to_end.avg, 6000.0, 0);
    assert_float_equal(f->result.agg_publish_delay.avg, 30.0, 0);
}

/* Phases end at their stated length, not at the next 10 s period: a 2 s
 * warm-up is one 2 s period, a 25 s test two of 10 s and one of 5 s,
 * each rate over its own length. */
static void test_phases_end_at_their_length(void **state) {
    struct fake *f = *state;
    run(f, SHAPE "producerRate: 1000\nwarmupDurationSeconds: 2\ntestDurationSeconds: 25\n");
    assert_int_equal(f->rc, 0);
    assert_non_null(strstr(f->log, "@0 period_stats\n" /* the warm-up starts */
                                   "@2000 period_stats\n"
                                   "@2000 reset_stats\n"
                                   "@2000 period_stats\n" /* the test starts */
                                   "@12000 period_stats\n"
                                   "@22000 period_stats\n"
                                   "@27000 period_stats\n"));
    assert_int_equal(f->now, AT(27000));
    assert_int_equal(f->result.period_count, 3);
    assert_int_equal(f->read[1].sent, 2000); /* the warm-up's 2 s */
    assert_int_equal(f->read[5].sent, 5000); /* the test's last 5 s */
    for (size_t i = 0; i < 3; i++)
        assert_float_equal(f->result.periods[i].publish_rate, 1000.0, 1e-9);
}

/* The consumers never get the probe: OMB's error after 60 s, counters read
 * every 2 s (0, 2, ..., 60), and no load. */
static void test_probe_times_out(void **state) {
    struct fake *f = *state;
    f->probe_delay = -1;
    run(f, SHAPE "producerRate: 1000\ntestDurationSeconds: 60\n" NO_WARMUP);
    assert_int_equal(f->rc, OMBC_ETIMEDOUT);
    assert_non_null(strstr(f->err, "Timed out waiting for consumers to be ready"));
    assert_int_equal(f->now, AT(60000));
    assert_int_equal(f->counters_reads, 31);
    assert_null(strstr(f->log, "start_load"));
    assert_int_equal(f->result.period_count, 0);
}

/* producerRate 0: the load starts at 10000 msg/s, then every 3 s the
 * worker is told the rate OMB's controller computes from the counters
 * (consumers keeping up with at most 15000 msg/s). */
static void test_rate_search(void **state) {
    struct fake *f = *state;
    f->consume_cap = 15000;
    run(f, "topics: 1\npartitionsPerTopic: 1\nmessageSize: 100\nsubscriptionsPerTopic: 1\n"
           "consumerPerSubscription: 1\nproducersPerTopic: 1\n"
           "producerRate: 0\ntestDurationSeconds: 30\n" NO_WARMUP);
    assert_int_equal(f->rc, 0);
    assert_non_null(strstr(f->log, "@0 start_load(10000.0)\n"));
    assert_int_equal(f->adjusts, 10); /* at 3, 6, ..., 30 s */
    struct ombc_rate_controller ctl;
    ombc_rate_controller_init(&ctl);
    double rate = 10000;
    int64_t prev = T0;
    bool ramped_down = false;
    for (int i = 0; i < f->adjusts; i++) {
        assert_int_equal(f->adjust[i].at, prev + 3 * SEC);
        rate = ombc_rate_controller_next(&ctl, rate, f->adjust[i].at - prev, f->adjust[i].sent,
                                         f->adjust[i].received);
        assert_float_equal(f->adjust[i].rate, rate, 0);
        ramped_down |= i > 0 && f->adjust[i].rate < f->adjust[i - 1].rate;
        prev = f->adjust[i].at;
    }
    assert_float_equal(f->adjust[0].rate, 20000.0, 0); /* 30000 in 3 s: ramp up */
    assert_true(ramped_down);                          /* the receive backlog won */
    assert_int_equal(f->result.period_count, 3);
}

/* producerRate 0: the rate found is the highest rate a whole control period
 * of the test phase ran at and ended within both backlog limits (the
 * controller ramped up after it); warm-up periods do not count. Consumers
 * keep up with 15000 msg/s: 10000 (held) -> 20000 (not: backlog) -> ...
 * The periods' verdicts are worked out here from the rates alone: a period
 * held exactly when the next rate is higher. */
static void test_rate_search_finds_rate(void **state) {
    struct fake *f = *state;
    f->consume_cap = 15000;
    run(f, "topics: 1\npartitionsPerTopic: 1\nmessageSize: 100\nsubscriptionsPerTopic: 1\n"
           "consumerPerSubscription: 1\nproducersPerTopic: 1\n"
           "producerRate: 0\nwarmupDurationSeconds: 9\ntestDurationSeconds: 60\n");
    assert_int_equal(f->rc, 0);
    assert_int_equal(f->adjusts, 23); /* at 3, 6, ..., 69 s */
    double best = 0, ran_at = 10000;
    int held = 0, periods = 0;
    for (int i = 0; i < f->adjusts; i++) {
        bool in_test = f->adjust[i].at - 3 * SEC >= AT(9000); /* began in the test phase */
        if (in_test) {
            periods++;
            if (f->adjust[i].rate > ran_at) {
                held++;
                best = ran_at > best ? ran_at : best;
            }
        }
        ran_at = f->adjust[i].rate;
    }
    assert_int_equal(periods, 20);
    assert_true(held > 0 && held < periods);
    assert_true(f->result.rate_searched);
    assert_float_equal(f->result.max_sustainable_rate, best, 0);
    /* near what the consumers manage, and never above it */
    assert_true(best > 0.8 * 15000 && best <= 15000);
}

/* Consumers that receive nothing: no control period holds, and the result
 * says no rate was found (NAN, null in the JSON). */
static void test_rate_search_finds_none(void **state) {
    struct fake *f = *state;
    f->consume_cap = 1e-9; /* nothing arrives */
    run(f, SHAPE "producerRate: 0\ntestDurationSeconds: 30\n" NO_WARMUP);
    assert_int_equal(f->rc, 0);
    assert_true(f->result.rate_searched);
    assert_true(isnan(f->result.max_sustainable_rate));
}

/* consumerBacklogSizeGB: consumers paused after the warm-up, resumed at the
 * first 1 s reading with 1 GiB behind (1048576 messages of 1 KiB, at
 * 10000 msg/s: 105 s), drained (read every 100 ms) to (1 - 0.5) x 1048576
 * messages (at 20000 - 10000 msg/s: 157.6 s), then the test runs its 60 s:
 * the phase ends at 217.6 s, its last period 7.6 s long. */
static void test_backlog_build_and_drain(void **state) {
    struct fake *f = *state;
    f->consume_cap = 20000;
    run(f, "topics: 1\npartitionsPerTopic: 1\nmessageSize: 1024\nsubscriptionsPerTopic: 1\n"
           "consumerPerSubscription: 1\nproducersPerTopic: 1\nproducerRate: 10000\n"
           "consumerBacklogSizeGB: 1\nbacklogDrainRatio: 0.5\ntestDurationSeconds: 60\n" NO_WARMUP);
    assert_int_equal(f->rc, 0);
    assert_non_null(strstr(f->log, "@0 start_load(10000.0)\n"
                                   "@0 pause_consumers\n"
                                   "@0 reset_stats\n"));
    assert_non_null(strstr(f->log, "@100000 period_stats\n"
                                   "@105000 resume_consumers\n"
                                   "@110000 period_stats\n"));
    assert_int_equal(f->result.period_count, 22);
    assert_int_equal(f->now, AT(217600));
    assert_non_null(strstr(f->log, "@210000 period_stats\n@217600 period_stats\n"));
    assert_int_equal(f->result.periods[9].backlog, 1000000); /* 100 s paused */
    assert_float_equal(f->result.periods[9].consume_rate, 0.0, 0);
    assert_float_equal(f->result.periods[11].consume_rate, 20000.0, 1e-9); /* draining */
    assert_int_equal(f->result.periods[21].backlog, 0);
}

#define STALLING_BACKLOG                                                                          \
    "topics: 1\npartitionsPerTopic: 1\nmessageSize: 1024\nsubscriptionsPerTopic: 1\n"          \
    "consumerPerSubscription: 1\nproducersPerTopic: 1\nproducerRate: 10000\n"                  \
    "consumerBacklogSizeGB: 1\nbacklogDrainRatio: 0.5\ntestDurationSeconds: 60\n" NO_WARMUP

/* A backlog that stops draining (700000 messages the consumers never get,
 * more than the 524288 the drain must reach): it falls to 700000 at 140 s,
 * then stays; 30 s later the run ends with OMBC_ETIMEDOUT and a line
 * saying where the backlog stopped, and the periods measured (the one
 * begun included) are the result, marked incomplete. */
static void test_backlog_drain_stalls(void **state) {
    struct fake *f = *state;
    f->consume_cap = 20000;
    f->lost = 700000;
    run(f, STALLING_BACKLOG);
    assert_int_equal(f->rc, OMBC_ETIMEDOUT);
    assert_string_equal(f->err, "the backlog stopped draining at 700000 messages for 30 s (the "
                                "drain ends at 524288): the consumers do not receive what is "
                                "left");
    assert_int_equal(f->now, AT(170000));
    assert_true(f->result.incomplete);
    assert_int_equal(f->result.period_count, 17);
    assert_int_equal(f->result.periods[16].backlog, 700000);
    assert_int_equal(f->result.offset_resets, 0);
}

/* The same, where the worker reports offset resets (the broker dropped
 * messages before the consumers read them): a warning says so while the
 * run goes on, the line that ends it names them, and the result counts
 * them. */
static void test_backlog_drain_stalls_on_offset_resets(void **state) {
    struct fake *f = *state;
    f->consume_cap = 20000;
    f->lost = 700000;
    f->offset_resets = 3;
    char *err = run_capturing_stderr(f, STALLING_BACKLOG);
    assert_int_equal(f->rc, OMBC_ETIMEDOUT);
    assert_string_equal(f->err, "the backlog stopped draining at 700000 messages for 30 s (the "
                                "drain ends at 524288): the broker dropped messages before the "
                                "consumers read them (3 offset resets), and those never arrive");
    assert_non_null(strstr(err, "The broker dropped messages before the consumers read them: 3 "
                                "offset resets so far (librdkafka: \"Offset out of range\")"));
    assert_true(f->result.incomplete);
    assert_int_equal(f->result.offset_resets, 3);
    free(err);
}

/* A period read fails in the test phase: the run ends with the worker's
 * error, and the periods measured so far are the result, marked
 * incomplete. */
static void test_worker_failure_keeps_periods(void **state) {
    struct fake *f = *state;
    f->fail_op = "get_period_stats";
    f->fail_at = AT(35000);
    f->fail_rc = OMBC_EAGENT;
    run(f, SHAPE "producerRate: 1000\ntestDurationSeconds: 60\n" NO_WARMUP);
    assert_int_equal(f->rc, OMBC_EAGENT);
    assert_string_equal(f->err, "fake get_period_stats failed at 40000 ms");
    assert_int_equal(f->result.period_count, 3);
    assert_true(f->result.incomplete);
    assert_int_equal(f->result.agg_publish_latency.max, 4000); /* reads 2 to 4 */
    assert_null(strstr(f->log, "stop_load"));
}

/* A stop request (SIGINT) 25 s into the test: OMBC_EINTR at once, the
 * periods so far and the 5 s begun as the result, marked incomplete. */
static void test_stop_request(void **state) {
    struct fake *f = *state;
    f->stop_at = AT(25000);
    f->opt.check_delivery = true; /* not after a stop */
    run(f, SHAPE "producerRate: 1000\ntestDurationSeconds: 60\n" NO_WARMUP);
    assert_int_equal(f->rc, OMBC_EINTR);
    assert_string_equal(f->err, "interrupted");
    assert_int_equal(f->now, AT(25000));
    assert_true(f->result.incomplete);
    assert_int_equal(f->result.period_count, 3);
    assert_int_equal(f->read[3].sent, 5000);
    assert_float_equal(f->result.periods[2].publish_rate, 1000.0, 1e-9);
    assert_null(strstr(f->log, "stop_load"));
    assert_false(f->result.delivery.checked);
}

/* A stop request while the topics are made, by a worker that finishes the
 * step regardless: nothing more is begun, and the error says where. */
static void test_stop_while_creating_topics(void **state) {
    struct fake *f = *state;
    f->stop_in = "create_topics";
    run(f, SHAPE "producerRate: 1000\ntestDurationSeconds: 60\n" NO_WARMUP);
    assert_int_equal(f->rc, OMBC_EINTR);
    assert_string_equal(f->err, "interrupted while creating topics (all 2 created)");
    assert_string_equal(f->log, "@0 create_topics(2,3)\n");
    assert_int_equal(f->result.period_count, 0);
    assert_false(f->result.incomplete);
}

/* A worker that gives up on a step at a stop request (OMBC_EINTR): the
 * step is named, whatever the worker said, and the next is not begun. */
static void test_stop_while_worker_creates_consumers(void **state) {
    struct fake *f = *state;
    f->stop_in = "create_consumers";
    f->fail_op = "create_consumers";
    f->fail_rc = OMBC_EINTR;
    run(f, SHAPE "producerRate: 1000\ntestDurationSeconds: 60\n" NO_WARMUP);
    assert_int_equal(f->rc, OMBC_EINTR);
    assert_string_equal(f->err, "interrupted while creating consumers");
    assert_string_equal(f->log, "@0 create_topics(2,3)\n"
                                "@0 create_consumers(12)\n");
    assert_false(f->result.incomplete);
}

/* A stop request while waiting for the probe: at once, no load. */
static void test_stop_while_probing(void **state) {
    struct fake *f = *state;
    f->probe_delay = -1;
    f->stop_at = AT(3000);
    run(f, SHAPE "producerRate: 1000\ntestDurationSeconds: 60\n" NO_WARMUP);
    assert_int_equal(f->rc, OMBC_EINTR);
    assert_string_equal(f->err, "interrupted while waiting for the consumers to be ready");
    assert_int_equal(f->now, AT(3000));
    assert_null(strstr(f->log, "start_load"));
    assert_false(f->result.incomplete);
}

/* A stop request during the warm-up: no test phase, nothing in the result
 * (not marked incomplete: there is nothing to write), and the error says
 * how far the warm-up got. */
static void test_stop_during_warmup(void **state) {
    struct fake *f = *state;
    f->stop_at = AT(15000);
    run(f, SHAPE "producerRate: 1000\nwarmupDurationSeconds: 60\ntestDurationSeconds: 60\n");
    assert_int_equal(f->rc, OMBC_EINTR);
    assert_string_equal(f->err, "interrupted during the warm-up (15 s of 60 s)");
    assert_int_equal(f->now, AT(15000));
    assert_null(strstr(f->log, "reset_stats"));
    assert_int_equal(f->result.period_count, 0);
    assert_false(f->result.incomplete);
}

/* --check-delivery: after the last period the load stops, and the counters
 * are read every 100 ms until the consumers (1500 msg/s for 2 x 1000 sent)
 * have caught up: 15000 behind at 30 s, so at 40 s. */
static void test_check_delivery(void **state) {
    struct fake *f = *state;
    f->consume_cap = 1500;
    f->opt.check_delivery = true;
    run(f, SHAPE "producerRate: 1000\ntestDurationSeconds: 30\n" NO_WARMUP);
    assert_int_equal(f->rc, 0);
    assert_non_null(strstr(f->log, "@30000 period_stats\n@30000 stop_load\n"));
    assert_int_equal(f->now, AT(40000));
    const struct ombc_delivery *d = &f->result.delivery;
    assert_true(d->checked);
    assert_int_equal(d->sent, 30004); /* with the 4 probe messages */
    assert_int_equal(d->expected, 60008);
    assert_int_equal(d->received, 60008);
    assert_false(f->result.incomplete);
}

/* Messages that never arrive: the check gives up 10 s after the last
 * progress and reports what was received. */
static void test_check_delivery_reports_missing(void **state) {
    struct fake *f = *state;
    f->lost = 100;
    f->opt.check_delivery = true;
    run(f, SHAPE "producerRate: 1000\ntestDurationSeconds: 30\n" NO_WARMUP);
    assert_int_equal(f->rc, 0);
    assert_int_equal(f->now, AT(40000));
    assert_true(f->result.delivery.checked);
    assert_int_equal(f->result.delivery.expected, 60008);
    assert_int_equal(f->result.delivery.received, 60008 - 100);
}

/* The check itself fails after a whole test phase (the worker dies while
 * the consumers catch up): the test phase's periods are kept, marked
 * incomplete, with the error. */
static void test_check_delivery_failure_keeps_result(void **state) {
    struct fake *f = *state;
    f->consume_cap = 1500;
    f->opt.check_delivery = true;
    f->fail_op = "supervise";
    f->fail_at = AT(35000);
    f->fail_rc = OMBC_EAGENT;
    run(f, SHAPE "producerRate: 1000\ntestDurationSeconds: 30\n" NO_WARMUP);
    assert_int_equal(f->rc, OMBC_EAGENT);
    assert_string_equal(f->err, "fake supervise failed at 35000 ms");
    assert_true(f->result.incomplete);
    assert_int_equal(f->result.period_count, 3);
    assert_false(f->result.delivery.checked);
}

/* --check-delivery with a worker that cannot stop the load: refused before
 * anything is created. */
static void test_check_delivery_needs_stop_load(void **state) {
    struct fake *f = *state;
    struct ombc_worker_ops ops = fake_ops;
    ops.stop_load = NULL;
    f->base.ops = &ops;
    f->opt.check_delivery = true;
    run(f, SHAPE "producerRate: 1000\ntestDurationSeconds: 30\n" NO_WARMUP);
    assert_int_equal(f->rc, OMBC_EINVAL);
    assert_non_null(strstr(f->err, "--check-delivery needs workers that can stop the load"));
    assert_string_equal(f->log, "");
}

/* While a phase waits, the worker is supervised at least every 200 ms. */
static void test_supervised_while_waiting(void **state) {
    struct fake *f = *state;
    run(f, SHAPE "producerRate: 1000\ntestDurationSeconds: 60\n" NO_WARMUP);
    assert_int_equal(f->rc, 0);
    assert_true(f->max_supervise_gap > 0);
    assert_true(f->max_supervise_gap <= OMBC_WORKER_SUPERVISE_MS * MS);
    assert_true(f->supervise_calls >= 60 * 1000 / OMBC_WORKER_SUPERVISE_MS);
}

/* A failed supervision (an agent died for good) ends the run at once, with
 * its error and the periods so far, marked incomplete. */
static void test_supervise_failure_ends_run(void **state) {
    struct fake *f = *state;
    f->fail_op = "supervise";
    f->fail_at = AT(12400);
    f->fail_rc = OMBC_EAGENT;
    run(f, SHAPE "producerRate: 1000\ntestDurationSeconds: 60\n" NO_WARMUP);
    assert_int_equal(f->rc, OMBC_EAGENT);
    assert_string_equal(f->err, "fake supervise failed at 12400 ms");
    assert_int_equal(f->now, AT(12400));
    assert_true(f->result.incomplete);
    assert_int_equal(f->result.period_count, 2); /* 0-10 s and 10-12.4 s */
    assert_int_equal(f->read[2].sent, 2400);
}

/* The worker dies for good: supervision fails, and so does the reading of
 * the period begun; the periods before it still make the result. */
static void test_dead_worker_keeps_periods(void **state) {
    struct fake *f = *state;
    f->fail_op = "supervise get_period_stats";
    f->fail_at = AT(12400);
    f->fail_rc = OMBC_EAGENT;
    run(f, SHAPE "producerRate: 1000\ntestDurationSeconds: 60\n" NO_WARMUP);
    assert_int_equal(f->rc, OMBC_EAGENT);
    assert_string_equal(f->err, "fake supervise failed at 12400 ms");
    assert_true(f->result.incomplete);
    assert_int_equal(f->result.period_count, 1);
    assert_int_equal(f->result.agg_publish_latency.max, 2000); /* read 2 */
}

/* The rate search checks the rate the worker applies against the one it
 * asked: a gap is a warning, an unknown (NAN) rate is none. */
static void test_rate_mismatch_warns(void **state) {
    struct fake *f = *state;
    f->applied = APPLIED_HALF;
    char *err =
        run_capturing_stderr(f, SHAPE "producerRate: 0\ntestDurationSeconds: 10\n" NO_WARMUP);
    assert_int_equal(f->rc, 0);
    assert_non_null(
        strstr(err, "The agents publish at 5000.000 msg/s in all, 10000.000 msg/s was asked"));
    free(err);
}

static void test_nan_applied_rate_no_warning(void **state) {
    struct fake *f = *state;
    f->applied = APPLIED_NAN;
    char *err =
        run_capturing_stderr(f, SHAPE "producerRate: 0\ntestDurationSeconds: 10\n" NO_WARMUP);
    assert_int_equal(f->rc, 0);
    assert_int_equal(f->adjusts, 3);
    assert_null(strstr(err, "WARN"));
    free(err);
}

int main(void) {
    /* OMB's controller defaults, whatever the environment says */
    unsetenv("PUBLISH_BACKLOG_LIMIT");
    unsetenv("RECEIVE_BACKLOG_LIMIT");
    unsetenv("MIN_RAMPING_FACTOR");
    unsetenv("MAX_RAMPING_FACTOR");
    ombc_log_init(OMBC_LOG_WARN, "test");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_phases_in_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_period_arithmetic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_phases_end_at_their_length, setup, teardown),
        cmocka_unit_test_setup_teardown(test_probe_times_out, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rate_search, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rate_search_finds_rate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rate_search_finds_none, setup, teardown),
        cmocka_unit_test_setup_teardown(test_backlog_build_and_drain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_backlog_drain_stalls, setup, teardown),
        cmocka_unit_test_setup_teardown(test_backlog_drain_stalls_on_offset_resets, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_worker_failure_keeps_periods, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stop_request, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stop_while_creating_topics, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stop_while_worker_creates_consumers, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_stop_while_probing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stop_during_warmup, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_delivery, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_delivery_reports_missing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_delivery_failure_keeps_result, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_check_delivery_needs_stop_load, setup, teardown),
        cmocka_unit_test_setup_teardown(test_supervised_while_waiting, setup, teardown),
        cmocka_unit_test_setup_teardown(test_supervise_failure_ends_run, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dead_worker_keeps_periods, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rate_mismatch_warns, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nan_applied_rate_no_warning, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
