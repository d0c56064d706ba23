/* pricing.c - services' pricing documents and bookings' frozen breakdowns. */
#include "store/pricing.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "core/policy.h"

status store_pricing_get(db_conn *c, const char *bid, const char *sid, arena *a,
			 const char **json_out)
{
	*json_out = "";
	db_rows *r;
	status st = db_query(c,
			     "SELECT rules FROM service_pricing WHERE business_id = $1 AND service_id = $2",
			     DB_PARAMS(DB_S(bid), DB_S(sid)), &r);
	if (st != STATUS_OK)
		return st;
	if (db_next(r))
		*json_out = arena_strdup(a, db_text(r, 0));
	st = db_rows_status(r);
	db_rows_free(r);
	return st;
}

status store_pricing_load(db_conn *c, const char *bid, const char *sid, arena *a,
			  pricing_rules **out)
{
	*out = NULL;
	const char *text;
	status st = store_pricing_get(c, bid, sid, a, &text);
	if (st != STATUS_OK || !text[0])
		return st;
	pricing_rules *r = arena_alloc(a, sizeof(*r));
	/* Written only after pricing_parse accepted it: a failure here is a damaged row. */
	if (pricing_parse(text, r, NULL, 0) != STATUS_OK)
		return STATUS_INTERNAL;
	if (!pricing_empty(r))
		*out = r;
	return STATUS_OK;
}

status store_pricing_put(db_conn *c, const char *bid, const char *sid, const char *json,
			 int64_t now)
{
	bool own = !db_in_tx(c);
	status st = own ? db_begin_write(c) : STATUS_OK;
	if (st == STATUS_OK)
		st = db_exec(c, "DELETE FROM service_pricing WHERE business_id = $1 AND service_id = $2",
			     DB_PARAMS(DB_S(bid), DB_S(sid)), NULL);
	if (st == STATUS_OK && json[0])
		st = db_exec(c,
			     "INSERT INTO service_pricing (business_id, service_id, rules, updated_at) "
			     "VALUES ($1, $2, $3, $4)",
			     DB_PARAMS(DB_S(bid), DB_S(sid), DB_S(json), DB_I(now)), NULL);
	if (own && st == STATUS_OK)
		st = db_commit(c);
	if (own && st != STATUS_OK)
		db_rollback(c);
	return st;
}

status store_pricing_any(db_conn *c, bool *out)
{
	int64_t n = 0;
	status st = db_query_int(c, "SELECT COUNT(*) FROM (SELECT 1 FROM service_pricing LIMIT 1) AS p",
				 NULL, 0, &n);
	*out = n > 0;
	return st;
}

status store_pricing_all(db_conn *c, const char *bid, json_t **out)
{
	*out = json_object();
	db_rows *r;
	status st = db_query(c,
			     "SELECT service_id, rules FROM service_pricing WHERE business_id = $1 "
			     "ORDER BY service_id",
			     DB_PARAMS(DB_S(bid)), &r);
	if (st != STATUS_OK)
		return st;
	while (db_next(r)) {
		json_t *doc = json_loads(db_text(r, 1), 0, NULL); /* owned, stolen below */
		if (doc)
			json_object_set_new(*out, db_text(r, 0), doc);
	}
	st = db_rows_status(r);
	db_rows_free(r);
	return st;
}

status store_pricing_replace_all(db_conn *c, const char *bid, const json_t *docs)
{
	status st = db_exec(c, "DELETE FROM service_pricing WHERE business_id = $1",
			    DB_PARAMS(DB_S(bid)), NULL);
	const char *key;
	const json_t *v;
	json_object_foreach((json_t *)docs, key, v) {
		if (st != STATUS_OK)
			break;
		char *text = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
		pricing_rules *r = xmalloc(sizeof(*r));
		if (!text)
			st = STATUS_INTERNAL;
		else if (pricing_parse(text, r, NULL, 0) != STATUS_OK)
			st = STATUS_INVALID;
		else if (!pricing_empty(r))
			st = db_exec(c,
				     "INSERT INTO service_pricing (business_id, service_id, rules, "
				     "updated_at) VALUES ($1, $2, $3, 0)",
				     DB_PARAMS(DB_S(bid), DB_S(key), DB_S(text)), NULL);
		free(r);
		free(text);
	}
	return st;
}

