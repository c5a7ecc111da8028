/*
 * test_kafka_props: unit tests of the Kafka driver's Java-to-librdkafka
 * property table and check (src/driver/kafka_props.c): one case per table
 * entry (and a check that no entry lacks one), properties the table does
 * not know, malformed values, applying a list to a librdkafka
 * configuration, and the load-time check of whole driver files with its
 * FILE:LINE:COL errors and warnings. No broker: librdkafka is only
 * configured, and its handles connect nowhere.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <librdkafka/rdkafka.h>

#include "config/driver_conf.h"
#include "config/props.h"
#include "core/err.h"
#include "core/log.h"
#include "driver/kafka_props.h"
#include "unit/shared_dir.h"

/* Whether this librdkafka has the property (global or topic level). */
static bool librdkafka_has(const char *name) {
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_topic_conf_t *tconf = rd_kafka_topic_conf_new();
    size_t size = 0;
    bool has = rd_kafka_conf_get(conf, name, NULL, &size) != RD_KAFKA_CONF_UNKNOWN ||
               rd_kafka_topic_conf_get(tconf, name, NULL, &size) != RD_KAFKA_CONF_UNKNOWN;
    rd_kafka_topic_conf_destroy(tconf);
    rd_kafka_conf_destroy(conf);
    return has;
}

#define DROP OMBC_KAFKA_PROP_DROPPED
#define PASS OMBC_KAFKA_PROP_PASS
#define RENAME OMBC_KAFKA_PROP_RENAMED
#define CONVERT OMBC_KAFKA_PROP_CONVERTED
#define REPLACE OMBC_KAFKA_PROP_REPLACED

