/*
 * ratelog: log lines that could repeat at the message rate (send errors,
 * a client library's complaints about a failing broker) at most once per
 * interval per kind, counting what it held back and saying so: in the
 * kind's next line ("... (and 41 more like it since the last line)") or, by
 * ombc_ratelog_flush, once the kind has been quiet for an interval. A kind
 * is a short text (an error text, a log facility); kinds past the table's
 * size share its last slot. The caller passes the time (monotonic ns), so
 * the schedule is testable and costs no clock read of its own.
 *
 * Fixed size, allocates nothing, formats only the lines it lets through.
 * Thread safety is chosen at init: shared (a mutex, for callbacks from a
 * driver library's threads) or one thread only (no lock: the agent's load
 * and ack threads each own one). Lines go out through core/log.
 */
#ifndef OMBC_CORE_RATELOG_H
#define OMBC_CORE_RATELOG_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/log.h"

#define OMBC_RATELOG_KINDS 32     /**< kinds told apart; the last slot takes the rest */
#define OMBC_RATELOG_KIND_MAX 120 /**< bytes of a kind compared and kept (with the NUL) */
#define OMBC_RATELOG_LINE_MAX 4096 /**< a message longer than this is cut */

struct ombc_ratelog {
    pthread_mutex_t lock; /* taken only when shared */
    bool shared;
    int64_t interval_ns; /**< at most one line per kind per interval, ns */
    const char *who;     /**< logger name of the lines (core/log) */
    const char *what;    /**< "what: " starts every line, or NULL */
    int64_t held;        /**< held back and not yet told, all kinds */
    struct {
        char text[OMBC_RATELOG_KIND_MAX]; /* "" while free */
        bool logged;                      /* a line of this kind went out */
        int64_t last_ns;                  /* when, monotonic ns */
        int64_t held;                     /* held back since */
    } kind[OMBC_RATELOG_KINDS];
};

/**
 * @brief Sets rl up empty. who and what (what may be NULL) must outlive rl.
 * @param interval_ns at most one line per kind this often (e.g. 1 s).
 * @param shared true if several threads call with rl (takes a mutex).
 */
void ombc_ratelog_init(struct ombc_ratelog *rl, const char *who, const char *what,
                       int64_t interval_ns, bool shared);

/** @brief Releases rl (its mutex); rl may be initialised again. */
void ombc_ratelog_fini(struct ombc_ratelog *rl);

/**
 * @brief The decision alone, for a caller that words its own lines: notes
 * one occurrence of kind at now_ns.
 * @return true if a line may go out now, with *held (if not NULL) set to
 * how many of this kind were held back since its last line (now told, so
 * no longer counted); false if it is held back (and counted).
 */
bool ombc_ratelog_admit(struct ombc_ratelog *rl, const char *kind, int64_t now_ns,
                        int64_t *held);

/**
 * @brief Notes one occurrence of kind and, if admitted, logs at level
 * "WHAT: MESSAGE" (MESSAGE from fmt), followed by " (and N more like it
 * since the last line)" when N were held back.
 * @return true if the line went out (or would have, below the log level).
 */
bool ombc_ratelog_log(struct ombc_ratelog *rl, enum ombc_log_level level, const char *kind,
                      int64_t now_ns, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/**
 * @brief Tells what is held back of kinds quiet for an interval (of every
 * kind if all, e.g. at stop), one line each at level: "WHAT: KIND: N more
 * like it since the last line". Call it now and then (a poll loop) so a
 * burst that stopped is still counted.
 * @return the number of occurrences told.
 */
int64_t ombc_ratelog_flush(struct ombc_ratelog *rl, enum ombc_log_level level, int64_t now_ns,
                           bool all);

#endif
