/*
 * rdkafka_loop: the baseline of ombc's Kafka overhead (`make bench`). A plain
 * librdkafka producer loop against the same kind of broker ombc's embedded
 * Kafka is: librdkafka's mock cluster hosted in another process.
 *
 * The process forks before any librdkafka handle exists (librdkafka is not
 * fork-safe). The child hosts the mock cluster and the topic, writes the
 * bootstrap string into a pipe and serves until the parent closes its end
 * of a second pipe (or dies: PR_SET_PDEATHSIG). The parent produces one
 * payload of --size random bytes as fast as it can, keyless to
 * RD_KAFKA_PARTITION_UA (librdkafka's default partitioner: what ombc's
 * Kafka driver does with OMB's default keyDistributor NO_KEY), without
 * copying it (flags 0, as ombc's driver), serving delivery reports with
 * rd_kafka_poll after every send and waiting in rd_kafka_poll(1 ms) when the
 * queue is full. After --warmup seconds it counts successful delivery
 * reports for --seconds (CLOCK_MONOTONIC, read right after a poll, the only
 * place delivery reports are counted) and prints one line on stdout:
 *
 *   acked_per_sec=612345.6 acked=6123456 seconds=10.000 failed=0 size=1024
 *
 * Client settings: acks=all, linger.ms=5, batch.size=1048576 unless -X
 * says otherwise; ombc-bench passes the commonConfig and producerConfig of
 * bench/kafka-overhead.yaml, the driver file of ombc's side, as -X.
 * Exit status: 0 measured, 1 failed (message on stderr), 2 usage.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_PROPS 64
#define BROKER_START_TIMEOUT_MS 10000
#define BROKER_STOP_TIMEOUT_MS 5000

struct loop_opts {
    long size;       /* payload bytes */
    double warmup_s; /* seconds before the measured interval */
    double seconds;  /* measured seconds */
    long partitions;
    long brokers;
    const char *topic;
    const char *props[MAX_PROPS]; /* "key=value", applied in order after the defaults */
    int prop_count;
};

struct loop_counts {
    int64_t acked;  /* successful delivery reports */
    int64_t failed; /* delivery reports with an error */
    char first_error[256];
};

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig) {
    (void)sig;
    stop_requested = 1;
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void usage(FILE *out) {
    fprintf(out,
            "usage: rdkafka_loop [--size BYTES] [--warmup S] [--seconds S] [--partitions N]\n"
            "                    [--brokers N] [--topic NAME] [-X key=value]...\n"
            "  Hosts librdkafka's mock cluster in a child process and produces to it as fast as\n"
            "  possible from this one; prints the acknowledged messages per second of the\n"
            "  measured interval. Defaults: 1024 B, 5 s warm-up, 10 s measured, 16 partitions,\n"
            "  1 broker, topic bench, acks=all linger.ms=5 batch.size=1048576.\n");
}

/* ------------------------------------------------------------- broker */

/* The child: hosts the mock cluster until stop_fd reaches EOF. Writes the
 * bootstrap string and a newline to boot_fd, or "!message\n" on failure.
 * @return the child's exit status. */
static int broker_main(const struct loop_opts *o, int boot_fd, int stop_fd) {
    char kerr[512], line[1024];
    signal(SIGINT, SIG_IGN); /* the parent decides when the broker goes */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() == 1)
        return 1; /* the parent is already gone */
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    /* The host handle connects nowhere: its "no bootstrap.servers" notice is
     * noise (ombc's embedded Kafka does the same). */
    rd_kafka_conf_set(conf, "log_level", "3", kerr, sizeof(kerr));
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, kerr, sizeof(kerr));
    rd_kafka_mock_cluster_t *mc = NULL;
    int rc = 1;
    if (!rk) {
        rd_kafka_conf_destroy(conf);
        snprintf(line, sizeof(line), "!rd_kafka_new: %s\n", kerr);
    } else if (!(mc = rd_kafka_mock_cluster_new(rk, (int)o->brokers))) {
        snprintf(line, sizeof(line), "!cannot start %ld mock brokers\n", o->brokers);
    } else {
        rd_kafka_resp_err_t e = rd_kafka_mock_topic_create(mc, o->topic, (int)o->partitions, 1);
        if (e)
            snprintf(line, sizeof(line), "!creating topic %s: %s\n", o->topic, rd_kafka_err2str(e));
        else {
            snprintf(line, sizeof(line), "%s\n", rd_kafka_mock_cluster_bootstraps(mc));
            rc = 0;
        }
    }
    ssize_t w = write(boot_fd, line, strlen(line));
    close(boot_fd);
    if (rc == 0 && w == (ssize_t)strlen(line)) {
        char c;
        for (;;) { /* until EOF: the parent is done (or gone) */
            ssize_t n = read(stop_fd, &c, 1);
            if (n == 0 || (n < 0 && errno != EINTR))
                break;
        }
    }
    if (mc)
        rd_kafka_mock_cluster_destroy(mc);
    if (rk)
        rd_kafka_destroy(rk);
    return rc;
}

