/* live.c - availability events for the SSE hub, named by service and local date; on
 * PostgreSQL carried to every bookd process by NOTIFY on LIVE_CHANNEL. */
#include "api/live.h"

#include "api/avail_cache.h"
#include <jansson.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "base/civil.h"
#include "base/clock.h"
#include "base/log.h"
#include "core/tz.h"
#include "http/sse.h"
#include "jobs/notify_worker.h"
#include "store/business.h"
#include "store/catalog.h"
#include "store/services_of.h"

/* Longest event name a notification may carry ([a-z_], so it is safe on an SSE line). */
#define LIVE_EVENT_NAME_MAX 32

/* True while this process listens on LIVE_CHANNEL: events then go through the database. */
static atomic_bool live_fanout;

/* Where the events of one change go. */
typedef struct live_out {
	db_conn *c;              /* the connection NOTIFY is sent on (borrowed) */
	const char *business_id; /* the SSE topic (borrowed) */
	int sent;                /* notifications sent so far for this change */
} live_out;

/* Publishes data (borrowed) as an "availability" event to this process's streams. */
static void live_publish_local(const char *business_id, const json_t *data)
{
	char *text = json_dumps(data, JSON_COMPACT);
	if (!text) {
		log_error("live: an availability event of %s could not be written", business_id);
		return;
	}
	sse_publish(business_id, "availability", text);
	free(text);
}

/* This thread's notifications waiting for live_batch_flush (an HTTP exchange's thread,
 * between its first use of the database and the end of its turn): "[" and the payloads
 * joined by ',' in live_q (live_q_len bytes, NUL-terminated), live_q_n of them. One
 * pg_notify then carries them all (a JSON array), one round trip instead of one per event.
 * A fixed array: nothing to free when the thread ends. */
static _Thread_local bool live_q_open;
static _Thread_local char live_q[DB_NOTIFY_MAX + 2];
static _Thread_local size_t live_q_len;
static _Thread_local int live_q_n;

static void live_q_reset(void)
{
	live_q[0] = '[';
	live_q[1] = '\0';
	live_q_len = 1;
	live_q_n = 0;
}

/* The notification of what waits: the payload alone, or the array of them. */
static const char *live_q_text(void)
{
	if (live_q_n == 1)
		return live_q + 1;
	live_q[live_q_len] = ']'; /* room kept: live_notify stops at DB_NOTIFY_MAX */
	live_q[live_q_len + 1] = '\0';
	return live_q;
}

/* Sends what waits on c as one notification; on failure (or inside a transaction, which a
 * failure left open and whose rollback would take the notification) delivers it to this
 * process at least. */
static void live_q_send(db_conn *c)
{
	if (live_q_n > 0) {
		const char *text = live_q_text();
		status st = db_in_tx(c) ? STATUS_INTERNAL : db_notify(c, LIVE_CHANNEL, text);
		if (st != STATUS_OK) {
			log_warn("live: cannot notify the other processes: %s (%s)",
			         status_name(st), db_error(c));
			live_on_notify(NULL, text);
		}
	}
	live_q_reset();
}

void live_batch_open(void)
{
	if (live_q_open)
		return;
	live_q_reset();
	live_q_open = true;
}

void live_batch_flush(db_conn *c)
{
	if (!live_q_open)
		return;
	live_q_open = false;
	if (c) {
		live_q_send(c);
	} else if (live_q_n > 0) {
		/* Cannot happen (events wait only once the connection was taken): at least
		 * this process hears. */
		live_on_notify(NULL, live_q_text());
		live_q_reset();
	}
}

/* Sends one payload on LIVE_CHANNEL, or queues it while this thread batches; true when it
 * went out or waits. */
static bool live_notify(live_out *o, const char *text)
{
	if (live_q_open) {
		size_t n = strlen(text);
		/* A comma and the closing bracket: send first what would not fit with it. */
		if (live_q_n > 0 && live_q_len + 1 + n + 1 > DB_NOTIFY_MAX)
			live_q_send(o->c);
		if (live_q_len + 1 + n + 1 <= DB_NOTIFY_MAX) {
			if (live_q_n > 0)
				live_q[live_q_len++] = ',';
			memcpy(live_q + live_q_len, text, n + 1);
			live_q_len += n;
			live_q_n++;
			o->sent++;
			return true;
		}
	}
	status st = db_notify(o->c, LIVE_CHANNEL, text);
	if (st != STATUS_OK) {
		log_warn("live: cannot notify the other processes: %s (%s)", status_name(st),
		         db_error(o->c));
		return false;
	}
	o->sent++;
	return true;
}

