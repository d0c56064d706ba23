/* holds.c - POST /api/v1/public/{business}/holds: keep a slot for a while (API.md). The slot
 * is checked again by the slot engine inside the write transaction that takes it. */
#include <string.h>

#include "api/common.h"
#include "api/handlers.h"
#include "api/live.h"
#include "base/ids.h"
#include "core/avail.h"
#include "core/tz.h"
#include "store/availability.h"
#include "store/booking.h"
#include "store/catalog.h"
#include "store/hold.h"

/* What a hold asks for, validated. */
typedef struct hold_ask {
	const char *service;  /* service id */
	int64_t start;        /* requested start */
	int64_t end;          /* rentals: requested end; otherwise 0 */
	const char *provider; /* a provider (rentals: a resource), or NULL for any */
	int seats;            /* seats, >= 1 */
} hold_ask;

static const char *body_str(http_req *r, json_t *body, const char *key, bool required)
{
	json_t *v = json_object_get(body, key); /* borrowed */
	if (!v || json_is_null(v)) {
		if (required)
			http_field_error_add(r, key, "is required");
		return NULL;
	}
	if (!json_is_string(v) || !*json_string_value(v)) {
		http_field_error_add(r, key, "must be a non-empty string");
		return NULL;
	}
	return arena_strdup(r->arena, json_string_value(v));
}

static bool body_instant(http_req *r, json_t *body, const char *key, bool required, int64_t *out)
{
	const char *s = body_str(r, body, key, required);
	if (s && !tz_parse_rfc3339(s, strlen(s), out)) {
		http_field_error_add(r, key, "must be an RFC 3339 instant with an offset");
		return false;
	}
	return s != NULL;
}

static bool hold_ask_read(http_req *r, json_t *body, hold_ask *h)
{
	h->service = body_str(r, body, "service", true);
	body_instant(r, body, "start", true, &h->start);
	h->end = 0;
	body_instant(r, body, "end", false, &h->end);
	h->provider = body_str(r, body, "provider", false);
	h->seats = 1;
	json_t *seats = json_object_get(body, "seats"); /* borrowed */
	if (seats && !json_is_null(seats)) {
		if (!json_is_integer(seats) || json_integer_value(seats) < 1 ||
		    json_integer_value(seats) > 10000)
			http_field_error_add(r, "seats", "must be a whole number from 1");
		else
			h->seats = (int)json_integer_value(seats);
	}
	return r->nerrors == 0;
}

/* Ids of the request's candidates, for row locks. */
static void candidate_ids(const avail_bookable *bs, size_t n, arena *a, const char ***out)
{
	const char **ids = arena_alloc(a, sizeof(*ids) * (n ? n : 1));
	for (size_t i = 0; i < n; i++)
		ids[i] = bs[i].id;
	*out = ids;
}