/* One case per table entry: what a Java value becomes for librdkafka. */
static const struct entry_case {
    const char *java, *value;
    enum ombc_kafka_prop_action action; /* DROP: dropped when librdkafka lacks the name */
    const char *key, *out;              /* what librdkafka gets (DROP: unused) */
    bool clamped;
} entry_cases[] = {
    {"buffer.memory", "33554432", RENAME, "queue.buffering.max.kbytes", "32768", false},
    {"max.request.size", "1048576", RENAME, "message.max.bytes", "1048576", false},
    {"fetch.max.wait.ms", "500", RENAME, "fetch.wait.max.ms", "500", false},
    {"receive.buffer.bytes", "-1", RENAME, "socket.receive.buffer.bytes", "0", false},
    {"send.buffer.bytes", "131072", RENAME, "socket.send.buffer.bytes", "131072", false},
    {"auto.offset.reset", "none", CONVERT, "auto.offset.reset", "error", false},
    {"ssl.endpoint.identification.algorithm", "", CONVERT,
     "ssl.endpoint.identification.algorithm", "none", false},
    {"partition.assignment.strategy",
     "org.apache.kafka.clients.consumer.RangeAssignor,"
     "org.apache.kafka.clients.consumer.RoundRobinAssignor",
     CONVERT, "partition.assignment.strategy", "range,roundrobin", false},
    {"request.timeout.ms", "1200000", PASS, "request.timeout.ms", "900000", true},
    {"linger.ms", "1000000", PASS, "linger.ms", "900000", true},
    {"retry.backoff.ms", "400000", PASS, "retry.backoff.ms", "300000", true},
    {"group.id", "g", REPLACE, "group.id", "g", false},
    {"default.api.timeout.ms", "1200000", DROP, NULL, NULL, false},
    {"key.serializer", "org.apache.kafka.common.serialization.StringSerializer", DROP, NULL, NULL,
     false},
    {"value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer", DROP, NULL,
     NULL, false},
    {"key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer", DROP, NULL,
     NULL, false},
    {"value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer", DROP,
     NULL, NULL, false},
    {"max.block.ms", "60000", DROP, NULL, NULL, false},
    {"partitioner.class", "org.apache.kafka.clients.producer.RoundRobinPartitioner", DROP, NULL,
     NULL, false},
    {"partitioner.ignore.keys", "false", DROP, NULL, NULL, false},
    {"partitioner.adaptive.partitioning.enable", "true", DROP, NULL, NULL, false},
    {"partitioner.availability.timeout.ms", "0", DROP, NULL, NULL, false},
    {"interceptor.classes", "x.Y", DROP, NULL, NULL, false},
    {"metric.reporters", "x.Y", DROP, NULL, NULL, false},
    {"metrics.num.samples", "2", DROP, NULL, NULL, false},
    {"metrics.recording.level", "INFO", DROP, NULL, NULL, false},
    {"metrics.sample.window.ms", "30000", DROP, NULL, NULL, false},
    {"auto.include.jmx.reporter", "true", DROP, NULL, NULL, false},
    {"enable.metrics.push", "false", DROP, NULL, NULL, false},
    {"client.dns.lookup", "use_all_dns_ips", DROP, NULL, NULL, false},
    {"metadata.max.idle.ms", "300000", DROP, NULL, NULL, false},
    {"retry.backoff.max.ms", "1000", DROP, NULL, NULL, false},
    {"socket.connection.setup.timeout.max.ms", "30000", DROP, NULL, NULL, false},
    {"max.poll.records", "500", DROP, NULL, NULL, false},
    {"exclude.internal.topics", "true", DROP, NULL, NULL, false},
    {"internal.leave.group.on.close", "true", DROP, NULL, NULL, false},
    {"group.protocol", "classic", DROP, NULL, NULL, false},
    {"group.remote.assignor", "uniform", DROP, NULL, NULL, false},
    {"compression.gzip.level", "6", DROP, NULL, NULL, false},
    {"compression.lz4.level", "9", DROP, NULL, NULL, false},
    {"compression.zstd.level", "3", DROP, NULL, NULL, false},
    {"security.providers", "x.Y", DROP, NULL, NULL, false},
    {"ssl.protocol", "TLSv1.3", DROP, NULL, NULL, false},
    {"ssl.enabled.protocols", "TLSv1.2,TLSv1.3", DROP, NULL, NULL, false},
    {"ssl.provider", "SunJSSE", DROP, NULL, NULL, false},
    {"ssl.keymanager.algorithm", "SunX509", DROP, NULL, NULL, false},
    {"ssl.trustmanager.algorithm", "PKIX", DROP, NULL, NULL, false},
    {"ssl.secure.random.implementation", "SHA1PRNG", DROP, NULL, NULL, false},
    {"ssl.engine.factory.class", "x.Y", DROP, NULL, NULL, false},
    {"ssl.keystore.type", "JKS", DROP, NULL, NULL, false},
    {"ssl.keystore.key", "-----BEGIN", DROP, NULL, NULL, false},
    {"ssl.keystore.certificate.chain", "-----BEGIN", DROP, NULL, NULL, false},
    {"ssl.truststore.location", "/etc/ts.jks", DROP, NULL, NULL, false},
    {"ssl.truststore.password", "secret", DROP, NULL, NULL, false},
    {"ssl.truststore.type", "JKS", DROP, NULL, NULL, false},
    {"ssl.truststore.certificates", "-----BEGIN", DROP, NULL, NULL, false},
    {"sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required;",
     DROP, NULL, NULL, false},
    {"sasl.client.callback.handler.class", "x.Y", DROP, NULL, NULL, false},
    {"sasl.login.callback.handler.class", "x.Y", DROP, NULL, NULL, false},
    {"sasl.login.class", "x.Y", DROP, NULL, NULL, false},
    {"sasl.login.refresh.buffer.seconds", "300", DROP, NULL, NULL, false},
    {"sasl.login.refresh.min.period.seconds", "60", DROP, NULL, NULL, false},
    {"sasl.login.refresh.window.factor", "0.8", DROP, NULL, NULL, false},
    {"sasl.login.refresh.window.jitter", "0.05", DROP, NULL, NULL, false},
    {"sasl.kerberos.ticket.renew.jitter", "0.05", DROP, NULL, NULL, false},
    {"sasl.kerberos.ticket.renew.window.factor", "0.8", DROP, NULL, NULL, false},
};
#define NENTRY_CASES (sizeof(entry_cases) / sizeof(entry_cases[0]))

