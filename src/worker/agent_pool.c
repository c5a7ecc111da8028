/*
 * agent_pool: the Worker of N local agent processes (see agent_pool.h).
 *
 * Each agent is a fresh `ombc agent` process (fork + exec, since librdkafka
 * threads in this process must not be forked into a child that keeps
 * running), handed two descriptors: a control socket (agent_proto) and its
 * stats block (a memfd owned here, so it outlives the agent). Commands fan
 * out to all agents first and replies are collected after, so agents work in
 * parallel. Stats are read straight from the blocks by the collector, without
 * a round trip. An agent that dies is seen as EOF on its socket or by
 * waitpid and reported with its exit status; never waited on forever.
 *
 * Every command that shapes an agent (init, its producers and consumers,
 * the load and its rate, pause) is remembered, so that an agent that dies
 * mid-run can be started again into the same stats block and given the same
 * work, up to max_restarts times per run (health() does it).
 */
#include "worker/agent_pool.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
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
#include "core/random.h"
#include "driver/driver.h"
#include "worker/agent_proto.h"

#define LOGGER "AgentPool"
#define SETUP_TIMEOUT_MS 120000
#define COMMAND_TIMEOUT_MS 30000
#define STOP_TIMEOUT_MS 60000

struct agent_proc {
    pid_t pid;
    int ctrl_fd;
    int stats_fd;
    struct ombc_agent_stats stats;
    int producers;
    int consumers;
    cJSON *replay; /* its create_producers / create_consumers commands, in order */
};

/* The load as the agents were last told, to give a restarted agent. */
enum load_state { LOAD_NONE, LOAD_RUNNING, LOAD_STOPPED };

struct pool {
    struct ombc_worker base;
    int n;
    char exe[PATH_MAX];
    struct agent_proc *agents;
    struct ombc_agent_stats **stats;
    struct ombc_collector collector;
    struct ombc_rng rng;

    const struct ombc_driver_ops *drv;
    struct ombc_fixture *fixture; /* the broker this process hosts, or NULL */
    struct ombc_admin *admin;
    bool running; /* agents started and initialised */
    char **topics;
    int topic_count;

    cJSON *init_cmd; /* the driver's init, as every agent received it */
    enum load_state load;
    double agent_rate; /* msg/s of each agent with producers */
    struct ombc_producer_assignment assignment; /* payloads: the caller's, for the run */
    bool paused;
    int max_restarts; /* per run */
    int spin_us;      /* the agents' rate limiter spin window */
    int log_level;
    bool log_json;
    bool no_stamp;
    int restarts;     /* in this run */
};

int ombc_agent_pool_assign(int item, int agents) {
    return item % agents;
}

/* ---------------------------------------------------------- processes */

static void describe_exit(int status, char *buf, size_t size) {
    if (WIFSIGNALED(status))
        snprintf(buf, size, "killed by signal %d (%s)", WTERMSIG(status),
                 strsignal(WTERMSIG(status)));
    else if (WIFEXITED(status))
        snprintf(buf, size, "exited with status %d", WEXITSTATUS(status));
    else
        snprintf(buf, size, "stopped");
}

/* Reaps agent i if it has exited (waiting up to wait_ms for it to do so).
 * @return true and a description if it is gone. */
