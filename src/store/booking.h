/* booking.h - bookings and their events, and customers. */
#ifndef BOOKD_STORE_BOOKING_H
#define BOOKD_STORE_BOOKING_H

#include "base/arena.h"
#include "core/model.h"
#include "store/db.h"

/* Inserts b (every field set by the caller). STATUS_CONFLICT when the reference is taken. */
status store_booking_insert(db_conn *c, const char *business_id, const booking *b);
/* The same for a hold or booking of the public API, recording its client (address, and the
 * booking page's session token or NULL) that store/protection.h counts. */
status store_booking_insert_client(db_conn *c, const char *business_id, const booking *b,
				   const char *client_addr, const char *client_token);
/* Appends one event to a booking's history. changes is a JSON object text or NULL. */
status store_booking_event(db_conn *c, const char *business_id, const char *id,
			   const char *booking_id, int64_t at, const char *actor, const char *kind,
			   const char *from_status, const char *to_status, const char *reason,
			   const char *changes);
/* Finds the customer with this normalised email, or creates one, and adds bookings and
 * spend_minor to their counters, in one statement (two concurrent first bookings cannot
 * both insert). Name and phone: with fill_only (an anonymous booking: whoever typed the
 * email may not be its owner) a stored value stays and only blanks are filled; otherwise
 * they become the latest (an empty phone keeps the stored one). *id_out gets the customer
 * id (in a). */
status store_customer_upsert(db_conn *c, const char *business_id, const char *email_norm,
			     const char *name, const char *phone, bool fill_only, int bookings,
			     int64_t spend_minor, int64_t now, arena *a, const char **id_out);

/* The columns of a booking row, in the order store_booking_read expects, each prefixed by
 * t ("" or a table alias such as "b."); STORE_BOOKING_NCOLS of them. */
#define STORE_BOOKING_COLUMNS(t)                                                               \
	t "id, " t "reference, " t "service_id, " t "provider_id, " t "resource_id, " t         \
	"session_id, " t "start_at, " t "end_at, " t "busy_start, " t "busy_end, " t "seats, " t \
	"status, " t "hold_expires_at, " t "customer_id, " t "customer_name, " t               \
	"customer_email, " t "customer_phone, " t "source, " t "price_minor, " t "currency, " t \
	"notes, " t "manage_token_hash, " t "created_at, " t "updated_at, " t "customer_tz, " t   \
	"referral"
#define STORE_BOOKING_NCOLS 26

/* 1 when the booking's creation is kept in its row (migration 0036) rather than as a
 * `created` event row, else 0: what a count of its history's entries adds. */
#define STORE_CREATED_IN_ROW(t) "(CASE WHEN " t "created_by IS NULL THEN 0 ELSE 1 END)"

/* Fills every field of *b from the current row of a query that selected
 * STORE_BOOKING_COLUMNS first; strings are copied into a. An unknown status reads as
 * cancelled. */
void store_booking_read(const db_rows *r, arena *a, booking *b);

/* Reads a booking by id within its business, or by reference across businesses (the
 * manage routes name only the reference; *business_id_out gets its business). With
 * for_update, PostgreSQL locks the row until the transaction ends. */
status store_booking_get(db_conn *c, const char *business_id, const char *id, bool for_update,
			 arena *a, booking *out);
status store_booking_by_reference(db_conn *c, const char *reference, arena *a, booking *out,
				  const char **business_id_out);

/* Compare-and-swap of the status: changes it only if it is still `from`. STATUS_CONFLICT when
 * someone else changed it first. Also sets hold_expires_at to NULL when leaving held. */
status store_booking_set_status(db_conn *c, const char *business_id, const char *id,
				booking_status from, booking_status to, int64_t now);
/* Fills in the customer of a booking made from a hold. */
status store_booking_set_customer(db_conn *c, const char *business_id, const booking *b);
/* Moves a booking to a new time (and provider/resource/session), keeping its status. */
status store_booking_move(db_conn *c, const char *business_id, const booking *b, int64_t now);

/* One entry of a booking's history. */
typedef struct booking_event {
	int64_t at;              /* when */
	const char *actor;       /* who: customer, staff:ID, job, demo */
	const char *kind;        /* held, booked, created, confirmed, cancelled, rescheduled, ... */
	const char *from_status; /* or NULL */
	const char *to_status;   /* or NULL */
	const char *reason;      /* why, may be "" */
	const char *changes;     /* JSON object text */
} booking_event;

/* The history of a booking, oldest first, in a. */
status store_booking_events(db_conn *c, const char *business_id, const char *booking_id,
			    arena *a, booking_event **out, int *count);

/* Adds to a customer's counters (deltas may be negative). */
status store_customer_count(db_conn *c, const char *business_id, const char *customer_id,
			    int bookings, int64_t spend_minor, int cancellations, int no_shows);

/* Idempotency: the stored answer of a key, if any. STATUS_NOT_FOUND when the key is new. */
status store_idem_get(db_conn *c, const char *business_id, const char *key, arena *a,
		      const char **request_hash, int *status_code, const char **response);
/* Records the answer of a key; STATUS_CONFLICT when another request stored it first. */
status store_idem_put(db_conn *c, const char *business_id, const char *key,
		      const char *request_hash, int status_code, const char *response, int64_t now);

#endif
