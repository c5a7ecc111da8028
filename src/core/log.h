/*
 * log: leveled diagnostics to stderr, in OMB's log4j layout
 * ("HH:mm:ss.SSS [component] INFO  Name - message"). stdout is for results;
 * diagnostics go to stderr, OMB's period and aggregated lines to stdout.
 * Thread-safe (one write(2) per line). Never called on the per-message path.
 */
#ifndef OMBC_CORE_LOG_H
#define OMBC_CORE_LOG_H

enum ombc_log_level { OMBC_LOG_ERROR = 0, OMBC_LOG_WARN, OMBC_LOG_INFO, OMBC_LOG_DEBUG };

/** @brief Sets the most verbose level printed (default INFO) and the name
 *  shown in brackets (e.g. "main", "agent-1"). Call once at start-up. */
void ombc_log_init(enum ombc_log_level level, const char *component);

/** @brief Logs one line at level from logger `who` (e.g. "WorkloadGenerator"). */
void ombc_log(enum ombc_log_level level, const char *who, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/** @brief Writes a result line (OMB's period and aggregated lines) to stdout
 *  in the same layout at INFO, whatever the level. */
void ombc_log_result(const char *who, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define OMBC_ERROR(who, ...) ombc_log(OMBC_LOG_ERROR, who, __VA_ARGS__)
#define OMBC_WARN(who, ...) ombc_log(OMBC_LOG_WARN, who, __VA_ARGS__)
#define OMBC_INFO(who, ...) ombc_log(OMBC_LOG_INFO, who, __VA_ARGS__)
#define OMBC_DEBUG(who, ...) ombc_log(OMBC_LOG_DEBUG, who, __VA_ARGS__)

#endif
