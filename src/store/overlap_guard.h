/* overlap_guard.h - one customer, one place at a time: a public booking whose customer
 * (matched by email, as bookings match customers) already holds a live booking overlapping
 * it is refused, unless the business allows it or either booking's service does (family
 * bookings under one email). Also where a booking came from (its referral). */
#ifndef BOOKD_STORE_OVERLAP_GUARD_H
#define BOOKD_STORE_OVERLAP_GUARD_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "core/model.h"
#include "store/book.h"
#include "store/db.h"

/* The refusal's code, as book_result.refusal and the problem's "reason" carry it. */
#define OVERLAP_REFUSAL "customer_overlap"

/* A service and whether its bookings may overlap the same customer's others. */
typedef struct overlap_service {
	const char *id;   /* in the caller's arena */
	const char *name; /* display name, in the caller's arena */
	bool allowed;     /* its bookings never count as, nor meet, an overlap */
} overlap_service;

/* The business's policy: *refuse is true when overlapping public bookings are refused
 * (the default). STATUS_NOT_FOUND when there is no such business. */
status overlap_policy_get(db_conn *c, const char *business_id, bool *refuse);
status overlap_policy_set(db_conn *c, const char *business_id, bool refuse);

/* Every service of the business (active or not) with its flag, by catalogue order, in a. */
status overlap_services(db_conn *c, const char *business_id, arena *a, overlap_service **out,
			int *count);
/* Sets one service's flag; STATUS_NOT_FOUND when the business has no such service. */
status overlap_service_set(db_conn *c, const char *business_id, const char *service_id,
			   bool allowed);

/* Inside a public booking's write transaction, before anything is locked (PostgreSQL; a
 * no-op on SQLite, whose writes are serial): takes the customer email's lock, so two
 * concurrent bookings by one email are checked one after the other. */
status overlap_lock(db_conn *c, const char *business_id, const char *email_norm);

/* The count behind overlap_check_tx ($1 business, $2 customer, $3 the booking itself, $4/$5
 * its start and end, $6 now, $7 its service): the customer's other bookings that overlap,
 * read through bookings_customer. The start bound is written "+o.start_at" so it stays a
 * filter: as a range on bookings_start_id it walked every earlier booking of the business
 * (SQLite has no statistics to tell a customer's few bookings from them all), inside the
 * commit that every booking waits for. */
#define OVERLAP_CHECK_SQL                                                                        \
	"SELECT COUNT(*) FROM bookings o JOIN services s ON s.business_id = o.business_id "     \
	"AND s.id = o.service_id WHERE o.business_id = $1 AND o.customer_id = $2 AND o.id <> $3 " \
	"AND +o.start_at < $5 AND o.end_at > $4 AND s.allow_customer_overlap = 0 "              \
	"AND (o.status IN ('pending', 'confirmed', 'checked_in') OR (o.status = 'held' AND "    \
	"o.hold_expires_at > $6)) "                                                             \
	"AND (SELECT customer_overlap FROM businesses WHERE id = $1) <> 'allow' "               \
	"AND (SELECT allow_customer_overlap FROM services WHERE business_id = $1 AND id = $7) = 0"

/* Inside the same transaction, after bk (with its customer) was written: *clash is true
 * when the policy refuses and another booking of the same customer that is pending,
 * confirmed, checked in, or a live hold (hold_expires_at > now) overlaps [start, end),
 * neither service allowing it. Read-only; the caller rolls back on a clash. */
status overlap_check_tx(db_conn *c, const char *business_id, const booking *bk, int64_t now,
			bool *clash);

/* Inside book_create's transaction, after the booking res->b was written: a public booking
 * (rq->client_addr) that overlaps its customer's others is STATUS_CONFLICT with
 * res->refusal OVERLAP_REFUSAL and res->why; then rq->referral, if any, is written on it
 * (and on res->b). */
status overlap_guard_tx(db_conn *c, const business *b, const book_request *rq, int64_t now,
			book_result *res);

/* Sets a booking's referral (already validated and normalised). */
status overlap_referral_set(db_conn *c, const char *business_id, const char *booking_id,
			    const char *referral);

#endif
