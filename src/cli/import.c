/* import.c - `bookd import FILE`: create a business from a configuration document. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "api/config_doc.h"
#include "api/live.h"
#include "base/clock.h"
#include "cli/cli.h"

int cmd_import(int argc, char **argv)
{
	const char *url = "sqlite:bookd.db", *replace_s = "no", *file = "";
	cli_flag flags[] = {
		{"--db", "BOOKD_DB", &url, "database URL: sqlite:PATH or postgres://..."},
		{"--replace", NULL, &replace_s, "yes: replace a business with the same slug"},
		{"--file", NULL, &file, "the JSON document to read (- for standard input)"},
	};
	int code = 0;
	if (!cli_parse("import",
		       "Create a business from a configuration document (docs/config-format.md).",
		       argc, argv, flags, 3, &code))
		return code;
	if (!*file) {
		fprintf(stderr, "bookd import: --file is required (- reads standard input)\n");
		return 2;
	}
	json_error_t jerr;
	json_t *doc = strcmp(file, "-") == 0 ? json_loadf(stdin, JSON_REJECT_DUPLICATES, &jerr)
					     : json_load_file(file, JSON_REJECT_DUPLICATES, &jerr);
	if (!doc) {
		fprintf(stderr, "bookd import: %s:%d:%d: %s\n", file, jerr.line, jerr.column, jerr.text);
		return 1;
	}
	db *d;
	code = cli_open_db(url, 1, &d);
	if (code) {
		json_decref(doc);
		return code;
	}
	arena *a = arena_new();
	db_conn *c = db_acquire(d);
	errlist errs = {0};
	const char *bid = NULL;
	status st = config_import(c, doc, strcmp(replace_s, "yes") == 0, clock_now(), a, &errs, &bid);
	if (st == STATUS_OK) {
		live_tell_servers(c, bid);
		printf("imported business %s (id %s)\n",
		       json_string_value(json_object_get(json_object_get(doc, "business"), "slug")),
		       bid);
	} else {
		fprintf(stderr, "bookd import: the document was not imported (%s)\n", status_name(st));
		for (int i = 0; i < errs.count; i++)
			fprintf(stderr, "  %s: %s\n", errs.e[i].field, errs.e[i].detail);
		if (errs.count == 0)
			fprintf(stderr, "  %s\n", db_error(c));
		code = 1;
	}
	json_decref(doc);
	db_release(d, c);
	db_close(d);
	arena_free(a);
	return code;
}
