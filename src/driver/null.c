/*
 * null driver: a broker that is not there. Every send is acknowledged at
 * once and handed to the consumers of the same agent (one consumer per
 * subscription, round-robin among the subscription's consumers in this
 * agent), so a run measures the harness itself: scheduling, recording,
 * aggregation, with no network and no client library.
 *
 * Threads (see worker/agent.c): the load thread sends, the ack thread polls
 * the producers, the consumer thread polls the consumers. Each producer has
 * a single-producer single-consumer ring of acknowledgements (load thread →
 * ack thread) and each consumer a ring of messages (load thread → consumer
 * thread). A ring signals its eventfd only when it goes from empty to not
 * empty, so a busy run makes no system call per message. Topics,
 * subscriptions and consumers are wired up before the load starts and not
 * changed while it runs. Messages only reach consumers in the sending
 * agent: place producers and consumers so that each agent has both.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/err.h"
#include "driver/driver.h"

#define RING_SIZE (1u << 16) /* per producer and per consumer */
#define FLUSH_POLL_NS 100000LL

/* ---------------------------------------------------------------- rings */

/* One writer thread, one reader thread. head is written by the writer,
 * tail by the reader, each on its own cache line. */
struct ring {
    _Alignas(64) atomic_uint_fast64_t head;
    _Alignas(64) atomic_uint_fast64_t tail;
    int wake_fd; /* written when the ring goes from empty to not empty */
};

static bool ring_full(const struct ring *r) {
    return atomic_load_explicit(&r->head, memory_order_relaxed) -
               atomic_load_explicit(&r->tail, memory_order_acquire) >=
           RING_SIZE;
}

/* Publishes the entry the writer filled at head. */
static void ring_push(struct ring *r) {
    uint_fast64_t h = atomic_load_explicit(&r->head, memory_order_relaxed);
    atomic_store_explicit(&r->head, h + 1, memory_order_release);
    /* The reader stores tail and then loads head; the writer stores head and
     * then loads tail: with full fences between, one of them sees the other,
     * so a reader about to sleep is always woken. */
    atomic_thread_fence(memory_order_seq_cst);
    if (atomic_load_explicit(&r->tail, memory_order_relaxed) == h && r->wake_fd >= 0) {
        uint64_t one = 1;
        ssize_t w = write(r->wake_fd, &one, sizeof(one));
        (void)w;
    }
}

/* ------------------------------------------------------------- objects */

struct message {
    int64_t publish_ts_ms;
    size_t len;
};

struct ombc_consumer {
    struct ombc_client *client;
    struct ring ring;
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
    int producer_wake_fd;
    int consumer_wake_fd;
    struct topic *topics;
};

struct ombc_producer {
    struct ombc_client *client;
    struct topic *topic;
    struct ring ring;
    void **slots; /* RING_SIZE opaques */
};

struct ombc_admin {
    int unused;
};

/* --------------------------------------------------------- admin half */

static int null_validate(const struct ombc_driver_conf *conf, char *errstr, size_t errstr_size) {
    (void)conf;
    (void)errstr;
    (void)errstr_size;
    return 0;
}

static int null_admin_open(const struct ombc_driver_conf *conf, struct ombc_admin **out,
                           char *errstr, size_t errstr_size) {
    (void)conf;
    (void)errstr;
    (void)errstr_size;
    *out = calloc(1, sizeof(**out));
    return *out ? 0 : OMBC_ENOMEM;
}

static int null_admin_client_overrides(struct ombc_admin *a, struct ombc_props *extra) {
    (void)a;
    (void)extra;
    return 0;
}

static int null_create_topics(struct ombc_admin *a, const char *const *names, int count,
                              int partitions, char *errstr, size_t errstr_size) {
    (void)a;
    (void)names;
    (void)count;
    (void)partitions;
    (void)errstr;
    (void)errstr_size;
    return 0;
}

static int null_delete_topics(struct ombc_admin *a, const char *const *names, int count,
                              char *errstr, size_t errstr_size) {
    (void)a;
    (void)names;
    (void)count;
    (void)errstr;
    (void)errstr_size;
    return 0;
}

static int null_list_topics(struct ombc_admin *a, char ***names, int *count, char *errstr,
                            size_t errstr_size) {
    (void)a;
    (void)errstr;
    (void)errstr_size;
    *names = NULL;
    *count = 0;
    return 0;
}

static void null_admin_close(struct ombc_admin *a) {
    free(a);
}

/* -------------------------------------------------------- client half */

