/*
 * err: names of ombc error codes and the errstr formatting helper.
 */
#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>

const char *ombc_strerror(int err) {
    switch (err) {
    case OMBC_OK: return "success";
    case OMBC_EINVAL: return "invalid argument";
    case OMBC_ENOMEM: return "out of memory";
    case OMBC_EIO: return "I/O error";
    case OMBC_ERANGE: return "value out of range";
    case OMBC_ETIMEDOUT: return "timed out";
    case OMBC_EAGAIN: return "try again";
    case OMBC_EDRIVER: return "driver error";
    case OMBC_EPARSE: return "parse error";
    case OMBC_ENOENT: return "not found";
    case OMBC_EAGENT: return "agent failure";
    case OMBC_EINTR: return "interrupted";
    default: return "unknown error";
    }
}

int ombc_errf(char *errstr, size_t errstr_size, int code, const char *fmt, ...) {
    if (errstr && errstr_size > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(errstr, errstr_size, fmt, ap);
        va_end(ap);
    }
    return code;
}
