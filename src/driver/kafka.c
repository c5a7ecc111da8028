/*
 * kafka: the Kafka driver over librdkafka, OMB's KafkaBenchmarkDriver in C.
 *
 * Reads OMB's Kafka driver keys (replicationFactor, topicConfig, commonConfig,
 * producerConfig, consumerConfig) and ombc's extension `embeddedBrokers: N`,
 * which makes the driver's fixture (fixture_start) librdkafka's mock cluster
 * inside the coordinator instead of a real Kafka (the mock answers no admin
 * requests, so the admin half opened on the fixture makes topics with the
 * mock's own API; see docs/ARCHITECTURE.md), and `embeddedFaults`, a
 * schedule of broker faults on it (kafka_faults.c). Clients get a driver
 * file of their own from the fixture: the user's, with the mock's address
 * as bootstrap.servers and the embedded keys removed.
 *
 * Fixture and admin half: coordinator process. Client half: agent processes; one
 * rd_kafka_t per OMB producer and per OMB consumer (group.id = subscription).
 * Delivery reports and messages signal the agent's eventfds through
 * librdkafka's queue IO events, so the agent's threads sleep in poll(2) and
 * wake the moment an ack or a message is there.
 */
#include <errno.h>
#include <inttypes.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/log.h"
#include "core/ratelog.h"
#include "driver/driver.h"
#include "driver/kafka_faults.h"
#include "driver/kafka_names.h"
#include "driver/kafka_props.h"

#define LOGGER "KafkaDriver"
#define METADATA_TIMEOUT_MS 10000
#define ADMIN_TIMEOUT_MS 30000
#define TOPIC_BATCH 500
#define COMMIT_INTERVAL_NS 100000000LL /* commit consumed offsets at most every 100 ms */

struct kafka_conf {
    int64_t replication_factor;
    int64_t embedded_brokers;
    struct ombc_props topic;
    struct ombc_props producer; /* common + producer */
    struct ombc_props consumer; /* common + consumer */
    bool auto_commit;
};

/* The embedded Kafka: a host handle carrying the mock brokers. */
/* Each struct whose pointer is a librdkafka handle's opaque starts with the
 * rate limiter its handle's log lines go through (log_cb). */
struct ombc_fixture {
    struct ombc_ratelog *log; /* &own_log */
    struct ombc_ratelog own_log;
    rd_kafka_t *host;
    rd_kafka_mock_cluster_t *mock;
    struct ombc_kafka_faults *faults; /* embeddedFaults; NULL when none */
    int64_t brokers;
};

struct ombc_admin {
    struct ombc_ratelog *log; /* &own_log */
    struct ombc_ratelog own_log;
    struct kafka_conf conf;
    rd_kafka_t *rk;                /* a real Kafka's; NULL on the embedded one */
    rd_kafka_mock_cluster_t *mock; /* the fixture's (not owned), or NULL */
    bool unhosted; /* embeddedBrokers without a fixture (ombc cleanup): no broker */
    char path[256];
};

struct ombc_client {
    struct ombc_ratelog log; /* shared by its producers and consumers (library threads) */
    struct kafka_conf conf;
    struct ombc_client_callbacks cb;
    int producer_wake_fd;
    int consumer_wake_fd;
};

struct ombc_producer {
    struct ombc_ratelog *log; /* the client's */
    struct ombc_client *client;
    rd_kafka_t *rk;
    rd_kafka_topic_t *rkt;
};

struct ombc_consumer {
    struct ombc_ratelog *log; /* the client's */
    struct ombc_client *client;
    rd_kafka_t *rk;
    int64_t last_commit_ns;
    /* Offset resets librdkafka logged (its threads, log_cb), not yet
     * reported through on_offset_reset (the consumer thread); atomic. */
    int64_t resets_pending;
};

static const char *const kafka_classes[] = {OMBC_KAFKA_DRIVER_CLASS, NULL};

/* The keys of a Kafka driver file: OMB's (Config.java) and ombc's extensions. */
static const struct ombc_conf_key_spec kafka_conf_keys[] = {
    {"replicationFactor", OMBC_CONF_SCALAR, "an integer"},
    {"reset", OMBC_CONF_SCALAR, "a boolean"},
    {"topicConfig", OMBC_CONF_SCALAR, "properties text"},
    {"commonConfig", OMBC_CONF_SCALAR, "properties text"},
    {"producerConfig", OMBC_CONF_SCALAR, "properties text"},
    {"consumerConfig", OMBC_CONF_SCALAR, "properties text"},
    {"embeddedBrokers", OMBC_CONF_SCALAR, "an integer"},
    {"embeddedFaults", OMBC_CONF_ANY, NULL}, /* checked by kafka_faults.c */
    {NULL, OMBC_CONF_ANY, NULL},
};

