/*
 * cmd_run: `ombc run`, OMB's Benchmark main loop. Loads and checks every
 * workload and driver file before anything runs (bad input: one line, exit
 * 2), then runs each workload (sorted by file base name) with each driver (in
 * -d order) on a pool of agent processes, writing one result file per pair.
 * A pair that fails is reported and the others still run (exit 1).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


#include "cli/cli.h"
#include "cli/help.h"
#include "cli/inputs.h"
#include "config/driver_conf.h"
#include "config/workload.h"
#include "core/err.h"
#include "core/log.h"
#include "core/stop.h"
#include "core/units.h"
#include "run/generator.h"
#include "run/metrics_server.h"
#include "run/benchmark.h"
#include "worker/local_worker.h"

#define LOGGER "Benchmark"
#define DEFAULT_DRIVER OMBC_INPUTS_DEFAULT_DRIVER
#define DEFAULT_AGENT_RESTARTS 3

static struct ombc_stop stop_signal; /* read by other threads too: core/stop.h */

static void on_signal(int sig) {
    int saved = errno;
    if (ombc_stop_requested(&stop_signal)) /* a second signal: leave at once */
        _exit(128 + sig);
    ombc_stop_raise(&stop_signal, sig);
    errno = saved;
}

static void run_usage(FILE *out) {
    ombc_help_usage(out, "run");
}

static int parse_int(const char *opt, const char *s, int min, int max, int *out) {
    int64_t v;
    if (ombc_units_parse_int(s, min, max, &v, NULL, 0) != 0) {
        fprintf(stderr, "ombc run: %s must be an integer between %d and %d, got '%s'\n", opt,
                min, max, s);
        return -1;
    }
    *out = (int)v;
    return 0;
}

static int parse_positive(const char *opt, const char *s, int max, int *out) {
    return parse_int(opt, s, 1, max, out);
}

static int parse_count(const char *opt, const char *s, int max, int *out) {
    return parse_int(opt, s, 0, max, out);
}

/* Whether a file can be written at path: its directory exists and is
 * writable, and path is not a directory (nor a file that cannot be
 * written). Nothing is created. @return 0, or -1 with a line on stderr. */
static int check_output(const char *opt, const char *path) {
    char dir[PATH_MAX];
    snprintf(dir, sizeof(dir), "%s", path);
    const char *d = dirname(dir);
    struct stat st;
    int err = 0;
    if (stat(d, &st) != 0)
        err = errno;
    else if (!S_ISDIR(st.st_mode))
        err = ENOTDIR;
    else if (access(d, W_OK | X_OK) != 0)
        err = errno;
    else if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        err = EISDIR;
    else if (stat(path, &st) == 0 && access(path, W_OK) != 0)
        err = errno;
    if (err == 0)
        return 0;
    fprintf(stderr, "ombc run: %s: cannot write %s: %s\n", opt, path, strerror(err));
    return -1;
}

/* --hlog DIR made if missing, and writable: before anything starts.
 * @return 0, or -1 with a line on stderr. */
static int check_hlog_dir(const char *dir) {
    struct stat st;
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "ombc run: --hlog: cannot create directory %s: %s\n", dir,
                strerror(errno));
        return -1;
    }
    int err = stat(dir, &st) != 0           ? errno
              : !S_ISDIR(st.st_mode)          ? ENOTDIR
              : access(dir, W_OK | X_OK) != 0 ? errno
                                              : 0;
    if (err == 0)
        return 0;
    fprintf(stderr, "ombc run: --hlog: cannot write into %s: %s\n", dir, strerror(err));
    return -1;
}

static int compare_base_names(const void *a, const void *b) {
    const struct ombc_workload *x = a, *y = b;
    return strcmp(x->base_name, y->base_name);
}

