/* company.c - companies, and which customers belong to them. */
#include "store/company.h"

#include <ctype.h>
#include <string.h>

#include "base/ids.h"
#include "store/rows.h"
#include "store/unit.h"

#define COMPANY_COLUMNS                                                                        \
	"k.id, k.name, k.billing_email, k.notes, k.created_at, k.updated_at, "                 \
	"(SELECT COUNT(*) FROM customers u WHERE u.business_id = k.business_id AND "           \
	"u.company_id = k.id), (SELECT COUNT(*) FROM booking_groups g WHERE g.business_id = "  \
	"k.business_id AND g.company_id = k.id)"

static void company_read(const db_rows *r, arena *a, company *k)
{
	k->id = arena_strdup(a, db_text(r, 0));
	k->name = arena_strdup(a, db_text(r, 1));
	k->billing_email = arena_strdup(a, db_text(r, 2));
	k->notes = arena_strdup(a, db_text(r, 3));
	k->created_at = db_int(r, 4);
	k->updated_at = db_int(r, 5);
	k->customers = (int)db_int(r, 6);
	k->groups = (int)db_int(r, 7);
}

char *company_name_norm(arena *a, const char *name)
{
	size_t n = strlen(name);
	char *out = arena_alloc(a, n + 1), *o = out;
	bool space = false;
	for (const char *p = name; *p; p++) {
		unsigned char ch = (unsigned char)*p;
		if (isspace(ch)) {
			space = o != out;
			continue;
		}
		if (space)
			*o++ = ' ';
		space = false;
		*o++ = (char)tolower(ch);
	}
	*o = '\0';
	return out;
}

status company_list(db_conn *c, const char *business_id, int max, arena *a, company **out,
		    int *n)
{
	*out = NULL;
	*n = 0;
	db_rows *r;
	status st = db_query(c,
			     "SELECT " COMPANY_COLUMNS " FROM companies k WHERE k.business_id = $1 "
			     "ORDER BY k.name_norm, k.id LIMIT $2",
			     DB_PARAMS(DB_S(business_id), DB_I(max)), &r);
	if (st != STATUS_OK)
		return st;
	int cap = 0;
	while (db_next(r)) {
		ROWS_GROW(a, *out, *n, cap);
		company_read(r, a, &(*out)[(*n)++]);
	}
	st = db_rows_status(r);
	db_rows_free(r);
	return st;
}

status company_get(db_conn *c, const char *business_id, const char *id, arena *a, company *out)
{
	db_rows *r;
	status st = db_query(c,
			     "SELECT " COMPANY_COLUMNS " FROM companies k WHERE k.business_id = $1 "
			     "AND k.id = $2",
			     DB_PARAMS(DB_S(business_id), DB_S(id)), &r);
	if (st != STATUS_OK)
		return st;
	if (db_next(r))
		company_read(r, a, out);
	else
		st = db_rows_status(r) == STATUS_OK ? STATUS_NOT_FOUND : db_rows_status(r);
	db_rows_free(r);
	return st;
}

/* A put as a unit of work. */
typedef struct put_ctx {
	const char *bid;
	const company *in;
	const char *id;   /* the row written */
	const char *norm; /* its matching key */
	int64_t now;
} put_ctx;

static status put_work(db_conn *c, void *vctx)
{
	put_ctx *x = vctx;
	int64_t clash = 0;
	status st = db_query_int(c,
				 "SELECT COUNT(*) FROM companies WHERE business_id = $1 AND name_norm "
				 "= $2 AND id <> $3",
				 DB_PARAMS(DB_S(x->bid), DB_S(x->norm), DB_S(x->id)), &clash);
	if (st != STATUS_OK)
		return st;
	if (clash)
		return STATUS_CONFLICT;
	int64_t n = 0;
	if (x->in->id) {
		st = db_exec(c,
			     "UPDATE companies SET name = $3, name_norm = $4, billing_email = $5, "
			     "notes = $6, updated_at = $7 WHERE business_id = $1 AND id = $2",
			     DB_PARAMS(DB_S(x->bid), DB_S(x->id), DB_S(x->in->name), DB_S(x->norm),
				       DB_S(x->in->billing_email ? x->in->billing_email : ""),
				       DB_S(x->in->notes ? x->in->notes : ""), DB_I(x->now)),
			     &n);
		return st == STATUS_OK && n == 0 ? STATUS_NOT_FOUND : st;
	}
	return db_exec(c,
		       "INSERT INTO companies (business_id, id, name, name_norm, billing_email, "
		       "notes, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
		       DB_PARAMS(DB_S(x->bid), DB_S(x->id), DB_S(x->in->name), DB_S(x->norm),
				 DB_S(x->in->billing_email ? x->in->billing_email : ""),
				 DB_S(x->in->notes ? x->in->notes : ""), DB_I(x->now)),
		       NULL);
}