static bool reap(struct pool *p, int i, int wait_ms, char *why, size_t why_size) {
    struct agent_proc *ap = &p->agents[i];
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

static int agent_failure(struct pool *p, int i, int rc, char *errstr, size_t errstr_size) {
    char why[128] = "did not answer";
    pid_t pid = p->agents[i].pid;
    if (rc == OMBC_EIO && reap(p, i, 2000, why, sizeof(why)))
        return ombc_errf(errstr, errstr_size, OMBC_EAGENT, "agent %d (pid %d) died: %s", i,
                         (int)pid, why);
    if (rc == OMBC_ETIMEDOUT)
        return ombc_errf(errstr, errstr_size, OMBC_EAGENT, "agent %d (pid %d) did not answer in "
                         "time", i, (int)pid);
    return ombc_errf(errstr, errstr_size, OMBC_EAGENT, "agent %d (pid %d): %s", i, (int)pid,
                     ombc_strerror(rc));
}

static int spawn(struct pool *p, int i, char *errstr, size_t errstr_size) {
    struct agent_proc *ap = &p->agents[i];
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        return ombc_errf(errstr, errstr_size, OMBC_EIO, "socketpair: %s", strerror(errno));
    /* Everything the child needs is prepared before fork: after it, only
     * async-signal-safe calls until exec. */
    char idx[16], cfd[16], sfd[16], spin[16], level[16];
    snprintf(idx, sizeof(idx), "%d", i);
    snprintf(spin, sizeof(spin), "%d", p->spin_us);
    snprintf(level, sizeof(level), "%d", p->log_level);
    snprintf(cfd, sizeof(cfd), "%d", sv[1]);
    snprintf(sfd, sizeof(sfd), "%d", ap->stats_fd);
    char *argv[] = {p->exe, "agent", "--index", idx, "--control-fd", cfd, "--stats-fd", sfd,
                    "--spin-us", spin, "--log-level", level, "--log-json",
                    p->log_json ? "1" : "0", "--stamp", p->no_stamp ? "0" : "1", NULL};
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
        execv(p->exe, argv);
        _exit(127);
    }
    close(sv[1]);
    ap->pid = pid;
    ap->ctrl_fd = sv[0];
    return 0;
}

/* Sends cmd (plus optional raw frames) to every agent for which want[i] is
 * true (all when want is NULL), then collects every reply. */
static int broadcast(struct pool *p, cJSON *const *cmds, const bool *want,
                     const struct ombc_payload *frames, size_t frame_count, int timeout_ms,
                     char *errstr, size_t errstr_size) {
    int first = 0;
    bool sent[p->n];
    for (int i = 0; i < p->n; i++) {
        sent[i] = false;
        if ((want && !want[i]) || p->agents[i].pid <= 0)
            continue;
        int rc = ombc_frame_write_json(p->agents[i].ctrl_fd, cmds[i]);
        for (size_t f = 0; rc == 0 && f < frame_count; f++)
            rc = ombc_frame_write(p->agents[i].ctrl_fd, frames[f].data, frames[f].len);
        if (rc) {
            if (!first)
                first = agent_failure(p, i, OMBC_EIO, errstr, errstr_size);
            continue;
        }
        sent[i] = true;
    }
    for (int i = 0; i < p->n; i++) {
        if (!sent[i])
            continue;
        cJSON *r = NULL;
        int rc = ombc_frame_read_json(p->agents[i].ctrl_fd, &r, timeout_ms);
        if (rc) {
            if (!first)
                first = agent_failure(p, i, rc, errstr, errstr_size);
            continue;
        }
        if (!cJSON_IsTrue(cJSON_GetObjectItem(r, "ok")) && !first) {
            const cJSON *e = cJSON_GetObjectItem(r, "error");
            first = ombc_errf(errstr, errstr_size, OMBC_EDRIVER, "agent %d: %s", i,
                              cJSON_IsString(e) ? e->valuestring : "failed");
        }
        cJSON_Delete(r);
    }
    return first;
}

/* The same command (and frames) to every wanted agent. */
static int broadcast_one(struct pool *p, cJSON *cmd, const bool *want,
                         const struct ombc_payload *frames, size_t frame_count, int timeout_ms,
                         char *errstr, size_t errstr_size) {
    cJSON *cmds[p->n];
    for (int i = 0; i < p->n; i++)
        cmds[i] = cmd;
    return broadcast(p, cmds, want, frames, frame_count, timeout_ms, errstr, errstr_size);
}

static int simple_command(struct pool *p, const char *op, const bool *want, char *errstr,
                          size_t errstr_size) {
    cJSON *cmd = cJSON_CreateObject();
    cJSON_AddStringToObject(cmd, "op", op);
    int rc = broadcast_one(p, cmd, want, NULL, 0, COMMAND_TIMEOUT_MS, errstr, errstr_size);
    cJSON_Delete(cmd);
    return rc;
}

