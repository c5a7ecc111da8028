/*
 * test_driver_conf: unit tests of the driver YAML loader
 * (src/config/driver_conf.c): OMB's shipped driver files, flattening, the
 * required keys, the top-level key list and its check against a driver's
 * keys, positions inside block scalars, typed getters, the limits against
 * alias blow-up and the exact error messages.
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

#include "config/driver_conf.h"
#include "config/props.h"
#include "core/err.h"
#include "unit/shared_dir.h"

static void shared_path(char *out, size_t size, const char *rel) {
    snprintf(out, size, "%s/omb/%s", shared_dir(), rel);
}

/* Writes text to a new temporary file whose name is stored in path (>= 32 bytes). */
static void write_temp(char *path, const char *text) {
    strcpy(path, "/tmp/ombc_driver_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    size_t len = strlen(text);
    assert_int_equal(write(fd, text, len), (ssize_t)len);
    close(fd);
}

static struct ombc_driver_conf load_ok(const char *path) {
    struct ombc_driver_conf c;
    char err[512] = "";
    int rc = ombc_driver_conf_load(path, &c, err, sizeof(err));
    if (rc != 0)
        fail_msg("loading %s failed (%d): %s", path, rc, err);
    return c;
}

/* Loads text from a temp file, expects failure code and message (PATH replaced by %s). */
static void expect_error(const char *text, int code, const char *fmt) {
    char path[64], err[512] = "", want[640];
    write_temp(path, text);
    struct ombc_driver_conf c;
    assert_int_equal(ombc_driver_conf_load(path, &c, err, sizeof(err)), code);
    snprintf(want, sizeof(want), fmt, path);
    assert_string_equal(err, want);
    assert_null(c.entries);
    assert_null(c.name);
    assert_null(c.raw);
    ombc_driver_conf_fini(&c);
    unlink(path);
}

static int64_t get_int(const struct ombc_driver_conf *c, const char *key) {
    int64_t v = -12345;
    char err[256] = "";
    int rc = ombc_driver_conf_int(c, key, -1, INT64_MIN, INT64_MAX, &v, err, sizeof(err));
    if (rc != 0)
        fail_msg("key %s: %s", key, err);
    return v;
}

static void check_kafka(const char *file, const char *batch_size) {
    char path[4096];
    shared_path(path, sizeof(path), file);
    struct ombc_driver_conf c = load_ok(path);
    assert_string_equal(c.path, path);
    assert_string_equal(c.name, "Kafka");
    assert_string_equal(c.driver_class,
                        "io.openmessaging.benchmark.driver.kafka.KafkaBenchmarkDriver");
    assert_int_equal(get_int(&c, "replicationFactor"), 3);

    /* The raw bytes are the file's. */
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(c.raw_len + 2);
    assert_int_equal(fread(buf, 1, c.raw_len + 1, f), c.raw_len);
    fclose(f);
    assert_memory_equal(buf, c.raw, c.raw_len);
    assert_int_equal(c.raw[c.raw_len], '\0');
    free(buf);

    /* name is on line 16 of both files, after the licence header. */
    const struct ombc_conf_entry *e = ombc_driver_conf_find(&c, "name");
    assert_non_null(e);
    assert_int_equal(e->line, 16);
    assert_int_equal(e->column, 7);

    char err[256];
    struct ombc_props topic = {0}, producer = {0}, consumer = {0};
    assert_int_equal(ombc_driver_conf_props(&c, "topicConfig", &topic, err, sizeof(err)), 0);
    assert_string_equal(ombc_props_get(&topic, "min.insync.replicas"), "2");
    /* Layering: common first, then producer over it. */
    assert_int_equal(ombc_driver_conf_props(&c, "commonConfig", &producer, err, sizeof(err)), 0);
    assert_int_equal(ombc_driver_conf_props(&c, "producerConfig", &producer, err, sizeof(err)),
                     0);
    assert_string_equal(producer.items[0].key, "bootstrap.servers");
    assert_string_equal(ombc_props_get(&producer, "bootstrap.servers"), "localhost:9092");
    assert_string_equal(ombc_props_get(&producer, "acks"), "all");
    assert_string_equal(ombc_props_get(&producer, "linger.ms"), "1");
    assert_string_equal(ombc_props_get(&producer, "batch.size"), batch_size);
    assert_int_equal(ombc_driver_conf_props(&c, "consumerConfig", &consumer, err, sizeof(err)),
                     0);
    assert_string_equal(ombc_props_get(&consumer, "auto.offset.reset"), "earliest");
    assert_string_equal(ombc_props_get(&consumer, "enable.auto.commit"), "false");
    assert_string_equal(ombc_props_get(&consumer, "max.partition.fetch.bytes"), "10485760");
    assert_int_equal(consumer.count, 3);
    /* An absent key leaves props alone. */
    assert_int_equal(ombc_driver_conf_props(&c, "noSuchConfig", &consumer, err, sizeof(err)), 0);
    assert_int_equal(consumer.count, 3);

    /* The same text parsed directly with the props module. */
    struct ombc_props direct = {0};
    const char *pc = ombc_driver_conf_str(&c, "producerConfig", NULL);
    assert_non_null(pc);
    assert_int_equal(ombc_props_parse(&direct, pc, err, sizeof(err)), 0);
    assert_int_equal(direct.count, 3);
    assert_string_equal(ombc_props_get(&direct, "batch.size"), batch_size);

    ombc_props_fini(&topic);
    ombc_props_fini(&producer);
    ombc_props_fini(&consumer);
    ombc_props_fini(&direct);
    ombc_driver_conf_fini(&c);
}

static void test_kafka_latency(void **state) {
    (void)state;
    check_kafka("driver-kafka/kafka-latency.yaml", "131072");
}

static void test_kafka_throughput(void **state) {
    (void)state;
    check_kafka("driver-kafka/kafka-throughput.yaml", "1048576");
    char path[4096], err[256];
    shared_path(path, sizeof(path), "driver-kafka/kafka-throughput.yaml");
    struct ombc_driver_conf c = load_ok(path);
    struct ombc_props common = {0};
    assert_int_equal(ombc_driver_conf_props(&c, "commonConfig", &common, err, sizeof(err)), 0);
    assert_int_equal(common.count, 3);
    assert_string_equal(ombc_props_get(&common, "request.timeout.ms"), "1200000");
    assert_string_equal(ombc_props_get(&common, "default.api.timeout.ms"), "1200000");
    ombc_props_fini(&common);
    ombc_driver_conf_fini(&c);
}

static void test_redis(void **state) {
    (void)state;
    char path[4096];
    shared_path(path, sizeof(path), "driver-redis/redis.yaml");
    struct ombc_driver_conf c = load_ok(path);
    assert_string_equal(c.name, "Redis");
    assert_string_equal(c.driver_class,
                        "io.openmessaging.benchmark.driver.redis.RedisBenchmarkDriver");
    assert_int_equal(get_int(&c, "redisPort"), 6379);
    assert_string_equal(ombc_driver_conf_str(&c, "redisHost", NULL), "127.0.0.1");
    assert_int_equal(get_int(&c, "jedisPoolMaxTotal"), 8);
    assert_int_equal(get_int(&c, "jedisPoolMaxIdle"), 8);
    assert_null(ombc_driver_conf_str(&c, "redisPass", NULL));
    assert_string_equal(ombc_driver_conf_str(&c, "redisUser", "dflt"), "dflt");
    assert_int_equal(c.entry_count, 6);
    ombc_driver_conf_fini(&c);
}

static void test_nats(void **state) {
    (void)state;
    char path[4096];
    shared_path(path, sizeof(path), "driver-nats/nats.yaml");
    struct ombc_driver_conf c = load_ok(path);
    assert_string_equal(c.name, "NATS");
    assert_string_equal(c.driver_class,
                        "io.openmessaging.benchmark.driver.nats.NatsBenchmarkDriver");
    assert_string_equal(ombc_driver_conf_str(&c, "natsHostUrl", NULL), "localhost:4222");
    assert_int_equal(get_int(&c, "replicationFactor"), 3);
    ombc_driver_conf_fini(&c);
}

static void test_rabbitmq(void **state) {
    (void)state;
    char path[4096], err[256];
    shared_path(path, sizeof(path), "driver-rabbitmq/rabbitmq.yaml");
    struct ombc_driver_conf c = load_ok(path);
    assert_string_equal(c.name, "RabbitMQ");
    assert_string_equal(c.driver_class,
                        "io.openmessaging.benchmark.driver.rabbitmq.RabbitMqBenchmarkDriver");
    assert_int_equal(get_int(&c, "producerCreationDelay"), 100);
    assert_int_equal(get_int(&c, "consumerCreationBatchSize"), 5);
    assert_null(ombc_driver_conf_find(&c, "amqpUris"));
    assert_int_equal(ombc_driver_conf_count(&c, "amqpUris"), 1);
    const struct ombc_conf_entry *e = ombc_driver_conf_find(&c, "amqpUris[0]");
    assert_non_null(e);
    assert_string_equal(e->value, "amqp://localhost");
    assert_int_equal(e->line, 27);
    assert_int_equal(e->column, 5);
    bool persist = true;
    assert_int_equal(ombc_driver_conf_bool(&c, "messagePersistence", true, &persist, err,
                                           sizeof(err)),
                     0);
    assert_false(persist);
    assert_string_equal(ombc_driver_conf_str(&c, "queueType", NULL), "QUORUM");
    ombc_driver_conf_fini(&c);
}

static void test_flatten(void **state) {
    (void)state;
    const char *text = "name: X\n"
                       "driverClass: Y\n"
                       "client:\n"
                       "  serverUri: tcp://h:1\n"
                       "  opts:\n"
                       "    qos: 1\n"
                       "list:\n"
                       "  - a\n"
                       "  - b: 1\n"
                       "    c: [x, y]\n"
                       "empty:\n"
                       "tilde: ~\n"
                       "quoted: ''\n"
                       "quotedNull: 'null'\n"
                       "block: |\n"
                       "  a=1\n"
                       "  b=2\n"
                       "noList: []\n";
    struct ombc_driver_conf c;
    char err[256] = "";
    assert_int_equal(ombc_driver_conf_parse("mem.yaml", text, strlen(text), &c, err, sizeof(err)),
                     0);
    assert_string_equal(c.path, "mem.yaml");
    assert_int_equal(c.raw_len, strlen(text));
    assert_string_equal(c.raw, text);
    static const struct {
        const char *key, *value;
        int line, column;
    } want[] = {
        {"name", "X", 1, 7},
        {"driverClass", "Y", 2, 14},
        {"client.serverUri", "tcp://h:1", 4, 14},
        {"client.opts.qos", "1", 6, 10},
        {"list[0]", "a", 8, 5},
        {"list[1].b", "1", 9, 8},
        {"list[1].c[0]", "x", 10, 9},
        {"list[1].c[1]", "y", 10, 12},
        {"quoted", "", 13, 9},
        {"quotedNull", "null", 14, 13},
        {"block", "a=1\nb=2\n", 15, 8},
    };
    assert_int_equal(c.entry_count, sizeof(want) / sizeof(want[0]));
    for (size_t i = 0; i < c.entry_count; i++) {
        assert_string_equal(c.entries[i].key, want[i].key);
        assert_string_equal(c.entries[i].value, want[i].value);
        assert_int_equal(c.entries[i].line, want[i].line);
        assert_int_equal(c.entries[i].column, want[i].column);
    }
    /* YAML nulls and empty collections read as absent. */
    assert_null(ombc_driver_conf_find(&c, "empty"));
    assert_null(ombc_driver_conf_find(&c, "tilde"));
    assert_int_equal(ombc_driver_conf_count(&c, "noList"), 0);
    assert_int_equal(ombc_driver_conf_count(&c, "list[1].c"), 2);
    ombc_driver_conf_fini(&c);
    ombc_driver_conf_fini(&c); /* twice is fine */
}

static void test_duplicate_key_last_wins(void **state) {
    (void)state;
    const char *text = "name: a\ndriverClass: Y\nport: 1\nname: b\nport: 2\n";
    struct ombc_driver_conf c;
    char err[256];
    assert_int_equal(ombc_driver_conf_parse("d", text, strlen(text), &c, err, sizeof(err)), 0);
    assert_string_equal(c.name, "b");
    assert_int_equal(c.entry_count, 3);
    assert_string_equal(ombc_driver_conf_str(&c, "name", NULL), "b");
    assert_int_equal(get_int(&c, "port"), 2);
    assert_int_equal(ombc_driver_conf_find(&c, "port")->line, 5);
    ombc_driver_conf_fini(&c);
}

static void test_getters(void **state) {
    (void)state;
    const char *text = "name: X\n"
                       "driverClass: Y\n"
                       "n: 42\n"
                       "neg: -7\n"
                       "plus: +8\n"
                       "bad: abc\n"
                       "frac: 1.5\n"
                       "huge: 99999999999999999999\n"
                       "spaced: ' 5'\n"
                       "b1: yes\n"
                       "b2: No\n"
                       "b3: ON\n"
                       "b4: off\n"
                       "b5: TRUE\n"
                       "b6: false\n"
                       "bbad: maybe\n"
                       "multi: |\n"
                       "  two\n"
                       "  lines\n";
    struct ombc_driver_conf c;
    char err[256] = "";
    assert_int_equal(ombc_driver_conf_parse("g.yaml", text, strlen(text), &c, err, sizeof(err)),
                     0);
    int64_t v = 0;
    assert_int_equal(ombc_driver_conf_int(&c, "n", 0, 0, 100, &v, err, sizeof(err)), 0);
    assert_int_equal(v, 42);
    assert_int_equal(ombc_driver_conf_int(&c, "neg", 0, -10, 10, &v, err, sizeof(err)), 0);
    assert_int_equal(v, -7);
    assert_int_equal(ombc_driver_conf_int(&c, "plus", 0, -10, 10, &v, err, sizeof(err)), 0);
    assert_int_equal(v, 8);
    assert_int_equal(ombc_driver_conf_int(&c, "absent", 77, 0, 10, &v, err, sizeof(err)), 0);
    assert_int_equal(v, 77);

    assert_int_equal(ombc_driver_conf_int(&c, "bad", 0, 0, 100, &v, err, sizeof(err)),
                     OMBC_EPARSE);
    assert_string_equal(err, "g.yaml:6:6: key 'bad': expected an integer, got 'abc'");
    assert_int_equal(ombc_driver_conf_int(&c, "frac", 0, 0, 100, &v, err, sizeof(err)),
                     OMBC_EPARSE);
    assert_string_equal(err, "g.yaml:7:7: key 'frac': expected an integer, got '1.5'");
    assert_int_equal(ombc_driver_conf_int(&c, "spaced", 0, 0, 100, &v, err, sizeof(err)),
                     OMBC_EPARSE);
    assert_string_equal(err, "g.yaml:9:9: key 'spaced': expected an integer, got ' 5'");
    assert_int_equal(ombc_driver_conf_int(&c, "n", 0, 0, 10, &v, err, sizeof(err)), OMBC_ERANGE);
    assert_string_equal(err, "g.yaml:3:4: key 'n': expected an integer in [0, 10], got '42'");
    assert_int_equal(ombc_driver_conf_int(&c, "neg", 0, 0, 10, &v, err, sizeof(err)),
                     OMBC_ERANGE);
    assert_int_equal(ombc_driver_conf_int(&c, "huge", 0, INT64_MIN, INT64_MAX, &v, err,
                                          sizeof(err)),
                     OMBC_ERANGE);
    assert_int_equal(ombc_driver_conf_int(&c, "multi", 0, 0, 10, &v, err, sizeof(err)),
                     OMBC_EPARSE);
    assert_string_equal(err,
                        "g.yaml:17:8: key 'multi': expected an integer, got 'two\\nlines\\n'");

    static const struct {
        const char *key;
        bool value;
    } bools[] = {{"b1", true},  {"b2", false}, {"b3", true},
                 {"b4", false}, {"b5", true},  {"b6", false}};
    for (size_t i = 0; i < sizeof(bools) / sizeof(bools[0]); i++) {
        bool b = !bools[i].value;
        assert_int_equal(ombc_driver_conf_bool(&c, bools[i].key, false, &b, err, sizeof(err)), 0);
        assert_int_equal(b, bools[i].value);
    }
    bool b = false;
    assert_int_equal(ombc_driver_conf_bool(&c, "absent", true, &b, err, sizeof(err)), 0);
    assert_true(b);
    assert_int_equal(ombc_driver_conf_bool(&c, "bbad", true, &b, err, sizeof(err)), OMBC_EPARSE);
    assert_string_equal(err,
                        "g.yaml:16:7: key 'bbad': expected a boolean (true/false), got 'maybe'");
    assert_string_equal(ombc_driver_conf_str(&c, "absent", "d"), "d");
    ombc_driver_conf_fini(&c);
}

static void test_bad_properties_text(void **state) {
    (void)state;
    const char *text = "name: X\ndriverClass: Y\ncommonConfig: |\n  a=1\n  b=\\u12\n";
    struct ombc_driver_conf c;
    char err[256] = "";
    assert_int_equal(ombc_driver_conf_parse("p.yaml", text, strlen(text), &c, err, sizeof(err)),
                     0);
    struct ombc_props p = {0};
    assert_int_equal(ombc_driver_conf_props(&c, "commonConfig", &p, err, sizeof(err)),
                     OMBC_EPARSE);
    assert_string_equal(err, "p.yaml:5:3: key 'commonConfig': properties line 2: malformed "
                             "\\uXXXX encoding");
    ombc_props_fini(&p);
    ombc_driver_conf_fini(&c);
}

static void test_missing_file(void **state) {
    (void)state;
    struct ombc_driver_conf c;
    char err[256] = "";
    assert_int_equal(ombc_driver_conf_load("/nonexistent/dir/kafka.yaml", &c, err, sizeof(err)),
                     OMBC_ENOENT);
    assert_string_equal(err, "/nonexistent/dir/kafka.yaml: cannot open: No such file or directory");
    assert_null(c.path);
    ombc_driver_conf_fini(&c);
}

static void test_errors(void **state) {
    (void)state;
    expect_error("driverClass: Y\n", OMBC_EPARSE, "%s:1:1: missing required key 'name'");
    expect_error("# head\n\nname: X\n", OMBC_EPARSE, "%s:3:1: missing required key 'driverClass'");
    expect_error("name:\ndriverClass: Y\n", OMBC_EPARSE, "%s:1:6: key 'name': must not be empty");
    expect_error("name: ''\ndriverClass: Y\n", OMBC_EPARSE,
                 "%s:1:7: key 'name': must not be empty");
    expect_error("name: [a, b]\ndriverClass: Y\n", OMBC_EPARSE,
                 "%s:1:7: key 'name': expected a scalar, got a sequence");
    expect_error("name: X\ndriverClass:\n  k: v\n", OMBC_EPARSE,
                 "%s:3:3: key 'driverClass': expected a scalar, got a mapping");
    expect_error("name: X\n  bad: 2\n", OMBC_EPARSE,
                 "%s:2:6: YAML syntax error: mapping values are not allowed in this context");
    expect_error("name: X\ndriverClass: Y\nlist: [a, b\n", OMBC_EPARSE,
                 "%s:4:1: YAML syntax error: did not find expected ',' or ']'");
    expect_error("name: X\ndriverClass: Y\nk: v\x01\n", OMBC_EPARSE,
                 "%s:3:5: YAML syntax error: control characters are not allowed");
    expect_error("name: X\ndriverClass: Y\na: *nope\n", OMBC_EPARSE,
                 "%s:3:4: YAML syntax error: found undefined alias");
    expect_error("", OMBC_EPARSE, "%s:1:1: empty document (expected a mapping of keys)");
    expect_error("# only a comment\n", OMBC_EPARSE,
                 "%s:1:1: empty document (expected a mapping of keys)");
    expect_error("- a\n- b\n", OMBC_EPARSE,
                 "%s:1:1: expected a mapping at the top level, got a sequence");
    expect_error("just text\n", OMBC_EPARSE,
                 "%s:1:1: expected a mapping at the top level, got a scalar");
    expect_error("name: X\ndriverClass: Y\n[a]: b\n", OMBC_EPARSE,
                 "%s:3:1: expected a scalar key, got a sequence");
    /* An alias that contains itself is stopped by the depth limit. */
    expect_error("name: X\ndriverClass: Y\na: &a [*a]\n", OMBC_EPARSE,
                 "%s:3:4: nested deeper than 32 levels");
    /* Alias fan-out is stopped by the entry limit. */
    expect_error("name: X\ndriverClass: Y\n"
                 "a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n"
                 "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                 "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                 "d: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n",
                 OMBC_EPARSE, "%s:3:32: more than 10000 keys (alias expansion?)");
    /* Alias fan-out of nulls (no entries) is stopped by the node limit. */
    expect_error("name: X\ndriverClass: Y\n"
                 "a: &a [~, ~, ~, ~, ~, ~, ~, ~, ~, ~]\n"
                 "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                 "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                 "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                 "e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n",
                 OMBC_EPARSE, "%s:3:29: more than 100000 YAML nodes (alias expansion?)");
    /* A NUL byte would cut a C string short. */
    expect_error("name: X\ndriverClass: Y\nk: \"a\\0b\"\n", OMBC_EPARSE,
                 "%s:3:4: key 'k': the value holds a NUL character");
    expect_error("name: X\ndriverClass: Y\n\"k\\0\": 1\n", OMBC_EPARSE,
                 "%s:3:1: a key holds a NUL character");
    expect_error("name: \"X\\0\"\ndriverClass: Y\n", OMBC_EPARSE,
                 "%s:1:7: key 'name': the value holds a NUL character");
}

/* The top-level keys, in file order, with their places and kinds. */
static void test_top_level_keys(void **state) {
    (void)state;
    const char *text = "name: X\ndriverClass: Y\nempty:\nlist: [1]\nmap: {a: 1}\nname: Z\n";
    struct ombc_driver_conf c;
    char err[256];
    assert_int_equal(ombc_driver_conf_parse("k", text, strlen(text), &c, err, sizeof(err)), 0);
    static const struct {
        const char *key;
        enum ombc_conf_kind kind;
        int line;
    } want[] = {
        {"name", OMBC_CONF_SCALAR, 1},  {"driverClass", OMBC_CONF_SCALAR, 2},
        {"empty", OMBC_CONF_NULL, 3},   {"list", OMBC_CONF_SEQUENCE, 4},
        {"map", OMBC_CONF_MAPPING, 5},  {"name", OMBC_CONF_SCALAR, 6},
    };
    assert_int_equal(c.key_count, 6);
    for (size_t i = 0; i < 6; i++) {
        assert_string_equal(c.keys[i].key, want[i].key);
        assert_int_equal(c.keys[i].kind, want[i].kind);
        assert_int_equal(c.keys[i].line, want[i].line);
        assert_int_equal(c.keys[i].column, 1);
    }
    ombc_driver_conf_fini(&c);
}

static const struct ombc_conf_key_spec spec[] = {
    {"replicationFactor", OMBC_CONF_SCALAR, "an integer"},
    {"commonConfig", OMBC_CONF_SCALAR, "properties text"},
    {"faults", OMBC_CONF_ANY, NULL},
    {"hosts", OMBC_CONF_SEQUENCE, NULL},
    {NULL, OMBC_CONF_ANY, NULL},
};

/* Checks text against spec: "" for success, else the expected message. */
static void expect_keys(const char *text, const char *msg) {
    struct ombc_driver_conf c;
    char err[512] = "";
    assert_int_equal(ombc_driver_conf_parse("k.yaml", text, strlen(text), &c, err, sizeof(err)),
                     0);
    int rc = ombc_driver_conf_check_keys(&c, spec, "Test", err, sizeof(err));
    if (msg[0] == '\0') {
        if (rc != 0)
            fail_msg("%s", err);
    } else {
        assert_int_equal(rc, OMBC_EPARSE);
        assert_string_equal(err, msg);
    }
    ombc_driver_conf_fini(&c);
}

static void test_check_keys(void **state) {
    (void)state;
    expect_keys("name: X\ndriverClass: Y\nreplicationFactor: 3\ncommonConfig: |\n  a=1\n"
                "faults: [{a: 1}]\nhosts: [a, b]\n",
                "");
    expect_keys("name: X\ndriverClass: Y\ncommonConfig:\nhosts: ~\nfaults: 3\n", "");
    expect_keys("name: X\ndriverClass: Y\nreplicationfactor: 3\n",
                "k.yaml:3:1: unknown key 'replicationfactor' in a Test driver file; did you mean "
                "'replicationFactor'?");
    expect_keys("name: X\ndriverClass: Y\ncommonConfigs: a=1\n",
                "k.yaml:3:1: unknown key 'commonConfigs' in a Test driver file; did you mean "
                "'commonConfig'?");
    expect_keys("name: X\ndriverClass: Y\ndriverclass: Z\n",
                "k.yaml:3:1: unknown key 'driverclass' in a Test driver file; did you mean "
                "'driverClass'?");
    expect_keys("name: X\ndriverClass: Y\ncolour: blue\n",
                "k.yaml:3:1: unknown key 'colour' in a Test driver file (known: name, "
                "driverClass, replicationFactor, commonConfig, faults, hosts)");
    expect_keys("name: X\ndriverClass: Y\ncommonConfig:\n  bootstrap.servers: h:1\n",
                "k.yaml:3:1: key 'commonConfig': expected a scalar (properties text), got a "
                "mapping");
    expect_keys("name: X\ndriverClass: Y\nreplicationFactor: [3]\n",
                "k.yaml:3:1: key 'replicationFactor': expected a scalar (an integer), got a "
                "sequence");
    expect_keys("name: X\ndriverClass: Y\nhosts: a\n",
                "k.yaml:3:1: key 'hosts': expected a sequence, got a scalar");
}

/* Places inside block scalars: each text line is a file line. */
static void test_text_pos(void **state) {
    (void)state;
    const char *text = "name: X\ndriverClass: Y\n"
                       "block: |\n"
                       "    a=1\n"
                       "\n"
                       "    b=2\n"
                       "folded: >\n"
                       "  x\n"
                       "plain: a=1\n"
                       "quoted: \"a=1\\nb=2\"\n";
    struct ombc_driver_conf c;
    char err[256];
    assert_int_equal(ombc_driver_conf_parse("t", text, strlen(text), &c, err, sizeof(err)), 0);
    int line, col;
    ombc_driver_conf_text_pos(&c, ombc_driver_conf_find(&c, "block"), 1, &line, &col);
    assert_int_equal(line, 4);
    assert_int_equal(col, 5);
    ombc_driver_conf_text_pos(&c, ombc_driver_conf_find(&c, "block"), 3, &line, &col);
    assert_int_equal(line, 6);
    assert_int_equal(col, 5);
    ombc_driver_conf_text_pos(&c, ombc_driver_conf_find(&c, "folded"), 1, &line, &col);
    assert_int_equal(line, 8);
    assert_int_equal(col, 3);
    ombc_driver_conf_text_pos(&c, ombc_driver_conf_find(&c, "plain"), 1, &line, &col);
    assert_int_equal(line, 9);
    assert_int_equal(col, 8);
    ombc_driver_conf_text_pos(&c, ombc_driver_conf_find(&c, "quoted"), 2, &line, &col);
    assert_int_equal(line, 10);
    assert_int_equal(col, 9);
    /* past the file's end: the value's place */
    ombc_driver_conf_text_pos(&c, ombc_driver_conf_find(&c, "block"), 99, &line, &col);
    assert_int_equal(line, 3);
    assert_int_equal(col, 8);
    ombc_driver_conf_fini(&c);
}

/* ombc_driver_conf_edit: set, add and remove top-level keys; nested values
 * and the rest kept; the result's raw text parses to the same entries. */
static void test_edit(void **state) {
    (void)state;
    const char *text = "name: K\n"
                       "driverClass: x.Y\n"
                       "embeddedBrokers: 3\n"
                       "embeddedFaults:\n"
                       "  - {at: 1, action: down}\n"
                       "commonConfig: |\n"
                       "  client.id=ombc\n"
                       "nested:\n"
                       "  a: [1, 2]\n";
    struct ombc_driver_conf c, e;
    char err[256];
    assert_int_equal(ombc_driver_conf_parse("k.yaml", text, strlen(text), &c, err, sizeof(err)),
                     0);
    const struct ombc_conf_edit edits[] = {
        {"commonConfig", "client.id=ombc\nbootstrap.servers=127.0.0.1:9\n"},
        {"embeddedBrokers", NULL},
        {"embeddedFaults", NULL},
        {"added", "yes"},
    };
    assert_int_equal(ombc_driver_conf_edit(&c, edits, 4, &e, err, sizeof(err)), 0);
    assert_string_equal(e.path, "k.yaml");
    assert_string_equal(e.name, "K");
    assert_string_equal(e.driver_class, "x.Y");
    assert_null(ombc_driver_conf_find(&e, "embeddedBrokers"));
    assert_int_equal(ombc_driver_conf_count(&e, "embeddedFaults"), 0);
    assert_string_equal(ombc_driver_conf_str(&e, "commonConfig", ""),
                        "client.id=ombc\nbootstrap.servers=127.0.0.1:9\n");
    assert_string_equal(ombc_driver_conf_str(&e, "nested.a[1]", ""), "2");
    assert_string_equal(ombc_driver_conf_str(&e, "added", ""), "yes");
    struct ombc_props props = {0};
    assert_int_equal(ombc_driver_conf_props(&e, "commonConfig", &props, err, sizeof(err)), 0);
    assert_string_equal(ombc_props_get(&props, "bootstrap.servers"), "127.0.0.1:9");
    ombc_props_fini(&props);
    /* the text is the document: parsed again, the same */
    struct ombc_driver_conf again;
    assert_int_equal(
        ombc_driver_conf_parse("k.yaml", e.raw, e.raw_len, &again, err, sizeof(err)), 0);
    assert_int_equal(again.entry_count, e.entry_count);
    assert_int_equal(again.key_count, 5); /* name, driverClass, commonConfig, nested, added */
    ombc_driver_conf_fini(&again);
    ombc_driver_conf_fini(&e);
    ombc_driver_conf_fini(&c);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kafka_latency),
        cmocka_unit_test(test_kafka_throughput),
        cmocka_unit_test(test_redis),
        cmocka_unit_test(test_nats),
        cmocka_unit_test(test_rabbitmq),
        cmocka_unit_test(test_flatten),
        cmocka_unit_test(test_duplicate_key_last_wins),
        cmocka_unit_test(test_getters),
        cmocka_unit_test(test_bad_properties_text),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_top_level_keys),
        cmocka_unit_test(test_check_keys),
        cmocka_unit_test(test_text_pos),
        cmocka_unit_test(test_edit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
