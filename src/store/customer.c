/* customer.c - customer search, profile and profile edits for staff. */
#include "store/customer.h"

#include <ctype.h>
#include <string.h>

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

/* The LIKE pattern "%q%" of a search, lower-cased, with the pattern characters of q
 * escaped by '\' (the statement says ESCAPE '\'). A bound value, never SQL text. */
static const char *like_pattern(arena *a, const char *q)
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
	const char *pat = f->q && *f->q ? like_pattern(a, f->q) : "";
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
			     const char *name, const char *phone, const char *notes, int64_t now)
{
	int64_t changed = 0;
	status st = db_exec(c,
			    "UPDATE customers SET name = COALESCE(CAST($3 AS TEXT), name), "
			    "phone = COALESCE(CAST($4 AS TEXT), phone), "
			    "notes = COALESCE(CAST($5 AS TEXT), notes), updated_at = $6 "
			    "WHERE business_id = $1 AND id = $2",
			    DB_PARAMS(DB_S(business_id), DB_S(id), DB_S(name), DB_S(phone), DB_S(notes),
				      DB_I(now)),
			    &changed);
	if (st == STATUS_OK && changed == 0)
		st = STATUS_NOT_FOUND;
	return st;
}
