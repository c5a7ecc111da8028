/*
 * Unit tests for run/run_info: what the result says about where and how a
 * run ran, with the driver file's secrets masked, as report.c writes it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/driver_conf.h"
#include "config/workload.h"
#include "driver/driver.h"
#include "run/run_info.h"
#include "stats/report.h"
#include "stats/result.h"

static void secret_keys(void **state) {
    (void)state;
    assert_true(ombc_run_info_is_secret("sasl.jaas.config"));
    assert_true(ombc_run_info_is_secret("ssl.key.password"));
    assert_true(ombc_run_info_is_secret("client.Password"));
    assert_true(ombc_run_info_is_secret("sasl.oauthbearer.config"));
    assert_false(ombc_run_info_is_secret("bootstrap.servers"));
    assert_false(ombc_run_info_is_secret("producerConfig"));
}

static void properties_are_masked_line_by_line(void **state) {
    (void)state;
    char text[] = "security.protocol=SASL_SSL\n"
                  "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule "
                  "required username=\"u\" password=\"hunter2\";\n"
                  "ssl.key.password: pw\n"
                  "linger.ms=1\n"
                  "password=";
    ombc_run_info_mask_properties(text);
    assert_string_equal(text, "security.protocol=SASL_SSL\n"
                              "sasl.jaas.config=******\n"
                              "ssl.key.password:***\n"
                              "linger.ms=1\n"
                              "password=");
}

static const char driver_yaml[] =
    "name: secure\n"
    "driverClass: io.openmessaging.benchmark.driver.kafka.KafkaBenchmarkDriver\n"
    "replicationFactor: 3\n"
    "commonConfig: |\n"
    "  bootstrap.servers=localhost:9092\n"
    "  sasl.jaas.config=PlainLoginModule required password=\"hunter2\";\n";

static const char workload_yaml[] = "name: w\ntopics: 2\npartitionsPerTopic: 3\nmessageSize: 100\n"
                                    "subscriptionsPerTopic: 1\nconsumerPerSubscription: 1\n"
                                    "producersPerTopic: 1\nproducerRate: 500\n"
                                    "randomBytesRatio: 0.1\n";

static void fake_version(char *buf, size_t size) {
    snprintf(buf, size, "client 1.2.3");
}

/* Collected, written after OMB's fields, parsed back: versions, machine,
 * agents, times, every workload key with defaults, the driver's keys with
 * the password gone. */
static void collected_and_written(void **state) {
    (void)state;
    char err[512];
    struct ombc_workload w = {0};
    struct ombc_driver_conf d = {0};
    assert_int_equal(ombc_workload_parse("w.yaml", workload_yaml, strlen(workload_yaml), &w, err,
                                         sizeof(err)),
                     0);
    assert_int_equal(
        ombc_driver_conf_parse("d.yaml", driver_yaml, strlen(driver_yaml), &d, err, sizeof(err)),
        0);
    struct ombc_driver_ops ops = {.name = "fake", .client_version = fake_version};
    struct ombc_result r;
    assert_int_equal(ombc_result_init(&r, "w", "secure"), 0);
    assert_int_equal(ombc_run_info_collect(&r.info, &w, &d, &ops, 3), 0);
    r.info.end_ms = r.info.start_ms + 61500;
    r.info.report_interval_s = 10;
    char *json = ombc_report_result_json(&r);
    assert_non_null(json);
    assert_null(strstr(json, "hunter2"));
    cJSON *root = cJSON_Parse(json);
    assert_non_null(root);
    assert_string_equal(cJSON_GetObjectItem(root, "ombcVersion")->valuestring, OMBC_VERSION);
    assert_string_equal(cJSON_GetObjectItem(root, "clientVersion")->valuestring, "client 1.2.3");
    assert_true(cJSON_GetObjectItem(root, "cpuCores")->valueint >= 1);
    assert_int_equal(cJSON_GetObjectItem(root, "agents")->valueint, 3);
    assert_int_equal(cJSON_GetObjectItem(root, "reportIntervalSeconds")->valueint, 10);
    assert_non_null(strstr(cJSON_GetObjectItem(root, "kernel")->valuestring, "Linux"));
    const char *start = cJSON_GetObjectItem(root, "startTime")->valuestring;
    const char *end = cJSON_GetObjectItem(root, "endTime")->valuestring;
    assert_int_equal(strlen(start), strlen("2026-11-22T19:33:54.835Z"));
    assert_int_equal(start[10], 'T');
    assert_int_equal(start[23], 'Z');
    assert_true(strcmp(end, start) > 0);
    /* after OMB's last field */
    assert_true(strstr(json, "\"agentRestarts\"") < strstr(json, "\"ombcVersion\""));

    const cJSON *wc = cJSON_GetObjectItem(root, "workloadConfig");
    assert_int_equal(cJSON_GetObjectItem(wc, "topics")->valueint, 2);
    assert_int_equal(cJSON_GetObjectItem(wc, "producerRate")->valueint, 500);
    assert_true(cJSON_GetObjectItem(wc, "randomBytesRatio")->valuedouble == 0.1);
    assert_string_equal(cJSON_GetObjectItem(wc, "keyDistributor")->valuestring, "NO_KEY");
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(wc, "useRandomizedPayloads")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(wc, "payloadFile")));
    assert_int_equal(cJSON_GetObjectItem(wc, "testDurationMinutes")->valueint, 0); /* OMB's */
    assert_int_equal(cJSON_GetObjectItem(wc, "warmupDurationMinutes")->valueint, 1);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(wc, "testDurationSeconds"))); /* not given */

    const cJSON *dc = cJSON_GetObjectItem(root, "driverConfig");
    assert_string_equal(cJSON_GetObjectItem(dc, "name")->valuestring, "secure");
    assert_string_equal(cJSON_GetObjectItem(dc, "replicationFactor")->valuestring, "3");
    const char *common = cJSON_GetObjectItem(dc, "commonConfig")->valuestring;
    assert_non_null(strstr(common, "bootstrap.servers=localhost:9092\n"));
    assert_non_null(strstr(common, "sasl.jaas.config=******"));
    cJSON_Delete(root);
    free(json);
    ombc_result_fini(&r);
    ombc_driver_conf_fini(&d);
    ombc_workload_fini(&w);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(secret_keys),
        cmocka_unit_test(properties_are_masked_line_by_line),
        cmocka_unit_test(collected_and_written),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
