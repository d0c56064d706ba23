/* jsonw.c - the JSON writer: structure bookkeeping and the one string escaper. */
#include "base/jsonw.h"

#include <inttypes.h>
#include <stdio.h>
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

/* Before any value: the comma that separates it from the previous one. */
static void value_start(jsonw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->has_item[w->depth] && buf_addc(w->out, ',') != STATUS_OK)
		w->failed = true;
	w->has_item[w->depth] = true;
}

static void open_level(jsonw *w, char c)
{
	value_start(w);
	if (w->depth == JSONW_DEPTH || buf_addc(w->out, c) != STATUS_OK) {
		w->failed = true;
		return;
	}
	w->has_item[++w->depth] = false;
}

static void close_level(jsonw *w, char c)
{
	if (w->depth == 0 || w->after_key || buf_addc(w->out, c) != STATUS_OK) {
		w->failed = true;
		return;
	}
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
	char t[24];
	int n = snprintf(t, sizeof(t), "%" PRId64, v);
	if (buf_add(w->out, t, (size_t)n) != STATUS_OK)
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

status jsonw_quote(buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	if (buf_addc(out, '"') != STATUS_OK)
		return STATUS_INVALID;
	while (p < end) {
		/* The longest stretch that needs no escape goes in one append. */
		const unsigned char *run = p;
		while (p < end && *p >= 0x20 && *p != '"' && *p != '\\' && *p < 0x80)
			p++;
		while (p < end && *p >= 0x80) {
			size_t k = utf8_seq(p, (size_t)(end - p), NULL);
			if (k == 0)
				return STATUS_INVALID;
			p += k;
			while (p < end && *p >= 0x20 && *p != '"' && *p != '\\' && *p < 0x80)
				p++;
		}
		if (p > run && buf_add(out, run, (size_t)(p - run)) != STATUS_OK)
			return STATUS_INVALID;
		if (p == end)
			break;
		char e[6] = {'\\', 0};
		size_t el = 2;
		switch (*p) {
		case '"': e[1] = '"'; break;
		case '\\': e[1] = '\\'; break;
		case '\b': e[1] = 'b'; break;
		case '\f': e[1] = 'f'; break;
		case '\n': e[1] = 'n'; break;
		case '\r': e[1] = 'r'; break;
		case '\t': e[1] = 't'; break;
		default:
			e[1] = 'u';
			e[2] = '0';
			e[3] = '0';
			e[4] = hex[*p >> 4];
			e[5] = hex[*p & 15];
			el = 6;
		}
		if (buf_add(out, e, el) != STATUS_OK)
			return STATUS_INVALID;
		p++;
	}
	return buf_addc(out, '"');
}
