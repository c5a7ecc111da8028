/*
 * Integration tests for worker/agent_supervisor on real agent processes
 * ($OMBC_BIN agent, null driver): a call reaches the agent and its error
 * comes back; a killed agent is named with its signal; the supervision step
 * restarts it into the same stats block and replays its log (appended
 * commands, then the slots, a cleared slot not at all); the restart budget
 * ends the run with one line; stop leaves no process behind.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/log.h"
#include "worker/agent_supervisor.h"

static const char null_yaml[] = "name: null-driver\ndriverClass: ombc.NullDriver\n";

static cJSON *command(const char *op) {
    cJSON *c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "op", op);
    return c;
}

static cJSON *init_command(void) {
    cJSON *c = command("init");
    cJSON_AddStringToObject(c, "driver_path", "null.yaml");
    cJSON_AddStringToObject(c, "driver_yaml", null_yaml);
    return c;
}

static cJSON *producers_command(const char *topic) {
    cJSON *c = command("create_producers");
    cJSON *list = cJSON_AddArrayToObject(c, "topics");
    cJSON_AddItemToArray(list, cJSON_CreateString(topic));
    return c;
}

/* The pid of agent 0, from the process table: the child of this process
 * running `agent`. The supervisor keeps it private; the test finds it as an
 * operator would. */
static pid_t agent_pid(void) {
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "pgrep -P %d -f ' [a]gent --index 0 '", (int)getpid());
    FILE *p = popen(cmd, "r");
    int pid = -1;
    if (p && fscanf(p, "%d", &pid) != 1)
        pid = -1;
    if (p)
        pclose(p);
    return pid;
}

static void restart_replays_the_log(void **state) {
    (void)state;
    struct ombc_agent_options opt = {.exe = getenv("OMBC_BIN"), .max_restarts = 1,
                                     .spin_us = 0, .log_level = OMBC_LOG_WARN};
    struct ombc_agent_supervisor *s = NULL;
    char err[1024] = "";
    int rc;
    assert_int_equal(ombc_agent_supervisor_new(1, &opt, &s, err, sizeof(err)), 0);
    assert_int_equal(ombc_agent_supervisor_spawn(s, 0, err, sizeof(err)), 0);

    /* before init, creating producers is the agent's own error */
    cJSON *early = producers_command("t");
    rc = ombc_agent_supervisor_call(s, 0, early, NULL, 0, 5000, err, sizeof(err));
    assert_int_equal(rc, OMBC_EDRIVER);
    assert_non_null(strstr(err, "agent 0: "));
    cJSON_Delete(early);

    cJSON *init = init_command(), *prod = producers_command("topic-a");
    rc = ombc_agent_supervisor_call(s, 0, init, NULL, 0, 5000, err, sizeof(err));
    if (rc)
        fprintf(stderr, "init: %s\n", err);
    assert_int_equal(rc, 0);
    assert_int_equal(ombc_agent_supervisor_call(s, 0, prod, NULL, 0, 5000, err, sizeof(err)), 0);
    ombc_agent_supervisor_remember(s, 0, NULL, init, NULL, 0);
    ombc_agent_supervisor_remember(s, 0, NULL, prod, NULL, 0);
    /* a slot filled then cleared is not replayed (an unknown op in it would
     * make the replay, and so the restart, fail) */
    ombc_agent_supervisor_remember(s, 0, "pause", command("no-such-op"), NULL, 0);
    ombc_agent_supervisor_remember(s, 0, "pause", NULL, NULL, 0);
    /* a slot's last command is: an unknown op would make the replay fail */
    ombc_agent_supervisor_remember(s, 0, "load", command("no-such-op"), NULL, 0);
    ombc_agent_supervisor_remember(s, 0, "load", command("probe"), NULL, 0);

    pid_t first = agent_pid();
    assert_true(first > 0);
    assert_int_equal(ombc_agent_supervisor_step(s, err, sizeof(err)), 0); /* alive: nothing */
    assert_int_equal(ombc_agent_supervisor_restarts(s), 0);
    kill(first, SIGKILL);
    /* the step sees the death once waitpid does: poll it with a deadline */
    int64_t deadline = ombc_now_ns() + 10 * 1000000000LL;
    while (ombc_agent_supervisor_restarts(s) == 0 && ombc_now_ns() < deadline) {
        rc = ombc_agent_supervisor_step(s, err, sizeof(err));
        assert_int_equal(rc, 0);
        ombc_sleep_until_ns(ombc_now_ns() + 10000000);
    }
    assert_int_equal(ombc_agent_supervisor_restarts(s), 1);
    pid_t second = agent_pid();
    assert_true(second > 0 && second != first);
    /* the replayed agent has its driver and producer: a probe works */
    cJSON *probe = command("probe");
    assert_int_equal(ombc_agent_supervisor_call(s, 0, probe, NULL, 0, 10000, err, sizeof(err)),
                     0);

    /* the budget is spent: the next death ends the run, naming the signal */
    kill(second, SIGKILL);
    assert_int_equal(ombc_agent_supervisor_call(s, 0, probe, NULL, 0, 10000, err, sizeof(err)),
                     OMBC_EAGENT);
    assert_non_null(strstr(err, "died: killed by signal 9"));
    cJSON_Delete(probe);
    ombc_agent_supervisor_destroy(s);
    assert_int_equal(agent_pid(), -1);
}

static void budget_ends_the_run(void **state) {
    (void)state;
    struct ombc_agent_options opt = {.exe = getenv("OMBC_BIN"), .max_restarts = 0,
                                     .log_level = OMBC_LOG_WARN};
    struct ombc_agent_supervisor *s = NULL;
    char err[1024] = "";
    assert_int_equal(ombc_agent_supervisor_new(1, &opt, &s, err, sizeof(err)), 0);
    assert_int_equal(ombc_agent_supervisor_spawn(s, 0, err, sizeof(err)), 0);
    pid_t pid = agent_pid();
    assert_true(pid > 0); /* never kill(-1) */
    kill(pid, SIGKILL);
    int64_t deadline = ombc_now_ns() + 10 * 1000000000LL;
    int rc;
    while ((rc = ombc_agent_supervisor_step(s, err, sizeof(err))) == 0 &&
           ombc_now_ns() < deadline)
        ombc_sleep_until_ns(ombc_now_ns() + 10000000);
    assert_int_equal(rc, OMBC_EAGENT);
    assert_non_null(strstr(err, "no restarts left (--agent-restarts 0)"));
    ombc_agent_supervisor_destroy(s);
}

int main(void) {
    ombc_log_init(OMBC_LOG_WARN, "test");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(restart_replays_the_log),
        cmocka_unit_test(budget_ends_the_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
