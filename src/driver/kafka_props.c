/*
 * kafka_props: owns the Java-client-to-librdkafka property table of the
 * Kafka driver, the translation of one property through it, applying a
 * property list to a librdkafka configuration, and the load-time check of a
 * driver file's client properties (kafka_props.h). Which keys a driver file
 * may have, and what the driver does with the configurations, stay in
 * kafka.c; parsing the properties text is config/props.c's job.
 * Every name in the table was checked against librdkafka's CONFIGURATION.md
 * and the Java client's ProducerConfig, ConsumerConfig and CommonClientConfigs.
 */
#include "driver/kafka_props.h"

#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/units.h"
#include "core/log.h"

#define LOGGER "KafkaDriver"

/* How a value is converted on its way to librdkafka. */
enum conv {
    C_NONE,        /* as written */
    C_INT,         /* an integer (so it can be clamped), as written */
    C_BYTES_TO_KB, /* bytes to KiB, rounded up (buffer.memory) */
    C_MINUS1_TO_0, /* Java's -1 ("the OS default") is librdkafka's 0 */
    C_MAP,         /* one of the values spelled differently (value_map) */
    C_MAP_LIST,    /* a comma-separated list of such values */
};

struct rule {
    const char *java;       /* first: the public view reads these three */
    const char *librdkafka; /* NULL: the same name; "": none (Java-only) */
    const char *note;
    enum conv conv;
    long long max;   /* librdkafka's maximum after conversion; 0: none */
    bool replaced;   /* ombc sets it itself */
};

#define JAVA_ONLY(name, note) {name, "", note, C_NONE, 0, false}

/*
 * The translation table. Java names from Kafka's client documentation;
 * librdkafka's from its CONFIGURATION.md. A Java-only name is dropped only
 * when the librdkafka ombc runs on lacks it (newer ones have some).
 */
