/* test_db.c - the database layer (db.h, migrate.h) on a temporary SQLite file, and on
 * PostgreSQL too when BOOKD_TEST_PG_URL is set: every looped test runs once per driver
 * (_i = 0 SQLite, 1 PostgreSQL), each in its own file or its own schema. */
#include <check.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/clock.h"
#include "store/db.h"
#include "store/db_driver.h" /* db_exec_nocache */
#include "store/migrate.h"

enum { TDB_SQLITE = 0, TDB_PG = 1 };

/* One test database: a SQLite file in a temporary directory, or a PostgreSQL schema. */
typedef struct tdb {
	db *d;           /* the open database */
	int which;       /* TDB_SQLITE or TDB_PG */
	char dir[64];    /* SQLite: the temporary directory holding test.db */
	char schema[64]; /* PostgreSQL: the schema every connection uses */
	char url[1024];  /* the URL opened */
} tdb;

static const char *pg_base(void)
{
	const char *u = getenv("BOOKD_TEST_PG_URL");
	return u && *u ? u : NULL;
}

/* How many drivers the looped tests run on. */
static int driver_count(void)
{
	return pg_base() ? 2 : 1;
}

/* Runs one statement on a fresh one-connection handle to the base PostgreSQL URL. */
static void pg_admin(const char *sql)
{
	db *d;
	char err[256];
	ck_assert_msg(db_open(pg_base(), 1, &d, err, sizeof err) == STATUS_OK, "%s", err);
	db_conn *c = db_acquire(d);
	ck_assert_msg(db_exec(c, sql, DB_NOPARAMS, NULL) == STATUS_OK, "%s: %s", sql, db_error(c));
	db_release(d, c);
	db_close(d);
}

static void tdb_url(tdb *t, int which)
{
	memset(t, 0, sizeof *t);
	t->which = which;
	if (which == TDB_SQLITE) {
		snprintf(t->dir, sizeof t->dir, "/tmp/bookd-dbtest-XXXXXX");
		ck_assert_ptr_nonnull(mkdtemp(t->dir));
		snprintf(t->url, sizeof t->url, "sqlite:%s/test.db", t->dir);
	} else {
		static int seq;
		snprintf(t->schema, sizeof t->schema, "t_%ld_%lld_%d", (long)getpid(),
		         (long long)(clock_mono_ns() % 1000000000), seq++);
		char sql[128];
		snprintf(sql, sizeof sql, "CREATE SCHEMA %s", t->schema);
		pg_admin(sql);
		const char *base = pg_base();
		snprintf(t->url, sizeof t->url, "%s%coptions=-c%%20search_path%%3D%s", base,
		         strchr(base, '?') ? '&' : '?', t->schema);
	}
}

static void tdb_open(tdb *t, int which, int pool)
{
	tdb_url(t, which);
	char err[512];
	ck_assert_msg(db_open(t->url, pool, &t->d, err, sizeof err) == STATUS_OK, "%s", err);
	ck_assert_int_eq(db_kind_of(t->d), which == TDB_SQLITE ? DB_SQLITE : DB_POSTGRES);
}

static void tdb_close(tdb *t)
{
	db_close(t->d);
	t->d = NULL;
	if (t->which == TDB_SQLITE) {
		const char *suffix[] = {"", "-wal", "-shm", "-journal"};
		for (size_t i = 0; i < sizeof suffix / sizeof *suffix; i++) {
			char path[128];
			snprintf(path, sizeof path, "%s/test.db%s", t->dir, suffix[i]);
			unlink(path);
		}
		rmdir(t->dir);
	} else {
		char sql[128];
		snprintf(sql, sizeof sql, "DROP SCHEMA %s CASCADE", t->schema);
		pg_admin(sql);
	}
}

static void exec_ok(db_conn *c, const char *sql)
{
	ck_assert_msg(db_exec(c, sql, DB_NOPARAMS, NULL) == STATUS_OK, "%s: %s", sql, db_error(c));
}

static int64_t query_int(db_conn *c, const char *sql)
{
	int64_t v = -1;
	ck_assert_msg(db_query_int(c, sql, DB_NOPARAMS, &v) == STATUS_OK, "%s: %s", sql,
	              db_error(c));
	return v;
}

/* ---- opening ---- */

START_TEST(open_and_close)
{
	tdb t;
	tdb_open(&t, _i, 2);
	db_conn *c = db_acquire(t.d);
	ck_assert_int_eq(query_int(c, "SELECT 1"), 1);
	ck_assert_str_eq(db_error(c), "");
	ck_assert_int_eq(db_conn_kind(c), db_kind_of(t.d));
	ck_assert_str_eq(db_for_update(c), _i == TDB_PG ? " FOR UPDATE" : "");
	ck_assert_str_eq(db_for_update_skip_locked(c),
	                 _i == TDB_PG ? " FOR UPDATE SKIP LOCKED" : "");
	if (_i == TDB_PG) {
		/* Session settings: quiet notices, lock waits that end in STATUS_BUSY. */
		db_rows *r;
		ck_assert_int_eq(db_query(c,
		                          "SELECT current_setting('client_min_messages'), "
		                          "current_setting('lock_timeout')",
		                          DB_NOPARAMS, &r),
		                 STATUS_OK);
		ck_assert(db_next(r));
		ck_assert_str_eq(db_text(r, 0), "warning");
		ck_assert_str_eq(db_text(r, 1), "5s");
		db_rows_free(r);
	}
	db_release(t.d, c);
	ck_assert(db_time_ms_total(t.d) > 0);
	tdb_close(&t);
	db_close(NULL);
}
END_TEST

