/* calcloud.h - Google and Microsoft connections: the OAuth consents under way (state bound to
 * a staff session, the PKCE verifier) and a connection's sealed tokens and account. */
#ifndef BOOKD_CALCLOUD_H
#define BOOKD_CALCLOUD_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "store/db.h"

/* How long a consent may take (seconds). */
#define CALCLOUD_STATE_TTL_S 900

/* A consent under way (a row of oauth_states). Strings in the caller's arena. */
typedef struct store_oauth_state {
	const char *state_hash;      /* SHA-256 of the state sent to the provider */
	const char *business_id;     /* whose */
	const char *session_id;      /* the staff session that started it */
	const char *service;         /* google or microsoft */
	const char *provider_id;     /* the connection's provider, or NULL */
	const char *resource_id;     /* ... or resource */
	const char *name;            /* its label */
	bool push;                   /* bookings written into the calendar */
	int64_t fail_closed_after_s; /* 0 fail open */
	const char *verifier;        /* the PKCE verifier */
	const char *redirect_uri;    /* bookd's callback address sent */
	const char *connection_id;   /* a connection given its credentials again, or NULL */
	int64_t created_at;
	int64_t expires_at;
} store_oauth_state;

/* Inserts s (and drops consents that expired before s->created_at). */
status store_oauth_state_insert(db_conn *c, const store_oauth_state *s);
/* Takes (deletes and returns) the consent of state_hash: it is used once. STATUS_NOT_FOUND
 * when there is none or it expired before now. */
status store_oauth_state_take(db_conn *c, const char *state_hash, int64_t now, arena *a,
                              store_oauth_state *out);

/* A connection of s's service with sealed credentials box, due at now: a new one id (url
 * the API's base), or s->connection_id given its credentials again (its failures, alert
 * and needs_credentials cleared). STATUS_NOT_FOUND when that connection is gone or of
 * another kind. */
status store_calcloud_connect(db_conn *c, const store_oauth_state *s, const char *id,
                              const char *url, const char *box, int64_t now);

/* Keeps a connection's new sealed tokens, their expiry and the account's address (NULL
 * keeps the one stored). */
status store_calcloud_tokens(db_conn *c, const char *business_id, const char *id, const char *box,
                             int64_t expires_at, const char *account);

/* The connection's sealed credentials, or NULL; STATUS_NOT_FOUND when it is gone. */
status store_calcloud_box(db_conn *c, const char *business_id, const char *id, arena *a,
                          const char **box);

#endif
