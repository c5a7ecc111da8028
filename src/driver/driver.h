/*
 * driver: the boundary between ombc's core and a message broker client, as a
 * table of operations (one table per broker, one source file per table, found
 * by OMB driverClass in registry.c). Three parts, used in two kinds of
 * process:
 *   - the fixture (optional), in the coordinator: a broker the coordinator
 *     hosts for a run (the embedded Kafka), started from the driver file,
 *     which hands back the driver file clients use to reach it;
 *   - the admin half, opened once in the coordinator (and by `ombc cleanup`):
 *     topics and subscriptions, created and deleted;
 *   - the client half, opened in each agent (or in-process by the contract
 *     test): producers and consumers.
 *
 * Threads. "main" is the coordinator's main thread (fixture and admin ops)
 * or the agent's command thread (client_open, producer_new, consumer_new,
 * the closes, producer_flush); "load" is the agent's load thread (sends);
 * "ack" is the agent's poller of producers, "consumer" its poller of
 * consumers (each the only thread calling the poll ops of its side);
 * "library" is any thread of the client library itself. The agent's
 * on_sent runs only on the ack thread, on_received only on the consumer
 * thread: the stats words they write have one writer each. A driver whose
 * library completes on its own threads queues completions to the poller
 * through driver/completion_queue.h and reports them from its poll op.
 *
 * Polling. A driver serves completions per producer and per consumer
 * (producer_poll, consumer_poll: a client per OMB producer, as librdkafka),
 * or per client (client_poll: one call serves every producer or consumer of
 * a connection shared by many, as hiredis, librabbitmq, libmosquitto); when
 * client_poll is set the agent uses it alone. The agent waits for work on
 * one eventfd per side that it hands to client_open (the wake fd contract:
 * the driver, or its library, writes 8 bytes to it when work arrives that
 * a poll would serve; prepare_wait lets it skip the write while the poller
 * is awake), plus, when the driver has wait_fds, the descriptors it names
 * (its sockets), after which the agent polls again.
 *
 * A NULL op is one the driver lacks; ombc_driver_check_ops says which ops
 * must be there. The core never includes a broker client header; only the
 * driver's own files do.
 */
#ifndef OMBC_DRIVER_DRIVER_H
#define OMBC_DRIVER_DRIVER_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/driver_conf.h"
#include "config/props.h"

struct ombc_fixture;  /* a broker the coordinator hosts for a run (opaque) */
struct ombc_admin;    /* a driver's coordinator-side state (opaque) */
struct ombc_client;   /* a driver's agent-side state (opaque) */
struct ombc_producer; /* one OMB producer (opaque) */
struct ombc_consumer; /* one OMB consumer (opaque) */

/** A subscription of a run, for deletion with its topic. */
struct ombc_broker_subscription {
    const char *topic;
    const char *name; /**< OMB's subscription name (Kafka: the group.id) */
};

/** Callbacks a client delivers completions through. */
struct ombc_client_callbacks {
    /** A send finished: err is 0 on success, else a negative OMBC_E* code
     *  (errstr describes it). Called from producer_poll. */
    void (*on_sent)(void *ctx, void *msg_opaque, int err, const char *errstr);
    /** A message arrived: its payload (len bytes; a driver that does not
     *  carry payloads passes at least the first min(len, OMBC_STAMP_BYTES),
     *  where the agent's send-time stamp is: core/stamp.h) and the publish
     *  timestamp the broker gave it (epoch ms, OMB's convention; <= 0 when
     *  none), used when the payload has no stamp. Called from consumer_poll
     *  or client_poll, on the consumer thread only. */
    void (*on_received)(void *ctx, const void *payload, size_t len, int64_t publish_ts_ms);
    /** The broker no longer had the messages a consumer was to read next,
     *  and the consumer skipped ahead past them, n times (Kafka: offset
     *  resets after "Offset out of range"): they are lost to it. Called from
     *  consumer_poll or client_poll, on the consumer thread only. May be
     *  NULL (nobody counts them). */
    void (*on_offset_reset)(void *ctx, int64_t n);
    void *ctx;
};

