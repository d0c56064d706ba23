/* fuzz_config.c - the configuration document: the first byte picks config_import (a new
 * business, or replacing the demo by slug) or config_replace of the demo; the rest is the
 * JSON document. Whatever the document, no crash and no sanitizer report; a document taken
 * must export (config_export), and the export must be taken again the same way. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "api/config_doc.h"
#include "api/config_export.h"
#include "base/arena.h"
#include "store/business.h"
#include "world.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void must(bool ok, const char *what, const errlist *errs)
{
	if (ok)
		return;
	fprintf(stderr, "fuzz_config: %s (%s: %s)\n", what, errs && errs->count ? errs->e[0].field : "",
		errs && errs->count ? errs->e[0].detail : "");
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static world *w;
	if (size < 1)
		return 0;
	json_t *doc = json_loadb((const char *)data + 1, size - 1, JSON_REJECT_DUPLICATES, NULL);
	if (!doc)
		return 0;
	if (!w)
		w = world_new();
	else
		world_reset(w);
	arena *a = arena_new();
	db_conn *c = db_acquire(w->db);
	errlist errs = {0};
	status st;
	const char *bid = NULL;
	if (data[0] & 1) {
		st = config_import(c, doc, (data[0] & 2) != 0, FUZZ_NOW, a, &errs, &bid);
	} else {
		st = config_replace(c, &w->demo, doc, FUZZ_NOW, a, &errs);
		bid = w->demo.id;
	}
	must(st != STATUS_INTERNAL, "the reader answered STATUS_INTERNAL", &errs);
	must(st == STATUS_OK || errs.count > 0 || st == STATUS_CONFLICT || st == STATUS_NOT_FOUND,
	     "a refused document lists no field at fault", &errs);
	if (st == STATUS_OK) {
		/* What was taken reads back, and the export is a document the reader takes. */
		business b;
		json_t *out = NULL;
		must(store_business_by_id(c, bid, a, &b) == STATUS_OK, "the business is gone", NULL);
		must(db_begin(c) == STATUS_OK, "db_begin", NULL);
		st = config_export(c, &b, a, &out);
		db_rollback(c);
		must(st == STATUS_OK, "a configuration taken does not export", NULL);
		/* By the same reader's rules: bookd import's are looser (catalog_rules.h). */
		errlist again = {0};
		st = data[0] & 1 ? config_import(c, out, true, FUZZ_NOW, a, &again, NULL)
				 : config_replace(c, &b, out, FUZZ_NOW, a, &again);
		must(st == STATUS_OK, "the export of a configuration taken is refused", &again);
		json_decref(out);
	}
	db_release(w->db, c);
	arena_free(a);
	json_decref(doc);
	return 0;
}
