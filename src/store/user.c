/* user.c - reads and writes of the users table. */
#include "store/user.h"

#define USER_COLUMNS                                                                          \
	"u.business_id, u.id, u.email, u.name, u.role, u.password_hash, u.created_at, "       \
	"(SELECT MIN(p.id) FROM providers p WHERE p.business_id = u.business_id AND "         \
	"p.user_id = u.id)"

static void user_read(const db_rows *rows, arena *a, staff_user *out)
{
	out->business_id = arena_strdup(a, db_text(rows, 0));
	out->id = arena_strdup(a, db_text(rows, 1));
	out->email = arena_strdup(a, db_text(rows, 2));
	out->name = arena_strdup(a, db_text(rows, 3));
	out->role = arena_strdup(a, db_text(rows, 4));
	out->password_hash = arena_strdup(a, db_text(rows, 5));
	out->created_at = db_int(rows, 6);
	out->provider_id = db_null(rows, 7) ? NULL : arena_strdup(a, db_text(rows, 7));
}

static status user_one(db_conn *c, const char *sql, const char *business_id, const char *key,
		       arena *a, staff_user *out)
{
	db_rows *rows;
	status st = db_query(c, sql, DB_PARAMS(DB_S(business_id), DB_S(key)), &rows);
	if (st != STATUS_OK)
		return st;
	if (db_next(rows))
		user_read(rows, a, out);
	else
		st = db_rows_status(rows) == STATUS_OK ? STATUS_NOT_FOUND : db_rows_status(rows);
	db_rows_free(rows);
	return st;
}

status store_user_insert(db_conn *c, const staff_user *u)
{
	return db_exec(c,
		       "INSERT INTO users (business_id, id, email, name, password_hash, role, "
		       "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
		       DB_PARAMS(DB_S(u->business_id), DB_S(u->id), DB_S(u->email),
				 DB_S(u->name ? u->name : ""), DB_S(u->password_hash), DB_S(u->role),
				 DB_I(u->created_at)),
		       NULL);
}

status store_user_by_email(db_conn *c, const char *business_id, const char *email, arena *a,
			   staff_user *out)
{
	return user_one(c,
			"SELECT " USER_COLUMNS " FROM users u WHERE u.business_id = $1 AND "
			"u.email = $2",
			business_id, email, a, out);
}

status store_user_get(db_conn *c, const char *business_id, const char *id, arena *a,
		      staff_user *out)
{
	return user_one(c,
			"SELECT " USER_COLUMNS " FROM users u WHERE u.business_id = $1 AND u.id = $2",
			business_id, id, a, out);
}

status store_user_list(db_conn *c, const char *business_id, arena *a, staff_user **out,
		       int *count)
{
	int64_t n = 0;
	status st = db_query_int(c, "SELECT COUNT(*) FROM users WHERE business_id = $1",
				 DB_PARAMS(DB_S(business_id)), &n);
	if (st != STATUS_OK)
		return st;
	db_rows *rows;
	st = db_query(c,
		      "SELECT " USER_COLUMNS " FROM users u WHERE u.business_id = $1 "
		      "ORDER BY u.email",
		      DB_PARAMS(DB_S(business_id)), &rows);
	if (st != STATUS_OK)
		return st;
	/* Rows added between the count and the query are left out; never written past. */
	staff_user *list = arena_alloc(a, sizeof(*list) * (size_t)(n > 0 ? n : 1));
	int i = 0;
	while (i < n && db_next(rows))
		user_read(rows, a, &list[i++]);
	st = db_rows_status(rows);
	db_rows_free(rows);
	*out = list;
	*count = i;
	return st;
}

status store_user_update(db_conn *c, const char *business_id, const char *id, const char *role,
			 const char *name)
{
	int64_t changed = 0;
	status st = db_exec(c,
			    "UPDATE users SET role = COALESCE(CAST($3 AS TEXT), role), "
			    "name = COALESCE(CAST($4 AS TEXT), name) "
			    "WHERE business_id = $1 AND id = $2",
			    DB_PARAMS(DB_S(business_id), DB_S(id), DB_S(role), DB_S(name)), &changed);
	if (st == STATUS_OK && changed == 0)
		return STATUS_NOT_FOUND;
	return st;
}

