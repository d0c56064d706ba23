/* audit.c - writes and pages of the audit log. */
#include "store/audit.h"

#include "store/customer.h"

static const char *audit_str(const char *s)
{
	return s ? s : "";
}

status store_audit_insert(db_conn *c, const audit_entry *e)
{
	return db_exec(c,
		       "INSERT INTO audit_log (business_id, id, at, user_id, actor_email, token_id, "
		       "action, method, path, status, remote_addr, request_id, detail) VALUES "
		       "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
		       DB_PARAMS(DB_S(e->business_id), DB_S(e->id), DB_I(e->at), DB_S(e->user_id),
				 DB_S(audit_str(e->actor_email)), DB_S(e->token_id), DB_S(e->action),
				 DB_S(audit_str(e->method)), DB_S(audit_str(e->path)),
				 DB_I(e->status), DB_S(audit_str(e->remote_addr)),
				 DB_S(audit_str(e->request_id)), DB_S(audit_str(e->detail))),
		       NULL);
}

status store_audit_list(db_conn *c, const char *business_id, const audit_filter *f, int limit,
			arena *a, audit_entry **out, int *count)
{
	db_rows *rows;
	/* One statement for every combination: each filter is on or off by a bound value. */
	status st = db_query(
		c,
		"SELECT id, at, user_id, actor_email, token_id, action, method, path, status, "
		"remote_addr, request_id, detail FROM audit_log WHERE business_id = $1 AND "
		"(CAST($3 AS TEXT) IS NULL OR at < $2 OR (at = $2 AND id < $3)) "
		"AND ($5 = 0 OR at >= $6) AND ($7 = 0 OR at < $8) "
		"AND ($9 = '' OR user_id = $9) AND ($11 = 0 OR status >= 400) "
		"AND ($10 = '' OR LOWER(action) LIKE $10 ESCAPE '\\' OR LOWER(path) LIKE $10 "
		"ESCAPE '\\' OR LOWER(actor_email) LIKE $10 ESCAPE '\\' OR LOWER(detail) LIKE $10 "
		"ESCAPE '\\') "
		"ORDER BY at DESC, id DESC LIMIT $4",
		DB_PARAMS(DB_S(business_id), DB_I(f->before_at), DB_S(f->before_id), DB_I(limit),
			  DB_I(f->from_set), DB_I(f->from), DB_I(f->to_set), DB_I(f->to),
			  DB_S(f->user_id ? f->user_id : ""),
			  DB_S(f->text && *f->text ? store_like_pattern(a, f->text) : ""),
			  DB_I(f->failed_only)),
		&rows);
	if (st != STATUS_OK)
		return st;
	audit_entry *list = arena_alloc(a, sizeof(*list) * (size_t)(limit > 0 ? limit : 1));
	int n = 0;
	while (n < limit && db_next(rows)) {
		audit_entry *e = &list[n++];
		e->business_id = business_id;
		e->id = arena_strdup(a, db_text(rows, 0));
		e->at = db_int(rows, 1);
		e->user_id = db_null(rows, 2) ? NULL : arena_strdup(a, db_text(rows, 2));
		e->actor_email = arena_strdup(a, db_text(rows, 3));
		e->token_id = db_null(rows, 4) ? NULL : arena_strdup(a, db_text(rows, 4));
		e->action = arena_strdup(a, db_text(rows, 5));
		e->method = arena_strdup(a, db_text(rows, 6));
		e->path = arena_strdup(a, db_text(rows, 7));
		e->status = (int)db_int(rows, 8);
		e->remote_addr = arena_strdup(a, db_text(rows, 9));
		e->request_id = arena_strdup(a, db_text(rows, 10));
		e->detail = arena_strdup(a, db_text(rows, 11));
	}
	st = db_rows_status(rows);
	db_rows_free(rows);
	*out = list;
	*count = n;
	return st;
}
