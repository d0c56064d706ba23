/* admin_schedule.c - the staff side's reads, updates and deletes of hours (admin_schedule.h). */
#include "store/admin_schedule.h"

#include <string.h>

#include "store/rows.h"

/* Runs sql and reads every row with read(); the array goes to *out. */
#define SCHED_COLLECT(T, c, sql, params, a, out, count, read)                                  \
	{                                                                                      \
		db_rows *rows_ = NULL;                                                         \
		status st_ = db_query((c), (sql), params, &rows_);                             \
		ROWS_COLLECT(st_, T, rows_, (a), (out), (count), read);                        \
		return st_;                                                                    \
	}

/* Reads the single row of a query by id. */
#define SCHED_ONE(c, sql, bid, id, a, out, read)                                               \
	{                                                                                      \
		db_rows *rows_ = NULL;                                                         \
		status st_ = db_query((c), (sql), DB_PARAMS(DB_S(bid), DB_S(id)), &rows_);     \
		ROWS_ONE(st_, rows_, (a), (out), read);                                        \
		return st_;                                                                    \
	}

static const char *sched_text_or_null(const db_rows *r, int col, arena *a)
{
	return db_null(r, col) ? NULL : arena_strdup(a, db_text(r, col));
}

static void sched_owner_read(const db_rows *r, int col, arena *a, sched_owner *o)
{
	o->kind = arena_strdup(a, db_text(r, col));
	o->id = arena_strdup(a, db_text(r, col + 1));
}

/* Owner filter: $2 kind, $3 id, either NULL for any. */
#define SCHED_OWNER_WHERE                                                                      \
	" AND (CAST($2 AS TEXT) IS NULL OR owner_kind = $2)"                                   \
	" AND (CAST($3 AS TEXT) IS NULL OR owner_id = $3)"

#define RULE_COLUMNS "id, owner_kind, owner_id, weekday, start_min, end_min, valid_from, valid_to"

static void rule_read(const db_rows *r, arena *a, sched_rule *v)
{
	v->id = arena_strdup(a, db_text(r, 0));
	sched_owner_read(r, 1, a, &v->owner);
	v->weekday = (int)db_int(r, 3);
	v->start_min = (int)db_int(r, 4);
	v->end_min = (int)db_int(r, 5);
	v->valid_from = sched_text_or_null(r, 6, a);
	v->valid_to = sched_text_or_null(r, 7, a);
}

status store_rules_list(db_conn *c, const char *business_id, const sched_filter *f, arena *a,
			sched_rule **out, int *count)
{
	SCHED_COLLECT(sched_rule, c,
		      "SELECT " RULE_COLUMNS " FROM schedules WHERE business_id = $1" SCHED_OWNER_WHERE
		      " ORDER BY owner_kind, owner_id, weekday, start_min, end_min, "
		      "COALESCE(valid_from, ''), COALESCE(valid_to, ''), id",
		      DB_PARAMS(DB_S(business_id), DB_S(f->owner_kind), DB_S(f->owner_id)), a, out,
		      count, rule_read);
}

status store_rule_get(db_conn *c, const char *business_id, const char *id, arena *a,
		      sched_rule *out)
{
	SCHED_ONE(c, "SELECT " RULE_COLUMNS " FROM schedules WHERE business_id = $1 AND id = $2",
		  business_id, id, a, out, rule_read);
}

status store_rule_update(db_conn *c, const char *business_id, const sched_rule *v)
{
	int64_t n = 0;
	status st = db_exec(c,
			    "UPDATE schedules SET owner_kind = $3, owner_id = $4, weekday = $5, "
			    "start_min = $6, end_min = $7, valid_from = $8, valid_to = $9 "
			    "WHERE business_id = $1 AND id = $2",
			    DB_PARAMS(DB_S(business_id), DB_S(v->id), DB_S(v->owner.kind),
				      DB_S(v->owner.id), DB_I(v->weekday), DB_I(v->start_min),
				      DB_I(v->end_min), DB_S(v->valid_from), DB_S(v->valid_to)),
			    &n);
	return st == STATUS_OK && n == 0 ? STATUS_NOT_FOUND : st;
}

#define OVERRIDE_COLUMNS "id, owner_kind, owner_id, date, closed, start_min, end_min"

static void override_read(const db_rows *r, arena *a, sched_override *v)
{
	v->id = arena_strdup(a, db_text(r, 0));
	sched_owner_read(r, 1, a, &v->owner);
	v->date = arena_strdup(a, db_text(r, 3));
	v->closed = db_int(r, 4) != 0;
	v->start_min = (int)db_int(r, 5);
	v->end_min = (int)db_int(r, 6);
}

