/* series.c - recurring series over HTTP: the preview and the booking (public and staff),
 * a booking's series and cancelling it from that occurrence on. Every occurrence is booked
 * by store/series.c through store/book.c's booking path; this file only reads and answers. */
#include <stdlib.h>
#include <string.h>

#include "api/app.h"
#include "api/auth.h"
#include "api/booking_json.h"
#include "api/common.h"
#include "api/live.h"
#include "api/series.h"
#include "api/slowdown.h"
#include "api/staff_bookings.h"
#include "base/civil.h"
#include "store/booking_query.h"
#include "store/series.h"

static const char *const SERIES_KEYS[] = {"service", "start",  "end",    "provider",
					  "seats",   "customer", "notes", "client",
					  "repeat",  "policy", "shift_limit_minutes", "source",
					  "notify",  "package", "hold", NULL};
static const char *const REPEAT_KEYS[] = {"every_weeks", "count", "until", NULL};
static const char *const CUSTOMER_KEYS[] = {"name", "email", "phone", "timezone", "sms", NULL};

/* Reads an optional whole number field in [lo, hi] (def when absent). */
static int64_t body_int(http_req *r, const json_t *o, const char *key, const char *path,
			int64_t lo, int64_t hi, int64_t def)
{
	const json_t *v = json_object_get(o, key); /* borrowed */
	if (!v || json_is_null(v))
		return def;
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi) {
		http_field_error_add(r, path, "must be a whole number from %lld to %lld",
				     (long long)lo, (long long)hi);
		return def;
	}
	return json_integer_value(v);
}

/* Reads the series fields of body into sr; the customer is required unless preview. staff:
 * the staff fields (source, notify, package) are allowed. False when the answer is sent. */
static bool read_series(http_req *r, json_t *body, bool preview, bool staff, series_request *sr)
{
	book_request *rq = &sr->one;
	booking_body_known(r, body, "", SERIES_KEYS);
	rq->service_id = booking_body_str(r, body, "service", "service", 64, true);
	rq->hold_id = booking_body_str(r, body, "hold", "hold", 64, false);
	booking_body_instant(r, body, "start", true, &rq->start);
	booking_body_instant(r, body, "end", false, &rq->end);
	rq->provider_id = booking_body_str(r, body, "provider", "provider", 64, false);
	rq->seats = booking_body_seats(r, body);
	booking_body_span(r, rq->start, rq->end);
	rq->notes = booking_body_notes(r, body, "notes", "notes", 2000);
	const json_t *rep = json_object_get(body, "repeat"); /* borrowed */
	if (!json_is_object(rep)) {
		http_field_error_add(r, "repeat", "is required: {\"every_weeks\", \"count\" | \"until\"}");
	} else {
		booking_body_known(r, rep, "repeat", REPEAT_KEYS);
		sr->rule.every_weeks = (int)body_int(r, rep, "every_weeks", "repeat.every_weeks", 1,
						     SERIES_EVERY_MAX, 1);
		sr->rule.count = (int)body_int(r, rep, "count", "repeat.count", 1, SERIES_MAX, 0);
		const char *until = booking_body_str(r, rep, "until", "repeat.until", 10, false);
		if (until && !civil_parse_date(until, strlen(until), &sr->rule.until_day))
			http_field_error_add(r, "repeat.until", "must be a date YYYY-MM-DD");
		if (!until == !sr->rule.count)
			http_field_error_add(r, "repeat", "give exactly one of count and until");
	}
	const char *policy = booking_body_str(r, body, "policy", "policy", 16, false);
	if (!policy)
		sr->policy = SERIES_FAIL;
	else if (!series_policy_parse(policy, &sr->policy))
		http_field_error_add(r, "policy", "must be fail, skip or shift");
	sr->shift_limit_s = 60 * body_int(r, body, "shift_limit_minutes", "shift_limit_minutes", 0,
					  SERIES_SHIFT_MAX_S / 60, 60);
	const json_t *cust = json_object_get(body, "customer"); /* borrowed */
	if (!json_is_object(cust)) {
		if (!preview)
			http_field_error_add(r, "customer", "is required: {\"name\", \"email\", \"phone\"?}");
	} else {
		booking_body_known(r, cust, "customer", CUSTOMER_KEYS);
		rq->customer_name = booking_body_str(r, cust, "name", "customer.name", 200, !preview);
		const char *email = booking_body_str(r, cust, "email", "customer.email", 254, !preview);
		if (email && !(rq->customer_email = booking_email_normalise(r->arena, email)))
			http_field_error_add(r, "customer.email", "is not an email address");
		rq->customer_phone = booking_body_str(r, cust, "phone", "customer.phone", 40, false);
		for (const char *p = rq->customer_phone; p && *p; p++)
			if (!strchr("0123456789 +-().", *p)) {
				http_field_error_add(r, "customer.phone",
						     "may hold only digits, spaces and + - ( ) .");
				break;
			}
		rq->customer_tz = booking_body_str(r, cust, "timezone", "customer.timezone", 64, false);
		if (rq->customer_tz && !tz_get(rq->customer_tz))
			http_field_error_add(r, "customer.timezone", "is not a known IANA time zone");
		const json_t *sms = json_object_get(cust, "sms"); /* borrowed */
		if (sms && !json_is_boolean(sms))
			http_field_error_add(r, "customer.sms", "must be true or false");
		else if (sms)
			rq->sms_pref = json_is_true(sms) ? BOOK_SMS_YES : BOOK_SMS_NO;
	}
	if (staff) {
		rq->source = booking_body_str(r, body, "source", "source", 16, false);
		if (!rq->source)
			rq->source = "admin";
		else if (strcmp(rq->source, "phone") != 0 && strcmp(rq->source, "walk_in") != 0 &&
			 strcmp(rq->source, "admin") != 0)
			http_field_error_add(r, "source", "must be phone, walk_in or admin");
		const json_t *v = json_object_get(body, "notify"); /* borrowed */
		if (v && !json_is_boolean(v) && !json_is_null(v))
			http_field_error_add(r, "notify", "must be true or false");
		rq->quiet = json_is_false(v);
		rq->package_id = booking_body_str(r, body, "package", "package", 64, false);
	} else {
		if (json_object_get(body, "source") || json_object_get(body, "notify") ||
		    json_object_get(body, "package"))
			http_field_error_add(r, "source", "source, notify and package are staff fields");
		rq->source = "web";
		booking_body_client(r, body, rq);
	}
	if (r->nerrors) {
		http_problem(r, STATUS_INVALID, "invalid series");
		return false;
	}
	return true;
}

