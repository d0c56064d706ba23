/* availability.c - loads one service's availability inputs with a fixed number of queries
 * (not one per provider): all rules, overrides, closures, time off and busy time of the
 * business in the range, distributed to the candidates in memory. */
#include "store/availability.h"

#include <stdint.h>
#include <string.h>

#include "base/civil.h"
#include "store/catalog.h"
#include "store/rows.h"
#include "store/session_rules.h"

/* A candidate being assembled: growable arrays in the arena. */
typedef struct cand {
	avail_bookable *out;       /* the engine's record */
	const char *kind;          /* "provider" | "resource" */
	int rule_cap, ovr_cap, off_cap, busy_cap;
	avail_rule *rules;
	avail_override *ovrs;
	avail_span *off;
	avail_busy *busy;
	bool own_rules;            /* has weekly rules of its own */
	size_t n_own_ovr;          /* overrides of its own: the first ones in ovrs */
} cand;

avail_service store_avail_service(const service *svc)
{
	avail_service s = {0};
	s.kind = svc->kind == SERVICE_CLASS    ? AVAIL_CLASS
		 : svc->kind == SERVICE_RENTAL ? AVAIL_RENTAL
					       : AVAIL_APPOINTMENT;
	s.duration_s = svc->duration_s;
	s.buffer_before_s = svc->buffer_before_s;
	s.buffer_after_s = svc->buffer_after_s;
	s.min_notice_s = svc->min_notice_s;
	s.max_advance_s = svc->max_advance_s;
	s.slot_interval_s = svc->slot_interval_s;
	s.capacity = svc->capacity;
	s.min_length_s = svc->min_length_s;
	s.max_length_s = svc->max_length_s;
	s.whole_days = svc->whole_days;
	s.needs_resource = svc->needs_resource && svc->kind == SERVICE_APPOINTMENT;
	return s;
}

static cand *cand_find(cand *cs, int n, const char *kind, const char *id)
{
	for (int i = 0; i < n; i++)
		if (strcmp(cs[i].out->id, id) == 0 && strcmp(cs[i].kind, kind) == 0)
			return &cs[i];
	return NULL;
}

static void rule_read(const db_rows *r, int col, avail_rule *out)
{
	out->weekday = (int)db_int(r, col);
	out->start_min = (int)db_int(r, col + 1);
	out->end_min = (int)db_int(r, col + 2);
	const char *vf = db_text(r, col + 3), *vt = db_text(r, col + 4);
	out->has_valid_from = !db_null(r, col + 3) && civil_parse_date(vf, strlen(vf), &out->valid_from);
	out->has_valid_to = !db_null(r, col + 4) && civil_parse_date(vt, strlen(vt), &out->valid_to);
}

/* Weekly rules: own rules per candidate; business rules for those without, and in biz
 * (which bounds everyone's hours). */
static status load_rules(db_conn *c, const char *bid, arena *a, cand *cs, int n,
			 avail_bookable *biz_out)
{
	db_rows *r;
	status st = db_query(c,
			     "SELECT owner_kind, owner_id, weekday, start_min, end_min, valid_from, "
			     "valid_to FROM schedules WHERE business_id = $1",
			     DB_PARAMS(DB_S(bid)), &r);
	if (st != STATUS_OK)
		return st;
	avail_rule *biz = NULL;
	int nbiz = 0, capbiz = 0;
	while (db_next(r)) {
		avail_rule rule;
		rule_read(r, 2, &rule);
		const char *kind = db_text(r, 0);
		if (strcmp(kind, "business") == 0) {
			ROWS_GROW(a, biz, nbiz, capbiz);
			biz[nbiz++] = rule;
			continue;
		}
		cand *k = cand_find(cs, n, kind, db_text(r, 1));
		if (!k)
			continue;
		ROWS_GROW(a, k->rules, (int)k->out->n_rules, k->rule_cap);
		k->rules[k->out->n_rules++] = rule;
		k->own_rules = true;
	}
	st = db_rows_status(r);
	db_rows_free(r);
	biz_out->rules = biz;
	biz_out->n_rules = (size_t)nbiz;
	for (int i = 0; i < n; i++) {
		if (!cs[i].own_rules) {
			cs[i].rules = biz;
			cs[i].out->n_rules = (size_t)nbiz;
		}
		cs[i].out->rules = cs[i].rules;
	}
	return st;
}

/* Overrides: a candidate's own; business ones for candidates following the business, except
 * on dates where the candidate has its own; and every business one in biz. */
