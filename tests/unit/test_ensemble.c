/*
 * Unit tests for worker/ensemble: OMB's ensemble over fake member workers:
 * producers and consumers dealt round-robin, the rate split among members
 * that received producers, stats merged (counters summed, histograms
 * added, unknown rates staying unknown), topics created by the leader,
 * optional operations as the members allow, and a member's error reported.
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
#include "worker/ensemble.h"

#define MEMBERS 3

/* A member that records what it was asked and answers stats it was given. */
struct fake {
    struct ombc_worker base;
    struct ombc_worker_ops ops;
    int index;
    int inits, producers, consumers, probes, pauses, resumes, resets, stops, stop_loads;
    char first_topic[32];
    double rate; /* its share: start_load or adjust */
    int64_t sent, received, value_us; /* what its stats report */
    double applied;                   /* its publish_rate_applied */
    int fail_with;                    /* create_producers fails with this */
    bool *destroyed;
};

static struct fake *of(struct ombc_worker *w) {
    return (struct fake *)w;
}

static int f_init(struct ombc_worker *w, const struct ombc_driver_conf *c, char *e, size_t n) {
    (void)c, (void)e, (void)n;
    of(w)->inits++;
    return 0;
}

static int f_topics(struct ombc_worker *w, int topics, int partitions, char ***names, char *e,
                    size_t n) {
    (void)e, (void)n, (void)partitions;
    *names = calloc((size_t)topics, sizeof(**names));
    for (int i = 0; i < topics; i++) {
        (*names)[i] = malloc(32);
        snprintf((*names)[i], 32, "made-by-%d", of(w)->index);
    }
    return 0;
}

static int f_producers(struct ombc_worker *w, const char *const *t, size_t count, char *e,
                       size_t n) {
    struct fake *f = of(w);
    if (f->fail_with)
        return ombc_errf(e, n, f->fail_with, "member %d refuses", f->index);
    f->producers += (int)count;
    snprintf(f->first_topic, sizeof(f->first_topic), "%s", t[0]);
    return 0;
}

static int f_consumers(struct ombc_worker *w, const struct ombc_topic_subscription *s,
                       size_t count, char *e, size_t n) {
    (void)s, (void)e, (void)n;
    of(w)->consumers += (int)count;
    return 0;
}

#define COUNTER(name, field)                                                  \
    static int name(struct ombc_worker *w, char *e, size_t n) {               \
        (void)e, (void)n;                                                     \
        of(w)->field++;                                                       \
        return 0;                                                             \
    }
COUNTER(f_probe, probes)
COUNTER(f_pause, pauses)
COUNTER(f_resume, resumes)
COUNTER(f_reset, resets)
COUNTER(f_stop_all, stops)
COUNTER(f_stop_load, stop_loads)

static int f_start(struct ombc_worker *w, const struct ombc_producer_assignment *a, char *e,
                   size_t n) {
    (void)e, (void)n;
    of(w)->rate = a->publish_rate;
    return 0;
}

static int f_adjust(struct ombc_worker *w, double rate, char *e, size_t n) {
    (void)e, (void)n;
    of(w)->rate = rate;
    return 0;
}

static int f_period(struct ombc_worker *w, struct ombc_period_stats *out, char *e, size_t n) {
    (void)e, (void)n;
    struct fake *f = of(w);
    ombc_period_stats_clear(out);
    out->messages_sent = f->sent;
    out->messages_received = f->received;
    out->total_messages_sent = f->sent;
    ombc_hist_record_n(&out->hist[OMBC_METRIC_PUBLISH_LATENCY], f->value_us, f->sent);
    return 0;
}

static int f_cumulative(struct ombc_worker *w, struct ombc_cumulative_latencies *out, char *e,
                        size_t n) {
    (void)e, (void)n;
    ombc_cumulative_latencies_clear(out);
    ombc_hist_record_n(&out->hist[OMBC_METRIC_END_TO_END], of(w)->value_us, of(w)->received);
    return 0;
}

