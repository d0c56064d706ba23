/* pricing.c - dynamic pricing routes: a service's rules, the public quote, slot prices. */
#include "api/pricing.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "api/app.h"
#include "api/auth.h"
#include "api/booking_json.h"
#include "api/common.h"
#include "api/live.h"
#include "core/pricing.h"
#include "core/tz.h"
#include "store/catalog.h"
#include "store/pricing.h"

/* The longest span a quote prices (as availability's range). */
#define PRICING_QUOTE_MAX_S (93LL * 86400)

static bool service_of(http_req *r, db_conn *c, business *b, service *svc)
{
	if (!auth_business(r, c, b))
		return false;
	const char *sid = http_param(r, "service");
	status st = store_service_get(c, b->id, sid ? sid : "", r->arena, svc);
	if (st == STATUS_NOT_FOUND)
		http_problem(r, st, "no such service");
	else if (st != STATUS_OK)
		api_store_error(r, c, st);
	return st == STATUS_OK;
}

/* The stored document as JSON (an empty object when none). */
static json_t *doc_json(const char *text)
{
	json_t *d = text && text[0] ? json_loads(text, 0, NULL) : NULL;
	return d ? d : json_object();
}

void pricing_service_get(http_req *r)
{
	db_conn *c = app_db(r);
	business b;
	service svc;
	if (!service_of(r, c, &b, &svc))
		return;
	const char *text;
	status st = store_pricing_get(c, b.id, svc.id, r->arena, &text);
	if (st != STATUS_OK)
		api_store_error(r, c, st);
	else
		http_json_take(r, 200, doc_json(text));
}

void pricing_service_put(http_req *r)
{
	json_t *body = http_body_json(r); /* owned */
	if (!body)
		return;
	pricing_rules *rules = arena_alloc(r->arena, sizeof(*rules));
	char field[96] = "";
	/* Stored as the server writes it: keys sorted, compact. */
	char *text = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(body);
	status st = text ? pricing_parse(text, rules, field, sizeof(field)) : STATUS_INVALID;
	if (st != STATUS_OK) {
		free(text);
		http_field_error_add(r, field[0] ? field : "pricing",
				     "is not valid here (README \"Dynamic pricing\")");
		http_problem(r, STATUS_INVALID, "invalid pricing rules");
		return;
	}
	const char *stored = pricing_empty(rules) ? "" : arena_strdup(r->arena, text);
	free(text);
	db_conn *c = app_db(r);
	business b;
	service svc;
	if (!service_of(r, c, &b, &svc))
		return;
	st = store_pricing_put(c, b.id, svc.id, stored, r->now);
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	/* Slot prices change with the rules: cached answers go, open pages refresh. */
	live_business_changed(c, &b, svc.id, 0, INT64_MAX, r->arena);
	http_json_take(r, 200, doc_json(stored));
}

void pricing_body_read(http_req *r, const json_t *body, book_request *rq)
{
	const json_t *ad = json_object_get(body, "addons"); /* borrowed */
	if (ad && !json_is_null(ad)) {
		if (!json_is_array(ad) || json_array_size(ad) > PRICING_MAX_ADDONS) {
			http_field_error_add(r, "addons", "must be a list of at most %d add-on ids",
					     PRICING_MAX_ADDONS);
		} else {
			size_t n = json_array_size(ad);
			const char **ids = arena_alloc(r->arena, (n ? n : 1) * sizeof(*ids));
			for (size_t i = 0; i < n; i++) {
				const char *s = json_string_value(json_array_get(ad, i));
				if (!s || !*s || strlen(s) >= PRICING_NAME_MAX) {
					http_field_error_add(r, "addons", "must hold add-on ids (text)");
					return;
				}
				ids[i] = arena_strdup(r->arena, s);
			}
			rq->addons = ids;
			rq->n_addons = n;
		}
	}
	const char *loc = booking_body_str(r, body, "location", "location", PRICING_NAME_MAX - 1, false);
	rq->location = loc && *loc ? loc : NULL;
}

bool pricing_refusal_field(http_req *r, status st, const book_result *res)
{
	if (st != STATUS_INVALID || !res->why || strncmp(res->why, "no add-on ", 10) != 0)
		return false;
	http_field_error_add(r, "addons", "%s", res->why);
	return true;
}

/* Whether any pricing rules exist, as last read under the answer cache's change version:
 * every change of rules moves that version (live_business_changed here, NOTIFY from other
 * processes, db_data_changed for commits of other SQLite processes), so while it stands
 * still and no rules existed, availability answers skip reading them. */
static _Atomic uint64_t none_at_version = UINT64_MAX;

status pricing_slot_prices(http_req *r, db_conn *c, uint64_t version, const business *b,
			   const service *svc, const avail_slot *slots, size_t n, bool *has_rules,
			   int64_t **prices_out)
{
	*prices_out = NULL;
	*has_rules = false;
	if (atomic_load(&none_at_version) == version)
		return STATUS_OK;
	bool any = true;
	status st = store_pricing_any(c, &any);
	if (st != STATUS_OK)
		return st;
	if (!any) {
		atomic_store(&none_at_version, version);
		return STATUS_OK;
	}
	pricing_rules *rules;
	st = store_pricing_load(c, b->id, svc->id, r->arena, &rules);
	if (st != STATUS_OK || !rules)
		return st;
	*has_rules = true;
	const tz *zone = tz_get(b->timezone);
	if (!zone || svc->kind == SERVICE_RENTAL || n == 0)
		return STATUS_OK;
	int64_t *prices = arena_alloc(r->arena, n * sizeof(*prices));
	bool varies = false;
	pricing_quote q;
	for (size_t i = 0; i < n; i++) {
		pricing_input in = {.svc = svc, .zone = zone, .start = slots[i].start,
				    .end = slots[i].end, .now = r->now, .seats = 1,
				    .resource_id = slots[i].n_resources ? slots[i].resources[0] : NULL};
		prices[i] = pricing_quote_make(rules, &in, &q, NULL) == STATUS_OK ? q.total_minor
										  : svc->price_minor;
		varies = varies || prices[i] != svc->price_minor;
	}
	if (varies)
		*prices_out = prices;
	return STATUS_OK;
}

