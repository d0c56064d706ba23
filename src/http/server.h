/* server.h - the HTTP server: libmicrohttpd with its own thread pool, dispatching to routes. */
#ifndef BOOKD_SERVER_H
#define BOOKD_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "base/status.h"
#include "http/conns.h"
#include "http/proxy.h"
#include "http/router.h"

#define HTTP_CONNECTIONS_MAX 4096     /* open connections at most unless configured */
#define HTTP_BODY_DEFAULT (64u << 10) /* a route's body limit unless its row names one */
#define HTTP_BODY_DISCARD (2u << 20)  /* a body this far over its limit is read and dropped
					 before the 413; one further over is refused at once */
#define HTTP_QUERY_PARAMS_MAX 64      /* query parameters in one request at most (414 past) */
#define HTTP_HEAD_MS 10000            /* a request head must arrive whole within this */
#define HTTP_BODY_MS 30000            /* and its body within this after the head */

typedef struct http_server http_server;

typedef struct http_server_config {
	const char *listen;          /* "ADDR:PORT" or "[ADDR]:PORT"; port 0 picks a free one */
	unsigned threads;            /* worker threads in the pool */
	size_t max_body;             /* a route's body limit unless its row names one (413 past) */
	conns_config limits;         /* connection and stream caps, deadlines; zeros take the
					defaults (HTTP_CONNECTIONS_MAX or what descriptors allow,
					no per-address cap, a quarter of it for streams,
					HTTP_HEAD_MS, HTTP_BODY_MS); trusted is set from below */
	const proxy_list *trusted;   /* peers whose forwarding header is believed (borrowed) */
	proxy_header forwarded;      /* which header they write */
	const http_route *routes;    /* the route table, borrowed for the server's life */
	size_t nroutes;
	bool test_routes;            /* serve AUTH_TEST routes (only with the test clock) */
	bool tls;                    /* speak HTTPS with the pair of http/tls.h (tls_start first),
					and send Strict-Transport-Security */
	bool quiet;                  /* record no metrics: a side listener whose route indexes
					are not those metrics_init was given */
	void *app;                   /* handed to handlers as http_req.app */
	/* Called before each matched handler; returns false when it has answered (401...). */
	bool (*authorize)(struct http_req *r);
	/* Called once the answer of a matched route is decided (by the handler or a refusal of
	 * authorize), before it is sent: r->code is set. For audit trails. May be NULL. */
	void (*after)(struct http_req *r);
	/* Called on the exchange's thread each time the api's code has run for it and returned:
	 * after the after hook, and when the handler or a resume function parked the exchange
	 * (a parked exchange holds nothing). Gives back what it held (r->held). May be NULL. */
	void (*settle)(struct http_req *r);
} http_server_config;

/* Parses "ADDR:PORT" into a socket address; false with a reason when malformed. */
bool http_parse_listen(const char *listen, void *sockaddr_storage_out, size_t *len_out,
		       char *err, size_t errlen);

/* The client's IP address as text ("" when unknown): the peer's, or from a trusted proxy
 * the address its forwarding header names (http/proxy.h). Borrowed for the exchange. */
const char *http_client_addr(struct http_req *r);

/* Serves r in-process, without a connection (method, path, body, app, now and client_addr
 * set; query and headers in fixed_query and fixed_headers): routes it through cfg's table
 * and runs it as the server does: 404/405 for no route, cfg->authorize, the handler, 500
 * when it gave no answer; a parked request is settled (cfg->settle), waits here until
 * http_unpark and is resumed on this thread; then cfg->after and cfg->settle. r->code and the body are set on return. Returns the index
 * of the matched route, -1 or -2 when none matched. For the fuzz targets (fuzz/) and
 * tests; no body limits, head checks or connection caps apply. Thread-safe as the handlers
 * are. */
int http_dispatch(const http_server_config *cfg, struct http_req *r);

/* Parks r: when its handler (or resume function) returns, the server sends nothing and the
 * connection waits suspended in libmicrohttpd, holding no thread, until some thread calls
 * http_unpark(r). The server then calls resume(r, arg) on its own thread, which answers r as
 * a handler would, or parks it again. Call only from a handler or a resume function, before
 * handing r to the thread that will unpark it. The exchange (and r's arena) lives until it
 * is answered. */
void http_park(struct http_req *r, void (*resume)(struct http_req *r, void *arg), void *arg);
/* Wakes a parked r (see http_park). Thread-safe; call exactly once per http_park. */
void http_unpark(struct http_req *r);

/* Starts listening and serving. On failure returns STATUS_INVALID (bad address) or
 * STATUS_IO (bind) with a reason in err. The caller owns *out (http_server_stop). */
status http_server_start(const http_server_config *cfg, http_server **out, char *err,
			 size_t errlen);
/* The port actually bound (useful with port 0). */
unsigned http_server_port(const http_server *s);
/* Appends the connection figures in Prometheus text (open connections and event streams,
 * connections refused at the caps and cut at a deadline since start). Thread-safe. */
void http_server_write_metrics(http_server *s, buf *out);
/* Stops accepting, waits up to grace_ms for in-flight exchanges, then stops and frees. */
void http_server_stop(http_server *s, int grace_ms);

#endif
