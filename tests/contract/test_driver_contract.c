/*
 * test_driver_contract: takes every driver through the same sequence, in
 * this process (no agents), through its table of operations only, as the
 * coordinator and an agent would: validate; fixture_start (if any), whose
 * client conf must validate on its own and ask to host nothing; admin_open,
 * create a topic; client_open, a consumer on each of two subscriptions, a
 * producer; send N messages, counting completions through the callbacks,
 * polling as agent.c does (ombc_driver_poll_*, prepare_wait, then blocking
 * on the wake fds and the driver's wait_fds with a deadline, never a
 * sleep); receive every message once per subscription, payload intact up to
 * what the driver carries (the 16-byte stamp, or all of it); the same with
 * the consumers paused (not polled) while sending, then resumed; close;
 * delete the topic and subscriptions; the topic must no longer be listed.
 *
 * Parameterised by driver file: the files below, or those given as
 * arguments. Adding a driver means adding its file here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cmocka.h>

#include "config/driver_conf.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/random.h"
#include "core/stamp.h"
#include "driver/driver.h"

static const char *const driver_files[] = {
    "drivers/null.yaml",
    "drivers/kafka-embedded.yaml",
};

#define N 2000         /* messages, half of them sent while paused */
#define MSG_LEN 100    /* bytes */
#define SUBS 2         /* subscriptions, one consumer each */
#define DEADLINE_S 60  /* for every wait */
#define STAMP_BASE 1700000000000000000LL /* stamp = base + sequence number */
#define MAX_WAIT_FDS 64

struct run {
    const struct ombc_driver_ops *d;
    struct ombc_client *client;
    struct ombc_producer *producer;
    struct ombc_consumer *consumers[SUBS];
    int wake_fd[2]; /* producers, consumers */
    int64_t acked, ack_errors, received, bad_payloads;
    int counts[N]; /* receptions per message */
};

static void on_sent(void *ctx, void *opaque, int err, const char *errstr) {
    struct run *r = ctx;
    (void)opaque;
    (void)errstr;
    if (err)
        r->ack_errors++;
    else
        r->acked++;
}

static void on_received(void *ctx, const void *payload, size_t len, int64_t ts_ms) {
    struct run *r = ctx;
    (void)ts_ms;
    r->received++;
    int64_t seq = ombc_stamp_read(payload, len) - STAMP_BASE;
    bool ok = len == MSG_LEN && seq >= 0 && seq < N;
    const uint8_t *b = payload;
    for (size_t i = OMBC_STAMP_BYTES; ok && !r->d->stamp_only && i < len; i++)
        ok = b[i] == (uint8_t)(seq + (int64_t)i);
    if (ok)
        r->counts[seq]++;
    else
        r->bad_payloads++;
}

/* One round of a side's poller, as agent.c's serve_polls: poll; when idle,
 * arm the wake-up, poll again, then block on the wake fd and the driver's
 * descriptors for up to 100 ms. */
static void pump(struct run *r, bool producers) {
    int n = producers ? ombc_driver_poll_producers(r->d, r->client, &r->producer, 1)
                      : ombc_driver_poll_consumers(r->d, r->client, r->consumers, SUBS, 500);
    if (n > 0)
        return;
    if (r->d->prepare_wait) {
        r->d->prepare_wait(r->client, producers);
        n = producers ? ombc_driver_poll_producers(r->d, r->client, &r->producer, 1)
                      : ombc_driver_poll_consumers(r->d, r->client, r->consumers, SUBS, 500);
        if (n > 0)
            return;
    }
    struct pollfd pfd[1 + MAX_WAIT_FDS] = {{.fd = r->wake_fd[producers ? 0 : 1], .events = POLLIN}};
    int nfds = 1;
    if (r->d->wait_fds)
        nfds += r->d->wait_fds(r->client, producers, pfd + 1, MAX_WAIT_FDS);
    if (poll(pfd, (nfds_t)nfds, 100) > 0 && (pfd[0].revents & POLLIN)) {
        uint64_t v;
        while (read(pfd[0].fd, &v, sizeof(v)) > 0) {
        }
    }
}

static int64_t deadline(void) {
    return ombc_now_ns() + (int64_t)DEADLINE_S * 1000000000;
}

