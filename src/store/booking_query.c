/* booking_query.c - filtered, paged reads of bookings for staff. */
#include "store/booking_query.h"

#include <jansson.h>
#include <string.h>

#include "store/booking.h"
#include "store/customer.h"
#include "store/rows.h"

/* The columns every read here returns: a booking (store_booking_read), then the names of
 * its service, provider and resource, then the changes of the latest cancel event of a
 * cancelled booking (its refund and fee), then the service's kind. */
#define ROW_SELECT                                                                              \
	"SELECT " STORE_BOOKING_COLUMNS("b.") ", s.name, p.name, r.name, "                      \
	"CASE WHEN b.status = 'cancelled' THEN (SELECT e.changes FROM booking_events e "        \
	"WHERE e.business_id = b.business_id AND e.booking_id = b.id AND e.kind = 'cancel' "    \
	"ORDER BY e.at DESC, e.id DESC LIMIT 1) END, s.kind "                                   \
	"FROM bookings b "                                                                      \
	"LEFT JOIN services s ON s.business_id = b.business_id AND s.id = b.service_id "        \
	"LEFT JOIN providers p ON p.business_id = b.business_id AND p.id = b.provider_id "      \
	"LEFT JOIN resources r ON r.business_id = b.business_id AND r.id = b.resource_id "

/* The text a search looks in: the customer's name, email and phone as booked and the
 * reference, lower-cased and joined by '|'. Exactly the expression of the bookings_search
 * index (migration 0016), so the search reads that index alone (SQLite: a covering scan;
 * PostgreSQL: trigrams); run once as an uncorrelated IN list, then the page is read in
 * (start_at, id) order as without a search. The text is never NULL, so ">= ''" holds for
 * every booking: it gives SQLite a range on the index, which it then prefers to any other
 * index on business_id alone (among equals it takes the one created last). */
#define BOOKING_SEARCH(t)                                                                       \
	"LOWER(" t "customer_name || '|' || " t "customer_email || '|' || " t "customer_phone || "  \
	"'|' || " t "reference)"

/* Slots of the status list: one per booking_status. */
#define QUERY_STATUSES 8
_Static_assert(BOOKING_EXPIRED == QUERY_STATUSES - 1, "one status slot per booking_status");

static const char *opt_text(const db_rows *r, int col, arena *a)
{
	return db_null(r, col) ? NULL : arena_strdup(a, db_text(r, col));
}

int64_t store_cancel_fee(const char *changes)
{
	if (!changes)
		return 0;
	json_t *o = json_loads(changes, 0, NULL);
	json_t *fee = json_object_get(o, "fee_minor"); /* borrowed */
	int64_t v = json_is_integer(fee) ? (int64_t)json_integer_value(fee) : 0;
	json_decref(o);
	return v;
}

static void row_read(const db_rows *r, arena *a, booking_row *out)
{
	memset(out, 0, sizeof(*out));
	store_booking_read(r, a, &out->b);
	out->service_name = opt_text(r, STORE_BOOKING_NCOLS, a);
	out->provider_name = opt_text(r, STORE_BOOKING_NCOLS + 1, a);
	out->resource_name = opt_text(r, STORE_BOOKING_NCOLS + 2, a);
	out->fee_minor =
		out->b.status == BOOKING_CANCELLED ? store_cancel_fee(db_text(r, STORE_BOOKING_NCOLS + 3)) : 0;
	out->service_kind = opt_text(r, STORE_BOOKING_NCOLS + 4, a);
}

/* The bookings list: one statement for every combination of filters, each on or off by a
 * bound flag; the status list has one slot per status ("" never matches a status). key is
 * what the text search returns and the list takes: the id, or on SQLite the rowid, which
 * its search index holds instead of the id (migration 0037). */
