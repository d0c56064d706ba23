/* book.c - the booking writes: one transaction each, the slot checked again inside it. */
#include "store/book.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/ids.h"
#include "core/analytics.h"
#include "core/policy.h"
#include "store/availability.h"
#include "store/book_impl.h"
#include "store/pricing.h"
#include "store/book_writer.h"
#include "store/group_end.h"
#include "store/booking.h"
#include "store/catalog.h"
#include "store/services_of.h"
#include "store/loyalty.h"
#include "store/outbox.h"
#include "store/package.h"
#include "store/protection.h"
#include "store/payment.h"
#include "store/waitlist.h"
#include "store/assign.h"
#include "store/overlap_guard.h"

#define BOOK_ATTEMPTS 4 /* reference collisions and lock timeouts are retried */

static const char REF_TAKEN[] = "the reference was taken";

static status event_add(db_conn *c, const char *bid, const booking *bk, int64_t now,
			const char *actor, const char *kind, const char *from, const char *to,
			const char *reason, json_t *changes_take, arena *a)
{
	char *text = changes_take ? json_dumps(changes_take, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(changes_take);
	if (changes_take && !text)
		return STATUS_INTERNAL; /* never an event that lost what changed */
	status st = store_booking_event(c, bid, ids_sortable(a, "evt"), bk->id, now, actor, kind, from,
					to, reason, text);
	free(text);
	return st;
}

/* Whether a booking in status s holds its seats (a live hold does until it lapses). */
static bool booking_takes_seats(booking_status s)
{
	return s == BOOKING_HELD || s == BOOKING_PENDING || s == BOOKING_CONFIRMED ||
	       s == BOOKING_CHECKED_IN;
}

/* Queues what a change sends: all of it, or (quiet: staff chose not to tell the customer)
 * all but the customer's own message. */
static status tell(db_conn *c, const business *b, const booking *bk, const char *event,
		   const char *reason, bool quiet, int64_t now, arena *a)
{
	return quiet ? outbox_booking_quiet(c, b, bk, event, now, a)
		     : outbox_booking(c, b, bk, event, reason, now, a);
}

/* The history's note of a staff change: an override the engine would have refused (its
 * reason code) and a change the customer was not told of. Adds to ch (may be NULL: then a
 * new object when there is anything to note); returns ch. */
static json_t *staff_note(json_t *ch, const book_request *rq, const book_result *res)
{
	bool over = rq->force && res->reason != AVAIL_REASON_OFFERED;
	if (!over && !rq->quiet)
		return ch;
	if (!ch)
		ch = json_object();
	/* json_object_set_new steals each value. */
	if (over)
		json_object_set_new(ch, "override", json_string(avail_reason_name(res->reason)));
	if (rq->quiet)
		json_object_set_new(ch, "notified", json_false());
	return ch;
}

/* The history's reason of a staff change: an override's reason when it overrode. */
static const char *staff_reason(const book_request *rq, const book_result *res)
{
	bool over = rq->force && res->reason != AVAIL_REASON_OFFERED;
	return over && rq->override_reason ? rq->override_reason : "";
}

/* Runs a locking SELECT and reads its rows (PostgreSQL takes the locks as rows are read). */
static status lock_query(db_conn *c, const char *sql, const db_val *params, int n)
{
	db_rows *r;
	status st = db_query(c, sql, params, n, &r);
	if (st != STATUS_OK)
		return st;
	while (db_next(r))
		;
	st = db_rows_status(r);
	db_rows_free(r);
	return st;
}

/* Locks what a booking of svc may take before busy time is read (PostgreSQL; SQLite's
 * BEGIN IMMEDIATE already holds the only write lock): the named provider (or, for rentals,
 * resource), else every eligible one, each set in one statement in id order, so writers
 * never wait on each other in a cycle; the eligible resources of a provider+resource
 * service; the sessions of a class at that start. */
static status lock_candidates(db_conn *c, const business *b, const service *svc,
			      const book_request *rq, int64_t start)
{
	if (db_conn_kind(c) != DB_POSTGRES)
		return STATUS_OK;
	status st = STATUS_OK;
	bool rental = svc->kind == SERVICE_RENTAL;
	if (!rental && rq->provider_id)
		st = lock_query(c, "SELECT id FROM providers WHERE business_id = $1 AND id = $2 FOR UPDATE",
				DB_PARAMS(DB_S(b->id), DB_S(rq->provider_id)));
	else if (!rental)
		st = lock_query(c,
				"SELECT p.id FROM providers p JOIN service_providers sp ON sp.business_id "
				"= p.business_id AND sp.provider_id = p.id WHERE sp.business_id = $1 AND "
				"sp.service_id = $2 ORDER BY p.id FOR UPDATE OF p",
				DB_PARAMS(DB_S(b->id), DB_S(svc->id)));
	if (st == STATUS_OK && rental && rq->provider_id)
		st = lock_query(c, "SELECT id FROM resources WHERE business_id = $1 AND id = $2 FOR UPDATE",
				DB_PARAMS(DB_S(b->id), DB_S(rq->provider_id)));
	else if (st == STATUS_OK && (rental || svc->needs_resource))
		st = lock_query(c,
				"SELECT r.id FROM resources r JOIN service_resources sr ON sr.business_id "
				"= r.business_id AND sr.resource_id = r.id WHERE sr.business_id = $1 AND "
				"sr.service_id = $2 ORDER BY r.id FOR UPDATE OF r",
				DB_PARAMS(DB_S(b->id), DB_S(svc->id)));
	if (st == STATUS_OK && svc->kind == SERVICE_CLASS)
		st = lock_query(c,
				"SELECT id FROM sessions WHERE business_id = $1 AND service_id = $2 AND "
				"start_at = $3 ORDER BY id FOR UPDATE",
				DB_PARAMS(DB_S(b->id), DB_S(svc->id), DB_I(start)));
	return st;
}

/* Availability inputs read before the write lock: valid while the business's catalogue
 * version has not moved (every catalogue change raises it in its own transaction). */
typedef struct book_pre {
	avail_inputs *in; /* NULL: read everything inside the lock */
	int64_t version;  /* the catalogue version they were read at */
} book_pre;

/* Reads what only the catalogue changes, before the lock, for a booking of svc at
 * [start, end). On any failure leaves pre empty (everything is then read inside). */
static void book_prepare(db_conn *c, const business *b, const service *svc, int64_t start,
			 int64_t end, arena *a, book_pre *pre)
{
	pre->in = NULL;
	if (store_catalog_version(c, b->id, &pre->version) != STATUS_OK ||
	    store_avail_prepare(c, b, svc, start - 86400, end + 86400, a, &pre->in) != STATUS_OK)
		pre->in = NULL;
}

/* Inside a write transaction: who can take [start, *end) of *svc, with the same engine as the
 * slot list. Busy time is always read here, after the locks; the rest comes from pre when
 * the catalogue has not moved since, else it is read here too (and *svc and *end with it).
 * On STATUS_CONFLICT, res->reason and res->why say why. */
static status take_slot(db_conn *c, const business *b, service *svc, const book_request *rq,
			int64_t start, int64_t *end, const char *exclude, const book_pre *pre,
			int64_t now, arena *a, avail_slot *slot, book_result *res,
			avail_request *req_out, int64_t extra_s)
{
	status st = lock_candidates(c, b, svc, rq, start);
	avail_inputs *in = NULL;
	if (st == STATUS_OK && pre && pre->in) {
		int64_t v = -1;
		st = store_catalog_version(c, b->id, &v);
		if (st == STATUS_OK && v == pre->version)
			in = pre->in;
		else if (st == STATUS_OK) /* the catalogue moved: this service may have too */
			st = store_service_get(c, b->id, svc->id, a, svc);
		if (st == STATUS_OK && !in && svc->kind != SERVICE_RENTAL)
			*end = start + svc->duration_s;
	}
	if (st == STATUS_OK && !in)
		st = store_avail_prepare(c, b, svc, start - 86400, *end + 86400, a, &in);
	avail_request req;
	if (st == STATUS_OK) {
		/* Only bookings overlapping this one's busy span can stand in its way. */
		store_avail_busy_span(in, start - svc->buffer_before_s, *end + svc->buffer_after_s);
		st = store_avail_finish(c, in, now, exclude, &req);
	}
	if (st != STATUS_OK)
		return st;
	avail_service longer; /* an appointment lengthened by its add-ons (store/pricing.h) */
	if (extra_s > 0 && svc->kind == SERVICE_APPOINTMENT) {
		longer = *req.service;
		longer.duration_s += extra_s;
		req.service = &longer;
		*end = start + longer.duration_s;
	}
	avail_pick pick = {.start = start, .end = *end, .now = now, .seats = rq->seats,
			   .provider = rq->provider_id};
	if (req_out)
		*req_out = req;
	if (avail_check(&req, &pick, a, slot))
		return STATUS_OK;
	res->reason = avail_explain(&req, &pick, a);
	if (rq->force && rq->provider_id && svc->kind == SERVICE_APPOINTMENT) {
		/* Staff override: the named provider takes it whatever the engine says. The
		 * event records it. */
		memset(slot, 0, sizeof(*slot));
		slot->start = start;
		slot->end = *end;
		slot->providers = arena_alloc(a, sizeof(char *));
		slot->providers[0] = rq->provider_id;
		slot->n_providers = 1;
		return STATUS_OK;
	}
	res->why = arena_printf(a, "the slot is not available (%s)", avail_reason_name(res->reason));
	return STATUS_CONFLICT;
}

/* "Any provider" for an appointment: the business's policy picks among the engine's free
 * candidates (store/assign.h); *note_take explains the choice, or is NULL. */
static status auto_assign(db_conn *c, const business *b, const book_request *rq,
			  const service *svc, int64_t now, avail_slot *slot, arena *a,
			  json_t **note_take)
{
	*note_take = NULL;
	if (rq->provider_id || svc->kind != SERVICE_APPOINTMENT)
		return STATUS_OK;
	return assign_choose(c, b, rq->start, now, slot, a, note_take);
}

/* Fills where and when a booking takes place from an engine slot. */
static void place_booking(booking *bk, const service *svc, const avail_slot *slot, int64_t start,
			  int64_t end)
{
	bk->service_id = svc->id;
	bk->provider_id = NULL;
	bk->resource_id = NULL;
	if (svc->kind == SERVICE_RENTAL) {
		bk->resource_id = slot->providers[0];
	} else {
		bk->provider_id = slot->n_providers ? slot->providers[0] : NULL;
		bk->resource_id = slot->n_resources ? slot->resources[0] : NULL;
	}
	bk->session_id = slot->session_id;
	bk->start_at = start;
	bk->end_at = svc->kind == SERVICE_CLASS ? slot->end : end;
	bk->busy_start = bk->start_at - svc->buffer_before_s;
	bk->busy_end = bk->end_at + svc->buffer_after_s;
}

status book_take_slot(db_conn *c, const business *b, service *svc, const book_request *rq,
		      int64_t start, int64_t *end, int64_t now, arena *a, avail_slot *slot,
		      book_result *res)
{
	return take_slot(c, b, svc, rq, start, end, NULL, NULL, now, a, slot, res, NULL, 0);
}

status book_lock(db_conn *c, const business *b, const service *svc, const book_request *rq,
		 int64_t start)
{
	return lock_candidates(c, b, svc, rq, start);
}

void book_place(booking *bk, const service *svc, const avail_slot *slot, int64_t start,
		int64_t end)
{
	place_booking(bk, svc, slot, start, end);
}

status book_event(db_conn *c, const char *bid, const booking *bk, int64_t now,
		  const char *actor, const char *kind, const char *from, const char *to,
		  const char *reason, json_t *changes_take, arena *a)
{
	return event_add(c, bid, bk, now, actor, kind, from, to, reason, changes_take, a);
}

/* The service named by a request; only active services are bookable. */
static status active_service(db_conn *c, const business *b, const char *id, arena *a, service *out)
{
	status st = store_service_get(c, b->id, id ? id : "", a, out);
	if (st == STATUS_OK && !out->active)
		st = STATUS_NOT_FOUND;
	return st;
}

/* The end of a requested booking: rentals say it, others last the service's duration. */
static status requested_end(const service *svc, const book_request *rq, book_result *res,
			    arena *a, int64_t *end)
{
	if (svc->kind != SERVICE_RENTAL) {
		*end = rq->start + svc->duration_s;
		return STATUS_OK;
	}
	if (rq->end <= rq->start) {
		res->why = arena_strdup(a, "rentals need an end after the start");
		return STATUS_INVALID;
	}
	*end = rq->end;
	return STATUS_OK;
}

/* One write as a unit of the group-commit writer (SQLite). */
typedef struct book_job {
	const business *b;        /* borrowed from the waiting caller, as is everything here */
	const book_request *rq;
	const void *extra;
	int64_t now;
	arena *a;                 /* the caller's arena: only the writer uses it meanwhile */
	book_result *res;
	book_attempt attempt;
} book_job;

static status book_unit_run(db_conn *c, void *ctx, bool *retry)
{
	book_job *j = ctx;
	j->res->why = NULL;
	status st = j->attempt(c, j->b, j->rq, j->extra, j->now, j->a, j->res);
	*retry = st == STATUS_CONFLICT && j->res->why == REF_TAKEN;
	return st;
}

status book_run(db_conn *c, const business *b, const book_request *rq, const void *extra,
		int64_t now, arena *a, book_result *res, book_attempt attempt)
{
	status st = STATUS_INTERNAL;
	if (db_conn_kind(c) == DB_SQLITE && book_writer_on()) {
		/* SQLite has one write lock: let one writer commit many bookings at once. */
		book_job j = {b, rq, extra, now, a, res, attempt};
		return book_writer_run(c, book_unit_run, &j);
	}
	for (int i = 0; i < BOOK_ATTEMPTS; i++) {
		res->why = NULL;
		st = db_begin_write(c);
		if (st == STATUS_OK)
			st = attempt(c, b, rq, extra, now, a, res);
		if (st == STATUS_OK)
			st = db_commit(c);
		if (st == STATUS_OK)
			return st;
		db_rollback(c);
		bool retry = st == STATUS_BUSY || (st == STATUS_CONFLICT && res->why == REF_TAKEN);
		if (!retry)
			return st;
	}
	return st;
}

/* A protection limit refuses the write: STATUS_CONFLICT with res->limit set. */
static status limit_hit(book_result *res, const char *name, int64_t retry_after,
			const char *why)
{
	res->limit = name;
	res->retry_after = retry_after > 0 ? retry_after : 1;
	res->why = why;
	return STATUS_CONFLICT;
}

/* The live holds of the client: per address and per client token (store/protection.h). */
static status hold_caps(db_conn *c, const business *b, const book_request *rq,
			const protection *p, int64_t now, arena *a, book_result *res)
{
	status st = store_client_lock(c, b->id, CLIENT_ADDRESS, rq->client_addr);
	if (st == STATUS_OK && rq->client_token)
		st = store_client_lock(c, b->id, CLIENT_TOKEN, rq->client_token);
	const struct {
		client_key k;
		const char *value;
		int cap;
		const char *name;
	} caps[] = {
		{CLIENT_ADDRESS, rq->client_addr, p->holds_per_address, "holds_per_address"},
		{CLIENT_TOKEN, rq->client_token, p->holds_per_client, "holds_per_client"},
	};
	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]) && st == STATUS_OK; i++) {
		int n = 0;
		int64_t first = 0;
		if (caps[i].cap <= 0 || !caps[i].value)
			continue;
		st = store_client_holds(c, b->id, caps[i].k, caps[i].value, now, &n, &first);
		if (st == STATUS_OK && n >= caps[i].cap)
			return limit_hit(res, caps[i].name, first - now,
					 arena_printf(a, "%s already holds %d slot%s, the most it may "
							 "hold at once: book or let one go first",
						      caps[i].k == CLIENT_ADDRESS ? "this address"
										  : "this page",
						      n, n == 1 ? "" : "s"));
	}
	return st;
}

