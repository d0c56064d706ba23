/* staff_booking_list.c - staff reads of bookings: the filtered, paged list, one booking in
 * full, and the CSV export of a range. */
#include <stdlib.h>
#include <string.h>

#include "api/app.h"
#include "api/auth.h"
#include "api/booking_json.h"
#include "api/calendar_connections.h"
#include "api/common.h"
#include "api/csv.h"
#include "api/referral.h"
#include "api/staff_bookings.h"
#include "base/civil.h"
#include "store/pricing.h"
#include "store/booking.h"
#include "store/catalog.h"
#include "store/customer.h"
#include "store/notify_admin.h"
#include "store/remind.h"
#include "core/policy.h"

#define LIST_DEFAULT 50
#define LIST_MAX 200
/* The longest CSV export, in days. */
#define CSV_MAX_DAYS 366
/* The largest CSV answer. */
#define CSV_MAX_BYTES (12u << 20)

const char *staff_visible_to(const http_req *r)
{
	const principal *p = auth_principal(r);
	if (!p || p->role >= ROLE_ADMIN)
		return NULL;
	/* Provider ids never hold a control character: this one matches no booking. */
	return p->provider_id ? p->provider_id : "\x01";
}

const char *staff_actor(const http_req *r)
{
	const principal *p = auth_principal(r);
	return arena_printf(r->arena, "staff:%s", p && p->user_id ? p->user_id : "unknown");
}

static json_t *instant_json(const tz *zone, int64_t t)
{
	char s[TZ_RFC3339_SIZE];
	tz_format_rfc3339(zone, t, s);
	return json_string(s);
}

/* {"id", "name"} or null. A new reference. */
static json_t *named(const char *id, const char *name)
{
	if (!id)
		return json_null();
	return json_pack("{s:s, s:s?}", "id", id, "name", name);
}

json_t *staff_booking_item(const booking_row *row, const tz *zone)
{
	const booking *b = &row->b;
	json_t *svc = named(b->service_id, row->service_name);
	if (row->service_kind)
		json_object_set_new(svc, "kind", json_string(row->service_kind)); /* steals */
	/* The customer's own zone (messages are written in it) when they gave one. */
	return json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:i, "
			 "s:{s:s?, s:s, s:s, s:s, s:s?}, s:s, s:o, s:o, s:s}",
			 "id", b->id, "reference", b->reference, "status",
			 booking_status_name(b->status), "service", svc, "provider",
			 named(b->provider_id, row->provider_name), "resource",
			 named(b->resource_id, row->resource_name), "start",
			 instant_json(zone, b->start_at), "end", instant_json(zone, b->end_at),
			 "seats", b->seats, "customer", "id", b->customer_id, "name",
			 b->customer_name, "email", b->customer_email, "phone", b->customer_phone,
			 "timezone", b->customer_tz, "source", b->source, "price", api_money(b->price_minor, b->currency),
			 "created_at", instant_json(zone, b->created_at), "referral", b->referral);
}

/* The most messages a booking's detail lists (newest first). */
#define DETAIL_MESSAGES_MAX 100

/* The booking's messages (outbox rows) with their delivery, newest first: a new array,
 * empty when they cannot be read (the booking itself is still answered). */
