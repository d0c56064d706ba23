/* db.h - the one database interface over two drivers: SQLite (sqlite:PATH) and PostgreSQL
 * (postgres://...). Every statement is parameterised; SQL is written once for both. */
#ifndef BOOKD_DB_H
#define BOOKD_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/status.h"

/* SQL text is shared by both drivers: placeholders are $1, $2, ... (the SQLite driver binds
 * them by name), types are INTEGER/BIGINT/TEXT, booleans are integers 0/1, instants are
 * BIGINT seconds since the epoch. Both drivers support RETURNING and ON CONFLICT.
 *
 * Portable SQL, what the two drivers need alike:
 * - PostgreSQL receives DB_I as bigint, DB_S as text and a NULL untyped. Bigint fits
 *   INTEGER and BIGINT columns; where a NULL has no context to take a type from
 *   ($1 IS NULL alone) or a function wants integer, write CAST($1 AS TEXT) /
 *   CAST($1 AS INTEGER). Never "::", never "?" placeholders.
 * - One statement per call. Rows must be freed before db_release.
 * - On PostgreSQL an error inside a transaction aborts it (SQLite only undoes the failed
 *   statement): after any error, db_rollback. Expected duplicates go through ON CONFLICT.
 * - Writes that decide on what they read: db_begin_write, then the SELECT of the row that
 *   guards the decision with db_for_update(c) appended, re-check, write, db_commit. At most
 *   one write transaction per thread at a time.
 * - A BOOLEAN expression (EXISTS, a = b) reads as 1/0 through db_int on both. */

typedef struct db db;           /* an open database: a pool of connections; thread-safe */
typedef struct db_conn db_conn; /* one connection, used by one thread at a time */
typedef struct db_rows db_rows; /* the rows of one query, read forward once */

typedef enum db_kind { DB_SQLITE, DB_POSTGRES } db_kind;

typedef enum db_type { DB_NULL, DB_INT, DB_TEXT } db_type;

/* One bound parameter. Text is borrowed for the duration of the call. */
typedef struct db_val {
	db_type type;  /* which of the fields below holds the value; DB_NULL uses neither */
	int64_t i;     /* the value of a DB_INT */
	const char *s; /* the value of a DB_TEXT: borrowed, NUL-terminated */
} db_val;

/* Text, or NULL when s is NULL. A function, not a macro body, so that DB_S("literal")
 * compiles under -Waddress and s is evaluated once. */
static inline db_val db_val_text(const char *s)
{
	return (db_val){.type = s ? DB_TEXT : DB_NULL, .s = s};
}

#define DB_I(x) ((db_val){.type = DB_INT, .i = (int64_t)(x)})
#define DB_S(x) db_val_text(x)
#define DB_NUL ((db_val){.type = DB_NULL})
#define DB_PARAMS(...) ((const db_val[]){__VA_ARGS__}), (int)(sizeof((db_val[]){__VA_ARGS__}) / sizeof(db_val))
#define DB_NOPARAMS NULL, 0

/* Opens the database named by url ("sqlite:PATH" or "postgres://..." / "postgresql://...")
 * with a pool of up to pool_size connections. SQLite is put in WAL mode with foreign keys
 * on, synchronous=FULL and a busy timeout. On failure returns STATUS_INVALID (bad url) or
 * STATUS_IO and writes a one-line reason into err. The caller owns *out (db_close). */
status db_open(const char *url, int pool_size, db **out, char *err, size_t errlen);
/* For tests and fuzz targets on a one-connection SQLite ":memory:" database: copies the
 * whole database into *out (the caller frees it with free) and puts such a copy back, so
 * each run can start from the same state. Outside a transaction only. STATUS_INVALID on
 * PostgreSQL; STATUS_IO when SQLite refuses. */
status db_memory_save(db_conn *c, void **out, size_t *len);
status db_memory_restore(db_conn *c, const void *data, size_t len);

/* Closes every connection; no connection may be in use. NULL is allowed. */
void db_close(db *d);
db_kind db_kind_of(const db *d);

