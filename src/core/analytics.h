/* analytics.h - booking figures over a range: counts by status, revenue, cancellation and
 * no-show rates, lead time, and utilisation of providers and resources. Pure: no I/O, no
 * clock; every result is allocated from the caller's arena.
 *
 * The definitions (also in README.md, "Staff bookings, customers and analytics"):
 *
 * - A booking belongs to the period (and the range) holding its start_at. Holds and
 *   expired holds are not bookings and are left out of every figure.
 * - bookings: the bookings counted (every status but held and expired); by_status splits
 *   them.
 * - revenue: the price of every confirmed, checked_in and completed booking, plus the fee
 *   kept for every cancelled one (price minus the refund recorded when it was cancelled;
 *   staff cancellations refund everything, so their fee is 0). Pending bookings (not yet
 *   accepted) and no-shows (bookd records no payment for them) add nothing.
 * - cancellation_rate = cancelled / bookings.
 * - no_show_rate = no_show / (checked_in + completed + no_show): of the bookings whose
 *   outcome is known. Either rate is absent (null) when its denominator is 0.
 * - lead time = start_at - created_at of each counted booking; the average and the median
 *   (of an even count: the mean of the two middle values) are rounded down to whole seconds.
 * - utilisation of a provider or resource = booked / open, where open is its open time in
 *   the period by the slot engine's rules (weekly rules or date overrides, minus closures,
 *   minus time off; analytics_open_time) and booked is the part of that open time covered
 *   by its bookings that take time (pending, confirmed, checked_in, completed, no_show),
 *   each [start_at, end_at) without buffers, overlapping bookings counted once. Time booked
 *   outside open hours (staff overrides) is not counted. Absent when open is 0.
 * - heat map: the counted bookings by the weekday (Monday first) and hour of their start in
 *   the business's zone, so its cells add up to `bookings`.
 * - lead time histogram: the counted bookings by lead time in ANALYTICS_LEAD_BOUNDS
 *   buckets; the first also holds negative leads (a booking entered after its start).
 */
#ifndef BOOKD_CORE_ANALYTICS_H
#define BOOKD_CORE_ANALYTICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/status.h"
#include "core/avail.h"
#include "core/interval.h"
#include "core/model.h"
#include "core/tz.h"

/* The number of booking_status values: by_status is indexed by them. */
#define ANALYTICS_STATUSES 8
/* The longest range analytics accept, in local days. */
#define ANALYTICS_MAX_DAYS 400

/* Buckets of the lead time histogram: bucket i holds leads in [BOUNDS[i], BOUNDS[i + 1]),
 * the first everything below BOUNDS[1], the last everything from BOUNDS[last] on. */
#define ANALYTICS_LEAD_BUCKETS 7
extern const int64_t ANALYTICS_LEAD_BOUNDS[ANALYTICS_LEAD_BUCKETS];

/* How periods are cut: local days, ISO weeks (Monday first) or calendar months. */
typedef enum analytics_group { ANALYTICS_DAY, ANALYTICS_WEEK, ANALYTICS_MONTH } analytics_group;

/* What each period is split by besides its totals. */
typedef enum analytics_by {
	ANALYTICS_BY_NONE,     /* totals only */
	ANALYTICS_BY_SERVICE,  /* service id */
	ANALYTICS_BY_PROVIDER, /* provider id (rentals: the resource); "" when none */
	ANALYTICS_BY_SOURCE,   /* web, phone, walk_in, admin, api */
	ANALYTICS_BY_REFERRAL  /* the booking's referral; "" when none */
} analytics_by;

/* One booking as analytics read it. Strings are borrowed. */
typedef struct analytics_booking {
	const char *service_id;  /* its service */
	const char *provider_id; /* or NULL */
	const char *resource_id; /* or NULL */
	const char *source;      /* web, phone, walk_in, admin, api */
	const char *referral;    /* campaign or link tag, or NULL/"" */
	booking_status status;   /* as it now is */
	int64_t start;           /* start_at */
	int64_t end;             /* end_at */
	int64_t created_at;      /* when it was made */
	int64_t price_minor;     /* its price */
	int64_t fee_minor;       /* cancelled: price minus the refund recorded; else 0 */
} analytics_booking;

/* The figures of a set of bookings (see the definitions above). */
typedef struct analytics_metrics {
	int64_t bookings;                       /* counted bookings */
	int64_t by_status[ANALYTICS_STATUSES];  /* counted bookings per booking_status */
	int64_t revenue_minor;                  /* revenue in the minor unit */
	bool has_cancellation_rate;             /* bookings > 0 */
	double cancellation_rate;               /* cancelled / bookings */
	bool has_no_show_rate;                  /* checked_in + completed + no_show > 0 */
	double no_show_rate;                    /* no_show / (checked_in + completed + no_show) */
	int64_t lead_count;                     /* bookings with a lead time (= bookings) */
	int64_t lead_avg_s;                     /* average lead time, rounded down */
	int64_t lead_median_s;                  /* median lead time, rounded down */
} analytics_metrics;