static status load_overrides(db_conn *c, const char *bid, const char *d0, const char *d1,
			     arena *a, cand *cs, int n, avail_bookable *biz_out)
{
	avail_override *biz = NULL;
	int nbiz = 0, capbiz = 0;
	db_rows *r;
	status st = db_query(c,
			     "SELECT owner_kind, owner_id, date, closed, start_min, end_min "
			     "FROM overrides WHERE business_id = $1 AND date >= $2 AND date <= $3 "
			     "ORDER BY owner_kind DESC",
			     DB_PARAMS(DB_S(bid), DB_S(d0), DB_S(d1)), &r);
	if (st != STATUS_OK)
		return st;
	/* owner_kind DESC: resource, provider, then business rows, so own dates are known first. */
	while (db_next(r)) {
		avail_override o = {0};
		const char *date = db_text(r, 2);
		if (!civil_parse_date(date, strlen(date), &o.day))
			continue;
		o.closed = db_int(r, 3) != 0;
		o.start_min = (int)db_int(r, 4);
		o.end_min = (int)db_int(r, 5);
		const char *kind = db_text(r, 0);
		if (strcmp(kind, "business") == 0) {
			ROWS_GROW(a, biz, nbiz, capbiz);
			biz[nbiz++] = o;
		}
		for (int i = 0; i < n; i++) {
			cand *k = &cs[i];
			bool mine = strcmp(kind, k->kind) == 0 && strcmp(db_text(r, 1), k->out->id) == 0;
			if (strcmp(kind, "business") == 0 && !k->own_rules) {
				bool own_date = false;
				for (size_t j = 0; j < k->n_own_ovr && !own_date; j++)
					own_date = k->ovrs[j].day == o.day;
				mine = !own_date;
			}
			if (!mine)
				continue;
			ROWS_GROW(a, k->ovrs, (int)k->out->n_overrides, k->ovr_cap);
			k->ovrs[k->out->n_overrides++] = o;
			if (strcmp(kind, "business") != 0)
				k->n_own_ovr = k->out->n_overrides;
		}
	}
	st = db_rows_status(r);
	db_rows_free(r);
	for (int i = 0; i < n; i++)
		cs[i].out->overrides = cs[i].ovrs;
	biz_out->overrides = biz;
	biz_out->n_overrides = (size_t)nbiz;
	return st;
}

static status load_time_off(db_conn *c, const char *bid, int64_t t0, int64_t t1, arena *a,
			    cand *cs, int n)
{
	db_rows *r;
	status st = db_query(c,
			     "SELECT owner_kind, owner_id, start_at, end_at FROM time_off "
			     "WHERE business_id = $1 AND end_at > $2 AND start_at < $3",
			     DB_PARAMS(DB_S(bid), DB_I(t0), DB_I(t1)), &r);
	if (st != STATUS_OK)
		return st;
	while (db_next(r)) {
		cand *k = cand_find(cs, n, db_text(r, 0), db_text(r, 1));
		if (!k)
			continue;
		ROWS_GROW(a, k->off, (int)k->out->n_time_off, k->off_cap);
		k->off[k->out->n_time_off++] = (avail_span){db_int(r, 2), db_int(r, 3)};
	}
	st = db_rows_status(r);
	db_rows_free(r);
	for (int i = 0; i < n; i++)
		cs[i].out->time_off = cs[i].off;
	return st;
}

/* Blackouts of rented items (migration 0028) overlapping [t0, t1). */
static status load_blackouts(db_conn *c, const char *bid, int64_t t0, int64_t t1, arena *a,
			     cand *cs, int n)
{
	db_rows *r;
	status st = db_query(c,
			     "SELECT resource_id, start_at, end_at FROM resource_blackouts "
			     "WHERE business_id = $1 AND end_at > $2 AND start_at < $3",
			     DB_PARAMS(DB_S(bid), DB_I(t0), DB_I(t1)), &r);
	if (st != STATUS_OK)
		return st;
	while (db_next(r)) {
		cand *k = cand_find(cs, n, "resource", db_text(r, 0));
		if (!k)
			continue;
		avail_bookable *o = k->out;
		/* Few per item: grown one at a time in the arena. */
		avail_span *v = arena_alloc(a, (o->n_blackouts + 1) * sizeof(*v));
		if (o->n_blackouts)
			memcpy(v, o->blackouts, o->n_blackouts * sizeof(*v));
		v[o->n_blackouts] = (avail_span){db_int(r, 1), db_int(r, 2)};
		o->blackouts = v;
		o->n_blackouts++;
	}
	st = db_rows_status(r);
	db_rows_free(r);
	return st;
}

