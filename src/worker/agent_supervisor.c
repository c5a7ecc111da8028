/*
 * agent_supervisor: processes, command log and restarts of the local
 * worker's agents (see agent_supervisor.h).
 *
 * Each agent is a fresh `ombc agent` process (fork + exec, since librdkafka
 * threads in this process must not be forked into a child that keeps
 * running), handed two descriptors: a control socket (agent_proto) and its
 * stats block. An agent that dies is seen as EOF on its socket (a call
 * fails) or by waitpid in the supervision step, and reported with its exit
 * status; never waited on forever. A wait for a reply also ends when the
 * run's stop flag is raised (within OMBC_AGENT_STOP_POLL_MS): the reply is
 * given up on, which leaves the channel out of step, so that agent is only
 * killed afterwards, never spoken to again.
 */
#include "worker/agent_supervisor.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/log.h"
#include "worker/agent_proto.h"
#include "worker/command_log.h"

#define LOGGER "AgentSupervisor"
#define STOP_TIMEOUT_MS 6000
/* Once the run was interrupted, an agent gets this long to answer "stop"
 * and then to exit, before it is killed: the user waits on it. */
#define STOP_REPLY_INTERRUPTED_MS 1000
#define STOP_EXIT_INTERRUPTED_MS 500

struct agent_proc {
    pid_t pid;
    int ctrl_fd;
    int stats_fd;
    bool abandoned; /* a reply given up on (stop requested): kill it, say nothing more */
    struct ombc_agent_stats stats;
    struct ombc_command_log log; /* what a restart replays */
};

struct ombc_agent_supervisor {
    int n;
    char exe[PATH_MAX];
    struct ombc_agent_options opt; /* opt.exe points at exe */
    struct agent_proc *agents;
    struct ombc_agent_stats **blocks;
    int restarts; /* in this run */
};

/* ---------------------------------------------------------- processes */

static bool stop_requested(const struct ombc_agent_supervisor *s) {
    return ombc_stop_requested(s->opt.stop_requested) != 0;
}

static void describe_exit(int status, char *buf, size_t size) {
    if (WIFSIGNALED(status))
        snprintf(buf, size, "killed by signal %d (%s)", WTERMSIG(status),
                 strsignal(WTERMSIG(status)));
    else if (WIFEXITED(status))
        snprintf(buf, size, "exited with status %d", WEXITSTATUS(status));
    else
        snprintf(buf, size, "stopped");
}

/* Reaps agent ap if it has exited (waiting up to wait_ms for it to do so).
 * @return true and a description if it is gone. */
static bool reap(struct agent_proc *ap, int wait_ms, char *why, size_t why_size) {
    if (ap->pid <= 0) {
        snprintf(why, why_size, "not running");
        return true;
    }
    int64_t deadline = ombc_now_ns() + (int64_t)wait_ms * 1000000;
    for (;;) {
        int status;
        pid_t r = waitpid(ap->pid, &status, WNOHANG);
        if (r == ap->pid) {
            describe_exit(status, why, why_size);
            ap->pid = -1;
            return true;
        }
        if (r < 0 && errno != EINTR) {
            snprintf(why, why_size, "lost (%s)", strerror(errno));
            ap->pid = -1;
            return true;
        }
        if (ombc_now_ns() >= deadline)
            return false;
        ombc_sleep_until_ns(ombc_now_ns() + 10000000);
    }
}

static int agent_failure(struct ombc_agent_supervisor *s, int i, int rc, char *errstr,
                         size_t errstr_size) {
    struct agent_proc *ap = &s->agents[i];
    char why[128] = "did not answer";
    pid_t pid = ap->pid;
    if (rc == OMBC_EIO && reap(ap, 2000, why, sizeof(why)))
        return ombc_errf(errstr, errstr_size, OMBC_EAGENT, "agent %d (pid %d) died: %s", i,
                         (int)pid, why);
    if (rc == OMBC_ETIMEDOUT)
        return ombc_errf(errstr, errstr_size, OMBC_EAGENT,
                         "agent %d (pid %d) did not answer in time", i, (int)pid);
    return ombc_errf(errstr, errstr_size, OMBC_EAGENT, "agent %d (pid %d): %s", i, (int)pid,
                     ombc_strerror(rc));
}

