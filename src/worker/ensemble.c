/*
 * ensemble: OMB's DistributedWorkersEnsemble over member Workers (see
 * ensemble.h). Control operations reach the members through
 * ombc_worker_calls (in parallel, first failing member's error reported);
 * stats are read member after member and merged.
 */
#include "worker/ensemble.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "worker/worker_calls.h"

struct member {
    struct ombc_worker *w;
    int producers; /* dealt to it since the last stop-all */
    /* its last readings, merged into the ensemble's (each member keeps its
     * own: a reading writes only the entries that changed since its last) */
    struct ombc_period_stats period;
    struct ombc_cumulative_latencies cumulative;
    bool stats_ready;
};

struct ensemble {
    struct ombc_worker base;
    struct ombc_worker_ops ops; /* this instance's: optional ops as the members allow */
    int n;
    struct member *m;
    struct ombc_worker **workers; /* m[i].w, as the calls take them */
};

static struct ensemble *of(struct ombc_worker *w) {
    return (struct ensemble *)w; /* this file's own ops: w is ours */
}

int ombc_ensemble_assign(int item, int members) {
    return item % members;
}

void ombc_ensemble_topic_name(char *buf, size_t size, const char *prefix, int index,
                              struct ombc_rng *rng) {
    char rnd[16];
    ombc_random_string(rng, 5, rnd);
    snprintf(buf, size, "%s-%07d-%s", prefix, index, rnd);
}

/* The operations that take nothing but the member. */
enum simple_op { PROBE, STOP_LOAD, PAUSE, RESUME, RESET, STOP_ALL };

static int call_simple(struct ombc_worker *w, void *arg, char *errstr, size_t errstr_size) {
    const struct ombc_worker_ops *o = w->ops;
    switch (*(const enum simple_op *)arg) {
    case PROBE: return o->probe_producers(w, errstr, errstr_size);
    case STOP_LOAD: return o->stop_load(w, errstr, errstr_size);
    case PAUSE: return o->pause_consumers(w, errstr, errstr_size);
    case RESUME: return o->resume_consumers(w, errstr, errstr_size);
    case RESET: return o->reset_stats(w, errstr, errstr_size);
    case STOP_ALL: return o->stop_all(w, errstr, errstr_size);
    }
    return ombc_errf(errstr, errstr_size, OMBC_EINVAL, "unknown operation");
}

static int simple(struct ensemble *e, const bool *want, enum simple_op op, char *errstr,
                  size_t errstr_size) {
    return ombc_worker_calls(e->workers, e->n, want, call_simple, NULL, &op, errstr, errstr_size);
}

/* Members that received producers; the rate is split among them (OMB
 * divides by the workers that actually received producers). */
static int producer_members(const struct ensemble *e, bool *want) {
    int used = 0;
    for (int i = 0; i < e->n; i++) {
        want[i] = e->m[i].producers > 0;
        used += want[i];
    }
    return used;
}

/* ---------------------------------------------------------- operations */

static int call_init(struct ombc_worker *w, void *arg, char *errstr, size_t errstr_size) {
    return w->ops->initialize_driver(w, arg, errstr, errstr_size);
}

static int en_initialize_driver(struct ombc_worker *w, const struct ombc_driver_conf *conf,
                                char *errstr, size_t errstr_size) {
    struct ensemble *e = of(w);
    return ombc_worker_calls(e->workers, e->n, NULL, call_init, NULL, (void *)conf, errstr,
                             errstr_size);
}

static int en_create_topics(struct ombc_worker *w, int topics, int partitions, char ***names,
                            char *errstr, size_t errstr_size) {
    struct ombc_worker *leader = of(w)->m[0].w;
    if (!leader->ops->create_topics)
        return ombc_errf(errstr, errstr_size, OMBC_EINVAL, "the ensemble's leader cannot "
                         "create topics");
    return leader->ops->create_topics(leader, topics, partitions, names, errstr, errstr_size);
}

/* One member's share of a dealt list. */
struct share {
    const void **items;
    size_t count;
};

