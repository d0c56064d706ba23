/* avail_explain.c - why a start is not offered: the first rule it fails, as a stable code. */
#include <string.h>

#include "core/avail_impl.h"

const char *avail_reason_name(avail_reason r)
{
	switch (r) {
	case AVAIL_REASON_OFFERED:
		return "offered";
	case AVAIL_REASON_MIN_NOTICE:
		return "min_notice";
	case AVAIL_REASON_BEYOND_WINDOW:
		return "beyond_window";
	case AVAIL_REASON_OFF_GRID:
		return "off_grid";
	case AVAIL_REASON_LENGTH:
		return "length";
	case AVAIL_REASON_NO_SESSION:
		return "no_session";
	case AVAIL_REASON_OUTSIDE_HOURS:
		return "outside_hours";
	case AVAIL_REASON_BREAK:
		return "break";
	case AVAIL_REASON_BUSINESS_HOURS:
		return "business_hours";
	case AVAIL_REASON_CLOSURE:
		return "closure";
	case AVAIL_REASON_TIME_OFF:
		return "time_off";
	case AVAIL_REASON_BLACKOUT:
		return "blackout";
	case AVAIL_REASON_PICKUP_HOURS:
		return "pickup_hours";
	case AVAIL_REASON_RETURN_HOURS:
		return "return_hours";
	case AVAIL_REASON_CALENDAR_STALE:
		return "calendar_stale";
	case AVAIL_REASON_BUSY:
		return "busy";
	case AVAIL_REASON_EXTERNAL_BUSY:
		return "external_busy";
	case AVAIL_REASON_BUFFER:
		return "buffer";
	case AVAIL_REASON_FULL:
		return "full";
	case AVAIL_REASON_NO_RESOURCE:
		return "no_resource";
	}
	return "unknown";
}

/* [start, end) is not inside the hours: a break when hours of the same local date lie on
 * both sides of where it leaves them, outside_hours otherwise. */
static avail_reason avail_hours_reason(const avail_plan *all, int64_t start, int64_t end)
{
	const interval_set *h = &all->hours;
	const avail_days *d = all->days;
	int64_t day = avail_day_of(d, start);
	size_t i = interval_set_seek(h, start);
	if (i < h->n && h->v[i].start <= start) {
		/* Starts inside hours but runs past their end: a break when they resume that day.
		 */
		(void)end;
		if (i + 1 < h->n && avail_day_of(d, h->v[i + 1].start) == day)
			return AVAIL_REASON_BREAK;
		return AVAIL_REASON_OUTSIDE_HOURS;
	}
	bool before = i > 0 && avail_day_of(d, h->v[i - 1].end - 1) == day;
	bool after = i < h->n && avail_day_of(d, h->v[i].start) == day;
	return before && after ? AVAIL_REASON_BREAK : AVAIL_REASON_OUTSIDE_HOURS;
}

static bool avail_overlap(int64_t a0, int64_t a1, int64_t b0, int64_t b1)
{
	return a0 < b1 && b0 < a1;
}