/* Stops every agent: "stop", then wait for the exit, then SIGKILL. */
static void stop_agents(struct pool *p) {
    char err[256];
    simple_command(p, "stop", NULL, err, sizeof(err));
    for (int i = 0; i < p->n; i++) {
        struct agent_proc *ap = &p->agents[i];
        char why[128];
        if (ap->pid > 0 && !reap(p, i, STOP_TIMEOUT_MS / 10, why, sizeof(why))) {
            OMBC_WARN(LOGGER, "agent %d (pid %d) did not stop; killing it", i, (int)ap->pid);
            kill(ap->pid, SIGKILL);
            reap(p, i, 5000, why, sizeof(why));
        }
        if (ap->ctrl_fd >= 0)
            close(ap->ctrl_fd);
        ap->ctrl_fd = -1;
    }
}

/* --------------------------------------------------------- worker ops */

static struct pool *pool_of(struct ombc_worker *w) {
    return (struct pool *)w;
}

static int pool_stop_all(struct ombc_worker *w, char *errstr, size_t errstr_size);

static int pool_initialize_driver(struct ombc_worker *w, const struct ombc_driver_conf *conf,
                                  char *errstr, size_t errstr_size) {
    struct pool *p = pool_of(w);
    if (p->running)
        return ombc_errf(errstr, errstr_size, OMBC_EINVAL, "driver already initialised");
    p->drv = ombc_driver_find(conf, errstr, errstr_size);
    if (!p->drv)
        return OMBC_ENOENT;
    struct ombc_driver_conf client_conf = {0};
    int rc = p->drv->fixture_start
                 ? p->drv->fixture_start(conf, &p->fixture, &client_conf, errstr, errstr_size)
                 : 0;
    const struct ombc_driver_conf *cc = p->fixture ? &client_conf : conf;
    if (rc == 0 && p->drv->admin_open)
        rc = p->drv->admin_open(cc, p->fixture, &p->admin, errstr, errstr_size);
    if (rc) {
        if (p->fixture)
            p->drv->fixture_stop(p->fixture);
        p->fixture = NULL;
        ombc_driver_conf_fini(&client_conf);
        return rc;
    }
    for (int i = 0; rc == 0 && i < p->n; i++) {
        p->agents[i].producers = p->agents[i].consumers = 0;
        rc = spawn(p, i, errstr, errstr_size);
    }
    p->running = true; /* from here on, stop_all cleans up */
    p->restarts = 0;
    if (rc == 0) {
        cJSON *cmd = p->init_cmd = cJSON_CreateObject();
        cJSON_AddStringToObject(cmd, "op", "init");
        cJSON_AddStringToObject(cmd, "driver_path", cc->path);
        cJSON_AddStringToObject(cmd, "driver_yaml", cc->raw);
        rc = broadcast_one(p, cmd, NULL, NULL, 0, SETUP_TIMEOUT_MS, errstr, errstr_size);
    }
    ombc_driver_conf_fini(&client_conf);
    if (rc) {
        char ignored[256];
        pool_stop_all(w, ignored, sizeof(ignored));
    }
    return rc;
}

static int pool_create_topics(struct ombc_worker *w, int topics, int partitions, char ***names,
                              char *errstr, size_t errstr_size) {
    struct pool *p = pool_of(w);
    if (!p->running)
        return ombc_errf(errstr, errstr_size, OMBC_EINVAL, "driver not initialised");
    char **list = calloc((size_t)topics + 1, sizeof(*list));
    char **mine = realloc(p->topics, ((size_t)p->topic_count + (size_t)topics) * sizeof(*mine));
    if (!list || (!mine && topics > 0)) {
        free(list);
        return OMBC_ENOMEM;
    }
    if (mine)
        p->topics = mine;
    for (int i = 0; i < topics; i++) {
        char rnd[16];
        ombc_random_string(&p->rng, 5, rnd);
        size_t len = strlen(p->drv->topic_prefix) + 32;
        list[i] = malloc(len);
        if (!list[i]) {
            for (int j = 0; j < i; j++)
                free(list[j]);
            free(list);
            return OMBC_ENOMEM;
        }
        snprintf(list[i], len, "%s-%07d-%s", p->drv->topic_prefix, i, rnd);
    }
    int rc = p->drv->create_topics ? p->drv->create_topics(p->admin, (const char *const *)list,
                                                           topics, partitions, errstr, errstr_size)
                                   : 0;
    /* Remember them even on partial failure: deletion tolerates missing ones. */
    for (int i = 0; i < topics; i++)
        p->topics[p->topic_count++] = strdup(list[i]);
    if (rc) {
        for (int i = 0; i < topics; i++)
            free(list[i]);
        free(list);
        return rc;
    }
    *names = list;
    return 0;
}

