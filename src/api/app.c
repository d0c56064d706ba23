/* app.c - the request's database connection: lent at first use, given back when it returns. */
#include "api/app.h"
#include "api/live.h"

db_conn *app_db(http_req *r)
{
	if (!r->held) {
		app *ap = r->app;
		r->held = db_acquire(ap->db);
		live_batch_open(); /* the request's events go out together (app_settle) */
	}
	return r->held;
}

void app_db_release(http_req *r)
{
	if (!r->held)
		return;
	live_batch_flush(r->held); /* the request's events, before the answer goes */
	app *ap = r->app;
	db_release(ap->db, r->held);
	r->held = NULL;
}

void app_settle(http_req *r)
{
	app_db_release(r);
}
