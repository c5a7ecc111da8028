/*
 * registry: maps an OMB driverClass (or ombc's short name) to a driver's
 * table of operations. Adding a broker means adding its table here.
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

const struct ombc_driver_ops *ombc_driver_find(const struct ombc_driver_conf *conf,
                                               char *errstr, size_t errstr_size) {
    const char *want = conf->driver_class;
    char known[512] = "";
    size_t used = 0;
    for (size_t i = 0; i < sizeof(drivers) / sizeof(drivers[0]); i++) {
        const struct ombc_driver_ops *d = drivers[i];
        if (strcmp(want, d->name) == 0)
            return d;
        for (const char *const *c = d->driver_classes; *c; c++) {
            if (strcmp(want, *c) == 0)
                return d;
            int n = snprintf(known + used, sizeof(known) - used, "%s%s", used ? ", " : "", *c);
            if (n > 0 && (size_t)n < sizeof(known) - used)
                used += (size_t)n;
        }
    }
    ombc_errf(errstr, errstr_size, OMBC_ENOENT, "%s: driverClass '%s' is not supported (known: %s)",
              conf->path, want, known);
    return NULL;
}
