/* protection.c - the protection settings and the client counts, as SQL. */
#include "store/protection.h"

#include <string.h>

#define PROTECTION_COLUMNS                                                                     \
	"holds_per_client, holds_per_address, hold_day_share, bookings_per_address_hour, "     \
	"bookings_per_address_day, bookings_per_email_hour, bookings_per_email_day, "          \
	"confirm_by_email, confirm_within_s, slowdown_after, slowdown_ms"

protection protection_defaults(void)
{
	return (protection){.holds_per_client = 2, .holds_per_address = 2, .hold_day_share = 50,
			    .bookings_per_address_hour = 10, .bookings_per_address_day = 30,
			    .bookings_per_email_hour = 3, .bookings_per_email_day = 10,
			    .confirm_by_email = false, .confirm_within_s = 3600,
			    .slowdown_after = 0, .slowdown_ms = 1000};
}

status store_protection_get(db_conn *c, const char *business_id, protection *out)
{
	db_rows *r;
	status st = db_query(c, "SELECT " PROTECTION_COLUMNS " FROM businesses WHERE id = $1",
			     DB_PARAMS(DB_S(business_id)), &r);
	if (st != STATUS_OK)
		return st;
	if (db_next(r)) {
		out->holds_per_client = (int)db_int(r, 0);
		out->holds_per_address = (int)db_int(r, 1);
		out->hold_day_share = (int)db_int(r, 2);
		out->bookings_per_address_hour = (int)db_int(r, 3);
		out->bookings_per_address_day = (int)db_int(r, 4);
		out->bookings_per_email_hour = (int)db_int(r, 5);
		out->bookings_per_email_day = (int)db_int(r, 6);
		out->confirm_by_email = db_int(r, 7) != 0;
		out->confirm_within_s = db_int(r, 8);
		out->slowdown_after = (int)db_int(r, 9);
		out->slowdown_ms = (int)db_int(r, 10);
	} else {
		st = db_rows_status(r) == STATUS_OK ? STATUS_NOT_FOUND : db_rows_status(r);
	}
	db_rows_free(r);
	return st;
}

status store_protection_set(db_conn *c, const char *business_id, const protection *p)
{
	int64_t n = 0;
	status st = db_exec(c,
			    "UPDATE businesses SET holds_per_client = $2, holds_per_address = $3, "
			    "hold_day_share = $4, bookings_per_address_hour = $5, "
			    "bookings_per_address_day = $6, bookings_per_email_hour = $7, "
			    "bookings_per_email_day = $8, confirm_by_email = $9, confirm_within_s = $10, "
			    "slowdown_after = $11, slowdown_ms = $12 WHERE id = $1",
			    DB_PARAMS(DB_S(business_id), DB_I(p->holds_per_client),
				      DB_I(p->holds_per_address), DB_I(p->hold_day_share),
				      DB_I(p->bookings_per_address_hour),
				      DB_I(p->bookings_per_address_day),
				      DB_I(p->bookings_per_email_hour), DB_I(p->bookings_per_email_day),
				      DB_I(p->confirm_by_email), DB_I(p->confirm_within_s),
				      DB_I(p->slowdown_after), DB_I(p->slowdown_ms)),
			    &n);
	return st == STATUS_OK && n == 0 ? STATUS_NOT_FOUND : st;
}

status store_client_writes(db_conn *c, const char *business_id, const char *addr,
			   int64_t since, int *count)
{
	int64_t n = 0;
	status st = db_query_int(c,
				 "SELECT COUNT(*) FROM bookings WHERE business_id = $1 AND "
				 "client_addr = $2 AND created_at > $3",
				 DB_PARAMS(DB_S(business_id), DB_S(addr), DB_I(since)), &n);
	*count = (int)n;
	return st;
}

static const char *key_name(client_key k)
{
	return k == CLIENT_ADDRESS ? "addr" : k == CLIENT_TOKEN ? "token" : "email";
}

status store_client_lock(db_conn *c, const char *business_id, client_key k, const char *value)
{
	if (db_conn_kind(c) != DB_POSTGRES)
		return STATUS_OK;
	db_rows *r;
	/* The key text is bound; only its 64-bit hash names the lock (a collision merely makes
	 * two clients wait for each other). */
	status st = db_query(c, "SELECT pg_advisory_xact_lock(hashtextextended($1 || ':' || $2 || "
				"':' || $3, 0))",
			     DB_PARAMS(DB_S(business_id), DB_S(key_name(k)), DB_S(value)), &r);
	if (st != STATUS_OK)
		return st;
	while (db_next(r))
		;
	st = db_rows_status(r);
	db_rows_free(r);
	return st;
}

/* Runs a query of one row with two integer columns. */
static status two_ints(db_conn *c, const char *sql, const db_val *params, int n, int *count,
		       int64_t *second)
{
	db_rows *r;
	status st = db_query(c, sql, params, n, &r);
	if (st != STATUS_OK)
		return st;
	*count = 0;
	*second = 0;
	if (db_next(r)) {
		*count = (int)db_int(r, 0);
		*second = db_null(r, 1) ? 0 : db_int(r, 1);
	}
	st = db_rows_status(r);
	db_rows_free(r);
	return st;
}

