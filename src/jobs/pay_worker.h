/* pay_worker.h - the payment worker: sends the refunds that cancellations queued
 * (store/payment.h) to the provider that took the money, one call per refund with the
 * refund's own id as idempotency key, so a retry after a lost answer never refunds twice.
 * A failure is tried again with exponential back-off (5 s doubling, at most an hour apart)
 * and marked failed after PAY_WORKER_ATTEMPTS calls. One thread, "payments"; refunds are
 * leased while being sent, so several processes share the queue. */
#ifndef BOOKD_PAY_WORKER_H
#define BOOKD_PAY_WORKER_H

#include "pay/pay.h"
#include "store/db.h"

#define PAY_WORKER_ATTEMPTS 8

/* One pass at now: every refund due. *sent and *failed (may be NULL) count the outcomes. */
status pay_worker_run_once(db_conn *c, const pay_config *cfg, int64_t now, int *sent,
			   int *failed);

/* Starts the worker: a pass every interval_ms and at once after pay_worker_kick. cfg is
 * borrowed for the server's life. */
void pay_worker_start(db *d, const pay_config *cfg, int interval_ms);
/* Asks for a pass now (a refund was queued, or the test clock moved). Thread-safe. */
void pay_worker_kick(void);
void pay_worker_stop(void);

#endif