/* One command per agent: {"op": op, list: []}, to be filled round-robin;
 * want[i] turns true when agent i gets an item. Returns each agent's list. */
static void deal_commands(struct pool *p, const char *op, const char *list, cJSON **cmds,
                          cJSON **lists, bool *want) {
    for (int i = 0; i < p->n; i++) {
        cmds[i] = cJSON_CreateObject();
        cJSON_AddStringToObject(cmds[i], "op", op);
        lists[i] = cJSON_AddArrayToObject(cmds[i], list);
        want[i] = false;
    }
}

/* Sends each agent that got items its command, and keeps the commands for
 * a restart. */
static int send_dealt(struct pool *p, cJSON **cmds, const bool *want, char *errstr,
                      size_t errstr_size) {
    int rc = broadcast(p, cmds, want, NULL, 0, SETUP_TIMEOUT_MS, errstr, errstr_size);
    for (int i = 0; i < p->n; i++) {
        struct agent_proc *ap = &p->agents[i];
        if (want[i] && (ap->replay || (ap->replay = cJSON_CreateArray())))
            cJSON_AddItemToArray(ap->replay, cmds[i]);
        else
            cJSON_Delete(cmds[i]);
    }
    return rc;
}

static int pool_create_producers(struct ombc_worker *w, const char *const *topics, size_t count,
                                 char *errstr, size_t errstr_size) {
    struct pool *p = pool_of(w);
    cJSON *cmds[p->n], *lists[p->n];
    bool want[p->n];
    deal_commands(p, "create_producers", "topics", cmds, lists, want);
    for (size_t t = 0; t < count; t++) {
        int i = ombc_agent_pool_assign((int)t, p->n);
        cJSON_AddItemToArray(lists[i], cJSON_CreateString(topics[t]));
        want[i] = true;
        p->agents[i].producers++;
    }
    return send_dealt(p, cmds, want, errstr, errstr_size);
}

static int pool_create_consumers(struct ombc_worker *w, const struct ombc_topic_subscription *subs,
                                 size_t count, char *errstr, size_t errstr_size) {
    struct pool *p = pool_of(w);
    cJSON *cmds[p->n], *lists[p->n];
    bool want[p->n];
    deal_commands(p, "create_consumers", "subscriptions", cmds, lists, want);
    for (size_t s = 0; s < count; s++) {
        int i = ombc_agent_pool_assign((int)s, p->n);
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "topic", subs[s].topic);
        cJSON_AddStringToObject(e, "subscription", subs[s].subscription);
        cJSON_AddItemToArray(lists[i], e);
        want[i] = true;
        p->agents[i].consumers++;
    }
    return send_dealt(p, cmds, want, errstr, errstr_size);
}

/* Agents that received producers; the rate is split among them (OMB divides
 * by the workers that actually received producers). */
static int producer_agents(struct pool *p, bool *want) {
    int used = 0;
    for (int i = 0; i < p->n; i++) {
        want[i] = p->agents[i].producers > 0;
        used += want[i];
    }
    return used;
}

static int pool_probe_producers(struct ombc_worker *w, char *errstr, size_t errstr_size) {
    struct pool *p = pool_of(w);
    bool want[p->n];
    producer_agents(p, want);
    return simple_command(p, "probe", want, errstr, errstr_size);
}

/* Starts the load on the wanted agents at the pool's current assignment and
 * per-agent rate. */
