/* waitlist.c - the waiting list routes (api/waitlist.h): short adapters over store/waitlist.h.
 * The customer's entry is reached by its id and a link token (an HMAC of the id under the
 * server's link key, store/secrets.h), so the link works from any message without a stored
 * secret; a wrong token answers 404 like an unknown id. */
#include "api/waitlist.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/auth.h"
#include "api/booking_json.h"
#include "api/common.h"
#include "api/live.h"
#include "api/staff_bookings.h"
#include "base/civil.h"
#include "core/tz.h"
#include "store/availability.h"
#include "store/booking.h"
#include "store/business.h"
#include "store/catalog.h"
#include "store/secrets.h"
#include "store/waitlist.h"

#define WAITLIST_MAX_DAYS 92
#define WAITLIST_LIST_MAX 1000

static const char *const PRIORITY_NAMES[] = {"high", "normal", "low"};

static json_t *instant_or_null(const tz *z, int64_t t)
{
	char s[TZ_RFC3339_SIZE];
	if (!t)
		return json_null();
	tz_format_rfc3339(z, t, s);
	return json_string(s);
}

/* An entry as its customer sees it (staff add the customer and priority). A new reference. */
static json_t *entry_json(const waitlist_entry *e, const tz *z, bool staff)
{
	bool offered = strcmp(e->status, "offered") == 0;
	json_t *o = json_pack("{s:s, s:s, s:s, s:s?, s:i, s:o, s:o, s:o, s:o}", "id", e->id, "status",
			      e->status, "service", e->service_id, "session", e->session_id, "seats",
			      e->seats, "start", instant_or_null(z, e->session_start), "end",
			      instant_or_null(z, e->session_end), "position",
			      e->position ? json_integer(e->position) : json_null(), "offer",
			      offered ? json_pack("{s:o}", "expires_at",
						  instant_or_null(z, e->offer_expires_at))
				      : json_null());
	json_object_set_new(o, "reference", e->reference ? json_string(e->reference) : json_null());
	if (!e->session_id) {
		char tf[16] = "", tt[16] = "";
		if (e->time_from >= 0)
			snprintf(tf, sizeof(tf), "%02d:%02d", e->time_from / 60, e->time_from % 60);
		if (e->time_to >= 0)
			snprintf(tt, sizeof(tt), "%02d:%02d", e->time_to / 60, e->time_to % 60);
		json_object_set_new(o, "window",
				    json_pack("{s:s?, s:s?, s:s?, s:s?, s:s?}", "from", e->window_from,
					      "to", e->window_to, "provider", e->provider_id,
					      "time_from", *tf ? tf : NULL, "time_to", *tt ? tt : NULL));
	}
	json_object_set_new(o, "created_at", instant_or_null(z, e->created_at));
	if (staff) {
		json_object_set_new(o, "priority", json_string(PRIORITY_NAMES[e->priority % 3]));
		json_object_set_new(o, "customer",
				    json_pack("{s:s, s:s, s:s, s:s}", "id", e->customer_id, "name",
					      e->customer_name, "email", e->customer_email, "phone",
					      e->customer_phone));
		json_object_set_new(o, "offers", json_integer(e->offers));
		json_object_set_new(o, "offer_hold",
				    offered && e->offer_hold_id ? json_string(e->offer_hold_id)
								: json_null());
	} else {
		json_object_set_new(o, "name", json_string(e->customer_name));
	}
	return o;
}

static const tz *answer_zone(http_req *r, const business *b)
{
	const char *z = http_query(r, "tz");
	const tz *zone = z && *z ? tz_get(z) : NULL;
	return zone ? zone : tz_get(b->timezone);
}

/* Tells booking pages and staff streams of a hold a waiting list write made or let go. */
static void publish_hold(db_conn *c, const business *b, const char *hold_id, bool created,
			 arena *a)
{
	booking h;
	if (!hold_id || store_booking_get(c, b->id, hold_id, false, a, &h) != STATUS_OK)
		return;
	live_booking_changed(c, b, h.provider_id, h.resource_id, h.busy_start, h.busy_end, a);
	live_booking_event(c, b, &h, created, NULL, a);
}

/* ---- public ---- */