status company_put(db_conn *c, const char *business_id, const company *in, int64_t now,
		   arena *a, company *out)
{
	put_ctx x = {business_id, in, in->id ? in->id : ids_sortable(a, "cmp"),
		     company_name_norm(a, in->name), now};
	status st = store_unit_write(c, put_work, &x);
	if (st == STATUS_OK)
		st = company_get(c, business_id, x.id, a, out);
	return st;
}

/* A delete as a unit of work: the company's members and groups first let go of it. */
typedef struct del_ctx {
	const char *bid;
	const char *id;
} del_ctx;

static status del_work(db_conn *c, void *vctx)
{
	del_ctx *x = vctx;
	int64_t n = 0;
	status st = db_exec(c, "DELETE FROM companies WHERE business_id = $1 AND id = $2",
			    DB_PARAMS(DB_S(x->bid), DB_S(x->id)), &n);
	if (st == STATUS_OK && n == 0)
		return STATUS_NOT_FOUND;
	if (st == STATUS_OK)
		st = db_exec(c,
			     "UPDATE customers SET company_id = NULL WHERE business_id = $1 AND "
			     "company_id = $2",
			     DB_PARAMS(DB_S(x->bid), DB_S(x->id)), NULL);
	if (st == STATUS_OK)
		st = db_exec(c,
			     "UPDATE booking_groups SET company_id = NULL WHERE business_id = $1 AND "
			     "company_id = $2",
			     DB_PARAMS(DB_S(x->bid), DB_S(x->id)), NULL);
	return st;
}

status company_delete(db_conn *c, const char *business_id, const char *id)
{
	del_ctx x = {business_id, id};
	return store_unit_write(c, del_work, &x);
}

/* Setting a customer's company as a unit of work. */
typedef struct member_ctx {
	const char *bid;
	const char *customer;
	const char *company; /* or NULL */
} member_ctx;

static status member_work(db_conn *c, void *vctx)
{
	member_ctx *x = vctx;
	int64_t n = 0;
	status st = STATUS_OK;
	if (x->company) {
		st = db_query_int(c, "SELECT COUNT(*) FROM companies WHERE business_id = $1 AND id = $2",
				  DB_PARAMS(DB_S(x->bid), DB_S(x->company)), &n);
		if (st == STATUS_OK && n == 0)
			return STATUS_NOT_FOUND;
	}
	if (st == STATUS_OK)
		st = db_exec(c, "UPDATE customers SET company_id = $3 WHERE business_id = $1 AND id = $2",
			     DB_PARAMS(DB_S(x->bid), DB_S(x->customer), DB_S(x->company)), &n);
	return st == STATUS_OK && n == 0 ? STATUS_NOT_FOUND : st;
}

status company_set_customer(db_conn *c, const char *business_id, const char *customer_id,
			    const char *company_id)
{
	member_ctx x = {business_id, customer_id, company_id};
	return store_unit_write(c, member_work, &x);
}

status company_of_customer(db_conn *c, const char *business_id, const char *customer_id,
			   arena *a, company *out)
{
	memset(out, 0, sizeof(*out));
	db_rows *r;
	status st = db_query(c,
			     "SELECT " COMPANY_COLUMNS " FROM companies k JOIN customers u ON "
			     "u.business_id = k.business_id AND u.company_id = k.id WHERE "
			     "u.business_id = $1 AND u.id = $2",
			     DB_PARAMS(DB_S(business_id), DB_S(customer_id)), &r);
	if (st != STATUS_OK)
		return st;
	if (db_next(r))
		company_read(r, a, out);
	st = db_rows_status(r);
	db_rows_free(r);
	return st;
}

status company_match(db_conn *c, const char *business_id, const char *name,
		     const char *billing_email, int64_t now, arena *a, const char **id_out)
{
	const char *norm = company_name_norm(a, name);
	const char *id = ids_sortable(a, "cmp");
	/* ON CONFLICT: the name is known; the existing row is kept as staff left it. */
	status st = db_exec(c,
			    "INSERT INTO companies (business_id, id, name, name_norm, billing_email, "
			    "notes, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, '', $6, $6) "
			    "ON CONFLICT (business_id, name_norm) DO NOTHING",
			    DB_PARAMS(DB_S(business_id), DB_S(id), DB_S(name), DB_S(norm),
				      DB_S(billing_email ? billing_email : ""), DB_I(now)),
			    NULL);
	db_rows *r;
	if (st == STATUS_OK)
		st = db_query(c, "SELECT id FROM companies WHERE business_id = $1 AND name_norm = $2",
			      DB_PARAMS(DB_S(business_id), DB_S(norm)), &r);
	if (st != STATUS_OK)
		return st;
	if (db_next(r))
		*id_out = arena_strdup(a, db_text(r, 0));
	else
		st = db_rows_status(r) == STATUS_OK ? STATUS_INTERNAL : db_rows_status(r);
	db_rows_free(r);
	return st;
}
