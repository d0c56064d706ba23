/* catalog.c - reads and writes of services, providers, resources and their links. */
#include "store/catalog.h"

#include "store/rows.h"

void store_service_read(const db_rows *r, arena *a, service *s)
{
	s->id = arena_strdup(a, db_text(r, 0));
	s->name = arena_strdup(a, db_text(r, 1));
	s->description = arena_strdup(a, db_text(r, 2));
	if (!service_kind_parse(db_text(r, 3), &s->kind))
		s->kind = SERVICE_APPOINTMENT;
	s->duration_s = db_int(r, 4);
	s->price_minor = db_int(r, 5);
	s->capacity = (int)db_int(r, 6);
	s->buffer_before_s = db_int(r, 7);
	s->buffer_after_s = db_int(r, 8);
	s->min_notice_s = db_int(r, 9);
	s->max_advance_s = db_int(r, 10);
	s->slot_interval_s = db_int(r, 11);
	s->min_length_s = db_int(r, 12);
	s->max_length_s = db_int(r, 13);
	s->whole_days = db_int(r, 14) != 0;
	s->needs_resource = db_int(r, 15) != 0;
	s->requires_approval = db_int(r, 16) != 0;
	s->cancel_until_s = db_int(r, 17);
	s->reschedule_until_s = db_int(r, 18);
	s->refund_tiers = arena_strdup(a, db_text(r, 19));
	s->active = db_int(r, 20) != 0;
	s->position = (int)db_int(r, 21);
}

status store_services_list(db_conn *c, const char *business_id, bool active_only, arena *a,
			   service **out, int *count)
{
	db_rows *rows;
	status st = db_query(c,
			     "SELECT " STORE_SERVICE_COLUMNS("") " FROM services WHERE business_id = $1 "
			     "AND (active = 1 OR $2 = 0) ORDER BY position, name, id",
			     DB_PARAMS(DB_S(business_id), DB_I(active_only)), &rows);
	ROWS_COLLECT(st, service, rows, a, out, count, store_service_read);
	return st;
}

status store_service_get(db_conn *c, const char *business_id, const char *id, arena *a,
			 service *out)
{
	db_rows *rows;
	status st = db_query(c,
			     "SELECT " STORE_SERVICE_COLUMNS("")
			     " FROM services WHERE business_id = $1 AND id = $2",
			     DB_PARAMS(DB_S(business_id), DB_S(id)), &rows);
	ROWS_ONE(st, rows, a, out, store_service_read);
	return st;
}

status store_service_insert(db_conn *c, const char *business_id, const service *s, int64_t now)
{
	return db_exec(
		c,
		"INSERT INTO services (business_id, created_at, " STORE_SERVICE_COLUMNS("") ") VALUES ($1, $2, "
		"$3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, "
		"$21, $22, $23, $24)",
		DB_PARAMS(DB_S(business_id), DB_I(now), DB_S(s->id), DB_S(s->name),
			  DB_S(s->description ? s->description : ""), DB_S(service_kind_name(s->kind)),
			  DB_I(s->duration_s), DB_I(s->price_minor), DB_I(s->capacity),
			  DB_I(s->buffer_before_s), DB_I(s->buffer_after_s), DB_I(s->min_notice_s),
			  DB_I(s->max_advance_s), DB_I(s->slot_interval_s), DB_I(s->min_length_s),
			  DB_I(s->max_length_s), DB_I(s->whole_days), DB_I(s->needs_resource),
			  DB_I(s->requires_approval), DB_I(s->cancel_until_s),
			  DB_I(s->reschedule_until_s), DB_S(s->refund_tiers ? s->refund_tiers : "[]"),
			  DB_I(s->active), DB_I(s->position)),
		NULL);
}

void store_provider_read(const db_rows *r, arena *a, provider *p)
{
	p->id = arena_strdup(a, db_text(r, 0));
	p->name = arena_strdup(a, db_text(r, 1));
	p->email = arena_strdup(a, db_text(r, 2));
	p->user_id = db_null(r, 3) ? NULL : arena_strdup(a, db_text(r, 3));
	p->timezone = db_null(r, 4) ? NULL : arena_strdup(a, db_text(r, 4));
	p->active = db_int(r, 5) != 0;
}

status store_provider_get(db_conn *c, const char *business_id, const char *id, arena *a,
			  provider *out)
{
	db_rows *rows;
	status st = db_query(c,
			     "SELECT " STORE_PROVIDER_COLUMNS("") " FROM providers "
			     "WHERE business_id = $1 AND id = $2",
			     DB_PARAMS(DB_S(business_id), DB_S(id)), &rows);
	ROWS_ONE(st, rows, a, out, store_provider_read);
	return st;
}

status store_service_providers(db_conn *c, const char *business_id, const char *service_id,
			       arena *a, provider **out, int *count)
{
	db_rows *rows;
	status st = db_query(c,
			     "SELECT " STORE_PROVIDER_COLUMNS("p.") " "
			     "FROM service_providers sp JOIN providers p "
			     "ON p.business_id = sp.business_id AND p.id = sp.provider_id "
			     "WHERE sp.business_id = $1 AND sp.service_id = $2 AND p.active = 1 "
			     "ORDER BY p.name, p.id",
			     DB_PARAMS(DB_S(business_id), DB_S(service_id)), &rows);
	ROWS_COLLECT(st, provider, rows, a, out, count, store_provider_read);
	return st;
}

void store_resource_read(const db_rows *r, arena *a, resource *res)
{
	res->id = arena_strdup(a, db_text(r, 0));
	res->name = arena_strdup(a, db_text(r, 1));
	res->capacity = (int)db_int(r, 2);
	res->active = db_int(r, 3) != 0;
	res->buffer_before_s = db_int(r, 4);
	res->buffer_after_s = db_int(r, 5);
	res->overnight = db_int(r, 6) != 0;
}

status store_service_resources(db_conn *c, const char *business_id, const char *service_id,
			       arena *a, resource **out, int *count)
{
	db_rows *rows;
	status st = db_query(c,
			     "SELECT " STORE_RESOURCE_COLUMNS("r.") " "
			     "FROM service_resources sr JOIN resources r "
			     "ON r.business_id = sr.business_id AND r.id = sr.resource_id "
			     "WHERE sr.business_id = $1 AND sr.service_id = $2 AND r.active = 1 "
			     "ORDER BY r.name, r.id",
			     DB_PARAMS(DB_S(business_id), DB_S(service_id)), &rows);
	ROWS_COLLECT(st, resource, rows, a, out, count, store_resource_read);
	return st;
}

status store_provider_insert(db_conn *c, const char *business_id, const provider *p, int64_t now)
{
	return db_exec(c,
		       "INSERT INTO providers (business_id, id, name, email, user_id, timezone, "
		       "active, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
		       DB_PARAMS(DB_S(business_id), DB_S(p->id), DB_S(p->name),
				 DB_S(p->email ? p->email : ""), DB_S(p->user_id), DB_S(p->timezone),
				 DB_I(p->active), DB_I(now)),
		       NULL);
}

status store_resource_insert(db_conn *c, const char *business_id, const resource *r, int64_t now)
{
	return db_exec(c,
		       "INSERT INTO resources (business_id, id, name, capacity, active, created_at, "
		       "buffer_before_s, buffer_after_s, overnight) "
		       "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
		       DB_PARAMS(DB_S(business_id), DB_S(r->id), DB_S(r->name), DB_I(r->capacity),
				 DB_I(r->active), DB_I(now), DB_I(r->buffer_before_s),
				 DB_I(r->buffer_after_s), DB_I(r->overnight)),
		       NULL);
}
