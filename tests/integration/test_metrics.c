/*
 * `ombc run --metrics-port`: Prometheus's /metrics, live during a run.
 *
 * A run on the null driver is scraped (plain HTTP over a socket) while its
 * load runs: OMB's counters are there and grow between scrapes, also across
 * an agent's restart, the latency summaries have counts and ordered
 * quantiles, and Prometheus's own checker,
 * `promtool check metrics` (Debian's prometheus package; its absence is a
 * failure, never a skip), accepts the text. The one complaint allowed is the
 * lint about OMB's five counters lacking a `_total` suffix: those are OMB's
 * names as its worker serves them, which the issue asks for. A copy with
 * `_total` added to them must pass with no output at all.
 *
 * Also: a port in use and bad port values are bad input (exit 2, one line,
 * nothing run), and the server itself (called as a library) answers 404 and
 * 405, frees its port when destroyed, and keeps counts since the start while
 * its quantiles follow the recent window.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <math.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "core/err.h"
#include "integration/runner.h"
#include "run/metrics_server.h"
#include "stats/agent_stats.h"
#include "worker/local_worker.h"

/* ------------------------------------------------------------ helpers */

/* A port nobody listens on now: bound to 0 (the kernel picks), then freed. */
static int free_port(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_ANY)};
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    socklen_t len = sizeof(a);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    close(fd);
    return ntohs(a.sin_port);
}

struct reply {
    int status;  /* HTTP status, 0: no connection */
    char *head;  /* status line and headers */
    char *body;
};

static void reply_free(struct reply *r) {
    free(r->head);
    free(r->body);
    memset(r, 0, sizeof(*r));
}

/* `METHOD path` on 127.0.0.1:port over HTTP/1.0; the whole reply. */
static struct reply http(int port, const char *method, const char *path) {
    struct reply r = {0};
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
        close(fd);
        return r;
    }
    struct timeval tv = {.tv_sec = 10};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    char req[256];
    int n = snprintf(req, sizeof(req), "%s %s HTTP/1.0\r\nHost: localhost\r\n\r\n", method, path);
    assert_int_equal(write(fd, req, (size_t)n), n);
    size_t cap = 65536, len = 0;
    char *buf = malloc(cap);
    ssize_t got;
    while (buf && (got = read(fd, buf + len, cap - len - 1)) > 0) {
        len += (size_t)got;
        if (cap - len - 1 == 0)
            buf = realloc(buf, cap *= 2);
    }
    close(fd);
    assert_non_null(buf);
    buf[len] = '\0';
    char *sep = strstr(buf, "\r\n\r\n");
    if (sep && sscanf(buf, "HTTP/1.%*d %d", &r.status) == 1) {
        *sep = '\0';
        r.head = strdup(buf);
        r.body = strdup(sep + 4);
    }
    free(buf);
    return r;
}

/* The value of the sample whose name and labels are exactly key ("name" or
 * `name{a="b"}`); NAN when the text has no such line. */
static double sample(const char *text, const char *key) {
    size_t k = strlen(key);
    for (const char *line = text; line && *line;) {
        if (strncmp(line, key, k) == 0 && line[k] == ' ')
            return strtod(line + k + 1, NULL);
        line = strchr(line, '\n');
        line = line ? line + 1 : NULL;
    }
    return NAN;
}

static const char *const omb_counters[] = {
    "benchmark_producer_messages_sent", "benchmark_producer_bytes_sent",
    "benchmark_producer_message_send_errors", "benchmark_consumer_messages_recv",
    "benchmark_consumer_bytes_recv"};
#define OMB_COUNTERS 5

static const char *const omb_summaries[] = {
    "benchmark_producer_produce_latency", "benchmark_producer_producer_delay_latency",
    "benchmark_consumer_e2e_latency", "benchmark_ombc_producer_response_time"};
#define SUMMARIES 4

/* Runs `promtool check metrics` on text; its exit status, its output in
 * *out (caller frees). */
