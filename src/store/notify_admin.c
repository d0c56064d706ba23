/* notify_admin.c - notification history, templates and settings. */
#include "store/notify_admin.h"

#include "store/remind.h"

#include <string.h>

status notify_history(db_conn *c, const char *business_id, const char *booking_id,
		      const char *customer_id, const char *status_, int limit, arena *a,
		      notify_row **out, int *count)
{
	db_rows *r;
	status st = db_query(
		c,
		"SELECT n.id, n.booking_id, n.customer_id, n.channel, n.event, n.recipient, n.status, "
		"n.last_error, n.attempts, n.due_at, n.next_attempt_at, n.created_at, n.sent_at, "
		"b.reference FROM notifications n LEFT JOIN bookings b ON b.business_id = "
		"n.business_id AND b.id = n.booking_id WHERE n.business_id = $1 AND ($2 = '' OR "
		"n.booking_id = $2) AND ($3 = '' OR n.customer_id = $3) AND ($4 = '' OR n.status = $4) "
		"ORDER BY n.created_at DESC, n.id DESC LIMIT $5",
		DB_PARAMS(DB_S(business_id), DB_S(booking_id ? booking_id : ""),
			  DB_S(customer_id ? customer_id : ""), DB_S(status_ ? status_ : ""), DB_I(limit)),
		&r);
	if (st != STATUS_OK)
		return st;
	notify_row *rows = arena_alloc(a, sizeof(*rows) * (size_t)(limit > 0 ? limit : 1));
	int n = 0;
	while (n < limit && db_next(r)) {
		notify_row *x = &rows[n++];
		x->id = arena_strdup(a, db_text(r, 0));
		x->booking_id = db_null(r, 1) ? NULL : arena_strdup(a, db_text(r, 1));
		x->customer_id = db_null(r, 2) ? NULL : arena_strdup(a, db_text(r, 2));
		x->channel = arena_strdup(a, db_text(r, 3));
		x->event = arena_strdup(a, db_text(r, 4));
		x->recipient = arena_strdup(a, db_text(r, 5));
		x->status = arena_strdup(a, db_text(r, 6));
		x->last_error = arena_strdup(a, db_text(r, 7));
		x->attempts = (int)db_int(r, 8);
		x->due_at = db_int(r, 9);
		x->next_attempt_at = db_int(r, 10);
		x->created_at = db_int(r, 11);
		x->sent_at = db_int(r, 12);
		x->booking_reference = db_null(r, 13) ? NULL : arena_strdup(a, db_text(r, 13));
	}
	st = db_rows_status(r);
	db_rows_free(r);
	*out = rows;
	*count = n;
	return st;
}

status notify_waiting(db_conn *c, const char *business_id, int64_t *email, int64_t *sms)
{
	status st = db_query_int(c,
				 "SELECT COUNT(*) FROM notifications WHERE business_id = $1 AND channel = "
				 "'email' AND status IN ('pending', 'sending')",
				 DB_PARAMS(DB_S(business_id)), email);
	if (st == STATUS_OK)
		st = db_query_int(c,
				  "SELECT COUNT(*) FROM notifications WHERE business_id = $1 AND channel "
				  "= 'sms' AND status IN ('pending', 'sending')",
				  DB_PARAMS(DB_S(business_id)), sms);
	return st;
}

status notify_template_put(db_conn *c, const char *business_id, const char *event,
			   const char *channel, const char *subject, const char *text,
			   const char *html, int64_t now)
{
	return db_exec(c,
		       "INSERT INTO notification_templates (business_id, event, channel, subject, "
		       "body_text, body_html, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) "
		       "ON CONFLICT (business_id, event, channel) DO UPDATE SET subject = "
		       "excluded.subject, body_text = excluded.body_text, body_html = excluded.body_html, "
		       "updated_at = excluded.updated_at",
		       DB_PARAMS(DB_S(business_id), DB_S(event), DB_S(channel), DB_S(subject),
				 DB_S(text), DB_S(html), DB_I(now)),
		       NULL);
}

status notify_template_delete(db_conn *c, const char *business_id, const char *event,
			      const char *channel)
{
	return db_exec(c,
		       "DELETE FROM notification_templates WHERE business_id = $1 AND event = $2 AND "
		       "channel = $3",
		       DB_PARAMS(DB_S(business_id), DB_S(event), DB_S(channel)), NULL);
}

status notify_settings_get(db_conn *c, const char *business_id, arena *a, notify_settings *out)
{
	db_rows *r;
	status st = db_query(c,
			     "SELECT reminder_offsets, quiet_start_min, quiet_end_min, staff_alerts "
			     "FROM businesses WHERE id = $1",
			     DB_PARAMS(DB_S(business_id)), &r);
	if (st != STATUS_OK)
		return st;
	if (db_next(r)) {
		out->reminder_offsets = arena_strdup(a, db_text(r, 0));
		out->quiet_start_min = (int)db_int(r, 1);
		out->quiet_end_min = (int)db_int(r, 2);
		out->staff_alerts = arena_strdup(a, db_text(r, 3));
	} else {
		st = db_rows_status(r) == STATUS_OK ? STATUS_NOT_FOUND : db_rows_status(r);
	}
	db_rows_free(r);
	return st;
}

status notify_settings_put(db_conn *c, const char *business_id, const notify_settings *s,
			   int64_t now)
{
	status st = STATUS_BUSY;
	for (int i = 0; i < 3 && st == STATUS_BUSY; i++) {
		st = db_begin_write(c);
		if (st == STATUS_OK)
			st = db_exec(c,
				     "UPDATE businesses SET reminder_offsets = $2, quiet_start_min = $3, "
				     "quiet_end_min = $4, staff_alerts = $5 WHERE id = $1",
				     DB_PARAMS(DB_S(business_id), DB_S(s->reminder_offsets),
					       DB_I(s->quiet_start_min), DB_I(s->quiet_end_min),
					       DB_S(s->staff_alerts)),
				     NULL);
		/* The reminders still to come follow the new offsets and quiet hours. */
		if (st == STATUS_OK)
			st = remind_settings_changed(c, business_id, now);
		if (st == STATUS_OK)
			st = db_commit(c);
		if (st != STATUS_OK)
			db_rollback(c);
	}
	return st;
}

status notify_sample_booking(db_conn *c, const char *business_id, arena *a, const char **id)
{
	db_rows *r;
	status st = db_query(c,
			     "SELECT id FROM bookings WHERE business_id = $1 AND customer_id IS NOT NULL "
			     "ORDER BY created_at DESC, id DESC LIMIT 1",
			     DB_PARAMS(DB_S(business_id)), &r);
	if (st != STATUS_OK)
		return st;
	if (db_next(r))
		*id = arena_strdup(a, db_text(r, 0));
	else
		st = db_rows_status(r) == STATUS_OK ? STATUS_NOT_FOUND : db_rows_status(r);
	db_rows_free(r);
	return st;
}
