/* template.c - placeholder substitution with explicit escaping. */
#include "notify/template.h"

#include <stdio.h>
#include <string.h>

const char *const TMPL_NAMES[] = {
	"business_name", "business_address", "business_phone", "customer_name", "service_name",
	"provider_name", "start", "start_date", "start_time", "zone", "end_time", "reference",
	"manage_link", "opt_out_link", "status", "reason", "refund", NULL,
};

status tmpl_escape_html(buf *out, const char *s)
{
	status st = STATUS_OK;
	for (const char *p = s ? s : ""; *p && st == STATUS_OK; p++) {
		switch (*p) {
		case '&': st = buf_adds(out, "&amp;"); break;
		case '<': st = buf_adds(out, "&lt;"); break;
		case '>': st = buf_adds(out, "&gt;"); break;
		case '"': st = buf_adds(out, "&quot;"); break;
		case '\'': st = buf_adds(out, "&#39;"); break;
		default: st = buf_addc(out, *p);
		}
	}
	return st;
}

static const char *tmpl_lookup(const tmpl_var *vars, size_t n, const char *name, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(vars[i].name) == len && memcmp(vars[i].name, name, len) == 0)
			return vars[i].value ? vars[i].value : "";
	return "";
}

/* The placeholder name at p (after "{{"), trimmed; its length in *len; NULL when the
 * placeholder is not closed. *next is after the closing braces. */
static const char *tmpl_name(const char *p, size_t *len, const char **next)
{
	const char *end = strstr(p, "}}");
	if (!end)
		return NULL;
	while (p < end && *p == ' ')
		p++;
	const char *e = end;
	while (e > p && e[-1] == ' ')
		e--;
	*len = (size_t)(e - p);
	*next = end + 2;
	return p;
}

status tmpl_render(const char *text, const tmpl_var *vars, size_t n, bool html, buf *out)
{
	const char *p = text ? text : "";
	status st = STATUS_OK;
	while (*p && st == STATUS_OK) {
		const char *open = strstr(p, "{{");
		if (!open)
			return buf_adds(out, p);
		st = buf_add(out, p, (size_t)(open - p));
		size_t len;
		const char *next;
		const char *name = tmpl_name(open + 2, &len, &next);
		if (!name) /* an unclosed "{{" is text */
			return st == STATUS_OK ? buf_adds(out, open) : st;
		const char *value = tmpl_lookup(vars, n, name, len);
		if (st == STATUS_OK)
			st = html ? tmpl_escape_html(out, value) : buf_adds(out, value);
		p = next;
	}
	return st;
}

status tmpl_check(const char *text, char *why, size_t whylen)
{
	const char *p = text ? text : "";
	while ((p = strstr(p, "{{")) != NULL) {
		size_t len;
		const char *next;
		const char *name = tmpl_name(p + 2, &len, &next);
		if (!name) {
			snprintf(why, whylen, "a {{ is not closed with }}");
			return STATUS_INVALID;
		}
		bool known = false;
		for (size_t i = 0; TMPL_NAMES[i] && !known; i++)
			known = strlen(TMPL_NAMES[i]) == len && memcmp(TMPL_NAMES[i], name, len) == 0;
		if (!known) {
			snprintf(why, whylen, "unknown placeholder {{%.*s}}", (int)(len < 40 ? len : 40), name);
			return STATUS_INVALID;
		}
		p = next;
	}
	return STATUS_OK;
}
