/*
 * local_worker: OMB's LocalWorker of this host (see local_worker.h): the
 * admin half of the driver for topics, the agent supervisor for processes,
 * and an ensemble of agent workers for everything producers and consumers
 * do. It remembers what it created (topics, subscriptions) to delete it at
 * stop-all. The embedded broker is not its own: the coordinator starts it
 * (run/benchmark.c) and hands it over in conf->fixture with the client
 * configuration, which the agents receive as it is.
 *
 * Topics are created in batches, so that a stop request is honoured between
 * two of them and a long creation says how far it got: for a remote broker,
 * batches sized to take about TOPIC_BATCH_TARGET_NS each (one request per
 * batch); for a broker hosted in this process (the embedded Kafka), one
 * topic at a time: there is no round trip to save, and its cost per topic
 * jumps unpredictably (from under a millisecond to a second, measured), so a
 * batch sized on the last one could take many seconds.
 */
#include "worker/local_worker.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/log.h"
#include "core/random.h"
#include "driver/driver.h"
#include "worker/agent_supervisor.h"
#include "worker/agent_worker.h"
#include "worker/ensemble.h"

#define LOGGER "LocalWorker"
#define TOPIC_BATCH_MAX 1000               /* topics per driver call, at most */
#define TOPIC_BATCH_TARGET_NS 250000000LL  /* what one driver call should take */
#define TOPIC_PROGRESS_NS 5000000000LL     /* a progress line this often */

struct ombc_local_worker {
    struct ombc_worker base;
    const struct ombc_stop *stop_requested; /* the run's stop flag; may be NULL */
    struct ombc_agent_supervisor *sup;
    struct ombc_worker *agents; /* an ensemble of one agent worker per agent */
    struct ombc_rng rng;

    const struct ombc_driver_ops *drv;
    struct ombc_admin *admin;
    bool running; /* driver initialised: stop_all cleans up */
    bool hosted;  /* the broker runs in this process (conf->fixture) */
    char **topics;
    int topic_count;
    struct ombc_broker_subscription *subs; /* distinct (topic, name); strings owned */
    int sub_count, sub_cap;
};

static struct ombc_local_worker *of(struct ombc_worker *w) {
    return (struct ombc_local_worker *)w; /* this file's own ops: w is ours */
}

static int lw_stop_all(struct ombc_worker *w, char *errstr, size_t errstr_size);

static int lw_initialize_driver(struct ombc_worker *w, const struct ombc_driver_conf *conf,
                                char *errstr, size_t errstr_size) {
    struct ombc_local_worker *lw = of(w);
    if (lw->running)
        return ombc_errf(errstr, errstr_size, OMBC_EINVAL, "driver already initialised");
    lw->drv = ombc_driver_find(conf, errstr, errstr_size);
    if (!lw->drv)
        return OMBC_ENOENT;
    /* conf->fixture: the embedded broker the coordinator started for conf */
    int rc = lw->drv->admin_open
                 ? lw->drv->admin_open(conf, conf->fixture, &lw->admin, errstr, errstr_size)
                 : 0;
    if (rc)
        return rc;
    lw->running = true; /* from here on, stop_all cleans up */
    lw->hosted = conf->fixture != NULL;
    ombc_agent_supervisor_reset(lw->sup);
    /* here, on the main thread: an agent dies with the thread that forked it */
    for (int i = 0; rc == 0 && i < ombc_agent_supervisor_count(lw->sup); i++)
        rc = ombc_agent_supervisor_spawn(lw->sup, i, errstr, errstr_size);
    if (rc == 0)
        rc = lw->agents->ops->initialize_driver(lw->agents, conf, errstr, errstr_size);
    if (rc) {
        char ignored[256];
        lw_stop_all(w, ignored, sizeof(ignored));
    }
    return rc;
}

static void free_names(char **names, int n) {
    for (int i = 0; names && i < n; i++)
        free(names[i]);
    free(names);
}

static bool stop_requested(const struct ombc_local_worker *lw) {
    return ombc_stop_requested(lw->stop_requested) != 0;
}

/* The next batch's size: what would have taken the target at the last
 * batch's pace, at most twice the last and TOPIC_BATCH_MAX. */
