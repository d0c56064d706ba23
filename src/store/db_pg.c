/* db_pg.c - the PostgreSQL driver over libpq: one PGconn per pooled connection, text-format
 * parameters, and a per-connection cache of named prepared statements.
 *
 * A statement seen for the first time on a connection is prepared under a name (PQprepare,
 * one extra round trip) and run with PQexecPrepared from then on: parsing and planning
 * were half of PostgreSQL's time per booking when every statement was sent with
 * PQexecParams. The cache is keyed by the SQL text and the parameters' types, holds at most
 * PG_CACHE_MAX statements (later ones run unnamed), and is forgotten when the connection is
 * reset. If the server no longer knows a name (a pooler reset the server session, or
 * someone ran DEALLOCATE) or a schema change altered a cached statement's result, the
 * cache is dropped and the statement prepared again: outside a transaction the call then
 * succeeds; inside one (which the failure has aborted) it answers STATUS_BUSY, which
 * writers retry. A pooler in
 * transaction mode must keep prepared statements itself (PgBouncer's
 * max_prepared_statements): without that, a name prepared on one server connection is
 * looked for on another, and no retry cures it (README). */
#include <errno.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "base/xalloc.h"
#include "store/db_driver.h"

/* Type OIDs sent with parameters: int8 lets PostgreSQL compare and assign them to INTEGER
 * and BIGINT columns alike; text for strings; NULLs are left for the server to infer. */
#define PG_INT8OID 20
#define PG_TEXTOID 25
/* Parameters up to this count are formatted on the stack. */
#define PG_STACK_PARAMS 16
/* Room for a formatted int64 and its NUL. */
#define PG_INT_LEN 24
/* Prepared statements kept per connection; buckets of their hash table. */
#define PG_CACHE_MAX 512
#define PG_BUCKETS 256

/* One named prepared statement on a connection. */
typedef struct pg_stmt {
	uint64_t hash;        /* of sql and types */
	char *sql;            /* owned */
	char *types;          /* owned: one letter per parameter, 'i' int8, 't' text, 'n' NULL */
	char name[24];        /* "bookd_N" */
	struct pg_stmt *next; /* the bucket's chain */
} pg_stmt;

/* The driver's state of one connection. */
typedef struct pg_conn {
	PGconn *pc;   /* the libpq connection (may be in CONNECTION_BAD state) */
	char *secret; /* owned: the URL's password, scrubbed from every message; NULL if none */
	pg_stmt *buckets[PG_BUCKETS]; /* statements prepared on pc */
	int count;                    /* entries in buckets */
	bool deallocate;              /* drop the server's statements at the next idle point */
	unsigned long serial;         /* names given so far */
} pg_conn;

/* The rows of one query: the whole result, read forward. */
typedef struct pg_rows {
	db_rows base;  /* must be first */
	PGresult *res; /* owned */
	int nrows;     /* PQntuples(res) */
	int i;         /* the current row, -1 before the first */
} pg_rows;

/* Replaces every occurrence of needle (n bytes) in s (room for cap bytes) by "***". */
static void scrub(char *s, size_t cap, const char *needle, size_t n)
{
	if (n == 0)
		return;
	for (char *p = s; (p = memmem(p, strlen(p), needle, n)) != NULL; p += 3) {
		size_t tail = strlen(p + n) + 1;
		if ((size_t)(p - s) + 3 + tail > cap) {
			*p = '\0'; /* no room to keep the rest: cut it, never show the secret */
			return;
		}
		memmove(p + 3, p + n, tail);
		memcpy(p, "***", 3);
	}
}

/* The password as written in a postgres:// URL (between "user:" and the last '@'). */
static void raw_password(const char *url, const char **pw, size_t *n)
{
	*pw = NULL;
	*n = 0;
	const char *auth = strstr(url, "://");
	if (!auth)
		return;
	auth += 3;
	const char *end = auth + strcspn(auth, "/?#");
	const char *at = NULL;
	for (const char *q = auth; q < end; q++)
		if (*q == '@')
			at = q;
	const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
	if (colon) {
		*pw = colon + 1;
		*n = (size_t)(at - colon - 1);
	}
}