/* Live bookings and holds that take time, sorted by busy_start for the engine. No booking
 * is longer than the longest of the business's busy_spans and its start lies inside its
 * busy span, so one that overlaps [t0, t1) starts in (t0 - that, t1 + that): the range read
 * from bookings_start_id stays as short as the window (migration 0019). */
static status load_busy(db_conn *c, const char *bid, const char *service_id, int64_t t0,
			int64_t t1, int64_t now, const char *exclude, arena *a, cand *cs, int n,
			int64_t *until)
{
	db_rows *r;
	status st = db_query(
		c,
		"SELECT provider_id, resource_id, busy_start, busy_end, start_at, end_at, seats, "
		"service_id, CASE WHEN status = 'held' THEN hold_expires_at END FROM bookings "
		"WHERE business_id = $1 AND busy_end > $2 AND busy_start < $3 "
		"AND start_at > $2 - (SELECT COALESCE(MAX(span_s), 0) FROM busy_spans WHERE "
		"business_id = $1) "
		"AND start_at < $3 + (SELECT COALESCE(MAX(span_s), 0) FROM busy_spans WHERE "
		"business_id = $1) "
		"AND status IN ('held', 'pending', 'confirmed', 'checked_in', 'completed') "
		"AND (status <> 'held' OR hold_expires_at > $4) AND id <> $5 ORDER BY busy_start",
		DB_PARAMS(DB_S(bid), DB_I(t0), DB_I(t1), DB_I(now), DB_S(exclude ? exclude : "")), &r);
	if (st != STATUS_OK)
		return st;
	while (db_next(r)) {
		avail_busy b = {db_int(r, 2),	   db_int(r, 3),
				db_int(r, 4),	   db_int(r, 5),
				(int)db_int(r, 6), strcmp(db_text(r, 7), service_id) == 0,
				false};
		if (!db_null(r, 8) && db_int(r, 8) < *until)
			*until = db_int(r, 8); /* this hold stops being busy then */
		for (int col = 0; col < 2; col++) {
			if (db_null(r, col))
				continue;
			cand *k = cand_find(cs, n, col == 0 ? "provider" : "resource", db_text(r, col));
			if (!k)
				continue;
			ROWS_GROW(a, k->busy, (int)k->out->n_busy, k->busy_cap);
			k->busy[k->out->n_busy++] = b;
		}
	}
	st = db_rows_status(r);
	db_rows_free(r);
	for (int i = 0; i < n; i++)
		cs[i].out->busy = cs[i].busy;
	return st;
}

/* Busy time read from external calendars (store/calconn.c writes it), added to the
 * candidates' busy lists as entries of no service; and the candidates whose fail-closed
 * connection has not succeeded recently enough, marked calendar_stale. */
static status load_external(db_conn *c, const char *bid, int64_t t0, int64_t t1, int64_t now,
			    arena *a, cand *cs, int n, int64_t *until)
{
	db_rows *r;
	status st = db_query(c,
			     "SELECT provider_id, resource_id, start_at, end_at FROM external_busy "
			     "WHERE business_id = $1 AND end_at > $2 AND start_at < $3",
			     DB_PARAMS(DB_S(bid), DB_I(t0), DB_I(t1)), &r);
	if (st != STATUS_OK)
		return st;
	while (db_next(r)) {
		int64_t s = db_int(r, 2), e = db_int(r, 3);
		avail_busy b = {s, e, s, e, 1, false, true};
		for (int col = 0; col < 2; col++) {
			if (db_null(r, col))
				continue;
			cand *k = cand_find(cs, n, col == 0 ? "provider" : "resource", db_text(r, col));
			if (!k)
				continue;
			ROWS_GROW(a, k->busy, (int)k->out->n_busy, k->busy_cap);
			k->busy[k->out->n_busy++] = b;
		}
	}
	st = db_rows_status(r);
	db_rows_free(r);
	for (int i = 0; i < n; i++) {
		cs[i].out->busy = cs[i].busy;
		cs[i].out->calendar_stale = false;
	}
	if (st != STATUS_OK)
		return st;
	/* A fail-closed connection's bookable offers nothing once its data is older than
	 * allowed; until then answers computed now hold only up to that moment. */
	st = db_query(c,
		      "SELECT provider_id, resource_id, last_success_at + fail_closed_after_s "
		      "FROM calendar_connections WHERE business_id = $1 AND fail_closed_after_s IS "
		      "NOT NULL",
		      DB_PARAMS(DB_S(bid)), &r);
	if (st != STATUS_OK)
		return st;
	while (db_next(r)) {
		bool stale = db_null(r, 2) || db_int(r, 2) < now;
		if (!stale && db_int(r, 2) < *until)
			*until = db_int(r, 2);
		for (int col = 0; stale && col < 2; col++) {
			cand *k = db_null(r, col) ? NULL
						  : cand_find(cs, n, col == 0 ? "provider" : "resource",
							      db_text(r, col));
			if (k)
				k->out->calendar_stale = true;
		}
	}
	st = db_rows_status(r);
	db_rows_free(r);
	return st;
}

