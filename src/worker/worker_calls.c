/*
 * worker_calls: parallel calls on several workers (see worker_calls.h).
 */
#include "worker/worker_calls.h"

#include <pthread.h>
#include <stdlib.h>

#include "core/err.h"

#define CALL_ERR 1024

struct job {
    struct ombc_worker *w;
    ombc_worker_call fn;
    void *arg;
    int rc;
    char err[CALL_ERR];
    pthread_t thread;
    bool threaded;
};

static void *run_job(void *p) {
    struct job *j = p;
    j->err[0] = '\0';
    j->rc = j->fn(j->w, j->arg, j->err, sizeof(j->err));
    return NULL;
}

int ombc_worker_calls(struct ombc_worker *const *workers, int n, const bool *want,
                      ombc_worker_call fn, void *const *args, void *arg, char *errstr,
                      size_t errstr_size) {
    struct job *jobs = calloc(n > 0 ? (size_t)n : 1, sizeof(*jobs));
    if (!jobs)
        return ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "out of memory");
    int wanted = 0;
    for (int i = 0; i < n; i++)
        wanted += !want || want[i];
    for (int i = 0; i < n; i++) {
        struct job *j = &jobs[i];
        if (want && !want[i])
            continue;
        *j = (struct job){.w = workers[i], .fn = fn, .arg = args ? args[i] : arg};
        j->threaded = wanted > 1 && pthread_create(&j->thread, NULL, run_job, j) == 0;
        if (!j->threaded)
            run_job(j);
    }
    int rc = 0;
    for (int i = 0; i < n; i++) {
        struct job *j = &jobs[i];
        if (j->threaded)
            pthread_join(j->thread, NULL);
        if (j->fn && j->rc && rc == 0)
            rc = ombc_errf(errstr, errstr_size, j->rc, "%s",
                           j->err[0] ? j->err : ombc_strerror(j->rc));
    }
    free(jobs);
    return rc;
}
