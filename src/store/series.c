/* series.c - recurring series: every occurrence a booking made by store/book.c inside one
 * write transaction, the conflict policy applied to the engine's answers. */
#include "store/series.h"

#include <stdio.h>
#include <string.h>

#include "base/civil.h"
#include "base/ids.h"
#include "store/book_impl.h"
#include "store/booking.h"
#include "store/catalog.h"
#include "core/policy.h"
#include "store/outbox.h"
#include "store/payment.h"
#include "store/protection.h"

/* A preview's attempt ends with this (a conflict, so the runner rolls everything back). */
static const char SERIES_DRY[] = "series preview";

/* The most candidate starts a shifted occurrence tries. */
#define SERIES_SHIFT_TRIES 96

/* One run of the series' transaction. */
typedef struct series_job {
	const series_request *rq; /* what is asked */
	series_result *out;       /* filled afresh by every attempt */
	int64_t starts[SERIES_MAX];
	size_t n;
} series_job;

/* Whether r is the engine refusing the time (the policy decides), rather than anything
 * else refusing the write (a limit, a package, a retry), which ends the series. */
static bool slot_refused(status st, const book_result *r)
{
	return st == STATUS_CONFLICT && !r->limit && !book_ref_taken(r) &&
	       r->reason != AVAIL_REASON_OFFERED;
}

/* Books (or, dry, checks) one occurrence at start. */
static status try_one(db_conn *c, const business *b, const series_job *j, book_request *one,
		      int64_t start, int64_t now, arena *a, book_result *r)
{
	const series_request *sr = j->rq;
	one->start = start;
	one->end = sr->one.end ? start + (sr->one.end - sr->one.start) : 0;
	if (!sr->dry)
		return book_create_in(c, b, one, now, a, r);
	memset(r, 0, sizeof(*r));
	r->svc = j->out->svc;
	int64_t end = r->svc.kind == SERVICE_RENTAL ? one->end : start + r->svc.duration_s;
	avail_slot slot;
	status st = book_take_slot(c, b, &r->svc, one, start, &end, now, a, &slot, r);
	if (st == STATUS_OK)
		book_place(&r->b, &r->svc, &slot, start, end);
	return st;
}