status store_overrides_list(db_conn *c, const char *business_id, const sched_filter *f,
			    arena *a, sched_override **out, int *count)
{
	SCHED_COLLECT(sched_override, c,
		      "SELECT " OVERRIDE_COLUMNS " FROM overrides WHERE business_id = $1" SCHED_OWNER_WHERE
		      " AND (CAST($4 AS TEXT) IS NULL OR date >= $4)"
		      " AND (CAST($5 AS TEXT) IS NULL OR date <= $5)"
		      " ORDER BY owner_kind, owner_id, date, closed, start_min, end_min, id",
		      DB_PARAMS(DB_S(business_id), DB_S(f->owner_kind), DB_S(f->owner_id),
				DB_S(f->date_from), DB_S(f->date_to)),
		      a, out, count, override_read);
}

status store_override_get(db_conn *c, const char *business_id, const char *id, arena *a,
			  sched_override *out)
{
	SCHED_ONE(c, "SELECT " OVERRIDE_COLUMNS " FROM overrides WHERE business_id = $1 AND id = $2",
		  business_id, id, a, out, override_read);
}

status store_override_update(db_conn *c, const char *business_id, const sched_override *v)
{
	int64_t n = 0;
	status st = db_exec(c,
			    "UPDATE overrides SET owner_kind = $3, owner_id = $4, date = $5, "
			    "closed = $6, start_min = $7, end_min = $8 "
			    "WHERE business_id = $1 AND id = $2",
			    DB_PARAMS(DB_S(business_id), DB_S(v->id), DB_S(v->owner.kind),
				      DB_S(v->owner.id), DB_S(v->date), DB_I(v->closed),
				      DB_I(v->start_min), DB_I(v->end_min)),
			    &n);
	return st == STATUS_OK && n == 0 ? STATUS_NOT_FOUND : st;
}

#define TIME_OFF_COLUMNS "id, owner_kind, owner_id, start_at, end_at, reason"

static void time_off_read(const db_rows *r, arena *a, sched_time_off *v)
{
	v->id = arena_strdup(a, db_text(r, 0));
	sched_owner_read(r, 1, a, &v->owner);
	v->start_at = db_int(r, 3);
	v->end_at = db_int(r, 4);
	v->reason = arena_strdup(a, db_text(r, 5));
}

status store_time_off_list(db_conn *c, const char *business_id, const sched_filter *f,
			   arena *a, sched_time_off **out, int *count)
{
	SCHED_COLLECT(sched_time_off, c,
		      "SELECT " TIME_OFF_COLUMNS " FROM time_off WHERE business_id = $1" SCHED_OWNER_WHERE
		      " AND ($4 = 0 OR end_at > $4) AND ($5 = 0 OR start_at < $5)"
		      " ORDER BY owner_kind, owner_id, start_at, end_at, id",
		      DB_PARAMS(DB_S(business_id), DB_S(f->owner_kind), DB_S(f->owner_id),
				DB_I(f->from), DB_I(f->to)),
		      a, out, count, time_off_read);
}

status store_time_off_get(db_conn *c, const char *business_id, const char *id, arena *a,
			  sched_time_off *out)
{
	SCHED_ONE(c, "SELECT " TIME_OFF_COLUMNS " FROM time_off WHERE business_id = $1 AND id = $2",
		  business_id, id, a, out, time_off_read);
}

status store_time_off_update(db_conn *c, const char *business_id, const sched_time_off *v)
{
	int64_t n = 0;
	status st = db_exec(c,
			    "UPDATE time_off SET owner_kind = $3, owner_id = $4, start_at = $5, "
			    "end_at = $6, reason = $7 WHERE business_id = $1 AND id = $2",
			    DB_PARAMS(DB_S(business_id), DB_S(v->id), DB_S(v->owner.kind),
				      DB_S(v->owner.id), DB_I(v->start_at), DB_I(v->end_at),
				      DB_S(v->reason ? v->reason : "")),
			    &n);
	return st == STATUS_OK && n == 0 ? STATUS_NOT_FOUND : st;
}

static void closure_read(const db_rows *r, arena *a, sched_closure *v)
{
	v->id = arena_strdup(a, db_text(r, 0));
	v->date = arena_strdup(a, db_text(r, 1));
	v->name = arena_strdup(a, db_text(r, 2));
}

status store_closures_list(db_conn *c, const char *business_id, const sched_filter *f,
			   arena *a, sched_closure **out, int *count)
{
	SCHED_COLLECT(sched_closure, c,
		      "SELECT id, date, name FROM closures WHERE business_id = $1"
		      " AND (CAST($2 AS TEXT) IS NULL OR date >= $2)"
		      " AND (CAST($3 AS TEXT) IS NULL OR date <= $3) ORDER BY date, id",
		      DB_PARAMS(DB_S(business_id), DB_S(f->date_from), DB_S(f->date_to)), a, out,
		      count, closure_read);
}

