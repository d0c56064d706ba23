/* config_export.c - the whole configuration of a business as one document (export), written
 * with the rules of catalog_rules.c so that import and replace read it back. */
#include "api/config_loyalty.h"
#include "api/config_export.h"

#include "api/catalog_rules.h"
#include "api/config_calendar.h"
#include "api/config_extras.h"
#include "api/protection_rules.h"
#include "api/assign_rules.h"
#include "api/customer_overlap.h"

#include "api/blackout_rules.h"
#include "core/tz.h"
#include "store/pricing.h"
#include "store/admin_catalog.h"
#include "store/admin_schedule.h"
#include "store/catalog.h"
#include "store/protection.h"
#include "store/waitlist.h"

/* json_array_append_new of row without the given keys. */
static void append_without(json_t *arr, json_t *row, const char *k1, const char *k2)
{
	if (k1)
		json_object_del(row, k1);
	if (k2)
		json_object_del(row, k2);
	json_array_append_new(arr, row); /* steals row */
}

/* Appends "providers", "resources" and "services" (with their links) to doc. */
static status export_catalogue(db_conn *c, const business *b, arena *a, json_t *doc)
{
	provider *ps;
	resource *rs;
	service *ss;
	int np, nr, ns;
	status st = store_admin_providers_list(c, b->id, a, &ps, &np);
	if (st == STATUS_OK)
		st = store_admin_resources_list(c, b->id, a, &rs, &nr);
	if (st == STATUS_OK)
		st = store_services_list(c, b->id, false, a, &ss, &ns);
	if (st != STATUS_OK)
		return st;
	json_t *arr = json_array();
	for (int i = 0; i < np; i++)
		append_without(arr, catalog_provider_json(&ps[i]), "user_id", NULL);
	json_object_set_new(doc, "providers", arr);
	arr = json_array();
	for (int i = 0; i < nr; i++)
		append_without(arr, catalog_resource_json(&rs[i]), NULL, NULL);
	json_object_set_new(doc, "resources", arr);
	arr = json_array();
	for (int i = 0; st == STATUS_OK && i < ns; i++) {
		catalog_links l = {0};
		st = store_admin_service_links(c, b->id, ss[i].id, a, &l.providers, &l.n_providers,
					       &l.resources, &l.n_resources);
		if (st == STATUS_OK)
			append_without(arr, catalog_service_json(&ss[i], &l), NULL, NULL);
	}
	json_object_set_new(doc, "services", arr);
	return st;
}

/* Appends "schedules", "overrides", "time_off", "closures" and "sessions" to doc. */
static status export_schedule(db_conn *c, const business *b, const tz *z, arena *a,
			      json_t *doc)
{
	sched_filter all = {0};
	sched_rule *rules;
	sched_override *ovs;
	sched_time_off *offs;
	sched_closure *cls;
	sched_session *ses;
	int nrules, novs, noffs, ncls, nses;
	status st = store_rules_list(c, b->id, &all, a, &rules, &nrules);
	if (st == STATUS_OK)
		st = store_overrides_list(c, b->id, &all, a, &ovs, &novs);
	if (st == STATUS_OK)
		st = store_time_off_list(c, b->id, &all, a, &offs, &noffs);
	if (st == STATUS_OK)
		st = store_closures_list(c, b->id, &all, a, &cls, &ncls);
	if (st == STATUS_OK)
		st = store_sessions_list(c, b->id, &all, a, &ses, &nses);
	if (st != STATUS_OK)
		return st;
	json_t *arr = json_array();
	for (int i = 0; i < nrules; i++)
		append_without(arr, catalog_rule_json(&rules[i]), "id", NULL);
	json_object_set_new(doc, "schedules", arr);
	arr = json_array();
	for (int i = 0; i < novs; i++) {
		json_t *row = catalog_override_json(&ovs[i]);
		json_object_del(row, "id");
		append_without(arr, row, ovs[i].closed ? "start" : NULL, ovs[i].closed ? "end" : NULL);
	}
	json_object_set_new(doc, "overrides", arr);
	arr = json_array();
	for (int i = 0; i < noffs; i++)
		append_without(arr, catalog_time_off_json(&offs[i], z), "id", NULL);
	json_object_set_new(doc, "time_off", arr);
	arr = json_array();
	for (int i = 0; i < ncls; i++)
		append_without(arr, catalog_closure_json(&cls[i]), "id", NULL);
	json_object_set_new(doc, "closures", arr);
	blackout *bos;
	int nbos;
	st = store_blackouts_list(c, b->id, NULL, 0, a, &bos, &nbos);
	if (st != STATUS_OK)
		return st;
	arr = json_array();
	for (int i = 0; i < nbos; i++)
		append_without(arr, catalog_blackout_json(&bos[i], z), "id", NULL);
	json_object_set_new(doc, "blackouts", arr);
	arr = json_array();
	for (int i = 0; i < nses; i++)
		append_without(arr, catalog_session_json(&ses[i], z), "end", NULL);
	json_object_set_new(doc, "sessions", arr);
	return STATUS_OK;
}

