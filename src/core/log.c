/*
 * log: formats one line per call and writes it with a single write(2), so
 * lines from agent processes and threads never interleave. The level,
 * component and format are set once at process start-up; the status line
 * is the one setting that changes while running, under a lock.
 */
#include "core/log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "core/json.h"

#define LINE_MAX_BYTES 8192
#define STATUS_MAX_BYTES 512

static enum ombc_log_level max_level = OMBC_LOG_INFO;
static char component[32] = "main";
static enum ombc_log_format log_format = OMBC_LOG_PLAIN;
static bool print_results = true;
static bool status_on;
static char status[STATUS_MAX_BYTES]; /* under status_lock */
static pthread_mutex_t status_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *const level_names[] = {"ERROR", "WARN", "INFO", "DEBUG"};

void ombc_log_init(enum ombc_log_level level, const char *name) {
    max_level = level;
    if (name)
        snprintf(component, sizeof(component), "%s", name);
}

void ombc_log_set_format(enum ombc_log_format format, bool results) {
    log_format = format;
    print_results = results;
}

enum ombc_log_format ombc_log_format(void) {
    return log_format;
}

void ombc_log_enable_status(void) {
    status_on = true;
}

/* Writes one finished line (with its newline) to fd, around the status
 * line when there is one. */
static void emit(int fd, const char *line, size_t n) {
    if (!status_on) {
        ssize_t w = write(fd, line, n);
        (void)w;
        return;
    }
    pthread_mutex_lock(&status_lock);
    char buf[LINE_MAX_BYTES + STATUS_MAX_BYTES + 16];
    size_t len = 0;
    if (status[0]) { /* clear it, print, draw it again below */
        if (fd != STDOUT_FILENO) {
            ssize_t w = write(STDOUT_FILENO, "\r\033[K", 4);
            (void)w;
        } else {
            memcpy(buf, "\r\033[K", 4);
            len = 4;
        }
    }
    if (fd == STDOUT_FILENO) {
        memcpy(buf + len, line, n);
        len += n;
        len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s", status);
        ssize_t w = write(STDOUT_FILENO, buf, len);
        (void)w;
    } else {
        ssize_t w = write(fd, line, n);
        (void)w;
        if (status[0]) {
            w = write(STDOUT_FILENO, status, strlen(status));
            (void)w;
        }
    }
    pthread_mutex_unlock(&status_lock);
}

void ombc_log_status(const char *text) {
    if (!status_on)
        return;
    pthread_mutex_lock(&status_lock);
    snprintf(status, sizeof(status), "%s", text ? text : "");
    char buf[STATUS_MAX_BYTES + 8];
    int n = snprintf(buf, sizeof(buf), "\r\033[K%s", status);
    ssize_t w = write(STDOUT_FILENO, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
    (void)w;
    pthread_mutex_unlock(&status_lock);
}

static void vlog(int fd, enum ombc_log_level level, const char *who, const char *event,
                 const char *fields, const char *fmt, va_list ap) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    char line[LINE_MAX_BYTES];
    int n;
    if (log_format == OMBC_LOG_JSON) {
        char message[LINE_MAX_BYTES / 2];
        vsnprintf(message, sizeof(message), fmt, ap);
        gmtime_r(&tv.tv_sec, &tm);
        n = snprintf(line, sizeof(line),
                     "{\"time\":\"%04d-%02d-%02dT%02d:%02d:%02d.%03dZ\",\"level\":\"%s\","
                     "\"component\":\"%s\",\"logger\":\"%s\",\"event\":\"%s\"%s%s,\"message\":\"",
                     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                     tm.tm_sec, (int)(tv.tv_usec / 1000), level_names[level], component, who,
                     event, fields && fields[0] ? "," : "", fields ? fields : "");
        if (n < 0 || (size_t)n >= sizeof(line) - 8)
            return; /* fields too long to be a line: never the case for ours */
        /* cut at a whole escape if need be, leaving room for "}\n */
        ombc_json_escape(line + n, sizeof(line) - 3 - (size_t)n, message);
        n += (int)strlen(line + n);
        line[n++] = '"';
        line[n++] = '}';
        fd = STDOUT_FILENO;
    } else {
        localtime_r(&tv.tv_sec, &tm);
        n = snprintf(line, sizeof(line), "%02d:%02d:%02d.%03d [%s] %-5s %s - ", tm.tm_hour,
                     tm.tm_min, tm.tm_sec, (int)(tv.tv_usec / 1000), component,
                     level_names[level], who);
        if (n > 0 && (size_t)n < sizeof(line))
            n += vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
        if (n < 0)
            return;
        if ((size_t)n >= sizeof(line) - 1)
            n = (int)sizeof(line) - 2;
    }
    line[n++] = '\n';
    emit(fd, line, (size_t)n);
}

void ombc_log(enum ombc_log_level level, const char *who, const char *fmt, ...) {
    if (level > max_level)
        return;
    va_list ap;
    va_start(ap, fmt);
    vlog(STDERR_FILENO, level, who, "log", NULL, fmt, ap);
    va_end(ap);
}

void ombc_log_event(enum ombc_log_level level, const char *who, const char *event,
                    const char *fields, const char *fmt, ...) {
    if (level > max_level)
        return;
    va_list ap;
    va_start(ap, fmt);
    vlog(STDERR_FILENO, level, who, event, fields, fmt, ap);
    va_end(ap);
}

void ombc_log_result(const char *who, const char *event, const char *fields, const char *fmt,
                     ...) {
    if (!print_results)
        return;
    va_list ap;
    va_start(ap, fmt);
    vlog(STDOUT_FILENO, OMBC_LOG_INFO, who, event, fields, fmt, ap);
    va_end(ap);
}