static status series_attempt(db_conn *c, const business *b, const book_request *unused,
			     const void *extra, int64_t now, arena *a, book_result *res)
{
	(void)unused;
	const series_job *j = extra;
	const series_request *sr = j->rq;
	series_result *out = j->out;
	const tz *zone = tz_get(b->timezone);
	out->booked = 0;
	out->why = out->limit = NULL;
	out->retry_after = 0;
	out->n = (int)j->n;
	out->id = sr->dry ? NULL : ids_new(a, "ser");
	out->manage_token = sr->dry ? NULL : ids_secret(a);
	status st = STATUS_OK;
	const char *hash, *resp;
	int code;
	if (!sr->dry && sr->idem &&
	    store_idem_get(c, b->id, sr->idem->key, a, &hash, &code, &resp) == STATUS_OK) {
		res->why = out->why = "idempotency";
		return STATUS_CONFLICT;
	}
	if (!sr->dry) {
		char until[11] = "";
		if (!sr->rule.count)
			civil_format_date(sr->rule.until_day, until);
		st = db_exec(c,
			     "INSERT INTO booking_series (business_id, id, service_id, every_weeks, "
			     "occurrences, until_date, policy, shift_limit_s, source, actor, created_at) "
			     "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
			     DB_PARAMS(DB_S(b->id), DB_S(out->id), DB_S(out->svc.id),
				       DB_I(sr->rule.every_weeks), DB_I(j->n),
				       *until ? DB_S(until) : DB_NUL,
				       DB_S(series_policy_name(sr->policy)), DB_I(sr->shift_limit_s),
				       DB_S(sr->one.source ? sr->one.source : "web"),
				       DB_S(sr->one.actor ? sr->one.actor : "customer"), DB_I(now)),
			     NULL);
	}
	/* The booking page's hold of the first time is let go first, in this transaction, so
	 * the series can take that time (a preview's rollback keeps it). Anything else named
	 * as the hold is left alone: the first occurrence is then checked like the others. */
	booking h;
	if (st == STATUS_OK && sr->one.hold_id &&
	    store_booking_get(c, b->id, sr->one.hold_id, true, a, &h) == STATUS_OK &&
	    h.status == BOOKING_HELD && !h.customer_id && h.hold_expires_at > now &&
	    strcmp(h.service_id, out->svc.id) == 0 && h.start_at == sr->one.start) {
		book_result r;
		st = book_act_in(c, b, h.id, ACTION_EXPIRE, sr->one.actor ? sr->one.actor : "customer",
				 "booked as a series", false, true, now, a, &r);
	}
	book_request one = sr->one;
	one.hold_id = NULL;
	one.series_id = out->id;
	one.manage_token = out->manage_token;
	booking first = {0};
	int not_free = 0;
	for (size_t i = 0; i < j->n && st == STATUS_OK; i++) {
		series_item *it = &out->items[i];
		memset(it, 0, sizeof(*it));
		it->seq = (int)i + 1;
		it->wanted = j->starts[i];
		/* A public series is one write of its client: the limits are checked once. */
		one.client_limits = sr->one.client_limits && out->booked == 0;
		book_result r;
		st = try_one(c, b, j, &one, it->wanted, now, a, &r);
		it->reason = avail_reason_name(st == STATUS_OK ? AVAIL_REASON_OFFERED : r.reason);
		if (slot_refused(st, &r) && sr->policy == SERIES_SHIFT) {
			int64_t cand[SERIES_SHIFT_TRIES];
			size_t k = series_shift_candidates(zone, it->wanted, out->svc.slot_interval_s,
							   sr->shift_limit_s, cand, SERIES_SHIFT_TRIES);
			for (size_t x = 0; x < k; x++) {
				st = try_one(c, b, j, &one, cand[x], now, a, &r);
				if (st == STATUS_OK)
					it->shifted = true;
				if (!slot_refused(st, &r))
					break;
			}
		}
		if (st == STATUS_OK) {
			it->start = r.b.start_at;
			it->end = r.b.end_at;
			it->provider_id = r.b.provider_id ? r.b.provider_id : r.b.resource_id;
			it->booking_id = sr->dry ? NULL : r.b.id;
			it->reference = sr->dry ? NULL : r.b.reference;
			it->status = r.b.status;
			if (out->booked++ == 0) {
				first = r.b;
				out->customer_id = r.b.customer_id;
			}
		} else if (slot_refused(st, &r)) {
			not_free++;
			st = STATUS_OK;
		} else {
			/* Anything else ends the series: the runner retries a reference collision
			 * (res->why is then book.c's own text) and answers the rest. */
			res->why = out->why = r.why;
			res->limit = out->limit = r.limit;
			res->retry_after = out->retry_after = r.retry_after;
			return st;
		}
		if (!sr->dry)
			st = db_exec(c,
				     "INSERT INTO booking_series_items (business_id, series_id, seq, "
				     "wanted_start, booking_id, reason) VALUES ($1, $2, $3, $4, $5, $6)",
				     DB_PARAMS(DB_S(b->id), DB_S(out->id), DB_I(it->seq),
					       DB_I(it->wanted),
					       it->booking_id ? DB_S(it->booking_id) : DB_NUL,
					       DB_S(it->reason)),
				     NULL);
	}
	if (st != STATUS_OK)
		return st;
	if (sr->policy == SERIES_FAIL && not_free) {
		out->why = arena_printf(a, "%d of the %d occurrences %s not free: nothing was booked",
					not_free, out->n, not_free == 1 ? "is" : "are");
		res->why = sr->dry ? SERIES_DRY : out->why;
		return STATUS_CONFLICT;
	}
	if (out->booked == 0) {
		out->why = "none of the occurrences is free: nothing was booked";
		res->why = sr->dry ? SERIES_DRY : out->why;
		return STATUS_CONFLICT;
	}
	if (sr->dry) {
		res->why = SERIES_DRY;
		return STATUS_CONFLICT;
	}
	st = db_exec(c, "UPDATE booking_series SET customer_id = $3 WHERE business_id = $1 AND id = $2",
		     DB_PARAMS(DB_S(b->id), DB_S(out->id), DB_S(out->customer_id)), NULL);
	/* Counted as one public booking of its client: only the first row keeps the client. */
	if (st == STATUS_OK && sr->one.client_addr)
		st = db_exec(c,
			     "UPDATE bookings SET client_addr = NULL, client_token = NULL WHERE "
			     "business_id = $1 AND id IN (SELECT booking_id FROM booking_series_items "
			     "WHERE business_id = $1 AND series_id = $2 AND booking_id <> $3)",
			     DB_PARAMS(DB_S(b->id), DB_S(out->id), DB_S(first.id)), NULL);
	if (st == STATUS_OK && !sr->one.quiet)
		st = outbox_booking(c, b, &first, "series_confirmed", NULL, now, a);
	if (st == STATUS_OK && sr->idem) {
		char *body = sr->idem->render(out, b, a);
		st = body ? store_idem_put(c, b->id, sr->idem->key, sr->idem->request_hash, 201, body,
					   now)
			  : STATUS_INTERNAL;
		if (st == STATUS_CONFLICT)
			res->why = out->why = "idempotency";
	}
	return st;
}

