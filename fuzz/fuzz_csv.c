/* fuzz_csv.c - CSV output (api/csv): the input's NUL-separated values, in rows split at
 * 0x01, written with csv_text, read back with an RFC 4180 reader here: the cells must come
 * back as given, but for the single quote put before a value starting with = + - @ TAB or
 * CR, and no cell may start with one of those unquoted by that rule. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/csv.h"
#include "base/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_CELLS 64

static void fail(const char *what, const buf *out)
{
	fprintf(stderr, "fuzz_csv: %s\n%.*s\n", what, (int)out->len, out->data ? out->data : "");
	abort();
}

/* Reads one cell at *p (RFC 4180) into a malloc'd string; *p moves past it and its
 * separator; *row_end is set when the row ended. NULL when malformed. */
static char *read_cell(const char **p, const char *end, bool *row_end)
{
	char *o = malloc((size_t)(end - *p) + 1), *w = o;
	const char *s = *p;
	if (s < end && *s == '"') {
		for (s++;; s++) {
			if (s >= end) {
				free(o);
				return NULL;
			}
			if (*s == '"') {
				if (s + 1 < end && s[1] == '"') {
					*w++ = '"';
					s++;
					continue;
				}
				s++;
				break;
			}
			*w++ = *s;
		}
	} else {
		while (s < end && *s != ',' && *s != '\r' && *s != '"' && *s != '\n')
			*w++ = *s++;
	}
	*w = '\0';
	if (s < end && *s == ',') {
		*row_end = false;
		s++;
	} else if (end - s >= 2 && s[0] == '\r' && s[1] == '\n') {
		*row_end = true;
		s += 2;
	} else {
		free(o);
		return NULL;
	}
	*p = s;
	return o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = malloc(size + 1);
	memcpy(in, data, size);
	in[size] = '\0';
	const char *cells[MAX_CELLS];
	bool row_after[MAX_CELLS];
	int n = 0;
	for (char *p = in; p <= in + size && n < MAX_CELLS;) {
		size_t len = strcspn(p, "\x01");
		bool last_of_row = p[len] == '\x01';
		p[len] = '\0';
		cells[n] = p;
		row_after[n] = last_of_row || p + len >= in + size;
		n++;
		p += len + 1;
	}
	buf out;
	buf_init(&out, 1u << 20);
	bool first = true;
	for (int i = 0; i < n; i++) {
		if (csv_text(&out, &first, cells[i]) != STATUS_OK)
			fail("csv_text refused", &out);
		if (row_after[i] || i == n - 1)
			if (csv_row_end(&out, &first) != STATUS_OK)
				fail("csv_row_end refused", &out);
	}
	const char *p = out.data ? out.data : "", *end = p + out.len;
	for (int i = 0; i < n; i++) {
		bool row_end = false;
		char *got = read_cell(&p, end, &row_end);
		if (!got)
			fail("the output is not RFC 4180", &out);
		const char *want = cells[i];
		bool guarded = strchr("=+-@\t\r", want[0]) != NULL && want[0] != '\0';
		if (guarded ? got[0] != '\'' || strcmp(got + 1, want) != 0 : strcmp(got, want) != 0)
			fail("a cell does not read back", &out);
		if (row_end != (row_after[i] || i == n - 1))
			fail("a row ends in the wrong place", &out);
		free(got);
	}
	if (p != end)
		fail("bytes after the last row", &out);
	buf_free(&out);
	free(in);
	return 0;
}
