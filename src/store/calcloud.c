/* calcloud.c - OAuth consents and the sealed tokens of Google and Microsoft connections. */
#include "store/calcloud.h"

#include <string.h>

status store_oauth_state_insert(db_conn *c, const store_oauth_state *s)
{
	status st = db_exec(c, "DELETE FROM oauth_states WHERE expires_at < $1",
	                    DB_PARAMS(DB_I(s->created_at)), NULL);
	if (st == STATUS_OK)
		st = db_exec(
		    c,
		    "INSERT INTO oauth_states (state_hash, business_id, session_id, service, "
		    "provider_id, resource_id, name, push, fail_closed_after_s, verifier, "
		    "redirect_uri, connection_id, created_at, expires_at) VALUES ($1, $2, $3, $4, "
		    "$5, "
		    "$6, $7, $8, $9, $10, $11, $12, $13, $14)",
		    DB_PARAMS(DB_S(s->state_hash), DB_S(s->business_id), DB_S(s->session_id),
		              DB_S(s->service), DB_S(s->provider_id), DB_S(s->resource_id),
		              DB_S(s->name), DB_I(s->push ? 1 : 0),
		              s->fail_closed_after_s > 0 ? DB_I(s->fail_closed_after_s) : DB_NUL,
		              DB_S(s->verifier), DB_S(s->redirect_uri), DB_S(s->connection_id),
		              DB_I(s->created_at), DB_I(s->expires_at)),
		    NULL);
	return st;
}

status store_oauth_state_take(db_conn *c, const char *state_hash, int64_t now, arena *a,
                              store_oauth_state *out)
{
	db_rows *r;
	status st =
	    db_query(c,
	             "DELETE FROM oauth_states WHERE state_hash = $1 RETURNING business_id, "
	             "session_id, service, provider_id, resource_id, name, push, "
	             "fail_closed_after_s, verifier, redirect_uri, connection_id, created_at, "
	             "expires_at",
	             DB_PARAMS(DB_S(state_hash)), &r);
	if (st != STATUS_OK)
		return st;
	bool found = db_next(r);
	if (found) {
		*out = (store_oauth_state){
		    .state_hash = arena_strdup(a, state_hash),
		    .business_id = arena_strdup(a, db_text(r, 0)),
		    .session_id = arena_strdup(a, db_text(r, 1)),
		    .service = arena_strdup(a, db_text(r, 2)),
		    .provider_id = db_null(r, 3) ? NULL : arena_strdup(a, db_text(r, 3)),
		    .resource_id = db_null(r, 4) ? NULL : arena_strdup(a, db_text(r, 4)),
		    .name = arena_strdup(a, db_text(r, 5)),
		    .push = db_int(r, 6) != 0,
		    .fail_closed_after_s = db_int(r, 7),
		    .verifier = arena_strdup(a, db_text(r, 8)),
		    .redirect_uri = arena_strdup(a, db_text(r, 9)),
		    .connection_id = db_null(r, 10) ? NULL : arena_strdup(a, db_text(r, 10)),
		    .created_at = db_int(r, 11),
		    .expires_at = db_int(r, 12)};
	}
	st = db_rows_status(r);
	db_rows_free(r);
	if (st == STATUS_OK && (!found || out->expires_at < now))
		st = STATUS_NOT_FOUND;
	return st;
}

status store_calcloud_connect(db_conn *c, const store_oauth_state *s, const char *id,
                              const char *url, const char *box, int64_t now)
{
	int64_t n = 0;
	if (s->connection_id) {
		status st = db_exec(
		    c,
		    "UPDATE calendar_connections SET secret_box = $4, needs_credentials = 0, "
		    "failures = 0, failing_since = NULL, alerted_at = NULL, last_error = '', "
		    "token_expires_at = NULL, next_attempt_at = $5, lease_until = 0 WHERE "
		    "business_id = $1 AND id = $2 AND kind = $3",
		    DB_PARAMS(DB_S(s->business_id), DB_S(s->connection_id), DB_S(s->service),
		              DB_S(box), DB_I(now)),
		    &n);
		return st == STATUS_OK && n == 0 ? STATUS_NOT_FOUND : st;
	}
	return db_exec(
	    c,
	    "INSERT INTO calendar_connections (business_id, id, kind, provider_id, "
	    "resource_id, name, url, secret_box, push, fail_closed_after_s, created_at, "
	    "next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)",
	    DB_PARAMS(
	        DB_S(s->business_id), DB_S(id), DB_S(s->service), DB_S(s->provider_id),
	        DB_S(s->resource_id), DB_S(s->name), DB_S(url), DB_S(box), DB_I(s->push ? 1 : 0),
	        s->fail_closed_after_s > 0 ? DB_I(s->fail_closed_after_s) : DB_NUL, DB_I(now)),
	    NULL);
}

status store_calcloud_tokens(db_conn *c, const char *business_id, const char *id, const char *box,
                             int64_t expires_at, const char *account)
{
	return db_exec(
	    c,
	    "UPDATE calendar_connections SET secret_box = $3, token_expires_at = $4, "
	    "account = COALESCE(CAST($5 AS TEXT), account) WHERE business_id = $1 AND id "
	    "= $2",
	    DB_PARAMS(DB_S(business_id), DB_S(id), DB_S(box), DB_I(expires_at), DB_S(account)),
	    NULL);
}

status store_calcloud_box(db_conn *c, const char *business_id, const char *id, arena *a,
                          const char **box)
{
	db_rows *r;
	status st =
	    db_query(c,
	             "SELECT secret_box FROM calendar_connections WHERE business_id = $1 AND "
	             "id = $2",
	             DB_PARAMS(DB_S(business_id), DB_S(id)), &r);
	if (st != STATUS_OK)
		return st;
	bool found = db_next(r);
	*box = found && !db_null(r, 0) ? arena_strdup(a, db_text(r, 0)) : NULL;
	st = db_rows_status(r);
	db_rows_free(r);
	return st == STATUS_OK && !found ? STATUS_NOT_FOUND : st;
}
