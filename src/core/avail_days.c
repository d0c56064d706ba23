/* avail_days.c - local dates of a call, wall -> UTC with a fast path, and the slot grid. */
#include <stdlib.h>
#include <string.h>

#include "base/civil.h"
#include "core/avail_impl.h"

static int64_t avail_floordiv(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

static int avail_day_cmp(const void *pa, const void *pb)
{
	int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
	return (a > b) - (a < b);
}

avail_grid avail_grid_of(const avail_service *s)
{
	avail_grid g;
	g.day_starts = s->kind == AVAIL_RENTAL && s->whole_days;
	g.iv = g.day_starts ? 86400 : s->slot_interval_s;
	return g;
}

status avail_ctx_init(avail_ctx *ctx, const avail_request *req, arena *a, int64_t now, int seats,
                      int64_t lo, int64_t hi, int64_t span_lo, int64_t span_hi)
{
	memset(ctx, 0, sizeof(*ctx));
	if (!req || !req->service || !req->business_zone)
		return STATUS_INVALID;
	if (avail_service_validate(req->service, NULL) != STATUS_OK)
		return STATUS_INVALID;
	ctx->req = req;
	ctx->svc = req->service;
	ctx->a = a;
	ctx->now = now;
	ctx->seats = seats < 1 ? 1 : seats;
	ctx->lo = lo;
	ctx->hi = hi;
	ctx->span_lo = span_lo;
	ctx->span_hi = span_hi;
	interval_set_init(&ctx->closed, a);

	/* Closures: sorted unique days, and the instants of those inside the span. */
	if (req->n_closures) {
		ctx->closures = arena_alloc(a, req->n_closures * sizeof(int64_t));
		memcpy(ctx->closures, req->closures, req->n_closures * sizeof(int64_t));
		qsort(ctx->closures, req->n_closures, sizeof(int64_t), avail_day_cmp);
		size_t w = 0;
		for (size_t i = 0; i < req->n_closures; i++)
			if (w == 0 || ctx->closures[w - 1] != ctx->closures[i])
				ctx->closures[w++] = ctx->closures[i];
		ctx->n_closures = w;
		const avail_days *bd = avail_days_of(ctx, NULL);
		for (size_t i = 0; i < ctx->n_closures; i++) {
			int64_t d = ctx->closures[i];
			if (d < bd->d0 || d >= bd->d0 + (int64_t)bd->n)
				continue;
			interval_set_add(&ctx->closed, bd->mid[d - bd->d0],
			                 bd->mid[d - bd->d0 + 1]);
		}
		interval_set_normalize(&ctx->closed);
	}
	return STATUS_OK;
}

bool avail_is_closure(const avail_ctx *ctx, int64_t day)
{
	size_t lo = 0, hi = ctx->n_closures;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ctx->closures[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ctx->n_closures && ctx->closures[lo] == day;
}

/* Builds the table of a zone over the span, with two days of margin on each side (a rule
 * may run up to 48 hours past its date's midnight). */
static void avail_days_build(avail_ctx *ctx, avail_days *d, const tz *zone)
{
	d->zone = zone;
	int64_t first = tz_local_day(zone, ctx->span_lo) - 2;
	int64_t last = tz_local_day(zone, ctx->span_hi) + 2;
	d->d0 = first;
	d->n = (size_t)(last - first + 1);
	d->mid = arena_alloc(ctx->a, (d->n + 1) * sizeof(int64_t));
	d->stable = arena_alloc(ctx->a, d->n * sizeof(int64_t));
	d->exact = arena_alloc(ctx->a, d->n * sizeof(bool));
	int64_t next_change = INT64_MIN;
	for (size_t i = 0; i <= d->n; i++) {
		bool exact;
		int64_t m = tz_day_start(zone, first + (int64_t)i, &exact);
		d->mid[i] = m;
		if (i == d->n)
			break;
		if (next_change <= m)
			next_change = tz_next_transition(zone, m);
		d->stable[i] = next_change;
		d->exact[i] = exact;
	}
}

const avail_days *avail_days_of(avail_ctx *ctx, const tz *zone)
{
	if (!zone)
		zone = ctx->req->business_zone;
	for (size_t i = 0; i < ctx->n_days; i++)
		if (ctx->days[i].zone == zone)
			return &ctx->days[i];
	if (ctx->n_days == ctx->cap_days) {
		size_t cap = ctx->cap_days ? ctx->cap_days * 2 : 4;
		avail_days *days = arena_alloc(ctx->a, cap * sizeof(*days));
		if (ctx->n_days)
			memcpy(days, ctx->days, ctx->n_days * sizeof(*days));
		/* Earlier pointers into the old array stay valid: the arena keeps it, and the
		 * tables it points at are shared, not copied. */
		ctx->days = days;
		ctx->cap_days = cap;
	}
	avail_days *d = &ctx->days[ctx->n_days++];
	avail_days_build(ctx, d, zone);
	return d;
}

int64_t avail_day_of(const avail_days *d, int64_t t)
{
	if (d->n == 0 || t < d->mid[0] || t >= d->mid[d->n])
		return tz_local_day(d->zone, t);
	size_t lo = 0, hi = d->n; /* mid[lo] <= t < mid[hi] */
	while (hi - lo > 1) {
		size_t m = lo + (hi - lo) / 2;
		if (d->mid[m] <= t)
			lo = m;
		else
			hi = m;
	}
	return d->d0 + (int64_t)lo;
}

int64_t avail_wall(const avail_days *d, int64_t day, int64_t sec, bool *exact)
{
	int64_t i = day - d->d0;
	if (i >= 0 && i < (int64_t)d->n && d->exact[i] && sec >= 0) {
		/* No change of offset between midnight and the answer: plain arithmetic. */
		int64_t t = d->mid[i] + sec;
		if (t < d->stable[i]) {
			if (exact)
				*exact = true;
			return t;
		}
	}
	return tz_from_wall(d->zone, day * 86400 + sec, exact);
}

/* True when the offset does not change from `day`'s midnight (which exists) up to t. */
static bool avail_fast(const avail_days *d, int64_t day, int64_t t)
{
	int64_t i = day - d->d0;
	return i >= 0 && i < (int64_t)d->n && d->exact[i] && t >= d->mid[i] && t < d->stable[i];
}

/* Seconds of local wall time since the start of `day` at instant t. */
static int64_t avail_wall_in_day(const avail_days *d, int64_t day, int64_t t)
{
	if (avail_fast(d, day, t))
		return t - d->mid[day - d->d0];
	return tz_to_wall(d->zone, t) - day * 86400;
}

bool avail_grid_ceil(const avail_days *d, avail_grid g, int64_t t, int64_t limit, int64_t *out)
{
	int64_t iv = g.iv;
	if (t >= limit)
		return false;
	int64_t day = avail_day_of(d, t);
	for (int guard = 0; guard < 4; guard++, day++) {
		/* Grid times before t's wall time cannot be at or after t (they would need a
		 * later instant with an earlier wall time: only possible for repeated hours, whose
		 * first occurrence is what counts). A whole day's start is checked as it is. */
		int64_t k = 0;
		int64_t into = avail_wall_in_day(d, day, t);
		if (into > 0 && !g.day_starts)
			k = (into + iv - 1) / iv;
		for (; k * iv < 86400; k++) {
			bool exact;
			int64_t s = avail_wall(d, day, k * iv, &exact);
			if (s >= limit)
				return false;
			if ((exact || (g.day_starts && k == 0)) && s >= t) {
				*out = s;
				return true;
			}
		}
	}
	return false;
}

bool avail_grid_run(const avail_days *d, avail_grid g, int64_t t, int64_t limit, int64_t *out,
                    int64_t *run_end)
{
	if (!avail_grid_ceil(d, g, t, limit, out))
		return false;
	int64_t s = *out, end = s + 1;
	int64_t day = avail_day_of(d, s);
	if (avail_fast(d, day, s)) {
		/* Until the day ends or the offset changes, the grid is mid + k * iv. */
		int64_t i = day - d->d0;
		end = d->mid[i] + 86400;
		if (d->stable[i] < end)
			end = d->stable[i];
	}
	*run_end = end < limit ? end : limit;
	return true;
}

bool avail_grid_floor(const avail_days *d, avail_grid g, int64_t t, int64_t floor, int64_t *out)
{
	int64_t iv = g.iv;
	if (t < floor)
		return false;
	int64_t day = avail_day_of(d, t);
	for (int guard = 0; guard < 4; guard++, day--) {
		/* After a change in the day, a grid time later on the wall clock than t may have
		 * happened before t (the first pass of a repeated hour): scan from the top. */
		int64_t into = avail_wall_in_day(d, day, t);
		bool from_top = into >= 86400 || !avail_fast(d, day, t);
		int64_t k = from_top ? (86400 - 1) / iv : avail_floordiv(into, iv);
		for (; k >= 0; k--) {
			bool exact;
			int64_t s = avail_wall(d, day, k * iv, &exact);
			if (s < floor)
				return false;
			if ((exact || (g.day_starts && k == 0)) && s <= t) {
				*out = s;
				return true;
			}
		}
	}
	return false;
}

bool avail_tz_on_grid(const tz *z, avail_grid g, int64_t t)
{
	if (g.day_starts)
		return tz_day_start(z, tz_local_day(z, t), NULL) == t;
	int64_t iv = g.iv;
	int64_t wall = tz_to_wall(z, t);
	int64_t into = wall - avail_floordiv(wall, 86400) * 86400;
	if (into % iv != 0)
		return false;
	return tz_from_wall(z, wall, NULL) == t;
}
