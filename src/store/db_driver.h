/* db_driver.h - private to src/store: the driver vtable behind db.h and the structures that
 * db.c (the pool, dispatch, timing) shares with db_sqlite.c and db_pg.c. */
#ifndef BOOKD_DB_DRIVER_H
#define BOOKD_DB_DRIVER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/status.h"
#include "store/db.h"

/* Longest message kept per connection for db_error (longer ones are cut). */
#define DB_ERR_MAX 512
/* How long a statement waits for a lock before STATUS_BUSY, in ms: SQLite's busy timeout
 * and write gate, PostgreSQL's lock_timeout (unless the URL sets one). */
#define DB_LOCK_WAIT_MS 5000

/* One driver: every function is called with the connection owned by the calling thread. */
typedef struct db_driver {
	const char *name; /* "sqlite" or "postgres", for messages */
	/* Opens c's handle on c->owner's target. On failure returns STATUS_IO with c->err set;
	 * the connection then stays usable as an object and reports errors on every call. */
	status (*connect)(db_conn *c);
	/* Called before a connection is lent out: reopens or resets a broken one. */
	void (*revive)(db_conn *c);
	/* Closes the handle and frees driver state; c itself is freed by db.c. */
	void (*disconnect)(db_conn *c);
	/* Runs one statement; cache = false prepares it for this call only (migrations). */
	status (*exec)(db_conn *c, const char *sql, const db_val *params, int nparams, bool cache,
	               int64_t *changes);
	/* Runs a query and allocates the rows (a driver struct whose first member is db_rows). */
	status (*query)(db_conn *c, const char *sql, const db_val *params, int nparams,
	                db_rows **out);
	bool (*next)(db_rows *r);
	int64_t (*col_int)(const db_rows *r, int col);
	const char *(*col_text)(const db_rows *r, int col);
	bool (*col_null)(const db_rows *r, int col);
	void (*rows_free)(db_rows *r);
	/* Starts a transaction; write = take the write lock now (see db_begin_write). */
	status (*begin)(db_conn *c, bool write);
	status (*commit)(db_conn *c);
	/* Rolls back if a transaction is open; never fails (a broken link has none left). */
	void (*rollback)(db_conn *c);
	/* True while a transaction is open on c (db_in_tx). */
	bool (*in_tx)(const db_conn *c);
	/* db_listen_start/db_listen_stop on d, whose listener field they own; NULL when the
	 * driver has no notifications (SQLite). listen_start is only called with no listener. */
	status (*listen_start)(db *d, const char *channel, db_listen_fn fn, void *ctx, char *err,
	                       size_t errlen);
	void (*listen_stop)(db *d);
	/* db_backup and db_restore on connection c of the pool; NULL when the driver has no
	 * file to copy (PostgreSQL). */
	status (*backup)(db_conn *c, const char *to);
	/* db_data_changed; NULL for a driver that learns of changes otherwise. */
	bool (*data_changed)(db_conn *c);
	status (*restore)(db_conn *c, const char *from);
} db_driver;

extern const db_driver DB_DRIVER_SQLITE;
/* db_memory_save and db_memory_restore for SQLite (db_sqlite.c). */
status db_sqlite_save(db_conn *c, void **out, size_t *len);
status db_sqlite_restore(db_conn *c, const void *data, size_t len);
extern const db_driver DB_DRIVER_PG;

/* An open database: the pool. Fields after mu are guarded by it unless said otherwise. */
struct db {
	db_kind kind;            /* which driver */
	const db_driver *drv;    /* its functions */
	char *target;            /* SQLite path or libpq URL; may hold a password: never log it */
	char *shown;             /* the URL with any password replaced, for messages */
	int max;                 /* pool size: most connections ever open at once */
	_Atomic int64_t busy_ns; /* nanoseconds spent in driver calls, all connections */
	pthread_mutex_t mu;      /* guards the fields below */
	pthread_cond_t freed;    /* signalled when a connection goes back to idle */
	pthread_cond_t gate_cv;  /* signalled when the write gate opens (monotonic clock) */
	bool gate_held;          /* SQLite: a connection of this pool is in db_begin_write's
	                          * transaction; the others queue here instead of polling */
	int opened;              /* connections created (idle + lent out) */
	int nidle;               /* entries used in idle */
	db_conn **idle;          /* max slots: connections ready to lend, a stack */
	_Atomic bool manual_checkpoints; /* SQLite: no checkpoint inside commits; someone calls
	                          * db_checkpoint instead (db_checkpoint_in_background) */
	_Atomic uint64_t wal_frames; /* SQLite: log frames (pages) committed, all connections */
	_Atomic int wal_seen;    /* SQLite: frames in the log after the last commit seen */
	void *listener;          /* not under mu: the driver's LISTEN state, NULL when none;
	                          * set and cleared by db_listen_start/stop on one thread */
};

/* One connection: lent to one thread at a time by the pool. */
struct db_conn {
	db *owner;            /* the pool it belongs to */
	void *h;              /* the driver's state (sq_conn / pg_conn) */
	int open_rows;        /* db_rows not yet freed; must be 0 at db_release */
	char err[DB_ERR_MAX]; /* the last error message, "" after a call that succeeded */
};

/* The common head of a driver's rows struct. */
struct db_rows {
	db_conn *conn; /* the connection the query ran on (borrowed) */
	status st;     /* STATUS_OK, or why iteration stopped early */
};

/* Sets c's error message (one line: newlines become spaces, trailing space is cut). */
void db_conn_seterr(db_conn *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The SQLite write gate: waits up to timeout_ms for it (STATUS_BUSY when that passes), then
 * holds it until db_gate_leave. Not tied to a thread. */
status db_gate_enter(db *d, int timeout_ms);
void db_gate_leave(db *d);

/* Runs one statement without keeping its prepared form in the statement cache: for SQL that
 * runs once, like migrations. Same errors as db_exec. */
status db_exec_nocache(db_conn *c, const char *sql);

#endif
