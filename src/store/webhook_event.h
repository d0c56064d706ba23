/* webhook_event.h - the events webhooks send, recorded inside the transaction of the change
 * that causes them (one call at each place that changes a booking, a customer, a payment or
 * a waiting list), so an event exists exactly when its change committed. Each is a no-op
 * (one indexed read) for a business without enabled webhook endpoints. */
#ifndef BOOKD_STORE_WEBHOOK_EVENT_H
#define BOOKD_STORE_WEBHOOK_EVENT_H

#include <stdint.h>

#include "core/model.h"
#include "store/db.h"

/* A booking's history got an entry (store_booking_event): kind, from and to (either may be
 * NULL) decide the event: booking.created (a booking made, or a hold booked), .confirmed
 * (pending to confirmed), .rescheduled, .cancelled (also an unpaid booking expiring),
 * .no_show, .completed; other entries (holds, notes) send none. The booking as it is now
 * is the event's object. */
status webhook_event_booking(db_conn *c, const char *business_id, const char *booking_id,
			     const char *kind, const char *from, const char *to, int64_t now);
/* customer.created for a customer just inserted. */
status webhook_event_customer(db_conn *c, const char *business_id, const char *customer_id,
			      int64_t now);
/* payment.succeeded (a charge) or payment.refunded (a refund) for a payment that has just
 * succeeded. */
status webhook_event_payment(db_conn *c, const char *business_id, const char *payment_id,
			     int64_t now);
/* waitlist.offered: the waiting list entry entry_id was offered the hold offer. */
status webhook_event_waitlist(db_conn *c, const char *business_id, const char *entry_id,
			      const booking *offer, int64_t expires_at, int64_t now);

#endif
