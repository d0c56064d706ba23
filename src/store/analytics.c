/* analytics.c - reads the bookings and open time that core/analytics.c turns into figures. */
#include "store/analytics.h"

#include <string.h>

#include "store/availability.h"
#include "store/booking_query.h"
#include "store/catalog.h"

status store_analytics_bookings(db_conn *c, const char *business_id, int64_t from, int64_t to,
				arena *a, analytics_booking **out, size_t *count)
{
	*out = NULL;
	*count = 0;
	booking_filter f = {.has_from = true, .from = from, .has_to = true, .to = to,
			    .limit = STORE_ANALYTICS_MAX_BOOKINGS};
	booking_row *rows;
	int n;
	bool more;
	status st = store_bookings_query(c, business_id, &f, a, &rows, &n, &more);
	if (st != STATUS_OK)
		return st;
	if (more)
		return STATUS_INVALID;
	analytics_booking *v = arena_alloc(a, sizeof(*v) * (size_t)(n ? n : 1));
	for (int i = 0; i < n; i++) {
		const booking *b = &rows[i].b;
		v[i] = (analytics_booking){
			.service_id = b->service_id, .provider_id = b->provider_id,
			.resource_id = b->resource_id, .source = b->source,
			.referral = b->referral, .status = b->status,
			.start = b->start_at, .end = b->end_at, .created_at = b->created_at,
			.price_minor = b->price_minor, .fee_minor = rows[i].fee_minor,
		};
	}
	*out = v;
	*count = (size_t)n;
	return STATUS_OK;
}

/* Active providers, then active resources, each by name: the bookables listed. */
static status bookables_list(db_conn *c, const char *business_id, arena *a,
			     analytics_bookable **out, size_t *count)
{
	db_rows *r;
	status st = db_query(c,
			     "SELECT id, name, 0, name AS n FROM providers WHERE business_id = $1 AND "
			     "active = 1 UNION ALL SELECT id, name, 1, name AS n FROM resources WHERE "
			     "business_id = $1 AND active = 1 ORDER BY 3, 4, 1",
			     DB_PARAMS(DB_S(business_id)), &r);
	if (st != STATUS_OK)
		return st;
	size_t n = 0, cap = 16;
	analytics_bookable *v = arena_alloc(a, sizeof(*v) * cap);
	while (db_next(r)) {
		if (n == cap) {
			analytics_bookable *bigger = arena_alloc(a, sizeof(*v) * cap * 2);
			memcpy(bigger, v, sizeof(*v) * cap);
			v = bigger;
			cap *= 2;
		}
		v[n].id = arena_strdup(a, db_text(r, 0));
		v[n].name = arena_strdup(a, db_text(r, 1));
		v[n].is_resource = db_int(r, 2) != 0;
		interval_set_init(&v[n].open, a);
		n++;
	}
	st = db_rows_status(r);
	db_rows_free(r);
	*out = v;
	*count = n;
	return st;
}

static analytics_bookable *find(analytics_bookable *v, size_t n, const char *id, bool is_resource)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].is_resource == is_resource && strcmp(v[i].id, id) == 0)
			return &v[i];
	return NULL;
}

/* Computes the open time of every candidate of one loaded request not done yet. */
static status open_from(const avail_request *req, const avail_bookable *list, size_t n,
			bool resources, int64_t from, int64_t to, bool *done,
			analytics_bookable *v, size_t nv, arena *a)
{
	for (size_t i = 0; i < n; i++) {
		analytics_bookable *ab = find(v, nv, list[i].id, resources);
		if (!ab || done[ab - v])
			continue;
		status st = analytics_open_time(req, &list[i], from, to, a, &ab->open);
		if (st != STATUS_OK)
			return st;
		done[ab - v] = true;
	}
	return STATUS_OK;
}

status store_analytics_bookables(db_conn *c, const business *b, int64_t from, int64_t to,
				 int64_t now, const analytics_booking *bk, size_t nbk, arena *a,
				 analytics_bookable **out, size_t *count)
{
	analytics_bookable *v;
	size_t nv;
	status st = bookables_list(c, b->id, a, &v, &nv);
	if (st != STATUS_OK)
		return st;
	*out = v;
	*count = nv;
	service *svcs;
	int ns;
	st = store_services_list(c, b->id, false, a, &svcs, &ns);
	if (st != STATUS_OK)
		return st;
	bool *done = arena_alloc(a, sizeof(bool) * (nv ? nv : 1));
	/* Schedules belong to providers and resources, not services: each bookable's open time
	 * is computed once, from the first service that loads it. Class services load sessions
	 * only, so they are skipped. */
	for (int i = 0; i < ns && st == STATUS_OK; i++) {
		if (svcs[i].kind == SERVICE_CLASS)
			continue;
		avail_request req;
		st = store_avail_load(c, b, &svcs[i], from, to, now, NULL, a, &req);
		if (st == STATUS_OK)
			st = open_from(&req, req.providers, req.n_providers,
				       svcs[i].kind == SERVICE_RENTAL, from, to, done, v, nv, a);
		if (st == STATUS_OK)
			st = open_from(&req, req.resources, req.n_resources, true, from, to, done, v,
				       nv, a);
	}
	if (st != STATUS_OK)
		return st;
	/* Booked intervals: a booking takes its provider's time and its resource's. */
	for (size_t k = 0; k < nv; k++) {
		v[k].booked = arena_alloc(a, sizeof(interval) * (nbk ? nbk : 1));
		v[k].n_booked = 0;
	}
	for (size_t i = 0; i < nbk; i++) {
		if (!analytics_takes_time(bk[i].status))
			continue;
		analytics_bookable *p = bk[i].provider_id ? find(v, nv, bk[i].provider_id, false) : NULL;
		analytics_bookable *r = bk[i].resource_id ? find(v, nv, bk[i].resource_id, true) : NULL;
		if (p)
			p->booked[p->n_booked++] = (interval){bk[i].start, bk[i].end};
		if (r)
			r->booked[r->n_booked++] = (interval){bk[i].start, bk[i].end};
	}
	return STATUS_OK;
}