static int f_counters(struct ombc_worker *w, struct ombc_counters_stats *out, char *e,
                      size_t n) {
    (void)e, (void)n;
    struct fake *f = of(w);
    *out = (struct ombc_counters_stats){.messages_sent = f->sent,
                                        .messages_received = f->received,
                                        .publish_rate_applied = f->applied,
                                        .publish_rate_target = f->rate};
    return 0;
}

static int f_restarts(struct ombc_worker *w) {
    return of(w)->index; /* 0 + 1 + 2 */
}

static void f_destroy(struct ombc_worker *w) {
    *of(w)->destroyed = true;
    free(w);
}

static const struct ombc_worker_ops fake_ops = {
    .initialize_driver = f_init, .create_topics = f_topics, .create_producers = f_producers,
    .create_consumers = f_consumers, .probe_producers = f_probe, .start_load = f_start,
    .adjust_publish_rate = f_adjust, .pause_consumers = f_pause, .resume_consumers = f_resume,
    .get_period_stats = f_period, .get_cumulative_latencies = f_cumulative,
    .get_counters_stats = f_counters, .reset_stats = f_reset, .stop_all = f_stop_all,
    .destroy = f_destroy, .stop_load = f_stop_load, .supervise = NULL,
    .agent_restarts = f_restarts,
};

struct fixture {
    struct fake *m[MEMBERS];
    bool destroyed[MEMBERS];
    struct ombc_worker *e;
    char err[1024];
};

static int setup(void **state) {
    struct fixture *fx = calloc(1, sizeof(*fx));
    struct ombc_worker *members[MEMBERS];
    for (int i = 0; i < MEMBERS; i++) {
        struct fake *f = calloc(1, sizeof(*f));
        f->ops = fake_ops;
        f->base.ops = &f->ops;
        f->index = i;
        f->destroyed = &fx->destroyed[i];
        fx->m[i] = f;
        members[i] = &f->base;
    }
    if (ombc_ensemble_new(members, MEMBERS, &fx->e, fx->err, sizeof(fx->err)) != 0)
        return -1;
    *state = fx;
    return 0;
}

static int teardown(void **state) {
    struct fixture *fx = *state;
    fx->e->ops->destroy(fx->e);
    for (int i = 0; i < MEMBERS; i++)
        assert_true(fx->destroyed[i]);
    free(fx);
    return 0;
}

static void deals_round_robin_and_splits_the_rate(void **state) {
    struct fixture *fx = *state;
    struct ombc_worker *e = fx->e;
    assert_int_equal(e->ops->initialize_driver(e, NULL, fx->err, sizeof(fx->err)), 0);
    const char *topics[] = {"t0", "t1", "t2", "t3"}; /* 4 producers over 3 members */
    assert_int_equal(e->ops->create_producers(e, topics, 4, fx->err, sizeof(fx->err)), 0);
    assert_int_equal(fx->m[0]->producers, 2);
    assert_int_equal(fx->m[1]->producers, 1);
    assert_int_equal(fx->m[2]->producers, 1);
    assert_string_equal(fx->m[0]->first_topic, "t0");
    assert_string_equal(fx->m[2]->first_topic, "t2");
    struct ombc_topic_subscription subs[5];
    for (int i = 0; i < 5; i++)
        subs[i] = (struct ombc_topic_subscription){"t0", "sub"};
    assert_int_equal(e->ops->create_consumers(e, subs, 5, fx->err, sizeof(fx->err)), 0);
    assert_int_equal(fx->m[0]->consumers, 2);
    assert_int_equal(fx->m[1]->consumers, 2);
    assert_int_equal(fx->m[2]->consumers, 1);
    struct ombc_producer_assignment a = {.publish_rate = 900};
    assert_int_equal(e->ops->start_load(e, &a, fx->err, sizeof(fx->err)), 0);
    for (int i = 0; i < MEMBERS; i++) {
        assert_int_equal(fx->m[i]->inits, 1);
        assert_true(fx->m[i]->rate == 300.0);
    }
    assert_int_equal(e->ops->adjust_publish_rate(e, 1500, fx->err, sizeof(fx->err)), 0);
    assert_true(fx->m[1]->rate == 500.0);
    assert_int_equal(e->ops->probe_producers(e, fx->err, sizeof(fx->err)), 0);
    assert_int_equal(e->ops->pause_consumers(e, fx->err, sizeof(fx->err)), 0);
    assert_int_equal(e->ops->resume_consumers(e, fx->err, sizeof(fx->err)), 0);
    assert_int_equal(e->ops->stop_load(e, fx->err, sizeof(fx->err)), 0);
    assert_int_equal(e->ops->stop_all(e, fx->err, sizeof(fx->err)), 0);
    for (int i = 0; i < MEMBERS; i++) {
        assert_int_equal(fx->m[i]->probes, 1);
        assert_int_equal(fx->m[i]->pauses, 1);
        assert_int_equal(fx->m[i]->resumes, 1);
        assert_int_equal(fx->m[i]->stop_loads, 1);
        assert_int_equal(fx->m[i]->stops, 1);
    }
}

