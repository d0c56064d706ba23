/* db.c - the database front: URL parsing, the connection pool, dispatch to the SQLite and
 * PostgreSQL drivers, and the time spent in the database. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "store/db.h"
#include "store/db_driver.h"

/* ---- messages ---- */

void db_conn_seterr(db_conn *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->err, sizeof c->err, fmt, ap);
	va_end(ap);
	/* Driver messages (libpq's above all) span lines; db_error promises one. */
	for (char *p = c->err; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	size_t n = strlen(c->err);
	while (n > 0 && c->err[n - 1] == ' ')
		c->err[--n] = '\0';
}

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

/* Appends s[0..n) to out at *pos, never past outlen - 1. */
static void put(char *out, size_t outlen, size_t *pos, const char *s, size_t n)
{
	while (n-- > 0 && *pos + 1 < outlen)
		out[(*pos)++] = *s++;
	out[*pos] = '\0';
}

void db_url_redact(const char *url, char *out, size_t outlen)
{
	if (!out || outlen == 0)
		return;
	size_t pos = 0;
	out[0] = '\0';
	if (!url)
		return;
	const char *p = url;
	const char *scheme_end = strstr(url, "://");
	if (scheme_end) {
		const char *auth = scheme_end + 3;
		const char *auth_end = auth + strcspn(auth, "/?#");
		const char *at = NULL;
		for (const char *q = auth; q < auth_end; q++)
			if (*q == '@')
				at = q; /* the last '@': an unescaped one may sit in a password */
		put(out, outlen, &pos, url, (size_t)(auth - url));
		if (at) {
			const char *colon = memchr(auth, ':', (size_t)(at - auth));
			if (colon) {
				put(out, outlen, &pos, auth, (size_t)(colon - auth));
				put(out, outlen, &pos, ":***", 4);
			} else {
				put(out, outlen, &pos, auth, (size_t)(at - auth));
			}
			p = at;
		} else {
			p = auth;
		}
	}
	/* The rest, with the value of any password= parameter replaced. */
	while (*p) {
		bool param_start = p > url && (p[-1] == '?' || p[-1] == '&');
		if (param_start && strncmp(p, "password=", 9) == 0) {
			put(out, outlen, &pos, "password=***", 12);
			p += 9 + strcspn(p + 9, "&#");
			continue;
		}
		put(out, outlen, &pos, p, 1);
		p++;
	}
}

/* ---- opening and the pool ---- */

static db_conn *conn_new(db *d)
{
	db_conn *c = xcalloc(1, sizeof *c);
	c->owner = d;
	if (d->drv->connect(c) != STATUS_OK)
		log_warn("db: cannot connect to %s: %s", d->shown, c->err);
	return c;
}

static void conn_free(db_conn *c)
{
	c->owner->drv->disconnect(c);
	free(c);
}

static void db_free(db *d)
{
	pthread_mutex_destroy(&d->mu);
	pthread_cond_destroy(&d->freed);
	pthread_cond_destroy(&d->gate_cv);
	free(d->idle);
	free(d->target);
	free(d->shown);
	free(d);
}