/* The share of a day that live holds may take: of the chosen bookable's open time on the
 * local day of the start, or of a class session's seats. A first hold always passes (a
 * whole-day rental is more than any share of its day). */
static status hold_share(db_conn *c, const business *b, const service *svc,
			 const avail_request *req, const avail_slot *slot, int64_t start,
			 int64_t end, int seats, const protection *p, int64_t now, arena *a,
			 book_result *res)
{
	if (p->hold_day_share <= 0 || p->hold_day_share >= 100)
		return STATUS_OK;
	int64_t taken = 0, first = 0, cap = 0, mine = 0;
	status st;
	if (slot->session_id) {
		for (size_t i = 0; i < req->n_sessions; i++)
			if (strcmp(req->sessions[i].id, slot->session_id) == 0)
				cap = req->sessions[i].capacity;
		st = store_holds_taking(c, b->id, NULL, false, slot->session_id, 0, 0, now, &taken,
					&first);
		mine = seats;
	} else {
		const char *id = svc->kind == SERVICE_RENTAL ? slot->providers[0]
			       : slot->n_providers	     ? slot->providers[0]
							     : NULL;
		const avail_bookable *bk = NULL;
		for (size_t i = 0; id && i < req->n_providers; i++)
			if (strcmp(req->providers[i].id, id) == 0)
				bk = &req->providers[i];
		if (!bk)
			return STATUS_OK;
		const tz *zone = bk->zone ? bk->zone : req->business_zone;
		int64_t day = tz_local_day(zone, start);
		int64_t d0 = tz_day_start(zone, day, NULL), d1 = tz_day_start(zone, day + 1, NULL);
		interval_set open;
		if (analytics_open_time(req, bk, d0, d1, a, &open) != STATUS_OK)
			return STATUS_OK;
		cap = interval_set_total(&open);
		st = store_holds_taking(c, b->id, id, svc->kind == SERVICE_RENTAL, NULL, d0, d1, now,
					&taken, &first);
		mine = (end < d1 ? end : d1) - (start > d0 ? start : d0);
	}
	if (st == STATUS_OK && taken > 0 && (taken + mine) * 100 > (int64_t)p->hold_day_share * cap)
		return limit_hit(res, "hold_day_share", first - now,
				 arena_printf(a, "holds already take %d%% of that day, the most they "
						 "may: book the time directly, or try again later",
					      p->hold_day_share));
	return st;
}

