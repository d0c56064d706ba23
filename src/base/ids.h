/* ids.h - random identifiers, booking references and secret tokens (libsodium's RNG). */
#ifndef BOOKD_IDS_H
#define BOOKD_IDS_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"

/* An opaque id "PREFIX_" + 16 characters of Crockford base32 (80 random bits), in a. */
char *ids_new(arena *a, const char *prefix);
/* Like ids_new, but ids made later in this process sort after earlier ones: the realtime
 * clock in nanoseconds (16 hex digits) then 8 random characters. For rows whose order
 * matters within one second (a booking's history), and for rows many requests write (each
 * booking's own rows): their index inserts then go to the same last pages, not to a
 * random page each. */
char *ids_sortable(arena *a, const char *prefix);
/* A booking reference: 8 characters of an unambiguous alphabet (no 0/O, 1/I/L, U) as
 * "XXXX-XXXX" (~40 bits), in a. Callers retry on the rare unique-key conflict. */
char *ids_reference(arena *a);
/* A secret: 32 random bytes as 43 base64url characters, in a. */
char *ids_secret(arena *a);
/* SHA-256 of a secret as 64 hex characters, in a: what is stored instead of the secret. */
char *ids_secret_hash(arena *a, const char *secret);
/* A token for links in messages: base64url HMAC-SHA256 of purpose ":" subject under key
 * (a server secret), in a. The same inputs always give the same token, so it can be made
 * again whenever a message is written, and checked without storing it. */
char *ids_link_token(arena *a, const char *key, const char *purpose, const char *subject);
/* Constant-time comparison of two NUL-terminated strings of equal length; false otherwise. */
bool ids_equal_ct(const char *a, const char *b);

#endif
