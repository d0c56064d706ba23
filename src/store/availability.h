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

/* store_avail_load without an excluded booking, also telling how long what it read holds
 * for a later "now": *until is the first expiry of a hold it counted as busy (INT64_MAX when
 * none), after which the same load would read less busy time. Writes aside, req is the same
 * for every now in [now, *until). */
status store_avail_load_until(db_conn *c, const business *b, const service *svc, int64_t from,
			      int64_t to, int64_t now, arena *a, avail_request *req,
			      int64_t *until);

/* The same in two steps, so a booking can read what changes only with the catalogue before
 * it takes the write lock: store_avail_prepare reads candidates, rules, overrides, time off
 * and closures (in a); store_avail_finish adds busy time (classes: sessions and their seats)
 * as it is now, external calendars' busy time (external_busy rows, as entries with
 * `external` set) and each candidate's calendar_stale (a fail-closed connection whose last
 * success is older than its limit at `now`), and fills req. finish may run again on the same inputs (each time reads busy
 * afresh); one thread at a time. */
typedef struct avail_inputs avail_inputs;
status store_avail_prepare(db_conn *c, const business *b, const service *svc, int64_t from,
			   int64_t to, arena *a, avail_inputs **out);
status store_avail_finish(db_conn *c, avail_inputs *in, int64_t now, const char *exclude_booking,
			  avail_request *req);
/* Narrows the busy time finish reads to what overlaps [t0, t1): all a check of one start
 * needs when [t0, t1) is that booking's busy span (buffers included), whereas a slot list
 * needs days of it. */
void store_avail_busy_span(avail_inputs *in, int64_t t0, int64_t t1);

/* The business's catalogue version: raised (store_catalog_touch) in the same transaction as
 * every change to its services, providers, resources, hours or settings. */
status store_catalog_version(db_conn *c, const char *business_id, int64_t *out);
status store_catalog_touch(db_conn *c, const char *business_id);

/* The engine's view of a service row. */
avail_service store_avail_service(const service *svc);

/* A service's class sessions in [$3, $4) with the seats taken and the first live hold's
 * expiry ($1 business, $2 service, $5 now, $6 a booking not counted); for the test that
 * holds the seat counts to bookings_session. */
extern const char STORE_SESSION_SEATS_SQL[];

#endif