status store_closure_get(db_conn *c, const char *business_id, const char *id, arena *a,
			 sched_closure *out)
{
	SCHED_ONE(c, "SELECT id, date, name FROM closures WHERE business_id = $1 AND id = $2",
		  business_id, id, a, out, closure_read);
}

status store_closure_update(db_conn *c, const char *business_id, const sched_closure *v)
{
	int64_t n = 0;
	status st = db_exec(c,
			    "UPDATE closures SET date = $3, name = $4 WHERE business_id = $1 AND id = $2",
			    DB_PARAMS(DB_S(business_id), DB_S(v->id), DB_S(v->date),
				      DB_S(v->name ? v->name : "")),
			    &n);
	return st == STATUS_OK && n == 0 ? STATUS_NOT_FOUND : st;
}

#define SESSION_COLUMNS "id, service_id, provider_id, resource_id, start_at, end_at, capacity"

static void session_read(const db_rows *r, arena *a, sched_session *v)
{
	v->id = arena_strdup(a, db_text(r, 0));
	v->service_id = arena_strdup(a, db_text(r, 1));
	v->provider_id = sched_text_or_null(r, 2, a);
	v->resource_id = sched_text_or_null(r, 3, a);
	v->start_at = db_int(r, 4);
	v->end_at = db_int(r, 5);
	v->capacity = (int)db_int(r, 6);
}

status store_sessions_list(db_conn *c, const char *business_id, const sched_filter *f,
			   arena *a, sched_session **out, int *count)
{
	SCHED_COLLECT(sched_session, c,
		      "SELECT " SESSION_COLUMNS " FROM sessions WHERE business_id = $1"
		      " AND (CAST($2 AS TEXT) IS NULL OR service_id = $2)"
		      " AND (CAST($3 AS TEXT) IS NULL OR provider_id = $3)"
		      " AND ($4 = 0 OR end_at > $4) AND ($5 = 0 OR start_at < $5)"
		      " ORDER BY start_at, id",
		      DB_PARAMS(DB_S(business_id), DB_S(f->service_id),
				DB_S(f->owner_kind && strcmp(f->owner_kind, "provider") == 0
					     ? f->owner_id
					     : NULL),
				DB_I(f->from), DB_I(f->to)),
		      a, out, count, session_read);
}

status store_session_get(db_conn *c, const char *business_id, const char *id, arena *a,
			 sched_session *out)
{
	SCHED_ONE(c, "SELECT " SESSION_COLUMNS " FROM sessions WHERE business_id = $1 AND id = $2",
		  business_id, id, a, out, session_read);
}

status store_session_update(db_conn *c, const char *business_id, const sched_session *v)
{
	int64_t n = 0;
	status st = db_exec(c,
			    "UPDATE sessions SET service_id = $3, provider_id = $4, resource_id = $5, "
			    "start_at = $6, end_at = $7, capacity = $8 WHERE business_id = $1 AND id = $2",
			    DB_PARAMS(DB_S(business_id), DB_S(v->id), DB_S(v->service_id),
				      DB_S(v->provider_id), DB_S(v->resource_id), DB_I(v->start_at),
				      DB_I(v->end_at), DB_I(v->capacity)),
			    &n);
	return st == STATUS_OK && n == 0 ? STATUS_NOT_FOUND : st;
}

status store_sched_delete(db_conn *c, const char *business_id, const char *table,
			  const char *id)
{
	static const char *const tables[] = {"schedules", "overrides", "time_off", "closures",
					     "sessions"};
	static const char *const sqls[] = {
		"DELETE FROM schedules WHERE business_id = $1 AND id = $2",
		"DELETE FROM overrides WHERE business_id = $1 AND id = $2",
		"DELETE FROM time_off WHERE business_id = $1 AND id = $2",
		"DELETE FROM closures WHERE business_id = $1 AND id = $2",
		"DELETE FROM sessions WHERE business_id = $1 AND id = $2",
	};
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		if (strcmp(table, tables[i]) != 0)
			continue;
		int64_t n = 0;
		status st = db_exec(c, sqls[i], DB_PARAMS(DB_S(business_id), DB_S(id)), &n);
		return st == STATUS_OK && n == 0 ? STATUS_NOT_FOUND : st;
	}
	return STATUS_INTERNAL;
}

status store_sched_clear(db_conn *c, const char *business_id)
{
	static const char *const sqls[] = {
		"DELETE FROM schedules WHERE business_id = $1",
		"DELETE FROM overrides WHERE business_id = $1",
		"DELETE FROM time_off WHERE business_id = $1",
		"DELETE FROM closures WHERE business_id = $1",
	};
	for (size_t i = 0; i < sizeof(sqls) / sizeof(sqls[0]); i++) {
		status st = db_exec(c, sqls[i], DB_PARAMS(DB_S(business_id)), NULL);
		if (st != STATUS_OK)
			return st;
	}
	return STATUS_OK;
}
