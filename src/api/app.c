/* app.c - the request's database connection: lent at first use, given back when it returns. */
#include "api/app.h"

db_conn *app_db(http_req *r)
{
	if (!r->held) {
		app *ap = r->app;
		r->held = db_acquire(ap->db);
	}
	return r->held;
}

void app_db_release(http_req *r)
{
	if (!r->held)
		return;
	app *ap = r->app;
	db_release(ap->db, r->held);
	r->held = NULL;
}

void app_settle(http_req *r)
{
	app_db_release(r);
}
