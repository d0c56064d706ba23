/* availability.c - GET /api/v1/public/{business}/availability (API.md "Availability"). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/pricing.h"
#include "api/auth.h"
#include "api/avail_answer.h"
#include "api/avail_cache.h"
#include "api/booking_json.h"
#include "api/common.h"
#include "api/availability_impl.h"
#include "api/handlers.h"
#include "api/staff_bookings.h"
#include "base/civil.h"
#include "core/avail.h"
#include "core/tz.h"
#include "store/availability.h"
#include "store/catalog.h"

#define AVAILABILITY_MAX_DAYS 92
/* The advance a cached computation asks with: the longest a service may set. */
#define AVAIL_ADVANCE_ALL (100LL * 366 * 86400)

bool avail_params_read(http_req *r, const business *b, avail_params *p)
{
	p->service = http_query(r, "service");
	if (http_query(r, "services")) /* several: availability_multi.c reads them */
		p->service = NULL;
	else if (!p->service || !*p->service)
		http_field_error_add(r, "service", "is required");
	const char *from = http_query(r, "from"), *to = http_query(r, "to");
	bool dates_ok = true;
	if (!from || !civil_parse_date(from, strlen(from), &p->from_day)) {
		http_field_error_add(r, "from", "must be a date YYYY-MM-DD");
		dates_ok = false;
	}
	if (!to || !civil_parse_date(to, strlen(to), &p->to_day)) {
		http_field_error_add(r, "to", "must be a date YYYY-MM-DD");
		dates_ok = false;
	}
	if (dates_ok && p->to_day < p->from_day)
		http_field_error_add(r, "to", "must not be before from");
	else if (dates_ok && p->to_day - p->from_day > AVAILABILITY_MAX_DAYS)
		http_field_error_add(r, "to", "must be at most %d days after from",
				     AVAILABILITY_MAX_DAYS);
	const char *zone = http_query(r, "tz");
	p->zone = tz_get(zone && *zone ? zone : b->timezone);
	if (!p->zone)
		http_field_error_add(r, "tz", "is not a known IANA time zone");
	p->provider = http_query(r, "provider");
	if (p->provider && !*p->provider)
		p->provider = NULL;
	p->seats = booking_query_seats(r, http_query(r, "seats"));
	if (r->nerrors) {
		http_problem_query(r, "invalid availability query");
		return false;
	}
	return true;
}

/* The engine's slots for starts in [from, to), the request's window (notice, advance) left
 * for the caller to cut: the service is asked with no notice and the longest advance. */
static status avail_compute(db_conn *c, const business *b, const service *svc,
			    const avail_params *p, int64_t from, int64_t to, int64_t now, arena *a,
			    avail_result *res, int64_t *until, bool *engine)
{
	avail_request req;
	status st = store_avail_load_until(c, b, svc, from, to, now, a, &req, until);
	if (st != STATUS_OK)
		return st;
	*engine = true; /* what follows is the engine's word */
	avail_service *open = arena_alloc(a, sizeof(*open));
	*open = *req.service;
	open->min_notice_s = 0;
	open->max_advance_s = AVAIL_ADVANCE_ALL;
	req.service = open;
	avail_query q = {.from = from, .to = to, .now = from, .seats = p->seats,
			 .provider = p->provider};
	return avail_slots(&req, &q, a, res);
}

/* The cache key of one business-zone day of a question: the answer is a function of the
 * change version (checked by the cache), the business, service, provider, seats and the
 * day. Values are length-prefixed, so no value can forge another's place. */
static size_t avail_day_key(char *k, size_t cap, const business *b, const avail_params *p,
			    int64_t day)
{
	/* Raw bytes, not text: lengths and numbers as they lie in memory (no printf: hot). */
	const char *parts[3] = {b->id, p->service, p->provider ? p->provider : ""};
	size_t n = 0;
	for (int i = 0; i < 3; i++) {
		size_t l = strlen(parts[i]);
		if (n + sizeof(l) + l > cap)
			return 0;
		memcpy(k + n, &l, sizeof(l));
		memcpy(k + n + sizeof(l), parts[i], l);
		n += sizeof(l) + l;
	}
	if (n + sizeof(p->seats) + sizeof(day) > cap)
		return 0;
	memcpy(k + n, &p->seats, sizeof(p->seats));
	n += sizeof(p->seats);
	memcpy(k + n, &day, sizeof(day));
	return n + sizeof(day);
}

/* The cache key of a whole answer: the business's slug and the query's values as sent,
 * length-prefixed (no value can forge another's place). 0 when it does not fit. */
