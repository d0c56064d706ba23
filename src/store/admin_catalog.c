/* admin_catalog.c - the staff side's catalogue reads and writes (see admin_catalog.h). */
#include "store/admin_catalog.h"

#include <string.h>

#include "store/availability.h"
#include "store/catalog.h"
#include "store/rows.h"

static status admin_changed(status st, int64_t changes)
{
	return st == STATUS_OK && changes == 0 ? STATUS_NOT_FOUND : st;
}

status store_admin_business_update(db_conn *c, const business *b)
{
	int64_t n = 0;
	status st = db_exec(c,
			    "UPDATE businesses SET name = $2, timezone = $3, currency = $4, locale = $5, "
			    "address = $6, phone = $7, hold_ttl_s = $8, no_show_grace_s = $9, "
			    "auto_no_show = $10, embed_origins = $11, listed = $12, logo_url = $13, "
			    "accent_colour = $14, require_phone = $15 WHERE id = $1",
			    DB_PARAMS(DB_S(b->id), DB_S(b->name), DB_S(b->timezone), DB_S(b->currency),
				      DB_S(b->locale), DB_S(b->address ? b->address : ""),
				      DB_S(b->phone ? b->phone : ""), DB_I(b->hold_ttl_s),
				      DB_I(b->no_show_grace_s), DB_I(b->auto_no_show),
				      DB_S(b->embed_origins ? b->embed_origins : ""), DB_I(b->listed),
				      DB_S(b->logo_url ? b->logo_url : ""),
				      DB_S(b->accent_colour ? b->accent_colour : ""),
				      DB_I(b->require_phone)),
			    &n);
	return admin_changed(st, n);
}

status store_admin_business_save(db_conn *c, const business *b)
{
	status st = db_begin_write(c);
	if (st == STATUS_OK)
		st = store_admin_business_update(c, b);
	if (st == STATUS_OK)
		st = store_catalog_touch(c, b->id);
	if (st == STATUS_OK)
		st = db_commit(c);
	if (st != STATUS_OK)
		db_rollback(c);
	return st;
}

status store_admin_providers_list(db_conn *c, const char *business_id, arena *a,
				  provider **out, int *count)
{
	db_rows *rows;
	status st = db_query(c,
			     "SELECT " STORE_PROVIDER_COLUMNS("") " FROM providers "
			     "WHERE business_id = $1 ORDER BY id",
			     DB_PARAMS(DB_S(business_id)), &rows);
	ROWS_COLLECT(st, provider, rows, a, out, count, store_provider_read);
	return st;
}

status store_admin_resources_list(db_conn *c, const char *business_id, arena *a,
				  resource **out, int *count)
{
	db_rows *rows;
	status st = db_query(c,
			     "SELECT " STORE_RESOURCE_COLUMNS("") " FROM resources "
			     "WHERE business_id = $1 ORDER BY id",
			     DB_PARAMS(DB_S(business_id)), &rows);
	ROWS_COLLECT(st, resource, rows, a, out, count, store_resource_read);
	return st;
}

status store_admin_resource_get(db_conn *c, const char *business_id, const char *id, arena *a,
				resource *out)
{
	db_rows *rows;
	status st = db_query(c,
			     "SELECT " STORE_RESOURCE_COLUMNS("") " FROM resources "
			     "WHERE business_id = $1 AND id = $2",
			     DB_PARAMS(DB_S(business_id), DB_S(id)), &rows);
	ROWS_ONE(st, rows, a, out, store_resource_read);
	return st;
}

