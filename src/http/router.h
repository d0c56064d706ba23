/* router.h - routes as data: {method, pattern, handler, auth}; patterns with {param} segments. */
#ifndef BOOKD_ROUTER_H
#define BOOKD_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

typedef struct http_req http_req;

/* Handlers are short adapters: read the request, call the domain, set the response. */
typedef void (*http_handler)(http_req *r);

/* Who may call a route. The http layer only records it; the api layer enforces it. */
typedef enum http_auth {
	AUTH_PUBLIC, /* anyone */
	AUTH_STAFF,  /* any staff role of the route's {business} (session or API token) */
	AUTH_ADMIN,  /* admin or owner of the route's {business} */
	AUTH_OWNER,  /* the owner of the route's {business} */
	AUTH_TEST    /* exists only when the test clock is on */
} http_auth;

typedef struct http_route {
	const char *method;   /* "GET", "POST", ... */
	const char *pattern;  /* "/api/v1/public/{business}/services": literal and {name} segments */
	http_handler handler; /* called with path parameters set */
	http_auth auth;       /* who may call it */
	size_t max_body;      /* request body limit in bytes; 0: the server's default. Rows name
				 it (.max_body = N) only where a route needs more */
} http_route;

#define ROUTER_MAX_PARAMS 8

/* Path parameters captured by a match; values point into the caller's arena. */
typedef struct router_params {
	int count;                            /* captured so far */
	const char *names[ROUTER_MAX_PARAMS]; /* borrowed from the pattern's arena copy */
	const char *values[ROUTER_MAX_PARAMS];
} router_params;

typedef struct arena arena;

/* Finds the route for method and path (path without query string). Returns its index, or
 * -1 when no pattern matches the path, or -2 when a pattern matches but not the method
 * (405). Captured parameters are decoded copies in a. Thread-safe (the table is read-only). */
int router_match(const http_route *routes, size_t n, const char *method, const char *path,
		 arena *a, router_params *out);

#endif