/* Borrows a connection for this thread, waiting if all are in use. Never NULL. */
db_conn *db_acquire(db *d);
/* Returns a connection; an open transaction on it is rolled back first. */
void db_release(db *d, db_conn *c);
/* Connections lent out now (acquired and not yet released). Thread-safe; for checks that
 * nothing kept one (fuzz/world.c after every request). */
int db_lent(db *d);

/* Runs a statement that returns no rows we need; *changes (may be NULL) gets the number of
 * rows changed (0 for statements that change none). Errors: STATUS_CONFLICT for
 * unique/foreign-key/check/not-null violations, STATUS_BUSY for lock timeouts and
 * serialization failures, STATUS_INTERNAL for misuse caught before the database runs it
 * (two statements in one call, a placeholder not written $N, fewer parameters than the SQL
 * uses), STATUS_IO otherwise (a lost connection, a syntax error). The message is kept for
 * db_error; it never holds parameter values. Same errors for db_query and the others. */
status db_exec(db_conn *c, const char *sql, const db_val *params, int nparams, int64_t *changes);

/* Runs a query; on STATUS_OK *out holds the rows (free with db_rows_free). */
status db_query(db_conn *c, const char *sql, const db_val *params, int nparams, db_rows **out);
/* Moves to the next row; false at the end (or on an error, then db_rows_status says so). */
bool db_next(db_rows *r);
status db_rows_status(const db_rows *r);
/* Column values of the current row, 0-based. Text is valid until the next db_next/free;
 * NULL reads as 0 / NULL. */
int64_t db_int(const db_rows *r, int col);
const char *db_text(const db_rows *r, int col);
bool db_null(const db_rows *r, int col);
void db_rows_free(db_rows *r);

/* Convenience: runs a query expected to give at most one row and reads its first column.
 * STATUS_NOT_FOUND when there is no row. */
status db_query_int(db_conn *c, const char *sql, const db_val *params, int nparams, int64_t *out);

/* Transactions. db_begin_write takes the database's write lock at once (SQLite:
 * BEGIN IMMEDIATE; PostgreSQL: BEGIN, the caller then locks rows with FOR UPDATE, written
 * as db_for_update(c) appended to the SELECT). Waiting for a lock ends after 5 s with
 * STATUS_BUSY on both drivers (PostgreSQL: lock_timeout, unless the URL sets one).
 * db_begin is for reads that must agree with each other: on SQLite a db_begin transaction
 * that then writes can fail with STATUS_BUSY at once when another writer went first, so
 * anything that writes uses db_begin_write. A write transaction begins and ends on one
 * connection; a thread holds at most one. */
status db_begin(db_conn *c);
status db_begin_write(db_conn *c);
status db_commit(db_conn *c);
void db_rollback(db_conn *c);
/* True while c has a transaction open (PostgreSQL: an aborted one too). A failure can end
 * a transaction by itself: SQLite rolls the whole of it back on a full disk, an I/O error
 * or running out of memory, whatever savepoint was open. */
bool db_in_tx(const db_conn *c);
/* " FOR UPDATE" on PostgreSQL, "" on SQLite (whose write lock is the whole database). */
const char *db_for_update(const db_conn *c);
/* " FOR UPDATE SKIP LOCKED" on PostgreSQL, "" on SQLite: for workers claiming queued rows
 * inside db_begin_write. Appended to a SELECT like db_for_update. */
const char *db_for_update_skip_locked(const db_conn *c);
db_kind db_conn_kind(const db_conn *c);

/* The message of the last failed call on this connection; "" after one that succeeded. */
const char *db_error(const db_conn *c);
/* Sets c's message: that of work done for c's user on another connection. */
void db_error_set(db_conn *c, const char *msg);

/* SQLite: stop copying the write-ahead log into the database inside whichever commit passes
 * the threshold (a stall of that request, under the write lock); a background caller runs
 * db_checkpoint instead, every second or so. Durability is unchanged: commits still sync the
 * log. Call right after db_open. PostgreSQL: nothing. */