static const struct rule rules[] = {
    /* librdkafka has it under another name */
    {"buffer.memory", "queue.buffering.max.kbytes", "bytes to KiB, rounded up", C_BYTES_TO_KB,
     2147483647LL, false},
    {"max.request.size", "message.max.bytes", "bytes, as written", C_INT, 1000000000LL, false},
    {"fetch.max.wait.ms", "fetch.wait.max.ms", "milliseconds, as written", C_INT, 300000LL,
     false},
    {"receive.buffer.bytes", "socket.receive.buffer.bytes", "bytes; -1 (the OS default) is 0",
     C_MINUS1_TO_0, 100000000LL, false},
    {"send.buffer.bytes", "socket.send.buffer.bytes", "bytes; -1 (the OS default) is 0",
     C_MINUS1_TO_0, 100000000LL, false},
    /* the same name, a value spelled differently */
    {"auto.offset.reset", NULL, "none is librdkafka's error", C_MAP, 0, false},
    {"ssl.endpoint.identification.algorithm", NULL, "empty (no check) is librdkafka's none",
     C_MAP, 0, false},
    {"partition.assignment.strategy", NULL,
     "Java assignor classes are librdkafka's range, roundrobin, cooperative-sticky", C_MAP_LIST,
     0, false},
    /* the same name, a wider range in Java: clamped to librdkafka's maximum */
    {"request.timeout.ms", NULL, "at most 900000 in librdkafka", C_INT, 900000LL, false},
    {"linger.ms", NULL, "at most 900000 in librdkafka", C_INT, 900000LL, false},
    {"retry.backoff.ms", NULL, "at most 300000 in librdkafka", C_INT, 300000LL, false},
    /* set by ombc, as OMB's driver does */
    {"group.id", NULL, "ombc sets it to each subscription's name, as OMB does", C_NONE, 0, true},
    /* Java-only: librdkafka has no such property */
    JAVA_ONLY("default.api.timeout.ms", NULL),
    JAVA_ONLY("key.serializer", "ombc sends keys and payloads as bytes"),
    JAVA_ONLY("value.serializer", "ombc sends keys and payloads as bytes"),
    JAVA_ONLY("key.deserializer", "ombc receives keys and payloads as bytes"),
    JAVA_ONLY("value.deserializer", "ombc receives keys and payloads as bytes"),
    JAVA_ONLY("max.block.ms", "librdkafka never blocks a send; a full queue is retried"),
    JAVA_ONLY("partitioner.class", "librdkafka's is `partitioner`"),
    JAVA_ONLY("partitioner.ignore.keys", NULL),
    JAVA_ONLY("partitioner.adaptive.partitioning.enable", NULL),
    JAVA_ONLY("partitioner.availability.timeout.ms", NULL),
    JAVA_ONLY("interceptor.classes", NULL),
    JAVA_ONLY("metric.reporters", NULL),
    JAVA_ONLY("metrics.num.samples", NULL),
    JAVA_ONLY("metrics.recording.level", NULL),
    JAVA_ONLY("metrics.sample.window.ms", NULL),
    JAVA_ONLY("auto.include.jmx.reporter", NULL),
    JAVA_ONLY("enable.metrics.push", NULL),
    JAVA_ONLY("client.dns.lookup", NULL),
    JAVA_ONLY("metadata.max.idle.ms", NULL),
    JAVA_ONLY("retry.backoff.max.ms", NULL),
    JAVA_ONLY("socket.connection.setup.timeout.max.ms", NULL),
    JAVA_ONLY("max.poll.records", "ombc's consumers poll what is there"),
    JAVA_ONLY("exclude.internal.topics", NULL),
    JAVA_ONLY("internal.leave.group.on.close", NULL),
    JAVA_ONLY("group.protocol", NULL),
    JAVA_ONLY("group.remote.assignor", NULL),
    JAVA_ONLY("compression.gzip.level", "librdkafka's is compression.level"),
    JAVA_ONLY("compression.lz4.level", "librdkafka's is compression.level"),
    JAVA_ONLY("compression.zstd.level", "librdkafka's is compression.level"),
    JAVA_ONLY("security.providers", NULL),
    JAVA_ONLY("ssl.protocol", NULL),
    JAVA_ONLY("ssl.enabled.protocols", NULL),
    JAVA_ONLY("ssl.provider", NULL),
    JAVA_ONLY("ssl.keymanager.algorithm", NULL),
    JAVA_ONLY("ssl.trustmanager.algorithm", NULL),
    JAVA_ONLY("ssl.secure.random.implementation", NULL),
    JAVA_ONLY("ssl.engine.factory.class", NULL),
    JAVA_ONLY("ssl.keystore.type", "librdkafka's ssl.keystore.location is PKCS#12"),
    JAVA_ONLY("ssl.keystore.key", "librdkafka's is ssl.key.pem"),
    JAVA_ONLY("ssl.keystore.certificate.chain", "librdkafka's is ssl.certificate.pem"),
    JAVA_ONLY("ssl.truststore.location", "librdkafka reads PEM CA certificates: ssl.ca.location"),
    JAVA_ONLY("ssl.truststore.password", "librdkafka reads PEM CA certificates: ssl.ca.location"),
    JAVA_ONLY("ssl.truststore.type", "librdkafka reads PEM CA certificates: ssl.ca.location"),
    JAVA_ONLY("ssl.truststore.certificates", "librdkafka's is ssl.ca.pem"),
    JAVA_ONLY("sasl.jaas.config", "librdkafka takes sasl.username and sasl.password"),
    JAVA_ONLY("sasl.client.callback.handler.class", NULL),
    JAVA_ONLY("sasl.login.callback.handler.class", NULL),
    JAVA_ONLY("sasl.login.class", NULL),
    JAVA_ONLY("sasl.login.refresh.buffer.seconds", NULL),
    JAVA_ONLY("sasl.login.refresh.min.period.seconds", NULL),
    JAVA_ONLY("sasl.login.refresh.window.factor", NULL),
    JAVA_ONLY("sasl.login.refresh.window.jitter", NULL),
    JAVA_ONLY("sasl.kerberos.ticket.renew.jitter", NULL),
    JAVA_ONLY("sasl.kerberos.ticket.renew.window.factor", NULL),
};
#define NRULES (sizeof(rules) / sizeof(rules[0]))

