/*
 * `ombc chart` and `ombc compare` as a user runs them, on two real results:
 * two short null-driver benchmarks, then the HTML report opened in headless
 * Chromium (Debian's chromium, which scripts/setup.sh installs; missing, it
 * is a failure, never a skip). Chromium takes a screenshot, which must be a
 * real picture (decoded here with zlib: the palette's first two colours
 * drawn, far from one colour), dumps the DOM, which must hold every chart's
 * <svg> with both series, and logs the page's console, which must stay
 * empty (an SVG attribute Chromium cannot parse, a NaN coordinate for one,
 * is logged there). Then compare's table: every headline row with its B/A.
 * OMBC_CHROMIUM names another browser binary.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <zlib.h>

#include "integration/runner.h"

#define NAME_A "null-test \xC2\xB7 null-driver (a.json)"
#define NAME_B "null-test \xC2\xB7 null-driver (b.json)"
#define WIDTH 1400
#define HEIGHT 3000

static const char *const CHARTS[] = {
    "publish-latency-quantiles",
    "publish-delay-quantiles",
    "end-to-end-latency-quantiles",
    "publish-response-time-quantiles",
    "publish-rate",
    "consume-rate",
    "backlog",
    "publish-latency-p99",
};

/* The browser: $OMBC_CHROMIUM, else chromium on PATH, else NULL. */
static const char *find_chromium(char *buf, size_t size) {
    const char *env = getenv("OMBC_CHROMIUM");
    if (env && *env)
        return access(env, X_OK) == 0 ? env : NULL;
    const char *path = getenv("PATH");
    while (path && *path) {
        size_t len = strcspn(path, ":");
        snprintf(buf, size, "%.*s/chromium", (int)len, path);
        if (len > 0 && access(buf, X_OK) == 0)
            return buf;
        path += len + (path[len] == ':');
    }
    return NULL;
}

/* Runs argv in dir, stdout and stderr to files out and err there; waits up
 * to timeout_s. @return the exit status, or -1 on timeout. */