/* Reads the child's first line (bootstrap string, or "!error") within the
 * start timeout. @return 0, or -1 with errstr. */
static int read_bootstrap(int fd, char *buf, size_t size, char *errstr, size_t errstr_size) {
    size_t len = 0;
    double deadline = now_s() + BROKER_START_TIMEOUT_MS / 1000.0;
    while (len + 1 < size) {
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        int left = (int)((deadline - now_s()) * 1000);
        if (left <= 0 || stop_requested) {
            snprintf(errstr, errstr_size, "mock broker did not start within %d s",
                     BROKER_START_TIMEOUT_MS / 1000);
            return -1;
        }
        int r = poll(&pfd, 1, left);
        if (r < 0 && errno == EINTR)
            continue;
        ssize_t n = r > 0 ? read(fd, buf + len, size - len - 1) : 0;
        if (n < 0 && errno == EINTR)
            continue;
        if (r > 0 && n <= 0) {
            snprintf(errstr, errstr_size, "mock broker process ended before it started");
            return -1;
        }
        len += (size_t)(n > 0 ? n : 0);
        buf[len] = '\0';
        char *nl = strchr(buf, '\n');
        if (nl) {
            *nl = '\0';
            if (buf[0] == '!') {
                snprintf(errstr, errstr_size, "mock broker: %.900s", buf + 1);
                return -1;
            }
            return 0;
        }
    }
    snprintf(errstr, errstr_size, "mock broker: bootstrap string too long");
    return -1;
}

/* Ends the child: EOF on its stop pipe, then SIGKILL if it has not gone
 * within the stop timeout. */
static void broker_stop(pid_t pid, int stop_fd) {
    close(stop_fd);
    for (int waited = 0; waited < BROKER_STOP_TIMEOUT_MS; waited += 10) {
        pid_t r = waitpid(pid, NULL, WNOHANG);
        if (r == pid || (r < 0 && errno != EINTR))
            return;
        struct timespec ts = {0, 10000000};
        nanosleep(&ts, NULL);
    }
    kill(pid, SIGKILL);
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
        ;
}

/* ----------------------------------------------------------- producer */

static void dr_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
    (void)rk;
    struct loop_counts *c = opaque;
    if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
        c->acked++;
    } else {
        if (c->failed++ == 0)
            snprintf(c->first_error, sizeof(c->first_error), "%s", rd_kafka_err2str(m->err));
    }
}

