/* calconn.c - external calendar connections and the busy time read from them. */
#include "store/calconn.h"

#include <string.h>

#include "store/calalert.h"

#define CALCONN_COLUMNS                                                                       \
	"business_id, id, kind, provider_id, resource_id, name, url, poll_interval_s, "        \
	"fail_closed_after_s, etag, last_modified, created_at, last_attempt_at, "               \
	"last_success_at, last_error, last_error_at, failures, next_attempt_at, busy_count, "   \
	"skipped_count, username, secret_box, push, sync_token, needs_credentials, "             \
	"failing_since, alerted_at, calendar_id, account, token_expires_at"

static const char *opt_text(const db_rows *r, int col, arena *a)
{
	return db_null(r, col) ? NULL : arena_strdup(a, db_text(r, col));
}

static void calconn_read(const db_rows *r, arena *a, store_calconn *k)
{
	k->business_id = arena_strdup(a, db_text(r, 0));
	k->id = arena_strdup(a, db_text(r, 1));
	k->kind = arena_strdup(a, db_text(r, 2));
	k->provider_id = opt_text(r, 3, a);
	k->resource_id = opt_text(r, 4, a);
	k->name = arena_strdup(a, db_text(r, 5));
	k->url = arena_strdup(a, db_text(r, 6));
	k->poll_interval_s = (int)db_int(r, 7);
	k->fail_closed_after_s = db_int(r, 8);
	k->etag = opt_text(r, 9, a);
	k->last_modified = opt_text(r, 10, a);
	k->created_at = db_int(r, 11);
	k->last_attempt_at = db_int(r, 12);
	k->last_success_at = db_int(r, 13);
	k->last_error = arena_strdup(a, db_text(r, 14));
	k->last_error_at = db_int(r, 15);
	k->failures = (int)db_int(r, 16);
	k->next_attempt_at = db_int(r, 17);
	k->busy_count = (int)db_int(r, 18);
	k->skipped_count = (int)db_int(r, 19);
	k->username = arena_strdup(a, db_text(r, 20));
	k->secret_box = opt_text(r, 21, a);
	k->push = db_int(r, 22) != 0;
	k->sync_token = opt_text(r, 23, a);
	k->needs_credentials = db_int(r, 24) != 0;
	k->failing_since = db_int(r, 25);
	k->alerted_at = db_int(r, 26);
	k->calendar_id = arena_strdup(a, db_text(r, 27));
	k->account = arena_strdup(a, db_text(r, 28));
	k->token_expires_at = db_int(r, 29);
}

status store_calconn_insert(db_conn *c, const store_calconn *k)
{
	return db_exec(c,
		       "INSERT INTO calendar_connections (business_id, id, kind, provider_id, "
		       "resource_id, name, url, poll_interval_s, fail_closed_after_s, created_at, "
		       "next_attempt_at, username, secret_box, push) VALUES ($1, $2, $3, $4, $5, "
		       "$6, $7, $8, $9, $10, $10, $11, $12, $13)",
		       DB_PARAMS(DB_S(k->business_id), DB_S(k->id), DB_S(k->kind),
				 DB_S(k->provider_id), DB_S(k->resource_id), DB_S(k->name),
				 DB_S(k->url), DB_I(k->poll_interval_s),
				 k->fail_closed_after_s > 0 ? DB_I(k->fail_closed_after_s) : DB_NUL,
				 DB_I(k->created_at), DB_S(k->username ? k->username : ""),
				 DB_S(k->secret_box), DB_I(k->push ? 1 : 0)),
		       NULL);
}

/* The rows of r into a growing array. */
static status calconn_rows(db_rows *r, arena *a, store_calconn **out, int *n)
{
	int cap = 0;
	while (db_next(r)) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			store_calconn *grown = arena_alloc(a, sizeof(*grown) * (size_t)cap);
			if (*n)
				memcpy(grown, *out, sizeof(*grown) * (size_t)*n);
			*out = grown;
		}
		calconn_read(r, a, &(*out)[(*n)++]);
	}
	status st = db_rows_status(r);
	db_rows_free(r);
	return st;
}

