/*
 * bench_proc: runs one benchmarked process for ombc-bench and watches it
 * (see bench_proc.h). The process gets its own process group, so that
 * ombc's agents, which inherit it, can be found and ended with it; and
 * PR_SET_PDEATHSIG, so that it ends if ombc-bench dies. stdout and stderr
 * come through non-blocking pipes read in a poll(2) loop, which timestamps
 * their lines as they arrive (ombc writes each log line with one write(2),
 * unbuffered), and also samples
 * /proc every sample_ms and checks the process every 100 ms (an agent left
 * behind would hold the pipes open: their EOF does not mean the process
 * ended). Times are CLOCK_MONOTONIC, from just before fork.
 */
#include "bench_proc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CAPTURE_MAX (8u << 20) /* bytes kept of each stream; the rest is read and dropped */
#define CHECK_MS 100           /* how often the process is checked for exit */
#define KILL_GRACE_S 15.0      /* SIGTERM to SIGKILL */
#define LINE_MAX_SCAN 4096     /* longer stderr lines are matched on their start */

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------ capture */

struct stream {
    int fd; /* -1 at EOF */
    char **buf;
    size_t *len;
    size_t cap;
    char line[LINE_MAX_SCAN];
    size_t line_len;
    bool scan; /* match lines against the marks and the phase texts */
};

struct watch {
    struct bench_proc *p;
    double launch;
    bool in_phase, phase_over;
};

static int append(struct stream *s, const char *data, size_t n) {
    if (*s->len >= CAPTURE_MAX)
        return 0;
    if (n > CAPTURE_MAX - *s->len)
        n = CAPTURE_MAX - *s->len;
    if (*s->len + n + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 65536;
        while (cap < *s->len + n + 1)
            cap *= 2;
        char *b = realloc(*s->buf, cap);
        if (!b)
            return -1;
        *s->buf = b;
        s->cap = cap;
    }
    memcpy(*s->buf + *s->len, data, n);
    *s->len += n;
    (*s->buf)[*s->len] = '\0';
    return 0;
}

static void on_line(struct watch *w, const char *line, double t) {
    struct bench_proc *p = w->p;
    for (int i = 0; i < p->mark_count; i++)
        if (p->marks[i].at_s < 0 && strstr(line, p->marks[i].text))
            p->marks[i].at_s = t - w->launch;
    if (!w->in_phase && !w->phase_over && p->phase_begin && strstr(line, p->phase_begin))
        w->in_phase = true;
    if (w->in_phase && p->phase_end && strstr(line, p->phase_end)) {
        w->in_phase = false;
        w->phase_over = true;
    }
}

/* Reads what the pipe has. @return 0, or -1 out of memory. */
static int drain(struct watch *w, struct stream *s) {
    char chunk[65536];
    while (s->fd >= 0) {
        ssize_t n = read(s->fd, chunk, sizeof(chunk));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            return 0;
        if (n <= 0) {
            close(s->fd);
            s->fd = -1;
            return 0;
        }
        double t = now_s();
        if (append(s, chunk, (size_t)n) != 0)
            return -1;
        for (ssize_t i = 0; s->scan && i < n; i++) {
            if (chunk[i] == '\n') {
                s->line[s->line_len] = '\0';
                on_line(w, s->line, t);
                s->line_len = 0;
            } else if (s->line_len + 1 < sizeof(s->line)) {
                s->line[s->line_len++] = chunk[i];
            }
        }
    }
    return 0;
}

/* ------------------------------------------------------------- memory */

/* VmHWM and VmRSS (KiB) of pid. @return 0, or -1 if it is gone. */
static int read_status(pid_t pid, long *hwm, long *rss) {
    char path[64], line[256];
    snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    *hwm = *rss = -1;
    while (fgets(line, sizeof(line), f)) {
        if (strncmp(line, "VmHWM:", 6) == 0)
            *hwm = strtol(line + 6, NULL, 10);
        else if (strncmp(line, "VmRSS:", 6) == 0)
            *rss = strtol(line + 6, NULL, 10);
    }
    fclose(f);
    return *hwm >= 0 && *rss >= 0 ? 0 : -1; /* a zombie has neither */
}

/* The agent index of an `ombc agent --index N ...` command line, or -1. */
static int agent_index(pid_t pid) {
    char path[64], cmd[1024];
    snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, cmd, sizeof(cmd) - 1);
    close(fd);
    if (n <= 0)
        return -1;
    cmd[n] = '\0';
    bool agent = false;
    for (char *a = cmd; a < cmd + n; a += strlen(a) + 1) {
        if (strcmp(a, "agent") == 0)
            agent = true;
        else if (agent && strcmp(a, "--index") == 0 && a + strlen(a) + 1 < cmd + n)
            return atoi(a + strlen(a) + 1);
    }
    return -1;
}

