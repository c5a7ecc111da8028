/*
 * null driver: a broker that is not there. Every send is acknowledged at
 * once and handed to the consumers of the same agent (one consumer per
 * subscription, round-robin among the subscription's consumers in this
 * agent), so a run measures the harness itself: scheduling, recording,
 * aggregation, with no network and no client library.
 *
 * Threads (see worker/agent.c): the load thread sends, the ack thread polls
 * the producers, the consumer thread polls the consumers. Each producer has
 * a completion queue ring (driver/completion_queue.h) of acknowledgements
 * (load thread → ack thread) and each consumer one of messages (load thread
 * → consumer thread). The eventfd of a side is written only when its poller
 * has said it is about to block (prepare_wait), so a busy run makes no
 * system call per message; one client_poll serves every producer or every
 * consumer. The payload is not carried, only its first bytes (the agent's
 * send-time stamp) and its length. There is no admin half: topics and
 * subscriptions exist in each client as its producers and consumers name
 * them, wired up before the load starts and not changed while it runs.
 * Messages only reach consumers in the sending agent: place producers and
 * consumers so that each agent has both.
 */
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/stamp.h"
#include "driver/completion_queue.h"
#include "driver/driver.h"

#define RING_SIZE (1u << 16) /* per producer and per consumer */
#define FLUSH_POLL_NS 100000LL

/* ------------------------------------------------------------- objects */

struct message {
    int64_t publish_ts_ms; /* only when the payload is too short for a stamp */
    size_t len;
    uint8_t head[OMBC_STAMP_BYTES]; /* the payload's first bytes */
};

struct ombc_consumer {
    struct ombc_client *client;
    struct ombc_consumer *next; /* in the client's list; set before it is published */
    struct ombc_cq_ring ring;
    struct message *slots; /* RING_SIZE */
};

struct subscription {
    char *name;
    struct ombc_consumer **consumers;
    size_t count;
    size_t next; /* round-robin; load thread only */
    struct subscription *link;
};

struct topic {
    char *name;
    struct subscription *subs;
    struct topic *link;
};

struct ombc_client {
    struct ombc_client_callbacks cb;
    struct ombc_cq_waker producers; /* the ack thread's */
    struct ombc_cq_waker consumers; /* the consumer thread's */
    struct topic *topics;
    /* Every producer and consumer, newest first: the main thread adds (a
     * release store of the head), the pollers walk them from an acquire
     * load (client_poll); removed only once the pollers have stopped. */
    _Atomic(struct ombc_producer *) producers_head;
    _Atomic(struct ombc_consumer *) consumers_head;
};

struct ombc_producer {
    struct ombc_client *client;
    struct ombc_producer *next; /* in the client's list; set before it is published */
    struct topic *topic;
    struct ombc_cq_ring ring;
    void **slots; /* RING_SIZE opaques */
};

/* -------------------------------------------------------- client half */

static int null_client_open(const struct ombc_driver_conf *conf,
                            const struct ombc_client_callbacks *cb, int producer_wake_fd,
                            int consumer_wake_fd, struct ombc_client **out, char *errstr,
                            size_t errstr_size) {
    (void)conf;
    struct ombc_client *c = calloc(1, sizeof(*c));
    if (!c)
        return ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "null driver: out of memory");
    c->cb = *cb;
    ombc_cq_waker_init(&c->producers, producer_wake_fd);
    ombc_cq_waker_init(&c->consumers, consumer_wake_fd);
    *out = c;
    return 0;
}

static struct topic *find_topic(struct ombc_client *c, const char *name) {
    for (struct topic *t = c->topics; t; t = t->link)
        if (strcmp(t->name, name) == 0)
            return t;
    struct topic *t = calloc(1, sizeof(*t));
    if (!t || !(t->name = strdup(name))) {
        free(t);
        return NULL;
    }
    t->link = c->topics;
    c->topics = t;
    return t;
}

static struct subscription *find_subscription(struct topic *t, const char *name) {
    for (struct subscription *s = t->subs; s; s = s->link)
        if (strcmp(s->name, name) == 0)
            return s;
    struct subscription *s = calloc(1, sizeof(*s));
    if (!s || !(s->name = strdup(name))) {
        free(s);
        return NULL;
    }
    s->link = t->subs;
    t->subs = s;
    return s;
}

