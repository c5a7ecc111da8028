/*
 * producerRate: 0 on the embedded Kafka: OMB's rate controller starts at
 * 10 000 msg/s, climbs while the broker keeps up, backs off when the
 * backlog passes its limits, and every adjusted rate reaches the agents (the
 * period lines follow it). At the end it names the rate found sustainable,
 * in a line and in the result's maxSustainableRate.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <cjson/cJSON.h>

#include "integration/runner.h"

#define MAX_ADJUST 64

static int adjusted_rates(const char *log, double *out) {
    int n = 0;
    const char *needle = "Publish rate adjusted to ";
    for (const char *p = log; n < MAX_ADJUST && (p = strstr(p, needle)); p += strlen(needle))
        out[n++] = strtod(p + strlen(needle), NULL);
    return n;
}

static void rate_search_climbs_and_backs_off(void **state) {
    (void)state;
    struct ombc_run r;
    runner_init(&r);
    runner_write(&r, "max.yaml",
                 "name: max-rate\n"
                 "topics: 1\n"
                 "partitionsPerTopic: 4\n"
                 "messageSize: 100\n"
                 "subscriptionsPerTopic: 1\n"
                 "consumerPerSubscription: 1\n"
                 "producersPerTopic: 2\n"
                 "producerRate: 0\n"
                 "testDurationSeconds: 30\n"
                 "warmupDurationSeconds: 0\n");
    char *args[] = {"run", "--agents", "2", "--report-interval", "3", "-o", "result.json",
                    "max.yaml", NULL};
    runner_run(&r, args, 180);
    if (r.status != 0)
        fprintf(stderr, "stdout:\n%s\nstderr:\n%s\n", r.out, r.err);
    assert_int_equal(r.status, 0);

    double rates[MAX_ADJUST];
    int n = adjusted_rates(r.err, rates);
    fprintf(stderr, "%d adjustments:", n);
    for (int i = 0; i < n; i++)
        fprintf(stderr, " %.0f", rates[i]);
    fprintf(stderr, "\n");
    assert_true(n >= 6); /* every 3 s over 30 s of test */
    /* each adjustment had reached every agent by the next one (the generator
     * compares the agents' applied rates, added up, with the rate it asked) */
    assert_null(strstr(r.err, "The agents publish at"));
    if (runner_sanitized("how far the search climbs")) {
        runner_fini(&r);
        return;
    }

    /* climbs from 10 000 (doubling while the backlog stays small) ... */
    int peak = 0;
    for (int i = 1; i < n; i++)
        if (rates[i] > rates[peak])
            peak = i;
    assert_true(rates[peak] >= 40000);
    /* ... and backs off once the broker cannot keep up (by the 8th step
     * doubling from 10 000 passes the mock's ~640k here; under load it
     * backs off earlier, then may climb again: OMB's controller probes) */
    bool backed_off = false;
    for (int i = 1; i < n; i++)
        backed_off |= rates[i] < rates[i - 1];
    assert_true(backed_off);

    /* the period lines follow: the first period runs near the 10 000 start,
     * a later one well above it */
    cJSON *root = runner_json(r.dir, "result.json");
    assert_non_null(root);
    const cJSON *pub = cJSON_GetObjectItem(root, "publishRate");
    int periods = cJSON_GetArraySize(pub);
    assert_true(periods >= 8);
    double first = cJSON_GetArrayItem(pub, 0)->valuedouble, best = 0;
    const cJSON *v;
    cJSON_ArrayForEach(v, pub) best = v->valuedouble > best ? v->valuedouble : best;
    fprintf(stderr, "first period %.0f msg/s, best %.0f msg/s\n", first, best);
    assert_true(first > 9000 && first < 21000);
    assert_true(best >= 2 * first);
    /* the answer: a line naming the rate found, and the same rate in the
     * result (a rate held through a whole control period: at least the
     * 10 000 start, and one the controller asked for) */
    const cJSON *found = cJSON_GetObjectItem(root, "maxSustainableRate");
    assert_non_null(found);
    assert_true(cJSON_IsNumber(found));
    fprintf(stderr, "maxSustainableRate %.1f msg/s\n", found->valuedouble);
    assert_true(found->valuedouble >= 10000);
    char line[128];
    snprintf(line, sizeof(line), "Maximum sustainable rate: %.1f msg/s (", found->valuedouble);
    assert_non_null(strstr(r.err, line));
    bool asked = found->valuedouble == 10000;
    for (int i = 0; i < n; i++) /* the log line has one decimal */
        asked |= fabs(rates[i] - found->valuedouble) < 0.051;
    assert_true(asked);
    cJSON_Delete(root);
    runner_fini(&r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rate_search_climbs_and_backs_off),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
