/*
 * agent: one agent process, started by the coordinator as `ombc agent`
 * (a fresh process image, so no librdkafka state crosses a fork). It owns a
 * share of the producers and consumers and runs OMB's LocalWorker load for
 * them, writing every measurement into its shared stats block.
 *
 * Threads:
 *   - main:     reads commands from the control socket and answers them;
 *   - load:     the producer loop: schedule, wait, send (the hot path);
 *   - ack:      serves delivery reports: publish latency, delay, counters;
 *   - consumer: polls consumers: end-to-end latency and receive counters.
 * Each stats word has exactly one writer thread. The load and ack threads
 * hand send contexts over through a preallocated ring; nothing on the
 * per-message path allocates, locks or logs.
 *
 * Timing: the load thread reads the monotonic clock once per send; it
 * waits for a send's intended time by sleeping (absolute clock_nanosleep)
 * until spin_us before it and spinning for the rest, as the sleep's
 * wake-up comes late by tens of microseconds. Each payload carries its send
 * time (core/stamp.h) for end-to-end latency in microseconds, stamped into
 * the payload buffer, which the driver then copies (--no-payload-stamp:
 * payloads go out unchanged and uncopied, end-to-end in ms). The ack and
 * consumer threads keep polling for POLL_SPIN_NS after their last work
 * before they block on their eventfd, so a busy run does not sleep and wake
 * per message.
 */
#include "worker/agent.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "config/driver_conf.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/keys.h"
#include "core/log.h"
#include "core/ratelog.h"
#include "core/random.h"
#include "core/rate.h"
#include "core/stamp.h"
#include "driver/driver.h"
#include "stats/agent_stats.h"
#include "worker/agent_proto.h"

#define LOGGER "Agent"
#define RING_BITS 18 /* in-flight sends per agent before the load loop waits */
#define MAX_CLIENTS 4096
#define CONSUMER_POLL_BATCH 500
#define WAIT_SLICE_NS 100000000LL   /* re-check stop/rate at least every 100 ms */
#define QUEUE_FULL_BACKOFF_NS 50000 /* 50 us */
#define POLL_SPIN_NS 50000          /* a poller's busy wait for more work, 50 us */
#define MAX_WAIT_FDS 64             /* a driver's descriptors a poller also waits on */
#define WALL_RESYNC_NS 10000000LL   /* re-read the wall clock's offset every 10 ms */
#define FLUSH_MS 5000               /* at stop, for all producers together */
#define ERROR_LOG_INTERVAL_NS 1000000000LL /* one line per kind per second at most */

/* One send in flight: written by the load thread, read and released by the
 * ack thread. */
struct send_slot {
    int64_t intended_ns;
    int64_t send_ns;
    int64_t len;
    atomic_int busy;
};

struct agent {
    int index;
    int ctrl_fd;
    int64_t spin_ns; /* rate limiter: spin up to this long before a send is due */
    int64_t spin_now_ns; /* at the current rate: at most half the interval (load thread) */
    bool stamp;      /* stamp payloads with their send time (core/stamp.h) */
    struct ombc_agent_stats stats;
    struct ombc_agent_counters *k;

    const struct ombc_driver_ops *drv;
    struct ombc_driver_conf conf; /* the client conf the coordinator sent */
    struct ombc_client *client;

    struct ombc_producer *producers[MAX_CLIENTS];
    atomic_int producer_count;
    struct ombc_consumer *consumers[MAX_CLIENTS];
    atomic_int consumer_count;

    int producer_wake_fd;
    int consumer_wake_fd;
    pthread_t ack_thread, consumer_thread, load_thread;
    bool io_running, load_running;
    atomic_bool stop_io;
    atomic_bool stop_load;
    atomic_bool paused;

    /* rate: written by main, picked up by the load thread */
    _Atomic double rate;
    atomic_uint rate_gen;

    struct send_slot *ring;
    struct send_slot probe_slot; /* sentinel opaque for probe messages */

