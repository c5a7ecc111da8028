/*
 * agent_proto: the control channel between the coordinator and one agent
 * process: a stream socket carrying frames (4-byte big-endian length, then
 * the bytes). Commands and replies are JSON frames ({"op": ...} and
 * {"ok": true} / {"ok": false, "error": "..."}); bulk data such as payloads
 * follows a command as raw frames. Reads take a timeout, so a silent or dead
 * peer is an error, never a hang. Used by agent.c and agent_supervisor.c.
 */
#ifndef OMBC_WORKER_AGENT_PROTO_H
#define OMBC_WORKER_AGENT_PROTO_H

#include <cjson/cJSON.h>
#include <stddef.h>

#define OMBC_FRAME_MAX (256u << 20)

/** @brief Writes one frame. @return 0 or OMBC_EIO (peer gone). */
int ombc_frame_write(int fd, const void *buf, size_t len);

/**
 * @brief Reads one frame into a malloc'd buffer (NUL-terminated for
 * convenience; *len excludes the NUL). timeout_ms < 0 waits forever.
 * @return 0, OMBC_EIO (peer closed or I/O error), OMBC_ETIMEDOUT,
 *         OMBC_EPARSE (oversized frame), OMBC_ENOMEM.
 */
int ombc_frame_read(int fd, char **buf, size_t *len, int timeout_ms);

/** @brief Writes a JSON value as one frame. */
int ombc_frame_write_json(int fd, const cJSON *json);

/** @brief Reads one frame and parses it as JSON (*out owned by the caller). */
int ombc_frame_read_json(int fd, cJSON **out, int timeout_ms);

#endif