static void open_fails(const char *url, int pool, status want, const char *want_text)
{
	db *d = (db *)&d; /* not NULL, to see it reset */
	char err[256];
	status st = db_open(url, pool, &d, err, sizeof err);
	ck_assert_msg(st == want, "%s: got %s (%s)", url ? url : "(null)", status_name(st), err);
	ck_assert_ptr_null(d);
	ck_assert_msg(strstr(err, want_text), "%s: message \"%s\" lacks \"%s\"",
	              url ? url : "(null)", err, want_text);
	ck_assert_msg(!strstr(err, "s3cr"), "password in message: %s", err);
}

START_TEST(bad_urls)
{
	open_fails(NULL, 1, STATUS_INVALID, "empty");
	open_fails("", 1, STATUS_INVALID, "empty");
	open_fails("mysql://u:s3cret@h/db", 1, STATUS_INVALID, "unknown database URL scheme");
	open_fails("sqlite", 1, STATUS_INVALID, "unknown database URL scheme");
	open_fails("/var/lib/bookd.db", 1, STATUS_INVALID, "unknown database URL scheme");
	open_fails("postgres:db", 1, STATUS_INVALID, "unknown database URL scheme");
	open_fails("sqlite:", 1, STATUS_INVALID, "no file path");
	open_fails("sqlite:/tmp/x.db", 0, STATUS_INVALID, "pool size");
	open_fails("sqlite::memory:", 2, STATUS_INVALID, "memory");
	open_fails("sqlite:/nonexistent-bookd-dir/sub/x.db", 1, STATUS_IO, "cannot open database");
	/* libpq quotes a malformed URL, password included, in its own messages. */
	open_fails("postgres://u:s3cret@[::1/db", 1, STATUS_INVALID, "invalid PostgreSQL URL");
	open_fails("postgres://u:s3cr%zzet@h/db", 1, STATUS_INVALID, "invalid PostgreSQL URL");
	open_fails("postgresql://u:s3cret@h/db?nosuchoption=1", 1, STATUS_INVALID,
	           "invalid PostgreSQL URL");
	open_fails("postgres://u:s3cret@127.0.0.1:1/db?connect_timeout=2", 1, STATUS_IO,
	           "postgres://u:***@127.0.0.1:1/db");
}
END_TEST

START_TEST(redact)
{
	char out[128];
	db_url_redact("postgres://u:pw@h:5432/db?sslmode=require&password=pw2&x=1", out,
	              sizeof out);
	ck_assert_str_eq(out, "postgres://u:***@h:5432/db?sslmode=require&password=***&x=1");
	db_url_redact("postgresql://u@h/db", out, sizeof out);
	ck_assert_str_eq(out, "postgresql://u@h/db");
	db_url_redact("postgres://u:p@ss@h/db", out, sizeof out);
	ck_assert_str_eq(out, "postgres://u:***@h/db");
	db_url_redact("postgres:///db?password=x", out, sizeof out);
	ck_assert_str_eq(out, "postgres:///db?password=***");
	db_url_redact("sqlite:/var/lib/bookd/bookd.db", out, sizeof out);
	ck_assert_str_eq(out, "sqlite:/var/lib/bookd/bookd.db");
	db_url_redact("postgres://u:secret@h/db", out, 12);
	ck_assert_str_eq(out, "postgres://");
}
END_TEST

/* ---- statements ---- */

START_TEST(bind_params)
{
	tdb t;
	tdb_open(&t, _i, 1);
	db_conn *c = db_acquire(t.d);
	exec_ok(c, "CREATE TABLE p (a BIGINT, b TEXT, c TEXT, d BIGINT)");

	const char *odd = "it's \"quoted\" -- not a comment; ü $1";
	int64_t big = INT64_C(9007199254740993);
	int64_t changes = -1;
	/* $2 before $1, $2 used twice, a NULL. */
	ck_assert_int_eq(db_exec(c, "INSERT INTO p (a, b, c, d) VALUES ($2, $1, $3, $2)",
	                         DB_PARAMS(DB_S(odd), DB_I(big), DB_NUL), &changes),
	                 STATUS_OK);
	ck_assert_int_eq(changes, 1);
	ck_assert_int_eq(db_exec(c, "INSERT INTO p (a, b, c, d) VALUES ($1, $2, $3, $1)",
	                         DB_PARAMS(DB_I(INT64_MIN), DB_S(""), DB_S(NULL)), NULL),
	                 STATUS_OK);

	db_rows *r;
	ck_assert_int_eq(db_query(c, "SELECT a, b, c, d FROM p WHERE a = $2 AND d = $2 AND b = $1",
	                          DB_PARAMS(DB_S(odd), DB_I(big)), &r),
	                 STATUS_OK);
	ck_assert(db_next(r));
	ck_assert_int_eq(db_int(r, 0), big);
	ck_assert_str_eq(db_text(r, 1), odd);
	ck_assert(db_null(r, 2));
	ck_assert_ptr_null(db_text(r, 2));
	ck_assert_int_eq(db_int(r, 2), 0);
	ck_assert_int_eq(db_int(r, 3), big);
	ck_assert(!db_null(r, 3));
	/* Out of range columns read as NULL. */
	ck_assert(db_null(r, 9));
	ck_assert_ptr_null(db_text(r, -1));
	ck_assert(!db_next(r));
	ck_assert_int_eq(db_rows_status(r), STATUS_OK);
	db_rows_free(r);

	/* The empty string is not NULL; INT64_MIN survives. */
	ck_assert_int_eq(
	    db_query(c, "SELECT b, c, a FROM p WHERE a = $1", DB_PARAMS(DB_I(INT64_MIN)), &r),
	    STATUS_OK);
	ck_assert(db_next(r));
	ck_assert(!db_null(r, 0));
	ck_assert_str_eq(db_text(r, 0), "");
	ck_assert(db_null(r, 1));
	ck_assert_int_eq(db_int(r, 2), INT64_MIN);
	db_rows_free(r);

	/* More parameters than the PostgreSQL driver formats on its stack. */
	char sql[512];
	size_t len = (size_t)snprintf(sql, sizeof sql, "SELECT $1");
	db_val many[20];
	for (int i = 0; i < 20; i++) {
		many[i] = DB_I(i + 1);
		if (i > 0)
			len += (size_t)snprintf(sql + len, sizeof sql - len, " + $%d", i + 1);
	}
	int64_t sum = 0;
	ck_assert_int_eq(db_query_int(c, sql, many, 20, &sum), STATUS_OK);
	ck_assert_int_eq(sum, 210);

	/* CAST gives a type where there is no context: portable. */
	ck_assert_int_eq(db_query_int(c,
	                              "SELECT CASE WHEN CAST($1 AS TEXT) IS NULL THEN 7 ELSE 8 END",
	                              DB_PARAMS(DB_NUL), &sum),
	                 STATUS_OK);
	ck_assert_int_eq(sum, 7);

	/* Misuse is an error, never a silent NULL. */
	ck_assert_int_ne(db_query_int(c, "SELECT $1 + $2", DB_PARAMS(DB_I(1)), &sum), STATUS_OK);
	ck_assert_str_ne(db_error(c), "");
	ck_assert_int_ne(db_exec(c, "SELECT 1; SELECT 2", DB_NOPARAMS, NULL), STATUS_OK);
	ck_assert_int_ne(db_exec(c, "SELECT * FROM no_such_table", DB_NOPARAMS, NULL), STATUS_OK);
	ck_assert_int_ne(db_exec(c, "SELEKT 1", DB_NOPARAMS, NULL), STATUS_OK);
	/* ... and the connection is fine afterwards, with the message cleared. */
	ck_assert_int_eq(query_int(c, "SELECT COUNT(*) FROM p"), 2);
	ck_assert_str_eq(db_error(c), "");

	db_release(t.d, c);
	tdb_close(&t);
}
END_TEST

