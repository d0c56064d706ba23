/* log.h - structured log lines (logfmt: key=value) on standard error. */
#ifndef BOOKD_LOG_H
#define BOOKD_LOG_H

#include "base/buf.h"

typedef enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR } log_level;

/* Lines below this level are dropped. Set once at start; default LOG_INFO. */
void log_set_level(log_level level);

/* Writes one line "ts=... level=... msg=..." with the formatted message. Thread-safe:
 * each line is written with one write(2). */
void log_msg(log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

/* For lines with fields: append " key=value" to b, quoting and escaping the value when
 * needed, then hand b to log_fields. */
void log_field(buf *b, const char *key, const char *value);
void log_fieldf(buf *b, const char *key, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void log_fields(log_level level, const buf *fields);

#endif
