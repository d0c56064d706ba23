/* csv.c - RFC 4180 cells, quoted only when needed, guarded against formula injection. */
#include "api/csv.h"

#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

static status sep(buf *out, bool *first)
{
	if (*first) {
		*first = false;
		return STATUS_OK;
	}
	return buf_addc(out, ',');
}

status csv_text(buf *out, bool *first, const char *value)
{
	status st = sep(out, first);
	const char *v = value ? value : "";
	if (st != STATUS_OK || !*v)
		return st;
	/* Spreadsheets run a cell starting with one of these as a formula. */
	bool guard = strchr("=+-@\t\r", v[0]) != NULL;
	bool quote = guard || strpbrk(v, ",\"\r\n") != NULL;
	if (quote)
		st = buf_addc(out, '"');
	if (st == STATUS_OK && guard)
		st = buf_addc(out, '\'');
	for (const char *p = v; st == STATUS_OK && *p; p++) {
		if (*p == '"')
			st = buf_add(out, "\"\"", 2);
		else
			st = buf_addc(out, *p);
	}
	if (st == STATUS_OK && quote)
		st = buf_addc(out, '"');
	return st;
}

status csv_int(buf *out, bool *first, int64_t value)
{
	status st = sep(out, first);
	if (st == STATUS_OK)
		st = buf_printf(out, "%" PRId64, value);
	return st;
}

status csv_row_end(buf *out, bool *first)
{
	*first = true;
	return buf_add(out, "\r\n", 2);
}
