/* bookings.c - POST /api/v1/public/{business}/bookings and the customer's manage routes
 * under /api/v1/public/bookings/{reference}, authorised by the manage token. */
#include <string.h>

#include "api/booking_json.h"
#include "api/common.h"
#include "api/pricing.h"
#include "api/handlers.h"
#include "api/live.h"
#include "api/slowdown.h"
#include "base/ids.h"
#include "calsync/ics.h"
#include "jobs/pay_worker.h"
#include "api/public_json.h"
#include "api/referral.h"
#include "store/business.h"
#include "store/catalog.h"
#include "store/secrets.h"

/* The idempotent answer is rendered inside the booking's transaction, and again for the
 * live answer: the same inputs give the same text. */
static char *render_created(const book_result *res, const business *b, arena *a)
{
	buf out;
	buf_init(&out, 1u << 20); /* a booking answer is a few hundred bytes */
	status st = public_booking_write(&out, res, b->currency, tz_get(b->timezone));
	/* NULL only for a text that is not UTF-8 (json_pack refused those too). */
	char *text = st == STATUS_OK ? arena_strndup(a, out.data, out.len) : NULL;
	buf_free(&out);
	return text;
}

/* The fields a public booking body may carry (docs/openapi.json); anything else is 422. */
/* A field the booking page keeps hidden and empty: people leave it so, form-filling robots
 * do not. */
#define BOOKING_HONEYPOT "website"
static const char *const BOOKING_KEYS[] = {"hold",  "service",  "start",  "end",
					   "provider", "seats",   "customer", "notes",
					   "client", "referral", BOOKING_HONEYPOT, "addons", "location", NULL};
static const char *const CUSTOMER_KEYS[] = {"name", "email", "phone", "timezone", "sms", NULL};
static const char *const RESCHEDULE_KEYS[] = {"start", "end", "provider", NULL};
static const char *const CANCEL_KEYS[] = {"reason", NULL};

static bool read_booking_body(http_req *r, json_t *body, book_request *rq)
{
	booking_body_known(r, body, "", BOOKING_KEYS);
	rq->hold_id = booking_body_str(r, body, "hold", "hold", 64, false);
	if (!rq->hold_id) {
		rq->service_id = booking_body_str(r, body, "service", "service", 64, true);
		booking_body_instant(r, body, "start", true, &rq->start);
		booking_body_instant(r, body, "end", false, &rq->end);
		rq->provider_id = booking_body_str(r, body, "provider", "provider", 64, false);
		rq->seats = booking_body_seats(r, body);
		booking_body_span(r, rq->start, rq->end);
		pricing_body_read(r, body, rq);
	}
	const json_t *cust = json_object_get(body, "customer"); /* borrowed */
	if (!json_is_object(cust)) {
		http_field_error_add(r, "customer", "is required: {\"name\", \"email\", \"phone\"?}");
	} else {
		booking_body_known(r, cust, "customer", CUSTOMER_KEYS);
		rq->customer_name = booking_body_str(r, cust, "name", "customer.name", 200, true);
		const char *email = booking_body_str(r, cust, "email", "customer.email", 254, true);
		if (email) {
			rq->customer_email = booking_email_normalise(r->arena, email);
			if (!rq->customer_email)
				http_field_error_add(r, "customer.email", "is not an email address");
		}
		rq->customer_phone = booking_body_str(r, cust, "phone", "customer.phone", 40, false);
		rq->customer_tz = booking_body_str(r, cust, "timezone", "customer.timezone", 64, false);
		if (rq->customer_tz && !tz_get(rq->customer_tz))
			http_field_error_add(r, "customer.timezone", "is not a known IANA time zone");
		const json_t *sms = json_object_get(cust, "sms"); /* borrowed */
		if (sms && !json_is_boolean(sms))
			http_field_error_add(r, "customer.sms", "must be true or false");
		else if (sms)
			rq->sms_pref = json_is_true(sms) ? BOOK_SMS_YES : BOOK_SMS_NO;
		for (const char *p = rq->customer_phone; p && *p; p++)
			if (!strchr("0123456789 +-().", *p)) {
				http_field_error_add(r, "customer.phone",
						     "may hold only digits, spaces and + - ( ) .");
				break;
			}
	}
	rq->notes = booking_body_notes(r, body, "notes", "notes", 2000);
	booking_body_client(r, body, rq);
	rq->referral = referral_body(r, body);
	return r->nerrors == 0;
}

