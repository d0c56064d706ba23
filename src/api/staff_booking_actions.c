/* staff_booking_actions.c - staff writes of bookings, each through store/book.h: manual
 * bookings (phone, walk-in, admin; an override of a conflict is recorded), confirm, check
 * in, no-show, complete, cancel, reschedule, rebook, and resend (the customer's message
 * queued again through store/outbox.h, rate-limited there). Every answer is the booking as
 * it now is; every change of time is published to the live availability stream.
 *
 * Who may do what (the route rows say AUTH_STAFF; narrowed here):
 * - staff act only on their own provider's bookings (others' are 404) and book or move
 *   only to their own provider (403 otherwise);
 * - "override": true (take the time despite a conflict) needs admin or owner (403); the
 *   engine's reason and "override_reason" go into the history and the audit entry;
 * - "notify": false leaves the customer's message of the change unsent (staff alerts and
 *   reminders as usual); the history and the audit entry say so. */
#include <string.h>

#include "api/app.h"
#include "api/auth.h"
#include "api/booking_json.h"
#include "api/common.h"
#include "api/customer_overlap.h"
#include "api/live.h"
#include "api/referral.h"
#include "api/staff_bookings.h"
#include "store/book.h"
#include "jobs/pay_worker.h"
#include "store/outbox.h"
#include "store/payment.h"

/* The booking named by {booking} as the caller may see it; answers 404 and returns false
 * otherwise. */
static bool visible_booking(http_req *r, db_conn *c, const business *b, booking_row *out)
{
	const char *id = http_param(r, "booking");
	status st = store_booking_row(c, b->id, id ? id : "", staff_visible_to(r), r->arena, out);
	if (st == STATUS_NOT_FOUND)
		http_problem(r, st, "no such booking");
	else if (st != STATUS_OK)
		api_store_error(r, c, st);
	return st == STATUS_OK;
}

/* Reads "override" (default false); records a field error when it is not a boolean. */
static bool body_override(http_req *r, const json_t *body)
{
	const json_t *v = json_object_get(body, "override"); /* borrowed */
	if (v && !json_is_boolean(v) && !json_is_null(v))
		http_field_error_add(r, "override", "must be true or false");
	return json_is_true(v);
}

/* Reads "notify" (default true: the customer is sent the message of the change); records a
 * field error when it is not a boolean. Returns whether the change is quiet. */
static bool body_quiet(http_req *r, const json_t *body)
{
	const json_t *v = json_object_get(body, "notify"); /* borrowed */
	if (v && !json_is_boolean(v) && !json_is_null(v))
		http_field_error_add(r, "notify", "must be true or false");
	return json_is_false(v);
}

/* Reads "override_reason" (why staff take time the engine refuses; kept in the booking's
 * history and the audit log). */
static const char *body_override_reason(http_req *r, const json_t *body)
{
	return booking_body_str(r, body, "override_reason", "override_reason", 500, false);
}

/* What the audit entry of a staff change records beyond its route: an override that took
 * refused time (the engine's reason code and staff's reason), a customer not told. */
static void audit_change(http_req *r, const book_request *rq, const book_result *res)
{
	if (rq->force && res->reason != AVAIL_REASON_OFFERED)
		auth_audit_note(r, arena_printf(r->arena, "override %s: %s",
						avail_reason_name(res->reason),
						rq->override_reason && *rq->override_reason
							? rq->override_reason
							: "(no reason given)"));
	if (rq->quiet)
		auth_audit_note(r, "customer not notified");
}

/* The staff role's rules for the provider of a new or moved booking: filled in with their
 * own when absent, refused (403) when another. Overrides need admin (403). */
static bool narrow_provider(http_req *r, const char **provider_id, bool force)
{
	const principal *p = auth_principal(r);
	if (force && !auth_require(r, ROLE_ADMIN))
		return false;
	if (!p || p->role >= ROLE_ADMIN)
		return true;
	if (!p->provider_id || (*provider_id && strcmp(*provider_id, p->provider_id) != 0)) {
		http_problem(r, STATUS_FORBIDDEN, "staff book and move bookings only for their own "
						  "provider");
		return false;
	}
	*provider_id = p->provider_id;
	return true;
}

/* Tells open booking pages of the time bk takes or freed. */
static void publish(db_conn *c, const business *b, const booking *bk, arena *a)
{
	live_booking_changed(c, b, bk->provider_id, bk->resource_id, bk->busy_start, bk->busy_end,
			     a);
}