static int promtool(const char *dir, const char *name, const char *text, char **out) {
    char in_path[256], out_path[256], cmd[700];
    snprintf(in_path, sizeof(in_path), "%s/%s.prom", dir, name);
    snprintf(out_path, sizeof(out_path), "%s/%s.promtool", dir, name);
    FILE *f = fopen(in_path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    snprintf(cmd, sizeof(cmd), "promtool check metrics < '%s' > '%s' 2>&1", in_path, out_path);
    int st = system(cmd);
    *out = runner_slurp(out_path);
    assert_non_null(*out);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* promtool's lint of one of OMB's counters, the only complaint allowed. */
static bool omb_total_lint(const char *line, size_t len) {
    for (int i = 0; i < OMB_COUNTERS; i++) {
        char want[200];
        int n = snprintf(want, sizeof(want), "%s counter metrics should have \"_total\" suffix",
                         omb_counters[i]);
        if ((size_t)n == len && strncmp(line, want, len) == 0)
            return true;
    }
    return false;
}

/* text with "_total" added to OMB's counters' names. */
static char *with_total_suffix(const char *text) {
    size_t cap = strlen(text) * 2 + 1, n = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    for (const char *p = text; *p;) {
        bool renamed = false;
        for (int i = 0; i < OMB_COUNTERS && !renamed; i++) {
            size_t k = strlen(omb_counters[i]);
            if (strncmp(p, omb_counters[i], k) == 0 && (p[k] == ' ' || p[k] == '{')) {
                memcpy(out + n, p, k);
                memcpy(out + n + k, "_total", 6);
                n += k + 6;
                p += k;
                renamed = true;
            }
        }
        if (!renamed)
            out[n++] = *p++;
    }
    out[n] = '\0';
    return out;
}

/* promtool accepts text: exit 0 and silent, or exit 3 (lint problems) with
 * only the allowed lint; and silent, exit 0, once OMB's counters carry the
 * suffix. */
static void assert_promtool_accepts(const char *dir, const char *name, const char *text) {
    char *out = NULL;
    int st = promtool(dir, name, text, &out);
    int allowed = 0;
    for (char *line = out; *line;) {
        size_t len = strcspn(line, "\n");
        if (len > 0) {
            if (!omb_total_lint(line, len))
                fail_msg("promtool check metrics (exit %d) complains:\n%s", st, out);
            allowed++;
        }
        line += len + (line[len] ? 1 : 0);
    }
    if (!((st == 0 && allowed == 0) || (st == 3 && allowed > 0)))
        fail_msg("promtool check metrics: exit %d, output:\n%s", st, out);
    fprintf(stderr, "promtool check metrics on %s: exit %d, %d allowed lint lines (OMB's "
            "counter names)\n", name, st, allowed);
    free(out);

    char *renamed = with_total_suffix(text);
    char name2[64];
    snprintf(name2, sizeof(name2), "%s-total", name);
    st = promtool(dir, name2, renamed, &out);
    if (st != 0 || out[0] != '\0')
        fail_msg("promtool check metrics with _total names: exit %d, output:\n%s", st, out);
    free(out);
    free(renamed);
}

static void require_promtool(void) {
    if (system("command -v promtool >/dev/null 2>&1") != 0)
        fail_msg("promtool not found: it comes with Debian's prometheus package, which "
                 "scripts/setup.sh installs (make check runs it)");
}

/* ----------------------------------------------------- a run, scraped */

/* A scrape of port in which every OMB counter but the errors is above its
 * value in the scrape `since`. */
struct growth {
    int port;
    const char *since;
    struct reply got; /* the last scrape */
};

static bool counters_grown(struct ombc_run *r, void *arg) {
    struct growth *g = arg;
    reply_free(&g->got);
    g->got = http(g->port, "GET", "/metrics");
    if (g->got.status != 200)
        return !runner_alive(r->pid); /* the run is over: nothing more to wait for */
    for (int i = 0; i < OMB_COUNTERS; i++)
        if (!strstr(omb_counters[i], "errors") &&
            !(sample(g->got.body, omb_counters[i]) > sample(g->since, omb_counters[i])))
            return false;
    return true;
}

static void scraped_during_a_run(void **state) {
    (void)state;
    require_promtool();
    struct ombc_run r;
    runner_init(&r);
    runner_write(&r, "w.yaml",
                 "name: metrics\ntopics: 1\npartitionsPerTopic: 1\nmessageSize: 64\n"
                 "subscriptionsPerTopic: 1\nconsumerPerSubscription: 2\n"
                 "producersPerTopic: 2\nproducerRate: 5000\n"
                 "testDurationSeconds: 4\nwarmupDurationSeconds: 1\n");
    char driver[1024], port_arg[16];
    snprintf(driver, sizeof(driver), "%s/drivers/null.yaml", runner_source_dir());
    int port = free_port();
    snprintf(port_arg, sizeof(port_arg), "%d", port);
    char *args[] = {"run", "-d", driver, "--agents", "2", "--report-interval", "1",
                    "--metrics-port", port_arg, "-o", "result.json", "w.yaml", NULL};
    runner_start(&r, args);

    /* First scrape once the load runs (the server answers from the start). */
    struct reply s1 = {0};
    bool answered = false;
    for (int i = 0; i < 600; i++) { /* 60 s */
        s1 = http(port, "GET", "/metrics");
        answered |= s1.status == 200;
        if (s1.status == 200 && sample(s1.body, "benchmark_producer_messages_sent") > 0 &&
            sample(s1.body, "benchmark_ombc_publish_rate_target") > 0)
            break;
        reply_free(&s1);
        if (!runner_alive(r.pid))
            break;
        usleep(100000);
    }
    if (!s1.body) {
        runner_kill(&r);
        runner_wait(&r, 5);
        fail_msg("no scrape with messages sent (server %s); stderr:\n%s",
                 answered ? "answered" : "never answered", r.err);
    }
    /* The load runs on: a scrape where every counter has grown. */
    struct growth s2 = {.port = port, .since = s1.body};
    runner_wait_for(&r, counters_grown, &s2, 30);
    /* An agent dies and is restarted into its stats block, which outlives
     * it: the counters go on from where they were, never back. */
    pid_t agents[8];
    int nagents = runner_children(r.pid, agents, 8);
    if (nagents > 0)
        kill(agents[nagents - 1], SIGKILL);
    bool restarted = runner_wait_output(&r, "stderr", "restarted as pid", 1, 30);
    struct growth s3 = {.port = port, .since = s2.got.body};
    if (s2.got.body)
        runner_wait_for(&r, counters_grown, &s3, 30);
    bool alive = runner_alive(r.pid); /* every scrape during the run */
    runner_wait(&r, 60);
    if (r.status != 0)
        fprintf(stderr, "stderr:\n%s\n", r.err);
    assert_int_equal(r.status, 0);
    assert_true(alive);
    assert_int_equal(nagents, 2);
    assert_int_equal(s2.got.status, 200);
    assert_true(restarted);
    assert_int_equal(s3.got.status, 200);
    assert_non_null(strstr(s1.head, "Content-Type: text/plain; version=0.0.4"));

    for (int i = 0; i < OMB_COUNTERS; i++) {
        char type[200];
        snprintf(type, sizeof(type), "\n# TYPE %s counter\n", omb_counters[i]);
        assert_non_null(strstr(s1.body, type));
        double a = sample(s1.body, omb_counters[i]), b = sample(s2.got.body, omb_counters[i]);
        fprintf(stderr, "%s: %.0f then %.0f\n", omb_counters[i], a, b);
        assert_false(isnan(a) || isnan(b));
        if (strstr(omb_counters[i], "errors"))
            assert_true(a == 0 && b == 0); /* the null driver fails nothing */
        else
            assert_true(a > 0 && b > a);
    }
    /* the agent restart */
    for (int i = 0; i < OMB_COUNTERS; i++) {
        double b = sample(s2.got.body, omb_counters[i]), c = sample(s3.got.body, omb_counters[i]);
        fprintf(stderr, "%s after an agent restart: %.0f\n", omb_counters[i], c);
        assert_true(c >= b);
        if (!strstr(omb_counters[i], "errors"))
            assert_true(c > b);
    }
    /* bytes follow messages (64 bytes each; the two are read microseconds
     * apart while the agents write on) */
    double sent = sample(s2.got.body, "benchmark_producer_messages_sent");
    double bytes = sample(s2.got.body, "benchmark_producer_bytes_sent");
    assert_true(fabs(bytes / 64 - sent) <= 100);

    for (int i = 0; i < SUMMARIES; i++) {
        char type[200], key[200];
        snprintf(type, sizeof(type), "\n# TYPE %s summary\n", omb_summaries[i]);
        assert_non_null(strstr(s2.got.body, type));
        snprintf(key, sizeof(key), "%s_count{success=\"true\"}", omb_summaries[i]);
        double c1 = sample(s1.body, key), c2 = sample(s2.got.body, key);
        snprintf(key, sizeof(key), "%s_sum{success=\"true\"}", omb_summaries[i]);
        double sum = sample(s2.got.body, key);
        fprintf(stderr, "%s: count %.0f then %.0f, sum %.3f ms\n", omb_summaries[i], c1, c2,
                sum);
        assert_true(c1 > 0 && c2 > c1);
        snprintf(key, sizeof(key), "%s_count{success=\"false\"}", omb_summaries[i]);
        assert_true(sample(s2.got.body, key) == 0);
        /* quantiles: numbers, in order */
        static const char *const q[] = {"0.5", "0.75", "0.95", "0.99", "0.999", "0.9999", "1.0"};
        double prev = 0;
        for (int k = 0; k < 7; k++) {
            snprintf(key, sizeof(key), "%s{success=\"true\",quantile=\"%s\"}", omb_summaries[i],
                     q[k]);
            double v = sample(s2.got.body, key);
            if (isnan(v) || v < prev)
                fail_msg("%s = %g after %g", key, v, prev);
            prev = v;
        }
        /* the sum is of the same values: at most count x max (prev, the
         * quantile 1.0, over the whole run: no rotation in it); and above 0
         * but for the publish delay, which may be below 1 us throughout */
        assert_true(sum <= c2 * prev * (1 + 1e-9));
        if (!strstr(omb_summaries[i], "delay"))
            assert_true(sum > 0);
    }
    /* the produce latency count follows the messages sent */
    double lat = sample(s2.got.body, "benchmark_producer_produce_latency_count{success=\"true\"}");
    assert_true(fabs(lat - sent) <= 100);
    assert_true(sample(s2.got.body, "benchmark_ombc_agents") == 2);
    assert_true(fabs(sample(s2.got.body, "benchmark_ombc_publish_rate_target") - 5000) < 1);
    assert_non_null(strstr(s2.got.body, "\nbenchmark_ombc_info{version=\""));

    assert_promtool_accepts(r.dir, "scrape1", s1.body);
    assert_promtool_accepts(r.dir, "scrape2", s2.got.body);
    assert_promtool_accepts(r.dir, "scrape3", s3.got.body);

    /* the run is over: so is the server */
    struct reply after = http(port, "GET", "/metrics");
    assert_int_equal(after.status, 0);
    cJSON *root = runner_json(r.dir, "result.json");
    assert_non_null(root);
    cJSON_Delete(root);
    reply_free(&s1);
    reply_free(&s2.got);
    reply_free(&s3.got);
    runner_fini(&r);
}

/* ------------------------------------------------------- bad input */

static void write_short_workload(struct ombc_run *r) {
    runner_write(r, "w.yaml",
                 "name: w\ntopics: 1\npartitionsPerTopic: 1\nmessageSize: 64\n"
                 "subscriptionsPerTopic: 1\nconsumerPerSubscription: 1\n"
                 "producersPerTopic: 1\nproducerRate: 100\n"
                 "testDurationSeconds: 1\nwarmupDurationSeconds: 0\n");
}

static int count_lines(const char *s) {
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

static void port_in_use_is_bad_input(void **state) {
    (void)state;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_ANY)};
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    assert_int_equal(listen(fd, 1), 0);
    socklen_t len = sizeof(a);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    int port = ntohs(a.sin_port);

    struct ombc_run r;
    runner_init(&r);
    write_short_workload(&r);
    char driver[1024], port_arg[16], want[200];
    snprintf(driver, sizeof(driver), "%s/drivers/null.yaml", runner_source_dir());
    snprintf(port_arg, sizeof(port_arg), "%d", port);
    char *args[] = {"run", "-d", driver, "--agents", "1", "--metrics-port", port_arg,
                    "-o", "result.json", "w.yaml", NULL};
    runner_run(&r, args, 60);
    close(fd);
    fprintf(stderr, "stderr:\n%s", r.err);
    assert_int_equal(r.status, 2);
    snprintf(want, sizeof(want),
             "ombc: --metrics-port %d: cannot listen on 0.0.0.0:%d: Address already in use\n",
             port, port);
    assert_string_equal(r.err, want);
    assert_int_equal(count_lines(r.err), 1);
    assert_string_equal(r.out, "");
    cJSON *root = runner_json(r.dir, "result.json");
    assert_null(root); /* nothing ran */
    runner_fini(&r);
}

static void bad_port_values(void **state) {
    (void)state;
    const char *bad[] = {"0", "65536", "http", "-1", ""};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct ombc_run r;
        runner_init(&r);
        write_short_workload(&r);
        char *args[] = {"run", "--metrics-port", (char *)bad[i], "w.yaml", NULL};
        runner_run(&r, args, 30);
        char want[200];
        snprintf(want, sizeof(want),
                 "ombc run: --metrics-port must be an integer between 1 and 65535, got '%s'\n",
                 bad[i]);
        assert_int_equal(r.status, 2);
        assert_string_equal(r.err, want);
        runner_fini(&r);
    }
}

