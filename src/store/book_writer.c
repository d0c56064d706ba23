/* book_writer.c - group commit with a leader: a queue of units, savepoints, one commit. */
#include "store/book_writer.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

#include "base/log.h"

#define BOOK_WRITER_BATCH 64  /* units in one transaction at most */
#define BOOK_WRITER_RETRIES 4 /* runs of one unit at most */

/* One queued unit and its outcome; it lives on its waiter's stack. */
typedef struct book_unit {
	book_writer_fn fn;      /* the work */
	void *ctx;              /* its argument */
	db_conn *caller;        /* the waiter's connection: it gets the error of a failed unit */
	status st;              /* its outcome */
	char err[256];          /* the database's message when it failed */
	bool done;              /* set once its batch committed or failed */
	struct book_unit *next; /* the queue */
} book_unit;

static pthread_mutex_t bw_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t bw_done = PTHREAD_COND_INITIALIZER; /* a batch finished */
static book_unit *bw_head, *bw_tail; /* queued units, oldest first */
static bool bw_leading;              /* a batch is running */
static atomic_bool bw_on;            /* group commit is on */
static db *bw_db;                    /* the database it writes to */
static db_conn *bw_conn;             /* every batch runs on this one connection */

/* Runs one unit in a savepoint, retrying what it can cure. Never runs it outside the
 * batch's transaction: a failure that ended the whole transaction is final. */
static status bw_unit(db_conn *c, book_unit *u)
{
	status st = STATUS_INTERNAL;
	for (int i = 0; i < BOOK_WRITER_RETRIES; i++) {
		bool retry = false;
		st = db_exec(c, "SAVEPOINT book_unit", DB_NOPARAMS, NULL);
		if (st == STATUS_OK) {
			st = u->fn(c, u->ctx, &retry);
			if (st == STATUS_OK)
				st = db_exec(c, "RELEASE book_unit", DB_NOPARAMS, NULL);
			if (st == STATUS_OK)
				return st;
		}
		snprintf(u->err, sizeof(u->err), "%s", db_error(c)); /* before the rollback clears it */
		if (!db_in_tx(c))
			return st; /* a SAVEPOINT now would begin a transaction of its own */
		db_exec(c, "ROLLBACK TO book_unit", DB_NOPARAMS, NULL);
		db_exec(c, "RELEASE book_unit", DB_NOPARAMS, NULL);
		if (!retry)
			return st;
	}
	return st;
}

/* The writer's own connection, with its page cache sized (see book_writer_start). */
static db_conn *bw_take_conn(db *d)
{
	db_conn *c = db_acquire(d);
	/* Its page cache stays valid from one batch to the next (nothing else writes bookings),
	 * so give it room for the index pages bookings touch. */
	if (db_exec(c, "PRAGMA cache_size = -32768", DB_NOPARAMS, NULL) != STATUS_OK)
		log_warn("book writer: cannot size its page cache: %s", db_error(c));
	return c;
}

/* Starts the batch's transaction on *c. When the writer's own connection fails outright
 * it goes back to the pool (which reopens a broken connection before lending it again) and
 * this batch and the later ones run on their leader's connection, which the pool has
 * checked. Taking a fresh one here could wait forever: the waiting followers hold theirs. */
static status bw_begin(db_conn **c, db_conn *leader)
{
	status st = db_begin_write(*c);
	for (int i = 0; st == STATUS_BUSY && i < 3; i++)
		st = db_begin_write(*c); /* another process (a job, a CLI import) held the lock */
	if (st == STATUS_IO && *c == bw_conn) {
		log_warn("book writer: its connection failed (%s); batches run on their "
			 "leader's from now on", db_error(*c));
		db_release(bw_db, bw_conn);
		bw_conn = NULL;
		*c = leader;
		st = db_begin_write(*c);
	}
	return st;
}

/* Gives every unit of the batch the outcome st with the message err. */
static void bw_fail_all(book_unit *batch, status st, const char *err)
{
	for (book_unit *u = batch; u; u = u->next) {
		u->st = st;
		snprintf(u->err, sizeof(u->err), "%s", err);
	}
}

/* Takes up to room units off the queue, oldest first (bw_lock held); NULL when none. */
static book_unit *bw_take(int room)
{
	book_unit *first = bw_head, *last = bw_head;
	if (!first)
		return NULL;
	for (int n = 1; last->next && n < room; n++)
		last = last->next;
	bw_head = last->next;
	if (!bw_head)
		bw_tail = NULL;
	last->next = NULL;
	return first;
}

/* Runs the units from u on in the batch's transaction. False when one's failure ended the
 * whole transaction (why then says why): the units before it are rolled back with it, and
 * those after must not run outside one. *last is the last unit run, *n counts them. */