/* ---------------------------------------------------------------- config */

/* Applies props to a librdkafka conf through the Java-to-librdkafka table
 * (kafka_props.c); an unknown or invalid property is an error carrying
 * librdkafka's own message and the driver key it came from. */
static int apply_props(const char *where, const struct ombc_props *props, rd_kafka_conf_t *conf,
                       char *errstr, size_t errstr_size) {
    return ombc_kafka_props_apply(where, props, conf, errstr, errstr_size);
}

static void kafka_conf_fini(struct kafka_conf *kc) {
    ombc_props_fini(&kc->topic);
    ombc_props_fini(&kc->producer);
    ombc_props_fini(&kc->consumer);
}

static int kafka_conf_load(const struct ombc_driver_conf *dc, struct kafka_conf *kc,
                           char *errstr, size_t errstr_size) {
    memset(kc, 0, sizeof(*kc));
    int rc = ombc_driver_conf_int(dc, "replicationFactor", 1, 1, 32767, &kc->replication_factor,
                                  errstr, errstr_size);
    if (rc == 0)
        rc = ombc_driver_conf_int(dc, "embeddedBrokers", 0, 0, 64, &kc->embedded_brokers, errstr,
                                  errstr_size);
    if (rc == 0)
        rc = ombc_driver_conf_props(dc, "topicConfig", &kc->topic, errstr, errstr_size);
    if (rc == 0)
        rc = ombc_driver_conf_props(dc, "commonConfig", &kc->producer, errstr, errstr_size);
    if (rc == 0)
        rc = ombc_driver_conf_props(dc, "commonConfig", &kc->consumer, errstr, errstr_size);
    if (rc == 0)
        rc = ombc_driver_conf_props(dc, "producerConfig", &kc->producer, errstr, errstr_size);
    if (rc == 0)
        rc = ombc_driver_conf_props(dc, "consumerConfig", &kc->consumer, errstr, errstr_size);
    if (rc != 0) {
        kafka_conf_fini(kc);
        return rc;
    }
    const char *ac = ombc_props_get(&kc->consumer, "enable.auto.commit");
    kc->auto_commit = ac && strcmp(ac, "true") == 0;
    return 0;
}

#define LOG_INTERVAL_NS 1000000000LL /* a log facility or error text: one line a second */

/*
 * librdkafka's log lines, at most one per facility (COMMITFAIL, REQTMOUT...)
 * per second: a failing broker or a rebalance otherwise floods stderr with
 * one line per request. Suppressed lines are counted in the next one. The
 * handle's opaque starts with the rate limiter of the fixture, admin or
 * client it belongs to. Called from librdkafka's threads; never per message.
 */
static void log_cb(const rd_kafka_t *rk, int level, const char *fac, const char *buf) {
    struct ombc_ratelog *const *owner = rd_kafka_opaque(rk);
    /* A consumer's offset reset after an error ("Offset out of range": the
     * broker dropped what it was to read next) is only a warning of facility
     * OFFSET with auto.offset.reset earliest or latest (librdkafka's
     * rd_kafka_offset_reset; no consumer error): counted here, reported by
     * the consumer thread (kafka_consumer_poll). Every consumer's opaque is
     * its struct ombc_consumer (kafka_consumer_new). */
    if (owner && level == 4 && rd_kafka_type(rk) == RD_KAFKA_CONSUMER &&
        strcmp(fac, "OFFSET") == 0) {
        struct ombc_consumer *s = rd_kafka_opaque(rk);
        __atomic_add_fetch(&s->resets_pending, 1, __ATOMIC_RELAXED);
    }
    enum ombc_log_level l = level <= 3 ? OMBC_LOG_ERROR : level <= 4 ? OMBC_LOG_WARN
                            : level <= 6                ? OMBC_LOG_INFO
                                                        : OMBC_LOG_DEBUG;
    int64_t held = 0;
    if (owner && *owner && !ombc_ratelog_admit(*owner, fac, ombc_now_ns(), &held))
        return;
    if (held > 0)
        ombc_log(l, "librdkafka", "%s: %s (%" PRId64 " more like it in the last second)", fac,
                 buf, held);
    else
        ombc_log(l, "librdkafka", "%s: %s", fac, buf);
}

/* A librdkafka conf from props, with ombc's logger; NULL and errstr on error. */
/* owner: the handle's opaque, a struct that starts with its ratelog pointer. */
static rd_kafka_conf_t *make_conf(const char *where, const struct ombc_props *props, void *owner,
                                  char *errstr, size_t errstr_size) {
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    if (apply_props(where, props, conf, errstr, errstr_size) != 0) {
        rd_kafka_conf_destroy(conf);
        return NULL;
    }
    rd_kafka_conf_set_log_cb(conf, log_cb);
    rd_kafka_conf_set_opaque(conf, owner);
    return conf;
}

