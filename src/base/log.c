/* log.c - logfmt lines to stderr, one write(2) each so threads never interleave. */
#include "base/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/civil.h"
#include "base/utf8.h"

static log_level log_min = LOG_INFO;
static const char *const log_names[] = {"debug", "info", "warn", "error"};

void log_set_level(log_level level)
{
	log_min = level;
}

static void log_start(buf *line, log_level level)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	civil c = civil_from_epoch((int64_t)ts.tv_sec);
	buf_printf(line, "ts=%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ level=%s", c.year, c.month,
		   c.day, c.hour, c.min, c.sec, ts.tv_nsec / 1000000, log_names[level]);
}

static void log_emit(buf *line)
{
	buf_addc(line, '\n');
	if (line->full) { /* keep the line whole: cut and mark it */
		line->len = line->max > 16 ? line->max - 16 : 0;
		line->full = false;
		buf_adds(line, " truncated=1\n");
	}
	ssize_t r = write(STDERR_FILENO, line->data, line->len);
	(void)r;
}

void log_field(buf *b, const char *key, const char *value)
{
	if (!value)
		value = "";
	size_t n = strlen(value);
	bool quote = n == 0 || strpbrk(value, " =\"\\") != NULL || !utf8_clean_text(value, n);
	buf_printf(b, " %s=", key);
	if (!quote) {
		buf_adds(b, value);
		return;
	}
	/* Quoted, with what a reader could mistake for the line's own structure escaped: quotes,
	 * backslashes, control characters (so no value can start a line of its own or move the
	 * cursor of a terminal) and bytes that are not UTF-8, each as \xHH. */
	buf_addc(b, '"');
	const unsigned char *p = (const unsigned char *)value;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t len = utf8_seq(p + i, n - i, &cp);
		if (len == 0 || cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
			unsigned char c = p[i];
			if (c == '\n')
				buf_adds(b, "\\n");
			else if (c == '\r')
				buf_adds(b, "\\r");
			else if (c == '\t')
				buf_adds(b, "\\t");
			else if (len == 2) /* a C1 control: both bytes */
				buf_printf(b, "\\x%02x\\x%02x", c, p[i + 1]);
			else
				buf_printf(b, "\\x%02x", c);
			i += len ? len : 1;
			continue;
		}
		if (p[i] == '"' || p[i] == '\\')
			buf_addc(b, '\\');
		buf_add(b, p + i, len);
		i += len;
	}
	buf_addc(b, '"');
}

void log_fieldf(buf *b, const char *key, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	log_field(b, key, tmp);
}

void log_fields(log_level level, const buf *fields)
{
	if (level < log_min)
		return;
	buf line;
	buf_init(&line, 8192);
	log_start(&line, level);
	if (fields->len)
		buf_add(&line, fields->data, fields->len);
	log_emit(&line);
	buf_free(&line);
}

void log_msg(log_level level, const char *fmt, ...)
{
	if (level < log_min)
		return;
	char msg[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	buf f;
	buf_init(&f, 4096);
	log_field(&f, "msg", msg);
	log_fields(level, &f);
	buf_free(&f);
}