/* --------------------------------------------- the server as a library */

struct pool_fixture {
    struct ombc_local_worker *pool;
    const struct ombc_agent_stats *const *all;
    int n;
    struct ombc_agent_stats *blocks[2]; /* written here as agents would */
};

static void pool_fixture(struct pool_fixture *f) {
    /* a pool makes its agents' blocks at once; no process starts until a
     * driver is initialised, which never happens here */
    struct ombc_agent_options opt = {.exe = "/bin/false", .max_restarts = 0};
    char err[256];
    assert_int_equal(ombc_local_worker_new(2, &opt, &f->pool, err, sizeof(err)), 0);
    int n = 0;
    const struct ombc_agent_stats *const *blocks = ombc_local_worker_blocks(f->pool, &n);
    assert_int_equal(n, 2);
    f->all = blocks;
    f->n = n;
    for (int i = 0; i < 2; i++)
        f->blocks[i] = (struct ombc_agent_stats *)blocks[i];
}

static void record(struct ombc_agent_stats *b, int64_t us, int n) {
    for (int i = 0; i < n; i++) {
        assert_true(ombc_agent_stats_record(b, OMBC_METRIC_PUBLISH_LATENCY, us));
        ombc_counter_add(&b->counters->sent, 1);
        ombc_counter_add(&b->counters->bytes_sent, 64);
    }
}

