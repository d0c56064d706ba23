/* notify_worker.h - the notification worker: claims due outbox rows, writes each message
 * from its template and the booking as it is now, delivers it, and records the outcome
 * (sent; retried with exponential back-off and jitter; failed after the last attempt). */
#ifndef BOOKD_NOTIFY_WORKER_H
#define BOOKD_NOTIFY_WORKER_H

#include "notify/send.h"
#include "store/db.h"

#define NOTIFY_MAX_ATTEMPTS 10
#define NOTIFY_BACKOFF_BASE_S 30
#define NOTIFY_BACKOFF_MAX_S 3600

/* What the worker needs; borrowed for the process lifetime. */
typedef struct notify_worker_config {
	send_config send;        /* SMTP and SMS settings; email rows wait while SMTP is unset */
	const char *public_url;  /* base of links in messages */
} notify_worker_config;

/* One pass at now: claims and delivers what is due. *sent_n (may be NULL) gets how many
 * were delivered. */
status notify_run_once(db *d, const notify_worker_config *cfg, int64_t now, int *sent_n);

/* The worker thread: a pass every interval_ms and after notify_kick(). */
void notify_start(db *d, const notify_worker_config *cfg, int interval_ms);
void notify_kick(void);
void notify_stop(void);

/* The retry delay after `attempts` failed attempts: base * 2^(attempts-1), at most max,
 * scaled by a random factor in [0.8, 1.2]. */
int64_t notify_backoff(int attempts);

#endif