static size_t avail_answer_key(http_req *r, char *k, size_t cap)
{
	static const char *const names[] = {"service", "from", "to", "tz", "provider", "seats"};
	size_t n = 0;
	k[n++] = 'A'; /* not a day's key: those begin with a length */
	for (size_t i = 0; i <= sizeof(names) / sizeof(names[0]); i++) {
		const char *v = i == 0 ? http_param(r, "business") : http_query(r, names[i - 1]);
		size_t l = v ? strlen(v) : 0;
		if (n + sizeof(l) + l > cap)
			return 0;
		memcpy(k + n, &l, sizeof(l));
		if (l)
			memcpy(k + n + sizeof(l), v, l);
		n += sizeof(l) + l;
	}
	return n;
}

/* Slots of every day of the question, cut to the window: from the cache where it has them,
 * the rest from the engine (and kept). Returns the store's status, or the engine's with
 * *engine set (STATUS_NOT_FOUND: the provider is no candidate). */
static status avail_cached_slots(http_req *r, db_conn *c, uint64_t version, const business *b,
				 const service *svc, const avail_params *p, int64_t lo, int64_t hi,
				 avail_slot **slots_out, size_t *n_out, avail_cache_item ***held,
				 size_t *n_held, bool *engine, avail_days_seen *seen)
{
	seen->until = INT64_MAX;
	const tz *bz = tz_get(b->timezone);
	if (!bz)
		return STATUS_INTERNAL;
	int64_t d0 = tz_local_day(bz, lo), d1 = tz_local_day(bz, hi - 1);
	size_t nd = (size_t)(d1 - d0 + 1);
	avail_cache_item **items = arena_alloc(r->arena, nd * sizeof(*items));
	const void **data = arena_alloc(r->arena, nd * sizeof(*data));
	size_t *lens = arena_alloc(r->arena, nd * sizeof(*lens));
	char key[1024];
	int64_t miss0 = INT64_MAX, miss1 = INT64_MIN;
	*held = items;
	*n_held = nd;
	for (size_t i = 0; i < nd; i++) {
		size_t kl = avail_day_key(key, sizeof(key), b, p, d0 + (int64_t)i);
		items[i] = kl ? avail_cache_find(key, kl, r->now) : NULL;
		if (items[i]) {
			data[i] = avail_cache_data(items[i], &lens[i]);
			int64_t u = avail_cache_valid_until(items[i]);
			seen->until = u < seen->until ? u : seen->until;
			continue;
		}
		if (miss0 == INT64_MAX)
			miss0 = d0 + (int64_t)i;
		miss1 = d0 + (int64_t)i;
	}
	if (miss0 != INT64_MAX) {
		/* One engine run over the days from the first missing to the last. */
		int64_t t0 = tz_day_start(bz, miss0, NULL), t1 = tz_day_start(bz, miss1 + 1, NULL);
		avail_result res;
		int64_t until;
		status st = avail_compute(c, b, svc, p, t0, t1, r->now, r->arena, &res, &until,
					  engine);
		if (st != STATUS_OK)
			return st;
		seen->until = until < seen->until ? until : seen->until;
		size_t k = 0;
		for (int64_t d = miss0; d <= miss1; d++) {
			size_t first = k;
			while (k < res.n_slots && tz_local_day(bz, res.slots[k].start) <= d)
				k++;
			size_t i = (size_t)(d - d0);
			if (items[i])
				continue;
			size_t len;
			void *packed = avail_pack(res.slots + first, k - first, r->arena, &len);
			if (!packed)
				return STATUS_INTERNAL;
			data[i] = packed;
			lens[i] = len;
			size_t kl = avail_day_key(key, sizeof(key), b, p, d);
			if (kl)
				avail_cache_put(key, kl, version, r->now, until, packed, len);
		}
	}
	/* The days' slots, in order, cut to [lo, hi). */
	size_t total = 0;
	avail_slot **day_slots = arena_alloc(r->arena, nd * sizeof(*day_slots));
	size_t *day_n = arena_alloc(r->arena, nd * sizeof(*day_n));
	for (size_t i = 0; i < nd; i++) {
		if (!avail_unpack(data[i], lens[i], r->arena, &day_slots[i], &day_n[i]))
			return STATUS_INTERNAL;
		total += day_n[i];
	}
	avail_slot *out = arena_alloc_raw(r->arena, (total ? total : 1) * sizeof(*out));
	size_t n = 0;
	seen->next = tz_day_start(bz, d1 + 1, NULL);
	for (size_t i = 0; i < nd; i++)
		for (size_t j = 0; j < day_n[i]; j++) {
			int64_t t = day_slots[i][j].start;
			if (t >= lo && t < hi)
				out[n++] = day_slots[i][j];
			else if (t >= hi && t < seen->next)
				seen->next = t;
		}
	*slots_out = out;
	*n_out = n;
	return STATUS_OK;
}