/* ------------------------------------------------------- a real Kafka */

static int admin_connect(struct ombc_admin *a, const struct ombc_driver_conf *dc, char *errstr,
                         size_t errstr_size) {
    char kerr[512];
    rd_kafka_conf_t *conf = make_conf(dc->path, &a->conf.producer, a, errstr, errstr_size);
    if (!conf)
        return OMBC_EINVAL;
    a->rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, kerr, sizeof(kerr));
    if (!a->rk) {
        rd_kafka_conf_destroy(conf);
        return ombc_errf(errstr, errstr_size, OMBC_EDRIVER, "%s: %s", dc->path, kerr);
    }
    const struct rd_kafka_metadata *md = NULL;
    rd_kafka_resp_err_t err = rd_kafka_metadata(a->rk, 0, NULL, &md, METADATA_TIMEOUT_MS);
    if (err) {
        const char *bs = ombc_props_get(&a->conf.producer, "bootstrap.servers");
        return ombc_errf(errstr, errstr_size, OMBC_ETIMEDOUT,
                         "%s: cannot reach Kafka at %s (bootstrap.servers) within %d s: %s",
                         dc->path, bs ? bs : "(bootstrap.servers not set)",
                         METADATA_TIMEOUT_MS / 1000, rd_kafka_err2str(err));
    }
    rd_kafka_metadata_destroy(md);
    return 0;
}

/* ------------------------------------------------------------- fixture */

static void kafka_fixture_stop(struct ombc_fixture *f) {
    if (!f)
        return;
    ombc_kafka_faults_destroy(f->faults); /* before the cluster it acts on */
    if (f->mock)
        rd_kafka_mock_cluster_destroy(f->mock);
    if (f->host)
        rd_kafka_destroy(f->host);
    ombc_ratelog_fini(&f->own_log);
    free(f);
}

static int start_mock(struct ombc_fixture *f, const struct ombc_driver_conf *dc, char *errstr,
                      size_t errstr_size) {
    char kerr[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set_log_cb(conf, log_cb);
    rd_kafka_conf_set_opaque(conf, f);
    /* The host handle only carries the mock brokers; it connects nowhere, so
     * its "no bootstrap.servers" notice is noise. */
    rd_kafka_conf_set(conf, "log_level", "3", kerr, sizeof(kerr));
    f->host = rd_kafka_new(RD_KAFKA_PRODUCER, conf, kerr, sizeof(kerr));
    if (!f->host) {
        rd_kafka_conf_destroy(conf);
        return ombc_errf(errstr, errstr_size, OMBC_EDRIVER, "%s: embedded Kafka: %s", dc->path,
                         kerr);
    }
    f->mock = rd_kafka_mock_cluster_new(f->host, (int)f->brokers);
    if (!f->mock)
        return ombc_errf(errstr, errstr_size, OMBC_EDRIVER,
                         "%s: embedded Kafka: cannot start %" PRId64 " mock brokers", dc->path,
                         f->brokers);
    return 0;
}

/* The clients' driver file: dc with the mock's address as bootstrap.servers
 * (at the end of commonConfig) and without the keys only the coordinator
 * reads. */
static int client_conf_for(const struct ombc_driver_conf *dc, const char *bootstraps,
                           struct ombc_driver_conf *out, char *errstr, size_t errstr_size) {
    const char *common = ombc_driver_conf_str(dc, "commonConfig", "");
    size_t n = strlen(common);
    size_t size = n + strlen(bootstraps) + 32;
    char *text = malloc(size);
    if (!text)
        return ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "%s: out of memory", dc->path);
    snprintf(text, size, "%s%sbootstrap.servers=%s\n", common,
             n > 0 && common[n - 1] != '\n' ? "\n" : "", bootstraps);
    const struct ombc_conf_edit edits[] = {
        {"commonConfig", text},
        {"embeddedBrokers", NULL},
        {"embeddedFaults", NULL},
    };
    int rc = ombc_driver_conf_edit(dc, edits, sizeof(edits) / sizeof(edits[0]), out, errstr,
                                   errstr_size);
    free(text);
    return rc;
}

