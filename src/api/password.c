/* password.c - argon2id hashing bounded by a counting semaphore. The semaphore is this
 * module's shared state; it is initialised once (pthread_once) and never destroyed. */
#include "api/password.h"

#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <sodium.h>
#include <string.h>

/* The argon2id cost. Fuzz builds (fuzz/, compiled with the conventional
 * FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION) take libsodium's least, so a login costs
 * microseconds there instead of 64 MiB and a fraction of a second; never in a product build. */
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
#define PASSWORD_OPSLIMIT crypto_pwhash_OPSLIMIT_MIN
#define PASSWORD_MEMLIMIT crypto_pwhash_MEMLIMIT_MIN
#else
#define PASSWORD_OPSLIMIT crypto_pwhash_OPSLIMIT_INTERACTIVE
#define PASSWORD_MEMLIMIT crypto_pwhash_MEMLIMIT_INTERACTIVE
#endif

static pthread_once_t password_once = PTHREAD_ONCE_INIT;
static sem_t password_sem;                     /* free hashing slots */
static char password_dummy[PASSWORD_HASH_MAX]; /* a hash no password given matches */

static void password_init(void)
{
	sem_init(&password_sem, 0, PASSWORD_CONCURRENCY);
	unsigned char raw[24];
	char pw[64];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(pw, sizeof(pw), raw, sizeof(raw));
	if (crypto_pwhash_str(password_dummy, pw, strlen(pw), PASSWORD_OPSLIMIT,
			      PASSWORD_MEMLIMIT) != 0)
		password_dummy[0] = '\0';
}

static void password_enter(void)
{
	pthread_once(&password_once, password_init);
	while (sem_wait(&password_sem) != 0 && errno == EINTR)
		;
}

static void password_leave(void)
{
	sem_post(&password_sem);
}

bool password_acceptable(const char *pw)
{
	size_t n = pw ? strlen(pw) : 0;
	return n >= PASSWORD_MIN_LEN && n <= PASSWORD_MAX_LEN;
}

status password_hash(const char *pw, char out[PASSWORD_HASH_MAX])
{
	_Static_assert(crypto_pwhash_STRBYTES <= PASSWORD_HASH_MAX, "hash buffer too small");
	if (!password_acceptable(pw))
		return STATUS_INVALID;
	password_enter();
	int rc = crypto_pwhash_str(out, pw, strlen(pw), PASSWORD_OPSLIMIT,
				   PASSWORD_MEMLIMIT);
	password_leave();
	return rc == 0 ? STATUS_OK : STATUS_INTERNAL;
}

bool password_verify(const char *hash, const char *pw)
{
	if (!hash || !*hash || !pw || strlen(pw) > PASSWORD_MAX_LEN)
		return password_verify_dummy(pw); /* the same time as any other refusal */
	password_enter();
	int rc = crypto_pwhash_str_verify(hash, pw, strlen(pw));
	password_leave();
	return rc == 0;
}

bool password_verify_dummy(const char *pw)
{
	pthread_once(&password_once, password_init);
	const char *p = pw && strlen(pw) <= PASSWORD_MAX_LEN ? pw : "";
	password_enter();
	int rc = crypto_pwhash_str_verify(password_dummy, p, strlen(p)); /* always a mismatch */
	(void)rc;
	password_leave();
	return false;
}
