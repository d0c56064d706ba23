/* analytics.c - GET /api/v1/businesses/{business}/analytics: booking figures of a range of
 * local dates, cut into days, weeks or months and split by service, provider or source,
 * with the utilisation of every provider and resource, a weekday x hour heat map and a
 * lead time histogram. The definitions are in
 * core/analytics.h; this file reads the query, loads, asks core and writes JSON. */
#include <string.h>

#include "api/app.h"
#include "api/auth.h"
#include "api/common.h"
#include "api/staff_bookings.h"
#include "base/civil.h"
#include "core/analytics.h"
#include "store/analytics.h"
#include "store/catalog.h"

static json_t *date_json(int64_t day)
{
	char s[11];
	civil_format_date(day, s);
	return json_string(s);
}

static json_t *rate_json(bool has, double v)
{
	return has ? json_real(v) : json_null();
}

/* The figures as JSON: a new reference. */
static json_t *metrics_json(const analytics_metrics *m, const char *currency)
{
	json_t *by = json_object();
	for (int s = 0; s < ANALYTICS_STATUSES; s++)
		if (analytics_counted((booking_status)s))
			json_object_set_new(by, booking_status_name((booking_status)s),
					    json_integer((json_int_t)m->by_status[s]));
	return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o}", "bookings", (json_int_t)m->bookings,
			 "by_status", by, "revenue", api_money(m->revenue_minor, currency),
			 "cancellation_rate", rate_json(m->has_cancellation_rate, m->cancellation_rate),
			 "no_show_rate", rate_json(m->has_no_show_rate, m->no_show_rate), "lead_time",
			 m->lead_count ? json_pack("{s:I, s:I}", "average_s", (json_int_t)m->lead_avg_s,
						   "median_s", (json_int_t)m->lead_median_s)
				       : json_null());
}

/* Names for the split keys: services, providers and resources by id. */
typedef struct names {
	const service *svcs;           /* every service */
	int n_svcs;                    /* entries in svcs */
	const analytics_bookable *bk;  /* every provider and resource */
	size_t n_bk;                   /* entries in bk */
} names;

static const char *name_of(const names *nm, analytics_by by, const char *key)
{
	if (by == ANALYTICS_BY_SERVICE) {
		for (int i = 0; i < nm->n_svcs; i++)
			if (strcmp(nm->svcs[i].id, key) == 0)
				return nm->svcs[i].name;
	} else if (by == ANALYTICS_BY_PROVIDER) {
		for (size_t i = 0; i < nm->n_bk; i++)
			if (strcmp(nm->bk[i].id, key) == 0)
				return nm->bk[i].name;
	}
	return NULL;
}

static json_t *groups_json(const analytics_bucket *g, size_t n, analytics_by by, const names *nm,
			   const char *currency)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = metrics_json(&g[i].m, currency);
		json_object_set_new(o, "key", *g[i].key ? json_string(g[i].key) : json_null());
		const char *name = name_of(nm, by, g[i].key);
		json_object_set_new(o, "name", name ? json_string(name) : json_null());
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *use_json(analytics_use u)
{
	return json_pack("{s:I, s:I, s:o}", "open_s", (json_int_t)u.open_s, "booked_s",
			 (json_int_t)u.booked_s, "utilisation",
			 u.open_s ? json_real((double)u.booked_s / (double)u.open_s) : json_null());
}

/* Adds to out the heat map ("heatmap": 7 weekdays, Monday first, of 24 hours) and the lead
 * time histogram ("lead_time_histogram") of the bookings bk[0..n) starting in [lo, hi). */
static void shape_add(json_t *out, const tz *zone, const analytics_booking *bk, size_t n,
		      int64_t lo, int64_t hi)
{
	analytics_shape sh;
	analytics_shape_of(zone, bk, n, lo, hi, &sh);
	json_t *heat = json_array();
	for (int d = 0; d < 7; d++) {
		json_t *row = json_array();
		for (int h = 0; h < 24; h++)
			json_array_append_new(row, json_integer((json_int_t)sh.heat[d][h]));
		json_array_append_new(heat, row);
	}
	json_t *lead = json_array();
	for (int k = 0; k < ANALYTICS_LEAD_BUCKETS; k++)
		json_array_append_new(
			lead, json_pack("{s:o, s:o, s:I}", "min_s",
					k ? json_integer((json_int_t)ANALYTICS_LEAD_BOUNDS[k]) : json_null(),
					"max_s",
					k + 1 < ANALYTICS_LEAD_BUCKETS
						? json_integer((json_int_t)ANALYTICS_LEAD_BOUNDS[k + 1])
						: json_null(),
					"bookings", (json_int_t)sh.lead[k]));
	json_object_set_new(out, "heatmap", heat);             /* stolen */
	json_object_set_new(out, "lead_time_histogram", lead); /* stolen */
}