/* Keeps of ss the sessions the engine offers but for their seats: none on a closure day,
 * none while their leader is off, none cancelled under their minimum (the engine's input
 * holds only open sessions). A full one kept can be waited for; the others could not be
 * booked, so the booking page must not offer their waiting list. */
static status sessions_offered(db_conn *c, const business *b, const service *svc, int64_t t0,
			       int64_t t1, int64_t now, arena *a, waitlist_session *ss, int *n)
{
	if (*n == 0)
		return STATUS_OK;
	avail_request req;
	status st = store_avail_load(c, b, svc, t0, t1, now, NULL, a, &req);
	if (st != STATUS_OK)
		return st;
	int kept = 0;
	for (int i = 0; i < *n; i++) {
		const avail_session *s = NULL;
		for (size_t k = 0; k < req.n_sessions && !s; k++)
			if (strcmp(req.sessions[k].id, ss[i].id) == 0)
				s = &req.sessions[k];
		if (s && avail_session_blocked(&req, s) == AVAIL_REASON_OFFERED)
			ss[kept++] = ss[i];
	}
	*n = kept;
	return STATUS_OK;
}

void waitlist_sessions_get(http_req *r)
{
	business b;
	db_conn *c = api_open_business(r, &b);
	if (!c)
		return;
	const char *sid = http_query(r, "service");
	const char *from = http_query(r, "from"), *to = http_query(r, "to");
	int64_t d0 = 0, d1 = 0;
	if (!sid || !*sid)
		http_field_error_add(r, "service", "is required");
	bool dates = true;
	if (!from || !civil_parse_date(from, strlen(from), &d0)) {
		http_field_error_add(r, "from", "must be a date YYYY-MM-DD");
		dates = false;
	}
	if (!to || !civil_parse_date(to, strlen(to), &d1)) {
		http_field_error_add(r, "to", "must be a date YYYY-MM-DD");
		dates = false;
	}
	if (dates && (d1 < d0 || d1 - d0 > WAITLIST_MAX_DAYS))
		http_field_error_add(r, "to", "must be from from to %d days after it", WAITLIST_MAX_DAYS);
	const char *zn = http_query(r, "tz");
	const tz *z = tz_get(zn && *zn ? zn : b.timezone);
	if (!z)
		http_field_error_add(r, "tz", "is not a known IANA time zone");
	service svc;
	status st = STATUS_OK;
	if (!r->nerrors) {
		st = store_service_get(c, b.id, sid, r->arena, &svc);
		if (st == STATUS_NOT_FOUND || (st == STATUS_OK && !svc.active)) {
			http_problem(r, STATUS_NOT_FOUND, "no such service");
			return;
		}
	}
	if (r->nerrors) {
		http_problem_query(r, "invalid sessions query");
		return;
	}
	waitlist_session *ss = NULL;
	int n = 0;
	int64_t t0 = tz_day_start(z, d0, NULL), t1 = tz_day_start(z, d1 + 1, NULL);
	if (st == STATUS_OK && svc.kind == SERVICE_CLASS)
		st = waitlist_sessions(c, b.id, svc.id, t0, t1, r->now, r->arena, &ss, &n);
	if (st == STATUS_OK)
		st = sessions_offered(c, &b, &svc, t0, t1, r->now, r->arena, ss, &n);
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	json_t *list = json_array();
	for (int i = 0; i < n; i++) {
		/* Sessions not yet begun only; a full one can be waited for. */
		if (ss[i].start <= r->now)
			continue;
		json_array_append_new(
			list, json_pack("{s:s, s:s?, s:o, s:o, s:i, s:i, s:i, s:b}", "id", ss[i].id,
					"provider", ss[i].provider_id, "start",
					instant_or_null(z, ss[i].start), "end", instant_or_null(z, ss[i].end),
					"capacity", ss[i].capacity, "seats_left", ss[i].seats_left,
					"waiting", ss[i].waiting, "waitlist", ss[i].seats_left == 0));
	}
	http_json_take(r, 200, json_pack("{s:s, s:s, s:o}", "service", svc.id, "tz", tz_name(z),
					 "sessions", list));
}

static const char *const JOIN_KEYS[] = {"session", "seats", "customer", "client", "service",
					"from", "to", "provider", "time_from", "time_to", NULL};