    struct ombc_payload_buf {
        uint8_t *data;
        size_t len;
    } * payloads;
    size_t payload_count;
    enum ombc_key_distributor key_type;
    struct ombc_key_pool keys;
    struct ombc_rng rng;

    /* send-error lines, at most one per kind (error text) a second */
    struct ombc_ratelog ack_errors;  /* ack thread only */
    struct ombc_ratelog send_errors; /* load thread only */
};

/* ------------------------------------------------------------ callbacks */

static void on_sent(void *ctx, void *opaque, int err, const char *errstr) {
    struct agent *a = ctx;
    struct ombc_agent_counters *k = a->k;
    if (opaque == &a->probe_slot) {
        ombc_counter_add(err ? &k->send_errors : &k->probe_sent, 1);
        return;
    }
    struct send_slot *s = opaque;
    if (err == 0) {
        int64_t now = ombc_now_ns();
        int64_t latency_us = (now - s->send_ns) / 1000;
        int64_t delay_us = (s->send_ns - s->intended_ns) / 1000;
        /* from the intended time: free of coordinated omission */
        int64_t response_us = (now - s->intended_ns) / 1000;
        if (response_us > OMBC_PUBLISH_HIGHEST) { /* so are the other two */
            ombc_counter_add(&k->latency_clamped, 1);
            latency_us = latency_us > OMBC_PUBLISH_HIGHEST ? OMBC_PUBLISH_HIGHEST : latency_us;
            delay_us = delay_us > OMBC_PUBLISH_HIGHEST ? OMBC_PUBLISH_HIGHEST : delay_us;
            response_us = OMBC_PUBLISH_HIGHEST;
        }
        ombc_agent_stats_record(&a->stats, OMBC_METRIC_PUBLISH_LATENCY, latency_us);
        ombc_agent_stats_record(&a->stats, OMBC_METRIC_PUBLISH_DELAY, delay_us);
        ombc_agent_stats_record(&a->stats, OMBC_METRIC_PUBLISH_RESPONSE, response_us);
        ombc_counter_add(&k->sent, 1);
        ombc_counter_add(&k->bytes_sent, s->len);
    } else {
        ombc_counter_add(&k->send_errors, 1);
        const char *text = errstr ? errstr : ombc_strerror(err);
        ombc_ratelog_log(&a->ack_errors, OMBC_LOG_WARN, text, ombc_now_ns(), "%s", text);
    }
    atomic_store_explicit(&s->busy, 0, memory_order_release);
}

/* End-to-end latency from the payload's stamp (us), or else as OMB does
 * from the broker's timestamp (ms, so whole milliseconds, and values <= 0
 * are not recorded). */
static void on_received(void *ctx, const void *payload, size_t len, int64_t publish_ts_ms) {
    struct agent *a = ctx;
    struct ombc_agent_counters *k = a->k;
    ombc_counter_add(&k->received, 1);
    ombc_counter_add(&k->bytes_received, (int64_t)len);
    int64_t sent_ns = ombc_stamp_read(payload, len), e2e_us;
    if (sent_ns > 0) {
        int64_t e2e_ns = ombc_wall_ns() - sent_ns;
        e2e_us = e2e_ns < 0 ? -1 : e2e_ns / 1000; /* < 0: the clocks disagree */
    } else {
        e2e_us = publish_ts_ms > 0 ? (ombc_wall_ms() - publish_ts_ms) * 1000 : -1;
        e2e_us = e2e_us == 0 ? -1 : e2e_us;
    }
    if (e2e_us < 0)
        ombc_counter_add(&k->e2e_non_positive, 1);
    else if (!ombc_agent_stats_record(&a->stats, OMBC_METRIC_END_TO_END, e2e_us))
        ombc_counter_add(&k->e2e_out_of_range, 1);
}

/* Consumer thread: the broker dropped what a consumer was to read next. */
static void on_offset_reset(void *ctx, int64_t n) {
    struct agent *a = ctx;
    ombc_counter_add(&a->k->offset_resets, n);
}

/* -------------------------------------------------------------- threads */

