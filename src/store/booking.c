/* booking.c - writes of bookings, booking events and customers. */
#include "store/booking.h"

#include <string.h>

#include "base/ids.h"
#include "store/webhook_event.h"

status store_booking_insert(db_conn *c, const char *business_id, const booking *b)
{
	return store_booking_insert_client(c, business_id, b, NULL, NULL);
}

status store_booking_insert_client(db_conn *c, const char *business_id, const booking *b,
				   const char *client_addr, const char *client_token)
{
	return db_exec(
		c,
		"INSERT INTO bookings (business_id, id, reference, service_id, provider_id, "
		"resource_id, session_id, start_at, end_at, busy_start, busy_end, seats, status, "
		"hold_expires_at, customer_id, customer_name, customer_email, customer_phone, source, "
		"price_minor, currency, notes, manage_token_hash, created_at, updated_at, customer_tz, "
		"client_addr, client_token) "
		"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, "
		"$18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28)",
		DB_PARAMS(DB_S(business_id), DB_S(b->id), DB_S(b->reference), DB_S(b->service_id),
			  DB_S(b->provider_id), DB_S(b->resource_id), DB_S(b->session_id),
			  DB_I(b->start_at), DB_I(b->end_at), DB_I(b->busy_start), DB_I(b->busy_end),
			  DB_I(b->seats), DB_S(booking_status_name(b->status)),
			  b->hold_expires_at ? DB_I(b->hold_expires_at) : DB_NUL, DB_S(b->customer_id),
			  DB_S(b->customer_name ? b->customer_name : ""),
			  DB_S(b->customer_email ? b->customer_email : ""),
			  DB_S(b->customer_phone ? b->customer_phone : ""),
			  DB_S(b->source ? b->source : "web"), DB_I(b->price_minor), DB_S(b->currency),
			  DB_S(b->notes ? b->notes : ""), DB_S(b->manage_token_hash),
			  DB_I(b->created_at), DB_I(b->updated_at), DB_S(b->customer_tz),
			  DB_S(client_addr), DB_S(client_token)),
		NULL);
}

status store_booking_event(db_conn *c, const char *business_id, const char *id,
			   const char *booking_id, int64_t at, const char *actor, const char *kind,
			   const char *from_status, const char *to_status, const char *reason,
			   const char *changes)
{
	int64_t moved = 0;
	status st = STATUS_OK;
	/* The creation goes into the booking's row, written in this transaction anyway (one
	 * B-tree fewer a booking); only one made at its created_at and not yet recorded. */
	if (strcmp(kind, "created") == 0 && !from_status)
		st = db_exec(c,
			     "UPDATE bookings SET created_by = $3, created_status = $4, "
			     "created_reason = $5, created_changes = $6 WHERE business_id = $1 AND "
			     "id = $2 AND created_at = $7 AND created_by IS NULL",
			     DB_PARAMS(DB_S(business_id), DB_S(booking_id), DB_S(actor),
				       DB_S(to_status), DB_S(reason ? reason : ""),
				       DB_S(changes ? changes : "{}"), DB_I(at)),
			     &moved);
	if (st == STATUS_OK && moved == 0)
		st = db_exec(c,
			     "INSERT INTO booking_events (business_id, id, booking_id, at, actor, "
			     "kind, from_status, to_status, reason, changes) "
			     "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
			     DB_PARAMS(DB_S(business_id), DB_S(id), DB_S(booking_id), DB_I(at),
				       DB_S(actor), DB_S(kind), DB_S(from_status), DB_S(to_status),
				       DB_S(reason ? reason : ""), DB_S(changes ? changes : "{}")),
			     NULL);
	/* The webhook event of the change, in its transaction. */
	return st == STATUS_OK ? webhook_event_booking(c, business_id, booking_id, kind,
						       from_status, to_status, at)
			       : st;
}

status store_customer_upsert(db_conn *c, const char *business_id, const char *email_norm,
			     const char *name, const char *phone, bool fill_only, int bookings,
			     int64_t spend_minor, int64_t now, arena *a, const char **id_out)
{
	const char *fresh = ids_sortable(a, "cus");
	db_rows *rows;
	/* One statement for both cases, so two concurrent first bookings cannot both insert.
	 * $9 (fill_only) keeps a stored name and phone; only blanks are filled. */
	status st = db_query(c,
			     "INSERT INTO customers (business_id, id, email_norm, name, phone, "
			     "bookings_count, spend_minor, created_at, updated_at) VALUES ($1, $2, $3, "
			     "$4, $5, $7, $8, $6, $6) ON CONFLICT (business_id, email_norm) DO UPDATE SET "
			     "name = CASE WHEN $9 = 1 AND customers.name <> '' THEN customers.name ELSE "
			     "excluded.name END, phone = CASE WHEN excluded.phone = '' OR ($9 = 1 AND "
			     "customers.phone <> '') THEN customers.phone ELSE excluded.phone END, "
			     "updated_at = excluded.updated_at, "
			     "bookings_count = customers.bookings_count + excluded.bookings_count, "
			     "spend_minor = customers.spend_minor + excluded.spend_minor RETURNING id",
			     DB_PARAMS(DB_S(business_id), DB_S(fresh), DB_S(email_norm), DB_S(name),
				       DB_S(phone ? phone : ""), DB_I(now), DB_I(bookings),
				       DB_I(spend_minor), DB_I(fill_only)),
			     &rows);
	if (st != STATUS_OK)
		return st;
	if (db_next(rows))
		*id_out = arena_strdup(a, db_text(rows, 0));
	else
		st = db_rows_status(rows) == STATUS_OK ? STATUS_INTERNAL : db_rows_status(rows);
	db_rows_free(rows);
	if (st == STATUS_OK && strcmp(*id_out, fresh) == 0) /* inserted: a new customer */
		st = webhook_event_customer(c, business_id, *id_out, now);
	return st;
}

