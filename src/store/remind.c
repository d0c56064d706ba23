/* remind.c - reminders planned lazily from the confirmed bookings. */
#include "store/remind.h"

#include <string.h>

#include "base/ids.h"
#include "core/reminders.h"
#include "core/tz.h"
#include "notify/defaults.h"

/* One business's reminder settings. */
typedef struct remind_biz {
	const char *id;         /* the business */
	const tz *zone;         /* its zone (quiet hours are local) */
	int64_t offsets[REMINDERS_MAX];
	size_t n;               /* how many offsets */
	int64_t horizon;        /* the largest offset plus the quiet-hours slack */
	reminders_quiet quiet;  /* quiet hours */
} remind_biz;

/* One booking the planner looks at. */
typedef struct remind_bk {
	const char *id;       /* the booking */
	const char *customer_id;
	const char *email;    /* "" when none */
	const char *phone;    /* "" when none */
	int64_t start;        /* its present start */
	int64_t from;         /* reminders due before it are not sent */
	int64_t next;         /* the worker's next instant, or -1 when not planned yet */
	bool opted_out;       /* the customer wants no reminders */
	bool sms;             /* the customer wants SMS */
	const char *reference; /* as staff know it */
} remind_bk;

static void biz_settings(remind_biz *z, const char *offsets, const char *zone, int qs, int qe)
{
	if (reminders_parse(offsets, z->offsets, &z->n) != STATUS_OK)
		z->n = 0;
	z->zone = tz_get(zone);
	z->quiet = (reminders_quiet){qs, qe};
	int64_t most = 0;
	for (size_t i = 0; i < z->n; i++)
		if (z->offsets[i] > most)
			most = z->offsets[i];
	z->horizon = most + REMIND_QUIET_SLACK_S;
}

/* The columns every booking query below reads, in the order bk_read expects. */
#define REMIND_COLS                                                                            \
	"b.id, b.customer_id, b.customer_email, COALESCE(b.customer_phone, ''), b.start_at, "  \
	"COALESCE(b.remind_from, b.created_at), b.remind_next, COALESCE(u.reminders_opt_out, " \
	"0), COALESCE(u.sms_opt_in, 0), b.reference FROM bookings b LEFT JOIN customers u ON "               \
	"u.business_id = b.business_id AND u.id = b.customer_id "

static void bk_read(db_rows *r, arena *a, remind_bk *k)
{
	k->id = arena_strdup(a, db_text(r, 0));
	k->customer_id = db_null(r, 1) ? NULL : arena_strdup(a, db_text(r, 1));
	k->email = db_null(r, 2) ? "" : arena_strdup(a, db_text(r, 2));
	k->phone = arena_strdup(a, db_text(r, 3));
	k->start = db_int(r, 4);
	k->from = db_int(r, 5);
	k->next = db_null(r, 6) ? -1 : db_int(r, 6);
	k->opted_out = db_int(r, 7) != 0;
	k->sms = db_int(r, 8) != 0;
	k->reference = arena_strdup(a, db_text(r, 9));
}

/* The reminders of k by its business's present settings: those not done yet (from its
 * planning instant, or the worker's next one), into due; returns how many. */
static size_t bk_plan(const remind_biz *z, const remind_bk *k, reminder_due *due)
{
	if (z->n == 0 || k->opted_out || !*k->email)
		return 0;
	reminder_due all[REMINDERS_MAX];
	size_t n = reminders_plan(k->start, k->from, z->offsets, z->n, z->zone, z->quiet, all);
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (k->next < 0 || all[i].due >= k->next)
			due[m++] = all[i];
	return m;
}

static bool bk_sms(const remind_bk *k)
{
	return k->sms && *k->phone && notify_default("reminder", "sms");
}

static status row_insert(db_conn *c, const char *bid, const remind_bk *k, const char *channel,
			 const char *to, int64_t due, const char *key, int64_t now, arena *a,
			 int *made)
{
	int64_t changed = 0;
	status st = db_exec(
		c,
		"INSERT INTO notifications (business_id, id, booking_id, customer_id, channel, "
		"event, recipient, status, due_at, next_attempt_at, dedupe_key, created_at, "
		"updated_at) VALUES ($1, $2, $3, $4, $5, 'reminder', $6, 'pending', $7, $7, $8, $9, "
		"$9) ON CONFLICT (business_id, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING",
		DB_PARAMS(DB_S(bid), DB_S(ids_sortable(a, "ntf")), DB_S(k->id), DB_S(k->customer_id),
			  DB_S(channel), DB_S(to), DB_I(due), DB_S(key), DB_I(now)),
		&changed);
	if (made)
		*made += (int)changed;
	return st;
}