static void drain_eventfd(int fd) {
    uint64_t v;
    while (read(fd, &v, sizeof(v)) > 0) {
    }
}

static void wake(int fd) {
    uint64_t one = 1;
    ssize_t w = write(fd, &one, sizeof(one));
    (void)w;
}

static int poll_producers(struct agent *a) {
    int n = atomic_load_explicit(&a->producer_count, memory_order_acquire);
    return ombc_driver_poll_producers(a->drv, a->client, a->producers, n);
}

static int poll_consumers(struct agent *a) {
    if (atomic_load_explicit(&a->paused, memory_order_relaxed))
        return 0;
    int n = atomic_load_explicit(&a->consumer_count, memory_order_acquire);
    return ombc_driver_poll_consumers(a->drv, a->client, a->consumers, n, CONSUMER_POLL_BATCH);
}

/* One poller thread (the ack thread: producers; the consumer thread:
 * consumers). After its last work it keeps polling, yielding the CPU, for
 * POLL_SPIN_NS, then arms the driver's wake-up, polls once more and blocks
 * on its eventfd and the driver's descriptors, if any (up to 100 ms, to see
 * stop_io). */
static void serve_polls(struct agent *a, bool producers) {
    int fd = producers ? a->producer_wake_fd : a->consumer_wake_fd;
    struct pollfd pfd[1 + MAX_WAIT_FDS];
    int64_t idle_since = 0;
    while (!atomic_load_explicit(&a->stop_io, memory_order_relaxed)) {
        if ((producers ? poll_producers(a) : poll_consumers(a)) > 0) {
            idle_since = 0;
        } else {
            int64_t now = ombc_now_ns();
            if (idle_since == 0)
                idle_since = now;
            if (now - idle_since < POLL_SPIN_NS) {
                sched_yield();
            } else {
                if (a->drv->prepare_wait) {
                    a->drv->prepare_wait(a->client, producers);
                    if ((producers ? poll_producers(a) : poll_consumers(a)) > 0) {
                        idle_since = 0;
                        continue;
                    }
                }
                pfd[0] = (struct pollfd){.fd = fd, .events = POLLIN};
                int nfds = 1;
                if (a->drv->wait_fds)
                    nfds += a->drv->wait_fds(a->client, producers, pfd + 1, MAX_WAIT_FDS);
                if (poll(pfd, (nfds_t)nfds, 100) > 0 && (pfd[0].revents & POLLIN))
                    drain_eventfd(fd);
                idle_since = 0;
            }
        }
        if (producers && a->ack_errors.held > 0)
            ombc_ratelog_flush(&a->ack_errors, OMBC_LOG_WARN, ombc_now_ns(), false);
    }
}

static void *ack_main(void *arg) {
    struct agent *a = arg;
    serve_polls(a, true);
    ombc_ratelog_flush(&a->ack_errors, OMBC_LOG_WARN, ombc_now_ns(), true);
    return NULL;
}

static void *consumer_main(void *arg) {
    serve_polls(arg, false);
    return NULL;
}

/* The rate limiter's wait: until the monotonic clock reaches t, sleeping
 * (in slices, so that a stop is seen within WAIT_SLICE_NS) until spin_ns
 * before it, then spinning. @return the clock at the end, or -1 if the load
 * was stopped. */
static int64_t wait_until(struct agent *a, int64_t t) {
    for (;;) {
        if (atomic_load_explicit(&a->stop_load, memory_order_relaxed))
            return -1;
        int64_t now = ombc_now_ns();
        if (now >= t)
            return now;
        int64_t wake = t - a->spin_now_ns;
        if (now < wake)
            ombc_sleep_until_ns(wake - now > WAIT_SLICE_NS ? now + WAIT_SLICE_NS : wake);
        else
            ombc_cpu_relax();
    }
}

/* Backs off for d ns (a full client queue or send ring), asleep: spinning
 * would take the CPU from the threads that free them.
 * @return false if the load was stopped. */
