/*
 * cmd_compare: `ombc compare A.json B.json`: the headline numbers of two
 * results (report/result_read) side by side on stdout, with their ratio
 * B/A, in aligned plain-text columns. "-" marks a figure a result lacks
 * (a latency with no samples; OMB's results have no publish response
 * time), "n/a" a ratio with nothing to divide by. A result cut short
 * (incomplete) or whose consumers fell behind or received nothing is
 * flagged under the file names. A result that cannot be read is one line
 * on stderr naming the file, exit 2.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/help.h"
#include "core/err.h"
#include "report/chart.h"
#include "report/result_read.h"

static void compare_usage(FILE *out) {
    ombc_help_usage(out, "compare");
}

/* A headline number, "-" when the result lacks it. */
static void figure(char *buf, size_t size, double v, int decimals) {
    if (isfinite(v))
        ombc_chart_format_number(buf, size, v, decimals);
    else
        snprintf(buf, size, "-");
}

/* The flags of a result worth a warning beside its figures. */
static void print_flags(const char *which, const struct ombc_result_figures *f) {
    if (f->incomplete)
        printf("   %s is INCOMPLETE: its test phase ended early; its figures cover the periods "
               "measured\n", which);
    if (f->consumer_shortfall)
        printf("   %s: consumers %s\n", which,
               strcmp(f->consumer_shortfall, "receivedNothing") == 0 ? "RECEIVED NOTHING"
               : strcmp(f->consumer_shortfall, "fellBehind") == 0
                   ? "FELL BEHIND (backlog still growing at the end)"
                   : f->consumer_shortfall);
}

static void print_table(const struct ombc_result_figures *a, const struct ombc_result_figures *b) {
    char cells[OMBC_H_COUNT][4][80]; /* label, A, B, B/A */
    bool shown[OMBC_H_COUNT];
    size_t width[4] = {6, 1, 1, 3}; /* "Figure", "A", "B", "B/A" */
    for (int h = 0; h < OMBC_H_COUNT; h++) {
        const struct ombc_headline_info *hi = ombc_headline_info(h);
        double va = a->headline[h], vb = b->headline[h];
        /* ombc's extension: left out when neither result has it */
        shown[h] = h != OMBC_H_RESPONSE_P99 || isfinite(va) || isfinite(vb);
        if (!shown[h])
            continue;
        snprintf(cells[h][0], sizeof(cells[h][0]), "%s (%s)", hi->label, hi->unit);
        figure(cells[h][1], sizeof(cells[h][1]), va, hi->decimals);
        figure(cells[h][2], sizeof(cells[h][2]), vb, hi->decimals);
        if (isfinite(va) && isfinite(vb) && va != 0)
            snprintf(cells[h][3], sizeof(cells[h][3]), "%.3f", vb / va);
        else
            snprintf(cells[h][3], sizeof(cells[h][3]), "n/a");
        for (int c = 0; c < 4; c++)
            if (strlen(cells[h][c]) > width[c])
                width[c] = strlen(cells[h][c]);
    }
    printf("A  %s  (%s, %s)\n", a->path, a->workload ? a->workload : "?",
           a->driver ? a->driver : "?");
    print_flags("A", a);
    printf("B  %s  (%s, %s)\n", b->path, b->workload ? b->workload : "?",
           b->driver ? b->driver : "?");
    print_flags("B", b);
    printf("\n");
    printf("%-*s  %*s  %*s  %*s\n", (int)width[0], "Figure", (int)width[1], "A", (int)width[2], "B",
           (int)width[3], "B/A");
    for (int h = 0; h < OMBC_H_COUNT; h++)
        if (shown[h])
            printf("%-*s  %*s  %*s  %*s\n", (int)width[0], cells[h][0], (int)width[1], cells[h][1],
                   (int)width[2], cells[h][2], (int)width[3], cells[h][3]);
}

int ombc_cmd_compare(int argc, char **argv) {
    if (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        compare_usage(stdout);
        return OMBC_EXIT_OK;
    }
    if (argc != 3) {
        fprintf(stderr, "ombc compare: %s\n",
                argc < 3 ? "two result files needed" : "two result files only");
        compare_usage(stderr);
        return OMBC_EXIT_USAGE;
    }
    struct ombc_result_figures r[2];
    char err[1024];
    int rc = ombc_result_read(argv[1], &r[0], err, sizeof(err));
    if (rc == 0) {
        rc = ombc_result_read(argv[2], &r[1], err, sizeof(err));
        if (rc != 0)
            ombc_result_figures_fini(&r[0]);
    }
    if (rc != 0) {
        fprintf(stderr, "ombc compare: %s\n", err);
        return rc == OMBC_ENOMEM ? OMBC_EXIT_FAILED : OMBC_EXIT_USAGE;
    }
    print_table(&r[0], &r[1]);
    ombc_result_figures_fini(&r[0]);
    ombc_result_figures_fini(&r[1]);
    return OMBC_EXIT_OK;
}