/* Checks one case: translation, then librdkafka accepts what it gets. */
static void check_entry_case(const struct entry_case *c) {
    struct ombc_kafka_prop t;
    char err[256] = "";
    if (ombc_kafka_prop_translate(c->java, c->value, &t, err, sizeof(err)) != 0)
        fail_msg("%s=%s: %s", c->java, c->value, err);
    if (c->action == DROP) {
        if (librdkafka_has(c->java)) { /* a newer librdkafka has it: passed on */
            assert_int_equal(t.action, PASS);
            assert_string_equal(t.key, c->java);
            assert_string_equal(t.value, c->value);
        } else {
            assert_int_equal(t.action, DROP);
            assert_null(t.key);
        }
        return;
    }
    if (t.action != c->action)
        fail_msg("%s: action %d, expected %d", c->java, t.action, c->action);
    assert_string_equal(t.key, c->key);
    assert_string_equal(t.value, c->out);
    assert_int_equal(t.clamped, c->clamped);
    /* librdkafka takes the result */
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    char kerr[512];
    if (rd_kafka_conf_set(conf, t.key, t.value, kerr, sizeof(kerr)) != RD_KAFKA_CONF_OK)
        fail_msg("%s=%s: librdkafka refuses %s=%s: %s", c->java, c->value, t.key, t.value, kerr);
    rd_kafka_conf_destroy(conf);
}

/* Every table entry has its case, and every case passes. */
static void test_every_table_entry(void **state) {
    (void)state;
    struct ombc_kafka_prop_rule r;
    size_t n = 0;
    for (; ombc_kafka_prop_rule_get(n, &r); n++) {
        const struct entry_case *c = NULL;
        for (size_t i = 0; i < NENTRY_CASES && !c; i++)
            if (strcmp(entry_cases[i].java, r.java) == 0)
                c = &entry_cases[i];
        if (!c)
            fail_msg("table entry %s has no test case", r.java);
        /* the public view agrees with the case */
        if (c->action == DROP)
            assert_string_equal(r.librdkafka, "");
        else if (c->action == RENAME)
            assert_string_equal(r.librdkafka, c->key);
        else
            assert_null(r.librdkafka);
        check_entry_case(c);
    }
    assert_int_equal(n, NENTRY_CASES);
    /* the targets of renames exist in librdkafka, the Java names do not */
    for (size_t i = 0; i < NENTRY_CASES; i++) {
        if (entry_cases[i].action != RENAME)
            continue;
        assert_true(librdkafka_has(entry_cases[i].key));
        assert_false(librdkafka_has(entry_cases[i].java));
    }
}

