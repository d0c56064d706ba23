/* catalog_business.c - GET, PATCH /api/v1/businesses/{business}: the business's settings
 * and default policies. Any staff role reads; admin and owner change. The slug and id never
 * change here. PATCH ?dry_run=1 answers the impact preview instead (a new zone moves every
 * weekly hour). */
#include <string.h>

#include "api/app.h"
#include "api/auth.h"
#include "api/catalog_rules.h"
#include "api/common.h"
#include "api/handlers.h"
#include "api/impact.h"
#include "api/live.h"
#include "store/admin_catalog.h"
#include "store/availability.h"
#include "store/business.h"
#include "store/unit.h"

static const char *const BUSINESS_FIELDS[] = {"id", "slug", "name", "timezone", "currency",
					      "locale", "address", "phone", "hold_ttl_s",
					      "no_show_grace_s", "auto_no_show", "embed_origins",
					      "listed", "logo_url", "accent_colour", "require_phone",
					      NULL};

void catalog_business_get(http_req *r)
{
	db_conn *c = app_db(r);
	business b;
	bool ok = auth_business(r, c, &b);
	if (ok)
		http_json_take(r, 200, catalog_business_json(&b));
}

/* A preview of new settings: written, every future booking checked with them, rolled back. */
typedef struct zone_preview {
	http_req *r;         /* the exchange */
	const business *nb;  /* the settings as changed */
	impact_found found;  /* what they would strand */
} zone_preview;

static status zone_preview_work(db_conn *c, void *ctx)
{
	zone_preview *z = ctx;
	status st = store_admin_business_update(c, z->nb);
	st = st == STATUS_OK ? store_catalog_touch(c, z->nb->id) : st;
	if (st != STATUS_OK)
		return st;
	impact_scope all = {.from = z->r->now, .to = INT64_MAX};
	return impact_collect(z->r, c, z->nb, &all, 1, NULL, &z->found);
}

void catalog_business_patch(http_req *r)
{
	if (!auth_require(r, ROLE_ADMIN))
		return;
	json_t *body = http_body_json(r);
	if (!body)
		return;
	const char *dry = http_query(r, "dry_run");
	bool dry_run = dry && (strcmp(dry, "1") == 0 || strcmp(dry, "true") == 0);
	if (dry && !dry_run && strcmp(dry, "0") != 0 && strcmp(dry, "false") != 0) {
		json_decref(body);
		http_field_error_add(r, "dry_run", "must be 1, true, 0 or false");
		http_problem_query(r, "invalid query parameters");
		return;
	}
	db_conn *c = app_db(r);
	business b;
	if (!auth_business(r, c, &b)) {
		json_decref(body);
		return;
	}
	errlist errs = {0};
	catalog_reader rd = {.a = r->arena, .errs = &errs, .business_id = b.id};
	catalog_unknown_keys(&rd, body, "", BUSINESS_FIELDS);
	const char *slug = json_string_value(json_object_get(body, "slug")); /* borrowed */
	const char *id = json_string_value(json_object_get(body, "id"));     /* borrowed */
	if (json_object_get(body, "slug") && !(slug && strcmp(slug, b.slug) == 0))
		errlist_add(&errs, "cannot be changed", "%s", "slug");
	if (json_object_get(body, "id") && !(id && strcmp(id, b.id) == 0))
		errlist_add(&errs, "cannot be changed", "%s", "id");
	json_t *merged = catalog_business_json(&b);
	json_object_update(merged, body); /* new references to body's values */
	business nb = b;
	catalog_business_read(&rd, merged, "", &nb);
	json_decref(merged);
	json_decref(body);
	status st = errlist_empty(&errs) ? STATUS_OK : STATUS_INVALID;
	if (st == STATUS_OK && dry_run) {
		zone_preview z = {.r = r, .nb = &nb};
		st = store_unit_preview(c, zone_preview_work, &z);
		if (st == STATUS_OK) {
			impact_answer(r, c, &b, &z.found); /* checked again as things were */
			return;
		}
	} else if (st == STATUS_OK) {
		st = store_admin_business_save(c, &nb);
	}
	if (st == STATUS_INVALID) {
		for (int i = 0; i < errs.count; i++)
			http_field_error_add(r, errs.e[i].field, "%s", errs.e[i].detail);
		http_problem(r, st, "invalid business settings");
	} else if (st != STATUS_OK) {
		api_store_error(r, c, st);
	} else {
		if (strcmp(nb.timezone, b.timezone) != 0)
			live_business_changed(c, &nb, NULL, 0, INT64_MAX, r->arena);
		http_json_take(r, 200, catalog_business_json(&nb));
	}
}
