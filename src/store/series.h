/* series.h - recurring series: every occurrence booked through store/book.c's own booking
 * path in one write transaction under a conflict policy, the series read back, and
 * "this and the rest" cancelled in one transaction. */
#ifndef BOOKD_STORE_SERIES_H
#define BOOKD_STORE_SERIES_H

#include <stdbool.h>
#include <stdint.h>

#include "core/series.h"
#include "store/book.h"

/* The most a shifted occurrence may move from its wanted start. */
#define SERIES_SHIFT_MAX_S (12 * 3600)

typedef struct series_result series_result;
typedef struct series_idem series_idem;

/* What is asked. */
typedef struct series_request {
	book_request one;      /* the first occurrence as a direct booking (service, start,
				* end for rentals, provider, seats, customer, source, actor,
				* client, quiet, package): every occurrence is this at its start;
				* hold_id: the booking page's live hold of the first time (same
				* service and start, no customer), let go inside the transaction */
	series_rule rule;      /* how it repeats */
	series_policy policy;  /* what a taken occurrence does */
	int64_t shift_limit_s; /* SERIES_SHIFT: how far from its wanted start an occurrence may
				* move (0..SERIES_SHIFT_MAX_S) */
	bool dry;              /* a preview: every check made, nothing written */
	const series_idem *idem; /* an Idempotency-Key: the answer is stored with the series in
				  * its transaction (NULL: none) */
} series_request;

/* One occurrence and what became of it. */
typedef struct series_item {
	int seq;                 /* 1.. in date order */
	int64_t wanted;          /* its start by the rule */
	const char *reason;      /* the engine's reason code at the wanted start ("offered":
				  * free), as avail_reason_name gives it */
	int64_t start, end;      /* where it is (or would be) booked; 0 when not booked */
	bool shifted;            /* booked at another start than wanted (SERIES_SHIFT) */
	const char *provider_id; /* who takes it (rentals: the resource), or NULL */
	const char *booking_id;  /* the booking made (not in a preview), or NULL */
	const char *reference;   /* its reference, or NULL */
	booking_status status;   /* its status (series_get: as it now is) */
} series_item;

/* A series, booked or previewed or read back. */
struct series_result {
	const char *id;           /* the series id ("ser_..."); a preview's is not stored */
	service svc;              /* its service */
	series_rule rule;         /* as asked */
	series_policy policy;     /* as asked */
	int64_t shift_limit_s;    /* as asked */
	const char *customer_id;  /* its customer (booked series) */
	int n;                    /* occurrences */
	series_item items[SERIES_MAX];
	int booked;               /* occurrences booked (or bookable, in a preview) */
	const char *manage_token; /* series_book: the one manage token of every occurrence,
				   * shown once */
	const char *why;          /* a refusal, for people */
	const char *limit;        /* a public protection limit refused it (STATUS_CONFLICT) */
	int64_t retry_after;      /* with limit */
	int64_t created_at;       /* series_get */
};

/* Renders the 201 answer of a booked series, stored under the key in the same transaction. */
typedef char *(*series_render)(const series_result *s, const business *b, arena *a);
struct series_idem {
	const char *key;          /* the Idempotency-Key */
	const char *request_hash; /* hash of the request body */
	series_render render;     /* makes the answer's body */
};

/* Books (or with rq->dry previews) the series whose first occurrence is rq->one.start in
 * one write transaction: each occurrence through book.c's direct booking (the same locks,
 * engine check and writes as one booking), every one sharing one manage token and naming
 * the series in its history; the customer gets one "series_confirmed" message for the
 * whole series instead of one per occurrence (none with rq->one.quiet), reminders stay per
 * occurrence. A public series (rq->one.client_addr) passes the protection limits once and
 * counts as one booking of its client. SERIES_FAIL: STATUS_CONFLICT when any occurrence is
 * not free, nothing written, out->items say which and why. SERIES_SKIP and SERIES_SHIFT:
 * the free ones are booked, STATUS_CONFLICT only when none is. STATUS_INVALID (why) for a
 * rule out of range, or a public series while the business confirms bookings by email or
 * the service is paid online when booked;
 * STATUS_NOT_FOUND for an unknown service. With rq->idem, STATUS_CONFLICT with why
 * "idempotency" when the key already has an answer (a concurrent retry stored it first:
 * read it back). */
status series_book(db_conn *c, const business *b, const series_request *rq, int64_t now,
		   arena *a, series_result *out);

/* A series as it now is: its occurrences with their bookings' present status.
 * STATUS_NOT_FOUND when not in the business. */
status series_get(db_conn *c, const business *b, const char *series_id, arena *a,
		  series_result *out);
/* The series a booking belongs to: STATUS_NOT_FOUND when none. */
status series_of_booking(db_conn *c, const char *business_id, const char *booking_id,
			 arena *a, const char **series_id);

/* Cancels the series' live occurrences from the one of booking from_booking_id on (it
 * included), in one write transaction: all or nothing. by_customer: each one's
 * cancellation window applies (STATUS_INVALID with why when one is too late). The customer
 * gets one "series_cancelled" message (none with quiet); packages get their sessions
 * back as for any cancellation. *cancelled gets how many; out is the series afterwards.
 * STATUS_NOT_FOUND when the booking is not in the series. */
status series_cancel_from(db_conn *c, const business *b, const char *series_id,
			  const char *from_booking_id, const char *actor, const char *reason,
			  bool by_customer, bool quiet, int64_t now, arena *a, int *cancelled,
			  series_result *out);

#endif
