/*
 * cleanup: finds and deletes the topics that earlier runs left on a broker
 * (a run that was killed cannot delete its own). Only names of ombc's (and
 * OMB's) form are touched: "<prefix>-NNNNNNN-XXXXXXX", a 7-digit index and a
 * 7-character base64url suffix. Used by `ombc cleanup` and `ombc run
 * --clean-start`, in the coordinator's main thread.
 */
#ifndef OMBC_RUN_CLEANUP_H
#define OMBC_RUN_CLEANUP_H

#include <stdbool.h>
#include <stddef.h>

#include "config/driver_conf.h"

/** @brief True if topic is named as a run with this topic prefix names its
 *  topics. */
bool ombc_cleanup_matches(const char *topic, const char *prefix);

/**
 * @brief Connects with conf's driver, lists the broker's topics and deletes
 * those that match prefix (NULL: the driver's own prefix), logging each
 * name; with dry_run it only lists them. *found gets how many matched;
 * *connected whether the broker was reached (as `ombc run`, a broker that
 * cannot be reached is bad input, a failure after it is not).
 * @return 0, or the driver's error (errstr says which step failed).
 */
int ombc_cleanup_topics(const struct ombc_driver_conf *conf, const char *prefix, bool dry_run,
                        int *found, bool *connected, char *errstr, size_t errstr_size);

#endif