status series_book(db_conn *c, const business *b, const series_request *rq, int64_t now,
		   arena *a, series_result *out)
{
	memset(out, 0, sizeof(*out));
	out->rule = rq->rule;
	out->policy = rq->policy;
	out->shift_limit_s = rq->shift_limit_s;
	status st = store_service_get(c, b->id, rq->one.service_id ? rq->one.service_id : "", a,
				      &out->svc);
	if (st == STATUS_OK && !out->svc.active)
		st = STATUS_NOT_FOUND;
	if (st != STATUS_OK)
		return st;
	if (rq->shift_limit_s < 0 || rq->shift_limit_s > SERIES_SHIFT_MAX_S) {
		out->why = "shift_limit_minutes must be from 0 to 720";
		return STATUS_INVALID;
	}
	series_job j = {.rq = rq, .out = out};
	st = series_occurrences(tz_get(b->timezone), rq->one.start, &rq->rule, j.starts, &j.n,
				&out->why);
	if (st != STATUS_OK)
		return st;
	if (rq->one.client_addr && !rq->dry) {
		protection p = protection_defaults();
		st = store_protection_get(c, b->id, &p);
		if (st != STATUS_OK)
			return st;
		if (p.confirm_by_email) {
			out->why = "this business confirms online bookings by email one at a time: "
				   "book the first occurrence, or ask us to book the series";
			return STATUS_INVALID;
		}
		/* Paid in advance, each occurrence would wait on a payment of its own: a public
		 * series is for services booked without paying online. */
		int64_t due = 0;
		st = payment_booking_due(c, b, &out->svc, &rq->one,
					 policy_price(&out->svc, rq->one.start,
						      rq->one.end ? rq->one.end
								  : rq->one.start + out->svc.duration_s,
						      rq->one.seats),
					 &due);
		if (st != STATUS_OK)
			return st;
		if (due > 0) {
			out->why = "this service is paid online when booked: book the dates one at a "
				   "time, or ask us to book the series";
			return STATUS_INVALID;
		}
	}
	book_result res;
	memset(&res, 0, sizeof(res));
	st = book_run(c, b, &rq->one, &j, now, a, &res, series_attempt);
	if (st == STATUS_CONFLICT && res.why == SERIES_DRY)
		st = out->why ? STATUS_CONFLICT : STATUS_OK;
	return st;
}

status series_of_booking(db_conn *c, const char *business_id, const char *booking_id,
			 arena *a, const char **series_id)
{
	db_rows *r;
	status st = db_query(c, "SELECT series_id FROM booking_series_items WHERE business_id = $1 "
				"AND booking_id = $2",
			     DB_PARAMS(DB_S(business_id), DB_S(booking_id)), &r);
	if (st != STATUS_OK)
		return st;
	if (db_next(r))
		*series_id = arena_strdup(a, db_text(r, 0));
	else
		st = db_rows_status(r) == STATUS_OK ? STATUS_NOT_FOUND : db_rows_status(r);
	db_rows_free(r);
	return st;
}