static int run_tool(const char *dir, char *const argv[], const char *out, const char *err,
                    int timeout_s) {
    pid_t pid = fork();
    if (pid == 0) {
        if (chdir(dir) != 0)
            _exit(126);
        int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int i = open("/dev/null", O_RDONLY);
        dup2(i, 0);
        dup2(o, 1);
        dup2(e, 2);
        execv(argv[0], argv);
        _exit(127);
    }
    for (int waited = 0; waited < timeout_s * 50; waited++) {
        int st;
        if (waitpid(pid, &st, WNOHANG) == pid)
            return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        usleep(20000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    return -1;
}

static char *slurp_in(const char *dir, const char *name) {
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    return runner_slurp(path);
}

/* Every console message Chromium logged (--enable-logging=stderr). */
static void assert_no_console_messages(const char *err, const char *what) {
    const char *c = strstr(err, ":CONSOLE");
    if (!c)
        c = strstr(err, "CONSOLE(");
    if (c)
        fail_msg("%s: the page logged to the console: %.*s", what, (int)strcspn(c, "\n"), c);
    assert_null(strstr(err, "Uncaught"));
}

/* ---- the screenshot ---- */

static uint32_t be32(const unsigned char *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int paeth(int a, int b, int c) {
    int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

struct image {
    uint32_t w, h;
    int channels; /* 3 RGB, 4 RGBA */
    unsigned char *px;
};

/* Decodes an 8-bit RGB or RGBA, non-interlaced PNG (what Chromium writes). */
static void decode_png(const char *path, struct image *img) {
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *data = malloc((size_t)size);
    assert_non_null(data);
    assert_int_equal(fread(data, 1, (size_t)size, f), (size_t)size);
    fclose(f);
    assert_memory_equal(data, "\x89PNG\r\n\x1a\n", 8);
    unsigned char *idat = malloc((size_t)size);
    size_t idat_len = 0, at = 8;
    int depth = 0, colour = -1, interlace = -1;
    while (at + 12 <= (size_t)size) {
        uint32_t len = be32(data + at);
        const unsigned char *type = data + at + 4, *body = data + at + 8;
        assert_true(at + 12 + len <= (size_t)size);
        if (memcmp(type, "IHDR", 4) == 0) {
            img->w = be32(body);
            img->h = be32(body + 4);
            depth = body[8];
            colour = body[9];
            interlace = body[12];
        } else if (memcmp(type, "IDAT", 4) == 0) {
            memcpy(idat + idat_len, body, len);
            idat_len += len;
        }
        at += 12 + len;
    }
    assert_int_equal(depth, 8);
    assert_int_equal(interlace, 0);
    assert_true(colour == 2 || colour == 6);
    img->channels = colour == 6 ? 4 : 3;
    size_t stride = (size_t)img->w * (size_t)img->channels;
    uLongf raw_len = (uLongf)((stride + 1) * img->h);
    unsigned char *raw = malloc(raw_len);
    assert_non_null(raw);
    assert_int_equal(uncompress(raw, &raw_len, idat, (uLong)idat_len), Z_OK);
    assert_int_equal(raw_len, (stride + 1) * img->h);
    img->px = malloc(stride * img->h);
    assert_non_null(img->px);
    int bpp = img->channels;
    for (uint32_t y = 0; y < img->h; y++) {
        const unsigned char *in = raw + y * (stride + 1) + 1;
        unsigned char *row = img->px + y * stride;
        const unsigned char *prev = y ? row - stride : NULL;
        int filter = in[-1];
        assert_true(filter <= 4);
        for (size_t i = 0; i < stride; i++) {
            int a = i >= (size_t)bpp ? row[i - bpp] : 0;
            int b = prev ? prev[i] : 0;
            int c = prev && i >= (size_t)bpp ? prev[i - bpp] : 0;
            int v = in[i];
            switch (filter) {
            case 1: v += a; break;
            case 2: v += b; break;
            case 3: v += (a + b) / 2; break;
            case 4: v += paeth(a, b, c); break;
            default: break;
            }
            row[i] = (unsigned char)v;
        }
    }
    free(raw);
    free(idat);
    free(data);
}

/* Pixels within tolerance of colour rgb on every channel. */
static size_t count_colour(const struct image *img, uint32_t rgb, int tolerance) {
    size_t n = 0;
    for (size_t i = 0; i < (size_t)img->w * img->h; i++) {
        const unsigned char *p = img->px + i * (size_t)img->channels;
        if (abs(p[0] - (int)(rgb >> 16)) <= tolerance &&
            abs(p[1] - (int)(rgb >> 8 & 0xFF)) <= tolerance &&
            abs(p[2] - (int)(rgb & 0xFF)) <= tolerance)
            n++;
    }
    return n;
}

/* How many different colours the picture has. */
static size_t count_distinct(const struct image *img) {
    unsigned char *seen = calloc(1 << 21, 1); /* a bit per 24-bit colour */
    assert_non_null(seen);
    size_t n = 0;
    for (size_t i = 0; i < (size_t)img->w * img->h; i++) {
        const unsigned char *p = img->px + i * (size_t)img->channels;
        uint32_t c = (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
        if (!(seen[c >> 3] & (1u << (c & 7)))) {
            seen[c >> 3] |= (unsigned char)(1u << (c & 7));
            n++;
        }
    }
    free(seen);
    return n;
}

static void check_screenshot(const char *path) {
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    fprintf(stderr, "screenshot: %lld bytes\n", (long long)st.st_size);
    assert_true(st.st_size > 50 * 1024); /* a blank page of this size is a few KB */
    struct image img = {0};
    decode_png(path, &img);
    assert_int_equal(img.w, WIDTH);
    assert_int_equal(img.h, HEIGHT);
    /* Not one colour: the page background covers far from everything. */
    uint32_t bg = (uint32_t)img.px[0] << 16 | (uint32_t)img.px[1] << 8 | img.px[2];
    size_t total = (size_t)img.w * img.h, background = count_colour(&img, bg, 0);
    size_t blue = count_colour(&img, 0x0072B2, 10), vermillion = count_colour(&img, 0xD55E00, 10);
    size_t colours = count_distinct(&img);
    fprintf(stderr,
            "background %06x: %zu of %zu pixels; %zu colours; series blue %zu, "
            "vermillion %zu\n",
            bg, background, total, colours, blue, vermillion);
    assert_true(background < total * 9 / 10);
    assert_true(colours >= 64); /* text and lines are anti-aliased */
    /* Both series drawn in the first two colours: legends and table swatches
     * alone are about 500 pixels of each; lines and markers add more (fewer
     * of the first colour where the second series covers it). */
    assert_true(blue > 1200);
    assert_true(vermillion > 1200);
    free(img.px);
}

/* ---- the DOM ---- */

static void check_dom(const char *dom) {
    for (size_t c = 0; c < sizeof(CHARTS) / sizeof(CHARTS[0]); c++) {
        char open[128];
        snprintf(open, sizeof(open), "<svg id=\"chart-%s\"", CHARTS[c]);
        const char *svg = strstr(dom, open);
        if (!svg)
            fail_msg("the rendered page has no chart %s", CHARTS[c]);
        const char *end = strstr(svg, "</svg>");
        assert_non_null(end);
        const char *names[] = {NAME_A, NAME_B};
        for (int s = 0; s < 2; s++) {
            char key[256];
            snprintf(key, sizeof(key), "data-series=\"%s\" data-count=\"", names[s]);
            const char *g = strstr(svg, key);
            if (!g || g > end)
                fail_msg("chart %s: no series %s", CHARTS[c], names[s]);
            int count = atoi(g + strlen(key));
            const char *line = strstr(g, "<polyline");
            if (count < 1 || !line || line > end)
                fail_msg("chart %s: series %s has no points (%d)", CHARTS[c], names[s], count);
        }
    }
}

/* ---- compare ---- */

static void check_compare(const char *out) {
    assert_non_null(strstr(out, "A  a.json  (null-test, null-driver)\n"));
    assert_non_null(strstr(out, "B  b.json  (null-test, null-driver)\n"));
    static const char *const rows[] = {
        "Publish rate (msg/s)",        "Publish throughput (MB/s)",
        "Consume rate (msg/s)",        "Consume throughput (MB/s)",
        "Publish latency p50 (ms)",    "Publish latency p99 (ms)",
        "Publish latency p99.9 (ms)",  "Publish latency max (ms)",
        "Publish delay p50 (us)",      "Publish delay p99 (us)",
        "End-to-end latency p50 (ms)", "End-to-end latency p99 (ms)",
        "End-to-end latency max (ms)", "Publish response time p99 (ms)",
    };
    const char *header = strstr(out, "\nFigure ");
    assert_non_null(header);
    size_t width = strcspn(header + 1, "\n");
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        char key[96];
        snprintf(key, sizeof(key), "\n%s ", rows[i]);
        const char *row = strstr(out, key);
        if (!row)
            fail_msg("compare has no row \"%s\":\n%s", rows[i], out);
        row++;
        size_t len = strcspn(row, "\n");
        assert_int_equal(len, width); /* aligned: every row as wide as the header */
        /* Last column: B/A, a number (or n/a where A is 0). */
        const char *ratio = row + len;
        while (ratio > row && ratio[-1] != ' ')
            ratio--;
        char *end;
        double v = strtod(ratio, &end);
        if (strncmp(ratio, "n/a", 3) != 0 && (end == ratio || end != row + len))
            fail_msg("row \"%.*s\": no ratio", (int)len, row);
        /* The same rate twice: B/A near 1. */
        if (i == 0 || i == 2) {
            if (!runner_sanitized("the rate ratio"))
                assert_true(v > 0.8 && v < 1.25);
        }
    }
}

static void run_benchmark(const char *dir, const char *output) {
    struct ombc_run r;
    memset(&r, 0, sizeof(r));
    snprintf(r.dir, sizeof(r.dir), "%s", dir);
    char driver[1024];
    snprintf(driver, sizeof(driver), "%s/drivers/null.yaml", runner_source_dir());
    char *args[] = {"run", "-d", driver,         "--agents", "2", "--report-interval",
                    "1",   "-o", (char *)output, "w.yaml",   NULL};
    runner_run(&r, args, 120);
    if (r.status != 0)
        fprintf(stderr, "ombc run -o %s: status %d, stderr:\n%s\n", output, r.status, r.err);
    assert_int_equal(r.status, 0);
    free(r.out);
    free(r.err);
}

static void chart_renders_in_chromium(void **state) {
    (void)state;
    char chromium_buf[1024];
    const char *chromium = find_chromium(chromium_buf, sizeof(chromium_buf));
    if (!chromium)
        fail_msg("chromium not found (PATH, or OMBC_CHROMIUM): this test opens the report in "
                 "headless Chromium; install Debian's chromium package (sh scripts/setup.sh)");

    struct ombc_run r;
    runner_init(&r);
    runner_write(&r, "w.yaml",
                 "name: null-test\ntopics: 1\npartitionsPerTopic: 1\nmessageSize: 1024\n"
                 "subscriptionsPerTopic: 1\nconsumerPerSubscription: 2\n"
                 "producersPerTopic: 2\nproducerRate: 10000\n"
                 "testDurationSeconds: 3\nwarmupDurationSeconds: 1\n");
    run_benchmark(r.dir, "a.json");
    run_benchmark(r.dir, "b.json");

    char *chart_args[] = {"chart", "a.json", "b.json", "-o", "report.html", NULL};
    runner_run(&r, chart_args, 60);
    if (r.status != 0)
        fprintf(stderr, "ombc chart: %s\n", r.err);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "report.html\n");
    assert_string_equal(r.err, "");
    free(r.out);
    free(r.err);

    char url[256], profile[256], shot[256], size[64];
    snprintf(url, sizeof(url), "file://%s/report.html", r.dir);
    snprintf(profile, sizeof(profile), "--user-data-dir=%s/chromium-profile", r.dir);
    snprintf(shot, sizeof(shot), "--screenshot=%s/shot.png", r.dir);
    snprintf(size, sizeof(size), "--window-size=%d,%d", WIDTH, HEIGHT);
    char *shot_argv[] = {(char *)chromium,
                         "--headless",
                         "--no-sandbox",
                         "--disable-gpu",
                         "--disable-dev-shm-usage",
                         "--hide-scrollbars",
                         "--force-device-scale-factor=1",
                         "--enable-logging=stderr",
                         "--v=0",
                         profile,
                         size,
                         shot,
                         url,
                         NULL};
    int st = run_tool(r.dir, shot_argv, "shot.out", "shot.err", 120);
    char *err = slurp_in(r.dir, "shot.err");
    if (st != 0)
        fail_msg("chromium --screenshot: status %d, stderr:\n%s", st, err ? err : "");
    assert_no_console_messages(err, "chromium --screenshot");
    free(err);
    char shot_path[256];
    snprintf(shot_path, sizeof(shot_path), "%s/shot.png", r.dir);
    check_screenshot(shot_path);

    char *dom_argv[] = {(char *)chromium,
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-dev-shm-usage",
                        "--enable-logging=stderr",
                        "--v=0",
                        profile,
                        "--dump-dom",
                        url,
                        NULL};
    st = run_tool(r.dir, dom_argv, "dom.html", "dom.err", 120);
    err = slurp_in(r.dir, "dom.err");
    if (st != 0)
        fail_msg("chromium --dump-dom: status %d, stderr:\n%s", st, err ? err : "");
    assert_no_console_messages(err, "chromium --dump-dom");
    free(err);
    char *dom = slurp_in(r.dir, "dom.html");
    assert_non_null(dom);
    check_dom(dom);
    free(dom);

    char *compare_args[] = {"compare", "a.json", "b.json", NULL};
    runner_run(&r, compare_args, 60);
    fprintf(stderr, "ombc compare:\n%s", r.out);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.err, "");
    check_compare(r.out);
    runner_fini(&r);
}

/* Bad input: one line naming the file, exit 2. */
static void chart_and_compare_reject_bad_input(void **state) {
    (void)state;
    struct ombc_run r;
    runner_init(&r);
    runner_write(&r, "bad.json", "{\"topics\": 1,}");
    runner_write(&r, "ok.json", "{\"workload\": \"w\", \"publishRate\": [1.0]}");
    char *missing[] = {"chart", "ok.json", "nowhere.json", "-o", "r.html", NULL};
    runner_run(&r, missing, 30);
    assert_int_equal(r.status, 2);
    assert_string_equal(r.err,
                        "ombc chart: nowhere.json: cannot open: No such file or directory\n");
    assert_string_equal(r.out, "");
    free(r.out);
    free(r.err);
    char *bad[] = {"compare", "ok.json", "bad.json", NULL};
    runner_run(&r, bad, 30);
    assert_int_equal(r.status, 2);
    assert_string_equal(r.err, "ombc compare: bad.json:1: not valid JSON\n");
    free(r.out);
    free(r.err);
    char *one[] = {"compare", "ok.json", NULL};
    runner_run(&r, one, 30);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "ombc compare: two result files needed\n"));
    free(r.out);
    free(r.err);
    /* Without -o, the report goes beside the first result. */
    char *dflt[] = {"chart", "ok.json", NULL};
    runner_run(&r, dflt, 30);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "ok.html\n");
    char *html = slurp_in(r.dir, "ok.html");
    assert_non_null(html);
    assert_non_null(strstr(html, "<svg id=\"chart-publish-rate\""));
    free(html);
    runner_fini(&r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(chart_renders_in_chromium),
        cmocka_unit_test(chart_and_compare_reject_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