static int null_client_open(const struct ombc_driver_conf *conf,
                            const struct ombc_props *overrides,
                            const struct ombc_client_callbacks *cb, int producer_wake_fd,
                            int consumer_wake_fd, struct ombc_client **out, char *errstr,
                            size_t errstr_size) {
    (void)conf;
    (void)overrides;
    (void)errstr;
    (void)errstr_size;
    struct ombc_client *c = calloc(1, sizeof(*c));
    if (!c)
        return OMBC_ENOMEM;
    c->cb = *cb;
    c->producer_wake_fd = producer_wake_fd;
    c->consumer_wake_fd = consumer_wake_fd;
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
    (void)errstr;
    (void)errstr_size;
    struct ombc_producer *p = calloc(1, sizeof(*p));
    if (!p || !(p->slots = calloc(RING_SIZE, sizeof(*p->slots))) ||
        !(p->topic = find_topic(c, topic))) {
        if (p)
            free(p->slots);
        free(p);
        return OMBC_ENOMEM;
    }
    p->client = c;
    p->ring.wake_fd = c->producer_wake_fd;
    *out = p;
    return 0;
}

/* The hot path: acknowledge, and hand the message to one consumer of each
 * subscription. Nothing is written unless every ring has room. */
static int null_producer_send(struct ombc_producer *p, const void *key, size_t key_len,
                              const void *payload, size_t len, void *msg_opaque) {
    (void)key;
    (void)key_len;
    (void)payload;
    if (ring_full(&p->ring))
        return OMBC_EAGAIN;
    for (struct subscription *s = p->topic->subs; s; s = s->link)
        if (s->count > 0 && ring_full(&s->consumers[s->next % s->count]->ring))
            return OMBC_EAGAIN;
    int64_t now_ms = ombc_wall_ms();
    for (struct subscription *s = p->topic->subs; s; s = s->link) {
        if (s->count == 0)
            continue;
        struct ombc_consumer *to = s->consumers[s->next++ % s->count];
        uint_fast64_t h = atomic_load_explicit(&to->ring.head, memory_order_relaxed);
        to->slots[h % RING_SIZE] = (struct message){.publish_ts_ms = now_ms, .len = len};
        ring_push(&to->ring);
    }
    uint_fast64_t h = atomic_load_explicit(&p->ring.head, memory_order_relaxed);
    p->slots[h % RING_SIZE] = msg_opaque;
    ring_push(&p->ring);
    return 0;
}

static int null_producer_poll(struct ombc_producer *p) {
    int n = 0;
    uint_fast64_t t = atomic_load_explicit(&p->ring.tail, memory_order_relaxed);
    for (;;) {
        uint_fast64_t h = atomic_load_explicit(&p->ring.head, memory_order_acquire);
        if (t == h)
            break;
        for (; t != h; t++, n++) {
            p->client->cb.on_sent(p->client->cb.ctx, p->slots[t % RING_SIZE], 0, NULL);
            atomic_store_explicit(&p->ring.tail, t + 1, memory_order_release);
        }
        atomic_thread_fence(memory_order_seq_cst); /* pairs with ring_push */
    }
    return n;
}

static int null_producer_flush(struct ombc_producer *p, int timeout_ms) {
    int64_t deadline = ombc_now_ns() + (int64_t)timeout_ms * 1000000;
    while (atomic_load(&p->ring.tail) != atomic_load(&p->ring.head)) {
        if (ombc_now_ns() >= deadline)
            return OMBC_ETIMEDOUT;
        ombc_sleep_until_ns(ombc_now_ns() + FLUSH_POLL_NS);
    }
    return 0;
}

static void null_producer_close(struct ombc_producer *p) {
    if (!p)
        return;
    free(p->slots);
    free(p);
}

static int null_consumer_new(struct ombc_client *c, const char *topic, const char *subscription,
                             struct ombc_consumer **out, char *errstr, size_t errstr_size) {
    (void)errstr;
    (void)errstr_size;
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
        return OMBC_ENOMEM;
    }
    k->client = c;
    k->ring.wake_fd = c->consumer_wake_fd;
    s->consumers[s->count++] = k;
    *out = k;
    return 0;
}

static int null_consumer_poll(struct ombc_consumer *k, int max) {
    uint_fast64_t t = atomic_load_explicit(&k->ring.tail, memory_order_relaxed);
    uint_fast64_t h = atomic_load_explicit(&k->ring.head, memory_order_acquire);
    int n = 0;
    for (; t != h && n < max; t++, n++) {
        const struct message *m = &k->slots[t % RING_SIZE];
        k->client->cb.on_received(k->client->cb.ctx, m->len, m->publish_ts_ms);
        atomic_store_explicit(&k->ring.tail, t + 1, memory_order_release);
    }
    atomic_thread_fence(memory_order_seq_cst); /* pairs with ring_push */
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
    free(k->slots);
    free(k);
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
    .validate = null_validate,
    .admin_open = null_admin_open,
    .admin_client_overrides = null_admin_client_overrides,
    .create_topics = null_create_topics,
    .delete_topics = null_delete_topics,
    .list_topics = null_list_topics,
    .admin_close = null_admin_close,
    .client_open = null_client_open,
    .producer_new = null_producer_new,
    .producer_send = null_producer_send,
    .producer_poll = null_producer_poll,
    .producer_flush = null_producer_flush,
    .producer_close = null_producer_close,
    .consumer_new = null_consumer_new,
    .consumer_poll = null_consumer_poll,
    .consumer_close = null_consumer_close,
    .client_close = null_client_close,
};
