/* booking.h - bookings and their events, and customers. */
#ifndef BOOKD_STORE_BOOKING_H
#define BOOKD_STORE_BOOKING_H

#include "base/arena.h"
#include "core/model.h"
#include "store/db.h"

/* Inserts b (every field set by the caller). STATUS_CONFLICT when the reference is taken. */
status store_booking_insert(db_conn *c, const char *business_id, const booking *b);
/* Appends one event to a booking's history. changes is a JSON object text or NULL. */
status store_booking_event(db_conn *c, const char *business_id, const char *id,
			   const char *booking_id, int64_t at, const char *actor, const char *kind,
			   const char *from_status, const char *to_status, const char *reason,
			   const char *changes);
/* Finds the customer with this normalised email, or creates one; updates name and phone to
 * the latest. *id_out gets the customer id (in a). */
status store_customer_upsert(db_conn *c, const char *business_id, const char *email_norm,
			     const char *name, const char *phone, int64_t now, arena *a,
			     const char **id_out);

#endif