/* OMB splits the rate among the members that received producers only. */
static void rate_goes_to_members_with_producers(void **state) {
    struct fixture *fx = *state;
    struct ombc_worker *e = fx->e;
    const char *topics[] = {"t0", "t1"};
    assert_int_equal(e->ops->create_producers(e, topics, 2, fx->err, sizeof(fx->err)), 0);
    struct ombc_producer_assignment a = {.publish_rate = 1000};
    assert_int_equal(e->ops->start_load(e, &a, fx->err, sizeof(fx->err)), 0);
    assert_true(fx->m[0]->rate == 500.0 && fx->m[1]->rate == 500.0);
    assert_true(fx->m[2]->rate == 0.0);
    assert_int_equal(e->ops->probe_producers(e, fx->err, sizeof(fx->err)), 0);
    assert_int_equal(fx->m[2]->probes, 0);
}

static void stats_are_merged(void **state) {
    struct fixture *fx = *state;
    struct ombc_worker *e = fx->e;
    for (int i = 0; i < MEMBERS; i++) {
        fx->m[i]->sent = 10 * (i + 1);     /* 10, 20, 30 */
        fx->m[i]->received = 5 * (i + 1); /* 5, 10, 15 */
        fx->m[i]->value_us = 1000 * (i + 1);
        fx->m[i]->applied = 1.5;
        fx->m[i]->rate = 2;
    }
    struct ombc_period_stats p;
    assert_int_equal(ombc_period_stats_init(&p), 0);
    for (int round = 0; round < 2; round++) { /* a second reading replaces the first */
        assert_int_equal(e->ops->get_period_stats(e, &p, fx->err, sizeof(fx->err)), 0);
        assert_int_equal(p.messages_sent, 60);
        assert_int_equal(p.messages_received, 30);
        assert_int_equal(p.total_messages_sent, 60);
        const struct ombc_hist *h = &p.hist[OMBC_METRIC_PUBLISH_LATENCY];
        assert_int_equal(ombc_hist_total(h), 60);
        assert_int_equal(ombc_hist_value_at_percentile(h, 10.0), 1000); /* 10 of 60 */
        assert_true(llabs(ombc_hist_max(h) - 3000) <= 1);
        assert_int_equal(ombc_hist_total(&p.hist[OMBC_METRIC_END_TO_END]), 0);
    }
    ombc_period_stats_fini(&p);
    struct ombc_cumulative_latencies c;
    assert_int_equal(ombc_cumulative_latencies_init(&c), 0);
    assert_int_equal(e->ops->get_cumulative_latencies(e, &c, fx->err, sizeof(fx->err)), 0);
    assert_int_equal(ombc_hist_total(&c.hist[OMBC_METRIC_END_TO_END]), 30);
    ombc_cumulative_latencies_fini(&c);
    struct ombc_counters_stats k;
    assert_int_equal(e->ops->get_counters_stats(e, &k, fx->err, sizeof(fx->err)), 0);
    assert_int_equal(k.messages_sent, 60);
    assert_int_equal(k.messages_received, 30);
    assert_true(k.publish_rate_applied == 4.5);
    assert_true(k.publish_rate_target == 6.0);
    fx->m[1]->applied = NAN; /* one member cannot tell: the sum cannot either */
    assert_int_equal(e->ops->get_counters_stats(e, &k, fx->err, sizeof(fx->err)), 0);
    assert_true(isnan(k.publish_rate_applied));
    assert_int_equal(e->ops->agent_restarts(e), 0 + 1 + 2);
}

