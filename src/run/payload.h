/*
 * payload: the message payloads of a workload (OMB-REFERENCE.md 1.2): the
 * bytes of payloadFile, or a pool of partly random payloads, or (ombc, when
 * neither is given) one random payload of messageSize bytes. Made once by
 * the coordinator and shipped to the agents with start-load.
 */
#ifndef OMBC_RUN_PAYLOAD_H
#define OMBC_RUN_PAYLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "config/workload.h"
#include "worker/worker.h"

struct ombc_payload_set {
    struct ombc_payload *items;
    size_t count;
    uint8_t *storage;
    char *resolved_path; /**< the payload file actually read, or NULL */
};

/**
 * @brief Checks, without reading the payload file, that ombc_payload_set_load
 * can build w's payloads: the payloadFile is found (same lookup as load), is
 * a regular, readable, non-empty file of exactly messageSize bytes (OMB's
 * rule); a randomized pool has messageSize > 0 and a pool size > 0; with
 * neither, messageSize > 0. Used by `ombc validate` and `ombc run` before
 * anything starts. Errors start with "FILE:LINE:COL: " (the payloadFile
 * value) when the position is known, else "FILE: ".
 * @return 0, OMBC_ENOENT (file not found: errstr lists every path tried),
 *         OMBC_EINVAL (not a regular file, unreadable, empty, length differs
 *         from messageSize, sizes of 0).
 */
int ombc_payload_check(const struct ombc_workload *w, char *errstr, size_t errstr_size);

/**
 * @brief Builds the payloads of w. A payloadFile is looked up relative to the
 * working directory (as OMB), then to the workload file's directory, then to
 * that directory's parent (OMB's layout: workloads/ beside payload/); an
 * absolute path is used as it is. The file is read whole and must be exactly
 * messageSize bytes, as OMB requires. Randomized payloads follow OMB:
 * randomizedPayloadPoolSize payloads, each (int)(messageSize *
 * randomBytesRatio) random bytes then zeros.
 * @return 0, OMBC_ENOENT (file not found: errstr lists every path tried),
 *         OMBC_EINVAL (empty file, length differs from messageSize, pool of
 *         0), OMBC_EIO (read error), OMBC_ENOMEM.
 */
int ombc_payload_set_load(struct ombc_payload_set *set, const struct ombc_workload *w,
                          char *errstr, size_t errstr_size);

void ombc_payload_set_fini(struct ombc_payload_set *set);

#endif
