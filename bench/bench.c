/*
 * ombc-bench: the benchmark suite behind `make bench` and `make bench-smoke`
 * (the tables of docs/PERFORMANCE.md). Runs the built ombc binary, as a
 * user would, on workload files it writes into a scratch directory, and
 * rdkafka_loop beside it, and measures:
 *
 *   1. ceiling    the null driver at an unlimited rate, 1 and 2 agents
 *   2. kafka      ombc against the plain librdkafka loop on the same kind
 *                 of embedded Kafka, alternating, as a ratio of medians
 *   3. precision  achieved rate and publish delay at fixed rates
 *   4. footprint  resident memory of the coordinator and agents, and the
 *                 time from launch to the first message, for quickstart.yaml
 *
 * Figures come from ombc's result JSON (-o), rdkafka_loop's output line,
 * /proc and the arrival times of ombc's stderr lines (bench_proc.c). Each
 * measurement is a markdown table, printed and written to --out. Every
 * figure is checked to be a finite positive number (latency percentiles:
 * finite, >= 0); thresholds are never checked. Progress goes to stderr.
 * Exit status: 0 every measurement produced its numbers, 1 not, 2 usage,
 * 130 interrupted. Single-threaded; it owns the scratch directory and the
 * processes it starts, and removes or ends them on every path.
 */
#include <errno.h>
#include <getopt.h>
#include <librdkafka/rdkafka.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "bench_proc.h"
#include "core/file.h"
#include "config/driver_conf.h"
#include "config/props.h"
#include "config/workload.h"
#include "stats/hdr.h"
#include "stats/hlog.h"

#define UNLIMITED_RATE 1000000000L /* msg/s: far above any agent, so it never waits */
#define CEILING_SIZE 100           /* bytes, as `ombc calibrate` */
#define CEILING_TARGET 10e6        /* msg/s per agent */
#define KAFKA_RATIO_TARGET 0.97
#define KAFKA_PARTITIONS 16
#define RUN_SLACK_S 120 /* beyond warm-up and test: set-up, the readiness probe (<= 60 s) */
#define SAMPLE_MS 100   /* /proc sampling of the footprint run */
#define MAX_RATES 16
#define MAX_ROUNDS 99
#define ERRLEN 2048

enum { M_CEILING = 1, M_KAFKA = 2, M_PRECISION = 4, M_FOOTPRINT = 8, M_ALL = 15 };

struct bench_opts {
    const char *ombc, *loop, *out, *source;
    int seconds, warmup, rounds, footprint_seconds, size;
    long rates[MAX_RATES]; /* null-driver precision targets, msg/s */
    int rate_count;
    long kafka_rate; /* embedded-Kafka precision target */
    unsigned only;
};

struct bench {
    const struct bench_opts *o;
    char dir[PATH_MAX]; /* scratch directory */
    FILE *md;           /* --out */
    int run;            /* runs so far, for file names */
    int checks, failed_checks, failed_measurements;
    char failures[4096];
    const char *extra_arg; /* one more option for `ombc run`, or NULL */
};

/* Figures of one ombc result file. */
struct figures {
    double rate, rate_min, rate_max; /* msg/s: mean, min and max of the test periods */
    int periods;
    double total_rate; /* msg/s: messages of the measured phase / its length (--hlog); NAN: none */
    double errors;     /* mean publishErrorRate, err/s */
    double consumed;   /* mean consumeRate, msg/s */
    double delay[4];   /* aggregated publish delay p50, p99, p99.9, max (us) */
    bool has_response;
    double response[4]; /* aggregated publish response time, same (us) */
};

static volatile sig_atomic_t stop;

static void on_signal(int sig) {
    (void)sig;
    stop = 1;
}

/* Formats a message into err. @return -1, for `return fail(...)`. */
__attribute__((format(printf, 3, 4))) static int fail(char *err, size_t err_size, const char *fmt,
                                                      ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, err_size, fmt, ap);
    va_end(ap);
    return -1;
}

/* ------------------------------------------------------------ output */

/* Writes to stdout and to the results file. */
__attribute__((format(printf, 2, 3))) static void emit(struct bench *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    va_start(ap, fmt);
    vfprintf(b->md, fmt, ap);
    va_end(ap);
    fflush(stdout);
    fflush(b->md);
}

__attribute__((format(printf, 1, 2))) static void progress(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "ombc-bench: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
}

