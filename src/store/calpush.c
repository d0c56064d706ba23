/* calpush.c - the rows of CalDAV two-way sync: pushes, objects read, round outcomes. */
#include "store/calpush.h"

#include <string.h>

#include "store/booking.h"

/* Grows *arr (of elem bytes, *n used, *cap room) by one; returns the new slot. */
static void *calpush_grow(arena *a, void **arr, int *n, int *cap, size_t elem)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		void *g = arena_alloc(a, elem * (size_t)*cap);
		if (*n)
			memcpy(g, *arr, elem * (size_t)*n);
		*arr = g;
	}
	return (char *)*arr + elem * (size_t)(*n)++;
}

/* The columns of a store_push_item, over bookings b, services s, providers pr, resources
 * rs and the connection's push row p; $3/$4 are k's provider and resource. */
#define CALPUSH_ITEM_COLUMNS                                                                  \
	"SELECT b.id, b.reference, b.status, b.start_at, b.end_at, b.updated_at, (SELECT "     \
	"COUNT(*) FROM booking_events e WHERE e.business_id = b.business_id AND e.booking_id = " \
	"b.id) + " STORE_CREATED_IN_ROW("b.") ", s.name, COALESCE(pr.name, rs.name, ''), "       \
	"b.customer_name, b.customer_email, "                                                    \
	"b.customer_phone, b.notes, p.booking_id IS NOT NULL, COALESCE(p.href, ''), "           \
	"COALESCE(p.etag, ''), COALESCE(p.pushed_start, 0), COALESCE(p.pushed_end, 0), "        \
	"COALESCE(p.deleted, 0), CASE WHEN b.provider_id = $3 OR b.resource_id = $4 THEN 1 ELSE " \
	"0 END FROM bookings b JOIN services s ON s.business_id = b.business_id AND s.id = "     \
	"b.service_id LEFT JOIN providers pr ON pr.business_id = b.business_id AND pr.id = "     \
	"b.provider_id LEFT JOIN resources rs ON rs.business_id = b.business_id AND rs.id = "    \
	"b.resource_id "

/* Appends the rows of r to *out. */
static status calpush_items(db_rows *r, arena *a, store_push_item **out, int *n, int *cap)
{
	while (db_next(r)) {
		store_push_item *p = calpush_grow(a, (void **)out, n, cap, sizeof(*p));
		p->booking_id = arena_strdup(a, db_text(r, 0));
		p->reference = arena_strdup(a, db_text(r, 1));
		p->status = arena_strdup(a, db_text(r, 2));
		p->start_at = db_int(r, 3);
		p->end_at = db_int(r, 4);
		p->updated_at = db_int(r, 5);
		p->events = (int)db_int(r, 6);
		p->service_name = arena_strdup(a, db_text(r, 7));
		p->with_name = arena_strdup(a, db_text(r, 8));
		p->customer_name = arena_strdup(a, db_text(r, 9));
		p->customer_email = arena_strdup(a, db_text(r, 10));
		p->customer_phone = arena_strdup(a, db_text(r, 11));
		p->notes = arena_strdup(a, db_text(r, 12));
		p->pushed = db_int(r, 13) != 0;
		p->href = arena_strdup(a, db_text(r, 14));
		p->etag = arena_strdup(a, db_text(r, 15));
		p->pushed_start = db_int(r, 16);
		p->pushed_end = db_int(r, 17);
		p->deleted = db_int(r, 18) != 0;
		p->mine = db_int(r, 19) != 0;
	}
	status st = db_rows_status(r);
	db_rows_free(r);
	return st;
}