int ombc_agent_supervisor_spawn(struct ombc_agent_supervisor *s, int i, char *errstr,
                                size_t errstr_size) {
    struct agent_proc *ap = &s->agents[i];
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        return ombc_errf(errstr, errstr_size, OMBC_EIO, "socketpair: %s", strerror(errno));
    /* Everything the child needs is prepared before fork: after it, only
     * async-signal-safe calls until exec. */
    char idx[16], cfd[16], sfd[16], spin[16], level[16];
    snprintf(idx, sizeof(idx), "%d", i);
    snprintf(spin, sizeof(spin), "%d", s->opt.spin_us);
    snprintf(level, sizeof(level), "%d", s->opt.log_level);
    snprintf(cfd, sizeof(cfd), "%d", sv[1]);
    snprintf(sfd, sizeof(sfd), "%d", ap->stats_fd);
    char *argv[] = {s->exe, "agent", "--index", idx, "--control-fd", cfd, "--stats-fd", sfd,
                    "--spin-us", spin, "--log-level", level, "--log-json",
                    s->opt.log_json ? "1" : "0", "--stamp", s->opt.no_stamp ? "0" : "1", NULL};
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        close(sv[0]);
        close(sv[1]);
        return ombc_errf(errstr, errstr_size, OMBC_EIO, "fork: %s", strerror(errno));
    }
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(127);
        signal(SIGINT, SIG_IGN); /* the coordinator orchestrates Ctrl-C */
        fcntl(sv[1], F_SETFD, 0);
        fcntl(ap->stats_fd, F_SETFD, 0);
        execv(s->exe, argv);
        _exit(127);
    }
    close(sv[1]);
    ap->pid = pid;
    ap->ctrl_fd = sv[0];
    ap->abandoned = false;
    return 0;
}

/* Reads agent ap's reply within timeout_ms (< 0: no limit); when
 * interruptible, gives up (OMBC_EINTR) within OMBC_AGENT_STOP_POLL_MS of a
 * stop request. @return 0 or agent_proto's error. */
static int read_reply(const struct ombc_agent_supervisor *s, struct agent_proc *ap,
                      int timeout_ms, bool interruptible, cJSON **r) {
    int64_t deadline = timeout_ms < 0 ? INT64_MAX
                                      : ombc_now_ns() + (int64_t)timeout_ms * 1000000;
    for (;;) {
        if (interruptible && stop_requested(s))
            return OMBC_EINTR;
        int64_t left_ms = deadline == INT64_MAX ? -1 : (deadline - ombc_now_ns()) / 1000000;
        if (deadline != INT64_MAX && left_ms <= 0)
            return OMBC_ETIMEDOUT;
        int slice = (int)left_ms;
        if (interruptible && (left_ms < 0 || left_ms > OMBC_AGENT_STOP_POLL_MS))
            slice = OMBC_AGENT_STOP_POLL_MS;
        struct pollfd pfd = {.fd = ap->ctrl_fd, .events = POLLIN};
        int n = poll(&pfd, 1, slice);
        if (n < 0 && errno != EINTR)
            return OMBC_EIO;
        if (n > 0) { /* the reply begins (or the agent is gone): read it whole */
            left_ms = deadline == INT64_MAX ? -1 : (deadline - ombc_now_ns()) / 1000000;
            return ombc_frame_read_json(ap->ctrl_fd, r, left_ms == 0 ? 1 : (int)left_ms);
        }
    }
}

/* ombc_agent_supervisor_call; interruptible: the wait for the reply ends on
 * a stop request, and the agent is then abandoned (killed at its stop). */
static int call(struct ombc_agent_supervisor *s, int i, const cJSON *cmd,
                const struct ombc_payload *frames, size_t frame_count, int timeout_ms,
                bool interruptible, char *errstr, size_t errstr_size) {
    struct agent_proc *ap = &s->agents[i];
    if (ap->pid <= 0)
        return ombc_errf(errstr, errstr_size, OMBC_EAGENT, "agent %d is not running", i);
    if (ap->abandoned)
        return ombc_errf(errstr, errstr_size, OMBC_EINTR,
                         "agent %d was given up on after an interruption", i);
    int rc = ombc_frame_write_json(ap->ctrl_fd, cmd);
    for (size_t f = 0; rc == 0 && f < frame_count; f++)
        rc = ombc_frame_write(ap->ctrl_fd, frames[f].data, frames[f].len);
    if (rc)
        return agent_failure(s, i, OMBC_EIO, errstr, errstr_size);
    cJSON *r = NULL;
    rc = read_reply(s, ap, timeout_ms, interruptible, &r);
    if (rc == OMBC_EINTR) {
        ap->abandoned = true;
        return ombc_errf(errstr, errstr_size, OMBC_EINTR,
                         "agent %d: interrupted while waiting for its reply", i);
    }
    if (rc)
        return agent_failure(s, i, rc, errstr, errstr_size);
    rc = 0;
    if (!cJSON_IsTrue(cJSON_GetObjectItem(r, "ok"))) {
        const cJSON *e = cJSON_GetObjectItem(r, "error");
        rc = ombc_errf(errstr, errstr_size, OMBC_EDRIVER, "agent %d: %s", i,
                       cJSON_IsString(e) ? e->valuestring : "failed");
    }
    cJSON_Delete(r);
    return rc;
}

