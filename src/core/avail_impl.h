/* avail_impl.h - the slot engine's internals, shared by the avail_*.c files only. */
#ifndef BOOKD_AVAIL_IMPL_H
#define BOOKD_AVAIL_IMPL_H

#include "core/avail.h"
#include "core/interval.h"

/* The local dates of one zone that a call looks at, with what makes wall -> UTC cheap. */
typedef struct avail_days {
	const tz *zone;  /* the zone */
	int64_t d0;      /* first local day covered */
	size_t n;        /* days covered: d0 .. d0 + n - 1 */
	int64_t *mid;    /* n + 1 entries: first instant of each day, then of the day after */
	int64_t *stable; /* n entries: the first offset change after mid[i] (INT64_MAX: none) */
	bool *exact;     /* n entries: local midnight exists that day (is not in a gap) */
} avail_days;

/* What one call works with, shared by every bookable it looks at. */
typedef struct avail_ctx {
	const avail_request *req; /* the request (borrowed) */
	const avail_service *svc; /* req->service */
	arena *a;                 /* where everything is allocated */
	int64_t now;              /* the current instant */
	int seats;                /* seats wanted, >= 1 */
	int64_t lo;               /* starts are >= lo (from, notice) */
	int64_t hi;               /* starts are < hi (to, advance) */
	int64_t span_lo;          /* open time is needed from here ... */
	int64_t span_hi;          /* ... to here */
	avail_days *days;         /* day tables, one per distinct zone */
	size_t n_days;            /* entries in days */
	size_t cap_days;          /* room in days */
	int64_t *closures;        /* closure days, sorted, unique */
	size_t n_closures;        /* entries in closures */
	interval_set closed;      /* the instants of closure days (business zone) in the span */
	interval_set biz[2];      /* the business's hours over the span, closure dates dropped
	                           * ([0]) or kept ([1]), built on first use */
	bool biz_built[2];        /* whether biz[i] is built */
} avail_ctx;

/* One provider or resource, worked out for the span of a call. */
typedef struct avail_plan {
	const avail_bookable *b;   /* the bookable (borrowed) */
	size_t index;              /* its position in the request's list */
	const avail_days *days;    /* its schedule zone's dates */
	interval_set hours;        /* its rules and overrides (closure dates dropped) */
	interval_set open;         /* hours minus closures minus time off */
	interval_set free;         /* open minus blocking busy widened by this service's buffers */
	const avail_busy **shared; /* group services: same-service entries, by busy_start */
	size_t n_shared;           /* entries in shared */
	size_t shared_at;          /* moving pointer into shared (starts only increase) */
	size_t free_at;            /* moving pointer into free (starts only increase) */
} avail_plan;

/* The slot grid of a service: wall-clock times every `iv` seconds after local midnight.
 * Whole-day rentals count days from their first instant even when midnight itself falls in
 * a DST gap (a few zones change at midnight); every other grid skips times that do not
 * exist. */
typedef struct avail_grid {
	int64_t iv;      /* step in seconds: a multiple of 60, at most 86400 */
	bool day_starts; /* whole days: the first instant of each local day is a grid point */
} avail_grid;

/* avail_days.c: dates, wall time and the slot grid. */
/* Sets up ctx for starts in [lo, hi) needing open time over [span_lo, span_hi). Returns
 * STATUS_INVALID for a bad service or zone. */
status avail_ctx_init(avail_ctx *ctx, const avail_request *req, arena *a, int64_t now, int seats,
                      int64_t lo, int64_t hi, int64_t span_lo, int64_t span_hi);
/* The day table of zone (NULL: the business zone), built on first use. */
const avail_days *avail_days_of(avail_ctx *ctx, const tz *zone);
/* The local day of instant t. */
int64_t avail_day_of(const avail_days *d, int64_t t);
/* The earliest instant whose local time is at or after day + sec (sec may pass 86400). */
int64_t avail_wall(const avail_days *d, int64_t day, int64_t sec, bool *exact);
/* The first grid instant >= t and < limit, in *out; false when there is none. */
bool avail_grid_ceil(const avail_days *d, avail_grid g, int64_t t, int64_t limit, int64_t *out);
/* Like avail_grid_ceil, and also sets *run_end: every s + k * iv below *run_end (k >= 0) is
 * a grid instant too, in order, with none other between them. Lets a caller walk the
 * plain stretches of a day by addition. */
bool avail_grid_run(const avail_days *d, avail_grid g, int64_t t, int64_t limit, int64_t *out,
                    int64_t *run_end);
/* The last grid instant <= t and >= floor, in *out; false when there is none. */
bool avail_grid_floor(const avail_days *d, avail_grid g, int64_t t, int64_t floor, int64_t *out);
/* True when day is a business closure. */
bool avail_is_closure(const avail_ctx *ctx, int64_t day);
/* The grid of the service: slot_interval_s, or whole days for whole-day rentals. */
avail_grid avail_grid_of(const avail_service *s);

