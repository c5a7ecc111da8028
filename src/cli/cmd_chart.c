/*
 * cmd_chart: `ombc chart [-o REPORT.html] [--title TEXT] RESULT.json...`:
 * reads the results (report/result_read) and writes one self-contained
 * HTML report of them (report/chart), then prints the report's path on
 * stdout. Only argument parsing and messages live here; a result that cannot
 * be read is one line on stderr naming the file, exit 2.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/help.h"
#include "core/err.h"
#include "report/chart.h"
#include "report/result_read.h"

static void chart_usage(FILE *out) {
    ombc_help_usage(out, "chart");
}

/* path with its ".json" (or nothing) replaced by ".html"; malloc'd. */
static char *default_output(const char *path) {
    size_t len = strlen(path);
    if (len > 5 && strcmp(path + len - 5, ".json") == 0)
        len -= 5;
    char *out = malloc(len + 6);
    if (out)
        snprintf(out, len + 6, "%.*s.html", (int)len, path);
    return out;
}

int ombc_cmd_chart(int argc, char **argv) {
    struct option opts[8];
    char shortopts[16];
    if (ombc_help_getopt("chart", ":", opts, 8, shortopts, sizeof(shortopts)) != 0)
        return OMBC_EXIT_FAILED; /* cannot happen: the table fits */
    const char *output = NULL, *title = NULL;
    int c;
    optind = 0; /* glibc: start afresh, permuting options after the files */
    opterr = 0; /* the messages below name the command */
    while ((c = getopt_long(argc, argv, shortopts, opts, NULL)) != -1) {
        switch (c) {
        case 'o': output = optarg; break;
        case 't': title = optarg; break;
        case 'h': chart_usage(stdout); return OMBC_EXIT_OK;
        default:
            fprintf(stderr, "ombc chart: %s '%s'\n",
                    c == ':' ? "a value is needed after" : "unknown option", argv[optind - 1]);
            chart_usage(stderr);
            return OMBC_EXIT_USAGE;
        }
    }
    int n = argc - optind;
    if (n < 1) {
        fprintf(stderr, "ombc chart: no result file given\n");
        chart_usage(stderr);
        return OMBC_EXIT_USAGE;
    }
    struct ombc_result_figures *results = calloc((size_t)n, sizeof(*results));
    char *own_output = output ? NULL : default_output(argv[optind]);
    if (!results || (!output && !own_output)) {
        free(results);
        free(own_output);
        fprintf(stderr, "ombc chart: out of memory\n");
        return OMBC_EXIT_FAILED;
    }
    char err[1024];
    int status = OMBC_EXIT_OK, read = 0;
    for (; read < n; read++) {
        int rc = ombc_result_read(argv[optind + read], &results[read], err, sizeof(err));
        if (rc != 0) {
            fprintf(stderr, "ombc chart: %s\n", err);
            status = rc == OMBC_ENOMEM ? OMBC_EXIT_FAILED : OMBC_EXIT_USAGE;
            break;
        }
    }
    if (status == OMBC_EXIT_OK) {
        const char *path = output ? output : own_output;
        if (ombc_chart_write(path, results, (size_t)n, title, err, sizeof(err)) != 0) {
            fprintf(stderr, "ombc chart: %s\n", err);
            status = OMBC_EXIT_FAILED;
        } else {
            printf("%s\n", path);
        }
    }
    for (int i = 0; i < read; i++)
        ombc_result_figures_fini(&results[i]);
    free(results);
    free(own_output);
    return status;
}