/* "HH:MM" of a day into minutes (24:00 allowed as an end); -1 with a field error otherwise. */
static int body_minutes(http_req *r, const json_t *body, const char *key)
{
	const char *v = booking_body_str(r, body, key, key, 5, false);
	if (!v)
		return -1;
	if (strlen(v) == 5 && v[2] == ':' && isdigit((unsigned char)v[0]) &&
	    isdigit((unsigned char)v[1]) && isdigit((unsigned char)v[3]) &&
	    isdigit((unsigned char)v[4])) {
		int h = (v[0] - '0') * 10 + (v[1] - '0'), m = (v[3] - '0') * 10 + (v[4] - '0');
		if (m < 60 && (h < 24 || (h == 24 && m == 0)))
			return h * 60 + m;
	}
	http_field_error_add(r, key, "must be a local time HH:MM");
	return -1;
}

/* The appointment part of a join: the service, its window of dates, a provider and times. */
static void read_window(http_req *r, const json_t *body, waitlist_join_rq *rq)
{
	rq->service_id = booking_body_str(r, body, "service", "service", 64, true);
	rq->window_from = booking_body_str(r, body, "from", "from", 10, true);
	rq->window_to = booking_body_str(r, body, "to", "to", 10, true);
	int64_t d0 = 0, d1 = 0;
	if (rq->window_from && !civil_parse_date(rq->window_from, strlen(rq->window_from), &d0))
		http_field_error_add(r, "from", "must be a date YYYY-MM-DD");
	else if (rq->window_to && !civil_parse_date(rq->window_to, strlen(rq->window_to), &d1))
		http_field_error_add(r, "to", "must be a date YYYY-MM-DD");
	else if (rq->window_from && rq->window_to && (d1 < d0 || d1 - d0 > WAITLIST_MAX_DAYS))
		http_field_error_add(r, "to", "must be from from to %d days after it", WAITLIST_MAX_DAYS);
	rq->provider_id = booking_body_str(r, body, "provider", "provider", 64, false);
	rq->time_from = body_minutes(r, body, "time_from");
	rq->time_to = body_minutes(r, body, "time_to");
	if ((rq->time_from >= 0) != (rq->time_to >= 0) && !r->nerrors)
		http_field_error_add(r, "time_to", "time_from and time_to go together");
	else if (rq->time_from >= 0 && rq->time_to <= rq->time_from)
		http_field_error_add(r, "time_to", "must be after time_from");
}
static const char *const JOIN_CUSTOMER_KEYS[] = {"name", "email", "phone", "timezone", "sms",
						 NULL};