/* One period of a report: local days [first_day, last_day] and their instants. */
typedef struct analytics_period {
	int64_t first_day; /* first local day (civil_days numbering) */
	int64_t last_day;  /* last local day, included */
	int64_t start;     /* first instant of first_day in the zone */
	int64_t end;       /* first instant of the day after last_day */
} analytics_period;

/* The figures of one key (a service, a provider, a source). */
typedef struct analytics_bucket {
	const char *key;       /* the key (borrowed from the bookings); "" when none */
	analytics_metrics m;   /* its figures */
} analytics_bucket;

/* One period with its totals and its split. */
typedef struct analytics_period_report {
	analytics_period period;   /* the period */
	analytics_metrics total;   /* every booking starting in it */
	analytics_bucket *groups;  /* split by the report's key, sorted by key */
	size_t n_groups;           /* entries in groups */
} analytics_period_report;

/* A whole report. */
typedef struct analytics_report {
	analytics_metrics total;           /* every booking in the range */
	analytics_bucket *groups;          /* the whole range split by the key, sorted by key */
	size_t n_groups;                   /* entries in groups */
	analytics_period_report *periods;  /* in order */
	size_t n_periods;                  /* entries in periods */
} analytics_report;

/* Open and booked seconds of one provider or resource over some span. */
typedef struct analytics_use {
	int64_t open_s;   /* open time */
	int64_t booked_s; /* open time covered by bookings that take time */
} analytics_use;

/* When bookings start and how far ahead they are made (see the definitions above). */
typedef struct analytics_shape {
	int64_t heat[7][24];                    /* counted bookings by local weekday, hour */
	int64_t lead[ANALYTICS_LEAD_BUCKETS];   /* counted bookings by lead time bucket */
} analytics_shape;

/* True for the statuses counted as bookings (all but held and expired). */
bool analytics_counted(booking_status s);
/* True for the statuses whose time counts as booked for utilisation. */
bool analytics_takes_time(booking_status s);
/* What one booking adds to revenue: price when confirmed, checked_in or completed; fee when
 * cancelled; otherwise 0. */
int64_t analytics_revenue(booking_status s, int64_t price_minor, int64_t fee_minor);

/* The figures of v[0..n) (pointers, so callers can pass any subset). Bookings not counted
 * are skipped. Uses a for scratch space. */
void analytics_metrics_of(const analytics_booking *const *v, size_t n, arena *a,
			  analytics_metrics *out);

/* Cuts local days [from_day, to_day] of zone into periods: days, ISO weeks or calendar
 * months, the first and last clipped to the range. STATUS_INVALID when to_day < from_day
 * or the range is longer than ANALYTICS_MAX_DAYS. */
status analytics_periods(const tz *zone, int64_t from_day, int64_t to_day, analytics_group g,
			 arena *a, analytics_period **out, size_t *n);

/* The report of bookings bk[0..n) over periods p[0..np) (from analytics_periods), split by
 * `by`. Bookings starting outside every period are left out. Keys are borrowed from bk. */
void analytics_report_build(const analytics_booking *bk, size_t n, const analytics_period *p,
			    size_t np, analytics_by by, arena *a, analytics_report *out);

/* The open time of bookable b of req (its rules, overrides, time off and the request's
 * closures, with exactly the slot engine's code: avail_plan_open) clipped to [from, to),
 * into out (initialised here from a). The request's service does not matter to open time.
 * STATUS_INVALID for a request without a business zone, or to < from. */
status analytics_open_time(const avail_request *req, const avail_bookable *b, int64_t from,
			   int64_t to, arena *a, interval_set *out);

/* Utilisation inputs over [lo, hi): open = |open ∩ [lo, hi)|, booked = |open ∩ [lo, hi) ∩
 * ∪ booked[0..n)|. open must be normalized; booked may be in any order and overlap. */
analytics_use analytics_use_of(const interval_set *open, const interval *booked, size_t n,
			       int64_t lo, int64_t hi, arena *a);

/* The heat map and lead time histogram of the counted bookings of bk[0..n) starting in
 * [from, to), weekdays and hours read in zone. Never fails. */
void analytics_shape_of(const tz *zone, const analytics_booking *bk, size_t n, int64_t from,
			int64_t to, analytics_shape *out);

const char *analytics_group_name(analytics_group g);
bool analytics_group_parse(const char *s, analytics_group *out);
const char *analytics_by_name(analytics_by b);
bool analytics_by_parse(const char *s, analytics_by *out);

#endif
