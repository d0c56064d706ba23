/* calfeed.c - calendar feeds and the bookings they show. */
#include "store/calfeed.h"

#include <string.h>

#include "store/booking.h"

#define FEED_COLUMNS                                                                          \
	"id, scope, subject_id, detail, name, token_hash, hint, past_days, future_days, "     \
	"created_at, rotated_at, last_read_at"

static void feed_read(const db_rows *r, arena *a, store_feed *f)
{
	f->id = arena_strdup(a, db_text(r, 0));
	f->scope = arena_strdup(a, db_text(r, 1));
	f->subject_id = arena_strdup(a, db_text(r, 2));
	f->detail = arena_strdup(a, db_text(r, 3));
	f->name = arena_strdup(a, db_text(r, 4));
	f->token_hash = arena_strdup(a, db_text(r, 5));
	f->hint = arena_strdup(a, db_text(r, 6));
	f->past_days = (int)db_int(r, 7);
	f->future_days = (int)db_int(r, 8);
	f->created_at = db_int(r, 9);
	f->rotated_at = db_int(r, 10);
	f->last_read_at = db_int(r, 11);
}

status store_feed_insert(db_conn *c, const char *business_id, const store_feed *f)
{
	return db_exec(c,
		       "INSERT INTO calendar_feeds (business_id, id, scope, subject_id, detail, name, "
		       "token_hash, hint, past_days, future_days, created_at) VALUES ($1, $2, $3, $4, "
		       "$5, $6, $7, $8, $9, $10, $11)",
		       DB_PARAMS(DB_S(business_id), DB_S(f->id), DB_S(f->scope), DB_S(f->subject_id),
				 DB_S(f->detail), DB_S(f->name), DB_S(f->token_hash), DB_S(f->hint),
				 DB_I(f->past_days), DB_I(f->future_days), DB_I(f->created_at)),
		       NULL);
}

status store_feed_get(db_conn *c, const char *business_id, const char *id, arena *a,
		      store_feed *out)
{
	db_rows *r;
	status st = db_query(c,
			     "SELECT " FEED_COLUMNS " FROM calendar_feeds WHERE business_id = $1 AND "
			     "id = $2",
			     DB_PARAMS(DB_S(business_id), DB_S(id)), &r);
	if (st != STATUS_OK)
		return st;
	if (db_next(r))
		feed_read(r, a, out);
	else
		st = db_rows_status(r) != STATUS_OK ? db_rows_status(r) : STATUS_NOT_FOUND;
	db_rows_free(r);
	return st;
}

status store_feed_list(db_conn *c, const char *business_id, arena *a, store_feed **out, int *n)
{
	*out = NULL;
	*n = 0;
	db_rows *r;
	status st = db_query(c,
			     "SELECT " FEED_COLUMNS " FROM calendar_feeds WHERE business_id = $1 "
			     "ORDER BY created_at DESC, id DESC",
			     DB_PARAMS(DB_S(business_id)), &r);
	if (st != STATUS_OK)
		return st;
	int cap = 0;
	while (db_next(r)) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			store_feed *grown = arena_alloc(a, sizeof(*grown) * (size_t)cap);
			if (*n)
				memcpy(grown, *out, sizeof(*grown) * (size_t)*n);
			*out = grown;
		}
		feed_read(r, a, &(*out)[(*n)++]);
	}
	st = db_rows_status(r);
	db_rows_free(r);
	return st;
}

/* STATUS_NOT_FOUND when a statement touched no row. */
static status feed_changed(status st, int64_t changes)
{
	return st == STATUS_OK && changes == 0 ? STATUS_NOT_FOUND : st;
}

status store_feed_rotate(db_conn *c, const char *business_id, const char *id,
			 const char *token_hash, const char *hint, int64_t now)
{
	int64_t n = 0;
	status st = db_exec(c,
			    "UPDATE calendar_feeds SET token_hash = $3, hint = $4, rotated_at = $5 "
			    "WHERE business_id = $1 AND id = $2",
			    DB_PARAMS(DB_S(business_id), DB_S(id), DB_S(token_hash), DB_S(hint),
				      DB_I(now)),
			    &n);
	return feed_changed(st, n);
}

status store_feed_delete(db_conn *c, const char *business_id, const char *id)
{
	int64_t n = 0;
	status st = db_exec(c, "DELETE FROM calendar_feeds WHERE business_id = $1 AND id = $2",
			    DB_PARAMS(DB_S(business_id), DB_S(id)), &n);
	return feed_changed(st, n);
}

