/* session.c - staff sessions, API tokens and failed-login counters. */
#include "store/session.h"

#define SESSION_SELECT                                                                        \
	"SELECT s.business_id, b.slug, s.id, s.user_id, u.email, u.role, "                    \
	"(SELECT MIN(p.id) FROM providers p WHERE p.business_id = s.business_id AND "         \
	"p.user_id = s.user_id), s.csrf_token, s.expires_at "                                 \
	"FROM staff_sessions s JOIN users u ON u.business_id = s.business_id AND "            \
	"u.id = s.user_id JOIN businesses b ON b.id = s.business_id "

#define TOKEN_SELECT                                                                          \
	"SELECT t.business_id, b.slug, t.id, t.user_id, u.email, u.role, "                    \
	"(SELECT MIN(p.id) FROM providers p WHERE p.business_id = t.business_id AND "         \
	"p.user_id = t.user_id), NULL, COALESCE(t.expires_at, 0), "                          \
	"COALESCE(t.last_used_at, 0), t.read_only "                                           \
	"FROM api_tokens t JOIN users u ON u.business_id = t.business_id AND "                \
	"u.id = t.user_id JOIN businesses b ON b.id = t.business_id "

/* Reads the first row of a SESSION_SELECT or TOKEN_SELECT (is_token: it has last_used_at
 * and read_only). */
static status credential_one(db_conn *c, const char *sql, const db_val *params, int n,
			     bool is_token, arena *a, store_credential *out)
{
	db_rows *rows;
	status st = db_query(c, sql, params, n, &rows);
	if (st != STATUS_OK)
		return st;
	if (db_next(rows)) {
		out->business_id = arena_strdup(a, db_text(rows, 0));
		out->business_slug = arena_strdup(a, db_text(rows, 1));
		out->id = arena_strdup(a, db_text(rows, 2));
		out->user_id = arena_strdup(a, db_text(rows, 3));
		out->email = arena_strdup(a, db_text(rows, 4));
		out->role = arena_strdup(a, db_text(rows, 5));
		out->provider_id = db_null(rows, 6) ? NULL : arena_strdup(a, db_text(rows, 6));
		out->csrf_token = db_null(rows, 7) ? NULL : arena_strdup(a, db_text(rows, 7));
		out->expires_at = db_int(rows, 8);
		out->last_used_at = is_token ? db_int(rows, 9) : 0;
		out->read_only = is_token && db_int(rows, 10) != 0;
	} else {
		st = db_rows_status(rows) == STATUS_OK ? STATUS_NOT_FOUND : db_rows_status(rows);
	}
	db_rows_free(rows);
	return st;
}

status store_staff_session_insert(db_conn *c, const char *business_id, const char *id,
			    const char *token_hash, const char *user_id, const char *csrf_token,
			    int64_t now, int64_t expires_at, const char *remote_addr)
{
	return db_exec(c,
		       "INSERT INTO staff_sessions (business_id, id, token_hash, user_id, csrf_token, "
		       "created_at, expires_at, remote_addr) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
		       DB_PARAMS(DB_S(business_id), DB_S(id), DB_S(token_hash), DB_S(user_id),
				 DB_S(csrf_token), DB_I(now), DB_I(expires_at),
				 DB_S(remote_addr ? remote_addr : "")),
		       NULL);
}

status store_staff_session_find(db_conn *c, const char *business_id, const char *token_hash,
			  int64_t now, arena *a, store_credential *out)
{
	return credential_one(c,
			      SESSION_SELECT "WHERE s.business_id = $1 AND s.token_hash = $2 AND "
					     "s.revoked_at IS NULL AND s.expires_at > $3",
			      DB_PARAMS(DB_S(business_id), DB_S(token_hash), DB_I(now)), false, a,
			      out);
}

status store_staff_session_revoke(db_conn *c, const char *business_id, const char *id, int64_t now)
{
	return db_exec(c,
		       "UPDATE staff_sessions SET revoked_at = $3 WHERE business_id = $1 AND id = $2 "
		       "AND revoked_at IS NULL",
		       DB_PARAMS(DB_S(business_id), DB_S(id), DB_I(now)), NULL);
}