/* Values of C_MAP and C_MAP_LIST rules spelled differently in Java. */
static const struct {
    const char *key, *java, *librdkafka;
} value_map[] = {
    {"auto.offset.reset", "none", "error"},
    {"ssl.endpoint.identification.algorithm", "", "none"},
    {"partition.assignment.strategy", "org.apache.kafka.clients.consumer.RangeAssignor", "range"},
    {"partition.assignment.strategy", "org.apache.kafka.clients.consumer.RoundRobinAssignor",
     "roundrobin"},
    {"partition.assignment.strategy",
     "org.apache.kafka.clients.consumer.CooperativeStickyAssignor", "cooperative-sticky"},
};
#define NVALUES (sizeof(value_map) / sizeof(value_map[0]))

bool ombc_kafka_prop_rule_get(size_t i, struct ombc_kafka_prop_rule *out) {
    if (i >= NRULES)
        return false;
    *out = (struct ombc_kafka_prop_rule){rules[i].java, rules[i].librdkafka, rules[i].note};
    return true;
}

static const struct rule *find_rule(const char *key) {
    for (size_t i = 0; i < NRULES; i++)
        if (strcmp(rules[i].java, key) == 0)
            return &rules[i];
    return NULL;
}

/* Whether this librdkafka knows the property name. */
static bool librdkafka_has(const char *name) {
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    size_t size = 0;
    rd_kafka_conf_res_t res = rd_kafka_conf_get(conf, name, NULL, &size);
    if (res == RD_KAFKA_CONF_UNKNOWN) { /* a topic property? */
        rd_kafka_topic_conf_t *tconf = rd_kafka_topic_conf_new();
        res = rd_kafka_topic_conf_get(tconf, name, NULL, &size);
        rd_kafka_topic_conf_destroy(tconf);
    }
    rd_kafka_conf_destroy(conf);
    return res != RD_KAFKA_CONF_UNKNOWN;
}

/* A decimal integer, nothing else (core/units). */
static bool parse_ll(const char *v, long long *out) {
    int64_t n;
    if (ombc_units_parse_int(v, INT64_MIN, INT64_MAX, &n, NULL, 0) != 0)
        return false;
    *out = (long long)n;
    return true;
}

/* librdkafka's spelling of the Java value v (len bytes) of key, or NULL. */
static const char *map_value(const char *key, const char *v, size_t len) {
    for (size_t i = 0; i < NVALUES; i++)
        if (strcmp(value_map[i].key, key) == 0 && strlen(value_map[i].java) == len &&
            strncmp(value_map[i].java, v, len) == 0)
            return value_map[i].librdkafka;
    return NULL;
}

/* C_MAP_LIST: maps each comma-separated item (spaces around it dropped). */
static void map_list(const char *key, const char *value, struct ombc_kafka_prop *out) {
    size_t used = 0;
    bool changed = false;
    out->buf[0] = '\0';
    for (const char *p = value; *p;) {
        const char *comma = strchr(p, ',');
        const char *end = comma ? comma : p + strlen(p);
        const char *b = p, *e = end;
        while (b < e && (*b == ' ' || *b == '\t'))
            b++;
        while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        const char *m = map_value(key, b, (size_t)(e - b));
        changed |= m != NULL;
        int n = m ? snprintf(out->buf + used, sizeof(out->buf) - used, "%s%s", used ? "," : "", m)
                  : snprintf(out->buf + used, sizeof(out->buf) - used, "%s%.*s", used ? "," : "",
                             (int)(e - b), b);
        if (n < 0 || (size_t)n >= sizeof(out->buf) - used)
            return; /* too long to rewrite: librdkafka judges it as written */
        used += (size_t)n;
        p = comma ? comma + 1 : end;
    }
    if (changed) {
        out->value = out->buf;
        out->action = OMBC_KAFKA_PROP_CONVERTED;
    }
}

