/* secrets.h - server-wide secrets kept in the database, so every bookd process shares them. */
#ifndef BOOKD_SECRETS_H
#define BOOKD_SECRETS_H

#include "base/arena.h"
#include "store/db.h"

/* The secret called name (32 random bytes, base64url), made on first use by whichever
 * process asks first. */
status store_secret(db_conn *c, const char *name, int64_t now, arena *a, const char **value);

#endif