void waitlist_join_post(http_req *r)
{
	json_t *body = http_body_json(r);
	if (!body)
		return;
	waitlist_join_rq rq = {.priority = WAITLIST_NORMAL, .actor = "customer", .seats = 1};
	booking_body_known(r, body, "", JOIN_KEYS);
	rq.time_from = rq.time_to = -1;
	if (json_object_get(body, "session") || !json_object_get(body, "service")) {
		rq.session_id = booking_body_str(r, body, "session", "session", 64, true);
		rq.seats = booking_body_seats(r, body);
		for (const char *const *k = JOIN_KEYS + 4; *k; k++)
			if (json_object_get(body, *k))
				http_field_error_add(r, *k, "is for an appointment service's list, "
							    "without a session");
	} else {
		read_window(r, body, &rq);
		if (json_object_get(body, "seats"))
			http_field_error_add(r, "seats", "an appointment list waits for one place");
	}
	const json_t *cust = json_object_get(body, "customer"); /* borrowed */
	if (!json_is_object(cust)) {
		http_field_error_add(r, "customer", "is required: {\"name\", \"email\", \"phone\"?}");
	} else {
		booking_body_known(r, cust, "customer", JOIN_CUSTOMER_KEYS);
		rq.customer_name = booking_body_str(r, cust, "name", "customer.name", 200, true);
		const char *email = booking_body_str(r, cust, "email", "customer.email", 254, true);
		if (email) {
			rq.customer_email = booking_email_normalise(r->arena, email);
			if (!rq.customer_email)
				http_field_error_add(r, "customer.email", "is not an email address");
		}
		rq.customer_phone = booking_body_str(r, cust, "phone", "customer.phone", 40, false);
		for (const char *p = rq.customer_phone; p && *p; p++)
			if (!strchr("0123456789 +-().", *p)) {
				http_field_error_add(r, "customer.phone",
						     "may hold only digits, spaces and + - ( ) .");
				break;
			}
		const json_t *sms = json_object_get(cust, "sms"); /* borrowed */
		if (sms && !json_is_boolean(sms))
			http_field_error_add(r, "customer.sms", "must be true or false");
		else if (sms)
			rq.sms_pref = json_is_true(sms) ? BOOK_SMS_YES : BOOK_SMS_NO;
		rq.customer_tz = booking_body_str(r, cust, "timezone", "customer.timezone", 64, false);
		if (rq.customer_tz && !tz_get(rq.customer_tz))
			http_field_error_add(r, "customer.timezone", "is not a known IANA time zone");
	}
	book_request client = {0};
	booking_body_client(r, body, &client);
	rq.client_addr = client.client_addr;
	rq.client_limits = client.client_limits;
	json_decref(body);
	if (r->nerrors) {
		http_problem(r, STATUS_INVALID, "invalid waiting list entry");
		return;
	}
	business b;
	db_conn *c = api_open_business(r, &b);
	if (!c)
		return;
	if (b.require_phone && (!rq.customer_phone || !*rq.customer_phone)) {
		http_field_error_add(r, "customer.phone", "is required by this business");
		http_problem(r, STATUS_INVALID, "invalid waiting list entry");
		return;
	}
	waitlist_entry e;
	bool existed = false;
	book_result res;
	status st = waitlist_join(c, &b, &rq, r->now, r->arena, &e, &existed, &res);
	if (st == STATUS_NOT_FOUND) {
		if (rq.session_id)
			http_field_error_add(r, "session", "no such class session");
		else
			http_field_error_add(r, "service", "no such appointment service");
		http_problem(r, STATUS_INVALID, "invalid waiting list entry");
		return;
	}
	if (st == STATUS_INVALID) {
		http_field_error_add(r, res.why && strstr(res.why, "provider") ? "provider" : "to",
				     "%s", res.why ? res.why : "is not valid");
		http_problem(r, STATUS_INVALID, "invalid waiting list entry");
		return;
	}
	if (st == STATUS_CONFLICT && !res.limit && res.reason == AVAIL_REASON_OFFERED) {
		/* Seats are free, or the customer is booked already: say so in words. */
		http_problem(r, STATUS_CONFLICT, "%s", res.why ? res.why : "not allowed");
		return;
	}
	if (st != STATUS_OK) {
		booking_answer_error(r, c, st, &res);
		return;
	}
	const char *tok;
	st = store_link_token(c, "waitlist", e.id, r->now, r->arena, &tok);
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	json_t *o = entry_json(&e, answer_zone(r, &b), false);
	json_object_set_new(o, "token", json_string(tok));
	json_object_set_new(o, "link", json_string(arena_printf(r->arena, "/w/%s?t=%s", e.id, tok)));
	http_json_take(r, existed ? 200 : 201, o);
}

/* The entry of {entry} when ?t= is its link token, with its business; otherwise answers 404
 * and returns false. */
static bool entry_auth(http_req *r, db_conn *c, business *b, waitlist_entry *e)
{
	const char *id = http_param(r, "entry");
	const char *bid = NULL;
	bool ok = id && waitlist_get(c, NULL, id, r->arena, e, &bid) == STATUS_OK &&
		  store_link_ok(c, "waitlist", e->id, http_query(r, "t"), r->now, r->arena) &&
		  store_business_by_id(c, bid, r->arena, b) == STATUS_OK;
	if (!ok)
		http_problem(r, STATUS_NOT_FOUND, "no such waiting list entry");
	return ok;
}

/* Answers the entry as it now is, with the business and the service's name. */
static void answer_entry(http_req *r, db_conn *c, const business *b, const char *id, int code)
{
	waitlist_entry e;
	service svc;
	status st = waitlist_get(c, b->id, id, r->arena, &e, NULL);
	if (st == STATUS_OK)
		st = store_service_get(c, b->id, e.service_id, r->arena, &svc);
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	json_t *o = entry_json(&e, answer_zone(r, b), false);
	json_object_set_new(o, "service_name", json_string(svc.name));
	json_object_set_new(o, "business",
			    json_pack("{s:s, s:s, s:s}", "slug", b->slug, "name", b->name, "timezone",
				      b->timezone));
	http_json_take(r, code, o);
}