status store_staff_session_purge(db_conn *c, const char *business_id, const char *user_id,
				 int64_t now)
{
	return db_exec(c,
		       "DELETE FROM staff_sessions WHERE business_id = $1 AND user_id = $2 AND "
		       "(expires_at <= $3 OR revoked_at <= $3)",
		       DB_PARAMS(DB_S(business_id), DB_S(user_id), DB_I(now)), NULL);
}

status store_staff_session_end_user(db_conn *c, const char *business_id, const char *user_id,
				    const char *keep_id, int64_t now)
{
	return db_exec(c,
		       "UPDATE staff_sessions SET revoked_at = $4 WHERE business_id = $1 AND "
		       "user_id = $2 AND id <> $3 AND revoked_at IS NULL",
		       DB_PARAMS(DB_S(business_id), DB_S(user_id), DB_S(keep_id ? keep_id : ""),
				 DB_I(now)),
		       NULL);
}

status store_token_insert(db_conn *c, const store_token_new *t)
{
	return db_exec(c,
		       "INSERT INTO api_tokens (business_id, id, token_hash, user_id, name, hint, "
		       "created_at, expires_at, read_only) VALUES ($1, $2, $3, $4, $5, $6, $7, "
		       "CASE WHEN $8 > 0 THEN $8 ELSE NULL END, $9)",
		       DB_PARAMS(DB_S(t->business_id), DB_S(t->id), DB_S(t->token_hash),
				 DB_S(t->user_id), DB_S(t->name ? t->name : ""),
				 DB_S(t->hint ? t->hint : ""), DB_I(t->created_at),
				 DB_I(t->expires_at), DB_I(t->read_only ? 1 : 0)),
		       NULL);
}

status store_token_find(db_conn *c, const char *business_id, const char *token_hash,
			int64_t now, arena *a, store_credential *out)
{
	return credential_one(c,
			      TOKEN_SELECT "WHERE t.business_id = $1 AND t.token_hash = $2 AND "
					   "t.revoked_at IS NULL AND (t.expires_at IS NULL OR "
					   "t.expires_at > $3)",
			      DB_PARAMS(DB_S(business_id), DB_S(token_hash), DB_I(now)), true, a,
			      out);
}

status store_token_touch(db_conn *c, const char *business_id, const char *id, int64_t now)
{
	return db_exec(c, "UPDATE api_tokens SET last_used_at = $3 WHERE business_id = $1 AND id = $2",
		       DB_PARAMS(DB_S(business_id), DB_S(id), DB_I(now)), NULL);
}

#define TOKEN_LIST_SELECT                                                                     \
	"SELECT t.id, t.user_id, u.email, u.role, t.name, t.hint, t.created_at, "             \
	"t.last_used_at, t.revoked_at, t.expires_at, t.read_only FROM api_tokens t JOIN "     \
	"users u ON "                                                                         \
	"u.business_id = t.business_id AND u.id = t.user_id "

static void token_read(const db_rows *rows, arena *a, store_token *t)
{
	t->id = arena_strdup(a, db_text(rows, 0));
	t->user_id = arena_strdup(a, db_text(rows, 1));
	t->user_email = arena_strdup(a, db_text(rows, 2));
	t->role = arena_strdup(a, db_text(rows, 3));
	t->name = arena_strdup(a, db_text(rows, 4));
	t->hint = arena_strdup(a, db_text(rows, 5));
	t->created_at = db_int(rows, 6);
	t->last_used_at = db_int(rows, 7);
	t->revoked_at = db_int(rows, 8);
	t->expires_at = db_null(rows, 9) ? 0 : db_int(rows, 9);
	t->read_only = db_int(rows, 10) != 0;
}