/* Sends messages [from, to), serving acks (and messages, unless paused) as
 * it goes, then waits for every ack. */
static void send_range(struct run *r, int from, int to, bool paused, const char *what) {
    uint8_t buf[MSG_LEN];
    int64_t until = deadline();
    for (int seq = from; seq < to; seq++) {
        ombc_stamp_write(buf, sizeof(buf), STAMP_BASE + seq);
        for (size_t i = OMBC_STAMP_BYTES; i < sizeof(buf); i++)
            buf[i] = (uint8_t)(seq + (int)i);
        int rc;
        while ((rc = r->d->producer_send(r->producer, "key", 3, buf, sizeof(buf), true, r)) ==
               OMBC_EAGAIN) {
            if (ombc_now_ns() > until)
                fail_msg("%s: %s: the send queue stayed full", r->d->name, what);
            pump(r, true);
        }
        assert_int_equal(rc, 0);
    }
    while (r->acked + r->ack_errors < to) {
        if (ombc_now_ns() > until)
            fail_msg("%s: %s: %lld of %d sends acknowledged after %d s", r->d->name, what,
                     (long long)r->acked, to, DEADLINE_S);
        pump(r, true);
        if (!paused)
            pump(r, false);
    }
    assert_int_equal(r->ack_errors, 0);
}

static void receive_all(struct run *r, int sent, const char *what) {
    int64_t until = deadline();
    while (r->received < (int64_t)sent * SUBS) {
        if (ombc_now_ns() > until)
            fail_msg("%s: %s: %lld of %d messages received after %d s", r->d->name, what,
                     (long long)r->received, sent * SUBS, DEADLINE_S);
        pump(r, false);
    }
    assert_int_equal(r->bad_payloads, 0);
    for (int i = 0; i < sent; i++)
        if (r->counts[i] != SUBS)
            fail_msg("%s: %s: message %d received %d times, not %d", r->d->name, what, i,
                     r->counts[i], SUBS);
}

static void check_conf(const struct ombc_driver_ops *d, const struct ombc_driver_conf *c) {
    char err[1024] = "";
    if (d->conf_keys && ombc_driver_conf_check_keys(c, d->conf_keys, d->name, err, sizeof(err)))
        fail_msg("%s", err);
    if (d->validate && d->validate(c, err, sizeof(err)))
        fail_msg("%s", err);
}