/* The public booking limits of the client's address and of the email typed, per hour and
 * per day. */
static status booking_caps(db_conn *c, const business *b, const book_request *rq,
			   const protection *p, int64_t now, arena *a, book_result *res)
{
	status st = store_client_lock(c, b->id, CLIENT_ADDRESS, rq->client_addr);
	if (st == STATUS_OK && rq->customer_email)
		st = store_client_lock(c, b->id, CLIENT_EMAIL, rq->customer_email);
	const struct {
		client_key k;
		const char *value;
		int cap;
		int64_t window_s;
		const char *name;
		const char *who;
	} caps[] = {
		{CLIENT_ADDRESS, rq->client_addr, p->bookings_per_address_hour, 3600,
		 "bookings_per_address_hour", "this address"},
		{CLIENT_ADDRESS, rq->client_addr, p->bookings_per_address_day, 86400,
		 "bookings_per_address_day", "this address"},
		{CLIENT_EMAIL, rq->customer_email, p->bookings_per_email_hour, 3600,
		 "bookings_per_email_hour", "this email address"},
		{CLIENT_EMAIL, rq->customer_email, p->bookings_per_email_day, 86400,
		 "bookings_per_email_day", "this email address"},
	};
	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]) && st == STATUS_OK; i++) {
		int n = 0;
		int64_t oldest = 0;
		if (caps[i].cap <= 0 || !caps[i].value)
			continue;
		st = store_client_bookings(c, b->id, caps[i].k, caps[i].value, now - caps[i].window_s,
					   &n, &oldest);
		if (st == STATUS_OK && n >= caps[i].cap)
			return limit_hit(res, caps[i].name, oldest + caps[i].window_s - now,
					 arena_printf(a, "%s made %d bookings in the last %s, the most "
							 "it may online: try again later or call us",
						      caps[i].who, n,
						      caps[i].window_s == 3600 ? "hour" : "24 hours"));
	}
	return st;
}

status book_caps_tx(db_conn *c, const business *b, const book_request *rq, int64_t now,
		    arena *a, book_result *res)
{
	protection p = protection_defaults();
	status st = store_protection_get(c, b->id, &p);
	return st == STATUS_OK ? booking_caps(c, b, rq, &p, now, a, res) : st;
}

