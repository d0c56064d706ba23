/* caldav.h - a CalDAV client (RFC 4791, RFC 6578 sync-collection) over libcurl and libxml2:
 * discovery of a calendar collection, reading its events, and writing bookd's own. */
#ifndef BOOKD_CALSYNC_CALDAV_H
#define BOOKD_CALSYNC_CALDAV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/status.h"

/* The largest answer read (bytes), and the most objects one answer may list. */
#define CALDAV_MAX_BYTES (32u << 20)
#define CALDAV_MAX_OBJECTS 20000

/* Whom to ask, and how. Strings borrowed for the call. */
typedef struct caldav_peer {
	const char *username; /* HTTP basic auth; "" for none */
	const char *password; /* never logged, never in err */
	long timeout_s;       /* each exchange; 0 means 30 */
} caldav_peer;

/* One calendar object as an answer lists it. Strings in the caller's arena. */
typedef struct caldav_object {
	const char *href;  /* absolute URL of the object */
	const char *etag;  /* its ETag (quotes kept), or "" */
	const char *data;  /* its iCalendar text, or NULL when the answer did not carry it */
	bool gone;         /* sync-collection: the object was removed (404) */
} caldav_object;

/* What a listing found. */
typedef struct caldav_listing {
	caldav_object *objects; /* in the arena */
	int n;
	const char *sync_token; /* the collection's new token, or NULL (calendar-query) */
} caldav_listing;

/* Why an exchange failed, for the caller's choice (err holds the sentence). */
typedef enum caldav_fault {
	CALDAV_FAULT_NONE = 0,
	CALDAV_FAULT_TRANSPORT,   /* no answer: refused, timed out, TLS */
	CALDAV_FAULT_AUTH,        /* 401 or 403 on credentials */
	CALDAV_FAULT_TOKEN,       /* sync-collection: the token is no longer valid */
	CALDAV_FAULT_UNSUPPORTED, /* the server does not do sync-collection */
	CALDAV_FAULT_PRECONDITION,/* 412: the object changed (or exists) */
	CALDAV_FAULT_NOT_FOUND,   /* 404 */
	CALDAV_FAULT_HTTP         /* any other status, or an unreadable answer */
} caldav_fault;

/* The collection url names after discovery: url itself when it is a calendar collection;
 * else the server's current-user-principal (from url, else from /.well-known/caldav),
 * its calendar-home-set, and the first calendar collection in it that holds events.
 * *collection in a (absolute, ending in '/'). STATUS_IO with *fault and err on failure;
 * STATUS_NOT_FOUND when the account has no calendar. Blocks on the network. */
status caldav_discover(const caldav_peer *p, const char *url, arena *a, const char **collection,
		       caldav_fault *fault, char *err, size_t errlen);

/* sync-collection on collection from token (NULL or "": the initial sync, every object),
 * asking for each object's ETag and data. STATUS_IO with *fault CALDAV_FAULT_TOKEN when
 * the token is refused (start again without), CALDAV_FAULT_UNSUPPORTED when the server
 * does not support the report. */
status caldav_sync(const caldav_peer *p, const char *collection, const char *token, arena *a,
		   caldav_listing *out, caldav_fault *fault, char *err, size_t errlen);

/* calendar-query of VEVENTs overlapping [from, to) (UTC seconds), with ETag and data. */
status caldav_query(const caldav_peer *p, const char *collection, int64_t from, int64_t to,
		    arena *a, caldav_listing *out, caldav_fault *fault, char *err, size_t errlen);

/* GET one object: *data and *etag in a. */
status caldav_get(const caldav_peer *p, const char *href, arena *a, const char **data,
		  const char **etag, caldav_fault *fault, char *err, size_t errlen);

/* PUT text/calendar data at href: with if_match NULL as a creation (If-None-Match: *), else
 * an update of exactly that ETag (If-Match). *etag_out (in a) gets the new ETag, or ""
 * when the server gave none. STATUS_IO with CALDAV_FAULT_PRECONDITION on 412. */
status caldav_put(const caldav_peer *p, const char *href, const char *data, const char *if_match,
		  arena *a, const char **etag_out, caldav_fault *fault, char *err, size_t errlen);

/* DELETE href (If-Match etag when given). A 404 counts as done. */
status caldav_delete(const caldav_peer *p, const char *href, const char *if_match,
		     caldav_fault *fault, char *err, size_t errlen);

/* Reads a multistatus answer (of sync-collection or calendar-query on collection) into
 * *out, hrefs resolved against collection, the collection's own entry left out, removed
 * objects (404) marked gone. False when xml is not a DAV multistatus. For the rounds
 * above, and tests. */
bool caldav_parse_listing(const char *collection, const char *xml, size_t len, arena *a,
			  caldav_listing *out);

/* href resolved against base (an absolute URL), in a. */
const char *caldav_resolve(arena *a, const char *base, const char *href);

#endif
