/*
 * agent_worker: one agent process as a Worker (see agent_worker.h). The
 * commands are agent.c's: init, create_producers, create_consumers, probe,
 * start_load (payloads follow as raw frames), adjust_rate, stop_load,
 * pause, resume, stop.
 */
#include "worker/agent_worker.h"

#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "stats/collector.h"

struct agent_worker {
    struct ombc_worker base;
    struct ombc_agent_supervisor *sup;
    int index;
    struct ombc_agent_stats *block[1];
    struct ombc_collector collector;
    int producers;
    bool loaded;       /* publishing at rate */
    double rate;       /* msg/s it was last told */
    struct ombc_producer_assignment assignment; /* payloads: the caller's, for the run */
};

static struct agent_worker *of(struct ombc_worker *w) {
    return (struct agent_worker *)w; /* this file's own ops table: w is ours */
}

/* Sends {"op": op} (plus what build added) and, when slot is not NULL or
 * remember is set, keeps it for a restart. */
static int command(struct agent_worker *a, cJSON *cmd, const struct ombc_payload *frames,
                   size_t frame_count, int timeout_ms, bool remember, const char *slot,
                   char *errstr, size_t errstr_size) {
    if (!cmd)
        return ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "out of memory");
    int rc = ombc_agent_supervisor_call(a->sup, a->index, cmd, frames, frame_count, timeout_ms,
                                        errstr, errstr_size);
    if (rc == 0 && (remember || slot))
        ombc_agent_supervisor_remember(a->sup, a->index, slot, cmd, frames, frame_count);
    else
        cJSON_Delete(cmd);
    return rc;
}

static cJSON *op(const char *name) {
    cJSON *cmd = cJSON_CreateObject();
    if (cmd && !cJSON_AddStringToObject(cmd, "op", name)) {
        cJSON_Delete(cmd);
        return NULL;
    }
    return cmd;
}

static int simple(struct agent_worker *a, const char *name, char *errstr, size_t errstr_size) {
    return command(a, op(name), NULL, 0, OMBC_AGENT_COMMAND_TIMEOUT_MS, false, NULL, errstr,
                   errstr_size);
}

static int aw_initialize_driver(struct ombc_worker *w, const struct ombc_driver_conf *conf,
                                char *errstr, size_t errstr_size) {
    struct agent_worker *a = of(w);
    a->producers = 0;
    a->loaded = false;
    cJSON *cmd = op("init");
    if (cmd) {
        cJSON_AddStringToObject(cmd, "driver_path", conf->path);
        cJSON_AddStringToObject(cmd, "driver_yaml", conf->raw);
    }
    return command(a, cmd, NULL, 0, OMBC_AGENT_SETUP_TIMEOUT_MS, true, NULL, errstr,
                   errstr_size);
}

static int aw_create_producers(struct ombc_worker *w, const char *const *topics, size_t count,
                               char *errstr, size_t errstr_size) {
    struct agent_worker *a = of(w);
    cJSON *cmd = op("create_producers");
    cJSON *list = cmd ? cJSON_AddArrayToObject(cmd, "topics") : NULL;
    for (size_t t = 0; list && t < count; t++)
        cJSON_AddItemToArray(list, cJSON_CreateString(topics[t]));
    int rc = command(a, cmd, NULL, 0, OMBC_AGENT_SETUP_TIMEOUT_MS, true, NULL, errstr,
                     errstr_size);
    if (rc == 0)
        a->producers += (int)count;
    return rc;
}

static int aw_create_consumers(struct ombc_worker *w, const struct ombc_topic_subscription *subs,
                               size_t count, char *errstr, size_t errstr_size) {
    cJSON *cmd = op("create_consumers");
    cJSON *list = cmd ? cJSON_AddArrayToObject(cmd, "subscriptions") : NULL;
    for (size_t s = 0; list && s < count; s++) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "topic", subs[s].topic);
        cJSON_AddStringToObject(e, "subscription", subs[s].subscription);
        cJSON_AddItemToArray(list, e);
    }
    return command(of(w), cmd, NULL, 0, OMBC_AGENT_SETUP_TIMEOUT_MS, true, NULL, errstr,
                   errstr_size);
}

static int aw_probe_producers(struct ombc_worker *w, char *errstr, size_t errstr_size) {
    return of(w)->producers > 0 ? simple(of(w), "probe", errstr, errstr_size) : 0;
}

/* The start_load command at the current rate: sent, and kept in the "load"
 * slot, so that a restarted agent publishes at the rate of the moment. */
static cJSON *start_load_command(const struct agent_worker *a) {
    cJSON *cmd = op("start_load");
    if (cmd) {
        cJSON_AddNumberToObject(cmd, "rate", a->rate);
        cJSON_AddNumberToObject(cmd, "key_distributor", a->assignment.key_distributor);
        cJSON_AddNumberToObject(cmd, "payload_count", (double)a->assignment.payload_count);
    }
    return cmd;
}

static int aw_start_load(struct ombc_worker *w, const struct ombc_producer_assignment *as,
                         char *errstr, size_t errstr_size) {
    struct agent_worker *a = of(w);
    if (a->producers == 0)
        return 0;
    a->assignment = *as;
    a->rate = as->publish_rate;
    a->loaded = true;
    return command(a, start_load_command(a), as->payloads, as->payload_count,
                   OMBC_AGENT_SETUP_TIMEOUT_MS, true, "load", errstr, errstr_size);
}