static json_t *instant(const tz *z, int64_t t)
{
	char s[TZ_RFC3339_SIZE];
	tz_format_rfc3339(z, t, s);
	return json_string(s);
}

/* The series as the API shows it (new reference). */
static json_t *series_json(const series_result *s, const business *b, const tz *z, bool preview)
{
	json_t *occ = json_array();
	for (int i = 0; i < s->n; i++) {
		const series_item *it = &s->items[i];
		bool taken = it->start != 0;
		/* json_pack's "o" steals each new value. */
		json_t *o = json_pack("{s:i, s:o, s:b, s:s, s:b}", "seq", it->seq, "wanted_start",
				      instant(z, it->wanted), "free", taken, "reason", it->reason,
				      "shifted", it->shifted);
		if (taken) {
			json_object_set_new(o, "start", instant(z, it->start));
			json_object_set_new(o, "end", instant(z, it->end));
			if (it->provider_id)
				json_object_set_new(o, "provider", json_string(it->provider_id));
		}
		if (it->reference) {
			json_object_set_new(o, "reference", json_string(it->reference));
			json_object_set_new(o, "status", json_string(booking_status_name(it->status)));
		}
		json_array_append_new(occ, o);
	}
	json_t *rep = json_pack("{s:i}", "every_weeks", s->rule.every_weeks);
	if (s->rule.count)
		json_object_set_new(rep, "count", json_integer(s->rule.count));
	else {
		char d[11];
		civil_format_date(s->rule.until_day, d);
		json_object_set_new(rep, "until", json_string(d));
	}
	json_t *o = json_pack("{s:s?, s:s, s:s, s:o, s:s, s:I, s:i, s:o}", "id", s->id, "service",
			      s->svc.id, "service_name", s->svc.name, "repeat", rep, "policy",
			      series_policy_name(s->policy), "shift_limit_minutes",
			      (json_int_t)(s->shift_limit_s / 60), "booked", s->booked,
			      "occurrences", occ);
	json_object_set_new(o, "timezone", json_string(b->timezone));
	if (preview)
		json_object_set_new(o, "preview", json_true());
	if (s->manage_token)
		json_object_set_new(o, "manage_token", json_string(s->manage_token));
	return o;
}

/* Answers a failed series_book: a policy refusal is 409 with the occurrences and their
 * reasons, a limit 429, a bad rule 422 naming its field. */