static int send_start_load(struct pool *p, const bool *want, char *errstr, size_t errstr_size) {
    const struct ombc_producer_assignment *a = &p->assignment;
    cJSON *cmd = cJSON_CreateObject();
    cJSON_AddStringToObject(cmd, "op", "start_load");
    cJSON_AddNumberToObject(cmd, "rate", p->agent_rate);
    cJSON_AddNumberToObject(cmd, "key_distributor", a->key_distributor);
    cJSON_AddNumberToObject(cmd, "payload_count", (double)a->payload_count);
    int rc = broadcast_one(p, cmd, want, a->payloads, a->payload_count, SETUP_TIMEOUT_MS, errstr,
                           errstr_size);
    cJSON_Delete(cmd);
    return rc;
}

static int pool_start_load(struct ombc_worker *w, const struct ombc_producer_assignment *a,
                           char *errstr, size_t errstr_size) {
    struct pool *p = pool_of(w);
    bool want[p->n];
    int used = producer_agents(p, want);
    if (used == 0)
        return ombc_errf(errstr, errstr_size, OMBC_EINVAL, "no producers to start");
    p->assignment = *a;
    p->agent_rate = a->publish_rate / used;
    p->load = LOAD_RUNNING;
    return send_start_load(p, want, errstr, errstr_size);
}

static int pool_adjust_publish_rate(struct ombc_worker *w, double rate, char *errstr,
                                    size_t errstr_size) {
    struct pool *p = pool_of(w);
    bool want[p->n];
    int used = producer_agents(p, want);
    if (used == 0)
        return 0;
    p->agent_rate = rate / used;
    cJSON *cmd = cJSON_CreateObject();
    cJSON_AddStringToObject(cmd, "op", "adjust_rate");
    cJSON_AddNumberToObject(cmd, "rate", p->agent_rate);
    int rc = broadcast_one(p, cmd, want, NULL, 0, COMMAND_TIMEOUT_MS, errstr, errstr_size);
    cJSON_Delete(cmd);
    return rc;
}

static int pool_stop_load(struct ombc_worker *w, char *errstr, size_t errstr_size) {
    struct pool *p = pool_of(w);
    bool want[p->n];
    producer_agents(p, want);
    p->load = LOAD_STOPPED;
    return simple_command(p, "stop_load", want, errstr, errstr_size);
}

int ombc_agent_pool_applied_rates(const struct ombc_worker *w, double *rates, int n) {
    const struct pool *p = (const struct pool *)w;
    for (int i = 0; i < n && i < p->n; i++)
        rates[i] = (double)ombc_counter_read(&p->agents[i].stats.counters->rate_applied_milli) /
                   1000.0;
    return p->n;
}

const struct ombc_agent_stats *const *ombc_agent_pool_stats(const struct ombc_worker *w, int *n) {
    const struct pool *p = (const struct pool *)w;
    *n = p->n;
    return (const struct ombc_agent_stats *const *)p->stats;
}

static int pool_pause_consumers(struct ombc_worker *w, char *errstr, size_t errstr_size) {
    pool_of(w)->paused = true;
    return simple_command(pool_of(w), "pause", NULL, errstr, errstr_size);
}

static int pool_resume_consumers(struct ombc_worker *w, char *errstr, size_t errstr_size) {
    pool_of(w)->paused = false;
    return simple_command(pool_of(w), "resume", NULL, errstr, errstr_size);
}

static int pool_get_period_stats(struct ombc_worker *w, struct ombc_period_stats *out,
                                 char *errstr, size_t errstr_size) {
    (void)errstr;
    (void)errstr_size;
    ombc_collector_period(&pool_of(w)->collector, out);
    return 0;
}

static int pool_get_cumulative_latencies(struct ombc_worker *w,
                                         struct ombc_cumulative_latencies *out, char *errstr,
                                         size_t errstr_size) {
    (void)errstr;
    (void)errstr_size;
    ombc_collector_cumulative(&pool_of(w)->collector, out);
    return 0;
}

static int pool_get_counters_stats(struct ombc_worker *w, struct ombc_counters_stats *out,
                                   char *errstr, size_t errstr_size) {
    (void)errstr;
    (void)errstr_size;
    struct pool *p = pool_of(w);
    ombc_collector_counters(&p->collector, out);
    bool want[p->n];
    int used = producer_agents(p, want);
    /* agent.c applies at least 1 msg/s, as OMB's LocalWorker does */
    out->publish_rate_target =
        p->load == LOAD_RUNNING ? used * (p->agent_rate < 1.0 ? 1.0 : p->agent_rate) : 0;
    return 0;
}