static void bookings_post_now(http_req *r, void *arg);

void bookings_post(http_req *r)
{
	if (!slowdown_gate(r, bookings_post_now))
		bookings_post_now(r, NULL);
}

/* Serves the booking, at once or once the address's slowdown is over. */
static void bookings_post_now(http_req *r, void *arg)
{
	(void)arg;
	const char *key = http_header(r, "Idempotency-Key");
	if (key && (!*key || strlen(key) > 200)) {
		http_field_error_add(r, "Idempotency-Key", "must be 1 to 200 characters");
		http_problem(r, STATUS_INVALID, "invalid Idempotency-Key");
		return;
	}
	json_t *body = http_body_json(r);
	if (!body)
		return;
	const json_t *trap = json_object_get(body, BOOKING_HONEYPOT); /* borrowed */
	if (trap && !(json_is_string(trap) && !*json_string_value(trap)) && !json_is_null(trap)) {
		/* A filled honeypot: refused without saying why, and nothing is read or written. */
		json_decref(body);
		http_problem(r, STATUS_INVALID, "the booking could not be accepted");
		return;
	}
	book_request rq = {.source = "web", .actor = "customer", .seats = 1};
	bool ok = read_booking_body(r, body, &rq);
	json_decref(body);
	if (!ok) {
		http_problem(r, STATUS_INVALID, "invalid booking");
		return;
	}
	business b;
	db_conn *c = api_open_business(r, &b);
	if (!c)
		return;
	if (b.require_phone && (!rq.customer_phone || !*rq.customer_phone)) {
		http_field_error_add(r, "customer.phone", "is required by this business");
		http_problem(r, STATUS_INVALID, "invalid booking");
		return;
	}
	const char *hash = key ? api_body_hash(r) : NULL;
	if (key && api_idem_replay(r, c, &b, key, hash))
		return;
	book_idem idem = {.key = key, .request_hash = hash, .render = render_created};
	book_result res;
	status st = book_create(c, &b, &rq, key ? &idem : NULL, r->now, r->arena, &res);
	if (st == STATUS_CONFLICT && key && res.why && strcmp(res.why, "idempotency") == 0 &&
	    api_idem_replay(r, c, &b, key, hash)) {
		return;
	}
	if (st == STATUS_NOT_FOUND) {
		http_field_error_add(r, "service", "no such service");
		st = STATUS_INVALID;
		res.why = "invalid booking";
	}
	pricing_refusal_field(r, st, &res);
	if (st != STATUS_OK) {
		booking_answer_error(r, c, st, &res);
		return;
	}
	live_booking_changed(c, &b, res.b.provider_id, res.b.resource_id, res.b.busy_start,
			     res.b.busy_end, r->arena);
	live_booking_event(c, &b, &res.b, true, NULL, r->arena);
	app_db_release(r); /* the answer is written without the database */
	if (public_booking_write(http_json_begin(r, 201), &res, b.currency, tz_get(b.timezone)) !=
	    STATUS_OK)
		http_problem(r, STATUS_INTERNAL, "the booking was made but its answer could not be "
						 "written; it is listed on the booking's page");
}

/* The booking named by {reference} if the bearer token is its manage token (unless
 * link_only), or ?t= its link token (from a message); otherwise answers 404 (never a hint
 * that the reference exists) and returns false. */
static bool manage_auth_as(http_req *r, db_conn *c, business *b, booking *bk, bool link_only)
{
	const char *ref = http_param(r, "reference");
	const char *auth = http_header(r, "Authorization");
	const char *link = http_query(r, "t");
	const char *bid = NULL;
	bool found = ref && store_booking_by_reference(c, ref, r->arena, bk, &bid) == STATUS_OK;
	bool ok = false;
	if (found && !link_only && auth && strncmp(auth, "Bearer ", 7) == 0 && auth[7] &&
	    bk->manage_token_hash)
		ok = ids_equal_ct(ids_secret_hash(r->arena, auth + 7), bk->manage_token_hash);
	else if (found)
		ok = store_link_ok(c, "manage", bk->id, link, r->now, r->arena);
	ok = ok && store_business_by_id(c, bid, r->arena, b) == STATUS_OK;
	if (!ok)
		http_problem(r, STATUS_NOT_FOUND, "no such booking");
	return ok;
}

