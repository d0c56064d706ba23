/* calalert.h - a failing calendar connection and its owners: the failure recorded, and the
 * business's owners told once per failure (after the business's threshold, or at once when
 * the peer refused the credentials); a success ends the failure, so a new one tells again. */
#ifndef BOOKD_CALALERT_H
#define BOOKD_CALALERT_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "store/calconn.h"
#include "store/db.h"

/* How long a connection may fail before its owners are told, unless the business set its
 * own (calendar_settings). */
#define CALALERT_AFTER_DEFAULT_S 3600

/* The business's alert threshold in seconds (the default when it set none). */
status store_calalert_after(db_conn *c, const char *business_id, int64_t *after_s);
/* Sets it (at least 60 s: the caller checks). */
status store_calalert_set_after(db_conn *c, const char *business_id, int64_t after_s);

/* Records a failed attempt of claimed connection k at now, in one write transaction: the
 * error (one line, no secret), failures in a row, the next attempt, the lease released, the
 * failure's start kept, and, with refused, the connection marked as needing credentials.
 * When the owners were not yet told of this failure and it is refused or has lasted the
 * business's threshold, an email "calendar_failing" is queued for each owner (outbox_staff)
 * and the connection marked as told. *alerted (may be NULL) says whether mail was queued.
 * STATUS_NOT_FOUND when the connection was deleted meanwhile. */
status store_calconn_failed(db_conn *c, const store_calconn *k, int64_t now, int64_t next_at,
                            int failures, const char *error, bool refused, arena *a, bool *alerted);

/* Whether the business has a connection whose owners were told of a failure that goes on
 * (the dashboard's banner); *count gets how many. */
status store_calalert_count(db_conn *c, const char *business_id, int *count);

/* A staff edit of a connection: each member left as it is when unset. */
typedef struct store_calconn_edit {
	const char *name;            /* a new label, or NULL */
	int poll_interval_s;         /* new seconds between reads, or 0 */
	bool set_fail_closed;        /* fail_closed_after_s below applies */
	int64_t fail_closed_after_s; /* 0: fail open */
	const char *url;             /* a new ICS address (its credentials given again), or NULL */
	const char *secret_box;      /* CalDAV: a new password, sealed, or NULL */
	const char *username;        /* CalDAV: a new user name, or NULL */
} store_calconn_edit;

/* Applies e to the business's connection id at now. A new url (or CalDAV password) drops
 * the validators, clears needs_credentials and asks for a read at now. STATUS_NOT_FOUND when
 * there is none. */
status store_calconn_edit_apply(db_conn *c, const char *business_id, const char *id,
                                const store_calconn_edit *e, int64_t now);

#endif
