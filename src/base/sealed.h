/* sealed.h - secrets at rest (CalDAV passwords, OAuth tokens): sealed with libsodium's
 * crypto_secretbox under the server key, which comes from BOOKD_SECRET_KEY or a key file. */
#ifndef BOOKD_SEALED_H
#define BOOKD_SEALED_H

#include <stdbool.h>
#include <stddef.h>

#include "base/status.h"

/* Bytes of the server key (crypto_secretbox_KEYBYTES). */
#define SEALED_KEY_BYTES 32
/* What every sealed secret starts with: the format's version. */
#define SEALED_PREFIX "v1:"
/* Longest plain text sealed_seal accepts (a refresh token is far below it). */
#define SEALED_PLAIN_MAX 16384

/* Loads the server key, once at start, before any thread uses this module:
 *  - env_key (the value of BOOKD_SECRET_KEY) when not NULL and not empty: base64 of
 *    exactly 32 bytes;
 *  - else the key file key_file, or when key_file is NULL or empty the default path for
 *    db_url (sealed_default_path). A missing file is created with mode 0600 holding a
 *    fresh random key (base64, one line); an existing file must be a regular file that
 *    neither group nor others can read, holding base64 of 32 bytes.
 * Two processes starting at once end up with the same key (the file appears atomically).
 * *created_out (may be NULL) says whether the file was made now. On failure returns
 * STATUS_INVALID (bad key text, file readable by others) or STATUS_IO (the file cannot be
 * read or made) with a sentence in err naming the variable or the path; the key itself is
 * never written anywhere but the key file. */
status sealed_load(const char *env_key, const char *key_file, const char *db_url,
		   bool *created_out, char *err, size_t errlen);

/* The default key file for db_url, malloc'd (caller frees): for sqlite:PATH the file
 * "bookd-secret.key" in PATH's directory; for PostgreSQL (and sqlite::memory:)
 * "secret.key" in the state directory: $STATE_DIRECTORY (systemd's StateDirectory=), else
 * $XDG_STATE_HOME/bookd, else $HOME/.local/state/bookd (made with mode 0700 when the key
 * file is created). */
char *sealed_default_path(const char *db_url);

/* Uses key from now on (tests and tools). Not thread-safe against sealing at the same time. */
void sealed_use_key(const unsigned char key[SEALED_KEY_BYTES]);
/* Forgets the key (zeroed): sealing and opening fail until one is loaded again. */
void sealed_forget(void);
/* Whether a key is loaded. Thread-safe once loading is done. */
bool sealed_ready(void);

/* Seals plain: SEALED_PREFIX + base64(nonce || crypto_secretbox(plain)), with a fresh
 * random nonce each call. *out is malloc'd (caller frees). Thread-safe. STATUS_INTERNAL
 * when no key is loaded, STATUS_INVALID when plain is longer than SEALED_PLAIN_MAX; *out is
 * NULL then and err says why. */
status sealed_seal(const char *plain, char **out, char *err, size_t errlen);

/* Opens a sealed secret: *out gets the plain text, NUL-terminated, malloc'd; release it
 * with sealed_free (which zeroes it). Thread-safe. STATUS_INVALID when box is not a sealed
 * secret (no "v1:", bad base64, too short), STATUS_FORBIDDEN when it was sealed under
 * another key (or altered), STATUS_INTERNAL when no key is loaded; *out is NULL then and
 * err says which. */
status sealed_open(const char *box, char **out, char *err, size_t errlen);

/* Zeroes and frees a plain text from sealed_open (NULL is fine). */
void sealed_free(char *plain);

#endif