status store_calconn_get(db_conn *c, const char *business_id, const char *id, arena *a,
			 store_calconn *out)
{
	db_rows *r;
	status st = db_query(c,
			     "SELECT " CALCONN_COLUMNS " FROM calendar_connections WHERE business_id "
			     "= $1 AND id = $2",
			     DB_PARAMS(DB_S(business_id), DB_S(id)), &r);
	if (st != STATUS_OK)
		return st;
	store_calconn *list = NULL;
	int n = 0;
	st = calconn_rows(r, a, &list, &n);
	if (st == STATUS_OK && n == 0)
		st = STATUS_NOT_FOUND;
	if (st == STATUS_OK)
		*out = list[0];
	return st;
}

status store_calconn_list(db_conn *c, const char *business_id, arena *a, store_calconn **out,
			  int *n)
{
	*out = NULL;
	*n = 0;
	db_rows *r;
	status st = db_query(c,
			     "SELECT " CALCONN_COLUMNS " FROM calendar_connections WHERE business_id "
			     "= $1 ORDER BY created_at, id",
			     DB_PARAMS(DB_S(business_id)), &r);
	return st == STATUS_OK ? calconn_rows(r, a, out, n) : st;
}

status store_calconn_delete(db_conn *c, const char *business_id, const char *id)
{
	status st = db_begin_write(c);
	int64_t n = 0;
	if (st == STATUS_OK)
		st = db_exec(c, "DELETE FROM external_busy WHERE business_id = $1 AND connection_id = $2",
			     DB_PARAMS(DB_S(business_id), DB_S(id)), NULL);
	if (st == STATUS_OK)
		st = db_exec(c, "DELETE FROM caldav_objects WHERE business_id = $1 AND connection_id = $2",
			     DB_PARAMS(DB_S(business_id), DB_S(id)), NULL);
	if (st == STATUS_OK)
		st = db_exec(c, "DELETE FROM calendar_pushes WHERE business_id = $1 AND connection_id = $2",
			     DB_PARAMS(DB_S(business_id), DB_S(id)), NULL);
	if (st == STATUS_OK)
		st = db_exec(c, "DELETE FROM calendar_connections WHERE business_id = $1 AND id = $2",
			     DB_PARAMS(DB_S(business_id), DB_S(id)), &n);
	if (st == STATUS_OK && n == 0)
		st = STATUS_NOT_FOUND;
	if (st == STATUS_OK)
		st = db_commit(c);
	if (st != STATUS_OK && db_in_tx(c))
		db_rollback(c);
	return st;
}

status store_calconn_resync(db_conn *c, const char *business_id, const char *id, int64_t now)
{
	int64_t n = 0;
	status st = db_exec(c,
			    "UPDATE calendar_connections SET etag = NULL, last_modified = NULL, "
			    "sync_token = NULL, next_attempt_at = $3 WHERE business_id = $1 AND id = $2",
			    DB_PARAMS(DB_S(business_id), DB_S(id), DB_I(now)), &n);
	return st == STATUS_OK && n == 0 ? STATUS_NOT_FOUND : st;
}

status store_calconn_claim(db_conn *c, int64_t now, int lease_s, arena *a, store_calconn *out)
{
	const char *sql =
	    db_conn_kind(c) == DB_POSTGRES
		? "UPDATE calendar_connections SET lease_until = $2, last_attempt_at = $1 WHERE "
		  "(business_id, id) IN (SELECT business_id, id FROM calendar_connections WHERE "
		  "next_attempt_at <= $1 AND lease_until < $1 ORDER BY next_attempt_at LIMIT 1 FOR "
		  "UPDATE SKIP LOCKED) RETURNING " CALCONN_COLUMNS
		: "UPDATE calendar_connections SET lease_until = $2, last_attempt_at = $1 WHERE "
		  "(business_id, id) IN (SELECT business_id, id FROM calendar_connections WHERE "
		  "next_attempt_at <= $1 AND lease_until < $1 ORDER BY next_attempt_at LIMIT 1) "
		  "RETURNING " CALCONN_COLUMNS;
	db_rows *r;
	status st = db_query(c, sql, DB_PARAMS(DB_I(now), DB_I(now + lease_s)), &r);
	if (st != STATUS_OK)
		return st;
	store_calconn *list = NULL;
	int n = 0;
	st = calconn_rows(r, a, &list, &n);
	if (st == STATUS_OK && n == 0)
		st = STATUS_NOT_FOUND;
	if (st == STATUS_OK)
		*out = list[0];
	return st;
}