static status load_closures(db_conn *c, const char *bid, const char *d0, const char *d1,
			    arena *a, avail_request *req)
{
	db_rows *r;
	status st = db_query(c,
			     "SELECT date FROM closures WHERE business_id = $1 AND date >= $2 AND "
			     "date <= $3",
			     DB_PARAMS(DB_S(bid), DB_S(d0), DB_S(d1)), &r);
	if (st != STATUS_OK)
		return st;
	int64_t *days = NULL;
	int nd = 0, cap = 0;
	while (db_next(r)) {
		const char *d = db_text(r, 0);
		int64_t day;
		if (!civil_parse_date(d, strlen(d), &day))
			continue;
		ROWS_GROW(a, days, nd, cap);
		days[nd++] = day;
	}
	st = db_rows_status(r);
	db_rows_free(r);
	req->closures = days;
	req->n_closures = (size_t)nd;
	return st;
}

const char STORE_SESSION_SEATS_SQL[] =
	"SELECT s.id, s.provider_id, s.start_at, s.end_at, s.capacity, "
	"COALESCE((SELECT SUM(b.seats) FROM bookings b WHERE b.business_id = s.business_id "
	"AND b.session_id = s.id AND b.status IN ('held', 'pending', 'confirmed', "
	"'checked_in', 'completed') AND (b.status <> 'held' OR b.hold_expires_at > $5) "
	"AND b.id <> $6), 0), "
	"(SELECT MIN(b.hold_expires_at) FROM bookings b WHERE b.business_id = s.business_id "
	"AND b.session_id = s.id AND b.status = 'held' AND b.hold_expires_at > $5 "
	"AND b.id <> $6) "
	"FROM sessions s WHERE s.business_id = $1 AND s.service_id = $2 AND s.start_at >= $3 "
	"AND s.start_at < $4 AND " SESSION_RULES_OPEN_SQL("s") " ORDER BY s.start_at, s.id";

static status load_sessions(db_conn *c, const char *bid, const char *service_id, int64_t t0,
			    int64_t t1, int64_t now, const char *exclude, arena *a, avail_request *req,
			    int64_t *until)
{
	db_rows *r;
	status st = db_query(
		c, STORE_SESSION_SEATS_SQL,
		DB_PARAMS(DB_S(bid), DB_S(service_id), DB_I(t0), DB_I(t1), DB_I(now),
			  DB_S(exclude ? exclude : "")),
		&r);
	if (st != STATUS_OK)
		return st;
	avail_session *ss = NULL;
	int ns = 0, cap = 0;
	while (db_next(r)) {
		ROWS_GROW(a, ss, ns, cap);
		avail_session *s = &ss[ns++];
		s->id = arena_strdup(a, db_text(r, 0));
		s->provider_id = db_null(r, 1) ? NULL : arena_strdup(a, db_text(r, 1));
		s->start = db_int(r, 2);
		s->end = db_int(r, 3);
		s->capacity = (int)db_int(r, 4);
		s->seats_taken = (int)db_int(r, 5);
		if (!db_null(r, 6) && db_int(r, 6) < *until)
			*until = db_int(r, 6); /* this hold stops taking seats then */
	}
	st = db_rows_status(r);
	db_rows_free(r);
	req->sessions = ss;
	req->n_sessions = (size_t)ns;
	return st;
}