static void answer_error(http_req *r, db_conn *c, const business *b, status st,
			 const series_result *s)
{
	if (st == STATUS_CONFLICT && s->limit) {
		book_result res = {.limit = s->limit, .why = s->why, .retry_after = s->retry_after};
		booking_answer_error(r, c, st, &res);
	} else if (st == STATUS_CONFLICT && s->n > 0) {
		json_t *p = series_json(s, b, tz_get(b->timezone), false);
		json_object_del(p, "id");
		/* json_object_set_new steals each value. */
		json_object_set_new(p, "type", json_string("/problems/series-not-free"));
		json_object_set_new(p, "title", json_string("Conflict"));
		json_object_set_new(p, "status", json_integer(409));
		json_object_set_new(p, "detail", json_string(s->why ? s->why : "not free"));
		json_object_set_new(p, "instance", json_string(r->path));
		json_object_set_new(p, "request_id", json_string(r->request_id));
		http_json_take(r, 409, p);
		r->content_type = "application/problem+json";
		r->result = STATUS_CONFLICT;
	} else if (st == STATUS_NOT_FOUND) {
		http_field_error_add(r, "service", "no such service");
		http_problem(r, STATUS_INVALID, "invalid series");
	} else if (st == STATUS_INVALID) {
		http_field_error_add(r, strstr(s->why ? s->why : "", "shift") ? "shift_limit_minutes"
					: strstr(s->why ? s->why : "", "email") ? "repeat"
										 : "repeat",
				     "%s", s->why ? s->why : "is not valid");
		http_problem(r, STATUS_INVALID, "%s", s->why ? s->why : "invalid series");
	} else if (st == STATUS_CONFLICT) {
		http_problem(r, st, "%s", s->why ? s->why : "not allowed");
	} else {
		api_store_error(r, c, st);
	}
}

/* The stored answer of a booked series (the same text the live answer has). */
static char *render_booked(const series_result *s, const business *b, arena *a)
{
	json_t *o = series_json(s, b, tz_get(b->timezone), false);
	char *text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	char *out = text ? arena_strdup(a, text) : NULL;
	free(text);
	return out;
}

/* Publishes the time every booked occurrence took (or freed). */
static void publish(db_conn *c, const business *b, const series_result *s, bool created,
		    arena *a)
{
	for (int i = 0; i < s->n; i++) {
		const series_item *it = &s->items[i];
		if (!it->booking_id)
			continue;
		booking bk;
		if (store_booking_get(c, b->id, it->booking_id, false, a, &bk) != STATUS_OK)
			continue;
		live_booking_changed(c, b, bk.provider_id, bk.resource_id, bk.busy_start,
				     bk.busy_end, a);
		live_booking_event(c, b, &bk, created, NULL, a);
	}
}

/* Preview or book, for the public or staff. */
static void series_run(http_req *r, bool preview, bool staff)
{
	const char *key = preview ? NULL : http_header(r, "Idempotency-Key");
	if (key && (!*key || strlen(key) > 200)) {
		http_field_error_add(r, "Idempotency-Key", "must be 1 to 200 characters");
		http_problem(r, STATUS_INVALID, "invalid Idempotency-Key");
		return;
	}
	const char *hash = key ? api_body_hash(r) : NULL;
	json_t *body = http_body_json(r);
	if (!body)
		return;
	series_request sr = {.one = {.seats = 1, .actor = staff ? staff_actor(r) : "customer"}};
	bool ok = read_series(r, body, preview, staff, &sr);
	json_decref(body);
	if (!ok)
		return;
	sr.dry = preview;
	business b;
	db_conn *c;
	if (staff) {
		const principal *p = auth_principal(r);
		if (p && p->role < ROLE_ADMIN) {
			if (!p->provider_id || (sr.one.provider_id &&
						strcmp(sr.one.provider_id, p->provider_id) != 0)) {
				http_problem(r, STATUS_FORBIDDEN,
					     "staff book only for their own provider");
				return;
			}
			sr.one.provider_id = p->provider_id;
		}
		c = auth_open(r, &b);
	} else {
		c = api_open_business(r, &b);
	}
	if (!c)
		return;
	if (!staff && !preview && b.require_phone &&
	    (!sr.one.customer_phone || !*sr.one.customer_phone)) {
		http_field_error_add(r, "customer.phone", "is required by this business");
		http_problem(r, STATUS_INVALID, "invalid series");
		return;
	}
	if (key && api_idem_replay(r, c, &b, key, hash))
		return;
	series_idem idem = {.key = key, .request_hash = hash, .render = render_booked};
	sr.idem = key ? &idem : NULL;
	series_result *s = arena_alloc(r->arena, sizeof(*s));
	status st = series_book(c, &b, &sr, r->now, r->arena, s);
	if (st == STATUS_CONFLICT && key && s->why && strcmp(s->why, "idempotency") == 0 &&
	    api_idem_replay(r, c, &b, key, hash))
		return;
	if (st != STATUS_OK) {
		answer_error(r, c, &b, st, s);
		return;
	}
	if (!preview)
		publish(c, &b, s, true, r->arena);
	const char *z = http_query(r, "tz");
	const tz *zone = z && *z && tz_get(z) ? tz_get(z) : tz_get(b.timezone);
	http_json_take(r, preview ? 200 : 201, series_json(s, &b, zone, preview));
}

static void public_preview_now(http_req *r, void *arg)
{
	(void)arg;
	series_run(r, true, false);
}