/* The children of pid: /proc/PID/task/PID/children (the coordinator's main
 * thread starts the agents), else a scan of every /proc/N/stat. */
static int children(pid_t pid, pid_t *out, int max) {
    char path[300]; /* /proc/, a d_name (<= 255), /stat */
    int n = 0;
    snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)pid, (int)pid);
    FILE *f = fopen(path, "r");
    if (f) {
        int c;
        while (n < max && fscanf(f, "%d", &c) == 1)
            out[n++] = (pid_t)c;
        fclose(f);
        return n;
    }
    DIR *d = opendir("/proc");
    if (!d)
        return 0;
    struct dirent *e;
    while (n < max && (e = readdir(d))) {
        char stat[512], *rp;
        if (e->d_name[0] < '1' || e->d_name[0] > '9')
            continue;
        snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
        FILE *sf = fopen(path, "r");
        if (!sf)
            continue;
        size_t len = fread(stat, 1, sizeof(stat) - 1, sf);
        fclose(sf);
        stat[len] = '\0';
        int ppid;
        if ((rp = strrchr(stat, ')')) && sscanf(rp + 1, " %*c %d", &ppid) == 1 && ppid == pid)
            out[n++] = (pid_t)atoi(e->d_name);
    }
    closedir(d);
    return n;
}

static void sample_one(struct watch *w, pid_t pid, int agent) {
    struct bench_proc *p = w->p;
    long hwm, rss;
    if (read_status(pid, &hwm, &rss) != 0)
        return;
    struct bench_mem *m = NULL;
    for (int i = 0; i < p->mem_count && !m; i++)
        if (p->mem[i].pid == pid)
            m = &p->mem[i];
    if (!m) {
        if (p->mem_count == BENCH_MAX_PROCS)
            return;
        m = &p->mem[p->mem_count++];
        *m = (struct bench_mem){.pid = pid, .agent = agent};
    }
    /* The kernel updates its high-water mark lazily: a sample may be above it. */
    if (hwm > m->hwm_kb)
        m->hwm_kb = hwm;
    if (rss > m->hwm_kb)
        m->hwm_kb = rss;
    m->samples++;
    if (w->in_phase) {
        m->rss_kb = rss;
        if (rss > m->rss_max_kb)
            m->rss_max_kb = rss;
    }
}

static void sample(struct watch *w, pid_t pid) {
    pid_t kids[BENCH_MAX_PROCS];
    sample_one(w, pid, -1);
    int n = children(pid, kids, BENCH_MAX_PROCS);
    for (int i = 0; i < n; i++)
        sample_one(w, kids[i], agent_index(kids[i]));
}

/* ---------------------------------------------------------------- run */

/* Has pid exited? Leaves it unreaped (a zombie), so its process group id
 * cannot be reused while what is left of the group is killed. */
static bool exited(pid_t pid) {
    siginfo_t si = {0};
    return waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid == pid;
}

static int reap(pid_t pid) {
    int st = 0;
    kill(-pid, SIGKILL); /* anything of its group still there: an agent left behind */
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    return WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : -1;
}

