/*
 * payload: finds, checks, reads or generates a workload's payloads into one
 * allocation. The payloadFile lookup (working directory, then the workload
 * file's directory, then its parent) and every size rule live here once,
 * shared by ombc_payload_check (before a run, and `ombc validate`, which
 * only stat()s the file) and ombc_payload_set_load (the run, which reads it).
 * Called by the coordinator only, from one thread.
 */
#include "run/payload.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/err.h"
#include "core/random.h"

#define MAX_CANDIDATES 3

/* Where messages point: "FILE:LINE:COL" of the payloadFile value, or "FILE". */
static void where(const struct ombc_workload *w, char *out, size_t size) {
    const char *path = w->path ? w->path : "(workload)";
    if (w->payload_file && w->payload_file_line > 0)
        snprintf(out, size, "%s:%d:%d", path, w->payload_file_line, w->payload_file_col);
    else
        snprintf(out, size, "%s", path);
}

/* "payloadFile 'X'", plus " (Y)" when it was found at another path Y. */
static void named(const struct ombc_workload *w, const char *resolved, char *out, size_t size) {
    if (resolved && strcmp(resolved, w->payload_file) != 0)
        snprintf(out, size, "payloadFile '%s' (%s)", w->payload_file, resolved);
    else
        snprintf(out, size, "payloadFile '%s'", w->payload_file);
}

/* dir + "/" + file, without a "./" prefix or a doubled slash. */
static void join(const char *dir, const char *file, char *out, size_t size) {
    size_t n = strlen(dir);
    if (strcmp(dir, ".") == 0)
        snprintf(out, size, "%s", file);
    else if (n > 0 && dir[n - 1] == '/')
        snprintf(out, size, "%s%s", dir, file);
    else
        snprintf(out, size, "%s/%s", dir, file);
}

/* The paths payloadFile may be at, in lookup order, without repeats.
 * @return how many (>= 1). */
static size_t candidates(const struct ombc_workload *w, char out[MAX_CANDIDATES][PATH_MAX]) {
    snprintf(out[0], PATH_MAX, "%s", w->payload_file);
    if (w->payload_file[0] == '/')
        return 1;
    char copy[PATH_MAX], dir[PATH_MAX], parent[PATH_MAX + 4];
    snprintf(copy, sizeof(copy), "%s", w->path ? w->path : ".");
    snprintf(dir, sizeof(dir), "%s", dirname(copy));
    if (strcmp(dir, ".") == 0)
        snprintf(parent, sizeof(parent), "..");
    else if (strcmp(dir, "/") == 0)
        snprintf(parent, sizeof(parent), "/");
    else
        snprintf(parent, sizeof(parent), "%s/..", dir);
    const char *bases[] = {dir, parent};
    size_t n = 1;
    for (size_t b = 0; b < 2; b++) {
        char cand[PATH_MAX];
        join(bases[b], w->payload_file, cand, sizeof(cand));
        bool seen = false;
        for (size_t i = 0; i < n; i++)
            seen = seen || strcmp(out[i], cand) == 0;
        if (!seen)
            snprintf(out[n++], PATH_MAX, "%s", cand);
    }
    return n;
}

/*
 * Finds payloadFile: the first candidate that exists. It must be a regular
 * file we can open. out receives its path and st its status.
 */
