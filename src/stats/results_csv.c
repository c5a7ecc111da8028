/*
 * results_csv: OMB's ResultsToCsv (OMB-REFERENCE.md 5.4). Owns listing the
 * .json files of a directory, reading the few TestResult fields the CSV needs
 * (cJSON), the rate statistics OMB takes from a Histogram(10000000, 1) with
 * each rate recorded as (long)rate with count 2 (through stats/hdr), Java
 * DecimalFormat "#" and "#.##" for them, the stable sort and the file
 * results-<epoch>.csv. Where OMB throws (a rate the histogram cannot hold, a
 * file that is not a result) this returns an error naming the file. Printing
 * is left to the CLI. One departure from OMB: a rate that was never above 0
 * has no minimum, written as "none" where OMB prints HdrHistogram's
 * Long.MAX_VALUE sentinel (9223372036854775807). Stateless; any thread.
 */
#include "stats/results_csv.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "core/err.h"
#include "core/file.h"

/* The min column of a rate never above 0 (OMB: 9223372036854775807). */
#define OMBC_CSV_NO_MIN "none"
#include "stats/hdr.h"

/* OMB: new Histogram(10000000, 1); its counts reach 16777215 (6.1). */
#define RATE_HIGHEST 10000000
#define RATE_DIGITS 1
#define RATE_LIMIT 16777216.0 /* (long)rate must stay below this */

static const char HEADER[] =
    "topics,partitions,message-size,producers-per-topic,consumers-per-topic,"
    "prod-rate-min,prod-rate-avg,prod-rate-std-dev,prod-rate-max,"
    "con-rate-min,con-rate-avg,con-rate-std-dev,con-rate-max,\n";

/* ---- DecimalFormat "#" / "#.##" ---- */

void ombc_results_csv_decimal(char *buf, size_t size, double v, int max_fraction_digits) {
    const char *sign = signbit(v) ? "-" : "";
    char num[400];
    const char *frac;
    size_t int_len, frac_len;

    if (isnan(v)) {
        snprintf(buf, size, "NaN");
        return;
    }
    if (isinf(v)) {
        snprintf(buf, size, "%s\xE2\x88\x9E", sign);
        return;
    }
    if (max_fraction_digits < 0)
        max_fraction_digits = 0;
    if (max_fraction_digits > 9)
        max_fraction_digits = 9;
    /* glibc's %f rounds the exact binary value, ties to even (HALF_EVEN). */
    snprintf(num, sizeof(num), "%.*f", max_fraction_digits, fabs(v));
    int_len = strspn(num, "0123456789");
    frac = num[int_len] ? num + int_len + 1 : num + int_len; /* any separator */
    frac_len = strlen(frac);
    while (frac_len > 0 && frac[frac_len - 1] == '0')
        frac_len--;
    /* "#.##" has one minimum integer digit (DecimalFormat.applyPattern), and
     * "#" prints "0" rather than nothing: the integer part always shows. */
    snprintf(buf, size, "%s%.*s%s%.*s", sign, (int)int_len, num, frac_len ? "." : "",
             (int)frac_len, frac);
}

/* ---- reading one result ---- */

struct row {
    int64_t message_size, topics, partitions; /* the sort keys */
    size_t seq;                               /* position in name order: stability */
    char *line;                               /* the CSV line, with its "\n" */
};

/* An integer field of the result, within [lo, hi]. */
static int int_field(const cJSON *root, const char *path, const char *key, double lo, double hi,
                     int64_t *out, char *errstr, size_t errstr_size) {
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(root, key);
    if (!item)
        return ombc_errf(errstr, errstr_size, OMBC_EPARSE,
                         "%s: not an OMB result: no \"%s\"", path, key);
    double d = item->valuedouble;
    if (!cJSON_IsNumber(item) || d != floor(d) || d < lo || d > hi)
        return ombc_errf(errstr, errstr_size, OMBC_EPARSE,
                         "%s: not an OMB result: \"%s\" is not an integer in [%.0f, %.0f]", path,
                         key, lo, hi);
    *out = (int64_t)d;
    return 0;
}

/*
 * Records every rate of array key as OMB does, (long)rate with count 2, into
 * h (reset first). Java's (long) truncates towards zero (NaN: 0); a value of
 * 16777216 or more is beyond the histogram's counts and a negative one is
 * refused, where Java throws ArrayIndexOutOfBoundsException.
 */
