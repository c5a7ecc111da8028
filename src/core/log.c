/*
 * log: formats one line per call and writes it to stderr with a single
 * write(2), so lines from agent processes and threads never interleave.
 * The level and component are set once at process start-up.
 */
#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static enum ombc_log_level max_level = OMBC_LOG_INFO;
static char component[32] = "main";

void ombc_log_init(enum ombc_log_level level, const char *name) {
    max_level = level;
    if (name)
        snprintf(component, sizeof(component), "%s", name);
}

static void vlog(int fd, enum ombc_log_level level, const char *who, const char *fmt,
                 va_list ap) {
    static const char *const names[] = {"ERROR", "WARN", "INFO", "DEBUG"};
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    localtime_r(&tv.tv_sec, &tm);

    char line[4096];
    int n = snprintf(line, sizeof(line), "%02d:%02d:%02d.%03d [%s] %-5s %s - ", tm.tm_hour,
                     tm.tm_min, tm.tm_sec, (int)(tv.tv_usec / 1000), component, names[level],
                     who);
    if (n > 0 && (size_t)n < sizeof(line))
        n += vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
    if (n < 0)
        return;
    if ((size_t)n >= sizeof(line) - 1)
        n = (int)sizeof(line) - 2;
    line[n++] = '\n';
    ssize_t w = write(fd, line, (size_t)n);
    (void)w;
}

void ombc_log(enum ombc_log_level level, const char *who, const char *fmt, ...) {
    if (level > max_level)
        return;
    va_list ap;
    va_start(ap, fmt);
    vlog(STDERR_FILENO, level, who, fmt, ap);
    va_end(ap);
}

void ombc_log_result(const char *who, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vlog(STDOUT_FILENO, OMBC_LOG_INFO, who, fmt, ap);
    va_end(ap);
}