status store_admin_service_update(db_conn *c, const char *business_id, const service *s)
{
	int64_t n = 0;
	status st = db_exec(
		c,
		"UPDATE services SET name = $3, description = $4, kind = $5, duration_s = $6, "
		"price_minor = $7, capacity = $8, buffer_before_s = $9, buffer_after_s = $10, "
		"min_notice_s = $11, max_advance_s = $12, slot_interval_s = $13, min_length_s = $14, "
		"max_length_s = $15, whole_days = $16, needs_resource = $17, requires_approval = $18, "
		"cancel_until_s = $19, reschedule_until_s = $20, refund_tiers = $21, active = $22, "
		"position = $23 WHERE business_id = $1 AND id = $2",
		DB_PARAMS(DB_S(business_id), DB_S(s->id), DB_S(s->name),
			  DB_S(s->description ? s->description : ""), DB_S(service_kind_name(s->kind)),
			  DB_I(s->duration_s), DB_I(s->price_minor), DB_I(s->capacity),
			  DB_I(s->buffer_before_s), DB_I(s->buffer_after_s), DB_I(s->min_notice_s),
			  DB_I(s->max_advance_s), DB_I(s->slot_interval_s), DB_I(s->min_length_s),
			  DB_I(s->max_length_s), DB_I(s->whole_days), DB_I(s->needs_resource),
			  DB_I(s->requires_approval), DB_I(s->cancel_until_s),
			  DB_I(s->reschedule_until_s), DB_S(s->refund_tiers ? s->refund_tiers : "[]"),
			  DB_I(s->active), DB_I(s->position)),
		&n);
	return admin_changed(st, n);
}

status store_admin_provider_update(db_conn *c, const char *business_id, const provider *p)
{
	int64_t n = 0;
	status st = db_exec(c,
			    "UPDATE providers SET name = $3, email = $4, user_id = $5, timezone = $6, "
			    "active = $7 WHERE business_id = $1 AND id = $2",
			    DB_PARAMS(DB_S(business_id), DB_S(p->id), DB_S(p->name),
				      DB_S(p->email ? p->email : ""), DB_S(p->user_id),
				      DB_S(p->timezone), DB_I(p->active)),
			    &n);
	return admin_changed(st, n);
}

status store_admin_resource_update(db_conn *c, const char *business_id, const resource *r)
{
	int64_t n = 0;
	status st = db_exec(c,
			    "UPDATE resources SET name = $3, capacity = $4, active = $5, "
			    "buffer_before_s = $6, buffer_after_s = $7, overnight = $8 "
			    "WHERE business_id = $1 AND id = $2",
			    DB_PARAMS(DB_S(business_id), DB_S(r->id), DB_S(r->name), DB_I(r->capacity),
				      DB_I(r->active), DB_I(r->buffer_before_s),
				      DB_I(r->buffer_after_s), DB_I(r->overnight)),
			    &n);
	return admin_changed(st, n);
}

/* Runs each statement with ($1 business, $2 id); the last one's row count decides. */
static status admin_delete_all(db_conn *c, const char *business_id, const char *id,
			       const char *const *sqls, size_t n)
{
	int64_t changes = 0;
	for (size_t i = 0; i < n; i++) {
		status st = db_exec(c, sqls[i], DB_PARAMS(DB_S(business_id), DB_S(id)), &changes);
		if (st != STATUS_OK)
			return st;
	}
	return admin_changed(STATUS_OK, changes);
}

status store_admin_service_delete(db_conn *c, const char *business_id, const char *id)
{
	static const char *const sqls[] = {
		"DELETE FROM service_providers WHERE business_id = $1 AND service_id = $2",
		"DELETE FROM service_resources WHERE business_id = $1 AND service_id = $2",
		"DELETE FROM sessions WHERE business_id = $1 AND service_id = $2",
		"DELETE FROM services WHERE business_id = $1 AND id = $2",
	};
	return admin_delete_all(c, business_id, id, sqls, sizeof(sqls) / sizeof(sqls[0]));
}

status store_admin_provider_delete(db_conn *c, const char *business_id, const char *id)
{
	/* Its own hours go with it; sessions it led keep running without a named leader. */
	static const char *const sqls[] = {
		"DELETE FROM service_providers WHERE business_id = $1 AND provider_id = $2",
		"DELETE FROM schedules WHERE business_id = $1 AND owner_kind = 'provider' AND owner_id = $2",
		"DELETE FROM overrides WHERE business_id = $1 AND owner_kind = 'provider' AND owner_id = $2",
		"DELETE FROM time_off WHERE business_id = $1 AND owner_kind = 'provider' AND owner_id = $2",
		"UPDATE sessions SET provider_id = NULL WHERE business_id = $1 AND provider_id = $2",
		"DELETE FROM providers WHERE business_id = $1 AND id = $2",
	};
	return admin_delete_all(c, business_id, id, sqls, sizeof(sqls) / sizeof(sqls[0]));
}