static int kafka_fixture_start(const struct ombc_driver_conf *dc, struct ombc_fixture **out,
                               struct ombc_driver_conf *client_conf, char *errstr,
                               size_t errstr_size) {
    *out = NULL;
    struct kafka_conf kc;
    int rc = kafka_conf_load(dc, &kc, errstr, errstr_size);
    if (rc != 0)
        return rc;
    int64_t brokers = kc.embedded_brokers;
    bool topic_config = kc.topic.count > 0;
    kafka_conf_fini(&kc);
    if (brokers == 0)
        return 0; /* a real Kafka: nothing to host */
    struct ombc_fixture *f = calloc(1, sizeof(*f));
    if (!f)
        return ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "%s: out of memory", dc->path);
    ombc_ratelog_init(&f->own_log, "librdkafka", NULL, LOG_INTERVAL_NS, true);
    f->log = &f->own_log;
    f->brokers = brokers;
    struct ombc_driver_conf cc = {0};
    rc = ombc_kafka_faults_load(dc, brokers, &f->faults, errstr, errstr_size);
    if (rc == 0)
        rc = start_mock(f, dc, errstr, errstr_size);
    if (rc == 0)
        rc = client_conf_for(dc, rd_kafka_mock_cluster_bootstraps(f->mock), &cc, errstr,
                             errstr_size);
    if (rc == 0)
        rc = ombc_kafka_faults_start(f->faults, f->mock, errstr, errstr_size);
    if (rc != 0) {
        ombc_driver_conf_fini(&cc);
        kafka_fixture_stop(f);
        return rc;
    }
    OMBC_INFO(LOGGER, "Embedded Kafka: %" PRId64 " brokers at %s", brokers,
              rd_kafka_mock_cluster_bootstraps(f->mock));
    if (topic_config)
        OMBC_INFO(LOGGER, "Embedded Kafka: topicConfig is not applied (the mock has no topic "
                          "configs)");
    *client_conf = cc;
    *out = f;
    return 0;
}

/* The mock cluster's retention (librdkafka's rdkafka_mock.c, every
 * version ombc runs on): each partition keeps at most 5 MiB of message
 * sets, or 100,000 of them (a set holds one message or more, so 100,000
 * messages always fit), and drops the oldest beyond that. */
#define EMBEDDED_PARTITION_BYTES (5LL * 1024 * 1024)
#define EMBEDDED_PARTITION_MESSAGES 100000LL

static bool kafka_hosted_retention(const struct ombc_driver_conf *dc, int64_t *bytes,
                                   int64_t *messages) {
    int64_t brokers = 0;
    if (ombc_driver_conf_int(dc, "embeddedBrokers", 0, 0, 64, &brokers, NULL, 0) != 0 ||
        brokers == 0)
        return false; /* a real Kafka (a bad value is validate's to report) */
    *bytes = EMBEDDED_PARTITION_BYTES;
    *messages = EMBEDDED_PARTITION_MESSAGES;
    return true;
}

/* ----------------------------------------------------------------- admin */

static void kafka_admin_close(struct ombc_admin *a) {
    if (!a)
        return;
    if (a->rk)
        rd_kafka_destroy(a->rk);
    kafka_conf_fini(&a->conf);
    ombc_ratelog_fini(&a->own_log);
    free(a);
}

/*
 * Every client property of every section must be known to librdkafka and
 * have a valid value, alone and together (kafka_props.c); errors name the
 * file line and column the property is on and carry librdkafka's own
 * message. Quiet: kafka_validate, which `ombc run` and `ombc validate` call
 * first, has already warned about what the table changes.
 */
static int check_sections(const struct ombc_driver_conf *dc, char *errstr, size_t errstr_size) {
    return ombc_kafka_props_check(dc, false, errstr, errstr_size);
}

static int kafka_validate(const struct ombc_driver_conf *dc, char *errstr, size_t errstr_size) {
    struct kafka_conf kc;
    int rc = kafka_conf_load(dc, &kc, errstr, errstr_size);
    if (rc == 0) {
        struct ombc_kafka_faults *faults = NULL;
        rc = ombc_kafka_faults_load(dc, kc.embedded_brokers, &faults, errstr, errstr_size);
        ombc_kafka_faults_destroy(faults);
        kafka_conf_fini(&kc);
    }
    if (rc == 0) /* with warnings: run and validate both come here first */
        rc = ombc_kafka_props_check(dc, true, errstr, errstr_size);
    return rc;
}

static int kafka_admin_open(const struct ombc_driver_conf *dc, struct ombc_fixture *fixture,
                            struct ombc_admin **out, char *errstr, size_t errstr_size) {
    struct ombc_admin *a = calloc(1, sizeof(*a));
    if (!a)
        return ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "%s: out of memory", dc->path);
    ombc_ratelog_init(&a->own_log, "librdkafka", NULL, LOG_INTERVAL_NS, true);
    a->log = &a->own_log;
    snprintf(a->path, sizeof(a->path), "%s", dc->path);
    int rc = kafka_conf_load(dc, &a->conf, errstr, errstr_size);
    if (rc != 0) {
        ombc_ratelog_fini(&a->own_log);
        free(a);
        return rc;
    }
    rc = check_sections(dc, errstr, errstr_size);
    if (rc == 0 && fixture) {
        a->mock = fixture->mock;
        if (a->conf.replication_factor > fixture->brokers) {
            OMBC_INFO(LOGGER, "Embedded Kafka: replicationFactor %" PRId64 " lowered to %" PRId64,
                      a->conf.replication_factor, fixture->brokers);
            a->conf.replication_factor = fixture->brokers;
        }
    } else if (rc == 0 && a->conf.embedded_brokers > 0) {
        a->unhosted = true; /* the embedded Kafka is not running: nothing on it */
    } else if (rc == 0) {
        rc = admin_connect(a, dc, errstr, errstr_size);
    }
    if (rc != 0) {
        kafka_admin_close(a);
        return rc;
    }
    *out = a;
    return 0;
}

