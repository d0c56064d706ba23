/* avail_busy.c - busy time: what blocks a bookable, and the seats left at a start. */
#include <stdlib.h>
#include <string.h>

#include "core/avail_impl.h"

static int avail_busy_cmp(const void *pa, const void *pb)
{
	const avail_busy *a = *(const avail_busy *const *)pa;
	const avail_busy *b = *(const avail_busy *const *)pb;
	return (a->busy_start > b->busy_start) - (a->busy_start < b->busy_start);
}

/* True when the service shares seats between bookings of the same start. */
static bool avail_group(const avail_service *s)
{
	return s->kind == AVAIL_APPOINTMENT && s->capacity > 1;
}

/* True for a resource whose seats are counted booking by booking: one that takes several
 * at once, or any resource of a group service (a group's seats are people in the room).
 * Providers leave capacity 0. */
static bool avail_counts_room(const avail_service *svc, const avail_bookable *b)
{
	return b->capacity > 1 || (b->capacity == 1 && avail_group(svc));
}

void avail_plan_free(avail_ctx *ctx, avail_plan *plan, bool share)
{
	const avail_service *svc = ctx->svc;
	const avail_bookable *b = plan->b;
	bool group = share && avail_group(svc);
	/* A booking [s, e) collides with busy [x, y) when [s - before, e + after) overlaps it,
	 * that is when [s, e) overlaps [x - after, y + before). */
	int64_t before = svc->buffer_before_s, after = svc->buffer_after_s;
	/* An item's own turnaround widens this booking and each booking of the item (not
	 * external busy time) alike: [s, e) overlaps [x - ib - after, y + ia + before). */
	int64_t ib = b->buffer_before_s, ia = b->buffer_after_s;
	before += ib;
	after += ia;

	/* A resource taking several bookings at once: nothing blocks it outright; each start
	 * counts the bookings using it (avail_plan_seats). */
	bool counted = share && avail_counts_room(svc, b);
	interval_set block;
	interval_set_init(&block, ctx->a);
	if ((group || counted) && b->n_busy)
		plan->shared = arena_alloc(ctx->a, b->n_busy * sizeof(*plan->shared));
	for (size_t i = 0; i < b->n_busy; i++) {
		const avail_busy *e = &b->busy[i];
		int64_t wb = e->external ? 0 : ib, wa = e->external ? 0 : ia;
		if (e->busy_end + wa + before <= ctx->span_lo ||
		    e->busy_start - wb - after >= ctx->span_hi)
			continue;
		if (counted || (group && e->same_service))
			plan->shared[plan->n_shared++] = e;
		else
			interval_set_add(&block, e->busy_start - wb - after, e->busy_end + wa + before);
	}
	for (size_t i = 0; i < b->n_blackouts; i++)
		interval_set_add(&block, b->blackouts[i].start, b->blackouts[i].end);
	interval_set_normalize(&block);
	interval_set_subtract(&plan->free, &plan->open, &block);

	bool sorted = true;
	for (size_t i = 1; i < plan->n_shared && sorted; i++)
		sorted = plan->shared[i - 1]->busy_start <= plan->shared[i]->busy_start;
	if (!sorted)
		qsort(plan->shared, plan->n_shared, sizeof(*plan->shared), avail_busy_cmp);
	plan->shared_at = 0;
	plan->free_at = 0;
}

void avail_plan_build(avail_ctx *ctx, avail_plan *plan, const avail_bookable *b, size_t index,
                      bool share)
{
	avail_plan_open(ctx, plan, b, index, false);
	avail_plan_free(ctx, plan, share);
	if (b->calendar_stale)
		interval_set_init(&plan->free, ctx->a); /* fail closed: nothing is free */
}

/* A resource of capacity > 1: its capacity minus the most seats its bookings take at any one
 * instant of [win_lo, win_hi) (the most overlap where one of them, or the range, begins). */
static int avail_room_left(const avail_plan *plan, int64_t win_lo, int64_t win_hi)
{
	int most = 0;
	for (size_t i = plan->shared_at; i < plan->n_shared; i++) {
		const avail_busy *e = plan->shared[i];
		if (e->busy_start >= win_hi)
			break;
		if (e->busy_end <= win_lo)
			continue;
		int64_t t = e->busy_start > win_lo ? e->busy_start : win_lo;
		int here = 0;
		for (size_t j = plan->shared_at; j < plan->n_shared; j++) {
			const avail_busy *o = plan->shared[j];
			if (o->busy_start > t)
				break;
			if (o->busy_end > t)
				here += o->seats > 0 ? o->seats : 1;
		}
		if (here > most)
			most = here;
	}
	return most >= plan->b->capacity ? 0 : plan->b->capacity - most;
}

int avail_plan_seats(const avail_ctx *ctx, avail_plan *plan, int64_t s)
{
	const avail_service *svc = ctx->svc;
	int64_t end = s + svc->duration_s;
	const interval_set *f = &plan->free;
	/* Free intervals ending before end cannot hold this start or any later one. */
	while (plan->free_at < f->n && f->v[plan->free_at].end < end)
		plan->free_at++;
	if (plan->free_at >= f->n || f->v[plan->free_at].start > s)
		return 0;
	bool room = avail_counts_room(svc, plan->b);
	if (!avail_group(svc) && !room)
		return 1;

	int64_t win_lo = s - svc->buffer_before_s, win_hi = end + svc->buffer_after_s;
	while (plan->shared_at < plan->n_shared &&
	       plan->shared[plan->shared_at]->busy_end <= win_lo)
		plan->shared_at++;
	if (room)
		return avail_room_left(plan, win_lo, win_hi);
	int used = 0;
	for (size_t i = plan->shared_at; i < plan->n_shared; i++) {
		const avail_busy *e = plan->shared[i];
		if (e->busy_start >= win_hi)
			break;
		if (e->busy_end <= win_lo)
			continue;
		if (e->start != s)
			return 0; /* the same service at another start: it blocks like any booking
			           */
		used += e->seats > 0 ? e->seats : 1;
	}
	return used >= svc->capacity ? 0 : svc->capacity - used;
}

int avail_plan_seats_at(const avail_ctx *ctx, const avail_plan *plan, int64_t s)
{
	avail_plan tmp = *plan;
	tmp.free_at = interval_set_seek(&plan->free, s);
	tmp.shared_at = 0;
	return avail_plan_seats(ctx, &tmp, s);
}
