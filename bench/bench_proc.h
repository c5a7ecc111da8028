/*
 * bench_proc: one benchmarked process for ombc-bench (the ombc binary or
 * rdkafka_loop), run from launch to exit: its stdout and stderr captured,
 * the arrival time of chosen output lines, the resident memory of it and of
 * its children (ombc's agents), a deadline, and no process of its group left
 * behind on any path. Also the run's scratch directory. Single-threaded;
 * called from ombc-bench's main thread only.
 */
#ifndef OMBC_BENCH_PROC_H
#define OMBC_BENCH_PROC_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define BENCH_MAX_PROCS 64

/** An output line to time: the first line of stdout or stderr containing text. */
struct bench_mark {
    const char *text;
    double at_s; /**< seconds from launch to the line's arrival; < 0: never seen */
};

/** Resident memory of one process, from /proc/PID/status. */
struct bench_mem {
    pid_t pid;
    int agent;       /**< -1: the launched process; else the agent's --index */
    long hwm_kb;     /**< peak: highest VmHWM or VmRSS sampled (VmHWM lags) */
    long rss_kb;     /**< VmRSS at the last sample within the phase; 0: none */
    long rss_max_kb; /**< highest VmRSS sampled within the phase */
    int samples;
};

struct bench_proc {
    /* in */
    char *const *argv;        /**< argv[0] is the path of the executable */
    double timeout_s;         /**< SIGTERM after it, then SIGKILL */
    struct bench_mark *marks; /**< may be NULL */
    int mark_count;
    int sample_ms;           /**< memory sampling interval; 0: none */
    const char *phase_begin; /**< output text opening the phase of rss_kb (NULL: launch) */
    const char *phase_end;   /**< output text closing it (NULL: exit) */
    /* out */
    int status;      /**< exit status; 128+N killed by signal N; -1 timed out */
    char *out, *err; /**< captured stdout and stderr, NUL-terminated */
    size_t out_len, err_len;
    struct bench_mem mem[BENCH_MAX_PROCS]; /**< [0] the launched process, then its children */
    int mem_count;
};

/**
 * @brief Runs p->argv in its own process group, with PR_SET_PDEATHSIG, and
 * waits for it, capturing what p describes. When *stop becomes non-zero
 * (a signal) or the timeout passes, sends the process SIGTERM, and SIGKILL
 * to its whole group 15 s later; whenever it exits, whatever is left of its
 * group is SIGKILLed before it is reaped.
 * @return 0 once the process ended (its status in p->status), or -1 with
 * errstr when it could not be started or was stopped by *stop.
 */
int bench_proc_run(struct bench_proc *p, volatile sig_atomic_t *stop, char *errstr,
                   size_t errstr_size);

/** @brief Frees the captured output; p may be reused afterwards. */
void bench_proc_fini(struct bench_proc *p);

/** @brief The last lines (up to max_bytes) of s, for error messages. */
const char *bench_tail(const char *s, size_t max_bytes);

/**
 * @brief Creates a fresh scratch directory under $TMPDIR (or /tmp) into
 * dir. @return 0, or -1 with errstr.
 */
int bench_tmpdir_new(char *dir, size_t dir_size, char *errstr, size_t errstr_size);

/** @brief Removes dir and everything in it; a no-op for an empty string. */
void bench_tmpdir_remove(const char *dir);

/**
 * @brief Writes text to dir/name and its path into path.
 * @return 0, or -1 with errstr.
 */
int bench_write_file(const char *dir, const char *name, const char *text, char *path,
                     size_t path_size, char *errstr, size_t errstr_size);

#endif
