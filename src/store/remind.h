/* remind.h - reminders planned lazily: found from the confirmed bookings when they fall
 * due, instead of rows written with every booking. */
#ifndef BOOKD_REMIND_H
#define BOOKD_REMIND_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "core/model.h"
#include "store/db.h"
#include "store/notify_admin.h"

/* How far before its start a quiet-hours move may bring a reminder (core/reminders moves
 * it to the minute before quiet hours begin, never more than a day earlier). */
#define REMIND_QUIET_SLACK_S 86400
/* Bookings looked at per business and pass; the rest wait for the next pass. */
#define REMIND_BATCH 200

/* The notification worker's step before it claims rows: for every business, the confirmed
 * bookings whose reminder (one per offset of the business's present settings, moved out of
 * quiet hours by core/reminders) has come at `now` get that reminder's row written (email,
 * and SMS when the customer opted in), due now, under the key
 * "reminder:BOOKING:START:OFFSET" (and "sms:" before it) that makes each exactly-once per
 * booking, start, offset and channel however many processes plan at once (PostgreSQL: the
 * bookings are claimed with SKIP LOCKED as well). A reminder due before the booking was
 * confirmed at its present start, one of a customer who opted out, and one of a booking
 * without an email are not sent. Each business in its own write transaction; *made (may be
 * NULL) counts the rows written. */
status remind_plan_due(db_conn *c, int64_t now, arena *a, int *made);
/* The worker's query of one business's bookings with reminders due ($1 business, $2 now,
 * $3 now + horizon, $4 limit): for the test that holds it to bookings_start_id. */
const char *remind_due_sql(void);

/* Inside the transaction of a booking change (outbox): a booking confirmed after it was
 * made, or moved (moved: rescheduled), is planned again from now: the worker forgets what
 * it had planned for it and reminders due before now are not sent. Writes nothing when
 * that changes nothing (a booking confirmed as it is made, or confirmed before any of its
 * reminders' instants). */
status remind_replan(db_conn *c, const business *b, const booking *bk, bool moved,
		     const char *reminder_offsets, int quiet_start_min, int quiet_end_min,
		     int64_t now);

/* Inside the transaction that changes a business's reminder offsets or quiet hours: its
 * confirmed bookings still to come are planned again from now by the new settings
 * (reminders already written keep their key, so none is sent twice; none whose instant
 * has passed is sent late). */
status remind_settings_changed(db_conn *c, const char *business_id, int64_t now);

/* The statement remind_planned runs for a booking, a customer or neither (for the plan
 * tests). */
const char *remind_planned_sql(bool one_booking, bool one_customer);

/* The reminders still to come of a business's confirmed bookings (start after now), as the
 * worker will send them, for the staff history: rows with status "pending", template
 * "reminder", an id "planned:BOOKING:OFFSET:CHANNEL", due_at and next_attempt_at the instant
 * it falls due, created_at the instant it was planned from, attempts 0. Filtered by booking
 * and customer (each may be NULL: all); at most limit rows, soonest first, in a (*out). */
status remind_planned(db_conn *c, const char *business_id, const char *booking_id,
		      const char *customer_id, int64_t now, int limit, arena *a,
		      notify_row **out, int *count);

#endif
