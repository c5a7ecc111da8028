/*
 * payload: reads or generates a workload's payloads into one allocation.
 */
#include "run/payload.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/err.h"
#include "core/random.h"

static int read_file(const char *path, uint8_t **data, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return OMBC_ENOENT;
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(f);
        return OMBC_ENOENT;
    }
    size_t n = (size_t)st.st_size;
    uint8_t *buf = malloc(n ? n : 1);
    if (!buf) {
        fclose(f);
        return OMBC_ENOMEM;
    }
    size_t got = fread(buf, 1, n, f);
    fclose(f);
    if (got != n) {
        free(buf);
        return OMBC_EIO;
    }
    *data = buf;
    *len = n;
    return 0;
}

/* Tries the OMB lookup order and returns the first readable candidate. */
static int find_and_read(struct ombc_payload_set *set, const struct ombc_workload *w,
                         uint8_t **data, size_t *len, char *errstr, size_t errstr_size) {
    char dir[PATH_MAX], parent[PATH_MAX + 4];
    snprintf(dir, sizeof(dir), "%s", w->path);
    snprintf(dir, sizeof(dir), "%s", dirname(dir));
    snprintf(parent, sizeof(parent), "%s/..", dir);
    const char *bases[] = {NULL, dir, parent};
    for (size_t i = 0; i < sizeof(bases) / sizeof(bases[0]); i++) {
        char cand[PATH_MAX * 2 + 2];
        if (!bases[i] || w->payload_file[0] == '/')
            snprintf(cand, sizeof(cand), "%s", w->payload_file);
        else
            snprintf(cand, sizeof(cand), "%s/%s", bases[i], w->payload_file);
        int rc = read_file(cand, data, len);
        if (rc == 0) {
            set->resolved_path = strdup(cand);
            return 0;
        }
        if (rc != OMBC_ENOENT)
            return ombc_errf(errstr, errstr_size, rc, "%s: payloadFile %s: %s", w->path, cand,
                             rc == OMBC_EIO ? strerror(errno) : ombc_strerror(rc));
        if (w->payload_file[0] == '/')
            break;
    }
    return ombc_errf(errstr, errstr_size, OMBC_ENOENT,
                     "%s: payloadFile '%s' not found (looked in the working directory, %s and %s)",
                     w->path, w->payload_file, dir, parent);
}

int ombc_payload_set_load(struct ombc_payload_set *set, const struct ombc_workload *w,
                          char *errstr, size_t errstr_size) {
    memset(set, 0, sizeof(*set));
    struct ombc_rng rng;
    ombc_rng_seed(&rng, 0);
    if (w->use_randomized_payloads) {
        if (w->randomized_payload_pool_size <= 0 || w->message_size <= 0)
            return ombc_errf(errstr, errstr_size, OMBC_EINVAL,
                             "%s: useRandomizedPayloads needs messageSize > 0 and "
                             "randomizedPayloadPoolSize > 0",
                             w->path);
        size_t n = (size_t)w->randomized_payload_pool_size, size = (size_t)w->message_size;
        size_t random_bytes = (size_t)(int)(w->message_size * w->random_bytes_ratio);
        set->storage = calloc(n, size);
        set->items = calloc(n, sizeof(*set->items));
        if (!set->storage || !set->items) {
            ombc_payload_set_fini(set);
            return OMBC_ENOMEM;
        }
        for (size_t i = 0; i < n; i++) {
            uint8_t *p = set->storage + i * size;
            ombc_rng_bytes(&rng, p, random_bytes); /* then zeros, already there */
            set->items[i] = (struct ombc_payload){.data = p, .len = size};
        }
        set->count = n;
        return 0;
    }
    uint8_t *data;
    size_t len;
    if (w->payload_file) {
        int rc = find_and_read(set, w, &data, &len, errstr, errstr_size);
        if (rc)
            return rc;
        if (len == 0 || (w->message_size > 0 && len != (size_t)w->message_size)) {
            free(data);
            int rc2 = len == 0 ? ombc_errf(errstr, errstr_size, OMBC_EINVAL,
                                           "%s: payloadFile %s is empty", w->path,
                                           set->resolved_path)
                               : ombc_errf(errstr, errstr_size, OMBC_EINVAL,
                                           "%s: Payload length mismatch. Actual is: %zu, but "
                                           "expected: %d (messageSize)",
                                           w->path, len, w->message_size);
            ombc_payload_set_fini(set);
            return rc2;
        }
    } else {
        if (w->message_size <= 0)
            return ombc_errf(errstr, errstr_size, OMBC_EINVAL,
                             "%s: messageSize must be > 0 when no payloadFile is given", w->path);
        len = (size_t)w->message_size;
        data = malloc(len);
        if (!data)
            return OMBC_ENOMEM;
        ombc_rng_bytes(&rng, data, len);
    }
    set->items = calloc(1, sizeof(*set->items));
    if (!set->items) {
        free(data);
        ombc_payload_set_fini(set);
        return OMBC_ENOMEM;
    }
    set->storage = data;
    set->items[0] = (struct ombc_payload){.data = data, .len = len};
    set->count = 1;
    return 0;
}

void ombc_payload_set_fini(struct ombc_payload_set *set) {
    free(set->items);
    free(set->storage);
    free(set->resolved_path);
    memset(set, 0, sizeof(*set));
}
