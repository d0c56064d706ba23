/* booking_json.c - booking answers and request fields. */
#include "api/booking_json.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "api/auth.h"
#include "api/common.h"
#include "api/referral.h"
#include "base/text.h"
#include "http/server.h"

static json_t *instant_json(const tz *zone, int64_t t)
{
	char s[TZ_RFC3339_SIZE];
	tz_format_rfc3339(zone, t, s);
	return json_string(s);
}

/* An event's changes as the API shows them: stored instants ({"start": {"from": S, "to": S}},
 * seconds since the epoch) become RFC 3339 in the answer's zone. Takes changes_take. */
static json_t *changes_json(json_t *changes_take, const tz *zone)
{
	if (!json_is_object(changes_take)) {
		json_decref(changes_take);
		return json_object();
	}
	static const char *const instants[] = {"start", "end"};
	for (size_t i = 0; i < sizeof(instants) / sizeof(instants[0]); i++) {
		json_t *ft = json_object_get(changes_take, instants[i]); /* borrowed */
		const char *side;
		json_t *v;
		json_object_foreach(ft, side, v) {
			if (json_is_integer(v))
				json_object_set_new(ft, side, instant_json(zone, json_integer_value(v)));
		}
	}
	return changes_take;
}

json_t *booking_json_created(const book_result *res, const business *b, const tz *zone)
{
	const booking *bk = &res->b;
	json_t *o = json_pack("{s:s, s:s, s:s, s:s?, s:o, s:o, s:i, s:o}", "reference", bk->reference,
			      "status", booking_status_name(bk->status), "service", bk->service_id,
			      "provider", bk->provider_id ? bk->provider_id : bk->resource_id, "start",
			      instant_json(zone, bk->start_at), "end", instant_json(zone, bk->end_at),
			      "seats", bk->seats, "price", api_money(bk->price_minor, b->currency));
	if (bk->resource_id && bk->provider_id)
		json_object_set_new(o, "resource", json_string(bk->resource_id));
	if (res->manage_token)
		json_object_set_new(o, "manage_token", json_string(res->manage_token));
	if (bk->status == BOOKING_HELD && bk->customer_id) {
		/* Waits for the customer to confirm it from the email just sent (confirm_by_email). */
		json_object_set_new(o, "awaiting_confirmation", json_true());
		json_object_set_new(o, "expires_at", instant_json(zone, bk->hold_expires_at));
	}
	return o;
}

json_t *booking_json_full(const booking *bk, const service *svc, const business *b,
			  const tz *zone, const booking_event *events, int nevents)
{
	json_t *o = json_pack(
		"{s:s, s:s, s:{s:s, s:s, s:s}, s:s?, s:s?, s:o, s:o, s:i, s:o, s:{s:s, s:s, s:s}, "
		"s:s, s:s}",
		"reference", bk->reference, "status", booking_status_name(bk->status), "service", "id",
		svc->id, "name", svc->name, "kind", service_kind_name(svc->kind), "provider",
		bk->provider_id, "resource", bk->resource_id, "start", instant_json(zone, bk->start_at),
		"end", instant_json(zone, bk->end_at), "seats", bk->seats, "price",
		api_money(bk->price_minor, bk->currency), "customer", "name", bk->customer_name, "email",
		bk->customer_email, "phone", bk->customer_phone, "notes", bk->notes, "business",
		b->slug);
	json_object_set_new(o, "referral", bk->referral && *bk->referral ? json_string(bk->referral)
									: json_null());
	if (bk->status == BOOKING_HELD)
		json_object_set_new(o, "expires_at", instant_json(zone, bk->hold_expires_at));
	if (bk->status == BOOKING_HELD && bk->customer_id)
		json_object_set_new(o, "awaiting_confirmation", json_true());
	json_t *tiers = json_loads(svc->refund_tiers, 0, NULL);
	json_object_set_new(o, "policy",
			    json_pack("{s:o, s:o, s:o}", "cancel_until",
				      instant_json(zone, bk->start_at - svc->cancel_until_s),
				      "reschedule_until",
				      instant_json(zone, bk->start_at - svc->reschedule_until_s),
				      "refund_tiers", tiers ? tiers : json_array()));
	if (events) {
		json_t *h = json_array();
		for (int i = 0; i < nevents; i++) {
			json_t *changes = changes_json(json_loads(events[i].changes, 0, NULL), zone);
			/* The series and the package a booking was made in, from its creation. */
			static const char *const made_in[] = {"series", "package"};
			for (size_t k = 0; k < 2 && strcmp(events[i].kind, "created") == 0; k++) {
				const json_t *v = json_object_get(changes, made_in[k]); /* borrowed */
				if (json_is_string(v))
					json_object_set_new(o, made_in[k], json_string(json_string_value(v)));
			}
			json_array_append_new(
				h, json_pack("{s:o, s:s, s:s, s:s?, s:s?, s:s, s:o}", "at",
					     instant_json(zone, events[i].at), "kind", events[i].kind,
					     "actor", events[i].actor, "from", events[i].from_status,
					     "to", events[i].to_status, "reason", events[i].reason,
					     "changes", changes));
		}
		json_object_set_new(o, "history", h);
	}
	return o;
}

