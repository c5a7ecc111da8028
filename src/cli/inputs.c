/*
 * inputs: loads and checks the workload and driver files of `ombc run` and
 * `ombc validate` (the same code for both), reporting every problem on
 * stderr, one line each. Parsing is the config modules' job, the checks
 * belong to the workload loader, the generator, the payload module, the
 * driver file's key list (each driver's ops table) and each driver; this
 * file only strings them together, checks each workload against each
 * driver (a backlog its hosted broker cannot keep) and finds the default
 * driver file.
 */
#include "cli/inputs.h"

#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "driver/driver.h"
#include "run/generator.h"
#include "run/payload.h"

#define ERR_SIZE 4096

/* The embedded Kafka driver file: in the source tree the binary was built
 * from, where make install put it (../share/ombc beside the binary), beside
 * the binary's build directory, or in the working directory. */
static void default_driver(const char *exe, char *out, size_t size) {
    char self[PATH_MAX] = ".";
    if (!exe) {
        ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
        self[n > 0 ? n : 0] = '\0';
        exe = self;
    }
    char dir[PATH_MAX];
    snprintf(dir, sizeof(dir), "%s", exe);
    snprintf(dir, sizeof(dir), "%s", dirname(dir));
    char candidates[4][PATH_MAX + 64];
    snprintf(candidates[0], sizeof(candidates[0]), "%s/%s", OMBC_DATA_DIR,
             OMBC_INPUTS_DEFAULT_DRIVER);
    /* installed: PREFIX/bin/ombc, PREFIX/share/ombc/drivers (make install) */
    snprintf(candidates[1], sizeof(candidates[1]), "%s/../share/ombc/%s", dir,
             OMBC_INPUTS_DEFAULT_DRIVER);
    snprintf(candidates[2], sizeof(candidates[2]), "%s/../%s", dir, OMBC_INPUTS_DEFAULT_DRIVER);
    snprintf(candidates[3], sizeof(candidates[3]), "%s", OMBC_INPUTS_DEFAULT_DRIVER);
    size_t pick = 3; /* relative: a clear "cannot open" if it is missing */
    for (size_t i = 0; i < 4; i++) {
        if (access(candidates[i], R_OK) == 0) {
            pick = i;
            break;
        }
    }
    size_t len = strnlen(candidates[pick], size - 1);
    memcpy(out, candidates[pick], len);
    out[len] = '\0';
}

static void report(struct ombc_inputs *in, const char *prefix, const char *line) {
    fprintf(stderr, "%s%s\n", prefix, line);
    in->problems++;
}

/* Loads and checks one workload; reports its first problem. */
static void load_workload(struct ombc_inputs *in, int i, const char *path, const char *prefix) {
    char err[ERR_SIZE];
    struct ombc_workload *w = &in->workloads[i];
    int rc = ombc_workload_load(path, w, err, sizeof(err));
    if (rc == 0)
        rc = ombc_workload_check(w, err, sizeof(err));
    if (rc == 0)
        rc = ombc_generator_check(w, err, sizeof(err));
    if (rc == 0)
        rc = ombc_payload_check(w, err, sizeof(err));
    if (rc)
        report(in, prefix, err);
    in->workload_ok[i] = rc == 0;
}

/* The registry names the file only: "PATH: driverClass ..." becomes
 * "PATH:LINE:COL: driverClass ..." with the place of the driverClass value. */
static void place_driver_class(const struct ombc_driver_conf *d, char *err, size_t size) {
    const struct ombc_conf_entry *e = ombc_driver_conf_find(d, "driverClass");
    size_t n = strlen(d->path);
    if (!e || strncmp(err, d->path, n) != 0 || strncmp(err + n, ": ", 2) != 0)
        return;
    char pos[32];
    int k = snprintf(pos, sizeof(pos), ":%d:%d", e->line, e->column);
    size_t len = strlen(err);
    if (k <= 0 || len + (size_t)k + 1 > size)
        return;
    memmove(err + n + (size_t)k, err + n, len - n + 1);
    memcpy(err + n, pos, (size_t)k);
}

/* Loads one driver file, finds its driver and lets it check the file. */
static void load_driver(struct ombc_inputs *in, int j, const char *prefix) {
    char err[ERR_SIZE];
    struct ombc_driver_conf *d = &in->drivers[j];
    int rc = ombc_driver_conf_load(in->driver_paths[j], d, err, sizeof(err));
    if (rc == 0) {
        const struct ombc_driver_ops *ops = ombc_driver_find(d, err, sizeof(err));
        rc = ops ? 0 : OMBC_ENOENT;
        if (!ops)
            place_driver_class(d, err, sizeof(err));
        if (rc == 0 && ops->conf_keys)
            rc = ombc_driver_conf_check_keys(d, ops->conf_keys, ops->name, err, sizeof(err));
        if (rc == 0 && ops->validate) /* NULL: the key check is all */
            rc = ops->validate(d, err, sizeof(err));
    }
    if (rc)
        report(in, prefix, err);
    in->driver_ok[j] = rc == 0;
}

/* A backlog the driver's hosted broker cannot hold (the embedded Kafka keeps
 * 5 MiB or 100,000 messages per partition) would lose its oldest messages
 * before the consumers read them, and its drain would never end. Each
 * subscription lags by its share of the backlog (OMB counts the backlog
 * over all subscriptions), spread over the workload's partitions. */