/* The edges of each conversion. */
static void test_conversions(void **state) {
    (void)state;
    static const struct {
        const char *java, *value, *key, *out;
        bool clamped;
    } cases[] = {
        {"buffer.memory", "1", "queue.buffering.max.kbytes", "1", false},
        {"buffer.memory", "1024", "queue.buffering.max.kbytes", "1", false},
        {"buffer.memory", "1025", "queue.buffering.max.kbytes", "2", false},
        {"buffer.memory", "9223372036854775807", "queue.buffering.max.kbytes", "2147483647",
         true},
        {"max.request.size", "2000000000", "message.max.bytes", "1000000000", true},
        {"max.request.size", "big", "message.max.bytes", "big", false}, /* librdkafka's turn */
        {"fetch.max.wait.ms", "300001", "fetch.wait.max.ms", "300000", true},
        {"receive.buffer.bytes", "65536", "socket.receive.buffer.bytes", "65536", false},
        {"send.buffer.bytes", "-1", "socket.send.buffer.bytes", "0", false},
        {"send.buffer.bytes", "200000000", "socket.send.buffer.bytes", "100000000", true},
        {"auto.offset.reset", "earliest", "auto.offset.reset", "earliest", false},
        {"auto.offset.reset", "latest", "auto.offset.reset", "latest", false},
        {"ssl.endpoint.identification.algorithm", "https",
         "ssl.endpoint.identification.algorithm", "https", false},
        {"partition.assignment.strategy",
         " org.apache.kafka.clients.consumer.CooperativeStickyAssignor ",
         "partition.assignment.strategy", "cooperative-sticky", false},
        {"partition.assignment.strategy", "range,roundrobin", "partition.assignment.strategy",
         "range,roundrobin", false},
        {"request.timeout.ms", "900000", "request.timeout.ms", "900000", false},
        {"request.timeout.ms", "30000", "request.timeout.ms", "30000", false},
        {"linger.ms", "1", "linger.ms", "1", false},
        {"bootstrap.servers", "localhost:9092", "bootstrap.servers", "localhost:9092", false},
        {"no.such.property", "1", "no.such.property", "1", false}, /* librdkafka refuses it */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct ombc_kafka_prop t;
        char err[256] = "";
        if (ombc_kafka_prop_translate(cases[i].java, cases[i].value, &t, err, sizeof(err)) != 0)
            fail_msg("%s=%s: %s", cases[i].java, cases[i].value, err);
        assert_string_equal(t.key, cases[i].key);
        assert_string_equal(t.value, cases[i].out);
        assert_int_equal(t.clamped, cases[i].clamped);
    }
    /* Malformed values of a unit conversion are errors. */
    static const struct {
        const char *java, *value, *msg;
    } bad[] = {
        {"buffer.memory", "lots", "buffer.memory: expected an integer number of bytes, got 'lots'"},
        {"buffer.memory", "", "buffer.memory: expected an integer number of bytes, got ''"},
        {"buffer.memory", "0", "buffer.memory: must be > 0 bytes, got '0'"},
        {"buffer.memory", "-5", "buffer.memory: must be > 0 bytes, got '-5'"},
        {"buffer.memory", "99999999999999999999",
         "buffer.memory: expected an integer number of bytes, got '99999999999999999999'"},
        {"receive.buffer.bytes", "1k",
         "receive.buffer.bytes: expected an integer number of bytes, got '1k'"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct ombc_kafka_prop t;
        char err[256] = "";
        assert_int_equal(ombc_kafka_prop_translate(bad[i].java, bad[i].value, &t, err,
                                                   sizeof(err)),
                         OMBC_EINVAL);
        assert_string_equal(err, bad[i].msg);
    }
}

static void test_apply(void **state) {
    (void)state;
    struct ombc_props p = {0};
    char err[512] = "";
    assert_int_equal(ombc_props_parse(&p,
                                      "buffer.memory=2048\nkey.serializer=x\n"
                                      "request.timeout.ms=1200000\nacks=all\n",
                                      err, sizeof(err)),
                     0);
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    assert_int_equal(ombc_kafka_props_apply("producer", &p, conf, err, sizeof(err)), 0);
    char v[64];
    size_t size = sizeof(v);
    assert_int_equal(rd_kafka_conf_get(conf, "queue.buffering.max.kbytes", v, &size),
                     RD_KAFKA_CONF_OK);
    assert_string_equal(v, "2");
    size = sizeof(v);
    rd_kafka_topic_conf_t *tc = rd_kafka_conf_get_default_topic_conf(conf);
    assert_non_null(tc);
    assert_int_equal(rd_kafka_topic_conf_get(tc, "request.timeout.ms", v, &size),
                     RD_KAFKA_CONF_OK);
    assert_string_equal(v, "900000");
    rd_kafka_conf_destroy(conf);
    ombc_props_fini(&p);

    /* librdkafka's refusal, its trailing line break trimmed */
    assert_int_equal(ombc_props_parse(&p, "request.timeout.ms=0\n", err, sizeof(err)), 0);
    conf = rd_kafka_conf_new();
    assert_int_equal(ombc_kafka_props_apply("producer", &p, conf, err, sizeof(err)), OMBC_EINVAL);
    assert_string_equal(err, "producer: Configuration property \"request.timeout.ms\" value 0 is "
                             "outside allowed range 1..900000");
    rd_kafka_conf_destroy(conf);
    ombc_props_fini(&p);
}

/* Runs the check of a driver text with stderr captured into *log (to free). */
static int check_text(const char *text, char *err, size_t err_size, char **log) {
    struct ombc_driver_conf c;
    int rc = ombc_driver_conf_parse("d.yaml", text, strlen(text), &c, err, err_size);
    if (rc != 0)
        fail_msg("parse: %s", err);
    char log_path[] = "/tmp/ombc_kprops_log_XXXXXX";
    int fd = mkstemp(log_path);
    assert_true(fd >= 0);
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    dup2(fd, STDERR_FILENO);
    rc = ombc_kafka_props_check(&c, true, err, err_size);
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    off_t size = lseek(fd, 0, SEEK_END);
    *log = calloc(1, (size_t)size + 1);
    assert_int_equal(pread(fd, *log, (size_t)size, 0), (ssize_t)size);
    close(fd);
    unlink(log_path);
    ombc_driver_conf_fini(&c);
    return rc;
}

#define HEAD "name: K\ndriverClass: io.openmessaging.benchmark.driver.kafka.KafkaBenchmarkDriver\n"

static void test_check_errors(void **state) {
    (void)state;
    static const struct {
        const char *text, *msg;
    } cases[] = {
        {HEAD "producerConfig: |\n  acks=1\n  no.such.property=1\n",
         "d.yaml:5:3: producerConfig: No such configuration property: \"no.such.property\""},
        {HEAD "commonConfig: |\n  acks=sometimes\n",
         "d.yaml:4:3: commonConfig: Invalid value for configuration property "
         "\"request.required.acks\""},
        {HEAD "consumerConfig: |\n\n  # comment\n    fetch.min.bytes=0\n",
         "d.yaml:6:5: consumerConfig: Configuration property \"fetch.min.bytes\" value 0 is "
         "outside allowed range 1..100000000"},
        {HEAD "producerConfig: |\n  buffer.memory=lots\n",
         "d.yaml:4:3: producerConfig: buffer.memory: expected an integer number of bytes, got "
         "'lots'"},
        {HEAD "producerConfig: |\n  enable.idempotence=true\n  acks=1\n",
         "d.yaml:3:17: producerConfig: `acks` must be set to `all` when `enable.idempotence` is "
         "true"},
        {HEAD "commonConfig: |\n  enable.idempotence=true\n  acks=0\n",
         "d.yaml:3:15: producerConfig: `acks` must be set to `all` when `enable.idempotence` is "
         "true"},
        {HEAD "consumerConfig: |\n  partition.assignment.strategy=org.apache.kafka.clients."
              "consumer.StickyAssignor\n",
         "d.yaml:3:17: consumerConfig: Unsupported partition.assignment.strategy: "
         "org.apache.kafka.clients.consumer.StickyAssignor"},
        {HEAD "embeddedBrokers: 1\ncommonConfig: |\n  client.id=x\n  bootstrap.servers=h:9092\n",
         "d.yaml:6:3: commonConfig: bootstrap.servers is set, but embeddedBrokers (line 3) "
         "starts an embedded Kafka instead; remove one of them"},
        {HEAD "reset: sometimes\n",
         "d.yaml:3:8: key 'reset': expected a boolean (true/false), got 'sometimes'"},
        /* a plain one-line value: the section's place */
        {HEAD "commonConfig: nope.nope=1\n",
         "d.yaml:3:15: commonConfig: No such configuration property: \"nope.nope\""},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char err[1024] = "", *log;
        int rc = check_text(cases[i].text, err, sizeof(err), &log);
        if (rc == 0)
            fail_msg("case %zu passed:\n%s", i, cases[i].text);
        assert_string_equal(err, cases[i].msg);
        free(log);
    }
}

static void test_check_warnings(void **state) {
    (void)state;
    char err[1024] = "", *log;
    int rc = check_text(HEAD "reset: true\n"
                             "commonConfig: |\n"
                             "  bootstrap.servers=localhost:9092\n"
                             "  default.api.timeout.ms=1200000\n"
                             "  request.timeout.ms=1200000\n"
                             "producerConfig: |\n"
                             "  buffer.memory=67108864\n"
                             "  max.request.size=2000000000\n"
                             "consumerConfig: |\n"
                             "  group.id=mine\n",
                        err, sizeof(err), &log);
    if (rc != 0)
        fail_msg("%s", err);
    static const char *const want[] = {
        "WARN  KafkaDriver - d.yaml:3:8: reset: true is not done: ombc deletes no topic it did "
        "not create",
        "WARN  KafkaDriver - d.yaml:6:3: commonConfig: 'default.api.timeout.ms' is a Java client "
        "property librdkafka does not have; left out\n",
        "WARN  KafkaDriver - d.yaml:7:3: commonConfig: request.timeout.ms=1200000 is above "
        "librdkafka's maximum; using request.timeout.ms=900000\n",
        "INFO  KafkaDriver - d.yaml:9:3: producerConfig: buffer.memory=67108864 is "
        "queue.buffering.max.kbytes=65536 for librdkafka (bytes to KiB, rounded up)\n",
        "WARN  KafkaDriver - d.yaml:10:3: producerConfig: max.request.size=2000000000 is above "
        "librdkafka's maximum; using message.max.bytes=1000000000\n",
        "WARN  KafkaDriver - d.yaml:12:3: consumerConfig: 'group.id' is not used: ombc sets it "
        "to each subscription's name, as OMB does\n",
    };
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        if (!strstr(log, want[i]))
            fail_msg("no '%s' in:\n%s", want[i], log);
    /* one line each, nothing else */
    int lines = 0;
    for (const char *p = log; *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines, 6);
    free(log);

    /* quiet when told so */
    struct ombc_driver_conf c;
    const char *text = HEAD "commonConfig: |\n  default.api.timeout.ms=1\n";
    assert_int_equal(ombc_driver_conf_parse("q.yaml", text, strlen(text), &c, err, sizeof(err)),
                     0);
    assert_int_equal(ombc_kafka_props_check(&c, false, err, sizeof(err)), 0);
    ombc_driver_conf_fini(&c);
}

/* OMB's own Kafka driver files pass, with the warnings the README names. */
static void test_omb_files(void **state) {
    (void)state;
    static const char *const files[] = {"kafka-latency.yaml", "kafka-throughput.yaml"};
    for (size_t i = 0; i < 2; i++) {
        char path[4096], err[1024] = "";
        snprintf(path, sizeof(path), "%s/omb/driver-kafka/%s", shared_dir(), files[i]);
        struct ombc_driver_conf c;
        assert_int_equal(ombc_driver_conf_load(path, &c, err, sizeof(err)), 0);
        if (ombc_kafka_props_check(&c, false, err, sizeof(err)) != 0)
            fail_msg("%s", err);
        ombc_driver_conf_fini(&c);
    }
}

int main(void) {
    ombc_log_init(OMBC_LOG_INFO, "test");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_table_entry), cmocka_unit_test(test_conversions),
        cmocka_unit_test(test_apply),             cmocka_unit_test(test_check_errors),
        cmocka_unit_test(test_check_warnings),    cmocka_unit_test(test_omb_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
