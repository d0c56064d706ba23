/* due.h - the time-based transitions the lifecycle worker makes (holds expire, no-shows,
 * completions) and the housekeeping it does, each one fixed statement. */
#ifndef BOOKD_STORE_DUE_H
#define BOOKD_STORE_DUE_H

#include "base/arena.h"
#include "store/db.h"

/* One kind of transition: which bookings are due, and what they become. */
typedef enum store_due_kind {
	DUE_HOLD_EXPIRED,     /* held past hold_expires_at: expired */
	DUE_PAYMENT_EXPIRED,  /* pending on a payment hold (hold_expires_at set) past it, unpaid:
			       * expired, its time free again (store/payment.h) */
	DUE_NO_SHOW,          /* confirmed, past end + the business's grace, auto no-show on */
	DUE_COMPLETED,        /* confirmed and over, auto no-show off: completed */
	DUE_CHECKED_IN_OVER,  /* checked in and over: completed */
} store_due_kind;

/* A booking a claim moved. Strings in the caller's arena. */
typedef struct store_due_row {
	const char *business_id; /* its business */
	const char *id;          /* the booking */
	const char *customer_id; /* its customer, NULL for none */
	int64_t price_minor;     /* its price */
} store_due_row;

/* The statement store_due_claim runs for k (for the plan tests). */
const char *store_due_sql(store_due_kind k, bool postgres);

/* Moves at most max bookings due at now of kind k to their new status, in one statement on
 * c (inside the caller's write transaction; PostgreSQL skips rows another process has
 * locked), and appends what it moved to *rows (grown in a, *n entries, *cap room). */
status store_due_claim(db_conn *c, store_due_kind k, int64_t now, int max, arena *a,
		       store_due_row **rows, int *n, int *cap);

/* One write transaction: every kind of transition above, at most max bookings each, with
 * each moved booking's event, a no-show counted on its customer and their message queued;
 * then the idempotency keys stored before idem_before forgotten. The moved bookings are in
 * *rows (in a, *n entries); on failure nothing is kept and *n is 0. */
status store_due_run(db_conn *c, int64_t now, int max, int64_t idem_before, arena *a,
		     store_due_row **rows, int *n);

/* Forgets idempotency keys stored before `before`. */
status store_idempotency_purge(db_conn *c, int64_t before);

/* STATUS_OK when the database answers a trivial query (the health check). */
status store_ping(db_conn *c);

#endif
