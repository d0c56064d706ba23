/* outbox.h - the notification outbox: rows written in the same transaction as the booking
 * change that causes them, claimed by the notification worker, kept as history. */
#ifndef BOOKD_OUTBOX_H
#define BOOKD_OUTBOX_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "core/model.h"
#include "store/db.h"

/* Inside the booking's transaction: queues what `event` ("confirmed", "pending",
 * "rescheduled", "cancelled", "no_show") sends: the customer's email (and SMS when they
 * opted in) and staff alerts to the business's alert addresses. Reminders are not queued
 * here: the notification worker writes each when it falls due (store/remind); a reschedule,
 * or a confirmation after the booking was made, plans them again from now, and reminders
 * already queued are withdrawn on reschedule, cancel and no-show, so none is ever sent for
 * a cancelled booking and a moved booking's reminders move with it. "confirm_request" (a public booking waiting for its
 * emailed confirmation) queues the customer's email and nothing else. reason may be NULL. */
status outbox_booking(db_conn *c, const business *b, const booking *bk, const char *event,
		      const char *reason, int64_t now, arena *a);

/* As outbox_booking, for a change staff chose not to tell the customer of: the customer's
 * email and SMS of the change are not queued; staff alerts are, and reminders are withdrawn
 * and planned again exactly as outbox_booking does (a moved booking's reminders follow it).
 * "confirm_request" queues nothing. */
status outbox_booking_quiet(db_conn *c, const business *b, const booking *bk, const char *event,
			    int64_t now, arena *a);

/* The statement withdrawing a booking's queued reminders on this connection's database
 * ($1 business, $2 booking, $3 now), for the test that holds it to its index. */
const char *outbox_withdraw_sql(const db_conn *c);

/* Queues an email about a staff account, about no booking (event "password_reset",
 * "password_changed" or "account_locked"), due now. payload (may be NULL) is kept only until
 * the row is sent, failed or cancelled: a reset link's secret waits there, never longer. */
status outbox_staff(db_conn *c, const char *business_id, const char *event,
		    const char *recipient, const char *payload, int64_t now, arena *a);

/* One claimed notification. */
typedef struct outbox_item {
	const char *business_id; /* whose */
	const char *id;          /* the row */
	const char *booking_id;  /* about which booking (may be NULL) */
	const char *channel;     /* email | sms */
	const char *event;       /* which template */
	const char *recipient;   /* address or phone number */
	int attempts;            /* including this one */
	const char *payload;     /* staff-account messages: what they need ("" otherwise) */
} outbox_item;

/* Claims up to max due rows of the given channels (email and/or sms) for a lease of
 * lease_s: pending rows whose time has come, and rows whose earlier lease ran out (a worker
 * died mid-send). Several processes may claim at once (PostgreSQL: SKIP LOCKED). */
status outbox_claim(db_conn *c, int64_t now, bool email, bool sms, int max, int lease_s,
		    arena *a, outbox_item **out, int *count);
/* After a delivery attempt: sent; or back to pending at retry_at with the error; or failed
 * (no more attempts) with the error; or cancelled (nothing to send any more). */
status outbox_sent(db_conn *c, const outbox_item *it, int64_t now);
status outbox_retry(db_conn *c, const outbox_item *it, int64_t retry_at, const char *error,
		    int64_t now);
status outbox_failed(db_conn *c, const outbox_item *it, const char *error, int64_t now);
status outbox_cancelled(db_conn *c, const outbox_item *it, const char *why, int64_t now);

/* Staff "retry": a failed row goes back to pending now. STATUS_NOT_FOUND / CONFLICT. */
status outbox_retry_now(db_conn *c, const char *business_id, const char *id, int64_t now);

/* How often staff may send a booking's message again: at most one resend per
 * OUTBOX_RESEND_GAP_S, and OUTBOX_RESEND_PER_DAY in any 24 hours, per booking. */
#define OUTBOX_RESEND_GAP_S 60
#define OUTBOX_RESEND_PER_DAY 5

/* What a resend queued, or why not. */
typedef struct outbox_resend_result {
	const char *event;     /* the message queued again: "confirmed", "pending" or
	                        * "confirm_request" (a booking awaiting its emailed confirmation) */
	const char *recipient; /* the address it goes to: the booking's own */
	const char *why;       /* STATUS_CONFLICT: why not (static text) */
	int64_t retry_after;   /* STATUS_CONFLICT from the limits above: seconds to wait; else 0 */
} outbox_resend_result;

/* Staff "resend confirmation": in one write transaction, locks the booking, queues the
 * customer's email of its present state again (due now, to the email the booking was made
 * with) and records a "resend" event by actor in its history. STATUS_NOT_FOUND when the
 * business has no such booking id; STATUS_CONFLICT with out->why when its status has no
 * such message (cancelled, completed, ...) or it has no email, or with out->retry_after
 * when a limit above is reached. Strings in a. */
status outbox_resend(db_conn *c, const char *business_id, const char *booking_id,
		     const char *actor, int64_t now, arena *a, outbox_resend_result *out);

/* The business's template for event and channel, if it has its own; STATUS_NOT_FOUND when
 * the default applies. Strings in a. */
status outbox_template(db_conn *c, const char *business_id, const char *event,
		       const char *channel, arena *a, const char **subject, const char **text,
		       const char **html);

/* Opts a customer out of reminders and withdraws their pending ones. STATUS_NOT_FOUND when
 * the business has no such customer. */
status outbox_opt_out(db_conn *c, const char *business_id, const char *customer_id, int64_t now);

#endif
