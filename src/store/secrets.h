/* secrets.h - server-wide secrets kept in the database, so every bookd process shares them. */
#ifndef BOOKD_SECRETS_H
#define BOOKD_SECRETS_H

#include <stdbool.h>

#include "base/arena.h"
#include "store/db.h"

/* The secret called name (32 random bytes, base64url), made on first use by whichever
 * process asks first. */
status store_secret(db_conn *c, const char *name, int64_t now, arena *a, const char **value);

/* The token of links in messages for purpose ("manage", "optout") and subject: an HMAC under
 * the server's "link_key" secret (ids_link_token), so it is made again for every message
 * and checked without being stored. *out in a. */
status store_link_token(db_conn *c, const char *purpose, const char *subject, int64_t now,
			arena *a, const char **out);
/* True when token is that link token (compared in constant time); false for NULL. */
bool store_link_ok(db_conn *c, const char *purpose, const char *subject, const char *token,
		   int64_t now, arena *a);

#endif