/* n with thousands separators ("1,234,567"), rounded to a whole number. */
static const char *fmt_count(char *buf, size_t size, double n) {
    char digits[64];
    if (!isfinite(n)) {
        snprintf(buf, size, "n/a");
        return buf;
    }
    int len = snprintf(digits, sizeof(digits), "%.0f", fabs(n));
    size_t o = 0;
    if (n < 0 && o + 1 < size)
        buf[o++] = '-';
    for (int i = 0; i < len && o + 2 < size; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
    return buf;
}

/* Records a figure's check: finite and > 0, or >= 0 when zero_ok. */
static void check(struct bench *b, const char *what, double v, bool zero_ok) {
    b->checks++;
    if (isfinite(v) && (v > 0 || (zero_ok && v == 0)))
        return;
    b->failed_checks++;
    size_t len = strlen(b->failures);
    snprintf(b->failures + len, sizeof(b->failures) - len, "  %s: %g\n", what, v);
}

static void failed(struct bench *b, const char *what, const char *err) {
    b->failed_measurements++;
    progress("%s failed: %s", what, err);
    emit(b, "\n**%s failed**: %s\n", what, err);
}

/* ----------------------------------------------------------- machine */

static void first_field(const char *path, const char *key, char *out, size_t size) {
    char line[512];
    FILE *f = fopen(path, "r");
    snprintf(out, size, "unknown");
    while (f && fgets(line, sizeof(line), f)) {
        if (strncmp(line, key, strlen(key)) != 0)
            continue;
        const char *v = strchr(line, ':');
        if (!v)
            continue;
        for (v++; *v == ' ' || *v == '\t'; v++)
            ;
        snprintf(out, size, "%s", v);
        out[strcspn(out, "\n")] = '\0';
        break;
    }
    if (f)
        fclose(f);
}

static void describe_machine(struct bench *b) {
    char cpu[256], mem[64], load[128] = "unknown", date[64];
    struct utsname u;
    first_field("/proc/cpuinfo", "model name", cpu, sizeof(cpu));
    first_field("/proc/meminfo", "MemTotal", mem, sizeof(mem));
    FILE *f = fopen("/proc/loadavg", "r");
    if (f) {
        double l1, l5, l15;
        if (fscanf(f, "%lf %lf %lf", &l1, &l5, &l15) == 3)
            snprintf(load, sizeof(load), "%.2f %.2f %.2f (1, 5, 15 min)", l1, l5, l15);
        fclose(f);
    }
    time_t now = time(NULL);
    struct tm tm;
    strftime(date, sizeof(date), "%Y-%m-%d %H:%M UTC", gmtime_r(&now, &tm));
    if (uname(&u) != 0)
        snprintf(u.release, sizeof(u.release), "unknown");
    const struct bench_opts *o = b->o;
    emit(b, "# ombc benchmark results\n\n");
    emit(b, "| Machine | |\n|---|---|\n");
    emit(b, "| Date | %s |\n", date);
    emit(b, "| CPU | %s, %ld online CPUs |\n", cpu, sysconf(_SC_NPROCESSORS_ONLN));
    emit(b, "| Memory | %.1f GiB |\n", strtod(mem, NULL) / 1024 / 1024);
    emit(b, "| Kernel | %s %s %s |\n", u.sysname, u.release, u.machine);
    emit(b, "| librdkafka | %s |\n", rd_kafka_version_str());
    emit(b, "| ombc | %s |\n", OMBC_VERSION);
    emit(b, "| Load average at start | %s |\n", load);
    emit(b, "| Each run | %d s warm-up, %d s measured, 1 s periods |\n", o->warmup, o->seconds);
}

/* -------------------------------------------------------------- runs */

/* Reads a number field of the result; NAN when absent. */
static double num(const cJSON *j, const char *key) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static int read_figures(const char *path, struct figures *f, char *err, size_t err_size) {
    static const char *const pct[4] = {"50pct", "99pct", "999pct", "Max"};
    FILE *fp = fopen(path, "r");
    if (!fp)
        return fail(err, err_size, "no result file %s: %s", path, strerror(errno));
    char *text = NULL;
    size_t len = 0, cap = 0, n;
    char chunk[65536];
    bool oom = false;
    while (!oom && (n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
        if (len + n + 1 > cap) {
            char *t = realloc(text, (len + n + 1) * 2);
            oom = !t;
            if (oom)
                break;
            text = t;
            cap = (len + n + 1) * 2;
        }
        memcpy(text + len, chunk, n);
        len += n;
    }
    fclose(fp);
    cJSON *j = NULL;
    if (text && !oom) {
        text[len] = '\0';
        j = cJSON_Parse(text);
    }
    free(text);
    if (!j)
        return fail(err, err_size, "%s: %s", path, oom ? "out of memory" : "not a JSON result");
    const cJSON *rates = cJSON_GetObjectItemCaseSensitive(j, "publishRate");
    const cJSON *errs = cJSON_GetObjectItemCaseSensitive(j, "publishErrorRate");
    const cJSON *cons = cJSON_GetObjectItemCaseSensitive(j, "consumeRate");
    const cJSON *v;
    *f = (struct figures){.rate_min = INFINITY, .rate_max = -INFINITY, .total_rate = NAN};
    double sum = 0, esum = 0, csum = 0;
    cJSON_ArrayForEach(v, rates) {
        sum += v->valuedouble;
        f->rate_min = fmin(f->rate_min, v->valuedouble);
        f->rate_max = fmax(f->rate_max, v->valuedouble);
        f->periods++;
    }
    cJSON_ArrayForEach(v, errs) { esum += v->valuedouble; }
    cJSON_ArrayForEach(v, cons) { csum += v->valuedouble; }
    f->rate = f->periods ? sum / f->periods : NAN;
    f->errors = f->periods ? esum / f->periods : NAN;
    f->consumed = f->periods ? csum / f->periods : NAN;
    for (int i = 0; i < 4; i++) {
        char key[96];
        snprintf(key, sizeof(key), "aggregatedPublishDelayLatency%s", pct[i]);
        f->delay[i] = num(j, key);
        snprintf(key, sizeof(key), "aggregatedPublishResponseTime%s", pct[i]);
        f->response[i] = num(j, key) * 1000.0; /* ms in the JSON, as publishLatency */
        f->has_response = f->has_response || isfinite(f->response[i]);
    }
    bool incomplete = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "incomplete"));
    cJSON_Delete(j);
    if (incomplete)
        return fail(err, err_size, "%s: the result is marked incomplete", path);
    if (f->periods == 0)
        return fail(err, err_size, "%s: no measured period", path);
    return 0;
}

/*
 * The measured phase's acknowledged messages per second from the publish
 * latency interval log (ombc run --hlog): one histogram per period, one
 * value per acknowledged message; the untagged intervals are the measured
 * ones. Their counts, added, over the time from the first one's start to
 * the last one's end (wall clock, ms resolution).
 */
static int hlog_rate(const char *path, double *rate, char *err, size_t err_size) {
    struct ombc_hlog_reader r;
    struct ombc_hlog_interval iv = {0};
    if (ombc_hlog_reader_open(&r, path, err, err_size) != 0)
        return -1;
    int64_t count = 0;
    double first = NAN, end = NAN;
    int rc;
    while ((rc = ombc_hlog_reader_next(&r, &iv, err, err_size)) == 1) {
        if (iv.tag[0])
            continue; /* warmup */
        count += ombc_hist_total(&iv.hist);
        if (isnan(first))
            first = iv.start_s;
        end = iv.start_s + iv.length_s;
    }
    ombc_hist_fini(&iv.hist);
    ombc_hlog_reader_close(&r);
    if (rc < 0)
        return -1;
    if (!(end > first))
        return fail(err, err_size, "%s: no measured interval", path);
    *rate = (double)count / (end - first);
    return 0;
}