status series_get(db_conn *c, const business *b, const char *series_id, arena *a,
		  series_result *out)
{
	memset(out, 0, sizeof(*out));
	db_rows *r;
	status st = db_query(c,
			     "SELECT id, service_id, customer_id, every_weeks, occurrences, until_date, "
			     "policy, shift_limit_s, created_at FROM booking_series WHERE business_id "
			     "= $1 AND id = $2",
			     DB_PARAMS(DB_S(b->id), DB_S(series_id)), &r);
	if (st != STATUS_OK)
		return st;
	const char *svc_id = NULL;
	if (db_next(r)) {
		out->id = arena_strdup(a, db_text(r, 0));
		svc_id = arena_strdup(a, db_text(r, 1));
		out->customer_id = db_null(r, 2) ? NULL : arena_strdup(a, db_text(r, 2));
		out->rule.every_weeks = (int)db_int(r, 3);
		out->n = (int)db_int(r, 4);
		if (db_null(r, 5))
			out->rule.count = out->n;
		else if (!civil_parse_date(db_text(r, 5), strlen(db_text(r, 5)), &out->rule.until_day))
			out->rule.count = out->n;
		if (!series_policy_parse(db_text(r, 6), &out->policy))
			out->policy = SERIES_SKIP;
		out->shift_limit_s = db_int(r, 7);
		out->created_at = db_int(r, 8);
	} else {
		st = db_rows_status(r) == STATUS_OK ? STATUS_NOT_FOUND : db_rows_status(r);
	}
	db_rows_free(r);
	if (st == STATUS_OK)
		st = store_service_get(c, b->id, svc_id, a, &out->svc);
	if (st != STATUS_OK)
		return st;
	st = db_query(c,
		      "SELECT i.seq, i.wanted_start, i.booking_id, i.reason, k.reference, k.status, "
		      "k.start_at, k.end_at, COALESCE(k.provider_id, k.resource_id) FROM "
		      "booking_series_items i LEFT JOIN bookings k ON k.business_id = i.business_id "
		      "AND k.id = i.booking_id WHERE i.business_id = $1 AND i.series_id = $2 ORDER "
		      "BY i.seq",
		      DB_PARAMS(DB_S(b->id), DB_S(series_id)), &r);
	if (st != STATUS_OK)
		return st;
	int n = 0;
	while (db_next(r) && n < SERIES_MAX) {
		series_item *it = &out->items[n++];
		it->seq = (int)db_int(r, 0);
		it->wanted = db_int(r, 1);
		it->reason = arena_strdup(a, db_text(r, 3));
		if (!db_null(r, 2) && !db_null(r, 4)) {
			it->booking_id = arena_strdup(a, db_text(r, 2));
			it->reference = arena_strdup(a, db_text(r, 4));
			if (!booking_status_parse(db_text(r, 5), &it->status))
				it->status = BOOKING_CANCELLED;
			it->start = db_int(r, 6);
			it->end = db_int(r, 7);
			it->shifted = it->start != it->wanted;
			it->provider_id = db_null(r, 8) ? NULL : arena_strdup(a, db_text(r, 8));
			out->booked++;
		}
	}
	st = db_rows_status(r);
	db_rows_free(r);
	out->n = n;
	return st;
}

/* Extra arguments of a cancel-the-rest. */
typedef struct cancel_job {
	const char *series_id;
	const char *from;     /* the booking it starts from */
	const char *reason;
	bool by_customer;
	bool quiet;
	series_result *out;   /* read inside the transaction */
	int *cancelled;
} cancel_job;

static bool takes_time(booking_status s)
{
	return s == BOOKING_HELD || s == BOOKING_PENDING || s == BOOKING_CONFIRMED;
}

static status cancel_attempt(db_conn *c, const business *b, const book_request *rq,
			     const void *extra, int64_t now, arena *a, book_result *res)
{
	const cancel_job *x = extra;
	*x->cancelled = 0;
	status st = series_get(c, b, x->series_id, a, x->out);
	if (st != STATUS_OK)
		return st;
	int from = -1;
	for (int i = 0; i < x->out->n && from < 0; i++)
		if (x->out->items[i].booking_id && strcmp(x->out->items[i].booking_id, x->from) == 0)
			from = i;
	if (from < 0)
		return STATUS_NOT_FOUND;
	booking first = {0};
	for (int i = from; i < x->out->n && st == STATUS_OK; i++) {
		series_item *it = &x->out->items[i];
		if (!it->booking_id || !takes_time(it->status))
			continue;
		st = book_act_in(c, b, it->booking_id, ACTION_CANCEL, rq->actor, x->reason,
				 x->by_customer, true, now, a, res);
		if (st == STATUS_OK) {
			it->status = res->b.status;
			if ((*x->cancelled)++ == 0)
				first = res->b;
		}
	}
	if (st == STATUS_OK && *x->cancelled == 0) {
		res->why = "nothing left to cancel in this series from that occurrence";
		return STATUS_CONFLICT;
	}
	if (st == STATUS_OK && !x->quiet)
		st = outbox_booking(c, b, &first, "series_cancelled", x->reason, now, a);
	return st;
}

status series_cancel_from(db_conn *c, const business *b, const char *series_id,
			  const char *from_booking_id, const char *actor, const char *reason,
			  bool by_customer, bool quiet, int64_t now, arena *a, int *cancelled,
			  series_result *out)
{
	book_request rq = {.actor = actor};
	book_result res;
	memset(&res, 0, sizeof(res));
	cancel_job x = {series_id, from_booking_id, reason, by_customer, quiet, out, cancelled};
	status st = book_run(c, b, &rq, &x, now, a, &res, cancel_attempt);
	if (st != STATUS_OK)
		out->why = res.why;
	return st;
}