static bool back_off(struct agent *a, int64_t d) {
    ombc_sleep_until_ns(ombc_now_ns() + d);
    return !atomic_load_explicit(&a->stop_load, memory_order_relaxed);
}

/* (Re)starts the uniform schedule at the agent's current rate and shows it
 * in the stats block, so the coordinator sees when a change has landed. */
static unsigned apply_rate(struct agent *a, struct ombc_rate *rate) {
    unsigned gen = atomic_load_explicit(&a->rate_gen, memory_order_acquire);
    double r = atomic_load(&a->rate);
    ombc_rate_init(rate, r);
    /* Spinning at most half of each interval leaves the CPU to the rest (a
     * broker on the same machine, the ack and consumer threads) at high
     * rates, where the sends come faster than the sleep's lateness anyway. */
    int64_t half = (int64_t)(rate->interval_ns / 2);
    a->spin_now_ns = a->spin_ns < half ? a->spin_ns : half;
    ombc_gauge_set(&a->k->rate_applied_milli, llround(r * 1000.0));
    return gen;
}

/* Stamps payload p with wall_ns when it has room (and stamps are on).
 * @return whether it did: then the driver must copy the bytes at the send,
 * since the next send stamps the same buffer. Unstamped payloads go out in
 * place, never changed while a send holds them. */
static bool stamp_payload(const struct agent *a, const struct ombc_payload_buf *p,
                          int64_t wall_ns) {
    return a->stamp && ombc_stamp_write(p->data, p->len, wall_ns);
}

/* The hot path: OMB's MessageProducer.sendMessage for each producer in turn.
 * Returns when the load is stopped. */
static void publish(struct agent *a) {
    const size_t mask = ((size_t)1 << RING_BITS) - 1;
    struct ombc_key_dist keys = {.type = a->key_type, .index = 0};
    struct ombc_rate rate;
    unsigned gen = apply_rate(a, &rate);
    uint64_t seq = 0;
    int n = atomic_load_explicit(&a->producer_count, memory_order_acquire);
    /* Wall time = monotonic + offset: the stamp costs no clock read of its
     * own, and follows the wall clock's adjustments within WALL_RESYNC_NS. */
    int64_t synced = ombc_now_ns(), wall_offset = ombc_wall_ns() - synced;

    while (!atomic_load_explicit(&a->stop_load, memory_order_relaxed)) {
        for (int i = 0; i < n; i++) {
            if (atomic_load_explicit(&a->rate_gen, memory_order_relaxed) != gen)
                gen = apply_rate(a, &rate);
            int64_t now = ombc_now_ns();
            int64_t intended = ombc_rate_acquire(&rate, now);
            if (intended > now && (now = wait_until(a, intended)) < 0)
                return;

            struct send_slot *s = &a->ring[seq & mask];
            if (atomic_load_explicit(&s->busy, memory_order_acquire)) {
                while (atomic_load_explicit(&s->busy, memory_order_acquire))
                    if (!back_off(a, QUEUE_FULL_BACKOFF_NS))
                        return;
                now = ombc_now_ns();
            }
            if (now - synced > WALL_RESYNC_NS) {
                synced = ombc_now_ns();
                wall_offset = ombc_wall_ns() - synced;
            }
            const struct ombc_payload_buf *p =
                a->payload_count == 1 ? &a->payloads[0]
                                      : &a->payloads[ombc_rng_below(&a->rng, a->payload_count)];
            s->intended_ns = intended;
            s->len = (int64_t)p->len;
            atomic_store_explicit(&s->busy, 1, memory_order_relaxed);
            int64_t send_ns = now;
            s->send_ns = send_ns;
            bool copy = stamp_payload(a, p, send_ns + wall_offset);
            const uint8_t *data = p->data;
            size_t key_len;
            const char *key = ombc_key_next(&keys, &a->keys, send_ns, &key_len);
            int rc =
                a->drv->producer_send(a->producers[i], key, key_len, data, p->len, copy, s);
            while (rc == OMBC_EAGAIN) {
                if (!back_off(a, QUEUE_FULL_BACKOFF_NS)) {
                    atomic_store(&s->busy, 0);
                    return;
                }
                rc = a->drv->producer_send(a->producers[i], key, key_len, data, p->len, copy,
                                           s);
            }
            if (rc != 0) {
                atomic_store_explicit(&s->busy, 0, memory_order_relaxed);
                ombc_counter_add(&a->k->send_errors_sync, 1);
                ombc_ratelog_log(&a->send_errors, OMBC_LOG_WARN, ombc_strerror(rc), send_ns,
                                 "%s", ombc_strerror(rc));
            } else if (a->send_errors.held > 0) {
                ombc_ratelog_flush(&a->send_errors, OMBC_LOG_WARN, send_ns, false);
            }
            seq++;
        }
    }
}

