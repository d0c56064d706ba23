/* outbox.c - notification rows: queued with the change, claimed, delivered, kept. */
#include "store/outbox.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "base/ids.h"
#include "core/reminders.h"
#include "core/tz.h"
#include "notify/defaults.h"
#include "store/booking.h"
#include "store/remind.h"

/* The business's notification settings (columns added by migration 0005) and the
 * customer's preferences, read together. */
typedef struct outbox_settings {
	const char *reminder_offsets; /* JSON array of seconds */
	int quiet_start_min;          /* quiet hours, local */
	int quiet_end_min;
	const char *staff_alerts;     /* JSON: [{"email", "events": ["new", "changed"]}] */
	bool no_reminders;            /* the customer opted out of reminders */
	bool sms;                     /* the customer wants SMS */
} outbox_settings;

static status outbox_settings_get(db_conn *c, const char *bid, const char *cid, arena *a,
				  outbox_settings *s)
{
	db_rows *r;
	status st = db_query(c,
			     "SELECT z.reminder_offsets, z.quiet_start_min, z.quiet_end_min, "
			     "z.staff_alerts, COALESCE(u.reminders_opt_out, 0), "
			     "COALESCE(u.sms_opt_in, 0) FROM businesses z LEFT JOIN customers u ON "
			     "u.business_id = z.id AND u.id = $2 WHERE z.id = $1",
			     DB_PARAMS(DB_S(bid), DB_S(cid ? cid : "")), &r);
	if (st != STATUS_OK)
		return st;
	if (db_next(r)) {
		s->reminder_offsets = arena_strdup(a, db_text(r, 0));
		s->quiet_start_min = (int)db_int(r, 1);
		s->quiet_end_min = (int)db_int(r, 2);
		s->staff_alerts = arena_strdup(a, db_text(r, 3));
		s->no_reminders = db_int(r, 4) != 0;
		s->sms = db_int(r, 5) != 0;
	} else {
		st = db_rows_status(r) == STATUS_OK ? STATUS_NOT_FOUND : db_rows_status(r);
	}
	db_rows_free(r);
	return st;
}

static status outbox_insert(db_conn *c, const char *bid, const booking *bk, const char *channel,
			    const char *event, const char *recipient, int64_t due,
			    const char *dedupe, int64_t now, arena *a)
{
	/* A message sent once per change ("once" key) has no exactly-once key: NULL, kept out
	 * of notifications_dedupe (migration 0032), one B-tree less in the booking's commit. */
	return db_exec(c,
		       "INSERT INTO notifications (business_id, id, booking_id, customer_id, channel, "
		       "event, recipient, status, due_at, next_attempt_at, dedupe_key, created_at, "
		       "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $8, $9, $10, $10) "
		       "ON CONFLICT (business_id, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING",
		       DB_PARAMS(DB_S(bid), DB_S(ids_sortable(a, "ntf")), DB_S(bk->id),
				 DB_S(bk->customer_id), DB_S(channel), DB_S(event), DB_S(recipient),
				 DB_I(due), DB_S(strncmp(dedupe, "once", 4) == 0 ? NULL : dedupe),
				 DB_I(now)),
		       NULL);
}

/* Withdraws a booking's queued reminders ($1 business, $2 booking, $3 now). SQLite is told
 * the index: without statistics it would rather walk the business's every notification by
 * the primary key. */
#define WITHDRAW_SQL(indexed)                                                                  \
	"UPDATE notifications " indexed " SET status = 'cancelled', updated_at = $3, "           \
	"last_error = 'booking changed' WHERE business_id = $1 AND booking_id = $2 "             \
	"AND event = 'reminder' AND status = 'pending'"

const char *outbox_withdraw_sql(const db_conn *c)
{
	return db_conn_kind(c) == DB_SQLITE ? WITHDRAW_SQL("INDEXED BY notifications_reminders")
					    : WITHDRAW_SQL("");
}

/* outbox_booking and outbox_booking_quiet: tell_customer says whether the customer's own
 * message of the change (email, SMS) is queued. */
