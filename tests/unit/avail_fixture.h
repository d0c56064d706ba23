/* avail_fixture.h - builders for avail_request and slot assertions shared by the test_avail_*.c
 * unit tests. Expected instants are hand-computed UTC times written with U() from base/civil.h. */
#ifndef BOOKD_TEST_AVAIL_FIXTURE_H
#define BOOKD_TEST_AVAIL_FIXTURE_H

/*
 * A test builds one fx with fx_new, adds providers/resources and their rows with the fx_*
 * builders, then asks the engine through fx_req (or fx_slots/fx_slots_q) and frees it with
 * fx_free. Everything here is static inline so each test file takes only what it uses; the
 * helpers fail the running check test on a broken expectation and are not thread-safe.
 */
#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "base/arena.h"
#include "base/civil.h"
#include "base/xalloc.h"
#include "core/avail.h"

/* One test's engine input under construction. Each bookable owns a data slot of rows:
 * providers 0.., resources FX_MAX..; fx_req points the bookables at their rows. */
#define FX_MAX 48  /* bookables of each kind (over 32 takes the engine's heap merge) */
#define FX_ROWS 64 /* rows of each kind per bookable */

typedef struct fx {
	avail_service svc;                       /* the service, defaults set by fx_new */
	avail_rule rules[2 * FX_MAX][FX_ROWS];   /* per data slot */
	size_t n_rules[2 * FX_MAX];              /* rules used */
	avail_override ovr[2 * FX_MAX][FX_ROWS]; /* per data slot */
	size_t n_ovr[2 * FX_MAX];                /* overrides used */
	avail_span off[2 * FX_MAX][FX_ROWS];     /* per data slot */
	size_t n_off[2 * FX_MAX];                /* time off used */
	avail_busy busy[2 * FX_MAX][FX_ROWS];    /* per data slot */
	size_t n_busy[2 * FX_MAX];               /* busy used */
	avail_bookable prov[FX_MAX];             /* providers (data slots 0..) */
	size_t n_prov;                           /* providers used */
	avail_bookable res[FX_MAX];              /* resources (data slots FX_MAX..) */
	size_t n_res;                            /* resources used */
	avail_session sessions[16];              /* class sessions */
	size_t n_sessions;                       /* sessions used */
	int64_t closures[16];                    /* closure days */
	size_t n_closures;                       /* closures used */
	bool starts_may_tie;                     /* fx_slots_q: rental ranges may share a start */
	avail_request req;                       /* built by fx_req */
	arena *a;                                /* for results */
} fx;

static inline int64_t U(int y, int mo, int d, int h, int mi)
{
	civil c = {y, mo, d, h, mi, 0};
	return civil_to_epoch(c);
}

static inline int64_t D(int y, int mo, int d)
{
	return civil_days(y, mo, d);
}

static inline fx *fx_new(const char *zone)
{
	fx *f = xcalloc(1, sizeof(*f));
	f->req.business_zone = tz_get(zone);
	ck_assert_ptr_nonnull(f->req.business_zone);
	f->svc.kind = AVAIL_APPOINTMENT;
	f->svc.duration_s = 1800;
	f->svc.slot_interval_s = 900;
	f->svc.capacity = 1;
	f->svc.max_advance_s = 3 * 365 * 86400; /* now is 2025-01-01 in most tests */
	f->a = arena_new();
	return f;
}

static inline void fx_free(fx *f)
{
	arena_free(f->a);
	free(f);
}

static inline int fx_provider(fx *f, const char *id, const char *zone)
{
	int slot = (int)f->n_prov++;
	f->prov[slot].id = id;
	f->prov[slot].zone = zone ? tz_get(zone) : NULL;
	return slot;
}

static inline int fx_resource(fx *f, const char *id)
{
	int k = (int)f->n_res++;
	f->res[k].id = id;
	return FX_MAX + k;
}

static inline void fx_rule_v(fx *f, int slot, int wd, int start_min, int end_min, int64_t from,
                             int64_t to)
{
	avail_rule *r = &f->rules[slot][f->n_rules[slot]++];
	r->weekday = wd;
	r->start_min = start_min;
	r->end_min = end_min;
	r->has_valid_from = from != INT64_MIN;
	r->valid_from = from;
	r->has_valid_to = to != INT64_MIN;
	r->valid_to = to;
}

static inline void fx_rule(fx *f, int slot, int wd, int start_min, int end_min)
{
	fx_rule_v(f, slot, wd, start_min, end_min, INT64_MIN, INT64_MIN);
}

static inline void fx_every_day(fx *f, int slot, int start_min, int end_min)
{
	for (int wd = 0; wd < 7; wd++)
		fx_rule(f, slot, wd, start_min, end_min);
}

