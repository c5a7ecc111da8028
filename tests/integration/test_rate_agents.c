/*
 * The publish rate across agents, on the agent pool itself (three `ombc
 * agent` processes, embedded Kafka): the rate is split among the agents that
 * received producers (OMB divides by the workers that have some), every
 * agent applies a change within one rate-control period (3 s), and the rates
 * the agents apply add up to the rate asked for. Each agent shows the rate
 * its load thread publishes at in its stats block; this reads them there.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "config/driver_conf.h"
#include "core/clock.h"
#include "core/log.h"
#include "run/rate_controller.h"
#include "run/benchmark.h"
#include "worker/local_worker.h"

#define AGENTS 3
#define PRODUCERS 2 /* round-robin: agents 0 and 1 publish, agent 2 does not */
#define CONTROL_PERIOD_NS ((int64_t)OMBC_RATE_CONTROLLER_PERIOD_MS * 1000000)

struct fixture {
    struct ombc_local_worker *local;
    struct ombc_worker *w;
    struct ombc_driver_conf conf;
    struct ombc_hosted hosted; /* the embedded Kafka, as ombc run starts it */
};

/* Waits up to one control period for the agents' rates to be `want` each
 * (agent 2: 0); then asserts them and their sum. */
static void expect_rates(struct ombc_local_worker *local, double total) {
    struct ombc_worker *w = ombc_local_worker_worker(local);
    double want[AGENTS] = {total / PRODUCERS, total / PRODUCERS, 0};
    double got[AGENTS];
    int64_t deadline = ombc_now_ns() + CONTROL_PERIOD_NS;
    bool all;
    do {
        assert_int_equal(ombc_local_worker_applied_rates(local, got, AGENTS), AGENTS);
        all = true;
        for (int i = 0; i < AGENTS; i++)
            all &= fabs(got[i] - want[i]) <= 0.001;
        if (!all)
            ombc_sleep_until_ns(ombc_now_ns() + 10000000);
    } while (!all && ombc_now_ns() < deadline);
    double sum = 0;
    for (int i = 0; i < AGENTS; i++) {
        fprintf(stderr, "asked %.3f: agent %d publishes at %.3f msg/s\n", total, i, got[i]);
        assert_true(fabs(got[i] - want[i]) <= 0.001);
        sum += got[i];
    }
    assert_true(fabs(sum - total) <= 0.001 * AGENTS);
    struct ombc_counters_stats c;
    char err[512];
    assert_int_equal(w->ops->get_counters_stats(w, &c, err, sizeof(err)), 0);
    assert_true(fabs(c.publish_rate_applied - total) <= 0.001 * AGENTS);
    assert_true(fabs(c.publish_rate_target - total) <= 0.001 * AGENTS);
}

static void rate_reaches_every_agent(void **state) {
    struct fixture *f = *state;
    struct ombc_worker *w = f->w;
    char err[2048] = "";
    int rc = ombc_benchmark_host(&f->conf, &f->hosted, err, sizeof(err));
    if (rc == 0)
        rc = w->ops->initialize_driver(w, f->hosted.conf, err, sizeof(err));
    if (rc)
        fprintf(stderr, "%s\n", err);
    assert_int_equal(rc, 0);
    char **names = NULL;
    assert_int_equal(w->ops->create_topics(w, 1, 4, &names, err, sizeof(err)), 0);
    const char *topics[PRODUCERS] = {names[0], names[0]};
    assert_int_equal(w->ops->create_producers(w, topics, PRODUCERS, err, sizeof(err)), 0);

    double none[AGENTS];
    ombc_local_worker_applied_rates(f->local, none, AGENTS);
    for (int i = 0; i < AGENTS; i++)
        assert_true(none[i] == 0);

    static const uint8_t bytes[100];
    struct ombc_payload payload = {bytes, sizeof(bytes)};
    struct ombc_producer_assignment a = {.publish_rate = 1000,
                                         .key_distributor = OMBC_KEY_NO_KEY,
                                         .payloads = &payload,
                                         .payload_count = 1};
    assert_int_equal(w->ops->start_load(w, &a, err, sizeof(err)), 0);
    expect_rates(f->local, 1000);
    /* the rate controller's steps: doubling, and a fractional settle */
    const double steps[] = {2000, 4000, 3001, 12345.679};
    for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
        assert_int_equal(w->ops->adjust_publish_rate(w, steps[i], err, sizeof(err)), 0);
        expect_rates(f->local, steps[i]);
    }
    /* below 1 msg/s per agent, each publishes 1 msg/s (OMB's LocalWorker),
     * and the worker's target says so */
    assert_int_equal(w->ops->adjust_publish_rate(w, 1.0, err, sizeof(err)), 0);
    expect_rates(f->local, 2.0);
    /* stopping the load brings every agent to 0 */
    assert_int_equal(w->ops->stop_load(w, err, sizeof(err)), 0);
    expect_rates(f->local, 0);
    struct ombc_counters_stats c;
    assert_int_equal(w->ops->get_counters_stats(w, &c, err, sizeof(err)), 0);
    assert_true(c.messages_sent > 0);

    for (int i = 0; i < 1; i++)
        free(names[i]);
    free(names);
    assert_int_equal(w->ops->stop_all(w, err, sizeof(err)), 0);
}

static int setup(void **state) {
    static struct fixture f;
    char err[1024];
    char path[1024];
    ombc_log_init(OMBC_LOG_WARN, "test");
    snprintf(path, sizeof(path), "%s/drivers/kafka-embedded.yaml", getenv("OMBC_SOURCE_DIR"));
    if (ombc_driver_conf_load(path, &f.conf, err, sizeof(err)) != 0) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    struct ombc_agent_options opt = {.exe = getenv("OMBC_BIN"), .spin_us = OMBC_DEFAULT_SPIN_US};
    if (ombc_local_worker_new(AGENTS, &opt, &f.local, err, sizeof(err)) != 0) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    f.w = ombc_local_worker_worker(f.local);
    *state = &f;
    return 0;
}

static int teardown(void **state) {
    struct fixture *f = *state;
    f->w->ops->destroy(f->w);
    ombc_benchmark_unhost(&f->hosted);
    ombc_driver_conf_fini(&f->conf);
    return 0;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(rate_reaches_every_agent, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
