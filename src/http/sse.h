/* sse.h - Server-Sent Events: long-lived responses fed by publish(), per topic.
 *
 * A handler calls sse_subscribe(r, topic) instead of answering; the server then streams
 * what anyone publishes on that topic to the client. Waiting streams are suspended in
 * libmicrohttpd (they hold no thread) and resumed when data arrives. One module-level hub
 * owns every stream, behind one lock. */
#ifndef BOOKD_SSE_H
#define BOOKD_SSE_H

#include <stddef.h>

#include "http/request.h"

/* Starts the hub's keep-alive thread (a comment line every interval_ms to every stream, so
 * proxies keep them open and closed clients are noticed). Call once before serving. */
void sse_start(int keepalive_ms);
/* Ends every stream and the keep-alive thread. Call before stopping the HTTP server. */
void sse_stop(void);

/* Makes r's answer an event stream on topic (copied). The first bytes sent are a retry hint
 * and a ": connected" comment. */
void sse_subscribe(http_req *r, const char *topic);

/* Sends "event: EVENT\ndata: DATA\n\n" to every stream on topic. data must be one line
 * (JSON without newlines). Thread-safe; never blocks on a client. */
void sse_publish(const char *topic, const char *event, const char *data);

/* Streams open now (for metrics and tests). */
size_t sse_count(void);

/* Used by the server: creates the libmicrohttpd response for a subscribed request. */
struct MHD_Response *sse_response(http_req *r);

#endif