/* Sets c's message from msg with the URL and its password taken out. */
static void pg_seterr(db_conn *c, const char *prefix, const char *msg)
{
	pg_conn *pg = c->h;
	const char *url = c->owner->target;
	db_conn_seterr(c, "%s%s", prefix, msg ? msg : "unknown error");
	/* libpq quotes the whole URL in some parse errors: show the redacted one instead. */
	char *p = strstr(c->err, url);
	if (p) {
		char tail[DB_ERR_MAX];
		snprintf(tail, sizeof tail, "%s", p + strlen(url));
		*p = '\0';
		size_t used = strlen(c->err);
		snprintf(p, sizeof c->err - used, "%s%s", c->owner->shown, tail);
	}
	const char *pw;
	size_t n;
	raw_password(url, &pw, &n);
	scrub(c->err, sizeof c->err, pw, n);
	if (pg && pg->secret)
		scrub(c->err, sizeof c->err, pg->secret, strlen(pg->secret));
}

static void on_notice(void *arg, const char *msg)
{
	(void)arg;
	size_t n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		n--;
	log_warn("db: postgres says: %.*s", (int)n, msg);
}

/* FNV-1a of the SQL text and the parameter types: the cache's key. */
static uint64_t pg_hash(const char *sql, const char *types)
{
	uint64_t h = 1469598103934665603ULL;
	for (const char *p = sql; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	h = (h ^ 0xff) * 1099511628211ULL; /* "ab"+"c" and "a"+"bc" differ */
	for (const char *p = types; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	return h;
}

/* Forgets every prepared statement: the server side is gone (reset) or is being dropped. */
static void pg_cache_clear(pg_conn *pg)
{
	for (int b = 0; b < PG_BUCKETS; b++) {
		for (pg_stmt *s = pg->buckets[b], *next; s; s = next) {
			next = s->next;
			free(s->sql);
			free(s->types);
			free(s);
		}
		pg->buckets[b] = NULL;
	}
	pg->count = 0;
}

static pg_stmt *pg_cache_find(pg_conn *pg, uint64_t hash, const char *sql, const char *types)
{
	for (pg_stmt *s = pg->buckets[hash % PG_BUCKETS]; s; s = s->next)
		if (s->hash == hash && strcmp(s->sql, sql) == 0 && strcmp(s->types, types) == 0)
			return s;
	return NULL;
}

#define PG_STR_(x) #x
#define PG_STR(x) PG_STR_(x) /* a macro's value as a string literal */

/* Session settings, after every (re)connect: no NOTICE chatter; and a lock wait that ends
 * in STATUS_BUSY like SQLite's busy timeout, rather than an HTTP thread stuck behind a lock
 * forever (kept as it is when the URL's options set one). */
static status pg_setup(db_conn *c)
{
	pg_conn *pg = c->h;
	PQsetNoticeProcessor(pg->pc, on_notice, NULL);
	/* A fixed statement: DB_LOCK_WAIT_MS is a literal, pasted by the preprocessor. */
	static const char lock_sql[] = "SELECT set_config('lock_timeout', '" PG_STR(DB_LOCK_WAIT_MS)
				       "ms', false) WHERE current_setting('lock_timeout') = '0'";
	const char *setup[] = {"SET client_min_messages = warning", lock_sql};
	for (size_t i = 0; i < sizeof setup / sizeof *setup; i++) {
		PGresult *res = PQexec(pg->pc, setup[i]);
		ExecStatusType rs = PQresultStatus(res);
		PQclear(res);
		if (rs != PGRES_COMMAND_OK && rs != PGRES_TUPLES_OK) {
			pg_seterr(c, "session setup failed: ", PQerrorMessage(pg->pc));
			return STATUS_IO;
		}
	}
	return STATUS_OK;
}

/* Opens c's PGconn. listener: the LISTEN connection, named apart in pg_stat_activity and
 * with TCP keepalives, since it only reads and would not notice a silently dead peer. */
static status pg_open(db_conn *c, bool listener)
{
	pg_conn *pg = xcalloc(1, sizeof *pg);
	c->h = pg;
	const char *url = c->owner->target;

	char *perr = NULL;
	PQconninfoOption *opts = PQconninfoParse(url, &perr);
	if (!opts) {
		pg_seterr(c, "invalid PostgreSQL URL: ", perr ? perr : "out of memory");
		PQfreemem(perr);
		return STATUS_INVALID;
	}
	for (PQconninfoOption *o = opts; o->keyword; o++)
		if (strcmp(o->keyword, "password") == 0 && o->val && *o->val)
			pg->secret = xstrdup(o->val);
	PQconninfoFree(opts);

	/* Defaults first, so that the URL's own settings win (later keywords override). */
	const char *const keys[] = {"connect_timeout", "fallback_application_name", "dbname", NULL};
	const char *const vals[] = {"10", "bookd", url, NULL};
	const char *const lkeys[] = {
	    "connect_timeout",     "fallback_application_name", "keepalives", "keepalives_idle",
	    "keepalives_interval", "keepalives_count",          "dbname",     NULL};
	const char *const lvals[] = {"10", "bookd-listen", "1", "30", "10", "3", url, NULL};
	pg->pc = listener ? PQconnectdbParams(lkeys, lvals, 1) : PQconnectdbParams(keys, vals, 1);
	if (!pg->pc) {
		pg_seterr(c, "", "out of memory");
		return STATUS_IO;
	}
	if (PQstatus(pg->pc) != CONNECTION_OK) {
		pg_seterr(c, "", PQerrorMessage(pg->pc));
		return STATUS_IO;
	}
	return pg_setup(c);
}

static status pg_connect(db_conn *c)
{
	return pg_open(c, false);
}

static void pg_revive(db_conn *c)
{
	pg_conn *pg = c->h;
	if (!pg->pc || PQstatus(pg->pc) == CONNECTION_OK)
		return;
	log_warn("db: reconnecting to %s", c->owner->shown);
	pg_cache_clear(pg); /* a new session has none of them */
	pg->deallocate = false;
	PQreset(pg->pc);
	if (PQstatus(pg->pc) != CONNECTION_OK) {
		pg_seterr(c, "", PQerrorMessage(pg->pc));
		log_warn("db: reconnect to %s failed: %s", c->owner->shown, c->err);
		return;
	}
	if (pg_setup(c) != STATUS_OK)
		log_warn("db: %s", c->err);
}

static void pg_disconnect(db_conn *c)
{
	pg_conn *pg = c->h;
	if (!pg)
		return;
	PQfinish(pg->pc);
	pg_cache_clear(pg);
	free(pg->secret);
	free(pg);
	c->h = NULL;
}

/* Maps a failed result (NULL when libpq could not even send) onto a status. */
static status pg_fail(db_conn *c, const PGresult *res)
{
	pg_conn *pg = c->h;
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	/* The primary message only: DETAIL lines can quote the values of a row. */
	const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	if (!msg)
		msg = PQerrorMessage(pg->pc);
	if (state) {
		char with_state[DB_ERR_MAX];
		snprintf(with_state, sizeof with_state, "%s (SQLSTATE %s)", msg, state);
		pg_seterr(c, "", with_state);
	} else {
		pg_seterr(c, "", msg);
	}
	if (PQstatus(pg->pc) != CONNECTION_OK)
		return STATUS_IO; /* revived at the next db_acquire */
	if (state && strncmp(state, "23", 2) == 0)
		return STATUS_CONFLICT;
	if (state && (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
	              strcmp(state, "55P03") == 0))
		return STATUS_BUSY;
	return STATUS_IO;
}

/* The prepared statement for sql with these parameter types, prepared now if new; NULL
 * when the cache is full or sql is not to be cached (the statement then runs unnamed). */
static status pg_prepared(db_conn *c, const char *sql, const char *sig, const Oid *types,
                          int nparams, pg_stmt **out)
{
	pg_conn *pg = c->h;
	uint64_t hash = pg_hash(sql, sig);
	*out = pg_cache_find(pg, hash, sql, sig);
	if (*out || pg->count >= PG_CACHE_MAX)
		return STATUS_OK;
	pg_stmt *st = xcalloc(1, sizeof *st);
	snprintf(st->name, sizeof st->name, "bookd_%lu", ++pg->serial);
	PGresult *res = PQprepare(pg->pc, st->name, sql, nparams, types);
	if (!res || PQresultStatus(res) != PGRES_COMMAND_OK) {
		status fail = pg_fail(c, res);
		PQclear(res);
		free(st);
		return fail;
	}
	PQclear(res);
	st->hash = hash;
	st->sql = xstrdup(sql);
	st->types = xstrdup(sig);
	st->next = pg->buckets[hash % PG_BUCKETS];
	pg->buckets[hash % PG_BUCKETS] = st;
	pg->count++;
	*out = st;
	return STATUS_OK;
}

/* True when a failure says the server lost or invalidated a prepared statement. */
static bool pg_stale(const PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	/* "cached plan must not change result type" is 0A000 from this server function,
	 * whatever language the server's messages are in. */
	const char *fn = res ? PQresultErrorField(res, PG_DIAG_SOURCE_FUNCTION) : NULL;
	return state && (strcmp(state, "26000") == 0 ||
	                 (strcmp(state, "0A000") == 0 && fn &&
	                  strcmp(fn, "RevalidateCachedQuery") == 0));
}

static status pg_run_once(db_conn *c, const char *sql, const db_val *params, int nparams,
                          bool cache, PGresult **res_out, bool *stale);

/* Sends one statement; on STATUS_OK *res_out holds its result (PQclear it). cache: run it
 * as a named prepared statement of this connection. A prepared statement found stale is
 * prepared again and run once more when no transaction was open; inside one, the
 * transaction has failed already, so the call answers STATUS_BUSY (writers retry). */
static status pg_run(db_conn *c, const char *sql, const db_val *params, int nparams, bool cache,
                     PGresult **res_out)
{
	pg_conn *pg = c->h;
	*res_out = NULL;
	if (!pg->pc) {
		db_conn_seterr(c, "no connection to %s", c->owner->shown);
		return STATUS_IO;
	}
	bool stale = false;
	status st = pg_run_once(c, sql, params, nparams, cache, res_out, &stale);
	if (!stale)
		return st;
	if (PQstatus(pg->pc) != CONNECTION_OK)
		return st; /* the connection is gone: STATUS_IO, revived at the next acquire */
	log_warn("db: prepared statements on %s were lost: %s", c->owner->shown, c->err);
	pg_cache_clear(pg);
	pg->deallocate = true; /* the server may still hold some of the names */
	if (PQtransactionStatus(pg->pc) != PQTRANS_IDLE)
		return STATUS_BUSY;
	st = pg_run_once(c, sql, params, nparams, cache, res_out, &stale);
	if (st == STATUS_OK)
		c->err[0] = '\0';
	return st;
}

/* One try of pg_run; *stale tells a prepared statement the server lost or invalidated. */
static status pg_run_once(db_conn *c, const char *sql, const db_val *params, int nparams,
                          bool cache, PGresult **res_out, bool *stale)
{
	pg_conn *pg = c->h;
	*res_out = NULL;
	*stale = false;
	if (pg->deallocate && PQtransactionStatus(pg->pc) == PQTRANS_IDLE) {
		PQclear(PQexec(pg->pc, "DEALLOCATE ALL"));
		pg->deallocate = false;
	}
	Oid types_s[PG_STACK_PARAMS] = {0};
	const char *vals_s[PG_STACK_PARAMS] = {0};
	char ints_s[PG_STACK_PARAMS][PG_INT_LEN];
	char sig_s[PG_STACK_PARAMS + 1];
	Oid *types = types_s;
	const char **vals = vals_s;
	char(*ints)[PG_INT_LEN] = ints_s;
	char *sig = sig_s;
	if (nparams > PG_STACK_PARAMS) {
		types = xcalloc((size_t)nparams, sizeof *types);
		vals = xcalloc((size_t)nparams, sizeof *vals);
		ints = xcalloc((size_t)nparams, sizeof *ints);
		sig = xcalloc((size_t)nparams + 1, 1);
	}
	for (int i = 0; i < nparams; i++) {
		const db_val *v = &params[i];
		if (v->type == DB_INT) {
			snprintf(ints[i], PG_INT_LEN, "%lld", (long long)v->i);
			types[i] = PG_INT8OID;
			vals[i] = ints[i];
			sig[i] = 'i';
		} else if (v->type == DB_TEXT && v->s) {
			types[i] = PG_TEXTOID;
			vals[i] = v->s;
			sig[i] = 't';
		} else {
			types[i] = 0;
			vals[i] = NULL;
			sig[i] = 'n';
		}
	}
	sig[nparams] = '\0';
	pg_stmt *named = NULL;
	status st = cache ? pg_prepared(c, sql, sig, types, nparams, &named) : STATUS_OK;
	PGresult *res = NULL;
	if (st == STATUS_OK)
		res = named ? PQexecPrepared(pg->pc, named->name, nparams, vals, NULL, NULL, 0)
		            : PQexecParams(pg->pc, sql, nparams, types, vals, NULL, NULL, 0);
	if (nparams > PG_STACK_PARAMS) {
		free(types);
		free(vals);
		free(ints);
		free(sig);
	}
	if (st != STATUS_OK)
		return st;
	ExecStatusType rs = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	if (rs == PGRES_COMMAND_OK || rs == PGRES_TUPLES_OK || rs == PGRES_EMPTY_QUERY) {
		*res_out = res;
		return STATUS_OK;
	}
	if (rs == PGRES_FATAL_ERROR || rs == PGRES_NONFATAL_ERROR || rs == PGRES_BAD_RESPONSE) {
		st = pg_fail(c, res);
		*stale = named && pg_stale(res);
	} else {
		db_conn_seterr(c, "unexpected result %s", PQresStatus(rs));
		st = STATUS_INTERNAL;
	}
	PQclear(res);
	return st;
}

static status pg_exec(db_conn *c, const char *sql, const db_val *params, int nparams, bool cache,
                      int64_t *changes)
{
	PGresult *res;
	status st = pg_run(c, sql, params, nparams, cache, &res);
	if (st != STATUS_OK)
		return st;
	/* PQcmdTuples also counts the rows a SELECT returned: those changed nothing. */
	if (changes && strncmp(PQcmdStatus(res), "SELECT", 6) != 0) {
		const char *n = PQcmdTuples(res);
		*changes = *n ? strtoll(n, NULL, 10) : 0;
	}
	PQclear(res);
	return STATUS_OK;
}

static status pg_query(db_conn *c, const char *sql, const db_val *params, int nparams,
                       db_rows **out)
{
	PGresult *res;
	status st = pg_run(c, sql, params, nparams, true, &res);
	if (st != STATUS_OK)
		return st;
	pg_rows *r = xcalloc(1, sizeof *r);
	r->base.conn = c;
	r->base.st = STATUS_OK;
	r->res = res;
	r->nrows = PQntuples(res);
	r->i = -1;
	*out = &r->base;
	return STATUS_OK;
}

static bool pg_next(db_rows *base)
{
	pg_rows *r = (pg_rows *)base;
	if (r->i < r->nrows)
		r->i++;
	return r->i < r->nrows;
}

static bool col_ok(const pg_rows *r, int col)
{
	return r->i >= 0 && r->i < r->nrows && col >= 0 && col < PQnfields(r->res) &&
	       !PQgetisnull(r->res, r->i, col);
}

static int64_t pg_col_int(const db_rows *base, int col)
{
	const pg_rows *r = (const pg_rows *)base;
	if (!col_ok(r, col))
		return 0;
	const char *v = PQgetvalue(r->res, r->i, col);
	/* A boolean expression (EXISTS, a = b) reads as 1/0 as on SQLite. */
	if (strcmp(v, "t") == 0)
		return 1;
	if (strcmp(v, "f") == 0)
		return 0;
	return strtoll(v, NULL, 10);
}

static const char *pg_col_text(const db_rows *base, int col)
{
	const pg_rows *r = (const pg_rows *)base;
	return col_ok(r, col) ? PQgetvalue(r->res, r->i, col) : NULL;
}

static bool pg_col_null(const db_rows *base, int col)
{
	return !col_ok((const pg_rows *)base, col);
}

static void pg_rows_free(db_rows *base)
{
	pg_rows *r = (pg_rows *)base;
	PQclear(r->res);
	free(r);
}

/* ---- transactions ---- */

static status pg_begin(db_conn *c, bool write)
{
	/* READ COMMITTED either way: a writer locks the rows it decides on with
	 * SELECT ... FOR UPDATE (db_for_update), which waits for the other writers. */
	(void)write;
	return pg_exec(c, "BEGIN", NULL, 0, false, NULL);
}

static status pg_commit(db_conn *c)
{
	PGresult *res;
	status st = pg_run(c, "COMMIT", NULL, 0, false, &res);
	if (st != STATUS_OK)
		return st;
	/* COMMIT of a transaction that an error aborted "succeeds" as a ROLLBACK. */
	if (strcmp(PQcmdStatus(res), "ROLLBACK") == 0) {
		db_conn_seterr(c, "transaction rolled back: an earlier statement in it failed");
		st = STATUS_IO;
	}
	PQclear(res);
	return st;
}

static void pg_rollback(db_conn *c)
{
	pg_conn *pg = c->h;
	if (!pg->pc)
		return;
	PGTransactionStatusType ts = PQtransactionStatus(pg->pc);
	if (ts != PQTRANS_INTRANS && ts != PQTRANS_INERROR)
		return;
	PGresult *res = PQexec(pg->pc, "ROLLBACK");
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		log_warn("db: rollback failed on %s", c->owner->shown);
	PQclear(res);
}

static bool pg_in_tx(const db_conn *c)
{
	const pg_conn *pg = c->h;
	if (!pg->pc)
		return false;
	PGTransactionStatusType ts = PQtransactionStatus(pg->pc);
	return ts == PQTRANS_INTRANS || ts == PQTRANS_INERROR || ts == PQTRANS_ACTIVE;
}

/* ---- LISTEN: one dedicated connection and its thread ---- */

/* Waits between reconnect attempts of the listener: doubles from MIN up to MAX. */
#define PG_LISTEN_BACKOFF_MIN_MS 100
#define PG_LISTEN_BACKOFF_MAX_MS 5000
/* The longest one poll sleeps; db_listen_stop wakes it at once through the pipe anyway. */
#define PG_LISTEN_POLL_MS 1000

/* A running listener: d->listener. Fields are the thread's after start, but stop and wake. */
typedef struct pg_listener {
	db_conn conn;     /* its own connection, never in the pool; conn.h NULL while down */
	char *channel;    /* owned: the channel LISTENed on */
	db_listen_fn fn;  /* called per notification, on the thread */
	void *ctx;        /* fn's first argument (borrowed) */
	int wake[2];      /* a pipe: db_listen_stop writes to wake[1] to end any wait at once */
	atomic_bool stop; /* set by db_listen_stop: the thread returns */
	pthread_t thread; /* "db-listen" */
} pg_listener;

static void pg_listen_close(pg_listener *l)
{
	pg_disconnect(&l->conn); /* NULL h is allowed */
}

/* The LISTEN statement of a channel (db.h's DB_CHANNEL_ names), or NULL for another. */
static const char *pg_listen_sql(const char *channel)
{
	static const char *const statements[][2] = {
		{DB_CHANNEL_LIVE, "LISTEN " DB_CHANNEL_LIVE},
	};
	for (size_t i = 0; i < sizeof statements / sizeof *statements; i++)
		if (strcmp(channel, statements[i][0]) == 0)
			return statements[i][1];
	return NULL;
}

/* (Re)opens the connection and LISTENs. On failure the connection is closed and conn.err
 * says why. */
static status pg_listen_connect(pg_listener *l)
{
	pg_listen_close(l);
	status st = pg_open(&l->conn, true);
	if (st != STATUS_OK) {
		pg_listen_close(l);
		return st;
	}
	/* The channel is an identifier, which no parameter can stand for: each channel's
	 * statement is a fixed string (db_listen_start refused any other channel). */
	st = pg_exec(&l->conn, pg_listen_sql(l->channel), NULL, 0, false, NULL);
	if (st != STATUS_OK)
		pg_listen_close(l);
	return st;
}

/* Sleeps up to ms, or until db_listen_stop. */
static void pg_listen_sleep(pg_listener *l, int ms)
{
	struct pollfd p = {.fd = l->wake[0], .events = POLLIN};
	if (!atomic_load(&l->stop))
		(void)poll(&p, 1, ms);
}

/* Reads what arrived and hands every notification to fn; false when the link is gone. */
static bool pg_listen_drain(pg_listener *l, bool readable)
{
	pg_conn *pg = l->conn.h;
	if (readable && !PQconsumeInput(pg->pc))
		return false;
	PGnotify *n;
	while ((n = PQnotifies(pg->pc)) != NULL) {
		if (!atomic_load(&l->stop))
			l->fn(l->ctx, n->extra);
		PQfreemem(n);
	}
	return PQstatus(pg->pc) == CONNECTION_OK;
}

static void *pg_listen_main(void *arg)
{
	pg_listener *l = arg;
	const char *shown = l->conn.owner->shown;
	int backoff = PG_LISTEN_BACKOFF_MIN_MS;
	while (!atomic_load(&l->stop)) {
		if (!l->conn.h) {
			/* Down: retry with back-off, quietly (the loss was logged once). */
			pg_listen_sleep(l, backoff);
			if (atomic_load(&l->stop))
				break;
			if (pg_listen_connect(l) != STATUS_OK) {
				backoff = backoff * 2 > PG_LISTEN_BACKOFF_MAX_MS
				              ? PG_LISTEN_BACKOFF_MAX_MS
				              : backoff * 2;
				continue;
			}
			backoff = PG_LISTEN_BACKOFF_MIN_MS;
			log_info("db: listener on %s is back; notifications sent while it was down "
			         "are lost",
			         shown);
			l->fn(l->ctx, NULL);
			continue;
		}
		pg_conn *pg = l->conn.h;
		struct pollfd fds[2] = {{.fd = PQsocket(pg->pc), .events = POLLIN},
		                        {.fd = l->wake[0], .events = POLLIN}};
		int r = poll(fds, 2, PG_LISTEN_POLL_MS);
		if (r < 0 && errno == EINTR)
			continue;
		if (atomic_load(&l->stop))
			break;
		bool readable = r > 0 && fds[0].revents != 0;
		if (r >= 0 && pg_listen_drain(l, readable))
			continue;
		pg_seterr(&l->conn, "", r < 0 ? "poll failed" : PQerrorMessage(pg->pc));
		log_warn("db: listener lost its connection to %s (%s); reconnecting", shown,
		         l->conn.err);
		pg_listen_close(l);
	}
	return NULL;
}

static void pg_listen_free(pg_listener *l)
{
	pg_listen_close(l);
	for (int i = 0; i < 2; i++)
		if (l->wake[i] >= 0)
			close(l->wake[i]);
	free(l->channel);
	free(l);
}

static status pg_listen_start(db *d, const char *channel, db_listen_fn fn, void *ctx, char *err,
                              size_t errlen)
{
	if (!pg_listen_sql(channel)) {
		snprintf(err, errlen, "no channel '%s' to listen on", channel);
		return STATUS_INVALID;
	}
	pg_listener *l = xcalloc(1, sizeof *l);
	l->conn.owner = d;
	l->channel = xstrdup(channel);
	l->fn = fn;
	l->ctx = ctx;
	l->wake[0] = l->wake[1] = -1;
	atomic_init(&l->stop, false);
	/* The first LISTEN before returning: a caller that then serves sees every notification
	 * sent from now on. */
	status st = pg_listen_connect(l);
	if (st != STATUS_OK) {
		if (err && errlen)
			snprintf(err, errlen, "cannot LISTEN on %s: %s", d->shown, l->conn.err);
		pg_listen_free(l);
		return STATUS_IO;
	}
	if (pipe2(l->wake, O_CLOEXEC | O_NONBLOCK) != 0)
		l->wake[0] = l->wake[1] = -1;
	if (l->wake[0] < 0 || pthread_create(&l->thread, NULL, pg_listen_main, l) != 0) {
		if (err && errlen)
			snprintf(err, errlen, "cannot start the listener thread");
		pg_listen_free(l);
		return STATUS_IO;
	}
	pthread_setname_np(l->thread, "db-listen");
	d->listener = l;
	return STATUS_OK;
}

static void pg_listen_stop(db *d)
{
	pg_listener *l = d->listener;
	atomic_store(&l->stop, true);
	/* If the byte cannot be written the thread still sees stop within PG_LISTEN_POLL_MS. */
	if (write(l->wake[1], "x", 1) != 1)
		log_debug("db: could not wake the listener; it stops within %d ms",
		          PG_LISTEN_POLL_MS);
	pthread_join(l->thread, NULL);
	d->listener = NULL;
	pg_listen_free(l);
}

const db_driver DB_DRIVER_PG = {
    .name = "postgres",
    .connect = pg_connect,
    .revive = pg_revive,
    .disconnect = pg_disconnect,
    .exec = pg_exec,
    .query = pg_query,
    .next = pg_next,
    .col_int = pg_col_int,
    .col_text = pg_col_text,
    .col_null = pg_col_null,
    .rows_free = pg_rows_free,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .in_tx = pg_in_tx,
    .listen_start = pg_listen_start,
    .listen_stop = pg_listen_stop,
};