static inline void fx_override(fx *f, int slot, int64_t day, bool closed, int start_min,
                               int end_min)
{
	avail_override *o = &f->ovr[slot][f->n_ovr[slot]++];
	o->day = day;
	o->closed = closed;
	o->start_min = start_min;
	o->end_min = end_min;
}

static inline void fx_off(fx *f, int slot, int64_t start, int64_t end)
{
	f->off[slot][f->n_off[slot]++] = (avail_span){start, end};
}

/* A booking [start, end) whose own service has buffers before/after. */
static inline void fx_busy(fx *f, int slot, int64_t start, int64_t end, int64_t before,
                           int64_t after, int seats, bool same)
{
	avail_busy *b = &f->busy[slot][f->n_busy[slot]++];
	b->busy_start = start - before;
	b->busy_end = end + after;
	b->start = start;
	b->end = end;
	b->seats = seats;
	b->same_service = same;
}

/* Points bookable b at the rows of data slot k. */
static inline void fx_attach(fx *f, avail_bookable *b, size_t k)
{
	b->rules = f->rules[k];
	b->n_rules = f->n_rules[k];
	b->overrides = f->ovr[k];
	b->n_overrides = f->n_ovr[k];
	b->time_off = f->off[k];
	b->n_time_off = f->n_off[k];
	b->busy = f->busy[k];
	b->n_busy = f->n_busy[k];
}

/* The request as built so far; it points into f and stays valid until fx_free. */
static inline const avail_request *fx_req(fx *f)
{
	for (size_t i = 0; i < f->n_prov; i++)
		fx_attach(f, &f->prov[i], i);
	for (size_t i = 0; i < f->n_res; i++)
		fx_attach(f, &f->res[i], FX_MAX + i);
	f->req.service = &f->svc;
	f->req.providers = f->prov;
	f->req.n_providers = f->n_prov;
	f->req.resources = f->res;
	f->req.n_resources = f->n_res;
	f->req.sessions = f->sessions;
	f->req.n_sessions = f->n_sessions;
	f->req.closures = f->closures;
	f->req.n_closures = f->n_closures;
	return &f->req;
}

/* The slots of [from, to) at now for seats, of one provider or any (NULL); asserts the call
 * succeeds and the starts ascend (strictly unless f->starts_may_tie). */
static inline avail_result fx_slots_q(fx *f, int64_t from, int64_t to, int64_t now,
                                      const char *provider, int seats)
{
	avail_query q = {from, to, now, seats, provider};
	avail_result r;
	ck_assert_int_eq(avail_slots(fx_req(f), &q, f->a, &r), STATUS_OK);
	for (size_t i = 1; i < r.n_slots; i++) {
		if (f->starts_may_tie)
			ck_assert_int_le(r.slots[i - 1].start, r.slots[i].start);
		else
			ck_assert_int_lt(r.slots[i - 1].start, r.slots[i].start);
	}
	return r;
}

/* Slots with now long before and one seat, any provider. */
static inline avail_result fx_slots(fx *f, int64_t from, int64_t to)
{
	return fx_slots_q(f, from, to, U(2025, 1, 1, 0, 0), NULL, 1);
}

static inline const avail_slot *find(const avail_result *r, int64_t s)
{
	for (size_t i = 0; i < r->n_slots; i++)
		if (r->slots[i].start == s)
			return &r->slots[i];
	return NULL;
}

/* The starts are exactly want[0..n). */
static inline void expect_starts(const avail_result *r, const int64_t *want, size_t n)
{
	for (size_t i = 0; i < r->n_slots && i < n; i++)
		ck_assert_msg(r->slots[i].start == want[i], "slot %zu: got %lld want %lld", i,
		              (long long)r->slots[i].start, (long long)want[i]);
	ck_assert_uint_eq(r->n_slots, n);
}

/* The starts are every `step` from first to last (inclusive). */
static inline void expect_run(const avail_result *r, size_t at, int64_t first, int64_t last,
                              int64_t step)
{
	size_t n = (size_t)((last - first) / step + 1);
	ck_assert_uint_ge(r->n_slots, at + n);
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(r->slots[at + i].start == first + (int64_t)i * step,
		              "slot %zu: got %lld want %lld", at + i,
		              (long long)r->slots[at + i].start,
		              (long long)(first + (int64_t)i * step));
}

static inline void expect_providers(const avail_slot *s, const char *a, const char *b)
{
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(s->n_providers, b ? 2 : 1);
	ck_assert_str_eq(s->providers[0], a);
	if (b)
		ck_assert_str_eq(s->providers[1], b);
}

/* Minutes since midnight; the length of an array. */
#define H(h, m) ((h)*60 + (m))
#define N(arr) (sizeof(arr) / sizeof((arr)[0]))

#endif
