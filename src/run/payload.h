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
 * @brief Builds the payloads of w. A payloadFile is looked up relative to the
 * working directory (as OMB), then to the workload file's directory, then to
 * that directory's parent (OMB's layout: workloads/ beside payload/).
 * @return 0, OMBC_ENOENT (file not found: errstr lists where it looked),
 *         OMBC_EINVAL (empty file, length differs from messageSize, pool of 0),
 *         OMBC_ENOMEM.
 */
int ombc_payload_set_load(struct ombc_payload_set *set, const struct ombc_workload *w,
                          char *errstr, size_t errstr_size);

void ombc_payload_set_fini(struct ombc_payload_set *set);

#endif