/* Sets one "key=value" property. @return 0, or -1 with errstr. */
static int set_prop(rd_kafka_conf_t *conf, const char *kv, char *errstr, size_t errstr_size) {
    char key[256], kerr[512];
    const char *eq = strchr(kv, '=');
    if (!eq || eq == kv || (size_t)(eq - kv) >= sizeof(key)) {
        snprintf(errstr, errstr_size, "-X %s: expected key=value", kv);
        return -1;
    }
    memcpy(key, kv, (size_t)(eq - kv));
    key[eq - kv] = '\0';
    if (rd_kafka_conf_set(conf, key, eq + 1, kerr, sizeof(kerr)) != RD_KAFKA_CONF_OK) {
        snprintf(errstr, errstr_size, "-X %s: %s", kv, kerr);
        return -1;
    }
    return 0;
}

/* Produces until the measured interval ends. @return 0 with *rate, or -1
 * with errstr. */
static int produce(const struct loop_opts *o, const char *bootstrap, struct loop_counts *c,
                   double *rate, double *measured_s, char *errstr, size_t errstr_size) {
    static const char *const defaults[] = {"acks=all", "linger.ms=5", "batch.size=1048576"};
    char kerr[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    int rc = rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, kerr, sizeof(kerr)) ==
                     RD_KAFKA_CONF_OK
                 ? 0
                 : -1;
    if (rc)
        snprintf(errstr, errstr_size, "bootstrap.servers: %s", kerr);
    for (size_t i = 0; rc == 0 && i < sizeof(defaults) / sizeof(defaults[0]); i++)
        rc = set_prop(conf, defaults[i], errstr, errstr_size);
    for (int i = 0; rc == 0 && i < o->prop_count; i++)
        rc = set_prop(conf, o->props[i], errstr, errstr_size);
    if (rc) {
        rd_kafka_conf_destroy(conf);
        return -1;
    }
    rd_kafka_conf_set_dr_msg_cb(conf, dr_cb);
    rd_kafka_conf_set_opaque(conf, c);
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, kerr, sizeof(kerr));
    if (!rk) {
        rd_kafka_conf_destroy(conf);
        snprintf(errstr, errstr_size, "rd_kafka_new: %s", kerr);
        return -1;
    }
    rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, o->topic, NULL);
    char *payload = malloc((size_t)o->size);
    if (!rkt || !payload) {
        snprintf(errstr, errstr_size, "%s", !rkt ? "rd_kafka_topic_new failed" : "out of memory");
        rc = -1;
    }
    if (payload) { /* one random payload, as ombc sends without a payload file */
        unsigned s = (unsigned)getpid();
        for (long i = 0; i < o->size; i++)
            payload[i] = (char)(rand_r(&s) & 0xff);
    }

    double start = now_s(), t_begin = start + o->warmup_s, t_end = t_begin + o->seconds;
    double t0 = 0, t1 = 0;
    int64_t acked0 = 0;
    bool measuring = false;
    while (rc == 0) {
        /* flags 0: librdkafka neither copies nor frees the payload (as ombc) */
        if (rd_kafka_produce(rkt, RD_KAFKA_PARTITION_UA, 0, payload, (size_t)o->size, NULL, 0,
                             NULL) != 0) {
            rd_kafka_resp_err_t e = rd_kafka_last_error();
            if (e != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
                snprintf(errstr, errstr_size, "produce: %s", rd_kafka_err2str(e));
                rc = -1;
                break;
            }
            rd_kafka_poll(rk, 1);
        } else {
            rd_kafka_poll(rk, 0);
        }
        if (stop_requested) {
            snprintf(errstr, errstr_size, "interrupted");
            rc = -1;
            break;
        }
        double now = now_s();
        if (!measuring && now >= t_begin) {
            measuring = true;
            t0 = now;
            acked0 = c->acked;
        } else if (measuring && now >= t_end) {
            t1 = now;
            *rate = (double)(c->acked - acked0) / (t1 - t0);
            *measured_s = t1 - t0;
            c->acked -= acked0;
            break;
        }
    }
    if (rk) {
        /* What is still queued would only make destroy wait. */
        rd_kafka_purge(rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
        if (rkt)
            rd_kafka_topic_destroy(rkt);
        /* Serves the purge's delivery reports (errors, not counted). */
        int64_t acked = c->acked, failed = c->failed;
        rd_kafka_flush(rk, BROKER_STOP_TIMEOUT_MS);
        rd_kafka_destroy(rk);
        c->acked = acked;
        c->failed = failed;
    }
    free(payload);
    if (rc == 0 && c->failed > 0) {
        snprintf(errstr, errstr_size, "%" PRId64 " delivery reports failed, the first: %s",
                 c->failed, c->first_error);
        rc = -1;
    }
    return rc;
}