static void *load_main(void *arg) {
    struct agent *a = arg;
    publish(a);
    ombc_ratelog_flush(&a->send_errors, OMBC_LOG_WARN, ombc_now_ns(), true);
    ombc_gauge_set(&a->k->rate_applied_milli, 0);
    return NULL;
}

/* ------------------------------------------------------------- commands */

static int start_io_threads(struct agent *a, char *errstr, size_t errstr_size) {
    if (a->io_running)
        return 0;
    atomic_store(&a->stop_io, false);
    if (pthread_create(&a->ack_thread, NULL, ack_main, a) != 0)
        return ombc_errf(errstr, errstr_size, OMBC_EIO, "cannot start ack thread");
    if (pthread_create(&a->consumer_thread, NULL, consumer_main, a) != 0) {
        atomic_store(&a->stop_io, true);
        wake(a->producer_wake_fd);
        pthread_join(a->ack_thread, NULL);
        return ombc_errf(errstr, errstr_size, OMBC_EIO, "cannot start consumer thread");
    }
    a->io_running = true;
    return 0;
}

static void stop_load_thread(struct agent *a) {
    if (!a->load_running)
        return;
    atomic_store(&a->stop_load, true);
    pthread_join(a->load_thread, NULL);
    a->load_running = false;
}

static int cmd_init(struct agent *a, const cJSON *cmd, char *errstr, size_t errstr_size) {
    if (a->client)
        return ombc_errf(errstr, errstr_size, OMBC_EINVAL, "driver already initialised");
    const cJSON *yaml = cJSON_GetObjectItem(cmd, "driver_yaml");
    const cJSON *path = cJSON_GetObjectItem(cmd, "driver_path");
    if (!cJSON_IsString(yaml) || !cJSON_IsString(path))
        return ombc_errf(errstr, errstr_size, OMBC_EPARSE, "init: missing driver");
    /* The client conf: the driver file, or the one its fixture made for
     * clients (a coordinator's older "overrides" field is not read). */
    int rc = ombc_driver_conf_parse(path->valuestring, yaml->valuestring,
                                    strlen(yaml->valuestring), &a->conf, errstr, errstr_size);
    if (rc)
        return rc;
    a->drv = ombc_driver_find(&a->conf, errstr, errstr_size);
    if (!a->drv)
        return OMBC_ENOENT;
    struct ombc_client_callbacks cb = {.on_sent = on_sent, .on_received = on_received,
                                       .on_offset_reset = on_offset_reset, .ctx = a};
    return a->drv->client_open(&a->conf, &cb, a->producer_wake_fd,
                               a->consumer_wake_fd, &a->client, errstr, errstr_size);
}

static int cmd_create_producers(struct agent *a, const cJSON *cmd, char *errstr,
                                size_t errstr_size) {
    if (!a->client)
        return ombc_errf(errstr, errstr_size, OMBC_EINVAL, "driver not initialised");
    const cJSON *t;
    cJSON_ArrayForEach(t, cJSON_GetObjectItem(cmd, "topics")) {
        int n = atomic_load(&a->producer_count);
        if (n >= MAX_CLIENTS)
            return ombc_errf(errstr, errstr_size, OMBC_ERANGE, "more than %d producers in one "
                             "agent", MAX_CLIENTS);
        if (!cJSON_IsString(t))
            return ombc_errf(errstr, errstr_size, OMBC_EPARSE, "create_producers: bad topic");
        int rc = a->drv->producer_new(a->client, t->valuestring, &a->producers[n], errstr,
                                      errstr_size);
        if (rc)
            return rc;
        atomic_store_explicit(&a->producer_count, n + 1, memory_order_release);
    }
    return start_io_threads(a, errstr, errstr_size);
}