static void public_post_now(http_req *r, void *arg)
{
	(void)arg;
	series_run(r, false, false);
}

void series_public_preview(http_req *r)
{
	public_preview_now(r, NULL);
}

void series_public_post(http_req *r)
{
	if (!slowdown_gate(r, public_post_now))
		public_post_now(r, NULL);
}

void series_staff_preview(http_req *r)
{
	series_run(r, true, true);
}

void series_staff_post(http_req *r)
{
	series_run(r, false, true);
}

/* Answers the series of booking id (404 when it has none). */
static void answer_series(http_req *r, db_conn *c, const business *b, const char *id)
{
	const char *sid;
	series_result *s = arena_alloc(r->arena, sizeof(*s));
	status st = series_of_booking(c, b->id, id, r->arena, &sid);
	if (st == STATUS_OK)
		st = series_get(c, b, sid, r->arena, s);
	if (st == STATUS_NOT_FOUND) {
		http_problem(r, st, "the booking is not part of a series");
		return;
	}
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	const char *z = http_query(r, "tz");
	const tz *zone = z && *z && tz_get(z) ? tz_get(z) : tz_get(b->timezone);
	http_json_take(r, 200, series_json(s, b, zone, false));
}

/* Cancels booking id's series from it on and answers the series. */
static void cancel_rest(http_req *r, db_conn *c, const business *b, const char *id,
			const char *actor, bool by_customer)
{
	json_t *body = r->body_len ? http_body_json(r) : json_object();
	if (!body)
		return;
	static const char *const keys[] = {"reason", "notify", NULL};
	booking_body_known(r, body, "", keys);
	const char *reason = booking_body_str(r, body, "reason", "reason", 500, false);
	const json_t *v = json_object_get(body, "notify"); /* borrowed */
	if (v && (by_customer || (!json_is_boolean(v) && !json_is_null(v))))
		http_field_error_add(r, "notify", by_customer ? "is a staff field"
							       : "must be true or false");
	bool quiet = json_is_false(v);
	json_decref(body);
	if (r->nerrors) {
		http_problem(r, STATUS_INVALID, "invalid request");
		return;
	}
	const char *sid;
	status st = series_of_booking(c, b->id, id, r->arena, &sid);
	if (st == STATUS_NOT_FOUND) {
		http_problem(r, st, "the booking is not part of a series");
		return;
	}
	series_result *s = arena_alloc(r->arena, sizeof(*s));
	int n = 0;
	if (st == STATUS_OK)
		st = series_cancel_from(c, b, sid, id, actor, reason ? reason : "", by_customer,
					quiet, r->now, r->arena, &n, s);
	if (st == STATUS_CONFLICT || st == STATUS_INVALID) {
		http_problem(r, st, "%s", s->why ? s->why : "not allowed");
		return;
	}
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	if (quiet)
		auth_audit_note(r, "customer not notified");
	publish(c, b, s, false, r->arena);
	const char *z = http_query(r, "tz");
	const tz *zone = z && *z && tz_get(z) ? tz_get(z) : tz_get(b->timezone);
	json_t *o = series_json(s, b, zone, false);
	json_object_set_new(o, "cancelled", json_integer(n)); /* steals */
	http_json_take(r, 200, o);
}

void series_manage_get(http_req *r)
{
	db_conn *c = app_db(r);
	business b;
	booking bk;
	if (c && booking_manage_auth(r, c, &b, &bk))
		answer_series(r, c, &b, bk.id);
}

void series_manage_cancel(http_req *r)
{
	db_conn *c = app_db(r);
	business b;
	booking bk;
	if (c && booking_manage_auth(r, c, &b, &bk))
		cancel_rest(r, c, &b, bk.id, "customer", true);
}

/* The booking named by {booking} as the staff caller may see it, or false (answered). */
static bool staff_booking(http_req *r, db_conn **c, business *b, booking_row *row)
{
	*c = app_db(r);
	if (!*c || !auth_business(r, *c, b))
		return false;
	const char *id = http_param(r, "booking");
	status st = store_booking_row(*c, b->id, id ? id : "", staff_visible_to(r), r->arena, row);
	if (st == STATUS_NOT_FOUND)
		http_problem(r, st, "no such booking");
	else if (st != STATUS_OK)
		api_store_error(r, *c, st);
	return st == STATUS_OK;
}

void series_staff_get(http_req *r)
{
	db_conn *c;
	business b;
	booking_row row;
	if (staff_booking(r, &c, &b, &row))
		answer_series(r, c, &b, row.b.id);
}

void series_staff_cancel(http_req *r)
{
	db_conn *c;
	business b;
	booking_row row;
	if (staff_booking(r, &c, &b, &row))
		cancel_rest(r, c, &b, row.b.id, staff_actor(r), false);
}