status db_open(const char *url, int pool_size, db **out, char *err, size_t errlen)
{
	*out = NULL;
	set_err(err, errlen, "%s", "");
	if (!url || !*url) {
		set_err(err, errlen, "empty database URL");
		return STATUS_INVALID;
	}
	db_kind kind;
	const char *target;
	if (strncmp(url, "sqlite://", 9) == 0) {
		kind = DB_SQLITE;
		target = url + 9;
	} else if (strncmp(url, "sqlite:", 7) == 0) {
		kind = DB_SQLITE;
		target = url + 7;
	} else if (strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0) {
		kind = DB_POSTGRES;
		target = url; /* libpq reads the URI itself */
	} else {
		char shown[256];
		db_url_redact(url, shown, sizeof shown);
		set_err(
		    err, errlen,
		    "unknown database URL scheme in \"%s\" (want sqlite:PATH or postgres://...)",
		    shown);
		return STATUS_INVALID;
	}
	if (kind == DB_SQLITE && !*target) {
		set_err(err, errlen, "database URL \"%s\" has no file path", url);
		return STATUS_INVALID;
	}
	if (kind == DB_SQLITE && strcmp(target, ":memory:") == 0 && pool_size != 1) {
		/* Each connection would see its own empty database. */
		set_err(err, errlen, "sqlite::memory: needs a pool of exactly 1 connection");
		return STATUS_INVALID;
	}
	if (pool_size < 1) {
		set_err(err, errlen, "database pool size must be at least 1 (got %d)", pool_size);
		return STATUS_INVALID;
	}

	db *d = xcalloc(1, sizeof *d);
	d->kind = kind;
	d->drv = kind == DB_SQLITE ? &DB_DRIVER_SQLITE : &DB_DRIVER_PG;
	d->target = xstrdup(target);
	size_t shown_len = strlen(url) + 1;
	d->shown = xmalloc(shown_len);
	db_url_redact(url, d->shown, shown_len);
	d->max = pool_size;
	atomic_init(&d->busy_ns, 0);
	d->idle = xcalloc((size_t)pool_size, sizeof *d->idle);
	pthread_mutex_init(&d->mu, NULL);
	pthread_cond_init(&d->freed, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&d->gate_cv, &ca);
	pthread_condattr_destroy(&ca);

	/* The first connection is opened now so a wrong URL or an unreachable server is reported
	 * at start; the others open when first needed. */
	db_conn *c = xcalloc(1, sizeof *c);
	c->owner = d;
	status st = d->drv->connect(c);
	if (st != STATUS_OK) {
		set_err(err, errlen, "cannot open database %s: %s", d->shown, c->err);
		conn_free(c);
		db_free(d);
		return st == STATUS_INVALID ? STATUS_INVALID : STATUS_IO;
	}
	d->opened = 1;
	d->idle[d->nidle++] = c;
	*out = d;
	return STATUS_OK;
}

void db_close(db *d)
{
	if (!d)
		return;
	db_listen_stop(d);
	pthread_mutex_lock(&d->mu);
	if (d->nidle != d->opened)
		log_error("db: closing with %d connection(s) still in use", d->opened - d->nidle);
	for (int i = 0; i < d->nidle; i++)
		conn_free(d->idle[i]);
	d->nidle = 0;
	pthread_mutex_unlock(&d->mu);
	db_free(d);
}

db_kind db_kind_of(const db *d)
{
	return d->kind;
}

status db_memory_save(db_conn *c, void **out, size_t *len)
{
	if (c->owner->kind != DB_SQLITE || c->owner->drv->in_tx(c))
		return STATUS_INVALID;
	return db_sqlite_save(c, out, len);
}

status db_memory_restore(db_conn *c, const void *data, size_t len)
{
	if (c->owner->kind != DB_SQLITE || c->owner->drv->in_tx(c))
		return STATUS_INVALID;
	return db_sqlite_restore(c, data, len);
}

db_conn *db_acquire(db *d)
{
	pthread_mutex_lock(&d->mu);
	while (d->nidle == 0 && d->opened >= d->max)
		pthread_cond_wait(&d->freed, &d->mu);
	db_conn *c = NULL;
	if (d->nidle > 0)
		c = d->idle[--d->nidle];
	else
		d->opened++; /* reserve the slot; connect outside the lock */
	pthread_mutex_unlock(&d->mu);

	if (c)
		d->drv->revive(c);
	else
		c = conn_new(d);
	c->err[0] = '\0';
	return c;
}

void db_release(db *d, db_conn *c)
{
	if (!c)
		return;
	if (c->open_rows != 0)
		log_error("db: connection released with %d result set(s) not freed", c->open_rows);
	d->drv->rollback(c);
	pthread_mutex_lock(&d->mu);
	d->idle[d->nidle++] = c;
	pthread_cond_signal(&d->freed);
	pthread_mutex_unlock(&d->mu);
}

int db_lent(db *d)
{
	pthread_mutex_lock(&d->mu);
	int n = d->opened - d->nidle;
	pthread_mutex_unlock(&d->mu);
	return n;
}

status db_gate_enter(db *d, int timeout_ms)
{
	struct timespec until;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += timeout_ms / 1000;
	until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	status st = STATUS_OK;
	pthread_mutex_lock(&d->mu);
	while (d->gate_held) {
		if (pthread_cond_timedwait(&d->gate_cv, &d->mu, &until) == ETIMEDOUT &&
		    d->gate_held) {
			st = STATUS_BUSY;
			break;
		}
	}
	if (st == STATUS_OK)
		d->gate_held = true;
	pthread_mutex_unlock(&d->mu);
	return st;
}

