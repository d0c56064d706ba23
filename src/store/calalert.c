/* calalert.c - failures of calendar connections and the owners' emails about them. */
#include "store/calalert.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "store/outbox.h"
#include "store/user.h"

status store_calalert_after(db_conn *c, const char *business_id, int64_t *after_s)
{
	*after_s = CALALERT_AFTER_DEFAULT_S;
	db_rows *r;
	status st =
	    db_query(c, "SELECT alert_after_s FROM calendar_settings WHERE business_id = $1",
	             DB_PARAMS(DB_S(business_id)), &r);
	if (st != STATUS_OK)
		return st;
	if (db_next(r))
		*after_s = db_int(r, 0);
	st = db_rows_status(r);
	db_rows_free(r);
	return st;
}

status store_calalert_set_after(db_conn *c, const char *business_id, int64_t after_s)
{
	return db_exec(c,
	               "INSERT INTO calendar_settings (business_id, alert_after_s) VALUES ($1, $2) "
	               "ON CONFLICT (business_id) DO UPDATE SET alert_after_s = $2",
	               DB_PARAMS(DB_S(business_id), DB_I(after_s)), NULL);
}

/* What the owners' email names: the connection's label, else its provider's or resource's. */
static status calalert_label(db_conn *c, const store_calconn *k, arena *a, const char **out)
{
	*out = k->name && *k->name ? k->name : "";
	db_rows *r;
	status st = db_query(
	    c,
	    k->provider_id ? "SELECT name FROM providers WHERE business_id = $1 AND id = $2"
	                   : "SELECT name FROM resources WHERE business_id = $1 AND id = $2",
	    DB_PARAMS(DB_S(k->business_id), DB_S(k->provider_id ? k->provider_id : k->resource_id)),
	    &r);
	if (st != STATUS_OK)
		return st;
	const char *who = db_next(r) ? arena_strdup(a, db_text(r, 0)) : "";
	st = db_rows_status(r);
	db_rows_free(r);
	if (!**out)
		*out = who;
	else if (*who)
		*out = arena_printf(a, "%s (%s)", *out, who);
	return st;
}

/* Queues the email of a failure to every owner of k's business. */
static status calalert_tell(db_conn *c, const store_calconn *k, int64_t since, const char *error,
                            bool refused, int64_t now, arena *a)
{
	const char *label;
	status st = calalert_label(c, k, a, &label);
	json_t *o = st == STATUS_OK
	                ? json_pack("{s:s, s:s, s:s, s:s, s:I, s:b}", "name", label, "connection",
	                            k->id, "kind", k->kind, "error", error, "since",
	                            (json_int_t)since, "refused", refused)
	                : NULL; /* new reference */
	char *payload = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	if (st == STATUS_OK && !payload)
		st = STATUS_INTERNAL;
	staff_user *all = NULL;
	int n = 0;
	if (st == STATUS_OK)
		st = store_user_list(c, k->business_id, a, &all, &n);
	for (int i = 0; st == STATUS_OK && i < n; i++)
		if (strcmp(all[i].role, "owner") == 0)
			st = outbox_staff(c, k->business_id, "calendar_failing", all[i].email,
			                  payload, now, a);
	free(payload);
	return st;
}