static bool bw_run_units(db_conn *c, book_unit *u, book_unit **last, int *n, char *why,
			 size_t whysz)
{
	for (; u; u = u->next) {
		u->err[0] = '\0';
		u->st = bw_unit(c, u);
		*last = u;
		(*n)++;
		if (!db_in_tx(c)) {
			snprintf(why, whysz, "%s", u->err[0] ? u->err : db_error(c));
			if (u->st == STATUS_OK)
				u->st = STATUS_IO;
			return false;
		}
	}
	return true;
}

/* Runs a batch on c (the leader's connection if c fails): one transaction, one savepoint
 * per unit, one commit. Units queued while the batch ran join it before the commit (up to
 * BOOK_WRITER_BATCH): the commit's disk sync is what a batch shares, and they would
 * otherwise wait for this one and then pay their own. A unit is answered OK only when its
 * work is committed, and one that failed left nothing behind. */
static void bw_batch(db_conn *c, db_conn *leader, book_unit *batch)
{
	char why[256];
	status st = bw_begin(&c, leader);
	if (st != STATUS_OK) {
		bw_fail_all(batch, st, db_error(c));
		goto answer;
	}
	book_unit *last = NULL, *more = batch;
	int n = 0;
	while (more) {
		if (!bw_run_units(c, more, &last, &n, why, sizeof(why))) {
			log_error("book writer: a failure ended the batch's transaction: %s", why);
			bw_fail_all(batch, last->st, why);
			db_rollback(c); /* nothing left to roll back; lets go of the write gate */
			goto answer;
		}
		pthread_mutex_lock(&bw_lock);
		more = n < BOOK_WRITER_BATCH ? bw_take(BOOK_WRITER_BATCH - n) : NULL;
		pthread_mutex_unlock(&bw_lock);
		last->next = more;
	}
	status cs = db_commit(c);
	if (cs != STATUS_OK) {
		log_error("book writer: commit failed: %s", db_error(c));
		snprintf(why, sizeof(why), "%s", db_error(c));
		for (book_unit *u = batch; u; u = u->next)
			if (u->st == STATUS_OK) {
				u->st = cs;
				snprintf(u->err, sizeof(u->err), "%s", why);
			}
		db_rollback(c);
	}
answer:
	for (book_unit *u = batch; u; u = u->next)
		if (u->st != STATUS_OK)
			db_error_set(u->caller, u->err);
}

bool book_writer_start(db *d)
{
	if (db_kind_of(d) != DB_SQLITE)
		return false;
	bw_db = d;
	bw_conn = bw_take_conn(d);
	atomic_store(&bw_on, true);
	return true;
}

void book_writer_stop(void)
{
	atomic_store(&bw_on, false);
	pthread_mutex_lock(&bw_lock);
	while (bw_leading || bw_head) /* work already queued still runs on the connection */
		pthread_cond_wait(&bw_done, &bw_lock);
	if (bw_conn)
		db_release(bw_db, bw_conn);
	bw_conn = NULL;
	bw_db = NULL;
	pthread_mutex_unlock(&bw_lock);
}

bool book_writer_on(void)
{
	return atomic_load(&bw_on);
}

status book_writer_run(db_conn *c, book_writer_fn fn, void *ctx)
{
	book_unit u = {.fn = fn, .ctx = ctx, .caller = c, .st = STATUS_INTERNAL};
	pthread_mutex_lock(&bw_lock);
	if (bw_tail)
		bw_tail->next = &u;
	else
		bw_head = &u;
	bw_tail = &u;
	while (!u.done) {
		if (bw_leading) {
			pthread_cond_wait(&bw_done, &bw_lock);
			continue;
		}
		/* Nobody is running a batch: lead one with what is queued (u among it). */
		bw_leading = true;
		book_unit *batch = bw_take(BOOK_WRITER_BATCH);
		pthread_mutex_unlock(&bw_lock);
		bw_batch(bw_conn ? bw_conn : c, c, batch);
		pthread_mutex_lock(&bw_lock);
		for (book_unit *b = batch; b;) {
			book_unit *next = b->next; /* b belongs to its waiter once done */
			b->done = true;
			b = next;
		}
		bw_leading = false;
		pthread_cond_broadcast(&bw_done);
	}
	pthread_mutex_unlock(&bw_lock);
	return u.st;
}

int book_writer_queued(void)
{
	pthread_mutex_lock(&bw_lock);
	int n = 0;
	for (const book_unit *u = bw_head; u; u = u->next)
		n++;
	pthread_mutex_unlock(&bw_lock);
	return n;
}