/* Runs one admin request on a temporary queue and returns its event. */
static rd_kafka_event_t *admin_wait(rd_kafka_queue_t *q, rd_kafka_event_type_t type) {
    int64_t deadline = ombc_now_ns() + (int64_t)ADMIN_TIMEOUT_MS * 1000000;
    while (ombc_now_ns() < deadline) {
        rd_kafka_event_t *ev = rd_kafka_queue_poll(q, 1000);
        if (!ev)
            continue;
        if (rd_kafka_event_type(ev) == type)
            return ev;
        rd_kafka_event_destroy(ev);
    }
    return NULL;
}

static int create_batch(struct ombc_admin *a, const char *const *names, int count, int partitions,
                        char *errstr, size_t errstr_size) {
    char kerr[512];
    rd_kafka_NewTopic_t **nt = calloc((size_t)count, sizeof(*nt));
    if (!nt)
        return OMBC_ENOMEM;
    int rc = 0;
    for (int i = 0; i < count && rc == 0; i++) {
        nt[i] = rd_kafka_NewTopic_new(names[i], partitions, (int)a->conf.replication_factor, kerr,
                                      sizeof(kerr));
        if (!nt[i]) {
            rc = ombc_errf(errstr, errstr_size, OMBC_EINVAL, "%s: topic %s: %s", a->path, names[i],
                           kerr);
            break;
        }
        for (size_t j = 0; j < a->conf.topic.count; j++)
            rd_kafka_NewTopic_set_config(nt[i], a->conf.topic.items[j].key,
                                         a->conf.topic.items[j].value);
    }
    if (rc == 0) {
        rd_kafka_queue_t *q = rd_kafka_queue_new(a->rk);
        rd_kafka_AdminOptions_t *opt = rd_kafka_AdminOptions_new(a->rk, RD_KAFKA_ADMIN_OP_ANY);
        rd_kafka_AdminOptions_set_operation_timeout(opt, ADMIN_TIMEOUT_MS, kerr, sizeof(kerr));
        rd_kafka_CreateTopics(a->rk, nt, (size_t)count, opt, q);
        rd_kafka_event_t *ev = admin_wait(q, RD_KAFKA_EVENT_CREATETOPICS_RESULT);
        if (!ev) {
            rc = ombc_errf(errstr, errstr_size, OMBC_ETIMEDOUT,
                           "%s: creating topics timed out after %d s", a->path,
                           ADMIN_TIMEOUT_MS / 1000);
        } else if (rd_kafka_event_error(ev)) {
            rc = ombc_errf(errstr, errstr_size, OMBC_EDRIVER, "%s: creating topics: %s", a->path,
                           rd_kafka_event_error_string(ev));
        } else {
            size_t n = 0;
            const rd_kafka_topic_result_t **res =
                rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(ev), &n);
            for (size_t i = 0; i < n && rc == 0; i++) {
                rd_kafka_resp_err_t e = rd_kafka_topic_result_error(res[i]);
                if (e && e != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS)
                    rc = ombc_errf(errstr, errstr_size, OMBC_EDRIVER,
                                   "%s: creating topic %s: %s", a->path,
                                   rd_kafka_topic_result_name(res[i]),
                                   rd_kafka_topic_result_error_string(res[i]));
            }
        }
        if (ev)
            rd_kafka_event_destroy(ev);
        rd_kafka_AdminOptions_destroy(opt);
        rd_kafka_queue_destroy(q);
    }
    for (int i = 0; i < count; i++)
        if (nt[i])
            rd_kafka_NewTopic_destroy(nt[i]);
    free(nt);
    return rc;
}

