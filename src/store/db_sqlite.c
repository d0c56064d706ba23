/* db_sqlite.c - the SQLite driver: one handle per pooled connection in WAL mode, a statement
 * cache keyed by SQL text, $N placeholders bound by name so SQL is shared with PostgreSQL. */
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "store/db_driver.h"

/* Statement cache: hash buckets, and the most statements kept per connection (the least
 * recently used one is finalized to make room). */
#define SQ_BUCKETS 256
#define SQ_CACHE_MAX 256
/* Log frames past which a commit checkpoints when nothing does it in the background
 * (SQLite's own default). */
#define SQ_AUTOCHECKPOINT_FRAMES 1000

/* One prepared statement, cached or prepared for a single call. */
typedef struct sq_stmt {
	char *sql;            /* owned copy of the SQL text: the cache key */
	uint64_t hash;        /* FNV-1a of sql */
	sqlite3_stmt *st;     /* the prepared statement; NULL for SQL with no statement in it */
	int *slot_n;          /* owned: slot_n[i] is the N of "$N" bound to parameter slot i+1 */
	int nslots;           /* sqlite3_bind_parameter_count(st) */
	int max_n;            /* the highest N used: the caller must pass at least this many */
	bool cached;          /* in the connection's cache (else finalized after use) */
	bool busy;            /* lent to a running call or an open db_rows */
	uint64_t used;        /* the connection's tick at the last use, for eviction */
	struct sq_stmt *next; /* next entry in the same bucket */
} sq_stmt;

/* The driver's state of one connection. */
/* The most a restored in-memory database (db_memory_restore) may grow to. Its buffer is
 * reserved, not touched: only the pages written are ever backed by memory. */
#define SQ_MEMORY_MAX ((size_t)256 << 20)

static int sq_wal_hook(void *arg, sqlite3 *h, const char *name, int frames);

typedef struct sq_conn {
	sqlite3 *h;                   /* the handle; NULL while the file cannot be opened */
	sq_stmt *buckets[SQ_BUCKETS]; /* the statement cache */
	int count;                    /* statements in the cache */
	uint64_t tick;                /* counts cache uses */
	bool gate;                    /* this connection holds its pool's write gate */
	int64_t data_version;         /* PRAGMA data_version when last asked; -1 never */
	unsigned char *mem[2];        /* db_memory_restore's images, used in turn; NULL before */
	int mem_next;                 /* which of them the next restore fills */
} sq_conn;

/* The rows of one query. */
typedef struct sq_rows {
	db_rows base; /* must be first */
	sq_stmt *s;   /* the statement being stepped (given back at free) */
	bool pending; /* the first row was stepped by the query and not yet handed out */
	bool row;     /* a current row exists */
	bool done;    /* no more rows (or an error) */
} sq_rows;

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

/* Records the handle's message and maps the result code onto a status. */
static status sq_fail(db_conn *c, int rc)
{
	sq_conn *sc = c->h;
	db_conn_seterr(c, "%s", sc->h ? sqlite3_errmsg(sc->h) : sqlite3_errstr(rc));
	switch (rc & 0xff) {
	case SQLITE_CONSTRAINT:
		return STATUS_CONFLICT;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return STATUS_BUSY;
	default:
		return STATUS_IO;
	}
}

/* ---- connecting ---- */

static status sq_simple(sqlite3 *h, const char *sql)
{
	return sqlite3_exec(h, sql, NULL, NULL, NULL) == SQLITE_OK ? STATUS_OK : STATUS_IO;
}

