/* migrate.c - applies the compiled-in migrations in order, each in its own transaction under
 * a lock, so that several processes starting at once apply each migration exactly once. */
#include "store/migrate.h"

#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/log.h"
#include "store/db_driver.h"

/* PostgreSQL advisory lock key held by the migrating transaction ("bookdmig" in ASCII). */
#define MIGRATE_PG_LOCK_KEY "7237970656937642343"
/* The longest single statement a migration may hold. */
#define MIGRATE_STMT_MAX (1024 * 1024)
/* How long to keep retrying for the lock while another process migrates (seconds). */
#define MIGRATE_WAIT_S 120

static const char MIGRATE_CREATE[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
    "name TEXT NOT NULL, applied_at BIGINT NOT NULL)";

static void set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	if (!err || errlen == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* The driver a "-- sqlite only" or "-- postgres only" line (len bytes at p) names, or -1. */
static int only_marker(const char *p, size_t len)
{
	static const char sq[] = "-- sqlite only", pg[] = "-- postgres only";
	while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t' || p[len - 1] == '\r'))
		len--;
	if (len == sizeof(sq) - 1 && memcmp(p, sq, len) == 0)
		return DB_SQLITE;
	if (len == sizeof(pg) - 1 && memcmp(p, pg, len) == 0)
		return DB_POSTGRES;
	return -1;
}

/* Runs the statements of a migration one by one. They are separated by a ';' that ends a
 * line; "--" comments are dropped (outside quoted strings). A "-- sqlite only" or
 * "-- postgres only" line before a statement runs it on that driver alone (a trigger's
 * syntax differs). *nth gets the statement number reached, for messages. */
static status run_script(db_conn *c, const char *script, int *nth)
{
	buf stmt;
	buf_init(&stmt, MIGRATE_STMT_MAX);
	bool in_quote = false; /* inside '...' (a '' escape toggles twice) */
	bool has_text = false; /* stmt holds more than blanks */
	int only = -1;         /* the driver the statement is for, -1 any */
	status st = STATUS_OK;
	*nth = 0;
	const char *p = script;
	while (*p && st == STATUS_OK) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		if (!in_quote && !has_text && only_marker(p, len) >= 0)
			only = only_marker(p, len);
		size_t keep = len;
		for (size_t i = 0; i < len; i++) {
			if (p[i] == '\'') {
				in_quote = !in_quote;
			} else if (!in_quote && p[i] == '-' && i + 1 < len && p[i + 1] == '-') {
				keep = i;
				break;
			}
		}
		while (keep > 0 &&
		       (p[keep - 1] == ' ' || p[keep - 1] == '\t' || p[keep - 1] == '\r'))
			keep--;
		bool ends = keep > 0 && p[keep - 1] == ';' && !in_quote;
		if (ends)
			keep--;
		if (keep > 0) {
			has_text = true;
			if (buf_add(&stmt, p, keep) != STATUS_OK ||
			    buf_addc(&stmt, '\n') != STATUS_OK)
				st = STATUS_INVALID;
		}
		if (st == STATUS_OK && ends && has_text) {
			(*nth)++;
			if (only < 0 || only == (int)db_conn_kind(c))
				st = db_exec_nocache(c, stmt.data);
			buf_reset(&stmt);
			has_text = false;
			only = -1;
		}
		p += len + (eol ? 1 : 0);
	}
	if (st == STATUS_OK && has_text && (only < 0 || only == (int)db_conn_kind(c))) {
		(*nth)++;
		st = db_exec_nocache(c, stmt.data);
	}
	if (stmt.full)
		db_conn_seterr(c, "statement longer than %d bytes", MIGRATE_STMT_MAX);
	buf_free(&stmt);
	return st;
}

/* A migration that rebuilds a table others reference names this line: on SQLite it runs
 * with foreign keys off (the pragma cannot change inside a transaction, and dropping the old
 * table would otherwise delete through every reference), then must pass foreign_key_check
 * before it commits. SQLite's documented way to change a table's shape. */
static const char FK_OFF_LINE[] = "\n-- sqlite: foreign keys off while it runs\n";

static bool wants_fk_off(const db_conn *c, const migration *m)
{
	return db_conn_kind(c) == DB_SQLITE && strstr(m->sql, FK_OFF_LINE) != NULL;
}

/* Any row foreign_key_check reports is a reference the rebuild broke. */
static status fk_check(db_conn *c)
{
	db_rows *r;
	status st = db_query(c, "PRAGMA foreign_key_check", DB_NOPARAMS, &r);
	if (st != STATUS_OK)
		return st;
	bool broken = db_next(r);
	const char *table = broken ? db_text(r, 0) : "";
	char what[128];
	snprintf(what, sizeof(what), "%s", table ? table : "");
	st = db_rows_status(r);
	db_rows_free(r);
	if (st == STATUS_OK && broken) {
		db_conn_seterr(c, "foreign_key_check: a row of %s refers to a missing row", what);
		st = STATUS_CONFLICT;
	}
	return st;
}

/* Starts the migrating transaction holding the migration lock: SQLite's write lock, or
 * PostgreSQL's advisory lock (released at commit). Waits out another migrating process. */
static status begin_locked(db_conn *c)
{
	int64_t deadline = clock_mono_ns() + (int64_t)MIGRATE_WAIT_S * 1000000000;
	for (;;) {
		status st = db_begin_write(c);
		if (st == STATUS_OK && db_conn_kind(c) == DB_POSTGRES) {
			st = db_exec(c, "SELECT pg_advisory_xact_lock(" MIGRATE_PG_LOCK_KEY ")",
			             DB_NOPARAMS, NULL);
			if (st != STATUS_OK)
				db_rollback(c);
		}
		if (st != STATUS_BUSY || clock_mono_ns() >= deadline)
			return st;
		nanosleep(&(struct timespec){.tv_nsec = 50 * 1000000L}, NULL);
	}
}

status migrate_up(db *d, int *applied, char *err, size_t errlen)
{
	return migrate_up_to(d, INT_MAX, applied, err, errlen);
}

status migrate_up_to(db *d, int target, int *applied, char *err, size_t errlen)
{
	*applied = 0;
	set_err(err, errlen, "%s", "");
	for (int i = 1; i < MIGRATION_COUNT; i++) {
		if (MIGRATIONS[i].version <= MIGRATIONS[i - 1].version) {
			set_err(err, errlen, "migrations out of order: %s after %s",
			        MIGRATIONS[i].name, MIGRATIONS[i - 1].name);
			return STATUS_INTERNAL;
		}
	}
	int latest = MIGRATION_COUNT > 0 ? MIGRATIONS[MIGRATION_COUNT - 1].version : 0;

	db_conn *c = db_acquire(d);
	status st = STATUS_OK;
	bool fks_off = false; /* this connection's foreign keys, switched for FK_OFF_LINE */
	for (;;) {
		st = begin_locked(c);
		if (st != STATUS_OK) {
			set_err(err, errlen, "cannot lock for migrating: %s", db_error(c));
			break;
		}
		int64_t current = 0;
		st = db_exec(c, MIGRATE_CREATE, DB_NOPARAMS, NULL);
		if (st == STATUS_OK)
			st = db_query_int(c,
			                  "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
			                  DB_NOPARAMS, &current);
		if (st != STATUS_OK) {
			set_err(err, errlen, "cannot read schema_migrations: %s", db_error(c));
			db_rollback(c);
			break;
		}
		if (current > latest) {
			/* An older bookd must not write into a schema it does not know. */
			set_err(
			    err, errlen,
			    "the database schema is at version %lld, newer than this bookd (%d)",
			    (long long)current, latest);
			db_rollback(c);
			st = STATUS_CONFLICT;
			break;
		}
		const migration *next = NULL;
		for (int i = 0; i < MIGRATION_COUNT && !next; i++)
			if (MIGRATIONS[i].version > current && MIGRATIONS[i].version <= target)
				next = &MIGRATIONS[i];
		if (!next) {
			st = db_commit(c); /* keeps a just-created schema_migrations */
			if (st != STATUS_OK)
				set_err(err, errlen, "commit failed: %s", db_error(c));
			break;
		}
		bool fk_off = wants_fk_off(c, next);
		if (fk_off != fks_off) {
			/* the pragma is a no-op inside a transaction: out, switch, in again */
			db_rollback(c);
			st = db_exec_nocache(c, fk_off ? "PRAGMA foreign_keys=OFF" : "PRAGMA foreign_keys=ON");
			if (st != STATUS_OK) {
				set_err(err, errlen, "cannot switch foreign keys: %s", db_error(c));
				break;
			}
			fks_off = fk_off;
			continue;
		}
		int nth = 0;
		st = run_script(c, next->sql, &nth);
		if (st == STATUS_OK && fk_off)
			st = fk_check(c);
		if (st != STATUS_OK) {
			set_err(err, errlen, "migration %s, statement %d: %s", next->name, nth,
			        db_error(c));
			db_rollback(c);
			break;
		}
		st = db_exec(
		    c,
		    "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
		    DB_PARAMS(DB_I(next->version), DB_S(next->name), DB_I(clock_now())), NULL);
		if (st == STATUS_OK)
			st = db_commit(c);
		if (st != STATUS_OK) {
			set_err(err, errlen, "migration %s: cannot record it: %s", next->name,
			        db_error(c));
			db_rollback(c);
			break;
		}
		(*applied)++;
		log_info("db: applied migration %s", next->name);
	}
	if (fks_off && db_exec_nocache(c, "PRAGMA foreign_keys=ON") != STATUS_OK) {
		if (st == STATUS_OK)
			set_err(err, errlen, "cannot switch foreign keys on: %s", db_error(c));
		st = STATUS_INTERNAL; /* not released to the pool without them */
	}
	db_release(d, c);
	return st;
}