void db_gate_leave(db *d)
{
	pthread_mutex_lock(&d->mu);
	d->gate_held = false;
	pthread_cond_signal(&d->gate_cv);
	pthread_mutex_unlock(&d->mu);
}

/* ---- statements, timed ---- */

static void add_time(db_conn *c, int64_t t0)
{
	atomic_fetch_add_explicit(&c->owner->busy_ns, clock_mono_ns() - t0, memory_order_relaxed);
}

static status check_args(db_conn *c, const char *sql, const db_val *params, int nparams)
{
	if (!sql || nparams < 0 || (nparams > 0 && !params)) {
		db_conn_seterr(c, "bad arguments: %s", !sql ? "no SQL" : "parameter array");
		return STATUS_INTERNAL;
	}
	return STATUS_OK;
}

status db_exec(db_conn *c, const char *sql, const db_val *params, int nparams, int64_t *changes)
{
	c->err[0] = '\0';
	if (changes)
		*changes = 0;
	status st = check_args(c, sql, params, nparams);
	if (st != STATUS_OK)
		return st;
	int64_t t0 = clock_mono_ns();
	st = c->owner->drv->exec(c, sql, params, nparams, true, changes);
	add_time(c, t0);
	return st;
}

status db_exec_nocache(db_conn *c, const char *sql)
{
	c->err[0] = '\0';
	status st = check_args(c, sql, NULL, 0);
	if (st != STATUS_OK)
		return st;
	int64_t t0 = clock_mono_ns();
	st = c->owner->drv->exec(c, sql, NULL, 0, false, NULL);
	add_time(c, t0);
	return st;
}

status db_query(db_conn *c, const char *sql, const db_val *params, int nparams, db_rows **out)
{
	*out = NULL;
	c->err[0] = '\0';
	status st = check_args(c, sql, params, nparams);
	if (st != STATUS_OK)
		return st;
	int64_t t0 = clock_mono_ns();
	st = c->owner->drv->query(c, sql, params, nparams, out);
	add_time(c, t0);
	if (st == STATUS_OK)
		c->open_rows++;
	return st;
}

bool db_next(db_rows *r)
{
	if (r->st != STATUS_OK)
		return false;
	int64_t t0 = clock_mono_ns();
	bool more = r->conn->owner->drv->next(r);
	add_time(r->conn, t0);
	return more;
}

status db_rows_status(const db_rows *r)
{
	return r->st;
}

int64_t db_int(const db_rows *r, int col)
{
	return r->conn->owner->drv->col_int(r, col);
}

const char *db_text(const db_rows *r, int col)
{
	return r->conn->owner->drv->col_text(r, col);
}

bool db_null(const db_rows *r, int col)
{
	return r->conn->owner->drv->col_null(r, col);
}

void db_rows_free(db_rows *r)
{
	if (!r)
		return;
	r->conn->open_rows--;
	r->conn->owner->drv->rows_free(r);
}

status db_query_int(db_conn *c, const char *sql, const db_val *params, int nparams, int64_t *out)
{
	db_rows *r;
	status st = db_query(c, sql, params, nparams, &r);
	if (st != STATUS_OK)
		return st;
	if (db_next(r))
		*out = db_int(r, 0);
	else
		st = r->st != STATUS_OK ? r->st : STATUS_NOT_FOUND;
	db_rows_free(r);
	return st;
}

/* ---- transactions ---- */

status db_begin(db_conn *c)
{
	c->err[0] = '\0';
	int64_t t0 = clock_mono_ns();
	status st = c->owner->drv->begin(c, false);
	add_time(c, t0);
	return st;
}

status db_begin_write(db_conn *c)
{
	c->err[0] = '\0';
	int64_t t0 = clock_mono_ns();
	status st = c->owner->drv->begin(c, true);
	add_time(c, t0);
	return st;
}

status db_commit(db_conn *c)
{
	c->err[0] = '\0';
	int64_t t0 = clock_mono_ns();
	status st = c->owner->drv->commit(c);
	add_time(c, t0);
	return st;
}

void db_rollback(db_conn *c)
{
	int64_t t0 = clock_mono_ns();
	c->owner->drv->rollback(c);
	add_time(c, t0);
}

bool db_in_tx(const db_conn *c)
{
	return c->owner->drv->in_tx(c);
}

