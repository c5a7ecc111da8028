/*
 * registry: maps an OMB driverClass (or ombc's short name) to a driver's
 * table of operations, checks tables (ombc_driver_check_ops), and serves a
 * side's completions through whichever poll a table has. Adding a broker
 * means adding its table here and its sources in CMakeLists.txt; a driver
 * left out of the build links its *_absent.c table instead (names only,
 * not_built set), chosen in CMake, so this file has no #ifdef.
 * Called at set-up (find, check) from one thread; the poll helpers from the
 * agent's poller threads.
 */
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "driver/driver.h"

extern const struct ombc_driver_ops ombc_kafka_driver;
extern const struct ombc_driver_ops ombc_null_driver;

static const struct ombc_driver_ops *const drivers[] = {
    &ombc_kafka_driver,
    &ombc_null_driver,
};

const struct ombc_driver_ops *const *ombc_driver_list(size_t *count) {
    *count = sizeof(drivers) / sizeof(drivers[0]);
    return drivers;
}

static int lacks(const struct ombc_driver_ops *d, const char *what, char *errstr,
                 size_t errstr_size) {
    return ombc_errf(errstr, errstr_size, OMBC_EINVAL, "driver '%s': its table %s",
                     d->name ? d->name : "(unnamed)", what);
}

int ombc_driver_check_ops(const struct ombc_driver_ops *d, char *errstr, size_t errstr_size) {
    if (!d->name || !d->driver_classes || !d->driver_classes[0])
        return lacks(d, "has no name or driverClass", errstr, errstr_size);
    if (d->not_built)
        return 0;
    if (!d->topic_prefix)
        return lacks(d, "has no topic_prefix", errstr, errstr_size);
    static const struct {
        size_t offset;
        const char *name;
    } required[] = {
        {offsetof(struct ombc_driver_ops, client_open), "client_open"},
        {offsetof(struct ombc_driver_ops, client_close), "client_close"},
        {offsetof(struct ombc_driver_ops, producer_new), "producer_new"},
        {offsetof(struct ombc_driver_ops, producer_send), "producer_send"},
        {offsetof(struct ombc_driver_ops, producer_flush), "producer_flush"},
        {offsetof(struct ombc_driver_ops, producer_close), "producer_close"},
        {offsetof(struct ombc_driver_ops, consumer_new), "consumer_new"},
        {offsetof(struct ombc_driver_ops, consumer_close), "consumer_close"},
    };
    for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
        void (*op)(void);
        memcpy(&op, (const char *)d + required[i].offset, sizeof(op));
        if (!op) {
            char what[64];
            snprintf(what, sizeof(what), "lacks %s", required[i].name);
            return lacks(d, what, errstr, errstr_size);
        }
    }
    if (!d->client_poll && (!d->producer_poll || !d->consumer_poll))
        return lacks(d, "lacks client_poll, or producer_poll and consumer_poll", errstr,
                     errstr_size);
    if (!d->fixture_start != !d->fixture_stop)
        return lacks(d, "has one of fixture_start and fixture_stop without the other", errstr,
                     errstr_size);
    if (!d->admin_open != !d->admin_close)
        return lacks(d, "has one of admin_open and admin_close without the other", errstr,
                     errstr_size);
    if (!d->admin_open && (d->create_topics || d->delete_topics || d->list_topics))
        return lacks(d, "has admin ops without admin_open", errstr, errstr_size);
    return 0;
}

const struct ombc_driver_ops *ombc_driver_find(const struct ombc_driver_conf *conf,
                                               char *errstr, size_t errstr_size) {
    const char *want = conf->driver_class;
    char known[512] = "";
    size_t used = 0;
    for (size_t i = 0; i < sizeof(drivers) / sizeof(drivers[0]); i++) {
        const struct ombc_driver_ops *d = drivers[i];
        bool match = strcmp(want, d->name) == 0;
        for (const char *const *c = d->driver_classes; !match && *c; c++) {
            match = strcmp(want, *c) == 0;
            int n = snprintf(known + used, sizeof(known) - used, "%s%s", used ? ", " : "", *c);
            if (n > 0 && (size_t)n < sizeof(known) - used)
                used += (size_t)n;
        }
        if (!match)
            continue;
        if (d->not_built) {
            ombc_errf(errstr, errstr_size, OMBC_ENOENT,
                      "%s: driverClass '%s' is known but driver '%s' was not built (%s=OFF)",
                      conf->path, want, d->name, d->not_built);
            return NULL;
        }
        char err[256];
        if (ombc_driver_check_ops(d, err, sizeof(err)) != 0) {
            ombc_errf(errstr, errstr_size, OMBC_EINVAL, "%s: %s", conf->path, err);
            return NULL;
        }
        return d;
    }
    ombc_errf(errstr, errstr_size, OMBC_ENOENT, "%s: driverClass '%s' is not supported (known: %s)",
              conf->path, want, known);
    return NULL;
}

int ombc_driver_poll_producers(const struct ombc_driver_ops *d, struct ombc_client *c,
                               struct ombc_producer *const *p, int n) {
    if (d->client_poll)
        return n > 0 ? d->client_poll(c, true, 0) : 0;
    int got = 0;
    for (int i = 0; i < n; i++)
        got += d->producer_poll(p[i]);
    return got;
}

int ombc_driver_poll_consumers(const struct ombc_driver_ops *d, struct ombc_client *c,
                               struct ombc_consumer *const *s, int n, int max) {
    if (d->client_poll)
        return n > 0 ? d->client_poll(c, false, max) : 0;
    int got = 0;
    for (int i = 0; i < n; i++)
        got += d->consumer_poll(s[i], max);
    return got;
}
