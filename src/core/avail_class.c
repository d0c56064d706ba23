/* avail_class.c - class sessions: fixed starts with seats left, inside notice and advance,
 * except on a business closure day or while the provider leading them is on time off. */
#include <stdlib.h>
#include <string.h>

#include "core/avail_impl.h"

avail_reason avail_session_blocked(const avail_request *req, const avail_session *s)
{
	/* Sessions are written one by one, long before a closure or time off may be added:
	 * those win, as they do over weekly hours, so nobody books a class that will not run. */
	int64_t day = tz_local_day(req->business_zone, s->start);
	for (size_t i = 0; i < req->n_closures; i++)
		if (req->closures[i] == day)
			return AVAIL_REASON_CLOSURE;
	if (!s->provider_id)
		return AVAIL_REASON_OFFERED;
	for (size_t i = 0; i < req->n_providers; i++) {
		const avail_bookable *b = &req->providers[i];
		if (!b->id || strcmp(b->id, s->provider_id) != 0)
			continue;
		for (size_t k = 0; k < b->n_time_off; k++)
			if (b->time_off[k].start < s->end && s->start < b->time_off[k].end)
				return AVAIL_REASON_TIME_OFF;
	}
	return AVAIL_REASON_OFFERED;
}

static int avail_session_cmp(const void *pa, const void *pb)
{
	const avail_session *a = *(const avail_session *const *)pa;
	const avail_session *b = *(const avail_session *const *)pb;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->end != b->end)
		return a->end < b->end ? -1 : 1;
	/* Same times: keep the request's order (the pointers are into one array). */
	return (a > b) - (a < b);
}

void avail_slots_class(avail_ctx *ctx, const char *provider, avail_result *out)
{
	const avail_request *req = ctx->req;
	const avail_session **pick = arena_alloc(ctx->a, (req->n_sessions + 1) * sizeof(*pick));
	size_t n = 0;
	for (size_t i = 0; i < req->n_sessions; i++) {
		const avail_session *s = &req->sessions[i];
		if (s->start < ctx->lo || s->start >= ctx->hi || s->end <= s->start)
			continue;
		if (provider && (!s->provider_id || strcmp(s->provider_id, provider) != 0))
			continue;
		if (s->capacity - s->seats_taken < ctx->seats)
			continue;
		if (avail_session_blocked(req, s) != AVAIL_REASON_OFFERED)
			continue;
		pick[n++] = s;
	}
	qsort(pick, n, sizeof(*pick), avail_session_cmp);
	out->slots = arena_alloc(ctx->a, (n + 1) * sizeof(*out->slots));
	for (size_t i = 0; i < n; i++) {
		avail_slot *slot = &out->slots[out->n_slots++];
		memset(slot, 0, sizeof(*slot));
		slot->start = pick[i]->start;
		slot->end = pick[i]->end;
		slot->last_start = pick[i]->start;
		slot->seats_left = pick[i]->capacity - pick[i]->seats_taken;
		slot->session_id = pick[i]->id;
		if (pick[i]->provider_id) {
			slot->providers = arena_alloc(ctx->a, sizeof(*slot->providers));
			slot->providers[0] = pick[i]->provider_id;
			slot->n_providers = 1;
		}
	}
}
