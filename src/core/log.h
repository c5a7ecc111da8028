/*
 * log: leveled diagnostics and a run's events, in one of two formats.
 *   - plain: OMB's log4j layout ("HH:mm:ss.SSS [component] INFO  Name -
 *     message"); diagnostics to stderr, OMB's period and aggregated lines
 *     (result lines) to stdout. On a terminal, a status line can stay at
 *     the bottom of stdout: every line printed clears it and draws it again.
 *   - json (--log-format json): one JSON object per line on stdout for every
 *     line either would print, with the event's figures as fields.
 * Thread-safe (one write(2) per line). Never called on the per-message path.
 * Configured once at process start-up (the settings are the process's own).
 */
#ifndef OMBC_CORE_LOG_H
#define OMBC_CORE_LOG_H

#include <stdbool.h>

enum ombc_log_level { OMBC_LOG_ERROR = 0, OMBC_LOG_WARN, OMBC_LOG_INFO, OMBC_LOG_DEBUG };

enum ombc_log_format { OMBC_LOG_PLAIN = 0, OMBC_LOG_JSON };

/** @brief Sets the most verbose level printed (default INFO) and the name
 *  shown in brackets (e.g. "main", "agent-1"). Call once at start-up. */
void ombc_log_init(enum ombc_log_level level, const char *component);

/** @brief Selects the format (default plain); results false leaves out
 *  result lines and events (--quiet). Call once at start-up. */
void ombc_log_set_format(enum ombc_log_format format, bool results);

/** @brief The format set, for passing on to agent processes. */
enum ombc_log_format ombc_log_format(void);

/** @brief Logs one line at level from logger `who` (e.g. "WorkloadGenerator"). */
void ombc_log(enum ombc_log_level level, const char *who, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/**
 * @brief Logs an event: as a plain line (the message), or as a JSON object
 * with "event": event, the fields (JSON members text, e.g.
 * "\"phase\":\"test\",\"seconds\":60", or NULL) and "message".
 */
void ombc_log_event(enum ombc_log_level level, const char *who, const char *event,
                    const char *fields, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/** @brief A result line (OMB's period and aggregated lines): to stdout at
 *  INFO whatever the level, as a plain line or a JSON event with fields;
 *  nothing when results are off. */
void ombc_log_result(const char *who, const char *event, const char *fields, const char *fmt,
                     ...) __attribute__((format(printf, 4, 5)));

/** @brief Turns the status line on (plain format only, stdout a terminal:
 *  the caller checks). */
void ombc_log_enable_status(void);

/** @brief Replaces the status line (NULL or "" removes it). */
void ombc_log_status(const char *text);

#define OMBC_ERROR(who, ...) ombc_log(OMBC_LOG_ERROR, who, __VA_ARGS__)
#define OMBC_WARN(who, ...) ombc_log(OMBC_LOG_WARN, who, __VA_ARGS__)
#define OMBC_INFO(who, ...) ombc_log(OMBC_LOG_INFO, who, __VA_ARGS__)
#define OMBC_DEBUG(who, ...) ombc_log(OMBC_LOG_DEBUG, who, __VA_ARGS__)

#endif
