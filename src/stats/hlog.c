/*
 * hlog: the .hlog writer (HistogramLogWriter's layout, histograms compressed
 * at level 9 as it does) and reader (HistogramLogReader's rules: tokens split
 * on space, comma, CR and LF; '#' comments carry StartTime and BaseTime; the
 * legend line is skipped; base time inferred when absent).
 */
#include "stats/hlog.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
#include "stats/hdr_codec.h"

#define LEGEND "\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_Histogram\""
#define YEAR_S (365.0 * 24 * 3600)
#define MAX_UNIT_RATIO 1000.0 /* µs values, max column in ms */

static int io_error(char *errstr, size_t errstr_size, const char *what, const char *path) {
    return ombc_errf(errstr, errstr_size, OMBC_EIO, "%s %s: %s", what, path, strerror(errno));
}

int ombc_hlog_writer_open(struct ombc_hlog_writer *w, const char *path, int64_t start_ms,
                          const char *comment, char *errstr, size_t errstr_size) {
    memset(w, 0, sizeof(*w));
    w->path = strdup(path);
    if (!w->path)
        return ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "%s: out of memory", path);
    w->f = fopen(path, "w");
    if (!w->f) {
        int rc = io_error(errstr, errstr_size, "cannot create", path);
        free(w->path);
        w->path = NULL;
        return rc;
    }
    w->base_ms = start_ms;
    /* Java's Date.toString(), in UTC: "Tue Nov 14 22:13:20 UTC 2023". */
    char date[64];
    time_t secs = (time_t)(start_ms / 1000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    strftime(date, sizeof(date), "%a %b %d %H:%M:%S UTC %Y", &tm);
    double start_s = (double)start_ms / 1000.0;
    if (comment)
        fprintf(w->f, "#[%s]\n", comment);
    fprintf(w->f, "#[Histogram log format version 1.3]\n");
    fprintf(w->f, "#[StartTime: %.3f (seconds since epoch), %s]\n", start_s, date);
    fprintf(w->f, "#[BaseTime: %.3f (seconds since epoch)]\n", start_s);
    fprintf(w->f, "%s\n", LEGEND);
    if (fflush(w->f) != 0) {
        int rc = io_error(errstr, errstr_size, "cannot write", path);
        ombc_hlog_writer_close(w, NULL, 0);
        return rc;
    }
    return 0;
}

static bool valid_tag(const char *tag) {
    return tag[0] != '\0' && strlen(tag) < OMBC_HLOG_TAG_MAX && strpbrk(tag, ", \r\n") == NULL;
}

int ombc_hlog_writer_add(struct ombc_hlog_writer *w, const char *tag, int64_t start_ms,
                         int64_t end_ms, const struct ombc_hist *h, char *errstr,
                         size_t errstr_size) {
    if (tag && !valid_tag(tag))
        return ombc_errf(errstr, errstr_size, OMBC_EINVAL,
                         "hlog tag '%s' must be 1 to %d characters without ',', space, CR or LF",
                         tag, OMBC_HLOG_TAG_MAX - 1);
    char *b64;
    int rc = ombc_hist_encode_base64(h, OMBC_HDR_LEVEL_LOG, &b64);
    if (rc)
        return ombc_errf(errstr, errstr_size, rc, "cannot encode a histogram for %s", w->path);
    if (tag)
        fprintf(w->f, "Tag=%s,", tag);
    fprintf(w->f, "%.3f,%.3f,%.3f,%s\n", (double)(start_ms - w->base_ms) / 1000.0,
            (double)(end_ms - start_ms) / 1000.0, (double)ombc_hist_max(h) / MAX_UNIT_RATIO,
            b64);
    free(b64);
    /* One flush per interval: a run that dies keeps every interval logged. */
    if (fflush(w->f) != 0 || ferror(w->f))
        return io_error(errstr, errstr_size, "cannot write", w->path);
    return 0;
}

int ombc_hlog_writer_close(struct ombc_hlog_writer *w, char *errstr, size_t errstr_size) {
    int rc = 0;
    if (w->f) {
        bool failed = ferror(w->f) != 0;
        if (fclose(w->f) != 0 || failed)
            rc = io_error(errstr, errstr_size, "cannot write", w->path);
    }
    free(w->path);
    memset(w, 0, sizeof(*w));
    return rc;
}

int ombc_hlog_reader_open(struct ombc_hlog_reader *r, const char *path, char *errstr,
                          size_t errstr_size) {
    memset(r, 0, sizeof(*r));
    r->path = strdup(path);
    if (!r->path)
        return ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "%s: out of memory", path);
    r->f = fopen(path, "r");
    if (!r->f) {
        int rc = io_error(errstr, errstr_size, "cannot open", path);
        ombc_hlog_reader_close(r);
        return rc;
    }
    return 0;
}

void ombc_hlog_reader_close(struct ombc_hlog_reader *r) {
    if (r->f)
        fclose(r->f);
    free(r->path);
    free(r->line);
    memset(r, 0, sizeof(*r));
}

