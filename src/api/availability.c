/* availability.c - GET /api/v1/public/{business}/availability (API.md "Availability"). */
#include <stdlib.h>
#include <string.h>

#include "api/auth.h"
#include "api/avail_cache.h"
#include "api/booking_json.h"
#include "api/common.h"
#include "api/handlers.h"
#include "base/civil.h"
#include "core/avail.h"
#include "core/tz.h"
#include "store/availability.h"
#include "store/catalog.h"

#define AVAILABILITY_MAX_DAYS 92

/* The query, validated. */
typedef struct avail_params {
	const char *service; /* service id */
	int64_t from_day;    /* first date, in zone */
	int64_t to_day;      /* last date, included */
	const tz *zone;      /* the client's zone (or the business's) */
	const char *provider; /* one provider, or NULL */
	int seats;           /* seats wanted */
} avail_params;

/* Reads and checks the query string; answers 400 and returns false on any error. */
static bool avail_params_read(http_req *r, const business *b, avail_params *p)
{
	p->service = http_query(r, "service");
	if (!p->service || !*p->service)
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

static json_t *slot_json(const avail_slot *s, const tz *zone, const service *svc)
{
	char start[TZ_RFC3339_SIZE], end[TZ_RFC3339_SIZE];
	tz_format_rfc3339(zone, s->start, start);
	tz_format_rfc3339(zone, s->end, end);
	json_t *ids = json_array();
	for (size_t i = 0; i < s->n_providers; i++)
		json_array_append_new(ids, json_string(s->providers[i]));
	json_t *o = json_pack("{s:s, s:s, s:o, s:i}", "start", start, "end", end,
			      svc->kind == SERVICE_RENTAL ? "resources" : "providers", ids,
			      "seats_left", s->seats_left);
	if (svc->kind == SERVICE_RENTAL) {
		/* Rentals: a free range; the customer books inside it. */
		char last[TZ_RFC3339_SIZE];
		tz_format_rfc3339(zone, s->last_start, last);
		json_object_set_new(o, "last_start", json_string(last));
		json_object_set(o, "providers", json_object_get(o, "resources"));
	} else if (s->n_resources) {
		json_t *res = json_array();
		for (size_t i = 0; i < s->n_resources; i++)
			json_array_append_new(res, json_string(s->resources[i]));
		json_object_set_new(o, "resources", res);
	}
	if (s->session_id)
		json_object_set_new(o, "session", json_string(s->session_id));
	return o;
}

/* The cache key of a query: the answer is a function of the change counter (every write
 * that changes availability, a business's zone included, raises it), the exact query and
 * now, so a hit needs no database at all. Query values are length-prefixed, so no value can
 * forge another's place. */
static const char *avail_key(http_req *r)
{
	static const char *const names[] = {"service", "from", "to", "tz", "provider", "seats"};
	buf k;
	buf_init(&k, 4096);
	buf_printf(&k, "%zu:%s|%llu|%lld", strlen(http_param(r, "business")),
		   http_param(r, "business"), (unsigned long long)avail_cache_version(),
		   (long long)r->now);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *v = http_query(r, names[i]);
		buf_printf(&k, "|%zu:%s", v ? strlen(v) : (size_t)0, v ? v : "");
	}
	const char *key = k.full ? NULL : arena_strdup(r->arena, k.data);
	buf_free(&k);
	return key;
}

void availability_get(http_req *r)
{
	db_conn *c = app_db(r);
	/* A commit by another process (`bookd import`, a restore) on SQLite: the answers
	 * cached before it are stale (PostgreSQL's processes tell each other by NOTIFY). */
	if (db_data_changed(c))
		avail_cache_bump();
	const char *key = avail_key(r);
	buf cached;
	buf_init(&cached, 1u << 20);
	if (key && avail_cache_get(key, &cached)) {
		http_text(r, 200, "application/json", cached.data, cached.len);
		buf_free(&cached);
		return;
	}
	buf_free(&cached);
	business b;
	avail_params p;
	service svc;
	if (!api_business(r, c, &b) || !avail_params_read(r, &b, &p))
		return;
	status st = store_service_get(c, b.id, p.service, r->arena, &svc);
	if (st == STATUS_OK && !svc.active)
		st = STATUS_NOT_FOUND;
	if (st != STATUS_OK) {
		if (st == STATUS_NOT_FOUND)
			http_problem(r, st, "no service '%s'", p.service);
		else
			api_store_error(r, NULL, st);
		return;
	}
	int64_t from = tz_day_start(p.zone, p.from_day, NULL);
	int64_t to = tz_day_start(p.zone, p.to_day + 1, NULL);
	avail_request req;
	st = store_avail_load(c, &b, &svc, from, to, r->now, NULL, r->arena, &req);
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	avail_query q = {.from = from, .to = to, .now = r->now, .seats = p.seats,
			 .provider = p.provider};
	avail_result res;
	st = avail_slots(&req, &q, r->arena, &res);
	if (st == STATUS_NOT_FOUND) {
		http_field_error_add(r, "provider", "is not a provider of this service");
		http_problem_query(r, "invalid availability query");
		return;
	}
	if (st != STATUS_OK) {
		http_problem(r, STATUS_INTERNAL, "the service's configuration cannot be computed");
		return;
	}
	json_t *days = json_array();
	size_t k = 0;
	for (int64_t d = p.from_day; d <= p.to_day; d++) {
		char date[11];
		civil_format_date(d, date);
		json_t *slots = json_array();
		/* Slots are sorted by start; each belongs to the client-zone date it starts on. */
		while (k < res.n_slots && tz_local_day(p.zone, res.slots[k].start) <= d) {
			if (tz_local_day(p.zone, res.slots[k].start) == d)
				json_array_append_new(slots, slot_json(&res.slots[k], p.zone, &svc));
			k++;
		}
		json_array_append_new(days, json_pack("{s:s, s:o}", "date", date, "slots", slots));
	}
	http_json_take(r, 200, json_pack("{s:s, s:s, s:o}", "service", svc.id, "tz",
					 tz_name(p.zone), "days", days));
	if (r->code == 200 && key)
		avail_cache_put(key, r->out.data, r->out.len);
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
