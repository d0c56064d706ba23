/* buf.h - the growable byte buffer with a maximum fixed at creation. */
#ifndef BOOKD_BUF_H
#define BOOKD_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/status.h"

typedef struct buf {
	char *data;  /* owned; always NUL-terminated after any append (len excludes it) */
	size_t len;  /* bytes used */
	size_t cap;  /* bytes allocated */
	size_t max;  /* the most len may ever reach; appends past it fail */
	bool full;   /* set once an append was refused for the maximum */
} buf;

/* Starts an empty buffer that will never hold more than max bytes. */
void buf_init(buf *b, size_t max);
/* Frees the storage; the buffer may be buf_init'ed again. */
void buf_free(buf *b);
/* Empties the buffer, keeping its storage. */
void buf_reset(buf *b);

/* Makes room for extra more bytes (and the NUL) without changing len, so a caller may write
 * up to extra bytes at data + len and then raise len; STATUS_INVALID (and full set) when
 * len + extra would pass max. */
status buf_reserve(buf *b, size_t extra);

/* Append; each returns STATUS_INVALID (and sets full) when max would be passed,
 * leaving the buffer as it was. */
status buf_add(buf *b, const void *data, size_t n);
status buf_adds(buf *b, const char *s);
status buf_addc(buf *b, char c);
status buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
status buf_vprintf(buf *b, const char *fmt, va_list ap);

/* Hands the NUL-terminated data to the caller (free with free()); the buffer is left empty. */
char *buf_take(buf *b);

#endif