status store_user_delete(db_conn *c, const char *business_id, const char *id)
{
	int64_t changed = 0;
	/* Explicit deletes as well as the cascades, so the result does not depend on a
	 * connection's foreign-key setting. */
	status st = db_exec(c, "DELETE FROM staff_sessions WHERE business_id = $1 AND user_id = $2",
			    DB_PARAMS(DB_S(business_id), DB_S(id)), NULL);
	if (st == STATUS_OK)
		st = db_exec(c, "DELETE FROM api_tokens WHERE business_id = $1 AND user_id = $2",
			     DB_PARAMS(DB_S(business_id), DB_S(id)), NULL);
	if (st == STATUS_OK)
		st = db_exec(c, "UPDATE providers SET user_id = NULL WHERE business_id = $1 AND "
				"user_id = $2",
			     DB_PARAMS(DB_S(business_id), DB_S(id)), NULL);
	if (st == STATUS_OK)
		st = db_exec(c, "DELETE FROM users WHERE business_id = $1 AND id = $2",
			     DB_PARAMS(DB_S(business_id), DB_S(id)), &changed);
	if (st == STATUS_OK && changed == 0)
		return STATUS_NOT_FOUND;
	return st;
}

status store_user_count_owners(db_conn *c, const char *business_id, int64_t *out)
{
	return db_query_int(c,
			    "SELECT COUNT(*) FROM users WHERE business_id = $1 AND role = 'owner'",
			    DB_PARAMS(DB_S(business_id)), out);
}

status store_user_set_password(db_conn *c, const char *business_id, const char *id,
			       const char *password_hash)
{
	int64_t changed = 0;
	status st = db_exec(c,
			    "UPDATE users SET password_hash = $3 WHERE business_id = $1 AND id = $2",
			    DB_PARAMS(DB_S(business_id), DB_S(id), DB_S(password_hash)), &changed);
	return st == STATUS_OK && changed == 0 ? STATUS_NOT_FOUND : st;
}

status store_reset_insert(db_conn *c, const store_reset *r)
{
	return db_exec(c,
		       "INSERT INTO password_resets (business_id, id, user_id, secret_hash, "
		       "created_at, expires_at, requested_by, remote_addr) VALUES ($1, $2, $3, $4, "
		       "$5, $6, $7, $8)",
		       DB_PARAMS(DB_S(r->business_id), DB_S(r->id), DB_S(r->user_id),
				 DB_S(r->secret_hash), DB_I(r->created_at), DB_I(r->expires_at),
				 DB_S(r->requested_by ? r->requested_by : ""),
				 DB_S(r->remote_addr ? r->remote_addr : "")),
		       NULL);
}

status store_reset_get(db_conn *c, const char *business_id, const char *id, arena *a,
		       store_reset *out)
{
	db_rows *rows;
	status st = db_query(c,
			     "SELECT business_id, id, user_id, secret_hash, created_at, expires_at, "
			     "COALESCE(used_at, 0) FROM password_resets WHERE business_id = $1 AND "
			     "id = $2",
			     DB_PARAMS(DB_S(business_id), DB_S(id)), &rows);
	if (st != STATUS_OK)
		return st;
	if (db_next(rows)) {
		*out = (store_reset){
			.business_id = arena_strdup(a, db_text(rows, 0)),
			.id = arena_strdup(a, db_text(rows, 1)),
			.user_id = arena_strdup(a, db_text(rows, 2)),
			.secret_hash = arena_strdup(a, db_text(rows, 3)),
			.created_at = db_int(rows, 4),
			.expires_at = db_int(rows, 5),
			.used_at = db_int(rows, 6),
		};
	} else {
		st = db_rows_status(rows) == STATUS_OK ? STATUS_NOT_FOUND : db_rows_status(rows);
	}
	db_rows_free(rows);
	return st;
}

status store_reset_use(db_conn *c, const char *business_id, const char *id, int64_t now)
{
	int64_t changed = 0;
	status st = db_exec(c,
			    "UPDATE password_resets SET used_at = $3 WHERE business_id = $1 AND id = $2 "
			    "AND used_at IS NULL AND expires_at > $3",
			    DB_PARAMS(DB_S(business_id), DB_S(id), DB_I(now)), &changed);
	return st == STATUS_OK && changed == 0 ? STATUS_CONFLICT : st;
}

status store_reset_end_all(db_conn *c, const char *business_id, const char *user_id,
			   int64_t now)
{
	return db_exec(c,
		       "UPDATE password_resets SET used_at = $3 WHERE business_id = $1 AND "
		       "user_id = $2 AND used_at IS NULL",
		       DB_PARAMS(DB_S(business_id), DB_S(user_id), DB_I(now)), NULL);
}

status store_reset_count_since(db_conn *c, const char *business_id, const char *user_id,
			       int64_t since, int64_t *out)
{
	return db_query_int(c,
			    "SELECT COUNT(*) FROM password_resets WHERE business_id = $1 AND "
			    "user_id = $2 AND created_at >= $3",
			    DB_PARAMS(DB_S(business_id), DB_S(user_id), DB_I(since)), out);
}

status store_reset_purge(db_conn *c, int64_t before)
{
	return db_exec(c, "DELETE FROM password_resets WHERE expires_at < $1",
		       DB_PARAMS(DB_I(before)), NULL);
}