void waitlist_public_get(http_req *r)
{
	db_conn *c = app_db(r);
	business b;
	waitlist_entry e;
	if (entry_auth(r, c, &b, &e))
		answer_entry(r, c, &b, e.id, 200);
}

/* Leave or decline: the entry, then the seat an offer held goes to the next. */
static void public_leave(http_req *r, bool decline)
{
	db_conn *c = app_db(r);
	business b;
	waitlist_entry e;
	if (!entry_auth(r, c, &b, &e))
		return;
	book_result res;
	memset(&res, 0, sizeof(res));
	status st = decline ? waitlist_decline(c, &b, e.id, r->now, r->arena)
			    : waitlist_leave(c, &b, e.id, "customer", false, NULL, r->now, r->arena,
					     &res);
	if (st == STATUS_CONFLICT && !res.why)
		res.why = decline ? "there is no live offer to decline" : "not allowed";
	if (st != STATUS_OK) {
		booking_answer_error(r, c, st, &res);
		return;
	}
	publish_hold(c, &b, e.offer_hold_id, false, r->arena);
	answer_entry(r, c, &b, e.id, 200);
}

void waitlist_public_leave(http_req *r)
{
	public_leave(r, false);
}

void waitlist_public_decline(http_req *r)
{
	public_leave(r, true);
}

void waitlist_public_accept(http_req *r)
{
	db_conn *c = app_db(r);
	business b;
	waitlist_entry e;
	if (!entry_auth(r, c, &b, &e))
		return;
	book_result res;
	status st = waitlist_accept(c, &b, e.id, r->now, r->arena, &res);
	if (st != STATUS_OK) {
		booking_answer_error(r, c, st, &res);
		return;
	}
	live_booking_changed(c, &b, res.b.provider_id, res.b.resource_id, res.b.busy_start,
			     res.b.busy_end, r->arena);
	live_booking_event(c, &b, &res.b, false, NULL, r->arena);
	json_t *o = booking_json_created(&res, &b, tz_get(b.timezone));
	json_object_set_new(o, "waitlist", json_string(e.id));
	http_json_take(r, 201, o);
}

/* ---- staff ---- */

/* The entry of {entry} in the business; answers 404 and returns false otherwise. */
static bool staff_entry(http_req *r, db_conn *c, const business *b, waitlist_entry *e)
{
	status st = waitlist_get(c, b->id, http_param(r, "entry"), r->arena, e, NULL);
	if (st == STATUS_NOT_FOUND)
		http_problem(r, st, "no such waiting list entry");
	else if (st != STATUS_OK)
		api_store_error(r, c, st);
	return st == STATUS_OK;
}

static void staff_answer(http_req *r, db_conn *c, const business *b, const char *id)
{
	waitlist_entry e;
	waitlist_event *ev;
	int nev = 0;
	status st = waitlist_get(c, b->id, id, r->arena, &e, NULL);
	if (st == STATUS_OK)
		st = waitlist_events(c, b->id, id, r->arena, &ev, &nev);
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	const tz *z = answer_zone(r, b);
	json_t *o = entry_json(&e, z, true);
	json_t *h = json_array();
	for (int i = 0; i < nev; i++)
		json_array_append_new(h, json_pack("{s:o, s:s, s:s, s:s?, s:s}", "at",
						   instant_or_null(z, ev[i].at), "actor", ev[i].actor,
						   "kind", ev[i].kind, "booking", ev[i].booking_id,
						   "reason", ev[i].reason));
	json_object_set_new(o, "history", h);
	http_json_take(r, 200, o);
}

static const char *const ENTRY_STATUSES[] = {"waiting", "offered", "booked", "declined",
					     "expired", "left", "removed", NULL};

