/* user.h - the users table: staff logins of a business (email, argon2id hash, role). */
#ifndef BOOKD_STORE_USER_H
#define BOOKD_STORE_USER_H

#include <stdint.h>

#include "base/arena.h"
#include "store/db.h"

/* One staff user. Strings live in the arena the reader was given. */
typedef struct staff_user {
	const char *business_id;   /* the business the user belongs to */
	const char *id;            /* opaque id "usr_..." */
	const char *email;         /* normalised (trimmed, lower-case) login */
	const char *name;          /* display name, may be "" */
	const char *role;          /* "owner", "admin" or "staff" */
	const char *password_hash; /* crypto_pwhash_str output; never leaves the server */
	const char *provider_id;   /* the provider linked to this user (providers.user_id), or NULL */
	int64_t created_at;        /* instant */
} staff_user;

/* Inserts u (every field but provider_id set). STATUS_CONFLICT when the email is taken in
 * that business. Thread-safe per connection, like every store call. */
status store_user_insert(db_conn *c, const staff_user *u);
/* Reads the user with this normalised email in a business. STATUS_NOT_FOUND if none. */
status store_user_by_email(db_conn *c, const char *business_id, const char *email, arena *a,
			   staff_user *out);
/* Reads one user by id. STATUS_NOT_FOUND if none in this business. */
status store_user_get(db_conn *c, const char *business_id, const char *id, arena *a,
		      staff_user *out);
/* Every user of a business ordered by email; *out is an array in a. */
status store_user_list(db_conn *c, const char *business_id, arena *a, staff_user **out,
		       int *count);
/* Sets role and name (a NULL leaves that field). STATUS_NOT_FOUND if no such user. */
status store_user_update(db_conn *c, const char *business_id, const char *id, const char *role,
			 const char *name);
/* Deletes a user; their sessions and API tokens go with them (foreign-key cascades). */
status store_user_delete(db_conn *c, const char *business_id, const char *id);
/* How many owners the business has. */
status store_user_count_owners(db_conn *c, const char *business_id, int64_t *out);

/* Sets a user's password hash. STATUS_NOT_FOUND if no such user. */
status store_user_set_password(db_conn *c, const char *business_id, const char *id,
			       const char *password_hash);

/* A password reset link (the table password_resets). Strings in the reader's arena. */
typedef struct store_reset {
	const char *business_id;  /* whose */
	const char *id;           /* "prs_...", the public half of the link */
	const char *user_id;      /* the user it resets */
	const char *secret_hash;  /* SHA-256 of the secret half (ids_secret_hash) */
	int64_t created_at;       /* instant */
	int64_t expires_at;       /* instant: useless from then on */
	int64_t used_at;          /* instant it was used or withdrawn, 0 while open */
	const char *requested_by; /* "self" (the forgotten-password form) or the owner's user id */
	const char *remote_addr;  /* the address that asked */
} store_reset;

/* Inserts a reset (every field but used_at). */
status store_reset_insert(db_conn *c, const store_reset *r);
/* Reads a reset by id. STATUS_NOT_FOUND if none in this business. */
status store_reset_get(db_conn *c, const char *business_id, const char *id, arena *a,
		       store_reset *out);
/* Marks a reset used at now, once: STATUS_CONFLICT when it was used already or expired. */
status store_reset_use(db_conn *c, const char *business_id, const char *id, int64_t now);
/* Withdraws every open reset of a user (marks them used at now). */
status store_reset_end_all(db_conn *c, const char *business_id, const char *user_id,
			   int64_t now);
/* How many resets a user was sent since `since` (for the per-account limit). */
status store_reset_count_since(db_conn *c, const char *business_id, const char *user_id,
			       int64_t since, int64_t *out);
/* Deletes resets that expired before `before`. */
status store_reset_purge(db_conn *c, int64_t before);

#endif
