/* customers.c - staff routes of customers: search by name, email or phone (paged), one
 * profile with its booking history and figures, edits of name, email, phone and notes (the
 * contact details kept on past bookings are never rewritten), and the CSV export. */
#include <stdlib.h>
#include <string.h>

#include "api/app.h"
#include "api/auth.h"
#include "api/booking_json.h"
#include "api/common.h"
#include "api/csv.h"
#include "api/staff_bookings.h"
#include "core/analytics.h"
#include "store/booking_query.h"
#include "store/customer.h"

#define CUSTOMERS_DEFAULT 50
#define CUSTOMERS_MAX 200
/* The most bookings a profile lists (newest last). */
#define PROFILE_BOOKINGS_MAX 1000
/* The most customers one CSV export holds, and its largest size. */
#define CUSTOMERS_CSV_MAX 100000
#define CUSTOMERS_CSV_MAX_BYTES (24u << 20)

static json_t *instant_json(const tz *zone, int64_t t)
{
	char s[TZ_RFC3339_SIZE];
	tz_format_rfc3339(zone, t, s);
	return json_string(s);
}

static json_t *customer_json(const customer_profile *p, const tz *zone)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o}", "id", p->id, "name", p->name,
			 "email", p->email_norm, "phone", p->phone, "notes", p->notes, "created_at",
			 instant_json(zone, p->created_at), "updated_at",
			 instant_json(zone, p->updated_at));
}

/* The cursor is base64url(NAME "\n" ID) of the last row; ids hold no newline, so the last
 * newline splits it. */
static const char *cursor_make(arena *a, const customer_profile *p)
{
	return api_cursor_encode(a, arena_printf(a, "%s\n%s", p->name, p->id));
}

static bool cursor_read(arena *a, const char *s, customer_filter *f)
{
	char *raw = (char *)api_cursor_decode(a, s, 1200); /* in a: ours to cut */
	char *nl = raw ? strrchr(raw, '\n') : NULL;
	if (!nl || !nl[1])
		return false;
	*nl = '\0';
	f->has_after = true;
	f->after_name = raw;
	f->after_id = nl + 1;
	return true;
}

void staff_customers_list(http_req *r)
{
	customer_filter f = {.q = http_query(r, "q"), .limit = CUSTOMERS_DEFAULT,
			     .visible_to = staff_visible_to(r)};
	const char *lim = http_query(r, "limit");
	if (lim && *lim) {
		char *end;
		long long x = strtoll(lim, &end, 10);
		if (*end || x < 1 || x > CUSTOMERS_MAX)
			http_field_error_add(r, "limit", "must be a whole number from 1 to %d",
					     CUSTOMERS_MAX);
		else
			f.limit = (int)x;
	}
	if (f.q && strlen(f.q) > 200)
		http_field_error_add(r, "q", "must be at most 200 characters");
	const char *cur = http_query(r, "cursor");
	if (cur && *cur && !cursor_read(r->arena, cur, &f))
		http_field_error_add(r, "cursor", "is not a cursor this server gave");
	if (r->nerrors) {
		http_problem_query(r, "invalid query");
		return;
	}
	business b;
	db_conn *c = auth_open(r, &b);
	if (!c)
		return;
	customer_profile *v;
	int n;
	bool more;
	status st = store_customers_search(c, b.id, &f, r->arena, &v, &n, &more);
	if (st != STATUS_OK) {
		api_store_error(r, NULL, st);
		return;
	}
	const tz *zone = tz_get(b.timezone);
	json_t *list = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(list, customer_json(&v[i], zone));
	http_json_take(r, 200,
		       json_pack("{s:o, s:o}", "customers", list, "next_cursor",
				 more ? json_string(cursor_make(r->arena, &v[n - 1])) : json_null()));
}