status store_calconn_zone(db_conn *c, const store_calconn *k, arena *a, const char **zone)
{
	db_rows *r;
	status st = db_query(c,
			     "SELECT COALESCE(p.timezone, b.timezone) FROM businesses b LEFT JOIN "
			     "providers p ON p.business_id = b.id AND p.id = $2 WHERE b.id = $1",
			     DB_PARAMS(DB_S(k->business_id), DB_S(k->provider_id)), &r);
	if (st != STATUS_OK)
		return st;
	if (db_next(r))
		*zone = arena_strdup(a, db_text(r, 0));
	else
		st = db_rows_status(r) != STATUS_OK ? db_rows_status(r) : STATUS_NOT_FOUND;
	db_rows_free(r);
	return st;
}

status store_calconn_success(db_conn *c, const store_calconn *k, int64_t now, int64_t next_at,
			     bool replace, const char *etag, const char *last_modified,
			     const store_busy *spans, int n, int skipped)
{
	status st = db_begin_write(c);
	int64_t changed = 0;
	if (st == STATUS_OK && replace)
		st = db_exec(c,
			     "UPDATE calendar_connections SET last_success_at = $3, last_error = '', "
			     "failures = 0, failing_since = NULL, alerted_at = NULL, needs_credentials = 0, "
			     "next_attempt_at = $4, lease_until = 0, etag = $5, "
			     "last_modified = $6, busy_count = $7, skipped_count = $8 WHERE "
			     "business_id = $1 AND id = $2",
			     DB_PARAMS(DB_S(k->business_id), DB_S(k->id), DB_I(now), DB_I(next_at),
				       DB_S(etag && *etag ? etag : NULL),
				       DB_S(last_modified && *last_modified ? last_modified : NULL),
				       DB_I(n), DB_I(skipped)),
			     &changed);
	else if (st == STATUS_OK)
		st = db_exec(c,
			     "UPDATE calendar_connections SET last_success_at = $3, last_error = '', "
			     "failures = 0, failing_since = NULL, alerted_at = NULL, needs_credentials = 0, "
			     "next_attempt_at = $4, lease_until = 0 WHERE business_id = $1 AND id = $2",
			     DB_PARAMS(DB_S(k->business_id), DB_S(k->id), DB_I(now), DB_I(next_at)),
			     &changed);
	if (st == STATUS_OK && changed == 0)
		st = STATUS_NOT_FOUND;
	if (st == STATUS_OK && replace)
		st = db_exec(c, "DELETE FROM external_busy WHERE business_id = $1 AND connection_id = $2",
			     DB_PARAMS(DB_S(k->business_id), DB_S(k->id)), NULL);
	for (int i = 0; st == STATUS_OK && replace && i < n; i++)
		st = db_exec(c,
			     "INSERT INTO external_busy (business_id, connection_id, start_at, end_at, "
			     "provider_id, resource_id, uid) VALUES ($1, $2, $3, $4, $5, $6, $7)",
			     DB_PARAMS(DB_S(k->business_id), DB_S(k->id), DB_I(spans[i].start),
				       DB_I(spans[i].end), DB_S(k->provider_id), DB_S(k->resource_id),
				       DB_S(spans[i].uid ? spans[i].uid : "")),
			     NULL);
	if (st == STATUS_OK)
		st = db_commit(c);
	if (st != STATUS_OK && db_in_tx(c))
		db_rollback(c);
	return st;
}

status store_calconn_failure(db_conn *c, const store_calconn *k, int64_t now, int64_t next_at,
			     int failures, const char *error)
{
	arena *a = arena_new();
	status st = store_calconn_failed(c, k, now, next_at, failures, error, false, a, NULL);
	arena_free(a);
	return st;
}
