/* catalogue.c - the public catalogue: business profile and active services (API.md). */
#include "api/common.h"
#include "api/handlers.h"
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
	json_t *list = json_array();
	for (int i = 0; st == STATUS_OK && i < n; i++) {
		provider *ps;
		int np;
		st = store_service_providers(c, b.id, svcs[i].id, r->arena, &ps, &np);
		if (st != STATUS_OK)
			break;
		json_t *providers = json_array();
		for (int j = 0; j < np; j++)
			json_array_append_new(providers,
					      json_pack("{s:s, s:s}", "id", ps[j].id, "name", ps[j].name));
		/* "o" steals the new references. */
		json_array_append_new(
			list, json_pack("{s:s, s:s, s:s, s:s, s:I, s:o, s:i, s:o}", "id", svcs[i].id,
					"name", svcs[i].name, "description", svcs[i].description,
					"kind", service_kind_name(svcs[i].kind), "duration_s",
					(json_int_t)svcs[i].duration_s, "price",
					api_money(svcs[i].price_minor, b.currency), "capacity",
					svcs[i].capacity, "providers", providers));
	}
	if (st != STATUS_OK) {
		json_decref(list);
		api_store_error(r, c, st);
		return;
	}
	http_json_take(r, 200, json_pack("{s:o}", "services", list));
}
