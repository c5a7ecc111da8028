/*
 * tsan_threads: C11 <threads.h> on top of the pthread calls, compiled into
 * every executable of the ThreadSanitizer build only (OMBC_SANITIZE_THREAD).
 *
 * Debian's librdkafka uses glibc's C11 threads (thrd_create, mtx_lock,
 * cnd_timedwait ...). glibc implements them by calling its internal pthread
 * functions directly, past the symbols TSan intercepts, and the TSan runtimes
 * on this system (gcc 12's libtsan, clang 14's) have no C11 interceptors of
 * their own. So without this file TSan never hears of librdkafka's threads
 * (the first one to call an intercepted function crashes the process) nor of
 * its locks (every hand-over through a librdkafka queue, such as a send
 * slot passed from the load thread to the ack thread's delivery report,
 * would look like a race).
 *
 * The executable's definitions take precedence over glibc's for librdkafka,
 * and each forwards to the pthread call glibc itself makes (glibc's mtx_t,
 * cnd_t and once_flag are its pthread types), now through TSan's
 * interceptors. Nothing here runs in a normal build.
 *
 * Each mutex and condition variable call is made inside an ignore region
 * (IGNORED): TSan still orders the threads by the lock (synchronisation is
 * not ignored), but does not check the lock word itself as memory. These
 * are librdkafka's locks, inside librdkafka's objects, which it hands from
 * thread to thread with atomics TSan cannot see: checked, a mutex created
 * by a broker thread and then locked by the thread that produces would be
 * reported as a race on the lock word. Had librdkafka called the pthread
 * functions itself, tests/tsan.supp would have ignored them the same way.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <threads.h>

/* libtsan's: ignore this thread's memory accesses until the matching end. */
void __tsan_ignore_thread_begin(void);
void __tsan_ignore_thread_end(void);

#define IGNORED(call)                                                                      \
    __extension__({                                                                        \
        __tsan_ignore_thread_begin();                                                      \
        int ignored_rc_ = (call);                                                          \
        __tsan_ignore_thread_end();                                                        \
        ignored_rc_;                                                                       \
    })

static int thrd_status(int err) {
    switch (err) {
    case 0: return thrd_success;
    case ENOMEM: return thrd_nomem;
    case ETIMEDOUT: return thrd_timedout;
    case EBUSY: return thrd_busy;
    default: return thrd_error;
    }
}

struct start {
    thrd_start_t func;
    void *arg;
};

static void *trampoline(void *p) {
    struct start s = *(struct start *)p;
    free(p);
    return (void *)(intptr_t)s.func(s.arg);
}

int thrd_create(thrd_t *thr, thrd_start_t func, void *arg) {
    struct start *s = malloc(sizeof(*s));
    if (!s)
        return thrd_nomem;
    s->func = func;
    s->arg = arg;
    int err = pthread_create(thr, NULL, trampoline, s);
    if (err)
        free(s);
    return thrd_status(err);
}

int thrd_join(thrd_t thr, int *res) {
    void *r;
    int err = pthread_join(thr, &r);
    if (err == 0 && res)
        *res = (int)(intptr_t)r;
    return thrd_status(err);
}

int thrd_detach(thrd_t thr) {
    return thrd_status(pthread_detach(thr));
}

int mtx_init(mtx_t *m, int type) {
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    if (type & mtx_recursive)
        pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
    int err = IGNORED(pthread_mutex_init((pthread_mutex_t *)m, &attr));
    pthread_mutexattr_destroy(&attr);
    return thrd_status(err);
}

int mtx_lock(mtx_t *m) {
    return thrd_status(IGNORED(pthread_mutex_lock((pthread_mutex_t *)m)));
}

int mtx_trylock(mtx_t *m) {
    return thrd_status(IGNORED(pthread_mutex_trylock((pthread_mutex_t *)m)));
}

int mtx_timedlock(mtx_t *restrict m, const struct timespec *restrict ts) {
    return thrd_status(IGNORED(pthread_mutex_timedlock((pthread_mutex_t *)m, ts)));
}

int mtx_unlock(mtx_t *m) {
    return thrd_status(IGNORED(pthread_mutex_unlock((pthread_mutex_t *)m)));
}

void mtx_destroy(mtx_t *m) {
    (void)IGNORED(pthread_mutex_destroy((pthread_mutex_t *)m));
}

int cnd_init(cnd_t *c) {
    return thrd_status(IGNORED(pthread_cond_init((pthread_cond_t *)c, NULL)));
}

int cnd_signal(cnd_t *c) {
    return thrd_status(IGNORED(pthread_cond_signal((pthread_cond_t *)c)));
}

int cnd_broadcast(cnd_t *c) {
    return thrd_status(IGNORED(pthread_cond_broadcast((pthread_cond_t *)c)));
}

int cnd_wait(cnd_t *c, mtx_t *m) {
    return thrd_status(IGNORED(pthread_cond_wait((pthread_cond_t *)c, (pthread_mutex_t *)m)));
}

int cnd_timedwait(cnd_t *restrict c, mtx_t *restrict m, const struct timespec *restrict ts) {
    return thrd_status(
        IGNORED(pthread_cond_timedwait((pthread_cond_t *)c, (pthread_mutex_t *)m, ts)));
}

void cnd_destroy(cnd_t *c) {
    (void)IGNORED(pthread_cond_destroy((pthread_cond_t *)c));
}

void call_once(once_flag *flag, void (*func)(void)) {
    (void)IGNORED(pthread_once((pthread_once_t *)flag, func));
}