static int null_producer_new(struct ombc_client *c, const char *topic, struct ombc_producer **out,
                             char *errstr, size_t errstr_size) {
    struct ombc_producer *p = calloc(1, sizeof(*p));
    if (!p || !(p->slots = calloc(RING_SIZE, sizeof(*p->slots))) ||
        !(p->topic = find_topic(c, topic))) {
        if (p)
            free(p->slots);
        free(p);
        return ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "null driver: out of memory");
    }
    p->client = c;
    ombc_cq_ring_init(&p->ring, RING_SIZE);
    p->next = atomic_load_explicit(&c->producers_head, memory_order_relaxed);
    atomic_store_explicit(&c->producers_head, p, memory_order_release);
    *out = p;
    return 0;
}

/* The hot path: acknowledge, and hand the message to one consumer of each
 * subscription. Nothing is written unless every ring has room. */
static int null_producer_send(struct ombc_producer *p, const void *key, size_t key_len,
                              const void *payload, size_t len, bool copy, void *msg_opaque) {
    (void)key;
    (void)key_len;
    (void)copy; /* what it keeps (the stamp) is always copied */
    if (ombc_cq_full(&p->ring))
        return OMBC_EAGAIN;
    for (struct subscription *s = p->topic->subs; s; s = s->link)
        if (s->count > 0 && ombc_cq_full(&s->consumers[s->next % s->count]->ring))
            return OMBC_EAGAIN;
    /* A broker's timestamp costs a clock read; the consumer needs it only
     * when the payload has no room for the agent's own stamp. */
    int64_t now_ms = len < OMBC_STAMP_BYTES ? ombc_wall_ms() : 0;
    bool delivered = false;
    for (struct subscription *s = p->topic->subs; s; s = s->link) {
        if (s->count == 0)
            continue;
        struct ombc_consumer *to = s->consumers[s->next++ % s->count];
        struct message *m = &to->slots[ombc_cq_write_index(&to->ring)];
        m->publish_ts_ms = now_ms;
        m->len = len;
        memcpy(m->head, payload, len < OMBC_STAMP_BYTES ? len : OMBC_STAMP_BYTES);
        ombc_cq_push(&to->ring);
        delivered = true;
    }
    p->slots[ombc_cq_write_index(&p->ring)] = msg_opaque;
    ombc_cq_push(&p->ring);
    ombc_cq_wake_fence();
    ombc_cq_waker_wake(&p->client->producers);
    if (delivered)
        ombc_cq_waker_wake(&p->client->consumers);
    return 0;
}

static int null_producer_poll(struct ombc_producer *p) {
    int n = 0;
    for (;;) {
        uint_fast64_t end, t = ombc_cq_read_begin(&p->ring, &end);
        if (t == end)
            break;
        for (; t != end; t++, n++)
            p->client->cb.on_sent(p->client->cb.ctx, p->slots[ombc_cq_index(&p->ring, t)], 0,
                                  NULL);
        ombc_cq_read_end(&p->ring, t);
    }
    return n;
}

static int null_producer_flush(struct ombc_producer *p, int timeout_ms) {
    int64_t deadline = ombc_now_ns() + (int64_t)timeout_ms * 1000000;
    while (ombc_cq_pending(&p->ring)) {
        if (ombc_now_ns() >= deadline)
            return OMBC_ETIMEDOUT;
        ombc_sleep_until_ns(ombc_now_ns() + FLUSH_POLL_NS);
    }
    return 0;
}

/* Closed once the pollers have stopped: unhook, then free. */
static void null_producer_close(struct ombc_producer *p) {
    if (!p)
        return;
    struct ombc_client *c = p->client;
    if (atomic_load(&c->producers_head) == p)
        atomic_store(&c->producers_head, p->next);
    for (struct ombc_producer *q = atomic_load(&c->producers_head); q; q = q->next)
        if (q->next == p)
            q->next = p->next;
    free(p->slots);
    free(p);
}

