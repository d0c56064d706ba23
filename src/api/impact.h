/* impact.h - the impact preview: which future bookings a change to hours, overrides, time
 * off, closures or a service's settings would leave outside availability, by the slot
 * engine's own checks. The catalogue writes use it for ?dry_run=1. */
#ifndef BOOKD_API_IMPACT_H
#define BOOKD_API_IMPACT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/model.h"
#include "http/request.h"
#include "store/db.h"

/* The most bookings one preview examines; beyond, the answer says "truncated". */
#define IMPACT_MAX_BOOKINGS 2000

/* What a change touched: one service, one provider's or resource's bookings, or (all NULL)
 * every booking, over the instants [from, to) (to INT64_MAX: no end): a booking is in the
 * scope when its own time overlaps them. */
typedef struct impact_scope {
	const char *service_id;  /* or NULL */
	const char *provider_id; /* or NULL */
	const char *resource_id; /* or NULL */
	int64_t from;            /* first instant touched */
	int64_t to;              /* first instant after */
} impact_scope;

/* One booking a preview found refused (impact.c). */
typedef struct impact_item impact_item;

/* What a preview found inside the change's transaction (strings in the request's arena). */
typedef struct impact_found {
	impact_item *items; /* the bookings the engine refuses after the change */
	int n;                     /* entries in items */
	int checked;               /* bookings in the scopes looked at */
	bool truncated;            /* more than IMPACT_MAX_BOOKINGS were in reach */
} impact_found;

/* Called inside the write transaction of a change not yet committed (c sees it): finds the
 * live future bookings (pending, confirmed, checked in; starting at or after now) in the
 * scopes, visible to visible_to (a staff role's provider, or NULL), that the engine would
 * refuse now, into *out. */
status impact_collect(http_req *r, db_conn *c, const business *b, const impact_scope *scopes,
                      int n_scopes, const char *visible_to, impact_found *out);
/* Called once that transaction was rolled back: keeps the bookings of f that the engine
 * offered before the change, and answers 200 {"dry_run": true, "affected": [{booking,
 * reference, status, service, service_name, provider, provider_name, resource,
 * customer_name, start, end, reason, detail}], "checked": N, "truncated": bool}. */
void impact_answer(http_req *r, db_conn *c, const business *b, const impact_found *f);

#endif