status store_token_list(db_conn *c, const char *business_id, const char *user_id, arena *a,
			store_token **out, int *count)
{
	db_rows *rows;
	status st = db_query(c,
			     TOKEN_LIST_SELECT "WHERE t.business_id = $1 AND "
					       "(CAST($2 AS TEXT) IS NULL OR t.user_id = $2) "
					       "ORDER BY t.created_at DESC, t.id DESC",
			     DB_PARAMS(DB_S(business_id), DB_S(user_id)), &rows);
	if (st != STATUS_OK)
		return st;
	int n = 0, cap = 16;
	store_token *list = arena_alloc(a, sizeof(*list) * (size_t)cap);
	while (db_next(rows)) {
		if (n == cap) {
			store_token *bigger = arena_alloc(a, sizeof(*list) * (size_t)cap * 2);
			for (int i = 0; i < n; i++)
				bigger[i] = list[i];
			list = bigger;
			cap *= 2;
		}
		token_read(rows, a, &list[n++]);
	}
	st = db_rows_status(rows);
	db_rows_free(rows);
	*out = list;
	*count = n;
	return st;
}

status store_token_get(db_conn *c, const char *business_id, const char *id, arena *a,
		       store_token *out)
{
	db_rows *rows;
	status st = db_query(c, TOKEN_LIST_SELECT "WHERE t.business_id = $1 AND t.id = $2",
			     DB_PARAMS(DB_S(business_id), DB_S(id)), &rows);
	if (st != STATUS_OK)
		return st;
	if (db_next(rows))
		token_read(rows, a, out);
	else
		st = db_rows_status(rows) == STATUS_OK ? STATUS_NOT_FOUND : db_rows_status(rows);
	db_rows_free(rows);
	return st;
}

status store_token_revoke(db_conn *c, const char *business_id, const char *id, int64_t now)
{
	int64_t changed = 0;
	status st = db_exec(c,
			    "UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $3) "
			    "WHERE business_id = $1 AND id = $2",
			    DB_PARAMS(DB_S(business_id), DB_S(id), DB_I(now)), &changed);
	if (st == STATUS_OK && changed == 0)
		return STATUS_NOT_FOUND;
	return st;
}

status store_login_state(db_conn *c, const char *business_id, const char *key, int64_t now,
			 int64_t reset_after_s, int64_t *locked_until, int64_t *failures)
{
	*locked_until = 0;
	*failures = 0;
	db_rows *rows;
	status st = db_query(c,
			     "SELECT locked_until, CASE WHEN last_failure_at < $3 THEN 0 ELSE "
			     "failures END FROM login_failures WHERE business_id = $1 AND key = $2",
			     DB_PARAMS(DB_S(business_id), DB_S(key), DB_I(now - reset_after_s)), &rows);
	if (st != STATUS_OK)
		return st;
	if (db_next(rows)) {
		*locked_until = db_int(rows, 0);
		*failures = db_int(rows, 1);
	}
	st = db_rows_status(rows);
	db_rows_free(rows);
	return st;
}

status store_login_failure(db_conn *c, const char *business_id, const char *key, int64_t now,
			   int64_t reset_after_s, int64_t *failures)
{
	return db_query_int(
		c,
		"INSERT INTO login_failures (business_id, key, failures, last_failure_at, "
		"locked_until) VALUES ($1, $2, 1, $3, 0) ON CONFLICT (business_id, key) DO UPDATE "
		"SET failures = CASE WHEN login_failures.last_failure_at < $4 THEN 1 "
		"ELSE login_failures.failures + 1 END, last_failure_at = $3 RETURNING failures",
		DB_PARAMS(DB_S(business_id), DB_S(key), DB_I(now), DB_I(now - reset_after_s)),
		failures);
}

status store_login_lock(db_conn *c, const char *business_id, const char *key, int64_t until)
{
	return db_exec(c,
		       "UPDATE login_failures SET locked_until = $3 WHERE business_id = $1 AND "
		       "key = $2",
		       DB_PARAMS(DB_S(business_id), DB_S(key), DB_I(until)), NULL);
}

status store_login_clear(db_conn *c, const char *business_id, const char *key)
{
	return db_exec(c, "DELETE FROM login_failures WHERE business_id = $1 AND key = $2",
		       DB_PARAMS(DB_S(business_id), DB_S(key)), NULL);
}

status store_login_purge(db_conn *c, int64_t before, int64_t now)
{
	return db_exec(c,
		       "DELETE FROM login_failures WHERE last_failure_at < $1 AND locked_until <= $2",
		       DB_PARAMS(DB_I(before), DB_I(now)), NULL);
}