static void check_pair(struct ombc_inputs *in, int i, int j, const char *prefix) {
    const struct ombc_workload *w = &in->workloads[i];
    const struct ombc_driver_conf *d = &in->drivers[j];
    int64_t backlog = ombc_workload_backlog_bytes(w);
    if (backlog <= 0 || w->subscriptions_per_topic <= 0 || w->message_size <= 0)
        return;
    char err[ERR_SIZE];
    const struct ombc_driver_ops *ops = ombc_driver_find(d, err, sizeof(err));
    int64_t keep_bytes = 0, keep_messages = 0;
    if (!ops || !ops->hosted_retention ||
        !ops->hosted_retention(d, &keep_bytes, &keep_messages))
        return;
    int64_t partitions = (int64_t)w->topics * w->partitions_per_topic;
    int64_t per_sub = backlog / w->subscriptions_per_topic;
    int64_t per_sub_messages = per_sub / w->message_size;
    /* payload bytes against the broker's, which also count each message's
     * framing: at the limit it already drops */
    bool too_many_bytes = keep_bytes > 0 && partitions <= INT64_MAX / keep_bytes &&
                          per_sub >= partitions * keep_bytes;
    bool too_many_messages = keep_messages > 0 && partitions <= INT64_MAX / keep_messages &&
                             per_sub_messages > partitions * keep_messages;
    if (!too_many_bytes && !too_many_messages)
        return;
    char asked[64];
    if (w->consumer_backlog_size_mb > 0)
        snprintf(asked, sizeof(asked), "consumerBacklogSizeMB: %" PRId64,
                 w->consumer_backlog_size_mb);
    else
        snprintf(asked, sizeof(asked), "consumerBacklogSizeGB: %" PRId64,
                 w->consumer_backlog_size_gb);
    snprintf(err, sizeof(err),
             "%s: the backlog asked (%s, %" PRId64 " bytes: %" PRId64 " bytes or %" PRId64
             " messages of %d bytes behind on each of %d subscriptions) is more than the broker "
             "%s hosts keeps: %" PRId64 " partitions (%d topics x %d) of at most %" PRId64
             " bytes or %" PRId64 " messages each; it would drop the oldest messages before the "
             "consumers read them, and the backlog would never drain",
             w->path, asked, backlog, per_sub, per_sub_messages, (int)w->message_size,
             w->subscriptions_per_topic, d->path, partitions, w->topics, w->partitions_per_topic,
             keep_bytes, keep_messages);
    report(in, prefix, err);
    in->workload_ok[i] = false;
}

/* Splits drivers_arg (or the default driver) into in->driver_paths. */
static int split_drivers(struct ombc_inputs *in, const char *drivers_arg, const char *exe) {
    char fallback[PATH_MAX + 64];
    if (!drivers_arg) {
        default_driver(exe, fallback, sizeof(fallback));
        drivers_arg = fallback;
    }
    char *list = strdup(drivers_arg);
    if (!list)
        return OMBC_ENOMEM;
    int n = 1;
    for (const char *c = list; *c; c++)
        n += *c == ',';
    in->driver_paths = calloc((size_t)n, sizeof(*in->driver_paths));
    int rc = in->driver_paths ? 0 : OMBC_ENOMEM;
    char *save = NULL;
    for (char *tok = strtok_r(list, ",", &save); rc == 0 && tok;
         tok = strtok_r(NULL, ",", &save)) {
        in->driver_paths[in->ndrivers] = strdup(tok);
        if (!in->driver_paths[in->ndrivers])
            rc = OMBC_ENOMEM;
        else
            in->ndrivers++;
    }
    free(list);
    return rc;
}

int ombc_inputs_load(struct ombc_inputs *in, char *const *workload_paths, int nworkloads,
                     const char *drivers_arg, const char *exe, const char *prefix) {
    memset(in, 0, sizeof(*in));
    in->workloads = calloc((size_t)(nworkloads > 0 ? nworkloads : 1), sizeof(*in->workloads));
    in->workload_ok = calloc((size_t)(nworkloads > 0 ? nworkloads : 1), sizeof(bool));
    int rc = in->workloads && in->workload_ok ? 0 : OMBC_ENOMEM;
    if (rc == 0) {
        in->nworkloads = nworkloads;
        for (int i = 0; i < nworkloads; i++)
            load_workload(in, i, workload_paths[i], prefix);
        rc = split_drivers(in, drivers_arg, exe);
    }
    if (rc == 0) {
        in->drivers = calloc((size_t)(in->ndrivers > 0 ? in->ndrivers : 1), sizeof(*in->drivers));
        in->driver_ok = calloc((size_t)(in->ndrivers > 0 ? in->ndrivers : 1), sizeof(bool));
        rc = in->drivers && in->driver_ok ? 0 : OMBC_ENOMEM;
    }
    for (int j = 0; rc == 0 && j < in->ndrivers; j++)
        load_driver(in, j, prefix);
    for (int i = 0; rc == 0 && i < in->nworkloads; i++)
        for (int j = 0; j < in->ndrivers; j++)
            if (in->workload_ok[i] && in->driver_ok[j])
                check_pair(in, i, j, prefix);
    if (rc == 0 && in->ndrivers == 0)
        report(in, prefix, "-d: no driver file given");
    if (rc == OMBC_ENOMEM)
        report(in, prefix, "out of memory");
    else if (rc == 0 && in->problems > 0)
        rc = OMBC_EINVAL;
    return rc;
}

void ombc_inputs_fini(struct ombc_inputs *in) {
    if (!in)
        return;
    for (int i = 0; in->workloads && i < in->nworkloads; i++)
        ombc_workload_fini(&in->workloads[i]);
    for (int j = 0; in->drivers && j < in->ndrivers; j++)
        ombc_driver_conf_fini(&in->drivers[j]);
    for (int j = 0; in->driver_paths && j < in->ndrivers; j++)
        free(in->driver_paths[j]);
    free(in->workloads);
    free(in->workload_ok);
    free(in->drivers);
    free(in->driver_ok);
    free(in->driver_paths);
    memset(in, 0, sizeof(*in));
}