/* ombc exits 1, with a complete result, when the consumers received nothing
 * or fell behind (consumerShortfall): the publish side it measured, which is
 * what the suite reads, stands; the shortfall is said. */
static bool only_consumers_short(const struct bench_proc *p, const char *rpath) {
    char *text = NULL, err[256];
    size_t len;
    if (p->status != 1 || ombc_read_file(rpath, &text, &len, err, sizeof(err)) != 0)
        return false;
    cJSON *root = cJSON_Parse(text);
    free(text);
    const cJSON *shortfall = cJSON_GetObjectItem(root, "consumerShortfall");
    bool only = cJSON_IsString(shortfall) && !cJSON_IsTrue(cJSON_GetObjectItem(root, "incomplete"));
    if (only)
        fprintf(stderr, "ombc-bench: the consumers fell short (%s); the publish figures stand\n",
                shortfall->valuestring);
    cJSON_Delete(root);
    return only;
}

/* Runs p (argv set) and checks it ended with status 0. */
static int run_proc(struct bench_proc *p, const char *what, char *err, size_t err_size) {
    char perr[512] = "";
    if (bench_proc_run(p, &stop, perr, sizeof(perr)) != 0)
        return fail(err, err_size, "%s: %s", what, perr);
    const char *tail = bench_tail(p->err, 1500);
    char why[64];
    if (p->status == 0)
        return 0;
    if (p->status < 0)
        snprintf(why, sizeof(why), "timed out after %.0f s", p->timeout_s);
    else
        snprintf(why, sizeof(why), "exited with status %d", p->status);
    if (!tail[0])
        return fail(err, err_size, "%s %s, with nothing on stderr", what, why);
    return fail(err, err_size, "%s %s; its stderr ended:\n```\n%s```", what, why, tail);
}

/*
 * Writes workload into the scratch directory and runs `ombc run` on it with
 * driver (NULL: ombc's default) and agents (0: ombc's default), reading the
 * result into f, and with hlog its interval logs into f->total_rate. p may
 * carry marks and sampling; its output is the caller's to free.
 */
static int run_ombc(struct bench *b, const char *workload, const char *driver, int agents,
                    bool hlog, double timeout_s, struct bench_proc *p, struct figures *f, char *err,
                    size_t err_size) {
    char wpath[PATH_MAX + 64], rpath[PATH_MAX + 64], lpath[PATH_MAX + 64], name[64];
    char agents_s[16];
    int n = ++b->run;
    snprintf(name, sizeof(name), "workload-%02d.yaml", n);
    if (bench_write_file(b->dir, name, workload, wpath, sizeof(wpath), err, err_size) != 0)
        return -1;
    snprintf(rpath, sizeof(rpath), "%s/result-%02d.json", b->dir, n);
    snprintf(lpath, sizeof(lpath), "%s/result-%02d-publish-latency.hlog", b->dir, n);
    snprintf(agents_s, sizeof(agents_s), "%d", agents);
    const char *argv[16];
    int a = 0;
    argv[a++] = b->o->ombc;
    argv[a++] = "run";
    if (driver) {
        argv[a++] = "-d";
        argv[a++] = driver;
    }
    if (agents > 0) {
        argv[a++] = "--agents";
        argv[a++] = agents_s;
    }
    argv[a++] = "--report-interval";
    argv[a++] = "1";
    if (hlog) {
        argv[a++] = "--hlog";
        argv[a++] = b->dir;
    }
    if (b->extra_arg)
        argv[a++] = b->extra_arg;
    argv[a++] = "-o";
    argv[a++] = rpath;
    argv[a++] = wpath;
    argv[a] = NULL;
    p->argv = (char *const *)argv;
    p->timeout_s = timeout_s;
    int rc = run_proc(p, "ombc", err, err_size);
    if (rc != 0 && only_consumers_short(p, rpath))
        rc = 0;
    if (rc == 0)
        rc = read_figures(rpath, f, err, err_size);
    if (rc == 0 && hlog)
        rc = hlog_rate(lpath, &f->total_rate, err, err_size);
    if (rc == 0 && (!isfinite(f->errors) || f->errors > 0))
        rc = fail(err, err_size, "ombc: %g publish errors/s", f->errors);
    return rc;
}

static int workload_text(char *buf, size_t size, const char *name, int partitions, int msg_size,
                         int producers, int consumers, long rate, int warmup, int seconds) {
    int n = snprintf(buf, size,
                     "name: %s\ntopics: 1\npartitionsPerTopic: %d\nmessageSize: %d\n"
                     "subscriptionsPerTopic: %d\nconsumerPerSubscription: %d\n"
                     "producersPerTopic: %d\nproducerRate: %ld\ntestDurationSeconds: %d\n"
                     "warmupDurationSeconds: %d\n",
                     name, partitions, msg_size, consumers > 0 ? 1 : 0, consumers, producers, rate,
                     seconds, warmup);
    return n > 0 && (size_t)n < size ? 0 : -1;
}

static double run_timeout(const struct bench_opts *o) {
    return o->warmup + o->seconds + RUN_SLACK_S;
}

static void path_in_source(const struct bench *b, const char *rel, char *out, size_t size) {
    snprintf(out, size, "%s/%s", b->o->source, rel);
}

/* ------------------------------------------------------ measurements */

