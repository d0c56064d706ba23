/* avail_open.c - open time of one bookable: weekly rules or overrides per local date, bounded
 * by the business's, minus closures and time off. */
#include <stdlib.h>
#include <string.h>

#include "base/civil.h"
#include "core/avail_impl.h"

static bool avail_minutes_ok(int start_min, int end_min)
{
	return start_min >= 0 && start_min <= 1440 && end_min > start_min && end_min <= 2880;
}

static int avail_override_cmp(const void *pa, const void *pb)
{
	const avail_override *a = *(const avail_override *const *)pa;
	const avail_override *b = *(const avail_override *const *)pb;
	return (a->day > b->day) - (a->day < b->day);
}

/* The hours of a date with overrides (n of them, at ov): theirs, none when one is closed. */
static void open_override_day(avail_plan *plan, int64_t day, const avail_override *const *ov,
                              size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (ov[k]->closed)
			return; /* closed wins */
	for (size_t k = 0; k < n; k++) {
		if (!avail_minutes_ok(ov[k]->start_min, ov[k]->end_min))
			continue;
		interval_set_add(&plan->hours, avail_wall(plan->days, day, ov[k]->start_min * 60LL, NULL),
		                 avail_wall(plan->days, day, ov[k]->end_min * 60LL, NULL));
	}
}

/* plan->open = hours - closure days (unless kept) - b's time off. */
static void open_subtract(avail_ctx *ctx, avail_plan *plan, const avail_bookable *b,
                          bool keep_closed_dates)
{
	interval_set off;
	interval_set_init(&off, ctx->a);
	for (size_t i = 0; i < b->n_time_off; i++)
		interval_set_add(&off, b->time_off[i].start, b->time_off[i].end);
	interval_set_normalize(&off);
	interval_set tmp;
	interval_set_init(&tmp, ctx->a);
	if (keep_closed_dates)
		interval_set_copy(&tmp, &plan->hours);
	else
		interval_set_subtract(&tmp, &plan->hours, &ctx->closed);
	interval_set_subtract(&plan->open, &tmp, &off);
}

/* plan->hours of b over the ctx span: its rules, or a date's overrides instead; closure
 * dates dropped unless kept. */
static void plan_hours(avail_ctx *ctx, avail_plan *plan, const avail_bookable *b,
                       bool keep_closed_dates)
{
	const avail_days *d = plan->days;

	/* A rule of the day before the span may run into it (up to 48 hours). */
	int64_t first = avail_day_of(d, ctx->span_lo) - 1;
	int64_t last = avail_day_of(d, ctx->span_hi);

	/* Weekly rules by weekday, so each date looks only at its own. */
	const avail_rule **by_day[7] = {0};
	size_t n_by_day[7] = {0};
	for (size_t i = 0; i < b->n_rules; i++) {
		const avail_rule *r = &b->rules[i];
		if (r->weekday < 0 || r->weekday > 6 || !avail_minutes_ok(r->start_min, r->end_min))
			continue;
		if ((r->has_valid_from && r->valid_from > last) ||
		    (r->has_valid_to && r->valid_to < first))
			continue;
		if (!by_day[r->weekday])
			by_day[r->weekday] = arena_alloc(ctx->a, b->n_rules * sizeof(avail_rule *));
		by_day[r->weekday][n_by_day[r->weekday]++] = r;
	}

	/* Overrides inside the dates, in date order, walked with a moving pointer. */
	const avail_override **ov = NULL;
	size_t n_ov = 0;
	if (b->n_overrides) {
		ov = arena_alloc(ctx->a, b->n_overrides * sizeof(*ov));
		for (size_t i = 0; i < b->n_overrides; i++)
			if (b->overrides[i].day >= first && b->overrides[i].day <= last)
				ov[n_ov++] = &b->overrides[i];
		qsort(ov, n_ov, sizeof(*ov), avail_override_cmp);
	}

	size_t oi = 0;
	for (int64_t day = first; day <= last; day++) {
		while (oi < n_ov && ov[oi]->day < day)
			oi++;
		size_t oj = oi;
		while (oj < n_ov && ov[oj]->day == day)
			oj++;
		/* A closure drops the date's own hours (even those running past midnight). */
		if (!keep_closed_dates && avail_is_closure(ctx, day))
			continue;
		if (oj > oi) {
			/* An override replaces every weekly rule of its date. */
			open_override_day(plan, day, ov + oi, oj - oi);
			continue;
		}
		int wd = civil_weekday(day);
		for (size_t k = 0; k < n_by_day[wd]; k++) {
			const avail_rule *r = by_day[wd][k];
			if ((r->has_valid_from && day < r->valid_from) ||
			    (r->has_valid_to && day > r->valid_to))
				continue;
			interval_set_add(&plan->hours,
			                 avail_wall(d, day, r->start_min * 60LL, NULL),
			                 avail_wall(d, day, r->end_min * 60LL, NULL));
		}
	}
	interval_set_normalize(&plan->hours);
}

static void plan_start(avail_ctx *ctx, avail_plan *plan, const avail_bookable *b, size_t index)
{
	memset(plan, 0, sizeof(*plan));
	plan->b = b;
	plan->index = index;
	plan->days = avail_days_of(ctx, b->zone);
	interval_set_init(&plan->hours, ctx->a);
	interval_set_init(&plan->open, ctx->a);
	interval_set_init(&plan->free, ctx->a);
}

const interval_set *avail_business_hours(avail_ctx *ctx, bool keep_closed_dates)
{
	const avail_bookable *biz = ctx->req->business;
	int k = keep_closed_dates ? 1 : 0;
	if (!biz)
		return NULL;
	if (!ctx->biz_built[k]) {
		avail_plan p;
		plan_start(ctx, &p, biz, 0);
		plan_hours(ctx, &p, biz, keep_closed_dates);
		ctx->biz[k] = p.hours;
		ctx->biz_built[k] = true;
	}
	return &ctx->biz[k];
}

void avail_plan_open_own(avail_ctx *ctx, avail_plan *plan, const avail_bookable *b,
                         size_t index, bool keep_closed_dates)
{
	plan_start(ctx, plan, b, index);
	plan_hours(ctx, plan, b, keep_closed_dates);
	open_subtract(ctx, plan, b, keep_closed_dates);
}

void avail_plan_open(avail_ctx *ctx, avail_plan *plan, const avail_bookable *b, size_t index,
                     bool keep_closed_dates)
{
	plan_start(ctx, plan, b, index);
	plan_hours(ctx, plan, b, keep_closed_dates);
	/* Business hours bound everyone (DESIGN.md "Availability"). */
	const interval_set *biz = avail_business_hours(ctx, keep_closed_dates);
	if (biz) {
		interval_set own = plan->hours;
		interval_set_init(&plan->hours, ctx->a);
		interval_set_intersect(&plan->hours, &own, biz);
	}
	open_subtract(ctx, plan, b, keep_closed_dates);
}