/* Writes k's reminders due at now and records the next instant the worker waits for. */
static status bk_due(db_conn *c, const remind_biz *z, const remind_bk *k, int64_t now, arena *a,
		     int *made)
{
	reminder_due due[REMINDERS_MAX];
	size_t n = bk_plan(z, k, due);
	int64_t next = k->start;
	status st = STATUS_OK;
	for (size_t i = 0; i < n && st == STATUS_OK; i++) {
		if (due[i].due > now) {
			if (due[i].due < next)
				next = due[i].due;
			continue;
		}
		/* The same key as reminders had when they were written with the booking, so one
		 * queued that way is not queued twice. */
		const char *key = arena_printf(a, "reminder:%s:%lld:%lld", k->id,
					       (long long)k->start, (long long)due[i].offset_s);
		st = row_insert(c, z->id, k, "email", k->email, due[i].due, key, now, a, made);
		if (st == STATUS_OK && bk_sms(k))
			st = row_insert(c, z->id, k, "sms", k->phone, due[i].due,
					arena_printf(a, "sms:%s", key), now, a, made);
	}
	if (st == STATUS_OK)
		st = db_exec(c,
			     "UPDATE bookings SET remind_next = $3 WHERE business_id = $1 AND id = $2 "
			     "AND start_at = $4",
			     DB_PARAMS(DB_S(z->id), DB_S(k->id), DB_I(next), DB_I(k->start)), NULL);
	return st;
}

/* The bookings of z the worker has something to do for at now: [0] a look without a lock,
 * [1] SQLite inside the write transaction, [2] PostgreSQL, claiming them. */
#define REMIND_DUE_SQL                                                                         \
	"SELECT " REMIND_COLS "WHERE b.business_id = $1 AND b.start_at > $2 AND b.start_at <= " \
	"$3 AND b.status = 'confirmed' AND (b.remind_next IS NULL OR b.remind_next <= $2) "     \
	"ORDER BY b.start_at LIMIT $4"

const char *remind_due_sql(void)
{
	return REMIND_DUE_SQL;
}

static status biz_load(db_conn *c, const char *sql, const remind_biz *z, int64_t now,
		       arena *a, remind_bk **out, int *count)
{
	*count = 0;
	db_rows *r;
	status st = db_query(c, sql,
			     DB_PARAMS(DB_S(z->id), DB_I(now), DB_I(now + z->horizon),
				       DB_I(REMIND_BATCH)),
			     &r);
	if (st != STATUS_OK)
		return st;
	remind_bk *v = arena_alloc(a, sizeof(*v) * REMIND_BATCH);
	while (*count < REMIND_BATCH && db_next(r))
		bk_read(r, a, &v[(*count)++]);
	st = db_rows_status(r);
	db_rows_free(r);
	*out = v;
	return st;
}

static status biz_due(db_conn *c, const remind_biz *z, int64_t now, arena *a, int *made)
{
	static const char *const locked[2] = {REMIND_DUE_SQL,
					      REMIND_DUE_SQL " FOR UPDATE OF b SKIP LOCKED"};
	remind_bk *v;
	int n;
	/* A look first: most passes find nothing, and take no write lock for it. */
	status st = biz_load(c, REMIND_DUE_SQL, z, now, a, &v, &n);
	if (st != STATUS_OK || n == 0)
		return st;
	st = db_begin_write(c);
	if (st != STATUS_OK)
		return st;
	st = biz_load(c, locked[db_conn_kind(c) == DB_POSTGRES], z, now, a, &v, &n);
	for (int i = 0; i < n && st == STATUS_OK; i++)
		st = bk_due(c, z, &v[i], now, a, made);
	if (st == STATUS_OK)
		st = db_commit(c);
	if (st != STATUS_OK)
		db_rollback(c);
	return st;
}

status remind_plan_due(db_conn *c, int64_t now, arena *a, int *made)
{
	if (made)
		*made = 0;
	db_rows *r;
	status st = db_query(c,
			     "SELECT id, reminder_offsets, timezone, quiet_start_min, quiet_end_min "
			     "FROM businesses WHERE reminder_offsets <> '[]' ORDER BY id",
			     DB_NOPARAMS, &r);
	if (st != STATUS_OK)
		return st;
	size_t cap = 8, nb = 0;
	remind_biz *all = arena_alloc(a, sizeof(*all) * cap);
	while (db_next(r)) {
		if (nb == cap) {
			remind_biz *more = arena_alloc(a, sizeof(*more) * cap * 2);
			memcpy(more, all, sizeof(*all) * cap);
			all = more;
			cap *= 2;
		}
		remind_biz *z = &all[nb++];
		z->id = arena_strdup(a, db_text(r, 0));
		biz_settings(z, db_text(r, 1), db_text(r, 2), (int)db_int(r, 3), (int)db_int(r, 4));
	}
	st = db_rows_status(r);
	db_rows_free(r);
	for (size_t i = 0; i < nb && st == STATUS_OK; i++)
		if (all[i].n > 0)
			st = biz_due(c, &all[i], now, a, made);
	return st;
}