/* Appends "assignment" (the auto-assignment policy and the providers' priorities) and
 * "customer_overlap" (whether one customer may hold overlapping bookings). */
static status export_assign(db_conn *c, const business *b, json_t *doc)
{
	arena *a = arena_new();
	assign_settings s;
	assign_prio *p = NULL;
	int n = 0;
	status st = assign_settings_get(c, b->id, &s);
	if (st == STATUS_OK)
		st = assign_priorities(c, b->id, a, &p, &n);
	if (st == STATUS_OK) /* steals */
		json_object_set_new(doc, "assignment", assign_json(&s, p, n, false));
	bool refuse = true;
	overlap_service *ov = NULL;
	int nov = 0;
	if (st == STATUS_OK)
		st = overlap_policy_get(c, b->id, &refuse);
	if (st == STATUS_OK)
		st = overlap_services(c, b->id, a, &ov, &nov);
	int kept = 0; /* only the services that allow it: the rest is the default */
	for (int i = 0; st == STATUS_OK && i < nov; i++)
		if (ov[i].allowed)
			ov[kept++] = ov[i];
	nov = kept;
	if (st == STATUS_OK) /* steals */
		json_object_set_new(doc, "customer_overlap",
				    customer_overlap_json(refuse, ov, nov, false));
	arena_free(a);
	return st;
}

/* Appends "protection" and "waitlist": settings kept beside the business row. */
static status export_settings(db_conn *c, const business *b, json_t *doc)
{
	protection p;
	int64_t offer_s = 0;
	status st = store_protection_get(c, b->id, &p);
	if (st == STATUS_OK)
		st = waitlist_offer_s_get(c, b->id, &offer_s);
	if (st != STATUS_OK)
		return st;
	json_object_set_new(doc, "protection", protection_json(&p));
	json_object_set_new(doc, "waitlist", json_pack("{s:I}", "offer_s", (json_int_t)offer_s));
	json_t *pricing = NULL; /* owned, stolen below */
	st = store_pricing_all(c, b->id, &pricing);
	if (st != STATUS_OK) {
		json_decref(pricing);
		return st;
	}
	json_object_set_new(doc, "pricing", pricing);
	st = config_loyalty_export(c, b, doc);
	return st == STATUS_OK ? export_assign(c, b, doc) : st;
}

status config_export(db_conn *c, const business *b, arena *a, json_t **out)
{
	const tz *z = tz_get(b->timezone);
	if (!z)
		z = tz_get("UTC");
	json_t *doc = json_object();
	json_t *biz = catalog_business_json(b);
	json_object_del(biz, "id");
	json_object_set_new(doc, "business", biz); /* steals */
	status st = export_catalogue(c, b, a, doc);
	if (st == STATUS_OK)
		st = export_schedule(c, b, z, a, doc);
	if (st == STATUS_OK)
		st = export_settings(c, b, doc);
	if (st == STATUS_OK)
		st = config_extras_export(c, b->id, a, doc);
	if (st == STATUS_OK)
		st = config_calendar_export(c, b, a, doc);
	if (st != STATUS_OK) {
		json_decref(doc);
		return st;
	}
	*out = doc;
	return STATUS_OK;
}
