/* customer.c - customer search, profile and profile edits for staff. */
#include "store/customer.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/analytics.h"
#include "store/booking_query.h"
#include "store/rows.h"

#define CUSTOMER_SELECT                                                                        \
	"SELECT c.id, c.email_norm, c.name, c.phone, c.notes, c.created_at, c.updated_at "     \
	"FROM customers c "

static void profile_read(const db_rows *r, arena *a, customer_profile *out)
{
	out->id = arena_strdup(a, db_text(r, 0));
	out->email_norm = arena_strdup(a, db_text(r, 1));
	out->name = arena_strdup(a, db_text(r, 2));
	out->phone = arena_strdup(a, db_text(r, 3));
	out->notes = arena_strdup(a, db_text(r, 4));
	out->created_at = db_int(r, 5);
	out->updated_at = db_int(r, 6);
}

const char *store_like_pattern(arena *a, const char *q)
{
	size_t n = strlen(q);
	char *p = arena_alloc(a, n * 2 + 3);
	size_t k = 0;
	p[k++] = '%';
	for (size_t i = 0; i < n; i++) {
		char ch = (char)tolower((unsigned char)q[i]);
		if (ch == '%' || ch == '_' || ch == '\\')
			p[k++] = '\\';
		p[k++] = ch;
	}
	p[k++] = '%';
	p[k] = '\0';
	return p;
}