static void measure_ceiling(struct bench *b) {
    const struct bench_opts *o = b->o;
    char null_yaml[PATH_MAX], w[1024], err[ERRLEN], c1[32], c2[32], c3[32], c4[32];
    path_in_source(b, "drivers/null.yaml", null_yaml, sizeof(null_yaml));
    emit(b, "\n## 1. Ceiling: the null driver at an unlimited rate\n\n");
    emit(b,
         "drivers/null.yaml; 1 topic of 1 partition, 1 subscription, producers = consumers = "
         "agents; %d-byte messages (as `ombc calibrate`); producerRate %ld; full recording. "
         "Figure: mean publishRate of the measured periods. Target: 10,000,000 msg/s per "
         "agent.\n\n",
         CEILING_SIZE, UNLIMITED_RATE);
    emit(b, "| Agents | msg/s | msg/s per agent | periods min – max | per agent vs target |\n");
    emit(b, "|---|---|---|---|---|\n");
    for (int agents = 1; agents <= 2 && !stop; agents++) {
        struct bench_proc p = {0};
        struct figures f;
        progress("ceiling: null driver, %d agent%s, %d s + %d s", agents, agents > 1 ? "s" : "",
                 o->warmup, o->seconds);
        workload_text(w, sizeof(w), "bench-ceiling", 1, CEILING_SIZE, agents, agents,
                      UNLIMITED_RATE, o->warmup, o->seconds);
        int rc = run_ombc(b, w, null_yaml, agents, false, run_timeout(o), &p, &f, err, sizeof(err));
        bench_proc_fini(&p);
        if (rc != 0) {
            failed(b, agents == 1 ? "Ceiling, 1 agent" : "Ceiling, 2 agents", err);
            continue;
        }
        emit(b, "| %d | %s | %s | %s – %s | %.1f%% |\n", agents, fmt_count(c1, sizeof(c1), f.rate),
             fmt_count(c2, sizeof(c2), f.rate / agents), fmt_count(c3, sizeof(c3), f.rate_min),
             fmt_count(c4, sizeof(c4), f.rate_max), 100.0 * f.rate / agents / CEILING_TARGET);
        check(b, agents == 1 ? "ceiling 1 agent msg/s" : "ceiling 2 agents msg/s", f.rate, false);
    }
}

/* The -X arguments of rdkafka_loop: commonConfig then producerConfig of
 * the driver file, as ombc's Kafka driver layers them. */
static int loop_props(const char *driver, struct ombc_props *props, int64_t *brokers, char *err,
                      size_t err_size) {
    struct ombc_driver_conf dc = {0};
    int rc = ombc_driver_conf_load(driver, &dc, err, err_size);
    if (rc == 0)
        rc = ombc_driver_conf_props(&dc, "commonConfig", props, err, err_size);
    if (rc == 0)
        rc = ombc_driver_conf_props(&dc, "producerConfig", props, err, err_size);
    if (rc == 0)
        rc = ombc_driver_conf_int(&dc, "embeddedBrokers", 0, 0, 64, brokers, err, err_size);
    if (rc == 0 && *brokers < 1)
        rc = fail(err, err_size, "%s: embeddedBrokers must be set", driver);
    ombc_driver_conf_fini(&dc);
    return rc == 0 ? 0 : -1;
}

static int run_loop(struct bench *b, const struct ombc_props *props, int64_t brokers, double *rate,
                    char *err, size_t err_size) {
    const struct bench_opts *o = b->o;
    char size[16], warm[16], secs[16], parts[16], nb[16];
    char kv[64][512];
    const char *argv[16 + 2 * 64];
    int a = 0;
    snprintf(size, sizeof(size), "%d", o->size);
    snprintf(warm, sizeof(warm), "%d", o->warmup);
    snprintf(secs, sizeof(secs), "%d", o->seconds);
    snprintf(parts, sizeof(parts), "%d", KAFKA_PARTITIONS);
    snprintf(nb, sizeof(nb), "%lld", (long long)brokers);
    const char *fixed[] = {o->loop, "--size",       size,  "--warmup",  warm, "--seconds",
                           secs,    "--partitions", parts, "--brokers", nb};
    for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
        argv[a++] = fixed[i];
    for (size_t i = 0; i < props->count && i < 64; i++) {
        snprintf(kv[i], sizeof(kv[i]), "%s=%s", props->items[i].key, props->items[i].value);
        argv[a++] = "-X";
        argv[a++] = kv[i];
    }
    argv[a] = NULL;
    struct bench_proc p = {.argv = (char *const *)argv, .timeout_s = run_timeout(o)};
    int rc = run_proc(&p, "rdkafka_loop", err, err_size);
    const char *line = rc == 0 ? strstr(p.out, "acked_per_sec=") : NULL;
    if (rc == 0 && (!line || sscanf(line, "acked_per_sec=%lf", rate) != 1))
        rc = fail(err, err_size, "rdkafka_loop printed no figure: %s", bench_tail(p.out, 500));
    bench_proc_fini(&p);
    return rc;
}

static int cmp_double(const void *x, const void *y) {
    double a = *(const double *)x, c = *(const double *)y;
    return (a > c) - (a < c);
}

