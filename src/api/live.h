/* live.h - tells open booking pages (the events stream) that availability changed. */
#ifndef BOOKD_API_LIVE_H
#define BOOKD_API_LIVE_H

#include <stdint.h>

#include "base/arena.h"
#include "core/model.h"
#include "store/db.h"

/* After a committed change that took or freed [start, end) from a provider and/or resource,
 * publishes one "availability" event per service they offer, naming the business-zone
 * dates touched: {"service": ID, "dates": ["YYYY-MM-DD", ...]}. Best effort: a failure is
 * logged, never returned (pages also refresh on their own). */
void live_booking_changed(db_conn *c, const business *b, const char *provider_id,
			  const char *resource_id, int64_t start, int64_t end, arena *a);

/* jobs_changed_fn for the lifecycle worker: an expired hold frees its slot at once. */
void live_job_changed(void *ctx, db_conn *c, const business *b, const booking *bk, arena *a);

#endif
