/* avail_overnight.c - rentals of items that may stay out while closed: the pickup (start)
 * and the return (end) must each lie inside the item's open time, the time between only has
 * to be free of bookings (with buffers), blackouts and time off. */
#include <string.h>

#include "core/avail_impl.h"

int avail_returns_cmp(const avail_range *a, const avail_range *b)
{
	if (a->n_returns != b->n_returns)
		return a->n_returns < b->n_returns ? -1 : 1;
	for (size_t k = 0; k < a->n_returns; k++) {
		const avail_span *x = &a->returns[k], *y = &b->returns[k];
		if (x->start != y->start)
			return x->start < y->start ? -1 : 1;
		if (x->end != y->end)
			return x->end < y->end ? -1 : 1;
	}
	return 0;
}

bool avail_overnight_pickup_ok(const interval_set *open, int64_t t)
{
	return interval_set_contains(open, t, t + 1);
}

bool avail_overnight_return_ok(const interval_set *open, int64_t t)
{
	/* Returning at closing time is returning inside the hours. */
	return interval_set_contains(open, t - 1, t) || interval_set_contains(open, t, t + 1);
}

void avail_overnight_plan(avail_ctx *ctx, avail_plan *plan, const avail_bookable *b,
                          size_t index)
{
	avail_plan_open(ctx, plan, b, index, false);
	interval_set windows = plan->open;
	/* Free time over the whole span, not only inside the hours: busy time is taken out of
	 * everything, then time off too (an item away is away through the night). */
	interval_set all;
	interval_set_init(&all, ctx->a);
	interval_set_add(&all, ctx->span_lo, ctx->span_hi);
	plan->open = all;
	avail_plan_free(ctx, plan, false);
	plan->open = windows;
	if (b->n_time_off) {
		interval_set off, tmp;
		interval_set_init(&off, ctx->a);
		interval_set_init(&tmp, ctx->a);
		for (size_t i = 0; i < b->n_time_off; i++)
			interval_set_add(&off, b->time_off[i].start, b->time_off[i].end);
		interval_set_normalize(&off);
		interval_set_subtract(&tmp, &plan->free, &off);
		plan->free = tmp;
	}
	if (b->calendar_stale)
		interval_set_init(&plan->free, ctx->a); /* fail closed */
}

static void ranges_push(avail_ctx *ctx, avail_range **ranges, size_t *n, size_t *cap,
                        const avail_range *r)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 32;
		avail_range *v = arena_alloc(ctx->a, c * sizeof(*v));
		if (*n)
			memcpy(v, *ranges, *n * sizeof(*v));
		*ranges = v;
		*cap = c;
	}
	(*ranges)[(*n)++] = *r;
}

/* The return spans after a pickup at `start` inside free stretch [fa, fb): each stretch of
 * open time meeting it, cut to ends on the grid at least the minimum length after start and
 * at most the maximum after `last`. Returns how many were written to out (room: max). */
static size_t overnight_returns(const avail_ctx *ctx, const avail_plan *plan, int64_t start,
                                int64_t last, int64_t fb, avail_span *out, size_t max)
{
	const avail_service *s = ctx->svc;
	avail_grid g = avail_grid_of(s);
	const interval_set *w = &plan->open;
	int64_t lo = start + avail_rental_min(s);
	int64_t hi = fb;
	if (s->max_length_s > 0 && last + s->max_length_s < hi)
		hi = last + s->max_length_s;
	size_t k = 0;
	/* The stretch holding lo - 1 may end exactly at lo: a return at its closing time. */
	for (size_t i = interval_set_seek(w, lo - 1); i < w->n && k < max; i++) {
		if (w->v[i].start > hi)
			break;
		int64_t a = w->v[i].start > lo ? w->v[i].start : lo;
		int64_t bnd = w->v[i].end < hi ? w->v[i].end : hi;
		int64_t ga, gb;
		if (a > bnd || !avail_grid_ceil(plan->days, g, a, bnd + 1, &ga) ||
		    !avail_grid_floor(plan->days, g, bnd, ga, &gb))
			continue;
		out[k].start = ga;
		out[k].end = gb;
		k++;
	}
	return k;
}