static char *scrape_body(int port) {
    struct reply r = http(port, "GET", "/metrics");
    assert_int_equal(r.status, 200);
    free(r.head);
    return r.body;
}

#define P50 "benchmark_producer_produce_latency{success=\"true\",quantile=\"0.5\"}"
#define PMAX "benchmark_producer_produce_latency{success=\"true\",quantile=\"1.0\"}"
#define COUNT "benchmark_producer_produce_latency_count{success=\"true\"}"

static void server_windows_and_lifecycle(void **state) {
    (void)state;
    int port = free_port();
    struct ombc_metrics_server *s = NULL;
    char err[256];
    /* a 2 s window, so that two rotations fit in a test */
    assert_int_equal(ombc_metrics_server_new(port, 2, &s, err, sizeof(err)), 0);

    /* nothing attached: every counter 0, no agent */
    char *t = scrape_body(port);
    assert_true(sample(t, "benchmark_producer_messages_sent") == 0);
    assert_true(sample(t, "benchmark_ombc_agents") == 0);
    assert_true(isnan(sample(t, P50)));
    free(t);
    struct reply r = http(port, "GET", "/");
    assert_int_equal(r.status, 404);
    reply_free(&r);
    r = http(port, "POST", "/metrics");
    assert_int_equal(r.status, 405);
    assert_non_null(strstr(r.head, "Allow: GET, HEAD"));
    reply_free(&r);
    r = http(port, "HEAD", "/metrics");
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "");
    reply_free(&r);

    struct pool_fixture f;
    pool_fixture(&f);
    ombc_metrics_server_attach(s, f.all, f.n);
    record(f.blocks[0], 1000, 100); /* 1 ms */
    t = scrape_body(port);          /* well within 2 s of attach: no rotation */
    assert_true(sample(t, "benchmark_ombc_agents") == 2);
    assert_true(sample(t, "benchmark_producer_messages_sent") == 100);
    assert_true(sample(t, "benchmark_producer_bytes_sent") == 6400);
    assert_true(sample(t, COUNT) == 100);
    assert_true(sample(t, P50) == 1.0 && sample(t, PMAX) == 1.0);
    free(t);

    /* The sleeps below are what is tested: the server rotates its window at
     * the first scrape 2 s or more after the last rotation, on its own
     * monotonic clock, and nothing it shows marks the rotation due (polling
     * would itself scrape, and rotate, at other times). */
    usleep(2100000);
    t = scrape_body(port); /* rotation: the window is since the start */
    assert_true(sample(t, P50) == 1.0 && sample(t, PMAX) == 1.0);
    free(t);
    record(f.blocks[1], 5000, 100); /* 5 ms, in the other agent */
    usleep(2100000);
    t = scrape_body(port); /* rotation: the window is since the previous one */
    assert_true(sample(t, COUNT) == 200);            /* counts: since the start */
    assert_true(sample(t, P50) == 5.0 && sample(t, PMAX) == 5.0); /* quantiles: the 5 ms only */
    assert_true(sample(t, "benchmark_producer_messages_sent") == 200);
    free(t);
    usleep(2100000);
    t = scrape_body(port); /* nothing new in the window */
    assert_true(sample(t, COUNT) == 200);
    assert_true(isnan(sample(t, P50)));
    free(t);

    ombc_metrics_server_attach(s, NULL, 0);
    t = scrape_body(port);
    assert_true(sample(t, "benchmark_ombc_agents") == 0);
    assert_true(sample(t, COUNT) == 0);
    free(t);
    struct ombc_worker *w = ombc_local_worker_worker(f.pool);
    w->ops->destroy(w);

    /* the port is free again once the server is gone */
    ombc_metrics_server_destroy(s);
    assert_int_equal(http(port, "GET", "/metrics").status, 0);
    assert_int_equal(ombc_metrics_server_new(port, 60, &s, err, sizeof(err)), 0);
    struct ombc_metrics_server *twice = NULL;
    assert_int_equal(ombc_metrics_server_new(port, 60, &twice, err, sizeof(err)), OMBC_EIO);
    assert_non_null(strstr(err, "Address already in use"));
    assert_null(twice);
    ombc_metrics_server_destroy(s);
    ombc_metrics_server_destroy(NULL);
    assert_int_equal(ombc_metrics_server_new(0, 60, &s, err, sizeof(err)), OMBC_EINVAL);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(scraped_during_a_run),
        cmocka_unit_test(port_in_use_is_bad_input),
        cmocka_unit_test(bad_port_values),
        cmocka_unit_test(server_windows_and_lifecycle),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
