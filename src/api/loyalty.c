/* loyalty.c - loyalty routes (rows in api/routes_loyalty.inc): the business's programme
 * (points per unit paid, tiers by lifetime value or visits, multipliers, tier discounts),
 * a customer's points, tier and history, and staff's adjustments with a reason. */
#include "api/loyalty.h"

#include <string.h>

#include "api/app.h"
#include "api/auth.h"
#include "api/booking_json.h"
#include "api/common.h"
#include "api/staff_bookings.h"
#include "store/customer.h"
#include "store/loyalty.h"

static void answer_settings(http_req *r, const loyalty_settings *s)
{
	http_json_take(r, 200, loyalty_settings_json(s));
}

void loyalty_settings_get_route(http_req *r)
{
	db_conn *c = app_db(r);
	business b;
	if (!auth_business(r, c, &b))
		return;
	loyalty_settings s;
	status st = loyalty_settings_get(c, b.id, &s);
	if (st != STATUS_OK)
		api_store_error(r, c, st);
	else
		answer_settings(r, &s);
}

void loyalty_settings_put_route(http_req *r)
{
	json_t *body = http_body_json(r);
	if (!body)
		return;
	loyalty_settings s;
	char field[64];
	const char *why = NULL;
	bool ok = loyalty_settings_from_json(body, &s, field, sizeof(field), &why);
	json_decref(body);
	if (!ok) {
		http_field_error_add(r, field[0] ? field : "body", "%s", why);
		http_problem(r, STATUS_INVALID, "invalid loyalty settings");
		return;
	}
	db_conn *c = app_db(r);
	business b;
	if (!auth_business(r, c, &b))
		return;
	status st = loyalty_settings_put(c, b.id, &s, r->now);
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	auth_audit_note(r, s.enabled ? "loyalty programme on" : "loyalty programme off");
	answer_settings(r, &s);
}

static json_t *tier_json(const loyalty_settings *s, int tier)
{
	if (tier < 0 || tier >= s->ntiers)
		return json_null();
	const loyalty_tier *t = &s->tiers[tier];
	return json_pack("{s:s, s:I, s:i, s:i}", "name", t->name, "threshold",
			 (json_int_t)t->threshold, "multiplier_bp", t->multiplier_bp,
			 "discount_bp", t->discount_bp);
}

/* The customer of {customer} as the caller may see them; 404 otherwise. */
static bool customer_of(http_req *r, db_conn *c, business *b, customer_profile *p)
{
	if (!auth_business(r, c, b))
		return false;
	const char *id = http_param(r, "customer");
	status st = store_customer_get(c, b->id, id ? id : "", staff_visible_to(r), r->arena, p);
	if (st == STATUS_NOT_FOUND)
		http_problem(r, st, "no such customer");
	else if (st != STATUS_OK)
		api_store_error(r, c, st);
	return st == STATUS_OK;
}

static void answer_customer(http_req *r, db_conn *c, const business *b,
			    const customer_profile *p, int code)
{
	loyalty_settings s;
	loyalty_account acc;
	loyalty_entry *h = NULL;
	size_t nh = 0;
	status st = loyalty_settings_get(c, b->id, &s);
	if (st == STATUS_OK)
		st = loyalty_customer(c, b, &s, p->id, r->arena, &acc, &h, &nh);
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	const tz *z = tz_get(b->timezone);
	json_t *hist = json_array();
	for (size_t i = nh; i-- > 0;) { /* newest first */
		const loyalty_entry *e = &h[i];
		char at[TZ_RFC3339_SIZE];
		tz_format_rfc3339(z, e->at, at);
		json_t *o = json_pack("{s:s, s:s, s:I, s:I, s:s}", "kind", e->kind, "at", at,
				      "points", (json_int_t)e->points, "balance",
				      (json_int_t)e->balance, "reason", e->reason);
		json_object_set_new(o, "booking", e->booking ? json_string(e->booking) : json_null());
		json_object_set_new(o, "tier", e->tier >= 0 ? json_string(s.tiers[e->tier].name)
							    : json_null());
		json_object_set_new(o, "actor", e->actor ? json_string(e->actor) : json_null());
		json_array_append_new(hist, o);
	}
	json_t *next = json_null();
	if (s.enabled && acc.tier + 1 < s.ntiers) {
		int n = acc.tier + 1;
		int64_t have = s.basis == LOYALTY_BY_VISITS ? acc.visits : acc.value_minor;
		next = tier_json(&s, n);
		json_object_set_new(next, "remaining",
				    json_integer((json_int_t)(s.tiers[n].threshold - have)));
	}
	json_t *o = json_pack("{s:s, s:b, s:s, s:I, s:o, s:I, s:o, s:o, s:o}", "customer", p->id,
			      "enabled", s.enabled, "tier_basis", loyalty_basis_name(s.basis),
			      "points", (json_int_t)acc.points, "lifetime_value",
			      api_money(acc.value_minor, b->currency), "visits",
			      (json_int_t)acc.visits, "tier", tier_json(&s, s.enabled ? acc.tier : -1),
			      "next_tier", next, "history", hist);
	http_json_take(r, code, o);
}

void loyalty_customer_get(http_req *r)
{
	db_conn *c = app_db(r);
	business b;
	customer_profile p;
	if (customer_of(r, c, &b, &p))
		answer_customer(r, c, &b, &p, 200);
}

static const char *const ADJUST_KEYS[] = {"points", "reason", NULL};

void loyalty_customer_adjust(http_req *r)
{
	json_t *body = http_body_json(r);
	if (!body)
		return;
	booking_body_known(r, body, "", ADJUST_KEYS);
	const json_t *pts = json_object_get(body, "points"); /* borrowed */
	int64_t points = json_is_integer(pts) ? json_integer_value(pts) : 0;
	if (!json_is_integer(pts) || points == 0 || points > 100000000 || points < -100000000)
		http_field_error_add(r, "points", "must be a whole number of points, not 0, within "
						  "100000000 either way");
	const char *reason = booking_body_str(r, body, "reason", "reason", 500, true);
	if (reason && !*reason)
		http_field_error_add(r, "reason", "is required");
	json_decref(body);
	if (r->nerrors) {
		http_problem(r, STATUS_INVALID, "invalid adjustment");
		return;
	}
	db_conn *c = app_db(r);
	business b;
	customer_profile p;
	if (!customer_of(r, c, &b, &p))
		return;
	status st = loyalty_adjust(c, b.id, p.id, points, reason, staff_actor(r), r->now, r->arena);
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	auth_audit_note(r, arena_printf(r->arena, "loyalty %+lld points: %s", (long long)points,
					reason));
	answer_customer(r, c, &b, &p, 201);
}