static status queue_booking(db_conn *c, const business *b, const booking *bk, const char *event,
			    bool tell_customer, int64_t now, arena *a)
{
	outbox_settings set = {0};
	status st = outbox_settings_get(c, b->id, bk->customer_id, a, &set);
	if (st != STATUS_OK)
		return st;
	if (strcmp(event, "confirm_request") == 0) {
		/* Only the address typed hears of an unconfirmed booking: no SMS (the phone is
		 * unverified too), no staff alert, no reminder until it is confirmed. */
		return tell_customer && bk->customer_email && *bk->customer_email
			       ? outbox_insert(c, b->id, bk, "email", event, bk->customer_email, now,
					       ids_sortable(a, "once"), now, a)
			       : STATUS_OK;
	}
	if (strncmp(event, "series_", 7) == 0) {
		/* A whole series booked or cancelled (store/series.c): one email to its customer
		 * instead of one per occurrence; each occurrence queued its own staff alerts and
		 * reminders (or withdrew them) quietly. */
		return tell_customer && bk->customer_email && *bk->customer_email
			       ? outbox_insert(c, b->id, bk, "email", event, bk->customer_email, now,
					       ids_sortable(a, "once"), now, a)
			       : STATUS_OK;
	}
	if (strcmp(event, "waitlist_offer") == 0) {
		/* A seat offered from the waiting list: its person, by email and by SMS when
		 * they opted in; nothing for staff (it is not booked yet). */
		st = bk->customer_email && *bk->customer_email
			     ? outbox_insert(c, b->id, bk, "email", event, bk->customer_email, now,
					     ids_sortable(a, "once"), now, a)
			     : STATUS_OK;
		if (st == STATUS_OK && set.sms && bk->customer_phone && *bk->customer_phone &&
		    notify_default(event, "sms"))
			st = outbox_insert(c, b->id, bk, "sms", event, bk->customer_phone, now,
					   ids_sortable(a, "once"), now, a);
		return st;
	}
	bool sms = set.sms;
	/* A change withdraws the reminders still queued (a pending or newly confirmed booking
	 * has none yet); a confirmed booking gets new ones below. */
	if (strcmp(event, "pending") != 0 && strcmp(event, "confirmed") != 0)
		st = db_exec(c, outbox_withdraw_sql(c),
			     DB_PARAMS(DB_S(b->id), DB_S(bk->id), DB_I(now)), NULL);
	if (st == STATUS_OK && tell_customer && bk->customer_email && *bk->customer_email)
		st = outbox_insert(c, b->id, bk, "email", event, bk->customer_email, now,
				   ids_sortable(a, "once"), now, a);
	if (st == STATUS_OK && tell_customer && sms && bk->customer_phone && *bk->customer_phone &&
	    notify_default(event, "sms"))
		st = outbox_insert(c, b->id, bk, "sms", event, bk->customer_phone, now,
				   ids_sortable(a, "once"), now, a);
	/* Staff alerts on new and changed bookings. */
	const char *alert = strcmp(event, "confirmed") == 0 || strcmp(event, "pending") == 0
				    ? "staff_new"
				    : "staff_changed";
	if (strcmp(event, "confirmed") == 0 && bk->created_at != now)
		alert = "staff_changed"; /* a pending booking confirmed later */
	json_t *alerts = json_loads(set.staff_alerts, 0, NULL);
	size_t wi;
	json_t *who;
	const char *kind = strcmp(alert, "staff_new") == 0 ? "new" : "changed";
	json_array_foreach(alerts, wi, who) {
		const char *addr = json_string_value(json_object_get(who, "email")); /* borrowed */
		const json_t *events = json_object_get(who, "events");               /* borrowed */
		bool wants = !events;
		size_t k;
		json_t *e;
		json_array_foreach(events, k, e) wants = wants || (json_is_string(e) && strcmp(json_string_value(e), kind) == 0);
		if (st == STATUS_OK && addr && *addr && wants)
			st = outbox_insert(c, b->id, bk, "email", alert, addr, now, ids_sortable(a, "once"), now, a);
	}
	json_decref(alerts);
	/* Reminders are planned lazily (store/remind): the worker writes each one's row when it
	 * is due, from the booking as it then is (confirmed, its start, the settings of the
	 * time). A booking moved, or confirmed after it was made, is planned again from now. */
	bool moved = strcmp(event, "rescheduled") == 0;
	if (st != STATUS_OK || (!moved && strcmp(event, "confirmed") != 0))
		return st;
	return remind_replan(c, b, bk, moved, set.reminder_offsets, set.quiet_start_min,
			     set.quiet_end_min, now);
}