/*
 * The table. Each op says whether it may be NULL, its thread, and what it
 * owns. Every failing op returns a negative OMBC_E* code and fills errstr.
 */
struct ombc_driver_ops {
    const char *name;                 /**< short name: "kafka"; required */
    const char *const *driver_classes; /**< OMB driverClass strings, NULL-ended; required */
    const char *topic_prefix;         /**< OMB's topic name prefix; required */
    /** The top-level keys its driver files may have besides name and
     *  driverClass, {NULL}-ended; an unknown key or a value of the wrong
     *  kind is refused before validate is called (ombc_driver_conf_check_keys).
     *  NULL: any key. */
    const struct ombc_conf_key_spec *conf_keys;
    /** Non-NULL in the table of a driver left out of this build: the CMake
     *  option that builds it ("OMBC_WITH_KAFKA"). Such a table has only
     *  name, driver_classes and this; lookups of it fail, naming the option. */
    const char *not_built;
    /** on_received gets only the first OMBC_STAMP_BYTES of each payload
     *  (and its length), not the whole payload (the null driver). */
    bool stamp_only;
    /** Writes the client library and its version ("librdkafka 2.0.2"), for
     *  the result file. NULL: the driver has no client library. Any thread. */
    void (*client_version)(char *buf, size_t size);

    /* ---- coordinator side (main thread) ---- */

    /** Checks every key and client property of conf without connecting
     *  (errors name the file and key; client properties are checked by the
     *  client library itself). NULL: the key check is all there is. */
    int (*validate)(const struct ombc_driver_conf *conf, char *errstr, size_t errstr_size);

    /** NULL when the driver never hosts a broker. Starts what conf asks to
     *  host (Kafka: embeddedBrokers, with its embeddedFaults schedule);
     *  *out = NULL and *client_conf untouched when conf asks for nothing.
     *  client_conf (the caller's, ombc_driver_conf_fini'd by the caller)
     *  receives the driver configuration clients and workers get: a complete
     *  driver file text (its raw YAML and parsed keys) with the fixture's
     *  address written in (Kafka: bootstrap.servers in commonConfig;
     *  embeddedBrokers and embeddedFaults removed), which validates on its
     *  own. The fixture is the caller's, until fixture_stop. */
    int (*fixture_start)(const struct ombc_driver_conf *conf, struct ombc_fixture **out,
                         struct ombc_driver_conf *client_conf, char *errstr,
                         size_t errstr_size);
    /** Stops the broker and frees f, after admin_close of every admin opened
     *  on it. NULL-safe. NULL exactly when fixture_start is. */
    void (*fixture_stop)(struct ombc_fixture *f);
    /** How much the broker conf asks this driver to host keeps of each
     *  partition before it drops the oldest messages: at most
     *  *bytes_per_partition bytes and at most *messages_per_partition
     *  messages (0: no limit of that kind), from conf alone (nothing is
     *  started, so `ombc validate` can ask), for the checks of a workload
     *  against its driver (a backlog the broker cannot hold never drains).
     *  Main thread, after validate accepted conf. @return true when conf
     *  asks for such a broker; false, outputs untouched, when it asks for
     *  none (a real broker's retention is the broker's). NULL: the driver
     *  hosts no broker that drops messages. */
    bool (*hosted_retention)(const struct ombc_driver_conf *conf, int64_t *bytes_per_partition,
                             int64_t *messages_per_partition);

