/*
 * shared_dir: owns how unit tests find the shared/ directory that holds
 * OMB's own files (omb/drivers, omb/workloads): OMBC_SHARED_DIR, else
 * $OMBC_SOURCE_DIR/../shared, else /work/shared. Header-only, one copy per test.
 */
#ifndef OMBC_TESTS_UNIT_SHARED_DIR_H
#define OMBC_TESTS_UNIT_SHARED_DIR_H

#include <stdio.h>
#include <stdlib.h>

/** @brief The directory holding omb/ (OMBC_SHARED_DIR, else $OMBC_SOURCE_DIR/../shared). */
static inline const char *shared_dir(void) {
    static char buf[2048]; /* leaves callers' 4096-byte paths room for a suffix */
    const char *s = getenv("OMBC_SHARED_DIR");
    if (s && *s)
        return s;
    const char *src = getenv("OMBC_SOURCE_DIR");
    if (src && *src) {
        snprintf(buf, sizeof(buf), "%s/../shared", src);
        return buf;
    }
    return "/work/shared";
}

#endif
