/* calsync_caldav.h - one sync round of a CalDAV connection: push bookd's bookings as events,
 * pull the collection (sync-collection, else calendar-query) into busy time, and mark the
 * bookings whose events were moved or deleted outside bookd as needing attention. */
#ifndef BOOKD_JOBS_CALSYNC_CALDAV_H
#define BOOKD_JOBS_CALSYNC_CALDAV_H

#include "base/arena.h"
#include "jobs/calsync_worker.h"
#include "store/calconn.h"
#include "store/db.h"

/*
 * Runs the round of k (claimed by the caller, lease held) at now and records its outcome
 * (health, busy time, pushes, attention), releasing the lease. zone_name: the zone of
 * floating times. Order: discovery when the collection has no sync token yet; each booking
 * of k's provider or resource that changed is written (If-None-Match: * to create, If-Match
 * to update, DELETE when cancelled; a 412 is read again: an event whose times are still
 * those bookd wrote is written again with the new ETag, one moved or deleted outside bookd
 * marks the booking instead); then the collection is read. Events whose UID is one of
 * bookd's pushed bookings never count as busy. A transport or credential failure ends the
 * round as a failure with back-off; writes already done stay recorded. Holds no database
 * connection while the server answers. Returns the store's status (STATUS_OK also when the
 * round failed and that was recorded).
 */
status calsync_caldav_round(db *d, const store_calconn *k, const char *zone_name, int64_t now,
			    calsync_changed_fn changed, void *ctx, arena *a);

#endif
