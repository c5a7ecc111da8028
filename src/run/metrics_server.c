/*
 * metrics_server: the HTTP side of --metrics-port (see metrics_server.h).
 *
 * libmicrohttpd runs one internal thread (epoll or poll, never select: the
 * coordinator may hold more than FD_SETSIZE descriptors with many agents)
 * that serves every connection, so scrapes run one at a time; a mutex still
 * guards the attached pool and the scrape state, which is what lets
 * attach(NULL) wait for a scrape to end.
 *
 * A scrape merges the agents' histogram counts over the index range they
 * have used (struct ombc_index_range) into a per-server scratch histogram:
 * bounded work, and only those pages of the scratch are ever touched. Summary
 * counts and sums are over everything since the agents started; quantiles
 * are over a recent window, as OMB's (BookKeeper rotates its sketches every
 * 60 s): the server keeps the merged counts of the last two rotations, done
 * at the first scrape window_s or more after the previous one, and reports
 * the quantiles of what was recorded since the older one, i.e. the last
 * window_s to 2 window_s seconds when Prometheus scrapes more often than
 * every window_s.
 */
#include "run/metrics_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/err.h"
#include "stats/agent_stats.h"
#include "stats/prometheus.h"

#define MAX_CONNECTIONS 16u      /* Prometheus needs one; a few curls besides */
#define CONNECTION_TIMEOUT_S 10u /* an idle connection is closed after it */
#define CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

struct ombc_metrics_server {
    struct MHD_Daemon *daemon;
    int window_s;
    pthread_mutex_t lock; /* everything below */
    const struct ombc_agent_stats *const *blocks; /* the attached pool's; NULL: none */
    int nblocks;
    /* Per metric: the merged counts now, then the window's (scratch), and the
     * merged counts at the last rotation and the one before. Entries outside
     * [used_lo, used_hi] are zero in all three. */
    struct ombc_hist now[OMBC_METRIC_COUNT];
    struct ombc_hist newer[OMBC_METRIC_COUNT];
    struct ombc_hist older[OMBC_METRIC_COUNT];
    int32_t used_lo[OMBC_METRIC_COUNT], used_hi[OMBC_METRIC_COUNT];
    int64_t rotated_ns; /* monotonic time of the last rotation */
};

/* ------------------------------------------------------------- scrape */

/* Zeroes every entry the scratch histograms hold and starts a window. */
static void forget(struct ombc_metrics_server *s) {
    for (int m = 0; m < OMBC_METRIC_COUNT; m++) {
        for (int32_t i = s->used_lo[m]; i <= s->used_hi[m]; i++)
            s->now[m].counts[i] = s->newer[m].counts[i] = s->older[m].counts[i] = 0;
        s->used_lo[m] = INT32_MAX;
        s->used_hi[m] = -1;
    }
    s->rotated_ns = ombc_now_ns();
}

/* The index range the agents have used for metric m, clamped to counts. */
static bool used_range(const struct ombc_metrics_server *s, int m, int32_t *lo, int32_t *hi) {
    int64_t l = INT64_MAX, h = -1;
    for (int a = 0; a < s->nblocks; a++) {
        const struct ombc_index_range *r = &s->blocks[a]->ranges[m];
        int64_t al = __atomic_load_n(&r->lo, __ATOMIC_RELAXED);
        int64_t ah = __atomic_load_n(&r->hi, __ATOMIC_RELAXED);
        l = al < l ? al : l;
        h = ah > h ? ah : h;
    }
    if (l < 0)
        l = 0;
    if (h >= s->now[m].counts_len)
        h = s->now[m].counts_len - 1;
    if (h < l)
        return false;
    *lo = (int32_t)l;
    *hi = (int32_t)h;
    return true;
}

