/*
 * cmd_csv: `ombc csv DIR`, and `ombc run -c DIR` through
 * ombc_cmd_csv_convert: OMB's --csv, turning the result JSON files of DIR
 * into results-<epoch>.csv in the working directory (stats/results_csv).
 * Prints the CSV's name on stdout; bad input is one line on stderr, exit 2.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/help.h"
#include "core/err.h"
#include "stats/results_csv.h"

static void csv_usage(FILE *out) {
    ombc_help_usage(out, "csv");
}

int ombc_cmd_csv_convert(const char *dir, const char *who) {
    char path[128], err[2048];
    /* Checked before every result is read, as a bad DIR is: bad input. */
    if (access(".", W_OK | X_OK) != 0) {
        fprintf(stderr, "%s: cannot write results-<epoch>.csv in the working directory: %s\n",
                who, strerror(errno));
        return OMBC_EXIT_USAGE;
    }
    int rc = ombc_results_csv_write(dir, path, sizeof(path), err, sizeof(err));
    if (rc != 0) {
        fprintf(stderr, "%s: %s\n", who, err);
        /* Out of memory or a failed write of the CSV is not the input's fault. */
        return rc == OMBC_ENOMEM || rc == OMBC_EIO ? OMBC_EXIT_FAILED : OMBC_EXIT_USAGE;
    }
    printf("%s\n", path);
    return OMBC_EXIT_OK;
}

int ombc_cmd_csv(int argc, char **argv) {
    if (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        csv_usage(stdout);
        return OMBC_EXIT_OK;
    }
    if (argc != 2) {
        fprintf(stderr, "ombc csv: %s\n", argc < 2 ? "no directory given" : "one directory only");
        csv_usage(stderr);
        return OMBC_EXIT_USAGE;
    }
    return ombc_cmd_csv_convert(argv[1], "ombc csv");
}
