/* booking_query.h - reading bookings for staff: filtered lists paged by (start_at, id),
 * with the names staff see and the fee kept by a cancellation. */
#ifndef BOOKD_STORE_BOOKING_QUERY_H
#define BOOKD_STORE_BOOKING_QUERY_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "core/model.h"
#include "store/db.h"

/* The most rows one query returns. */
#define BOOKING_QUERY_MAX 100000

/* What a list asks for. Unset fields (NULL, false, 0) filter nothing. */
typedef struct booking_filter {
	bool has_from;            /* start_at >= from */
	int64_t from;             /* first instant */
	bool has_to;              /* start_at < to */
	int64_t to;               /* first instant after */
	unsigned statuses;        /* bit (1u << booking_status) per status wanted; 0: all */
	const char *provider_id;  /* only this provider (or resource, for rentals) */
	const char *service_id;   /* only this service */
	const char *customer_id;  /* only this customer */
	const char *source;       /* only this source */
	const char *referral;     /* only this referral (exact, as stored) */
	const char *visible_to;   /* a staff role's provider: only its bookings (narrowing) */
	const char *text;         /* customer name, email or phone, or the reference, containing
	                           * this (case-insensitive) */
	bool has_after;           /* cursor: rows strictly after (after_start, after_id) */
	int64_t after_start;      /* the cursor's start_at */
	const char *after_id;     /* the cursor's id */
	int limit;                /* at most this many rows, 1..BOOKING_QUERY_MAX */
} booking_filter;

/* One booking as a list shows it. */
typedef struct booking_row {
	booking b;                 /* the booking (strings in the arena) */
	const char *service_name;  /* its service's name */
	const char *provider_name; /* its provider's name, or NULL */
	const char *resource_name; /* its resource's name, or NULL */
	int64_t fee_minor;         /* cancelled: price minus the refund recorded; else 0 */
	const char *service_kind;  /* "appointment", "class" or "rental" (NULL if none) */
} booking_row;

/* Rows of business_id matching f, ordered by (start_at, id), at most f->limit of them, in
 * a. *more is set when further rows match beyond the last one returned. Read-only;
 * thread-safe per connection. STATUS_INVALID for a limit out of range. */
status store_bookings_query(db_conn *c, const char *business_id, const booking_filter *f,
			    arena *a, booking_row **out, int *count, bool *more);

/* One booking by id, or by reference when id has the shape XXXX-XXXX, with names and fee.
 * STATUS_NOT_FOUND when it is not in this business or not visible to visible_to (when
 * set: a staff role's provider). */
status store_booking_row(db_conn *c, const char *business_id, const char *id,
			 const char *visible_to, arena *a, booking_row *out);

/* The fee a cancellation kept, from its cancel event's changes ({"fee_minor": N, ...});
 * 0 for NULL or when there is none. */
int64_t store_cancel_fee(const char *changes);

#endif
