/* calsync_cloud.h - one sync round of a Google or Microsoft connection: the authorization
 * code exchanged (once), the access token refreshed when it expires, bookd's bookings
 * written as events, and the calendar's busy time read (bookd's own events left out). */
#ifndef BOOKD_JOBS_CALSYNC_CLOUD_H
#define BOOKD_JOBS_CALSYNC_CLOUD_H

#include "base/arena.h"
#include "jobs/calsync_worker.h"
#include "store/calconn.h"
#include "store/db.h"

/* Runs the round of k (claimed by the caller, lease held) at now and records its outcome
 * (health, busy time, tokens, pushes), releasing the lease. A refused grant or token marks
 * the connection as needing credentials and tells the owners (store_calconn_failed). Holds
 * no database connection while the provider answers. Returns the store's status. */
status calsync_cloud_round(db *d, const store_calconn *k, int64_t now, calsync_changed_fn changed,
                           void *ctx, arena *a);

#endif