status store_feed_touch(db_conn *c, const char *business_id, const char *id, int64_t now)
{
	return db_exec(c,
		       "UPDATE calendar_feeds SET last_read_at = $3 WHERE business_id = $1 AND id = $2",
		       DB_PARAMS(DB_S(business_id), DB_S(id), DB_I(now)), NULL);
}

status store_feed_subject_ok(db_conn *c, const char *business_id, const char *scope,
			     const char *subject_id)
{
	const char *sql;
	if (strcmp(scope, "business") == 0)
		return STATUS_OK;
	else if (strcmp(scope, "provider") == 0)
		sql = "SELECT COUNT(*) FROM providers WHERE business_id = $1 AND id = $2";
	else if (strcmp(scope, "resource") == 0)
		sql = "SELECT COUNT(*) FROM resources WHERE business_id = $1 AND id = $2";
	else if (strcmp(scope, "customer") == 0)
		sql = "SELECT COUNT(*) FROM customers WHERE business_id = $1 AND id = $2";
	else
		return STATUS_INVALID;
	int64_t n = 0;
	status st = db_query_int(c, sql, DB_PARAMS(DB_S(business_id), DB_S(subject_id)), &n);
	return st == STATUS_OK && n == 0 ? STATUS_NOT_FOUND : st;
}

status store_feed_bookings(db_conn *c, const char *business_id, const store_feed *f, int64_t from,
			   int64_t to, int64_t cancelled_since, arena *a, store_feed_booking **out,
			   int *n)
{
	*out = NULL;
	*n = 0;
	/* One statement for every scope: each subject filter is switched on by a bound flag. */
	db_rows *r;
	status st = db_query(
	    c,
	    "SELECT b.id, b.reference, b.start_at, b.end_at, b.status, b.updated_at, "
	    "(SELECT COUNT(*) FROM booking_events e WHERE e.business_id = b.business_id AND "
	    "e.booking_id = b.id) + " STORE_CREATED_IN_ROW("b.") ", s.name, COALESCE(p.name, ''), COALESCE(r.name, ''), "
	    "b.customer_name, b.customer_email, b.customer_phone, b.notes FROM bookings b "
	    "JOIN services s ON s.business_id = b.business_id AND s.id = b.service_id "
	    "LEFT JOIN providers p ON p.business_id = b.business_id AND p.id = b.provider_id "
	    "LEFT JOIN resources r ON r.business_id = b.business_id AND r.id = b.resource_id "
	    "WHERE b.business_id = $1 AND b.start_at >= $2 AND b.start_at < $3 AND "
	    "(b.status IN ('pending', 'confirmed', 'checked_in', 'completed', 'no_show') OR "
	    "(b.status = 'cancelled' AND b.updated_at >= $4)) AND "
	    "($5 = 'business' OR ($5 = 'provider' AND b.provider_id = $6) OR "
	    "($5 = 'resource' AND b.resource_id = $6) OR ($5 = 'customer' AND b.customer_id = $6)) "
	    "ORDER BY b.start_at, b.id LIMIT $7",
	    DB_PARAMS(DB_S(business_id), DB_I(from), DB_I(to), DB_I(cancelled_since), DB_S(f->scope),
		      DB_S(f->subject_id), DB_I(STORE_FEED_MAX)),
	    &r);
	if (st != STATUS_OK)
		return st;
	int cap = 0;
	while (db_next(r)) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 32;
			store_feed_booking *grown = arena_alloc(a, sizeof(*grown) * (size_t)cap);
			if (*n)
				memcpy(grown, *out, sizeof(*grown) * (size_t)*n);
			*out = grown;
		}
		store_feed_booking *b = &(*out)[(*n)++];
		b->id = arena_strdup(a, db_text(r, 0));
		b->reference = arena_strdup(a, db_text(r, 1));
		b->start_at = db_int(r, 2);
		b->end_at = db_int(r, 3);
		b->status = arena_strdup(a, db_text(r, 4));
		b->updated_at = db_int(r, 5);
		b->events = (int)db_int(r, 6);
		b->service_name = arena_strdup(a, db_text(r, 7));
		b->provider_name = arena_strdup(a, db_text(r, 8));
		b->resource_name = arena_strdup(a, db_text(r, 9));
		b->customer_name = arena_strdup(a, db_text(r, 10));
		b->customer_email = arena_strdup(a, db_text(r, 11));
		b->customer_phone = arena_strdup(a, db_text(r, 12));
		b->notes = arena_strdup(a, db_text(r, 13));
	}
	st = db_rows_status(r);
	db_rows_free(r);
	return st;
}