int ombc_agent_supervisor_call(struct ombc_agent_supervisor *s, int i, const cJSON *cmd,
                               const struct ombc_payload *frames, size_t frame_count,
                               int timeout_ms, char *errstr, size_t errstr_size) {
    return call(s, i, cmd, frames, frame_count, timeout_ms, true, errstr, errstr_size);
}

/* ---------------------------------------------------------- the log */

void ombc_agent_supervisor_remember(struct ombc_agent_supervisor *s, int i, const char *slot,
                                    cJSON *cmd, const struct ombc_payload *frames,
                                    size_t frame_count) {
    /* a command not kept would be missing from a restart: say so at once */
    int rc = ombc_command_log_add(&s->agents[i].log, slot, cmd, frames, frame_count);
    if (rc)
        OMBC_WARN(LOGGER, "agent %d: a restart would not replay a command: %s", i,
                  ombc_strerror(rc));
}

/* ---------------------------------------------------------- supervision */

/* Starts agent i again, into the same stats block, and replays its log. */
static int restart(struct ombc_agent_supervisor *s, int i, char *errstr, size_t errstr_size) {
    struct agent_proc *ap = &s->agents[i];
    int64_t t0 = ombc_now_ns();
    if (ap->ctrl_fd >= 0)
        close(ap->ctrl_fd);
    ap->ctrl_fd = -1;
    /* its writer is gone: the gauge is ours to clear until the new one runs */
    ombc_gauge_set(&ap->stats.counters->rate_applied_milli, 0);
    int rc = ombc_agent_supervisor_spawn(s, i, errstr, errstr_size);
    const struct ombc_logged_command *c;
    for (size_t k = 0; rc == 0 && (c = ombc_command_log_at(&ap->log, k)); k++)
        rc = ombc_agent_supervisor_call(s, i, c->cmd, c->frames, c->frame_count,
                                        OMBC_AGENT_SETUP_TIMEOUT_MS, errstr, errstr_size);
    if (rc == 0) {
        int64_t ms = (ombc_now_ns() - t0) / 1000000;
        char fields[128];
        snprintf(fields, sizeof(fields),
                 "\"agent\":%d,\"pid\":%d,\"restartMs\":%" PRId64 ",\"restarts\":%d", i,
                 (int)ap->pid, ms, s->restarts);
        ombc_log_event(OMBC_LOG_INFO, "AgentPool", "agent-restart", fields,
                       "Agent %d restarted as pid %d in %" PRId64 " ms", i, (int)ap->pid, ms);
    }
    return rc;
}

int ombc_agent_supervisor_step(struct ombc_agent_supervisor *s, char *errstr,
                               size_t errstr_size) {
    for (int i = 0; i < s->n; i++) {
        struct agent_proc *ap = &s->agents[i];
        char why[128];
        pid_t pid = ap->pid;
        if (pid <= 0 || !reap(ap, 0, why, sizeof(why)))
            continue;
        if (s->restarts >= s->opt.max_restarts)
            return ombc_errf(errstr, errstr_size, OMBC_EAGENT,
                             "agent %d (pid %d) died: %s; no restarts left (--agent-restarts "
                             "%d)", i, (int)pid, why, s->opt.max_restarts);
        s->restarts++;
        OMBC_WARN("AgentPool", "Agent %d (pid %d) died: %s; restarting it (restart %d of %d)", i,
                  (int)pid, why, s->restarts, s->opt.max_restarts);
        char err[1024];
        if (restart(s, i, err, sizeof(err)))
            return ombc_errf(errstr, errstr_size, OMBC_EAGENT,
                             "agent %d (pid %d) died: %s; restarting it failed: %s", i, (int)pid,
                             why, err);
    }
    return 0;
}