void staff_bookings_create(http_req *r)
{
	json_t *body = http_body_json(r);
	if (!body)
		return;
	book_request rq = {.seats = 1, .actor = staff_actor(r)};
	rq.service_id = booking_body_str(r, body, "service", "service", 64, true);
	booking_body_instant(r, body, "start", true, &rq.start);
	booking_body_instant(r, body, "end", false, &rq.end);
	rq.provider_id = booking_body_str(r, body, "provider", "provider", 64, false);
	rq.seats = booking_body_seats(r, body);
	booking_body_span(r, rq.start, rq.end);
	rq.notes = booking_body_notes(r, body, "notes", "notes", 2000);
	rq.source = booking_body_str(r, body, "source", "source", 16, false);
	if (!rq.source)
		rq.source = "admin";
	else if (strcmp(rq.source, "phone") != 0 && strcmp(rq.source, "walk_in") != 0 &&
		 strcmp(rq.source, "admin") != 0)
		http_field_error_add(r, "source", "must be phone, walk_in or admin");
	rq.force = body_override(r, body);
	rq.override_reason = body_override_reason(r, body);
	rq.quiet = body_quiet(r, body);
	rq.package_id = booking_body_str(r, body, "package", "package", 64, false);
	rq.referral = referral_body(r, body);
	const json_t *cust = json_object_get(body, "customer"); /* borrowed */
	if (!json_is_object(cust)) {
		http_field_error_add(r, "customer", "is required: {\"name\", \"email\", \"phone\"?}");
	} else {
		rq.customer_name = booking_body_str(r, cust, "name", "customer.name", 200, true);
		const char *email = booking_body_str(r, cust, "email", "customer.email", 254, true);
		if (email && !(rq.customer_email = booking_email_normalise(r->arena, email)))
			http_field_error_add(r, "customer.email", "is not an email address");
		rq.customer_phone = booking_body_str(r, cust, "phone", "customer.phone", 40, false);
	}
	json_decref(body);
	if (rq.force && !rq.provider_id)
		http_field_error_add(r, "provider", "is required with override");
	if (r->nerrors) {
		http_problem(r, STATUS_INVALID, "invalid booking");
		return;
	}
	if (!narrow_provider(r, &rq.provider_id, rq.force))
		return;
	business b;
	db_conn *c = auth_open(r, &b);
	if (!c)
		return;
	book_result res;
	status st = book_create(c, &b, &rq, NULL, r->now, r->arena, &res);
	if (st == STATUS_NOT_FOUND) {
		http_field_error_add(r, "service", "no such service");
		st = STATUS_INVALID;
		res.why = "invalid booking";
	}
	if (st != STATUS_OK) {
		booking_answer_error(r, c, st, &res);
		return;
	}
	audit_change(r, &rq, &res);
	publish(c, &b, &res.b, r->arena);
	live_booking_event(c, &b, &res.b, true, NULL, r->arena);
	staff_booking_answer(r, c, &b, res.b.id, 201,
			     customer_overlap_warning(c, &b, &res.b, r->now));
}

/* Reads an optional {"reason", "notify"} body (reason required when `need`); false when the
 * answer is sent. */
static bool reason_read(http_req *r, bool need, const char **reason, bool *quiet,
			int *refund)
{
	json_t *body = r->body_len ? http_body_json(r) : json_object();
	if (!body)
		return false;
	*reason = booking_body_str(r, body, "reason", "reason", 500, need);
	*quiet = body_quiet(r, body);
	/* A cancellation refunds what was paid online in full, or by the booking's own policy
	 * tiers ("refund": "policy", as if the customer had cancelled now). */
	const char *rule = booking_body_str(r, body, "refund", "refund", 16, false);
	*refund = PAYMENT_REFUND_FULL;
	if (rule && strcmp(rule, "policy") == 0)
		*refund = PAYMENT_REFUND_POLICY;
	else if (rule && strcmp(rule, "full") != 0)
		http_field_error_add(r, "refund", "must be policy or full");
	json_decref(body);
	if (r->nerrors) {
		http_problem(r, STATUS_INVALID, "invalid request");
		return false;
	}
	return true;
}

/* A status change through book_act or book_cancel; publishes freed time when the booking
 * stops taking it (cancel, no-show, complete). */
static void act(http_req *r, booking_action action)
{
	const char *reason = NULL;
	bool quiet = false;
	int refund = PAYMENT_REFUND_FULL;
	if (!reason_read(r, action == ACTION_CANCEL, &reason, &quiet, &refund))
		return;
	db_conn *c = app_db(r);
	business b;
	booking_row row;
	if (!auth_business(r, c, &b) || !visible_booking(r, c, &b, &row))
		return;
	book_result res;
	status st = action == ACTION_CANCEL
			    ? book_staff_cancel(c, &b, row.b.id, staff_actor(r), reason, quiet, refund,
						r->now, r->arena, &res)
			    : book_staff_act(c, &b, row.b.id, action, staff_actor(r), reason, quiet,
					     r->now, r->arena, &res);
	if (st != STATUS_OK) {
		booking_answer_error(r, c, st, &res);
		return;
	}
	if (res.paid_refund_minor > 0)
		pay_worker_kick(); /* the refund goes to the provider now */
	if (quiet)
		auth_audit_note(r, "customer not notified");
	if (action == ACTION_CANCEL || action == ACTION_NO_SHOW || action == ACTION_COMPLETE)
		publish(c, &b, &res.b, r->arena);
	live_booking_event(c, &b, &res.b, false, NULL, r->arena);
	staff_booking_answer(r, c, &b, row.b.id, 200, NULL);
}