START_TEST(rows_iterate)
{
	tdb t;
	tdb_open(&t, _i, 1);
	db_conn *c = db_acquire(t.d);
	exec_ok(c, "CREATE TABLE r (n BIGINT PRIMARY KEY, s TEXT NOT NULL)");
	ck_assert_int_eq(db_begin(c), STATUS_OK);
	for (int i = 0; i < 50; i++) {
		char s[32];
		snprintf(s, sizeof s, "row-%d", i);
		ck_assert_int_eq(db_exec(c, "INSERT INTO r (n, s) VALUES ($1, $2)",
		                         DB_PARAMS(DB_I(i), DB_S(s)), NULL),
		                 STATUS_OK);
	}
	ck_assert_int_eq(db_commit(c), STATUS_OK);

	db_rows *r;
	ck_assert_int_eq(db_query(c, "SELECT n, s FROM r ORDER BY n", DB_NOPARAMS, &r), STATUS_OK);
	int seen = 0;
	while (db_next(r)) {
		char s[32];
		snprintf(s, sizeof s, "row-%d", seen);
		ck_assert_int_eq(db_int(r, 0), seen);
		ck_assert_str_eq(db_text(r, 1), s);
		seen++;
	}
	ck_assert_int_eq(seen, 50);
	ck_assert_int_eq(db_rows_status(r), STATUS_OK);
	ck_assert(!db_next(r));
	db_rows_free(r);

	/* No rows at all. */
	ck_assert_int_eq(db_query(c, "SELECT n FROM r WHERE n < $1", DB_PARAMS(DB_I(0)), &r),
	                 STATUS_OK);
	ck_assert(!db_next(r));
	ck_assert_int_eq(db_rows_status(r), STATUS_OK);
	db_rows_free(r);

	/* The same SQL read twice at once on one connection (the cached statement is busy). */
	const char *q = "SELECT n FROM r WHERE n < $1 ORDER BY n";
	db_rows *outer, *inner;
	ck_assert_int_eq(db_query(c, q, DB_PARAMS(DB_I(5)), &outer), STATUS_OK);
	int pairs = 0;
	while (db_next(outer)) {
		ck_assert_int_eq(db_query(c, q, DB_PARAMS(DB_I(db_int(outer, 0))), &inner),
		                 STATUS_OK);
		while (db_next(inner))
			pairs++;
		db_rows_free(inner);
	}
	db_rows_free(outer);
	ck_assert_int_eq(pairs, 0 + 1 + 2 + 3 + 4);

	/* db_query_int: found, not found, a boolean. */
	int64_t v = -1;
	ck_assert_int_eq(db_query_int(c, "SELECT COUNT(*) FROM r", DB_NOPARAMS, &v), STATUS_OK);
	ck_assert_int_eq(v, 50);
	v = -1;
	ck_assert_int_eq(
	    db_query_int(c, "SELECT n FROM r WHERE s = $1", DB_PARAMS(DB_S("nope")), &v),
	    STATUS_NOT_FOUND);
	ck_assert_int_eq(v, -1);
	ck_assert_int_eq(
	    db_query_int(c, "SELECT EXISTS (SELECT 1 FROM r WHERE n = $1)", DB_PARAMS(DB_I(7)), &v),
	    STATUS_OK);
	ck_assert_int_eq(v, 1);
	ck_assert_int_eq(db_query_int(c, "SELECT EXISTS (SELECT 1 FROM r WHERE n = $1)",
	                              DB_PARAMS(DB_I(70)), &v),
	                 STATUS_OK);
	ck_assert_int_eq(v, 0);

	/* Many distinct statements: the SQLite cache evicts and stays correct. */
	for (int i = 0; i < 300; i++) {
		char sql[64];
		snprintf(sql, sizeof sql, "SELECT %d + n FROM r WHERE n = $1", i);
		ck_assert_int_eq(db_query_int(c, sql, DB_PARAMS(DB_I(3)), &v), STATUS_OK);
		ck_assert_int_eq(v, i + 3);
	}
	db_release(t.d, c);
	tdb_close(&t);
}
END_TEST