status outbox_booking(db_conn *c, const business *b, const booking *bk, const char *event,
		      const char *reason, int64_t now, arena *a)
{
	(void)reason;
	return queue_booking(c, b, bk, event, true, now, a);
}

status outbox_booking_quiet(db_conn *c, const business *b, const booking *bk, const char *event,
			    int64_t now, arena *a)
{
	return queue_booking(c, b, bk, event, false, now, a);
}

status outbox_staff(db_conn *c, const char *business_id, const char *event,
		    const char *recipient, const char *payload, int64_t now, arena *a)
{
	return db_exec(c,
		       "INSERT INTO notifications (business_id, id, channel, event, recipient, "
		       "status, due_at, next_attempt_at, dedupe_key, created_at, updated_at, "
		       "payload) VALUES ($1, $2, 'email', $3, $4, 'pending', $5, $5, $6, $5, $5, $7)",
		       DB_PARAMS(DB_S(business_id), DB_S(ids_sortable(a, "ntf")), DB_S(event),
				 DB_S(recipient), DB_I(now), DB_NUL,
				 DB_S(payload ? payload : "")),
		       NULL);
}

status outbox_claim(db_conn *c, int64_t now, bool email, bool sms, int max, int lease_s,
		    arena *a, outbox_item **out, int *count)
{
	*count = 0;
	*out = NULL;
	if (!email && !sms)
		return STATUS_OK;
	/* [0: SQLite, 1: PostgreSQL, whose processes share the rows] */
#define OUTBOX_CLAIM_SQL(lock)                                                                 \
	"UPDATE notifications SET status = 'sending', claimed_until = $2, attempts = "         \
	"attempts + 1, updated_at = $1 WHERE (business_id, id) IN (SELECT business_id, id "    \
	"FROM notifications WHERE ((status = 'pending' AND next_attempt_at <= $1 AND due_at " \
	"<= $1) OR (status = 'sending' AND claimed_until < $1)) AND channel IN ($3, $4) "      \
	"ORDER BY next_attempt_at LIMIT $5" lock ") RETURNING business_id, id, booking_id, "   \
	"channel, event, recipient, attempts, payload"
	static const char *const sql[2] = {OUTBOX_CLAIM_SQL(""),
					   OUTBOX_CLAIM_SQL(" FOR UPDATE SKIP LOCKED")};
#undef OUTBOX_CLAIM_SQL
	db_rows *r;
	status st = db_query(c, sql[db_conn_kind(c) == DB_POSTGRES],
			     DB_PARAMS(DB_I(now), DB_I(now + lease_s), DB_S(email ? "email" : "-"),
				       DB_S(sms ? "sms" : "-"), DB_I(max)),
			     &r);
	if (st != STATUS_OK)
		return st;
	outbox_item *items = arena_alloc(a, sizeof(*items) * (size_t)(max > 0 ? max : 1));
	int n = 0;
	while (n < max && db_next(r)) {
		items[n].business_id = arena_strdup(a, db_text(r, 0));
		items[n].id = arena_strdup(a, db_text(r, 1));
		items[n].booking_id = db_null(r, 2) ? NULL : arena_strdup(a, db_text(r, 2));
		items[n].channel = arena_strdup(a, db_text(r, 3));
		items[n].event = arena_strdup(a, db_text(r, 4));
		items[n].recipient = arena_strdup(a, db_text(r, 5));
		items[n].attempts = (int)db_int(r, 6);
		items[n].payload = arena_strdup(a, db_text(r, 7));
		n++;
	}
	st = db_rows_status(r);
	db_rows_free(r);
	*out = items;
	*count = n;
	return st;
}