static int record_rates(struct ombc_hist *h, const cJSON *root, const char *path,
                        const char *key, char *errstr, size_t errstr_size) {
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, key);
    const cJSON *item;
    size_t i = 0;

    ombc_hist_reset(h);
    if (!arr)
        return ombc_errf(errstr, errstr_size, OMBC_EPARSE, "%s: not an OMB result: no \"%s\"",
                         path, key);
    if (!cJSON_IsArray(arr))
        return ombc_errf(errstr, errstr_size, OMBC_EPARSE,
                         "%s: not an OMB result: \"%s\" is not an array", path, key);
    cJSON_ArrayForEach(item, arr) {
        if (!cJSON_IsNumber(item))
            return ombc_errf(errstr, errstr_size, OMBC_EPARSE,
                             "%s: not an OMB result: %s[%zu] is not a number", path, key, i);
        double rate = item->valuedouble;
        if (rate >= RATE_LIMIT || rate <= -1.0)
            return ombc_errf(errstr, errstr_size, OMBC_ERANGE,
                             "%s: %s[%zu] = %.15g: OMB's CSV statistics (an HdrHistogram "
                             "with 1 significant digit) hold only rates from 0 to 16777215",
                             path, key, i, rate);
        int64_t v = isnan(rate) ? 0 : (int64_t)rate;
        if (!ombc_hist_record_n(h, v, 2)) /* cannot happen: 0 <= v < 16777216 */
            return ombc_errf(errstr, errstr_size, OMBC_ERANGE, "%s: %s[%zu] not recordable",
                             path, key, i);
        i++;
    }
    return 0;
}

/* "min,avg,std-dev,max" of h into out, OMB's {n,number,#} / {n,number,#.##}.
 * The min is getMinNonZeroValue(): with no rate above 0 it is HdrHistogram's
 * Long.MAX_VALUE sentinel, which OMB prints as 9223372036854775807 (a min
 * far above the average of 0); ombc writes OMB_CSV_NO_MIN there instead,
 * so the column stays but no reader takes the sentinel for a rate. */
static void rate_stats(char *out, size_t size, const struct ombc_hist *h) {
    char avg[48], sd[48], min[32]; /* sized so that out (160 bytes) cannot truncate */
    ombc_results_csv_decimal(avg, sizeof(avg), ombc_hist_mean(h), 0);
    ombc_results_csv_decimal(sd, sizeof(sd), ombc_hist_stddev(h), 2);
    int64_t m = ombc_hist_min_nonzero(h);
    if (m == INT64_MAX)
        snprintf(min, sizeof(min), "%s", OMBC_CSV_NO_MIN);
    else
        snprintf(min, sizeof(min), "%" PRId64, m);
    snprintf(out, size, "%s,%s,%s,%" PRId64, min, avg, sd, ombc_hist_max(h));
}

/* Reads the result at path and builds its row. */
static int read_row(const char *path, struct ombc_hist *h, struct row *row, char *errstr,
                    size_t errstr_size) {
    char *text = NULL;
    size_t len = 0;
    int rc = ombc_read_file(path, &text, &len, errstr, errstr_size);
    if (rc != 0)
        return rc;
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (!root) {
        size_t line = 1;
        for (const char *c = text; end && c < end && c < text + len; c++)
            line += *c == '\n';
        free(text);
        return ombc_errf(errstr, errstr_size, OMBC_EPARSE, "%s:%zu: not valid JSON", path,
                         line);
    }
    free(text);

    int64_t producers = 0, consumers = 0;
    char prod[160], con[160];
    if (!cJSON_IsObject(root)) {
        rc = ombc_errf(errstr, errstr_size, OMBC_EPARSE,
                       "%s: not an OMB result: not a JSON object", path);
    }
    /* messageSize is a Java long, the others ints; 2^53 keeps doubles exact. */
    if (rc == 0)
        rc = int_field(root, path, "messageSize", -9007199254740992.0, 9007199254740992.0,
                       &row->message_size, errstr, errstr_size);
    if (rc == 0)
        rc = int_field(root, path, "topics", INT32_MIN, INT32_MAX, &row->topics, errstr,
                       errstr_size);
    if (rc == 0)
        rc = int_field(root, path, "partitions", INT32_MIN, INT32_MAX, &row->partitions,
                       errstr, errstr_size);
    if (rc == 0)
        rc = int_field(root, path, "producersPerTopic", INT32_MIN, INT32_MAX, &producers,
                       errstr, errstr_size);
    if (rc == 0)
        rc = int_field(root, path, "consumersPerTopic", INT32_MIN, INT32_MAX, &consumers,
                       errstr, errstr_size);
    if (rc == 0 && (rc = record_rates(h, root, path, "publishRate", errstr, errstr_size)) == 0)
        rate_stats(prod, sizeof(prod), h);
    if (rc == 0 && (rc = record_rates(h, root, path, "consumeRate", errstr, errstr_size)) == 0)
        rate_stats(con, sizeof(con), h);
    cJSON_Delete(root);
    if (rc != 0)
        return rc;

    char line[512];
    int n = snprintf(line, sizeof(line),
                     "%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%s,%s\n",
                     row->topics, row->partitions, row->message_size, producers, consumers, prod,
                     con);
    row->line = malloc((size_t)n + 1);
    if (!row->line)
        return ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "%s: out of memory", path);
    memcpy(row->line, line, (size_t)n + 1);
    return 0;
}

/* ---- the directory ---- */