static int call_producers(struct ombc_worker *w, void *arg, char *errstr, size_t errstr_size) {
    const struct share *s = arg;
    return w->ops->create_producers(w, (const char *const *)s->items, s->count, errstr,
                                    errstr_size);
}

static int call_consumers(struct ombc_worker *w, void *arg, char *errstr, size_t errstr_size) {
    const struct share *s = arg;
    const struct ombc_topic_subscription *const *subs =
        (const struct ombc_topic_subscription *const *)s->items;
    struct ombc_topic_subscription *flat = calloc(s->count, sizeof(*flat));
    if (!flat)
        return ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "out of memory");
    for (size_t k = 0; k < s->count; k++)
        flat[k] = *subs[k];
    int rc = w->ops->create_consumers(w, flat, s->count, errstr, errstr_size);
    free(flat);
    return rc;
}

/* Deals items[0..count) (each size bytes apart; the member gets pointers
 * to them) round-robin and calls fn on each member that got some. */
static int deal(struct ensemble *e, const void *items, size_t size, size_t count, bool by_value,
                ombc_worker_call fn, char *errstr, size_t errstr_size) {
    struct share *shares = calloc((size_t)e->n, sizeof(*shares));
    const void **slots = calloc(count ? count : 1, sizeof(*slots));
    void **args = calloc((size_t)e->n, sizeof(*args));
    bool *want = calloc((size_t)e->n, sizeof(*want));
    int rc = 0;
    if (!shares || !slots || !args || !want) {
        rc = ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t k = 0; k < count; k++)
        shares[ombc_ensemble_assign((int)k, e->n)].count++;
    size_t at = 0;
    for (int i = 0; i < e->n; i++) {
        shares[i].items = slots + at;
        at += shares[i].count;
        want[i] = shares[i].count > 0;
        args[i] = &shares[i];
        shares[i].count = 0;
    }
    for (size_t k = 0; k < count; k++) {
        struct share *s = &shares[ombc_ensemble_assign((int)k, e->n)];
        const char *item = (const char *)items + k * size;
        s->items[s->count++] = by_value ? *(const void *const *)item : item;
    }
    rc = ombc_worker_calls(e->workers, e->n, want, fn, args, NULL, errstr, errstr_size);
out:
    free(shares);
    free(slots);
    free(args);
    free(want);
    return rc;
}

static int en_create_producers(struct ombc_worker *w, const char *const *topics, size_t count,
                               char *errstr, size_t errstr_size) {
    struct ensemble *e = of(w);
    int rc = deal(e, topics, sizeof(*topics), count, true, call_producers, errstr, errstr_size);
    if (rc == 0)
        for (size_t k = 0; k < count; k++)
            e->m[ombc_ensemble_assign((int)k, e->n)].producers++;
    return rc;
}

static int en_create_consumers(struct ombc_worker *w, const struct ombc_topic_subscription *subs,
                               size_t count, char *errstr, size_t errstr_size) {
    return deal(of(w), subs, sizeof(*subs), count, false, call_consumers, errstr, errstr_size);
}

static int en_probe_producers(struct ombc_worker *w, char *errstr, size_t errstr_size) {
    struct ensemble *e = of(w);
    bool want[e->n];
    producer_members(e, want);
    return simple(e, want, PROBE, errstr, errstr_size);
}

static int call_start(struct ombc_worker *w, void *arg, char *errstr, size_t errstr_size) {
    return w->ops->start_load(w, arg, errstr, errstr_size);
}

static int en_start_load(struct ombc_worker *w, const struct ombc_producer_assignment *a,
                         char *errstr, size_t errstr_size) {
    struct ensemble *e = of(w);
    bool want[e->n];
    int used = producer_members(e, want);
    if (used == 0)
        return ombc_errf(errstr, errstr_size, OMBC_EINVAL, "no producers to start");
    struct ombc_producer_assignment share = *a;
    share.publish_rate = a->publish_rate / used;
    return ombc_worker_calls(e->workers, e->n, want, call_start, NULL, &share, errstr,
                             errstr_size);
}