void staff_waitlist_list(http_req *r)
{
	const char *session = http_query(r, "session");
	const char *st_ = http_query(r, "status");
	bool known = !st_ || !*st_;
	for (size_t i = 0; !known && ENTRY_STATUSES[i]; i++)
		known = strcmp(st_, ENTRY_STATUSES[i]) == 0;
	if (!known) {
		http_field_error_add(r, "status", "must be one of waiting, offered, booked, declined, "
						  "expired, left, removed");
		http_problem_query(r, "invalid waiting list query");
		return;
	}
	business b;
	db_conn *c = api_open_business(r, &b);
	if (!c)
		return;
	waitlist_entry *es;
	int n = 0;
	const char *svc_q = http_query(r, "service");
	status st = waitlist_list(c, b.id, session && *session ? session : NULL,
				  svc_q && *svc_q ? svc_q : NULL, false, st_ && *st_ ? st_ : NULL,
				  WAITLIST_LIST_MAX, r->arena, &es, &n);
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	const tz *z = answer_zone(r, &b);
	json_t *list = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(list, entry_json(&es[i], z, true));
	http_json_take(r, 200, json_pack("{s:o}", "entries", list));
}

void staff_waitlist_get(http_req *r)
{
	business b;
	db_conn *c = api_open_business(r, &b);
	if (!c)
		return;
	waitlist_entry e;
	if (staff_entry(r, c, &b, &e))
		staff_answer(r, c, &b, e.id);
}

static const char *const PATCH_KEYS[] = {"priority", "position", NULL};

void staff_waitlist_patch(http_req *r)
{
	json_t *body = http_body_json(r);
	if (!body)
		return;
	booking_body_known(r, body, "", PATCH_KEYS);
	int priority = -1, position = 0;
	const json_t *p = json_object_get(body, "priority"); /* borrowed */
	if (p) {
		for (int i = 0; i < 3 && json_is_string(p); i++)
			if (strcmp(json_string_value(p), PRIORITY_NAMES[i]) == 0)
				priority = i;
		if (priority < 0)
			http_field_error_add(r, "priority", "must be high, normal or low");
	}
	const json_t *pos = json_object_get(body, "position"); /* borrowed */
	if (pos && (!json_is_integer(pos) || json_integer_value(pos) < 1 ||
		    json_integer_value(pos) > 100000))
		http_field_error_add(r, "position", "must be a whole number from 1");
	else if (pos)
		position = (int)json_integer_value(pos);
	if (!p && !pos)
		http_field_error_add(r, "priority", "priority or position is required");
	json_decref(body);
	if (r->nerrors) {
		http_problem(r, STATUS_INVALID, "invalid waiting list change");
		return;
	}
	business b;
	db_conn *c = api_open_business(r, &b);
	if (!c)
		return;
	waitlist_entry e;
	if (!staff_entry(r, c, &b, &e))
		return;
	status st = waitlist_update(c, &b, e.id, priority, position, staff_actor(r), r->now,
				    r->arena);
	if (st == STATUS_CONFLICT)
		http_problem(r, st, "only a waiting entry can change its place");
	else if (st != STATUS_OK)
		api_store_error(r, c, st);
	else
		staff_answer(r, c, &b, e.id);
}

void staff_waitlist_delete(http_req *r)
{
	const char *reason = http_query(r, "reason");
	business b;
	db_conn *c = api_open_business(r, &b);
	if (!c)
		return;
	waitlist_entry e;
	if (!staff_entry(r, c, &b, &e))
		return;
	book_result res;
	status st = waitlist_leave(c, &b, e.id, staff_actor(r), true, reason, r->now, r->arena,
				   &res);
	if (st != STATUS_OK) {
		booking_answer_error(r, c, st, &res);
		return;
	}
	publish_hold(c, &b, e.offer_hold_id, false, r->arena);
	staff_answer(r, c, &b, e.id);
}

static const char *const OFFER_KEYS[] = {"start", "provider", NULL};

