/* booking.c - writes of bookings, booking events and customers. */
#include "store/booking.h"

#include "base/ids.h"

status store_booking_insert(db_conn *c, const char *business_id, const booking *b)
{
	return db_exec(
		c,
		"INSERT INTO bookings (business_id, id, reference, service_id, provider_id, "
		"resource_id, session_id, start_at, end_at, busy_start, busy_end, seats, status, "
		"hold_expires_at, customer_id, customer_name, customer_email, customer_phone, source, "
		"price_minor, currency, notes, manage_token_hash, created_at, updated_at) VALUES ($1, "
		"$2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, "
		"$20, $21, $22, $23, $24, $25)",
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
			  DB_I(b->created_at), DB_I(b->updated_at)),
		NULL);
}

status store_booking_event(db_conn *c, const char *business_id, const char *id,
			   const char *booking_id, int64_t at, const char *actor, const char *kind,
			   const char *from_status, const char *to_status, const char *reason,
			   const char *changes)
{
	return db_exec(c,
		       "INSERT INTO booking_events (business_id, id, booking_id, at, actor, kind, "
		       "from_status, to_status, reason, changes) "
		       "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
		       DB_PARAMS(DB_S(business_id), DB_S(id), DB_S(booking_id), DB_I(at), DB_S(actor),
				 DB_S(kind), DB_S(from_status), DB_S(to_status),
				 DB_S(reason ? reason : ""), DB_S(changes ? changes : "{}")),
		       NULL);
}

status store_customer_upsert(db_conn *c, const char *business_id, const char *email_norm,
			     const char *name, const char *phone, int64_t now, arena *a,
			     const char **id_out)
{
	const char *fresh = ids_new(a, "cus");
	db_rows *rows;
	/* One statement for both cases, so two concurrent first bookings cannot both insert. */
	status st = db_query(c,
			     "INSERT INTO customers (business_id, id, email_norm, name, phone, "
			     "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) "
			     "ON CONFLICT (business_id, email_norm) DO UPDATE SET name = excluded.name, "
			     "phone = CASE WHEN excluded.phone = '' THEN customers.phone "
			     "ELSE excluded.phone END, updated_at = excluded.updated_at RETURNING id",
			     DB_PARAMS(DB_S(business_id), DB_S(fresh), DB_S(email_norm), DB_S(name),
				       DB_S(phone ? phone : ""), DB_I(now)),
			     &rows);
	if (st != STATUS_OK)
		return st;
	if (db_next(rows))
		*id_out = arena_strdup(a, db_text(rows, 0));
	else
		st = db_rows_status(rows) == STATUS_OK ? STATUS_INTERNAL : db_rows_status(rows);
	db_rows_free(rows);
	return st;
}