/* One "availability" event (data borrowed: {"service", "dates"}): to this process's streams,
 * or, when fanning out, through the database to every process's. */
static void live_emit(live_out *o, json_t *data)
{
	if (!data)
		return; /* json_pack failed: nothing to say */
	if (!atomic_load(&live_fanout)) {
		live_publish_local(o->business_id, data);
		return;
	}
	/* "O" takes a new reference to data; json_decref(env) gives it back. */
	json_t *env = json_pack("{s:s, s:s, s:O}", "business", o->business_id, "event",
	                        "availability", "data", data);
	char *text = json_dumps(env, JSON_COMPACT); /* NULL when env is */
	json_decref(env);
	if (!text) {
		log_error("live: an availability event of %s could not be written", o->business_id);
		return;
	}
	size_t len = strlen(text);
	json_t *dates = json_object_get(data, "dates"); /* borrowed */
	size_t nd = json_array_size(dates);
	if (len > DB_NOTIFY_MAX && nd > 1) {
		/* Over PostgreSQL's payload limit (a long range of dates): two events, half the
		 * dates each; pages refresh the dates named, whichever event names them. */
		free(text);
		for (int half = 0; half < 2; half++) {
			json_t *part = json_copy(data); /* shallow: shares the values */
			json_t *ds = json_array();
			for (size_t i = half ? nd / 2 : 0; i < (half ? nd : nd / 2); i++)
				json_array_append(ds, json_array_get(dates, i)); /* new reference */
			json_object_set_new(part, "dates", ds);                  /* steals ds */
			live_emit(o, part);
			json_decref(part);
		}
		return;
	}
	if (len > DB_NOTIFY_MAX)
		log_warn("live: an event of %zu bytes for %s does not fit a notification; only the "
		         "caches are told",
		         len, o->business_id);
	else if (!live_notify(o, text))
		live_publish_local(o->business_id, data); /* at least this process's pages hear */
	free(text);
}

/* Ends a change: when fanning out and nothing was sent (no service concerned, an error
 * naming them, an event too long), a bare notification still bumps every process's cache. */
static void live_end(live_out *o)
{
	if (!atomic_load(&live_fanout) || o->sent > 0)
		return;
	json_t *env = json_pack("{s:s}", "business", o->business_id);
	char *text = json_dumps(env, JSON_COMPACT); /* NULL when env is */
	json_decref(env);
	if (text)
		live_notify(o, text);
	else
		log_error("live: the change notification of %s could not be written", o->business_id);
	free(text);
}

void live_booking_changed(db_conn *c, const business *b, const char *provider_id,
                          const char *resource_id, int64_t start, int64_t end, arena *a)
{
	/* This process's cache at once: the caller's next request must see its own change
	 * even before the notification comes back. */
	avail_cache_bump();
	notify_kick(); /* the change queued its messages: deliver them now */
	live_out o = {.c = c, .business_id = b->id};
	const tz *z = tz_get(b->timezone);
	const char **services;
	int n;
	if (!z ||
	    store_services_of(c, b->id, provider_id, resource_id, a, &services, &n) != STATUS_OK) {
		log_warn("live: could not name the services changed in %s", b->slug);
		live_end(&o);
		return;
	}
	json_t *dates = json_array();
	int64_t last = tz_local_day(z, end > start ? end - 1 : start);
	for (int64_t d = tz_local_day(z, start); d <= last && d < tz_local_day(z, start) + 400;
	     d++) {
		char day[11];
		civil_format_date(d, day);
		json_array_append_new(dates, json_string(day));
	}
	for (int i = 0; i < n; i++) {
		/* "O" takes a new reference to dates for each event. */
		json_t *ev = json_pack("{s:s, s:O}", "service", services[i], "dates", dates);
		live_emit(&o, ev);
		json_decref(ev);
	}
	json_decref(dates);
	live_end(&o);
}