/* --------------------------------------------------------------- main */

static int parse_num(const char *name, const char *s, double min, double max, double *out) {
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (!*s || *end || errno || !isfinite(v) || v < min || v > max) {
        fprintf(stderr, "rdkafka_loop: --%s must be a number between %g and %g\n", name, min, max);
        return -1;
    }
    *out = v;
    return 0;
}

int main(int argc, char **argv) {
    static const struct option lopts[] = {
        {"size", required_argument, NULL, 's'},    {"warmup", required_argument, NULL, 'w'},
        {"seconds", required_argument, NULL, 't'}, {"partitions", required_argument, NULL, 'p'},
        {"brokers", required_argument, NULL, 'b'}, {"topic", required_argument, NULL, 'T'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
    };
    struct loop_opts o = {.size = 1024,
                          .warmup_s = 5,
                          .seconds = 10,
                          .partitions = 16,
                          .brokers = 1,
                          .topic = "bench"};
    int ch;
    double v;
    while ((ch = getopt_long(argc, argv, "X:h", lopts, NULL)) != -1) {
        switch (ch) {
        case 's':
            if (parse_num("size", optarg, 1, 100000000, &v))
                return 2;
            o.size = (long)v;
            break;
        case 'w':
            if (parse_num("warmup", optarg, 0, 3600, &o.warmup_s))
                return 2;
            break;
        case 't':
            if (parse_num("seconds", optarg, 0.1, 3600, &o.seconds))
                return 2;
            break;
        case 'p':
            if (parse_num("partitions", optarg, 1, 10000, &v))
                return 2;
            o.partitions = (long)v;
            break;
        case 'b':
            if (parse_num("brokers", optarg, 1, 64, &v))
                return 2;
            o.brokers = (long)v;
            break;
        case 'T': o.topic = optarg; break;
        case 'X':
            if (o.prop_count == MAX_PROPS) {
                fprintf(stderr, "rdkafka_loop: at most %d -X\n", MAX_PROPS);
                return 2;
            }
            o.props[o.prop_count++] = optarg;
            break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind < argc) {
        usage(stderr);
        return 2;
    }

    int boot[2], stop[2];
    if (pipe(boot) != 0 || pipe(stop) != 0) {
        fprintf(stderr, "rdkafka_loop: pipe: %s\n", strerror(errno));
        return 1;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "rdkafka_loop: fork: %s\n", strerror(errno));
        return 1;
    }
    if (pid == 0) {
        close(boot[0]);
        close(stop[1]);
        _exit(broker_main(&o, boot[1], stop[0]));
    }
    close(boot[1]);
    close(stop[0]);
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    char bootstrap[1024], err[1024] = "";
    struct loop_counts c = {0};
    double rate = 0, measured = 0;
    int rc = read_bootstrap(boot[0], bootstrap, sizeof(bootstrap), err, sizeof(err));
    close(boot[0]);
    if (rc == 0)
        rc = produce(&o, bootstrap, &c, &rate, &measured, err, sizeof(err));
    broker_stop(pid, stop[1]);
    if (rc != 0) {
        fprintf(stderr, "rdkafka_loop: %s\n", err);
        return 1;
    }
    printf("acked_per_sec=%.1f acked=%" PRId64 " seconds=%.3f failed=%" PRId64 " size=%ld\n", rate,
           c.acked, measured, c.failed, o.size);
    return 0;
}
