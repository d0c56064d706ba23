/* password.c - argon2id hashing, and the pool of hashing workers with its ranked, bounded
 * queue. The pool (queue, state, threads) is this module's shared state, behind pool_lock. */
#include "api/password.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/xalloc.h"
#include "http/server.h"

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
static char password_dummy[PASSWORD_HASH_MAX]; /* a hash no password given matches */

/* The dummy is written, not computed: a hash string in libsodium's own form with the same
 * parameters (so checking a password against it costs what checking a real one costs) and a
 * random salt and digest that no password is known to give. Computing one would take
 * PASSWORD_MEMLIMIT (64 MiB) at start, the process's highest resident size for ever after. */
static void password_init(void)
{
	unsigned char salt[crypto_pwhash_SALTBYTES], digest[32];
	char salt64[sodium_base64_ENCODED_LEN(sizeof(salt), sodium_base64_VARIANT_ORIGINAL_NO_PADDING)];
	char digest64[sodium_base64_ENCODED_LEN(sizeof(digest),
						sodium_base64_VARIANT_ORIGINAL_NO_PADDING)];
	randombytes_buf(salt, sizeof(salt));
	randombytes_buf(digest, sizeof(digest));
	sodium_bin2base64(salt64, sizeof(salt64), salt, sizeof(salt),
			  sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
	sodium_bin2base64(digest64, sizeof(digest64), digest, sizeof(digest),
			  sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
	int n = snprintf(password_dummy, sizeof(password_dummy), "%sv=%d$m=%zu,t=%llu,p=1$%s$%s",
			 crypto_pwhash_argon2id_STRPREFIX, 19, (size_t)(PASSWORD_MEMLIMIT / 1024),
			 (unsigned long long)PASSWORD_OPSLIMIT, salt64, digest64);
	if (n < 0 || (size_t)n >= sizeof(password_dummy))
		password_dummy[0] = '\0';
}

const char *password_dummy_hash(void)
{
	pthread_once(&password_once, password_init);
	return password_dummy;
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
	int rc = crypto_pwhash_str(out, pw, strlen(pw), PASSWORD_OPSLIMIT, PASSWORD_MEMLIMIT);
	return rc == 0 ? STATUS_OK : STATUS_INTERNAL;
}

bool password_verify(const char *hash, const char *pw)
{
	pthread_once(&password_once, password_init);
	/* A refusal without a stored hash (no user, or an unusable marker after a forced
	 * reset), or for an overlong password, costs a check against the dummy like any other:
	 * the time tells nothing. */
	bool real = hash && strncmp(hash, "$argon2", 7) == 0 && pw && strlen(pw) <= PASSWORD_MAX_LEN;
	const char *h = real ? hash : password_dummy;
	const char *p = pw && strlen(pw) <= PASSWORD_MAX_LEN ? pw : "";
	int rc = crypto_pwhash_str_verify(h, p, strlen(p));
	return real && rc == 0;
}

/* Does t's work on this thread. */
static void password_work(password_task *t)
{
	if (t->op == PASSWORD_OP_HASH) {
		t->result = password_hash(t->password, t->out);
	} else {
		t->match = password_verify(t->hash, t->password);
		t->result = STATUS_OK;
	}
}

typedef enum pool_state {
	POOL_NONE,    /* never started: tasks run on the caller's thread */
	POOL_RUNNING, /* workers take tasks from the queue */
	POOL_STOPPED  /* stopping or stopped: tasks are refused */
} pool_state;

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pool_wake = PTHREAD_COND_INITIALIZER;
static pool_state pool_st = POOL_NONE; /* see pool_state */
static password_task *pool_head;       /* waiting tasks by (rank, seq), best first */
static int pool_waiting;               /* how many */
static int pool_max;                   /* at most this many wait */
static uint64_t pool_seq;              /* the next arrival number */
static pthread_t *pool_threads;        /* the workers */
static int pool_nthreads;              /* how many */

/* Caller holds pool_lock. Inserts t in rank order, after every task of its rank. */
static void pool_insert_locked(password_task *t)
{
	password_task **pp = &pool_head;
	while (*pp && (*pp)->rank <= t->rank)
		pp = &(*pp)->next;
	t->next = *pp;
	*pp = t;
	pool_waiting++;
}

/* Caller holds pool_lock. Unlinks and returns the worst waiting task (the last). */
static password_task *pool_take_last_locked(void)
{
	password_task **pp = &pool_head;
	while ((*pp)->next)
		pp = &(*pp)->next;
	password_task *t = *pp;
	*pp = NULL;
	pool_waiting--;
	return t;
}

static void *pool_worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&pool_lock);
	for (;;) {
		while (pool_st == POOL_RUNNING && !pool_head)
			pthread_cond_wait(&pool_wake, &pool_lock);
		if (!pool_head)
			break; /* stopping and nothing left */
		password_task *t = pool_head;
		pool_head = t->next;
		pool_waiting--;
		pthread_mutex_unlock(&pool_lock);
		password_work(t);
		http_unpark(t->req); /* t belongs to the request again from here */
		pthread_mutex_lock(&pool_lock);
	}
	pthread_mutex_unlock(&pool_lock);
	return NULL;
}

