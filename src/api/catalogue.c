/* catalogue.c - the public catalogue: business profile and active services (API.md). */
#include "api/common.h"
#include "api/handlers.h"
#include "api/public_json.h"
#include "store/business.h"
#include "store/catalog.h"

/* The most businesses the public list names. */
#define CATALOGUE_BUSINESSES_MAX 500

void catalogue_business_get(http_req *r)
{
	db_conn *c = app_db(r);
	business b;
	bool ok = api_business(r, c, &b);
	if (!ok)
		return;
	http_json_take(r, 200,
		       json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:I}", "slug", b.slug,
				 "name", b.name, "timezone", b.timezone, "currency", b.currency,
				 "locale", b.locale, "logo_url", b.logo_url, "accent_colour",
				 b.accent_colour, "require_phone", b.require_phone, "address",
				 b.address, "hold_ttl_s", (json_int_t)b.hold_ttl_s));
}

void catalogue_businesses_get(http_req *r)
{
	db_conn *c = app_db(r);
	business_brief *list;
	int n;
	status st = store_businesses_list(c, true, CATALOGUE_BUSINESSES_MAX, r->arena, &list, &n);
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	json_t *out = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(out, json_pack("{s:s, s:s}", "slug", list[i].slug, "name",
						     list[i].name)); /* steals */
	http_json_take(r, 200, json_pack("{s:o}", "businesses", out));
}

void catalogue_services_get(http_req *r)
{
	business b;
	db_conn *c = api_open_business(r, &b);
	if (!c)
		return;
	service *svcs;
	int n;
	status st = store_services_list(c, b.id, true, r->arena, &svcs, &n);
	provider **ps = arena_alloc(r->arena, sizeof(*ps) * (size_t)(n > 0 ? n : 1));
	int *nps = arena_alloc(r->arena, sizeof(*nps) * (size_t)(n > 0 ? n : 1));
	for (int i = 0; st == STATUS_OK && i < n; i++)
		st = store_service_providers(c, b.id, svcs[i].id, r->arena, &ps[i], &nps[i]);
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	app_db_release(r); /* the answer is written without the database */
	http_json_end(r, public_services_write(http_json_begin(r, 200), b.currency, svcs, n, ps,
					       nps));
}
