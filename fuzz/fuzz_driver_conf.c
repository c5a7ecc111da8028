/*
 * fuzz_driver_conf: libFuzzer target for driver files and client
 * properties: config/driver_conf.c (libyaml document, flattening, top-level
 * keys, the key check, places in block scalars, typed getters),
 * config/props.c (Java .properties text) and driver/kafka_props.c (the
 * Java-to-librdkafka table and the Kafka driver's whole check, which ends
 * with librdkafka judging every property).
 *
 * Each input is used twice:
 *   - as a driver file: a load that succeeds keeps the raw bytes and has a
 *     name and driverClass; every entry and top-level key has a place in the
 *     file; every getter and the properties of every scalar entry either
 *     work or fail with a known code and a message; the Kafka driver's key
 *     check and validate then pass or fail the same way;
 *   - as properties text: every pair it gives translates to a key and value
 *     for librdkafka (or is dropped), and librdkafka either takes or refuses
 *     it without crashing.
 * A violated invariant aborts, which libFuzzer reports as a crash; ASan and
 * UBSan report the rest. Built and run by scripts/fuzz.sh, corpus in
 * tests/fuzz/driver_conf/.
 */
#include <librdkafka/rdkafka.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/driver_conf.h"
#include "config/props.h"
#include "core/err.h"
#include "core/log.h"
#include "driver/driver.h"
#include "driver/kafka_props.h"
#include "fuzz.h"

extern const struct ombc_driver_ops ombc_kafka_driver;

#define PATH "fuzz.yaml"

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    ombc_log_init(OMBC_LOG_ERROR, "fuzz"); /* no warnings per input */
    return 0;
}

static bool known_code(int rc) {
    return rc == OMBC_EPARSE || rc == OMBC_ERANGE || rc == OMBC_EINVAL || rc == OMBC_ENOMEM ||
           rc == OMBC_ENOENT;
}

/* At least as many lines as libyaml can count in the raw text (it also
 * breaks lines at CR, NEL, LS and PS): a place past them is a bug. */
static int count_lines(const struct ombc_driver_conf *c) {
    int n = 1;
    for (size_t i = 0; i < c->raw_len; i++) {
        unsigned char ch = (unsigned char)c->raw[i];
        n += ch == '\n' || ch == '\r' || ch == 0x85 || ch == 0xE2;
    }
    return n;
}

/* Every getter on every entry: a value or a known failure with a message. */
static void check_entries(const struct ombc_driver_conf *c, int lines) {
    for (size_t i = 0; i < c->entry_count; i++) {
        const struct ombc_conf_entry *e = &c->entries[i];
        CHECK(e->key && e->value);
        CHECK(strlen(e->value) <= c->raw_len + 1); /* one scalar of the text */
        CHECK(e->line >= 1 && e->column >= 1 && e->text_line >= e->line);
        CHECK(e->line <= lines);
        CHECK(ombc_driver_conf_find(c, e->key) == e); /* keys are unique */
        char err[512] = "";
        int64_t n;
        int rc = ombc_driver_conf_int(c, e->key, 0, INT64_MIN, INT64_MAX, &n, err, sizeof(err));
        CHECK(rc == 0 || ((rc == OMBC_EPARSE || rc == OMBC_ERANGE) && err[0]));
        bool b;
        rc = ombc_driver_conf_bool(c, e->key, false, &b, err, sizeof(err));
        CHECK(rc == 0 || (rc == OMBC_EPARSE && err[0]));
        CHECK(ombc_driver_conf_str(c, e->key, NULL) == e->value);
        struct ombc_props props = {0};
        rc = ombc_driver_conf_props(c, e->key, &props, err, sizeof(err));
        CHECK(rc == 0 || (known_code(rc) && strncmp(err, PATH ":", strlen(PATH) + 1) == 0));
        for (size_t j = 0; rc == 0 && j < props.count; j++) {
            int line, col;
            ombc_driver_conf_text_pos(c, e, props.items[j].line, &line, &col);
            CHECK(line >= 1 && col >= 1 && line <= lines);
        }
        ombc_props_fini(&props);
    }
    for (size_t i = 0; i < c->key_count; i++) {
        CHECK(c->keys[i].key != NULL);
        CHECK(c->keys[i].line >= 1 && c->keys[i].line <= lines && c->keys[i].column >= 1);
        CHECK(c->keys[i].kind >= OMBC_CONF_NULL && c->keys[i].kind <= OMBC_CONF_MAPPING);
    }
}