void password_run(http_req *r, password_task *t, void (*resume)(http_req *r, void *arg),
		  void *arg)
{
	t->req = r;
	t->resume = resume;
	t->arg = arg;
	t->match = false;
	t->out[0] = '\0';
	password_task *refused = NULL; /* a waiting task the new one displaces */
	pthread_mutex_lock(&pool_lock);
	pool_state st = pool_st;
	bool queued = false;
	if (st == POOL_RUNNING) {
		for (const password_task *w = pool_head; t->who && w; w = w->next)
			if (w->who && strcmp(w->who, t->who) == 0)
				t->rank++;
		if (pool_waiting >= pool_max) {
			/* The tail is the worst waiting task: it yields only to a better rank. */
			password_task *last = pool_head;
			while (last && last->next)
				last = last->next;
			if (last && last->rank > t->rank)
				refused = pool_take_last_locked();
		}
		if (pool_waiting < pool_max) {
			t->seq = pool_seq++;
			http_park(r, t->resume, t->arg); /* before a worker can unpark it */
			pool_insert_locked(t);
			pthread_cond_signal(&pool_wake);
			queued = true;
		}
	}
	pthread_mutex_unlock(&pool_lock);
	if (refused) {
		refused->result = STATUS_BUSY;
		http_unpark(refused->req);
	}
	if (queued)
		return;
	if (st == POOL_NONE)
		password_work(t);
	else
		t->result = STATUS_BUSY;
	resume(r, arg);
}

void password_pool_start(int workers, int queue_max)
{
	pthread_once(&password_once, password_init); /* the dummy hash, before any login */
	pthread_mutex_lock(&pool_lock);
	pool_max = queue_max > 0 ? queue_max : PASSWORD_QUEUE_MAX;
	pool_nthreads = workers > 0 && workers < 100 ? workers : PASSWORD_WORKERS;
	pool_threads = xcalloc((size_t)pool_nthreads, sizeof(*pool_threads));
	pool_st = POOL_RUNNING;
	pthread_mutex_unlock(&pool_lock);
	for (int i = 0; i < pool_nthreads; i++) {
		if (pthread_create(&pool_threads[i], NULL, pool_worker, NULL) != 0) {
			log_error("password pool: cannot start worker %d", i);
			abort();
		}
		char name[16]; /* thread names are at most 15 bytes */
		snprintf(name, sizeof(name), "pwhash-%d", i % 100);
		pthread_setname_np(pool_threads[i], name);
	}
}

void password_pool_stop(void)
{
	pthread_mutex_lock(&pool_lock);
	if (pool_st != POOL_RUNNING) {
		pthread_mutex_unlock(&pool_lock);
		return;
	}
	pool_st = POOL_STOPPED;
	password_task *waiting = pool_head;
	pool_head = NULL;
	pool_waiting = 0;
	pthread_cond_broadcast(&pool_wake);
	pthread_mutex_unlock(&pool_lock);
	while (waiting) {
		password_task *next = waiting->next;
		waiting->result = STATUS_BUSY;
		http_unpark(waiting->req);
		waiting = next;
	}
	for (int i = 0; i < pool_nthreads; i++)
		pthread_join(pool_threads[i], NULL);
	free(pool_threads);
	pool_threads = NULL;
	pool_nthreads = 0;
}

int password_pool_waiting(void)
{
	pthread_mutex_lock(&pool_lock);
	int n = pool_waiting;
	pthread_mutex_unlock(&pool_lock);
	return n;
}
