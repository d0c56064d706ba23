/* schedule.c - writes of schedules, overrides, time off, closures and sessions. */
#include "store/schedule.h"

status store_schedule_insert(db_conn *c, const char *business_id, const char *id,
			     sched_owner owner, int weekday, int start_min, int end_min,
			     const char *valid_from, const char *valid_to)
{
	return db_exec(c,
		       "INSERT INTO schedules (business_id, id, owner_kind, owner_id, weekday, "
		       "start_min, end_min, valid_from, valid_to) "
		       "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
		       DB_PARAMS(DB_S(business_id), DB_S(id), DB_S(owner.kind), DB_S(owner.id),
				 DB_I(weekday), DB_I(start_min), DB_I(end_min), DB_S(valid_from),
				 DB_S(valid_to)),
		       NULL);
}

status store_override_insert(db_conn *c, const char *business_id, const char *id,
			     sched_owner owner, const char *date, bool closed, int start_min,
			     int end_min)
{
	return db_exec(c,
		       "INSERT INTO overrides (business_id, id, owner_kind, owner_id, date, closed, "
		       "start_min, end_min) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
		       DB_PARAMS(DB_S(business_id), DB_S(id), DB_S(owner.kind), DB_S(owner.id),
				 DB_S(date), DB_I(closed), DB_I(start_min), DB_I(end_min)),
		       NULL);
}

status store_time_off_insert(db_conn *c, const char *business_id, const char *id,
			     sched_owner owner, int64_t start_at, int64_t end_at, const char *reason)
{
	return db_exec(c,
		       "INSERT INTO time_off (business_id, id, owner_kind, owner_id, start_at, end_at, "
		       "reason) VALUES ($1, $2, $3, $4, $5, $6, $7)",
		       DB_PARAMS(DB_S(business_id), DB_S(id), DB_S(owner.kind), DB_S(owner.id),
				 DB_I(start_at), DB_I(end_at), DB_S(reason ? reason : "")),
		       NULL);
}

status store_closure_insert(db_conn *c, const char *business_id, const char *id,
			    const char *date, const char *name)
{
	return db_exec(c,
		       "INSERT INTO closures (business_id, id, date, name) VALUES ($1, $2, $3, $4)",
		       DB_PARAMS(DB_S(business_id), DB_S(id), DB_S(date), DB_S(name ? name : "")),
		       NULL);
}

status store_session_insert(db_conn *c, const char *business_id, const char *id,
			    const char *service_id, const char *provider_id, const char *resource_id,
			    int64_t start_at, int64_t end_at, int capacity)
{
	return db_exec(c,
		       "INSERT INTO sessions (business_id, id, service_id, provider_id, resource_id, "
		       "start_at, end_at, capacity) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
		       DB_PARAMS(DB_S(business_id), DB_S(id), DB_S(service_id), DB_S(provider_id),
				 DB_S(resource_id), DB_I(start_at), DB_I(end_at), DB_I(capacity)),
		       NULL);
}