void live_job_changed(void *ctx, db_conn *c, const business *b, const booking *bk, arena *a)
{
	(void)ctx;
	live_booking_changed(c, b, bk->provider_id, bk->resource_id, bk->busy_start, bk->busy_end,
	                     a);
	live_booking_event(c, b, bk, false, NULL, a);
}

const char *live_staff_topic(arena *a, const char *business_id, const char *provider_id)
{
	return provider_id ? arena_printf(a, "staff:%s:%s", business_id, provider_id)
	                   : arena_printf(a, "staff:%s", business_id);
}

/* Sends one event (data borrowed) to topic: to this process's streams, or, when fanning
 * out, through the database to every process's (locally when NOTIFY fails). */
static void live_send_topic(db_conn *c, const char *business_id, const char *topic,
                            const char *event, const json_t *data)
{
	char *text = json_dumps(data, JSON_COMPACT);
	if (!text) {
		log_error("live: a %s event for %s could not be written", event, topic);
		return;
	}
	if (atomic_load(&live_fanout)) {
		/* "O" takes a new reference to data; json_decref(env) gives it back. */
		json_t *env = json_pack("{s:s, s:s, s:s, s:O}", "business", business_id, "topic",
		                        topic, "event", event, "data", data);
		char *payload = json_dumps(env, JSON_COMPACT); /* NULL when env is */
		json_decref(env);
		live_out o = {.c = c, .business_id = business_id};
		bool sent = payload && strlen(payload) <= DB_NOTIFY_MAX && live_notify(&o, payload);
		free(payload);
		if (sent) {
			free(text);
			return;
		}
	}
	sse_publish(topic, event, text);
	free(text);
}

void live_booking_event(db_conn *c, const business *b, const booking *bk, bool created,
                        const char *prev_provider_id, arena *a)
{
	const tz *z = tz_get(b->timezone);
	char start[TZ_RFC3339_SIZE] = "", end[TZ_RFC3339_SIZE] = "";
	if (z) {
		tz_format_rfc3339(z, bk->start_at, start);
		tz_format_rfc3339(z, bk->end_at, end);
	}
	const char *change = created ? "created"
	                     : bk->status == BOOKING_CANCELLED || bk->status == BOOKING_EXPIRED
	                         ? "cancelled"
	                         : "changed";
	json_t *data = json_pack("{s:s, s:s?, s:s, s:s, s:s?, s:s, s:s}", "booking", bk->id,
	                         "reference", bk->reference, "change", change, "status",
	                         booking_status_name(bk->status), "provider", bk->provider_id,
	                         "start", start, "end", end);
	if (!data)
		return;
	live_send_topic(c, b->id, live_staff_topic(a, b->id, NULL), "booking", data);
	if (bk->provider_id)
		live_send_topic(c, b->id, live_staff_topic(a, b->id, bk->provider_id), "booking",
		                data);
	if (prev_provider_id && (!bk->provider_id || strcmp(prev_provider_id, bk->provider_id)))
		live_send_topic(c, b->id, live_staff_topic(a, b->id, prev_provider_id), "booking",
		                data);
	json_decref(data);
}

/* One event for a service over the dates of [from, to) inside its booking window. */
static void live_publish_window(live_out *o, const tz *z, const service *s, int64_t from,
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
	live_emit(o, ev);
	json_decref(ev);
}

/* Publishes for the services whose ids are in ids (active or just withdrawn), or for
 * every active service when ids is NULL. */
static void live_publish_services(live_out *o, const business *b, const char *const *ids, int n_ids,
                                  int64_t from, int64_t to, arena *a)
{
	const tz *z = tz_get(b->timezone);
	service *svcs;
	int n;
	if (!z || store_services_list(o->c, b->id, ids == NULL, a, &svcs, &n) != STATUS_OK) {
		log_warn("live: could not name the services changed in %s", b->slug);
		return;
	}
	int64_t now = clock_now();
	for (int i = 0; i < n; i++) {
		bool wanted = ids == NULL;
		for (int j = 0; !wanted && j < n_ids; j++)
			wanted = strcmp(ids[j], svcs[i].id) == 0;
		if (wanted)
			live_publish_window(o, z, &svcs[i], from, to, now);
	}
}

