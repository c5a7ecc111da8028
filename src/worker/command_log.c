/*
 * command_log: what a restarted agent is told again (see command_log.h).
 */
#include "worker/command_log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"

static void command_clear(struct ombc_logged_command *c) {
    cJSON_Delete(c->cmd);
    free(c->frames);
    memset(c, 0, sizeof(*c));
}

void ombc_command_log_init(struct ombc_command_log *l) {
    memset(l, 0, sizeof(*l));
}

void ombc_command_log_clear(struct ombc_command_log *l) {
    for (size_t k = 0; k < l->count; k++)
        command_clear(&l->appended[k]);
    free(l->appended);
    for (int k = 0; k < l->slot_count; k++)
        command_clear(&l->slots[k].c);
    ombc_command_log_init(l);
}

int ombc_command_log_add(struct ombc_command_log *l, const char *slot, cJSON *cmd,
                         const struct ombc_payload *frames, size_t frame_count) {
    struct ombc_logged_command c = {.cmd = cmd};
    if (cmd && frame_count > 0) {
        if (!(c.frames = malloc(frame_count * sizeof(*frames)))) {
            cJSON_Delete(cmd);
            return OMBC_ENOMEM;
        }
        memcpy(c.frames, frames, frame_count * sizeof(*frames));
        c.frame_count = frame_count;
    }
    if (!slot) {
        if (!cmd)
            return 0;
        if (l->count == l->cap) {
            size_t cap = l->cap ? l->cap * 2 : 8;
            struct ombc_logged_command *grown = realloc(l->appended, cap * sizeof(*grown));
            if (!grown) {
                command_clear(&c);
                return OMBC_ENOMEM;
            }
            l->appended = grown;
            l->cap = cap;
        }
        l->appended[l->count++] = c;
        return 0;
    }
    int k = 0;
    while (k < l->slot_count && strcmp(l->slots[k].name, slot) != 0)
        k++;
    if (k == l->slot_count) {
        if (!cmd)
            return 0;
        if (k == OMBC_COMMAND_LOG_SLOTS) {
            command_clear(&c);
            return OMBC_ERANGE;
        }
        snprintf(l->slots[k].name, sizeof(l->slots[k].name), "%s", slot);
        l->slot_count++;
    }
    command_clear(&l->slots[k].c);
    l->slots[k].c = c;
    return 0;
}

const struct ombc_logged_command *ombc_command_log_at(const struct ombc_command_log *l,
                                                      size_t k) {
    if (k < l->count)
        return &l->appended[k];
    k -= l->count;
    for (int s = 0; s < l->slot_count; s++) {
        if (!l->slots[s].c.cmd)
            continue;
        if (k-- == 0)
            return &l->slots[s].c;
    }
    return NULL;
}
