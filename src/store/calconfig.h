/* calconfig.h - calendar connections and feeds as configuration (bookd export/import and
 * the configuration document): their settings without any secret, and writing them back as
 * connections that need their credentials again and feeds whose address must be made anew. */
#ifndef BOOKD_CALCONFIG_H
#define BOOKD_CALCONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "store/db.h"

/* next_attempt_at of a connection that cannot be read until credentials are given: never. */
#define CALCONN_PAUSED_AT 253402300799LL /* 9999-12-31T23:59:59Z */

/* A connection's configuration. Strings in the caller's arena. */
typedef struct calconfig_conn {
	const char *id;              /* "cal_..." */
	const char *kind;            /* ics, caldav, google or microsoft */
	const char *provider_id;     /* whose, or NULL */
	const char *resource_id;     /* ... or this resource's */
	const char *name;            /* label, may be "" */
	const char *url;             /* caldav: the collection without credentials; else "" */
	const char *username;        /* caldav: the user name; else "" */
	bool push;                   /* bookings are written into the calendar */
	int poll_interval_s;         /* seconds between reads */
	int64_t fail_closed_after_s; /* 0: fail open */
	const char *calendar_id;     /* google/microsoft: the remote calendar, may be "" */
	const char *account;         /* google/microsoft: the account's address, may be "" */
} calconfig_conn;

/* Every connection of the business, by id. */
status store_calconfig_list(db_conn *c, const char *business_id, arena *a, calconfig_conn **out,
                            int *n);
/* Inside the caller's write transaction: inserts k as needing credentials (no secret, never
 * read until they are given), or, when the business has a connection of that id, changes
 * its label, read interval, fail-closed and push (kind, address and credentials stay). */
status store_calconfig_put(db_conn *c, const char *business_id, const calconfig_conn *k,
                           int64_t now);
/* Inside the caller's write transaction: deletes the connection id with its busy time and
 * pushes (no-op when there is none). */
status store_calconfig_delete(db_conn *c, const char *business_id, const char *id);

/* Inside the caller's write transaction: changes a feed's label, detail and window; *found
 * says whether the business had it. */
status store_calconfig_feed_update(db_conn *c, const char *business_id, const char *id,
                                   const char *name, const char *detail, int past_days,
                                   int future_days, bool *found);

#endif