/* Extra arguments of a hold. */
typedef struct hold_args {
	const book_pre *pre;    /* inputs read before the lock */
	const protection *prot; /* the business's protection settings (read before the lock: a
				 * change racing a hold is harmless) */
} hold_args;

static status hold_attempt(db_conn *c, const business *b, const book_request *rq,
			   const void *extra, int64_t now, arena *a, book_result *res)
{
	const hold_args *args = extra;
	const book_pre *pre = args->pre;
	const protection *prot = args->prot;
	status st = STATUS_OK;
	if (rq->client_limits && rq->client_addr) {
		st = hold_caps(c, b, rq, prot, now, a, res);
		if (st != STATUS_OK)
			return st;
	}
	int64_t end;
	st = requested_end(&res->svc, rq, res, a, &end);
	if (st == STATUS_OK)
		st = book_price_prepare(c, b, rq, a, res, &end);
	avail_slot slot;
	avail_request req;
	if (st == STATUS_OK)
		st = take_slot(c, b, &res->svc, rq, rq->start, &end, NULL, pre, now, a, &slot, res,
			       &req, res->price_extra_s);
	json_t *assigned = NULL; /* owned: the "any provider" choice's note */
	if (st == STATUS_OK)
		st = auto_assign(c, b, rq, &res->svc, now, &slot, a, &assigned);
	if (st == STATUS_OK && rq->client_limits)
		st = hold_share(c, b, &res->svc, &req, &slot, rq->start, end, rq->seats, prot, now,
				a, res);
	if (st != STATUS_OK) {
		json_decref(assigned);
		return st;
	}
	booking *bk = &res->b;
	memset(bk, 0, sizeof(*bk));
	/* Random, not time-ordered: the hold id is what a customer books the hold with. */
	bk->id = ids_new(a, "bkg");
	bk->reference = ids_reference(a);
	place_booking(bk, &res->svc, &slot, rq->start, end);
	bk->seats = rq->seats;
	bk->status = BOOKING_HELD;
	bk->hold_expires_at = now + b->hold_ttl_s;
	bk->source = rq->source ? rq->source : "web";
	bk->price_minor = book_price_of(b, rq, res, bk, now, a);
	bk->currency = b->currency;
	bk->created_at = bk->updated_at = now;
	st = store_booking_insert_client(c, b->id, bk, rq->client_addr, rq->client_token);
	if (st == STATUS_CONFLICT)
		res->why = REF_TAKEN;
	if (st == STATUS_OK)
		st = book_price_save(c, b, rq, res, bk, now);
	if (st == STATUS_OK)
		st = event_add(c, b->id, bk, now, rq->actor, "held", NULL, "held", "",
			       assigned ? json_pack("{s:O}", "assignment", assigned) : NULL, a);
	json_decref(assigned);
	return st;
}

status book_hold(db_conn *c, const business *b, const book_request *rq, int64_t now, arena *a,
		 book_result *res)
{
	memset(res, 0, sizeof(*res));
	status st = active_service(c, b, rq->service_id, a, &res->svc);
	if (st != STATUS_OK)
		return st;
	book_pre pre = {0};
	int64_t end;
	if (requested_end(&res->svc, rq, res, a, &end) == STATUS_OK)
		book_prepare(c, b, &res->svc, rq->start, end, a, &pre);
	protection prot = protection_defaults();
	if (rq->client_limits && rq->client_addr)
		st = store_protection_get(c, b->id, &prot);
	if (st != STATUS_OK)
		return st;
	hold_args args = {&pre, &prot};
	return book_run(c, b, rq, &args, now, a, res, hold_attempt);
}

/* The customer part of a booking: profile matched by email, snapshot on the booking. A
 * public booking (rq->client_addr) never overwrites a stored name or phone: whoever typed
 * the email may not own it. counted: the booking adds to the customer's counters now
 * (an unconfirmed one adds when confirmed). */
static status attach_customer(db_conn *c, const business *b, const book_request *rq, int64_t now,
			      bool counted, arena *a, book_result *res)
{
	booking *bk = &res->b;
	const char *cid;
	status st = store_customer_upsert(c, b->id, rq->customer_email, rq->customer_name,
					  rq->customer_phone, rq->client_addr != NULL, counted ? 1 : 0,
					  counted ? bk->price_minor : 0, now, a, &cid);
	if (st != STATUS_OK)
		return st;
	bk->customer_id = cid;
	bk->customer_name = rq->customer_name;
	bk->customer_email = rq->customer_email;
	bk->customer_phone = rq->customer_phone ? rq->customer_phone : "";
	bk->customer_tz = rq->customer_tz;
	bk->notes = rq->notes ? rq->notes : "";
	res->manage_token = rq->manage_token ? rq->manage_token : ids_secret(a);
	bk->manage_token_hash = ids_secret_hash(a, res->manage_token);
	if (rq->sms_pref != BOOK_SMS_KEEP)
		st = db_exec(c, "UPDATE customers SET sms_opt_in = $3 WHERE business_id = $1 AND id = $2",
			     DB_PARAMS(DB_S(b->id), DB_S(cid), DB_I(rq->sms_pref == BOOK_SMS_YES)), NULL);
	return st;
}

static status idem_store(db_conn *c, const business *b, const book_idem *idem, int64_t now,
			 arena *a, book_result *res)
{
	if (!idem)
		return STATUS_OK;
	char *body = idem->render(res, b, a);
	if (!body)
		return STATUS_INTERNAL; /* no answer to keep: nothing is kept */
	status st = store_idem_put(c, b->id, idem->key, idem->request_hash, 201, body, now);
	if (st == STATUS_CONFLICT)
		res->why = "idempotency";
	return st;
}

/* True when the idempotency key already has an answer: a concurrent retry committed first
 * (checked inside the transaction, after any lock wait, so the commit is visible). */
static bool idem_seen(db_conn *c, const business *b, const book_idem *idem, arena *a,
		      book_result *res)
{
	const char *hash, *resp;
	int code;
	if (!idem || store_idem_get(c, b->id, idem->key, a, &hash, &code, &resp) != STATUS_OK)
		return false;
	res->why = "idempotency";
	return true;
}

/* Extra arguments of a booking. */
typedef struct create_args {
	const book_idem *idem;  /* or NULL */
	const book_pre *pre;    /* inputs read before the lock, or NULL */
	const protection *prot; /* the business's protection settings (public bookings) */
} create_args;

/* A hold's price less the tier's discount of the customer now known, the breakdown with it. */
static status hold_tier_price(db_conn *c, const business *b, const char *email, booking *bk,
			      arena *a)
{
	int64_t subtotal = bk->price_minor;
	loyalty_discount ld;
	status st = loyalty_hold_price(c, b, email, bk, a, &ld);
	if (st == STATUS_OK)
		st = book_price_tier(c, b, bk->id, NULL, ld.tier, ld.bp, ld.off, subtotal,
				     bk->price_minor, a);
	return st;
}

