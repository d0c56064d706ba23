/* export.c - `bookd export --business SLUG`: print a business's configuration document
 * (docs/config-format.md), which `bookd import` reads back. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "api/config_export.h"
#include "cli/cli.h"
#include "store/business.h"

int cmd_export(int argc, char **argv)
{
	const char *url = "sqlite:bookd.db", *slug = "", *file = "-";
	cli_flag flags[] = {
		{"--db", "BOOKD_DB", &url, "database URL: sqlite:PATH or postgres://..."},
		{"--business", NULL, &slug, "the slug of the business to export"},
		{"--file", NULL, &file, "where to write the JSON document (- for standard output)"},
	};
	int code = 0;
	if (!cli_parse("export",
		       "Print a business's configuration document (docs/config-format.md).", argc,
		       argv, flags, 3, &code))
		return code;
	if (!*slug) {
		fprintf(stderr, "bookd export: --business is required\n");
		return 2;
	}
	db *d;
	code = cli_open_db(url, 1, &d);
	if (code)
		return code;
	arena *a = arena_new();
	db_conn *c = db_acquire(d);
	business b;
	json_t *doc = NULL;
	status st = store_business_by_slug(c, slug, a, &b);
	if (st == STATUS_OK)
		st = db_begin(c);
	if (st == STATUS_OK) {
		st = config_export(c, &b, a, &doc);
		db_rollback(c); /* read only */
	}
	if (st == STATUS_NOT_FOUND) {
		fprintf(stderr, "bookd export: no business '%s'\n", slug);
		code = 1;
	} else if (st != STATUS_OK) {
		fprintf(stderr, "bookd export: %s: %s\n", status_name(st), db_error(c));
		code = 1;
	} else {
		int rc = strcmp(file, "-") == 0
				 ? json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER)
				 : json_dump_file(doc, file, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		if (rc != 0) {
			fprintf(stderr, "bookd export: could not write %s\n", file);
			code = 1;
		} else if (strcmp(file, "-") == 0) {
			fputc('\n', stdout);
		}
	}
	json_decref(doc);
	db_release(d, c);
	db_close(d);
	arena_free(a);
	return code;
}
