/* password.h - staff passwords: argon2id through libsodium's crypto_pwhash_str with the
 * INTERACTIVE limits (about 64 MiB and a noticeable fraction of a second each). At most
 * PASSWORD_CONCURRENCY hashes run at once across the process; callers beyond that wait. */
#ifndef BOOKD_PASSWORD_H
#define BOOKD_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#include "base/status.h"

#define PASSWORD_CONCURRENCY 2
#define PASSWORD_MIN_LEN 8     /* bytes */
#define PASSWORD_MAX_LEN 1024  /* bytes: longer inputs are refused before hashing */
#define PASSWORD_HASH_MAX 128  /* room for a crypto_pwhash_str string with its NUL */

/* Hashes pw into out (NUL-terminated, at most PASSWORD_HASH_MAX bytes). STATUS_INVALID
 * when pw is shorter than PASSWORD_MIN_LEN or longer than PASSWORD_MAX_LEN, STATUS_INTERNAL
 * when libsodium cannot allocate. Thread-safe; blocks while two hashes run. */
status password_hash(const char *pw, char out[PASSWORD_HASH_MAX]);

/* True when pw matches hash. Thread-safe; bounded like password_hash. */
bool password_verify(const char *hash, const char *pw);

/* Does the work of password_verify against a fixed dummy hash and returns false: called
 * when the login names no user, so the answer takes as long as a wrong password. */
bool password_verify_dummy(const char *pw);

/* Checks the length rules alone (for validation before a transaction). */
bool password_acceptable(const char *pw);

#endif
