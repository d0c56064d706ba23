/* jobs.h - the time-based transitions, run by one worker thread: holds expire, bookings not
 * checked in turn no-show (where the business enables it), past bookings complete, old
 * idempotency answers are dropped. Work is claimed from tables with compare-and-swap
 * updates (PostgreSQL: FOR UPDATE SKIP LOCKED), so several bookd processes can share it. */
#ifndef BOOKD_JOBS_H
#define BOOKD_JOBS_H

#include "base/arena.h"
#include "core/model.h"
#include "store/db.h"

/* Told about every booking a pass changed, after its transaction committed. */
typedef void (*jobs_changed_fn)(void *ctx, db_conn *c, const business *b, const booking *bk,
				arena *a);

/* One pass at instant now; *changed (may be NULL) gets how many bookings moved. */
status jobs_run_once(db_conn *c, int64_t now, jobs_changed_fn changed, void *ctx, int *changed_n);

/* Starts the worker: a pass every interval_ms, and at once after jobs_kick. */
void jobs_start(db *d, int interval_ms, jobs_changed_fn changed, void *ctx);
/* Asks for a pass now (the test clock moved, say). Thread-safe. */
void jobs_kick(void);
/* Stops the worker after its current pass. */
void jobs_stop(void);

#endif
