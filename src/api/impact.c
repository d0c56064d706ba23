/* impact.c - the impact preview of a catalogue change (see impact.h): every booking the
 * change would strand, with the slot engine's reason, before anything is written. */
#include "api/impact.h"

#include <jansson.h>
#include <string.h>

#include "api/booking_json.h"
#include "api/common.h"
#include "core/avail.h"
#include "core/tz.h"
#include "store/availability.h"
#include "store/booking_query.h"
#include "store/catalog.h"

/* How far before a changed range a booking may start and still reach into it. */
#define IMPACT_REACH_S ((int64_t)2 * 86400)

/* One booking found in a scope. */
struct impact_item {
	booking_row row;     /* the booking with its names */
	avail_reason reason; /* the engine's reason after the change */
	service_kind kind;   /* its service's kind, for the reason's words */
};

/* Whether the engine offers bk's own time to it (bk itself left out of busy time), as it
 * would have when it was booked: notice counts from just early enough, so only what the
 * hours, closures, time off, other bookings and the service say decides. */
static status impact_reason(db_conn *c, const business *b, const booking *bk, int64_t now,
                            arena *a, avail_reason *out, service_kind *kind)
{
	service svc;
	status st = store_service_get(c, b->id, bk->service_id, a, &svc);
	if (st != STATUS_OK)
		return st;
	*kind = svc.kind;
	avail_request req;
	st = store_avail_load(c, b, &svc, bk->start_at - 86400, bk->end_at + 86400, now, bk->id, a,
	                      &req);
	if (st != STATUS_OK)
		return st;
	avail_pick p = {.start = bk->start_at,
	                .end = bk->end_at,
	                .now = bk->start_at - svc.min_notice_s,
	                .seats = bk->seats,
	                .provider = bk->provider_id ? bk->provider_id : bk->resource_id};
	*out = avail_check(&req, &p, a, NULL) ? AVAIL_REASON_OFFERED : avail_explain(&req, &p, a);
	return STATUS_OK;
}

/* True when row lies in scope s. */
static bool impact_in_scope(const booking_row *row, const impact_scope *s)
{
	const booking *bk = &row->b;
	if (bk->end_at <= s->from || bk->start_at >= s->to)
		return false; /* no overlap with what changed */
	if (s->service_id && strcmp(s->service_id, bk->service_id) != 0)
		return false;
	if (s->provider_id && !(bk->provider_id && strcmp(s->provider_id, bk->provider_id) == 0))
		return false;
	if (s->resource_id && !(bk->resource_id && strcmp(s->resource_id, bk->resource_id) == 0))
		return false;
	return true;
}

/* The bookings of the scopes the engine refuses as things are on c now, in *items. */
static status impact_find(db_conn *c, const business *b, const impact_scope *scopes, int n,
                          const char *visible_to, int64_t now, arena *a, impact_item **items,
                          int *n_items, int *checked, bool *truncated)
{
	/* One query over the union of the scopes' ranges, narrowed in C: scopes are few and a
	 * preview looks at one bookable's or service's future. */
	int64_t lo = INT64_MAX, hi = now;
	const char *only = n == 1 ? (scopes[0].provider_id ? scopes[0].provider_id
	                                                   : scopes[0].resource_id)
	                          : NULL;
	const char *svc_only = n == 1 ? scopes[0].service_id : NULL;
	for (int i = 0; i < n; i++) {
		if (scopes[i].from < lo)
			lo = scopes[i].from;
		if (scopes[i].to > hi)
			hi = scopes[i].to;
	}
	/* A booking that began before the range may still reach into it. */
	lo = lo > INT64_MIN + IMPACT_REACH_S ? lo - IMPACT_REACH_S : lo;
	if (lo < now)
		lo = now;
	*n_items = *checked = 0;
	*truncated = false;
	if (n == 0 || hi <= lo)
		return STATUS_OK;
	booking_filter f = {
		.has_from = true,
		.from = lo,
		.has_to = hi != INT64_MAX,
		.to = hi,
		.statuses = (1u << BOOKING_PENDING) | (1u << BOOKING_CONFIRMED) |
		            (1u << BOOKING_CHECKED_IN),
		.provider_id = only,
		.service_id = svc_only,
		.visible_to = visible_to,
		.limit = IMPACT_MAX_BOOKINGS,
	};
	booking_row *rows;
	int count;
	status st = store_bookings_query(c, b->id, &f, a, &rows, &count, truncated);
	if (st != STATUS_OK)
		return st;
	*items = arena_alloc(a, sizeof(impact_item) * (size_t)(count ? count : 1));
	for (int i = 0; i < count; i++) {
		bool in = false;
		for (int j = 0; j < n && !in; j++)
			in = impact_in_scope(&rows[i], &scopes[j]);
		if (!in)
			continue;
		(*checked)++;
		avail_reason why;
		service_kind kind;
		st = impact_reason(c, b, &rows[i].b, now, a, &why, &kind);
		if (st != STATUS_OK)
			return st;
		if (why != AVAIL_REASON_OFFERED)
			(*items)[(*n_items)++] =
				(impact_item){.row = rows[i], .reason = why, .kind = kind};
	}
	return STATUS_OK;
}

static json_t *impact_json(const impact_item *it, const tz *z)
{
	const booking *bk = &it->row.b;
	char start[TZ_RFC3339_SIZE], end[TZ_RFC3339_SIZE];
	tz_format_rfc3339(z, bk->start_at, start);
	tz_format_rfc3339(z, bk->end_at, end);
	return json_pack("{s:s, s:s, s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:s?, s:s, s:s, s:s, s:s}",
	                 "booking", bk->id, "reference", bk->reference, "status",
	                 booking_status_name(bk->status), "service", bk->service_id,
	                 "service_name", it->row.service_name, "provider", bk->provider_id,
	                 "provider_name", it->row.provider_name, "resource", bk->resource_id,
	                 "customer_name", bk->customer_name, "start", start, "end", end, "reason",
	                 avail_reason_name(it->reason), "detail",
	                 booking_reason_detail(it->reason, it->kind));
}

status impact_collect(http_req *r, db_conn *c, const business *b, const impact_scope *scopes,
                      int n_scopes, const char *visible_to, impact_found *out)
{
	*out = (impact_found){0};
	return impact_find(c, b, scopes, n_scopes, visible_to, r->now, r->arena, &out->items,
	                   &out->n, &out->checked, &out->truncated);
}

void impact_answer(http_req *r, db_conn *c, const business *b, const impact_found *f)
{
	const impact_item *items = f->items;
	int n = f->n;
	/* Only what the change itself strands: a booking the engine refused before too (an
	 * override, a hold's leftovers) is not this change's doing. */
	const tz *z = tz_get(b->timezone);
	if (!z)
		z = tz_get("UTC");
	json_t *affected = json_array();
	for (int i = 0; i < n; i++) {
		avail_reason before;
		service_kind kind;
		status st = impact_reason(c, b, &items[i].row.b, r->now, r->arena, &before, &kind);
		if (st != STATUS_OK) {
			json_decref(affected);
			api_store_error(r, c, st);
			return;
		}
		if (before == AVAIL_REASON_OFFERED)
			json_array_append_new(affected, impact_json(&items[i], z));
	}
	/* "o" steals affected. */
	http_json_take(r, 200,
	               json_pack("{s:b, s:o, s:i, s:b}", "dry_run", 1, "affected", affected,
	                         "checked", f->checked, "truncated", f->truncated));
}