/* What store_avail_prepare read, for store_avail_finish. */
struct avail_inputs {
	avail_request req;      /* everything but busy time (and class sessions) */
	cand *cs;               /* the candidates, pointing into req's arrays */
	int n;                  /* entries in cs */
	const char *business_id;
	const char *service_id;
	service_kind kind;
	int64_t from, to;       /* the starts asked about */
	int64_t t0, t1;         /* the instants time off is read for */
	int64_t busy_t0, busy_t1; /* the instants busy time is read for: [t0, t1) or less */
	int64_t item_margin;    /* rentals: the largest before + after turnaround of an item */
	int64_t until;          /* the first expiry of a hold the last finish counted, or a
				 * fail-closed calendar going stale */
	arena *a;               /* where it lives */
};

/* The bookables of the request (in->req's providers and resources) and the candidates the
 * loaders fill (in->cs, in->n), from the service's providers and resources. */
static void prepare_candidates(avail_inputs *in, const service *svc, const provider *ps, int np,
			       const resource *rs, int nr)
{
	arena *a = in->a;
	avail_request *req = &in->req;
	int n = np + nr;
	cand *cs = arena_alloc(a, sizeof(cand) * (size_t)(n ? n : 1));
	avail_bookable *pb = arena_alloc(a, sizeof(avail_bookable) * (size_t)(np ? np : 1));
	avail_bookable *rb = arena_alloc(a, sizeof(avail_bookable) * (size_t)(nr ? nr : 1));
	for (int i = 0; i < np; i++) {
		pb[i].id = ps[i].id;
		pb[i].zone = ps[i].timezone ? tz_get(ps[i].timezone) : NULL;
		cs[i].out = &pb[i];
		cs[i].kind = "provider";
	}
	for (int i = 0; i < nr; i++) {
		rb[i].id = rs[i].id;
		/* How many bookings it takes at once; rentals book the thing itself, whole. */
		rb[i].capacity = svc->kind == SERVICE_RENTAL ? 1 : rs[i].capacity;
		if (svc->kind == SERVICE_RENTAL) { /* an item's own turnaround and hours rule */
			rb[i].buffer_before_s = rs[i].buffer_before_s;
			rb[i].buffer_after_s = rs[i].buffer_after_s;
			rb[i].overnight = rs[i].overnight;
			if (rs[i].buffer_before_s + rs[i].buffer_after_s > in->item_margin)
				in->item_margin = rs[i].buffer_before_s + rs[i].buffer_after_s;
		}
		cs[np + i].out = &rb[i];
		cs[np + i].kind = "resource";
	}
	in->cs = cs;
	in->n = n;
	if (svc->kind == SERVICE_RENTAL) {
		req->providers = rb; /* the things rented are the candidates */
		req->n_providers = (size_t)nr;
	} else {
		req->providers = pb;
		req->n_providers = (size_t)np;
		req->resources = rb;
		req->n_resources = svc->needs_resource ? (size_t)nr : 0;
	}
}

status store_avail_prepare(db_conn *c, const business *b, const service *svc, int64_t from,
			   int64_t to, arena *a, avail_inputs **out)
{
	avail_inputs *in = arena_alloc(a, sizeof(*in));
	avail_request *req = &in->req;
	in->a = a;
	in->item_margin = 0;
	in->business_id = b->id;
	in->service_id = svc->id;
	in->kind = svc->kind;
	in->from = from;
	in->to = to;
	avail_service *as = arena_alloc(a, sizeof(*as));
	*as = store_avail_service(svc);
	req->service = as;
	req->business_zone = tz_get(b->timezone);
	if (!req->business_zone)
		return STATUS_INTERNAL;

	provider *ps = NULL;
	resource *rs = NULL;
	int np = 0, nr = 0;
	status st = STATUS_OK;
	if (svc->kind != SERVICE_RENTAL)
		st = store_service_providers(c, b->id, svc->id, a, &ps, &np);
	if (st == STATUS_OK && (svc->kind == SERVICE_RENTAL || svc->needs_resource))
		st = store_service_resources(c, b->id, svc->id, a, &rs, &nr);
	if (st != STATUS_OK)
		return st;

	prepare_candidates(in, svc, ps, np, rs, nr);
	cand *cs = in->cs;
	int n = in->n;

	/* Margins: a day either side for zones and midnight-crossing rules, plus buffers; rentals
	 * follow free ranges past `to`. */
	int64_t margin = 2 * 86400 + svc->buffer_before_s + svc->buffer_after_s + in->item_margin;
	in->t0 = from - margin;
	in->t1 = to + margin + svc->duration_s;
	if (svc->kind == SERVICE_RENTAL)
		in->t1 += svc->max_length_s ? svc->max_length_s : AVAIL_RENTAL_HORIZON_S;
	in->busy_t0 = in->t0;
	in->busy_t1 = in->t1;
	char d0[11], d1[11];
	civil_format_date(in->t0 / 86400 - 1, d0);
	civil_format_date(in->t1 / 86400 + 1, d1);
	*out = in;
	if (svc->kind == SERVICE_CLASS) {
		/* Sessions and their seats are read by store_avail_finish; closures and the
		 * leaders' time off take sessions away. */
		st = load_time_off(c, b->id, in->t0, in->t1, a, cs, n);
		if (st == STATUS_OK)
			st = load_closures(c, b->id, d0, d1, a, req);
		return st;
	}
	avail_bookable *biz = arena_alloc(a, sizeof(*biz));
	memset(biz, 0, sizeof(*biz));
	biz->id = b->id;
	st = load_rules(c, b->id, a, cs, n, biz);
	if (st == STATUS_OK)
		st = load_overrides(c, b->id, d0, d1, a, cs, n, biz);
	/* Business hours bound everyone; a business without rules bounds nothing. The things a
	 * rental service rents keep their own hours (a bike out overnight is not in the shop). */
	req->business = biz->n_rules && svc->kind != SERVICE_RENTAL ? biz : NULL;
	if (st == STATUS_OK)
		st = load_time_off(c, b->id, in->t0, in->t1, a, cs, n);
	if (st == STATUS_OK && svc->kind == SERVICE_RENTAL && n > 0)
		st = load_blackouts(c, b->id, in->t0, in->t1, a, cs, n);
	if (st == STATUS_OK)
		st = load_closures(c, b->id, d0, d1, a, req);
	return st;
}

