/* live.c - availability events for the SSE hub, named by service and local date. */
#include "api/live.h"

#include "api/avail_cache.h"
#include <jansson.h>
#include <stdlib.h>

#include "base/civil.h"
#include "base/log.h"
#include "core/tz.h"
#include "http/sse.h"
#include "store/hold.h"

void live_booking_changed(db_conn *c, const business *b, const char *provider_id,
			  const char *resource_id, int64_t start, int64_t end, arena *a)
{
	avail_cache_bump();
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
