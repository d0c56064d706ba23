/* account.h - changes to a staff account, each one write transaction of its own: role and
 * name, removal, a new password (changed, forced to a reset, or chosen through a link), and
 * a reset link asked for. The tables are user.h's, session.h's, outbox.h's and audit.h's. */
#ifndef BOOKD_STORE_ACCOUNT_H
#define BOOKD_STORE_ACCOUNT_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "store/audit.h"
#include "store/db.h"
#include "store/user.h"

/* Sets the role and name (NULL: unchanged) of user id and reads it back into *out (in a).
 * STATUS_NOT_FOUND without such a user; STATUS_CONFLICT with *last_owner true when the
 * change would leave the business without an owner. Nothing is written on failure. */
status store_account_update(db_conn *c, const char *business_id, const char *id,
			    const char *role, const char *name, arena *a, staff_user *out,
			    bool *last_owner);
/* Deletes user id (sessions and tokens go with it): STATUS_NOT_FOUND without such a user;
 * STATUS_CONFLICT with *last_owner true for the business's last owner. */
status store_account_delete(db_conn *c, const char *business_id, const char *id, arena *a,
			    bool *last_owner);

/* An email about the account, queued with the change (outbox_staff). */
typedef struct store_account_mail {
	const char *event;   /* "password_changed", "password_reset", ... */
	const char *to;      /* the account's email */
	const char *payload; /* JSON for the template; may hold a link's secret */
} store_account_mail;

/* A new password hash for a user, and what goes with it. */
typedef struct store_password_change {
	const char *business_id;  /* whose */
	const char *user_id;      /* the user */
	const char *hash;         /* the new hash (or one no password matches: a forced reset) */
	const char *keep_session; /* the one session that stays (the caller's), or NULL: all end */
	const char *use_reset;    /* a reset link marked used first (once: STATUS_CONFLICT when it
				     was used or expired meanwhile), or NULL */
	const store_reset *new_reset; /* a reset link made after the others end, or NULL */
	const char *login_key;    /* a lockout key whose failures are forgotten, or NULL */
	const store_account_mail *mail; /* queued, or NULL */
	const audit_entry *audit; /* recorded, or NULL */
	int64_t now;              /* the server's now */
} store_password_change;

/* One write transaction: the link used (use_reset), the hash set (STATUS_NOT_FOUND without
 * the user), every session of the user but keep_session ended, every open reset link ended,
 * new_reset inserted, login_key cleared, mail queued, audit recorded. All or nothing. */
status store_account_password(db_conn *c, const store_password_change *ch, arena *a);

/* One write transaction for a forgotten password: when user_id is set and fewer than
 * per_hour links went to it in the last hour, rs is inserted and mail queued (*issued true);
 * then links expired before purge_before are deleted, whatever happened. */
status store_account_reset_request(db_conn *c, const char *user_id, int per_hour,
				   const store_reset *rs, const store_account_mail *mail,
				   int64_t purge_before, int64_t now, arena *a, bool *issued);

#endif
