/* due.c - the lifecycle worker's statements: which bookings are due, moved in one UPDATE ...
 * RETURNING each. Every statement is a fixed string; nothing is formatted into SQL. */
#include "store/due.h"

#include <string.h>

#include "base/ids.h"
#include "store/booking.h"
#include "store/business.h"
#include "store/outbox.h"
#include "store/payment.h"

/* An UPDATE moving rows of status `from` that meet cond (on b, the booking, and z, its
 * business, with $1 = now) to `to`, at most $2 of them; lock is what PostgreSQL adds to the
 * inner SELECT so that processes share the work. */
#define DUE_SQL(to, from, cond, lock)                                                          \
	"UPDATE bookings SET status = '" to "', updated_at = $1 WHERE (business_id, id) IN "      \
	"(SELECT b.business_id, b.id FROM bookings b JOIN businesses z ON z.id = b.business_id " \
	"WHERE b.status = '" from "' AND " cond " LIMIT $2" lock ") AND status = '" from "' "    \
	"RETURNING business_id, id, customer_id, price_minor"
#define DUE_BOTH(to, from, cond) {DUE_SQL(to, from, cond, ""), DUE_SQL(to, from, cond, " FOR UPDATE OF b SKIP LOCKED")}

/* The terms that let SQLite read bookings_status_end, whose rows are the bookings with
 * status IN ('confirmed', 'checked_in'): it uses a partial index only when the query repeats
 * the index's condition word for word (a status = 'confirmed' alone does not do), and a range
 * on end_at itself (end_at + grace is none; the grace is never negative). Without them each
 * of these statements read every booking, every second, in a write transaction. */
#define DUE_ENDED "b.status IN ('confirmed', 'checked_in') AND b.end_at <= $1 AND "

/* [kind][0: SQLite, 1: PostgreSQL] */
static const char *const DUE_STATEMENTS[][2] = {
	[DUE_HOLD_EXPIRED] = DUE_BOTH("expired", "held", "b.hold_expires_at <= $1"),
	[DUE_PAYMENT_EXPIRED] = DUE_BOTH("expired", "pending", "b.hold_expires_at <= $1"),
	[DUE_NO_SHOW] = DUE_BOTH("no_show", "confirmed",
				 DUE_ENDED "z.auto_no_show = 1 AND b.end_at + z.no_show_grace_s <= $1"),
	[DUE_COMPLETED] = DUE_BOTH("completed", "confirmed",
				   DUE_ENDED "z.auto_no_show = 0 AND b.end_at <= $1"),
	[DUE_CHECKED_IN_OVER] = DUE_BOTH("completed", "checked_in", DUE_ENDED "b.end_at <= $1"),
};

const char *store_due_sql(store_due_kind k, bool postgres)
{
	return DUE_STATEMENTS[k][postgres];
}

status store_due_claim(db_conn *c, store_due_kind k, int64_t now, int max, arena *a,
		       store_due_row **rows, int *n, int *cap)
{
	const char *sql = store_due_sql(k, db_conn_kind(c) == DB_POSTGRES);
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
		row->price_minor = db_int(r, 3);
	}
	st = db_rows_status(r);
	db_rows_free(r);
	return st;
}

/* One kind of time-based transition (its statement is DUE_STATEMENTS'). */
typedef struct due_rule {
	store_due_kind kind;  /* which bookings, and what they become */
	const char *name;     /* event kind and log name */
	const char *from;     /* status they leave */
	const char *to;       /* status they take */
	bool no_show;         /* counts on the customer's no-shows, and tells them */
	bool uncount;         /* was counted on the customer's bookings and spend when made:
			       * taken off again (it never took place) */
} due_rule;

static const due_rule DUE_RULES[] = {
	{DUE_HOLD_EXPIRED, "expire", "held", "expired", false, false},
	{DUE_PAYMENT_EXPIRED, "expire", "pending", "expired", false, true},
	{DUE_NO_SHOW, "no_show", "confirmed", "no_show", true, false},
	{DUE_COMPLETED, "complete", "confirmed", "completed", false, false},
	{DUE_CHECKED_IN_OVER, "complete", "checked_in", "completed", false, false},
};

/* Claims what rule finds due and records each change (events, no-show counts and the
 * customer's message) in the caller's transaction; the moved rows are appended to *done. */
static status due_rule_run(db_conn *c, const due_rule *rule, int64_t now, int max, arena *a,
			   store_due_row **done, int *n, int *cap)
{
	int first = *n;
	status st = store_due_claim(c, rule->kind, now, max, a, done, n, cap);
	for (int i = first; st == STATUS_OK && i < *n; i++) {
		const store_due_row *d = &(*done)[i];
		st = store_booking_event(c, d->business_id, ids_sortable(a, "evt"), d->id, now, "job",
					 rule->name, rule->from, rule->to, "", NULL);
		if (st == STATUS_OK && rule->no_show)
			st = store_customer_count(c, d->business_id, d->customer_id, 0, 0, 0, 1);
		if (st == STATUS_OK && rule->uncount)
			st = store_customer_count(c, d->business_id, d->customer_id, -1,
						  -d->price_minor, 0, 0);
		if (st == STATUS_OK && rule->no_show) {
			/* The customer hears of it in the same transaction. */
			business b;
			booking bk;
			st = store_business_by_id(c, d->business_id, a, &b);
			if (st == STATUS_OK)
				st = store_booking_get(c, b.id, d->id, false, a, &bk);
			if (st == STATUS_OK)
				st = outbox_booking(c, &b, &bk, "no_show", NULL, now, a);
			int64_t back = 0; /* paid beyond the no-show fee goes back */
			if (st == STATUS_OK)
				st = payment_booking_no_show(c, &b, &bk, "job", now, a, &back);
		}
	}
	return st;
}

status store_due_run(db_conn *c, int64_t now, int max, int64_t idem_before, arena *a,
		     store_due_row **rows, int *n)
{
	int cap = 0;
	*n = 0;
	status st = db_begin_write(c);
	for (size_t i = 0; st == STATUS_OK && i < sizeof(DUE_RULES) / sizeof(DUE_RULES[0]); i++)
		st = due_rule_run(c, &DUE_RULES[i], now, max, a, rows, n, &cap);
	if (st == STATUS_OK)
		st = store_idempotency_purge(c, idem_before);
	if (st == STATUS_OK)
		st = db_commit(c);
	if (st != STATUS_OK) {
		db_rollback(c);
		*n = 0;
	}
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