    /** Opens the admin half: checks conf and connects. fixture: the one
     *  started from this driver file, or NULL (a real broker; or nothing
     *  hosted, e.g. `ombc cleanup` on an embedded broker's file, when there
     *  is nothing to list): the embedded Kafka creates topics through the
     *  mock's API. Must fail with a clear errstr, never hang, when the
     *  broker is away. NULL when the driver keeps no broker state (no
     *  topics to create, list or delete); then the four admin ops below
     *  are NULL too. */
    int (*admin_open)(const struct ombc_driver_conf *conf, struct ombc_fixture *fixture,
                      struct ombc_admin **out, char *errstr, size_t errstr_size);
    /** Creates topics of partitions each. NULL: topics need no creating
     *  (they come with the first send or subscription). */
    int (*create_topics)(struct ombc_admin *a, const char *const *names, int count,
                         int partitions, char *errstr, size_t errstr_size);
    /** Deletes topics and the subscriptions on them (subs may be NULL with
     *  sub_count 0, e.g. from `ombc cleanup`: the driver deletes what the
     *  topics take with them). A topic or subscription already gone is not
     *  an error. NULL: the broker cannot delete (the run's topics go with
     *  the fixture). */
    int (*delete_topics)(struct ombc_admin *a, const char *const *topics, int topic_count,
                         const struct ombc_broker_subscription *subs, int sub_count,
                         char *errstr, size_t errstr_size);
    /** Lists the broker's topics (*names: malloc'd array of malloc'd
     *  strings, *count entries; the caller frees both), for `ombc cleanup`
     *  and the contract test. NULL: the broker cannot list them. */
    int (*list_topics)(struct ombc_admin *a, char ***names, int *count, char *errstr,
                       size_t errstr_size);
    /** Closes the admin half. NULL-safe. NULL exactly when admin_open is. */
    void (*admin_close)(struct ombc_admin *a);

    /* ---- agent side ---- */

    /** Opens the client half (main thread). conf is the client conf (the
     *  fixture's client_conf when there is a fixture). producer_wake_fd and
     *  consumer_wake_fd (each may be -1) are eventfds the driver writes when
     *  work for that side's poll is ready (see prepare_wait); the agent owns
     *  them. cb is copied. Required. */
    int (*client_open)(const struct ombc_driver_conf *conf, const struct ombc_client_callbacks *cb,
                       int producer_wake_fd, int consumer_wake_fd, struct ombc_client **out,
                       char *errstr, size_t errstr_size);
    /** Main thread, after every producer and consumer of c is closed and the
     *  pollers have stopped. NULL-safe. Required. */
    void (*client_close)(struct ombc_client *c);
    /** A producer on topic (main thread; the pollers may be running).
     *  Required. */
    int (*producer_new)(struct ombc_client *c, const char *topic, struct ombc_producer **out,
                        char *errstr, size_t errstr_size);
    /** Starts an asynchronous send (load thread; main for the readiness
     *  probe, never both at once). Unless copy is set, payload must stay
     *  valid and unchanged until on_sent; with copy, the driver is done with
     *  it when it returns (it copies what it keeps). No allocation the
     *  driver can avoid, no lock, no log. Required.
     *  @return 0, OMBC_EAGAIN (local queue full: poll and retry), or an error. */
    int (*producer_send)(struct ombc_producer *p, const void *key, size_t key_len,
                         const void *payload, size_t len, bool copy, void *msg_opaque);
    /** Serves pending on_sent callbacks of p without blocking (ack thread).
     *  @return how many. NULL when client_poll serves the producers. */
    int (*producer_poll)(struct ombc_producer *p);
    /** Waits up to timeout_ms for p's outstanding sends to complete (main
     *  thread, only while no poller runs: it may serve on_sent itself).
     *  Required. */
    int (*producer_flush)(struct ombc_producer *p, int timeout_ms);
    /** Closes without waiting (main thread, pollers stopped): sends still
     *  outstanding are dropped (flush first to keep them). NULL-safe.
     *  Required. */
    void (*producer_close)(struct ombc_producer *p);
    /** A consumer of subscription on topic (main thread; the pollers may be
     *  running). Required. */
    int (*consumer_new)(struct ombc_client *c, const char *topic, const char *subscription,
                        struct ombc_consumer **out, char *errstr, size_t errstr_size);
    /** Delivers up to max ready messages of s through on_received, without
     *  blocking (consumer thread). @return how many. NULL when client_poll
     *  serves the consumers. */
    int (*consumer_poll)(struct ombc_consumer *s, int max);
    /** Main thread, pollers stopped. NULL-safe. Required. */
    void (*consumer_close)(struct ombc_consumer *s);
    /** Serves every producer of c (producers: true; ack thread: on_sent) or
     *  delivers up to max messages of every consumer of c (consumer thread:
     *  on_received), without blocking: one call for a connection that many
     *  producers or consumers share. @return how many. NULL: the agent
     *  polls each producer and consumer; set, it is used instead of
     *  producer_poll and consumer_poll (which may then be NULL). */
    int (*client_poll)(struct ombc_client *c, bool producers, int max);
    /** The descriptors the poller of a side (producers: true for the ack
     *  thread) must also wait on before it blocks (its sockets, with the
     *  events wanted: POLLOUT while output is pending), up to max; the
     *  poller polls again when one is ready. Called from that poller, each
     *  time before it blocks, so sockets may change across reconnects.
     *  @return how many filled. NULL: the wake fd is all (the driver or its
     *  library writes it). */
    int (*wait_fds)(struct ombc_client *c, bool producers, struct pollfd *fds, int max);
    /** The poller of a side (producers: true: the ack thread; else the
     *  consumer thread) found nothing for a while and is about to block: from
     *  now on, work arriving must write the side's wake fd. The caller polls
     *  once more after this (work may have come in between) before it
     *  blocks. NULL when the driver writes the fd whenever work arrives; a
     *  driver that hands work between threads (completion_queue.h) uses it
     *  to skip the write (a system call) while the poller is awake. */
    void (*prepare_wait)(struct ombc_client *c, bool producers);
};