int ombc_kafka_prop_translate(const char *key, const char *value, struct ombc_kafka_prop *out,
                              char *errstr, size_t errstr_size) {
    memset(out, 0, sizeof(*out));
    out->key = key;
    out->value = value;
    const struct rule *r = find_rule(key);
    if (!r)
        return 0;
    out->note = r->note;
    if (r->replaced) {
        out->action = OMBC_KAFKA_PROP_REPLACED;
        return 0;
    }
    if (r->librdkafka && r->librdkafka[0] == '\0') {
        if (!librdkafka_has(key)) {
            out->action = OMBC_KAFKA_PROP_DROPPED;
            out->key = NULL;
        }
        return 0;
    }
    if (r->librdkafka) {
        out->action = OMBC_KAFKA_PROP_RENAMED;
        out->key = r->librdkafka;
    }
    long long n;
    switch (r->conv) {
    case C_NONE: break;
    case C_MAP: {
        const char *m = map_value(key, value, strlen(value));
        if (m) {
            out->value = m;
            out->action = OMBC_KAFKA_PROP_CONVERTED;
        }
        break;
    }
    case C_MAP_LIST: map_list(key, value, out); break;
    case C_INT:
    case C_BYTES_TO_KB:
    case C_MINUS1_TO_0:
        if (!parse_ll(value, &n)) {
            if (r->conv == C_INT)
                break; /* not a number: librdkafka says what it expects */
            return ombc_errf(errstr, errstr_size, OMBC_EINVAL,
                             "%s: expected an integer number of bytes, got '%s'", key, value);
        }
        if (r->conv == C_BYTES_TO_KB) {
            if (n < 1)
                return ombc_errf(errstr, errstr_size, OMBC_EINVAL,
                                 "%s: must be > 0 bytes, got '%s'", key, value);
            n = n / 1024 + (n % 1024 != 0);
        } else if (r->conv == C_MINUS1_TO_0 && n == -1) {
            n = 0;
        }
        if (r->max > 0 && n > r->max) {
            n = r->max;
            out->clamped = true;
        }
        if (r->conv != C_INT || out->clamped) {
            snprintf(out->buf, sizeof(out->buf), "%lld", n);
            out->value = out->buf;
        }
        break;
    }
    return 0;
}

/* librdkafka's message without the line break it sometimes ends with. */
static const char *trim(char *msg) {
    size_t n = strlen(msg);
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        msg[--n] = '\0';
    return msg;
}

int ombc_kafka_props_apply(const char *where, const struct ombc_props *props, void *rd_conf,
                           char *errstr, size_t errstr_size) {
    rd_kafka_conf_t *conf = rd_conf;
    for (size_t i = 0; i < props->count; i++) {
        const struct ombc_prop *p = &props->items[i];
        struct ombc_kafka_prop t;
        char kerr[512];
        if (ombc_kafka_prop_translate(p->key, p->value, &t, kerr, sizeof(kerr)) != 0)
            return ombc_errf(errstr, errstr_size, OMBC_EINVAL, "%s: %s", where, kerr);
        if (t.action == OMBC_KAFKA_PROP_DROPPED)
            continue;
        if (rd_kafka_conf_set(conf, t.key, t.value, kerr, sizeof(kerr)) != RD_KAFKA_CONF_OK)
            return ombc_errf(errstr, errstr_size, OMBC_EINVAL, "%s: %s", where, trim(kerr));
    }
    return 0;
}

/* ------------------------------------------------------------ the check */

static const char *const sections[] = {"commonConfig", "producerConfig", "consumerConfig"};
#define NSECTIONS (sizeof(sections) / sizeof(sections[0]))

/* Tells the user, once, what happens to property p of section s (at line:col). */
static void report(const struct ombc_driver_conf *dc, const char *section, int line, int col,
                   const struct ombc_prop *p, const struct ombc_kafka_prop *t) {
    const char *sep = t->note ? " (" : "", *note = t->note ? t->note : "",
               *end = t->note ? ")" : "";
    switch (t->action) {
    case OMBC_KAFKA_PROP_DROPPED:
        OMBC_WARN(LOGGER,
                  "%s:%d:%d: %s: '%s' is a Java client property librdkafka does not have; left "
                  "out%s%s%s",
                  dc->path, line, col, section, p->key, sep, note, end);
        return;
    case OMBC_KAFKA_PROP_REPLACED:
        OMBC_WARN(LOGGER, "%s:%d:%d: %s: '%s' is not used: %s", dc->path, line, col, section,
                  p->key, note);
        return;
    case OMBC_KAFKA_PROP_RENAMED:
    case OMBC_KAFKA_PROP_CONVERTED:
        if (t->clamped)
            break; /* the warning below says it all */
        OMBC_INFO(LOGGER, "%s:%d:%d: %s: %s=%s is %s=%s for librdkafka%s%s%s", dc->path, line,
                  col, section, p->key, p->value, t->key, t->value, sep, note, end);
        break;
    case OMBC_KAFKA_PROP_PASS: break;
    }
    if (t->clamped)
        OMBC_WARN(LOGGER, "%s:%d:%d: %s: %s=%s is above librdkafka's maximum; using %s=%s",
                  dc->path, line, col, section, p->key, p->value, t->key, t->value);
}