static json_t *messages_json(http_req *r, db_conn *c, const business *b, const char *id,
			     const tz *zone)
{
	notify_row *v = NULL;
	int n = 0;
	json_t *list = json_array();
	if (notify_history(c, b->id, id, NULL, NULL, DETAIL_MESSAGES_MAX, r->arena, &v, &n) !=
	    STATUS_OK)
		return list;
	for (int i = 0; i < n; i++)
		json_array_append_new(
			list, json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:o, s:o, s:o}", "id",
					v[i].id, "event", v[i].event, "channel", v[i].channel,
					"recipient", v[i].recipient, "status", v[i].status,
					"attempts", v[i].attempts, "last_error", v[i].last_error,
					"created_at", instant_json(zone, v[i].created_at), "due_at",
					instant_json(zone, v[i].due_at), "sent_at",
					v[i].sent_at ? instant_json(zone, v[i].sent_at) : json_null()));
	/* Its reminders still to come are written only when due (store/remind): computed. */
	if (remind_planned(c, b->id, id, NULL, r->now, DETAIL_MESSAGES_MAX, r->arena, &v, &n) !=
	    STATUS_OK)
		n = 0;
	for (int i = 0; i < n; i++)
		json_array_append_new(
			list, json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:o, s:o, s:n, s:b}",
					"id", v[i].id, "event", v[i].event, "channel", v[i].channel,
					"recipient", v[i].recipient, "status", v[i].status,
					"attempts", 0, "last_error", "", "created_at",
					instant_json(zone, v[i].created_at), "due_at",
					instant_json(zone, v[i].due_at), "sent_at", "planned", true));
	return list;
}

/* What cancelling now means: whether the customer could still cancel themselves and what
 * the service's refund tiers would give them, beside the staff cancel (a full refund). */
static json_t *cancel_terms(const service *svc, const booking *bk, int64_t now)
{
	policy_refunds tiers;
	if (policy_refunds_parse(svc->refund_tiers, &tiers) != STATUS_OK)
		tiers.n = 0;
	int percent = 100;
	int64_t refund = policy_refund(&tiers, bk->start_at, now, bk->price_minor, &percent);
	bool may = policy_in_time(bk->start_at, now, svc->cancel_until_s);
	return json_pack("{s:b, s:o, s:i, s:o}", "customer_may_cancel", may, "customer_refund",
			 api_money(may ? refund : 0, bk->currency), "customer_refund_percent",
			 may ? percent : 0, "staff_refund", api_money(bk->price_minor, bk->currency));
}

void staff_booking_answer(http_req *r, db_conn *c, const business *b, const char *id, int code,
			  json_t *extra_take)
{
	booking_row row;
	service svc;
	booking_event *ev = NULL;
	int nev = 0;
	status st = store_booking_row(c, b->id, id, staff_visible_to(r), r->arena, &row);
	if (st == STATUS_OK)
		st = store_service_get(c, b->id, row.b.service_id, r->arena, &svc);
	if (st == STATUS_OK)
		st = store_booking_events(c, b->id, row.b.id, r->arena, &ev, &nev);
	if (st != STATUS_OK) {
		json_decref(extra_take);
		if (st == STATUS_NOT_FOUND)
			http_problem(r, st, "no such booking");
		else
			api_store_error(r, c, st);
		return;
	}
	const char *zname = http_query(r, "tz");
	const tz *zone = zname && *zname ? tz_get(zname) : NULL;
	if (!zone)
		zone = tz_get(b->timezone);
	const booking *bk = &row.b;
	json_t *o = booking_json_full(bk, &svc, b, zone, ev, nev);
	/* Staff see more than the customer: ids, names, where it came from, what it cost. */
	json_object_set_new(o, "id", json_string(bk->id));
	json_object_set_new(o, "source", json_string(bk->source));
	json_object_set_new(o, "referral", json_string(bk->referral ? bk->referral : ""));
	json_object_set_new(o, "provider", named(bk->provider_id, row.provider_name));
	json_object_set_new(o, "resource", named(bk->resource_id, row.resource_name));
	json_t *cust = json_object_get(o, "customer"); /* borrowed */
	json_object_set_new(cust, "id", bk->customer_id ? json_string(bk->customer_id) : json_null());
	json_object_set_new(cust, "timezone", bk->customer_tz ? json_string(bk->customer_tz)
							      : json_null());
	json_t *svc_o = json_object_get(o, "service"); /* borrowed */
	if (json_is_object(svc_o))
		json_object_set_new(svc_o, "kind", json_string(service_kind_name(svc.kind)));
	customer_profile prof;
	if (bk->customer_id &&
	    store_customer_get(c, b->id, bk->customer_id, NULL, r->arena, &prof) == STATUS_OK) {
		/* The profile as it is now beside the details typed for this booking. */
		json_object_set_new(cust, "differs", booking_json_differs(bk, prof.name, prof.phone));
		json_object_set_new(cust, "profile", json_pack("{s:s, s:s}", "name", prof.name,
							       "phone", prof.phone));
	}
	json_object_set_new(o, "created_at", instant_json(zone, bk->created_at));
	json_object_set_new(o, "updated_at", instant_json(zone, bk->updated_at));
	json_t *breakdown = NULL; /* owned, stolen below: dynamic pricing's frozen lines */
	if (store_booking_price_get(c, b->id, bk->id, &breakdown) == STATUS_OK && breakdown)
		json_object_set_new(o, "price_breakdown", breakdown);
	if (bk->status == BOOKING_CANCELLED) {
		json_object_set_new(o, "fee", api_money(row.fee_minor, bk->currency));
		json_object_set_new(o, "refund", api_money(bk->price_minor - row.fee_minor,
							   bk->currency));
	}
	json_object_set_new(o, "messages", messages_json(r, c, b, bk->id, zone));
	json_object_set_new(o, "calendar_attention",
			    calendar_attention_json(c, b->id, bk->id, zone, r->arena));
	if (bk->status == BOOKING_PENDING || bk->status == BOOKING_CONFIRMED ||
	    bk->status == BOOKING_CHECKED_IN)
		json_object_set_new(o, "cancel_terms", cancel_terms(&svc, bk, r->now));
	if (extra_take)
		json_object_update(o, extra_take);
	json_decref(extra_take);
	http_json_take(r, code, o);
}

