/* server.h - the HTTP server: libmicrohttpd with its own thread pool, dispatching to routes. */
#ifndef BOOKD_SERVER_H
#define BOOKD_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include "base/status.h"
#include "http/router.h"

typedef struct http_server http_server;

typedef struct http_server_config {
	const char *listen;          /* "ADDR:PORT" or "[ADDR]:PORT"; port 0 picks a free one */
	unsigned threads;            /* worker threads in the pool */
	size_t max_body;             /* request bodies above this get 413 */
	const http_route *routes;    /* the route table, borrowed for the server's life */
	size_t nroutes;
	bool test_routes;            /* serve AUTH_TEST routes (only with the test clock) */
	void *app;                   /* handed to handlers as http_req.app */
	/* Called before each matched handler; returns false when it has answered (401...). */
	bool (*authorize)(struct http_req *r);
	/* Called once the answer of a matched route is decided (by the handler or a refusal of
	 * authorize), before it is sent: r->code is set. For audit trails. May be NULL. */
	void (*after)(struct http_req *r);
} http_server_config;

/* Parses "ADDR:PORT" into a socket address; false with a reason when malformed. */
bool http_parse_listen(const char *listen, void *sockaddr_storage_out, size_t *len_out,
		       char *err, size_t errlen);

/* The client's IP address as text in the request's arena ("" when unknown). */
const char *http_client_addr(struct http_req *r);

/* Routes r (method, path, body, app and now set) through cfg's table and runs it as the
 * server does: 404/405 for no route, cfg->authorize, the handler, 500 when it gave no
 * answer, then cfg->after. r->code and the body are set on return. Returns the index of
 * the matched route, or -1 when none matched. Used by the server for every exchange and
 * by in-process callers (fuzz/) with a connection-less request. Thread-safe as the
 * handlers are. */
int http_dispatch(const http_server_config *cfg, http_req *r);

/* Starts listening and serving. On failure returns STATUS_INVALID (bad address) or
 * STATUS_IO (bind) with a reason in err. The caller owns *out (http_server_stop). */
status http_server_start(const http_server_config *cfg, http_server **out, char *err,
			 size_t errlen);
/* The port actually bound (useful with port 0). */
unsigned http_server_port(const http_server *s);
/* Stops accepting, waits up to grace_ms for in-flight exchanges, then stops and frees. */
void http_server_stop(http_server *s, int grace_ms);

#endif
