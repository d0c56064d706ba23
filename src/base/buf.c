/* buf.c - bounded growable buffer. */
#include "base/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

void buf_init(buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
	b->full = false;
}

void buf_free(buf *b)
{
	free(b->data);
	buf_init(b, b->max);
}

void buf_reset(buf *b)
{
	b->len = 0;
	b->full = false;
	if (b->data)
		b->data[0] = '\0';
}

status buf_reserve(buf *b, size_t extra)
{
	if (extra > b->max - b->len) {
		b->full = true;
		return STATUS_INVALID;
	}
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return STATUS_OK;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	b->data = xrealloc(b->data, cap);
	b->cap = cap;
	return STATUS_OK;
}

status buf_add(buf *b, const void *data, size_t n)
{
	if (buf_reserve(b, n) != STATUS_OK)
		return STATUS_INVALID;
	if (n)
		memcpy(b->data + b->len, data, n);
	b->len += n;
	b->data[b->len] = '\0';
	return STATUS_OK;
}

status buf_adds(buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

status buf_addc(buf *b, char c)
{
	return buf_add(b, &c, 1);
}

status buf_vprintf(buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0 || buf_reserve(b, (size_t)n) != STATUS_OK)
		return STATUS_INVALID;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return STATUS_OK;
}

status buf_printf(buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	status st = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return st;
}

char *buf_take(buf *b)
{
	char *p = b->data ? b->data : xstrdup("");
	buf_init(b, b->max);
	return p;
}