static const char *body_text(http_req *r, const json_t *body, const char *key,
			     const char *path, size_t maxlen, bool required, text_kind kind)
{
	const json_t *v = json_object_get(body, key); /* borrowed */
	if (!v || json_is_null(v)) {
		if (required)
			http_field_error_add(r, path, "is required");
		return NULL;
	}
	if (!json_is_string(v)) {
		http_field_error_add(r, path, "must be a string");
		return NULL;
	}
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);
	if (n > maxlen) {
		http_field_error_add(r, path, "must be at most %zu characters", maxlen);
		return NULL;
	}
	const char *fault = text_fault(s, n, kind);
	if (fault) {
		http_field_error_add(r, path, "%s", fault);
		return NULL;
	}
	if (required && !*s) {
		http_field_error_add(r, path, "must not be empty");
		return NULL;
	}
	return arena_strdup(r->arena, s);
}

const char *booking_body_str(http_req *r, const json_t *body, const char *key, const char *path,
			     size_t maxlen, bool required)
{
	return body_text(r, body, key, path, maxlen, required, TEXT_LINE);
}

const char *booking_body_notes(http_req *r, const json_t *body, const char *key,
			       const char *path, size_t maxlen)
{
	return body_text(r, body, key, path, maxlen, false, TEXT_MULTILINE);
}

void booking_body_known(http_req *r, const json_t *body, const char *path,
			const char *const *allowed)
{
	const char *key;
	const json_t *v;
	json_object_foreach((json_t *)body, key, v) {
		bool known = false;
		for (int i = 0; allowed[i] && !known; i++)
			known = strcmp(allowed[i], key) == 0;
		if (known)
			continue;
		if (*path)
			http_field_error_add(r, arena_printf(r->arena, "%s.%s", path, key),
					     "is not a field of this object");
		else
			http_field_error_add(r, key, "is not a field of this object");
	}
}

bool booking_body_instant(http_req *r, const json_t *body, const char *key, bool required,
			  int64_t *out)
{
	const char *s = booking_body_str(r, body, key, key, 64, required);
	if (s && !tz_parse_rfc3339(s, strlen(s), out)) {
		http_field_error_add(r, key, "must be an RFC 3339 instant with an offset");
		return false;
	}
	return s != NULL;
}

void booking_body_span(http_req *r, int64_t start, int64_t end)
{
	if (end != 0 && end > start && end - start > BOOKING_MAX_SPAN_S)
		http_field_error_add(r, "end", "must be at most %lld days after start",
				     BOOKING_MAX_SPAN_S / 86400);
}

/* n when it is a seat count (valid says it was a whole number), else a field error and 1. */
static int seats_checked(http_req *r, bool valid, long long n)
{
	if (!valid || n < 1 || n > BOOKING_MAX_SEATS) {
		http_field_error_add(r, "seats", "must be a whole number from 1 to %d",
				     BOOKING_MAX_SEATS);
		return 1;
	}
	return (int)n;
}

int booking_body_seats(http_req *r, const json_t *body)
{
	const json_t *seats = json_object_get(body, "seats"); /* borrowed */
	if (!seats || json_is_null(seats))
		return 1;
	return seats_checked(r, json_is_integer(seats), json_integer_value(seats));
}

int booking_query_seats(http_req *r, const char *s)
{
	if (!s)
		return 1;
	char *end;
	long long n = strtoll(s, &end, 10);
	return seats_checked(r, *s && !*end, n);
}

const char *booking_reason_detail(avail_reason why, service_kind kind)
{
	switch (why) {
	case AVAIL_REASON_MIN_NOTICE:
		return "that start is too soon: the service needs more notice";
	case AVAIL_REASON_BEYOND_WINDOW:
		return "that start is further ahead than the service can be booked";
	case AVAIL_REASON_OFF_GRID:
		return "the service does not start at that time (off its slot grid)";
	case AVAIL_REASON_LENGTH:
		return "the rental is shorter or longer than the service allows";
	case AVAIL_REASON_NO_SESSION:
		return "no session of this class starts at that time";
	case AVAIL_REASON_OUTSIDE_HOURS:
		return "that time is outside opening hours";
	case AVAIL_REASON_BREAK:
		return "that time falls in a break between opening hours";
	case AVAIL_REASON_BUSINESS_HOURS:
		return "that time is outside the business's opening hours that day";
	case AVAIL_REASON_CLOSURE:
		return "the business is closed that day";
	case AVAIL_REASON_TIME_OFF:
		return kind == SERVICE_RENTAL ? "what you are booking is not available at that time"
					      : "the provider is away at that time";
	case AVAIL_REASON_BLACKOUT:
		return "what you are booking cannot be rented at that time (blackout)";
	case AVAIL_REASON_PICKUP_HOURS:
		return "the pickup time is outside the opening hours";
	case AVAIL_REASON_RETURN_HOURS:
		return "the return time is outside the opening hours";
	case AVAIL_REASON_FULL:
		return "not enough seats are left";
	case AVAIL_REASON_NO_RESOURCE:
		return "no resource the service needs is free at that time";
	case AVAIL_REASON_CALENDAR_STALE:
		return "the provider's calendar cannot be checked at the moment";
	case AVAIL_REASON_BUSY:
	case AVAIL_REASON_EXTERNAL_BUSY: /* the same words: a calendar of theirs is their own */
	case AVAIL_REASON_BUFFER:
	case AVAIL_REASON_OFFERED:
		break;
	}
	return "the slot is no longer free";
}