const char *db_for_update(const db_conn *c)
{
	return c->owner->kind == DB_POSTGRES ? " FOR UPDATE" : "";
}

const char *db_for_update_skip_locked(const db_conn *c)
{
	return c->owner->kind == DB_POSTGRES ? " FOR UPDATE SKIP LOCKED" : "";
}

db_kind db_conn_kind(const db_conn *c)
{
	return c->owner->kind;
}

const char *db_error(const db_conn *c)
{
	return c->err;
}

void db_error_set(db_conn *c, const char *msg)
{
	snprintf(c->err, sizeof c->err, "%s", msg ? msg : "");
}

double db_time_ms_total(const db *d)
{
	return (double)atomic_load_explicit(&d->busy_ns, memory_order_relaxed) / 1e6;
}

/* ---- notifications ---- */

status db_listen_start(db *d, const char *channel, db_listen_fn fn, void *ctx, char *err,
                       size_t errlen)
{
	set_err(err, errlen, "%s", "");
	if (!d->drv->listen_start)
		return STATUS_OK; /* SQLite: one process per file, nobody else to hear */
	if (!channel || !*channel || !fn) {
		set_err(err, errlen, "listen: no channel or no callback");
		return STATUS_INVALID;
	}
	if (d->listener) {
		set_err(err, errlen, "listen: a listener already runs on %s", d->shown);
		return STATUS_INVALID;
	}
	return d->drv->listen_start(d, channel, fn, ctx, err, errlen);
}

void db_listen_stop(db *d)
{
	if (d && d->listener && d->drv->listen_stop)
		d->drv->listen_stop(d);
}

status db_notify(db_conn *c, const char *channel, const char *payload)
{
	c->err[0] = '\0';
	if (c->owner->kind != DB_POSTGRES)
		return STATUS_OK;
	if (!channel || !payload) {
		db_conn_seterr(c, "notify: no channel or no payload");
		return STATUS_INTERNAL;
	}
	size_t n = strlen(payload);
	if (n > DB_NOTIFY_MAX) {
		db_conn_seterr(c, "notify: payload of %zu bytes is over the %d-byte limit", n,
		               DB_NOTIFY_MAX);
		return STATUS_INVALID;
	}
	return db_exec(c, "SELECT pg_notify($1, $2)", DB_PARAMS(DB_S(channel), DB_S(payload)),
	               NULL);
}

void db_checkpoint_in_background(db *d)
{
	if (d->kind != DB_SQLITE)
		return;
	/* Every connection's log hook reads it at each commit (db_sqlite.c). */
	atomic_store(&d->manual_checkpoints, true);
}

uint64_t db_wal_pages_total(const db *d)
{
	return d->kind == DB_SQLITE ? atomic_load(&d->wal_frames) : 0;
}

status db_checkpoint(db *d)
{
	if (d->kind != DB_SQLITE)
		return STATUS_OK;
	db_conn *c = db_acquire(d);
	db_rows *r;
	status st = db_query(c, "PRAGMA wal_checkpoint(PASSIVE)", DB_NOPARAMS, &r);
	if (st == STATUS_OK) {
		while (db_next(r))
			;
		st = db_rows_status(r);
		db_rows_free(r);
	}
	db_release(d, c);
	return st;
}

bool db_data_changed(db_conn *c)
{
	return c->owner->drv->data_changed && c->owner->drv->data_changed(c);
}

/* ---- backup and restore ---- */

static status backup_or_restore(db *d, bool restore, const char *file, char *err, size_t errlen)
{
	status (*fn)(db_conn *, const char *) = restore ? d->drv->restore : d->drv->backup;
	if (!fn) {
		set_err(err, errlen, "%s: %s is for SQLite; use pg_dump and pg_restore (README)",
			d->shown, restore ? "restore" : "backup");
		return STATUS_INVALID;
	}
	db_conn *c = db_acquire(d);
	status st = fn(c, file);
	if (st != STATUS_OK)
		set_err(err, errlen, "%s", db_error(c));
	db_release(d, c);
	return st;
}

status db_backup(db *d, const char *to, char *err, size_t errlen)
{
	return backup_or_restore(d, false, to, err, errlen);
}

status db_restore(db *d, const char *from, char *err, size_t errlen)
{
	return backup_or_restore(d, true, from, err, errlen);
}