static double median(const double *v, int n) {
    double s[MAX_ROUNDS];
    memcpy(s, v, (size_t)n * sizeof(*v));
    qsort(s, (size_t)n, sizeof(*s), cmp_double);
    return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

static void measure_kafka(struct bench *b) {
    const struct bench_opts *o = b->o;
    char driver[PATH_MAX], w[1024], err[ERRLEN], c1[32], c2[32], c3[32];
    double ombc_rate[MAX_ROUNDS], plain_rate[MAX_ROUNDS], loop_rate[MAX_ROUNDS];
    int n = 0;
    path_in_source(b, "bench/kafka-overhead.yaml", driver, sizeof(driver));
    emit(b, "\n## 2. Kafka overhead: ombc against a plain librdkafka loop\n\n");
    struct ombc_props props = {0};
    int64_t brokers = 0;
    if (loop_props(driver, &props, &brokers, err, sizeof(err)) != 0) {
        failed(b, "Kafka overhead", err);
        ombc_props_fini(&props);
        return;
    }
    emit(b,
         "The embedded Kafka of bench/kafka-overhead.yaml (%lld broker, in the coordinator) "
         "against rdkafka_loop (the same mock in a child process); the same client "
         "settings:",
         (long long)brokers);
    for (size_t i = 0; i < props.count; i++)
        emit(b, "%s `%s=%s`", i ? "," : "", props.items[i].key, props.items[i].value);
    emit(b,
         ". 1 topic of %d partitions, %d-byte messages, keyless (librdkafka's default "
         "partitioner), as fast as possible; figure: acknowledged msg/s (ombc: mean "
         "publishRate of the measured periods; loop: delivery reports over the measured "
         "interval). ombc: 1 agent, 1 producer, no consumer (subscriptionsPerTopic: 0), as "
         "the loop; as run by default (each payload stamped with its send time, so librdkafka "
         "copies it: RD_KAFKA_MSG_F_COPY) and with --no-payload-stamp (payloads sent "
         "unchanged, in place, as the loop sends its one buffer). "
         "Alternating: ombc, ombc --no-payload-stamp, the loop. Target: ratio of medians >= "
         "%.2f.\n\n",
         KAFKA_PARTITIONS, o->size, KAFKA_RATIO_TARGET);
    emit(b, "| Round | ombc (msg/s) | ombc --no-payload-stamp (msg/s) | rdkafka_loop (msg/s) | "
            "ombc / loop | --no-payload-stamp / loop |\n|---|---|---|---|---|---|\n");
    for (int r = 0; r < o->rounds && !stop; r++) {
        struct bench_proc p = {0};
        struct figures f;
        progress("kafka overhead, round %d of %d: ombc, %d s + %d s", r + 1, o->rounds, o->warmup,
                 o->seconds);
        workload_text(w, sizeof(w), "bench-kafka-overhead", KAFKA_PARTITIONS, o->size, 1, 0,
                      UNLIMITED_RATE, o->warmup, o->seconds);
        int rc = run_ombc(b, w, driver, 1, false, run_timeout(o), &p, &f, err, sizeof(err));
        bench_proc_fini(&p);
        struct figures fp;
        if (rc == 0 && !stop) {
            progress("kafka overhead, round %d of %d: ombc --no-payload-stamp, %d s + %d s",
                     r + 1, o->rounds, o->warmup, o->seconds);
            struct bench_proc q = {0};
            b->extra_arg = "--no-payload-stamp";
            rc = run_ombc(b, w, driver, 1, false, run_timeout(o), &q, &fp, err, sizeof(err));
            b->extra_arg = NULL;
            bench_proc_fini(&q);
        }
        double lr = NAN;
        if (rc == 0 && !stop) {
            progress("kafka overhead, round %d of %d: rdkafka_loop, %d s + %d s", r + 1, o->rounds,
                     o->warmup, o->seconds);
            rc = run_loop(b, &props, brokers, &lr, err, sizeof(err));
        }
        if (rc != 0) {
            failed(b, "Kafka overhead", err);
            break;
        }
        ombc_rate[n] = f.rate;
        plain_rate[n] = fp.rate;
        loop_rate[n++] = lr;
        emit(b, "| %d | %s | %s | %s | %.3f | %.3f |\n", r + 1, fmt_count(c1, sizeof(c1), f.rate),
             fmt_count(c3, sizeof(c3), fp.rate), fmt_count(c2, sizeof(c2), lr), f.rate / lr,
             fp.rate / lr);
        check(b, "kafka overhead: ombc msg/s", f.rate, false);
        check(b, "kafka overhead: ombc --no-payload-stamp msg/s", fp.rate, false);
        check(b, "kafka overhead: rdkafka_loop msg/s", lr, false);
    }
    ombc_props_fini(&props);
    if (n > 0) {
        double mo = median(ombc_rate, n), mp = median(plain_rate, n), ml = median(loop_rate, n);
        emit(b, "| **median** | %s | %s | %s | **%.3f** | **%.3f** |\n",
             fmt_count(c1, sizeof(c1), mo), fmt_count(c3, sizeof(c3), mp),
             fmt_count(c2, sizeof(c2), ml), mo / ml, mp / ml);
        check(b, "kafka overhead: ratio of medians", mo / ml, false);
        check(b, "kafka overhead: ratio of medians, --no-payload-stamp", mp / ml, false);
    }
}

static void precision_row(struct bench *b, const char *driver, long target,
                          const struct figures *f) {
    static const char *const pct[4] = {"p50", "p99", "p99.9", "max"};
    char c1[32], c2[32], c3[32], what[128];
    double error = 100.0 * (f->rate - (double)target) / (double)target;
    double total_error = 100.0 * (f->total_rate - (double)target) / (double)target;
    emit(b, "| %s | %s | %s | %+.3f%% | %s | %+.3f%% | %.0f | %.0f | %.0f | %.0f |", driver,
         fmt_count(c1, sizeof(c1), (double)target), fmt_count(c2, sizeof(c2), f->rate), error,
         fmt_count(c3, sizeof(c3), f->total_rate), total_error, f->delay[0], f->delay[1],
         f->delay[2], f->delay[3]);
    if (f->has_response)
        emit(b, " %.0f | %.0f | %.0f | %.0f |", f->response[0], f->response[1], f->response[2],
             f->response[3]);
    emit(b, "\n");
    snprintf(what, sizeof(what), "precision %s %ld msg/s: mean publishRate", driver, target);
    check(b, what, f->rate, false);
    snprintf(what, sizeof(what), "precision %s %ld msg/s: messages / seconds", driver, target);
    check(b, what, f->total_rate, false);
    for (int i = 0; i < 4; i++) {
        snprintf(what, sizeof(what), "precision %s %ld msg/s: delay %s (us)", driver, target,
                 pct[i]);
        check(b, what, f->delay[i], i < 3);
    }
}

static void measure_precision(struct bench *b) {
    const struct bench_opts *o = b->o;
    char null_yaml[PATH_MAX], kafka_yaml[PATH_MAX], w[1024], err[ERRLEN];
    path_in_source(b, "drivers/null.yaml", null_yaml, sizeof(null_yaml));
    path_in_source(b, "drivers/kafka-embedded.yaml", kafka_yaml, sizeof(kafka_yaml));
    emit(b, "\n## 3. Precision: achieved rate and publish delay at a fixed rate\n\n");
    emit(b,
         "1 agent, 1 producer, 1 consumer, 1 topic, %d-byte messages; the null driver "
         "(drivers/null.yaml, 1 partition) and ombc's default embedded Kafka "
         "(drivers/kafka-embedded.yaml: 3 brokers, acks=all, linger.ms=1; %d partitions). "
         "Achieved: the mean publishRate of the measured 1 s periods, and the measured "
         "phase's acknowledged messages over its length (from `--hlog`: the publish-latency "
         "histograms' counts, over the span of their intervals); error against the target. "
         "Publish delay: aggregatedPublishDelayLatency 50pct/99pct/999pct/Max, µs, actual "
         "send time minus intended send time.",
         o->size, KAFKA_PARTITIONS);
    struct precision_run {
        const char *name, *path;
        long rate;
        int partitions;
    } runs[MAX_RATES + 1];
    int count = 0;
    for (int i = 0; i < o->rate_count; i++)
        runs[count++] = (struct precision_run){"null", null_yaml, o->rates[i], 1};
    if (o->kafka_rate > 0)
        runs[count++] =
            (struct precision_run){"embedded Kafka", kafka_yaml, o->kafka_rate, KAFKA_PARTITIONS};
    bool header = false;
    for (int i = 0; i < count && !stop; i++) {
        struct bench_proc p = {0};
        struct figures f;
        progress("precision: %s at %ld msg/s, %d s + %d s", runs[i].name, runs[i].rate, o->warmup,
                 o->seconds);
        workload_text(w, sizeof(w), "bench-precision", runs[i].partitions, o->size, 1, 1,
                      runs[i].rate, o->warmup, o->seconds);
        int rc = run_ombc(b, w, runs[i].path, 1, true, run_timeout(o), &p, &f, err, sizeof(err));
        bench_proc_fini(&p);
        if (rc != 0) {
            char what[128];
            snprintf(what, sizeof(what), "Precision, %s at %ld msg/s", runs[i].name, runs[i].rate);
            failed(b, what, err);
            continue;
        }
        if (!header) { /* the response-time columns when the result has them */
            header = true;
            emit(b,
                 "%s\n\n| Driver | Target (msg/s) | Mean publishRate | Error | Messages / "
                 "seconds | Error | Delay p50 (µs) | p99 | p99.9 | max |%s\n"
                 "|---|---|---|---|---|---|---|---|---|---|%s\n",
                 f.has_response ? " Publish response time: aggregatedPublishResponseTime "
                                  "50pct/99pct/999pct/Max, µs."
                                : "",
                 f.has_response ? " Response p50 (µs) | p99 | p99.9 | max |" : "",
                 f.has_response ? "---|---|---|---|" : "");
        }
        precision_row(b, runs[i].name, runs[i].rate, &f);
    }
    if (!header)
        emit(b, "\n");
}

/* quickstart.yaml, with the durations replaced when seconds > 0. */
static int footprint_workload(struct bench *b, char *text, size_t size, int *total_s, char *err,
                              size_t err_size) {
    char path[PATH_MAX], line[1024];
    path_in_source(b, "workloads/quickstart.yaml", path, sizeof(path));
    struct ombc_workload wl = {0};
    if (ombc_workload_load(path, &wl, err, err_size) != 0)
        return -1;
    *total_s = (int)(ombc_workload_test_seconds(&wl) + ombc_workload_warmup_seconds(&wl));
    ombc_workload_fini(&wl);
    FILE *f = fopen(path, "r");
    if (!f)
        return fail(err, err_size, "%s: %s", path, strerror(errno));
    size_t len = 0;
    text[0] = '\0';
    while (fgets(line, sizeof(line), f)) {
        if (b->o->footprint_seconds > 0 && (strncmp(line, "testDurationSeconds:", 20) == 0 ||
                                            strncmp(line, "warmupDurationSeconds:", 22) == 0))
            continue;
        len += (size_t)snprintf(text + len, size - len, "%s", line);
        if (len >= size)
            break;
    }
    fclose(f);
    if (b->o->footprint_seconds > 0 && len < size) {
        len += (size_t)snprintf(text + len, size - len,
                                "testDurationSeconds: %d\n"
                                "warmupDurationSeconds: %d\n",
                                b->o->footprint_seconds, b->o->warmup);
        *total_s = b->o->footprint_seconds + b->o->warmup;
    }
    if (len >= size)
        return fail(err, err_size, "%s: too long", path);
    return 0;
}

static void measure_footprint(struct bench *b) {
    char w[8192], err[ERRLEN];
    int total_s = 0;
    struct bench_mark marks[] = {
        {"Embedded Kafka: ", -1},           {"Waiting for consumers to be ready", -1},
        {"All consumers are ready", -1},    {"Starting warm-up traffic", -1},
        {"Starting benchmark traffic", -1},
    };
    static const char *const mark_what[] = {
        "embedded Kafka started",           "**first message**: the readiness probe is sent",
        "consumers ready (probe received)", "load started (warm-up)",
        "measured phase started",
    };
    emit(b, "\n## 4. Footprint: workloads/quickstart.yaml on the default embedded Kafka\n\n");
    if (footprint_workload(b, w, sizeof(w), &total_s, err, sizeof(err)) != 0) {
        failed(b, "Footprint", err);
        return;
    }
    progress("footprint: quickstart.yaml on the embedded Kafka (%d s)", total_s);
    struct bench_proc p = {.marks = marks,
                           .mark_count = (int)(sizeof(marks) / sizeof(marks[0])),
                           .sample_ms = SAMPLE_MS,
                           .phase_begin = "Starting benchmark traffic",
                           .phase_end = "----- Aggregated"};
    struct figures f;
    int rc = run_ombc(b, w, NULL, 0, false, total_s + RUN_SLACK_S, &p, &f, err, sizeof(err));
    if (rc != 0) {
        failed(b, "Footprint", err);
        bench_proc_fini(&p);
        return;
    }
    emit(b,
         "`ombc run --report-interval 1`, otherwise with its defaults "
         "(drivers/kafka-embedded.yaml, one agent per online CPU)%s. Resident memory from "
         "/proc/PID/status every %d ms: peak, the highest VmHWM "
         "or VmRSS sampled (the kernel updates VmHWM lazily); VmRSS at the last sample of the "
         "measured phase (before its aggregated "
         "line, so before the run's teardown frees anything). The coordinator hosts the "
         "embedded Kafka (up to 5 MB or 100,000 messages per partition).\n\n",
         b->o->footprint_seconds > 0 ? ", durations shortened for this run" : "", SAMPLE_MS);
    emit(b, "| Process | Peak, VmHWM (MiB) | VmRSS (MiB) |\n|---|---|---|\n");
    int agents = 0;
    for (int i = 0; i < p.mem_count; i++) {
        const struct bench_mem *m = &p.mem[i];
        char name[32], what[64];
        if (i > 0 && m->agent < 0)
            continue; /* a child that is not an agent */
        if (i == 0)
            snprintf(name, sizeof(name), "coordinator");
        else
            snprintf(name, sizeof(name), "agent %d", m->agent);
        agents += i > 0;
        emit(b, "| %s | %.1f | %.1f |\n", name, m->hwm_kb / 1024.0, m->rss_kb / 1024.0);
        snprintf(what, sizeof(what), "footprint %s VmHWM", name);
        check(b, what, (double)m->hwm_kb, false);
        snprintf(what, sizeof(what), "footprint %s VmRSS", name);
        check(b, what, (double)m->rss_kb, false);
    }
    check(b, "footprint: agents sampled", agents, false);
    emit(b, "\nStart-up: seconds from launch (fork of `ombc run`) to the arrival of the "
            "coordinator's log line (stderr), CLOCK_MONOTONIC in ombc-bench. The first message "
            "is the readiness probe, which the coordinator has the agents hand to the client "
            "right after logging \"Waiting for consumers to be ready\"; the load starts just "
            "before \"Starting warm-up traffic\", which is logged once the agents have "
            "started it.\n\n");
    emit(b, "| Event | Log line | Seconds |\n|---|---|---|\n");
    for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
        emit(b, "| %s | `%s` | %.3f |\n", mark_what[i], marks[i].text, marks[i].at_s);
        check(b, mark_what[i], marks[i].at_s, false);
    }
    bench_proc_fini(&p);
}