static int compare_names(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Comparator.comparing(messageSize).thenComparing(topics).thenComparing(
 * partitions) in a stable sort: the name order breaks ties. */
static int compare_rows(const void *a, const void *b) {
    const struct row *x = a, *y = b;
    if (x->message_size != y->message_size)
        return x->message_size < y->message_size ? -1 : 1;
    if (x->topics != y->topics)
        return x->topics < y->topics ? -1 : 1;
    if (x->partitions != y->partitions)
        return x->partitions < y->partitions ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static char *join_path(const char *dir, const char *name) {
    size_t dl = strlen(dir);
    const char *sep = dl > 0 && dir[dl - 1] == '/' ? "" : "/";
    size_t n = dl + strlen(sep) + strlen(name) + 1;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s%s%s", dir, sep, name);
    return p;
}

/* The names of the regular *.json files in dir, sorted (File[] sort). */
static int list_json(const char *dir, char ***names_out, size_t *count_out, char *errstr,
                     size_t errstr_size) {
    DIR *d = opendir(dir);
    if (!d)
        return ombc_errf(errstr, errstr_size, OMBC_ENOENT, "cannot open directory %s: %s", dir,
                         strerror(errno));
    char **names = NULL;
    size_t count = 0, cap = 0;
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 5, ".json") != 0)
            continue;
        char *path = join_path(dir, e->d_name);
        struct stat st;
        bool regular = path && stat(path, &st) == 0 && S_ISREG(st.st_mode);
        free(path);
        if (!path) {
            rc = OMBC_ENOMEM;
            break;
        }
        if (!regular)
            continue;
        if (count == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            char **p = realloc(names, ncap * sizeof(*names));
            if (!p) {
                rc = OMBC_ENOMEM;
                break;
            }
            names = p;
            cap = ncap;
        }
        if (!(names[count] = strdup(e->d_name))) {
            rc = OMBC_ENOMEM;
            break;
        }
        count++;
    }
    closedir(d);
    if (rc == 0 && count == 0)
        rc = ombc_errf(errstr, errstr_size, OMBC_ENOENT, "no .json file in %s", dir);
    else if (rc != 0)
        ombc_errf(errstr, errstr_size, rc, "%s: out of memory", dir);
    if (rc != 0) {
        for (size_t i = 0; i < count; i++)
            free(names[i]);
        free(names);
        return rc;
    }
    qsort(names, count, sizeof(*names), compare_names);
    *names_out = names;
    *count_out = count;
    return 0;
}

int ombc_results_csv_text(const char *dir, char **csv, char *errstr, size_t errstr_size) {
    char **names = NULL;
    size_t count = 0;
    int rc = list_json(dir, &names, &count, errstr, errstr_size);
    if (rc != 0)
        return rc;

    struct ombc_hist h = {0}; /* ombc_hist_fini is safe on it as it is */
    struct row *rows = calloc(count, sizeof(*rows));
    if (!rows || ombc_hist_init(&h, 1, RATE_HIGHEST, RATE_DIGITS) != 0)
        rc = ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "out of memory");
    size_t total = sizeof(HEADER);
    for (size_t i = 0; rc == 0 && i < count; i++) {
        char *path = join_path(dir, names[i]);
        rows[i].seq = i;
        rc = path ? read_row(path, &h, &rows[i], errstr, errstr_size)
                  : ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "out of memory");
        if (rc == 0)
            total += strlen(rows[i].line);
        free(path);
    }
    ombc_hist_fini(&h);

    char *text = NULL;
    if (rc == 0) {
        qsort(rows, count, sizeof(*rows), compare_rows);
        text = malloc(total);
        if (!text)
            rc = ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "out of memory");
    }
    if (rc == 0) {
        char *w = text;
        size_t n = strlen(HEADER);
        memcpy(w, HEADER, n);
        w += n;
        for (size_t i = 0; i < count; i++) {
            n = strlen(rows[i].line);
            memcpy(w, rows[i].line, n);
            w += n;
        }
        *w = '\0';
        *csv = text;
    }
    for (size_t i = 0; i < count; i++) {
        if (rows)
            free(rows[i].line);
        free(names[i]);
    }
    free(rows);
    free(names);
    return rc;
}

/* ---- the file ---- */

static int write_all(int fd, const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int ombc_results_csv_write(const char *dir, char *path, size_t path_size, char *errstr,
                           size_t errstr_size) {
    char *text = NULL;
    int rc = ombc_results_csv_text(dir, &text, errstr, errstr_size);
    if (rc != 0)
        return rc;

    char name[64], tmp[96];
    snprintf(name, sizeof(name), "results-%lld.csv", (long long)time(NULL));
    snprintf(tmp, sizeof(tmp), ".%s.%ld.tmp", name, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) {
        rc = ombc_errf(errstr, errstr_size, OMBC_EIO, "cannot create %s: %s", name,
                       strerror(errno));
    } else {
        bool ok = write_all(fd, text, strlen(text)) == 0;
        int e = errno;
        if (close(fd) != 0 && ok) {
            ok = false;
            e = errno;
        }
        if (ok && rename(tmp, name) != 0) {
            ok = false;
            e = errno;
        }
        if (!ok) {
            unlink(tmp);
            rc = ombc_errf(errstr, errstr_size, OMBC_EIO, "cannot write %s: %s", name,
                           strerror(e));
        }
    }
    free(text);
    if (rc == 0)
        snprintf(path, path_size, "%s", name);
    return rc;
}
