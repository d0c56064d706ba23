/* secrets.c - named random secrets, created once. */
#include "store/secrets.h"

#include "base/ids.h"

status store_secret(db_conn *c, const char *name, int64_t now, arena *a, const char **value)
{
	status st = db_exec(c,
			    "INSERT INTO server_secrets (name, value, created_at) VALUES ($1, $2, $3) "
			    "ON CONFLICT (name) DO NOTHING",
			    DB_PARAMS(DB_S(name), DB_S(ids_secret(a)), DB_I(now)), NULL);
	db_rows *r;
	if (st == STATUS_OK)
		st = db_query(c, "SELECT value FROM server_secrets WHERE name = $1",
			      DB_PARAMS(DB_S(name)), &r);
	if (st != STATUS_OK)
		return st;
	if (db_next(r))
		*value = arena_strdup(a, db_text(r, 0));
	else
		st = STATUS_INTERNAL;
	db_rows_free(r);
	return st;
}

status store_link_token(db_conn *c, const char *purpose, const char *subject, int64_t now,
			arena *a, const char **out)
{
	const char *key;
	status st = store_secret(c, "link_key", now, a, &key);
	if (st == STATUS_OK)
		*out = ids_link_token(a, key, purpose, subject);
	return st;
}

bool store_link_ok(db_conn *c, const char *purpose, const char *subject, const char *token,
		   int64_t now, arena *a)
{
	const char *want;
	return token && *token && subject &&
	       store_link_token(c, purpose, subject, now, a, &want) == STATUS_OK &&
	       ids_equal_ct(want, token);
}