/* A booking and, after it, its business (column STORE_BOOKING_NCOLS). */
#define BOOKING_SELECT STORE_BOOKING_COLUMNS("") ", business_id"

static const char *opt_text(const db_rows *r, int col, arena *a)
{
	return db_null(r, col) ? NULL : arena_strdup(a, db_text(r, col));
}

void store_booking_read(const db_rows *r, arena *a, booking *b)
{
	b->id = arena_strdup(a, db_text(r, 0));
	b->reference = arena_strdup(a, db_text(r, 1));
	b->service_id = arena_strdup(a, db_text(r, 2));
	b->provider_id = opt_text(r, 3, a);
	b->resource_id = opt_text(r, 4, a);
	b->session_id = opt_text(r, 5, a);
	b->start_at = db_int(r, 6);
	b->end_at = db_int(r, 7);
	b->busy_start = db_int(r, 8);
	b->busy_end = db_int(r, 9);
	b->seats = (int)db_int(r, 10);
	if (!booking_status_parse(db_text(r, 11), &b->status))
		b->status = BOOKING_CANCELLED;
	b->hold_expires_at = db_int(r, 12);
	b->customer_id = opt_text(r, 13, a);
	b->customer_name = arena_strdup(a, db_text(r, 14));
	b->customer_email = arena_strdup(a, db_text(r, 15));
	b->customer_phone = arena_strdup(a, db_text(r, 16));
	b->source = arena_strdup(a, db_text(r, 17));
	b->price_minor = db_int(r, 18);
	b->currency = arena_strdup(a, db_text(r, 19));
	b->notes = arena_strdup(a, db_text(r, 20));
	b->manage_token_hash = opt_text(r, 21, a);
	b->created_at = db_int(r, 22);
	b->updated_at = db_int(r, 23);
	b->customer_tz = opt_text(r, 24, a);
	b->referral = arena_strdup(a, db_text(r, 25));
}

static status booking_one(db_conn *c, const char *sql, const db_val *params, int n, arena *a,
			  booking *out, const char **business_id_out)
{
	db_rows *r;
	status st = db_query(c, sql, params, n, &r);
	if (st != STATUS_OK)
		return st;
	if (db_next(r)) {
		store_booking_read(r, a, out);
		if (business_id_out)
			*business_id_out = arena_strdup(a, db_text(r, STORE_BOOKING_NCOLS));
	} else {
		st = db_rows_status(r) == STATUS_OK ? STATUS_NOT_FOUND : db_rows_status(r);
	}
	db_rows_free(r);
	return st;
}

status store_booking_get(db_conn *c, const char *business_id, const char *id, bool for_update,
			 arena *a, booking *out)
{
	const char *sql = for_update && db_conn_kind(c) == DB_POSTGRES
				  ? "SELECT " BOOKING_SELECT
				    " FROM bookings WHERE business_id = $1 AND id = $2 FOR UPDATE"
				  : "SELECT " BOOKING_SELECT
				    " FROM bookings WHERE business_id = $1 AND id = $2";
	return booking_one(c, sql, DB_PARAMS(DB_S(business_id), DB_S(id)), a, out, NULL);
}

status store_booking_by_reference(db_conn *c, const char *reference, arena *a, booking *out,
				  const char **business_id_out)
{
	return booking_one(c, "SELECT " BOOKING_SELECT " FROM bookings WHERE reference = $1",
			   DB_PARAMS(DB_S(reference)), a, out, business_id_out);
}

status store_booking_set_status(db_conn *c, const char *business_id, const char *id,
				booking_status from, booking_status to, int64_t now)
{
	int64_t changed = 0;
	status st = db_exec(c,
			    "UPDATE bookings SET status = $4, updated_at = $5, hold_expires_at = "
			    "CASE WHEN $4 = 'held' THEN hold_expires_at ELSE NULL END "
			    "WHERE business_id = $1 AND id = $2 AND status = $3",
			    DB_PARAMS(DB_S(business_id), DB_S(id), DB_S(booking_status_name(from)),
				      DB_S(booking_status_name(to)), DB_I(now)),
			    &changed);
	if (st == STATUS_OK && changed != 1)
		st = STATUS_CONFLICT;
	return st;
}

