/* bench_insert.c - the floor under booking creation: single-row write transactions per second
 * on SQLite with the settings bookd uses (db_open of a sqlite URL: WAL, synchronous=FULL,
 * foreign keys, busy timeout; and, as `bookd serve`, the log checkpointed every second
 * rather than inside a commit). Loops db_begin_write / one INSERT / db_commit for a fixed time
 * on a fresh database file and prints "bench booking.insert.sqlite VALUE tx/s".
 *
 * With a third argument THREADS (2 to 64), it measures the same inserts the way `bookd
 * serve` commits bookings: THREADS threads each loop one-row units through the group-commit
 * writer (store/book_writer.c, a savepoint a unit, one commit and disk sync a batch), and
 * prints "bench booking.insert.sqlite.cTHREADS VALUE rows/s": the floor for the HTTP figure
 * at as many connections, measured as it is.
 *
 * usage: bench_insert [DIR [SECONDS [THREADS]]]  - the database goes in a fresh folder made inside DIR
 * (default $TMPDIR or /tmp), which is removed at the end. Give the folder the server's
 * database will live in when the figure is to be compared with an HTTP one: fsync costs
 * depend on it. SECONDS (default 3) is how long it loops: as long as the HTTP run it is
 * compared with, so both see the same machine. */
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pthread.h>
#include <stdatomic.h>

#include "base/clock.h"
#include "store/book_writer.h"
#include "store/db.h"

#define BENCH_SECONDS 3 /* default length of the loop */
#define BENCH_CHECK_EVERY 16 /* transactions between two looks at the clock */

/* Removes the database file, its WAL and shared-memory files, and the folder. */
static void bench_cleanup(const char *dir, const char *file)
{
	static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
	char path[4200];
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		int n = snprintf(path, sizeof(path), "%s%s", file, suffixes[i]);
		if (n > 0 && (size_t)n < sizeof(path))
			unlink(path);
	}
	rmdir(dir);
}

#define BENCH_THREADS_MAX 64

/* What the grouped loop's threads share. */
typedef struct grouped {
	db *d;
	int64_t end;           /* clock_mono_ns at which to stop */
	atomic_llong next;     /* the next row's number */
	atomic_llong done;     /* rows committed */
	atomic_bool failed;
} grouped;

/* One unit: one row, as the single-connection loop writes it. */
static status grouped_unit(db_conn *c, void *ctx, bool *retry)
{
	*retry = false;
	long long k = atomic_fetch_add(&((grouped *)ctx)->next, 1);
	char ref[32];
	snprintf(ref, sizeof(ref), "R%08lld", k);
	return db_exec(c,
	               "INSERT INTO bench_row (business_id, start_at, end_at, reference) "
	               "VALUES ($1, $2, $3, $4)",
	               DB_PARAMS(DB_I(1), DB_I(k * 60), DB_I(k * 60 + 60), DB_S(ref)), NULL);
}

static void *grouped_thread(void *arg)
{
	grouped *g = arg;
	db_conn *c = db_acquire(g->d);
	while (!atomic_load(&g->failed) && clock_mono_ns() < g->end) {
		status st = book_writer_run(c, grouped_unit, g);
		if (st != STATUS_OK) {
			fprintf(stderr, "bench_insert: grouped unit: %s\n", db_error(c));
			atomic_store(&g->failed, true);
			break;
		}
		atomic_fetch_add(&g->done, 1);
	}
	db_release(g->d, c);
	return NULL;
}

/* THREADS threads through the group-commit writer for SECONDS; 0 when it ran. */
static int run_grouped(db *d, int threads, int seconds)
{
	if (!book_writer_start(d)) {
		fprintf(stderr, "bench_insert: the group-commit writer did not start\n");
		return 1;
	}
	grouped g = {.d = d};
	pthread_t t[BENCH_THREADS_MAX];
	int64_t t0 = clock_mono_ns(), last = t0;
	g.end = t0 + (int64_t)seconds * 1000000000;
	int started = 0;
	for (; started < threads; started++)
		if (pthread_create(&t[started], NULL, grouped_thread, &g) != 0)
			break;
	/* As `bookd serve`'s jobs worker: the log checkpointed every second, off the commits. */
	while (clock_mono_ns() < g.end) {
		struct timespec ms = {0, 20000000};
		nanosleep(&ms, NULL);
		if (clock_mono_ns() - last >= 1000000000) {
			db_checkpoint(d);
			last = clock_mono_ns();
		}
	}
	for (int i = 0; i < started; i++)
		pthread_join(t[i], NULL);
	int64_t now = clock_mono_ns();
	book_writer_stop();
	if (atomic_load(&g.failed) || started < threads)
		return 1;
	printf("bench booking.insert.sqlite.c%d %.0f rows/s\n", threads,
	       (double)atomic_load(&g.done) * 1e9 / (double)(now - t0));
	return 0;
}

