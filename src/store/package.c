/* package.c - packages, their sales and the sessions bookings take from them. */
#include "store/package.h"

#include <string.h>

#include "base/ids.h"

#define PKG_COLS "id, name, service_id, sessions, price_minor, active, created_at"
#define CPK_COLS                                                                               \
	"id, package_id, customer_id, name, service_id, sessions, remaining, price_minor, "    \
	"currency, sold_by, sold_at"

static void read_package(const db_rows *r, arena *a, package *p)
{
	p->id = arena_strdup(a, db_text(r, 0));
	p->name = arena_strdup(a, db_text(r, 1));
	p->service_id = arena_strdup(a, db_text(r, 2));
	p->sessions = (int)db_int(r, 3);
	p->price_minor = db_int(r, 4);
	p->active = db_int(r, 5) != 0;
	p->created_at = db_int(r, 6);
}

static void read_cpk(const db_rows *r, arena *a, customer_package *p)
{
	p->id = arena_strdup(a, db_text(r, 0));
	p->package_id = arena_strdup(a, db_text(r, 1));
	p->customer_id = arena_strdup(a, db_text(r, 2));
	p->name = arena_strdup(a, db_text(r, 3));
	p->service_id = arena_strdup(a, db_text(r, 4));
	p->sessions = (int)db_int(r, 5);
	p->remaining = (int)db_int(r, 6);
	p->price_minor = db_int(r, 7);
	p->currency = arena_strdup(a, db_text(r, 8));
	p->sold_by = arena_strdup(a, db_text(r, 9));
	p->sold_at = db_int(r, 10);
}

status store_packages_list(db_conn *c, const char *business_id, arena *a, package **out,
			   int *count)
{
	*out = NULL;
	*count = 0;
	db_rows *r;
	status st = db_query(c, "SELECT " PKG_COLS " FROM packages WHERE business_id = $1 ORDER BY "
				"created_at DESC, id LIMIT 1000",
			     DB_PARAMS(DB_S(business_id)), &r);
	if (st != STATUS_OK)
		return st;
	int cap = 0;
	while (db_next(r)) {
		if (*count == cap) {
			cap = cap ? cap * 2 : 16;
			package *n = arena_alloc(a, sizeof(*n) * (size_t)cap);
			if (*count)
				memcpy(n, *out, sizeof(*n) * (size_t)*count);
			*out = n;
		}
		read_package(r, a, &(*out)[(*count)++]);
	}
	st = db_rows_status(r);
	db_rows_free(r);
	return st;
}

status store_package_get(db_conn *c, const char *business_id, const char *id, arena *a,
			 package *out)
{
	db_rows *r;
	status st = db_query(c, "SELECT " PKG_COLS " FROM packages WHERE business_id = $1 AND id = $2",
			     DB_PARAMS(DB_S(business_id), DB_S(id)), &r);
	if (st != STATUS_OK)
		return st;
	if (db_next(r))
		read_package(r, a, out);
	else
		st = db_rows_status(r) == STATUS_OK ? STATUS_NOT_FOUND : db_rows_status(r);
	db_rows_free(r);
	return st;
}

status store_package_insert(db_conn *c, const char *business_id, const package *p)
{
	int64_t n = 0;
	status st = db_exec(c,
			    "INSERT INTO packages (business_id, id, name, service_id, sessions, "
			    "price_minor, active, created_at, updated_at) SELECT $1, $2, $3, s.id, $4, "
			    "$5, $6, $7, $7 FROM services s WHERE s.business_id = $1 AND s.id = $8",
			    DB_PARAMS(DB_S(business_id), DB_S(p->id), DB_S(p->name), DB_I(p->sessions),
				      DB_I(p->price_minor), DB_I(p->active), DB_I(p->created_at),
				      DB_S(p->service_id)),
			    &n);
	return st == STATUS_OK && n == 0 ? STATUS_NOT_FOUND : st;
}

status store_package_update(db_conn *c, const char *business_id, const char *id,
			    const char *name, int64_t price_minor, int active, int64_t now)
{
	int64_t n = 0;
	status st = db_exec(c,
			    "UPDATE packages SET name = COALESCE($3, name), price_minor = CASE WHEN "
			    "$4 < 0 THEN price_minor ELSE $4 END, active = CASE WHEN $5 < 0 THEN "
			    "active ELSE $5 END, updated_at = $6 WHERE business_id = $1 AND id = $2",
			    DB_PARAMS(DB_S(business_id), DB_S(id), name ? DB_S(name) : DB_NUL,
				      DB_I(price_minor), DB_I(active), DB_I(now)),
			    &n);
	return st == STATUS_OK && n == 0 ? STATUS_NOT_FOUND : st;
}

static status read_one_cpk(db_conn *c, const char *business_id, const char *id, arena *a,
			   customer_package *out)
{
	db_rows *r;
	status st = db_query(c, "SELECT " CPK_COLS " FROM customer_packages WHERE business_id = $1 "
				"AND id = $2",
			     DB_PARAMS(DB_S(business_id), DB_S(id)), &r);
	if (st != STATUS_OK)
		return st;
	if (db_next(r))
		read_cpk(r, a, out);
	else
		st = db_rows_status(r) == STATUS_OK ? STATUS_NOT_FOUND : db_rows_status(r);
	db_rows_free(r);
	return st;
}