status store_admin_resource_delete(db_conn *c, const char *business_id, const char *id)
{
	static const char *const sqls[] = {
		"DELETE FROM service_resources WHERE business_id = $1 AND resource_id = $2",
		"DELETE FROM schedules WHERE business_id = $1 AND owner_kind = 'resource' AND owner_id = $2",
		"DELETE FROM overrides WHERE business_id = $1 AND owner_kind = 'resource' AND owner_id = $2",
		"DELETE FROM time_off WHERE business_id = $1 AND owner_kind = 'resource' AND owner_id = $2",
		"UPDATE sessions SET resource_id = NULL WHERE business_id = $1 AND resource_id = $2",
		"DELETE FROM resources WHERE business_id = $1 AND id = $2",
	};
	return admin_delete_all(c, business_id, id, sqls, sizeof(sqls) / sizeof(sqls[0]));
}

static status admin_ids(db_conn *c, const char *sql, const char *business_id,
			const char *service_id, arena *a, const char ***out, int *count)
{
	db_rows *rows;
	status st = db_query(c, sql, DB_PARAMS(DB_S(business_id), DB_S(service_id)), &rows);
	if (st != STATUS_OK)
		return st;
	int n = 0, cap = 0;
	const char **arr = NULL;
	while (db_next(rows)) {
		ROWS_GROW(a, arr, n, cap);
		arr[n++] = arena_strdup(a, db_text(rows, 0));
	}
	st = db_rows_status(rows);
	db_rows_free(rows);
	*out = arr;
	*count = n;
	return st;
}

status store_admin_service_links(db_conn *c, const char *business_id, const char *service_id,
				 arena *a, const char ***providers, int *n_providers,
				 const char ***resources, int *n_resources)
{
	status st = admin_ids(c,
			      "SELECT provider_id FROM service_providers WHERE business_id = $1 "
			      "AND service_id = $2 ORDER BY provider_id",
			      business_id, service_id, a, providers, n_providers);
	if (st != STATUS_OK)
		return st;
	return admin_ids(c,
			 "SELECT resource_id FROM service_resources WHERE business_id = $1 "
			 "AND service_id = $2 ORDER BY resource_id",
			 business_id, service_id, a, resources, n_resources);
}

status store_admin_service_set_links(db_conn *c, const char *business_id,
				     const char *service_id, const char *const *providers,
				     int n_providers, const char *const *resources, int n_resources)
{
	status st = db_exec(c,
			    "DELETE FROM service_providers WHERE business_id = $1 AND service_id = $2",
			    DB_PARAMS(DB_S(business_id), DB_S(service_id)), NULL);
	if (st == STATUS_OK)
		st = db_exec(c,
			     "DELETE FROM service_resources WHERE business_id = $1 AND service_id = $2",
			     DB_PARAMS(DB_S(business_id), DB_S(service_id)), NULL);
	/* Explicit existence checks: SQLite without foreign keys on would not refuse. */
	for (int i = 0; st == STATUS_OK && i < n_providers; i++) {
		int64_t changes = 0;
		st = db_exec(c,
			     "INSERT INTO service_providers (business_id, service_id, provider_id) "
			     "SELECT $1, $2, id FROM providers WHERE business_id = $1 AND id = $3 "
			     "ON CONFLICT DO NOTHING",
			     DB_PARAMS(DB_S(business_id), DB_S(service_id), DB_S(providers[i])),
			     &changes);
		if (st == STATUS_OK && changes == 0) {
			int64_t dup = 0;
			st = db_query_int(c,
					  "SELECT COUNT(*) FROM service_providers WHERE business_id = $1 "
					  "AND service_id = $2 AND provider_id = $3",
					  DB_PARAMS(DB_S(business_id), DB_S(service_id),
						    DB_S(providers[i])),
					  &dup);
			if (st == STATUS_OK && dup == 0)
				st = STATUS_CONFLICT;
		}
	}
	for (int i = 0; st == STATUS_OK && i < n_resources; i++) {
		int64_t changes = 0;
		st = db_exec(c,
			     "INSERT INTO service_resources (business_id, service_id, resource_id) "
			     "SELECT $1, $2, id FROM resources WHERE business_id = $1 AND id = $3 "
			     "ON CONFLICT DO NOTHING",
			     DB_PARAMS(DB_S(business_id), DB_S(service_id), DB_S(resources[i])),
			     &changes);
		if (st == STATUS_OK && changes == 0) {
			int64_t dup = 0;
			st = db_query_int(c,
					  "SELECT COUNT(*) FROM service_resources WHERE business_id = $1 "
					  "AND service_id = $2 AND resource_id = $3",
					  DB_PARAMS(DB_S(business_id), DB_S(service_id),
						    DB_S(resources[i])),
					  &dup);
			if (st == STATUS_OK && dup == 0)
				st = STATUS_CONFLICT;
		}
	}
	return st;
}