/* argv[i] as a whole number from lo to hi, else dflt when absent; -1 when malformed. */
static int arg_int(int argc, char **argv, int i, int dflt, int lo, int hi)
{
	if (argc <= i)
		return dflt;
	char *end;
	long v = strtol(argv[i], &end, 10);
	return *argv[i] && !*end && v >= lo && v <= hi ? (int)v : -1;
}

int main(int argc, char **argv)
{
	const char *parent = argc > 1 ? argv[1] : getenv("TMPDIR");
	if (!parent || !*parent)
		parent = "/tmp";
	int seconds = arg_int(argc, argv, 2, BENCH_SECONDS, 1, 600);
	if (seconds < 0) {
		fprintf(stderr, "bench_insert: SECONDS must be 1 to 600\n");
		return 2;
	}
	int threads = arg_int(argc, argv, 3, 1, 1, BENCH_THREADS_MAX);
	if (threads < 0) {
		fprintf(stderr, "bench_insert: THREADS must be 1 to %d\n", BENCH_THREADS_MAX);
		return 2;
	}

	char dir[4096], file[4160], url[4200], err[256];
	int n = snprintf(dir, sizeof(dir), "%s/bookd-bench-insert.XXXXXX", parent);
	if (n < 0 || (size_t)n >= sizeof(dir) || !mkdtemp(dir)) {
		fprintf(stderr, "bench_insert: cannot make a folder in %s\n", parent);
		return 1;
	}
	snprintf(file, sizeof(file), "%s/insert.db", dir);
	snprintf(url, sizeof(url), "sqlite:%s", file);

	db *d = NULL;
	/* A connection per thread, the writer's own and this one's. */
	if (db_open(url, threads + 2, &d, err, sizeof(err)) != STATUS_OK) {
		fprintf(stderr, "bench_insert: db_open: %s\n", err);
		bench_cleanup(dir, file);
		return 1;
	}
	/* The same settings as `bookd serve`: the log is checkpointed every second, not in a commit. */
	db_checkpoint_in_background(d);
	db_conn *c = db_acquire(d);
	int rc = 1;
	/* About the shape of a booking row: a key, a few integers and a short text, one index. */
	if (db_exec(c,
	            "CREATE TABLE bench_row (id INTEGER PRIMARY KEY, business_id BIGINT NOT NULL, "
	            "start_at BIGINT NOT NULL, end_at BIGINT NOT NULL, reference TEXT NOT NULL)",
	            DB_NOPARAMS, NULL) != STATUS_OK ||
	    db_exec(c, "CREATE INDEX bench_row_start ON bench_row (business_id, start_at)",
	            DB_NOPARAMS, NULL) != STATUS_OK) {
		fprintf(stderr, "bench_insert: create table: %s\n", db_error(c));
		goto out;
	}
	if (threads > 1) {
		db_release(d, c); /* the threads and the checkpoints take their own */
		c = NULL;
		rc = run_grouped(d, threads, seconds);
		goto out;
	}

	int64_t t0 = clock_mono_ns(), now = t0, end = t0 + (int64_t)seconds * 1000000000;
	int64_t done = 0, checkpointed = t0;
	char ref[32];
	while (now < end) {
		if (now - checkpointed >= 1000000000) {
			db_checkpoint(d);
			checkpointed = now;
		}
		for (int k = 0; k < BENCH_CHECK_EVERY; k++) {
			snprintf(ref, sizeof(ref), "R%08lld", (long long)done);
			if (db_begin_write(c) != STATUS_OK ||
			    db_exec(
			        c,
			        "INSERT INTO bench_row (business_id, start_at, end_at, reference) "
			        "VALUES ($1, $2, $3, $4)",
			        DB_PARAMS(DB_I(1), DB_I(done * 60), DB_I(done * 60 + 60),
			                  DB_S(ref)),
			        NULL) != STATUS_OK ||
			    db_commit(c) != STATUS_OK) {
				fprintf(stderr, "bench_insert: transaction %lld: %s\n",
				        (long long)done, db_error(c));
				db_rollback(c);
				goto out;
			}
			done++;
		}
		now = clock_mono_ns();
	}
	printf("bench booking.insert.sqlite %.0f tx/s\n", (double)done * 1e9 / (double)(now - t0));
	rc = 0;
out:
	if (c)
		db_release(d, c);
	db_close(d);
	bench_cleanup(dir, file);
	return rc;
}