void avail_overnight_ranges(avail_ctx *ctx, const avail_bookable *b, size_t i,
                            avail_range **ranges, size_t *n, size_t *cap)
{
	const avail_service *s = ctx->svc;
	avail_grid g = avail_grid_of(s);
	avail_plan plan;
	avail_overnight_plan(ctx, &plan, b, i);
	const interval_set *f = &plan.free, *w = &plan.open;
	int64_t window = ctx->now + s->max_advance_s;
	for (size_t k = interval_set_seek(f, ctx->lo); k < f->n; k++) {
		int64_t fa = f->v[k].start, fb = f->v[k].end;
		if (fa >= ctx->hi)
			break;
		for (size_t j = interval_set_seek(w, fa > ctx->lo ? fa : ctx->lo); j < w->n; j++) {
			int64_t pa = w->v[j].start, pb = w->v[j].end;
			if (pa >= fb || pa >= ctx->hi)
				break;
			if (pa < fa)
				pa = fa;
			if (pa < ctx->lo)
				pa = ctx->lo;
			if (pb > fb)
				pb = fb;
			int64_t start, last;
			if (!avail_grid_ceil(plan.days, g, pa, pb < ctx->hi ? pb : ctx->hi, &start))
				continue;
			int64_t cand = pb - 1;
			if (cand > window)
				cand = window;
			if (!avail_grid_floor(plan.days, g, cand, start, &last))
				continue;
			/* Room for every stretch of open time up to the span's end. */
			size_t room = w->n - j + 1;
			avail_span *ret = arena_alloc(ctx->a, room * sizeof(*ret));
			size_t nr = overnight_returns(ctx, &plan, start, last, fb, ret, room);
			if (nr == 0)
				continue;
			int64_t end = ret[nr - 1].end;
			/* No later pickup than one leaving the minimum length before the last return. */
			if (end - avail_rental_min(s) < last &&
			    !avail_grid_floor(plan.days, g, end - avail_rental_min(s), start, &last))
				continue;
			avail_range r = {start, end, last, i, ret, nr};
			ranges_push(ctx, ranges, n, cap, &r);
		}
	}
}

static bool overlap(int64_t a0, int64_t a1, int64_t b0, int64_t b1)
{
	return a0 < b1 && b0 < a1;
}

avail_reason avail_overnight_explain(avail_ctx *ctx, const avail_bookable *b, size_t index,
                                     int64_t start, int64_t end)
{
	const avail_service *svc = ctx->svc;
	avail_plan all;
	avail_plan_open_own(ctx, &all, b, index, true);
	if (!avail_overnight_pickup_ok(&all.hours, start))
		return AVAIL_REASON_PICKUP_HOURS;
	if (!avail_overnight_return_ok(&all.hours, end))
		return AVAIL_REASON_RETURN_HOURS;
	avail_plan plan;
	avail_overnight_plan(ctx, &plan, b, index);
	interval_set unclosed;
	interval_set_init(&unclosed, ctx->a);
	interval_set_subtract(&unclosed, &plan.hours, &ctx->closed);
	if (!avail_overnight_pickup_ok(&unclosed, start) ||
	    !avail_overnight_return_ok(&unclosed, end))
		return AVAIL_REASON_CLOSURE;
	if (!avail_overnight_pickup_ok(&plan.open, start) ||
	    !avail_overnight_return_ok(&plan.open, end))
		return AVAIL_REASON_TIME_OFF;
	for (size_t i = 0; i < b->n_time_off; i++)
		if (overlap(start, end, b->time_off[i].start, b->time_off[i].end))
			return AVAIL_REASON_TIME_OFF;
	for (size_t i = 0; i < b->n_blackouts; i++)
		if (overlap(start, end, b->blackouts[i].start, b->blackouts[i].end))
			return AVAIL_REASON_BLACKOUT;
	if (b->calendar_stale)
		return AVAIL_REASON_CALENDAR_STALE;
	bool external = false, buffer = false;
	int64_t before = svc->buffer_before_s + b->buffer_before_s;
	int64_t after = svc->buffer_after_s + b->buffer_after_s;
	for (size_t i = 0; i < b->n_busy; i++) {
		const avail_busy *e = &b->busy[i];
		int64_t wb = e->external ? 0 : b->buffer_before_s;
		int64_t wa = e->external ? 0 : b->buffer_after_s;
		if (overlap(start, end, e->start, e->end)) {
			if (!e->external)
				return AVAIL_REASON_BUSY;
			external = true;
		} else if (overlap(start - before, end + after, e->busy_start - wb, e->busy_end + wa))
			buffer = true;
	}
	if (external)
		return AVAIL_REASON_EXTERNAL_BUSY;
	if (buffer)
		return AVAIL_REASON_BUFFER;
	return AVAIL_REASON_BUSY; /* not reached while explain and the engine agree */
}
