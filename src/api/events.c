/* events.c - the live-update streams (SSE): GET /api/v1/public/{business}/events for
 * booking pages (availability changed) and GET /api/v1/businesses/{business}/events for
 * the staff dashboard (a booking was created, changed or cancelled). */
#include "api/auth.h"
#include "api/common.h"
#include "api/handlers.h"
#include "api/live.h"
#include "http/sse.h"

void events_get(http_req *r)
{
	db_conn *c = app_db(r);
	business b;
	bool ok = api_business(r, c, &b);
	if (ok)
		sse_subscribe(r, b.id);
}

void staff_events_get(http_req *r)
{
	const principal *p = auth_principal(r);
	if (!p)
		return;
	/* The staff role hears only its own provider's bookings; without a linked provider, a
	 * topic nothing is published on (it sees no bookings either). */
	const char *only = NULL;
	if (p->role < ROLE_ADMIN)
		only = p->provider_id ? p->provider_id : "-";
	sse_subscribe(r, live_staff_topic(r->arena, p->business_id, only));
}