int bench_proc_run(struct bench_proc *p, volatile sig_atomic_t *stop, char *errstr,
                   size_t errstr_size) {
    int out_pipe[2], err_pipe[2];
    p->out = p->err = NULL;
    p->out_len = p->err_len = 0;
    p->mem_count = 0;
    p->status = -1;
    for (int i = 0; i < p->mark_count; i++)
        p->marks[i].at_s = -1;
    if (pipe2(out_pipe, O_CLOEXEC) != 0) {
        snprintf(errstr, errstr_size, "pipe: %s", strerror(errno));
        return -1;
    }
    if (pipe2(err_pipe, O_CLOEXEC) != 0) {
        snprintf(errstr, errstr_size, "pipe: %s", strerror(errno));
        close(out_pipe[0]);
        close(out_pipe[1]);
        return -1;
    }
    struct watch w = {.p = p, .in_phase = !p->phase_begin};
    pid_t parent = getpid();
    fflush(NULL);
    w.launch = now_s();
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent)
            _exit(127);
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        dup2(out_pipe[1], STDOUT_FILENO);
        dup2(err_pipe[1], STDERR_FILENO);
        execv(p->argv[0], p->argv);
        dprintf(STDERR_FILENO, "cannot run %s: %s\n", p->argv[0], strerror(errno));
        _exit(127);
    }
    close(out_pipe[1]);
    close(err_pipe[1]);
    if (pid < 0) {
        snprintf(errstr, errstr_size, "fork: %s", strerror(errno));
        close(out_pipe[0]);
        close(err_pipe[0]);
        return -1;
    }
    setpgid(pid, pid); /* also here: no race with a kill of the group */
    fcntl(out_pipe[0], F_SETFL, O_NONBLOCK);
    fcntl(err_pipe[0], F_SETFL, O_NONBLOCK);
    struct stream s[2] = {
        {.fd = out_pipe[0], .buf = &p->out, .len = &p->out_len, .scan = true},
        {.fd = err_pipe[0], .buf = &p->err, .len = &p->err_len, .scan = true},
    };

    int rc = 0;
    double deadline = w.launch + p->timeout_s, term_at = -1, next_sample = w.launch;
    bool interrupted = false;
    for (;;) {
        double now = now_s();
        if (p->sample_ms > 0 && now >= next_sample) {
            sample(&w, pid);
            next_sample = now + p->sample_ms / 1000.0;
        }
        if (exited(pid))
            break;
        if (term_at < 0 && (now >= deadline || *stop)) {
            interrupted = *stop != 0;
            kill(pid, SIGTERM);
            term_at = now;
        } else if (term_at >= 0 && now - term_at >= KILL_GRACE_S) {
            kill(-pid, SIGKILL);
        }
        int wait_ms = CHECK_MS;
        if (p->sample_ms > 0 && (next_sample - now) * 1000 < wait_ms)
            wait_ms = (int)((next_sample - now) * 1000) + 1;
        struct pollfd pfd[2];
        nfds_t n = 0;
        for (int i = 0; i < 2; i++)
            if (s[i].fd >= 0)
                pfd[n++] = (struct pollfd){.fd = s[i].fd, .events = POLLIN};
        if (n == 0) {
            struct timespec ts = {0, (long)wait_ms * 1000000L};
            nanosleep(&ts, NULL);
        } else if (poll(pfd, n, wait_ms) > 0) {
            for (int i = 0; i < 2 && rc == 0; i++)
                rc = drain(&w, &s[i]);
        }
        if (rc != 0) {
            snprintf(errstr, errstr_size, "out of memory capturing output");
            kill(pid, SIGTERM);
            term_at = term_at < 0 ? now_s() : term_at;
            rc = 0; /* keep going until it has ended; reported below */
            interrupted = true;
        }
    }
    for (int i = 0; i < 2; i++) { /* what it wrote before it ended */
        drain(&w, &s[i]);
        if (s[i].fd >= 0)
            close(s[i].fd);
    }
    int status = reap(pid);
    p->status = term_at >= 0 && !interrupted ? -1 : status;
    append(&s[0], "", 0); /* an empty string rather than NULL, memory permitting */
    append(&s[1], "", 0);
    if (interrupted) {
        if (*stop)
            snprintf(errstr, errstr_size, "interrupted");
        return -1;
    }
    return 0;
}

void bench_proc_fini(struct bench_proc *p) {
    free(p->out);
    free(p->err);
    p->out = p->err = NULL;
    p->out_len = p->err_len = 0;
}

const char *bench_tail(const char *s, size_t max_bytes) {
    if (!s)
        return "";
    size_t len = strlen(s);
    if (len <= max_bytes)
        return s;
    const char *t = s + len - max_bytes, *nl = strchr(t, '\n');
    return nl && nl[1] ? nl + 1 : t;
}

/* ------------------------------------------------------------- files */

int bench_tmpdir_new(char *dir, size_t dir_size, char *errstr, size_t errstr_size) {
    const char *tmp = getenv("TMPDIR");
    int n = snprintf(dir, dir_size, "%s/ombc-bench.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (n < 0 || (size_t)n >= dir_size || !mkdtemp(dir)) {
        snprintf(errstr, errstr_size, "cannot create a scratch directory under %s: %s",
                 tmp && *tmp ? tmp : "/tmp", strerror(errno));
        dir[0] = '\0';
        return -1;
    }
    return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

void bench_tmpdir_remove(const char *dir) {
    if (dir && dir[0])
        nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int bench_write_file(const char *dir, const char *name, const char *text, char *path,
                     size_t path_size, char *errstr, size_t errstr_size) {
    int n = snprintf(path, path_size, "%s/%s", dir, name);
    FILE *f = n > 0 && (size_t)n < path_size ? fopen(path, "w") : NULL;
    bool ok = f && fputs(text, f) != EOF;
    if (f && fclose(f) != 0)
        ok = false;
    if (!ok) {
        snprintf(errstr, errstr_size, "cannot write %s/%s: %s", dir, name, strerror(errno));
        return -1;
    }
    return 0;
}