/* Each property of one section: the table, then rd_kafka_conf_set. */
static int check_section(const struct ombc_driver_conf *dc, const char *section, bool warn,
                         char *errstr, size_t errstr_size) {
    const struct ombc_conf_entry *e = ombc_driver_conf_find(dc, section);
    if (!e)
        return 0;
    struct ombc_props props = {0};
    int rc = ombc_driver_conf_props(dc, section, &props, errstr, errstr_size);
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    for (size_t i = 0; rc == 0 && i < props.count; i++) {
        const struct ombc_prop *p = &props.items[i];
        int line, col;
        ombc_driver_conf_text_pos(dc, e, p->line, &line, &col);
        struct ombc_kafka_prop t;
        char kerr[512];
        if (ombc_kafka_prop_translate(p->key, p->value, &t, kerr, sizeof(kerr)) != 0) {
            rc = ombc_errf(errstr, errstr_size, OMBC_EINVAL, "%s:%d:%d: %s: %s", dc->path, line,
                           col, section, kerr);
            break;
        }
        if (warn)
            report(dc, section, line, col, p, &t);
        if (t.action != OMBC_KAFKA_PROP_DROPPED &&
            rd_kafka_conf_set(conf, t.key, t.value, kerr, sizeof(kerr)) != RD_KAFKA_CONF_OK)
            rc = ombc_errf(errstr, errstr_size, OMBC_EINVAL, "%s:%d:%d: %s: %s", dc->path, line,
                           col, section, trim(kerr));
    }
    rd_kafka_conf_destroy(conf);
    ombc_props_fini(&props);
    return rc;
}

/* The place of the first section present among names (the file's start otherwise). */
static void section_pos(const struct ombc_driver_conf *dc, const char *const *names, size_t n,
                        int *line, int *col) {
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < n; i++) {
        const struct ombc_conf_entry *e = ombc_driver_conf_find(dc, names[i]);
        if (e) {
            *line = e->line;
            *col = e->column;
            return;
        }
    }
}

static void quiet_log(const rd_kafka_t *rk, int level, const char *fac, const char *buf) {
    (void)rk;
    (void)level;
    (void)fac;
    (void)buf;
}

/*
 * One client configuration (common + its own section) through rd_kafka_new,
 * which checks what rd_kafka_conf_set cannot: combinations of properties.
 * Without a broker list it connects nowhere; it is destroyed at once.
 */