void staff_waitlist_offer(http_req *r)
{
	json_t *body = r->body_len ? http_body_json(r) : json_object();
	if (!body)
		return;
	booking_body_known(r, body, "", OFFER_KEYS);
	int64_t start = 0;
	bool has_start = booking_body_instant(r, body, "start", false, &start) && start;
	const char *who = booking_body_str(r, body, "provider", "provider", 64, false);
	json_decref(body); /* booking_body_str copies into the arena */
	if (r->nerrors) {
		http_problem(r, STATUS_INVALID, "invalid offer");
		return;
	}
	business b;
	db_conn *c = api_open_business(r, &b);
	if (!c)
		return;
	waitlist_entry e;
	if (!staff_entry(r, c, &b, &e))
		return;
	if (!e.session_id && !has_start) {
		http_field_error_add(r, "start", "is required on an appointment list: the time offered");
		http_problem(r, STATUS_INVALID, "invalid offer");
		return;
	}
	book_result res;
	status st = waitlist_offer_now(c, &b, e.id, start, who, staff_actor(r), r->now,
				       r->arena, &res);
	if (st != STATUS_OK) {
		booking_answer_error(r, c, st, &res);
		return;
	}
	waitlist_entry now;
	if (waitlist_get(c, b.id, e.id, r->arena, &now, NULL) == STATUS_OK)
		publish_hold(c, &b, now.offer_hold_id, true, r->arena);
	staff_answer(r, c, &b, e.id);
}

void staff_waitlist_stats(http_req *r)
{
	business b;
	db_conn *c = api_open_business(r, &b);
	if (!c)
		return;
	const tz *z = tz_get(b.timezone);
	int64_t from = 0, to = 0;
	bool has_from = false, has_to = false;
	bool ok = staff_query_time(r, "from", z, false, &from, &has_from);
	ok = staff_query_time(r, "to", z, true, &to, &has_to) && ok;
	if (!has_to)
		to = r->now;
	if (!has_from)
		from = to - 30 * 86400;
	if (ok && to <= from) {
		http_field_error_add(r, "to", "must be after from");
		ok = false;
	}
	if (!ok) {
		http_problem_query(r, "invalid waiting list figures query");
		return;
	}
	waitlist_stats w;
	status st = waitlist_stats_get(c, b.id, from, to, &w);
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	json_t *o = json_pack("{s:o, s:o, s:I, s:I, s:I, s:I, s:{s:I, s:I, s:I, s:I}}", "from",
			      instant_or_null(z, from), "to", instant_or_null(z, to), "joined",
			      (json_int_t)w.joined, "offered", (json_int_t)w.offered, "booked",
			      (json_int_t)w.booked, "waiting", (json_int_t)w.waiting, "offers", "made",
			      (json_int_t)w.offers, "accepted", (json_int_t)w.accepted, "declined",
			      (json_int_t)w.declined, "expired", (json_int_t)w.expired);
	/* Conversion: the share of entries joined in the range that ended booked. */
	json_object_set_new(o, "conversion",
			    w.joined ? json_real((double)w.booked / (double)w.joined) : json_null());
	http_json_take(r, 200, o);
}

void staff_waitlist_settings_get(http_req *r)
{
	business b;
	db_conn *c = api_open_business(r, &b);
	if (!c)
		return;
	int64_t s = 0;
	status st = waitlist_offer_s_get(c, b.id, &s);
	if (st != STATUS_OK)
		api_store_error(r, c, st);
	else
		http_json_take(r, 200, json_pack("{s:I}", "offer_s", (json_int_t)s));
}

static const char *const SETTINGS_KEYS[] = {"offer_s", NULL};

void staff_waitlist_settings_patch(http_req *r)
{
	json_t *body = http_body_json(r);
	if (!body)
		return;
	booking_body_known(r, body, "", SETTINGS_KEYS);
	const json_t *v = json_object_get(body, "offer_s"); /* borrowed */
	int64_t s = 0;
	if (!json_is_integer(v) || json_integer_value(v) < WAITLIST_OFFER_S_MIN ||
	    json_integer_value(v) > WAITLIST_OFFER_S_MAX)
		http_field_error_add(r, "offer_s", "must be whole seconds from %d to %d",
				     WAITLIST_OFFER_S_MIN, WAITLIST_OFFER_S_MAX);
	else
		s = json_integer_value(v);
	json_decref(body);
	if (r->nerrors) {
		http_problem(r, STATUS_INVALID, "invalid waiting list settings");
		return;
	}
	business b;
	db_conn *c = api_open_business(r, &b);
	if (!c)
		return;
	status st = waitlist_offer_s_set(c, b.id, s);
	if (st != STATUS_OK)
		api_store_error(r, c, st);
	else
		http_json_take(r, 200, json_pack("{s:I}", "offer_s", (json_int_t)s));
}
