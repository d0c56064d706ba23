/* calendar.c - GET /api/v1/businesses/{business}/calendar: what the staff calendar draws for
 * a range of dates, in one answer: each provider's and resource's open time as the slot
 * engine computes it (weekly rules with their breaks, overrides, closures, time off), their
 * time off, the closures, and the bookings. The browser shades what is not open and never
 * works availability out itself. */
#include <string.h>

#include "api/app.h"
#include "api/auth.h"
#include "api/common.h"
#include "api/staff_bookings.h"
#include "base/civil.h"
#include "store/admin_schedule.h"
#include "store/analytics.h"
#include "store/booking_query.h"

/* The longest range one answer covers, in days. */
#define CALENDAR_MAX_DAYS 42
/* The most bookings one answer lists. */
#define CALENDAR_MAX_BOOKINGS 5000

static json_t *span_json(const tz *z, int64_t start, int64_t end)
{
	char s[TZ_RFC3339_SIZE], e[TZ_RFC3339_SIZE];
	tz_format_rfc3339(z, start, s);
	tz_format_rfc3339(z, end, e);
	return json_pack("{s:s, s:s}", "start", s, "end", e);
}

/* Time off of one provider or resource overlapping [from, to), clipped to it. */
static status time_off_json(db_conn *c, const business *b, const analytics_bookable *ab,
			    int64_t from, int64_t to, const tz *z, arena *a, json_t *arr)
{
	sched_filter f = {.owner_kind = ab->is_resource ? "resource" : "provider",
			  .owner_id = ab->id, .from = from, .to = to};
	sched_time_off *v;
	int n;
	status st = store_time_off_list(c, b->id, &f, a, &v, &n);
	for (int i = 0; st == STATUS_OK && i < n; i++)
		json_array_append_new(arr, span_json(z, v[i].start_at > from ? v[i].start_at : from,
						     v[i].end_at < to ? v[i].end_at : to));
	return st;
}

/* Reads from and to (business-zone dates, to included) into [from, to) and the dates. */
static bool range_read(http_req *r, const tz *z, int64_t *from, int64_t *to, int64_t *d0,
		       int64_t *d1)
{
	const char *fs = http_query(r, "from"), *ts = http_query(r, "to");
	bool ok = true;
	if (!fs || !civil_parse_date(fs, strlen(fs), d0)) {
		http_field_error_add(r, "from", "is required: a date YYYY-MM-DD");
		ok = false;
	}
	if (ts && *ts && !civil_parse_date(ts, strlen(ts), d1)) {
		http_field_error_add(r, "to", "must be a date YYYY-MM-DD");
		ok = false;
	} else if (!ts || !*ts) {
		*d1 = *d0;
	}
	if (ok && (*d1 < *d0 || *d1 - *d0 >= CALENDAR_MAX_DAYS)) {
		http_field_error_add(r, "to", "must be from `from` to %d days after it",
				     CALENDAR_MAX_DAYS - 1);
		ok = false;
	}
	if (ok) {
		*from = tz_day_start(z, *d0, NULL);
		*to = tz_day_start(z, *d1 + 1, NULL);
	}
	return ok;
}

/* Appends each bookable the caller may see (the staff role: its own provider's column; only:
 * that one) with its open time and time off in [from, to) to out. */
static status calendar_bookables(http_req *r, db_conn *c, const business *b, const tz *z,
				 int64_t from, int64_t to, const char *only, json_t *out)
{
	const char *visible_to = staff_visible_to(r);
	analytics_bookable *v;
	size_t nv;
	status st = store_analytics_bookables(c, b, from, to, r->now, NULL, 0, r->arena, &v, &nv);
	for (size_t i = 0; st == STATUS_OK && i < nv; i++) {
		if ((visible_to && (v[i].is_resource || strcmp(v[i].id, visible_to) != 0)) ||
		    (only && strcmp(v[i].id, only) != 0))
			continue;
		json_t *open = json_array(), *off = json_array();
		for (size_t k = 0; k < v[i].open.n; k++)
			json_array_append_new(open,
					      span_json(z, v[i].open.v[k].start, v[i].open.v[k].end));
		st = time_off_json(c, b, &v[i], from, to, z, r->arena, off);
		/* "o" steals open and off. */
		json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:o, s:o}", "id", v[i].id,
						     "name", v[i].name, "kind",
						     v[i].is_resource ? "resource" : "provider",
						     "open", open, "time_off", off));
	}
	return st;
}

/* Appends the closures of the local dates df..dt to out. */
static status calendar_closures(db_conn *c, const business *b, const char *df, const char *dt,
				arena *a, json_t *out)
{
	sched_filter f = {.date_from = df, .date_to = dt};
	sched_closure *cl;
	int n;
	status st = store_closures_list(c, b->id, &f, a, &cl, &n);
	for (int i = 0; st == STATUS_OK && i < n; i++)
		json_array_append_new(out, json_pack("{s:s, s:s}", "date", cl[i].date, "name",
						     cl[i].name));
	return st;
}

/* Appends every booking that takes or took time in [from, to) to out: not cancelled ones,
 * not expired holds; a booking may start the day before. *more: the list was cut. */
static status calendar_bookings(http_req *r, db_conn *c, const business *b, const tz *z,
				int64_t from, int64_t to, const char *only, json_t *out,
				bool *more)
{
	booking_filter f = {
		.has_from = true, .from = from - 86400, .has_to = true, .to = to,
		.statuses = (1u << BOOKING_HELD) | (1u << BOOKING_PENDING) |
			    (1u << BOOKING_CONFIRMED) | (1u << BOOKING_CHECKED_IN) |
			    (1u << BOOKING_COMPLETED) | (1u << BOOKING_NO_SHOW),
		.provider_id = only, .visible_to = staff_visible_to(r),
		.limit = CALENDAR_MAX_BOOKINGS};
	booking_row *rows;
	int n;
	status st = store_bookings_query(c, b->id, &f, r->arena, &rows, &n, more);
	for (int i = 0; st == STATUS_OK && i < n; i++)
		if (rows[i].b.end_at > from)
			json_array_append_new(out, staff_booking_item(&rows[i], z));
	return st;
}

void staff_calendar_get(http_req *r)
{
	business b;
	db_conn *c = auth_open(r, &b);
	if (!c)
		return;
	const tz *z = tz_get(b.timezone);
	if (!z)
		z = tz_get("UTC");
	int64_t from = 0, to = 0, d0 = 0, d1 = 0;
	const char *only = http_query(r, "provider");
	if (only && !*only)
		only = NULL;
	if (!range_read(r, z, &from, &to, &d0, &d1)) {
		http_problem_query(r, "invalid query");
		return;
	}
	char df[11], dt[11];
	civil_format_date(d0, df);
	civil_format_date(d1, dt);
	json_t *bookables = json_array(), *closures = json_array(), *items = json_array();
	bool more = false;
	status st = calendar_bookables(r, c, &b, z, from, to, only, bookables);
	if (st == STATUS_OK)
		st = calendar_closures(c, &b, df, dt, r->arena, closures);
	if (st == STATUS_OK)
		st = calendar_bookings(r, c, &b, z, from, to, only, items, &more);
	if (st != STATUS_OK) {
		json_decref(bookables);
		json_decref(closures);
		json_decref(items);
		api_store_error(r, c, st);
		return;
	}
	/* "o" steals each array. */
	http_json_take(r, 200,
		       json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:b}", "timezone", b.timezone,
				 "from", df, "to", dt, "bookables", bookables, "closures", closures,
				 "bookings", items, "truncated", more));
}