/**
 * @brief Checks that d has what every driver must: name, classes, topic
 * prefix; client_open, client_close, producer_new, producer_send,
 * producer_flush, producer_close, consumer_new, consumer_close; a poll for
 * each side (client_poll, or producer_poll and consumer_poll); the fixture
 * and admin ops in their pairs, and no admin op without admin_open. A
 * not_built table needs only its names. Run by ombc_driver_find.
 * @return 0, or OMBC_EINVAL with errstr naming the driver and what it lacks.
 */
int ombc_driver_check_ops(const struct ombc_driver_ops *d, char *errstr, size_t errstr_size);

/**
 * @brief The registered drivers (built or not), *count of them, in a
 * static table.
 */
const struct ombc_driver_ops *const *ombc_driver_list(size_t *count);

/**
 * @brief Serves the producers' completions the way the agent does:
 * client_poll when the driver has it, else producer_poll of each of the n
 * producers. Called by the producers' poller (the ack thread).
 * @return how many on_sent calls were made.
 */
int ombc_driver_poll_producers(const struct ombc_driver_ops *d, struct ombc_client *c,
                               struct ombc_producer *const *p, int n);

/**
 * @brief Delivers messages the way the agent does: client_poll (up to max)
 * when the driver has it, else consumer_poll of each of the n consumers (up
 * to max each). Called by the consumers' poller (the consumer thread).
 * @return how many on_received calls were made.
 */
int ombc_driver_poll_consumers(const struct ombc_driver_ops *d, struct ombc_client *c,
                               struct ombc_consumer *const *s, int n, int max);

/**
 * @brief The driver whose table answers conf's driverClass (OMB class name)
 * or short name, checked by ombc_driver_check_ops. @return NULL and errstr
 * listing the known classes otherwise, or saying the driver was not built
 * (and with which CMake option), or what its table lacks.
 */
const struct ombc_driver_ops *ombc_driver_find(const struct ombc_driver_conf *conf,
                                               char *errstr, size_t errstr_size);

#endif
