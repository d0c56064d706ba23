/* avail_slots.c - appointment slots: grid starts per provider, merged into "any provider",
 * paired with resources; and avail_slots itself. */
#include <string.h>

#include "core/avail_impl.h"

/* One start a provider can take. */
typedef struct avail_start {
	int64_t s; /* the start */
	int seats; /* seats left there for that provider */
} avail_start;

/* The starts of one provider, in order. */
typedef struct avail_starts {
	avail_start *v; /* the starts */
	size_t n;       /* entries in v */
	size_t cap;     /* room in v */
} avail_starts;

static void avail_starts_push(arena *a, avail_starts *l, int64_t s, int seats)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		avail_start *v = arena_alloc_raw(a, cap * sizeof(*v));
		if (l->n)
			memcpy(v, l->v, l->n * sizeof(*v));
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n].s = s;
	l->v[l->n].seats = seats;
	l->n++;
}

static int64_t avail_max(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

static int64_t avail_min(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

/* Every grid start of one provider with seats enough, walking its free intervals and, on
 * days without a change of offset, the grid by plain addition. */
static void avail_provider_starts(avail_ctx *ctx, avail_plan *plan, avail_starts *out)
{
	avail_grid g = avail_grid_of(ctx->svc);
	int64_t iv = g.iv, dur = ctx->svc->duration_s;
	const interval_set *f = &plan->free;
	size_t first = interval_set_seek(f, ctx->lo);

	/* Room for every grid point of the free time (plus a few: a DST gap can bring two grid
	 * instants closer than iv), so the list is allocated once. */
	size_t room = 8;
	for (size_t i = first; i < f->n && f->v[i].start < ctx->hi; i++) {
		int64_t a = avail_max(f->v[i].start, ctx->lo), b = avail_min(f->v[i].end, ctx->hi);
		if (b > a)
			room += (size_t)((b - a) / iv) + 2;
	}
	out->v = arena_alloc_raw(ctx->a, room * sizeof(*out->v));
	out->cap = room;

	for (size_t i = first; i < f->n; i++) {
		if (f->v[i].start >= ctx->hi)
			break;
		int64_t t = avail_max(f->v[i].start, ctx->lo);
		int64_t limit = avail_min(ctx->hi, f->v[i].end - dur + 1);
		int64_t s, run_end;
		while (avail_grid_run(plan->days, g, t, limit, &s, &run_end)) {
			for (; s < run_end; s += iv) {
				int seats = avail_plan_seats(ctx, plan, s);
				if (seats >= ctx->seats)
					avail_starts_push(ctx->a, out, s, seats);
			}
			t = run_end;
		}
	}
}

/* A heap entry of the k-way merge: the next start of one provider. */
typedef struct avail_head {
	int64_t s;   /* that start */
	size_t p;    /* which provider (its position among the plans) */
	size_t next; /* its index in that provider's list */
} avail_head;

static bool avail_head_less(const avail_head *a, const avail_head *b)
{
	return a->s < b->s || (a->s == b->s && a->p < b->p);
}

static void avail_heap_down(avail_head *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < n && avail_head_less(&h[l], &h[m]))
			m = l;
		if (r < n && avail_head_less(&h[r], &h[m]))
			m = r;
		if (m == i)
			return;
		avail_head t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
}

static void avail_result_push(arena *a, avail_result *out, size_t *cap, const avail_slot *slot)
{
	if (out->n_slots == *cap) {
		size_t c = *cap ? *cap * 2 : 64;
		avail_slot *v = arena_alloc_raw(a, c * sizeof(*v));
		if (out->n_slots)
			memcpy(v, out->slots, out->n_slots * sizeof(*v));
		out->slots = v;
		*cap = c;
	}
	out->slots[out->n_slots++] = *slot;
}

/* The next start of the lists by scanning their heads (few providers): its providers into
 * ids (*n_ids) and their seats added to *seats, each list moved past it. False when every
 * list is done. */
static bool merge_scan_next(size_t *at, const avail_starts *lists, const avail_plan *plans,
                            size_t np, int64_t *s_out, const char **ids, size_t *n_ids,
                            int *seats)
{
	int64_t s = INT64_MAX;
	for (size_t p = 0; p < np; p++)
		if (at[p] < lists[p].n && lists[p].v[at[p]].s < s)
			s = lists[p].v[at[p]].s;
	if (s == INT64_MAX)
		return false;
	for (size_t p = 0; p < np; p++) {
		if (at[p] < lists[p].n && lists[p].v[at[p]].s == s) {
			ids[(*n_ids)++] = plans[p].b->id;
			*seats += lists[p].v[at[p]].seats;
			at[p]++;
		}
	}
	*s_out = s;
	return true;
}

/* The same from a heap of the lists' heads (many providers). */
static bool merge_heap_next(avail_head *heap, size_t *nh, const avail_starts *lists,
                            const avail_plan *plans, int64_t *s_out, const char **ids,
                            size_t *n_ids, int *seats)
{
	if (*nh == 0)
		return false;
	int64_t s = heap[0].s;
	while (*nh && heap[0].s == s) {
		avail_head *h = &heap[0];
		const avail_starts *l = &lists[h->p];
		ids[(*n_ids)++] = plans[h->p].b->id;
		*seats += l->v[h->next - 1].seats;
		if (h->next < l->n) {
			h->s = l->v[h->next].s;
			h->next++;
		} else {
			heap[0] = heap[--*nh];
		}
		avail_heap_down(heap, *nh, 0);
	}
	*s_out = s;
	return true;
}

/* The resources with room for the request's seats at s, into rids (their count returned);
 * *seats is lowered to what they hold together. */
static size_t merge_resources(avail_ctx *ctx, avail_plan *rplans, size_t nr, int64_t s,
                              const char **rids, int *seats)
{
	int rseats = 0;
	size_t n = 0;
	for (size_t r = 0; r < nr; r++) {
		int left = avail_plan_seats(ctx, &rplans[r], s);
		if (left >= ctx->seats) {
			rids[n++] = rplans[r].b->id;
			rseats += left;
		}
	}
	if (n && rseats < *seats)
		*seats = rseats;
	return n;
}

/* Merges the providers' sorted lists into "any provider" slots, pairing each start with the
 * free resources when the service needs one. */
static void avail_merge(avail_ctx *ctx, avail_plan *plans, avail_starts *lists, size_t np,
                        avail_plan *rplans, size_t nr, avail_result *out)
{
	bool pair = ctx->svc->needs_resource;
	size_t total = 0, longest = 0;
	for (size_t p = 0; p < np; p++) {
		total += lists[p].n;
		if (lists[p].n > longest)
			longest = lists[p].n;
	}
	if (total == 0)
		return;
	/* Every provider id of every slot lives in one pool; each slot takes a stretch. */
	const char **pool = arena_alloc_raw(ctx->a, total * sizeof(*pool));
	size_t used = 0;
	const char **rids = pair ? arena_alloc(ctx->a, (nr + 1) * sizeof(*rids)) : NULL;
	size_t cap = longest;
	out->slots = arena_alloc_raw(ctx->a, cap * sizeof(*out->slots));

	/* Few providers: scan the heads for each start. Many: a heap. */
	bool scan = np <= 32;
	size_t *at = arena_alloc(ctx->a, (np + 1) * sizeof(*at));
	avail_head *heap = NULL;
	size_t nh = 0;
	if (!scan) {
		heap = arena_alloc(ctx->a, (np + 1) * sizeof(*heap));
		for (size_t p = 0; p < np; p++)
			if (lists[p].n)
				heap[nh++] = (avail_head){lists[p].v[0].s, p, 1};
		for (size_t i = nh; i-- > 0;)
			avail_heap_down(heap, nh, i);
	}

	for (;;) {
		int64_t s = INT64_MAX;
		const char **ids = pool + used;
		size_t n_ids = 0;
		int seats = 0;
		if (scan ? !merge_scan_next(at, lists, plans, np, &s, ids, &n_ids, &seats)
			 : !merge_heap_next(heap, &nh, lists, plans, &s, ids, &n_ids, &seats))
			break;
		size_t n_rids = 0;
		if (pair) {
			n_rids = merge_resources(ctx, rplans, nr, s, rids, &seats);
			if (n_rids == 0)
				continue;
		}
		used += n_ids;

		avail_slot slot = {0};
		slot.start = s;
		slot.end = s + ctx->svc->duration_s;
		slot.last_start = s;
		slot.seats_left = seats;
		slot.providers = ids;
		slot.n_providers = n_ids;
		if (n_rids) {
			slot.resources = arena_alloc(ctx->a, n_rids * sizeof(*slot.resources));
			memcpy(slot.resources, rids, n_rids * sizeof(*rids));
			slot.n_resources = n_rids;
		}
		avail_result_push(ctx->a, out, &cap, &slot);
	}
}

void avail_slots_appointment(avail_ctx *ctx, const char *provider, avail_result *out)
{
	const avail_request *req = ctx->req;
	bool pair = ctx->svc->needs_resource;
	size_t nr = pair ? req->n_resources : 0;
	if (pair && nr == 0)
		return;
	size_t np = 0;
	avail_plan *plans = arena_alloc(ctx->a, (req->n_providers + 1) * sizeof(*plans));
	avail_starts *lists = arena_alloc(ctx->a, (req->n_providers + 1) * sizeof(*lists));
	for (size_t i = 0; i < req->n_providers; i++) {
		const avail_bookable *b = &req->providers[i];
		if (provider && strcmp(b->id, provider) != 0)
			continue;
		avail_plan_build(ctx, &plans[np], b, i, true);
		avail_provider_starts(ctx, &plans[np], &lists[np]);
		np++;
	}
	avail_plan *rplans = arena_alloc(ctx->a, (nr + 1) * sizeof(*rplans));
	for (size_t i = 0; i < nr; i++)
		avail_plan_build(ctx, &rplans[i], &req->resources[i], i, true);
	avail_merge(ctx, plans, lists, np, rplans, nr, out);
}

const tz *avail_zone_of(const avail_request *req, const avail_bookable *b)
{
	return b->zone ? b->zone : req->business_zone;
}

bool avail_has_provider(const avail_request *req, const char *provider)
{
	if (!provider)
		return true;
	if (req->service && req->service->kind == AVAIL_CLASS) {
		for (size_t i = 0; i < req->n_sessions; i++)
			if (req->sessions[i].provider_id &&
			    strcmp(req->sessions[i].provider_id, provider) == 0)
				return true;
	}
	for (size_t i = 0; i < req->n_providers; i++)
		if (req->providers[i].id && strcmp(req->providers[i].id, provider) == 0)
			return true;
	return false;
}

static int64_t avail_sat_add(int64_t a, int64_t b)
{
	int64_t r;
	if (__builtin_add_overflow(a, b, &r))
		return b > 0 ? INT64_MAX : INT64_MIN;
	return r;
}

status avail_run(const avail_request *req, const avail_query *q, int64_t horizon, arena *a,
                 avail_result *out)
{
	memset(out, 0, sizeof(*out));
	if (!req || !q || !req->service || q->to < q->from || q->to - q->from > AVAIL_MAX_RANGE_S ||
	    q->seats < 0)
		return STATUS_INVALID;
	const avail_service *svc = req->service;
	if (!avail_has_provider(req, q->provider))
		return STATUS_NOT_FOUND;

	int64_t lo = avail_max(q->from, avail_sat_add(q->now, svc->min_notice_s));
	int64_t hi = avail_min(q->to, avail_sat_add(avail_sat_add(q->now, svc->max_advance_s), 1));
	int64_t span_lo = lo, span_hi = hi;
	if (svc->kind == AVAIL_APPOINTMENT) {
		span_hi = avail_sat_add(hi, svc->duration_s);
	} else if (svc->kind == AVAIL_RENTAL) {
		if (horizon)
			span_hi = horizon;
		else
			span_hi =
			    avail_sat_add(q->to, svc->max_length_s > 0 ? svc->max_length_s
			                                               : AVAIL_RENTAL_HORIZON_S);
	}
	if (span_hi < span_lo)
		span_hi = span_lo;

	avail_ctx ctx;
	status st = avail_ctx_init(&ctx, req, a, q->now, q->seats, lo, hi, span_lo, span_hi);
	if (st != STATUS_OK)
		return st;
	if (lo >= hi)
		return STATUS_OK;
	switch (svc->kind) {
	case AVAIL_APPOINTMENT:
		avail_slots_appointment(&ctx, q->provider, out);
		break;
	case AVAIL_RENTAL:
		avail_slots_rental(&ctx, q->provider, out);
		break;
	case AVAIL_CLASS:
		avail_slots_class(&ctx, q->provider, out);
		break;
	}
	return STATUS_OK;
}

status avail_slots(const avail_request *req, const avail_query *q, arena *a, avail_result *out)
{
	return avail_run(req, q, 0, a, out);
}
