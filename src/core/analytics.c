/* analytics.c - booking figures, periods and utilisation (definitions in analytics.h).
 *
 * Open time comes from the slot engine's own open-time builder (avail_plan_open in
 * core/avail_open.c, through core/avail_impl.h), so utilisation and availability can
 * never disagree on what "open" means; avail.h has no public open-time call. */
#include "core/analytics.h"

#include <stdlib.h>
#include <string.h>

#include "base/civil.h"
#include "core/avail_impl.h"

bool analytics_counted(booking_status s)
{
	return s != BOOKING_HELD && s != BOOKING_EXPIRED;
}

bool analytics_takes_time(booking_status s)
{
	return s == BOOKING_PENDING || s == BOOKING_CONFIRMED || s == BOOKING_CHECKED_IN ||
	       s == BOOKING_COMPLETED || s == BOOKING_NO_SHOW;
}

int64_t analytics_revenue(booking_status s, int64_t price_minor, int64_t fee_minor)
{
	switch (s) {
	case BOOKING_CONFIRMED:
	case BOOKING_CHECKED_IN:
	case BOOKING_COMPLETED:
		return price_minor;
	case BOOKING_CANCELLED:
		return fee_minor;
	default:
		return 0;
	}
}

/* Division rounded down (toward minus infinity), for lead times that may be negative. */
static int64_t div_floor(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

static int cmp_i64(const void *pa, const void *pb)
{
	int64_t x = *(const int64_t *)pa, y = *(const int64_t *)pb;
	return (x > y) - (x < y);
}

void analytics_metrics_of(const analytics_booking *const *v, size_t n, arena *a,
			  analytics_metrics *out)
{
	memset(out, 0, sizeof(*out));
	int64_t *lead = arena_alloc(a, sizeof(int64_t) * (n ? n : 1));
	int64_t lead_sum = 0;
	for (size_t i = 0; i < n; i++) {
		const analytics_booking *b = v[i];
		if (!analytics_counted(b->status))
			continue;
		out->bookings++;
		if ((unsigned)b->status < ANALYTICS_STATUSES)
			out->by_status[b->status]++;
		out->revenue_minor += analytics_revenue(b->status, b->price_minor, b->fee_minor);
		lead[out->lead_count++] = b->start - b->created_at;
		lead_sum += b->start - b->created_at;
	}
	if (out->bookings) {
		out->has_cancellation_rate = true;
		out->cancellation_rate =
			(double)out->by_status[BOOKING_CANCELLED] / (double)out->bookings;
	}
	int64_t known = out->by_status[BOOKING_CHECKED_IN] + out->by_status[BOOKING_COMPLETED] +
			out->by_status[BOOKING_NO_SHOW];
	if (known) {
		out->has_no_show_rate = true;
		out->no_show_rate = (double)out->by_status[BOOKING_NO_SHOW] / (double)known;
	}
	if (out->lead_count) {
		size_t k = (size_t)out->lead_count;
		qsort(lead, k, sizeof(int64_t), cmp_i64);
		out->lead_avg_s = div_floor(lead_sum, out->lead_count);
		out->lead_median_s = k % 2 ? lead[k / 2] : div_floor(lead[k / 2 - 1] + lead[k / 2], 2);
	}
}

status analytics_periods(const tz *zone, int64_t from_day, int64_t to_day, analytics_group g,
			 arena *a, analytics_period **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!zone || to_day < from_day || to_day - from_day + 1 > ANALYTICS_MAX_DAYS)
		return STATUS_INVALID;
	size_t cap = (size_t)(to_day - from_day + 1);
	analytics_period *p = arena_alloc(a, sizeof(*p) * cap);
	size_t k = 0;
	for (int64_t d = from_day; d <= to_day;) {
		int64_t last;
		if (g == ANALYTICS_DAY) {
			last = d;
		} else if (g == ANALYTICS_WEEK) {
			last = d + (6 - civil_weekday(d)); /* the Sunday of its ISO week */
		} else {
			civil c = civil_from_days(d);
			int y = c.month == 12 ? c.year + 1 : c.year;
			int m = c.month == 12 ? 1 : c.month + 1;
			last = civil_days(y, m, 1) - 1;
		}
		if (last > to_day)
			last = to_day;
		p[k].first_day = d;
		p[k].last_day = last;
		p[k].start = tz_day_start(zone, d, NULL);
		p[k].end = tz_day_start(zone, last + 1, NULL);
		k++;
		d = last + 1;
	}
	*out = p;
	*n = k;
	return STATUS_OK;
}

