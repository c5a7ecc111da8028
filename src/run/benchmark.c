/*
 * benchmark: one (workload, driver) pair from start to result file (see
 * benchmark.h). OMB's Benchmark.main loop body.
 */
#include "run/benchmark.h"

#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/log.h"
#include "driver/driver.h"
#include "run/run_info.h"
#include "stats/report.h"
#include "stats/result.h"

#define LOGGER "Benchmark"

static void result_file_name(const struct ombc_workload *w, const struct ombc_driver_conf *d,
                             char *out, size_t size) {
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    char date[32];
    strftime(date, sizeof(date), "%Y-%m-%d-%H-%M-%S", &tm);
    snprintf(out, size, "%s-%s-%s.json", w->base_name, d->name, date);
}

/* "<dir>/<result file name without .json>", the stem of a pair's .hlog files. */
static void hlog_prefix(const char *dir, const char *result_name, char *out, size_t size) {
    char base[PATH_MAX];
    snprintf(base, sizeof(base), "%s", result_name);
    char *name = basename(base);
    size_t len = strlen(name);
    if (len > 5 && strcmp(name + len - 5, ".json") == 0)
        name[len - 5] = '\0';
    snprintf(out, size, "%s/%s", dir, name);
}

static int fill_result(struct ombc_result *result, const struct ombc_workload *w,
                       const struct ombc_driver_conf *d, const struct ombc_benchmark_options *opt,
                       char *errstr, size_t errstr_size) {
    int rc = ombc_result_init(result, w->name, d->name);
    if (rc)
        return ombc_errf(errstr, errstr_size, rc, "the result: %s", ombc_strerror(rc));
    result->message_size = w->message_size;
    result->topics = w->topics;
    result->partitions = w->partitions_per_topic;
    result->producers_per_topic = w->producers_per_topic;
    result->consumers_per_topic = w->consumer_per_subscription;
    char ignored[256];
    rc = ombc_run_info_collect(&result->info, w, d, ombc_driver_find(d, ignored, sizeof(ignored)),
                               opt->agents);
    if (rc)
        return ombc_errf(errstr, errstr_size, rc, "the result's run information: %s",
                         ombc_strerror(rc));
    result->info.report_interval_s = opt->run->report_interval_s;
    return 0;
}

/* Writes the result file; @return an exit status. */
static int write_result(struct ombc_result *result, const char *name, bool complete,
                        bool quiet) {
    char fields[PATH_MAX + 64] = "", err[1024];
    cJSON *path = cJSON_CreateString(name);
    char *quoted = path ? cJSON_PrintUnformatted(path) : NULL;
    if (quoted)
        snprintf(fields, sizeof(fields), "\"path\":%s,\"incomplete\":%s", quoted,
                 complete ? "false" : "true");
    cJSON_free(quoted);
    cJSON_Delete(path);
    ombc_log_event(OMBC_LOG_INFO, LOGGER, "result", fields, "Writing %stest result into %s",
                   complete ? "" : "the incomplete ", name);
    if (ombc_report_write_result(result, name, err, sizeof(err)) != 0) {
        fprintf(stderr, "ombc: %s\n", err);
        return OMBC_EXIT_FAILED;
    }
    if (quiet) {
        printf("%s\n", name);
        fflush(stdout);
    }
    const struct ombc_delivery *dl = &result->delivery;
    if (dl->checked && dl->received < dl->expected) {
        fprintf(stderr, "ombc: %" PRId64 " of %" PRId64 " expected messages were never "
                "received\n", dl->expected - dl->received, dl->expected);
        return OMBC_EXIT_FAILED;
    }
    return OMBC_EXIT_OK;
}

/* Judges the consumers (marking the result) and prints ombc's summary
 * after OMB's aggregated line, one result line each. */
static void print_summary(struct ombc_result *result, int subscriptions_per_topic) {
    ombc_result_judge_consumers(result, subscriptions_per_topic);
    char text[2048], fields[1024];
    bool consumers = subscriptions_per_topic > 0;
    ombc_report_summary(text, sizeof(text), result, consumers);
    ombc_report_summary_fields(fields, sizeof(fields), result, consumers);
    bool first = true;
    for (char *line = text, *next; line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        ombc_log_result(LOGGER, "summary", first ? fields : NULL, "%s", line);
        first = false;
    }
}

int ombc_benchmark_host(const struct ombc_driver_conf *d, struct ombc_hosted *h, char *errstr,
                        size_t errstr_size) {
    memset(h, 0, sizeof(*h));
    h->conf = d;
    h->drv = ombc_driver_find(d, errstr, errstr_size);
    if (!h->drv)
        return OMBC_ENOENT;
    if (!h->drv->fixture_start)
        return 0;
    int rc = h->drv->fixture_start(d, &h->fixture, &h->client_conf, errstr, errstr_size);
    if (rc == 0 && h->fixture) {
        h->client_conf.fixture = h->fixture;
        h->conf = &h->client_conf;
    }
    return rc;
}

void ombc_benchmark_unhost(struct ombc_hosted *h) {
    if (h->fixture)
        h->drv->fixture_stop(h->fixture);
    if (h->conf == &h->client_conf)
        ombc_driver_conf_fini(&h->client_conf);
    memset(h, 0, sizeof(*h));
}