bool staff_query_time(http_req *r, const char *name, const tz *zone, bool end_of_day,
		      int64_t *out, bool *set)
{
	const char *v = http_query(r, name);
	*set = false;
	if (!v || !*v)
		return true;
	int64_t day;
	size_t n = strlen(v);
	if (civil_parse_date(v, n, &day)) {
		*out = tz_day_start(zone, end_of_day ? day + 1 : day, NULL);
		*set = true;
		return true;
	}
	if (tz_parse_rfc3339(v, n, out)) {
		*set = true;
		return true;
	}
	http_field_error_add(r, name, "must be a date YYYY-MM-DD or an RFC 3339 instant");
	return false;
}

/* The cursor is base64url("START.ID") of the last row of the page: opaque to clients. */
static const char *cursor_make(arena *a, const booking *b)
{
	return api_cursor_encode(a, arena_printf(a, "%lld.%s", (long long)b->start_at, b->id));
}

static bool cursor_read(arena *a, const char *s, booking_filter *f)
{
	const char *raw = api_cursor_decode(a, s, 200);
	const char *dot = raw ? strchr(raw, '.') : NULL;
	if (!dot || dot == raw || !dot[1])
		return false;
	char *end;
	long long start = strtoll(raw, &end, 10);
	if (end != dot)
		return false;
	f->has_after = true;
	f->after_start = start;
	f->after_id = dot + 1;
	return true;
}

/* "confirmed,pending" -> a status mask; false with a field error on an unknown name. */
static bool statuses_read(http_req *r, const char *v, unsigned *mask)
{
	*mask = 0;
	if (!v || !*v)
		return true;
	const char *p = v;
	while (*p) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		char *name = arena_strndup(r->arena, p, n);
		booking_status s;
		if (!booking_status_parse(name, &s)) {
			http_field_error_add(r, "status", "unknown status '%s'", name);
			return false;
		}
		*mask |= 1u << s;
		p += n + (comma ? 1 : 0);
	}
	return true;
}

static bool source_ok(const char *s)
{
	static const char *const sources[] = {"web", "phone", "walk_in", "admin", "api"};
	for (size_t i = 0; i < sizeof(sources) / sizeof(sources[0]); i++)
		if (strcmp(s, sources[i]) == 0)
			return true;
	return false;
}

