/*
 * cmd_calibrate: `ombc calibrate [--agents N] [--seconds S]`. Runs the null
 * driver (no broker) as fast as the agents can publish, first with one agent
 * and then with N, and prints the messages per second ombc itself can
 * schedule, send and record on this machine: the ceiling above which a
 * benchmark measures ombc rather than the broker.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/help.h"
#include "config/driver_conf.h"
#include "config/workload.h"
#include "core/err.h"
#include "core/log.h"
#include "core/units.h"
#include "run/generator.h"
#include "stats/result.h"
#include "worker/local_worker.h"

#define UNLIMITED_RATE 1e9 /* msg/s: far above any agent, so it never waits */

static const char null_driver_yaml[] = "name: null-driver\ndriverClass: ombc.NullDriver\n";

static void calibrate_usage(FILE *out) {
    ombc_help_usage(out, "calibrate");
}

/* Runs the null driver with n agents for seconds. @return the mean
 * publish rate over the measured periods (msg/s), or -1. */
static double measure(const char *exe, int n, int seconds) {
    char yaml[512], err[1024] = "";
    snprintf(yaml, sizeof(yaml),
             "name: calibrate\ntopics: 1\npartitionsPerTopic: 1\nmessageSize: 100\n"
             "subscriptionsPerTopic: 1\nconsumerPerSubscription: %d\nproducersPerTopic: %d\n"
             "producerRate: %.0f\ntestDurationSeconds: %d\nwarmupDurationSeconds: 1\n",
             n, n, UNLIMITED_RATE, seconds);
    struct ombc_workload w = {0};
    struct ombc_driver_conf d = {0};
    struct ombc_local_worker *local = NULL;
    struct ombc_worker *worker = NULL;
    struct ombc_result result = {0};
    double rate = -1;
    int rc = ombc_workload_parse("calibrate.yaml", yaml, strlen(yaml), &w, err, sizeof(err));
    if (rc == 0)
        rc = ombc_driver_conf_parse("null.yaml", null_driver_yaml, strlen(null_driver_yaml), &d,
                                    err, sizeof(err));
    if (rc == 0)
        rc = ombc_local_worker_new(
            n, &(struct ombc_agent_options){.exe = exe, .spin_us = OMBC_DEFAULT_SPIN_US}, &local,
            err, sizeof(err));
    if (rc == 0)
        worker = ombc_local_worker_worker(local);
    if (rc == 0)
        rc = worker->ops->initialize_driver(worker, &d, err, sizeof(err));
    if (rc == 0 && (rc = ombc_result_init(&result, "calibrate", "null")) == 0) {
        struct ombc_run_options opt = {.report_interval_s = 1, .quiet = true};
        rc = ombc_generator_run(worker, &w, &opt, &result, err, sizeof(err));
        char ignored[256];
        worker->ops->stop_all(worker, ignored, sizeof(ignored));
    }
    if (rc == 0 && result.period_count > 0) {
        double sum = 0;
        for (size_t i = 0; i < result.period_count; i++)
            sum += result.periods[i].publish_rate;
        rate = sum / (double)result.period_count;
    } else if (rc) {
        fprintf(stderr, "ombc calibrate: %s\n", err[0] ? err : ombc_strerror(rc));
    }
    ombc_result_fini(&result);
    if (worker)
        worker->ops->destroy(worker);
    ombc_driver_conf_fini(&d);
    ombc_workload_fini(&w);
    return rate;
}

int ombc_cmd_calibrate(int argc, char **argv, const char *exe) {
    struct option opts[8];
    char shortopts[16];
    if (ombc_help_getopt("calibrate", "", opts, 8, shortopts, sizeof(shortopts)) != 0)
        return OMBC_EXIT_FAILED; /* cannot happen: the table fits */
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    int agents = cpus > 0 ? (int)cpus : 1, seconds = 5;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, shortopts, opts, NULL)) != -1) {
        int64_t v;
        switch (c) {
        case 'a':
        case 's':
            if (ombc_units_parse_int(optarg, 1, c == 'a' ? 1024 : 3600, &v, NULL, 0) != 0) {
                fprintf(stderr, "ombc calibrate: --%s must be an integer between 1 and %d\n",
                        c == 'a' ? "agents" : "seconds", c == 'a' ? 1024 : 3600);
                return OMBC_EXIT_USAGE;
            }
            *(c == 'a' ? &agents : &seconds) = (int)v;
            break;
        case 'h': calibrate_usage(stdout); return OMBC_EXIT_OK;
        default: calibrate_usage(stderr); return OMBC_EXIT_USAGE;
        }
    }
    if (optind < argc) {
        calibrate_usage(stderr);
        return OMBC_EXIT_USAGE;
    }
    ombc_log_init(OMBC_LOG_ERROR, "main");
    printf("ombc's ceiling on this machine (null driver, 100-byte messages, full recording):\n");
    int counts[2] = {1, agents};
    for (int i = 0; i < (agents > 1 ? 2 : 1); i++) {
        double rate = measure(exe, counts[i], seconds);
        if (rate < 0)
            return OMBC_EXIT_FAILED;
        printf("  %2d agent%s %12.0f msg/s  (%.0f msg/s per agent)\n", counts[i],
               counts[i] > 1 ? "s:" : ": ", rate, rate / counts[i]);
        fflush(stdout);
    }
    return OMBC_EXIT_OK;
}