status store_booking_set_customer(db_conn *c, const char *business_id, const booking *b)
{
	return db_exec(c,
		       "UPDATE bookings SET customer_id = $3, customer_name = $4, customer_email = $5, "
		       "customer_phone = $6, notes = $7, manage_token_hash = $8, source = $9, "
		       "updated_at = $10, customer_tz = $11 WHERE business_id = $1 AND id = $2",
		       DB_PARAMS(DB_S(business_id), DB_S(b->id), DB_S(b->customer_id),
				 DB_S(b->customer_name), DB_S(b->customer_email),
				 DB_S(b->customer_phone), DB_S(b->notes ? b->notes : ""),
				 DB_S(b->manage_token_hash), DB_S(b->source), DB_I(b->updated_at),
				 DB_S(b->customer_tz)),
		       NULL);
}

status store_booking_move(db_conn *c, const char *business_id, const booking *b, int64_t now)
{
	return db_exec(c,
		       "UPDATE bookings SET start_at = $3, end_at = $4, busy_start = $5, busy_end = $6, "
		       "provider_id = $7, resource_id = $8, session_id = $9, updated_at = $10 "
		       "WHERE business_id = $1 AND id = $2",
		       DB_PARAMS(DB_S(business_id), DB_S(b->id), DB_I(b->start_at), DB_I(b->end_at),
				 DB_I(b->busy_start), DB_I(b->busy_end), DB_S(b->provider_id),
				 DB_S(b->resource_id), DB_S(b->session_id), DB_I(now)),
		       NULL);
}

status store_booking_events(db_conn *c, const char *business_id, const char *booking_id,
			    arena *a, booking_event **out, int *count)
{
	db_rows *r;
	status st = db_query(c,
			     "SELECT created_at, created_by, 'created', NULL, created_status, "
			     "created_reason, created_changes, '' FROM bookings WHERE business_id = "
			     "$1 AND id = $2 AND created_by IS NOT NULL UNION ALL "
			     "SELECT at, actor, kind, from_status, to_status, reason, changes, id "
			     "FROM booking_events WHERE business_id = $1 AND booking_id = $2 "
			     "ORDER BY 1, 8",
			     DB_PARAMS(DB_S(business_id), DB_S(booking_id)), &r);
	if (st != STATUS_OK)
		return st;
	int n = 0, cap = 8;
	booking_event *ev = arena_alloc(a, sizeof(*ev) * (size_t)cap);
	while (db_next(r)) {
		if (n == cap) {
			booking_event *bigger = arena_alloc(a, sizeof(*ev) * (size_t)cap * 2);
			memcpy(bigger, ev, sizeof(*ev) * (size_t)cap);
			ev = bigger;
			cap *= 2;
		}
		ev[n].at = db_int(r, 0);
		ev[n].actor = arena_strdup(a, db_text(r, 1));
		ev[n].kind = arena_strdup(a, db_text(r, 2));
		ev[n].from_status = opt_text(r, 3, a);
		ev[n].to_status = opt_text(r, 4, a);
		ev[n].reason = arena_strdup(a, db_text(r, 5));
		ev[n].changes = arena_strdup(a, db_text(r, 6));
		n++;
	}
	st = db_rows_status(r);
	db_rows_free(r);
	*out = ev;
	*count = n;
	return st;
}

status store_customer_count(db_conn *c, const char *business_id, const char *customer_id,
			    int bookings, int64_t spend_minor, int cancellations, int no_shows)
{
	if (!customer_id)
		return STATUS_OK;
	return db_exec(c,
		       "UPDATE customers SET bookings_count = bookings_count + $3, "
		       "spend_minor = spend_minor + $4, cancellations = cancellations + $5, "
		       "no_shows = no_shows + $6 WHERE business_id = $1 AND id = $2",
		       DB_PARAMS(DB_S(business_id), DB_S(customer_id), DB_I(bookings),
				 DB_I(spend_minor), DB_I(cancellations), DB_I(no_shows)),
		       NULL);
}

status store_idem_get(db_conn *c, const char *business_id, const char *key, arena *a,
		      const char **request_hash, int *status_code, const char **response)
{
	db_rows *r;
	status st = db_query(c,
			     "SELECT request_hash, status_code, response FROM idempotency_keys "
			     "WHERE business_id = $1 AND key = $2",
			     DB_PARAMS(DB_S(business_id), DB_S(key)), &r);
	if (st != STATUS_OK)
		return st;
	if (db_next(r)) {
		*request_hash = arena_strdup(a, db_text(r, 0));
		*status_code = (int)db_int(r, 1);
		*response = arena_strdup(a, db_text(r, 2));
	} else {
		st = db_rows_status(r) == STATUS_OK ? STATUS_NOT_FOUND : db_rows_status(r);
	}
	db_rows_free(r);
	return st;
}

status store_idem_put(db_conn *c, const char *business_id, const char *key,
		      const char *request_hash, int status_code, const char *response, int64_t now)
{
	return db_exec(c,
		       "INSERT INTO idempotency_keys (business_id, key, request_hash, status_code, "
		       "response, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
		       DB_PARAMS(DB_S(business_id), DB_S(key), DB_S(request_hash), DB_I(status_code),
				 DB_S(response), DB_I(now)),
		       NULL);
}