status store_calpush_due(db_conn *c, const store_calconn *k, int64_t from, arena *a,
			 store_push_item **out, int *n)
{
	*out = NULL;
	*n = 0;
	int cap = 0;
	/* k's own bookings that changed since they were written (or never were). */
	db_rows *r;
	status st = db_query(
	    c,
	    CALPUSH_ITEM_COLUMNS
	    "LEFT JOIN calendar_pushes p ON p.business_id = b.business_id AND p.connection_id = $2 "
	    "AND p.booking_id = b.id "
	    "WHERE b.business_id = $1 AND ((b.provider_id = $3) OR (b.resource_id = $4)) AND "
	    "b.end_at >= $5 AND ((p.booking_id IS NULL AND b.status IN ('pending', 'confirmed', "
	    "'checked_in', 'completed', 'no_show')) OR (p.booking_id IS NOT NULL AND p.attention "
	    "= '' AND p.pushed_updated_at < b.updated_at AND (p.deleted = 0 OR b.status IN "
	    "('pending', 'confirmed', 'checked_in', 'completed', 'no_show')))) "
	    "ORDER BY b.updated_at, b.id LIMIT $6",
	    DB_PARAMS(DB_S(k->business_id), DB_S(k->id), DB_S(k->provider_id), DB_S(k->resource_id),
		      DB_I(from), DB_I(STORE_PUSH_BATCH)),
	    &r);
	if (st == STATUS_OK)
		st = calpush_items(r, a, out, n, &cap);
	if (st != STATUS_OK || *n >= STORE_PUSH_BATCH)
		return st;
	/* Bookings whose event is in k's calendar but which moved to another provider or
	 * resource: their event goes. */
	st = db_query(c,
		      CALPUSH_ITEM_COLUMNS
		      "JOIN calendar_pushes p ON p.business_id = b.business_id AND p.connection_id = "
		      "$2 AND p.booking_id = b.id "
		      "WHERE b.business_id = $1 AND p.deleted = 0 AND p.attention = '' AND CASE WHEN "
		      "b.provider_id = $3 OR b.resource_id = $4 THEN 1 ELSE 0 END = 0 AND b.end_at >= "
		      "$5 ORDER BY b.updated_at, b.id LIMIT $6",
		      DB_PARAMS(DB_S(k->business_id), DB_S(k->id), DB_S(k->provider_id),
				DB_S(k->resource_id), DB_I(from), DB_I(STORE_PUSH_BATCH - *n)),
		      &r);
	if (st == STATUS_OK)
		st = calpush_items(r, a, out, n, &cap);
	return st;
}

status store_calpush_record(db_conn *c, const store_calconn *k, const char *booking_id,
			    const char *href, const char *etag, int64_t updated_at, int64_t start,
			    int64_t end, bool deleted)
{
	return db_exec(
	    c,
	    "INSERT INTO calendar_pushes (business_id, connection_id, booking_id, href, etag, "
	    "pushed_updated_at, pushed_start, pushed_end, deleted, attention, attention_at) VALUES "
	    "($1, $2, $3, $4, $5, $6, $7, $8, $9, '', NULL) ON CONFLICT (business_id, "
	    "connection_id, booking_id) DO UPDATE SET href = excluded.href, etag = excluded.etag, "
	    "pushed_updated_at = excluded.pushed_updated_at, pushed_start = excluded.pushed_start, "
	    "pushed_end = excluded.pushed_end, deleted = excluded.deleted, attention = '', "
	    "attention_at = NULL",
	    DB_PARAMS(DB_S(k->business_id), DB_S(k->id), DB_S(booking_id), DB_S(href),
		      DB_S(etag ? etag : ""), DB_I(updated_at), DB_I(start), DB_I(end),
		      DB_I(deleted ? 1 : 0)),
	    NULL);
}

status store_calpush_attention(db_conn *c, const store_calconn *k, const char *booking_id,
			       const char *what, const char *etag, int64_t now)
{
	return db_exec(c,
		       "UPDATE calendar_pushes SET attention = $4, attention_at = $5, etag = $6 "
		       "WHERE business_id = $1 AND connection_id = $2 AND booking_id = $3",
		       DB_PARAMS(DB_S(k->business_id), DB_S(k->id), DB_S(booking_id), DB_S(what),
				 DB_I(now), DB_S(etag ? etag : "")),
		       NULL);
}

status store_calpush_rows(db_conn *c, const store_calconn *k, arena *a, store_push_row **out,
			  int *n)
{
	*out = NULL;
	*n = 0;
	db_rows *r;
	status st = db_query(c,
			     "SELECT booking_id, href, COALESCE(etag, ''), attention, "
			     "COALESCE(pushed_start, 0), COALESCE(pushed_end, 0), "
			     "COALESCE(pushed_updated_at, 0) = -1 FROM calendar_pushes "
			     "WHERE business_id = $1 AND connection_id = $2 AND deleted = 0",
			     DB_PARAMS(DB_S(k->business_id), DB_S(k->id)), &r);
	if (st != STATUS_OK)
		return st;
	int cap = 0;
	while (db_next(r)) {
		store_push_row *p = calpush_grow(a, (void **)out, n, &cap, sizeof(*p));
		p->booking_id = arena_strdup(a, db_text(r, 0));
		p->href = arena_strdup(a, db_text(r, 1));
		p->etag = arena_strdup(a, db_text(r, 2));
		p->attention = arena_strdup(a, db_text(r, 3));
		p->pushed_start = db_int(r, 4);
		p->pushed_end = db_int(r, 5);
		p->rewrite = db_int(r, 6) != 0;
	}
	st = db_rows_status(r);
	db_rows_free(r);
	return st;
}

