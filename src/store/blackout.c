/* blackout.c - the resource_blackouts table (migration 0028). */
#include "store/blackout.h"

#include "store/rows.h"

#define BLACKOUT_COLUMNS "id, resource_id, start_at, end_at, reason"

static void blackout_read(const db_rows *r, arena *a, blackout *out)
{
	out->id = arena_strdup(a, db_text(r, 0));
	out->resource_id = arena_strdup(a, db_text(r, 1));
	out->start_at = db_int(r, 2);
	out->end_at = db_int(r, 3);
	out->reason = arena_strdup(a, db_text(r, 4));
}

status store_blackouts_list(db_conn *c, const char *business_id, const char *resource_id,
			    int64_t after, arena *a, blackout **out, int *count)
{
	db_rows *rows;
	/* One statement: the item filter is switched by a bound value. */
	status st = db_query(c,
			     "SELECT " BLACKOUT_COLUMNS " FROM resource_blackouts "
			     "WHERE business_id = $1 AND ($2 = '' OR resource_id = $2) "
			     "AND end_at > $3 ORDER BY start_at, id",
			     DB_PARAMS(DB_S(business_id), DB_S(resource_id ? resource_id : ""),
				       DB_I(after)),
			     &rows);
	ROWS_COLLECT(st, blackout, rows, a, out, count, blackout_read);
	return st;
}

status store_blackout_get(db_conn *c, const char *business_id, const char *id, arena *a,
			  blackout *out)
{
	db_rows *rows;
	status st = db_query(c,
			     "SELECT " BLACKOUT_COLUMNS " FROM resource_blackouts "
			     "WHERE business_id = $1 AND id = $2",
			     DB_PARAMS(DB_S(business_id), DB_S(id)), &rows);
	ROWS_ONE(st, rows, a, out, blackout_read);
	return st;
}

status store_blackout_insert(db_conn *c, const char *business_id, const blackout *v,
			     int64_t now)
{
	return db_exec(c,
		       "INSERT INTO resource_blackouts (business_id, id, resource_id, start_at, "
		       "end_at, reason, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
		       DB_PARAMS(DB_S(business_id), DB_S(v->id), DB_S(v->resource_id),
				 DB_I(v->start_at), DB_I(v->end_at),
				 DB_S(v->reason ? v->reason : ""), DB_I(now)),
		       NULL);
}

status store_blackout_update(db_conn *c, const char *business_id, const blackout *v)
{
	int64_t n = 0;
	status st = db_exec(c,
			    "UPDATE resource_blackouts SET resource_id = $3, start_at = $4, "
			    "end_at = $5, reason = $6 WHERE business_id = $1 AND id = $2",
			    DB_PARAMS(DB_S(business_id), DB_S(v->id), DB_S(v->resource_id),
				      DB_I(v->start_at), DB_I(v->end_at),
				      DB_S(v->reason ? v->reason : "")),
			    &n);
	return st == STATUS_OK && n == 0 ? STATUS_NOT_FOUND : st;
}

status store_blackout_delete(db_conn *c, const char *business_id, const char *id)
{
	int64_t n = 0;
	status st = db_exec(c, "DELETE FROM resource_blackouts WHERE business_id = $1 AND id = $2",
			    DB_PARAMS(DB_S(business_id), DB_S(id)), &n);
	return st == STATUS_OK && n == 0 ? STATUS_NOT_FOUND : st;
}

status store_blackouts_clear(db_conn *c, const char *business_id)
{
	return db_exec(c, "DELETE FROM resource_blackouts WHERE business_id = $1",
		       DB_PARAMS(DB_S(business_id)), NULL);
}