status avail_one_slots(http_req *r, db_conn *c, uint64_t version, const business *b,
		       const service *svc, const avail_params *p, avail_one *o)
{
	memset(o, 0, sizeof(*o));
	int64_t from = tz_day_start(p->zone, p->from_day, NULL);
	int64_t to = tz_day_start(p->zone, p->to_day + 1, NULL);
	avail_service as = store_avail_service(svc);
	/* The request's window: what the engine would cut with this now. */
	int64_t lo = from, hi = to;
	if (r->now + as.min_notice_s > lo)
		lo = r->now + as.min_notice_s;
	if (r->now + as.max_advance_s + 1 < hi)
		hi = r->now + as.max_advance_s + 1;
	o->as = as;
	o->hi = hi;
	o->to = to;
	status st;
	if (svc->kind != SERVICE_RENTAL && lo < hi && avail_cache_limit() > 0 &&
	    avail_service_validate(&as, NULL) == STATUS_OK) {
		/* Appointments and classes: a start is offered or not whatever the window, so
		 * days are computed (or found) whole and cut here. */
		st = avail_cached_slots(r, c, version, b, svc, p, lo, hi, &o->res.slots,
					&o->res.n_slots, &o->held, &o->n_held, &o->engine, &o->seen);
		o->cut = true;
	} else {
		/* Rentals clip their ranges at the window; a service that cannot be computed or an
		 * empty window: the engine as asked, uncached. */
		avail_request req;
		st = store_avail_load(c, b, svc, from, to, r->now, NULL, r->arena, &req);
		if (st == STATUS_OK) {
			avail_query q = {.from = from, .to = to, .now = r->now, .seats = p->seats,
					 .provider = p->provider};
			o->engine = true;
			st = avail_slots(&req, &q, r->arena, &o->res);
		}
	}
	return st;
}

void availability_get(http_req *r)
{
	db_conn *c = app_db(r);
	/* One read transaction: every read agrees with the others, and SQLite takes its locks
	 * and looks at its log once instead of at every statement (app_db_release ends it). */
	status st = db_begin(c);
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	/* A commit by another process (`bookd import`, a restore) on SQLite: what the cache
	 * holds is stale (PostgreSQL's processes tell each other by NOTIFY). */
	if (db_data_changed(c))
		avail_cache_bump();
	/* Read before anything the answer depends on: a write landing meanwhile leaves the
	 * days computed now stale in the cache, never found. */
	uint64_t version = avail_cache_version();
	/* The very question asked before, at a now its answer still holds for. */
	char akey[2048];
	size_t akl = avail_cache_limit() > 0 && !http_query(r, "services")
			     ? avail_answer_key(r, akey, sizeof(akey))
			     : 0; /* several services: their days are cached, not the whole */
	avail_cache_item *answer = akl ? avail_cache_find(akey, akl, r->now) : NULL;
	if (answer) {
		app_db_release(r);
		size_t len;
		const void *text = avail_cache_data(answer, &len);
		http_text(r, 200, "application/json", text, len);
		avail_cache_release(answer);
		return;
	}
	business b;
	avail_params p;
	service svc;
	if (!api_business(r, c, &b) || !avail_params_read(r, &b, &p))
		return;
	if (!p.service) {
		availability_multi(r, c, version, &b, &p);
		return;
	}
	st = store_service_get(c, b.id, p.service, r->arena, &svc);
	if (st == STATUS_OK && !svc.active)
		st = STATUS_NOT_FOUND;
	if (st != STATUS_OK) {
		if (st == STATUS_NOT_FOUND)
			http_problem(r, st, "no service '%s'", p.service);
		else
			api_store_error(r, NULL, st);
		return;
	}
	avail_one one;
	st = avail_one_slots(r, c, version, &b, &svc, &p, &one);
	avail_result res = one.res;
	avail_cache_item **held = one.held;
	size_t n_held = one.n_held;
	bool engine = one.engine, cut = one.cut;
	avail_days_seen seen = one.seen;
	avail_service as = one.as;
	int64_t hi = one.hi, to = one.to;
	if (st != STATUS_OK && !engine)
		api_store_error(r, c, st);
	int64_t *prices = NULL; /* dynamic pricing: each slot's, when they differ */
	bool priced = false;    /* the service has rules: its answers depend on now */
	if (st == STATUS_OK &&
	    pricing_slot_prices(r, c, version, &b, &svc, res.slots, res.n_slots, &priced, &prices) !=
		    STATUS_OK)
		priced = true; /* answered without prices, and not kept */
	app_db_release(r); /* the answer is cut and written without the database */
	if (st != STATUS_OK && !engine) {
		/* answered above */
	} else if (st == STATUS_NOT_FOUND) {
		http_field_error_add(r, "provider", "is not a provider of this service");
		http_problem_query(r, "invalid availability query");
	} else if (st != STATUS_OK) {
		http_problem(r, STATUS_INTERNAL, "the service's configuration cannot be computed");
	} else {
		avail_answer ans = {.service_id = svc.id, .zone = p.zone, .from_day = p.from_day,
				    .to_day = p.to_day, .rental = svc.kind == SERVICE_RENTAL,
				    .slots = res.slots, .n_slots = res.n_slots, .prices = prices,
				    .currency = b.currency};
		http_json_end(r, avail_answer_write(http_json_begin(r, 200), &ans));
		if (cut && akl && r->code == 200 && !priced)
			avail_cache_put(akey, akl, version, r->now,
					avail_answer_until(&seen, &as, res.slots, res.n_slots, hi, to), r->out.data,
					r->out.len);
	}
	for (size_t i = 0; i < n_held; i++)
		avail_cache_release(held[i]);
}

