/* avail_rental.c - rental ranges: free time minus busy, shrunk so the service's buffers fit,
 * snapped inward to the grid (or to local midnights), at least the minimum length. */
#include <stdlib.h>
#include <string.h>

#include "core/avail_impl.h"

int64_t avail_rental_min(const avail_service *s)
{
	return s->min_length_s > 0 ? s->min_length_s : s->duration_s;
}

/* Whole-day rentals count lengths in local days: a day is a day even when DST makes it 23
 * or 25 hours long. */
int64_t avail_rental_min_days(const avail_service *s)
{
	int64_t m = avail_rental_min(s);
	return m <= 0 ? 1 : (m + 86399) / 86400;
}

bool avail_rental_length_ok(const avail_service *s, const tz *z, int64_t start, int64_t end)
{
	if (end <= start)
		return false;
	if (s->whole_days) {
		int64_t days = tz_local_day(z, end) - tz_local_day(z, start);
		return days >= avail_rental_min_days(s) &&
		       (s->max_length_s <= 0 || days <= s->max_length_s / 86400);
	}
	int64_t len = end - start;
	return len >= avail_rental_min(s) && (s->max_length_s <= 0 || len <= s->max_length_s);
}

static int avail_range_cmp(const void *pa, const void *pb)
{
	const avail_range *a = pa, *b = pb;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->end != b->end)
		return a->end < b->end ? -1 : 1;
	if (a->last != b->last)
		return a->last < b->last ? -1 : 1;
	int r = avail_returns_cmp(a, b);
	if (r)
		return r;
	return (a->who > b->who) - (a->who < b->who);
}

/* The range a free interval [a, b) gives, in *out; false when none fits. */
static bool avail_range_of(const avail_ctx *ctx, const avail_days *d, int64_t a, int64_t b,
                           avail_range *out)
{
	const avail_service *s = ctx->svc;
	avail_grid g = avail_grid_of(s);
	int64_t t = a > ctx->lo ? a : ctx->lo;
	int64_t start, end, last;
	if (!avail_grid_ceil(d, g, t, ctx->hi < b ? ctx->hi : b, &start))
		return false;
	if (!avail_grid_floor(d, g, b, start + 1, &end))
		return false;
	/* Too long is fine for a range (the customer books inside it); too short is not. */
	if (s->whole_days ? avail_day_of(d, end) - avail_day_of(d, start) < avail_rental_min_days(s)
	                  : end - start < avail_rental_min(s))
		return false;
	/* The latest start still leaving the minimum length, and inside the advance window. */
	int64_t cand;
	if (s->whole_days)
		cand = avail_wall(d, avail_day_of(d, end) - avail_rental_min_days(s), 0, NULL);
	else
		cand = end - avail_rental_min(s);
	int64_t window = ctx->now + s->max_advance_s;
	if (cand > window)
		cand = window;
	if (!avail_grid_floor(d, g, cand, start, &last))
		return false;
	out->start = start;
	out->end = end;
	out->last = last;
	return true;
}

void avail_slots_rental(avail_ctx *ctx, const char *provider, avail_result *out)
{
	const avail_request *req = ctx->req;
	avail_range *ranges = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < req->n_providers; i++) {
		const avail_bookable *b = &req->providers[i];
		if (provider && strcmp(b->id, provider) != 0)
			continue;
		if (b->overnight && !ctx->svc->whole_days) {
			avail_overnight_ranges(ctx, b, i, &ranges, &n, &cap);
			continue;
		}
		avail_plan plan;
		avail_plan_build(ctx, &plan, b, i, false);
		/* Open time is known only up to the span's end: cut there. */
		interval_set_clip(&plan.free, ctx->span_lo, ctx->span_hi);
		const interval_set *f = &plan.free;
		for (size_t k = interval_set_seek(f, ctx->lo); k < f->n; k++) {
			if (f->v[k].start >= ctx->hi)
				break;
			avail_range r = {0};
			if (!avail_range_of(ctx, plan.days, f->v[k].start, f->v[k].end, &r))
				continue;
			r.who = i;
			if (n == cap) {
				size_t c = cap ? cap * 2 : 32;
				avail_range *v = arena_alloc(ctx->a, c * sizeof(*v));
				if (n)
					memcpy(v, ranges, n * sizeof(*v));
				ranges = v;
				cap = c;
			}
			ranges[n++] = r;
		}
	}
	if (n == 0)
		return;
	qsort(ranges, n, sizeof(*ranges), avail_range_cmp);

	out->slots = arena_alloc(ctx->a, n * sizeof(*out->slots));
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && ranges[j].start == ranges[i].start &&
		       ranges[j].end == ranges[i].end && ranges[j].last == ranges[i].last &&
		       avail_returns_cmp(&ranges[j], &ranges[i]) == 0)
			j++;
		avail_slot *slot = &out->slots[out->n_slots++];
		memset(slot, 0, sizeof(*slot));
		slot->start = ranges[i].start;
		slot->end = ranges[i].end;
		slot->last_start = ranges[i].last;
		slot->providers = arena_alloc(ctx->a, (j - i) * sizeof(*slot->providers));
		for (size_t k = i; k < j; k++)
			slot->providers[k - i] = req->providers[ranges[k].who].id;
		slot->n_providers = j - i;
		slot->seats_left = (int)(j - i);
		slot->returns = ranges[i].returns;
		slot->n_returns = ranges[i].n_returns;
		i = j;
	}
}