static int kafka_create_topics(struct ombc_admin *a, const char *const *names, int count,
                               int partitions, char *errstr, size_t errstr_size) {
    if (a->unhosted)
        return ombc_errf(errstr, errstr_size, OMBC_EINVAL,
                         "%s: the embedded Kafka is not running (its fixture was not started)",
                         a->path);
    if (a->mock) {
        for (int i = 0; i < count; i++) {
            rd_kafka_resp_err_t e = rd_kafka_mock_topic_create(a->mock, names[i], partitions,
                                                               (int)a->conf.replication_factor);
            if (e)
                return ombc_errf(errstr, errstr_size, OMBC_EDRIVER,
                                 "embedded Kafka: creating topic %s: %s", names[i],
                                 rd_kafka_err2str(e));
        }
        return 0;
    }
    for (int off = 0; off < count; off += TOPIC_BATCH) {
        int n = count - off < TOPIC_BATCH ? count - off : TOPIC_BATCH;
        int rc = create_batch(a, names + off, n, partitions, errstr, errstr_size);
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* The topics in the cluster's metadata; the embedded Kafka is new with every
 * run, so it never holds a topic of an earlier one (nor, once the run has
 * stopped it, of this one). */
static int kafka_list_topics(struct ombc_admin *a, char ***names, int *count, char *errstr,
                             size_t errstr_size) {
    *names = NULL;
    *count = 0;
    if (a->mock || a->unhosted)
        return 0;
    const struct rd_kafka_metadata *md = NULL;
    rd_kafka_resp_err_t e = rd_kafka_metadata(a->rk, 1, NULL, &md, ADMIN_TIMEOUT_MS);
    if (e)
        return ombc_errf(errstr, errstr_size, OMBC_EDRIVER, "%s: listing topics: %s", a->path,
                         rd_kafka_err2str(e));
    char **list = calloc((size_t)md->topic_cnt + 1, sizeof(*list));
    int n = 0, rc = list ? 0 : OMBC_ENOMEM;
    for (int i = 0; rc == 0 && i < md->topic_cnt; i++) {
        if (!(list[n] = strdup(md->topics[i].topic)))
            rc = OMBC_ENOMEM;
        else
            n++;
    }
    rd_kafka_metadata_destroy(md);
    if (rc) {
        for (int i = 0; i < n; i++)
            free(list[i]);
        free(list);
        return rc;
    }
    *names = list;
    *count = n;
    return 0;
}

/* Subscriptions are consumer groups: like OMB, they are left to the broker,
 * which drops a group's offsets offsets.retention.minutes after it empties
 * (and its topics are gone anyway). */
static int kafka_delete_topics(struct ombc_admin *a, const char *const *names, int count,
                               const struct ombc_broker_subscription *subs, int sub_count,
                               char *errstr, size_t errstr_size) {
    (void)subs;
    (void)sub_count;
    if (a->mock || a->unhosted || count == 0)
        return 0; /* the mock cannot delete; its topics go with the fixture */
    char kerr[512];
    rd_kafka_DeleteTopic_t **dt = calloc((size_t)count, sizeof(*dt));
    if (!dt)
        return OMBC_ENOMEM;
    for (int i = 0; i < count; i++)
        dt[i] = rd_kafka_DeleteTopic_new(names[i]);
    rd_kafka_queue_t *q = rd_kafka_queue_new(a->rk);
    rd_kafka_AdminOptions_t *opt = rd_kafka_AdminOptions_new(a->rk, RD_KAFKA_ADMIN_OP_ANY);
    rd_kafka_AdminOptions_set_operation_timeout(opt, ADMIN_TIMEOUT_MS, kerr, sizeof(kerr));
    rd_kafka_DeleteTopics(a->rk, dt, (size_t)count, opt, q);
    rd_kafka_event_t *ev = admin_wait(q, RD_KAFKA_EVENT_DELETETOPICS_RESULT);
    int rc = 0;
    if (!ev)
        rc = ombc_errf(errstr, errstr_size, OMBC_ETIMEDOUT, "%s: deleting topics timed out",
                       a->path);
    else if (rd_kafka_event_error(ev))
        rc = ombc_errf(errstr, errstr_size, OMBC_EDRIVER, "%s: deleting topics: %s", a->path,
                       rd_kafka_event_error_string(ev));
    if (ev)
        rd_kafka_event_destroy(ev);
    rd_kafka_AdminOptions_destroy(opt);
    rd_kafka_queue_destroy(q);
    rd_kafka_DeleteTopic_destroy_array(dt, (size_t)count);
    free(dt);
    return rc;
}

/* ---------------------------------------------------------------- client */

static int kafka_client_open(const struct ombc_driver_conf *dc,
                             const struct ombc_client_callbacks *cb, int producer_wake_fd,
                             int consumer_wake_fd, struct ombc_client **out, char *errstr,
                             size_t errstr_size) {
    struct ombc_client *c = calloc(1, sizeof(*c));
    if (!c)
        return ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "client: out of memory");
    int rc = kafka_conf_load(dc, &c->conf, errstr, errstr_size);
    if (rc != 0) {
        free(c);
        return rc;
    }
    ombc_ratelog_init(&c->log, "librdkafka", NULL, LOG_INTERVAL_NS, true);
    c->cb = *cb;
    c->producer_wake_fd = producer_wake_fd;
    c->consumer_wake_fd = consumer_wake_fd;
    *out = c;
    return 0;
}

static void kafka_client_close(struct ombc_client *c) {
    if (!c)
        return;
    kafka_conf_fini(&c->conf);
    ombc_ratelog_fini(&c->log);
    free(c);
}

/* Makes a queue signal fd (an eventfd: 8-byte writes) when it turns non-empty. */
static void wake_on(rd_kafka_queue_t *q, int fd) {
    static const uint64_t one = 1;
    if (fd >= 0)
        rd_kafka_queue_io_event_enable(q, fd, &one, sizeof(one));
}

static void dr_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
    (void)rk;
    struct ombc_producer *p = opaque;
    if (m->err)
        p->client->cb.on_sent(p->client->cb.ctx, m->_private, OMBC_EDRIVER,
                              rd_kafka_err2str(m->err));
    else
        p->client->cb.on_sent(p->client->cb.ctx, m->_private, 0, NULL);
}