START_TEST(conflicts)
{
	tdb t;
	tdb_open(&t, _i, 1);
	db_conn *c = db_acquire(t.d);
	exec_ok(c, "CREATE TABLE parent (id TEXT PRIMARY KEY, v BIGINT NOT NULL DEFAULT 0)");
	exec_ok(c, "CREATE TABLE child (id TEXT PRIMARY KEY, parent_id TEXT NOT NULL REFERENCES "
	           "parent(id), "
	           "qty INTEGER NOT NULL CHECK (qty > 0))");
	const char *ins = "INSERT INTO parent (id) VALUES ($1)";
	ck_assert_int_eq(db_exec(c, ins, DB_PARAMS(DB_S("a")), NULL), STATUS_OK);
	ck_assert_int_eq(db_exec(c, ins, DB_PARAMS(DB_S("a")), NULL), STATUS_CONFLICT);
	ck_assert_str_ne(db_error(c), "");
	const char *child = "INSERT INTO child (id, parent_id, qty) VALUES ($1, $2, $3)";
	ck_assert_int_eq(db_exec(c, child, DB_PARAMS(DB_S("c1"), DB_S("zz"), DB_I(1)), NULL),
	                 STATUS_CONFLICT);
	ck_assert_int_eq(db_exec(c, child, DB_PARAMS(DB_S("c1"), DB_S("a"), DB_I(0)), NULL),
	                 STATUS_CONFLICT);
	ck_assert_int_eq(db_exec(c, child, DB_PARAMS(DB_S("c1"), DB_NUL, DB_I(1)), NULL),
	                 STATUS_CONFLICT);
	ck_assert_int_eq(db_exec(c, child, DB_PARAMS(DB_S("c1"), DB_S("a"), DB_I(1)), NULL),
	                 STATUS_OK);
	/* Deleting a referenced row is refused too. */
	ck_assert_int_eq(db_exec(c, "DELETE FROM parent WHERE id = $1", DB_PARAMS(DB_S("a")), NULL),
	                 STATUS_CONFLICT);

	int64_t changes = -1;
	ck_assert_int_eq(db_exec(c,
	                         "INSERT INTO parent (id) VALUES ($1) ON CONFLICT (id) DO NOTHING",
	                         DB_PARAMS(DB_S("a")), &changes),
	                 STATUS_OK);
	ck_assert_int_eq(changes, 0);
	ck_assert_int_eq(db_exec(c,
	                         "INSERT INTO parent (id) VALUES ($1) ON CONFLICT (id) DO UPDATE "
	                         "SET v = parent.v + 1",
	                         DB_PARAMS(DB_S("a")), &changes),
	                 STATUS_OK);
	ck_assert_int_eq(changes, 1);

	db_rows *r;
	const char *ret = "INSERT INTO parent (id, v) VALUES ($1, $2) RETURNING id, v";
	ck_assert_int_eq(db_query(c, ret, DB_PARAMS(DB_S("b"), DB_I(5)), &r), STATUS_OK);
	ck_assert(db_next(r));
	ck_assert_str_eq(db_text(r, 0), "b");
	ck_assert_int_eq(db_int(r, 1), 5);
	db_rows_free(r);
	/* RETURNING that conflicts reports it from db_query itself. */
	ck_assert_int_eq(db_query(c, ret, DB_PARAMS(DB_S("b"), DB_I(6)), &r), STATUS_CONFLICT);
	ck_assert_ptr_null(r);

	ck_assert_int_eq(db_exec(c, "UPDATE parent SET v = v + 1", DB_NOPARAMS, &changes),
	                 STATUS_OK);
	ck_assert_int_eq(changes, 2);
	/* A statement that changes nothing reports 0, not the previous count. */
	ck_assert_int_eq(db_exec(c, "CREATE TABLE other (x INTEGER)", DB_NOPARAMS, &changes),
	                 STATUS_OK);
	ck_assert_int_eq(changes, 0);
	ck_assert_int_eq(db_exec(c, "SELECT v FROM parent", DB_NOPARAMS, &changes), STATUS_OK);
	ck_assert_int_eq(changes, 0);
	db_release(t.d, c);
	tdb_close(&t);
}
END_TEST

START_TEST(transactions)
{
	tdb t;
	tdb_open(&t, _i, 1);
	db_conn *c = db_acquire(t.d);
	exec_ok(c, "CREATE TABLE tx (n BIGINT PRIMARY KEY)");
	const char *ins = "INSERT INTO tx (n) VALUES ($1)";

	ck_assert_int_eq(db_begin(c), STATUS_OK);
	ck_assert_int_eq(db_exec(c, ins, DB_PARAMS(DB_I(1)), NULL), STATUS_OK);
	db_rollback(c);
	ck_assert_int_eq(query_int(c, "SELECT COUNT(*) FROM tx"), 0);

	ck_assert_int_eq(db_begin(c), STATUS_OK);
	ck_assert_int_eq(db_exec(c, ins, DB_PARAMS(DB_I(1)), NULL), STATUS_OK);
	ck_assert_int_eq(db_commit(c), STATUS_OK);
	ck_assert_int_eq(query_int(c, "SELECT COUNT(*) FROM tx"), 1);

	ck_assert_int_eq(db_begin_write(c), STATUS_OK);
	ck_assert_int_eq(db_exec(c, ins, DB_PARAMS(DB_I(2)), NULL), STATUS_OK);
	ck_assert_int_eq(db_commit(c), STATUS_OK);

	/* A conflict inside a transaction, then rollback: nothing of it stays. */
	ck_assert_int_eq(db_begin_write(c), STATUS_OK);
	ck_assert_int_eq(db_exec(c, ins, DB_PARAMS(DB_I(3)), NULL), STATUS_OK);
	ck_assert_int_eq(db_exec(c, ins, DB_PARAMS(DB_I(1)), NULL), STATUS_CONFLICT);
	char msg[256];
	snprintf(msg, sizeof msg, "%s", db_error(c));
	db_rollback(c);
	ck_assert_str_eq(db_error(c), msg); /* rollback keeps the reason */
	ck_assert_int_eq(query_int(c, "SELECT COUNT(*) FROM tx"), 2);

	/* Releasing a connection rolls back its open transaction; the write lock is free again. */
	ck_assert_int_eq(db_begin_write(c), STATUS_OK);
	ck_assert_int_eq(db_exec(c, ins, DB_PARAMS(DB_I(4)), NULL), STATUS_OK);
	db_release(t.d, c);
	c = db_acquire(t.d);
	ck_assert_int_eq(query_int(c, "SELECT COUNT(*) FROM tx"), 2);
	ck_assert_int_eq(db_begin_write(c), STATUS_OK);
	ck_assert_int_eq(db_commit(c), STATUS_OK);
	db_rollback(c); /* nothing open: harmless */
	db_release(t.d, c);
	tdb_close(&t);
}
END_TEST