static int check_client(const struct ombc_driver_conf *dc, rd_kafka_type_t type,
                        const char *section, char *errstr, size_t errstr_size) {
    struct ombc_props props = {0}, kept = {0};
    int rc = ombc_driver_conf_props(dc, "commonConfig", &props, errstr, errstr_size);
    if (rc == 0)
        rc = ombc_driver_conf_props(dc, section, &props, errstr, errstr_size);
    for (size_t i = 0; rc == 0 && i < props.count; i++) { /* no broker: it connects nowhere */
        const char *k = props.items[i].key;
        if (strcmp(k, "bootstrap.servers") != 0 && strcmp(k, "metadata.broker.list") != 0 &&
            ombc_props_set(&kept, k, props.items[i].value) != 0)
            rc = ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "%s: out of memory", dc->path);
    }
    ombc_props_fini(&props);
    if (rc != 0) {
        ombc_props_fini(&kept);
        return rc;
    }
    int line, col;
    const char *const names[] = {section, "commonConfig"};
    section_pos(dc, names, 2, &line, &col);
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    char kerr[512];
    rc = ombc_kafka_props_apply(section, &kept, conf, kerr, sizeof(kerr));
    ombc_props_fini(&kept);
    if (rc != 0) {
        rd_kafka_conf_destroy(conf);
        return ombc_errf(errstr, errstr_size, rc, "%s:%d:%d: %s", dc->path, line, col, kerr);
    }
    /* Quiet, and no kinit run for a Kerberos configuration: a check starts
     * nothing outside the process. */
    rd_kafka_conf_set(conf, "log_level", "0", kerr, sizeof(kerr));
    rd_kafka_conf_set(conf, "sasl.kerberos.min.time.before.relogin", "0", kerr, sizeof(kerr));
    if (type == RD_KAFKA_CONSUMER)
        rd_kafka_conf_set(conf, "group.id", "ombc-validate", kerr, sizeof(kerr));
    rd_kafka_conf_set_log_cb(conf, quiet_log);
    rd_kafka_t *rk = rd_kafka_new(type, conf, kerr, sizeof(kerr));
    if (!rk) {
        rd_kafka_conf_destroy(conf);
        return ombc_errf(errstr, errstr_size, OMBC_EINVAL, "%s:%d:%d: %s: %s", dc->path, line,
                         col, section, trim(kerr));
    }
    rd_kafka_destroy(rk);
    return 0;
}

/* `reset` (OMB: delete every topic first) and embeddedBrokers with a broker list. */
static int check_keys(const struct ombc_driver_conf *dc, bool warn, char *errstr,
                      size_t errstr_size) {
    bool reset = false;
    int rc = ombc_driver_conf_bool(dc, "reset", false, &reset, errstr, errstr_size);
    if (rc != 0)
        return rc;
    const struct ombc_conf_entry *r = ombc_driver_conf_find(dc, "reset");
    if (reset && warn)
        OMBC_WARN(LOGGER,
                  "%s:%d:%d: reset: true is not done: ombc deletes no topic it did not create "
                  "(OMB's driver deletes every topic of the cluster first)",
                  dc->path, r->line, r->column);
    int64_t brokers = 0;
    rc = ombc_driver_conf_int(dc, "embeddedBrokers", 0, 0, INT64_MAX, &brokers, errstr,
                              errstr_size);
    if (rc != 0 || brokers == 0)
        return 0; /* the Kafka driver reports a bad embeddedBrokers itself */
    for (size_t s = 0; s < NSECTIONS; s++) {
        const struct ombc_conf_entry *e = ombc_driver_conf_find(dc, sections[s]);
        if (!e)
            continue;
        struct ombc_props props = {0};
        rc = ombc_driver_conf_props(dc, sections[s], &props, errstr, errstr_size);
        for (size_t i = 0; rc == 0 && i < props.count; i++) {
            const char *k = props.items[i].key;
            if (strcmp(k, "bootstrap.servers") != 0 && strcmp(k, "metadata.broker.list") != 0)
                continue;
            const struct ombc_conf_entry *b = ombc_driver_conf_find(dc, "embeddedBrokers");
            int line, col;
            ombc_driver_conf_text_pos(dc, e, props.items[i].line, &line, &col);
            rc = ombc_errf(errstr, errstr_size, OMBC_EINVAL,
                           "%s:%d:%d: %s: %s is set, but embeddedBrokers (line %d) starts an "
                           "embedded Kafka instead; remove one of them",
                           dc->path, line, col, sections[s], k, b ? b->line : 0);
        }
        ombc_props_fini(&props);
        if (rc != 0)
            return rc;
    }
    return 0;
}

int ombc_kafka_props_check(const struct ombc_driver_conf *dc, bool warn, char *errstr,
                           size_t errstr_size) {
    int rc = check_keys(dc, warn, errstr, errstr_size);
    for (size_t s = 0; rc == 0 && s < NSECTIONS; s++)
        rc = check_section(dc, sections[s], warn, errstr, errstr_size);
    if (rc == 0)
        rc = check_client(dc, RD_KAFKA_PRODUCER, "producerConfig", errstr, errstr_size);
    if (rc == 0)
        rc = check_client(dc, RD_KAFKA_CONSUMER, "consumerConfig", errstr, errstr_size);
    return rc;
}