static int pool_reset_stats(struct ombc_worker *w, char *errstr, size_t errstr_size) {
    (void)errstr;
    (void)errstr_size;
    ombc_collector_reset_latencies(&pool_of(w)->collector);
    return 0;
}

/* Starts agent i again, into the same stats block, with the same driver,
 * producers, consumers, load, rate and pause state. */
static int restart(struct pool *p, int i, char *errstr, size_t errstr_size) {
    struct agent_proc *ap = &p->agents[i];
    int64_t t0 = ombc_now_ns();
    if (ap->ctrl_fd >= 0)
        close(ap->ctrl_fd);
    ap->ctrl_fd = -1;
    /* its writer is gone: the gauge is ours to clear until the new one runs */
    ombc_gauge_set(&ap->stats.counters->rate_applied_milli, 0);
    int rc = spawn(p, i, errstr, errstr_size);
    bool want[p->n];
    for (int k = 0; k < p->n; k++)
        want[k] = k == i;
    if (rc == 0)
        rc = broadcast_one(p, p->init_cmd, want, NULL, 0, SETUP_TIMEOUT_MS, errstr, errstr_size);
    const cJSON *cmd;
    cJSON_ArrayForEach(cmd, ap->replay) {
        if (rc == 0)
            rc = broadcast_one(p, (cJSON *)cmd, want, NULL, 0, SETUP_TIMEOUT_MS, errstr,
                               errstr_size);
    }
    if (rc == 0 && p->load == LOAD_RUNNING && ap->producers > 0)
        rc = send_start_load(p, want, errstr, errstr_size);
    if (rc == 0 && p->paused)
        rc = simple_command(p, "pause", want, errstr, errstr_size);
    if (rc == 0) {
        int64_t ms = (ombc_now_ns() - t0) / 1000000;
        char fields[128];
        snprintf(fields, sizeof(fields),
                 "\"agent\":%d,\"pid\":%d,\"restartMs\":%" PRId64 ",\"restarts\":%d", i,
                 (int)ap->pid, ms, p->restarts);
        ombc_log_event(OMBC_LOG_INFO, LOGGER, "agent-restart", fields,
                       "Agent %d restarted as pid %d in %" PRId64 " ms", i, (int)ap->pid, ms);
    }
    return rc;
}

static int pool_health(struct ombc_worker *w, char *errstr, size_t errstr_size) {
    struct pool *p = pool_of(w);
    if (!p->running)
        return 0;
    for (int i = 0; i < p->n; i++) {
        char why[128];
        pid_t pid = p->agents[i].pid;
        if (pid <= 0 || !reap(p, i, 0, why, sizeof(why)))
            continue;
        if (p->restarts >= p->max_restarts)
            return ombc_errf(errstr, errstr_size, OMBC_EAGENT,
                             "agent %d (pid %d) died: %s; no restarts left (--agent-restarts "
                             "%d)", i, (int)pid, why, p->max_restarts);
        p->restarts++;
        OMBC_WARN(LOGGER, "Agent %d (pid %d) died: %s; restarting it (restart %d of %d)", i,
                  (int)pid, why, p->restarts, p->max_restarts);
        char err[1024];
        int rc = restart(p, i, err, sizeof(err));
        if (rc)
            return ombc_errf(errstr, errstr_size, OMBC_EAGENT,
                             "agent %d (pid %d) died: %s; restarting it failed: %s", i, (int)pid,
                             why, err);
    }
    return 0;
}

int ombc_agent_pool_restarts(const struct ombc_worker *w) {
    return ((const struct pool *)w)->restarts;
}

