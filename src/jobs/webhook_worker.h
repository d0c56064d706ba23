/* webhook_worker.h - the webhook worker: sends the deliveries events queued
 * (store/webhook.h), signed with the endpoint's secret (and its previous one during a
 * rotation), in order per booking. A failure is tried again with exponential back-off and
 * jitter (10 s doubling, at most an hour apart) and given up after WEBHOOK_ATTEMPTS; an
 * endpoint failing for long is disabled and its owners told. One thread, "webhooks";
 * deliveries are leased while being sent, so several processes share the queue and each
 * delivery is sent by one. */
#ifndef BOOKD_WEBHOOK_WORKER_H
#define BOOKD_WEBHOOK_WORKER_H

#include "store/db.h"

/* When a delivery that has failed attempts times is tried next (0: given up). jitter_s is
 * added (the caller draws it). Pure. */
int64_t webhook_retry_at(int attempts, int64_t now, int64_t jitter_s);

/* One pass at now: every delivery due. *sent and *failed (may be NULL) count the outcomes. */
status webhook_worker_run_once(db_conn *c, int64_t now, int *sent, int *failed);

/* Starts the worker: a pass every interval_ms and at once after webhook_worker_kick. */
void webhook_worker_start(db *d, int interval_ms);
/* Asks for a pass now (an event was queued, a replay asked for, the test clock moved).
 * Thread-safe. */
void webhook_worker_kick(void);
void webhook_worker_stop(void);

#endif