void staff_booking_confirm(http_req *r) { act(r, ACTION_CONFIRM); }
void staff_booking_check_in(http_req *r) { act(r, ACTION_CHECK_IN); }
void staff_booking_no_show(http_req *r) { act(r, ACTION_NO_SHOW); }
void staff_booking_complete(http_req *r) { act(r, ACTION_COMPLETE); }
void staff_booking_cancel(http_req *r) { act(r, ACTION_CANCEL); }

/* Reads {start, end?, provider?, override?, override_reason?, notify?} of a reschedule or
 * rebook. */
static bool move_read(http_req *r, bool allow_override, book_request *rq)
{
	json_t *body = http_body_json(r);
	if (!body)
		return false;
	booking_body_instant(r, body, "start", true, &rq->start);
	booking_body_instant(r, body, "end", false, &rq->end);
	rq->provider_id = booking_body_str(r, body, "provider", "provider", 64, false);
	booking_body_span(r, rq->start, rq->end);
	if (allow_override) {
		rq->force = body_override(r, body);
		rq->override_reason = body_override_reason(r, body);
	}
	rq->quiet = body_quiet(r, body);
	json_decref(body);
	if (r->nerrors) {
		http_problem(r, STATUS_INVALID, "invalid request");
		return false;
	}
	return true;
}

void staff_booking_reschedule(http_req *r)
{
	book_request rq = {.actor = staff_actor(r), .seats = 1};
	if (!move_read(r, true, &rq) || !narrow_provider(r, &rq.provider_id, rq.force))
		return;
	db_conn *c = app_db(r);
	business b;
	booking_row row;
	if (!auth_business(r, c, &b) || !visible_booking(r, c, &b, &row))
		return;
	/* Without a provider the booking stays with its own (rentals: its resource). */
	if (!rq.provider_id)
		rq.provider_id = row.b.provider_id ? row.b.provider_id : row.b.resource_id;
	book_result res;
	status st = book_reschedule(c, &b, row.b.id, &rq, false, r->now, r->arena, &res);
	if (st != STATUS_OK) {
		booking_answer_error(r, c, st, &res);
		return;
	}
	audit_change(r, &rq, &res);
	publish(c, &b, &row.b, r->arena); /* the old time is free */
	publish(c, &b, &res.b, r->arena); /* the new one taken */
	live_booking_event(c, &b, &res.b, false, row.b.provider_id, r->arena);
	staff_booking_answer(r, c, &b, row.b.id, 200, NULL);
}

void staff_booking_rebook(http_req *r)
{
	book_request rq = {.actor = staff_actor(r), .seats = 1};
	if (!move_read(r, false, &rq) || !narrow_provider(r, &rq.provider_id, false))
		return;
	db_conn *c = app_db(r);
	business b;
	booking_row row;
	if (!auth_business(r, c, &b) || !visible_booking(r, c, &b, &row))
		return;
	book_result res;
	status st = book_rebook(c, &b, row.b.id, &rq, r->now, r->arena, &res);
	if (st != STATUS_OK) {
		booking_answer_error(r, c, st, &res);
		return;
	}
	audit_change(r, &rq, &res);
	publish(c, &b, &res.b, r->arena);
	live_booking_event(c, &b, &res.b, true, NULL, r->arena);
	staff_booking_answer(r, c, &b, res.b.id, 201,
			     customer_overlap_warning(c, &b, &res.b, r->now));
}

void staff_booking_resend(http_req *r)
{
	if (r->body_len) {
		json_t *body = http_body_json(r);
		if (!body)
			return;
		static const char *const known[] = {NULL};
		booking_body_known(r, body, "", known);
		json_decref(body);
		if (r->nerrors) {
			http_problem(r, STATUS_INVALID, "invalid request");
			return;
		}
	}
	db_conn *c = app_db(r);
	business b;
	booking_row row;
	if (!auth_business(r, c, &b) || !visible_booking(r, c, &b, &row))
		return;
	outbox_resend_result res;
	status st = outbox_resend(c, b.id, row.b.id, staff_actor(r), r->now, r->arena, &res);
	if (st == STATUS_CONFLICT && res.retry_after > 0) {
		http_add_header(r, "Retry-After",
				arena_printf(r->arena, "%lld", (long long)res.retry_after));
		http_problem_code(r, 429, STATUS_CONFLICT, res.why);
	} else if (st == STATUS_CONFLICT) {
		http_problem(r, st, "%s", res.why);
	} else if (st == STATUS_NOT_FOUND) {
		http_problem(r, st, "no such booking");
	} else if (st != STATUS_OK) {
		api_store_error(r, c, st);
	} else {
		staff_booking_answer(r, c, &b, row.b.id, 202,
				     json_pack("{s:{s:s, s:s}}", "resent", "event", res.event,
					       "recipient", res.recipient));
	}
}