status store_avail_finish(db_conn *c, avail_inputs *in, int64_t now, const char *exclude_booking,
			  avail_request *req)
{
	*req = in->req;
	in->until = INT64_MAX;
	if (in->kind == SERVICE_CLASS)
		return load_sessions(c, in->business_id, in->service_id, in->from, in->to, now,
				     exclude_booking, in->a, req, &in->until);
	for (int i = 0; i < in->n; i++) { /* busy time is read afresh every time */
		in->cs[i].busy = NULL;
		in->cs[i].busy_cap = 0;
		in->cs[i].out->n_busy = 0;
	}
	status st = load_busy(c, in->business_id, in->service_id, in->busy_t0, in->busy_t1, now,
			      exclude_booking, in->a, in->cs, in->n, &in->until);
	if (st == STATUS_OK)
		st = load_external(c, in->business_id, in->busy_t0, in->busy_t1, now, in->a,
				   in->cs, in->n, &in->until);
	return st;
}

void store_avail_busy_span(avail_inputs *in, int64_t t0, int64_t t1)
{
	/* An item's turnaround reaches this far past the booking's own busy span. */
	t0 -= in->item_margin;
	t1 += in->item_margin;
	in->busy_t0 = t0 > in->t0 ? t0 : in->t0;
	in->busy_t1 = t1 < in->t1 ? t1 : in->t1;
}

status store_avail_load(db_conn *c, const business *b, const service *svc, int64_t from,
			int64_t to, int64_t now, const char *exclude_booking, arena *a,
			avail_request *req)
{
	memset(req, 0, sizeof(*req));
	avail_inputs *in;
	status st = store_avail_prepare(c, b, svc, from, to, a, &in);
	if (st == STATUS_OK)
		st = store_avail_finish(c, in, now, exclude_booking, req);
	return st;
}

status store_avail_load_until(db_conn *c, const business *b, const service *svc, int64_t from,
			      int64_t to, int64_t now, arena *a, avail_request *req,
			      int64_t *until)
{
	memset(req, 0, sizeof(*req));
	*until = INT64_MAX;
	avail_inputs *in;
	status st = store_avail_prepare(c, b, svc, from, to, a, &in);
	if (st == STATUS_OK)
		st = store_avail_finish(c, in, now, NULL, req);
	if (st == STATUS_OK)
		*until = in->until;
	return st;
}

status store_catalog_version(db_conn *c, const char *business_id, int64_t *out)
{
	return db_query_int(c, "SELECT catalog_version FROM businesses WHERE id = $1",
			    DB_PARAMS(DB_S(business_id)), out);
}

status store_catalog_touch(db_conn *c, const char *business_id)
{
	return db_exec(c, "UPDATE businesses SET catalog_version = catalog_version + 1 WHERE id = $1",
		       DB_PARAMS(DB_S(business_id)), NULL);
}