/* A public booking of a hold that waits for its emailed confirmation: the hold keeps its
 * slot, with its customer, for the business's confirm_within_s. */
static status create_from_hold_unconfirmed(db_conn *c, const business *b,
					   const book_request *rq, const create_args *args,
					   int64_t now, arena *a, book_result *res)
{
	const protection *p = args->prot;
	booking *bk = &res->b;
	status st = store_booking_get(c, b->id, rq->hold_id, true, a, bk);
	if (st == STATUS_NOT_FOUND || (st == STATUS_OK && bk->status != BOOKING_HELD) ||
	    (st == STATUS_OK && (bk->hold_expires_at <= now || bk->customer_id))) {
		res->why = "the hold has expired or was already used";
		return STATUS_CONFLICT;
	}
	if (st == STATUS_OK)
		st = store_service_get(c, b->id, bk->service_id, a, &res->svc);
	if (st == STATUS_OK) /* the customer is known now: their tier's discount */
		st = hold_tier_price(c, b, rq->customer_email, bk, a);
	bk->hold_expires_at = now + p->confirm_within_s;
	bk->updated_at = now;
	if (st == STATUS_OK)
		st = attach_customer(c, b, rq, now, false, a, res);
	if (st == STATUS_OK)
		st = store_booking_set_customer(c, b->id, bk);
	if (st == STATUS_OK)
		st = store_hold_extend(c, b->id, bk->id, bk->hold_expires_at, now);
	if (st == STATUS_OK)
		st = event_add(c, b->id, bk, now, rq->actor, "awaiting_confirmation", "held",
			       "held", "", NULL, a);
	if (st == STATUS_OK)
		st = outbox_booking(c, b, bk, "confirm_request", NULL, now, a);
	return st;
}

/* A booking of a hold: the hold becomes the booking. */
static status create_from_hold(db_conn *c, const business *b, const book_request *rq,
			       const create_args *args, int64_t now, arena *a, book_result *res)
{
	(void)args;
	booking *bk = &res->b;
	booking_status to;
	status st = store_booking_get(c, b->id, rq->hold_id, true, a, bk);
	if (st == STATUS_NOT_FOUND || (st == STATUS_OK && bk->status != BOOKING_HELD) ||
	    (st == STATUS_OK && bk->hold_expires_at <= now)) {
		res->why = "the hold has expired or was already used";
		return STATUS_CONFLICT;
	}
	if (st == STATUS_OK)
		st = store_service_get(c, b->id, bk->service_id, a, &res->svc);
	if (st == STATUS_OK) /* the customer is known now: their tier's discount */
		st = hold_tier_price(c, b, rq->customer_email, bk, a);
	int64_t due = 0; /* paid in advance: the booking keeps its hold's time, pending */
	if (st == STATUS_OK)
		st = payment_booking_due(c, b, &res->svc, rq, bk->price_minor, &due);
	if (st != STATUS_OK)
		return st;
	st = lifecycle_next(BOOKING_HELD, ACTION_BOOK, res->svc.requires_approval || due > 0, &to,
			    &res->why);
	if (st != STATUS_OK)
		return st;
	bk->source = rq->source ? rq->source : bk->source;
	bk->updated_at = now;
	st = attach_customer(c, b, rq, now, true, a, res);
	if (st == STATUS_OK)
		st = store_booking_set_customer(c, b->id, bk);
	if (st == STATUS_OK)
		st = store_booking_set_status(c, b->id, bk->id, BOOKING_HELD, to, now);
	if (st == STATUS_OK) {
		bk->status = to;
		bk->hold_expires_at = 0;
		st = event_add(c, b->id, bk, now, rq->actor, "booked", "held",
			       booking_status_name(to), "", NULL, a);
	}
	if (st == STATUS_OK && due > 0) /* its message goes once it is paid */
		return payment_booking_held(c, b, bk, &res->svc, due, now, a);
	if (st == STATUS_OK)
		st = outbox_booking(c, b, bk, to == BOOKING_PENDING ? "pending" : "confirmed",
				    NULL, now, a);
	return st;
}

/* A booking straight into a free slot (or a forced one). */
static status create_direct(db_conn *c, const business *b, const book_request *rq,
			    const create_args *args, int64_t now, arena *a, book_result *res)
{
	const protection *p = args->prot;
	bool unconfirmed = rq->client_addr && p->confirm_by_email;
	booking *bk = &res->b;
	booking_status to;
	int64_t end;
	avail_slot slot;
	status st = requested_end(&res->svc, rq, res, a, &end);
	if (st == STATUS_OK)
		st = book_price_prepare(c, b, rq, a, res, &end);
	if (st == STATUS_OK)
		st = take_slot(c, b, &res->svc, rq, rq->start, &end, NULL, args->pre, now, a,
			       &slot, res, NULL, res->price_extra_s);
	if (st == STATUS_CONFLICT && idem_seen(c, b, args->idem, a, res))
		res->reason = AVAIL_REASON_OFFERED;
	json_t *assigned = NULL; /* owned: the "any provider" choice's note */
	if (st == STATUS_OK)
		st = auto_assign(c, b, rq, &res->svc, now, &slot, a, &assigned);
	if (st != STATUS_OK)
		return st;
	memset(bk, 0, sizeof(*bk));
	bk->id = ids_sortable(a, "bkg");
	bk->reference = ids_reference(a);
	place_booking(bk, &res->svc, &slot, rq->start, end);
	bk->seats = rq->seats;
	int64_t due = 0; /* paid in advance: pending on a payment hold */
	/* Frozen: the dynamic price (store/pricing.h), then the loyalty tier's discount on it;
	 * payments use it. */
	int64_t subtotal = book_price_of(b, rq, res, bk, now, a), price = subtotal;
	loyalty_discount ld;
	st = loyalty_booking_price(c, b, rq->customer_email, subtotal, a, &price, &ld);
	if (st == STATUS_OK)
		st = book_price_tier(c, b, NULL, res, ld.tier, ld.bp, ld.off, subtotal, price, a);
	if (st == STATUS_OK && !unconfirmed)
		st = payment_booking_due(c, b, &res->svc, rq, price, &due);
	if (st == STATUS_OK)
		st = lifecycle_next(BOOKING_HELD, ACTION_BOOK, res->svc.requires_approval || due > 0,
				    &to, &res->why);
	if (st != STATUS_OK) {
		json_decref(assigned);
		return st;
	}
	if (unconfirmed) {
		to = BOOKING_HELD;
		bk->hold_expires_at = now + p->confirm_within_s;
	}
	bk->status = to;
	bk->source = rq->source ? rq->source : "web";
	bk->price_minor = price;
	bk->currency = b->currency;
	bk->created_at = bk->updated_at = now;
	st = attach_customer(c, b, rq, now, !unconfirmed, a, res);
	if (st == STATUS_OK) {
		st = store_booking_insert_client(c, b->id, bk, rq->client_addr,
						 rq->client_token);
		if (st == STATUS_CONFLICT)
			res->why = REF_TAKEN;
	}
	if (st == STATUS_OK)
		st = book_price_save(c, b, rq, res, bk, now);
	if (st == STATUS_OK) {
		json_t *ch = staff_note(json_object(), rq, res);
		if (rq->rebook_of)
			json_object_set_new(ch, "rebooked_from", json_string(rq->rebook_of));
		if (unconfirmed)
			json_object_set_new(ch, "awaiting_confirmation", json_true());
		if (rq->series_id)
			json_object_set_new(ch, "series", json_string(rq->series_id));
		if (rq->package_id)
			json_object_set_new(ch, "package", json_string(rq->package_id));
		if (assigned) /* steals the reference json_incref adds */
			json_object_set_new(ch, "assignment", json_incref(assigned));
		st = event_add(c, b->id, bk, now, rq->actor, "created", NULL,
			       booking_status_name(to), staff_reason(rq, res), ch, a);
	}
	json_decref(assigned);
	if (st == STATUS_OK && rq->package_id)
		st = package_use(c, b->id, rq->package_id, bk, now, a, &res->why);
	if (st == STATUS_OK && due > 0) /* its message goes once it is paid */
		return payment_booking_held(c, b, bk, &res->svc, due, now, a);
	if (st == STATUS_OK)
		st = tell(c, b, bk,
			  unconfirmed		  ? "confirm_request"
			  : to == BOOKING_PENDING ? "pending"
						  : "confirmed",
			  NULL, rq->quiet || rq->series_id, now, a);
	return st;
}

