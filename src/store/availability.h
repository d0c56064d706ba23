/* availability.h - reads everything the slot engine needs for one service and range. */
#ifndef BOOKD_STORE_AVAILABILITY_H
#define BOOKD_STORE_AVAILABILITY_H

#include "base/arena.h"
#include "core/avail.h"
#include "core/model.h"
#include "store/db.h"

/* Fills req (and the arrays it points to, all in a) for service svc of business b, with the
 * schedules, overrides, closures, time off and busy time (live bookings and holds at `now`)
 * that matter to starts in [from, to). Candidates are the service's active providers (for
 * rentals, its resources; with needs_resource, both). A provider or resource with no weekly
 * rules of its own follows the business's rules and overrides (its own overrides win on
 * their dates). exclude_booking (may be NULL) leaves one booking out of busy time: the one
 * being rescheduled. Borrowed: b and svc must outlive req. */
status store_avail_load(db_conn *c, const business *b, const service *svc, int64_t from,
			int64_t to, int64_t now, const char *exclude_booking, arena *a,
			avail_request *req);

/* The engine's view of a service row. */
avail_service store_avail_service(const service *svc);

#endif
