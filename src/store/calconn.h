/* calconn.h - external calendar connections: their settings and health, the lease a sync
 * worker holds, and the busy time each sync writes. */
#ifndef BOOKD_CALCONN_H
#define BOOKD_CALCONN_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "store/db.h"

/* One connection (a row of calendar_connections). Strings in the caller's arena. */
typedef struct store_calconn {
	const char *business_id;    /* its business */
	const char *id;             /* "cal_..." */
	const char *kind;           /* ics, caldav, google or microsoft */
	const char *provider_id;    /* whose calendar, or NULL */
	const char *resource_id;    /* ... or this resource's (exactly one is set) */
	const char *name;           /* a label; may be "" */
	const char *url;            /* the address (may carry a secret: never logged) */
	int poll_interval_s;        /* seconds between successful reads */
	int64_t fail_closed_after_s; /* 0: fail open; else stale after this many seconds */
	const char *etag;           /* the last answer's validators, or NULL */
	const char *last_modified;
	int64_t created_at;
	int64_t last_attempt_at;    /* 0 never */
	int64_t last_success_at;    /* 0 never */
	const char *last_error;     /* "" when the last attempt succeeded */
	int64_t last_error_at;      /* 0 never */
	int failures;               /* failed attempts in a row (the back-off) */
	int64_t next_attempt_at;    /* when a worker reads it next */
	int busy_count;             /* busy intervals stored by the last successful read */
	int skipped_count;          /* events skipped as unreadable by that read */
	const char *username;       /* caldav: the account; "" for ics */
	const char *secret_box;     /* caldav: the password sealed (base/sealed), or NULL */
	bool push;                  /* caldav: bookings are written to the collection */
	const char *sync_token;     /* caldav: the collection's last sync-token, or NULL */
	bool needs_credentials;     /* the peer refused them, or an import left them out */
	int64_t failing_since;      /* first failure since the last success; 0 none */
	int64_t alerted_at;         /* when owners were told of this failure; 0 not told */
	const char *calendar_id;    /* google/microsoft: the remote calendar ("" default) */
	const char *account;        /* google/microsoft: the account's address, may be "" */
	int64_t token_expires_at;   /* google/microsoft: the access token's expiry; 0 none */
} store_calconn;

status store_calconn_insert(db_conn *c, const store_calconn *k);
/* STATUS_NOT_FOUND when the business has no such connection. */
status store_calconn_get(db_conn *c, const char *business_id, const char *id, arena *a,
			 store_calconn *out);
/* Every connection of a business, by creation. */
status store_calconn_list(db_conn *c, const char *business_id, arena *a, store_calconn **out,
			  int *n);
/* Deletes a connection and its busy time; STATUS_NOT_FOUND when there is none. */
status store_calconn_delete(db_conn *c, const char *business_id, const char *id);
/* Asks for a full read at now: validators and the sync token dropped, next attempt now.
 * STATUS_NOT_FOUND. */
status store_calconn_resync(db_conn *c, const char *business_id, const char *id, int64_t now);

/* Claims the connection due longest (next_attempt_at <= now, no live lease) for lease_s
 * seconds, into *out; STATUS_NOT_FOUND when none is due. One statement: on PostgreSQL the
 * row is chosen FOR UPDATE SKIP LOCKED, so workers of several processes never take the
 * same connection. */
status store_calconn_claim(db_conn *c, int64_t now, int lease_s, arena *a, store_calconn *out);
/* The zone floating times of k's calendar are read in: its provider's, else the business's. */
status store_calconn_zone(db_conn *c, const store_calconn *k, arena *a, const char **zone);

/* One busy interval to store. */
typedef struct store_busy {
	int64_t start, end;
	const char *uid;
} store_busy;

/* Records a successful read at now and releases the lease, in one transaction: with
 * replace, the connection's busy time becomes spans[0..n) (validators etag/last_modified
 * kept for the next request); without (the server answered 304), it stays. next_at is the
 * next attempt. STATUS_NOT_FOUND when the connection was deleted meanwhile. */
status store_calconn_success(db_conn *c, const store_calconn *k, int64_t now, int64_t next_at,
			     bool replace, const char *etag, const char *last_modified,
			     const store_busy *spans, int n, int skipped);
/* Records a failed read at now (error: one line, no secret), failures in a row, the next
 * attempt, and releases the lease; the owners are told when it has lasted long enough
 * (store_calconn_failed of store/calalert.h, not refused). */
status store_calconn_failure(db_conn *c, const store_calconn *k, int64_t now, int64_t next_at,
			     int failures, const char *error);

#endif