/* The reason for one candidate; the pick already passed notice and advance. */
static avail_reason avail_explain_one(avail_ctx *ctx, const avail_bookable *b, size_t index,
                                      int64_t start, int64_t end, int seats)
{
	const avail_service *svc = ctx->svc;
	bool rental = svc->kind == AVAIL_RENTAL;
	const tz *z = avail_zone_of(ctx->req, b);
	avail_grid g = avail_grid_of(svc);
	if (!avail_tz_on_grid(z, g, start) || (rental && !avail_tz_on_grid(z, g, end)))
		return AVAIL_REASON_OFF_GRID;
	if (rental && !avail_rental_length_ok(svc, z, start, end))
		return AVAIL_REASON_LENGTH;
	if (rental && b->overnight && !svc->whole_days)
		return avail_overnight_explain(ctx, b, index, start, end);

	avail_plan all;
	avail_plan_open_own(ctx, &all, b, index, true);
	if (!interval_set_contains(&all.hours, start, end))
		return avail_hours_reason(&all, start, end);
	const interval_set *biz = avail_business_hours(ctx, true);
	if (biz && !interval_set_contains(biz, start, end))
		return AVAIL_REASON_BUSINESS_HOURS;

	avail_plan plan;
	avail_plan_build(ctx, &plan, b, index, !rental);
	interval_set unclosed;
	interval_set_init(&unclosed, ctx->a);
	interval_set_subtract(&unclosed, &plan.hours, &ctx->closed);
	if (!interval_set_contains(&unclosed, start, end))
		return AVAIL_REASON_CLOSURE;
	if (!interval_set_contains(&plan.open, start, end))
		return AVAIL_REASON_TIME_OFF;
	for (size_t i = 0; i < b->n_blackouts; i++)
		if (avail_overlap(start, end, b->blackouts[i].start, b->blackouts[i].end))
			return AVAIL_REASON_BLACKOUT;
	if (b->calendar_stale)
		return AVAIL_REASON_CALENDAR_STALE;

	bool group = svc->kind == AVAIL_APPOINTMENT && svc->capacity > 1;
	bool busy = false, external = false, buffer = false;
	for (size_t i = 0; i < b->n_busy; i++) {
		const avail_busy *e = &b->busy[i];
		if (group && e->same_service && e->start == start)
			continue; /* shares the seats of this start */
		int64_t wb = e->external ? 0 : b->buffer_before_s;
		int64_t wa = e->external ? 0 : b->buffer_after_s;
		if (avail_overlap(start, end, e->start, e->end))
			*(e->external ? &external : &busy) = true;
		else if (avail_overlap(start - svc->buffer_before_s - b->buffer_before_s,
		                       end + svc->buffer_after_s + b->buffer_after_s,
		                       e->busy_start - wb, e->busy_end + wa))
			buffer = true;
	}
	if (busy)
		return AVAIL_REASON_BUSY;
	if (external)
		return AVAIL_REASON_EXTERNAL_BUSY;
	if (buffer)
		return AVAIL_REASON_BUFFER;
	if (!rental && avail_plan_seats_at(ctx, &plan, start) < seats)
		return AVAIL_REASON_FULL;
	if (svc->kind == AVAIL_APPOINTMENT && svc->needs_resource)
		return AVAIL_REASON_NO_RESOURCE;
	return AVAIL_REASON_BUSY; /* not reached while explain and the engine agree */
}

avail_reason avail_explain(const avail_request *req, const avail_pick *p, arena *a)
{
	if (!req || !p || !req->service || !req->business_zone ||
	    avail_service_validate(req->service, NULL) != STATUS_OK ||
	    !avail_has_provider(req, p->provider))
		return AVAIL_REASON_OUTSIDE_HOURS;
	if (avail_check(req, p, a, NULL))
		return AVAIL_REASON_OFFERED;

	const avail_service *svc = req->service;
	int seats = p->seats < 1 ? 1 : p->seats;
	if (p->start < p->now + svc->min_notice_s)
		return AVAIL_REASON_MIN_NOTICE;
	if (p->start > p->now + svc->max_advance_s)
		return AVAIL_REASON_BEYOND_WINDOW;

	if (svc->kind == AVAIL_CLASS) {
		avail_reason best = AVAIL_REASON_NO_SESSION;
		for (size_t i = 0; i < req->n_sessions; i++) {
			const avail_session *s = &req->sessions[i];
			if (s->start != p->start)
				continue;
			if (p->provider &&
			    (!s->provider_id || strcmp(s->provider_id, p->provider) != 0))
				continue;
			avail_reason r = avail_session_blocked(req, s);
			if (r == AVAIL_REASON_OFFERED)
				r = AVAIL_REASON_FULL;
			if (r > best)
				best = r;
		}
		return best;
	}

	int64_t end = svc->kind == AVAIL_RENTAL ? p->end : p->start + svc->duration_s;
	if (end <= p->start)
		return AVAIL_REASON_LENGTH;
	avail_ctx ctx;
	if (avail_ctx_init(&ctx, req, a, p->now, seats, p->start, p->start + 1, p->start, end) !=
	    STATUS_OK)
		return AVAIL_REASON_OUTSIDE_HOURS;
	int best = -1;
	for (size_t i = 0; i < req->n_providers; i++) {
		const avail_bookable *b = &req->providers[i];
		if (p->provider && strcmp(b->id, p->provider) != 0)
			continue;
		avail_reason r = avail_explain_one(&ctx, b, i, p->start, end, seats);
		if ((int)r > best)
			best = (int)r;
	}
	return best < 0 ? AVAIL_REASON_OUTSIDE_HOURS : (avail_reason)best;
}