status store_calpush_wake(db_conn *c, int64_t now, int64_t from, int *woken)
{
	if (woken)
		*woken = 0;
	/* A read first: the write lock (SQLite's whole database) is taken only when some
	 * connection is to be woken, not every second. Only bookings updated since the
	 * connection's last success (a few seconds of slack for writes that committed late) are
	 * looked at: the bookings_updated index bounds it. */
	db_rows *r;
	status st = db_query(
	    c,
	    "SELECT business_id, id FROM calendar_connections k WHERE kind IN ('caldav', 'google', "
	    "'microsoft') AND push = 1 "
	    "AND failures = 0 AND next_attempt_at > $1 AND lease_until < $1 AND (EXISTS (SELECT 1 "
	    "FROM bookings b LEFT JOIN calendar_pushes p ON p.business_id = b.business_id AND "
	    "p.connection_id = k.id AND p.booking_id = b.id WHERE b.business_id = k.business_id AND "
	    "b.updated_at >= COALESCE(k.last_success_at, 0) - 5 AND (b.provider_id = k.provider_id "
	    "OR b.resource_id = k.resource_id) AND b.end_at >= $2 AND ((p.booking_id IS NULL AND "
	    "b.status IN ('pending', 'confirmed', 'checked_in', 'completed', 'no_show')) OR "
	    "(p.booking_id IS NOT NULL AND p.attention = '' AND p.pushed_updated_at < b.updated_at "
	    "AND (p.deleted = 0 OR b.status IN ('pending', 'confirmed', 'checked_in', 'completed', "
	    "'no_show'))))) OR EXISTS (SELECT 1 FROM calendar_pushes q WHERE q.business_id = "
	    "k.business_id AND q.connection_id = k.id AND q.pushed_updated_at = -1 AND q.attention "
	    "= '') OR EXISTS (SELECT 1 FROM calendar_pushes m JOIN bookings b ON b.business_id = "
	    "m.business_id AND b.id = m.booking_id WHERE m.business_id = k.business_id AND "
	    "m.connection_id = k.id AND m.deleted = 0 AND m.attention = '' AND b.updated_at >= "
	    "COALESCE(k.last_success_at, 0) - 5 AND CASE WHEN b.provider_id = k.provider_id OR "
	    "b.resource_id = k.resource_id THEN 1 ELSE 0 END = 0)) LIMIT 100",
	    DB_PARAMS(DB_I(now), DB_I(from)), &r);
	if (st != STATUS_OK)
		return st;
	const char *keys[200];
	arena *a = arena_new();
	int n = 0;
	while (n + 2 <= (int)(sizeof(keys) / sizeof(keys[0])) && db_next(r)) {
		keys[n++] = arena_strdup(a, db_text(r, 0));
		keys[n++] = arena_strdup(a, db_text(r, 1));
	}
	st = db_rows_status(r);
	db_rows_free(r);
	for (int i = 0; st == STATUS_OK && i < n; i += 2) {
		int64_t changed = 0;
		st = db_exec(c,
			     "UPDATE calendar_connections SET next_attempt_at = $3 WHERE business_id = "
			     "$1 AND id = $2 AND next_attempt_at > $3 AND lease_until < $3",
			     DB_PARAMS(DB_S(keys[i]), DB_S(keys[i + 1]), DB_I(now)), &changed);
		if (woken)
			*woken += (int)changed;
	}
	arena_free(a);
	return st;
}