/* GET /api/v1/public/{business}/quote?service=&start=&end=&seats=&addons=a,b&location=
 * &resource=: what booking that span would cost now, line by line, with the add-ons the
 * service offers. Prices only: whether the span is free is availability's answer. */
void pricing_quote_get(http_req *r)
{
	business b;
	db_conn *c = app_db(r);
	if (!api_business(r, c, &b))
		return;
	const char *sid = http_query(r, "service");
	if (!sid || !*sid)
		http_field_error_add(r, "service", "is required");
	int64_t start = 0, end = 0;
	const char *s = http_query(r, "start"), *e = http_query(r, "end");
	if (!s || !tz_parse_rfc3339(s, strlen(s), &start))
		http_field_error_add(r, "start", "must be an RFC 3339 instant");
	if (e && *e && !tz_parse_rfc3339(e, strlen(e), &end))
		http_field_error_add(r, "end", "must be an RFC 3339 instant");
	int seats = booking_query_seats(r, http_query(r, "seats"));
	const char *loc = http_query(r, "location"), *res_id = http_query(r, "resource");
	const char *ids[PRICING_MAX_ADDONS];
	size_t n_ids = 0;
	const char *list = http_query(r, "addons");
	for (const char *p = list; p && *p;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if (len == 0 || len >= PRICING_NAME_MAX || n_ids == PRICING_MAX_ADDONS) {
			http_field_error_add(r, "addons", "must be up to %d add-on ids, comma-separated",
					     PRICING_MAX_ADDONS);
			break;
		}
		char *id = arena_alloc(r->arena, len + 1);
		memcpy(id, p, len);
		id[len] = '\0';
		ids[n_ids++] = id;
		p = comma ? comma + 1 : p + len;
	}
	if (r->nerrors) {
		http_problem_query(r, "invalid quote query");
		return;
	}
	service svc;
	status st = store_service_get(c, b.id, sid, r->arena, &svc);
	if (st == STATUS_OK && !svc.active)
		st = STATUS_NOT_FOUND;
	if (st != STATUS_OK) {
		if (st == STATUS_NOT_FOUND)
			http_problem(r, st, "no service '%s'", sid);
		else
			api_store_error(r, c, st);
		return;
	}
	if (!e || !*e)
		end = start + svc.duration_s;
	if (end <= start || end - start > PRICING_QUOTE_MAX_S) {
		http_field_error_add(r, "end", "must be after start, at most 93 days later");
		http_problem_query(r, "invalid quote query");
		return;
	}
	pricing_rules *rules;
	st = store_pricing_load(c, b.id, svc.id, r->arena, &rules);
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	const tz *zone = tz_get(b.timezone);
	pricing_quote *q = arena_alloc(r->arena, sizeof(*q));
	pricing_input in = {.svc = &svc, .zone = zone, .start = start, .end = end, .now = r->now,
			    .seats = seats, .addons = ids, .n_addons = n_ids,
			    .location = loc && *loc ? loc : NULL,
			    .resource_id = res_id && *res_id ? res_id : NULL};
	const char *bad = NULL;
	st = zone ? pricing_quote_make(rules, &in, q, &bad) : STATUS_INTERNAL;
	if (st == STATUS_NOT_FOUND || st == STATUS_INVALID) {
		http_field_error_add(r, st == STATUS_NOT_FOUND ? "addons" : "seats",
				     "no add-on '%s' for this service (or chosen twice)", bad ? bad : "");
		http_problem_query(r, "invalid quote query");
		return;
	}
	if (st != STATUS_OK) {
		api_store_error(r, NULL, st);
		return;
	}
	char sbuf[TZ_RFC3339_SIZE], ebuf[TZ_RFC3339_SIZE];
	int64_t booked_end = svc.kind == SERVICE_CLASS ? end : end + q->extra_s;
	tz_format_rfc3339(zone, start, sbuf);
	tz_format_rfc3339(zone, booked_end, ebuf);
	json_t *offered = json_array(); /* owned, stolen below */
	for (int i = 0; rules && i < rules->n_addons; i++) {
		const pricing_addon *ad = &rules->addon[i];
		json_array_append_new(offered,
				      json_pack("{s:s, s:s, s:o, s:I}", "id", ad->id, "name", ad->name,
						"price", api_money(ad->price_minor, b.currency),
						"duration_s", (json_int_t)ad->duration_s));
	}
	http_json_take(r, 200,
		       json_pack("{s:s, s:s, s:s, s:i, s:o, s:o, s:o}", "service", svc.id, "start", sbuf,
				 "end", ebuf, "seats", seats, "total",
				 api_money(q->total_minor, b.currency), "lines",
				 pricing_lines_json(q), "addons_offered", offered));
}
