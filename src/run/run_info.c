/*
 * run_info: see run_info.h. The machine is read from /proc/cpuinfo and
 * uname(2); a value that cannot be read is left out of the result rather
 * than guessed.
 */
#include "run/run_info.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/err.h"

#define MASK "******"

bool ombc_run_info_is_secret(const char *key) {
    static const char *const words[] = {"password", "secret", "jaas", "token", "credential",
                                        "private.key", "key.pem", "sasl.oauthbearer.config"};
    char lower[256];
    size_t n = 0;
    for (; key[n] && n < sizeof(lower) - 1; n++)
        lower[n] = (char)tolower((unsigned char)key[n]);
    lower[n] = '\0';
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (strstr(lower, words[i]))
            return true;
    return false;
}

void ombc_run_info_mask_properties(char *text) {
    for (char *line = text; line && *line;) {
        char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        size_t sep = strcspn(line, "=:");
        if (sep < len) {
            char key[256];
            size_t klen = sep < sizeof(key) - 1 ? sep : sizeof(key) - 1;
            memcpy(key, line, klen);
            key[klen] = '\0';
            if (ombc_run_info_is_secret(key)) {
                /* the rest of the line goes: "key=******" */
                size_t keep = sep + 1, mask = sizeof(MASK) - 1;
                size_t room = len - keep;
                if (room >= mask) {
                    memcpy(line + keep, MASK, mask);
                    memmove(line + keep + mask, line + len, strlen(line + len) + 1);
                    len = keep + mask;
                } else {
                    memset(line + keep, '*', room);
                }
                end = strchr(line, '\n');
            }
        }
        line = end ? end + 1 : NULL;
    }
}

/* "model name : AMD EPYC 7B13" from /proc/cpuinfo, or NULL. */
static char *cpu_model(void) {
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f)
        return NULL;
    char line[512], *model = NULL;
    while (!model && fgets(line, sizeof(line), f)) {
        if (strncmp(line, "model name", 10) != 0 && strncmp(line, "Model", 5) != 0)
            continue;
        char *colon = strchr(line, ':');
        if (!colon)
            continue;
        char *v = colon + 1;
        while (*v == ' ' || *v == '\t')
            v++;
        v[strcspn(v, "\n")] = '\0';
        if (*v)
            model = strdup(v);
    }
    fclose(f);
    return model;
}

static int add_workload_key(void *ctx, const char *key, const char *value, bool raw) {
    return ombc_settings_add(ctx, key, value, raw);
}

static int driver_settings(struct ombc_settings *s, const struct ombc_driver_conf *d) {
    int rc = ombc_settings_add(s, "name", d->name, false);
    if (rc == 0)
        rc = ombc_settings_add(s, "driverClass", d->driver_class, false);
    for (size_t i = 0; i < d->entry_count && rc == 0; i++) {
        const struct ombc_conf_entry *e = &d->entries[i];
        if (ombc_run_info_is_secret(e->key)) {
            rc = ombc_settings_add(s, e->key, MASK, false);
            continue;
        }
        char *v = e->value ? strdup(e->value) : NULL;
        if (e->value && !v)
            return OMBC_ENOMEM;
        if (v)
            ombc_run_info_mask_properties(v); /* commonConfig: | ... */
        rc = ombc_settings_add(s, e->key, v, false);
        free(v);
    }
    return rc;
}

int ombc_run_info_collect(struct ombc_run_info *info, const struct ombc_workload *w,
                          const struct ombc_driver_conf *d, const struct ombc_driver_ops *ops,
                          int agents) {
    info->start_ms = ombc_wall_ms();
    info->agents = agents;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    info->cpu_cores = cpus > 0 ? (int)cpus : 0;
    if (!(info->ombc_version = strdup(OMBC_VERSION)))
        return OMBC_ENOMEM;
    if (ops && ops->client_version) {
        char v[128];
        ops->client_version(v, sizeof(v));
        if (!(info->client_version = strdup(v)))
            return OMBC_ENOMEM;
    }
    info->cpu_model = cpu_model();
    struct utsname u;
    if (uname(&u) == 0) {
        size_t n = strlen(u.sysname) + strlen(u.release) + 2;
        if (!(info->kernel = malloc(n)))
            return OMBC_ENOMEM;
        snprintf(info->kernel, n, "%s %s", u.sysname, u.release);
    }
    int rc = ombc_workload_each(w, add_workload_key, &info->workload);
    return rc ? rc : driver_settings(&info->driver, d);
}
