/*
 * err: ombc's error codes and the one helper that formats a message into a
 * caller-supplied buffer. Every fallible function returns 0 or a negative
 * OMBC_E* code; text a user must read travels in (errstr, errstr_size).
 * Used by every module, from any thread or process.
 */
#ifndef OMBC_CORE_ERR_H
#define OMBC_CORE_ERR_H

#include <stddef.h>

enum ombc_err {
    OMBC_OK = 0,
    OMBC_EINVAL = -1,    /**< invalid argument or input */
    OMBC_ENOMEM = -2,    /**< out of memory */
    OMBC_EIO = -3,       /**< system call or file I/O failed */
    OMBC_ERANGE = -4,    /**< value out of range */
    OMBC_ETIMEDOUT = -5, /**< an operation did not complete in time */
    OMBC_EAGAIN = -6,    /**< try again later (queue full); not a failure */
    OMBC_EDRIVER = -7,   /**< the broker client reported an error */
    OMBC_EPARSE = -8,    /**< malformed configuration or data */
    OMBC_ENOENT = -9,    /**< no such file, driver or object */
    OMBC_EAGENT = -10,   /**< an agent process died or misbehaved */
    OMBC_EINTR = -11,    /**< interrupted by a signal */
};

/** @brief Short name of an error code ("invalid argument"...). Never NULL. */
const char *ombc_strerror(int err);

/**
 * @brief Formats a message into errstr (if not NULL) and returns code.
 * Lets a failure path read: `return ombc_errf(errstr, size, OMBC_EINVAL, "...", ...);`
 */
int ombc_errf(char *errstr, size_t errstr_size, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Process exit statuses (cli/, and run/benchmark.c for a run's verdict):
 * 0 success, 1 a run failed, 2 bad input (usage, configuration, unreachable
 * broker); 128 + N for a signal N. */
#define OMBC_EXIT_OK 0
#define OMBC_EXIT_FAILED 1
#define OMBC_EXIT_USAGE 2

#endif