static bool manage_auth(http_req *r, db_conn *c, business *b, booking *bk)
{
	return manage_auth_as(r, c, b, bk, false);
}

bool booking_manage_auth(http_req *r, db_conn *c, business *b, booking *bk)
{
	return manage_auth_as(r, c, b, bk, false);
}

static const tz *answer_zone(http_req *r, const business *b)
{
	const char *z = http_query(r, "tz");
	const tz *zone = z && *z ? tz_get(z) : NULL;
	return zone ? zone : tz_get(b->timezone);
}

/* Answers the booking in full, with its history. */
static void answer_booking(http_req *r, db_conn *c, const business *b, const booking *bk,
			   json_t *extra_take)
{
	service svc;
	booking_event *ev;
	int nev;
	status st = store_service_get(c, b->id, bk->service_id, r->arena, &svc);
	if (st == STATUS_OK)
		st = store_booking_events(c, b->id, bk->id, r->arena, &ev, &nev);
	if (st != STATUS_OK) {
		json_decref(extra_take);
		api_store_error(r, c, st);
		return;
	}
	json_t *o = booking_json_full(bk, &svc, b, answer_zone(r, b), ev, nev);
	/* Customers see who acted by kind (staff, customer, job), never which staff user. */
	size_t i;
	json_t *item;
	json_array_foreach(json_object_get(o, "history"), i, item) {
		const char *actor = json_string_value(json_object_get(item, "actor"));
		const char *colon = actor ? strchr(actor, ':') : NULL;
		if (colon)
			json_object_set_new(item, "actor", json_stringn(actor, (size_t)(colon - actor)));
	}
	if (extra_take)
		json_object_update(o, extra_take);
	json_decref(extra_take);
	http_json_take(r, 200, o);
}

void booking_manage_get(http_req *r)
{
	db_conn *c = app_db(r);
	business b;
	booking bk;
	if (manage_auth(r, c, &b, &bk))
		answer_booking(r, c, &b, &bk, NULL);
}

void booking_manage_cancel(http_req *r)
{
	json_t *body = r->body_len ? http_body_json(r) : json_object();
	if (!body)
		return;
	booking_body_known(r, body, "", CANCEL_KEYS);
	const char *reason = booking_body_str(r, body, "reason", "reason", 500, false);
	json_decref(body);
	if (r->nerrors) {
		http_problem(r, STATUS_INVALID, "invalid cancellation");
		return;
	}
	db_conn *c = app_db(r);
	business b;
	booking bk;
	if (!manage_auth(r, c, &b, &bk))
		return;
	book_result res;
	status st = book_cancel(c, &b, bk.id, "customer", reason, true, r->now, r->arena, &res);
	if (st != STATUS_OK) {
		booking_answer_error(r, c, st, &res);
		return;
	}
	if (res.paid_refund_minor > 0)
		pay_worker_kick(); /* the refund of what was paid goes to the provider now */
	live_booking_changed(c, &b, res.b.provider_id, res.b.resource_id, res.b.busy_start,
			     res.b.busy_end, r->arena);
	live_booking_event(c, &b, &res.b, false, NULL, r->arena);
	json_t *extra = json_pack("{s:o, s:o, s:i}", "refund",
				  api_money(res.refund_minor, b.currency), "fee",
				  api_money(res.b.price_minor - res.refund_minor, b.currency),
				  "refund_percent", res.refund_percent);
	answer_booking(r, c, &b, &res.b, extra);
}