/* Reads a whole number query parameter in [lo, hi]; def when absent. */
static bool query_int(http_req *r, const char *name, long long lo, long long hi, long long def,
		      long long *out)
{
	const char *v = http_query(r, name);
	*out = def;
	if (!v || !*v)
		return true;
	char *end;
	long long x = strtoll(v, &end, 10);
	if (*end || x < lo || x > hi) {
		http_field_error_add(r, name, "must be a whole number from %lld to %lld", lo, hi);
		return false;
	}
	*out = x;
	return true;
}

/* Fills f from the query; false (field errors recorded) when something is malformed. */
static bool filter_read(http_req *r, const tz *zone, booking_filter *f)
{
	bool ok = staff_query_time(r, "from", zone, false, &f->from, &f->has_from);
	ok = staff_query_time(r, "to", zone, true, &f->to, &f->has_to) && ok;
	ok = statuses_read(r, http_query(r, "status"), &f->statuses) && ok;
	f->provider_id = http_query(r, "provider");
	f->service_id = http_query(r, "service");
	f->customer_id = http_query(r, "customer");
	f->source = http_query(r, "source");
	f->text = http_query(r, "q");
	const char *ref = http_query(r, "referral");
	if (ref && *ref && !(f->referral = referral_normalise(r->arena, ref))) {
		http_field_error_add(r, "referral", "is not a referral tag");
		ok = false;
	}
	if (f->text && strlen(f->text) > 100) {
		http_field_error_add(r, "q", "must be at most 100 characters");
		ok = false;
	}
	if (f->source && *f->source && !source_ok(f->source)) {
		http_field_error_add(r, "source", "must be web, phone, walk_in, admin or api");
		ok = false;
	}
	long long limit;
	ok = query_int(r, "limit", 1, LIST_MAX, LIST_DEFAULT, &limit) && ok;
	f->limit = (int)limit;
	const char *cur = http_query(r, "cursor");
	if (cur && *cur && !cursor_read(r->arena, cur, f)) {
		http_field_error_add(r, "cursor", "is not a cursor this server gave");
		ok = false;
	}
	f->visible_to = staff_visible_to(r);
	return ok;
}

static const tz *answer_zone(http_req *r, const business *b)
{
	const char *z = http_query(r, "tz");
	const tz *zone = z && *z ? tz_get(z) : NULL;
	if (z && *z && !zone)
		http_field_error_add(r, "tz", "is not a known time zone");
	return zone ? zone : tz_get(b->timezone);
}

void staff_bookings_list(http_req *r)
{
	business b;
	db_conn *c = auth_open(r, &b);
	if (!c)
		return;
	const tz *zone = answer_zone(r, &b);
	booking_filter f = {0};
	/* Dates are read in the business's zone; the answer in the zone asked for. */
	if (!filter_read(r, tz_get(b.timezone), &f) || r->nerrors) {
		http_problem_query(r, "invalid query");
		return;
	}
	booking_row *rows;
	int n;
	bool more;
	status st = store_bookings_query(c, b.id, &f, r->arena, &rows, &n, &more);
	if (st != STATUS_OK) {
		api_store_error(r, NULL, st);
		return;
	}
	json_t *list = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(list, staff_booking_item(&rows[i], zone));
	json_t *o = json_pack("{s:o, s:o}", "bookings", list, "next_cursor",
			      more ? json_string(cursor_make(r->arena, &rows[n - 1].b)) : json_null());
	http_json_take(r, 200, o);
}

void staff_booking_get(http_req *r)
{
	db_conn *c = app_db(r);
	business b;
	if (auth_business(r, c, &b))
		staff_booking_answer(r, c, &b, http_param(r, "booking"), 200, NULL);
}

/* One CSV row of a booking. Every text cell goes through csv_text (quoting and the formula
 * guard); numbers through csv_int. */
