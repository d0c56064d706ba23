/* live.c - availability events for the SSE hub, named by service and local date. */
#include "api/live.h"

#include "api/avail_cache.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "base/civil.h"
#include "base/clock.h"
#include "base/log.h"
#include "core/tz.h"
#include "http/sse.h"
#include "jobs/notify_worker.h"
#include "store/catalog.h"
#include "store/services_of.h"

void live_booking_changed(db_conn *c, const business *b, const char *provider_id,
			  const char *resource_id, int64_t start, int64_t end, arena *a)
{
	avail_cache_bump();
	notify_kick(); /* the change queued its messages: deliver them now */
	const tz *z = tz_get(b->timezone);
	const char **services;
	int n;
	if (!z || store_services_of(c, b->id, provider_id, resource_id, a, &services, &n) != STATUS_OK) {
		log_warn("live: could not name the services changed in %s", b->slug);
		return;
	}
	json_t *dates = json_array();
	int64_t last = tz_local_day(z, end > start ? end - 1 : start);
	for (int64_t d = tz_local_day(z, start); d <= last && d < tz_local_day(z, start) + 400; d++) {
		char day[11];
		civil_format_date(d, day);
		json_array_append_new(dates, json_string(day));
	}
	for (int i = 0; i < n; i++) {
		/* "O" takes a new reference to dates for each event. */
		json_t *ev = json_pack("{s:s, s:O}", "service", services[i], "dates", dates);
		char *text = json_dumps(ev, JSON_COMPACT);
		sse_publish(b->id, "availability", text);
		free(text);
		json_decref(ev);
	}
	json_decref(dates);
}

void live_job_changed(void *ctx, db_conn *c, const business *b, const booking *bk, arena *a)
{
	(void)ctx;
	live_booking_changed(c, b, bk->provider_id, bk->resource_id, bk->busy_start, bk->busy_end, a);
}

/* One event for a service over the dates of [from, to) inside its booking window. */
static void live_publish_window(const business *b, const tz *z, const service *s, int64_t from,
				int64_t to, int64_t now)
{
	int64_t lo = now - 86400, hi = now + s->max_advance_s + 86400;
	if (from > lo)
		lo = from;
	if (to < hi)
		hi = to;
	if (hi <= lo)
		return;
	json_t *dates = json_array();
	int64_t first = tz_local_day(z, lo), last = tz_local_day(z, hi - 1);
	for (int64_t d = first; d <= last && d < first + 400; d++) {
		char day[11];
		civil_format_date(d, day);
		json_array_append_new(dates, json_string(day));
	}
	/* "o" steals the reference to dates. */
	json_t *ev = json_pack("{s:s, s:o}", "service", s->id, "dates", dates);
	char *text = json_dumps(ev, JSON_COMPACT);
	sse_publish(b->id, "availability", text);
	free(text);
	json_decref(ev);
}

/* Publishes for the services whose ids are in ids (active or just withdrawn), or for
 * every active service when ids is NULL. */
static void live_publish_services(db_conn *c, const business *b, const char *const *ids,
				  int n_ids, int64_t from, int64_t to, arena *a)
{
	const tz *z = tz_get(b->timezone);
	service *svcs;
	int n;
	if (!z || store_services_list(c, b->id, ids == NULL, a, &svcs, &n) != STATUS_OK) {
		log_warn("live: could not name the services changed in %s", b->slug);
		return;
	}
	int64_t now = clock_now();
	for (int i = 0; i < n; i++) {
		bool wanted = ids == NULL;
		for (int j = 0; !wanted && j < n_ids; j++)
			wanted = strcmp(ids[j], svcs[i].id) == 0;
		if (wanted)
			live_publish_window(b, z, &svcs[i], from, to, now);
	}
}

void live_business_changed(db_conn *c, const business *b, const char *service_id,
			   int64_t from, int64_t to, arena *a)
{
	avail_cache_bump();
	const char *one[1] = {service_id};
	live_publish_services(c, b, service_id ? one : NULL, service_id ? 1 : 0, from, to, a);
}

void live_bookable_changed(db_conn *c, const business *b, const char *provider_id,
			   const char *resource_id, int64_t from, int64_t to, arena *a)
{
	avail_cache_bump();
	const char **ids;
	int n;
	if (store_services_of(c, b->id, provider_id, resource_id, a, &ids, &n) != STATUS_OK) {
		log_warn("live: could not name the services changed in %s", b->slug);
		return;
	}
	if (n > 0)
		live_publish_services(c, b, ids, n, from, to, a);
}