static int pool_stop_all(struct ombc_worker *w, char *errstr, size_t errstr_size) {
    struct pool *p = pool_of(w);
    int rc = 0;
    if (p->running) {
        stop_agents(p);
        if (p->topic_count > 0 && p->drv->delete_topics) {
            rc = p->drv->delete_topics(p->admin, (const char *const *)p->topics, p->topic_count,
                                       NULL, 0, errstr, errstr_size);
            if (rc)
                OMBC_WARN(LOGGER, "Topics left behind: %s", errstr);
        }
        if (p->drv->admin_close)
            p->drv->admin_close(p->admin);
        p->admin = NULL;
        if (p->fixture)
            p->drv->fixture_stop(p->fixture);
        p->fixture = NULL;
        p->running = false;
    }
    for (int i = 0; i < p->topic_count; i++)
        free(p->topics[i]);
    free(p->topics);
    p->topics = NULL;
    p->topic_count = 0;
    for (int i = 0; i < p->n; i++) {
        cJSON_Delete(p->agents[i].replay);
        p->agents[i].replay = NULL;
    }
    cJSON_Delete(p->init_cmd);
    p->init_cmd = NULL;
    p->load = LOAD_NONE;
    p->paused = false;
    memset(&p->assignment, 0, sizeof(p->assignment));
    ombc_collector_reset_all(&p->collector);
    return rc;
}

static void pool_destroy(struct ombc_worker *w) {
    if (!w)
        return;
    struct pool *p = pool_of(w);
    char err[256];
    pool_stop_all(w, err, sizeof(err));
    ombc_collector_fini(&p->collector);
    for (int i = 0; i < p->n; i++) {
        ombc_agent_stats_detach(&p->agents[i].stats);
        if (p->agents[i].stats_fd >= 0)
            close(p->agents[i].stats_fd);
    }
    free(p->stats);
    free(p->agents);
    free(p);
}

static const struct ombc_worker_ops pool_ops = {
    .initialize_driver = pool_initialize_driver,
    .create_topics = pool_create_topics,
    .create_producers = pool_create_producers,
    .create_consumers = pool_create_consumers,
    .probe_producers = pool_probe_producers,
    .start_load = pool_start_load,
    .adjust_publish_rate = pool_adjust_publish_rate,
    .stop_load = pool_stop_load,
    .pause_consumers = pool_pause_consumers,
    .resume_consumers = pool_resume_consumers,
    .get_period_stats = pool_get_period_stats,
    .get_cumulative_latencies = pool_get_cumulative_latencies,
    .get_counters_stats = pool_get_counters_stats,
    .reset_stats = pool_reset_stats,
    .stop_all = pool_stop_all,
    .health = pool_health,
    .destroy = pool_destroy,
};

int ombc_agent_pool_new(int agent_count, const struct ombc_agent_options *opt,
                        struct ombc_worker **out, char *errstr, size_t errstr_size) {
    if (agent_count < 1 || agent_count > 1024)
        return ombc_errf(errstr, errstr_size, OMBC_EINVAL,
                         "--agents must be between 1 and 1024, got %d", agent_count);
    struct pool *p = calloc(1, sizeof(*p));
    if (!p)
        return OMBC_ENOMEM;
    p->base.ops = &pool_ops;
    p->n = agent_count;
    p->max_restarts = opt->max_restarts;
    p->spin_us = opt->spin_us;
    p->log_level = opt->log_level;
    p->log_json = opt->log_json;
    p->no_stamp = opt->no_stamp;
    snprintf(p->exe, sizeof(p->exe), "%s", opt->exe);
    ombc_rng_seed(&p->rng, 0);
    p->agents = calloc((size_t)agent_count, sizeof(*p->agents));
    p->stats = calloc((size_t)agent_count, sizeof(*p->stats));
    if (!p->agents || !p->stats) {
        free(p->agents);
        free(p->stats);
        free(p);
        return OMBC_ENOMEM;
    }
    int rc = 0;
    for (int i = 0; i < agent_count; i++) {
        p->agents[i].pid = -1;
        p->agents[i].ctrl_fd = -1;
        p->agents[i].stats_fd = -1;
    }
    for (int i = 0; i < agent_count && rc == 0; i++) {
        rc = ombc_agent_stats_create(&p->agents[i].stats, &p->agents[i].stats_fd, errstr,
                                     errstr_size);
        p->stats[i] = &p->agents[i].stats;
    }
    if (rc == 0)
        rc = ombc_collector_init(&p->collector, p->stats, agent_count);
    if (rc) {
        pool_destroy(&p->base);
        return rc;
    }
    *out = &p->base;
    return 0;
}
