/*
 * ratelog: see ratelog.h. The table is searched linearly: it is consulted
 * only when something went wrong, and holds a few kinds.
 */
#include "core/ratelog.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void ombc_ratelog_init(struct ombc_ratelog *rl, const char *who, const char *what,
                       int64_t interval_ns, bool shared) {
    memset(rl, 0, sizeof(*rl));
    pthread_mutex_init(&rl->lock, NULL);
    rl->shared = shared;
    rl->interval_ns = interval_ns;
    rl->who = who;
    rl->what = what;
}

void ombc_ratelog_fini(struct ombc_ratelog *rl) {
    pthread_mutex_destroy(&rl->lock);
}

static void lock(struct ombc_ratelog *rl) {
    if (rl->shared)
        pthread_mutex_lock(&rl->lock);
}

static void unlock(struct ombc_ratelog *rl) {
    if (rl->shared)
        pthread_mutex_unlock(&rl->lock);
}

/* The slot of kind: its own, a free one, or the last (relabelled). */
static int slot_of(struct ombc_ratelog *rl, const char *kind) {
    const size_t cmp = OMBC_RATELOG_KIND_MAX - 1;
    int i = 0;
    while (i < OMBC_RATELOG_KINDS - 1 && rl->kind[i].text[0] &&
           strncmp(rl->kind[i].text, kind, cmp) != 0)
        i++;
    if (strncmp(rl->kind[i].text, kind, cmp) != 0)
        snprintf(rl->kind[i].text, sizeof(rl->kind[i].text), "%s", kind);
    return i;
}

bool ombc_ratelog_admit(struct ombc_ratelog *rl, const char *kind, int64_t now_ns,
                        int64_t *held) {
    lock(rl);
    int i = slot_of(rl, kind);
    bool admit = !rl->kind[i].logged || now_ns - rl->kind[i].last_ns >= rl->interval_ns;
    if (admit) {
        if (held)
            *held = rl->kind[i].held;
        rl->held -= rl->kind[i].held;
        rl->kind[i].held = 0;
        rl->kind[i].logged = true;
        rl->kind[i].last_ns = now_ns;
    } else {
        rl->kind[i].held++;
        rl->held++;
    }
    unlock(rl);
    return admit;
}

bool ombc_ratelog_log(struct ombc_ratelog *rl, enum ombc_log_level level, const char *kind,
                      int64_t now_ns, const char *fmt, ...) {
    int64_t held = 0;
    if (!ombc_ratelog_admit(rl, kind, now_ns, &held))
        return false;
    char message[OMBC_RATELOG_LINE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof(message), fmt, ap);
    va_end(ap);
    const char *what = rl->what ? rl->what : "", *sep = rl->what ? ": " : "";
    if (held > 0)
        ombc_log(level, rl->who, "%s%s%s (and %" PRId64 " more like it since the last line)",
                 what, sep, message, held);
    else
        ombc_log(level, rl->who, "%s%s%s", what, sep, message);
    return true;
}

int64_t ombc_ratelog_flush(struct ombc_ratelog *rl, enum ombc_log_level level, int64_t now_ns,
                           bool all) {
    int64_t told = 0;
    lock(rl);
    for (int i = 0; rl->held > 0 && i < OMBC_RATELOG_KINDS; i++) {
        if (rl->kind[i].held == 0 || (!all && now_ns - rl->kind[i].last_ns < rl->interval_ns))
            continue;
        ombc_log(level, rl->who, "%s%s%s: %" PRId64 " more like it since the last line",
                 rl->what ? rl->what : "", rl->what ? ": " : "", rl->kind[i].text,
                 rl->kind[i].held);
        told += rl->kind[i].held;
        rl->held -= rl->kind[i].held;
        rl->kind[i].held = 0;
        rl->kind[i].last_ns = now_ns;
    }
    unlock(rl);
    return told;
}