static status csv_booking(buf *out, const booking_row *row, const tz *zone)
{
	const booking *b = &row->b;
	char start[TZ_RFC3339_SIZE], end[TZ_RFC3339_SIZE], made[TZ_RFC3339_SIZE];
	tz_format_rfc3339(zone, b->start_at, start);
	tz_format_rfc3339(zone, b->end_at, end);
	tz_format_rfc3339(zone, b->created_at, made);
	bool first = true;
	status st = csv_text(out, &first, b->reference);
	if (st == STATUS_OK) st = csv_text(out, &first, booking_status_name(b->status));
	if (st == STATUS_OK) st = csv_text(out, &first, start);
	if (st == STATUS_OK) st = csv_text(out, &first, end);
	if (st == STATUS_OK) st = csv_text(out, &first, row->service_name);
	if (st == STATUS_OK) st = csv_text(out, &first, row->provider_name);
	if (st == STATUS_OK) st = csv_text(out, &first, row->resource_name);
	if (st == STATUS_OK) st = csv_int(out, &first, b->seats);
	if (st == STATUS_OK) st = csv_text(out, &first, b->customer_name);
	if (st == STATUS_OK) st = csv_text(out, &first, b->customer_email);
	if (st == STATUS_OK) st = csv_text(out, &first, b->customer_phone);
	if (st == STATUS_OK) st = csv_text(out, &first, b->source);
	if (st == STATUS_OK) st = csv_text(out, &first, b->referral);
	if (st == STATUS_OK) st = csv_int(out, &first, b->price_minor);
	if (st == STATUS_OK) st = csv_text(out, &first, b->currency);
	if (st == STATUS_OK) st = csv_text(out, &first, b->notes);
	if (st == STATUS_OK) st = csv_text(out, &first, made);
	if (st == STATUS_OK) st = csv_row_end(out, &first);
	return st;
}

static const char *const CSV_HEADER[] = {
	"reference", "status", "start", "end", "service", "provider", "resource", "seats",
	"customer_name", "customer_email", "customer_phone", "source", "referral", "price_minor", "currency",
	"notes", "created_at",
};

void staff_bookings_csv(http_req *r)
{
	business b;
	db_conn *c = auth_open(r, &b);
	if (!c)
		return;
	const tz *zone = tz_get(b.timezone);
	booking_filter f = {.limit = BOOKING_QUERY_MAX, .visible_to = staff_visible_to(r)};
	bool ok = staff_query_time(r, "from", zone, false, &f.from, &f.has_from);
	ok = staff_query_time(r, "to", zone, true, &f.to, &f.has_to) && ok;
	if (ok && (!f.has_from || !f.has_to)) {
		http_field_error_add(r, f.has_from ? "to" : "from", "is required");
		ok = false;
	}
	if (ok && (f.to <= f.from || f.to - f.from > (int64_t)CSV_MAX_DAYS * 86400 + 7200)) {
		http_field_error_add(r, "to", "must be after from, at most %d days later", CSV_MAX_DAYS);
		ok = false;
	}
	if (!ok) {
		http_problem_query(r, "invalid query");
		return;
	}
	booking_row *rows;
	int n;
	bool more;
	status st = store_bookings_query(c, b.id, &f, r->arena, &rows, &n, &more);
	if (st != STATUS_OK) {
		api_store_error(r, NULL, st);
		return;
	}
	buf out;
	buf_init(&out, CSV_MAX_BYTES);
	bool first = true;
	for (size_t i = 0; st == STATUS_OK && i < sizeof(CSV_HEADER) / sizeof(CSV_HEADER[0]); i++)
		st = csv_text(&out, &first, CSV_HEADER[i]);
	if (st == STATUS_OK)
		st = csv_row_end(&out, &first);
	for (int i = 0; st == STATUS_OK && i < n; i++)
		st = csv_booking(&out, &rows[i], zone);
	if (st != STATUS_OK || more) {
		buf_free(&out);
		http_field_error_add(r, "to", "the range holds too many bookings for one file");
		http_problem_query(r, "the export is too large; ask for a shorter range");
		return;
	}
	http_text(r, 200, "text/csv; charset=utf-8", out.data, out.len);
	http_add_header(r, "Content-Disposition", "attachment; filename=\"bookings.csv\"");
	buf_free(&out);
}