/* -------------------------------------------------------------- main */

static void usage(FILE *out) {
    fprintf(out,
            "usage: ombc-bench [--smoke] [--seconds S] [--warmup S] [--rounds N]\n"
            "                  [--footprint-seconds S] [--size BYTES] [--rates R1,R2,...]\n"
            "                  [--kafka-rate R] [--only ceiling,kafka,precision,footprint]\n"
            "                  [--ombc PATH] [--loop PATH] [--source DIR] [--out FILE]\n"
            "  Runs ombc's benchmark suite and prints a markdown table per measurement.\n"
            "      --seconds S            measured seconds of each run (default 20)\n"
            "      --warmup S             warm-up seconds of each run (default 5)\n"
            "      --rounds N             ombc/rdkafka_loop rounds (default 3)\n"
            "      --footprint-seconds S  quickstart.yaml's test length; 0: as in the file\n"
            "      --size BYTES           message size of the Kafka and precision runs (1024)\n"
            "      --rates LIST           null-driver precision targets, msg/s\n"
            "                             (1000,10000,100000,1000000)\n"
            "      --kafka-rate R         embedded-Kafka precision target (100000; 0: none)\n"
            "      --smoke                --seconds 2 --warmup 1 --rounds 1 --footprint-seconds 2\n"
            "      --ombc, --loop         the binaries (default: beside ombc-bench's directory)\n"
            "      --source DIR           where drivers/, workloads/, bench/ are\n"
            "      --out FILE             where the tables also go (default: results.md beside\n"
            "                             ombc-bench)\n");
}