static int cmd_create_consumers(struct agent *a, const cJSON *cmd, char *errstr,
                                size_t errstr_size) {
    if (!a->client)
        return ombc_errf(errstr, errstr_size, OMBC_EINVAL, "driver not initialised");
    const cJSON *s;
    cJSON_ArrayForEach(s, cJSON_GetObjectItem(cmd, "subscriptions")) {
        int n = atomic_load(&a->consumer_count);
        if (n >= MAX_CLIENTS)
            return ombc_errf(errstr, errstr_size, OMBC_ERANGE, "more than %d consumers in one "
                             "agent", MAX_CLIENTS);
        const cJSON *topic = cJSON_GetObjectItem(s, "topic");
        const cJSON *sub = cJSON_GetObjectItem(s, "subscription");
        if (!cJSON_IsString(topic) || !cJSON_IsString(sub))
            return ombc_errf(errstr, errstr_size, OMBC_EPARSE, "create_consumers: bad entry");
        int rc = a->drv->consumer_new(a->client, topic->valuestring, sub->valuestring,
                                      &a->consumers[n], errstr, errstr_size);
        if (rc)
            return rc;
        atomic_store_explicit(&a->consumer_count, n + 1, memory_order_release);
    }
    return start_io_threads(a, errstr, errstr_size);
}

static int cmd_probe(struct agent *a, char *errstr, size_t errstr_size) {
    static const uint8_t zeros[10];
    int n = atomic_load(&a->producer_count);
    for (int i = 0; i < n; i++) {
        int rc;
        while ((rc = a->drv->producer_send(a->producers[i], "key", 3, zeros, sizeof(zeros), true,
                                           &a->probe_slot)) == OMBC_EAGAIN)
            ombc_sleep_until_ns(ombc_now_ns() + 1000000);
        if (rc)
            return ombc_errf(errstr, errstr_size, rc, "probe send failed: %s", ombc_strerror(rc));
    }
    return 0;
}

static void free_payloads(struct agent *a) {
    for (size_t i = 0; i < a->payload_count; i++)
        free(a->payloads[i].data);
    free(a->payloads);
    a->payloads = NULL;
    a->payload_count = 0;

}

static void stop_load(struct agent *a);

static int cmd_start_load(struct agent *a, const cJSON *cmd, char *errstr, size_t errstr_size) {
    const cJSON *rate = cJSON_GetObjectItem(cmd, "rate");
    const cJSON *count = cJSON_GetObjectItem(cmd, "payload_count");
    const cJSON *key = cJSON_GetObjectItem(cmd, "key_distributor");
    if (!cJSON_IsNumber(rate) || !cJSON_IsNumber(count) || count->valuedouble < 1 ||
        !cJSON_IsNumber(key))
        return ombc_errf(errstr, errstr_size, OMBC_EPARSE, "start_load: bad arguments");
    /* The client may still point at the payloads of sends in flight (the
     * Kafka driver does not copy them): let those land before freeing. */
    stop_load(a);
    free_payloads(a);
    size_t n = (size_t)count->valuedouble;
    a->payloads = calloc(n, sizeof(*a->payloads));
    if (!a->payloads)
        return OMBC_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        char *buf;
        size_t len;
        int rc = ombc_frame_read(a->ctrl_fd, &buf, &len, 30000);
        if (rc)
            return ombc_errf(errstr, errstr_size, rc, "start_load: reading payload %zu: %s", i,
                             ombc_strerror(rc));
        a->payloads[i].data = (uint8_t *)buf;
        a->payloads[i].len = len;
        a->payload_count = i + 1;
    }
    a->key_type = (enum ombc_key_distributor)key->valueint;
    double r = rate->valuedouble < 1.0 ? 1.0 : rate->valuedouble;
    atomic_store(&a->rate, r);
    atomic_fetch_add(&a->rate_gen, 1);
    if (atomic_load(&a->producer_count) == 0)
        return 0; /* nothing to send: an agent with consumers only */
    atomic_store(&a->stop_load, false);
    if (pthread_create(&a->load_thread, NULL, load_main, a) != 0)
        return ombc_errf(errstr, errstr_size, OMBC_EIO, "cannot start load thread");
    a->load_running = true;
    return 0;
}