status store_package_sell(db_conn *c, const business *b, const char *package_id,
			  const char *customer_id, const char *actor, int64_t now, arena *a,
			  customer_package *out, const char **why)
{
	const char *id = ids_new(a, "cpk");
	int64_t n = 0;
	/* The customer and the active package are both found by the same statement, so a sale
	 * names only what exists. */
	status st = db_exec(c,
			    "INSERT INTO customer_packages (business_id, id, package_id, customer_id, "
			    "name, service_id, sessions, remaining, price_minor, currency, sold_by, "
			    "sold_at) SELECT p.business_id, $2, p.id, k.id, p.name, p.service_id, "
			    "p.sessions, p.sessions, p.price_minor, $5, $6, $7 FROM packages p JOIN "
			    "customers k ON k.business_id = p.business_id AND k.id = $4 WHERE "
			    "p.business_id = $1 AND p.id = $3 AND p.active = 1",
			    DB_PARAMS(DB_S(b->id), DB_S(id), DB_S(package_id), DB_S(customer_id),
				      DB_S(b->currency), DB_S(actor), DB_I(now)),
			    &n);
	if (st == STATUS_OK && n == 0) {
		*why = "no such active package, or no such customer";
		return STATUS_NOT_FOUND;
	}
	return st == STATUS_OK ? read_one_cpk(c, b->id, id, a, out) : st;
}

status store_customer_packages(db_conn *c, const char *business_id, const char *customer_id,
			       arena *a, customer_package **out, int *count)
{
	*out = NULL;
	*count = 0;
	db_rows *r;
	status st = db_query(c, "SELECT " CPK_COLS " FROM customer_packages WHERE business_id = $1 "
				"AND customer_id = $2 ORDER BY sold_at DESC, id LIMIT 1000",
			     DB_PARAMS(DB_S(business_id), DB_S(customer_id)), &r);
	if (st != STATUS_OK)
		return st;
	int cap = 0;
	while (db_next(r)) {
		if (*count == cap) {
			cap = cap ? cap * 2 : 8;
			customer_package *n = arena_alloc(a, sizeof(*n) * (size_t)cap);
			if (*count)
				memcpy(n, *out, sizeof(*n) * (size_t)*count);
			*out = n;
		}
		read_cpk(r, a, &(*out)[(*count)++]);
	}
	st = db_rows_status(r);
	db_rows_free(r);
	return st;
}

status store_booking_package(db_conn *c, const char *business_id, const char *booking_id,
			     arena *a, const char **customer_package_id)
{
	db_rows *r;
	status st = db_query(c, "SELECT customer_package_id FROM package_uses WHERE business_id = "
				"$1 AND booking_id = $2 AND released_at IS NULL",
			     DB_PARAMS(DB_S(business_id), DB_S(booking_id)), &r);
	if (st != STATUS_OK)
		return st;
	if (db_next(r))
		*customer_package_id = arena_strdup(a, db_text(r, 0));
	else
		st = db_rows_status(r) == STATUS_OK ? STATUS_NOT_FOUND : db_rows_status(r);
	db_rows_free(r);
	return st;
}

status package_use(db_conn *c, const char *business_id, const char *cpk_id, const booking *bk,
		   int64_t now, arena *a, const char **why)
{
	customer_package p;
	status st = read_one_cpk(c, business_id, cpk_id, a, &p);
	if (st == STATUS_NOT_FOUND || (st == STATUS_OK && (!bk->customer_id ||
							   strcmp(p.customer_id, bk->customer_id) != 0))) {
		*why = "the package is not this customer's";
		return STATUS_CONFLICT;
	}
	if (st == STATUS_OK && strcmp(p.service_id, bk->service_id) != 0) {
		*why = "the package is for another service";
		return STATUS_CONFLICT;
	}
	int64_t n = 0;
	if (st == STATUS_OK)
		st = db_exec(c,
			     "UPDATE customer_packages SET remaining = remaining - 1 WHERE business_id "
			     "= $1 AND id = $2 AND remaining > 0",
			     DB_PARAMS(DB_S(business_id), DB_S(cpk_id)), &n);
	if (st == STATUS_OK && n == 0) {
		*why = "the package has no sessions left";
		return STATUS_CONFLICT;
	}
	if (st == STATUS_OK)
		st = db_exec(c,
			     "INSERT INTO package_uses (business_id, booking_id, customer_package_id, "
			     "used_at) VALUES ($1, $2, $3, $4)",
			     DB_PARAMS(DB_S(business_id), DB_S(bk->id), DB_S(cpk_id), DB_I(now)), NULL);
	return st;
}

status package_release(db_conn *c, const char *business_id, const char *booking_id,
		       int64_t now)
{
	status st = db_exec(c,
			    "UPDATE customer_packages SET remaining = remaining + 1 WHERE business_id "
			    "= $1 AND id = (SELECT customer_package_id FROM package_uses WHERE "
			    "business_id = $1 AND booking_id = $2 AND released_at IS NULL)",
			    DB_PARAMS(DB_S(business_id), DB_S(booking_id)), NULL);
	if (st == STATUS_OK)
		st = db_exec(c,
			     "UPDATE package_uses SET released_at = $3 WHERE business_id = $1 AND "
			     "booking_id = $2 AND released_at IS NULL",
			     DB_PARAMS(DB_S(business_id), DB_S(booking_id), DB_I(now)), NULL);
	return st;
}