static void kafka_producer_close(struct ombc_producer *p) {
    if (!p)
        return;
    if (p->rkt)
        rd_kafka_topic_destroy(p->rkt);
    if (p->rk) {
        /* The agent flushed before closing; what is still queued now would
         * only make destroy wait, so drop it. */
        rd_kafka_purge(p->rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
        rd_kafka_destroy(p->rk);
    }
    free(p);
}

static int kafka_producer_new(struct ombc_client *c, const char *topic, struct ombc_producer **out,
                              char *errstr, size_t errstr_size) {
    struct ombc_producer *p = calloc(1, sizeof(*p));
    if (!p)
        return ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "producer: out of memory");
    p->log = &c->log;
    p->client = c;
    char kerr[512];
    rd_kafka_conf_t *conf = make_conf("producer", &c->conf.producer, p, errstr, errstr_size);
    if (!conf) {
        free(p);
        return OMBC_EINVAL;
    }
    rd_kafka_conf_set_dr_msg_cb(conf, dr_cb); /* its opaque: p (make_conf) */
    p->rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, kerr, sizeof(kerr));
    if (!p->rk) {
        rd_kafka_conf_destroy(conf);
        free(p);
        return ombc_errf(errstr, errstr_size, OMBC_EDRIVER, "producer: %s", kerr);
    }
    p->rkt = rd_kafka_topic_new(p->rk, topic, NULL);
    if (!p->rkt) {
        kafka_producer_close(p);
        return ombc_errf(errstr, errstr_size, OMBC_EDRIVER, "producer topic %s: %s", topic,
                         rd_kafka_err2str(rd_kafka_last_error()));
    }
    rd_kafka_queue_t *q = rd_kafka_queue_get_main(p->rk);
    wake_on(q, c->producer_wake_fd);
    rd_kafka_queue_destroy(q);
    *out = p;
    return 0;
}

static int kafka_producer_send(struct ombc_producer *p, const void *key, size_t key_len,
                               const void *payload, size_t len, bool copy, void *msg_opaque) {
    /* Without F_COPY librdkafka neither copies nor frees the payload (the
     * agent keeps it until on_sent); with it, the copy shares the message's
     * one allocation. */
    if (rd_kafka_produce(p->rkt, RD_KAFKA_PARTITION_UA, copy ? RD_KAFKA_MSG_F_COPY : 0,
                         (void *)payload, len, key, key_len, msg_opaque) == 0)
        return 0;
    rd_kafka_resp_err_t e = rd_kafka_last_error();
    return e == RD_KAFKA_RESP_ERR__QUEUE_FULL ? OMBC_EAGAIN : OMBC_EDRIVER;
}

static int kafka_producer_poll(struct ombc_producer *p) {
    int total = 0, n;
    while ((n = rd_kafka_poll(p->rk, 0)) > 0)
        total += n;
    return total;
}

static int kafka_producer_flush(struct ombc_producer *p, int timeout_ms) {
    return rd_kafka_flush(p->rk, timeout_ms) == 0 ? 0 : OMBC_ETIMEDOUT;
}

static void kafka_consumer_close(struct ombc_consumer *s) {
    if (!s)
        return;
    if (s->rk) {
        rd_kafka_consumer_close(s->rk);
        rd_kafka_destroy(s->rk);
    }
    free(s);
}