static int resolve(const struct ombc_workload *w, char out[PATH_MAX], struct stat *st,
                   char *errstr, size_t errstr_size) {
    char cands[MAX_CANDIDATES][PATH_MAX];
    size_t n = candidates(w, cands);
    char at[PATH_MAX + 32], what[2 * PATH_MAX + 32];
    where(w, at, sizeof(at));
    for (size_t i = 0; i < n; i++) {
        if (stat(cands[i], st) != 0)
            continue;
        named(w, cands[i], what, sizeof(what));
        if (!S_ISREG(st->st_mode))
            return ombc_errf(errstr, errstr_size, OMBC_EINVAL, "%s: %s is not a regular file",
                             at, what);
        int fd = open(cands[i], O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return ombc_errf(errstr, errstr_size, OMBC_EINVAL, "%s: %s: cannot open: %s", at,
                             what, strerror(errno));
        close(fd);
        snprintf(out, PATH_MAX, "%s", cands[i]);
        return 0;
    }
    char tried[MAX_CANDIDATES * (PATH_MAX + 2)] = "";
    size_t used = 0;
    for (size_t i = 0; i < n && used < sizeof(tried); i++) {
        int k = snprintf(tried + used, sizeof(tried) - used, "%s%s", i ? ", " : "", cands[i]);
        if (k > 0)
            used += (size_t)k;
    }
    return ombc_errf(errstr, errstr_size, OMBC_ENOENT,
                     "%s: payloadFile '%s' not found; tried %s (relative paths: the working "
                     "directory, the workload's directory and its parent)",
                     at, w->payload_file, tried);
}

/* OMB's rule for a payload file: its length is messageSize (and ombc
 * refuses an empty one, which can carry no timestamp or key). */
static int check_length(const struct ombc_workload *w, const char *resolved, size_t len,
                        char *errstr, size_t errstr_size) {
    char at[PATH_MAX + 32], what[2 * PATH_MAX + 32];
    where(w, at, sizeof(at));
    named(w, resolved, what, sizeof(what));
    if (len == 0)
        return ombc_errf(errstr, errstr_size, OMBC_EINVAL, "%s: %s is empty", at, what);
    if (w->message_size < 0 || len != (size_t)w->message_size)
        return ombc_errf(errstr, errstr_size, OMBC_EINVAL,
                         "%s: %s: Payload length mismatch. Actual is: %zu, but expected: %d "
                         "(messageSize)",
                         at, what, len, w->message_size);
    return 0;
}

/* The sizes of generated payloads (randomized pool, or ombc's single random
 * payload when there is no payloadFile). */
static int check_generated(const struct ombc_workload *w, char *errstr, size_t errstr_size) {
    if (w->use_randomized_payloads && (w->randomized_payload_pool_size <= 0 ||
                                       w->message_size <= 0))
        return ombc_errf(errstr, errstr_size, OMBC_EINVAL,
                         "%s: useRandomizedPayloads needs messageSize > 0 and "
                         "randomizedPayloadPoolSize > 0",
                         w->path);
    if (!w->use_randomized_payloads && w->message_size <= 0)
        return ombc_errf(errstr, errstr_size, OMBC_EINVAL,
                         "%s: messageSize must be > 0 when no payloadFile is given", w->path);
    return 0;
}

int ombc_payload_check(const struct ombc_workload *w, char *errstr, size_t errstr_size) {
    if (w->use_randomized_payloads || !w->payload_file)
        return check_generated(w, errstr, errstr_size);
    char path[PATH_MAX];
    struct stat st;
    int rc = resolve(w, path, &st, errstr, errstr_size);
    if (rc == 0)
        rc = check_length(w, path, (size_t)st.st_size, errstr, errstr_size);
    return rc;
}

static int read_file(const char *path, uint8_t **data, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return OMBC_EIO;
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(f);
        return OMBC_EIO;
    }
    size_t n = (size_t)st.st_size;
    uint8_t *buf = malloc(n ? n : 1);
    if (!buf) {
        fclose(f);
        return OMBC_ENOMEM;
    }
    size_t got = fread(buf, 1, n, f);
    int failed = ferror(f) || fgetc(f) != EOF; /* a short read, or the file grew */
    fclose(f);
    if (failed) {
        free(buf);
        return OMBC_EIO;
    }
    *data = buf;
    *len = got;
    return 0;
}

/* One payload holding the bytes of payloadFile. */
static int load_file(struct ombc_payload_set *set, const struct ombc_workload *w,
                     char *errstr, size_t errstr_size) {
    char path[PATH_MAX];
    struct stat st;
    int rc = resolve(w, path, &st, errstr, errstr_size);
    if (rc)
        return rc;
    set->resolved_path = strdup(path);
    set->items = calloc(1, sizeof(*set->items));
    if (!set->resolved_path || !set->items)
        return ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "%s: out of memory", w->path);
    uint8_t *data;
    size_t len;
    rc = read_file(path, &data, &len);
    if (rc) {
        char at[PATH_MAX + 32], what[2 * PATH_MAX + 32];
        where(w, at, sizeof(at));
        named(w, path, what, sizeof(what));
        return ombc_errf(errstr, errstr_size, rc, "%s: %s: %s", at, what,
                         rc == OMBC_ENOMEM ? "out of memory" : "read failed");
    }
    set->storage = data;
    rc = check_length(w, path, len, errstr, errstr_size);
    if (rc)
        return rc;
    set->items[0] = (struct ombc_payload){.data = data, .len = len};
    set->count = 1;
    return 0;
}

/* OMB's randomized pool, or (no payloadFile) ombc's one random payload. */
static int generate(struct ombc_payload_set *set, const struct ombc_workload *w, char *errstr,
                    size_t errstr_size) {
    int rc = check_generated(w, errstr, errstr_size);
    if (rc)
        return rc;
    size_t n = w->use_randomized_payloads ? (size_t)w->randomized_payload_pool_size : 1;
    size_t size = (size_t)w->message_size;
    size_t random_bytes = w->use_randomized_payloads
                              ? (size_t)(int)(w->message_size * w->random_bytes_ratio)
                              : size;
    set->storage = calloc(n, size);
    set->items = calloc(n, sizeof(*set->items));
    if (!set->storage || !set->items)
        return ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "%s: out of memory", w->path);
    struct ombc_rng rng;
    ombc_rng_seed(&rng, 0);
    for (size_t i = 0; i < n; i++) {
        uint8_t *p = set->storage + i * size;
        ombc_rng_bytes(&rng, p, random_bytes); /* then zeros, already there */
        set->items[i] = (struct ombc_payload){.data = p, .len = size};
    }
    set->count = n;
    return 0;
}

int ombc_payload_set_load(struct ombc_payload_set *set, const struct ombc_workload *w,
                          char *errstr, size_t errstr_size) {
    memset(set, 0, sizeof(*set));
    int rc = w->use_randomized_payloads || !w->payload_file
                 ? generate(set, w, errstr, errstr_size)
                 : load_file(set, w, errstr, errstr_size);
    if (rc)
        ombc_payload_set_fini(set);
    return rc;
}

void ombc_payload_set_fini(struct ombc_payload_set *set) {
    free(set->items);
    free(set->storage);
    free(set->resolved_path);
    memset(set, 0, sizeof(*set));
}
