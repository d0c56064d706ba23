/* session.h - staff credentials in the database: login sessions, API tokens and the
 * failed-login counters of the lockout. Secrets are never stored, only their SHA-256 hashes
 * (ids_secret_hash), so every bookd process sharing the database sees the same sessions. */
#ifndef BOOKD_STORE_SESSION_H
#define BOOKD_STORE_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "store/db.h"

/* Who a live credential belongs to, read with the user's current role and business. */
typedef struct store_credential {
	const char *business_id;   /* the business the credential belongs to */
	const char *business_slug; /* its slug */
	const char *id;            /* the session or token id */
	const char *user_id;       /* the user it acts for */
	const char *email;         /* that user's email */
	const char *role;          /* that user's current role: "owner", "admin" or "staff" */
	const char *provider_id;   /* the provider linked to the user, or NULL */
	const char *csrf_token;    /* sessions: the CSRF token; tokens: NULL */
	int64_t expires_at;        /* sessions: the expiry instant; tokens: 0 */
	int64_t last_used_at;      /* tokens: last use recorded (0 never); sessions: 0 */
	bool read_only;            /* tokens: safe methods only; sessions: false */
} store_credential;

/* One API token as listed (never its secret or hash). */
typedef struct store_token {
	const char *id;         /* "tok_..." */
	const char *user_id;    /* the creator, whose role it acts with */
	const char *user_email; /* the creator's email */
	const char *role;       /* the creator's current role */
	const char *name;       /* a label given at creation */
	const char *hint;       /* the last characters of the secret, to tell tokens apart */
	int64_t created_at;     /* instant */
	int64_t last_used_at;   /* instant of last use (to the minute), 0 never */
	int64_t revoked_at;     /* instant of revocation, 0 live */
	int64_t expires_at;     /* instant it stops working, 0 never */
	bool read_only;         /* safe methods (GET, HEAD, OPTIONS) only */
} store_token;

/* A token to insert. */
typedef struct store_token_new {
	const char *business_id; /* whose */
	const char *id;          /* "tok_..." */
	const char *token_hash;  /* SHA-256 of the secret (ids_secret_hash) */
	const char *user_id;     /* the creator */
	const char *name;        /* label, may be NULL */
	const char *hint;        /* last characters of the secret, may be NULL */
	int64_t created_at;      /* instant */
	int64_t expires_at;      /* instant, 0 never */
	bool read_only;          /* safe methods only */
} store_token_new;

/* Sessions. */
/* Inserts a session whose secret hashes to token_hash. */
status store_staff_session_insert(db_conn *c, const char *business_id, const char *id,
			    const char *token_hash, const char *user_id, const char *csrf_token,
			    int64_t now, int64_t expires_at, const char *remote_addr);
/* Finds the live (not revoked, expires_at > now) session with this hash in a business.
 * STATUS_NOT_FOUND when there is none. Strings in a. */
status store_staff_session_find(db_conn *c, const char *business_id, const char *token_hash,
			  int64_t now, arena *a, store_credential *out);
/* Marks a session revoked at now (idempotent). */
status store_staff_session_revoke(db_conn *c, const char *business_id, const char *id, int64_t now);
/* Deletes a user's sessions that expired or were revoked before now. */
status store_staff_session_purge(db_conn *c, const char *business_id, const char *user_id,
				 int64_t now);

/* Ends every live session of a user but keep_id (NULL: all of them) at now. */
status store_staff_session_end_user(db_conn *c, const char *business_id, const char *user_id,
				    const char *keep_id, int64_t now);

/* API tokens. */
status store_token_insert(db_conn *c, const store_token_new *t);
/* Finds the live token with this hash in a business: not revoked, and not expired at now.
 * STATUS_NOT_FOUND when none. */
status store_token_find(db_conn *c, const char *business_id, const char *token_hash,
			int64_t now, arena *a, store_credential *out);
/* Records a use at now. */
status store_token_touch(db_conn *c, const char *business_id, const char *id, int64_t now);
/* Tokens of a business, newest first; only those of user_id unless it is NULL. */
status store_token_list(db_conn *c, const char *business_id, const char *user_id, arena *a,
			store_token **out, int *count);
/* Reads one token. STATUS_NOT_FOUND if none in this business. */
status store_token_get(db_conn *c, const char *business_id, const char *id, arena *a,
		       store_token *out);
/* Marks a token revoked at now; a token already revoked keeps its first instant.
 * STATUS_NOT_FOUND if no such token. */
status store_token_revoke(db_conn *c, const char *business_id, const char *id, int64_t now);

/* Failed logins. business_id is "" when the login named no business. */
/* The instant until which key is locked (*locked_until, 0 when it is not or has no row) and
 * its failures counted within reset_after_s before now (*failures, 0 when none). */
status store_login_state(db_conn *c, const char *business_id, const char *key, int64_t now,
			 int64_t reset_after_s, int64_t *locked_until, int64_t *failures);
/* Counts one more failure at now and returns the new count in *failures (one statement, so
 * concurrent failures all count). A key whose last failure is older than reset_after_s
 * starts again at 1. The caller decides the lockout from the count (store_login_lock). */
status store_login_failure(db_conn *c, const char *business_id, const char *key, int64_t now,
			   int64_t reset_after_s, int64_t *failures);
/* Sets locked_until for key. */
status store_login_lock(db_conn *c, const char *business_id, const char *key, int64_t until);
/* Deletes counters whose last failure is before `before` and whose lock ended by now. */
status store_login_purge(db_conn *c, int64_t before, int64_t now);
/* Forgets the failures of key (after a successful login). */
status store_login_clear(db_conn *c, const char *business_id, const char *key);

#endif
