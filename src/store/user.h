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

#endif