status store_calconn_failed(db_conn *c, const store_calconn *k, int64_t now, int64_t next_at,
                            int failures, const char *error, bool refused, arena *a, bool *alerted)
{
	if (alerted)
		*alerted = false;
	int64_t after = CALALERT_AFTER_DEFAULT_S;
	status st = db_begin_write(c);
	int64_t changed = 0;
	if (st == STATUS_OK)
		st = db_exec(
		    c,
		    "UPDATE calendar_connections SET last_error = $3, last_error_at = $4, "
		    "failures = $5, next_attempt_at = $6, lease_until = 0, failing_since = "
		    "COALESCE(failing_since, $4), needs_credentials = CASE WHEN $7 = 1 THEN 1 "
		    "ELSE needs_credentials END WHERE business_id = $1 AND id = $2",
		    DB_PARAMS(DB_S(k->business_id), DB_S(k->id), DB_S(error), DB_I(now),
		              DB_I(failures), DB_I(next_at), DB_I(refused ? 1 : 0)),
		    &changed);
	if (st == STATUS_OK && changed == 0)
		st = STATUS_NOT_FOUND;
	if (st == STATUS_OK)
		st = store_calalert_after(c, k->business_id, &after);
	/* The row as the UPDATE left it: the UPDATE holds its lock (SQLite: the write lock)
	 * to the commit, so two workers never both tell the owners. */
	db_rows *r = NULL;
	if (st == STATUS_OK)
		st = db_query(c,
		              "SELECT failing_since, alerted_at FROM calendar_connections WHERE "
		              "business_id = $1 AND id = $2",
		              DB_PARAMS(DB_S(k->business_id), DB_S(k->id)), &r);
	int64_t since = now;
	bool told = true;
	if (st == STATUS_OK) {
		if (db_next(r)) {
			since = db_int(r, 0);
			told = !db_null(r, 1);
		}
		st = db_rows_status(r);
		db_rows_free(r);
	}
	bool tell = st == STATUS_OK && !told && (refused || now - since >= after);
	if (tell)
		st = calalert_tell(c, k, since, error, refused, now, a);
	if (tell && st == STATUS_OK)
		st = db_exec(
		    c,
		    "UPDATE calendar_connections SET alerted_at = $3 WHERE business_id = $1 "
		    "AND id = $2",
		    DB_PARAMS(DB_S(k->business_id), DB_S(k->id), DB_I(now)), NULL);
	if (st == STATUS_OK)
		st = db_commit(c);
	if (st != STATUS_OK && db_in_tx(c))
		db_rollback(c);
	if (st == STATUS_OK && alerted)
		*alerted = tell;
	return st;
}

status store_calalert_count(db_conn *c, const char *business_id, int *count)
{
	int64_t n = 0;
	status st = db_query_int(c,
	                         "SELECT COUNT(*) FROM calendar_connections WHERE business_id = $1 "
	                         "AND alerted_at IS NOT NULL",
	                         DB_PARAMS(DB_S(business_id)), &n);
	*count = (int)n;
	return st;
}

status store_calconn_edit_apply(db_conn *c, const char *business_id, const char *id,
                                const store_calconn_edit *e, int64_t now)
{
	/* New credentials: an ICS address, or a CalDAV password (and user name). */
	bool creds = e->url || e->secret_box;
	int64_t n = 0;
	status st = db_exec(
	    c,
	    "UPDATE calendar_connections SET name = COALESCE(CAST($3 AS TEXT), name), "
	    "poll_interval_s = CASE WHEN $4 > 0 THEN $4 ELSE poll_interval_s END, "
	    "fail_closed_after_s = CASE WHEN $5 = 1 THEN $6 ELSE fail_closed_after_s END, url = "
	    "COALESCE(CAST($7 AS TEXT), url), secret_box = COALESCE(CAST($10 AS TEXT), "
	    "secret_box), "
	    "username = COALESCE(CAST($11 AS TEXT), username), etag = CASE WHEN $9 = 1 THEN NULL "
	    "ELSE etag END, last_modified = CASE WHEN $9 = 1 THEN NULL ELSE last_modified END, "
	    "needs_credentials = CASE WHEN $9 = 1 THEN 0 ELSE needs_credentials END, "
	    "next_attempt_at = CASE WHEN $9 = 1 THEN $8 ELSE next_attempt_at END WHERE business_id "
	    "= $1 AND id = $2",
	    DB_PARAMS(DB_S(business_id), DB_S(id), DB_S(e->name), DB_I(e->poll_interval_s),
	              DB_I(e->set_fail_closed ? 1 : 0),
	              e->fail_closed_after_s > 0 ? DB_I(e->fail_closed_after_s) : DB_NUL,
	              DB_S(e->url), DB_I(now), DB_I(creds ? 1 : 0), DB_S(e->secret_box),
	              DB_S(e->username)),
	    &n);
	return st == STATUS_OK && n == 0 ? STATUS_NOT_FOUND : st;
}
