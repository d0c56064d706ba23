/* calsync_worker.h - the calendar sync worker: reads each external calendar connection when
 * it is due (ICS addresses with ETag/Last-Modified), stores its busy time for the slot
 * engine, and keeps its health (last success, last error, failures in a row, next attempt
 * with exponential back-off). */
#ifndef BOOKD_CALSYNC_WORKER_H
#define BOOKD_CALSYNC_WORKER_H

#include "base/arena.h"
#include "store/db.h"

/* How far busy time is read: from a day ago to this far ahead. */
#define CALSYNC_PAST_S (1LL * 86400)
#define CALSYNC_AHEAD_S (400LL * 86400)
/* Back-off after failures in a row: base * 2^(failures-1), at most max (with jitter). */
#define CALSYNC_BACKOFF_BASE_S 60
#define CALSYNC_BACKOFF_MAX_S 3600
/* How long a worker holds a connection it is reading. */
#define CALSYNC_LEASE_S 300

/* Told after a read changed a connection's busy time (committed): provider_id or
 * resource_id (one is NULL) of business_id. */
typedef void (*calsync_changed_fn)(void *ctx, db_conn *c, const char *business_id,
				   const char *provider_id, const char *resource_id, arena *a);

/* One pass at now: reads every connection due (at most 50). *done (may be NULL) gets how
 * many were attempted. Holds no database connection while a peer answers. */
status calsync_run_once(db *d, int64_t now, calsync_changed_fn changed, void *ctx, int *done);

/* The worker thread ("calsync"): a pass every interval_ms and at once after calsync_kick. */
void calsync_start(db *d, int interval_ms, calsync_changed_fn changed, void *ctx);
void calsync_kick(void);
void calsync_stop(void);

/* The delay after `failures` failed attempts in a row, scaled by a random [0.8, 1.2]. */
int64_t calsync_backoff(int failures);

#endif