static int aw_adjust_publish_rate(struct ombc_worker *w, double rate, char *errstr,
                                  size_t errstr_size) {
    struct agent_worker *a = of(w);
    if (a->producers == 0)
        return 0;
    a->rate = rate;
    cJSON *cmd = op("adjust_rate");
    if (cmd)
        cJSON_AddNumberToObject(cmd, "rate", rate);
    int rc = command(a, cmd, NULL, 0, OMBC_AGENT_COMMAND_TIMEOUT_MS, false, NULL, errstr,
                     errstr_size);
    if (rc == 0 && a->loaded)
        ombc_agent_supervisor_remember(a->sup, a->index, "load", start_load_command(a),
                                       a->assignment.payloads, a->assignment.payload_count);
    return rc;
}

static int aw_stop_load(struct ombc_worker *w, char *errstr, size_t errstr_size) {
    struct agent_worker *a = of(w);
    if (a->producers == 0)
        return 0;
    a->loaded = false;
    ombc_agent_supervisor_remember(a->sup, a->index, "load", NULL, NULL, 0);
    return simple(a, "stop_load", errstr, errstr_size);
}

static int aw_pause_consumers(struct ombc_worker *w, char *errstr, size_t errstr_size) {
    return command(of(w), op("pause"), NULL, 0, OMBC_AGENT_COMMAND_TIMEOUT_MS, false, "pause",
                   errstr, errstr_size);
}

static int aw_resume_consumers(struct ombc_worker *w, char *errstr, size_t errstr_size) {
    struct agent_worker *a = of(w);
    ombc_agent_supervisor_remember(a->sup, a->index, "pause", NULL, NULL, 0);
    return simple(a, "resume", errstr, errstr_size);
}

static int aw_get_period_stats(struct ombc_worker *w, struct ombc_period_stats *out,
                               char *errstr, size_t errstr_size) {
    (void)errstr;
    (void)errstr_size;
    ombc_collector_period(&of(w)->collector, out);
    return 0;
}

static int aw_get_cumulative_latencies(struct ombc_worker *w,
                                       struct ombc_cumulative_latencies *out, char *errstr,
                                       size_t errstr_size) {
    (void)errstr;
    (void)errstr_size;
    ombc_collector_cumulative(&of(w)->collector, out);
    return 0;
}

static int aw_get_counters_stats(struct ombc_worker *w, struct ombc_counters_stats *out,
                                 char *errstr, size_t errstr_size) {
    (void)errstr;
    (void)errstr_size;
    struct agent_worker *a = of(w);
    ombc_collector_counters(&a->collector, out);
    /* agent.c applies at least 1 msg/s, as OMB's LocalWorker does */
    out->publish_rate_target =
        a->loaded && a->producers > 0 ? (a->rate < 1.0 ? 1.0 : a->rate) : 0;
    return 0;
}

static int aw_reset_stats(struct ombc_worker *w, char *errstr, size_t errstr_size) {
    (void)errstr;
    (void)errstr_size;
    ombc_collector_reset_latencies(&of(w)->collector);
    return 0;
}

static int aw_stop_all(struct ombc_worker *w, char *errstr, size_t errstr_size) {
    (void)errstr;
    (void)errstr_size;
    struct agent_worker *a = of(w);
    ombc_agent_supervisor_stop(a->sup, a->index);
    a->producers = 0;
    a->loaded = false;
    a->rate = 0;
    memset(&a->assignment, 0, sizeof(a->assignment));
    ombc_collector_reset_all(&a->collector);
    return 0;
}

static void aw_destroy(struct ombc_worker *w) {
    if (!w)
        return;
    struct agent_worker *a = of(w);
    ombc_agent_supervisor_stop(a->sup, a->index);
    ombc_collector_fini(&a->collector);
    free(a);
}

static const struct ombc_worker_ops agent_worker_ops = {
    .initialize_driver = aw_initialize_driver,
    .create_topics = NULL, /* the local worker creates them */
    .create_producers = aw_create_producers,
    .create_consumers = aw_create_consumers,
    .probe_producers = aw_probe_producers,
    .start_load = aw_start_load,
    .adjust_publish_rate = aw_adjust_publish_rate,
    .pause_consumers = aw_pause_consumers,
    .resume_consumers = aw_resume_consumers,
    .get_period_stats = aw_get_period_stats,
    .get_cumulative_latencies = aw_get_cumulative_latencies,
    .get_counters_stats = aw_get_counters_stats,
    .reset_stats = aw_reset_stats,
    .stop_all = aw_stop_all,
    .destroy = aw_destroy,
    .stop_load = aw_stop_load,
    .supervise = NULL, /* the local worker supervises every agent at once */
    .agent_restarts = NULL,
};

int ombc_agent_worker_new(struct ombc_agent_supervisor *s, int i, struct ombc_worker **out,
                          char *errstr, size_t errstr_size) {
    struct agent_worker *a = calloc(1, sizeof(*a));
    if (!a)
        return ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "out of memory");
    a->base.ops = &agent_worker_ops;
    a->sup = s;
    a->index = i;
    a->block[0] = ombc_agent_supervisor_block(s, i);
    if (ombc_collector_init(&a->collector, a->block, 1) != 0) {
        free(a);
        return ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "out of memory");
    }
    *out = &a->base;
    return 0;
}