/* Answers the profile of customer id with its bookings and figures. */
static void profile_answer(http_req *r, db_conn *c, const business *b, const char *id)
{
	customer_profile p;
	status st = store_customer_get(c, b->id, id, staff_visible_to(r), r->arena, &p);
	booking_filter f = {.customer_id = id, .visible_to = staff_visible_to(r),
			    .limit = PROFILE_BOOKINGS_MAX};
	booking_row *rows = NULL;
	int n = 0;
	bool more = false;
	if (st == STATUS_OK)
		st = store_bookings_query(c, b->id, &f, r->arena, &rows, &n, &more);
	if (st != STATUS_OK) {
		if (st == STATUS_NOT_FOUND)
			http_problem(r, st, "no such customer");
		else
			api_store_error(r, c, st);
		return;
	}
	/* The figures use the analytics definitions (core/analytics.h): spend is revenue. */
	analytics_booking *ab = arena_alloc(r->arena, sizeof(*ab) * (size_t)(n ? n : 1));
	const analytics_booking **pv = arena_alloc(r->arena, sizeof(*pv) * (size_t)(n ? n : 1));
	const tz *zone = tz_get(b->timezone);
	json_t *list = json_array();
	for (int i = 0; i < n; i++) {
		const booking *bk = &rows[i].b;
		ab[i] = (analytics_booking){.status = bk->status, .start = bk->start_at,
					    .created_at = bk->created_at,
					    .price_minor = bk->price_minor,
					    .fee_minor = rows[i].fee_minor};
		pv[i] = &ab[i];
		json_t *item = staff_booking_item(&rows[i], zone);
		json_object_set_new(json_object_get(item, "customer"), "differs",
				    booking_json_differs(bk, p.name, p.phone));
		json_array_append_new(list, item);
	}
	analytics_metrics m;
	analytics_metrics_of(pv, (size_t)n, r->arena, &m);
	json_t *o = customer_json(&p, zone);
	json_object_set_new(o, "stats",
			    json_pack("{s:I, s:I, s:o, s:I, s:I}", "bookings", (json_int_t)m.bookings,
				      "visits",
				      (json_int_t)(m.by_status[BOOKING_CHECKED_IN] +
						   m.by_status[BOOKING_COMPLETED]),
				      "spend", api_money(m.revenue_minor, b->currency),
				      "cancellations", (json_int_t)m.by_status[BOOKING_CANCELLED],
				      "no_shows", (json_int_t)m.by_status[BOOKING_NO_SHOW]));
	json_object_set_new(o, "bookings", list);
	json_object_set_new(o, "bookings_truncated", json_boolean(more));
	http_json_take(r, 200, o);
}

void staff_customer_get(http_req *r)
{
	db_conn *c = app_db(r);
	business b;
	if (auth_business(r, c, &b))
		profile_answer(r, c, &b, http_param(r, "customer"));
}

void staff_customer_update(http_req *r)
{
	json_t *body = http_body_json(r);
	if (!body)
		return;
	const char *name = booking_body_str(r, body, "name", "name", 200, false);
	if (name && !*name)
		http_field_error_add(r, "name", "must not be empty");
	const char *phone = booking_body_str(r, body, "phone", "phone", 40, false);
	for (const char *q = phone; q && *q; q++)
		if (!strchr("0123456789 +-().", *q)) {
			http_field_error_add(r, "phone", "may hold only digits, spaces and + - ( ) .");
			break;
		}
	const char *notes = booking_body_notes(r, body, "notes", "notes", 4000);
	const char *email = booking_body_str(r, body, "email", "email", 254, false);
	const char *email_norm = email ? booking_email_normalise(r->arena, email) : NULL;
	if (email && !email_norm)
		http_field_error_add(r, "email", "must be an email address");
	static const char *const known[] = {"name", "email", "phone", "notes", NULL};
	booking_body_known(r, body, "", known);
	json_decref(body);
	if (r->nerrors) {
		http_problem(r, STATUS_INVALID, "invalid customer");
		return;
	}
	const char *id = http_param(r, "customer");
	db_conn *c = app_db(r);
	business b;
	customer_profile p;
	if (!auth_business(r, c, &b))
		return;
	/* Only the profile changes: bookings keep the contact details typed for them. */
	status st = store_customer_get(c, b.id, id, staff_visible_to(r), r->arena, &p);
	if (st == STATUS_OK)
		st = store_customer_update(c, b.id, id, name, email_norm, phone, notes, r->now);
	if (st != STATUS_OK) {
		if (st == STATUS_NOT_FOUND)
			http_problem(r, st, "no such customer");
		else if (st == STATUS_CONFLICT && email_norm) {
			http_field_error_add(r, "email", "belongs to another customer of the business");
			http_problem(r, st, "another customer has this email");
		}
		else
			api_store_error(r, c, st);
		return;
	}
	profile_answer(r, c, &b, id);
}

