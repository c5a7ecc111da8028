/*
 * command_log: the commands that shaped one agent, in the order a restart
 * replays them: appended commands (init, producers, consumers), then named
 * slots, each holding the latest command of its kind (the load at its
 * current rate, the pause) or nothing. Owned by the agent supervisor, one
 * per agent; one thread at a time (the one calling that agent).
 */
#ifndef OMBC_WORKER_COMMAND_LOG_H
#define OMBC_WORKER_COMMAND_LOG_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "worker/worker.h"

#define OMBC_COMMAND_LOG_SLOTS 4

/** One remembered command and the raw frames that follow it. */
struct ombc_logged_command {
    cJSON *cmd;                  /**< owned */
    struct ombc_payload *frames; /**< owned array; the bytes are the caller's */
    size_t frame_count;
};

struct ombc_command_log {
    struct ombc_logged_command *appended;
    size_t count, cap;
    struct {
        char name[16];
        struct ombc_logged_command c; /* c.cmd NULL: empty */
    } slots[OMBC_COMMAND_LOG_SLOTS];
    int slot_count;
};

/** @brief An empty log ({0} is one too). */
void ombc_command_log_init(struct ombc_command_log *l);
/** @brief Frees every command; the log is empty again. */
void ombc_command_log_clear(struct ombc_command_log *l);

/**
 * @brief Adds cmd (owned from here on, also on failure; frames: copied, the
 * bytes they point at must stay valid for the run). slot NULL appends it; a
 * slot name makes it the slot's one command (replacing the previous one, or
 * emptying the slot when cmd is NULL); slots keep the order in which they
 * were first filled.
 * @return 0, OMBC_ENOMEM, or OMBC_ERANGE (more than OMBC_COMMAND_LOG_SLOTS
 *         slot names); cmd is freed on failure.
 */
int ombc_command_log_add(struct ombc_command_log *l, const char *slot, cJSON *cmd,
                         const struct ombc_payload *frames, size_t frame_count);

/** @brief The k-th command of the replay (appended ones, then the filled
 *  slots), or NULL past the end. */
const struct ombc_logged_command *ombc_command_log_at(const struct ombc_command_log *l,
                                                      size_t k);

#endif