static status outbox_set(db_conn *c, const outbox_item *it, const char *status_, int64_t next,
			 const char *error, int64_t now)
{
	return db_exec(c,
		       "UPDATE notifications SET status = $3, next_attempt_at = $4, last_error = $5, "
		       "updated_at = $6, claimed_until = 0, sent_at = CASE WHEN $3 = 'sent' THEN $6 "
		       "ELSE sent_at END, payload = CASE WHEN $3 = 'pending' THEN payload ELSE '' "
		       "END WHERE business_id = $1 AND id = $2 AND status = 'sending'",
		       DB_PARAMS(DB_S(it->business_id), DB_S(it->id), DB_S(status_), DB_I(next),
				 DB_S(error ? error : ""), DB_I(now)),
		       NULL);
}

status outbox_sent(db_conn *c, const outbox_item *it, int64_t now)
{
	return outbox_set(c, it, "sent", now, "", now);
}

status outbox_retry(db_conn *c, const outbox_item *it, int64_t retry_at, const char *error,
		    int64_t now)
{
	return outbox_set(c, it, "pending", retry_at, error, now);
}

status outbox_failed(db_conn *c, const outbox_item *it, const char *error, int64_t now)
{
	return outbox_set(c, it, "failed", now, error, now);
}

status outbox_cancelled(db_conn *c, const outbox_item *it, const char *why, int64_t now)
{
	return outbox_set(c, it, "cancelled", now, why, now);
}

status outbox_retry_now(db_conn *c, const char *business_id, const char *id, int64_t now)
{
	int64_t changed = 0;
	status st = db_exec(c,
			    "UPDATE notifications SET status = 'pending', next_attempt_at = $3, "
			    "updated_at = $3 WHERE business_id = $1 AND id = $2 AND status = 'failed'",
			    DB_PARAMS(DB_S(business_id), DB_S(id), DB_I(now)), &changed);
	if (st == STATUS_OK && changed == 0) {
		/* Nothing changed: an id of another status is a conflict, an unknown one is not
		 * found. */
		int64_t one = 0;
		st = db_query_int(c, "SELECT 1 FROM notifications WHERE business_id = $1 AND id = $2",
				  DB_PARAMS(DB_S(business_id), DB_S(id)), &one);
		if (st == STATUS_OK)
			st = STATUS_CONFLICT;
	}
	return st;
}

/* One attempt of outbox_resend inside its transaction. */
static status resend_attempt(db_conn *c, const char *bid, const char *booking_id,
			     const char *actor, int64_t now, arena *a, outbox_resend_result *out)
{
	db_rows *r;
#define RESEND_BOOKING                                                                         \
	"SELECT status, customer_id, customer_email FROM bookings WHERE business_id = $1 AND id = $2"
	status st = db_query(c,
			     db_conn_kind(c) == DB_POSTGRES ? RESEND_BOOKING " FOR UPDATE"
							    : RESEND_BOOKING,
			     DB_PARAMS(DB_S(bid), DB_S(booking_id)), &r);
	if (st != STATUS_OK)
		return st;
	booking bk = {.id = booking_id};
	const char *status_name = NULL;
	if (db_next(r)) {
		status_name = arena_strdup(a, db_text(r, 0));
		bk.customer_id = db_null(r, 1) ? NULL : arena_strdup(a, db_text(r, 1));
		bk.customer_email = arena_strdup(a, db_text(r, 2));
	}
	st = db_rows_status(r);
	db_rows_free(r);
	if (st != STATUS_OK)
		return st;
	if (!status_name)
		return STATUS_NOT_FOUND;
	/* The message that says where the booking stands now. */
	if (strcmp(status_name, "confirmed") == 0)
		out->event = "confirmed";
	else if (strcmp(status_name, "pending") == 0)
		out->event = "pending";
	else if (strcmp(status_name, "held") == 0 && bk.customer_id)
		out->event = "confirm_request";
	else {
		out->why = "only a pending or confirmed booking (or one awaiting its emailed "
			   "confirmation) has a confirmation to send again";
		return STATUS_CONFLICT;
	}
	if (!*bk.customer_email) {
		out->why = "the booking has no email address to send to";
		return STATUS_CONFLICT;
	}
	int64_t n = 0, last = 0, first = 0;
	st = db_query(c,
		      "SELECT COUNT(*), COALESCE(MAX(at), 0), COALESCE(MIN(at), 0) FROM booking_events "
		      "WHERE business_id = $1 AND booking_id = $2 AND kind = 'resend' AND at > $3",
		      DB_PARAMS(DB_S(bid), DB_S(booking_id), DB_I(now - 86400)), &r);
	if (st != STATUS_OK)
		return st;
	if (db_next(r)) {
		n = db_int(r, 0);
		last = db_int(r, 1);
		first = db_int(r, 2);
	}
	st = db_rows_status(r);
	db_rows_free(r);
	if (st != STATUS_OK)
		return st;
	if (n > 0 && now - last < OUTBOX_RESEND_GAP_S) {
		out->why = "the message was sent again less than a minute ago";
		out->retry_after = OUTBOX_RESEND_GAP_S - (now - last);
		return STATUS_CONFLICT;
	}
	if (n >= OUTBOX_RESEND_PER_DAY) {
		out->why = "the message was sent again too often today";
		out->retry_after = first + 86400 - now + 1;
		return STATUS_CONFLICT;
	}
	out->recipient = bk.customer_email;
	st = outbox_insert(c, bid, &bk, "email", out->event, bk.customer_email, now,
			   ids_sortable(a, "once"), now, a);
	if (st == STATUS_OK)
		st = store_booking_event(c, bid, ids_sortable(a, "evt"), booking_id, now, actor,
					 "resend", NULL, NULL, "", NULL);
	return st;
}