void db_checkpoint_in_background(db *d);
/* SQLite: copies what it can of the log into the database without waiting for readers
 * (PRAGMA wal_checkpoint(PASSIVE)). PostgreSQL: nothing. */
status db_checkpoint(db *d);

/* SQLite: true when another connection (of this process or another: `bookd import`, a
 * restore) committed to the database since c last asked, by PRAGMA data_version (no I/O:
 * it reads the shared log index). The first call on a connection answers true. PostgreSQL:
 * false (other processes' changes arrive by LISTEN/NOTIFY). Call outside a transaction. */
bool db_data_changed(db_conn *c);

/* SQLite: copies the whole database, as one consistent snapshot, to the file to (written
 * under a temporary name, checked with PRAGMA integrity_check, synced, then renamed over to:
 * a failure leaves no partial file). Commits by other connections and processes go on
 * meanwhile. PostgreSQL: STATUS_INVALID (pg_dump does this; see the README). err gets one
 * line on failure. */
status db_backup(db *d, const char *to, char *err, size_t errlen);
/* SQLite: replaces the database's content by the backup file from, after checking that it
 * is a sound bookd database (integrity_check, schema_migrations). In one step: readers see
 * the old content or the new. Run with bookd stopped (a running server's caches would not
 * know). PostgreSQL: STATUS_INVALID. */
status db_restore(db *d, const char *from, char *err, size_t errlen);

/* Milliseconds spent in the database by all connections, for /metrics. Thread-safe. */
double db_time_ms_total(const db *d);
/* SQLite: pages written to the write-ahead log by every commit since the pool opened (what
 * a commit costs the disk); 0 on PostgreSQL. For /metrics. Thread-safe. */
uint64_t db_wal_pages_total(const db *d);

/* Writes url into out (always NUL-terminated, cut to outlen) with any password replaced by
 * "***" (both user:password@ and a password= parameter), so it can be logged. Thread-safe. */
void db_url_redact(const char *url, char *out, size_t outlen);

/* ---- notifications between processes (PostgreSQL LISTEN/NOTIFY) ---- */

/* The longest payload db_notify sends, in bytes: PostgreSQL refuses 8000 and more. */
#define DB_NOTIFY_MAX 7999

/* Called for each notification on the channel, on the listener thread, one call at a time;
 * payload is borrowed for the call. payload NULL means the listener has just reconnected:
 * notifications sent while its link was down are lost, so drop anything they would have
 * refreshed. fn must not block for long (it delays the notifications behind it). */
typedef void (*db_listen_fn)(void *ctx, const char *payload);

/* The channels a listener may use: LISTEN takes no parameter, so each has its statement
 * written out in the driver. */
#define DB_CHANNEL_LIVE "bookd_live" /* live events between processes (api/live.h) */

/* PostgreSQL: opens a dedicated connection (not one of the pool), LISTENs on channel (one
 * of the DB_CHANNEL_ names; any other is STATUS_INVALID) and
 * starts the "db-listen" thread, which calls fn for every notification (its own process's
 * included) and, when the link drops, reconnects with back-off and LISTENs again. Returns
 * once the first LISTEN is in place, so every notification sent after it is seen; on
 * STATUS_IO (no connection) or STATUS_INVALID (a listener already runs on d) nothing is
 * started and err says why. SQLite: STATUS_OK and nothing happens (one process per file, so
 * there is nobody to tell). channel is copied. Call from one thread, with db_listen_stop. */
status db_listen_start(db *d, const char *channel, db_listen_fn fn, void *ctx, char *err,
                       size_t errlen);
/* Stops the listener and closes its connection; fn is not called once this returns. Does
 * nothing when none runs. db_close calls it too. */
void db_listen_stop(db *d);

/* Sends payload on channel (SELECT pg_notify): delivered to every listener when c's
 * transaction commits, at once outside one. STATUS_INVALID when payload is longer than
 * DB_NOTIFY_MAX; db_exec's errors otherwise. SQLite: STATUS_OK, nothing is sent. */
status db_notify(db_conn *c, const char *channel, const char *payload);

#endif