static int next_batch(int batch, int64_t took_ns) {
    int64_t next = took_ns > 0 ? (int64_t)batch * TOPIC_BATCH_TARGET_NS / took_ns : 2 * batch;
    if (next > 2 * batch)
        next = 2 * batch;
    if (next > TOPIC_BATCH_MAX)
        next = TOPIC_BATCH_MAX;
    return next < 1 ? 1 : (int)next;
}

/* Creates list[0..topics) in batches, remembering each batch tried (even
 * one that failed: deletion tolerates missing topics), and stops between
 * two batches when asked. @return 0, OMBC_EINTR or the driver's error. */
static int create_in_batches(struct ombc_local_worker *lw, char **list, int topics,
                             int partitions, char *errstr, size_t errstr_size) {
    int made = 0, batch = 1, rc = 0;
    int64_t last_line = ombc_now_ns();
    while (made < topics) {
        if (stop_requested(lw))
            return ombc_errf(errstr, errstr_size, OMBC_EINTR,
                             "interrupted while creating topics (%d of %d created)", made,
                             topics);
        int n = topics - made < batch ? topics - made : batch;
        int64_t b0 = ombc_now_ns();
        rc = lw->drv->create_topics(lw->admin, (const char *const *)list + made, n, partitions,
                                    errstr, errstr_size);
        for (int i = made; i < made + n; i++)
            if ((lw->topics[lw->topic_count] = strdup(list[i])))
                lw->topic_count++;
        if (rc)
            return rc;
        made += n;
        int64_t now = ombc_now_ns();
        if (!lw->hosted)
            batch = next_batch(batch, now - b0);
        if (made < topics && now - last_line >= TOPIC_PROGRESS_NS) {
            OMBC_INFO(LOGGER, "Created %d of %d topics", made, topics);
            last_line = now;
        }
    }
    return 0;
}

static int lw_create_topics(struct ombc_worker *w, int topics, int partitions, char ***names,
                            char *errstr, size_t errstr_size) {
    struct ombc_local_worker *lw = of(w);
    if (!lw->running)
        return ombc_errf(errstr, errstr_size, OMBC_EINVAL, "driver not initialised");
    char **list = calloc((size_t)topics + 1, sizeof(*list));
    char **mine = realloc(lw->topics, ((size_t)lw->topic_count + (size_t)topics + 1) *
                                          sizeof(*mine));
    if (mine)
        lw->topics = mine;
    if (!list || !mine) {
        free(list);
        return ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "out of memory");
    }
    size_t len = strlen(lw->drv->topic_prefix) + 32;
    for (int i = 0; i < topics; i++) {
        if (!(list[i] = malloc(len))) {
            free_names(list, i);
            return ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "out of memory");
        }
        ombc_ensemble_topic_name(list[i], len, lw->drv->topic_prefix, i, &lw->rng);
    }
    int rc = 0;
    if (lw->drv->create_topics)
        rc = create_in_batches(lw, list, topics, partitions, errstr, errstr_size);
    else /* nothing made, nothing to wait for: remembered all the same */
        for (int i = 0; i < topics; i++)
            if ((lw->topics[lw->topic_count] = strdup(list[i])))
                lw->topic_count++;
    if (rc) {
        free_names(list, topics);
        return rc;
    }
    *names = list;
    return 0;
}

static int lw_create_producers(struct ombc_worker *w, const char *const *topics, size_t count,
                               char *errstr, size_t errstr_size) {
    struct ombc_worker *e = of(w)->agents;
    return e->ops->create_producers(e, topics, count, errstr, errstr_size);
}

/* Remembers (topic, name) once, for stop-all to delete. */
static int remember_subscription(struct ombc_local_worker *lw, const char *topic,
                                 const char *name) {
    for (int i = lw->sub_count - 1; i >= 0; i--)
        if (strcmp(lw->subs[i].name, name) == 0 && strcmp(lw->subs[i].topic, topic) == 0)
            return 0;
    if (lw->sub_count == lw->sub_cap) {
        int cap = lw->sub_cap ? 2 * lw->sub_cap : 16;
        struct ombc_broker_subscription *grown = realloc(lw->subs, (size_t)cap * sizeof(*grown));
        if (!grown)
            return OMBC_ENOMEM;
        lw->subs = grown;
        lw->sub_cap = cap;
    }
    char *t = strdup(topic), *n = strdup(name);
    if (!t || !n) {
        free(t);
        free(n);
        return OMBC_ENOMEM;
    }
    lw->subs[lw->sub_count++] = (struct ombc_broker_subscription){.topic = t, .name = n};
    return 0;
}