static const char *const CSV_HEADER[] = {
	"name",     "email",         "phone",       "notes",    "bookings",     "visits",
	"no_shows", "cancellations", "spend_minor", "currency", "last_booking", "created_at",
};

/* One CSV row of a customer: text through csv_text (quoting, the formula guard), numbers
 * through csv_int. */
static status csv_customer(buf *out, const customer_export_row *row, const tz *zone,
			   const char *currency)
{
	char last[TZ_RFC3339_SIZE] = "", made[TZ_RFC3339_SIZE];
	if (row->f.last_start)
		tz_format_rfc3339(zone, row->f.last_start, last);
	tz_format_rfc3339(zone, row->p.created_at, made);
	bool first = true;
	status st = csv_text(out, &first, row->p.name);
	if (st == STATUS_OK) st = csv_text(out, &first, row->p.email_norm);
	if (st == STATUS_OK) st = csv_text(out, &first, row->p.phone);
	if (st == STATUS_OK) st = csv_text(out, &first, row->p.notes);
	if (st == STATUS_OK) st = csv_int(out, &first, row->f.bookings);
	if (st == STATUS_OK) st = csv_int(out, &first, row->f.visits);
	if (st == STATUS_OK) st = csv_int(out, &first, row->f.no_shows);
	if (st == STATUS_OK) st = csv_int(out, &first, row->f.cancellations);
	if (st == STATUS_OK) st = csv_int(out, &first, row->f.spend_minor);
	if (st == STATUS_OK) st = csv_text(out, &first, currency);
	if (st == STATUS_OK) st = csv_text(out, &first, last);
	if (st == STATUS_OK) st = csv_text(out, &first, made);
	if (st == STATUS_OK) st = csv_row_end(out, &first);
	return st;
}

void staff_customers_csv(http_req *r)
{
	const char *q = http_query(r, "q");
	if (q && strlen(q) > 200) {
		http_field_error_add(r, "q", "must be at most 200 characters");
		http_problem_query(r, "invalid query");
		return;
	}
	business b;
	db_conn *c = auth_open(r, &b);
	if (!c)
		return;
	customer_export_row *v;
	int n;
	bool more;
	status st = store_customers_export(c, b.id, q, CUSTOMERS_CSV_MAX, r->arena, &v, &n, &more);
	app_db_release(r); /* the file is written without it */
	if (st != STATUS_OK) {
		api_store_error(r, NULL, st);
		return;
	}
	const tz *zone = tz_get(b.timezone);
	buf out;
	buf_init(&out, CUSTOMERS_CSV_MAX_BYTES);
	bool first = true;
	for (size_t i = 0; st == STATUS_OK && i < sizeof(CSV_HEADER) / sizeof(CSV_HEADER[0]); i++)
		st = csv_text(&out, &first, CSV_HEADER[i]);
	if (st == STATUS_OK)
		st = csv_row_end(&out, &first);
	for (int i = 0; st == STATUS_OK && i < n; i++)
		st = csv_customer(&out, &v[i], zone, b.currency);
	if (st != STATUS_OK || more) {
		buf_free(&out);
		http_field_error_add(r, "q", "too many customers match for one file");
		http_problem_query(r, "the export is too large; narrow it with q");
		return;
	}
	http_text(r, 200, "text/csv; charset=utf-8", out.data, out.len);
	http_add_header(r, "Content-Disposition", "attachment; filename=\"customers.csv\"");
	buf_free(&out);
}
