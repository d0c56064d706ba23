/* analytics.h - the inputs of core/analytics.h read from the store: the bookings of a range
 * and the open time of every provider and resource. */
#ifndef BOOKD_STORE_ANALYTICS_H
#define BOOKD_STORE_ANALYTICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "core/analytics.h"
#include "core/interval.h"
#include "core/model.h"
#include "store/db.h"

/* The most bookings one analytics answer reads. */
#define STORE_ANALYTICS_MAX_BOOKINGS 100000 /* = BOOKING_QUERY_MAX */

/* Bookings of business_id starting in [from, to) (every status; core decides what counts),
 * ordered by start, in a. STATUS_INVALID when there are more than
 * STORE_ANALYTICS_MAX_BOOKINGS. */
status store_analytics_bookings(db_conn *c, const char *business_id, int64_t from, int64_t to,
				arena *a, analytics_booking **out, size_t *count);

/* A provider or resource with its open time and booked intervals over the range. */
typedef struct analytics_bookable {
	const char *id;        /* provider or resource id */
	const char *name;      /* its name */
	bool is_resource;      /* a resource (else a provider) */
	interval_set open;     /* open time in [from, to), by the slot engine's rules */
	interval *booked;      /* [start, end) of its bookings that take time (any order) */
	size_t n_booked;       /* entries in booked */
} analytics_bookable;

/* Every active provider and resource of b with its open time in [from, to): the weekly
 * rules, overrides, closures and time off store_avail_load reads for the appointment and
 * rental services it is linked to (one it is linked to by none has no open time: its
 * schedule belongs to no service), then analytics_open_time. booked is filled from bk
 * (analytics_takes_time). Providers first, each list ordered by name. */
status store_analytics_bookables(db_conn *c, const business *b, int64_t from, int64_t to,
				 int64_t now, const analytics_booking *bk, size_t nbk, arena *a,
				 analytics_bookable **out, size_t *count);

#endif
