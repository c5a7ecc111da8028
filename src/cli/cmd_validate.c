/*
 * cmd_validate: `ombc validate [-d DRIVER[,DRIVER2]] WORKLOAD...`. Loads and
 * checks the files exactly as `ombc run` does before it starts (cli/inputs),
 * then stops: no agent, no broker connection, no topic, no file written.
 * Prints "FILE: ok" on stdout for each file that passed, and each problem on
 * stderr as one "FILE[:LINE:COL]: message" line. Exit 0 when every file
 * passed, 2 otherwise.
 */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"
#include "cli/help.h"
#include "cli/inputs.h"
#include "core/log.h"

static void validate_usage(FILE *out) {
    ombc_help_usage(out, "validate");
}

int ombc_cmd_validate(int argc, char **argv) {
    struct option opts[8];
    char shortopts[16];
    if (ombc_help_getopt("validate", "", opts, 8, shortopts, sizeof(shortopts)) != 0)
        return OMBC_EXIT_FAILED; /* cannot happen: the table fits */
    const char *drivers_arg = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, shortopts, opts, NULL)) != -1) {
        switch (c) {
        case 'd': drivers_arg = optarg; break;
        case 'h': validate_usage(stdout); return OMBC_EXIT_OK;
        default: validate_usage(stderr); return OMBC_EXIT_USAGE;
        }
    }
    int nworkloads = argc - optind;
    if (nworkloads < 1) {
        fprintf(stderr, "ombc validate: no workload file given\n");
        validate_usage(stderr);
        return OMBC_EXIT_USAGE;
    }
    ombc_log_init(OMBC_LOG_INFO, "main");

    struct ombc_inputs in;
    int rc = ombc_inputs_load(&in, argv + optind, nworkloads, drivers_arg, NULL, "");
    for (int i = 0; i < in.nworkloads; i++)
        if (in.workload_ok[i])
            printf("%s: ok\n", argv[optind + i]);
    for (int j = 0; j < in.ndrivers; j++)
        if (in.driver_ok && in.driver_ok[j])
            printf("%s: ok\n", in.driver_paths[j]);
    ombc_inputs_fini(&in);
    return rc == 0 ? OMBC_EXIT_OK : OMBC_EXIT_USAGE;
}