status outbox_resend(db_conn *c, const char *business_id, const char *booking_id,
		     const char *actor, int64_t now, arena *a, outbox_resend_result *out)
{
	status st = STATUS_BUSY;
	for (int i = 0; i < 3 && st == STATUS_BUSY; i++) {
		*out = (outbox_resend_result){0};
		st = db_begin_write(c);
		if (st == STATUS_OK)
			st = resend_attempt(c, business_id, booking_id, actor, now, a, out);
		if (st == STATUS_OK)
			st = db_commit(c);
		if (st != STATUS_OK)
			db_rollback(c);
	}
	return st;
}

status outbox_template(db_conn *c, const char *business_id, const char *event,
		       const char *channel, arena *a, const char **subject, const char **text,
		       const char **html)
{
	db_rows *r;
	status st = db_query(c,
			     "SELECT subject, body_text, body_html FROM notification_templates WHERE "
			     "business_id = $1 AND event = $2 AND channel = $3",
			     DB_PARAMS(DB_S(business_id), DB_S(event), DB_S(channel)), &r);
	if (st != STATUS_OK)
		return st;
	if (db_next(r)) {
		*subject = arena_strdup(a, db_text(r, 0));
		*text = arena_strdup(a, db_text(r, 1));
		*html = arena_strdup(a, db_text(r, 2));
	} else {
		st = db_rows_status(r) == STATUS_OK ? STATUS_NOT_FOUND : db_rows_status(r);
	}
	db_rows_free(r);
	return st;
}

status outbox_opt_out(db_conn *c, const char *business_id, const char *customer_id, int64_t now)
{
	int64_t changed = 0;
	status st = db_exec(c,
			    "UPDATE customers SET reminders_opt_out = 1, updated_at = $3 WHERE "
			    "business_id = $1 AND id = $2",
			    DB_PARAMS(DB_S(business_id), DB_S(customer_id), DB_I(now)), &changed);
	if (st == STATUS_OK && changed == 0)
		return STATUS_NOT_FOUND;
	if (st != STATUS_OK)
		return st;
	/* Reminders are a booking's: found through the customer's bookings (no index on the
	 * notifications' customer, migration 0019). "status || ''" keeps SQLite from reading
	 * every pending notification of every business through notifications_due instead. */
	return db_exec(c,
		       "UPDATE notifications SET status = 'cancelled', last_error = 'opted out', "
		       "updated_at = $3 WHERE business_id = $1 AND booking_id IN (SELECT b.id FROM "
		       "bookings b WHERE b.business_id = $1 AND b.customer_id = $2) AND "
		       "customer_id = $2 AND event = 'reminder' AND status || '' = 'pending'",
		       DB_PARAMS(DB_S(business_id), DB_S(customer_id), DB_I(now)), NULL);
}
