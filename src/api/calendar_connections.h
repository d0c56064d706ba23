/* calendar_connections.h - external calendars whose busy time blocks slots (staff routes). */
#ifndef BOOKD_API_CALENDAR_CONNECTIONS_H
#define BOOKD_API_CALENDAR_CONNECTIONS_H

#include <jansson.h>

#include "base/arena.h"
#include "core/tz.h"
#include "http/request.h"
#include "store/calconn.h"
#include "store/db.h"

/* /api/v1/businesses/{business}/calendar-connections[/{connection}[/resync]] (admin):
 * list with health, create, read one, delete, ask for a full read now. */
void calendar_connections_list(http_req *r);
void calendar_connections_create(http_req *r);
void calendar_connections_get(http_req *r);
void calendar_connections_delete(http_req *r);
void calendar_connections_resync(http_req *r);
/* PATCH of one connection and the business's calendar settings (api/calendar_settings.c). */
void calendar_connections_patch(http_req *r);
void calendar_settings_get(http_req *r);
void calendar_settings_put(http_req *r);
/* POST …/calendar-oauth/{service} (admin, session) and GET /api/v1/oauth/{service}/callback
 * (api/calendar_oauth.c). */
void calendar_oauth_start(http_req *r);
void calendar_oauth_callback(http_req *r);

/* A connection as the API answers it (new reference): settings and health, no secret. */
json_t *calconn_json(arena *a, db_conn *c, const store_calconn *k, const tz *z, int64_t now);

/* POST /api/v1/businesses/{business}/bookings/{booking}/calendar-attention/resolve (staff):
 * staff have seen that the booking's event was moved or deleted in an external calendar;
 * bookd writes its own version again at the next round. Answers the booking in full. */
void calendar_attention_resolve(http_req *r);

/* The "calendar_attention" array of a staff booking answer: one {connection_id,
 * connection_name, what: moved|deleted, at} per CalDAV connection whose copy of the
 * booking's event was changed outside bookd. A new reference (empty array when none). */
json_t *calendar_attention_json(db_conn *c, const char *business_id, const char *booking_id,
				const tz *zone, arena *a);

#endif