void holds_post(http_req *r)
{
	app *ap = r->app;
	json_t *body = http_body_json(r);
	if (!body)
		return;
	hold_ask h;
	bool ok = hold_ask_read(r, body, &h);
	json_decref(body);
	if (!ok) {
		http_problem(r, STATUS_INVALID, "invalid hold");
		return;
	}
	db_conn *c = db_acquire(ap->db);
	business b;
	service svc;
	if (!api_business(r, c, &b)) {
		db_release(ap->db, c);
		return;
	}
	status st = store_service_get(c, b.id, h.service, r->arena, &svc);
	if (st == STATUS_OK && !svc.active)
		st = STATUS_NOT_FOUND;
	if (st == STATUS_NOT_FOUND) {
		db_release(ap->db, c);
		http_field_error_add(r, "service", "no such service");
		http_problem(r, STATUS_INVALID, "invalid hold");
		return;
	}
	if (svc.kind == SERVICE_RENTAL && h.end <= h.start) {
		db_release(ap->db, c);
		http_field_error_add(r, "end", "rentals need an end after the start");
		http_problem(r, STATUS_INVALID, "invalid hold");
		return;
	}
	int64_t end = svc.kind == SERVICE_RENTAL ? h.end : h.start + svc.duration_s;
	avail_request req;
	avail_pick pick = {.start = h.start, .end = end, .now = r->now, .seats = h.seats,
			   .provider = h.provider};
	avail_slot slot;
	const char *id = ids_new(r->arena, "bkg");
	const char *reference = NULL;
	for (int attempt = 0; st == STATUS_OK && attempt < 3; attempt++) {
		st = db_begin_write(c);
		if (st == STATUS_OK)
			st = store_avail_load(c, &b, &svc, h.start - 86400, end + 86400, r->now,
					      r->arena, &req);
		const char **pids, **rids;
		if (st == STATUS_OK) {
			candidate_ids(req.providers, req.n_providers, r->arena, &pids);
			candidate_ids(req.resources, req.n_resources, r->arena, &rids);
			st = store_lock_bookables(c, b.id, pids, svc.kind == SERVICE_RENTAL ? 0 : (int)req.n_providers,
						  svc.kind == SERVICE_RENTAL ? pids : rids,
						  svc.kind == SERVICE_RENTAL ? (int)req.n_providers : (int)req.n_resources,
						  NULL);
		}
		/* Read again after the locks: what was read before them may be stale. */
		if (st == STATUS_OK && db_conn_kind(c) == DB_POSTGRES)
			st = store_avail_load(c, &b, &svc, h.start - 86400, end + 86400, r->now,
					      r->arena, &req);
		if (st != STATUS_OK)
			break;
		if (!avail_check(&req, &pick, r->arena, &slot)) {
			avail_reason why = avail_explain(&req, &pick, r->arena);
			db_rollback(c);
			db_release(ap->db, c);
			if (h.provider && why == AVAIL_REASON_OUTSIDE_HOURS &&
			    !req.n_providers) {
				http_problem(r, STATUS_CONFLICT, "the slot is not available");
				return;
			}
			json_t *p = json_pack("{s:s, s:s, s:i, s:s, s:s, s:s}", "type",
					      "/problems/slot-unavailable", "title", "Conflict", "status", 409,
					      "detail", "the slot is no longer free", "reason",
					      avail_reason_name(why), "request_id", r->request_id);
			http_json_take(r, 409, p);
			r->content_type = "application/problem+json";
			r->result = STATUS_CONFLICT;
			return;
		}
		booking bk = {0};
		bk.id = id;
		bk.reference = reference = ids_reference(r->arena);
		bk.service_id = svc.id;
		if (svc.kind == SERVICE_RENTAL) {
			bk.resource_id = slot.providers[0];
		} else {
			bk.provider_id = slot.n_providers ? slot.providers[0] : NULL;
			bk.resource_id = slot.n_resources ? slot.resources[0] : NULL;
		}
		bk.session_id = slot.session_id;
		bk.start_at = h.start;
		bk.end_at = svc.kind == SERVICE_CLASS ? slot.end : end;
		bk.busy_start = bk.start_at - svc.buffer_before_s;
		bk.busy_end = bk.end_at + svc.buffer_after_s;
		bk.seats = h.seats;
		bk.status = BOOKING_HELD;
		bk.hold_expires_at = r->now + b.hold_ttl_s;
		bk.source = "web";
		bk.price_minor = svc.price_minor * h.seats;
		bk.currency = b.currency;
		bk.created_at = bk.updated_at = r->now;
		st = store_booking_insert(c, b.id, &bk);
		if (st == STATUS_OK)
			st = store_booking_event(c, b.id, ids_new(r->arena, "evt"), bk.id, r->now,
						 "customer", "held", NULL, "held", "", NULL);
		if (st == STATUS_OK)
			st = db_commit(c);
		if (st == STATUS_CONFLICT) {
			db_rollback(c); /* a reference collided: draw another */
			st = STATUS_OK;
			continue;
		}
		if (st != STATUS_OK)
			break;
		live_booking_changed(c, &b, bk.provider_id, bk.resource_id, bk.busy_start,
				     bk.busy_end, r->arena);
		db_release(ap->db, c);
		const tz *z = tz_get(b.timezone);
		char s_start[TZ_RFC3339_SIZE], s_end[TZ_RFC3339_SIZE], s_exp[TZ_RFC3339_SIZE];
		tz_format_rfc3339(z, bk.start_at, s_start);
		tz_format_rfc3339(z, bk.end_at, s_end);
		tz_format_rfc3339(z, bk.hold_expires_at, s_exp);
		json_t *out = json_pack("{s:s, s:s, s:s, s:s, s:s*, s:i}", "id", bk.id, "expires_at",
					s_exp, "start", s_start, "end", s_end, "provider",
					bk.provider_id ? bk.provider_id : bk.resource_id, "seats", bk.seats);
		if (bk.resource_id && bk.provider_id)
			json_object_set_new(out, "resource", json_string(bk.resource_id));
		if (bk.session_id)
			json_object_set_new(out, "session", json_string(bk.session_id));
		http_json_take(r, 201, out);
		return;
	}
	db_rollback(c);
	api_store_error(r, c, st == STATUS_OK ? STATUS_INTERNAL : st);
	db_release(ap->db, c);
}
