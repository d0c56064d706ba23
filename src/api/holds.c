/* holds.c - POST /api/v1/public/{business}/holds: keep a slot for a while (API.md); and
 * DELETE …/holds/{hold}: let it go early. */
#include "api/booking_json.h"
#include "api/common.h"
#include "api/pricing.h"
#include "api/handlers.h"
#include "api/live.h"
#include "api/slowdown.h"

/* The fields of a hold body (docs/openapi.json); anything else is 422. */
static const char *const HOLD_KEYS[] = {"service", "start", "end", "provider", "seats", "client",
					"addons", "location", NULL};

static void holds_post_now(http_req *r, void *arg);

void holds_post(http_req *r)
{
	if (!slowdown_gate(r, holds_post_now))
		holds_post_now(r, NULL);
}

/* Serves the hold, at once or once the address's slowdown is over. */
static void holds_post_now(http_req *r, void *arg)
{
	(void)arg;
	json_t *body = http_body_json(r);
	if (!body)
		return;
	book_request rq = {.source = "web", .actor = "customer"};
	booking_body_known(r, body, "", HOLD_KEYS);
	rq.service_id = booking_body_str(r, body, "service", "service", 64, true);
	booking_body_instant(r, body, "start", true, &rq.start);
	booking_body_instant(r, body, "end", false, &rq.end);
	rq.provider_id = booking_body_str(r, body, "provider", "provider", 64, false);
	rq.seats = booking_body_seats(r, body);
	booking_body_span(r, rq.start, rq.end);
	pricing_body_read(r, body, &rq);
	booking_body_client(r, body, &rq);
	json_decref(body);
	if (r->nerrors) {
		http_problem(r, STATUS_INVALID, "invalid hold");
		return;
	}
	business b;
	db_conn *c = api_open_business(r, &b);
	if (!c)
		return;
	book_result res;
	status st = book_hold(c, &b, &rq, r->now, r->arena, &res);
	if (st == STATUS_NOT_FOUND) {
		http_field_error_add(r, "service", "no such service");
		st = STATUS_INVALID;
		res.why = "invalid hold";
	}
	if (st == STATUS_INVALID && !r->nerrors && !pricing_refusal_field(r, st, &res))
		http_field_error_add(r, "end", "%s", res.why);
	if (st != STATUS_OK) {
		booking_answer_error(r, c, st, &res);
		return;
	}
	live_booking_changed(c, &b, res.b.provider_id, res.b.resource_id, res.b.busy_start,
			     res.b.busy_end, r->arena);
	live_booking_event(c, &b, &res.b, true, NULL, r->arena);
	const tz *z = tz_get(b.timezone);
	json_t *out = booking_json_created(&res, &b, z);
	/* A hold answers with its id and expiry rather than a reference (API.md). */
	json_object_del(out, "reference");
	json_object_del(out, "status");
	json_object_del(out, "price");
	json_object_del(out, "service");
	json_object_set_new(out, "id", json_string(res.b.id));
	char exp[TZ_RFC3339_SIZE];
	tz_format_rfc3339(z, res.b.hold_expires_at, exp);
	json_object_set_new(out, "expires_at", json_string(exp));
	if (res.b.session_id)
		json_object_set_new(out, "session", json_string(res.b.session_id));
	http_json_take(r, 201, out);
}

void holds_delete(http_req *r)
{
	const char *id = http_param(r, "hold");
	business b;
	db_conn *c = api_open_business(r, &b);
	if (!c)
		return;
	book_result res;
	status st = book_act(c, &b, id, ACTION_EXPIRE, "customer", "released", r->now, r->arena,
			     &res);
	if (st == STATUS_NOT_FOUND || st == STATUS_CONFLICT) {
		/* Booked, expired, released, or never a hold: the same answer for all, so the
		 * route tells nothing about ids that are not live holds. */
		http_problem(r, STATUS_NOT_FOUND, "no such hold");
	} else if (st != STATUS_OK) {
		api_store_error(r, c, st);
	} else {
		live_booking_changed(c, &b, res.b.provider_id, res.b.resource_id, res.b.busy_start,
				     res.b.busy_end, r->arena);
		live_booking_event(c, &b, &res.b, false, NULL, r->arena);
		http_text(r, 204, "text/plain", "", 0);
	}
}