/* Metric m's summary: merge, totals, rotation, window quantiles. */
static void scrape_latency(struct ombc_metrics_server *s, int m, bool rotate,
                           struct ombc_prom_summary *out) {
    int32_t lo, hi;
    if (!used_range(s, m, &lo, &hi)) { /* nothing recorded yet: all zero */
        ombc_prom_summary_empty(out);
        return;
    }
    /* Ranges only grow, so [lo, hi] covers every entry written before. */
    s->used_lo[m] = lo < s->used_lo[m] ? lo : s->used_lo[m];
    s->used_hi[m] = hi > s->used_hi[m] ? hi : s->used_hi[m];
    int64_t *now = s->now[m].counts;
    for (int32_t i = lo; i <= hi; i++) {
        int64_t sum = 0;
        for (int a = 0; a < s->nblocks; a++)
            sum += ombc_counter_read(&s->blocks[a]->hist[m].counts[i]);
        now[i] = sum;
    }
    ombc_prom_summary_totals(out, &s->now[m], lo, hi);
    if (rotate) {
        struct ombc_hist t = s->older[m];
        s->older[m] = s->newer[m];
        s->newer[m] = t;
        memcpy(s->newer[m].counts + lo, now + lo, (size_t)(hi - lo + 1) * sizeof(*now));
    }
    /* now becomes the window: what was recorded since the older rotation */
    const int64_t *base = s->older[m].counts;
    int64_t total = 0;
    for (int32_t i = lo; i <= hi; i++) {
        int64_t d = now[i] - base[i];
        now[i] = d > 0 ? d : 0; /* counts only grow: never below */
        total += now[i];
    }
    s->now[m].total = total; /* all that value_at_percentile needs besides counts */
    ombc_prom_summary_quantiles(out, &s->now[m]);
}

/* The figures of the attached pool, under s->lock. */
static void scrape(struct ombc_metrics_server *s, struct ombc_prom_figures *f) {
    memset(f, 0, sizeof(*f));
    f->version = OMBC_VERSION;
    f->quantile_window_s = s->window_s;
    f->agents = s->nblocks;
    int64_t t = ombc_now_ns();
    bool rotate = t - s->rotated_ns >= (int64_t)s->window_s * 1000000000;
    if (rotate)
        s->rotated_ns = t;
    for (int m = 0; m < OMBC_METRIC_COUNT; m++)
        scrape_latency(s, m, rotate, &f->latency[m]);
    int64_t rate_milli = 0;
    for (int a = 0; a < s->nblocks; a++) {
        const struct ombc_agent_counters *k = s->blocks[a]->counters;
        f->messages_sent += ombc_counter_read(&k->sent);
        f->bytes_sent += ombc_counter_read(&k->bytes_sent);
        f->message_send_errors +=
            ombc_counter_read(&k->send_errors) + ombc_counter_read(&k->send_errors_sync);
        f->messages_recv += ombc_counter_read(&k->received);
        f->bytes_recv += ombc_counter_read(&k->bytes_received);
        f->probe_messages_sent += ombc_counter_read(&k->probe_sent);
        f->latency_clamped += ombc_counter_read(&k->latency_clamped);
        f->e2e_not_positive += ombc_counter_read(&k->e2e_non_positive);
        f->e2e_out_of_range += ombc_counter_read(&k->e2e_out_of_range);
        rate_milli += ombc_counter_read(&k->rate_applied_milli);
    }
    f->publish_rate_target = (double)rate_milli / 1000.0;
}

/* --------------------------------------------------------------- HTTP */

static enum MHD_Result reply_text(struct MHD_Connection *c, unsigned int status,
                                  const char *text) {
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; charset=utf-8");
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
        MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls) {
    (void)version;
    (void)upload_data;
    (void)con_cls;
    struct ombc_metrics_server *s = cls;
    if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
        return reply_text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "Only GET and HEAD are served.\n");
    if (*upload_data_size != 0) /* a GET with a body: ignore it */
        *upload_data_size = 0;
    if (strcmp(url, "/metrics") != 0)
        return reply_text(c, MHD_HTTP_NOT_FOUND, "Not found: ombc serves /metrics.\n");

    struct ombc_prom_figures f;
    char *text = NULL;
    size_t len = 0;
    pthread_mutex_lock(&s->lock);
    scrape(s, &f);
    int rc = ombc_prom_format(&f, &text, &len);
    pthread_mutex_unlock(&s->lock);
    if (rc != 0)
        return reply_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "Out of memory.\n");
    struct MHD_Response *r = MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(text);
        return MHD_NO;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, CONTENT_TYPE);
    enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ret;
}

/* ------------------------------------------------------------ lifecycle */

