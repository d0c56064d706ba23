/* request.h - one HTTP exchange as handlers see it: the request read, the response built. */
#ifndef BOOKD_REQUEST_H
#define BOOKD_REQUEST_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/status.h"
#include "http/router.h"

struct MHD_Connection;

#define HTTP_MAX_FIELD_ERRORS 16
#define HTTP_HEADERS_FIRST 16 /* room for extra headers at first; more are made as needed */

/* One query argument or header of a request served without a connection (http_req.fixed). */
typedef struct http_pair {
	const char *name;  /* argument or header name */
	const char *value; /* its decoded value */
} http_pair;

/* One invalid field, for the "errors" list of a validation problem. */
typedef struct http_field_error {
	const char *field;  /* JSON path or query parameter name, in the arena */
	const char *detail; /* what is wrong, for people */
} http_field_error;

struct http_req {
	/* The request (all borrowed for the exchange's lifetime). */
	arena *arena;                 /* freed when the exchange completes */
	struct MHD_Connection *conn;  /* for headers and query arguments; NULL in-process */
	/* Without a connection (an exchange served in-process, as fuzz/ does): the query
	 * arguments and headers, read by http_query and http_header instead. */
	const http_pair *fixed_query; /* decoded query arguments, first of a name wins */
	int nfixed_query;             /* entries in fixed_query */
	const http_pair *fixed_headers; /* headers; names compare case-insensitively */
	int nfixed_headers;           /* entries in fixed_headers */
	const char *method;           /* "GET", ... */
	const char *path;             /* decoded by libmicrohttpd, no query string */
	const char *body;             /* NUL-terminated request body (may be "") */
	size_t body_len;              /* bytes in body */
	router_params params;         /* path parameters of the matched route */
	const http_route *route;      /* the matched route, NULL before routing */
	char request_id[24];          /* sent back as X-Request-Id and in problems */
	void *app;                    /* the api layer's context (struct app) */
	const void *principal;        /* who is calling a staff route (api/auth.h), or NULL */
	int64_t now;                  /* the server's "now" at arrival (clock_now) */
	const char *client_addr;      /* who is calling (http_client_addr), set at arrival */
	void *held;                   /* what the api layer holds for the exchange (its database
					 connection, api/app.h app_db), or NULL: given back by
					 the server's settle hook whenever the api's code returns */

	/* The response. */
	int code;                       /* HTTP status, 0 until set */
	const char *content_type;       /* static or arena string */
	buf out;                        /* response body, bounded */
	const void *out_static;         /* or this body, which outlives the server (http_static) */
	size_t out_static_len;          /* bytes in out_static */
	int nheaders;                   /* extra headers set */
	int hcap;                       /* room in hname and hvalue */
	const char **hname;             /* extra header names (arena; grows as needed) */
	const char **hvalue;            /* and values */
	int nerrors;                    /* field errors collected so far */
	http_field_error errors[HTTP_MAX_FIELD_ERRORS];
	status result;                  /* the status behind an error answer, for metrics */
	const char *stream_topic;       /* set by sse_subscribe: answer with an event stream */

	/* Parking (http_park, server.h): the function the server calls on its own thread once
	 * another thread has called http_unpark, and its argument; NULL when not parked. */
	void (*park_resume)(struct http_req *r, void *arg);
	void *park_arg;
	bool park_woken; /* in-process (no conn): http_unpark was called; under server.c's lock */
};

/* Reading. Returned strings are borrowed for the exchange; NULL when absent. Without a
 * connection they come from fixed_query and fixed_headers. */
const char *http_param(const http_req *r, const char *name);
const char *http_query(const http_req *r, const char *name);
const char *http_header(const http_req *r, const char *name);

/* Parses the body as a JSON object. On failure answers 400 problem+json itself and returns
 * NULL; the caller just returns. The caller owns the result (json_decref). */
json_t *http_body_json(http_req *r);

/* Answering. */
/* Sends v as application/json with code; steals the reference to v. */
void http_json_take(http_req *r, int code, json_t *v);
/* Starts an application/json answer with code written straight into the response body:
 * returns the (emptied) body buffer for a writer (base/jsonw.h) to fill. */
buf *http_json_begin(http_req *r, int code);
/* Ends it: when the writer failed (wst not STATUS_OK: a string not UTF-8, the body's
 * maximum), the answer becomes a 500 problem instead, as http_json_take's would. */
void http_json_end(http_req *r, status wst);
/* Sends text with a content type (copied). */
void http_text(http_req *r, int code, const char *content_type, const char *text, size_t len);
/* Sends len bytes of data that outlive the server (compiled in), without a copy. */
void http_static(http_req *r, int code, const char *content_type, const void *data, size_t len);
/* Adds a response header (both strings must outlive the exchange: static or arena). */
void http_add_header(http_req *r, const char *name, const char *value);

/* Records an invalid field; a later http_problem(r, STATUS_INVALID, ...) lists them. */
void http_field_error_add(http_req *r, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Answers with RFC 9457 problem+json for st (the one status -> HTTP mapping is in
 * problem.c), with detail for people and the collected field errors. */
void http_problem(http_req *r, status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The same, for invalid query parameters or path: 400 instead of 422. */
void http_problem_query(http_req *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The same, with an explicit HTTP code (404 route, 405, 413, 429, 503). */
void http_problem_code(http_req *r, int code, status st, const char *detail);

/* The HTTP code a status maps to: the one place that decides it. */
int http_code_of(status st);

#endif
