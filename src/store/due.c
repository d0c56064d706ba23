/* due.c - the lifecycle worker's statements: which bookings are due, moved in one UPDATE ...
 * RETURNING each. Every statement is a fixed string; nothing is formatted into SQL. */
#include "store/due.h"

#include <string.h>

/* An UPDATE moving rows of status `from` that meet cond (on b, the booking, and z, its
 * business, with $1 = now) to `to`, at most $2 of them; lock is what PostgreSQL adds to the
 * inner SELECT so that processes share the work. */
#define DUE_SQL(to, from, cond, lock)                                                          \
	"UPDATE bookings SET status = '" to "', updated_at = $1 WHERE (business_id, id) IN "      \
	"(SELECT b.business_id, b.id FROM bookings b JOIN businesses z ON z.id = b.business_id " \
	"WHERE b.status = '" from "' AND " cond " LIMIT $2" lock ") AND status = '" from "' "    \
	"RETURNING business_id, id, customer_id"
#define DUE_BOTH(to, from, cond) {DUE_SQL(to, from, cond, ""), DUE_SQL(to, from, cond, " FOR UPDATE OF b SKIP LOCKED")}

/* [kind][0: SQLite, 1: PostgreSQL] */
static const char *const DUE_STATEMENTS[][2] = {
	[DUE_HOLD_EXPIRED] = DUE_BOTH("expired", "held", "b.hold_expires_at <= $1"),
	[DUE_NO_SHOW] = DUE_BOTH("no_show", "confirmed",
				 "z.auto_no_show = 1 AND b.end_at + z.no_show_grace_s <= $1"),
	[DUE_COMPLETED] = DUE_BOTH("completed", "confirmed", "z.auto_no_show = 0 AND b.end_at <= $1"),
	[DUE_CHECKED_IN_OVER] = DUE_BOTH("completed", "checked_in", "b.end_at <= $1"),
};

status store_due_claim(db_conn *c, store_due_kind k, int64_t now, int max, arena *a,
		       store_due_row **rows, int *n, int *cap)
{
	const char *sql = DUE_STATEMENTS[k][db_conn_kind(c) == DB_POSTGRES];
	db_rows *r;
	status st = db_query(c, sql, DB_PARAMS(DB_I(now), DB_I(max)), &r);
	if (st != STATUS_OK)
		return st;
	while (db_next(r)) {
		if (*n == *cap) {
			int nc = *cap ? *cap * 2 : 64;
			store_due_row *bigger = arena_alloc_raw(a, sizeof(**rows) * (size_t)nc);
			if (*n)
				memcpy(bigger, *rows, sizeof(**rows) * (size_t)*n);
			*rows = bigger;
			*cap = nc;
		}
		store_due_row *row = &(*rows)[(*n)++];
		row->business_id = arena_strdup(a, db_text(r, 0));
		row->id = arena_strdup(a, db_text(r, 1));
		row->customer_id = db_null(r, 2) ? NULL : arena_strdup(a, db_text(r, 2));
	}
	st = db_rows_status(r);
	db_rows_free(r);
	return st;
}

status store_idempotency_purge(db_conn *c, int64_t before)
{
	return db_exec(c, "DELETE FROM idempotency_keys WHERE created_at < $1",
		       DB_PARAMS(DB_I(before)), NULL);
}

status store_ping(db_conn *c)
{
	int64_t one = 0;
	status st = db_query_int(c, "SELECT 1", DB_NOPARAMS, &one);
	return st == STATUS_OK && one != 1 ? STATUS_IO : st;
}