static int kafka_consumer_new(struct ombc_client *c, const char *topic, const char *subscription,
                              struct ombc_consumer **out, char *errstr, size_t errstr_size) {
    struct ombc_consumer *s = calloc(1, sizeof(*s));
    if (!s)
        return ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "consumer: out of memory");
    s->log = &c->log;
    s->client = c;
    char kerr[512];
    rd_kafka_conf_t *conf = make_conf("consumer", &c->conf.consumer, s, errstr, errstr_size);
    if (!conf) {
        free(s);
        return OMBC_EINVAL;
    }
    if (rd_kafka_conf_set(conf, "group.id", subscription, kerr, sizeof(kerr)) != 0) {
        rd_kafka_conf_destroy(conf);
        free(s);
        return ombc_errf(errstr, errstr_size, OMBC_EINVAL, "consumer: %s", kerr);
    }
    s->rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, kerr, sizeof(kerr));
    if (!s->rk) {
        rd_kafka_conf_destroy(conf);
        free(s);
        return ombc_errf(errstr, errstr_size, OMBC_EDRIVER, "consumer: %s", kerr);
    }
    rd_kafka_poll_set_consumer(s->rk);
    rd_kafka_queue_t *q = rd_kafka_queue_get_consumer(s->rk);
    wake_on(q, c->consumer_wake_fd);
    rd_kafka_queue_destroy(q);

    rd_kafka_topic_partition_list_t *tl = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(tl, topic, RD_KAFKA_PARTITION_UA);
    rd_kafka_resp_err_t e = rd_kafka_subscribe(s->rk, tl);
    rd_kafka_topic_partition_list_destroy(tl);
    if (e) {
        kafka_consumer_close(s);
        return ombc_errf(errstr, errstr_size, OMBC_EDRIVER, "consumer: subscribe %s: %s", topic,
                         rd_kafka_err2str(e));
    }
    *out = s;
    return 0;
}

static int kafka_consumer_poll(struct ombc_consumer *s, int max) {
    int n = 0;
    while (n < max) {
        rd_kafka_message_t *m = rd_kafka_consumer_poll(s->rk, 0);
        if (!m)
            break;
        if (m->err) {
            if (m->err == RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET) /* auto.offset.reset=error */
                __atomic_add_fetch(&s->resets_pending, 1, __ATOMIC_RELAXED);
            if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
                const char *text = rd_kafka_message_errstr(m);
                int64_t held = 0;
                if (!ombc_ratelog_admit(s->log, text, ombc_now_ns(), &held))
                    ; /* held back, and counted */
                else if (held > 0)
                    OMBC_WARN(LOGGER, "consumer: %s (and %" PRId64 " more like it since the last "
                              "line)", text, held);
                else
                    OMBC_WARN(LOGGER, "consumer: %s", text);
            }
        } else {
            rd_kafka_timestamp_type_t tt;
            int64_t ts = rd_kafka_message_timestamp(m, &tt);
            s->client->cb.on_received(s->client->cb.ctx, m->payload, m->len, ts);
            n++;
        }
        rd_kafka_message_destroy(m);
    }
    if (__atomic_load_n(&s->resets_pending, __ATOMIC_RELAXED) > 0) {
        int64_t k = __atomic_exchange_n(&s->resets_pending, 0, __ATOMIC_RELAXED);
        if (k > 0 && s->client->cb.on_offset_reset)
            s->client->cb.on_offset_reset(s->client->cb.ctx, k);
    }
    /* OMB commits asynchronously after every non-empty poll; at thousands of
     * small polls a second that floods the group coordinator, so at most
     * every COMMIT_INTERVAL_NS. */
    if (n > 0 && !s->client->conf.auto_commit) {
        int64_t now = ombc_now_ns();
        if (now - s->last_commit_ns >= COMMIT_INTERVAL_NS) {
            rd_kafka_commit(s->rk, NULL, 1);
            s->last_commit_ns = now;
        }
    }
    return n;
}

static void kafka_client_version(char *buf, size_t size) {
    snprintf(buf, size, "librdkafka %s", rd_kafka_version_str());
}

const struct ombc_driver_ops ombc_kafka_driver = {
    .name = OMBC_KAFKA_DRIVER_NAME,
    .client_version = kafka_client_version,
    .driver_classes = kafka_classes,
    .conf_keys = kafka_conf_keys,
    .topic_prefix = "test-topic",
    .validate = kafka_validate,
    .fixture_start = kafka_fixture_start,
    .fixture_stop = kafka_fixture_stop,
    .hosted_retention = kafka_hosted_retention,
    .admin_open = kafka_admin_open,
    .create_topics = kafka_create_topics,
    .delete_topics = kafka_delete_topics,
    .list_topics = kafka_list_topics,
    .admin_close = kafka_admin_close,
    /* a client (rd_kafka_t) per producer and per consumer: polled each */
    .client_open = kafka_client_open,
    .client_close = kafka_client_close,
    .producer_new = kafka_producer_new,
    .producer_send = kafka_producer_send,
    .producer_poll = kafka_producer_poll,
    .producer_flush = kafka_producer_flush,
    .producer_close = kafka_producer_close,
    .consumer_new = kafka_consumer_new,
    .consumer_poll = kafka_consumer_poll,
    .consumer_close = kafka_consumer_close,
    /* librdkafka writes the wake fds itself (queue IO events) */
};
