/*
 * cmd_hist: `ombc hist decode` and `ombc hist summary`, the small tools for
 * looking at histograms: a base64 histogram from an OMB worker's reply, or
 * an .hlog interval log (ombc's or any HdrHistogram tool's).
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/help.h"
#include "core/err.h"
#include "stats/hdr.h"
#include "stats/hdr_codec.h"
#include "stats/hlog.h"

static const double PERCENTILES[] = {50, 90, 99, 99.9, 99.99, 100};
#define NPERCENTILES (sizeof(PERCENTILES) / sizeof(PERCENTILES[0]))

static void hist_usage(FILE *out) {
    ombc_help_usage(out, "hist");
}

static void print_header(const char *first_column) {
    printf("%-12s %12s %10s %12s %10s", first_column, "count", "min", "mean", "max");
    for (size_t i = 0; i < NPERCENTILES; i++) {
        char name[16];
        snprintf(name, sizeof(name), "p%g", PERCENTILES[i]);
        printf(" %10s", name);
    }
    printf("\n");
}

static void print_row(const char *label, const struct ombc_hist *h) {
    printf("%-12s %12" PRId64 " %10" PRId64 " %12.3f %10" PRId64, label, ombc_hist_total(h),
           ombc_hist_min(h), ombc_hist_mean(h), ombc_hist_max(h));
    for (size_t i = 0; i < NPERCENTILES; i++)
        printf(" %10" PRId64, ombc_hist_value_at_percentile(h, PERCENTILES[i]));
    printf("\n");
}

static int hist_decode(void) {
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long line_no = 0;
    int status = OMBC_EXIT_OK, decoded = 0;
    while ((n = getline(&line, &cap, stdin)) >= 0) {
        line_no++;
        /* Tolerate a value pasted from JSON: surrounding quotes and comma. */
        char *s = line + strspn(line, " \t\"");
        size_t len = strcspn(s, "\",\r\n");
        if (len == 0)
            continue;
        struct ombc_hist h;
        char err[512];
        if (ombc_hist_decode_base64(s, len, &h, err, sizeof(err)) != 0) {
            fprintf(stderr, "ombc hist decode: stdin:%ld: %s\n", line_no, err);
            status = OMBC_EXIT_USAGE;
            continue;
        }
        if (decoded++ == 0)
            print_header("histogram");
        char label[32];
        snprintf(label, sizeof(label), "%ld", line_no);
        print_row(label, &h);
        printf("%-12s range [%" PRId64 ", %" PRId64 "], %d significant digits\n", "",
               h.lowest, h.highest, h.digits);
        ombc_hist_fini(&h);
    }
    free(line);
    if (decoded == 0 && status == OMBC_EXIT_OK) {
        fprintf(stderr, "ombc hist decode: no histogram on stdin\n");
        status = OMBC_EXIT_USAGE;
    }
    return status;
}

/* The intervals of one tag, added up. */
struct tag_sum {
    char tag[OMBC_HLOG_TAG_MAX];
    struct ombc_hist sum;
    int intervals;
    int64_t dropped;
    double first_s, last_end_s;
};