static bool stop_requested(const struct ombc_benchmark_options *opt) {
    return ombc_stop_requested(opt->run->stop_requested) != 0;
}

/* The exit status of a run the stop flag ended: 128 + its signal. */
static int interrupted_status(const struct ombc_benchmark_options *opt) {
    return 128 + (stop_requested(opt) ? ombc_stop_requested(opt->run->stop_requested) : 2);
}

/* The one line an interrupted run ends with: where it was stopped (what),
 * what the clean-up did (stop_err: its failure, or "") and whether a result
 * follows. */
static void say_interrupted(const char *what, const char *stop_err, const struct ombc_result *r) {
    char cleanup[1200];
    if (stop_err[0])
        snprintf(cleanup, sizeof(cleanup), "cleaning up failed: %s", stop_err);
    else
        snprintf(cleanup, sizeof(cleanup), "the topics created were deleted and the agents "
                 "stopped");
    if (r->incomplete)
        fprintf(stderr, "ombc: %s; %s; the %zu periods measured are written as an incomplete "
                "result\n", what, cleanup, r->period_count);
    else
        fprintf(stderr, "ombc: %s; %s; the test phase never started: no result written\n",
                what, cleanup);
}

int ombc_benchmark_run_pair(struct ombc_worker *worker, const struct ombc_workload *w,
                            const struct ombc_driver_conf *d,
                            const struct ombc_benchmark_options *opt) {
    char err[2048] = "";
    char name[PATH_MAX], prefix[PATH_MAX + 16];
    if (opt->output)
        snprintf(name, sizeof(name), "%s", opt->output);
    else
        result_file_name(w, d, name, sizeof(name));
    struct ombc_run_options run_opt = *opt->run;
    if (opt->hlog_dir) {
        hlog_prefix(opt->hlog_dir, name, prefix, sizeof(prefix));
        run_opt.hlog_prefix = prefix;
    }
    OMBC_INFO(LOGGER, "--------------- WORKLOAD : %s --- DRIVER : %s---------------",
              w->name ? w->name : w->base_name, d->name);
    struct ombc_hosted hosted;
    int rc = ombc_benchmark_host(d, &hosted, err, sizeof(err));
    if (rc == 0 && (rc = worker->ops->initialize_driver(worker, hosted.conf, err, sizeof(err))))
        ombc_benchmark_unhost(&hosted); /* the worker cleaned up after itself */
    if (rc == OMBC_EINTR || (rc && stop_requested(opt))) {
        fprintf(stderr, "ombc: interrupted while starting the agents; they were stopped; the "
                "test phase never started: no result written\n");
        return interrupted_status(opt);
    }
    if (rc) {
        fprintf(stderr, "ombc: %s\n", err[0] ? err : ombc_strerror(rc));
        return OMBC_EXIT_USAGE; /* configuration or connection: bad input */
    }
    struct ombc_result result = {0};
    int status = OMBC_EXIT_OK;
    rc = fill_result(&result, w, d, opt, err, sizeof(err));
    if (rc == 0)
        rc = ombc_generator_run(worker, w, &run_opt, &result, err, sizeof(err));
    result.agent_restarts = worker->ops->agent_restarts ? worker->ops->agent_restarts(worker)
                                                        : 0;
    /* Stops the load and deletes the topics, before the result is written. */
    char stop_err[1024] = "";
    int stop_rc = worker->ops->stop_all(worker, stop_err, sizeof(stop_err));
    ombc_benchmark_unhost(&hosted); /* after the workers let go of it */
    result.info.end_ms = ombc_wall_ms();
    if (rc == OMBC_EINTR) {
        say_interrupted(result.incomplete || !err[0] ? "interrupted" : err,
                        stop_rc ? (stop_err[0] ? stop_err : ombc_strerror(stop_rc)) : "",
                        &result);
        stop_rc = 0; /* said */
        status = interrupted_status(opt);
    } else if (rc) {
        fprintf(stderr, "ombc: Failed to run the workload '%s' for driver '%s': %s\n",
                w->name ? w->name : w->base_name, d->name, err[0] ? err : ombc_strerror(rc));
        status = OMBC_EXIT_FAILED;
    }
    if (stop_rc) {
        fprintf(stderr, "ombc: stopping the run on driver '%s': %s\n", d->name,
                stop_err[0] ? stop_err : ombc_strerror(stop_rc));
        if (status == OMBC_EXIT_OK)
            status = OMBC_EXIT_FAILED;
    }
    if (rc == 0 || result.incomplete) {
        bool consumers = w->subscriptions_per_topic > 0;
        print_summary(&result, w->subscriptions_per_topic);
        int ws = write_result(&result, name, rc == 0, opt->run->quiet);
        if (ws != OMBC_EXIT_OK && status == OMBC_EXIT_OK)
            status = ws;
        /* a run whose consumers received nothing or fell behind is no
         * measurement of the workload (issue 14) */
        if (consumers && result.consumers != OMBC_CONSUMERS_OK) {
            fprintf(stderr, "ombc: %s\n", ombc_report_verdict_text(result.consumers));
            if (status == OMBC_EXIT_OK)
                status = OMBC_EXIT_FAILED;
        }
    }
    ombc_result_fini(&result);
    return status;
}
