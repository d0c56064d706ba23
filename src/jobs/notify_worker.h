/* notify_worker.h - the notification worker: claims due outbox rows, writes each message
 * from its template and the booking as it is now, delivers it, and records the outcome
 * (sent; retried with exponential back-off and jitter; failed after the last attempt). */
#ifndef BOOKD_NOTIFY_WORKER_H
#define BOOKD_NOTIFY_WORKER_H

#include "base/buf.h"
#include "notify/defaults.h"
#include "notify/send.h"
#include "store/outbox.h"
#include "store/db.h"

#define NOTIFY_MAX_ATTEMPTS 10
#define NOTIFY_BACKOFF_BASE_S 30
#define NOTIFY_BACKOFF_MAX_S 3600

/* What the worker needs; borrowed for the process lifetime. */
typedef struct notify_worker_config {
	send_config send;        /* SMTP and SMS settings; email rows wait while SMTP is unset */
	const char *public_url;  /* base of links in messages */
} notify_worker_config;

/* A written message. The bufs are the caller's (buf_init them with a maximum first). */
typedef struct notify_message {
	const char *subject;    /* email subject */
	buf text;               /* plain text (the SMS) */
	buf html;               /* HTML part */
	buf ics;                /* the booking as iCalendar, may stay empty */
	const char *ics_method; /* its METHOD */
	const char *from_name;  /* the business */
} notify_message;

/* Writes the message of it (business, booking, event, channel, recipient) from the given
 * template, or when given is NULL from the business's own or the default, and the booking
 * as it is now. STATUS_CONFLICT when there is nothing to send (no template, or, for a real
 * send, a reminder of a booking no longer confirmed or already begun). */
status notify_render(db_conn *c, const notify_worker_config *cfg, const outbox_item *it,
		     const notify_template *given, int64_t now, arena *a, notify_message *m);

/* One pass at now: writes the reminders that have come due (when reminders), then claims
 * and delivers what is due. *sent_n (may be NULL) gets how many were delivered. */
status notify_run_once(db *d, const notify_worker_config *cfg, int64_t now, bool reminders,
		       int *sent_n);

/* The worker thread: a pass every interval_ms, with the reminders; after notify_kick() (a
 * change queued messages) a pass that delivers them, the reminders only if interval_ms has
 * passed since they were last looked at; after notify_kick_clock() (the test clock moved)
 * a pass with the reminders. */
void notify_start(db *d, const notify_worker_config *cfg, int interval_ms);
void notify_kick(void);
void notify_kick_clock(void);
void notify_stop(void);

/* The retry delay after `attempts` failed attempts: base * 2^(attempts-1), at most max,
 * scaled by a random factor in [0.8, 1.2]. */
int64_t notify_backoff(int attempts);

#endif
