/* packages.c - packages over HTTP: the business's packages (admins define them), their
 * sales to a customer and what each has left (staff). Prices are tracked, not charged. */
#include <string.h>

#include "api/app.h"
#include "api/auth.h"
#include "api/booking_json.h"
#include "api/common.h"
#include "api/series.h"
#include "api/staff_bookings.h"
#include "base/ids.h"
#include "store/customer.h"
#include "store/package.h"

static json_t *package_json(const package *p, const business *b)
{
	/* json_pack's "o" steals the money object. */
	return json_pack("{s:s, s:s, s:s, s:i, s:o, s:b}", "id", p->id, "name", p->name, "service",
			 p->service_id, "sessions", p->sessions, "price",
			 api_money(p->price_minor, b->currency), "active", p->active);
}

static json_t *cpk_json(const customer_package *p, const tz *z)
{
	char sold[TZ_RFC3339_SIZE];
	tz_format_rfc3339(z, p->sold_at, sold);
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:o, s:s}", "id", p->id, "package",
			 p->package_id, "customer", p->customer_id, "name", p->name, "service",
			 p->service_id, "sessions", p->sessions, "remaining", p->remaining, "price",
			 api_money(p->price_minor, p->currency), "sold_at", sold);
}

void packages_list(http_req *r)
{
	db_conn *c = app_db(r);
	business b;
	if (!auth_business(r, c, &b))
		return;
	package *ps;
	int n;
	status st = store_packages_list(c, b.id, r->arena, &ps, &n);
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, package_json(&ps[i], &b));
	http_json_take(r, 200, json_pack("{s:o}", "packages", arr));
}

/* Reads "price": {"amount_minor": N} (its currency, when given, must be the business's).
 * Returns -1 when absent. */
static int64_t body_price(http_req *r, const json_t *body, const business *b)
{
	const json_t *p = json_object_get(body, "price"); /* borrowed */
	if (!p || json_is_null(p))
		return -1;
	const json_t *amt = json_object_get(p, "amount_minor");   /* borrowed */
	const char *cur = json_string_value(json_object_get(p, "currency"));
	if (!json_is_object(p) || !json_is_integer(amt) || json_integer_value(amt) < 0 ||
	    json_integer_value(amt) > 100000000000LL) {
		http_field_error_add(r, "price", "must be {\"amount_minor\": N} with N >= 0");
		return -1;
	}
	if (cur && strcmp(cur, b->currency) != 0)
		http_field_error_add(r, "price.currency", "must be the business's currency (%s)",
				     b->currency);
	return json_integer_value(amt);
}

void packages_post(http_req *r)
{
	db_conn *c = app_db(r);
	business b;
	if (!auth_business(r, c, &b))
		return;
	json_t *body = http_body_json(r);
	if (!body)
		return;
	static const char *const known[] = {"name", "service", "sessions", "price", "active", NULL};
	booking_body_known(r, body, "", known);
	package p = {.active = true, .created_at = r->now};
	p.name = booking_body_str(r, body, "name", "name", 200, true);
	p.service_id = booking_body_str(r, body, "service", "service", 64, true);
	const json_t *s = json_object_get(body, "sessions"); /* borrowed */
	if (!json_is_integer(s) || json_integer_value(s) < 1 || json_integer_value(s) > 1000)
		http_field_error_add(r, "sessions", "must be a whole number from 1 to 1000");
	else
		p.sessions = (int)json_integer_value(s);
	p.price_minor = body_price(r, body, &b);
	if (p.price_minor < 0 && !r->nerrors)
		http_field_error_add(r, "price", "is required: {\"amount_minor\": N}");
	const json_t *act = json_object_get(body, "active"); /* borrowed */
	if (act && !json_is_boolean(act))
		http_field_error_add(r, "active", "must be true or false");
	else if (act)
		p.active = json_is_true(act);
	json_decref(body);
	if (r->nerrors) {
		http_problem(r, STATUS_INVALID, "invalid package");
		return;
	}
	p.id = ids_new(r->arena, "pkg");
	status st = store_package_insert(c, b.id, &p);
	if (st == STATUS_NOT_FOUND) {
		http_field_error_add(r, "service", "no such service");
		http_problem(r, STATUS_INVALID, "invalid package");
		return;
	}
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	http_json_take(r, 201, package_json(&p, &b));
}

