/* test_book_writer.c - group commit (store/book_writer.h) on a temporary SQLite file: units
 * that share a batch are each answered OK exactly when their work is committed. */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/book_writer.h"
#include "store/db.h"

#define FOLLOWERS 3 /* units queued while the first unit runs, so they join its batch */

/* What one unit does. */
typedef enum { UNIT_INSERT, UNIT_REFUSE, UNIT_END_TX } unit_kind;

typedef struct unit {
	const char *name; /* the row it inserts */
	unit_kind kind;   /* and what it does then */
	status st;        /* what book_writer_run answered */
} unit;

static db *bw_test_db;
static char bw_test_dir[64];
static pthread_mutex_t gate_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cv = PTHREAD_COND_INITIALIZER;
static bool gate_open; /* the first batch's unit waits for this */
static bool first_in;  /* the first batch's unit is running (it leads, the others queue) */
static status first_st; /* what book_writer_run answered the first unit */

static status insert_row(db_conn *c, const char *name)
{
	return db_exec(c, "INSERT INTO rows_written (name) VALUES ($1)", DB_PARAMS(DB_S(name)),
		       NULL);
}

/* The first batch's unit: holds the batch open until the followers are queued. */
static status first_fn(db_conn *c, void *ctx, bool *retry)
{
	(void)ctx;
	(void)retry;
	pthread_mutex_lock(&gate_mu);
	first_in = true;
	pthread_cond_broadcast(&gate_cv);
	while (!gate_open)
		pthread_cond_wait(&gate_cv, &gate_mu);
	pthread_mutex_unlock(&gate_mu);
	return insert_row(c, "first");
}

static status unit_fn(db_conn *c, void *ctx, bool *retry)
{
	unit *u = ctx;
	*retry = false;
	status st = insert_row(c, u->name);
	if (st != STATUS_OK)
		return st;
	switch (u->kind) {
	case UNIT_INSERT:
		return STATUS_OK;
	case UNIT_REFUSE:
		return STATUS_CONFLICT; /* its own row goes, the others' stay */
	case UNIT_END_TX:
		/* What SQLite itself does on a full disk or an I/O error: the whole transaction
		 * is rolled back, whatever savepoint was open. */
		db_exec(c, "ROLLBACK", DB_NOPARAMS, NULL);
		db_error_set(c, "database or disk is full");
		*retry = true; /* even asked to, it must not run again outside the batch */
		return STATUS_IO;
	}
	return STATUS_INTERNAL;
}

static void *first_thread(void *arg)
{
	(void)arg;
	db_conn *c = db_acquire(bw_test_db);
	first_st = book_writer_run(c, first_fn, NULL);
	db_release(bw_test_db, c);
	return NULL;
}

static void *unit_thread(void *arg)
{
	unit *u = arg;
	db_conn *c = db_acquire(bw_test_db);
	u->st = book_writer_run(c, unit_fn, u);
	db_release(bw_test_db, c);
	return NULL;
}

static void open_db(void)
{
	snprintf(bw_test_dir, sizeof(bw_test_dir), "/tmp/bookd-bwtest-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(bw_test_dir));
	char url[128], err[256];
	snprintf(url, sizeof(url), "sqlite:%s/test.db", bw_test_dir);
	ck_assert_msg(db_open(url, FOLLOWERS + 3, &bw_test_db, err, sizeof(err)) == STATUS_OK, "%s",
		      err);
	db_conn *c = db_acquire(bw_test_db);
	ck_assert(db_exec(c, "CREATE TABLE rows_written (name TEXT PRIMARY KEY)", DB_NOPARAMS,
			  NULL) == STATUS_OK);
	db_release(bw_test_db, c);
	ck_assert(book_writer_start(bw_test_db));
	gate_open = false;
	first_in = false;
	first_st = STATUS_INTERNAL;
}

static void close_db(void)
{
	book_writer_stop();
	db_close(bw_test_db);
	static const char *const files[] = {"test.db", "test.db-wal", "test.db-shm"};
	char path[128];
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", bw_test_dir, files[i]);
		unlink(path);
	}
	rmdir(bw_test_dir);
}