static int parse_int(const char *name, const char *s, long min, long max, long *out) {
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (!*s || *end || errno || v < min || v > max) {
        fprintf(stderr, "ombc-bench: --%s must be an integer between %ld and %ld\n", name, min,
                max);
        return -1;
    }
    *out = v;
    return 0;
}

static int parse_args(int argc, char **argv, struct bench_opts *o, char *paths, size_t path_size) {
    static const struct option lopts[] = {
        {"seconds", required_argument, NULL, 's'},
        {"warmup", required_argument, NULL, 'w'},
        {"rounds", required_argument, NULL, 'r'},
        {"footprint-seconds", required_argument, NULL, 'f'},
        {"size", required_argument, NULL, 'z'},
        {"rates", required_argument, NULL, 'R'},
        {"kafka-rate", required_argument, NULL, 'k'},
        {"only", required_argument, NULL, 'O'},
        {"ombc", required_argument, NULL, 'b'},
        {"loop", required_argument, NULL, 'l'},
        {"source", required_argument, NULL, 'S'},
        {"out", required_argument, NULL, 'o'},
        {"smoke", no_argument, NULL, 'm'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    /* The integer options: where each goes and its range. */
    int *ints[128] = {['s'] = &o->seconds,
                      ['w'] = &o->warmup,
                      ['r'] = &o->rounds,
                      ['f'] = &o->footprint_seconds,
                      ['z'] = &o->size};
    const long lo[128] = {['s'] = 1, ['r'] = 1, ['z'] = 1};
    const long hi[128] = {
        ['s'] = 3600, ['w'] = 3600, ['r'] = MAX_ROUNDS, ['f'] = 3600, ['z'] = 1 << 20};
    long v;
    int c;
    while ((c = getopt_long(argc, argv, "h", lopts, NULL)) != -1) {
        switch (c) {
        case 's':
        case 'w':
        case 'r':
        case 'f':
        case 'z': {
            const char *name = "";
            for (const struct option *l = lopts; l->name; l++)
                if (l->val == c)
                    name = l->name;
            if (parse_int(name, optarg, lo[c], hi[c], &v))
                return 2;
            *ints[c] = (int)v;
            break;
        }
        case 'k':
            if (parse_int("kafka-rate", optarg, 0, INT_MAX, &v))
                return 2;
            o->kafka_rate = v;
            break;
        case 'R': {
            char buf[512], *save = NULL;
            snprintf(buf, sizeof(buf), "%s", optarg);
            o->rate_count = 0;
            for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
                if (o->rate_count == MAX_RATES || parse_int("rates", t, 1, INT_MAX, &v))
                    return 2;
                o->rates[o->rate_count++] = v;
            }
            break;
        }
        case 'O': {
            char buf[256], *save = NULL;
            snprintf(buf, sizeof(buf), "%s", optarg);
            o->only = 0;
            for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
                unsigned m = !strcmp(t, "ceiling")     ? M_CEILING
                             : !strcmp(t, "kafka")     ? M_KAFKA
                             : !strcmp(t, "precision") ? M_PRECISION
                             : !strcmp(t, "footprint") ? M_FOOTPRINT
                                                       : 0;
                if (!m) {
                    fprintf(stderr,
                            "ombc-bench: --only: unknown measurement '%s' (ceiling, "
                            "kafka, precision, footprint)\n",
                            t);
                    return 2;
                }
                o->only |= m;
            }
            break;
        }
        case 'b': o->ombc = optarg; break;
        case 'l': o->loop = optarg; break;
        case 'S': o->source = optarg; break;
        case 'o': o->out = optarg; break;
        case 'm':
            o->seconds = 2;
            o->warmup = 1;
            o->rounds = 1;
            o->footprint_seconds = 2;
            break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind < argc) {
        usage(stderr);
        return 2;
    }
    /* Defaults beside this executable: BUILD/bench/ombc-bench, BUILD/ombc. */
    char exe[PATH_MAX - 64]; /* room for the names appended below */
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    exe[n > 0 ? n : 0] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash)
        *slash = '\0';
    char *ombc = paths, *loop = paths + path_size, *out = paths + 2 * path_size;
    snprintf(ombc, path_size, "%s/../ombc", exe);
    snprintf(loop, path_size, "%s/rdkafka_loop", exe);
    snprintf(out, path_size, "%s/results.md", exe);
    o->ombc = o->ombc ? o->ombc : ombc;
    o->loop = o->loop ? o->loop : loop;
    o->out = o->out ? o->out : out;
    return -1; /* go on */
}