static void forget_subscriptions(struct ombc_local_worker *lw) {
    for (int i = 0; i < lw->sub_count; i++) {
        free((char *)lw->subs[i].topic);
        free((char *)lw->subs[i].name);
    }
    free(lw->subs);
    lw->subs = NULL;
    lw->sub_count = lw->sub_cap = 0;
}

static int lw_create_consumers(struct ombc_worker *w, const struct ombc_topic_subscription *subs,
                               size_t count, char *errstr, size_t errstr_size) {
    struct ombc_local_worker *lw = of(w);
    /* remembered first: a subscription half made is deleted too */
    for (size_t i = 0; i < count; i++)
        if (remember_subscription(lw, subs[i].topic, subs[i].subscription) != 0)
            return ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "out of memory");
    return lw->agents->ops->create_consumers(lw->agents, subs, count, errstr, errstr_size);
}

static int lw_probe_producers(struct ombc_worker *w, char *errstr, size_t errstr_size) {
    struct ombc_worker *e = of(w)->agents;
    return e->ops->probe_producers(e, errstr, errstr_size);
}

static int lw_start_load(struct ombc_worker *w, const struct ombc_producer_assignment *a,
                         char *errstr, size_t errstr_size) {
    struct ombc_worker *e = of(w)->agents;
    return e->ops->start_load(e, a, errstr, errstr_size);
}

static int lw_adjust_publish_rate(struct ombc_worker *w, double rate, char *errstr,
                                  size_t errstr_size) {
    struct ombc_worker *e = of(w)->agents;
    return e->ops->adjust_publish_rate(e, rate, errstr, errstr_size);
}

static int lw_stop_load(struct ombc_worker *w, char *errstr, size_t errstr_size) {
    struct ombc_worker *e = of(w)->agents;
    return e->ops->stop_load(e, errstr, errstr_size);
}

static int lw_pause_consumers(struct ombc_worker *w, char *errstr, size_t errstr_size) {
    struct ombc_worker *e = of(w)->agents;
    return e->ops->pause_consumers(e, errstr, errstr_size);
}

static int lw_resume_consumers(struct ombc_worker *w, char *errstr, size_t errstr_size) {
    struct ombc_worker *e = of(w)->agents;
    return e->ops->resume_consumers(e, errstr, errstr_size);
}

static int lw_get_period_stats(struct ombc_worker *w, struct ombc_period_stats *out,
                               char *errstr, size_t errstr_size) {
    struct ombc_worker *e = of(w)->agents;
    return e->ops->get_period_stats(e, out, errstr, errstr_size);
}

static int lw_get_cumulative_latencies(struct ombc_worker *w,
                                       struct ombc_cumulative_latencies *out, char *errstr,
                                       size_t errstr_size) {
    struct ombc_worker *e = of(w)->agents;
    return e->ops->get_cumulative_latencies(e, out, errstr, errstr_size);
}

static int lw_get_counters_stats(struct ombc_worker *w, struct ombc_counters_stats *out,
                                 char *errstr, size_t errstr_size) {
    struct ombc_worker *e = of(w)->agents;
    return e->ops->get_counters_stats(e, out, errstr, errstr_size);
}

static int lw_reset_stats(struct ombc_worker *w, char *errstr, size_t errstr_size) {
    struct ombc_worker *e = of(w)->agents;
    return e->ops->reset_stats(e, errstr, errstr_size);
}

static int lw_supervise(struct ombc_worker *w, char *errstr, size_t errstr_size) {
    struct ombc_local_worker *lw = of(w);
    return lw->running ? ombc_agent_supervisor_step(lw->sup, errstr, errstr_size) : 0;
}

static int lw_agent_restarts(struct ombc_worker *w) {
    return ombc_agent_supervisor_restarts(of(w)->sup);
}

