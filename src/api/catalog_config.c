/* catalog_config.c - GET, PUT /api/v1/businesses/{business}/config: the whole
 * configuration as one document (docs/config-format.md). GET (admin and owner) answers what
 * `bookd import` reads; PUT (owner) replaces the configuration in one transaction, refusing
 * with 409 whatever would delete or move booked rows. */
#include "api/app.h"
#include "api/auth.h"
#include "api/common.h"
#include "api/config_doc.h"
#include "api/config_export.h"
#include "api/handlers.h"
#include "api/live.h"
#include "store/unit.h"

/* The export of one business, for a read unit (store/unit.h). */
typedef struct export_unit {
	const business *b; /* whose */
	arena *a;          /* for the strings read */
	json_t *doc;       /* out: the document (a new reference) */
} export_unit;

static status export_unit_work(db_conn *c, void *ctx)
{
	export_unit *u = ctx;
	return config_export(c, u->b, u->a, &u->doc);
}

/* Answers the document of b (read in one snapshot). */
static void config_answer(http_req *r, db_conn *c, const business *b, int code)
{
	export_unit u = {.b = b, .a = r->arena};
	status st = store_unit_read(c, export_unit_work, &u);
	if (st != STATUS_OK) {
		json_decref(u.doc);
		api_store_error(r, c, st);
	} else {
		http_json_take(r, code, u.doc);
	}
}

void catalog_config_get(http_req *r)
{
	if (!auth_require(r, ROLE_ADMIN))
		return;
	db_conn *c = app_db(r);
	business b;
	if (auth_business(r, c, &b))
		config_answer(r, c, &b, 200);
}

void catalog_config_put(http_req *r)
{
	if (!auth_require(r, ROLE_OWNER))
		return;
	json_t *doc = http_body_json(r);
	if (!doc)
		return;
	db_conn *c = app_db(r);
	business b;
	if (!auth_business(r, c, &b)) {
		json_decref(doc);
		return;
	}
	errlist errs = {0};
	status st = config_replace(c, &b, doc, r->now, r->arena, &errs);
	json_decref(doc);
	for (int i = 0; i < errs.count; i++)
		http_field_error_add(r, errs.e[i].field, "%s", errs.e[i].detail);
	if (st == STATUS_INVALID) {
		http_problem(r, st, "the document is not valid; nothing was changed");
	} else if (st == STATUS_CONFLICT && errs.count) {
		http_problem(r, st, "the document would delete or move booked rows; nothing was changed");
	} else if (st != STATUS_OK) {
		api_store_error(r, c, st);
	} else {
		business nb;
		st = auth_business(r, c, &nb) ? STATUS_OK : STATUS_INTERNAL;
		if (st == STATUS_OK) {
			live_business_changed(c, &nb, NULL, 0, INT64_MAX, r->arena);
			config_answer(r, c, &nb, 200);
		}
	}
}
