/* business.c - reads and writes of the businesses table. */
#include "store/business.h"

#include <stdio.h>

#include "store/rows.h"

#define BUSINESS_COLUMNS                                                                      \
	"id, slug, name, timezone, currency, locale, address, phone, hold_ttl_s, "             \
	"no_show_grace_s, auto_no_show, created_at, embed_origins, listed, logo_url, "       \
	"accent_colour, require_phone"

static status business_read(db_rows *rows, arena *a, business *out)
{
	if (!db_next(rows)) {
		status st = db_rows_status(rows);
		return st == STATUS_OK ? STATUS_NOT_FOUND : st;
	}
	out->id = arena_strdup(a, db_text(rows, 0));
	out->slug = arena_strdup(a, db_text(rows, 1));
	out->name = arena_strdup(a, db_text(rows, 2));
	out->timezone = arena_strdup(a, db_text(rows, 3));
	out->currency = arena_strdup(a, db_text(rows, 4));
	out->locale = arena_strdup(a, db_text(rows, 5));
	out->address = arena_strdup(a, db_text(rows, 6));
	out->phone = arena_strdup(a, db_text(rows, 7));
	out->hold_ttl_s = db_int(rows, 8);
	out->no_show_grace_s = db_int(rows, 9);
	out->auto_no_show = db_int(rows, 10) != 0;
	out->created_at = db_int(rows, 11);
	out->embed_origins = arena_strdup(a, db_text(rows, 12));
	out->listed = db_int(rows, 13) != 0;
	out->logo_url = arena_strdup(a, db_text(rows, 14));
	out->accent_colour = arena_strdup(a, db_text(rows, 15));
	out->require_phone = db_int(rows, 16) != 0;
	return STATUS_OK;
}

static status business_one(db_conn *c, const char *sql, const char *key, arena *a, business *out)
{
	db_rows *rows;
	status st = db_query(c, sql, DB_PARAMS(DB_S(key)), &rows);
	if (st != STATUS_OK)
		return st;
	st = business_read(rows, a, out);
	db_rows_free(rows);
	return st;
}

status store_business_by_slug(db_conn *c, const char *slug, arena *a, business *out)
{
	return business_one(c, "SELECT " BUSINESS_COLUMNS " FROM businesses WHERE slug = $1", slug,
			    a, out);
}

status store_business_by_id(db_conn *c, const char *id, arena *a, business *out)
{
	return business_one(c, "SELECT " BUSINESS_COLUMNS " FROM businesses WHERE id = $1", id, a,
			    out);
}

static void business_brief_read(db_rows *rows, arena *a, business_brief *out)
{
	out->slug = arena_strdup(a, db_text(rows, 0));
	out->name = arena_strdup(a, db_text(rows, 1));
}

status store_businesses_list(db_conn *c, bool listed_only, int limit, arena *a,
			     business_brief **out, int *count)
{
	db_rows *rows;
	status st = db_query(c,
			     "SELECT slug, name FROM businesses WHERE listed = 1 OR $1 = 0 "
			     "ORDER BY slug LIMIT $2",
			     DB_PARAMS(DB_I(listed_only), DB_I(limit)), &rows);
	ROWS_COLLECT(st, business_brief, rows, a, out, count, business_brief_read);
	return st;
}

status store_business_insert(db_conn *c, const business *b)
{
	return db_exec(c,
		       "INSERT INTO businesses (" BUSINESS_COLUMNS ") VALUES "
		       "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
		       DB_PARAMS(DB_S(b->id), DB_S(b->slug), DB_S(b->name), DB_S(b->timezone),
				 DB_S(b->currency), DB_S(b->locale), DB_S(b->address ? b->address : ""),
				 DB_S(b->phone ? b->phone : ""), DB_I(b->hold_ttl_s),
				 DB_I(b->no_show_grace_s), DB_I(b->auto_no_show), DB_I(b->created_at),
				 DB_S(b->embed_origins ? b->embed_origins : ""), DB_I(b->listed),
				 DB_S(b->logo_url ? b->logo_url : ""),
				 DB_S(b->accent_colour ? b->accent_colour : ""), DB_I(b->require_phone)),
		       NULL);
}

status store_business_delete(db_conn *c, const char *id)
{
	/* Tables whose rows reference other business rows go first, so foreign keys hold. Each
	 * statement is a fixed string. */
#define BUSINESS_DELETE(table) "DELETE FROM " table " WHERE business_id = $1"
	static const char *const statements[] = {
		BUSINESS_DELETE("notifications"),
		BUSINESS_DELETE("idempotency_keys"),
		BUSINESS_DELETE("notification_templates"),
		BUSINESS_DELETE("staff_sessions"),
		BUSINESS_DELETE("api_tokens"),
		BUSINESS_DELETE("audit_log"),
		BUSINESS_DELETE("login_failures"),
		BUSINESS_DELETE("booking_events"),
		BUSINESS_DELETE("bookings"),
		BUSINESS_DELETE("customers"),
		BUSINESS_DELETE("sessions"),
		BUSINESS_DELETE("service_providers"),
		BUSINESS_DELETE("service_resources"),
		BUSINESS_DELETE("services"),
		BUSINESS_DELETE("schedules"),
		BUSINESS_DELETE("overrides"),
		BUSINESS_DELETE("time_off"),
		BUSINESS_DELETE("closures"),
		BUSINESS_DELETE("providers"),
		BUSINESS_DELETE("resources"),
		BUSINESS_DELETE("users"),
	};
#undef BUSINESS_DELETE
	for (size_t i = 0; i < sizeof(statements) / sizeof(statements[0]); i++) {
		status st = db_exec(c, statements[i], DB_PARAMS(DB_S(id)), NULL);
		if (st != STATUS_OK)
			return st;
	}
	return db_exec(c, "DELETE FROM businesses WHERE id = $1", DB_PARAMS(DB_S(id)), NULL);
}