static void contract(void **state) {
    const char *file = *state;
    char path[4096], err[1024] = "";
    const char *src = getenv("OMBC_SOURCE_DIR");
    if (file[0] == '/' || !src)
        snprintf(path, sizeof(path), "%s", file);
    else
        snprintf(path, sizeof(path), "%s/%s", src, file);

    struct ombc_driver_conf conf, client_conf = {0};
    if (ombc_driver_conf_load(path, &conf, err, sizeof(err)))
        fail_msg("%s", err);
    const struct ombc_driver_ops *d = ombc_driver_find(&conf, err, sizeof(err));
    if (!d && strstr(err, "was not built")) {
        fprintf(stderr, "skipped: %s\n", err);
        ombc_driver_conf_fini(&conf);
        skip();
        return;
    }
    if (!d)
        fail_msg("%s", err);
    struct run *r = calloc(1, sizeof(*r));
    assert_non_null(r);
    r->d = d;
    check_conf(d, &conf);

    /* the fixture, and the conf clients get from it */
    struct ombc_fixture *fixture = NULL;
    if (d->fixture_start && d->fixture_start(&conf, &fixture, &client_conf, err, sizeof(err)))
        fail_msg("%s", err);
    const struct ombc_driver_conf *cc = fixture ? &client_conf : &conf;
    if (fixture) {
        check_conf(d, cc);
        struct ombc_fixture *again = NULL;
        struct ombc_driver_conf untouched = {0};
        assert_int_equal(d->fixture_start(cc, &again, &untouched, err, sizeof(err)), 0);
        assert_null(again); /* the client conf asks to host nothing */
        assert_null(untouched.raw);
    }

    /* the admin half: a topic named as runs name theirs */
    struct ombc_rng rng;
    ombc_rng_seed(&rng, (uint64_t)ombc_now_ns());
    char rnd[16], topic[128], sub_names[SUBS][64];
    ombc_random_string(&rng, 5, rnd);
    snprintf(topic, sizeof(topic), "%s-0000000-%s", d->topic_prefix, rnd);
    struct ombc_broker_subscription subs[SUBS];
    for (int i = 0; i < SUBS; i++) {
        snprintf(sub_names[i], sizeof(sub_names[i]), "sub-%03d-%s", i, rnd);
        subs[i] = (struct ombc_broker_subscription){.topic = topic, .name = sub_names[i]};
    }
    struct ombc_admin *admin = NULL;
    if (d->admin_open && d->admin_open(cc, fixture, &admin, err, sizeof(err)))
        fail_msg("%s", err);
    const char *const topics[] = {topic};
    if (d->create_topics && d->create_topics(admin, topics, 1, 1, err, sizeof(err)))
        fail_msg("%s", err);

    /* the client half */
    r->wake_fd[0] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    r->wake_fd[1] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    assert_true(r->wake_fd[0] >= 0 && r->wake_fd[1] >= 0);
    struct ombc_client_callbacks cb = {.on_sent = on_sent, .on_received = on_received, .ctx = r};
    if (d->client_open(cc, &cb, r->wake_fd[0], r->wake_fd[1], &r->client, err, sizeof(err)))
        fail_msg("%s", err);
    for (int i = 0; i < SUBS; i++)
        if (d->consumer_new(r->client, topic, sub_names[i], &r->consumers[i], err, sizeof(err)))
            fail_msg("%s", err);
    if (d->producer_new(r->client, topic, &r->producer, err, sizeof(err)))
        fail_msg("%s", err);

    /* half with the consumers polled as the sends go */
    send_range(r, 0, N / 2, false, "sending");
    receive_all(r, N / 2, "receiving");
    /* half while paused: nothing delivered, then everything on resume */
    int64_t before = r->received;
    send_range(r, N / 2, N, true, "sending while paused");
    assert_int_equal(r->received, before);
    receive_all(r, N, "receiving after resume");

    /* close, as an agent's stop does */
    assert_int_equal(d->producer_flush(r->producer, 5000), 0);
    d->producer_close(r->producer);
    for (int i = 0; i < SUBS; i++)
        d->consumer_close(r->consumers[i]);
    d->client_close(r->client);
    close(r->wake_fd[0]);
    close(r->wake_fd[1]);

    /* nothing of the run left on the broker */
    if (d->delete_topics && d->delete_topics(admin, topics, 1, subs, SUBS, err, sizeof(err)))
        fail_msg("%s", err);
    if (d->list_topics) {
        char **names = NULL;
        int count = 0;
        if (d->list_topics(admin, &names, &count, err, sizeof(err)))
            fail_msg("%s", err);
        bool left = false;
        for (int i = 0; i < count; i++) {
            left = left || strcmp(names[i], topic) == 0;
            free(names[i]);
        }
        free(names);
        if (left)
            fail_msg("%s: topic %s still listed after delete_topics", d->name, topic);
    }
    if (d->admin_close)
        d->admin_close(admin);
    if (d->fixture_stop)
        d->fixture_stop(fixture);
    ombc_driver_conf_fini(&client_conf);
    ombc_driver_conf_fini(&conf);
    fprintf(stderr, "%s (%s): %d messages sent, %d received on each of %d subscriptions\n",
            d->name, file, N, N, SUBS);
    free(r);
}

int main(int argc, char **argv) {
    size_t n = argc > 1 ? (size_t)argc - 1 : sizeof(driver_files) / sizeof(driver_files[0]);
    struct CMUnitTest tests[64];
    if (n > sizeof(tests) / sizeof(tests[0]))
        n = sizeof(tests) / sizeof(tests[0]);
    for (size_t i = 0; i < n; i++) {
        const char *f = argc > 1 ? argv[i + 1] : driver_files[i];
        tests[i] =
            (struct CMUnitTest){.name = f, .test_func = contract, .initial_state = (void *)f};
    }
    return _cmocka_run_group_tests("driver_contract", tests, n, NULL, NULL);
}
