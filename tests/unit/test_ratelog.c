/*
 * Unit tests for core/ratelog: one line per kind per interval, the count of
 * what was held back in the kind's next line or in a flush, kinds past the
 * table sharing its last slot, and several threads on a shared one. Time is
 * passed in, so nothing sleeps; the lines are read back from stderr.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"
#include "core/ratelog.h"

#define S 1000000000LL

/* stderr into a temporary file while a test runs. */
static int saved_stderr = -1;
static FILE *captured;

static int capture(void **state) {
    (void)state;
    fflush(stderr);
    captured = tmpfile();
    saved_stderr = dup(STDERR_FILENO);
    dup2(fileno(captured), STDERR_FILENO);
    return 0;
}

static int release(void **state) {
    (void)state;
    dup2(saved_stderr, STDERR_FILENO);
    close(saved_stderr);
    fclose(captured);
    return 0;
}

/* Everything logged since the last call: the lines' messages (after
 * " - "), one per line. */
static char *lines(void) {
    static char out[8192];
    static long read_to;
    size_t n = 0;
    fseek(captured, read_to, SEEK_SET);
    char line[1024];
    while (fgets(line, sizeof(line), captured)) {
        const char *m = strstr(line, " - ");
        n += (size_t)snprintf(out + n, sizeof(out) - n, "%s", m ? m + 3 : line);
    }
    read_to = ftell(captured);
    out[n] = '\0';
    return out;
}

static void one_line_per_kind_per_interval(void **state) {
    (void)state;
    struct ombc_ratelog rl;
    ombc_ratelog_init(&rl, "Agent", "send refused", S, false);
    int64_t t = 5 * S;
    assert_true(ombc_ratelog_log(&rl, OMBC_LOG_WARN, "queue full", t, "%s", "queue full"));
    for (int i = 0; i < 41; i++) /* within the interval: held back */
        assert_false(ombc_ratelog_log(&rl, OMBC_LOG_WARN, "queue full", t + i, "queue full"));
    assert_true(ombc_ratelog_log(&rl, OMBC_LOG_WARN, "timed out", t + 10, "timed out")); /* kind */
    assert_int_equal(rl.held, 41);
    assert_true(ombc_ratelog_log(&rl, OMBC_LOG_WARN, "queue full", t + S, "queue full"));
    assert_int_equal(rl.held, 0);
    assert_string_equal(lines(), "send refused: queue full\n"
                                 "send refused: timed out\n"
                                 "send refused: queue full (and 41 more like it since the last "
                                 "line)\n");
    ombc_ratelog_fini(&rl);
}

static void flush_tells_quiet_kinds(void **state) {
    (void)state;
    struct ombc_ratelog rl;
    ombc_ratelog_init(&rl, "librdkafka", NULL, S, false);
    ombc_ratelog_log(&rl, OMBC_LOG_WARN, "REQTMOUT", 0, "REQTMOUT: a");
    ombc_ratelog_log(&rl, OMBC_LOG_WARN, "REQTMOUT", 1, "REQTMOUT: b");
    ombc_ratelog_log(&rl, OMBC_LOG_WARN, "REQTMOUT", 2, "REQTMOUT: c");
    assert_int_equal(ombc_ratelog_flush(&rl, OMBC_LOG_WARN, S - 1, false), 0); /* not quiet yet */
    assert_int_equal(ombc_ratelog_flush(&rl, OMBC_LOG_WARN, S, false), 2);
    assert_int_equal(ombc_ratelog_flush(&rl, OMBC_LOG_WARN, 3 * S, false), 0); /* told once */
    ombc_ratelog_log(&rl, OMBC_LOG_WARN, "COMMITFAIL", 3 * S, "COMMITFAIL: x");
    ombc_ratelog_log(&rl, OMBC_LOG_WARN, "COMMITFAIL", 3 * S, "COMMITFAIL: x");
    assert_int_equal(ombc_ratelog_flush(&rl, OMBC_LOG_WARN, 3 * S, true), 1); /* all: at stop */
    assert_string_equal(lines(), "REQTMOUT: a\n"
                                 "REQTMOUT: 2 more like it since the last line\n"
                                 "COMMITFAIL: x\n"
                                 "COMMITFAIL: 1 more like it since the last line\n");
    ombc_ratelog_fini(&rl);
}

