/* fetch.h - conditional HTTP GET of a calendar address (libcurl), bounded in size and time. */
#ifndef BOOKD_CALSYNC_FETCH_H
#define BOOKD_CALSYNC_FETCH_H

#include <stddef.h>

#include "base/buf.h"
#include "base/status.h"

/* The largest calendar file read (bytes). */
#define FETCH_MAX_BYTES (32u << 20)
/* The longest an ETag or Last-Modified value kept is. */
#define FETCH_VALIDATOR_MAX 256

/* What to ask. Strings borrowed; NULL or "" for none. */
typedef struct fetch_request {
	const char *url;           /* http://, https:// or webcal:// (read as https://) */
	const char *etag;          /* sent as If-None-Match */
	const char *last_modified; /* sent as If-Modified-Since */
	long timeout_s;            /* the whole exchange; 0 means 30 */
} fetch_request;

/* What came back. body is the caller's, buf_init'ed with a maximum (FETCH_MAX_BYTES). */
typedef struct fetch_response {
	long code;                                /* HTTP status; 304 when unchanged */
	buf body;                                 /* 200: the file */
	char etag[FETCH_VALIDATOR_MAX];           /* the answer's ETag, or "" */
	char last_modified[FETCH_VALIDATOR_MAX];  /* its Last-Modified, or "" */
} fetch_response;

/* True when url is one fetch_get accepts: an absolute http, https or webcal URL. */
bool fetch_url_ok(const char *url);

/*
 * GETs rq->url (following up to 5 redirects, HTTP and HTTPS only, TLS verified), with
 * If-None-Match / If-Modified-Since from rq. STATUS_OK with out->code 200 (body filled) or
 * 304; STATUS_IO for any other status, a transport failure, a timeout or a body over the
 * buffer's maximum, with a one-line reason in err (never the URL: it may hold a secret).
 * Thread-safe (one easy handle per call); blocks for up to the timeout.
 */
status fetch_get(const fetch_request *rq, fetch_response *out, char *err, size_t errlen);

#endif
