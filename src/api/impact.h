/* impact.h - the impact preview: which future bookings a change to hours, overrides, time
 * off, closures or a service's settings would leave outside availability, by the slot
 * engine's own checks. The catalogue writes use it for ?dry_run=1. */
#ifndef BOOKD_API_IMPACT_H
#define BOOKD_API_IMPACT_H

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

/* Called inside the write transaction of a change not yet committed (c sees it): finds the
 * live future bookings (pending, confirmed, checked in; starting at or after now) in the
 * scopes, visible to visible_to (a staff role's provider, or NULL), that the engine would
 * refuse now; rolls the transaction back; keeps those it offered before the change; and
 * answers 200 {"dry_run": true, "affected": [{booking, reference, status, service,
 * service_name, provider, provider_name, resource, customer_name, start, end, reason,
 * detail}], "checked": N, "truncated": bool}. Nothing is written. */
void impact_answer(http_req *r, db_conn *c, const business *b, const impact_scope *scopes,
                   int n_scopes, const char *visible_to);
/* The same for a change to the business's own settings: `is` is the business as changed
 * (its zone reads the hours after the change), `was` as it was (read after the rollback). */
void impact_answer_moved(http_req *r, db_conn *c, const business *was, const business *is,
                         const impact_scope *scopes, int n_scopes, const char *visible_to);

#endif
