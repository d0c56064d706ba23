/* loyalty.h - a business's loyalty programme (settings), staff's point adjustments, a
 * customer's standing replayed from their bookings and money (core/loyalty.h), and the
 * tier discount a new booking gets (called inside store/book.c's transactions). Every
 * statement is a fixed string. */
#ifndef BOOKD_STORE_LOYALTY_H
#define BOOKD_STORE_LOYALTY_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "core/loyalty.h"
#include "core/model.h"
#include "store/db.h"

/* The programme of a business (off, with no tiers, when it has none). */
status loyalty_settings_get(db_conn *c, const char *business_id, loyalty_settings *out);
/* The same, *found telling whether the business has set one. */
status loyalty_settings_find(db_conn *c, const char *business_id, loyalty_settings *out,
			     bool *found);
/* Replaces it inside the caller's write transaction (the configuration document's). */
status loyalty_settings_write(db_conn *c, const char *business_id, const loyalty_settings *s,
			      int64_t now);
/* Replaces it, in one transaction of its own (s checked by the caller). */
status loyalty_settings_put(db_conn *c, const char *business_id, const loyalty_settings *s,
			    int64_t now);

/* The settings as JSON ({"enabled","points_per_unit","tier_basis","tiers":[{"name",
 * "threshold","multiplier_bp","discount_bp"}]}; a new reference). */
json_t *loyalty_settings_json(const loyalty_settings *s);
/* Reads such JSON (every key optional but enabled; unknown keys refused) into *out, checked
 * with loyalty_settings_ok. False with *field and *why naming what is wrong. */
bool loyalty_settings_from_json(const json_t *o, loyalty_settings *out, char *field,
				size_t fieldlen, const char **why);

/* What loyalty_customer replays ($1 business, $2 customer, $3 at most so many), newest
 * first: the customer's succeeded payments, and their bookings that ended. Both start from
 * the customer's own bookings (bookings_customer): without statistics SQLite would walk
 * every payment, or every booking, of the business by the time of its last change, for
 * the order. CROSS JOIN keeps that order in SQLite; "+updated_at" keeps the order from
 * choosing an index. */
#define LOYALTY_PAYMENTS_SQL                                                                     \
	"SELECT k.reference, p.kind, p.amount_minor, p.updated_at FROM bookings k CROSS JOIN "   \
	"payments p WHERE p.business_id = k.business_id AND p.booking_id = k.id AND "           \
	"k.business_id = $1 AND k.customer_id = $2 AND p.status = 'succeeded' "                 \
	"ORDER BY p.updated_at DESC LIMIT $3"
#define LOYALTY_BOOKINGS_SQL                                                                     \
	"SELECT reference, status, price_minor, updated_at FROM bookings WHERE business_id = $1 " \
	"AND customer_id = $2 AND status IN ('completed', 'cancelled', 'no_show', 'expired') "  \
	"ORDER BY +updated_at DESC LIMIT $3"

/* A customer's standing and history (history in a, oldest first, *nhist entries; history
 * may be NULL). */
status loyalty_customer(db_conn *c, const business *b, const loyalty_settings *s,
			const char *customer_id, arena *a, loyalty_account *out,
			loyalty_entry **history, size_t *nhist);

/* Records staff's adjustment of points (non-zero) with its reason, in one transaction of its
 * own. STATUS_NOT_FOUND: no such customer in the business. */
status loyalty_adjust(db_conn *c, const char *business_id, const char *customer_id,
		      int64_t points, const char *reason, const char *actor, int64_t now, arena *a);

/* A tier's discount on one price, for the price's breakdown. */
typedef struct loyalty_discount {
	const char *tier; /* the tier's name, in the caller's arena ("" for none) */
	int bp;           /* its discount in basis points */
	int64_t off;      /* what was taken off (0: nothing) */
} loyalty_discount;

/* Inside a booking's transaction: the price a new booking of the customer with email_norm
 * pays after their tier's discount (unchanged for a new customer or the programme off).
 * *d (may be NULL) gets the discount. */
status loyalty_booking_price(db_conn *c, const business *b, const char *email_norm,
			     int64_t price_minor, arena *a, int64_t *price_out,
			     loyalty_discount *d);
/* A hold becoming the booking of the customer with email_norm: its price (bk->price_minor,
 * set when the hold was taken, before anyone was known) gets their tier's discount, on bk
 * and in its row; *d (may be NULL) gets the discount. */
status loyalty_hold_price(db_conn *c, const business *b, const char *email_norm, booking *bk,
			  arena *a, loyalty_discount *d);

#endif