static int cmd_adjust_rate(struct agent *a, const cJSON *cmd, char *errstr, size_t errstr_size) {
    const cJSON *rate = cJSON_GetObjectItem(cmd, "rate");
    if (!cJSON_IsNumber(rate))
        return ombc_errf(errstr, errstr_size, OMBC_EPARSE, "adjust_rate: bad rate");
    atomic_store(&a->rate, rate->valuedouble < 1.0 ? 1.0 : rate->valuedouble);
    atomic_fetch_add_explicit(&a->rate_gen, 1, memory_order_release);
    return 0;
}

/* Stops publishing and lets the sends in flight land (and be recorded by the
 * ack thread), all producers sharing one deadline, so a dead broker costs
 * FLUSH_MS once. The consumers keep consuming.
 * While the ack thread runs, this thread waits for it to free every send
 * slot rather than flushing: a flush serves delivery reports too, so on_sent
 * would run on two threads at once and the ack thread's counters and
 * histograms (one writer each, plain load + store) could lose counts. */
static void stop_load(struct agent *a) {
    stop_load_thread(a);
    int np = atomic_load(&a->producer_count);
    int64_t deadline = ombc_now_ns() + (int64_t)FLUSH_MS * 1000000;
    if (a->io_running) {
        /* Slots only get freed now that the load thread is gone: one pass. */
        for (size_t i = 0; i < (size_t)1 << RING_BITS && ombc_now_ns() < deadline;) {
            if (atomic_load_explicit(&a->ring[i].busy, memory_order_acquire))
                ombc_sleep_until_ns(ombc_now_ns() + 1000000);
            else
                i++;
        }
        return;
    }
    for (int i = 0; i < np; i++) {
        int64_t left_ms = (deadline - ombc_now_ns()) / 1000000;
        a->drv->producer_flush(a->producers[i], left_ms > 0 ? (int)left_ms : 0);
    }
}

/* OMB stop-all: stop the load, let the acks in flight land, close everything. */
static void shutdown_all(struct agent *a) {
    stop_load(a);
    int np = atomic_load(&a->producer_count);
    atomic_store(&a->paused, false);
    if (a->io_running) {
        atomic_store(&a->stop_io, true);
        wake(a->producer_wake_fd);
        wake(a->consumer_wake_fd);
        pthread_join(a->ack_thread, NULL);
        pthread_join(a->consumer_thread, NULL);
        a->io_running = false;
    }
    int nc = atomic_load(&a->consumer_count);
    for (int i = 0; i < nc; i++)
        a->drv->consumer_close(a->consumers[i]);
    for (int i = 0; i < np; i++)
        a->drv->producer_close(a->producers[i]);
    atomic_store(&a->consumer_count, 0);
    atomic_store(&a->producer_count, 0);
    if (a->client)
        a->drv->client_close(a->client);
    a->client = NULL;
    free_payloads(a);
}

static int reply(struct agent *a, int rc, const char *errstr) {
    cJSON *r = cJSON_CreateObject();
    cJSON_AddBoolToObject(r, "ok", rc == 0);
    if (rc)
        cJSON_AddStringToObject(r, "error", errstr[0] ? errstr : ombc_strerror(rc));
    int w = ombc_frame_write_json(a->ctrl_fd, r);
    cJSON_Delete(r);
    return w;
}