static int call_adjust(struct ombc_worker *w, void *arg, char *errstr, size_t errstr_size) {
    return w->ops->adjust_publish_rate(w, *(const double *)arg, errstr, errstr_size);
}

static int en_adjust_publish_rate(struct ombc_worker *w, double rate, char *errstr,
                                  size_t errstr_size) {
    struct ensemble *e = of(w);
    bool want[e->n];
    int used = producer_members(e, want);
    if (used == 0)
        return 0;
    double share = rate / used;
    return ombc_worker_calls(e->workers, e->n, want, call_adjust, NULL, &share, errstr,
                             errstr_size);
}

static int en_stop_load(struct ombc_worker *w, char *errstr, size_t errstr_size) {
    struct ensemble *e = of(w);
    bool want[e->n];
    producer_members(e, want);
    return simple(e, want, STOP_LOAD, errstr, errstr_size);
}

static int en_pause_consumers(struct ombc_worker *w, char *errstr, size_t errstr_size) {
    return simple(of(w), NULL, PAUSE, errstr, errstr_size);
}

static int en_resume_consumers(struct ombc_worker *w, char *errstr, size_t errstr_size) {
    return simple(of(w), NULL, RESUME, errstr, errstr_size);
}

/* Members' stats are merged: counters summed, histograms added. With one
 * member its reading is the ensemble's, unmerged. */
static int ready_scratch(struct member *m, char *errstr, size_t errstr_size) {
    if (m->stats_ready)
        return 0;
    if (ombc_period_stats_init(&m->period) != 0)
        return ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "out of memory");
    if (ombc_cumulative_latencies_init(&m->cumulative) != 0) {
        ombc_period_stats_fini(&m->period);
        return ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "out of memory");
    }
    m->stats_ready = true;
    return 0;
}

static int en_get_period_stats(struct ombc_worker *w, struct ombc_period_stats *out,
                               char *errstr, size_t errstr_size) {
    struct ensemble *e = of(w);
    if (e->n == 1)
        return e->m[0].w->ops->get_period_stats(e->m[0].w, out, errstr, errstr_size);
    ombc_period_stats_clear(out);
    for (int i = 0; i < e->n; i++) {
        struct member *m = &e->m[i];
        int rc = ready_scratch(m, errstr, errstr_size);
        if (rc == 0)
            rc = m->w->ops->get_period_stats(m->w, &m->period, errstr, errstr_size);
        if (rc)
            return rc;
        ombc_period_stats_add(out, &m->period);
    }
    return 0;
}

static int en_get_cumulative_latencies(struct ombc_worker *w,
                                       struct ombc_cumulative_latencies *out, char *errstr,
                                       size_t errstr_size) {
    struct ensemble *e = of(w);
    if (e->n == 1)
        return e->m[0].w->ops->get_cumulative_latencies(e->m[0].w, out, errstr, errstr_size);
    ombc_cumulative_latencies_clear(out);
    for (int i = 0; i < e->n; i++) {
        struct member *m = &e->m[i];
        int rc = ready_scratch(m, errstr, errstr_size);
        if (rc == 0)
            rc = m->w->ops->get_cumulative_latencies(m->w, &m->cumulative, errstr, errstr_size);
        if (rc)
            return rc;
        ombc_cumulative_latencies_add(out, &m->cumulative);
    }
    return 0;
}

static int en_get_counters_stats(struct ombc_worker *w, struct ombc_counters_stats *out,
                                 char *errstr, size_t errstr_size) {
    struct ensemble *e = of(w);
    memset(out, 0, sizeof(*out));
    for (int i = 0; i < e->n; i++) {
        struct ombc_counters_stats c;
        int rc = e->m[i].w->ops->get_counters_stats(e->m[i].w, &c, errstr, errstr_size);
        if (rc)
            return rc;
        ombc_counters_stats_add(out, &c);
    }
    return 0;
}