int ombc_agent_supervisor_restarts(const struct ombc_agent_supervisor *s) {
    return s->restarts;
}

void ombc_agent_supervisor_reset(struct ombc_agent_supervisor *s) {
    s->restarts = 0;
}

void ombc_agent_supervisor_stop(struct ombc_agent_supervisor *s, int i) {
    struct agent_proc *ap = &s->agents[i];
    char why[128];
    /* after an interruption the user is waiting: a short grace, then a kill */
    bool interrupted = stop_requested(s);
    if (ap->pid > 0 && !ap->abandoned) {
        cJSON *cmd = cJSON_CreateObject();
        cJSON_AddStringToObject(cmd, "op", "stop");
        char err[256];
        call(s, i, cmd, NULL, 0,
             interrupted ? STOP_REPLY_INTERRUPTED_MS : OMBC_AGENT_COMMAND_TIMEOUT_MS, false, err,
             sizeof(err));
        cJSON_Delete(cmd);
    }
    int grace = ap->abandoned ? 0 : interrupted ? STOP_EXIT_INTERRUPTED_MS : STOP_TIMEOUT_MS;
    if (ap->pid > 0 && !reap(ap, grace, why, sizeof(why))) {
        if (interrupted)
            OMBC_INFO("AgentPool", "agent %d (pid %d) is busy; killing it (interrupted)", i,
                      (int)ap->pid);
        else
            OMBC_WARN("AgentPool", "agent %d (pid %d) did not stop; killing it", i,
                      (int)ap->pid);
        kill(ap->pid, SIGKILL);
        reap(ap, 5000, why, sizeof(why));
    }
    ap->abandoned = false;
    if (ap->ctrl_fd >= 0)
        close(ap->ctrl_fd);
    ap->ctrl_fd = -1;
    ombc_command_log_clear(&ap->log);
}

/* ---------------------------------------------------------- lifecycle */

int ombc_agent_supervisor_count(const struct ombc_agent_supervisor *s) {
    return s->n;
}

struct ombc_agent_stats *ombc_agent_supervisor_block(struct ombc_agent_supervisor *s, int i) {
    return &s->agents[i].stats;
}

const struct ombc_agent_stats *const *ombc_agent_supervisor_blocks(
    const struct ombc_agent_supervisor *s, int *n) {
    *n = s->n;
    return (const struct ombc_agent_stats *const *)s->blocks;
}

void ombc_agent_supervisor_destroy(struct ombc_agent_supervisor *s) {
    if (!s)
        return;
    for (int i = 0; s->agents && i < s->n; i++) {
        ombc_agent_supervisor_stop(s, i);
        ombc_agent_stats_detach(&s->agents[i].stats);
        if (s->agents[i].stats_fd >= 0)
            close(s->agents[i].stats_fd);
    }
    free(s->blocks);
    free(s->agents);
    free(s);
}

int ombc_agent_supervisor_new(int n, const struct ombc_agent_options *opt,
                              struct ombc_agent_supervisor **out, char *errstr,
                              size_t errstr_size) {
    if (n < 1 || n > 1024)
        return ombc_errf(errstr, errstr_size, OMBC_EINVAL,
                         "--agents must be between 1 and 1024, got %d", n);
    struct ombc_agent_supervisor *s = calloc(1, sizeof(*s));
    if (!s)
        return ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "out of memory");
    s->n = n;
    s->opt = *opt;
    snprintf(s->exe, sizeof(s->exe), "%s", opt->exe);
    s->opt.exe = s->exe;
    s->agents = calloc((size_t)n, sizeof(*s->agents));
    s->blocks = calloc((size_t)n, sizeof(*s->blocks));
    if (!s->agents || !s->blocks) {
        free(s->agents);
        free(s->blocks);
        free(s);
        return ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "out of memory");
    }
    for (int i = 0; i < n; i++) {
        s->agents[i].pid = -1;
        s->agents[i].ctrl_fd = -1;
        s->agents[i].stats_fd = -1;
    }
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        rc = ombc_agent_stats_create(&s->agents[i].stats, &s->agents[i].stats_fd, errstr,
                                     errstr_size);
        s->blocks[i] = &s->agents[i].stats;
    }
    if (rc) {
        ombc_agent_supervisor_destroy(s);
        return rc;
    }
    *out = s;
    return 0;
}