void booking_answer_error(http_req *r, db_conn *c, status st, const book_result *res)
{
	if (st == STATUS_CONFLICT && referral_overlap_answer(r, res)) {
		/* answered: a customer's overlapping booking (store/overlap_guard.h) */
	} else if (st == STATUS_CONFLICT && res->limit) {
		/* A protection limit: 429, when to try again, and which setting refused. */
		json_t *p = json_pack("{s:s, s:s, s:i, s:s, s:s, s:I, s:s, s:s}", "type",
				      "/problems/too-many", "title", "Too Many Requests", "status", 429,
				      "detail", res->why ? res->why : "too many requests", "limit",
				      res->limit, "retry_after", (json_int_t)res->retry_after,
				      "instance", r->path, "request_id", r->request_id);
		http_json_take(r, 429, p);
		http_add_header(r, "Retry-After",
				arena_printf(r->arena, "%lld", (long long)res->retry_after));
		r->content_type = "application/problem+json";
		r->result = STATUS_BUSY;
	} else if (st == STATUS_CONFLICT && res->reason != AVAIL_REASON_OFFERED) {
		json_t *p = json_pack("{s:s, s:s, s:i, s:s, s:s, s:s, s:s}", "type",
				      "/problems/slot-unavailable", "title", "Conflict", "status", 409,
				      "detail", booking_reason_detail(res->reason, res->svc.kind), "reason",
				      avail_reason_name(res->reason), "instance", r->path, "request_id",
				      r->request_id);
		http_json_take(r, 409, p);
		r->content_type = "application/problem+json";
		r->result = STATUS_CONFLICT;
	} else if (st == STATUS_CONFLICT || st == STATUS_INVALID) {
		http_problem(r, st, "%s", res->why ? res->why : "not allowed");
	} else if (st == STATUS_NOT_FOUND) {
		http_problem(r, st, "not found");
	} else {
		api_store_error(r, c, st);
	}
}

json_t *booking_json_differs(const booking *bk, const char *name, const char *phone)
{
	json_t *d = json_array();
	if (bk->customer_name && name && strcmp(bk->customer_name, name) != 0)
		json_array_append_new(d, json_string("name"));
	if (bk->customer_phone && *bk->customer_phone && phone &&
	    strcmp(bk->customer_phone, phone) != 0)
		json_array_append_new(d, json_string("phone"));
	return d;
}

void booking_body_client(http_req *r, const json_t *body, book_request *rq)
{
	const char *t = booking_body_str(r, body, "client", "client", 128, false);
	size_t n = t ? strlen(t) : 0;
	bool ok = n >= 16;
	for (size_t i = 0; ok && i < n; i++)
		ok = isalnum((unsigned char)t[i]) || t[i] == '-' || t[i] == '_';
	if (t && !ok)
		http_field_error_add(r, "client", "must be 16 to 128 letters, digits, '-' or '_'");
	rq->client_token = ok ? t : NULL;
	rq->client_addr = http_client_addr(r);
	rq->client_limits = auth_limits_on();
}

const char *booking_email_normalise(arena *a, const char *email)
{
	if (!email)
		return NULL;
	while (isspace((unsigned char)*email))
		email++;
	size_t n = strlen(email);
	while (n && isspace((unsigned char)email[n - 1]))
		n--;
	if (n < 3 || n > 254)
		return NULL;
	char *out = arena_strndup(a, email, n);
	int at = 0;
	for (char *p = out; *p; p++) {
		if ((unsigned char)*p <= ' ' || *p == '<' || *p == '>' || *p == ',')
			return NULL;
		if (*p == '@')
			at++;
		*p = (char)tolower((unsigned char)*p);
	}
	const char *sign = strchr(out, '@');
	if (at != 1 || sign == out || !sign[1] || !strchr(sign, '.') || sign[strlen(sign) - 1] == '.')
		return NULL;
	return out;
}