status store_admin_bookings_of(db_conn *c, const char *business_id, const char *kind,
			       const char *id, int64_t *count)
{
	const char *sql;
	if (strcmp(kind, "service") == 0)
		sql = "SELECT COUNT(*) FROM bookings WHERE business_id = $1 AND service_id = $2";
	else if (strcmp(kind, "provider") == 0)
		sql = "SELECT COUNT(*) FROM bookings WHERE business_id = $1 AND provider_id = $2";
	else if (strcmp(kind, "resource") == 0)
		sql = "SELECT COUNT(*) FROM bookings WHERE business_id = $1 AND resource_id = $2";
	else if (strcmp(kind, "session") == 0)
		sql = "SELECT COUNT(*) FROM bookings WHERE business_id = $1 AND session_id = $2";
	else if (strcmp(kind, "session_seats") == 0)
		sql = "SELECT COALESCE(SUM(seats), 0) FROM bookings WHERE business_id = $1 AND "
		      "session_id = $2 AND status IN ('held', 'pending', 'confirmed', 'checked_in')";
	else
		return STATUS_INTERNAL;
	return db_query_int(c, sql, DB_PARAMS(DB_S(business_id), DB_S(id)), count);
}


status store_admin_user_link_check(db_conn *c, const char *business_id, const char *user_id,
				   const char *provider_id, arena *a, bool *exists,
				   const char **linked_out)
{
	*exists = false;
	*linked_out = NULL;
	/* The lock is what makes "at most one provider per user" hold under concurrent
	 * writers on PostgreSQL; SQLite's write transaction already excludes them. */
	const char *sql = db_conn_kind(c) == DB_POSTGRES
				  ? "SELECT id FROM users WHERE business_id = $1 AND id = $2 FOR UPDATE"
				  : "SELECT id FROM users WHERE business_id = $1 AND id = $2";
	db_rows *rows;
	status st = db_query(c, sql, DB_PARAMS(DB_S(business_id), DB_S(user_id)), &rows);
	if (st != STATUS_OK)
		return st;
	*exists = db_next(rows);
	st = db_rows_status(rows);
	db_rows_free(rows);
	if (st != STATUS_OK || !*exists)
		return st;
	st = db_query(c,
		      "SELECT id FROM providers WHERE business_id = $1 AND user_id = $2 AND id <> $3 "
		      "ORDER BY id LIMIT 1",
		      DB_PARAMS(DB_S(business_id), DB_S(user_id), DB_S(provider_id)), &rows);
	if (st != STATUS_OK)
		return st;
	if (db_next(rows))
		*linked_out = arena_strdup(a, db_text(rows, 0));
	st = db_rows_status(rows);
	db_rows_free(rows);
	return st;
}