static int null_consumer_new(struct ombc_client *c, const char *topic, const char *subscription,
                             struct ombc_consumer **out, char *errstr, size_t errstr_size) {
    struct topic *t = find_topic(c, topic);
    struct subscription *s = t ? find_subscription(t, subscription) : NULL;
    struct ombc_consumer *k = calloc(1, sizeof(*k));
    struct ombc_consumer **grown =
        s ? realloc(s->consumers, (s->count + 1) * sizeof(*grown)) : NULL;
    if (grown)
        s->consumers = grown;
    if (!k || !grown || !(k->slots = calloc(RING_SIZE, sizeof(*k->slots)))) {
        if (k)
            free(k->slots);
        free(k);
        return ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "null driver: out of memory");
    }
    k->client = c;
    ombc_cq_ring_init(&k->ring, RING_SIZE);
    s->consumers[s->count++] = k;
    k->next = atomic_load_explicit(&c->consumers_head, memory_order_relaxed);
    atomic_store_explicit(&c->consumers_head, k, memory_order_release);
    *out = k;
    return 0;
}

static int null_consumer_poll(struct ombc_consumer *k, int max) {
    uint_fast64_t end, t = ombc_cq_read_begin(&k->ring, &end);
    int n = 0;
    for (; t != end && n < max; t++, n++) {
        const struct message *m = &k->slots[ombc_cq_index(&k->ring, t)];
        k->client->cb.on_received(k->client->cb.ctx, m->head, m->len, m->publish_ts_ms);
    }
    ombc_cq_read_end(&k->ring, t);
    return n;
}

/* Consumers are closed after the load has stopped: unhook, then free. */
static void null_consumer_close(struct ombc_consumer *k) {
    if (!k)
        return;
    for (struct topic *t = k->client->topics; t; t = t->link)
        for (struct subscription *s = t->subs; s; s = s->link)
            for (size_t i = 0; i < s->count; i++)
                if (s->consumers[i] == k) {
                    s->consumers[i] = s->consumers[--s->count];
                    break;
                }
    struct ombc_client *c = k->client;
    if (atomic_load(&c->consumers_head) == k)
        atomic_store(&c->consumers_head, k->next);
    for (struct ombc_consumer *q = atomic_load(&c->consumers_head); q; q = q->next)
        if (q->next == k)
            q->next = k->next;
    free(k->slots);
    free(k);
}

/* One call serves every producer's acks, or up to max messages of each
 * consumer (the pollers' threads). */
static int null_client_poll(struct ombc_client *c, bool producers, int max) {
    int n = 0;
    if (producers) {
        for (struct ombc_producer *p =
                 atomic_load_explicit(&c->producers_head, memory_order_acquire);
             p; p = p->next)
            n += null_producer_poll(p);
    } else {
        for (struct ombc_consumer *k =
                 atomic_load_explicit(&c->consumers_head, memory_order_acquire);
             k; k = k->next)
            n += null_consumer_poll(k, max);
    }
    return n;
}

static void null_prepare_wait(struct ombc_client *c, bool producers) {
    ombc_cq_waker_arm(producers ? &c->producers : &c->consumers);
}

static void null_client_close(struct ombc_client *c) {
    if (!c)
        return;
    for (struct topic *t = c->topics, *tn; t; t = tn) {
        tn = t->link;
        for (struct subscription *s = t->subs, *sn; s; s = sn) {
            sn = s->link;
            free(s->consumers);
            free(s->name);
            free(s);
        }
        free(t->name);
        free(t);
    }
    free(c);
}

static const char *const null_classes[] = {"ombc.NullDriver", NULL};
static const struct ombc_conf_key_spec null_conf_keys[] = {{NULL}}; /* name, driverClass only */

const struct ombc_driver_ops ombc_null_driver = {
    .name = "null",
    .driver_classes = null_classes,
    .topic_prefix = "test-topic",
    .conf_keys = null_conf_keys,
    .stamp_only = true,
    /* no broker: no validate, fixture or admin half */
    .client_open = null_client_open,
    .client_close = null_client_close,
    .producer_new = null_producer_new,
    .producer_send = null_producer_send,
    .producer_flush = null_producer_flush,
    .producer_close = null_producer_close,
    .consumer_new = null_consumer_new,
    .consumer_close = null_consumer_close,
    .client_poll = null_client_poll,
    .prepare_wait = null_prepare_wait,
};