static status create_attempt(db_conn *c, const business *b, const book_request *rq,
			     const void *extra, int64_t now, arena *a, book_result *res)
{
	const create_args *args = extra;
	const book_idem *idem = args->idem;
	status st;
	if (idem_seen(c, b, idem, a, res))
		return STATUS_CONFLICT;
	/* A public booking: the business's limits, and whether it waits for the customer to
	 * confirm it from a first email (it stays a hold with its customer until then). */
	const protection *p = args->prot;
	if (rq->client_addr && rq->client_limits) {
		st = booking_caps(c, b, rq, p, now, a, res);
		if (st != STATUS_OK)
			return st;
	}
	if (rq->client_addr) {
		st = overlap_lock(c, b->id, rq->customer_email);
		if (st != STATUS_OK)
			return st;
	}
	bool unconfirmed = rq->client_addr && p->confirm_by_email;
	if (rq->hold_id && unconfirmed)
		st = create_from_hold_unconfirmed(c, b, rq, args, now, a, res);
	else if (rq->hold_id)
		st = create_from_hold(c, b, rq, args, now, a, res);
	else
		st = create_direct(c, b, rq, args, now, a, res);
	if (st == STATUS_OK)
		st = overlap_guard_tx(c, b, rq, now, res);
	if (st == STATUS_OK && rq->client_addr && rq->hold_id) /* the hold's row, now booked */
		st = store_client_mark(c, b->id, res->b.id, rq->client_addr, rq->client_token);
	if (st == STATUS_OK)
		st = idem_store(c, b, idem, now, a, res);
	return st;
}

status book_create_in(db_conn *c, const business *b, const book_request *rq, int64_t now,
		      arena *a, book_result *res)
{
	memset(res, 0, sizeof(*res));
	status st = active_service(c, b, rq->service_id, a, &res->svc);
	protection prot = protection_defaults();
	if (st == STATUS_OK && rq->client_addr)
		st = store_protection_get(c, b->id, &prot);
	if (st == STATUS_OK && rq->client_addr && rq->client_limits)
		st = booking_caps(c, b, rq, &prot, now, a, res);
	prot.confirm_by_email = false;
	create_args args = {NULL, NULL, &prot};
	if (st == STATUS_OK)
		st = create_direct(c, b, rq, &args, now, a, res);
	return st;
}

bool book_ref_taken(const book_result *res)
{
	return res->why == REF_TAKEN;
}

status book_create(db_conn *c, const business *b, const book_request *rq, const book_idem *idem,
		   int64_t now, arena *a, book_result *res)
{
	memset(res, 0, sizeof(*res));
	book_pre pre = {0};
	if (!rq->hold_id) {
		status st = active_service(c, b, rq->service_id, a, &res->svc);
		if (st != STATUS_OK)
			return st;
		int64_t end;
		if (requested_end(&res->svc, rq, res, a, &end) == STATUS_OK)
			book_prepare(c, b, &res->svc, rq->start, end, a, &pre);
	}
	protection prot = protection_defaults();
	if (rq->client_addr) {
		status st = store_protection_get(c, b->id, &prot);
		if (st != STATUS_OK)
			return st;
	}
	create_args args = {idem, &pre, &prot};
	return book_run(c, b, rq, &args, now, a, res, create_attempt);
}

/* Loads a booking and its service inside the transaction, locked on PostgreSQL. */
static status load_locked(db_conn *c, const business *b, const char *id, arena *a,
			  book_result *res);

static status confirm_attempt(db_conn *c, const business *b, const book_request *rq,
			      const void *extra, int64_t now, arena *a, book_result *res)
{
	status st = load_locked(c, b, extra, a, res);
	if (st != STATUS_OK)
		return st;
	booking *bk = &res->b;
	if (bk->status != BOOKING_HELD || !bk->customer_id || bk->hold_expires_at <= now) {
		res->why = bk->status == BOOKING_EXPIRED || bk->status == BOOKING_HELD
				   ? "the booking was not confirmed in time and has lapsed"
				   : "the booking is already confirmed";
		return STATUS_CONFLICT;
	}
	booking_status to;
	int64_t due = 0; /* paid in advance: confirmed, it waits pending on a payment hold */
	st = payment_customer_due(c, b, &res->svc, bk->price_minor, &due);
	if (st == STATUS_OK)
		st = lifecycle_next(BOOKING_HELD, ACTION_BOOK, res->svc.requires_approval || due > 0,
				    &to, &res->why);
	if (st == STATUS_OK)
		st = store_booking_set_status(c, b->id, bk->id, BOOKING_HELD, to, now);
	if (st == STATUS_CONFLICT)
		res->why = "the booking was changed at the same time; reload it";
	if (st == STATUS_OK)
		st = store_customer_count(c, b->id, bk->customer_id, 1, bk->price_minor, 0, 0);
	if (st == STATUS_OK) {
		bk->status = to;
		bk->hold_expires_at = 0;
		bk->updated_at = now;
		st = event_add(c, b->id, bk, now, rq->actor, "booked", "held",
			       booking_status_name(to), "confirmed from the email link", NULL, a);
	}
	if (st == STATUS_OK && due > 0) /* its message goes once it is paid */
		return payment_booking_held(c, b, bk, &res->svc, due, now, a);
	if (st == STATUS_OK)
		st = outbox_booking(c, b, bk, to == BOOKING_PENDING ? "pending" : "confirmed", NULL,
				    now, a);
	return st;
}