static void leader_creates_topics(void **state) {
    struct fixture *fx = *state;
    char **names = NULL;
    assert_int_equal(fx->e->ops->create_topics(fx->e, 2, 1, &names, fx->err, sizeof(fx->err)),
                     0);
    assert_string_equal(names[0], "made-by-0");
    assert_string_equal(names[1], "made-by-0");
    free(names[0]);
    free(names[1]);
    free(names);
}

static void a_members_error_is_reported(void **state) {
    struct fixture *fx = *state;
    fx->m[1]->fail_with = OMBC_EDRIVER;
    const char *topics[] = {"t0", "t1", "t2"};
    assert_int_equal(fx->e->ops->create_producers(fx->e, topics, 3, fx->err, sizeof(fx->err)),
                     OMBC_EDRIVER);
    assert_string_equal(fx->err, "member 1 refuses");
    assert_int_equal(fx->m[0]->producers, 1); /* the others went ahead */
}

/* Optional operations: the ensemble has stop_load only if every member
 * does, supervise and agent_restarts if any does. */
static void optional_ops_follow_the_members(void **state) {
    (void)state;
    bool destroyed[2] = {false, false};
    struct ombc_worker *members[2];
    for (int i = 0; i < 2; i++) {
        struct fake *f = calloc(1, sizeof(*f));
        f->ops = fake_ops;
        f->base.ops = &f->ops;
        f->destroyed = &destroyed[i];
        members[i] = &f->base;
    }
    ((struct fake *)members[1])->ops.stop_load = NULL;
    ((struct fake *)members[0])->ops.agent_restarts = NULL;
    ((struct fake *)members[1])->ops.agent_restarts = NULL;
    struct ombc_worker *e;
    char err[256];
    assert_int_equal(ombc_ensemble_new(members, 2, &e, err, sizeof(err)), 0);
    assert_null(e->ops->stop_load);
    assert_null(e->ops->supervise);
    assert_null(e->ops->agent_restarts);
    assert_non_null(e->ops->get_period_stats);
    e->ops->destroy(e);
    assert_true(destroyed[0] && destroyed[1]);
}

static void names_and_assignment(void **state) {
    (void)state;
    struct ombc_rng rng;
    ombc_rng_seed(&rng, 0);
    char name[64];
    ombc_ensemble_topic_name(name, sizeof(name), "test-topic", 12, &rng);
    assert_int_equal(strlen(name), strlen("test-topic-0000012-") + 7);
    assert_memory_equal(name, "test-topic-0000012-", strlen("test-topic-0000012-"));
    assert_int_equal(ombc_ensemble_assign(7, 3), 1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(deals_round_robin_and_splits_the_rate, setup, teardown),
        cmocka_unit_test_setup_teardown(rate_goes_to_members_with_producers, setup, teardown),
        cmocka_unit_test_setup_teardown(stats_are_merged, setup, teardown),
        cmocka_unit_test_setup_teardown(leader_creates_topics, setup, teardown),
        cmocka_unit_test_setup_teardown(a_members_error_is_reported, setup, teardown),
        cmocka_unit_test(optional_ops_follow_the_members),
        cmocka_unit_test(names_and_assignment),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