status store_davobj_load(db_conn *c, const store_calconn *k, arena *a, store_dav_object **out,
			 int *n)
{
	*out = NULL;
	*n = 0;
	db_rows *r;
	status st = db_query(c,
			     "SELECT href, etag, data FROM caldav_objects WHERE business_id = $1 AND "
			     "connection_id = $2 ORDER BY href",
			     DB_PARAMS(DB_S(k->business_id), DB_S(k->id)), &r);
	if (st != STATUS_OK)
		return st;
	int cap = 0;
	while (db_next(r)) {
		store_dav_object *o = calpush_grow(a, (void **)out, n, &cap, sizeof(*o));
		o->href = arena_strdup(a, db_text(r, 0));
		o->etag = arena_strdup(a, db_text(r, 1));
		o->data = arena_strdup(a, db_text(r, 2));
	}
	st = db_rows_status(r);
	db_rows_free(r);
	return st;
}

/* The statements of store_caldav_success after the connection's row is updated. */
static status caldav_success_rows(db_conn *c, const store_calconn *k, int64_t now,
				  const store_caldav_outcome *o)
{
	status st = STATUS_OK;
	if (o->full)
		st = db_exec(c, "DELETE FROM caldav_objects WHERE business_id = $1 AND connection_id = $2",
			     DB_PARAMS(DB_S(k->business_id), DB_S(k->id)), NULL);
	for (int i = 0; st == STATUS_OK && i < o->ngone; i++)
		st = db_exec(c,
			     "DELETE FROM caldav_objects WHERE business_id = $1 AND connection_id = "
			     "$2 AND href = $3",
			     DB_PARAMS(DB_S(k->business_id), DB_S(k->id), DB_S(o->gone[i])), NULL);
	for (int i = 0; st == STATUS_OK && i < o->nput; i++)
		st = db_exec(c,
			     "INSERT INTO caldav_objects (business_id, connection_id, href, etag, "
			     "data) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (business_id, "
			     "connection_id, href) DO UPDATE SET etag = excluded.etag, data = "
			     "excluded.data",
			     DB_PARAMS(DB_S(k->business_id), DB_S(k->id), DB_S(o->put[i].href),
				       DB_S(o->put[i].etag ? o->put[i].etag : ""),
				       DB_S(o->put[i].data)),
			     NULL);
	if (st == STATUS_OK && o->replace_busy)
		st = db_exec(c, "DELETE FROM external_busy WHERE business_id = $1 AND connection_id = $2",
			     DB_PARAMS(DB_S(k->business_id), DB_S(k->id)), NULL);
	for (int i = 0; st == STATUS_OK && o->replace_busy && i < o->nspans; i++)
		st = db_exec(c,
			     "INSERT INTO external_busy (business_id, connection_id, start_at, end_at, "
			     "provider_id, resource_id, uid) VALUES ($1, $2, $3, $4, $5, $6, $7)",
			     DB_PARAMS(DB_S(k->business_id), DB_S(k->id), DB_I(o->spans[i].start),
				       DB_I(o->spans[i].end), DB_S(k->provider_id),
				       DB_S(k->resource_id),
				       DB_S(o->spans[i].uid ? o->spans[i].uid : "")),
			     NULL);
	for (int i = 0; st == STATUS_OK && i < o->nmarks; i++) {
		const store_push_mark *m = &o->marks[i];
		if (*m->what)
			st = store_calpush_attention(c, k, m->booking_id, m->what, m->etag, now);
		else
			st = db_exec(c,
				     "UPDATE calendar_pushes SET etag = $4 WHERE business_id = $1 AND "
				     "connection_id = $2 AND booking_id = $3",
				     DB_PARAMS(DB_S(k->business_id), DB_S(k->id),
					       DB_S(m->booking_id), DB_S(m->etag)),
				     NULL);
	}
	return st;
}

status store_caldav_success(db_conn *c, const store_calconn *k, int64_t now, int64_t next_at,
			    const store_caldav_outcome *o)
{
	status st = db_begin_write(c);
	int64_t changed = 0;
	if (st == STATUS_OK && o->replace_busy)
		st = db_exec(c,
			     "UPDATE calendar_connections SET last_success_at = $3, last_error = '', "
			     "failures = 0, next_attempt_at = $4, lease_until = 0, url = $5, "
			     "sync_token = $6, busy_count = $7, skipped_count = $8 WHERE business_id "
			     "= $1 AND id = $2",
			     DB_PARAMS(DB_S(k->business_id), DB_S(k->id), DB_I(now), DB_I(next_at),
				       DB_S(o->collection), DB_S(o->sync_token), DB_I(o->nspans),
				       DB_I(o->skipped)),
			     &changed);
	else if (st == STATUS_OK)
		st = db_exec(c,
			     "UPDATE calendar_connections SET last_success_at = $3, last_error = '', "
			     "failures = 0, next_attempt_at = $4, lease_until = 0, url = $5, "
			     "sync_token = $6 WHERE business_id = $1 AND id = $2",
			     DB_PARAMS(DB_S(k->business_id), DB_S(k->id), DB_I(now), DB_I(next_at),
				       DB_S(o->collection), DB_S(o->sync_token)),
			     &changed);
	if (st == STATUS_OK && changed == 0)
		st = STATUS_NOT_FOUND;
	if (st == STATUS_OK)
		st = caldav_success_rows(c, k, now, o);
	if (st == STATUS_OK)
		st = db_commit(c);
	if (st != STATUS_OK && db_in_tx(c))
		db_rollback(c);
	return st;
}