status store_customers_search(db_conn *c, const char *business_id, const customer_filter *f,
			      arena *a, customer_profile **out, int *count, bool *more)
{
	*out = NULL;
	*count = 0;
	*more = false;
	if (f->limit < 1 || f->limit > 1000)
		return STATUS_INVALID;
	const char *pat = f->q && *f->q ? store_like_pattern(a, f->q) : "";
	/* A staff role ($2 set) browses the customers of its provider's bookings, and finds any
	 * other customer of the business only by the exact email ($8, normalised) or phone
	 * ($9): enough to book them, never a list to copy. */
	const char *exact_email = "", *exact_phone = "";
	if (f->visible_to && *f->visible_to && f->q && *f->q) {
		const char *q = f->q;
		while (isspace((unsigned char)*q))
			q++;
		size_t n = strlen(q);
		while (n && isspace((unsigned char)q[n - 1]))
			n--;
		char *e = arena_strndup(a, q, n);
		exact_phone = arena_strdup(a, e);
		for (char *p = e; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		exact_email = e;
	}
	db_rows *r;
	status st = db_query(
		c,
		"SELECT c.id, c.email_norm, c.name, c.phone, c.notes, c.created_at, c.updated_at, "
		"($2 = '' OR EXISTS (SELECT 1 FROM bookings b WHERE b.business_id = c.business_id "
		"AND b.customer_id = c.id AND b.provider_id = $2)) AS own FROM customers c "
		"WHERE c.business_id = $1 AND ((($2 = '' OR EXISTS (SELECT 1 FROM bookings b WHERE "
		"b.business_id = c.business_id AND b.customer_id = c.id AND b.provider_id = $2)) "
		"AND ($3 = '' OR LOWER(c.name) LIKE $3 ESCAPE '\\' OR c.email_norm LIKE $3 ESCAPE "
		"'\\' OR LOWER(c.phone) LIKE $3 ESCAPE '\\')) "
		"OR ($8 <> '' AND (c.email_norm = $8 OR (c.phone <> '' AND c.phone = $9)))) "
		"AND ($4 = 0 OR c.name > $5 OR (c.name = $5 AND c.id > $6)) "
		"ORDER BY c.name, c.id LIMIT $7",
		DB_PARAMS(DB_S(business_id), DB_S(f->visible_to ? f->visible_to : ""), DB_S(pat),
			  DB_I(f->has_after), DB_S(f->after_name ? f->after_name : ""),
			  DB_S(f->after_id ? f->after_id : ""), DB_I(f->limit + 1), DB_S(exact_email),
			  DB_S(exact_phone)),
		&r);
	if (st != STATUS_OK)
		return st;
	int n = 0;
	customer_profile *v = arena_alloc(a, sizeof(*v) * (size_t)(f->limit + 1));
	while (db_next(r)) {
		profile_read(r, a, &v[n]);
		if (!db_int(r, 7))
			v[n].notes = ""; /* another provider's customer: contact details only */
		n++;
	}
	st = db_rows_status(r);
	db_rows_free(r);
	if (n > f->limit) {
		n = f->limit;
		*more = true;
	}
	*out = v;
	*count = n;
	return st;
}

status store_customer_get(db_conn *c, const char *business_id, const char *id,
			  const char *visible_to, arena *a, customer_profile *out)
{
	db_rows *r;
	status st = db_query(c,
			     CUSTOMER_SELECT
			     "WHERE c.business_id = $1 AND c.id = $2 AND ($3 = '' OR EXISTS (SELECT 1 "
			     "FROM bookings b WHERE b.business_id = c.business_id AND b.customer_id = "
			     "c.id AND b.provider_id = $3))",
			     DB_PARAMS(DB_S(business_id), DB_S(id), DB_S(visible_to ? visible_to : "")),
			     &r);
	if (st != STATUS_OK)
		return st;
	if (db_next(r))
		profile_read(r, a, out);
	else
		st = db_rows_status(r) == STATUS_OK ? STATUS_NOT_FOUND : db_rows_status(r);
	db_rows_free(r);
	return st;
}

status store_customer_update(db_conn *c, const char *business_id, const char *id,
			     const char *name, const char *email_norm, const char *phone,
			     const char *notes, int64_t now)
{
	int64_t changed = 0;
	status st = db_exec(c,
			    "UPDATE customers SET name = COALESCE(CAST($3 AS TEXT), name), "
			    "phone = COALESCE(CAST($4 AS TEXT), phone), "
			    "notes = COALESCE(CAST($5 AS TEXT), notes), "
			    "email_norm = COALESCE(CAST($7 AS TEXT), email_norm), updated_at = $6 "
			    "WHERE business_id = $1 AND id = $2",
			    DB_PARAMS(DB_S(business_id), DB_S(id), DB_S(name), DB_S(phone), DB_S(notes),
				      DB_I(now), DB_S(email_norm)),
			    &changed);
	if (st == STATUS_OK && changed == 0)
		st = STATUS_NOT_FOUND;
	return st;
}

/* Adds one (customer, status) group of bookings to f, as core/analytics counts them. */
static void figures_add(customer_figures *f, booking_status s, int64_t n, int64_t price_sum,
			int64_t fee_sum, int64_t last_start)
{
	if (!analytics_counted(s))
		return;
	f->bookings += n;
	if (s == BOOKING_CHECKED_IN || s == BOOKING_COMPLETED)
		f->visits += n;
	if (s == BOOKING_NO_SHOW)
		f->no_shows += n;
	if (s == BOOKING_CANCELLED)
		f->cancellations += n;
	/* analytics_revenue is linear in price and fee within one status. */
	f->spend_minor += analytics_revenue(s, price_sum, fee_sum);
	if (last_start > f->last_start)
		f->last_start = last_start;
}

static int cmp_row_id(const void *x, const void *y)
{
	const customer_export_row *const *a = x, *const *b = y;
	return strcmp((*a)->p.id, (*b)->p.id);
}

/* The fees kept by the cancelled bookings of the customers in byid (sorted by id), added
 * to each one's fee_sum. */
static status export_fees(db_conn *c, const char *business_id, customer_export_row **byid,
			  int n, int64_t *fee_sum)
{
	db_rows *r;
	status st = db_query(
		c,
		"SELECT b.customer_id, (SELECT e.changes FROM booking_events e WHERE e.business_id = "
		"b.business_id AND e.booking_id = b.id AND e.kind = 'cancel' ORDER BY e.at DESC, "
		"e.id DESC LIMIT 1) FROM bookings b WHERE b.business_id = $1 AND b.status = "
		"'cancelled' AND b.customer_id IS NOT NULL",
		DB_PARAMS(DB_S(business_id)), &r);
	if (st != STATUS_OK)
		return st;
	while (db_next(r)) {
		customer_export_row key = {.p.id = db_text(r, 0)}, *kp = &key;
		customer_export_row **hit = bsearch(&kp, byid, (size_t)n, sizeof(*byid), cmp_row_id);
		if (hit && !db_null(r, 1))
			fee_sum[hit - byid] += store_cancel_fee(db_text(r, 1));
	}
	st = db_rows_status(r);
	db_rows_free(r);
	return st;
}

status store_customers_export(db_conn *c, const char *business_id, const char *q, int max,
			      arena *a, customer_export_row **out, int *count, bool *more)
{
	*out = NULL;
	*count = 0;
	*more = false;
	const char *pat = q && *q ? store_like_pattern(a, q) : "";
	/* One row per customer and status of their bookings (one with a NULL status for a
	 * customer without any), in the order of the list. */
	db_rows *r;
	status st = db_query(
		c,
		"SELECT c.id, c.email_norm, c.name, c.phone, c.notes, c.created_at, c.updated_at, "
		"b.status, COUNT(b.id), COALESCE(SUM(b.price_minor), 0), COALESCE(MAX(b.start_at), 0) "
		"FROM customers c LEFT JOIN bookings b ON b.business_id = c.business_id AND "
		"b.customer_id = c.id WHERE c.business_id = $1 AND ($2 = '' OR LOWER(c.name) LIKE $2 "
		"ESCAPE '\\' OR c.email_norm LIKE $2 ESCAPE '\\' OR LOWER(c.phone) LIKE $2 ESCAPE "
		"'\\') GROUP BY c.business_id, c.id, b.status ORDER BY c.name, c.id",
		DB_PARAMS(DB_S(business_id), DB_S(pat)), &r);
	if (st != STATUS_OK)
		return st;
	int n = 0, cap = 0;
	customer_export_row *v = NULL;
	/* Bookings' (status, price sum) per row, kept until the fees are known. */
	typedef struct group {
		int row;
		booking_status s;
		int64_t n, price, last;
	} group;
	group *g = NULL;
	int ng = 0, gcap = 0;
	while (db_next(r)) {
		if (n == 0 || strcmp(v[n - 1].p.id, db_text(r, 0)) != 0) {
			if (n == max) {
				*more = true;
				break;
			}
			ROWS_GROW(a, v, n, cap);
			memset(&v[n], 0, sizeof(v[n]));
			profile_read(r, a, &v[n].p);
			n++;
		}
		booking_status s;
		if (db_null(r, 7) || !booking_status_parse(db_text(r, 7), &s))
			continue;
		ROWS_GROW(a, g, ng, gcap);
		g[ng++] = (group){n - 1, s, db_int(r, 8), db_int(r, 9), db_int(r, 10)};
	}
	st = db_rows_status(r);
	db_rows_free(r);
	if (st != STATUS_OK || n == 0)
		return st;
	customer_export_row **byid = arena_alloc(a, sizeof(*byid) * (size_t)n);
	for (int i = 0; i < n; i++)
		byid[i] = &v[i];
	qsort(byid, (size_t)n, sizeof(*byid), cmp_row_id);
	int64_t *fee_by_id = arena_alloc(a, sizeof(int64_t) * (size_t)n);
	memset(fee_by_id, 0, sizeof(int64_t) * (size_t)n);
	st = export_fees(c, business_id, byid, n, fee_by_id);
	if (st != STATUS_OK)
		return st;
	int64_t *fee = arena_alloc(a, sizeof(int64_t) * (size_t)n);
	for (int i = 0; i < n; i++)
		fee[byid[i] - v] = fee_by_id[i];
	for (int i = 0; i < ng; i++)
		figures_add(&v[g[i].row].f, g[i].s, g[i].n, g[i].price,
			    g[i].s == BOOKING_CANCELLED ? fee[g[i].row] : 0, g[i].last);
	*out = v;
	*count = n;
	return STATUS_OK;
}
