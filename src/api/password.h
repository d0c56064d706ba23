/* password.h - staff passwords: argon2id through libsodium's crypto_pwhash_str with the
 * INTERACTIVE limits (about 64 MiB and a noticeable fraction of a second each).
 *
 * In the server every hash runs on a small pool of worker threads ("pwhash-N") fed by a
 * bounded queue ordered by rank, never on an HTTP thread: password_run parks the request
 * (http_park) while a worker hashes and the request resumes on its HTTP thread with the
 * result. A full queue refuses the task (answer 503 with Retry-After), or, when the new task
 * ranks better than the worst one waiting, refuses that one instead: a login from an address
 * without recent failures goes ahead of addresses that are failing. Without a pool (commands,
 * unit tests) password_run hashes on the caller's thread. */
#ifndef BOOKD_PASSWORD_H
#define BOOKD_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/status.h"
#include "http/request.h"

#define PASSWORD_WORKERS 2     /* hashing threads: each hash takes about 64 MiB */
#define PASSWORD_QUEUE_MAX 32  /* tasks waiting for a worker, at most */
#define PASSWORD_RETRY_AFTER_S 2 /* Retry-After of a refused task */
#define PASSWORD_MIN_LEN 8     /* bytes */
#define PASSWORD_MAX_LEN 1024  /* bytes: longer inputs are refused before hashing */
#define PASSWORD_HASH_MAX 128  /* room for a crypto_pwhash_str string with its NUL */

/* Hashes pw into out (NUL-terminated, at most PASSWORD_HASH_MAX bytes) on the caller's
 * thread: for commands, never for HTTP handlers (use password_run). STATUS_INVALID when pw
 * is shorter than PASSWORD_MIN_LEN or longer than PASSWORD_MAX_LEN, STATUS_INTERNAL when
 * libsodium cannot allocate. Thread-safe. */
status password_hash(const char *pw, char out[PASSWORD_HASH_MAX]);

/* True when pw matches hash, on the caller's thread (commands and tests). A hash that is no
 * argon2 hash (NULL, "", the marker of a forced reset) does the work of a check against a
 * dummy hash and returns false. Thread-safe. */
bool password_verify(const char *hash, const char *pw);

/* Checks the length rules alone (for validation before a transaction). */
bool password_acceptable(const char *pw);
/* The hash password_verify checks a refused login against (no user, no usable hash), so it
 * costs the same time: argon2id with the parameters of password_hash. Thread-safe. */
const char *password_dummy_hash(void);

typedef enum password_op {
	PASSWORD_OP_VERIFY, /* does password match hash? */
	PASSWORD_OP_HASH    /* hash password into out */
} password_op;

/* One piece of hashing work for password_run. The caller owns it (the request's arena) and
 * must not touch it between password_run and its resume function. */
typedef struct password_task {
	/* Set by the caller. */
	password_op op;
	const char *password; /* borrowed until the resume function runs */
	const char *hash;     /* VERIFY: the stored hash; NULL or "" checks a dummy (no user) */
	int64_t rank;         /* queue order, lower first: 0 for staff already signed in; for a
				 login, its address's recent failures */
	const char *who;      /* the client address, or NULL: each task of the same address
				 already waiting adds 1 to rank, so one address flooding the
				 queue goes behind the others */
	/* Results, for the resume function. */
	status result;                /* STATUS_OK done; STATUS_BUSY refused (queue full or
					 server stopping): answer 503 with Retry-After;
					 STATUS_INVALID a HASH of a password the rules refuse;
					 STATUS_INTERNAL libsodium could not allocate */
	bool match;                   /* VERIFY: the password matched */
	char out[PASSWORD_HASH_MAX];  /* HASH: the new hash */
	/* The pool's own. */
	struct password_task *next;            /* queue link */
	uint64_t seq;                          /* arrival order among equal ranks */
	http_req *req;                         /* the parked request */
	void (*resume)(http_req *r, void *arg); /* what runs when done */
	void *arg;                             /* its argument */
} password_task;

/* Hashes t for r and then calls resume(r, arg) on r's HTTP thread with t's results filled
 * in: through the pool (r is parked meanwhile) when one runs, else at once on this thread.
 * resume always runs exactly once, and answers r (or runs another task). Call from a
 * handler or a resume function. */
void password_run(http_req *r, password_task *t, void (*resume)(http_req *r, void *arg),
		  void *arg);

/* Starts the pool: workers threads and a queue of queue_max. Call once before serving. */
void password_pool_start(int workers, int queue_max);
/* Refuses what waits (those requests answer 503), lets the running hashes finish, joins the
 * workers; later tasks are refused. Call before stopping the HTTP server. */
void password_pool_stop(void);
/* Tasks waiting now (for tests and metrics). Thread-safe. */
int password_pool_waiting(void);

#endif