static int summarize(const char *path, bool intervals) {
    struct ombc_hlog_reader r;
    char err[1024];
    if (ombc_hlog_reader_open(&r, path, err, sizeof(err)) != 0) {
        fprintf(stderr, "ombc hist summary: %s\n", err);
        return OMBC_EXIT_USAGE;
    }
    struct tag_sum tags[16];
    int ntags = 0, rc, status = OMBC_EXIT_OK;
    struct ombc_hlog_interval iv = {0};
    printf("%s\n", path);
    if (intervals)
        print_header("start+s");
    while ((rc = ombc_hlog_reader_next(&r, &iv, err, sizeof(err))) == 1) {
        int t = 0;
        while (t < ntags && strcmp(tags[t].tag, iv.tag) != 0)
            t++;
        if (t == ntags) {
            if (ntags == (int)(sizeof(tags) / sizeof(tags[0]))) {
                fprintf(stderr, "ombc hist summary: %s: more than %d tags\n", path, ntags);
                status = OMBC_EXIT_USAGE;
                break;
            }
            struct tag_sum *ts = &tags[ntags++];
            memset(ts, 0, sizeof(*ts));
            snprintf(ts->tag, sizeof(ts->tag), "%s", iv.tag);
            if (ombc_hist_init(&ts->sum, iv.hist.lowest, iv.hist.highest, iv.hist.digits) != 0) {
                fprintf(stderr, "ombc hist summary: out of memory\n");
                status = OMBC_EXIT_FAILED;
                break;
            }
            ts->first_s = iv.start_s;
        }
        struct tag_sum *ts = &tags[t];
        ts->dropped += ombc_hist_add(&ts->sum, &iv.hist);
        ts->intervals++;
        ts->last_end_s = iv.start_s + iv.length_s;
        if (intervals) {
            char label[96];
            snprintf(label, sizeof(label), "%.3f%s%s", iv.start_s - r.start_time_s,
                     iv.tag[0] ? " " : "", iv.tag);
            print_row(label, &iv.hist);
        }
    }
    if (rc < 0) {
        fprintf(stderr, "ombc hist summary: %s\n", err);
        status = OMBC_EXIT_USAGE;
    }
    if (intervals)
        printf("\n");
    print_header("tag");
    for (int t = 0; t < ntags; t++) {
        print_row(tags[t].tag[0] ? tags[t].tag : "(untagged)", &tags[t].sum);
        printf("%-12s %d intervals over %.3f s", "", tags[t].intervals,
               tags[t].last_end_s - tags[t].first_s);
        if (tags[t].dropped)
            printf(", %" PRId64 " values beyond the first interval's range left out",
                   tags[t].dropped);
        printf("\n");
        ombc_hist_fini(&tags[t].sum);
    }
    if (ntags == 0 && rc == 0)
        printf("(no intervals)\n");
    ombc_hist_fini(&iv.hist);
    ombc_hlog_reader_close(&r);
    return status;
}

int ombc_cmd_hist(int argc, char **argv) {
    if (argc < 2) {
        hist_usage(stderr);
        return OMBC_EXIT_USAGE;
    }
    const char *sub = argv[1];
    if (strcmp(sub, "-h") == 0 || strcmp(sub, "--help") == 0) {
        hist_usage(stdout);
        return OMBC_EXIT_OK;
    }
    if (strcmp(sub, "decode") == 0) {
        if (argc == 3 && (strcmp(argv[2], "-h") == 0 || strcmp(argv[2], "--help") == 0)) {
            ombc_help_usage(stdout, "hist decode");
            return OMBC_EXIT_OK;
        }
        if (argc != 2) {
            fprintf(stderr, "ombc hist decode: unexpected argument '%s' (histograms come on "
                            "stdin)\n", argv[2]);
            ombc_help_usage(stderr, "hist decode");
            return OMBC_EXIT_USAGE;
        }
        return hist_decode();
    }
    if (strcmp(sub, "summary") != 0) {
        fprintf(stderr, "ombc hist: unknown command '%s'\n", sub);
        hist_usage(stderr);
        return OMBC_EXIT_USAGE;
    }
    struct option opts[4];
    char shortopts[8];
    if (ombc_help_getopt("hist summary", "", opts, 4, shortopts, sizeof(shortopts)) != 0)
        return OMBC_EXIT_FAILED; /* cannot happen: the table fits */
    bool intervals = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc - 1, argv + 1, shortopts, opts, NULL)) != -1) {
        switch (c) {
        case 'i': intervals = true; break;
        case 'h': ombc_help_usage(stdout, "hist summary"); return OMBC_EXIT_OK;
        default: ombc_help_usage(stderr, "hist summary"); return OMBC_EXIT_USAGE;
        }
    }
    if (optind >= argc - 1) {
        fprintf(stderr, "ombc hist summary: no .hlog file given\n");
        return OMBC_EXIT_USAGE;
    }
    int status = OMBC_EXIT_OK;
    for (int i = optind + 1; i < argc; i++) {
        int s = summarize(argv[i], intervals);
        if (s > status)
            status = s;
    }
    return status;
}
