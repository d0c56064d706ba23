/* book_impl.h - what store/book.c lends the other writes that take seats inside store/
 * (store/waitlist.c, store/group.c): its transaction runner, the slot check under the locks, and the
 * history. Not for use outside store/. */
#ifndef BOOKD_STORE_BOOK_IMPL_H
#define BOOKD_STORE_BOOK_IMPL_H

#include <jansson.h>

#include "store/book.h"

/* One attempt of a write inside its transaction. */
typedef status (*book_attempt)(db_conn *c, const business *b, const book_request *rq,
			       const void *extra, int64_t now, arena *a, book_result *res);

/* Runs attempt in one write transaction (SQLite: a unit of the group-commit writer),
 * retrying lock timeouts and reference collisions. */
status book_run(db_conn *c, const business *b, const book_request *rq, const void *extra,
		int64_t now, arena *a, book_result *res, book_attempt attempt);

/* Inside a write transaction: locks what a booking of svc at start may take (PostgreSQL),
 * reads its inputs again and asks the engine for [start, *end) with rq's seats and
 * provider. STATUS_CONFLICT with res->reason and res->why when it is not offered. */
status book_take_slot(db_conn *c, const business *b, service *svc, const book_request *rq,
		      int64_t start, int64_t *end, int64_t now, arena *a, avail_slot *slot,
		      book_result *res);

/* Inside a write transaction (PostgreSQL; nothing on SQLite): locks what a booking of svc at
 * start may take, in the order every booking write takes them (providers or resources,
 * then the class sessions at that start). Take it before any booking row a write changes
 * besides the one it acts on. */
status book_lock(db_conn *c, const business *b, const service *svc, const book_request *rq,
		 int64_t start);

/* Inside a write transaction: a direct booking as book_create makes it (rq->hold_id
 * ignored), for writes that book several at once (store/series.c). The business's
 * protection limits apply when rq->client_limits; a booking made here never waits for an
 * emailed confirmation. Errors as book_create; a reference collision is STATUS_CONFLICT
 * with book_ref_taken true (the caller's runner retries the whole transaction). */
status book_create_in(db_conn *c, const business *b, const book_request *rq, int64_t now,
		      arena *a, book_result *res);
/* Inside a write transaction: a status change as book_act and book_cancel make it
 * (ACTION_CANCEL with by_customer: its cancellation window applies, STATUS_INVALID with why
 * when too late); with quiet the customer is not sent this booking's own message (the
 * caller sends one of its own). */
status book_act_in(db_conn *c, const business *b, const char *booking_id, booking_action act,
		   const char *actor, const char *reason, bool by_customer, bool quiet,
		   int64_t now, arena *a, book_result *res);
/* True when res is a reference collision that book_run retries. */
bool book_ref_taken(const book_result *res);
/* Inside a write transaction: cancels a booking as book_cancel does (the policy when
 * by_customer, the refund, the messages, the freed seat down the waiting list). Errors as
 * book_cancel. */
status book_cancel_tx(db_conn *c, const business *b, const char *booking_id, const char *actor,
		      const char *reason, bool by_customer, int64_t now, arena *a,
		      book_result *res);

/* Inside a write transaction: the business's public booking limits of rq->client_addr and
 * rq->customer_email (per hour, per day), as book_create applies them: STATUS_CONFLICT with
 * res->limit, res->retry_after and why when one is reached. */
status book_caps_tx(db_conn *c, const business *b, const book_request *rq, int64_t now,
		    arena *a, book_result *res);

/* Fills where and when a booking takes place from an engine slot. */
void book_place(booking *bk, const service *svc, const avail_slot *slot, int64_t start,
		int64_t end);

/* Appends a step to the booking's history; changes_take (may be NULL) is stolen. */
status book_event(db_conn *c, const char *bid, const booking *bk, int64_t now,
		  const char *actor, const char *kind, const char *from, const char *to,
		  const char *reason, json_t *changes_take, arena *a);

#endif