status store_booking_price_get(db_conn *c, const char *bid, const char *booking_id, json_t **out)
{
	*out = NULL;
	db_rows *r;
	status st = db_query(c,
			     "SELECT total_minor, lines, addons, location FROM booking_prices WHERE "
			     "business_id = $1 AND booking_id = $2",
			     DB_PARAMS(DB_S(bid), DB_S(booking_id)), &r);
	if (st != STATUS_OK)
		return st;
	if (db_next(r)) {
		json_t *lines = json_loads(db_text(r, 1), 0, NULL);  /* owned, stolen below */
		json_t *addons = json_loads(db_text(r, 2), 0, NULL); /* owned, stolen below */
		*out = json_pack("{s:I, s:o, s:o, s:s}", "total_minor", (json_int_t)db_int(r, 0),
				 "lines", lines ? lines : json_array(), "addons",
				 addons ? addons : json_array(), "location", db_text(r, 3));
	}
	st = db_rows_status(r);
	db_rows_free(r);
	return st;
}

json_t *pricing_lines_json(const pricing_quote *q)
{
	json_t *lines = json_array();
	for (int i = 0; i < q->n; i++) {
		const pricing_line *l = &q->line[i];
		json_t *o = json_pack("{s:s, s:s, s:I, s:I, s:I}", "kind", l->kind, "label",
				      l->label ? l->label : "", "quantity", (json_int_t)l->quantity,
				      "unit_minor", (json_int_t)l->unit_minor, "amount_minor",
				      (json_int_t)l->amount_minor);
		if (l->bp)
			json_object_set_new(o, "bp", json_integer(l->bp));
		json_array_append_new(lines, o);
	}
	return lines;
}

status book_price_prepare(db_conn *c, const business *b, const book_request *rq, arena *a,
			  book_result *res, int64_t *end)
{
	res->pricing = NULL;
	res->price_extra_s = 0;
	res->price_lines = NULL;
	status st = store_pricing_load(c, b->id, res->svc.id, a, &res->pricing);
	if (st != STATUS_OK)
		return st;
	if (rq->n_addons == 0)
		return STATUS_OK;
	/* The add-ons' time: priced with no rules gives NOT_FOUND for any add-on. */
	pricing_quote *q = arena_alloc(a, sizeof(*q));
	pricing_input in = {.svc = &res->svc, .zone = tz_get(b->timezone), .start = rq->start,
			    .end = *end, .now = rq->start, .seats = rq->seats > 0 ? rq->seats : 1,
			    .addons = rq->addons, .n_addons = rq->n_addons};
	const char *bad = NULL;
	st = in.zone ? pricing_quote_make(res->pricing, &in, q, &bad) : STATUS_INTERNAL;
	if (st == STATUS_NOT_FOUND) {
		res->why = arena_printf(a, "no add-on '%s' for this service (or chosen twice)",
					bad ? bad : "");
		return STATUS_INVALID;
	}
	if (st != STATUS_OK)
		return st;
	/* Classes keep their sessions' times: an add-on is only priced. */
	if (res->svc.kind != SERVICE_CLASS) {
		res->price_extra_s = q->extra_s;
		*end += q->extra_s;
	}
	return STATUS_OK;
}