void booking_manage_reschedule(http_req *r)
{
	json_t *body = http_body_json(r);
	if (!body)
		return;
	book_request rq = {.actor = "customer"};
	booking_body_known(r, body, "", RESCHEDULE_KEYS);
	booking_body_instant(r, body, "start", true, &rq.start);
	booking_body_instant(r, body, "end", false, &rq.end);
	rq.provider_id = booking_body_str(r, body, "provider", "provider", 64, false);
	booking_body_span(r, rq.start, rq.end);
	json_decref(body);
	if (r->nerrors) {
		http_problem(r, STATUS_INVALID, "invalid reschedule");
		return;
	}
	db_conn *c = app_db(r);
	business b;
	booking bk;
	if (!manage_auth(r, c, &b, &bk))
		return;
	book_result res;
	status st = book_reschedule(c, &b, bk.id, &rq, true, r->now, r->arena, &res);
	if (st != STATUS_OK) {
		booking_answer_error(r, c, st, &res);
		return;
	}
	/* Both the old time and the new one changed. */
	live_booking_changed(c, &b, bk.provider_id, bk.resource_id, bk.busy_start, bk.busy_end,
			     r->arena);
	live_booking_changed(c, &b, res.b.provider_id, res.b.resource_id, res.b.busy_start,
			     res.b.busy_end, r->arena);
	live_booking_event(c, &b, &res.b, false, bk.provider_id, r->arena);
	answer_booking(r, c, &b, &res.b, NULL);
}

void booking_manage_ics(http_req *r)
{
	app *ap = r->app;
	db_conn *c = app_db(r);
	business b;
	booking bk;
	if (!manage_auth(r, c, &b, &bk))
		return;
	service svc;
	booking_event *ev;
	int nev = 0;
	provider who = {0};
	status st = store_service_get(c, b.id, bk.service_id, r->arena, &svc);
	if (st == STATUS_OK)
		st = store_booking_events(c, b.id, bk.id, r->arena, &ev, &nev);
	if (st == STATUS_OK && bk.provider_id)
		st = store_provider_get(c, b.id, bk.provider_id, r->arena, &who);
	if (st != STATUS_OK) {
		api_store_error(r, NULL, st);
		return;
	}
	const char *manage = arena_printf(r->arena, "%s/bookings/%s", ap->public_url, bk.reference);
	ics_event e = {
		.uid = arena_printf(r->arena, "%s@bookd", bk.id),
		.sequence = nev > 0 ? nev - 1 : 0, /* every change adds an event */
		.start = bk.start_at,
		.end = bk.end_at,
		.stamp = r->now,
		.summary = who.name ? arena_printf(r->arena, "%s with %s", svc.name, who.name) : svc.name,
		.location = b.address,
		.description = arena_printf(r->arena, "%s, booking %s. Manage it at %s", b.name,
					    bk.reference, manage),
		.url = manage,
		.organizer_name = b.name,
		.attendee_name = bk.customer_name,
		.attendee_email = bk.customer_email,
		.cancelled = bk.status == BOOKING_CANCELLED || bk.status == BOOKING_EXPIRED,
	};
	buf out;
	buf_init(&out, 64u << 10);
	st = ics_write_event(&e, e.cancelled ? ICS_CANCEL : ICS_PUBLISH, &out);
	if (st != STATUS_OK) {
		buf_free(&out);
		http_problem(r, STATUS_INTERNAL, "the calendar entry could not be written");
		return;
	}
	http_text(r, 200, "text/calendar; charset=utf-8", out.data, out.len);
	http_add_header(r, "Content-Disposition", "attachment; filename=\"booking.ics\"");
	buf_free(&out);
}

void booking_manage_confirm(http_req *r)
{
	db_conn *c = app_db(r);
	business b;
	booking bk;
	if (!manage_auth_as(r, c, &b, &bk, true))
		return;
	book_result res;
	status st = book_confirm_email(c, &b, bk.id, r->now, r->arena, &res);
	if (st != STATUS_OK) {
		booking_answer_error(r, c, st, &res);
		return;
	}
	/* The slot was busy already; the booking's own views change. */
	live_booking_changed(c, &b, res.b.provider_id, res.b.resource_id, res.b.busy_start,
			     res.b.busy_end, r->arena);
	answer_booking(r, c, &b, &res.b, NULL);
}