/* avail_open.c: open time. */
/* Builds plan->hours and plan->open for b over the ctx span. keep_closed_dates makes the
 * hours ignore closures (explain compares both). */
void avail_plan_open(avail_ctx *ctx, avail_plan *plan, const avail_bookable *b, size_t index,
                     bool keep_closed_dates);
/* The same with b's own hours, not bounded by the business's (explain tells the two apart). */
void avail_plan_open_own(avail_ctx *ctx, avail_plan *plan, const avail_bookable *b,
                         size_t index, bool keep_closed_dates);
/* The business's hours over the ctx span (closure dates kept or dropped), or NULL when the
 * request has no business rules (nothing is bounded). */
const interval_set *avail_business_hours(avail_ctx *ctx, bool keep_closed_dates);

/* avail_busy.c: busy time and seats. */
/* Builds plan->free (and the shared list for group services). With share false, every
 * entry blocks (rentals). */
void avail_plan_free(avail_ctx *ctx, avail_plan *plan, bool share);
/* Seats left for a start s (s increasing between calls), or 0 when [s, s + duration) is not
 * free or a conflicting entry blocks it. */
int avail_plan_seats(const avail_ctx *ctx, avail_plan *plan, int64_t s);
/* The same without the moving pointers (any order of s). */
int avail_plan_seats_at(const avail_ctx *ctx, const avail_plan *plan, int64_t s);
/* Builds a full plan (open, free) for a bookable. */
void avail_plan_build(avail_ctx *ctx, avail_plan *plan, const avail_bookable *b, size_t index,
                      bool share);

/* avail_slots.c / avail_rental.c / avail_class.c: the three kinds. Each fills out. */
void avail_slots_appointment(avail_ctx *ctx, const char *provider, avail_result *out);
void avail_slots_rental(avail_ctx *ctx, const char *provider, avail_result *out);
void avail_slots_class(avail_ctx *ctx, const char *provider, avail_result *out);
/* avail_slots with, for rentals, open time followed up to `horizon` (0: the default). */
status avail_run(const avail_request *req, const avail_query *q, int64_t horizon, arena *a,
                 avail_result *out);

/* The shortest rental: min_length_s, or duration_s when that is 0. */
int64_t avail_rental_min(const avail_service *s);
/* Whole-day rentals: the fewest local days a rental may last. */
int64_t avail_rental_min_days(const avail_service *s);
/* True when [start, end) has a length the rental service allows (whole days counted as
 * local days of zone z). */
bool avail_rental_length_ok(const avail_service *s, const tz *z, int64_t start, int64_t end);
/* True when t is a grid instant of zone z: its wall time is a multiple of g.iv after local
 * midnight, and t is that wall time's first occurrence (or, for whole days, t starts its
 * local day). */
bool avail_tz_on_grid(const tz *z, avail_grid g, int64_t t);
/* The schedule zone of a bookable. */
const tz *avail_zone_of(const avail_request *req, const avail_bookable *b);

/* A free range of one rental candidate, before ranges equal across candidates are merged. */
typedef struct avail_range {
	int64_t start;             /* first start offered */
	int64_t end;               /* end of the range */
	int64_t last;              /* latest start */
	size_t who;                /* candidate index in the request */
	const avail_span *returns; /* overnight: where an end may fall (ends included); else NULL */
	size_t n_returns;          /* entries in returns */
} avail_range;

/* avail_overnight.c: overnight items (only pickup and return inside open time). */
/* Orders two ranges by their return spans (fewer first, then by value); 0 when equal. */
int avail_returns_cmp(const avail_range *a, const avail_range *b);
/* Appends the ranges of overnight candidate b (index i) to *ranges (n used, cap room; grown
 * in the ctx arena). */
void avail_overnight_ranges(avail_ctx *ctx, const avail_bookable *b, size_t i,
                            avail_range **ranges, size_t *n, size_t *cap);
/* Builds plan for an overnight candidate: plan->open is where a pickup or return may fall,
 * plan->free the time free of busy (with buffers), blackouts and time off over the span. */
void avail_overnight_plan(avail_ctx *ctx, avail_plan *plan, const avail_bookable *b,
                          size_t index);
/* Overnight: t may be a pickup (inside open) / a return (inside open, or at its end). */
bool avail_overnight_pickup_ok(const interval_set *open, int64_t t);
bool avail_overnight_return_ok(const interval_set *open, int64_t t);
/* Explains [start, end) for an overnight candidate that passed grid and length. */
avail_reason avail_overnight_explain(avail_ctx *ctx, const avail_bookable *b, size_t index,
                                     int64_t start, int64_t end);

/* True when the named provider is a candidate (or provider is NULL). */
bool avail_has_provider(const avail_request *req, const char *provider);

#endif