#define BOOKINGS_QUERY_SQL(key)                                                               \
	ROW_SELECT                                                                            \
	"WHERE b.business_id = $1 AND ($2 = 0 OR b.start_at >= $3) "                          \
	"AND ($4 = 0 OR b.start_at < $5) "                                                    \
	"AND ($6 = 0 OR b.status IN ($7, $8, $9, $10, $11, $12, $13, $14)) "                  \
	"AND ($15 = '' OR b.provider_id = $15 OR b.resource_id = $15) "                       \
	"AND ($16 = '' OR b.service_id = $16) AND ($17 = '' OR b.customer_id = $17) "         \
	"AND ($18 = '' OR b.source = $18) AND ($19 = '' OR b.provider_id = $19) "             \
	"AND ($20 = 0 OR b.start_at > $21 OR (b.start_at = $21 AND b.id > $22)) "             \
	"AND ($24 = '' OR b." key " IN (SELECT x." key " FROM bookings x "                    \
	"WHERE x.business_id = $1 AND " BOOKING_SEARCH("x.") " >= '' "                        \
	"AND " BOOKING_SEARCH("x.") " LIKE $24 ESCAPE '\\')) "                                \
	"AND ($25 = '' OR b.referral = $25) "                                                 \
	"ORDER BY b.start_at, b.id LIMIT $23"

status store_bookings_query(db_conn *c, const char *business_id, const booking_filter *f,
			    arena *a, booking_row **out, int *count, bool *more)
{
	*out = NULL;
	*count = 0;
	*more = false;
	if (f->limit < 1 || f->limit > BOOKING_QUERY_MAX)
		return STATUS_INVALID;
	const char *st_names[QUERY_STATUSES];
	for (int i = 0; i < QUERY_STATUSES; i++)
		st_names[i] = f->statuses & (1u << i) ? booking_status_name((booking_status)i) : "";
	db_rows *r;
	status st = db_query(
		c,
		db_conn_kind(c) == DB_SQLITE ? BOOKINGS_QUERY_SQL("rowid") : BOOKINGS_QUERY_SQL("id"),
		DB_PARAMS(DB_S(business_id), DB_I(f->has_from), DB_I(f->from), DB_I(f->has_to),
			  DB_I(f->to), DB_I(f->statuses != 0), DB_S(st_names[0]), DB_S(st_names[1]),
			  DB_S(st_names[2]), DB_S(st_names[3]), DB_S(st_names[4]), DB_S(st_names[5]),
			  DB_S(st_names[6]), DB_S(st_names[7]),
			  DB_S(f->provider_id ? f->provider_id : ""),
			  DB_S(f->service_id ? f->service_id : ""),
			  DB_S(f->customer_id ? f->customer_id : ""), DB_S(f->source ? f->source : ""),
			  DB_S(f->visible_to ? f->visible_to : ""), DB_I(f->has_after),
			  DB_I(f->after_start), DB_S(f->after_id ? f->after_id : ""),
			  DB_I(f->limit + 1),
			  DB_S(f->text && *f->text ? store_like_pattern(a, f->text) : ""),
			  DB_S(f->referral ? f->referral : "")),
		&r);
	ROWS_COLLECT(st, booking_row, r, a, out, count, row_read);
	if (st == STATUS_OK && *count > f->limit) {
		*count = f->limit;
		*more = true;
	}
	return st;
}

/* A reference is "XXXX-XXXX"; ids never hold a '-'. */
static bool looks_like_reference(const char *s)
{
	return strlen(s) == 9 && s[4] == '-';
}

status store_booking_row(db_conn *c, const char *business_id, const char *id,
			 const char *visible_to, arena *a, booking_row *out)
{
	db_rows *r;
	status st = db_query(c,
			     looks_like_reference(id)
				     ? ROW_SELECT "WHERE b.business_id = $1 AND b.reference = $2 "
						  "AND ($3 = '' OR b.provider_id = $3)"
				     : ROW_SELECT "WHERE b.business_id = $1 AND b.id = $2 "
						  "AND ($3 = '' OR b.provider_id = $3)",
			     DB_PARAMS(DB_S(business_id), DB_S(id), DB_S(visible_to ? visible_to : "")),
			     &r);
	ROWS_ONE(st, r, a, out, row_read);
	return st;
}