/* ---- migrations ---- */

START_TEST(migrate_once)
{
	tdb t;
	tdb_open(&t, _i, 2);
	char err[256];
	int applied = -1;
	ck_assert_msg(migrate_up(t.d, &applied, err, sizeof err) == STATUS_OK, "%s", err);
	ck_assert_int_eq(applied, MIGRATION_COUNT);
	ck_assert_str_eq(err, "");
	ck_assert_msg(migrate_up(t.d, &applied, err, sizeof err) == STATUS_OK, "%s", err);
	ck_assert_int_eq(applied, 0);

	db_conn *c = db_acquire(t.d);
	ck_assert_int_eq(query_int(c, "SELECT COUNT(*) FROM schema_migrations"), MIGRATION_COUNT);
	ck_assert_int_eq(query_int(c, "SELECT MAX(version) FROM schema_migrations"),
	                 MIGRATIONS[MIGRATION_COUNT - 1].version);
	ck_assert_int_eq(query_int(c, "SELECT MIN(applied_at) FROM schema_migrations") > 1700000000,
	                 1);
	ck_assert_int_eq(query_int(c, "SELECT COUNT(*) FROM bookings"), 0);
	/* The schema works: foreign keys cascade on both drivers. */
	exec_ok(c,
	        "INSERT INTO businesses (id, slug, name, timezone, currency, locale, created_at) "
	        "VALUES ('b1', 'salon', 'Salon', 'Europe/Berlin', 'EUR', 'de', 0)");
	exec_ok(c, "INSERT INTO users (business_id, id, email, password_hash, role, created_at) "
	           "VALUES ('b1', 'u1', 'a@example.com', 'x', 'owner', 0)");
	ck_assert_int_eq(
	    db_exec(c,
	            "INSERT INTO users (business_id, id, email, password_hash, role, created_at) "
	            "VALUES ('b1', 'u2', 'b@example.com', 'x', 'king', 0)",
	            DB_NOPARAMS, NULL),
	    STATUS_CONFLICT);
	exec_ok(c, "DELETE FROM businesses WHERE id = 'b1'");
	ck_assert_int_eq(query_int(c, "SELECT COUNT(*) FROM users"), 0);

	/* A database newer than this binary is refused. */
	exec_ok(c, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (99999, "
	           "'future', 0)");
	db_release(t.d, c);
	ck_assert_int_eq(migrate_up(t.d, &applied, err, sizeof err), STATUS_CONFLICT);
	ck_assert_ptr_nonnull(strstr(err, "newer"));
	tdb_close(&t);
}
END_TEST

/* One migrating "process": its own pool on the same database. */
typedef struct mig_job {
	const char *url; /* the database */
	int applied;     /* out: migrations it applied */
	status st;       /* out: migrate_up's result */
	char err[256];   /* out: its message */
} mig_job;

static void *mig_thread(void *arg)
{
	mig_job *j = arg;
	db *d;
	j->st = db_open(j->url, 1, &d, j->err, sizeof j->err);
	if (j->st == STATUS_OK) {
		j->st = migrate_up(d, &j->applied, j->err, sizeof j->err);
		db_close(d);
	}
	return NULL;
}

START_TEST(migrate_concurrent)
{
	tdb t;
	tdb_url(&t, _i);
	enum { N = 3 };
	mig_job jobs[N];
	pthread_t th[N];
	for (int i = 0; i < N; i++) {
		memset(&jobs[i], 0, sizeof jobs[i]);
		jobs[i].url = t.url;
		ck_assert_int_eq(pthread_create(&th[i], NULL, mig_thread, &jobs[i]), 0);
	}
	int total = 0;
	for (int i = 0; i < N; i++) {
		pthread_join(th[i], NULL);
		ck_assert_msg(jobs[i].st == STATUS_OK, "%s", jobs[i].err);
		total += jobs[i].applied;
	}
	ck_assert_int_eq(total, MIGRATION_COUNT);
	char err[256];
	ck_assert_int_eq(db_open(t.url, 1, &t.d, err, sizeof err), STATUS_OK);
	db_conn *c = db_acquire(t.d);
	ck_assert_int_eq(query_int(c, "SELECT COUNT(*) FROM schema_migrations"), MIGRATION_COUNT);
	db_release(t.d, c);
	tdb_close(&t);
}
END_TEST

/* ---- SQLite specifics ---- */

START_TEST(sqlite_pragmas)
{
	tdb t;
	tdb_open(&t, TDB_SQLITE, 3);
	db_conn *cs[3];
	for (int i = 0; i < 3; i++)
		cs[i] = db_acquire(t.d); /* three at once: each was opened and set up */
	for (int i = 0; i < 3; i++) {
		db_rows *r;
		ck_assert_int_eq(db_query(cs[i], "PRAGMA journal_mode", DB_NOPARAMS, &r),
		                 STATUS_OK);
		ck_assert(db_next(r));
		ck_assert_str_eq(db_text(r, 0), "wal");
		db_rows_free(r);
		ck_assert_int_eq(query_int(cs[i], "PRAGMA foreign_keys"), 1);
		ck_assert_int_eq(query_int(cs[i], "PRAGMA synchronous"), 2); /* FULL */
		ck_assert_int_eq(query_int(cs[i], "PRAGMA busy_timeout"), 5000);
	}
	for (int i = 0; i < 3; i++)
		db_release(t.d, cs[i]);
	tdb_close(&t);
}
END_TEST

/* An in-memory database saved once comes back as saved, again and again (the fuzz targets
 * start every input from the same world this way), and grows after a restore. */
START_TEST(sqlite_memory_save_restore)
{
	db *d;
	char err[256];
	ck_assert_int_eq(db_open("sqlite::memory:", 1, &d, err, sizeof err), STATUS_OK);
	db_conn *c = db_acquire(d);
	ck_assert_int_eq(db_exec(c, "CREATE TABLE t (v TEXT)", DB_NOPARAMS, NULL), STATUS_OK);
	ck_assert_int_eq(db_exec(c, "INSERT INTO t VALUES ('kept')", DB_NOPARAMS, NULL), STATUS_OK);
	void *img = NULL;
	size_t len = 0;
	ck_assert_int_eq(db_memory_save(c, &img, &len), STATUS_OK);
	ck_assert_uint_gt(len, 0);
	for (int round = 0; round < 3; round++) {
		ck_assert_int_eq(db_exec(c, "INSERT INTO t SELECT hex(randomblob(3000)) FROM t",
					 DB_NOPARAMS, NULL), STATUS_OK);
		for (int i = 0; i < 8; i++) /* past the saved size: the restored copy must grow */
			ck_assert_int_eq(db_exec(c, "INSERT INTO t SELECT v FROM t", DB_NOPARAMS, NULL),
					 STATUS_OK);
		ck_assert_int_gt(query_int(c, "SELECT COUNT(*) FROM t"), 1);
		ck_assert_int_eq(db_memory_restore(c, img, len), STATUS_OK);
		ck_assert_int_eq(query_int(c, "SELECT COUNT(*) FROM t"), 1);
		db_rows *r;
		ck_assert_int_eq(db_query(c, "SELECT v FROM t", DB_NOPARAMS, &r), STATUS_OK);
		ck_assert(db_next(r));
		ck_assert_str_eq(db_text(r, 0), "kept");
		db_rows_free(r);
	}
	/* Not inside a transaction. */
	ck_assert_int_eq(db_begin(c), STATUS_OK);
	ck_assert_int_eq(db_memory_restore(c, img, len), STATUS_INVALID);
	db_rollback(c);
	free(img);
	db_release(d, c);
	db_close(d);
}
END_TEST

/* One opener racing the others on a fresh file. */
typedef struct open_job {
	const char *url; /* the file */
	status st;       /* out: db_open's result */
	char err[256];   /* out: its message */
} open_job;

static void *open_thread(void *arg)
{
	open_job *j = arg;
	db *d;
	j->st = db_open(j->url, 1, &d, j->err, sizeof j->err);
	if (j->st == STATUS_OK)
		db_close(d);
	return NULL;
}

/* Pools (processes) opening a new file at once all get WAL mode: switching races. */
START_TEST(sqlite_open_race)
{
	enum { N = 8, ROUNDS = 20 };
	for (int round = 0; round < ROUNDS; round++) {
		tdb t;
		tdb_url(&t, TDB_SQLITE);
		open_job jobs[N];
		pthread_t th[N];
		for (int i = 0; i < N; i++) {
			memset(&jobs[i], 0, sizeof jobs[i]);
			jobs[i].url = t.url;
			ck_assert_int_eq(pthread_create(&th[i], NULL, open_thread, &jobs[i]), 0);
		}
		for (int i = 0; i < N; i++) {
			pthread_join(th[i], NULL);
			ck_assert_msg(jobs[i].st == STATUS_OK, "%s", jobs[i].err);
		}
		tdb_close(&t);
	}
}
END_TEST

/* ---- contention ---- */

/* Shared by the counter threads. */
typedef struct counter_run {
	db *d;               /* the pool they share */
	int rounds;          /* increments per thread */
	atomic_int errors;   /* unexpected failures */
	atomic_int retries;  /* BUSY answers retried */
	char first_err[256]; /* the first unexpected message (racy, for diagnosis only) */
} counter_run;

static void *counter_thread(void *arg)
{
	counter_run *run = arg;
	for (int i = 0; i < run->rounds; i++) {
		for (;;) {
			db_conn *c = db_acquire(run->d);
			char sel[128];
			snprintf(sel, sizeof sel, "SELECT n FROM counter WHERE id = 1%s",
			         db_for_update(c));
			int64_t n = -1, taken = -1;
			status st = db_begin_write(c);
			if (st == STATUS_OK)
				st = db_query_int(c, sel, DB_NOPARAMS, &n);
			/* read-check-insert: the next number must still be free */
			if (st == STATUS_OK)
				st = db_query_int(c, "SELECT COUNT(*) FROM items WHERE seq = $1",
				                  DB_PARAMS(DB_I(n + 1)), &taken);
			if (st == STATUS_OK && taken != 0)
				st = STATUS_CONFLICT;
			if (st == STATUS_OK)
				st = db_exec(c, "INSERT INTO items (seq) VALUES ($1)",
				             DB_PARAMS(DB_I(n + 1)), NULL);
			if (st == STATUS_OK)
				st = db_exec(c, "UPDATE counter SET n = $1 WHERE id = 1",
				             DB_PARAMS(DB_I(n + 1)), NULL);
			if (st == STATUS_OK)
				st = db_commit(c);
			if (st != STATUS_OK && st != STATUS_BUSY &&
			    atomic_fetch_add(&run->errors, 1) == 0)
				snprintf(run->first_err, sizeof run->first_err, "%s: %s",
				         status_name(st), db_error(c));
			db_rollback(c);
			db_release(run->d, c);
			if (st != STATUS_BUSY)
				break;
			atomic_fetch_add(&run->retries, 1);
		}
	}
	return NULL;
}

START_TEST(no_lost_updates)
{
	enum { THREADS = 8, ROUNDS = 25 };
	tdb t;
	tdb_open(&t, _i, 4); /* fewer connections than threads: acquire waits too */
	db_conn *c = db_acquire(t.d);
	exec_ok(c, "CREATE TABLE counter (id INTEGER PRIMARY KEY, n BIGINT NOT NULL)");
	exec_ok(c, "CREATE TABLE items (seq BIGINT PRIMARY KEY)");
	exec_ok(c, "INSERT INTO counter (id, n) VALUES (1, 0)");
	db_release(t.d, c);

	counter_run run = {.d = t.d, .rounds = ROUNDS};
	atomic_init(&run.errors, 0);
	atomic_init(&run.retries, 0);
	pthread_t th[THREADS];
	for (int i = 0; i < THREADS; i++)
		ck_assert_int_eq(pthread_create(&th[i], NULL, counter_thread, &run), 0);
	for (int i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	ck_assert_msg(atomic_load(&run.errors) == 0, "%d errors, first: %s",
	              atomic_load(&run.errors), run.first_err);

	c = db_acquire(t.d);
	ck_assert_int_eq(query_int(c, "SELECT n FROM counter WHERE id = 1"), THREADS * ROUNDS);
	ck_assert_int_eq(query_int(c, "SELECT COUNT(*) FROM items"), THREADS * ROUNDS);
	ck_assert_int_eq(query_int(c, "SELECT MAX(seq) FROM items"), THREADS * ROUNDS);
	db_release(t.d, c);
	tdb_close(&t);
}
END_TEST

/* The write lock held elsewhere: SQLite (another process's pool) waits out its busy timeout,
 * PostgreSQL gives up at lock_timeout; both answer STATUS_BUSY. */
START_TEST(lock_busy)
{
	tdb t;
	tdb_open(&t, _i, 2);
	db_conn *a = db_acquire(t.d);
	exec_ok(a, "CREATE TABLE k (id INTEGER PRIMARY KEY, n BIGINT NOT NULL)");
	exec_ok(a, "INSERT INTO k (id, n) VALUES (1, 0)");
	char sel[128];
	snprintf(sel, sizeof sel, "SELECT n FROM k WHERE id = 1%s", db_for_update(a));
	ck_assert_int_eq(db_begin_write(a), STATUS_OK);
	ck_assert_int_eq(query_int(a, sel), 0);

	db *other = t.d;
	char err[256];
	if (_i == TDB_SQLITE) /* a second pool is what another process would be */
		ck_assert_int_eq(db_open(t.url, 1, &other, err, sizeof err), STATUS_OK);
	db_conn *b = db_acquire(other);
	if (_i == TDB_PG)
		exec_ok(b, "SET lock_timeout = '200ms'");
	int64_t t0 = clock_mono_ns();
	status st = db_begin_write(b);
	if (st == STATUS_OK) {
		int64_t n;
		st = db_query_int(b, sel, DB_NOPARAMS, &n);
	}
	ck_assert_msg(st == STATUS_BUSY, "%s: %s", status_name(st), db_error(b));
	if (_i == TDB_SQLITE)
		ck_assert(clock_mono_ns() - t0 >= 4500000000LL);
	db_rollback(b);
	db_release(other, b);
	if (other != t.d)
		db_close(other);

	ck_assert_int_eq(db_exec(a, "UPDATE k SET n = 1 WHERE id = 1", DB_NOPARAMS, NULL),
	                 STATUS_OK);
	ck_assert_int_eq(db_commit(a), STATUS_OK);
	db_release(t.d, a);
	tdb_close(&t);
}
END_TEST

/* ---- PostgreSQL specifics ---- */

/* A connection the server dropped fails once with STATUS_IO, then is reset on the next
 * acquire. */
START_TEST(pg_reconnect)
{
	tdb t;
	tdb_open(&t, TDB_PG, 1);
	db_conn *c = db_acquire(t.d);
	exec_ok(c, "CREATE TABLE still_here (x INTEGER)");
	int64_t pid = query_int(c, "SELECT pg_backend_pid()");
	db_release(t.d, c);

	db *admin;
	char err[256];
	ck_assert_int_eq(db_open(pg_base(), 1, &admin, err, sizeof err), STATUS_OK);
	db_conn *ac = db_acquire(admin);
	int64_t killed = 0;
	ck_assert_int_eq(db_query_int(ac, "SELECT pg_terminate_backend(CAST($1 AS INTEGER), 5000)",
	                              DB_PARAMS(DB_I(pid)), &killed),
	                 STATUS_OK);
	ck_assert_int_eq(killed, 1);
	db_release(admin, ac);
	db_close(admin);

	c = db_acquire(t.d);
	int64_t v;
	ck_assert_int_eq(db_query_int(c, "SELECT 1", DB_NOPARAMS, &v), STATUS_IO);
	ck_assert_str_ne(db_error(c), "");
	db_release(t.d, c);
	c = db_acquire(t.d);
	ck_assert_int_ne(query_int(c, "SELECT pg_backend_pid()"), pid);
	ck_assert_int_eq(query_int(c, "SELECT COUNT(*) FROM still_here"), 0); /* same search_path */
	db_release(t.d, c);
	tdb_close(&t);
}
END_TEST

/* Statements run as named prepared statements, one per SQL text and parameter types; a
 * statement the server lost or invalidated is prepared again (inside a transaction, which
 * the failure aborted, the call answers STATUS_BUSY for the caller to retry). */
START_TEST(pg_prepared_statements)
{
	tdb t;
	tdb_open(&t, TDB_PG, 1);
	db_conn *c = db_acquire(t.d);
	exec_ok(c, "CREATE TABLE prep_t (x BIGINT)");
	exec_ok(c, "INSERT INTO prep_t VALUES (7)");
	const char *pick = "SELECT x FROM prep_t WHERE x = $1 OR $1 IS NULL";
	const char *count = "SELECT COUNT(*) FROM pg_prepared_statements WHERE statement = $1";
	int64_t v = 0, n = 0;
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(db_query_int(c, pick, DB_PARAMS(DB_I(7)), &v), STATUS_OK);
		ck_assert_int_eq(v, 7);
	}
	ck_assert_int_eq(db_query_int(c, count, DB_PARAMS(DB_S(pick)), &n), STATUS_OK);
	ck_assert_int_eq(n, 1); /* prepared once, run three times */
	ck_assert_int_eq(db_query_int(c, pick, DB_PARAMS(DB_NUL), &v), STATUS_OK);
	ck_assert_int_eq(db_query_int(c, count, DB_PARAMS(DB_S(pick)), &n), STATUS_OK);
	ck_assert_int_eq(n, 2); /* other parameter types: a statement of their own */

	/* The server forgets them (as a pooler's fresh server connection would). */
	ck_assert_int_eq(db_exec_nocache(c, "DEALLOCATE ALL"), STATUS_OK);
	ck_assert_int_eq(db_query_int(c, pick, DB_PARAMS(DB_I(7)), &v), STATUS_OK);
	ck_assert_int_eq(v, 7);
	ck_assert_int_eq(db_exec_nocache(c, "DEALLOCATE ALL"), STATUS_OK);
	ck_assert_int_eq(db_begin(c), STATUS_OK);
	ck_assert_int_eq(db_query_int(c, pick, DB_PARAMS(DB_I(7)), &v), STATUS_BUSY);
	db_rollback(c);
	ck_assert_int_eq(db_query_int(c, pick, DB_PARAMS(DB_I(7)), &v), STATUS_OK);
	ck_assert_int_eq(v, 7);

	/* A schema change alters a cached statement's result. */
	const char *all = "SELECT * FROM prep_t";
	db_rows *r;
	ck_assert_int_eq(db_query(c, all, DB_NOPARAMS, &r), STATUS_OK);
	db_rows_free(r);
	exec_ok(c, "ALTER TABLE prep_t ADD COLUMN y BIGINT NOT NULL DEFAULT 3");
	ck_assert_int_eq(db_query(c, all, DB_NOPARAMS, &r), STATUS_OK);
	ck_assert(db_next(r));
	ck_assert_int_eq(db_int(r, 1), 3);
	db_rows_free(r);
	/* Nothing stale is left behind on the server: only what was prepared since. */
	ck_assert_int_eq(db_query_int(c, "SELECT COUNT(*) FROM pg_prepared_statements WHERE "
				      "statement = $1",
				      DB_PARAMS(DB_S(pick)), &n),
			 STATUS_OK);
	ck_assert_int_eq(n, 0);
	db_release(t.d, c);
	tdb_close(&t);
}
END_TEST

/* The busy-span trigger writes to its own schema's table whatever search path the session
 * inserting a booking has. */
START_TEST(pg_busy_span_trigger_ignores_search_path)
{
	tdb t;
	tdb_open(&t, TDB_PG, 1);
	char err[256], sql[512];
	int applied = -1;
	ck_assert_msg(migrate_up(t.d, &applied, err, sizeof err) == STATUS_OK, "%s", err);
	db_conn *c = db_acquire(t.d);
	exec_ok(c, "INSERT INTO businesses (id, slug, name, timezone, currency, locale, created_at) "
	           "VALUES ('b1', 'salon', 'Salon', 'UTC', 'EUR', 'en', 0)");
	exec_ok(c, "INSERT INTO services (business_id, id, name, kind, duration_s, created_at) "
	           "VALUES ('b1', 's1', 'Cut', 'appointment', 3600, 0)");
	exec_ok(c, "SET search_path = public");
	snprintf(sql, sizeof sql,
	         "INSERT INTO %s.bookings (business_id, id, reference, service_id, start_at, "
	         "end_at, busy_start, busy_end, status, currency, created_at, updated_at) VALUES "
	         "('b1', 'k1', 'R1', 's1', 0, 5400, 0, 5400, 'confirmed', 'EUR', 0, 0)",
	         t.schema);
	exec_ok(c, sql);
	snprintf(sql, sizeof sql, "SELECT MAX(span_s) FROM %s.busy_spans", t.schema);
	ck_assert_int_eq(query_int(c, sql), 5400);
	db_release(t.d, c);
	tdb_close(&t);
}
END_TEST

Suite *db_suite(void)
{
	Suite *s = suite_create("db");
	TCase *tc = tcase_create("db");
	tcase_set_timeout(tc, 60);
	int n = driver_count();
	tcase_add_loop_test(tc, open_and_close, 0, n);
	tcase_add_test(tc, bad_urls);
	tcase_add_test(tc, redact);
	tcase_add_loop_test(tc, bind_params, 0, n);
	tcase_add_loop_test(tc, rows_iterate, 0, n);
	tcase_add_loop_test(tc, conflicts, 0, n);
	tcase_add_loop_test(tc, transactions, 0, n);
	tcase_add_loop_test(tc, migrate_once, 0, n);
	tcase_add_loop_test(tc, migrate_concurrent, 0, n);
	tcase_add_test(tc, sqlite_pragmas);
	tcase_add_test(tc, sqlite_open_race);
	tcase_add_test(tc, sqlite_memory_save_restore);
	tcase_add_loop_test(tc, no_lost_updates, 0, n);
	tcase_add_loop_test(tc, lock_busy, 0, n);
	if (pg_base()) {
		tcase_add_test(tc, pg_reconnect);
		tcase_add_test(tc, pg_prepared_statements);
		tcase_add_test(tc, pg_busy_span_trigger_ignores_search_path);
	}
	suite_add_tcase(s, tc);
	return s;
}