/* True when the row name was committed. */
static bool committed(const char *name)
{
	db_conn *c = db_acquire(bw_test_db);
	int64_t n = -1;
	ck_assert(db_query_int(c, "SELECT count(*) FROM rows_written WHERE name = $1",
			       DB_PARAMS(DB_S(name)), &n) == STATUS_OK);
	db_release(bw_test_db, c);
	return n == 1;
}

/* Runs the units as one batch: a first unit holds the writer while they queue, and they
 * join its batch before its commit. */
static void run_as_one_batch(unit *units, int n)
{
	pthread_t first, t[FOLLOWERS];
	ck_assert_int_le(n, FOLLOWERS);
	pthread_create(&first, NULL, first_thread, NULL);
	pthread_mutex_lock(&gate_mu); /* the first unit leads its batch and waits at the gate */
	while (!first_in)
		pthread_cond_wait(&gate_cv, &gate_mu);
	pthread_mutex_unlock(&gate_mu);
	for (int i = 0; i < n; i++)
		pthread_create(&t[i], NULL, unit_thread, &units[i]);
	while (book_writer_queued() < n) /* every unit queued behind it, however slow the machine */
		usleep(1000);
	pthread_mutex_lock(&gate_mu);
	gate_open = true;
	pthread_cond_broadcast(&gate_cv);
	pthread_mutex_unlock(&gate_mu);
	pthread_join(first, NULL);
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
}

/* A unit that fails loses its own work only. */
START_TEST(a_failed_unit_takes_only_its_own_work_back)
{
	open_db();
	unit units[FOLLOWERS] = {{"a", UNIT_INSERT, STATUS_INTERNAL},
				 {"b", UNIT_REFUSE, STATUS_INTERNAL},
				 {"c", UNIT_INSERT, STATUS_INTERNAL}};
	run_as_one_batch(units, FOLLOWERS);
	ck_assert_int_eq(first_st, STATUS_OK);
	ck_assert_int_eq(units[0].st, STATUS_OK);
	ck_assert_int_eq(units[1].st, STATUS_CONFLICT);
	ck_assert_int_eq(units[2].st, STATUS_OK);
	ck_assert(committed("first") && committed("a") && !committed("b") && committed("c"));
	close_db();
}
END_TEST

/* A failure that ends the whole transaction fails every unit of the batch, and none of
 * their work is committed: no unit is told it failed while its booking was written (a
 * unit after it used to begin and commit a transaction of its own). The units that queued
 * while the first ran were in its transaction (they joined it before the commit), so the
 * first unit's work goes with theirs. */
START_TEST(a_failure_that_ends_the_transaction_fails_the_whole_batch)
{
	open_db();
	unit units[FOLLOWERS] = {{"a", UNIT_INSERT, STATUS_INTERNAL},
				 {"b", UNIT_END_TX, STATUS_INTERNAL},
				 {"c", UNIT_INSERT, STATUS_INTERNAL}};
	run_as_one_batch(units, FOLLOWERS);
	for (int i = 0; i < FOLLOWERS; i++) {
		ck_assert_msg(units[i].st != STATUS_OK, "unit %s was answered OK", units[i].name);
		ck_assert_msg(!committed(units[i].name), "unit %s failed but was committed",
			      units[i].name);
	}
	ck_assert_msg(first_st != STATUS_OK, "the first unit was answered OK");
	ck_assert(!committed("first"));
	/* The writer goes on: the next batch commits. */
	unit after = {"d", UNIT_INSERT, STATUS_INTERNAL};
	unit_thread(&after);
	ck_assert_int_eq(after.st, STATUS_OK);
	ck_assert(committed("d"));
	close_db();
}
END_TEST

Suite *book_writer_suite(void)
{
	Suite *s = suite_create("book_writer");
	TCase *tc = tcase_create("book_writer");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, a_failed_unit_takes_only_its_own_work_back);
	tcase_add_test(tc, a_failure_that_ends_the_transaction_fails_the_whole_batch);
	suite_add_tcase(s, tc);
	return s;
}
