/* calconfig.c - calendar connections as configuration, without their secrets. */
#include "store/calconfig.h"

#include <string.h>

status store_calconfig_list(db_conn *c, const char *business_id, arena *a, calconfig_conn **out,
                            int *n)
{
	*out = NULL;
	*n = 0;
	db_rows *r;
	status st =
	    db_query(c,
	             "SELECT id, kind, provider_id, resource_id, name, url, username, push, "
	             "poll_interval_s, fail_closed_after_s, calendar_id, account FROM "
	             "calendar_connections WHERE business_id = $1 ORDER BY id",
	             DB_PARAMS(DB_S(business_id)), &r);
	if (st != STATUS_OK)
		return st;
	int cap = 0;
	while (db_next(r)) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			calconfig_conn *grown = arena_alloc(a, sizeof(*grown) * (size_t)cap);
			if (*n)
				memcpy(grown, *out, sizeof(*grown) * (size_t)*n);
			*out = grown;
		}
		calconfig_conn *k = &(*out)[(*n)++];
		k->id = arena_strdup(a, db_text(r, 0));
		k->kind = arena_strdup(a, db_text(r, 1));
		k->provider_id = db_null(r, 2) ? NULL : arena_strdup(a, db_text(r, 2));
		k->resource_id = db_null(r, 3) ? NULL : arena_strdup(a, db_text(r, 3));
		k->name = arena_strdup(a, db_text(r, 4));
		k->url = arena_strdup(a, db_text(r, 5));
		k->username = arena_strdup(a, db_text(r, 6));
		k->push = db_int(r, 7) != 0;
		k->poll_interval_s = (int)db_int(r, 8);
		k->fail_closed_after_s = db_int(r, 9);
		k->calendar_id = arena_strdup(a, db_text(r, 10));
		k->account = arena_strdup(a, db_text(r, 11));
	}
	st = db_rows_status(r);
	db_rows_free(r);
	return st;
}

status store_calconfig_put(db_conn *c, const char *business_id, const calconfig_conn *k,
                           int64_t now)
{
	return db_exec(
	    c,
	    "INSERT INTO calendar_connections (business_id, id, kind, provider_id, resource_id, "
	    "name, url, username, push, poll_interval_s, fail_closed_after_s, calendar_id, "
	    "account, created_at, next_attempt_at, needs_credentials) VALUES ($1, $2, $3, $4, $5, "
	    "$6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 1) ON CONFLICT (business_id, id) DO "
	    "UPDATE SET name = excluded.name, push = excluded.push, poll_interval_s = "
	    "excluded.poll_interval_s, fail_closed_after_s = excluded.fail_closed_after_s",
	    DB_PARAMS(DB_S(business_id), DB_S(k->id), DB_S(k->kind), DB_S(k->provider_id),
	              DB_S(k->resource_id), DB_S(k->name), DB_S(k->url ? k->url : ""),
	              DB_S(k->username ? k->username : ""), DB_I(k->push ? 1 : 0),
	              DB_I(k->poll_interval_s),
	              k->fail_closed_after_s > 0 ? DB_I(k->fail_closed_after_s) : DB_NUL,
	              DB_S(k->calendar_id ? k->calendar_id : ""),
	              DB_S(k->account ? k->account : ""), DB_I(now), DB_I(CALCONN_PAUSED_AT)),
	    NULL);
}

status store_calconfig_delete(db_conn *c, const char *business_id, const char *id)
{
	status st =
	    db_exec(c, "DELETE FROM external_busy WHERE business_id = $1 AND connection_id = $2",
	            DB_PARAMS(DB_S(business_id), DB_S(id)), NULL);
	if (st == STATUS_OK)
		st = db_exec(
		    c,
		    "DELETE FROM calendar_pushes WHERE business_id = $1 AND connection_id = "
		    "$2",
		    DB_PARAMS(DB_S(business_id), DB_S(id)), NULL);
	if (st == STATUS_OK)
		st = db_exec(c,
		             "DELETE FROM calendar_connections WHERE business_id = $1 AND id = $2",
		             DB_PARAMS(DB_S(business_id), DB_S(id)), NULL);
	return st;
}

status store_calconfig_feed_update(db_conn *c, const char *business_id, const char *id,
                                   const char *name, const char *detail, int past_days,
                                   int future_days, bool *found)
{
	int64_t n = 0;
	status st = db_exec(c,
	                    "UPDATE calendar_feeds SET name = $3, detail = $4, past_days = $5, "
	                    "future_days = $6 WHERE business_id = $1 AND id = $2",
	                    DB_PARAMS(DB_S(business_id), DB_S(id), DB_S(name), DB_S(detail),
	                              DB_I(past_days), DB_I(future_days)),
	                    &n);
	*found = n > 0;
	return st;
}
