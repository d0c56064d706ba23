/* live.h - tells open booking pages (the events stream) that availability changed.
 *
 * With SQLite (one process) events go straight to this process's SSE hub and answer cache.
 * With PostgreSQL, once live_listen_start runs, every event goes through the database
 * (NOTIFY on LIVE_CHANNEL) and each bookd process's listener, the sender's included,
 * bumps its availability answer cache and publishes the event to its own streams. A
 * notification carries one payload, or a JSON array of the payloads of one request. */
#ifndef BOOKD_API_LIVE_H
#define BOOKD_API_LIVE_H

#include <stdint.h>

#include "base/arena.h"
#include "core/model.h"
#include "store/db.h"

/* The PostgreSQL channel of live events. A payload is one JSON object:
 * {"business": ID, "event": "availability", "data": {...the event...}} (with "topic": the
 * SSE topic when it is not the business's public one, as for staff streams), or
 * {"business": ID} alone when a change has no event to show but caches must drop. */
#define LIVE_CHANNEL DB_CHANNEL_LIVE

/* PostgreSQL: starts listening on LIVE_CHANNEL (db_listen_start) and from then on sends
 * every event through it. SQLite: STATUS_OK and events stay in this process. Errors as
 * db_listen_start's, with err set. Call once, before serving; not thread-safe. */
status live_listen_start(db *d, char *err, size_t errlen);
/* Stops the listener; later events go to this process only. */
void live_listen_stop(db *d);

/* From now on this thread's notifications wait, until live_batch_flush sends them on c as
 * one notification (a JSON array of the payloads; several only when they would not fit
 * DB_NOTIFY_MAX together): one round trip per request instead of one per event. The HTTP
 * exchange's thread opens it at its first use of the database (app_db) and flushes when its
 * turn ends (app_settle), before the answer is sent. flush with c NULL drops nothing: it
 * only closes (nothing can wait without a connection having been used). Per thread. */
void live_batch_open(void);
void live_batch_flush(db_conn *c);

/* The listener's callback (db_listen_fn): bumps the answer cache, then publishes the event a
 * payload names to this process's streams. NULL payload (the listener reconnected): only
 * bumps. A malformed payload is logged and dropped. Thread-safe. */
void live_on_notify(void *ctx, const char *payload);

/* After a committed change that took or freed [start, end) from a provider and/or resource,
 * publishes one "availability" event per service they offer, naming the business-zone
 * dates touched: {"service": ID, "dates": ["YYYY-MM-DD", ...]}. Best effort: a failure is
 * logged, never returned (pages also refresh on their own). */
void live_booking_changed(db_conn *c, const business *b, const char *provider_id,
                          const char *resource_id, int64_t start, int64_t end, arena *a);

/* Staff event streams (GET /api/v1/businesses/{business}/events): topic
 * "staff:BUSINESS_ID" hears every booking of the business, "staff:BUSINESS_ID:PROVIDER_ID"
 * only those of one provider (what a staff-role login may see). In a. */
const char *live_staff_topic(arena *a, const char *business_id, const char *provider_id);

/* After a committed change to booking bk (created when it is new, including a hold),
 * publishes one "booking" event to the staff streams of the business and of its provider
 * (and of prev_provider_id, the provider it left, when that differs; may be NULL):
 * {"booking": ID, "reference", "change": "created"|"changed"|"cancelled", "status",
 * "provider": ID|null, "start", "end"} (instants in the business zone). "cancelled" is any
 * change that freed the booking's time for good (cancelled, expired hold). Best effort. */
void live_booking_event(db_conn *c, const business *b, const booking *bk, bool created,
                        const char *prev_provider_id, arena *a);

/* jobs_changed_fn for the lifecycle worker: an expired hold frees its slot at once; staff
 * streams hear of every change the worker made. */
void live_job_changed(void *ctx, db_conn *c, const business *b, const booking *bk, arena *a);

/* After a committed change to the catalogue or hours (a schedule, an override, a closure,
 * a service's settings...): bumps the availability answer cache and publishes one
 * "availability" event per service concerned, naming the business-zone dates of [from, to)
 * that lie in that service's booking window (now - 1 day to now + max_advance_s + 1 day;
 * pass 0 and INT64_MAX for "every date"). service_id NULL means every active service.
 * Best effort like live_booking_changed. */
void live_business_changed(db_conn *c, const business *b, const char *service_id, int64_t from,
                           int64_t to, arena *a);

/* For a command that changed business_id's data outside any server (`bookd import`, `bookd
 * demo`): tells every running process on PostgreSQL (NOTIFY) to drop its cached answers.
 * SQLite's servers notice such commits themselves (db_data_changed). Best effort. */
void live_tell_servers(db_conn *c, const char *business_id);

/* The same for a change to one provider's or resource's hours (either may be NULL): the
 * events name the active services they offer. */
void live_bookable_changed(db_conn *c, const business *b, const char *provider_id,
                           const char *resource_id, int64_t from, int64_t to, arena *a);

/* The calendar sync worker's callback (calsync_changed_fn): an external calendar's busy
 * time of that provider or resource changed; live_bookable_changed over every date. */
void live_calendar_changed(void *ctx, db_conn *c, const char *business_id,
                           const char *provider_id, const char *resource_id, arena *a);

#endif