status book_confirm_email(db_conn *c, const business *b, const char *booking_id, int64_t now,
			  arena *a, book_result *res)
{
	memset(res, 0, sizeof(*res));
	book_request rq = {.actor = "customer"};
	return book_run(c, b, &rq, booking_id, now, a, res, confirm_attempt);
}

/* Loads a booking and its service inside the transaction, locked on PostgreSQL. */
static status load_locked(db_conn *c, const business *b, const char *id, arena *a,
			  book_result *res)
{
	status st = store_booking_get(c, b->id, id, true, a, &res->b);
	if (st == STATUS_OK)
		st = store_service_get(c, b->id, res->b.service_id, a, &res->svc);
	return st;
}

/* Extra arguments of a status change. */
typedef struct act_args {
	booking_action act;  /* what to do */
	const char *reason;  /* why, for the history */
	bool customer;       /* a customer acting: policies apply */
	const char *id;      /* the booking */
	bool quiet;          /* staff chose not to tell the customer */
	payment_refund_rule refund; /* cancel: how payments are refunded (customers: policy) */
} act_args;

static status act_attempt(db_conn *c, const business *b, const book_request *rq,
			  const void *extra, int64_t now, arena *a, book_result *res)
{
	const act_args *x = extra;
	status st = load_locked(c, b, x->id, a, res);
	if (st != STATUS_OK)
		return st;
	booking *bk = &res->b;
	booking_status from = bk->status, to;
	st = lifecycle_next(from, x->act, res->svc.requires_approval, &to, &res->why);
	if (st != STATUS_OK)
		return st;
	json_t *ch = NULL;
	int cancellations = 0, no_shows = 0;
	int64_t spend = 0;
	if (x->act == ACTION_CANCEL) {
		policy_refunds tiers;
		if (policy_refunds_parse(res->svc.refund_tiers, &tiers) != STATUS_OK)
			tiers.n = 0;
		if (x->customer && from != BOOKING_HELD) {
			if (!policy_in_time(bk->start_at, now, res->svc.cancel_until_s)) {
				res->why = arena_printf(a, "cancellation closed %lld hours before the start",
							(long long)(res->svc.cancel_until_s / 3600));
				return STATUS_INVALID;
			}
			res->refund_minor = policy_refund(&tiers, bk->start_at, now, bk->price_minor,
							  &res->refund_percent);
		} else {
			res->refund_minor = bk->price_minor;
			res->refund_percent = 100;
		}
		if (from != BOOKING_HELD) {
			cancellations = 1;
			spend = -res->refund_minor;
			ch = json_pack("{s:I, s:i, s:I}", "refund_minor", (json_int_t)res->refund_minor,
				       "refund_percent", res->refund_percent, "fee_minor",
				       (json_int_t)(bk->price_minor - res->refund_minor));
		}
	} else if (x->act == ACTION_NO_SHOW) {
		no_shows = 1;
	}
	if (x->quiet) {
		if (!ch)
			ch = json_object();
		json_object_set_new(ch, "notified", json_false()); /* steals */
	}
	st = store_booking_set_status(c, b->id, bk->id, from, to, now);
	if (st == STATUS_CONFLICT)
		res->why = "the booking was changed at the same time; reload it";
	if (st == STATUS_OK)
		st = event_add(c, b->id, bk, now, rq->actor, booking_action_name(x->act),
			       booking_status_name(from), booking_status_name(to),
			       x->reason ? x->reason : "", ch, a);
	else
		json_decref(ch);
	if (st == STATUS_OK && x->act == ACTION_CANCEL && from != BOOKING_HELD)
		st = payment_booking_cancelled(c, b, bk, &res->svc,
					       x->customer ? PAYMENT_REFUND_POLICY : x->refund,
					       rq->actor, now, a, &res->paid_refund_minor, NULL);
	if (st == STATUS_OK && no_shows)
		st = payment_booking_no_show(c, b, bk, rq->actor, now, a, &res->paid_refund_minor);
	if (st == STATUS_OK && (cancellations || no_shows))
		st = store_customer_count(c, b->id, bk->customer_id, 0, spend, cancellations, no_shows);
	/* Cancelled within the policy (a late customer cancellation is refused above): a
	 * session it drew from a package goes back. */
	if (st == STATUS_OK && x->act == ACTION_CANCEL)
		st = package_release(c, b->id, bk->id, now);
	/* The last of a group's bookings cancelled: the group ends with it. */
	if (st == STATUS_OK && x->act == ACTION_CANCEL)
		st = group_end_if_empty(c, b->id, bk->id, now);
	if (st == STATUS_OK) {
		bk->status = to;
		bk->updated_at = now;
		/* What the customer (and staff) hear of it, in the same transaction. */
		const char *event = x->act == ACTION_CONFIRM                        ? "confirmed"
				    : x->act == ACTION_NO_SHOW                      ? "no_show"
				    : x->act == ACTION_CANCEL && from != BOOKING_HELD ? "cancelled"
										      : NULL;
		if (event)
			st = tell(c, b, bk, event, x->reason, x->quiet, now, a);
	}
	/* A seat of a class, or an appointment's time, freed: offered down its waiting list in
	 * this same transaction. */
	if (st == STATUS_OK && bk->session_id && booking_takes_seats(from) &&
	    !booking_takes_seats(to))
		st = waitlist_refill(c, b, bk->session_id, now, a, NULL);
	else if (st == STATUS_OK && res->svc.kind == SERVICE_APPOINTMENT &&
		 booking_takes_seats(from) && !booking_takes_seats(to))
		st = waitlist_refill_time(c, b, bk, now, a);
	return st;
}

status book_act(db_conn *c, const business *b, const char *booking_id, booking_action act,
		const char *actor, const char *reason, int64_t now, arena *a, book_result *res)
{
	memset(res, 0, sizeof(*res));
	if (act == ACTION_RESCHEDULE || act == ACTION_BOOK) {
		res->why = "use book_reschedule or book_create";
		return STATUS_INVALID;
	}
	book_request rq = {.actor = actor};
	act_args x = {.act = act, .reason = reason, .customer = false, .id = booking_id};
	return book_run(c, b, &rq, &x, now, a, res, act_attempt);
}

status book_act_in(db_conn *c, const business *b, const char *booking_id, booking_action act,
		   const char *actor, const char *reason, bool by_customer, bool quiet,
		   int64_t now, arena *a, book_result *res)
{
	memset(res, 0, sizeof(*res));
	if (act == ACTION_RESCHEDULE || act == ACTION_BOOK) {
		res->why = "use book_reschedule or book_create";
		return STATUS_INVALID;
	}
	book_request rq = {.actor = actor};
	act_args x = {.act = act, .reason = reason, .customer = by_customer, .id = booking_id,
		      .quiet = quiet};
	return act_attempt(c, b, &rq, &x, now, a, res);
}

