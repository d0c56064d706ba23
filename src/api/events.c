/* events.c - GET /api/v1/public/{business}/events: the live-update stream (SSE). */
#include "api/common.h"
#include "api/handlers.h"
#include "http/sse.h"

void events_get(http_req *r)
{
	app *ap = r->app;
	db_conn *c = db_acquire(ap->db);
	business b;
	bool ok = api_business(r, c, &b);
	db_release(ap->db, c);
	if (ok)
		sse_subscribe(r, b.id);
}