status store_calpush_booking_attention(db_conn *c, const char *business_id,
				       const char *booking_id, arena *a,
				       store_booking_attention **out, int *n)
{
	*out = NULL;
	*n = 0;
	db_rows *r;
	status st = db_query(c,
			     "SELECT p.connection_id, k.name, p.attention, COALESCE(p.attention_at, "
			     "0) FROM calendar_pushes p JOIN calendar_connections k ON k.business_id "
			     "= p.business_id AND k.id = p.connection_id WHERE p.business_id = $1 AND "
			     "p.booking_id = $2 AND p.attention <> '' ORDER BY p.connection_id",
			     DB_PARAMS(DB_S(business_id), DB_S(booking_id)), &r);
	if (st != STATUS_OK)
		return st;
	int cap = 0;
	while (db_next(r)) {
		store_booking_attention *t = calpush_grow(a, (void **)out, n, &cap, sizeof(*t));
		t->connection_id = arena_strdup(a, db_text(r, 0));
		t->connection_name = arena_strdup(a, db_text(r, 1));
		t->what = arena_strdup(a, db_text(r, 2));
		t->at = db_int(r, 3);
	}
	st = db_rows_status(r);
	db_rows_free(r);
	return st;
}

status store_calpush_resolve(db_conn *c, const char *business_id, const char *booking_id,
			     int64_t now)
{
	status st = db_begin_write(c);
	int64_t resolved = 0;
	/* Deleted outside: written anew (If-None-Match: *); moved outside: bookd's version is
	 * written over it, If-Match the ETag seen. pushed_updated_at -1 makes either due
	 * whenever the booking last changed (store_calpush_wake looks for it). */
	if (st == STATUS_OK)
		st = db_exec(c,
			     "UPDATE calendar_pushes SET deleted = CASE WHEN attention = 'deleted' "
			     "THEN 1 ELSE deleted END, attention = '', attention_at = NULL, "
			     "pushed_updated_at = -1 WHERE business_id = $1 AND booking_id = $2 AND "
			     "attention <> ''",
			     DB_PARAMS(DB_S(business_id), DB_S(booking_id)), &resolved);
	if (st == STATUS_OK && resolved == 0)
		st = STATUS_NOT_FOUND;
	if (st == STATUS_OK)
		st = db_exec(c,
			     "UPDATE calendar_connections SET next_attempt_at = $2 WHERE business_id "
			     "= $1 AND kind = 'caldav' AND next_attempt_at > $2 AND failures = 0",
			     DB_PARAMS(DB_S(business_id), DB_I(now)), NULL);
	if (st == STATUS_OK)
		st = db_commit(c);
	if (st != STATUS_OK && db_in_tx(c))
		db_rollback(c);
	return st;
}

status store_calpush_counts(db_conn *c, const char *business_id, const char *connection_id,
			    int *pushed, int *attention)
{
	*pushed = *attention = 0;
	db_rows *r;
	status st = db_query(c,
			     "SELECT COUNT(*), COALESCE(SUM(CASE WHEN attention <> '' THEN 1 ELSE 0 "
			     "END), 0) FROM calendar_pushes WHERE business_id = $1 AND connection_id = "
			     "$2 AND deleted = 0",
			     DB_PARAMS(DB_S(business_id), DB_S(connection_id)), &r);
	if (st != STATUS_OK)
		return st;
	if (db_next(r)) {
		*pushed = (int)db_int(r, 0);
		*attention = (int)db_int(r, 1);
	}
	st = db_rows_status(r);
	db_rows_free(r);
	return st;
}