static int listen_on(int port, int *fd_out, char *errstr, size_t errstr_size) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return ombc_errf(errstr, errstr_size, OMBC_EIO, "--metrics-port %d: socket: %s", port,
                         strerror(errno));
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)); /* past TIME_WAIT */
    struct sockaddr_in addr = {.sin_family = AF_INET,
                               .sin_port = htons((uint16_t)port),
                               .sin_addr.s_addr = htonl(INADDR_ANY)};
    if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0 || listen(fd, 64) != 0) {
        int e = errno;
        close(fd);
        return ombc_errf(errstr, errstr_size, OMBC_EIO,
                         "--metrics-port %d: cannot listen on 0.0.0.0:%d: %s", port, port,
                         strerror(e));
    }
    *fd_out = fd;
    return 0;
}

static void free_server(struct ombc_metrics_server *s) {
    for (int m = 0; m < OMBC_METRIC_COUNT; m++) {
        ombc_hist_fini(&s->now[m]);
        ombc_hist_fini(&s->newer[m]);
        ombc_hist_fini(&s->older[m]);
    }
    pthread_mutex_destroy(&s->lock);
    free(s);
}

int ombc_metrics_server_new(int port, int window_s, struct ombc_metrics_server **out,
                            char *errstr, size_t errstr_size) {
    if (port < 1 || port > 65535)
        return ombc_errf(errstr, errstr_size, OMBC_EINVAL,
                         "--metrics-port must be between 1 and 65535, got %d", port);
    if (window_s < 1)
        return ombc_errf(errstr, errstr_size, OMBC_EINVAL,
                         "the metrics' quantile window must be at least 1 s, got %d", window_s);
    struct ombc_metrics_server *s = calloc(1, sizeof(*s));
    if (!s || pthread_mutex_init(&s->lock, NULL) != 0) {
        free(s);
        return ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "--metrics-port: out of memory");
    }
    s->window_s = window_s;
    int rc = 0;
    for (int m = 0; m < OMBC_METRIC_COUNT && rc == 0; m++) {
        /* Allocated zeroed and untouched: only the pages of the used range
         * ever cost memory. */
        if (ombc_metric_hist_init(&s->now[m], m) != 0 ||
            ombc_metric_hist_init(&s->newer[m], m) != 0 ||
            ombc_metric_hist_init(&s->older[m], m) != 0)
            rc = ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "--metrics-port: out of memory");
        s->used_lo[m] = INT32_MAX;
        s->used_hi[m] = -1;
    }
    s->rotated_ns = ombc_now_ns();
    int fd = -1;
    if (rc == 0)
        rc = listen_on(port, &fd, errstr, errstr_size);
    if (rc != 0) {
        free_server(s);
        return rc;
    }
    /* The thread libmicrohttpd starts inherits this mask: signals stay with
     * the coordinator's thread, whose handler and waits expect them. */
    sigset_t all, old;
    sigfillset(&all);
    static const int faults[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGABRT};
    for (size_t i = 0; i < sizeof(faults) / sizeof(faults[0]); i++)
        sigdelset(&all, faults[i]); /* its own faults still reach their handlers */
    pthread_sigmask(SIG_BLOCK, &all, &old);
    s->daemon = MHD_start_daemon(MHD_USE_AUTO_INTERNAL_THREAD, (uint16_t)port,
                                 NULL, NULL, on_request, s, MHD_OPTION_LISTEN_SOCKET, fd,
                                 MHD_OPTION_CONNECTION_LIMIT, MAX_CONNECTIONS,
                                 MHD_OPTION_CONNECTION_TIMEOUT, CONNECTION_TIMEOUT_S,
                                 MHD_OPTION_END);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (!s->daemon) {
        close(fd);
        free_server(s);
        return ombc_errf(errstr, errstr_size, OMBC_EIO,
                         "--metrics-port %d: cannot start the HTTP server", port);
    }
    *out = s;
    return 0;
}

void ombc_metrics_server_attach(struct ombc_metrics_server *s,
                                const struct ombc_agent_stats *const *blocks, int n) {
    if (!s)
        return;
    if (!blocks)
        n = 0;
    pthread_mutex_lock(&s->lock);
    forget(s); /* another pool's counts must not become this one's window */
    s->blocks = blocks;
    s->nblocks = n;
    pthread_mutex_unlock(&s->lock);
}

void ombc_metrics_server_destroy(struct ombc_metrics_server *s) {
    if (!s)
        return;
    MHD_stop_daemon(s->daemon); /* joins its thread and closes the listening socket */
    free_server(s);
}
