/*
 * run_info: what the result file says about where and how a run ran (an
 * ombc extension): versions, the machine, the agents, the workload and
 * driver configuration as run, and its start and end. Secrets in the driver
 * file (passwords, JAAS configs, tokens) are masked before they reach it.
 */
#ifndef OMBC_RUN_RUN_INFO_H
#define OMBC_RUN_RUN_INFO_H

#include "config/driver_conf.h"
#include "config/workload.h"
#include "driver/driver.h"
#include "stats/result.h"

/**
 * @brief Fills info (which must be zeroed) for running w on driver d (ops
 * may be NULL: no client version) with agents agent processes; the start
 * time is now. @return 0 or OMBC_ENOMEM.
 */
int ombc_run_info_collect(struct ombc_run_info *info, const struct ombc_workload *w,
                          const struct ombc_driver_conf *d, const struct ombc_driver_ops *ops,
                          int agents);

/** @brief Whether a configuration key names a secret (its value is masked). */
bool ombc_run_info_is_secret(const char *key);

/** @brief Masks the values of secret keys in Java-properties-like text
 *  ("key=value" or "key: value" lines) in place. */
void ombc_run_info_mask_properties(char *text);

#endif
