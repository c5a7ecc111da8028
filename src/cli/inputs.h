/*
 * inputs: the workload and driver files of one command line, loaded and
 * checked by one piece of code for `ombc run` (before anything starts) and
 * `ombc validate` (which stops there): each workload is loaded with every
 * key checked, then the rules between keys (ombc_workload_check), what ombc
 * can run (ombc_generator_check) and its payloads (ombc_payload_check, no
 * read); each driver file is loaded, its driverClass looked up, its
 * top-level keys checked against those its driver declares
 * (ops->conf_keys) and its keys and client properties checked by its
 * driver (ops->validate), without connecting. Nothing is created, no agent started.
 * Every file is examined even after one fails, and each problem is written
 * to stderr as one line. Called from the coordinator's main thread.
 */
#ifndef OMBC_CLI_INPUTS_H
#define OMBC_CLI_INPUTS_H

#include <stdbool.h>

#include "config/driver_conf.h"
#include "config/workload.h"

/** The driver file used when no -d is given: the embedded Kafka. */
#define OMBC_INPUTS_DEFAULT_DRIVER "drivers/kafka-embedded.yaml"

struct ombc_inputs {
    int nworkloads;
    struct ombc_workload *workloads; /**< nworkloads, in argument order */
    bool *workload_ok;               /**< nworkloads: the file passed every check */
    int ndrivers;
    char **driver_paths;              /**< ndrivers: the -d list split at commas,
                                           or the default driver's path */
    struct ombc_driver_conf *drivers; /**< ndrivers, in -d order */
    bool *driver_ok;                  /**< ndrivers: the file passed every check */
    int problems;                     /**< lines written to stderr */
};

/**
 * @brief Loads and checks every workload file and every driver file of
 * drivers_arg (comma-separated; NULL for the default driver, found in the
 * source tree ombc was built from, in ../share/ombc beside exe when
 * installed, beside exe's build directory, or in the working directory). Each
 * problem goes to stderr as one line: prefix (e.g. "ombc: ", or "") then
 * "FILE[:LINE:COL]: message". A workload reports its first problem only; the
 * other files are still examined.
 * @param exe the running ombc binary, or NULL to use /proc/self/exe.
 * @return 0 when every file passed, OMBC_EINVAL when in->problems > 0,
 *         OMBC_ENOMEM. in must be finished with ombc_inputs_fini in every case.
 */
int ombc_inputs_load(struct ombc_inputs *in, char *const *workload_paths, int nworkloads,
                     const char *drivers_arg, const char *exe, const char *prefix);

/** @brief Frees what load allocated. Safe on a zeroed struct and twice. */
void ombc_inputs_fini(struct ombc_inputs *in);

#endif