status store_client_holds(db_conn *c, const char *business_id, client_key k, const char *value,
			  int64_t now, int *count, int64_t *first_expiry)
{
	/* One fixed statement per key: a column name is never formatted into SQL. */
	static const char *const sql[] = {
		[CLIENT_ADDRESS] = "SELECT COUNT(*), MIN(hold_expires_at) FROM bookings WHERE "
				   "business_id = $1 AND client_addr = $2 AND status = 'held' AND "
				   "hold_expires_at > $3 AND customer_id IS NULL",
		[CLIENT_TOKEN] = "SELECT COUNT(*), MIN(hold_expires_at) FROM bookings WHERE "
				 "business_id = $1 AND client_token = $2 AND status = 'held' AND "
				 "hold_expires_at > $3 AND customer_id IS NULL",
		[CLIENT_EMAIL] = "SELECT COUNT(*), MIN(hold_expires_at) FROM bookings WHERE "
				 "business_id = $1 AND customer_email = $2 AND status = 'held' AND "
				 "hold_expires_at > $3 AND customer_id IS NULL AND client_addr IS NOT NULL",
	};
	return two_ints(c, sql[k], DB_PARAMS(DB_S(business_id), DB_S(value), DB_I(now)), count,
			first_expiry);
}

status store_client_bookings(db_conn *c, const char *business_id, client_key k,
			     const char *value, int64_t since, int *count, int64_t *oldest)
{
	static const char *const sql[] = {
		[CLIENT_ADDRESS] = "SELECT COUNT(*), MIN(created_at) FROM bookings WHERE "
				   "business_id = $1 AND client_addr = $2 AND created_at > $3 AND "
				   "customer_id IS NOT NULL",
		[CLIENT_TOKEN] = "SELECT COUNT(*), MIN(created_at) FROM bookings WHERE "
				 "business_id = $1 AND client_token = $2 AND created_at > $3 AND "
				 "customer_id IS NOT NULL",
		/* Through the customer the email names (a booking's customer is the one its
		 * email matched): bookings_customer serves it, no index of its own (0019). */
		[CLIENT_EMAIL] = "SELECT COUNT(*), MIN(created_at) FROM bookings WHERE "
				 "business_id = $1 AND customer_id = (SELECT u.id FROM customers u "
				 "WHERE u.business_id = $1 AND u.email_norm = $2) AND customer_email = "
				 "$2 AND created_at > $3 AND client_addr IS NOT NULL",
	};
	return two_ints(c, sql[k], DB_PARAMS(DB_S(business_id), DB_S(value), DB_I(since)), count,
			oldest);
}

status store_client_mark(db_conn *c, const char *business_id, const char *booking_id,
			 const char *addr, const char *token)
{
	return db_exec(c,
		       "UPDATE bookings SET client_addr = $3, client_token = COALESCE($4, "
		       "client_token) WHERE business_id = $1 AND id = $2",
		       DB_PARAMS(DB_S(business_id), DB_S(booking_id), DB_S(addr), DB_S(token)),
		       NULL);
}

/* The live holds of one provider or resource ($2) in [$4, $5) ($1 business, $3 now). SQLite is
 * told the index: without statistics it would take the business's bookings by start, up to
 * the end of the range, every earlier booking of the business, to find the few live holds. */
#define HOLDS_TAKING_SQL(indexed, column)                                                     \
	"SELECT seats, start_at, end_at, hold_expires_at FROM bookings " indexed " WHERE "      \
	"business_id = $1 AND " column " = $2 AND status = 'held' AND hold_expires_at > $3 AND " \
	"start_at < $5 AND end_at > $4"

const char *store_holds_taking_sql(const db_conn *c, bool resource)
{
	static const char *const sql[2][2] = {
		{HOLDS_TAKING_SQL("", "provider_id"), HOLDS_TAKING_SQL("", "resource_id")},
		{HOLDS_TAKING_SQL("INDEXED BY bookings_hold_expiry", "provider_id"),
		 HOLDS_TAKING_SQL("INDEXED BY bookings_hold_expiry", "resource_id")},
	};
	return sql[db_conn_kind(c) == DB_SQLITE][resource];
}

status store_holds_taking(db_conn *c, const char *business_id, const char *bookable_id,
			  bool resource, const char *session_id, int64_t from, int64_t to,
			  int64_t now, int64_t *taken, int64_t *first_expiry)
{
	db_rows *r;
	status st;
	if (session_id)
		st = db_query(c,
			      "SELECT seats, start_at, end_at, hold_expires_at FROM bookings WHERE "
			      "business_id = $1 AND session_id = $2 AND status = 'held' AND "
			      "hold_expires_at > $3",
			      DB_PARAMS(DB_S(business_id), DB_S(session_id), DB_I(now)), &r);
	else
		st = db_query(c, store_holds_taking_sql(c, resource),
			      DB_PARAMS(DB_S(business_id), DB_S(bookable_id), DB_I(now), DB_I(from),
					DB_I(to)),
			      &r);
	if (st != STATUS_OK)
		return st;
	*taken = 0;
	*first_expiry = 0;
	while (db_next(r)) {
		if (session_id) {
			*taken += db_int(r, 0);
		} else {
			int64_t s = db_int(r, 1), e = db_int(r, 2);
			*taken += (e < to ? e : to) - (s > from ? s : from);
		}
		int64_t x = db_int(r, 3);
		if (!*first_expiry || x < *first_expiry)
			*first_expiry = x;
	}
	st = db_rows_status(r);
	db_rows_free(r);
	return st;
}

status store_hold_extend(db_conn *c, const char *business_id, const char *booking_id,
			 int64_t until, int64_t now)
{
	int64_t n = 0;
	status st = db_exec(c,
			    "UPDATE bookings SET hold_expires_at = $3, updated_at = $4 WHERE "
			    "business_id = $1 AND id = $2 AND status = 'held'",
			    DB_PARAMS(DB_S(business_id), DB_S(booking_id), DB_I(until), DB_I(now)),
			    &n);
	return st == STATUS_OK && n == 0 ? STATUS_CONFLICT : st;
}