void live_business_changed(db_conn *c, const business *b, const char *service_id, int64_t from,
                           int64_t to, arena *a)
{
	avail_cache_bump();
	live_out o = {.c = c, .business_id = b->id};
	const char *one[1] = {service_id};
	live_publish_services(&o, b, service_id ? one : NULL, service_id ? 1 : 0, from, to, a);
	live_end(&o);
}

void live_tell_servers(db_conn *c, const char *business_id)
{
	live_out o = {.c = c, .business_id = business_id};
	json_t *env = json_pack("{s:s}", "business", business_id);
	char *text = json_dumps(env, JSON_COMPACT); /* NULL when env is */
	json_decref(env);
	if (text)
		live_notify(&o, text);
	else
		log_error("live: the change notification of %s could not be written", business_id);
	free(text);
}

void live_bookable_changed(db_conn *c, const business *b, const char *provider_id,
                           const char *resource_id, int64_t from, int64_t to, arena *a)
{
	avail_cache_bump();
	live_out o = {.c = c, .business_id = b->id};
	const char **ids;
	int n;
	if (store_services_of(c, b->id, provider_id, resource_id, a, &ids, &n) != STATUS_OK)
		log_warn("live: could not name the services changed in %s", b->slug);
	else if (n > 0)
		live_publish_services(&o, b, ids, n, from, to, a);
	live_end(&o);
}

/* ---- the listener side ---- */

/* A topic a notification may name: "staff:" then ids ([A-Za-z0-9_:]). */
static bool live_topic_ok(const char *s)
{
	if (strncmp(s, "staff:", 6) != 0 || strlen(s) > 200)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      *s == '_' || *s == ':'))
			return false;
	return true;
}

static bool live_event_name_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > LIVE_EVENT_NAME_MAX)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || *s == '_'))
			return false;
	return true;
}

/* One envelope (borrowed) of a notification: to this process's streams. */
static void live_deliver(json_t *env)
{
	const char *business_id = NULL, *event = NULL, *topic = NULL;
	json_t *data = NULL; /* borrowed from env ("o" in unpack) */
	if (!env ||
	    json_unpack(env, "{s:s, s?s, s?s, s?o}", "business", &business_id, "topic", &topic,
	                "event", &event, "data", &data) != 0 ||
	    (event && (!live_event_name_ok(event) || !json_is_object(data))) ||
	    (topic && !live_topic_ok(topic))) {
		log_warn("live: dropping a malformed notification on %s", LIVE_CHANNEL);
	} else if (event) {
		char *text = json_dumps(data, JSON_COMPACT);
		if (text)
			sse_publish(topic ? topic : business_id, event, text);
		else
			log_warn("live: a notification's data on %s could not be written", LIVE_CHANNEL);
		free(text);
	}
}

void live_on_notify(void *ctx, const char *payload)
{
	(void)ctx;
	/* First the cache, so a page that reacts to the event reads the new state. */
	avail_cache_bump();
	if (!payload)
		return; /* reconnected: what was missed is covered by the bump; pages also poll */
	json_error_t je;
	json_t *env = json_loads(payload, 0, &je);
	if (json_is_array(env)) {
		/* The events of one request, sent together (live_batch_flush). */
		size_t i;
		json_t *one;
		json_array_foreach(env, i, one) {
			live_deliver(one);
		}
	} else {
		live_deliver(env);
	}
	json_decref(env);
}

status live_listen_start(db *d, char *err, size_t errlen)
{
	if (err && errlen)
		err[0] = '\0';
	if (db_kind_of(d) != DB_POSTGRES)
		return STATUS_OK; /* one process per SQLite file: events stay in it */
	status st = db_listen_start(d, LIVE_CHANNEL, live_on_notify, NULL, err, errlen);
	if (st == STATUS_OK)
		atomic_store(&live_fanout, true);
	return st;
}

void live_listen_stop(db *d)
{
	atomic_store(&live_fanout, false);
	db_listen_stop(d);
}

void live_calendar_changed(void *ctx, db_conn *c, const char *business_id,
                           const char *provider_id, const char *resource_id, arena *a)
{
	(void)ctx;
	business b;
	if (store_business_by_id(c, business_id, a, &b) == STATUS_OK)
		live_bookable_changed(c, &b, provider_id, resource_id, 0, INT64_MAX, a);
}