int64_t book_price_of(const business *b, const book_request *rq, book_result *res,
		      const booking *bk, int64_t now, arena *a)
{
	int seats = rq->seats > 0 ? rq->seats : 1;
	const tz *zone = tz_get(b->timezone);
	if (!res->pricing && rq->n_addons == 0)
		return policy_price(&res->svc, bk->start_at, bk->end_at, seats);
	pricing_quote *q = arena_alloc(a, sizeof(*q));
	/* The hook for loyalty: a customer's tier discount goes into .tier_name and
	 * .tier_discount_bp here (read in this transaction), and becomes the last line. */
	pricing_input in = {.svc = &res->svc, .zone = zone, .start = bk->start_at,
			    .end = bk->end_at - res->price_extra_s, .now = now, .seats = seats,
			    .addons = rq->addons, .n_addons = rq->n_addons,
			    .location = rq->location, .resource_id = bk->resource_id};
	if (!zone || pricing_quote_make(res->pricing, &in, q, NULL) != STATUS_OK)
		return policy_price(&res->svc, bk->start_at, bk->end_at, seats);
	json_t *lines = pricing_lines_json(q); /* owned */
	char *text = json_dumps(lines, JSON_COMPACT);
	json_decref(lines);
	res->price_lines = text ? arena_strdup(a, text) : NULL;
	free(text);
	return q->total_minor;
}

status book_price_save(db_conn *c, const business *b, const book_request *rq,
		       const book_result *res, const booking *bk, int64_t now)
{
	if (!res->price_lines)
		return STATUS_OK;
	json_t *addons = json_array(); /* owned */
	for (size_t i = 0; i < rq->n_addons; i++)
		json_array_append_new(addons, json_string(rq->addons[i]));
	char *text = json_dumps(addons, JSON_COMPACT);
	json_decref(addons);
	status st = db_exec(c,
			    "INSERT INTO booking_prices (business_id, booking_id, total_minor, lines, "
			    "addons, location, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
			    DB_PARAMS(DB_S(b->id), DB_S(bk->id), DB_I(bk->price_minor),
				      DB_S(res->price_lines), DB_S(text ? text : "[]"),
				      DB_S(rq->location ? rq->location : ""), DB_I(now)),
			    NULL);
	free(text);
	return st;
}

status book_price_tier(db_conn *c, const business *b, const char *booking_id, book_result *res,
		       const char *tier, int bp, int64_t off, int64_t subtotal, int64_t total,
		       arena *a)
{
	if (off <= 0 || (res && !res->price_lines))
		return STATUS_OK;
	const char *lines = res ? res->price_lines : NULL;
	status st = STATUS_OK;
	if (!lines) {
		db_rows *r;
		st = db_query(c,
			      "SELECT lines FROM booking_prices WHERE business_id = $1 AND "
			      "booking_id = $2",
			      DB_PARAMS(DB_S(b->id), DB_S(booking_id)), &r);
		if (st != STATUS_OK)
			return st;
		lines = db_next(r) ? arena_strdup(a, db_text(r, 0)) : NULL;
		st = db_rows_status(r);
		db_rows_free(r);
		if (st != STATUS_OK || !lines)
			return st;
	}
	json_t *arr = json_loads(lines, 0, NULL); /* owned */
	if (!json_is_array(arr)) {
		json_decref(arr);
		return STATUS_INTERNAL;
	}
	json_array_append_new(arr, json_pack("{s:s, s:s, s:I, s:I, s:I, s:I}", "kind", "tier",
					     "label", tier ? tier : "", "quantity", (json_int_t)1,
					     "unit_minor", (json_int_t)subtotal, "amount_minor",
					     (json_int_t)-off, "bp", (json_int_t)bp));
	char *text = json_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	if (!text)
		return STATUS_INTERNAL;
	if (res)
		res->price_lines = arena_strdup(a, text);
	else
		st = db_exec(c,
			     "UPDATE booking_prices SET lines = $3, total_minor = $4 WHERE "
			     "business_id = $1 AND booking_id = $2",
			     DB_PARAMS(DB_S(b->id), DB_S(booking_id), DB_S(text), DB_I(total)),
			     NULL);
	free(text);
	return st;
}