#define SEPARATORS " ,\r\n"

/* "#[StartTime: 1700000000.123 ..." → the number after the keyword, if any. */
static bool comment_number(const char *line, const char *keyword, double *out) {
    size_t n = strlen(keyword);
    if (strncmp(line, keyword, n) != 0)
        return false;
    char *end;
    errno = 0;
    double v = strtod(line + n, &end);
    if (end == line + n || errno != 0)
        return false;
    *out = v;
    return true;
}

/* A whole token as a number. */
static int token_number(const struct ombc_hlog_reader *r, const char *tok, const char *what,
                        double *out, char *errstr, size_t errstr_size) {
    char *end = NULL;
    if (tok) {
        errno = 0;
        *out = strtod(tok, &end);
    }
    if (!tok || end == tok || *end != '\0' || errno != 0)
        return ombc_errf(errstr, errstr_size, OMBC_EINVAL,
                         "%s:%ld: %s: expected a number, got '%s'", r->path, r->line_no, what,
                         tok ? tok : "end of line");
    return 0;
}

static int parse_interval(struct ombc_hlog_reader *r, char *line, struct ombc_hlog_interval *iv,
                          char *errstr, size_t errstr_size) {
    char *tok[6] = {0}, *save = NULL;
    int n = 0;
    for (char *t = strtok_r(line, SEPARATORS, &save); t && n < 6;
         t = strtok_r(NULL, SEPARATORS, &save))
        tok[n++] = t;
    iv->tag[0] = '\0';
    int first = 0;
    if (strncmp(tok[0], "Tag=", 4) == 0) {
        if (strlen(tok[0] + 4) >= sizeof(iv->tag))
            return ombc_errf(errstr, errstr_size, OMBC_EINVAL,
                             "%s:%ld: tag longer than %zu characters", r->path, r->line_no,
                             sizeof(iv->tag) - 1);
        strcpy(iv->tag, tok[0] + 4);
        first = 1;
    }
    double start, length, max;
    int rc;
    if ((rc = token_number(r, tok[first], "interval start", &start, errstr, errstr_size)) ||
        (rc = token_number(r, tok[first + 1], "interval length", &length, errstr, errstr_size)) ||
        (rc = token_number(r, tok[first + 2], "interval max", &max, errstr, errstr_size)))
        return rc;
    const char *b64 = tok[first + 3];
    if (!b64)
        return ombc_errf(errstr, errstr_size, OMBC_EINVAL, "%s:%ld: interval has no histogram",
                         r->path, r->line_no);
    if (tok[first + 4])
        return ombc_errf(errstr, errstr_size, OMBC_EINVAL,
                         "%s:%ld: unexpected text after the interval's histogram", r->path,
                         r->line_no);
    char why[256];
    rc = ombc_hist_decode_base64(b64, strlen(b64), &iv->hist, why, sizeof(why));
    if (rc)
        return ombc_errf(errstr, errstr_size, rc, "%s:%ld: %s", r->path, r->line_no, why);

    /* HistogramLogReader: without a BaseTime, timestamps far before the start
     * time are relative to it, others absolute; without a StartTime the first
     * interval's timestamp is the start. */
    if (!r->have_base_time && !r->base_inferred) {
        if (r->have_start_time && start < r->start_time_s - YEAR_S)
            r->base_time_s = r->start_time_s;
        else
            r->base_time_s = 0.0;
        r->base_inferred = true;
    }
    if (!r->have_start_time) {
        r->start_time_s = start + r->base_time_s;
        r->have_start_time = true;
    }
    iv->start_s = start + r->base_time_s;
    iv->length_s = length;
    iv->line_no = r->line_no;
    return 0;
}

int ombc_hlog_reader_next(struct ombc_hlog_reader *r, struct ombc_hlog_interval *iv,
                          char *errstr, size_t errstr_size) {
    ombc_hist_fini(&iv->hist);
    for (;;) {
        errno = 0;
        ssize_t n = getline(&r->line, &r->line_cap, r->f);
        if (n < 0) {
            if (ferror(r->f))
                return io_error(errstr, errstr_size, "cannot read", r->path);
            return 0;
        }
        r->line_no++;
        char *line = r->line;
        if (memchr(line, '\0', (size_t)n))
            return ombc_errf(errstr, errstr_size, OMBC_EINVAL, "%s:%ld: NUL byte in the log",
                             r->path, r->line_no);
        line += strspn(line, SEPARATORS);
        if (*line == '\0')
            continue;
        if (*line == '#') {
            double v;
            if (comment_number(line, "#[StartTime: ", &v)) {
                r->start_time_s = v;
                r->have_start_time = true;
            } else if (comment_number(line, "#[BaseTime: ", &v)) {
                r->base_time_s = v;
                r->have_base_time = true;
            }
            continue;
        }
        if (strncmp(line, "\"StartTimestamp\"", 16) == 0)
            continue;
        int rc = parse_interval(r, line, iv, errstr, errstr_size);
        return rc ? rc : 1;
    }
}
