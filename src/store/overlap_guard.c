/* overlap_guard.c - the one-customer-one-place check and the referral column. */
#include "store/overlap_guard.h"

#include <string.h>

#include "store/protection.h"
#include "store/rows.h"

status overlap_policy_get(db_conn *c, const char *business_id, bool *refuse)
{
	db_rows *r;
	status st = db_query(c, "SELECT customer_overlap FROM businesses WHERE id = $1",
			     DB_PARAMS(DB_S(business_id)), &r);
	if (st != STATUS_OK)
		return st;
	st = STATUS_NOT_FOUND;
	if (db_next(r)) {
		*refuse = strcmp(db_text(r, 0), "allow") != 0; /* unknown reads as refuse */
		st = STATUS_OK;
	} else if (db_rows_status(r) != STATUS_OK) {
		st = db_rows_status(r);
	}
	db_rows_free(r);
	return st;
}

status overlap_policy_set(db_conn *c, const char *business_id, bool refuse)
{
	int64_t n = 0;
	status st = db_exec(c, "UPDATE businesses SET customer_overlap = $2 WHERE id = $1",
			    DB_PARAMS(DB_S(business_id), DB_S(refuse ? "refuse" : "allow")), &n);
	return st == STATUS_OK && n == 0 ? STATUS_NOT_FOUND : st;
}

static void service_read(const db_rows *r, arena *a, overlap_service *out)
{
	out->id = arena_strdup(a, db_text(r, 0));
	out->name = arena_strdup(a, db_text(r, 1));
	out->allowed = db_int(r, 2) != 0;
}

status overlap_services(db_conn *c, const char *business_id, arena *a, overlap_service **out,
			int *count)
{
	db_rows *r;
	status st = db_query(c,
			     "SELECT id, name, allow_customer_overlap FROM services WHERE "
			     "business_id = $1 ORDER BY position, name, id",
			     DB_PARAMS(DB_S(business_id)), &r);
	ROWS_COLLECT(st, overlap_service, r, a, out, count, service_read);
	return st;
}

status overlap_service_set(db_conn *c, const char *business_id, const char *service_id,
			   bool allowed)
{
	int64_t n = 0;
	status st = db_exec(c,
			    "UPDATE services SET allow_customer_overlap = $3 WHERE business_id = $1 "
			    "AND id = $2",
			    DB_PARAMS(DB_S(business_id), DB_S(service_id), DB_I(allowed)), &n);
	return st == STATUS_OK && n == 0 ? STATUS_NOT_FOUND : st;
}

status overlap_lock(db_conn *c, const char *business_id, const char *email_norm)
{
	return email_norm && *email_norm ? store_client_lock(c, business_id, CLIENT_EMAIL, email_norm)
					 : STATUS_OK;
}

status overlap_check_tx(db_conn *c, const char *business_id, const booking *bk, int64_t now,
			bool *clash)
{
	*clash = false;
	if (!bk->customer_id)
		return STATUS_OK;
	db_rows *r;
	/* One statement: the policy, the new booking's service flag and the other bookings of
	 * the customer that overlap (touching is no overlap), read after the email's lock so a
	 * concurrent booking by the same email has committed or not begun. */
	status st = db_query(
		c, OVERLAP_CHECK_SQL,
		DB_PARAMS(DB_S(business_id), DB_S(bk->customer_id), DB_S(bk->id), DB_I(bk->start_at),
			  DB_I(bk->end_at), DB_I(now), DB_S(bk->service_id)),
		&r);
	if (st != STATUS_OK)
		return st;
	if (db_next(r))
		*clash = db_int(r, 0) > 0;
	st = db_rows_status(r);
	db_rows_free(r);
	return st;
}

status overlap_referral_set(db_conn *c, const char *business_id, const char *booking_id,
			    const char *referral)
{
	return db_exec(c, "UPDATE bookings SET referral = $3 WHERE business_id = $1 AND id = $2",
		       DB_PARAMS(DB_S(business_id), DB_S(booking_id), DB_S(referral)), NULL);
}

status overlap_guard_tx(db_conn *c, const business *b, const book_request *rq, int64_t now,
			book_result *res)
{
	status st = STATUS_OK;
	if (rq->client_addr) {
		bool clash = false;
		st = overlap_check_tx(c, b->id, &res->b, now, &clash);
		if (st == STATUS_OK && clash) {
			/* The email is no proof of identity: the other booking is not named. */
			res->refusal = OVERLAP_REFUSAL;
			res->why = "a booking for this email address already overlaps this time; the "
				   "confirmation email of that booking has the link to change it";
			return STATUS_CONFLICT;
		}
	}
	if (st == STATUS_OK && rq->referral && *rq->referral) {
		st = overlap_referral_set(c, b->id, res->b.id, rq->referral);
		res->b.referral = rq->referral;
	}
	return st;
}