int ombc_cmd_run(int argc, char **argv, const char *exe) {
    /* OMB's options ombc has yet to do: named as such, not as unknown */
    const struct ombc_help_option *planned = ombc_help_planned("run", argc, argv);
    if (planned) {
        fprintf(stderr,
                "ombc run: -%s/--%s is OMB's distributed mode, not supported yet: ombc runs "
                "its agents on this machine\n",
                planned->short_name, planned->long_name);
        return OMBC_EXIT_USAGE;
    }
    struct option opts[24];
    char shortopts[32];
    if (ombc_help_getopt("run", "", opts, 24, shortopts, sizeof(shortopts)) != 0)
        return OMBC_EXIT_FAILED; /* cannot happen: the table fits */
    const char *drivers_arg = NULL, *output = NULL, *hlog_dir = NULL, *csv_dir = NULL;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    int agents = cpus > 0 ? (int)cpus : 1;
    /* the stop flag reaches the agents' waits and topic creation too */
    struct ombc_agent_options agent_opt = {.exe = exe, .max_restarts = DEFAULT_AGENT_RESTARTS,
                                           .spin_us = OMBC_DEFAULT_SPIN_US,
                                           .stop_requested = &stop_signal};
    bool clean_start = false;
    int metrics_port = 0; /* 0: no metrics server */
    struct ombc_run_options opt = {.report_interval_s = 10, .stop_requested = &stop_signal};
    int c;
    optind = 1;
    bool quiet = false, json = false;
    while ((c = getopt_long(argc, argv, shortopts, opts, NULL)) != -1) {
        switch (c) {
        case 'd': drivers_arg = optarg; break;
        case 'o': output = optarg; break;
        case 'a':
            if (parse_positive("--agents", optarg, 1024, &agents) != 0)
                return OMBC_EXIT_USAGE;
            break;
        case 'r':
            if (parse_positive("--report-interval", optarg, 3600, &opt.report_interval_s) != 0)
                return OMBC_EXIT_USAGE;
            break;
        case 'l': hlog_dir = optarg; break;
        case 'c': csv_dir = optarg; break;
        case 'D': opt.check_delivery = true; break;
        case 'C': clean_start = true; break;
        case 'M':
            if (parse_positive("--metrics-port", optarg, 65535, &metrics_port) != 0)
                return OMBC_EXIT_USAGE;
            break;
        case 'R':
            if (parse_count("--agent-restarts", optarg, 1000, &agent_opt.max_restarts) != 0)
                return OMBC_EXIT_USAGE;
            break;
        case 'q': quiet = true; break;
        case 'P': agent_opt.no_stamp = true; break;
        case 'F':
            if (strcmp(optarg, "json") != 0 && strcmp(optarg, "plain") != 0) {
                fprintf(stderr, "ombc run: --log-format must be plain or json, got '%s'\n",
                        optarg);
                return OMBC_EXIT_USAGE;
            }
            json = strcmp(optarg, "json") == 0;
            break;
        case 'S':
            if (parse_count("--spin-us", optarg, OMBC_MAX_SPIN_US, &agent_opt.spin_us) != 0)
                return OMBC_EXIT_USAGE;
            break;
        case 'h': run_usage(stdout); return OMBC_EXIT_OK;
        default: run_usage(stderr); return OMBC_EXIT_USAGE;
        }
    }
    if (csv_dir) /* OMB: convert and exit, whatever else is given */
        return ombc_cmd_csv_convert(csv_dir, "ombc run");
    int nworkloads = argc - optind;
    if (nworkloads < 1) {
        fprintf(stderr, "ombc run: no workload file given\n");
        run_usage(stderr);
        return OMBC_EXIT_USAGE;
    }
    /* Where results go is checked now, not found out after the run: the
     * result file (by default in the working directory) and --hlog's. */
    if (!output && access(".", W_OK | X_OK) != 0) {
        fprintf(stderr, "ombc run: cannot write result files in the working directory: %s\n",
                strerror(errno));
        return OMBC_EXIT_USAGE;
    }
    if ((output && check_output("-o", output) != 0) ||
        (hlog_dir && check_hlog_dir(hlog_dir) != 0))
        return OMBC_EXIT_USAGE;
    agent_opt.log_level = quiet ? OMBC_LOG_ERROR : OMBC_LOG_INFO;
    agent_opt.log_json = json;
    ombc_log_init((enum ombc_log_level)agent_opt.log_level, "main");
    ombc_log_set_format(json ? OMBC_LOG_JSON : OMBC_LOG_PLAIN, !quiet);
    opt.quiet = quiet;
    opt.status_line = !json && !quiet && isatty(STDOUT_FILENO);
    if (opt.status_line)
        ombc_log_enable_status();

    struct ombc_inputs in;
    int status = OMBC_EXIT_USAGE;
    if (ombc_inputs_load(&in, argv + optind, nworkloads, drivers_arg, exe, "ombc: ") == 0) {
        struct ombc_workload *workloads = in.workloads;
        const struct ombc_driver_conf *drivers = in.drivers;
        int ndrivers = in.ndrivers;
        qsort(workloads, (size_t)nworkloads, sizeof(*workloads), compare_base_names);
        if (cpus > 0 && agents > cpus)
            OMBC_WARN(LOGGER,
                      "--agents %d is more than the %ld online CPUs: each agent runs a load "
                      "thread that spins before each send (--spin-us), an ack thread and a "
                      "consumer thread, so agents beyond the CPU count wait for one and every "
                      "phase runs longer than asked",
                      agents, cpus);
        struct sigaction sa = {.sa_handler = on_signal};
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);

        struct ombc_local_worker *local = NULL;
        char err[1024];
        /* Bound first: a port in use is bad input, found before anything runs. */
        struct ombc_metrics_server *metrics = NULL;
        if (metrics_port > 0 &&
            ombc_metrics_server_new(metrics_port, OMBC_METRICS_WINDOW_S, &metrics, err,
                                    sizeof(err)) != 0) {
            fprintf(stderr, "ombc: %s\n", err);
            ombc_inputs_fini(&in);
            return OMBC_EXIT_USAGE;
        }
        int cleaned = clean_start ? ombc_cmd_cleanup_drivers(&in, NULL, false) : OMBC_EXIT_OK;
        if (cleaned != OMBC_EXIT_OK) {
            fprintf(stderr, "ombc: --clean-start failed; nothing was run\n");
            status = cleaned;
        } else if (ombc_local_worker_new(agents, &agent_opt, &local, err, sizeof(err)) != 0) {
            fprintf(stderr, "ombc: %s\n", err);
        } else {
            struct ombc_worker *worker = ombc_local_worker_worker(local);
            int nblocks;
            const struct ombc_agent_stats *const *blocks =
                ombc_local_worker_blocks(local, &nblocks);
            struct ombc_benchmark_options bopt = {.run = &opt, .output = output,
                                                  .hlog_dir = hlog_dir, .agents = agents};
            status = OMBC_EXIT_OK;
            ombc_metrics_server_attach(metrics, blocks, nblocks);
            for (int i = 0; i < nworkloads && !ombc_stop_requested(&stop_signal); i++) {
                for (int j = 0; j < ndrivers && !ombc_stop_requested(&stop_signal); j++) {
                    int s = ombc_benchmark_run_pair(worker, &workloads[i], &drivers[j], &bopt);
                    if (s != OMBC_EXIT_OK && (status == OMBC_EXIT_OK || s > status))
                        status = s;
                }
            }
            ombc_metrics_server_attach(metrics, NULL, 0); /* it reads the agents' blocks */
            worker->ops->destroy(worker);
        }
        ombc_metrics_server_destroy(metrics);
    }
    ombc_inputs_fini(&in);
    return status;
}
