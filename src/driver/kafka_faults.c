/*
 * kafka_faults: owns the embedded Kafka's fault schedule (`embeddedFaults`
 * in a Kafka driver file): reading its steps from the driver file's
 * flattened entries ("embeddedFaults[0].at" ...), checking each with
 * FILE:LINE:COL messages, and one thread that applies them to librdkafka's
 * mock cluster at their times (rd_kafka_mock_broker_set_down/_set_up,
 * rd_kafka_mock_broker_set_rtt, rd_kafka_mock_push_request_errors). What a
 * fault does to the clients is left to librdkafka; how the run shows it
 * (errors, latencies, delivery) to the agents and the generator.
 *
 * Called by kafka.c's fixture in the coordinator: load at validate and
 * fixture_start, start when the cluster has started, destroy at
 * fixture_stop.
 * The schedule thread only sleeps and calls the mock's thread-safe API.
 */
#include "driver/kafka_faults.h"

#include <errno.h>
#include <inttypes.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "config/yaml_util.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/log.h"

#define LOGGER "KafkaDriver"
#define KEY "embeddedFaults"
#define MAX_STEPS 1000
#define MAX_SECONDS 86400.0 /* at, for */
#define MAX_RTT_MS 60000
#define MAX_ERROR_COUNT 100000 /* failing requests of one step */
#define PRODUCE_API_KEY 0      /* Kafka protocol ApiKey of ProduceRequest */

enum action { ACTION_DOWN, ACTION_UP, ACTION_RTT, ACTION_PRODUCE_ERRORS };
static const char *const action_names[] = {"down", "up", "rtt", "produceErrors", NULL};

/* A step's keys, and which actions take each (bit per action). */
enum { K_AT, K_ACTION, K_BROKER, K_FOR, K_MS, K_ERROR, K_COUNT, K_COUNT_OF_KEYS };
static const struct {
    const char *name;
    unsigned actions;
} step_keys[K_COUNT_OF_KEYS] = {
    [K_AT] = {"at", 0xf},
    [K_ACTION] = {"action", 0xf},
    [K_BROKER] = {"broker", 0xf},
    [K_FOR] = {"for", 1u << ACTION_DOWN | 1u << ACTION_RTT},
    [K_MS] = {"ms", 1u << ACTION_RTT},
    [K_ERROR] = {"error", 1u << ACTION_PRODUCE_ERRORS},
    [K_COUNT] = {"count", 1u << ACTION_PRODUCE_ERRORS},
};
#define KNOWN_KEYS "at, action, broker, for, ms, error, count"

/* Kafka's (Java) error names that librdkafka spells differently. */
static const struct {
    const char *java;
    rd_kafka_resp_err_t code;
} error_aliases[] = {
    {"NOT_LEADER_OR_FOLLOWER", RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION},
    {"CORRUPT_MESSAGE", RD_KAFKA_RESP_ERR_INVALID_MSG},
    {"MESSAGE_TOO_LARGE", RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE},
    {NULL, 0},
};

/* One change to the cluster; a step with `for` makes two. */
struct event {
    int64_t at_ns; /* after the cluster's start */
    enum action action;
    int32_t broker; /* 1..N, or -1: every broker */
    int value;      /* rtt: ms; produceErrors: the error code */
    int64_t count;  /* produceErrors: requests that fail */
    int step;       /* index in the file, for the log */
    bool undo;      /* the end of a step's `for` */
};

struct ombc_kafka_faults {
    struct event *events; /* sorted by at_ns, file order among equals */
    size_t count;
    rd_kafka_mock_cluster_t *mock;
    int64_t t0_ns;
    pthread_t thread;
    bool running;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool stop; /* under lock */
};

/* ------------------------------------------------------------- parsing */

/* The entries of one step, by key; first is its first entry (positions
 * for messages about the step as a whole). */
struct step {
    const struct ombc_conf_entry *key[K_COUNT_OF_KEYS];
    const struct ombc_conf_entry *first;
};