int main(int argc, char **argv) {
    struct bench_opts o = {.seconds = 20,
                           .warmup = 5,
                           .rounds = 3,
                           .size = 1024,
                           .rates = {1000, 10000, 100000, 1000000},
                           .rate_count = 4,
                           .kafka_rate = 100000,
                           .only = M_ALL,
                           .source = OMBC_DATA_DIR};
    char paths[3 * PATH_MAX];
    int rc = parse_args(argc, argv, &o, paths, PATH_MAX);
    if (rc >= 0)
        return rc;
    if (access(o.ombc, X_OK) != 0 || ((o.only & M_KAFKA) && access(o.loop, X_OK) != 0)) {
        fprintf(stderr, "ombc-bench: no executable %s (make build)\n",
                access(o.ombc, X_OK) != 0 ? o.ombc : o.loop);
        return 2;
    }
    struct bench b = {.o = &o};
    b.md = fopen(o.out, "w");
    if (!b.md) {
        fprintf(stderr, "ombc-bench: cannot write %s: %s\n", o.out, strerror(errno));
        return 2;
    }
    char err[ERRLEN];
    if (bench_tmpdir_new(b.dir, sizeof(b.dir), err, sizeof(err)) != 0) {
        fprintf(stderr, "ombc-bench: %s\n", err);
        fclose(b.md);
        return 1;
    }
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);

    describe_machine(&b);
    if ((o.only & M_CEILING) && !stop)
        measure_ceiling(&b);
    if ((o.only & M_KAFKA) && !stop)
        measure_kafka(&b);
    if ((o.only & M_PRECISION) && !stop)
        measure_precision(&b);
    if ((o.only & M_FOOTPRINT) && !stop)
        measure_footprint(&b);

    bench_tmpdir_remove(b.dir);
    if (stop) {
        emit(&b, "\n**Interrupted.**\n");
        fclose(b.md);
        fprintf(stderr, "ombc-bench: interrupted\n");
        return 130;
    }
    emit(&b,
         "\nChecks: %d of %d figures are finite and positive (latency percentiles: >= 0)."
         "\n",
         b.checks - b.failed_checks, b.checks);
    fclose(b.md);
    progress("tables written to %s", o.out);
    if (b.failed_checks || b.failed_measurements) {
        fprintf(stderr,
                "ombc-bench: FAILED: %d measurement%s failed, %d figure%s not positive%s\n%s",
                b.failed_measurements, b.failed_measurements == 1 ? "" : "s", b.failed_checks,
                b.failed_checks == 1 ? "" : "s", b.failed_checks ? ":" : "", b.failures);
        return 1;
    }
    return 0;
}