/* As a driver file. */
static void as_driver_file(const uint8_t *data, size_t size) {
    struct ombc_driver_conf c;
    char err[1024] = "";
    int rc = ombc_driver_conf_parse(PATH, (const char *)data, size, &c, err, sizeof(err));
    if (rc != 0) {
        CHECK(known_code(rc));
        CHECK(strncmp(err, PATH, strlen(PATH)) == 0);
        CHECK(c.entries == NULL && c.name == NULL && c.raw == NULL && c.keys == NULL);
        ombc_driver_conf_fini(&c);
        return;
    }
    CHECK(c.raw_len == size && memcmp(c.raw, data, size) == 0 && c.raw[size] == '\0');
    CHECK(c.name && c.name[0] && c.driver_class && c.driver_class[0]);
    check_entries(&c, count_lines(&c));

    rc = ombc_driver_conf_check_keys(&c, ombc_kafka_driver.conf_keys, ombc_kafka_driver.name,
                                     err, sizeof(err));
    CHECK(rc == 0 || (rc == OMBC_EPARSE && strncmp(err, PATH ":", strlen(PATH) + 1) == 0));
    if (rc == 0) {
        rc = ombc_kafka_driver.validate(&c, err, sizeof(err));
        CHECK(rc == 0 || (known_code(rc) && err[0]));
    }
    ombc_driver_conf_fini(&c);
    ombc_driver_conf_fini(&c); /* finishing twice is safe */
}

/* As properties text, each pair through the table and librdkafka. */
static void as_properties(const uint8_t *data, size_t size) {
    char *text = malloc(size + 1);
    CHECK(text != NULL);
    memcpy(text, data, size);
    text[size] = '\0';
    struct ombc_props props = {0};
    char err[512] = "";
    int rc = ombc_props_parse(&props, text, err, sizeof(err));
    CHECK(rc == 0 || ((rc == OMBC_EPARSE || rc == OMBC_ENOMEM) &&
                      strncmp(err, "line ", 5) == 0));
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    for (size_t i = 0; i < props.count; i++) {
        const struct ombc_prop *p = &props.items[i];
        CHECK(p->key && p->value && p->line >= 1);
        CHECK(ombc_props_get(&props, p->key) == p->value); /* the last one won, in place */
        struct ombc_kafka_prop t;
        char kerr[512] = "";
        rc = ombc_kafka_prop_translate(p->key, p->value, &t, kerr, sizeof(kerr));
        if (rc != 0) {
            CHECK(rc == OMBC_EINVAL && kerr[0]);
            continue;
        }
        CHECK(t.action >= OMBC_KAFKA_PROP_PASS && t.action <= OMBC_KAFKA_PROP_REPLACED);
        if (t.action == OMBC_KAFKA_PROP_DROPPED) {
            CHECK(t.key == NULL);
            continue;
        }
        CHECK(t.key && t.value);
        CHECK(t.value == p->value || t.value == t.buf || strlen(t.value) < 64);
        rd_kafka_conf_set(conf, t.key, t.value, kerr, sizeof(kerr));
    }
    /* And the whole list at once, as the clients apply it. */
    rd_kafka_conf_t *conf2 = rd_kafka_conf_new();
    rc = ombc_kafka_props_apply("fuzz", &props, conf2, err, sizeof(err));
    CHECK(rc == 0 || (rc == OMBC_EINVAL && strncmp(err, "fuzz: ", 6) == 0));
    rd_kafka_conf_destroy(conf2);
    rd_kafka_conf_destroy(conf);
    ombc_props_fini(&props);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    as_driver_file(data, size);
    as_properties(data, size);
    return 0;
}