static int en_reset_stats(struct ombc_worker *w, char *errstr, size_t errstr_size) {
    return simple(of(w), NULL, RESET, errstr, errstr_size);
}

static int en_stop_all(struct ombc_worker *w, char *errstr, size_t errstr_size) {
    struct ensemble *e = of(w);
    for (int i = 0; i < e->n; i++)
        e->m[i].producers = 0;
    return simple(e, NULL, STOP_ALL, errstr, errstr_size);
}

static int en_supervise(struct ombc_worker *w, char *errstr, size_t errstr_size) {
    struct ensemble *e = of(w);
    for (int i = 0; i < e->n; i++) {
        struct ombc_worker *m = e->m[i].w;
        int rc = m->ops->supervise ? m->ops->supervise(m, errstr, errstr_size) : 0;
        if (rc)
            return rc;
    }
    return 0;
}

static int en_agent_restarts(struct ombc_worker *w) {
    struct ensemble *e = of(w);
    int sum = 0;
    for (int i = 0; i < e->n; i++)
        if (e->m[i].w->ops->agent_restarts)
            sum += e->m[i].w->ops->agent_restarts(e->m[i].w);
    return sum;
}

static void en_destroy(struct ombc_worker *w) {
    if (!w)
        return;
    struct ensemble *e = of(w);
    for (int i = 0; i < e->n; i++) {
        struct member *m = &e->m[i];
        if (m->w)
            m->w->ops->destroy(m->w);
        if (m->stats_ready) {
            ombc_period_stats_fini(&m->period);
            ombc_cumulative_latencies_fini(&m->cumulative);
        }
    }
    free(e->m);
    free(e->workers);
    free(e);
}

static const struct ombc_worker_ops ensemble_ops = {
    .initialize_driver = en_initialize_driver,
    .create_topics = en_create_topics,
    .create_producers = en_create_producers,
    .create_consumers = en_create_consumers,
    .probe_producers = en_probe_producers,
    .start_load = en_start_load,
    .adjust_publish_rate = en_adjust_publish_rate,
    .pause_consumers = en_pause_consumers,
    .resume_consumers = en_resume_consumers,
    .get_period_stats = en_get_period_stats,
    .get_cumulative_latencies = en_get_cumulative_latencies,
    .get_counters_stats = en_get_counters_stats,
    .reset_stats = en_reset_stats,
    .stop_all = en_stop_all,
    .destroy = en_destroy,
    .stop_load = en_stop_load,
    .supervise = en_supervise,
    .agent_restarts = en_agent_restarts,
};

int ombc_ensemble_new(struct ombc_worker *const *members, int n, struct ombc_worker **out,
                      char *errstr, size_t errstr_size) {
    struct ensemble *e = n >= 1 ? calloc(1, sizeof(*e)) : NULL;
    struct member *m = e ? calloc((size_t)n, sizeof(*m)) : NULL;
    struct ombc_worker **workers = m ? calloc((size_t)n, sizeof(*workers)) : NULL;
    if (!workers) {
        free(m);
        free(e);
        for (int i = 0; i < n; i++)
            members[i]->ops->destroy(members[i]);
        return n < 1 ? ombc_errf(errstr, errstr_size, OMBC_EINVAL, "an ensemble needs members")
                     : ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "out of memory");
    }
    e->n = n;
    e->m = m;
    e->workers = workers;
    e->ops = ensemble_ops;
    bool all_stop_load = true, any_supervise = false, any_restarts = false;
    for (int i = 0; i < n; i++) {
        m[i].w = workers[i] = members[i];
        all_stop_load = all_stop_load && members[i]->ops->stop_load;
        any_supervise = any_supervise || members[i]->ops->supervise;
        any_restarts = any_restarts || members[i]->ops->agent_restarts;
    }
    if (!all_stop_load)
        e->ops.stop_load = NULL;
    if (!any_supervise)
        e->ops.supervise = NULL;
    if (!any_restarts)
        e->ops.agent_restarts = NULL;
    e->base.ops = &e->ops;
    *out = &e->base;
    return 0;
}