void packages_patch(http_req *r)
{
	db_conn *c = app_db(r);
	business b;
	if (!auth_business(r, c, &b))
		return;
	json_t *body = http_body_json(r);
	if (!body)
		return;
	static const char *const known[] = {"name", "price", "active", NULL};
	booking_body_known(r, body, "", known);
	const char *name = booking_body_str(r, body, "name", "name", 200, false);
	if (name && !*name)
		http_field_error_add(r, "name", "must not be empty");
	int64_t price = body_price(r, body, &b);
	const json_t *act = json_object_get(body, "active"); /* borrowed */
	int active = -1;
	if (act && !json_is_boolean(act))
		http_field_error_add(r, "active", "must be true or false");
	else if (act)
		active = json_is_true(act);
	json_decref(body);
	if (r->nerrors) {
		http_problem(r, STATUS_INVALID, "invalid package");
		return;
	}
	const char *id = http_param(r, "package");
	status st = store_package_update(c, b.id, id ? id : "", name, price, active, r->now);
	package p;
	if (st == STATUS_OK)
		st = store_package_get(c, b.id, id, r->arena, &p);
	if (st == STATUS_NOT_FOUND) {
		http_problem(r, st, "no such package");
		return;
	}
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	http_json_take(r, 200, package_json(&p, &b));
}

/* The customer named by {customer} as the caller may see it, or false (answered 404). */
static bool visible_customer(http_req *r, db_conn *c, const business *b, customer_profile *p)
{
	const char *id = http_param(r, "customer");
	status st = store_customer_get(c, b->id, id ? id : "", staff_visible_to(r), r->arena, p);
	if (st == STATUS_NOT_FOUND)
		http_problem(r, st, "no such customer");
	else if (st != STATUS_OK)
		api_store_error(r, c, st);
	return st == STATUS_OK;
}

/* Answers code with the customer's packages. */
static void answer_customer_packages(http_req *r, db_conn *c, const business *b,
				     const char *customer_id, int code, json_t *sold_take)
{
	customer_package *ps;
	int n;
	status st = store_customer_packages(c, b->id, customer_id, r->arena, &ps, &n);
	if (st != STATUS_OK) {
		json_decref(sold_take);
		api_store_error(r, c, st);
		return;
	}
	const tz *z = tz_get(b->timezone);
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, cpk_json(&ps[i], z));
	json_t *o = json_pack("{s:o}", "packages", arr);
	if (sold_take)
		json_object_set_new(o, "sold", sold_take); /* steals */
	http_json_take(r, code, o);
}

void customer_packages_list(http_req *r)
{
	db_conn *c = app_db(r);
	business b;
	customer_profile p;
	if (auth_business(r, c, &b) && visible_customer(r, c, &b, &p))
		answer_customer_packages(r, c, &b, p.id, 200, NULL);
}

void customer_packages_post(http_req *r)
{
	db_conn *c = app_db(r);
	business b;
	customer_profile prof;
	if (!auth_business(r, c, &b) || !visible_customer(r, c, &b, &prof))
		return;
	json_t *body = http_body_json(r);
	if (!body)
		return;
	static const char *const known[] = {"package", NULL};
	booking_body_known(r, body, "", known);
	const char *pkg = booking_body_str(r, body, "package", "package", 64, true);
	json_decref(body);
	if (r->nerrors) {
		http_problem(r, STATUS_INVALID, "invalid sale");
		return;
	}
	customer_package sold;
	const char *why = NULL;
	status st = store_package_sell(c, &b, pkg, prof.id, staff_actor(r), r->now, r->arena,
				       &sold, &why);
	if (st == STATUS_NOT_FOUND) {
		http_field_error_add(r, "package", "no such active package");
		http_problem(r, STATUS_INVALID, "invalid sale");
		return;
	}
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	answer_customer_packages(r, c, &b, prof.id, 201, cpk_json(&sold, tz_get(b.timezone)));
}