status remind_replan(db_conn *c, const business *b, const booking *bk, bool moved,
		     const char *reminder_offsets, int quiet_start_min, int quiet_end_min,
		     int64_t now)
{
	if (!moved) {
		/* Confirmed: as it is made (planned from its created_at already), or later with
		 * no reminder instant passed meanwhile (planning from now changes nothing). */
		if (bk->created_at == now)
			return STATUS_OK;
		remind_biz z;
		biz_settings(&z, reminder_offsets, b->timezone, quiet_start_min, quiet_end_min);
		reminder_due due[REMINDERS_MAX];
		size_t n = reminders_plan(bk->start_at, bk->created_at, z.offsets, z.n, z.zone,
					  z.quiet, due);
		bool passed = false;
		for (size_t i = 0; i < n; i++)
			passed = passed || due[i].due < now;
		if (!passed)
			return STATUS_OK;
	}
	return db_exec(c,
		       "UPDATE bookings SET remind_from = $3, remind_next = NULL WHERE business_id = "
		       "$1 AND id = $2",
		       DB_PARAMS(DB_S(b->id), DB_S(bk->id), DB_I(now)), NULL);
}

status remind_settings_changed(db_conn *c, const char *business_id, int64_t now)
{
	return db_exec(c,
		       "UPDATE bookings SET remind_from = $2, remind_next = NULL WHERE business_id = "
		       "$1 AND start_at > $2 AND status = 'confirmed'",
		       DB_PARAMS(DB_S(business_id), DB_I(now)), NULL);
}

/* The bookings whose reminders remind_planned lists ($1 business, $2 one booking or '', $3
 * one customer or '', $4 now, $5 at most so many), one statement per filter so that each
 * reads its own index: a booking by its key, a customer's through bookings_customer (the
 * "+" keep the start's range and order from choosing bookings_start_id), else the upcoming
 * starts. With "($2 = '' OR b.id = $2)" in one statement SQLite could use none of them and
 * walked every upcoming booking of the business. Each names every parameter. */
#define REMIND_PLANNED_SQL(filter, order)                                                      \
	"SELECT " REMIND_COLS "WHERE b.business_id = $1 AND " filter " AND b.status = "          \
	"'confirmed' ORDER BY " order ", b.id LIMIT $5"

const char *remind_planned_sql(bool one_booking, bool one_customer)
{
	if (one_booking)
		return REMIND_PLANNED_SQL(
			"b.id = $2 AND ($3 = '' OR b.customer_id = $3) AND b.start_at > $4", "b.start_at");
	if (one_customer)
		return REMIND_PLANNED_SQL("$2 = '' AND b.customer_id = $3 AND +b.start_at > $4",
					  "+b.start_at");
	return REMIND_PLANNED_SQL("$2 = '' AND $3 = '' AND b.start_at > $4", "b.start_at");
}

status remind_planned(db_conn *c, const char *business_id, const char *booking_id,
		      const char *customer_id, int64_t now, int limit, arena *a,
		      notify_row **out, int *count)
{
	*out = NULL;
	*count = 0;
	db_rows *r;
	remind_biz z = {.id = business_id};
	status st = db_query(c,
			     "SELECT reminder_offsets, timezone, quiet_start_min, quiet_end_min FROM "
			     "businesses WHERE id = $1",
			     DB_PARAMS(DB_S(business_id)), &r);
	if (st != STATUS_OK)
		return st;
	if (db_next(r))
		biz_settings(&z, db_text(r, 0), db_text(r, 1), (int)db_int(r, 2), (int)db_int(r, 3));
	st = db_rows_status(r);
	db_rows_free(r);
	if (st != STATUS_OK || z.n == 0 || limit <= 0)
		return st;
	/* Each booking yields at most REMINDERS_MAX reminders on two channels. */
	st = db_query(c, remind_planned_sql(booking_id && *booking_id, customer_id && *customer_id),
		      DB_PARAMS(DB_S(business_id), DB_S(booking_id ? booking_id : ""),
				DB_S(customer_id ? customer_id : ""), DB_I(now), DB_I(limit)),
		      &r);
	if (st != STATUS_OK)
		return st;
	notify_row *rows = arena_alloc(a, sizeof(*rows) * (size_t)limit);
	int n = 0;
	while (n < limit && db_next(r)) {
		remind_bk k;
		bk_read(r, a, &k);
		reminder_due due[REMINDERS_MAX];
		size_t m = bk_plan(&z, &k, due);
		for (size_t i = 0; i < m && n < limit; i++) {
			if (due[i].due <= now)
				continue; /* the worker writes its row now: the history shows that */
			for (int ch = 0; ch < 2 && n < limit; ch++) {
				if (ch == 1 && !bk_sms(&k))
					break;
				const char *channel = ch ? "sms" : "email";
				rows[n++] = (notify_row){
					.id = arena_printf(a, "planned:%s:%lld:%s", k.id,
							   (long long)due[i].offset_s, channel),
					.booking_id = k.id,
					.booking_reference = k.reference,
					.customer_id = k.customer_id,
					.channel = channel,
					.event = "reminder",
					.recipient = ch ? k.phone : k.email,
					.status = "pending",
					.last_error = "",
					.due_at = due[i].due,
					.next_attempt_at = due[i].due,
					.created_at = k.from,
				};
			}
		}
	}
	st = db_rows_status(r);
	db_rows_free(r);
	*out = rows;
	*count = n;
	return st;
}