static int lw_stop_all(struct ombc_worker *w, char *errstr, size_t errstr_size) {
    struct ombc_local_worker *lw = of(w);
    int rc = 0;
    if (lw->running) {
        /* stops the agents: their producers and consumers close first */
        rc = lw->agents->ops->stop_all(lw->agents, errstr, errstr_size);
        if ((lw->topic_count > 0 || lw->sub_count > 0) && lw->drv->delete_topics) {
            char err[1024];
            int drc = lw->drv->delete_topics(lw->admin, (const char *const *)lw->topics,
                                             lw->topic_count, lw->subs, lw->sub_count, err,
                                             sizeof(err));
            if (drc) {
                OMBC_WARN(LOGGER, "Topics left behind: %s", err);
                if (rc == 0)
                    rc = ombc_errf(errstr, errstr_size, drc, "%s", err);
            }
        }
        if (lw->drv->admin_close)
            lw->drv->admin_close(lw->admin);
        lw->admin = NULL;
        lw->running = false;
    }
    free_names(lw->topics, lw->topic_count);
    lw->topics = NULL;
    lw->topic_count = 0;
    forget_subscriptions(lw);
    return rc;
}

static void lw_destroy(struct ombc_worker *w) {
    if (!w)
        return;
    struct ombc_local_worker *lw = of(w);
    char err[256];
    lw_stop_all(w, err, sizeof(err));
    if (lw->agents)
        lw->agents->ops->destroy(lw->agents);
    ombc_agent_supervisor_destroy(lw->sup);
    free(lw);
}

static const struct ombc_worker_ops local_worker_ops = {
    .initialize_driver = lw_initialize_driver,
    .create_topics = lw_create_topics,
    .create_producers = lw_create_producers,
    .create_consumers = lw_create_consumers,
    .probe_producers = lw_probe_producers,
    .start_load = lw_start_load,
    .adjust_publish_rate = lw_adjust_publish_rate,
    .pause_consumers = lw_pause_consumers,
    .resume_consumers = lw_resume_consumers,
    .get_period_stats = lw_get_period_stats,
    .get_cumulative_latencies = lw_get_cumulative_latencies,
    .get_counters_stats = lw_get_counters_stats,
    .reset_stats = lw_reset_stats,
    .stop_all = lw_stop_all,
    .destroy = lw_destroy,
    .stop_load = lw_stop_load,
    .supervise = lw_supervise,
    .agent_restarts = lw_agent_restarts,
};

int ombc_local_worker_new(int agents, const struct ombc_agent_options *opt,
                          struct ombc_local_worker **out, char *errstr, size_t errstr_size) {
    struct ombc_local_worker *lw = calloc(1, sizeof(*lw));
    if (!lw)
        return ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "out of memory");
    lw->base.ops = &local_worker_ops;
    lw->stop_requested = opt->stop_requested;
    ombc_rng_seed(&lw->rng, 0);
    int rc = ombc_agent_supervisor_new(agents, opt, &lw->sup, errstr, errstr_size);
    struct ombc_worker **members = rc == 0 ? calloc((size_t)agents, sizeof(*members)) : NULL;
    if (rc == 0 && !members)
        rc = ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "out of memory");
    int made = 0;
    while (rc == 0 && made < agents) {
        rc = ombc_agent_worker_new(lw->sup, made, &members[made], errstr, errstr_size);
        made += rc == 0;
    }
    if (rc == 0)
        rc = ombc_ensemble_new(members, agents, &lw->agents, errstr, errstr_size);
    else
        for (int i = 0; i < made; i++)
            members[i]->ops->destroy(members[i]);
    free(members);
    if (rc) {
        lw_destroy(&lw->base);
        return rc;
    }
    *out = lw;
    return 0;
}

struct ombc_worker *ombc_local_worker_worker(struct ombc_local_worker *lw) {
    return &lw->base;
}

const struct ombc_agent_stats *const *ombc_local_worker_blocks(const struct ombc_local_worker *lw,
                                                               int *n) {
    return ombc_agent_supervisor_blocks(lw->sup, n);
}

int ombc_local_worker_applied_rates(const struct ombc_local_worker *lw, double *rates, int n) {
    int count;
    const struct ombc_agent_stats *const *blocks = ombc_agent_supervisor_blocks(lw->sup, &count);
    for (int i = 0; i < n && i < count; i++)
        rates[i] = (double)ombc_counter_read(&blocks[i]->counters->rate_applied_milli) / 1000.0;
    return count;
}