/* Reads from/to (local dates, both included), group and by. */
static bool query_read(http_req *r, int64_t *from_day, int64_t *to_day, analytics_group *g,
		       analytics_by *by)
{
	const char *from = http_query(r, "from"), *to = http_query(r, "to");
	if (!from || !civil_parse_date(from, strlen(from), from_day))
		http_field_error_add(r, "from", "is required: a date YYYY-MM-DD");
	if (!to || !civil_parse_date(to, strlen(to), to_day))
		http_field_error_add(r, "to", "is required: a date YYYY-MM-DD");
	if (!r->nerrors && (*to_day < *from_day || *to_day - *from_day + 1 > ANALYTICS_MAX_DAYS))
		http_field_error_add(r, "to", "must be on or after from, at most %d days in all",
				     ANALYTICS_MAX_DAYS);
	const char *gs = http_query(r, "group"), *bs = http_query(r, "by");
	*g = ANALYTICS_MONTH;
	*by = ANALYTICS_BY_NONE;
	if (gs && *gs && !analytics_group_parse(gs, g))
		http_field_error_add(r, "group", "must be day, week or month");
	if (bs && *bs && (!analytics_by_parse(bs, by) || *by == ANALYTICS_BY_NONE))
		http_field_error_add(r, "by", "must be service, provider, source or referral");
	return r->nerrors == 0;
}

/* The report's periods, each with its totals (and groups when by is set). */
static json_t *periods_json(const analytics_report *rep, analytics_by by, const names *nm,
			    const char *currency)
{
	json_t *periods = json_array();
	for (size_t k = 0; k < rep->n_periods; k++) {
		const analytics_period_report *pr = &rep->periods[k];
		json_t *o = json_pack("{s:o, s:o, s:o}", "from", date_json(pr->period.first_day), "to",
				      date_json(pr->period.last_day), "totals",
				      metrics_json(&pr->total, currency));
		if (by != ANALYTICS_BY_NONE)
			json_object_set_new(o, "groups", groups_json(pr->groups, pr->n_groups, by, nm,
								     currency));
		json_array_append_new(periods, o);
	}
	return periods;
}

/* Each bookable's utilisation over the whole range and per period. */
static json_t *use_list_json(const analytics_bookable *bl, size_t nbl,
			     const analytics_period *per, size_t np, arena *a)
{
	json_t *use = json_array();
	for (size_t i = 0; i < nbl; i++) {
		analytics_use all = analytics_use_of(&bl[i].open, bl[i].booked, bl[i].n_booked,
						     per[0].start, per[np - 1].end, a);
		json_t *o = use_json(all);
		json_t *pp = json_array();
		for (size_t k = 0; k < np; k++) {
			json_t *po = use_json(analytics_use_of(&bl[i].open, bl[i].booked,
							       bl[i].n_booked, per[k].start,
							       per[k].end, a));
			json_object_set_new(po, "from", date_json(per[k].first_day));
			json_object_set_new(po, "to", date_json(per[k].last_day));
			json_array_append_new(pp, po);
		}
		json_object_set_new(o, "id", json_string(bl[i].id));
		json_object_set_new(o, "name", json_string(bl[i].name));
		json_object_set_new(o, "kind", json_string(bl[i].is_resource ? "resource" : "provider"));
		json_object_set_new(o, "periods", pp);
		json_array_append_new(use, o);
	}
	return use;
}

void staff_analytics_get(http_req *r)
{
	int64_t from_day = 0, to_day = 0;
	analytics_group g;
	analytics_by by;
	if (!query_read(r, &from_day, &to_day, &g, &by)) {
		http_problem_query(r, "invalid query");
		return;
	}
	business b;
	db_conn *c = auth_open(r, &b);
	if (!c)
		return;
	const tz *zone = tz_get(b.timezone);
	analytics_period *per;
	size_t np;
	status st = analytics_periods(zone, from_day, to_day, g, r->arena, &per, &np);
	analytics_booking *bk = NULL;
	size_t nbk = 0;
	analytics_bookable *bl = NULL;
	size_t nbl = 0;
	names nm = {0};
	if (st == STATUS_OK)
		st = store_analytics_bookings(c, b.id, per[0].start, per[np - 1].end, r->arena, &bk,
					      &nbk);
	if (st == STATUS_OK)
		st = store_analytics_bookables(c, &b, per[0].start, per[np - 1].end, r->now, bk, nbk,
					       r->arena, &bl, &nbl);
	service *svcs = NULL;
	if (st == STATUS_OK)
		st = store_services_list(c, b.id, false, r->arena, &svcs, &nm.n_svcs);
	if (st == STATUS_INVALID) {
		http_field_error_add(r, "to", "the range holds too many bookings; ask for less");
		http_problem_query(r, "the range is too large");
		return;
	}
	if (st != STATUS_OK) {
		api_store_error(r, NULL, st);
		return;
	}
	nm.svcs = svcs;
	nm.bk = bl;
	nm.n_bk = nbl;

	analytics_report rep;
	analytics_report_build(bk, nbk, per, np, by, r->arena, &rep);
	json_t *periods = periods_json(&rep, by, &nm, b.currency);
	json_t *use = use_list_json(bl, nbl, per, np, r->arena);
	json_t *out = json_pack("{s:o, s:o, s:s, s:s, s:s, s:s, s:o, s:o, s:o}", "from",
				date_json(from_day), "to", date_json(to_day), "timezone", b.timezone,
				"currency", b.currency, "group", analytics_group_name(g), "by",
				analytics_by_name(by), "totals", metrics_json(&rep.total, b.currency),
				"periods", periods, "utilisation", use);
	if (by != ANALYTICS_BY_NONE)
		json_object_set_new(out, "groups",
				    groups_json(rep.groups, rep.n_groups, by, &nm, b.currency));
	shape_add(out, zone, bk, nbk, per[0].start, per[np - 1].end);
	http_json_take(r, 200, out);
}