static status sq_open(db_conn *c)
{
	sq_conn *sc = c->h;
	const char *path = c->owner->target;
	if (!sqlite3_threadsafe()) {
		db_conn_seterr(c, "the SQLite library was built without thread support");
		return STATUS_IO;
	}
	sqlite3 *h = NULL;
	int rc = sqlite3_open_v2(
	    path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		db_conn_seterr(c, "%s", h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
		sqlite3_close(h);
		return STATUS_IO;
	}
	sqlite3_extended_result_codes(h, 1);
	sqlite3_busy_timeout(h, DB_LOCK_WAIT_MS);

	/* WAL lets readers run beside the one writer; the mode is kept in the file. Switching
	 * needs the exclusive lock, and SQLite answers BUSY at once, without its busy handler,
	 * when two connections race to switch a new file: so retry here, within the wait. */
	int64_t deadline = clock_mono_ns() + (int64_t)DB_LOCK_WAIT_MS * 1000000;
	char mode[16] = "";
	for (;;) {
		sqlite3_stmt *st = NULL;
		rc = sqlite3_prepare_v2(h, "PRAGMA journal_mode=WAL", -1, &st, NULL);
		if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
			snprintf(mode, sizeof mode, "%s", (const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
		bool busy = (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED;
		if (*mode || !busy || clock_mono_ns() >= deadline)
			break;
		nanosleep(&(struct timespec){.tv_nsec = 2000000}, NULL);
	}
	bool wal_ok = strcmp(mode, "wal") == 0 || strcmp(mode, "memory") == 0;
	if (!wal_ok)
		db_conn_seterr(c, "cannot put %s in WAL mode: %s", path,
		               *mode ? mode : sqlite3_errmsg(h));
	if (wal_ok && (sq_simple(h, "PRAGMA foreign_keys=ON") != STATUS_OK ||
	               sq_simple(h, "PRAGMA synchronous=FULL") != STATUS_OK ||
	               sq_simple(h, "PRAGMA temp_store=MEMORY") != STATUS_OK)) {
		db_conn_seterr(c, "cannot set pragmas on %s: %s", path, sqlite3_errmsg(h));
		wal_ok = false;
	}
	if (!wal_ok) {
		sqlite3_close(h);
		return STATUS_IO;
	}
	/* Replaces SQLite's automatic checkpoint hook: counts the pages each commit adds to the
	 * log, and checkpoints as SQLite would unless db_checkpoint does it, off the commit. */
	sqlite3_wal_hook(h, sq_wal_hook, c->owner);
	sc->h = h;
	return STATUS_OK;
}

/* Called after every commit with the frames now in the log. Commits are serialised by the
 * write lock, so the difference from the last count is this commit's (a log restarted after
 * a checkpoint counts from nothing). */
static int sq_wal_hook(void *arg, sqlite3 *h, const char *name, int frames)
{
	db *d = arg;
	int last = atomic_exchange(&d->wal_seen, frames);
	atomic_fetch_add(&d->wal_frames, (uint64_t)(frames > last ? frames - last : frames));
	if (!atomic_load(&d->manual_checkpoints) && frames >= SQ_AUTOCHECKPOINT_FRAMES)
		sqlite3_wal_checkpoint(h, name);
	return SQLITE_OK;
}

static status sq_connect(db_conn *c)
{
	sq_conn *sc = xcalloc(1, sizeof(sq_conn));
	sc->data_version = -1;
	c->h = sc;
	return sq_open(c);
}

static void sq_revive(db_conn *c)
{
	sq_conn *sc = c->h;
	if (!sc->h && sq_open(c) != STATUS_OK)
		log_warn("db: cannot open sqlite database %s: %s", c->owner->shown, c->err);
}

static void stmt_free(sq_stmt *s)
{
	sqlite3_finalize(s->st);
	free(s->slot_n);
	free(s->sql);
	free(s);
}

static void sq_disconnect(db_conn *c)
{
	sq_conn *sc = c->h;
	if (!sc)
		return;
	for (int b = 0; b < SQ_BUCKETS; b++) {
		for (sq_stmt *s = sc->buckets[b], *next; s; s = next) {
			next = s->next;
			stmt_free(s);
		}
	}
	if (sc->h)
		sqlite3_close_v2(sc->h);
	for (int i = 0; i < 2; i++)
		if (sc->mem[i])
			munmap(sc->mem[i], SQ_MEMORY_MAX);
	free(sc);
	c->h = NULL;
}

/* ---- the statement cache ---- */

/* Reads "$N" (N >= 1, no leading zero); 0 when name is anything else. */
static int placeholder_n(const char *name)
{
	if (!name || name[0] != '$' || name[1] < '1' || name[1] > '9')
		return 0;
	long n = 0;
	for (const char *p = name + 1; *p; p++) {
		if (*p < '0' || *p > '9' || n > 100000)
			return 0;
		n = n * 10 + (*p - '0');
	}
	return (int)n;
}

static status stmt_prepare(db_conn *c, const char *sql, uint64_t hash, bool persistent,
                           sq_stmt **out)
{
	sq_conn *sc = c->h;
	sqlite3_stmt *st = NULL;
	const char *tail = NULL;
	int rc = sqlite3_prepare_v3(sc->h, sql, -1, persistent ? SQLITE_PREPARE_PERSISTENT : 0, &st,
	                            &tail);
	if (rc != SQLITE_OK)
		return sq_fail(c, rc);
	/* Only comments and blanks may follow: one call, one statement, on both drivers. */
	while (tail && *tail) {
		sqlite3_stmt *extra = NULL;
		const char *after = NULL;
		rc = sqlite3_prepare_v3(sc->h, tail, -1, 0, &extra, &after);
		if (rc != SQLITE_OK || extra) {
			sqlite3_finalize(extra);
			sqlite3_finalize(st);
			db_conn_seterr(c, "more than one statement in one call");
			return STATUS_INTERNAL;
		}
		if (after == tail)
			break;
		tail = after;
	}
	sq_stmt *s = xcalloc(1, sizeof *s);
	s->sql = xstrdup(sql);
	s->hash = hash;
	s->st = st;
	s->nslots = st ? sqlite3_bind_parameter_count(st) : 0;
	if (s->nslots > 0)
		s->slot_n = xcalloc((size_t)s->nslots, sizeof *s->slot_n);
	for (int i = 0; i < s->nslots; i++) {
		const char *name = sqlite3_bind_parameter_name(st, i + 1);
		int n = placeholder_n(name);
		if (n == 0) {
			db_conn_seterr(c, "placeholder %s: write parameters as $1, $2, ...",
			               name ? name : "?");
			stmt_free(s);
			return STATUS_INTERNAL;
		}
		s->slot_n[i] = n;
		if (n > s->max_n)
			s->max_n = n;
	}
	*out = s;
	return STATUS_OK;
}

/* Makes room for one more cached statement; false when every cached one is in use. */
static bool cache_evict(sq_conn *sc)
{
	sq_stmt **victim = NULL;
	for (int b = 0; b < SQ_BUCKETS; b++)
		for (sq_stmt **pp = &sc->buckets[b]; *pp; pp = &(*pp)->next)
			if (!(*pp)->busy && (!victim || (*pp)->used < (*victim)->used))
				victim = pp;
	if (!victim)
		return false;
	sq_stmt *s = *victim;
	*victim = s->next;
	stmt_free(s);
	sc->count--;
	return true;
}

/* Lends the prepared statement for sql: the cached one when it is free, else a new one
 * (cached when cache is set and there is room). Give it back with stmt_put. */
static status stmt_get(db_conn *c, const char *sql, bool cache, sq_stmt **out)
{
	sq_conn *sc = c->h;
	*out = NULL;
	if (!sc->h) {
		db_conn_seterr(c, "sqlite database %s is not open", c->owner->target);
		return STATUS_IO;
	}
	uint64_t hash = fnv1a(sql);
	sq_stmt **bucket = &sc->buckets[hash % SQ_BUCKETS];
	if (cache) {
		for (sq_stmt *s = *bucket; s; s = s->next) {
			if (s->hash == hash && strcmp(s->sql, sql) == 0) {
				if (s->busy) {
					cache = false; /* the same SQL is still being read: a
					                  private copy */
					break;
				}
				s->busy = true;
				s->used = ++sc->tick;
				*out = s;
				return STATUS_OK;
			}
		}
	}
	sq_stmt *s = NULL;
	status st = stmt_prepare(c, sql, hash, cache, &s);
	if (st != STATUS_OK)
		return st;
	s->busy = true;
	s->used = ++sc->tick;
	if (cache && s->st && (sc->count < SQ_CACHE_MAX || cache_evict(sc))) {
		s->cached = true;
		s->next = *bucket;
		*bucket = s;
		sc->count++;
	}
	*out = s;
	return STATUS_OK;
}

static void stmt_put(sq_stmt *s)
{
	if (!s->cached) {
		stmt_free(s);
		return;
	}
	sqlite3_reset(s->st);
	sqlite3_clear_bindings(s->st);
	s->busy = false;
}

static status stmt_bind(db_conn *c, sq_stmt *s, const db_val *params, int nparams)
{
	if (s->max_n > nparams) {
		db_conn_seterr(c, "the SQL uses $%d but %d parameter(s) were given", s->max_n,
		               nparams);
		return STATUS_INTERNAL;
	}
	for (int i = 0; i < s->nslots; i++) {
		const db_val *v = &params[s->slot_n[i] - 1];
		int rc;
		if (v->type == DB_INT)
			rc = sqlite3_bind_int64(s->st, i + 1, v->i);
		else if (v->type == DB_TEXT && v->s)
			/* Copied: rows are stepped after the call that lent the text returns. */
			rc = sqlite3_bind_text(s->st, i + 1, v->s, -1, SQLITE_TRANSIENT);
		else
			rc = sqlite3_bind_null(s->st, i + 1);
		if (rc != SQLITE_OK)
			return sq_fail(c, rc);
	}
	return STATUS_OK;
}

/* ---- statements ---- */

static status sq_exec(db_conn *c, const char *sql, const db_val *params, int nparams, bool cache,
                      int64_t *changes)
{
	sq_conn *sc = c->h;
	sq_stmt *s = NULL;
	status st = stmt_get(c, sql, cache, &s);
	if (st != STATUS_OK)
		return st;
	if (s->st) {
		st = stmt_bind(c, s, params, nparams);
		if (st == STATUS_OK) {
			sqlite3_int64 before = sqlite3_total_changes64(sc->h);
			int rc;
			while ((rc = sqlite3_step(s->st)) == SQLITE_ROW)
				;
			if (rc != SQLITE_DONE)
				st = sq_fail(c, rc);
			/* sqlite3_changes64 keeps the count of the last INSERT/UPDATE/DELETE; only
			 * report it when this statement changed something. */
			else if (changes && sqlite3_total_changes64(sc->h) != before)
				*changes = sqlite3_changes64(sc->h);
		}
	}
	stmt_put(s);
	return st;
}

static status sq_query(db_conn *c, const char *sql, const db_val *params, int nparams,
                       db_rows **out)
{
	sq_stmt *s = NULL;
	status st = stmt_get(c, sql, true, &s);
	if (st != STATUS_OK)
		return st;
	sq_rows *r = xcalloc(1, sizeof *r);
	r->base.conn = c;
	r->base.st = STATUS_OK;
	r->s = s;
	if (!s->st) {
		r->done = true;
	} else if ((st = stmt_bind(c, s, params, nparams)) == STATUS_OK) {
		/* The first step runs now, so an INSERT ... RETURNING reports its conflict here. */
		int rc = sqlite3_step(s->st);
		if (rc == SQLITE_ROW) {
			r->pending = true;
		} else if (rc == SQLITE_DONE) {
			r->done = true;
			sqlite3_reset(s->st);
		} else {
			st = sq_fail(c, rc);
		}
	}
	if (st != STATUS_OK) {
		stmt_put(s);
		free(r);
		return st;
	}
	*out = &r->base;
	return STATUS_OK;
}

static bool sq_next(db_rows *base)
{
	sq_rows *r = (sq_rows *)base;
	r->row = false;
	if (r->done)
		return false;
	if (r->pending) {
		r->pending = false;
		r->row = true;
		return true;
	}
	int rc = sqlite3_step(r->s->st);
	if (rc == SQLITE_ROW) {
		r->row = true;
		return true;
	}
	if (rc != SQLITE_DONE)
		r->base.st = sq_fail(base->conn, rc);
	r->done = true;
	sqlite3_reset(r->s->st); /* ends the read transaction now, not at free */
	return false;
}

static bool col_ok(const sq_rows *r, int col)
{
	return r->row && col >= 0 && col < sqlite3_column_count(r->s->st);
}

static int64_t sq_col_int(const db_rows *base, int col)
{
	const sq_rows *r = (const sq_rows *)base;
	return col_ok(r, col) ? sqlite3_column_int64(r->s->st, col) : 0;
}

static const char *sq_col_text(const db_rows *base, int col)
{
	const sq_rows *r = (const sq_rows *)base;
	return col_ok(r, col) ? (const char *)sqlite3_column_text(r->s->st, col) : NULL;
}

static bool sq_col_null(const db_rows *base, int col)
{
	const sq_rows *r = (const sq_rows *)base;
	return !col_ok(r, col) || sqlite3_column_type(r->s->st, col) == SQLITE_NULL;
}

static void sq_rows_free(db_rows *base)
{
	sq_rows *r = (sq_rows *)base;
	stmt_put(r->s);
	free(r);
}

/* ---- transactions ---- */

static bool in_tx(const sq_conn *sc)
{
	return sc->h && !sqlite3_get_autocommit(sc->h);
}

static void gate_leave(db_conn *c)
{
	sq_conn *sc = c->h;
	if (sc->gate) {
		sc->gate = false;
		db_gate_leave(c->owner);
	}
}

static status sq_begin(db_conn *c, bool write)
{
	sq_conn *sc = c->h;
	if (!write)
		return sq_exec(c, "BEGIN", NULL, 0, true, NULL);
	if (in_tx(sc)) {
		db_conn_seterr(c, "db_begin_write inside a transaction");
		return STATUS_INTERNAL;
	}
	/* This process's writers wait in line at the gate, without polling; other processes
	 * are waited for by SQLite's busy handler. */
	int64_t deadline = clock_mono_ns() + (int64_t)DB_LOCK_WAIT_MS * 1000000;
	if (!sc->gate) {
		if (db_gate_enter(c->owner, DB_LOCK_WAIT_MS) != STATUS_OK) {
			db_conn_seterr(c, "timed out waiting for the database write lock");
			return STATUS_BUSY;
		}
		sc->gate = true;
	}
	status st;
	for (;;) {
		st = sq_exec(c, "BEGIN IMMEDIATE", NULL, 0, true, NULL);
		if (st != STATUS_BUSY || clock_mono_ns() >= deadline)
			break;
		nanosleep(&(struct timespec){.tv_nsec = 1000000}, NULL);
	}
	if (st != STATUS_OK)
		gate_leave(c);
	return st;
}

static status sq_commit(db_conn *c)
{
	sq_conn *sc = c->h;
	status st = sq_exec(c, "COMMIT", NULL, 0, true, NULL);
	if (!in_tx(sc))
		gate_leave(c);
	return st;
}

static bool sq_in_tx(const db_conn *c)
{
	return in_tx(c->h);
}

static void sq_rollback(db_conn *c)
{
	sq_conn *sc = c->h;
	if (in_tx(sc)) {
		/* Keep the message of the error that made the caller roll back. */
		char keep[DB_ERR_MAX];
		memcpy(keep, c->err, sizeof keep);
		if (sq_exec(c, "ROLLBACK", NULL, 0, true, NULL) != STATUS_OK)
			log_warn("db: rollback failed: %s", c->err);
		memcpy(c->err, keep, sizeof keep);
	}
	gate_leave(c);
}

status db_sqlite_save(db_conn *c, void **out, size_t *len)
{
	sq_conn *sc = c->h;
	sqlite3_int64 n = 0;
	unsigned char *img = sc->h ? sqlite3_serialize(sc->h, "main", &n, 0) : NULL;
	if (!img) {
		db_conn_seterr(c, "cannot copy the database");
		return STATUS_IO;
	}
	*out = xmalloc((size_t)n);
	memcpy(*out, img, (size_t)n);
	sqlite3_free(img);
	*len = (size_t)n;
	return STATUS_OK;
}

status db_sqlite_restore(db_conn *c, const void *data, size_t len)
{
	sq_conn *sc = c->h;
	if (!sc->h)
		return sq_fail(c, SQLITE_MISUSE);
	if (len > SQ_MEMORY_MAX) {
		db_conn_seterr(c, "a database image of %zu bytes is larger than %zu", len,
			       SQ_MEMORY_MAX);
		return STATUS_INVALID;
	}
	/* Two buffers of our own, used in turn, so a restore never writes into the one the
	 * database in use lives in, and no run pays for mapping a new one (as a fresh
	 * allocation per restore did: most of a fuzz run's time). */
	unsigned char **img = &sc->mem[sc->mem_next];
	if (!*img) {
		/* Mapped, not allocated: pages cost only once written, and leak checkers do
		 * not scan a quarter gigabyte on every check. */
		void *m = mmap(NULL, SQ_MEMORY_MAX, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (m == MAP_FAILED) {
			db_conn_seterr(c, "cannot map %zu bytes for a database image", SQ_MEMORY_MAX);
			return STATUS_IO;
		}
		*img = m;
	}
	memcpy(*img, data, len);
	int rc = sqlite3_deserialize(sc->h, "main", *img, (sqlite3_int64)len,
				     (sqlite3_int64)SQ_MEMORY_MAX, 0);
	if (rc != SQLITE_OK)
		return sq_fail(c, rc);
	sc->mem_next ^= 1;
	return STATUS_OK;
}

static bool sq_data_changed(db_conn *c)
{
	sq_conn *sc = c->h;
	int64_t v = -1;
	db_rows *r;
	if (sc->h && sq_query(c, "PRAGMA data_version", NULL, 0, &r) == STATUS_OK) {
		if (sq_next(r))
			v = sq_col_int(r, 0);
		sq_rows_free(r);
	}
	bool changed = v < 0 || v != sc->data_version;
	sc->data_version = v;
	return changed;
}

/* ---- backup and restore (the online backup API) ---- */

/* Copies every page of src's main database into dst's, in one step (one read snapshot of
 * src; dst is locked for writing until done). Retries while either is busy, up to the
 * lock wait. */
static int sq_copy(sqlite3 *dst, sqlite3 *src)
{
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	if (!b)
		return sqlite3_errcode(dst);
	int rc, waited_ms = 0;
	while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED) {
		if (waited_ms >= DB_LOCK_WAIT_MS)
			break;
		sqlite3_sleep(20);
		waited_ms += 20;
	}
	int frc = sqlite3_backup_finish(b);
	return rc == SQLITE_DONE ? frc : rc;
}

/* STATUS_OK when h's database passes integrity_check and has bookd's schema table. */
static status sq_sound(db_conn *c, sqlite3 *h, const char *name)
{
	sqlite3_stmt *s = NULL;
	bool ok = sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &s, NULL) == SQLITE_OK &&
		  sqlite3_step(s) == SQLITE_ROW && s &&
		  strcmp((const char *)sqlite3_column_text(s, 0), "ok") == 0;
	sqlite3_finalize(s);
	if (!ok) {
		db_conn_seterr(c, "%s fails the integrity check (%s)", name, sqlite3_errmsg(h));
		return STATUS_INVALID;
	}
	s = NULL;
	ok = sqlite3_prepare_v2(h, "SELECT MAX(version) FROM schema_migrations", -1, &s, NULL) ==
		     SQLITE_OK &&
	     sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int64(s, 0) > 0;
	sqlite3_finalize(s);
	if (!ok) {
		db_conn_seterr(c, "%s is not a bookd database", name);
		return STATUS_INVALID;
	}
	return STATUS_OK;
}

/* fsync of a file or directory by path; false with errno on failure. */
static bool sq_sync_path(const char *path, bool dir)
{
	int fd = open(path, dir ? O_RDONLY | O_DIRECTORY : O_RDWR);
	if (fd < 0)
		return false;
	bool ok = fsync(fd) == 0;
	close(fd);
	return ok;
}

static status sq_backup(db_conn *c, const char *to)
{
	sq_conn *sc = c->h;
	if (!sc->h) {
		db_conn_seterr(c, "the database is not open");
		return STATUS_IO;
	}
	size_t n = strlen(to) + 32;
	char *tmp = xmalloc(n);
	snprintf(tmp, n, "%s.partial-%ld", to, (long)getpid());
	unlink(tmp);
	sqlite3 *dst = NULL;
	status st = STATUS_IO;
	int rc = sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc == SQLITE_OK)
		rc = sq_copy(dst, sc->h);
	if (rc != SQLITE_OK) {
		db_conn_seterr(c, "backup to %s: %s", to, dst ? sqlite3_errmsg(dst) : "cannot open");
	} else {
		/* The copy stands alone: no log beside it. */
		sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
		st = sq_sound(c, dst, "the backup");
	}
	sqlite3_close(dst);
	if (st == STATUS_OK && !sq_sync_path(tmp, false)) {
		db_conn_seterr(c, "backup to %s: sync: %s", to, strerror(errno));
		st = STATUS_IO;
	}
	if (st == STATUS_OK && rename(tmp, to) != 0) {
		db_conn_seterr(c, "backup to %s: %s", to, strerror(errno));
		st = STATUS_IO;
	}
	if (st == STATUS_OK) {
		char *dir = xstrdup(to), *slash = strrchr(dir, '/');
		if (slash)
			slash[slash == dir ? 1 : 0] = '\0';
		sq_sync_path(slash ? dir : ".", true);
		free(dir);
	} else {
		unlink(tmp);
	}
	free(tmp);
	return st;
}

static status sq_restore(db_conn *c, const char *from)
{
	sq_conn *sc = c->h;
	if (!sc->h) {
		db_conn_seterr(c, "the database is not open");
		return STATUS_IO;
	}
	sqlite3 *src = NULL;
	if (sqlite3_open_v2(from, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		db_conn_seterr(c, "restore from %s: %s", from,
			       src ? sqlite3_errmsg(src) : "cannot open");
		sqlite3_close(src);
		return STATUS_IO;
	}
	status st = sq_sound(c, src, from);
	if (st == STATUS_OK) {
		int rc = sq_copy(sc->h, src);
		if (rc != SQLITE_OK) {
			db_conn_seterr(c, "restore from %s: %s", from, sqlite3_errstr(rc));
			st = rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? STATUS_BUSY : STATUS_IO;
		}
	}
	sqlite3_close(src);
	return st;
}

const db_driver DB_DRIVER_SQLITE = {
    .name = "sqlite",
    .connect = sq_connect,
    .revive = sq_revive,
    .disconnect = sq_disconnect,
    .exec = sq_exec,
    .query = sq_query,
    .next = sq_next,
    .col_int = sq_col_int,
    .col_text = sq_col_text,
    .col_null = sq_col_null,
    .rows_free = sq_rows_free,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .in_tx = sq_in_tx,
    .backup = sq_backup,
    .data_changed = sq_data_changed,
    .restore = sq_restore,
    /* No listen_start/listen_stop: one process per SQLite file, so db_listen_start has
     * nobody to hear and db_notify nobody to tell. */
};