/* GET /api/v1/businesses/{business}/availability/explain?service=&start=&provider=&seats=
 * (&end= for rentals): for staff, why a start is or is not offered, with the slot engine's
 * stable reason code, for one provider or for anyone. */
void availability_explain_get(http_req *r)
{
	const char *sid = http_query(r, "service"), *start_s = http_query(r, "start");
	const char *end_s = http_query(r, "end"), *prov = http_query(r, "provider");
	int64_t start = 0, end = 0;
	if (!sid || !*sid)
		http_field_error_add(r, "service", "is required");
	if (!start_s || !tz_parse_rfc3339(start_s, strlen(start_s), &start))
		http_field_error_add(r, "start", "must be an RFC 3339 instant with an offset");
	if (end_s && !tz_parse_rfc3339(end_s, strlen(end_s), &end))
		http_field_error_add(r, "end", "must be an RFC 3339 instant with an offset");
	else if (end_s)
		booking_body_span(r, start, end); /* the load below spans [start, end] */
	int seats = booking_query_seats(r, http_query(r, "seats"));
	if (r->nerrors) {
		http_problem_query(r, "invalid query");
		return;
	}
	/* The staff role asks about its own provider only, as its calendar shows only that
	 * column: another's breaks, time off and bookings are not its to read. */
	const char *own = staff_visible_to(r);
	if (own && prov && *prov && strcmp(prov, own) != 0) {
		http_problem(r, STATUS_FORBIDDEN, "staff may ask only about their own provider");
		return;
	}
	if (own)
		prov = own;
	db_conn *c = app_db(r);
	business b;
	service svc;
	if (!auth_business(r, c, &b))
		return;
	status st = store_service_get(c, b.id, sid, r->arena, &svc);
	if (st != STATUS_OK) {
		if (st == STATUS_NOT_FOUND)
			http_problem(r, st, "no service '%s'", sid);
		else
			api_store_error(r, NULL, st);
		return;
	}
	if (svc.kind != SERVICE_RENTAL)
		end = start + svc.duration_s;
	avail_request req;
	st = store_avail_load(c, &b, &svc, start - 86400, (end > start ? end : start) + 86400, r->now,
			      NULL, r->arena, &req);
	if (st != STATUS_OK) {
		api_store_error(r, NULL, st);
		return;
	}
	avail_pick pick = {.start = start, .end = end, .now = r->now, .seats = seats,
			   .provider = prov && *prov ? prov : NULL};
	avail_slot slot;
	bool offered = avail_check(&req, &pick, r->arena, &slot);
	avail_reason why = offered ? AVAIL_REASON_OFFERED : avail_explain(&req, &pick, r->arena);
	json_t *who = json_array();
	for (size_t i = 0; offered && i < slot.n_providers; i++)
		json_array_append_new(who, json_string(slot.providers[i]));
	http_json_take(r, 200, json_pack("{s:b, s:s, s:o}", "offered", offered, "reason",
					 avail_reason_name(why), "providers", who));
}
