/*
 * agent_proto: length-prefixed frames over the coordinator/agent socket.
 */
#include "worker/agent_proto.h"

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/err.h"

static int write_all(int fd, const void *buf, size_t len) {
    const char *p = buf;
    while (len > 0) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return OMBC_EIO;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static int read_all(int fd, void *buf, size_t len, int64_t deadline_ns) {
    char *p = buf;
    while (len > 0) {
        int wait_ms = -1;
        if (deadline_ns >= 0) {
            int64_t left = deadline_ns - ombc_now_ns();
            if (left <= 0)
                return OMBC_ETIMEDOUT;
            wait_ms = (int)((left + 999999) / 1000000);
        }
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        int r = poll(&pfd, 1, wait_ms);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return OMBC_EIO;
        }
        if (r == 0)
            continue; /* the deadline check above decides */
        ssize_t n = read(fd, p, len);
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            return OMBC_EIO;
        }
        if (n == 0)
            return OMBC_EIO;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int ombc_frame_write(int fd, const void *buf, size_t len) {
    if (len > OMBC_FRAME_MAX)
        return OMBC_ERANGE;
    uint8_t hdr[4] = {(uint8_t)(len >> 24), (uint8_t)(len >> 16), (uint8_t)(len >> 8),
                      (uint8_t)len};
    int rc = write_all(fd, hdr, sizeof(hdr));
    return rc ? rc : write_all(fd, buf, len);
}

int ombc_frame_read(int fd, char **buf, size_t *len, int timeout_ms) {
    int64_t deadline = timeout_ms < 0 ? -1 : ombc_now_ns() + (int64_t)timeout_ms * 1000000;
    uint8_t hdr[4];
    int rc = read_all(fd, hdr, sizeof(hdr), deadline);
    if (rc)
        return rc;
    size_t n = (size_t)hdr[0] << 24 | (size_t)hdr[1] << 16 | (size_t)hdr[2] << 8 | hdr[3];
    if (n > OMBC_FRAME_MAX)
        return OMBC_EPARSE;
    char *b = malloc(n + 1);
    if (!b)
        return OMBC_ENOMEM;
    rc = read_all(fd, b, n, deadline);
    if (rc) {
        free(b);
        return rc;
    }
    b[n] = '\0';
    *buf = b;
    *len = n;
    return 0;
}

int ombc_frame_write_json(int fd, const cJSON *json) {
    char *text = cJSON_PrintUnformatted(json);
    if (!text)
        return OMBC_ENOMEM;
    int rc = ombc_frame_write(fd, text, strlen(text));
    free(text);
    return rc;
}

int ombc_frame_read_json(int fd, cJSON **out, int timeout_ms) {
    char *buf;
    size_t len;
    int rc = ombc_frame_read(fd, &buf, &len, timeout_ms);
    if (rc)
        return rc;
    *out = cJSON_ParseWithLength(buf, len);
    free(buf);
    return *out ? 0 : OMBC_EPARSE;
}
