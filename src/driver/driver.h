/*
 * driver: the boundary between ombc's core and a message broker client, as a
 * table of operations (one table per broker, one source file per table).
 * Two halves, used in two kinds of process:
 *   - the admin half, opened once in the coordinator: topic creation and
 *     deletion (and, for the embedded Kafka, hosting the broker itself);
 *   - the client half, opened in each agent: producers and consumers.
 * Completions come back through callbacks with an opaque pointer, on the
 * thread that calls the poll operation. The core never includes a broker
 * client header; only the driver's own file does.
 */
#ifndef OMBC_DRIVER_DRIVER_H
#define OMBC_DRIVER_DRIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/driver_conf.h"
#include "config/props.h"

struct ombc_admin;    /* a driver's coordinator-side state (opaque) */
struct ombc_client;   /* a driver's agent-side state (opaque) */
struct ombc_producer; /* one OMB producer (opaque) */
struct ombc_consumer; /* one OMB consumer (opaque) */

/** Callbacks a client delivers completions through. */
struct ombc_client_callbacks {
    /** A send finished: err is 0 on success, else a negative OMBC_E* code
     *  (errstr describes it). Called from producer_poll. */
    void (*on_sent)(void *ctx, void *msg_opaque, int err, const char *errstr);
    /** A message arrived: its payload (len bytes; a driver that does not
     *  carry payloads passes at least the first min(len, OMBC_STAMP_BYTES),
     *  where the agent's send-time stamp is: core/stamp.h) and the publish
     *  timestamp the broker gave it (epoch ms, OMB's convention; <= 0 when
     *  none), used when the payload has no stamp. Called from consumer_poll. */
    void (*on_received)(void *ctx, const void *payload, size_t len, int64_t publish_ts_ms);
    void *ctx;
};

struct ombc_driver_ops {
    const char *name;                 /**< short name: "kafka" */
    const char *const *driver_classes; /**< OMB driverClass strings, NULL-ended */
    const char *topic_prefix;         /**< OMB's topic name prefix */
    /** The top-level keys its driver files may have besides name and
     *  driverClass, {NULL}-ended; an unknown key or a value of the wrong
     *  kind is refused before validate is called (ombc_driver_conf_check_keys). */
    const struct ombc_conf_key_spec *conf_keys;
    /** Writes the client library and its version ("librdkafka 2.0.2"),
     *  for the result file; NULL when the driver has none. */
    void (*client_version)(char *buf, size_t size);

    /* ---- coordinator side ---- */

    /** Checks every key and client property of conf without connecting
     *  (errors name the file and key; client properties are checked by the
     *  client library itself). */
    int (*validate)(const struct ombc_driver_conf *conf, char *errstr, size_t errstr_size);

    /** Checks conf and connects (or starts the embedded broker).
     *  Must fail with a clear errstr, never hang, when the broker is away. */
    int (*admin_open)(const struct ombc_driver_conf *conf, struct ombc_admin **out,
                      char *errstr, size_t errstr_size);
    /** Properties the clients must apply on top of conf (e.g. the embedded
     *  broker's bootstrap address). May leave extra empty. */
    int (*admin_client_overrides)(struct ombc_admin *a, struct ombc_props *extra);
    int (*create_topics)(struct ombc_admin *a, const char *const *names, int count,
                         int partitions, char *errstr, size_t errstr_size);
    int (*delete_topics)(struct ombc_admin *a, const char *const *names, int count,
                         char *errstr, size_t errstr_size);
    /** Lists the broker's topics (*names: malloc'd array of malloc'd strings,
     *  *count entries; the caller frees both), for `ombc cleanup`. */
    int (*list_topics)(struct ombc_admin *a, char ***names, int *count, char *errstr,
                       size_t errstr_size);
    void (*admin_close)(struct ombc_admin *a);

    /* ---- agent side ---- */

    /** Opens the client half. wake_fd (may be -1) is an eventfd the driver
     *  writes to when completions or messages are ready to be polled. */
    int (*client_open)(const struct ombc_driver_conf *conf, const struct ombc_props *overrides,
                       const struct ombc_client_callbacks *cb, int producer_wake_fd,
                       int consumer_wake_fd, struct ombc_client **out, char *errstr,
                       size_t errstr_size);
    int (*producer_new)(struct ombc_client *c, const char *topic, struct ombc_producer **out,
                        char *errstr, size_t errstr_size);
    /** Starts an asynchronous send. Unless copy is set, payload must stay
     *  valid and unchanged until on_sent; with copy, the driver is done with
     *  it when it returns (it copies what it keeps).
     *  @return 0, OMBC_EAGAIN (local queue full: poll and retry), or an error. */
    int (*producer_send)(struct ombc_producer *p, const void *key, size_t key_len,
                         const void *payload, size_t len, bool copy, void *msg_opaque);
    /** Serves pending on_sent callbacks without blocking. @return how many. */
    int (*producer_poll)(struct ombc_producer *p);
    /** Waits up to timeout_ms for outstanding sends to complete. */
    int (*producer_flush)(struct ombc_producer *p, int timeout_ms);
    /** Closes without waiting: sends still outstanding are dropped (flush
     *  first to keep them). */
    void (*producer_close)(struct ombc_producer *p);
    int (*consumer_new)(struct ombc_client *c, const char *topic, const char *subscription,
                        struct ombc_consumer **out, char *errstr, size_t errstr_size);
    /** Delivers up to max ready messages through on_received, without
     *  blocking. @return how many. */
    int (*consumer_poll)(struct ombc_consumer *s, int max);
    void (*consumer_close)(struct ombc_consumer *s);
    /** The thread that polls the producers (producers: true) or the consumers
     *  found nothing for a while and is about to block on its wake fd: from
     *  now on, work arriving must write the fd. The caller polls once more
     *  after this (work may have come in between) before it blocks. NULL
     *  when the driver writes the fd whenever work arrives; a driver that
     *  hands work between its own threads uses it to skip the write (a
     *  system call) while the poller is awake. */
    void (*prepare_wait)(struct ombc_client *c, bool producers);
    void (*client_close)(struct ombc_client *c);
};

/**
 * @brief The driver whose table answers conf's driverClass (OMB class name)
 * or short name. @return NULL and errstr listing the known classes otherwise.
 */
const struct ombc_driver_ops *ombc_driver_find(const struct ombc_driver_conf *conf,
                                               char *errstr, size_t errstr_size);

#endif