status book_cancel(db_conn *c, const business *b, const char *booking_id, const char *actor,
		   const char *reason, bool by_customer, int64_t now, arena *a, book_result *res)
{
	memset(res, 0, sizeof(*res));
	book_request rq = {.actor = actor};
	act_args x = {.act = ACTION_CANCEL, .reason = reason, .customer = by_customer, .id = booking_id};
	return book_run(c, b, &rq, &x, now, a, res, act_attempt);
}

status book_cancel_tx(db_conn *c, const business *b, const char *booking_id, const char *actor,
		      const char *reason, bool by_customer, int64_t now, arena *a,
		      book_result *res)
{
	book_request rq = {.actor = actor};
	act_args x = {.act = ACTION_CANCEL, .reason = reason, .customer = by_customer, .id = booking_id};
	return act_attempt(c, b, &rq, &x, now, a, res);
}

status book_staff_act(db_conn *c, const business *b, const char *booking_id, booking_action act,
		      const char *actor, const char *reason, bool quiet, int64_t now, arena *a,
		      book_result *res)
{
	memset(res, 0, sizeof(*res));
	if (act == ACTION_RESCHEDULE || act == ACTION_BOOK) {
		res->why = "use book_reschedule or book_create";
		return STATUS_INVALID;
	}
	book_request rq = {.actor = actor};
	act_args x = {.act = act, .reason = reason, .customer = false, .id = booking_id,
		      .quiet = quiet, .refund = PAYMENT_REFUND_FULL};
	return book_run(c, b, &rq, &x, now, a, res, act_attempt);
}

status book_staff_cancel(db_conn *c, const business *b, const char *booking_id,
			 const char *actor, const char *reason, bool quiet, int refund_rule,
			 int64_t now, arena *a, book_result *res)
{
	memset(res, 0, sizeof(*res));
	book_request rq = {.actor = actor};
	act_args x = {.act = ACTION_CANCEL, .reason = reason, .id = booking_id, .quiet = quiet,
		      .refund = (payment_refund_rule)refund_rule};
	return book_run(c, b, &rq, &x, now, a, res, act_attempt);
}

/* Extra arguments of a reschedule. */
typedef struct move_args {
	const char *id; /* the booking */
	bool customer;  /* policies apply */
} move_args;

static status move_attempt(db_conn *c, const business *b, const book_request *rq,
			   const void *extra, int64_t now, arena *a, book_result *res)
{
	const move_args *x = extra;
	status st = load_locked(c, b, x->id, a, res);
	if (st != STATUS_OK)
		return st;
	booking *bk = &res->b;
	booking_status same;
	st = lifecycle_next(bk->status, ACTION_RESCHEDULE, false, &same, &res->why);
	if (st != STATUS_OK)
		return st;
	if (x->customer && !policy_in_time(bk->start_at, now, res->svc.reschedule_until_s)) {
		res->why = arena_printf(a, "rescheduling closed %lld hours before the start",
					(long long)(res->svc.reschedule_until_s / 3600));
		return STATUS_INVALID;
	}
	book_request want = *rq;
	want.seats = bk->seats;
	int64_t end;
	avail_slot slot;
	st = requested_end(&res->svc, &want, res, a, &end);
	/* An appointment lengthened by add-ons (store/pricing.h) keeps its length. */
	int64_t added = res->svc.kind == SERVICE_APPOINTMENT
				? bk->end_at - bk->start_at - res->svc.duration_s
				: 0;
	if (added < 0)
		added = 0;
	if (st == STATUS_OK)
		st = take_slot(c, b, &res->svc, &want, want.start, &end, bk->id, NULL, now, a, &slot,
			       res, NULL, added);
	if (st != STATUS_OK)
		return st;
	booking old = *bk;
	place_booking(bk, &res->svc, &slot, want.start, end);
	st = store_booking_move(c, b->id, bk, now);
	if (st != STATUS_OK)
		return st;
	json_t *ch = json_pack("{s:{s:I, s:I}, s:{s:s?, s:s?}}", "start", "from",
			       (json_int_t)old.start_at, "to", (json_int_t)bk->start_at, "provider",
			       "from", old.provider_id ? old.provider_id : old.resource_id, "to",
			       bk->provider_id ? bk->provider_id : bk->resource_id);
	ch = staff_note(ch, &want, res);
	if (old.end_at - old.start_at != bk->end_at - bk->start_at)
		json_object_set_new(ch, "end", json_pack("{s:I, s:I}", "from", (json_int_t)old.end_at,
							 "to", (json_int_t)bk->end_at));
	bk->updated_at = now;
	st = event_add(c, b->id, bk, now, rq->actor, "rescheduled", booking_status_name(bk->status),
		       booking_status_name(bk->status), staff_reason(&want, res), ch, a);
	if (st == STATUS_OK)
		st = tell(c, b, bk, "rescheduled", NULL, want.quiet, now, a);
	/* Moved out of a class session: its seat goes down that session's waiting list. */
	if (st == STATUS_OK && old.session_id &&
	    (!bk->session_id || strcmp(old.session_id, bk->session_id) != 0))
		st = waitlist_refill(c, b, old.session_id, now, a, NULL);
	else if (st == STATUS_OK && res->svc.kind == SERVICE_APPOINTMENT)
		st = waitlist_refill_time(c, b, &old, now, a); /* its old time, to whoever waits */
	return st;
}

status book_reschedule(db_conn *c, const business *b, const char *booking_id,
		       const book_request *rq, bool by_customer, int64_t now, arena *a,
		       book_result *res)
{
	memset(res, 0, sizeof(*res));
	move_args x = {.id = booking_id, .customer = by_customer};
	return book_run(c, b, rq, &x, now, a, res, move_attempt);
}

status book_rebook(db_conn *c, const business *b, const char *booking_id, const book_request *rq,
		   int64_t now, arena *a, book_result *res)
{
	memset(res, 0, sizeof(*res));
	booking old;
	status st = store_booking_get(c, b->id, booking_id, false, a, &old);
	if (st != STATUS_OK)
		return st;
	if (old.status == BOOKING_HELD || !old.customer_id) {
		res->why = "only a booking with a customer can be booked again";
		return STATUS_CONFLICT;
	}
	book_request again = *rq;
	again.hold_id = NULL;
	again.service_id = old.service_id;
	again.provider_id = rq->provider_id ? rq->provider_id : (old.provider_id ? old.provider_id : old.resource_id);
	again.seats = old.seats;
	again.customer_name = old.customer_name;
	again.customer_email = old.customer_email;
	again.customer_phone = old.customer_phone;
	again.notes = rq->notes ? rq->notes : old.notes;
	again.source = rq->source ? rq->source : "admin";
	again.rebook_of = old.reference;
	return book_create(c, b, &again, NULL, now, a, res);
}