static int serve(struct agent *a) {
    for (;;) {
        cJSON *cmd = NULL;
        int rc = ombc_frame_read_json(a->ctrl_fd, &cmd, -1);
        if (rc == OMBC_EIO)
            return 0; /* coordinator gone: stop quietly */
        if (rc)
            return rc;
        char errstr[1024] = "";
        const cJSON *op = cJSON_GetObjectItem(cmd, "op");
        const char *name = cJSON_IsString(op) ? op->valuestring : "";
        bool stop = false;
        if (strcmp(name, "init") == 0)
            rc = cmd_init(a, cmd, errstr, sizeof(errstr));
        else if (strcmp(name, "create_producers") == 0)
            rc = cmd_create_producers(a, cmd, errstr, sizeof(errstr));
        else if (strcmp(name, "create_consumers") == 0)
            rc = cmd_create_consumers(a, cmd, errstr, sizeof(errstr));
        else if (strcmp(name, "probe") == 0)
            rc = cmd_probe(a, errstr, sizeof(errstr));
        else if (strcmp(name, "start_load") == 0)
            rc = cmd_start_load(a, cmd, errstr, sizeof(errstr));
        else if (strcmp(name, "stop_load") == 0)
            stop_load(a);
        else if (strcmp(name, "adjust_rate") == 0)
            rc = cmd_adjust_rate(a, cmd, errstr, sizeof(errstr));
        else if (strcmp(name, "pause") == 0)
            atomic_store(&a->paused, true);
        else if (strcmp(name, "resume") == 0) {
            atomic_store(&a->paused, false);
            wake(a->consumer_wake_fd);
        } else if (strcmp(name, "stop") == 0) {
            shutdown_all(a);
            stop = true;
        } else
            rc = ombc_errf(errstr, sizeof(errstr), OMBC_EINVAL, "unknown command '%s'", name);
        cJSON_Delete(cmd);
        if (reply(a, rc, errstr) != 0 || stop)
            return 0;
    }
}

int ombc_agent_main(int index, int ctrl_fd, int stats_fd, int spin_us, bool stamp,
                    char *errstr, size_t errstr_size) {
    /* Wake from sleeps on time, not up to 50 us late (the default slack). */
    prctl(PR_SET_TIMERSLACK, 1UL);
    struct agent *a = calloc(1, sizeof(*a));
    if (!a)
        return ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "agent %d: out of memory", index);
    ombc_ratelog_init(&a->ack_errors, LOGGER, "Write error on message", ERROR_LOG_INTERVAL_NS,
                      false);
    ombc_ratelog_init(&a->send_errors, LOGGER, "send refused by the client",
                      ERROR_LOG_INTERVAL_NS, false);
    a->index = index;
    a->ctrl_fd = ctrl_fd;
    a->spin_ns = (int64_t)spin_us * 1000;
    a->stamp = stamp;
    a->producer_wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    a->consumer_wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    a->ring = calloc((size_t)1 << RING_BITS, sizeof(*a->ring));
    int rc = 0;
    if (a->producer_wake_fd < 0 || a->consumer_wake_fd < 0 || !a->ring)
        rc = ombc_errf(errstr, errstr_size, OMBC_EIO, "agent %d: cannot set up: %s", index,
                       strerror(errno));
    if (rc == 0)
        rc = ombc_agent_stats_attach(&a->stats, stats_fd, errstr, errstr_size);
    if (rc == 0) {
        a->k = a->stats.counters;
        ombc_rng_seed(&a->rng, 0);
        ombc_key_pool_init(&a->keys, &a->rng);
        rc = serve(a);
        shutdown_all(a);
    }
    ombc_agent_stats_detach(&a->stats);
    ombc_driver_conf_fini(&a->conf);
    if (a->producer_wake_fd >= 0)
        close(a->producer_wake_fd);
    if (a->consumer_wake_fd >= 0)
        close(a->consumer_wake_fd);
    free(a->ring);
    ombc_ratelog_fini(&a->ack_errors);
    ombc_ratelog_fini(&a->send_errors);
    free(a);
    return rc;
}