static const char *key_of(const analytics_booking *b, analytics_by by)
{
	const char *k = NULL;
	switch (by) {
	case ANALYTICS_BY_SERVICE:
		k = b->service_id;
		break;
	case ANALYTICS_BY_PROVIDER:
		k = b->provider_id ? b->provider_id : b->resource_id;
		break;
	case ANALYTICS_BY_SOURCE:
		k = b->source;
		break;
	case ANALYTICS_BY_REFERRAL:
		k = b->referral;
		break;
	case ANALYTICS_BY_NONE:
		break;
	}
	return k ? k : "";
}

/* The period index of instant t (periods are in order and contiguous), or np. */
static size_t period_of(const analytics_period *p, size_t np, int64_t t)
{
	size_t lo = 0, hi = np;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (p[mid].end <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < np && p[lo].start <= t ? lo : np;
}

/* An entry for sorting bookings by key. */
typedef struct keyed {
	const char *key;              /* the split key */
	const analytics_booking *b;   /* the booking */
} keyed;

static int cmp_keyed(const void *pa, const void *pb)
{
	const keyed *x = pa, *y = pb;
	return strcmp(x->key, y->key);
}

/* Splits v[0..n) by key into buckets sorted by key. */
static void split(const analytics_booking *const *v, size_t n, analytics_by by, arena *a,
		  analytics_bucket **out, size_t *nout)
{
	*out = NULL;
	*nout = 0;
	if (by == ANALYTICS_BY_NONE || n == 0)
		return;
	keyed *ks = arena_alloc(a, sizeof(*ks) * n);
	for (size_t i = 0; i < n; i++) {
		ks[i].key = key_of(v[i], by);
		ks[i].b = v[i];
	}
	qsort(ks, n, sizeof(*ks), cmp_keyed);
	analytics_bucket *bk = arena_alloc(a, sizeof(*bk) * n);
	const analytics_booking **group = arena_alloc(a, sizeof(*group) * n);
	size_t nb = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && strcmp(ks[j].key, ks[i].key) == 0) {
			group[j - i] = ks[j].b;
			j++;
		}
		analytics_metrics m;
		analytics_metrics_of(group, j - i, a, &m);
		if (m.bookings) {
			bk[nb].key = ks[i].key;
			bk[nb].m = m;
			nb++;
		}
		i = j;
	}
	*out = bk;
	*nout = nb;
}

void analytics_report_build(const analytics_booking *bk, size_t n, const analytics_period *p,
			    size_t np, analytics_by by, arena *a, analytics_report *out)
{
	memset(out, 0, sizeof(*out));
	/* Bookings of each period, in booking order; then the whole range. */
	size_t *idx = arena_alloc(a, sizeof(size_t) * (n ? n : 1));
	size_t *count = arena_alloc(a, sizeof(size_t) * (np + 1));
	for (size_t i = 0; i < n; i++) {
		idx[i] = period_of(p, np, bk[i].start);
		count[idx[i]]++;
	}
	const analytics_booking **all = arena_alloc(a, sizeof(*all) * (n ? n : 1));
	size_t nall = 0;
	out->periods = arena_alloc(a, sizeof(*out->periods) * (np ? np : 1));
	out->n_periods = np;
	for (size_t k = 0; k < np; k++) {
		const analytics_booking **v = arena_alloc(a, sizeof(*v) * (count[k] ? count[k] : 1));
		size_t m = 0;
		for (size_t i = 0; i < n; i++)
			if (idx[i] == k)
				v[m++] = &bk[i];
		analytics_period_report *pr = &out->periods[k];
		pr->period = p[k];
		analytics_metrics_of(v, m, a, &pr->total);
		split(v, m, by, a, &pr->groups, &pr->n_groups);
		memcpy(all + nall, v, sizeof(*v) * m);
		nall += m;
	}
	analytics_metrics_of(all, nall, a, &out->total);
	split(all, nall, by, a, &out->groups, &out->n_groups);
}

