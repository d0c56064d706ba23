/* notify_admin.h - what staff see and change of notifications: history, templates,
 * settings. */
#ifndef BOOKD_NOTIFY_ADMIN_H
#define BOOKD_NOTIFY_ADMIN_H

#include "base/arena.h"
#include "store/db.h"

/* One row of history. */
typedef struct notify_row {
	const char *id, *booking_id, *customer_id, *channel, *event, *recipient, *status;
	const char *booking_reference; /* the booking's reference, NULL without a booking */
	const char *last_error; /* the last failure, "" when none */
	int attempts;           /* delivery attempts so far */
	int64_t due_at, next_attempt_at, created_at; /* instants */
	int64_t sent_at;        /* 0 until sent */
} notify_row;

/* History of a business, newest first, filtered by booking, customer and status (each may
 * be NULL), at most limit rows. */
status notify_history(db_conn *c, const char *business_id, const char *booking_id,
		      const char *customer_id, const char *status_, int limit, arena *a,
		      notify_row **out, int *count);
/* How many rows wait per channel (pending or sending). */
status notify_waiting(db_conn *c, const char *business_id, int64_t *email, int64_t *sms);

/* Saves (replaces) the business's own template for event and channel. */
status notify_template_put(db_conn *c, const char *business_id, const char *event,
			   const char *channel, const char *subject, const char *text,
			   const char *html, int64_t now);
/* Removes it, so the default applies again. */
status notify_template_delete(db_conn *c, const char *business_id, const char *event,
			      const char *channel);

/* Notification settings of a business. */
typedef struct notify_settings {
	const char *reminder_offsets; /* JSON array of seconds */
	int quiet_start_min;          /* quiet hours, local minutes */
	int quiet_end_min;
	const char *staff_alerts;     /* JSON: [{"email", "events": ["new", "changed"]}] */
} notify_settings;
status notify_settings_get(db_conn *c, const char *business_id, arena *a, notify_settings *out);
/* Saves them in one write transaction, with the business's reminders still to come planned
 * again from now by them (remind_settings_changed). */
status notify_settings_put(db_conn *c, const char *business_id, const notify_settings *s,
			   int64_t now);

/* Any booking of the business, for previews: the latest one, or STATUS_NOT_FOUND. */
status notify_sample_booking(db_conn *c, const char *business_id, arena *a, const char **id);

#endif
