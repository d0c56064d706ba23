/* app.h - what every handler shares: the database and the server's settings. */
#ifndef BOOKD_APP_H
#define BOOKD_APP_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "http/request.h"
#include "http/router.h"
#include "store/db.h"

typedef struct app {
	db *db;                 /* the store, shared by all threads */
	const char *public_url; /* base URL for links in messages, no trailing slash */
	bool test_clock;        /* the test clock is on: test routes exist */
	const char *web_dir;    /* serve the web app from this directory (read per request), or
				 * NULL: the files compiled in */
	const struct notify_worker_config *notify; /* delivery settings, for previews and status */
	const struct pay_config *pay; /* payment providers' keys and addresses (pay/pay.h) */
	const char *metrics_token; /* bearer token /metrics asks for ("" or NULL: none) */
	bool metrics_side;      /* this is the --metrics-listen listener's: /metrics is served
				   there without a token unless one is set */
	/* the main listener, for its connection figures: NULL until it has started (set while
	 * it may already serve, hence atomic) */
	struct http_server *_Atomic server;
} app;

/* The request's database connection: lent from the pool at the first call of an exchange,
 * the same one at every later call, given back (an open transaction rolled back) by
 * app_settle when the handler returns. Handlers never release it; the caller must not keep
 * it past the exchange, nor hand it to another thread. Never NULL. */
db_conn *app_db(http_req *r);
/* Gives the request's connection back now, before slow work that needs none (an open
 * transaction is rolled back); a later app_db borrows one again. Safe when none is held.
 * First sends the live events the request made meanwhile, as one notification
 * (live_batch_flush). */
void app_db_release(http_req *r);
/* The server's settle hook (http_server_config.settle): app_db_release. Runs after the
 * after hook and whenever an exchange parks, so a parked request or an event stream holds
 * no connection. */
void app_settle(http_req *r);

/* The route table of the whole server: one row per route (api/routes.c). */
extern const http_route API_ROUTES[];
extern const size_t API_ROUTE_COUNT;
/* The route table of the separate metrics listener (--metrics-listen): /metrics alone. */
extern const http_route API_METRICS_ROUTES[];
extern const size_t API_METRICS_ROUTE_COUNT;

#endif