status analytics_open_time(const avail_request *req, const avail_bookable *b, int64_t from,
			   int64_t to, arena *a, interval_set *out)
{
	interval_set_init(out, a);
	if (!req || !req->business_zone || to < from)
		return STATUS_INVALID;
	/* Any valid service will do: open time reads only rules, overrides, closures and
	 * time off. */
	static const avail_service any = {
		.kind = AVAIL_APPOINTMENT, .duration_s = 60, .max_advance_s = 60,
		.slot_interval_s = 60, .capacity = 1,
	};
	avail_request r = *req;
	r.service = &any;
	avail_ctx ctx;
	status st = avail_ctx_init(&ctx, &r, a, from, 1, from, to, from, to);
	if (st != STATUS_OK)
		return st;
	avail_plan plan;
	avail_plan_open(&ctx, &plan, b, 0, false);
	interval_set_copy(out, &plan.open);
	interval_set_clip(out, from, to);
	return STATUS_OK;
}

analytics_use analytics_use_of(const interval_set *open, const interval *booked, size_t n,
			       int64_t lo, int64_t hi, arena *a)
{
	analytics_use u = {0};
	interval_set o, b, both;
	interval_set_init(&o, a);
	interval_set_init(&b, a);
	interval_set_init(&both, a);
	interval_set_copy(&o, open);
	interval_set_clip(&o, lo, hi);
	for (size_t i = 0; i < n; i++)
		interval_set_add(&b, booked[i].start, booked[i].end);
	interval_set_normalize(&b);
	interval_set_intersect(&both, &o, &b);
	u.open_s = interval_set_total(&o);
	u.booked_s = interval_set_total(&both);
	return u;
}

const int64_t ANALYTICS_LEAD_BOUNDS[ANALYTICS_LEAD_BUCKETS] = {
	0, 3600, 86400, 3 * 86400, 7 * 86400, 14 * 86400, 30 * 86400,
};

/* x mod m in [0, m), for wall times before 1970. */
static int64_t mod_floor(int64_t x, int64_t m)
{
	int64_t r = x % m;
	return r < 0 ? r + m : r;
}

void analytics_shape_of(const tz *zone, const analytics_booking *bk, size_t n, int64_t from,
			int64_t to, analytics_shape *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < n; i++) {
		const analytics_booking *b = &bk[i];
		if (!analytics_counted(b->status) || b->start < from || b->start >= to)
			continue;
		int64_t wall = tz_to_wall(zone, b->start);
		int64_t day = (wall - mod_floor(wall, 86400)) / 86400;
		out->heat[civil_weekday(day)][mod_floor(wall, 86400) / 3600]++;
		int64_t lead = b->start - b->created_at;
		int k = ANALYTICS_LEAD_BUCKETS - 1;
		while (k > 0 && lead < ANALYTICS_LEAD_BOUNDS[k])
			k--;
		out->lead[k]++;
	}
}

static const char *const group_names[] = {"day", "week", "month"};
static const char *const by_names[] = {"none", "service", "provider", "source", "referral"};

const char *analytics_group_name(analytics_group g)
{
	return (unsigned)g < 3 ? group_names[g] : "unknown";
}

bool analytics_group_parse(const char *s, analytics_group *out)
{
	for (int i = 0; s && i < 3; i++)
		if (strcmp(s, group_names[i]) == 0) {
			*out = (analytics_group)i;
			return true;
		}
	return false;
}

const char *analytics_by_name(analytics_by b)
{
	return (unsigned)b < 5 ? by_names[b] : "unknown";
}

bool analytics_by_parse(const char *s, analytics_by *out)
{
	for (int i = 0; s && i < 5; i++)
		if (strcmp(s, by_names[i]) == 0) {
			*out = (analytics_by)i;
			return true;
		}
	return false;
}