static int bad(const struct ombc_driver_conf *dc, const struct ombc_conf_entry *e, int code,
               char *errstr, size_t errstr_size, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* "FILE:LINE:COL: " + message, at entry e. */
static int bad(const struct ombc_driver_conf *dc, const struct ombc_conf_entry *e, int code,
               char *errstr, size_t errstr_size, const char *fmt, ...) {
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return ombc_errf(errstr, errstr_size, code, "%s:%d:%d: %s", dc->path, e->line, e->column, msg);
}

static const char *show(const char *v, char *buf) {
    return ombc_yaml_show(v, buf, OMBC_YAML_SHOW_SIZE);
}

/* Seconds (a decimal number) up to MAX_SECONDS, from 0 or, when positive,
 * above 0; into nanoseconds. */
static int parse_seconds(const struct ombc_driver_conf *dc, const struct ombc_conf_entry *e,
                         int idx, const char *key, bool positive, int64_t *out_ns, char *errstr,
                         size_t errstr_size) {
    char *end;
    errno = 0;
    double s = strtod(e->value, &end);
    if (end == e->value || *end || errno || !isfinite(s) || s < 0 || (positive && s == 0) ||
        s > MAX_SECONDS) {
        char b[OMBC_YAML_SHOW_SIZE];
        return bad(dc, e, OMBC_ERANGE, errstr, errstr_size,
                   KEY "[%d]: key '%s': expected seconds, a number %s 0 and at most %.0f, "
                       "got '%s'",
                   idx, key, positive ? "above" : "from", MAX_SECONDS, show(e->value, b));
    }
    *out_ns = llround(s * 1e9);
    return 0;
}

static int parse_int(const struct ombc_driver_conf *dc, const struct ombc_conf_entry *e, int idx,
                     const char *key, int64_t min, int64_t max, int64_t *out, char *errstr,
                     size_t errstr_size) {
    int64_t v;
    if (ombc_yaml_parse_int(e->value, &v) != 0 || v < min || v > max) {
        char b[OMBC_YAML_SHOW_SIZE];
        return bad(dc, e, OMBC_ERANGE, errstr, errstr_size,
                   KEY "[%d]: key '%s': expected an integer in [%" PRId64 ", %" PRId64
                       "], got '%s'",
                   idx, key, min, max, show(e->value, b));
    }
    *out = v;
    return 0;
}

/* A Kafka error by librdkafka's name (NOT_LEADER_FOR_PARTITION), Kafka's
 * (NOT_LEADER_OR_FOLLOWER), either case, or by code. Broker errors only,
 * and _TRANSPORT (the mock then drops the connection). */
static int parse_error(const struct ombc_driver_conf *dc, const struct ombc_conf_entry *e, int idx,
                       int *out, char *errstr, size_t errstr_size) {
    const struct rd_kafka_err_desc *descs;
    size_t n;
    rd_kafka_get_err_descs(&descs, &n);
    int64_t code;
    bool numeric = ombc_yaml_parse_int(e->value, &code) == 0;
    for (size_t i = 0; i < n; i++) {
        if (!descs[i].name || (descs[i].code <= 0 && descs[i].code != RD_KAFKA_RESP_ERR__TRANSPORT))
            continue;
        if (numeric ? descs[i].code == code : strcasecmp(descs[i].name, e->value) == 0) {
            *out = descs[i].code;
            return 0;
        }
    }
    for (size_t i = 0; !numeric && error_aliases[i].java; i++) {
        if (strcasecmp(error_aliases[i].java, e->value) == 0) {
            *out = error_aliases[i].code;
            return 0;
        }
    }
    char b[OMBC_YAML_SHOW_SIZE];
    return bad(dc, e, OMBC_EPARSE, errstr, errstr_size,
               KEY "[%d]: key 'error': unknown Kafka error '%s' (expected a broker error name "
                   "such as INVALID_RECORD or NOT_LEADER_OR_FOLLOWER, _TRANSPORT, or a code)",
               idx, show(e->value, b));
}

/* Sorts the steps' entries out of dc's flattened keys. */
static int collect_steps(const struct ombc_driver_conf *dc, struct step **steps_out,
                         size_t *count_out, const struct ombc_conf_entry **first_out, char *errstr,
                         size_t errstr_size) {
    const size_t klen = strlen(KEY);
    struct step *steps = NULL;
    size_t count = 0;
    int rc = 0;
    *first_out = NULL;
    for (size_t i = 0; rc == 0 && i < dc->entry_count; i++) {
        const struct ombc_conf_entry *e = &dc->entries[i];
        if (strncmp(e->key, KEY, klen) != 0)
            continue;
        const char *rest = e->key + klen;
        char b[OMBC_YAML_SHOW_SIZE];
        if (*rest == '\0' || *rest == '.') {
            rc = bad(dc, e, OMBC_EPARSE, errstr, errstr_size,
                     "key '" KEY "': expected a list of steps such as "
                     "{at: 5, action: down, broker: 1, for: 3}, got %s",
                     *rest ? "a mapping" : "a scalar");
            break;
        }
        if (*rest != '[')
            continue; /* another key that starts the same way */
        if (!*first_out)
            *first_out = e;
        char *end;
        unsigned long idx = strtoul(rest + 1, &end, 10);
        if (*end != ']' || idx >= MAX_STEPS) {
            rc = bad(dc, e, OMBC_ERANGE, errstr, errstr_size, "key '" KEY "': more than %d steps",
                     MAX_STEPS);
            break;
        }
        rest = end + 1;
        if (*rest != '.') {
            rc = bad(dc, e, OMBC_EPARSE, errstr, errstr_size,
                     KEY "[%lu]: expected a mapping such as "
                         "{at: 5, action: down, broker: 1, for: 3}, got %s%s%s",
                     idx, *rest ? "a sequence" : "'", *rest ? "" : show(e->value, b),
                     *rest ? "" : "'");
            break;
        }
        if (idx >= count) {
            struct step *s = realloc(steps, (idx + 1) * sizeof(*s));
            if (!s) {
                rc = OMBC_ENOMEM;
                break;
            }
            memset(s + count, 0, (idx + 1 - count) * sizeof(*s));
            steps = s;
            count = idx + 1;
        }
        struct step *st = &steps[idx];
        if (!st->first)
            st->first = e;
        const char *name = rest + 1;
        size_t nlen = strcspn(name, ".[");
        int k = 0;
        while (k < K_COUNT_OF_KEYS &&
               !(strlen(step_keys[k].name) == nlen && strncmp(step_keys[k].name, name, nlen) == 0))
            k++;
        if (k == K_COUNT_OF_KEYS) {
            rc = bad(dc, e, OMBC_EPARSE, errstr, errstr_size,
                     KEY "[%lu]: unknown key '%.*s' (known: " KNOWN_KEYS ")", idx, (int)nlen, name);
            break;
        }
        if (name[nlen]) {
            rc = bad(dc, e, OMBC_EPARSE, errstr, errstr_size,
                     KEY "[%lu]: key '%s': expected a scalar, got %s", idx, step_keys[k].name,
                     name[nlen] == '[' ? "a sequence" : "a mapping");
            break;
        }
        st->key[k] = e;
    }
    if (rc != 0) {
        free(steps);
        return rc;
    }
    *steps_out = steps;
    *count_out = count;
    return 0;
}

static int add_event(struct ombc_kafka_faults *f, size_t *cap, struct event ev) {
    if (f->count == *cap) {
        size_t c = *cap ? *cap * 2 : 8;
        struct event *e = realloc(f->events, c * sizeof(*e));
        if (!e)
            return OMBC_ENOMEM;
        f->events = e;
        *cap = c;
    }
    f->events[f->count++] = ev;
    return 0;
}

/* Checks one step and adds its events. */
static int parse_step(const struct ombc_driver_conf *dc, const struct step *st, int idx,
                      int64_t brokers, struct ombc_kafka_faults *f, size_t *cap, char *errstr,
                      size_t errstr_size) {
    const struct ombc_conf_entry *const *k = st->key;
    char b[OMBC_YAML_SHOW_SIZE];
    if (!k[K_ACTION])
        return bad(dc, st->first, OMBC_EPARSE, errstr, errstr_size,
                   KEY "[%d]: missing 'action' (one of down, up, rtt, produceErrors)", idx);
    int action = 0;
    while (action_names[action] && strcmp(action_names[action], k[K_ACTION]->value) != 0)
        action++;
    if (!action_names[action])
        return bad(dc, k[K_ACTION], OMBC_EPARSE, errstr, errstr_size,
                   KEY "[%d]: key 'action': expected one of down, up, rtt, produceErrors, "
                       "got '%s'",
                   idx, show(k[K_ACTION]->value, b));
    for (int key = 0; key < K_COUNT_OF_KEYS; key++)
        if (k[key] && !(step_keys[key].actions & (1u << action)))
            return bad(dc, k[key], OMBC_EPARSE, errstr, errstr_size,
                       KEY "[%d]: key '%s' does not apply to action %s", idx, step_keys[key].name,
                       action_names[action]);
    if (!k[K_AT])
        return bad(dc, st->first, OMBC_EPARSE, errstr, errstr_size,
                   KEY "[%d]: missing 'at' (seconds after the embedded Kafka starts)", idx);
    if (action == ACTION_RTT && !k[K_MS])
        return bad(dc, k[K_ACTION], OMBC_EPARSE, errstr, errstr_size,
                   KEY "[%d]: action rtt needs 'ms' (the added round-trip time)", idx);
    if (action == ACTION_PRODUCE_ERRORS && !k[K_ERROR])
        return bad(dc, k[K_ACTION], OMBC_EPARSE, errstr, errstr_size,
                   KEY "[%d]: action produceErrors needs 'error' (a Kafka error name)", idx);

    struct event ev = {.action = (enum action)action, .broker = -1, .count = 1, .step = idx};
    int64_t v, for_ns = 0;
    int rc = parse_seconds(dc, k[K_AT], idx, "at", false, &ev.at_ns, errstr, errstr_size);
    if (rc == 0 && k[K_FOR])
        rc = parse_seconds(dc, k[K_FOR], idx, "for", true, &for_ns, errstr, errstr_size);
    if (rc == 0 && k[K_BROKER]) {
        rc = parse_int(dc, k[K_BROKER], idx, "broker", 1, brokers, &v, errstr, errstr_size);
        ev.broker = (int32_t)v;
    }
    if (rc == 0 && k[K_MS]) {
        rc = parse_int(dc, k[K_MS], idx, "ms", 0, MAX_RTT_MS, &v, errstr, errstr_size);
        ev.value = (int)v;
    }
    if (rc == 0 && k[K_COUNT])
        rc = parse_int(dc, k[K_COUNT], idx, "count", 1, MAX_ERROR_COUNT, &ev.count, errstr,
                       errstr_size);
    if (rc == 0 && k[K_ERROR])
        rc = parse_error(dc, k[K_ERROR], idx, &ev.value, errstr, errstr_size);
    if (rc == 0)
        rc = add_event(f, cap, ev);
    if (rc == 0 && for_ns > 0) {
        struct event undo = ev;
        undo.at_ns = ev.at_ns + for_ns;
        undo.undo = true;
        undo.action = action == ACTION_DOWN ? ACTION_UP : ACTION_RTT;
        undo.value = 0;
        rc = add_event(f, cap, undo);
    }
    return rc;
}

static int by_time(const void *x, const void *y) {
    const struct event *a = x, *b = y;
    if (a->at_ns != b->at_ns)
        return a->at_ns < b->at_ns ? -1 : 1;
    if (a->step != b->step) /* equal times: file order */
        return a->step < b->step ? -1 : 1;
    return (int)a->undo - (int)b->undo;
}

int ombc_kafka_faults_load(const struct ombc_driver_conf *dc, int64_t brokers,
                           struct ombc_kafka_faults **out, char *errstr, size_t errstr_size) {
    *out = NULL;
    struct step *steps = NULL;
    size_t n = 0;
    const struct ombc_conf_entry *first;
    int rc = collect_steps(dc, &steps, &n, &first, errstr, errstr_size);
    if (rc != 0)
        return rc;
    if (n > 0 && brokers <= 0) {
        free(steps);
        return bad(dc, first, OMBC_EINVAL, errstr, errstr_size,
                   "key '" KEY "': faults are for the embedded Kafka only (set embeddedBrokers)");
    }
    struct ombc_kafka_faults *f = NULL;
    if (n > 0 && !(f = calloc(1, sizeof(*f))))
        rc = OMBC_ENOMEM;
    size_t cap = 0;
    for (size_t i = 0; rc == 0 && i < n; i++)
        if (steps[i].first) /* an empty step (`- {}`) does nothing */
            rc = parse_step(dc, &steps[i], (int)i, brokers, f, &cap, errstr, errstr_size);
    free(steps);
    if (rc == OMBC_ENOMEM)
        ombc_errf(errstr, errstr_size, rc, "%s: out of memory", dc->path);
    if (rc != 0 || (f && f->count == 0)) {
        ombc_kafka_faults_destroy(f);
        return rc;
    }
    if (f)
        qsort(f->events, f->count, sizeof(*f->events), by_time);
    *out = f;
    return 0;
}

/* ------------------------------------------------------------ applying */

static void describe_broker(char *buf, size_t size, const struct event *ev) {
    if (ev->broker >= 0)
        snprintf(buf, size, "broker %" PRId32, ev->broker);
    else
        snprintf(buf, size, ev->action == ACTION_PRODUCE_ERRORS ? "any broker" : "every broker");
}

/* Pushes count errors onto the cluster's (or one broker's) Produce error
 * stack: the next count Produce requests fail with it. */
static rd_kafka_resp_err_t push_produce_errors(rd_kafka_mock_cluster_t *mock,
                                               const struct event *ev) {
    const rd_kafka_resp_err_t e = (rd_kafka_resp_err_t)ev->value;
    if (ev->broker < 0) {
        rd_kafka_resp_err_t chunk[256];
        for (size_t i = 0; i < sizeof(chunk) / sizeof(chunk[0]); i++)
            chunk[i] = e;
        for (int64_t left = ev->count; left > 0; left -= 256)
            rd_kafka_mock_push_request_errors_array(mock, PRODUCE_API_KEY,
                                                    left < 256 ? (size_t)left : 256, chunk);
        return RD_KAFKA_RESP_ERR_NO_ERROR;
    }
    rd_kafka_resp_err_t r = RD_KAFKA_RESP_ERR_NO_ERROR;
    int64_t left = ev->count;
    for (; r == 0 && left >= 8; left -= 8) /* (error, rtt ms) pairs */
        r = rd_kafka_mock_broker_push_request_error_rtts(mock, ev->broker, PRODUCE_API_KEY, 8, e, 0,
                                                         e, 0, e, 0, e, 0, e, 0, e, 0, e, 0, e, 0);
    for (; r == 0 && left > 0; left--)
        r = rd_kafka_mock_broker_push_request_error_rtts(mock, ev->broker, PRODUCE_API_KEY, 1, e,
                                                         0);
    return r;
}

static void apply(struct ombc_kafka_faults *f, const struct event *ev) {
    char who[32];
    describe_broker(who, sizeof(who), ev);
    rd_kafka_resp_err_t r = RD_KAFKA_RESP_ERR_NO_ERROR;
    switch (ev->action) {
    case ACTION_DOWN:
        r = rd_kafka_mock_broker_set_down(f->mock, ev->broker);
        OMBC_INFO(LOGGER, "Embedded Kafka: " KEY "[%d]: %s down", ev->step, who);
        break;
    case ACTION_UP:
        r = rd_kafka_mock_broker_set_up(f->mock, ev->broker);
        OMBC_INFO(LOGGER, "Embedded Kafka: " KEY "[%d]: %s up%s", ev->step, who,
                  ev->undo ? " again" : "");
        break;
    case ACTION_RTT:
        r = rd_kafka_mock_broker_set_rtt(f->mock, ev->broker, ev->value);
        OMBC_INFO(LOGGER, "Embedded Kafka: " KEY "[%d]: %s round-trip time +%d ms%s", ev->step, who,
                  ev->value, ev->undo ? " (back to normal)" : "");
        break;
    case ACTION_PRODUCE_ERRORS:
        r = push_produce_errors(f->mock, ev);
        OMBC_INFO(LOGGER,
                  "Embedded Kafka: " KEY "[%d]: the next %" PRId64 " Produce requests to %s fail "
                  "with %s",
                  ev->step, ev->count, who, rd_kafka_err2name((rd_kafka_resp_err_t)ev->value));
        break;
    }
    if (r)
        OMBC_WARN(LOGGER, "Embedded Kafka: " KEY "[%d]: the mock refused it: %s", ev->step,
                  rd_kafka_err2str(r));
}

static void *schedule_main(void *arg) {
    struct ombc_kafka_faults *f = arg;
    pthread_mutex_lock(&f->lock);
    for (size_t i = 0; i < f->count && !f->stop;) {
        int64_t due = f->t0_ns + f->events[i].at_ns;
        if (ombc_now_ns() < due) {
            struct timespec ts = {.tv_sec = due / 1000000000, .tv_nsec = due % 1000000000};
            pthread_cond_timedwait(&f->cond, &f->lock, &ts);
            continue;
        }
        pthread_mutex_unlock(&f->lock);
        apply(f, &f->events[i++]);
        pthread_mutex_lock(&f->lock);
    }
    pthread_mutex_unlock(&f->lock);
    return NULL;
}

int ombc_kafka_faults_start(struct ombc_kafka_faults *f, struct rd_kafka_mock_cluster_s *mock,
                            char *errstr, size_t errstr_size) {
    if (!f)
        return 0;
    f->mock = mock;
    f->t0_ns = ombc_now_ns();
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    int e = pthread_cond_init(&f->cond, &ca);
    pthread_condattr_destroy(&ca);
    if (e == 0 && (e = pthread_mutex_init(&f->lock, NULL)) != 0)
        pthread_cond_destroy(&f->cond);
    if (e == 0 && (e = pthread_create(&f->thread, NULL, schedule_main, f)) != 0) {
        pthread_mutex_destroy(&f->lock);
        pthread_cond_destroy(&f->cond);
    }
    if (e != 0)
        return ombc_errf(errstr, errstr_size, OMBC_EIO,
                         "embedded Kafka: cannot start the fault schedule: %s", strerror(e));
    f->running = true;
    OMBC_INFO(LOGGER, "Embedded Kafka: %zu fault events scheduled, the first in %.1f s", f->count,
              (double)f->events[0].at_ns / 1e9);
    return 0;
}

void ombc_kafka_faults_destroy(struct ombc_kafka_faults *f) {
    if (!f)
        return;
    if (f->running) {
        pthread_mutex_lock(&f->lock);
        f->stop = true;
        pthread_cond_signal(&f->cond);
        pthread_mutex_unlock(&f->lock);
        pthread_join(f->thread, NULL);
        pthread_mutex_destroy(&f->lock);
        pthread_cond_destroy(&f->cond);
    }
    free(f->events);
    free(f);
}
