/*
 * cmd_cleanup: `ombc cleanup [-d DRIVER[,DRIVER2]] [--prefix P] [--dry-run]`.
 * Deletes the topics earlier runs left on each driver's broker (run/cleanup:
 * only names of the form "<prefix>-NNNNNNN-XXXXXXX"), printing each. The
 * driver files are loaded and checked as `ombc run` loads them.
 */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"
#include "cli/help.h"
#include "cli/inputs.h"
#include "core/log.h"
#include "run/cleanup.h"

static void cleanup_usage(FILE *out) {
    ombc_help_usage(out, "cleanup");
}

int ombc_cmd_cleanup_drivers(const struct ombc_inputs *in, const char *prefix, bool dry_run) {
    int status = OMBC_EXIT_OK;
    for (int j = 0; j < in->ndrivers; j++) {
        char err[1024] = "";
        int found;
        bool connected;
        if (ombc_cleanup_topics(&in->drivers[j], prefix, dry_run, &found, &connected, err,
                                sizeof(err))) {
            fprintf(stderr, "ombc: cleanup: %s\n", err);
            /* as ombc run: a broker that cannot be reached is bad input */
            int s = connected ? OMBC_EXIT_FAILED : OMBC_EXIT_USAGE;
            status = s > status ? s : status;
        }
    }
    return status;
}

int ombc_cmd_cleanup(int argc, char **argv, const char *exe) {
    struct option opts[8];
    char shortopts[16];
    if (ombc_help_getopt("cleanup", "", opts, 8, shortopts, sizeof(shortopts)) != 0)
        return OMBC_EXIT_FAILED; /* cannot happen: the table fits */
    const char *drivers_arg = NULL, *prefix = NULL;
    bool dry_run = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, shortopts, opts, NULL)) != -1) {
        switch (c) {
        case 'd': drivers_arg = optarg; break;
        case 'p': prefix = optarg; break;
        case 'n': dry_run = true; break;
        case 'h': cleanup_usage(stdout); return OMBC_EXIT_OK;
        default: cleanup_usage(stderr); return OMBC_EXIT_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "ombc cleanup: unexpected argument '%s'\n", argv[optind]);
        cleanup_usage(stderr);
        return OMBC_EXIT_USAGE;
    }
    if (prefix && !*prefix) {
        fprintf(stderr, "ombc cleanup: --prefix must not be empty\n");
        return OMBC_EXIT_USAGE;
    }
    ombc_log_init(OMBC_LOG_INFO, "main");
    struct ombc_inputs in;
    int status = OMBC_EXIT_USAGE;
    if (ombc_inputs_load(&in, NULL, 0, drivers_arg, exe, "ombc: ") == 0)
        status = ombc_cmd_cleanup_drivers(&in, prefix, dry_run);
    ombc_inputs_fini(&in);
    return status;
}
