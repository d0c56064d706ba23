/* jsonw.c - the JSON writer: structure bookkeeping and the one string escaper. */
#include "base/jsonw.h"

#include <string.h>

#include "base/utf8.h"

void jsonw_init(jsonw *w, buf *out)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
}

status jsonw_end(const jsonw *w)
{
	return w->failed || w->depth != 0 || w->out->full ? STATUS_INVALID : STATUS_OK;
}

/* Appends one byte; the common case writes into room the buffer already has. */
static inline void put_char(jsonw *w, char c)
{
	buf *b = w->out;
	if (b->len + 1 < b->cap && b->len < b->max) {
		b->data[b->len++] = c;
		b->data[b->len] = '\0';
	} else if (buf_addc(b, c) != STATUS_OK) {
		w->failed = true;
	}
}

/* Before any value: the comma that separates it from the previous one. */
static void value_start(jsonw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->has_item[w->depth])
		put_char(w, ',');
	w->has_item[w->depth] = true;
}

static void open_level(jsonw *w, char c)
{
	value_start(w);
	if (w->depth == JSONW_DEPTH) {
		w->failed = true;
		return;
	}
	put_char(w, c);
	w->has_item[++w->depth] = false;
}

static void close_level(jsonw *w, char c)
{
	if (w->depth == 0 || w->after_key) {
		w->failed = true;
		return;
	}
	put_char(w, c);
	w->depth--;
}

void jsonw_obj(jsonw *w)
{
	open_level(w, '{');
}

void jsonw_obj_end(jsonw *w)
{
	close_level(w, '}');
}

void jsonw_arr(jsonw *w)
{
	open_level(w, '[');
}

void jsonw_arr_end(jsonw *w)
{
	close_level(w, ']');
}

void jsonw_key(jsonw *w, const char *key)
{
	value_start(w);
	if (!key || jsonw_quote(w->out, key, strlen(key)) != STATUS_OK ||
	    buf_addc(w->out, ':') != STATUS_OK)
		w->failed = true;
	w->after_key = true;
}

void jsonw_key_plain(jsonw *w, const char *key, size_t n)
{
	value_start(w);
	buf *b = w->out;
	if (b->len + n + 3 < b->cap && b->len + n + 3 <= b->max) {
		char *p = b->data + b->len;
		p[0] = '"';
		memcpy(p + 1, key, n);
		p[n + 1] = '"';
		p[n + 2] = ':';
		b->len += n + 3;
		b->data[b->len] = '\0';
	} else if (buf_addc(b, '"') != STATUS_OK || buf_add(b, key, n) != STATUS_OK ||
		   buf_add(b, "\":", 2) != STATUS_OK) {
		w->failed = true;
	}
	w->after_key = true;
}

void jsonw_strn(jsonw *w, const char *s, size_t n)
{
	value_start(w);
	if (!s || jsonw_quote(w->out, s, n) != STATUS_OK)
		w->failed = true;
}

void jsonw_str(jsonw *w, const char *s)
{
	jsonw_strn(w, s, s ? strlen(s) : 0);
}

void jsonw_int(jsonw *w, int64_t v)
{
	value_start(w);
	/* Digits from the end, as printf's %lld writes them (no printf: this is hot). */
	char t[24], *e = t + sizeof(t), *q = e;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	do {
		*--q = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--q = '-';
	if (buf_add(w->out, q, (size_t)(e - q)) != STATUS_OK)
		w->failed = true;
}

void jsonw_bool(jsonw *w, bool v)
{
	value_start(w);
	if (buf_adds(w->out, v ? "true" : "false") != STATUS_OK)
		w->failed = true;
}

void jsonw_null(jsonw *w)
{
	value_start(w);
	if (buf_adds(w->out, "null") != STATUS_OK)
		w->failed = true;
}

/* The escape of control character or quote c (2 or 6 bytes) into e; its length. */
static size_t escape_of(unsigned char c, char e[6])
{
	static const char hex[] = "0123456789ABCDEF";
	e[0] = '\\';
	switch (c) {
	case '"': e[1] = '"'; return 2;
	case '\\': e[1] = '\\'; return 2;
	case '\b': e[1] = 'b'; return 2;
	case '\f': e[1] = 'f'; return 2;
	case '\n': e[1] = 'n'; return 2;
	case '\r': e[1] = 'r'; return 2;
	case '\t': e[1] = 't'; return 2;
	default:
		e[1] = 'u';
		e[2] = '0';
		e[3] = '0';
		e[4] = hex[c >> 4];
		e[5] = hex[c & 15];
		return 6;
	}
}

static inline bool plain_byte(unsigned char c)
{
	return c >= 0x20 && c != '"' && c != '\\' && c < 0x80;
}

status jsonw_quote(buf *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	/* Fast: room for the worst (every byte six) reserved once, then written in place. */
	if (n <= (out->max - out->len - 2) / 6 && out->max - out->len >= 2 &&
	    buf_reserve(out, 6 * n + 2) == STATUS_OK) {
		char *q0 = out->data + out->len, *q = q0;
		*q++ = '"';
		while (p < end) {
			unsigned char c = *p;
			if (plain_byte(c)) {
				*q++ = (char)c;
				p++;
			} else if (c >= 0x80) {
				size_t k = utf8_seq(p, (size_t)(end - p), NULL);
				if (k == 0) {
					out->data[out->len] = '\0';
					return STATUS_INVALID;
				}
				memcpy(q, p, k);
				q += k;
				p += k;
			} else {
				char e[6];
				size_t el = escape_of(c, e);
				memcpy(q, e, el);
				q += el;
				p++;
			}
		}
		*q++ = '"';
		out->len += (size_t)(q - q0);
		out->data[out->len] = '\0';
		return STATUS_OK;
	}
	/* Near the buffer's maximum: run by run, each append checked. */
	if (buf_addc(out, '"') != STATUS_OK)
		return STATUS_INVALID;
	while (p < end) {
		const unsigned char *run = p;
		while (p < end && (plain_byte(*p) || *p >= 0x80)) {
			if (*p < 0x80) {
				p++;
				continue;
			}
			size_t k = utf8_seq(p, (size_t)(end - p), NULL);
			if (k == 0)
				return STATUS_INVALID;
			p += k;
		}
		if (p > run && buf_add(out, run, (size_t)(p - run)) != STATUS_OK)
			return STATUS_INVALID;
		if (p == end)
			break;
		char e[6];
		if (buf_add(out, e, escape_of(*p, e)) != STATUS_OK)
			return STATUS_INVALID;
		p++;
	}
	return buf_addc(out, '"');
}