static void admit_alone_counts(void **state) {
    (void)state;
    struct ombc_ratelog rl;
    ombc_ratelog_init(&rl, "x", NULL, 5 * S, false);
    int64_t held = -1;
    assert_true(ombc_ratelog_admit(&rl, "k", 0, &held)); /* at time 0: the first is admitted */
    assert_int_equal(held, 0);
    assert_false(ombc_ratelog_admit(&rl, "k", 5 * S - 1, &held));
    assert_false(ombc_ratelog_admit(&rl, "k", 5 * S - 1, NULL));
    assert_true(ombc_ratelog_admit(&rl, "k", 5 * S, &held));
    assert_int_equal(held, 2);
    assert_string_equal(lines(), "");
    ombc_ratelog_fini(&rl);
}

/* Kinds past the table share the last slot, which takes the newest label;
 * long kinds are compared on their first OMBC_RATELOG_KIND_MAX - 1 bytes. */
static void kinds_past_the_table_share_the_last_slot(void **state) {
    (void)state;
    struct ombc_ratelog rl;
    ombc_ratelog_init(&rl, "x", NULL, S, false);
    char kind[32];
    for (int i = 0; i < OMBC_RATELOG_KINDS - 1; i++) {
        snprintf(kind, sizeof(kind), "kind %d", i);
        assert_true(ombc_ratelog_admit(&rl, kind, 0, NULL));
    }
    assert_true(ombc_ratelog_admit(&rl, "overflow a", 0, NULL));
    assert_false(ombc_ratelog_admit(&rl, "overflow b", 0, NULL)); /* same slot, within 1 s */
    assert_string_equal(rl.kind[OMBC_RATELOG_KINDS - 1].text, "overflow b");
    assert_false(ombc_ratelog_admit(&rl, "kind 3", 1, NULL)); /* its own slot still */
    char long_a[300], long_b[300];
    memset(long_a, 'a', sizeof(long_a) - 1);
    long_a[sizeof(long_a) - 1] = '\0';
    memcpy(long_b, long_a, sizeof(long_b));
    long_b[200] = 'b'; /* differs past the compared prefix: the same kind */
    struct ombc_ratelog r2;
    ombc_ratelog_init(&r2, "x", NULL, S, false);
    assert_true(ombc_ratelog_admit(&r2, long_a, 0, NULL));
    assert_false(ombc_ratelog_admit(&r2, long_b, 0, NULL));
    ombc_ratelog_fini(&r2);
    ombc_ratelog_fini(&rl);
}

struct hammer {
    struct ombc_ratelog *rl;
    int admitted;
};

static void *hammer_thread(void *arg) {
    struct hammer *h = arg;
    for (int i = 0; i < 10000; i++)
        h->admitted += ombc_ratelog_admit(h->rl, "same", 0, NULL);
    return NULL;
}

/* Shared: four threads, one instant: exactly one admitted, none lost. */
static void shared_counts_every_thread(void **state) {
    (void)state;
    struct ombc_ratelog rl;
    ombc_ratelog_init(&rl, "x", NULL, S, true);
    pthread_t t[4];
    struct hammer h[4];
    for (int i = 0; i < 4; i++) {
        h[i] = (struct hammer){&rl, 0};
        pthread_create(&t[i], NULL, hammer_thread, &h[i]);
    }
    int admitted = 0;
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        admitted += h[i].admitted;
    }
    assert_int_equal(admitted, 1);
    assert_int_equal(rl.held, 4 * 10000 - 1);
    int64_t held = 0;
    assert_true(ombc_ratelog_admit(&rl, "same", S, &held));
    assert_int_equal(held, 4 * 10000 - 1);
    ombc_ratelog_fini(&rl);
}

int main(void) {
    ombc_log_init(OMBC_LOG_INFO, "test");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_line_per_kind_per_interval),
        cmocka_unit_test(flush_tells_quiet_kinds),
        cmocka_unit_test(admit_alone_counts),
        cmocka_unit_test(kinds_past_the_table_share_the_last_slot),
        cmocka_unit_test(shared_counts_every_thread),
    };
    return cmocka_run_group_tests(tests, capture, release);
}
