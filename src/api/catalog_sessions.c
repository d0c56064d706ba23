/* catalog_sessions.c - /api/v1/businesses/{business}/sessions[/{session}]: occurrences of
 * class services, with seats. Admin and owner only. A session with live bookings keeps its
 * service and start and cannot shrink below the seats taken or be deleted (409).
 * ?service=ID, ?provider=ID, ?from=DATE and ?to=DATE (both included) filter the list. */
#include <string.h>

#include "api/catalog_crud.h"
#include "api/handlers.h"
#include "store/admin_catalog.h"
#include "store/admin_schedule.h"
#include "store/catalog.h"
#include "store/schedule.h"

static const char *const SESSION_FIELDS[] = {"id", "service", "provider", "resource", "start",
					     "capacity", NULL};
static const char *const SESSION_READONLY[] = {"end", "seats_taken", NULL};

static status session_json(catalog_op *op, const sched_session *v, json_t **out)
{
	int64_t seats = 0;
	status st = store_admin_bookings_of(op->c, op->b.id, "session_seats", v->id, &seats);
	if (st != STATUS_OK)
		return st;
	*out = catalog_session_json(v, op->zone);
	json_object_set_new(*out, "seats_taken", json_integer(seats));
	return STATUS_OK;
}

static status sessions_list(catalog_op *op, json_t *arr)
{
	sched_filter f = {0};
	bool has_from, has_to;
	int64_t from, to;
	bool ok = catalog_query_day(op, "from", &has_from, &from);
	ok = catalog_query_day(op, "to", &has_to, &to) && ok;
	if (!ok)
		return STATUS_INVALID;
	f.service_id = http_query(op->r, "service");
	if (http_query(op->r, "provider")) {
		f.owner_kind = "provider";
		f.owner_id = http_query(op->r, "provider");
	}
	f.from = has_from ? tz_day_start(op->zone, from, NULL) : 0;
	f.to = has_to ? tz_day_start(op->zone, to + 1, NULL) : 0;
	sched_session *v;
	int n;
	status st = store_sessions_list(op->c, op->b.id, &f, op->r->arena, &v, &n);
	for (int i = 0; st == STATUS_OK && i < n; i++) {
		json_t *row;
		st = session_json(op, &v[i], &row);
		if (st == STATUS_OK)
			json_array_append_new(arr, row);
	}
	return st;
}

static status session_get_json(catalog_op *op, const char *id, json_t **out)
{
	sched_session v;
	status st = store_session_get(op->c, op->b.id, id, op->r->arena, &v);
	return st == STATUS_OK ? session_json(op, &v, out) : st;
}

/* The referenced rows exist (field errors otherwise); *svc is the session's service. */
static status session_refs(catalog_op *op, const sched_session *v, service *svc)
{
	status st = store_service_get(op->c, op->b.id, v->service_id, op->r->arena, svc);
	if (st == STATUS_NOT_FOUND || (st == STATUS_OK && svc->kind != SERVICE_CLASS)) {
		errlist_add(&op->errs, "must name a class service", "%s", "service");
		st = STATUS_OK;
	}
	if (st != STATUS_OK)
		return st;
	sched_owner refs[2] = {{.kind = "provider", .id = v->provider_id},
			       {.kind = "resource", .id = v->resource_id}};
	for (int i = 0; i < 2; i++) {
		if (!refs[i].id)
			continue;
		st = catalog_owner_check(op, &refs[i], refs[i].kind);
		if (st != STATUS_OK && st != STATUS_INVALID)
			return st;
	}
	return errlist_empty(&op->errs) ? STATUS_OK : STATUS_INVALID;
}

static status session_save(catalog_op *op, const json_t *old, const json_t *doc,
			   const char **id_out)
{
	sched_session v = {0};
	int capacity;
	bool ok = catalog_session_read(&op->rd, doc, "", &v, &capacity);
	service svc;
	status st = v.service_id ? session_refs(op, &v, &svc) : STATUS_INVALID;
	if (st == STATUS_OK && !ok)
		st = STATUS_INVALID; /* the references were checked too, to name every fault */
	if (st != STATUS_OK)
		return st;
	v.capacity = capacity > 0 ? capacity : svc.capacity;
	v.end_at = v.start_at + svc.duration_s;
	if (old) {
		sched_session before;
		int64_t seats = 0;
		st = store_session_get(op->c, op->b.id, v.id, op->r->arena, &before);
		if (st == STATUS_OK)
			st = store_admin_bookings_of(op->c, op->b.id, "session_seats", v.id, &seats);
		if (st != STATUS_OK)
			return st;
		if (seats > 0 && (before.start_at != v.start_at ||
				  strcmp(before.service_id, v.service_id) != 0)) {
			op->why = "the session has live bookings: its service and start cannot change";
			return STATUS_CONFLICT;
		}
		if (seats > v.capacity) {
			op->why = arena_printf(op->r->arena,
					       "%lld seats are taken: the capacity cannot be lower",
					       (long long)seats);
			return STATUS_CONFLICT;
		}
		catalog_changed(op, before.service_id, NULL, NULL, before.start_at, before.end_at);
		st = store_session_update(op->c, op->b.id, &v);
	} else {
		st = store_session_insert(op->c, op->b.id, v.id, v.service_id, v.provider_id,
					  v.resource_id, v.start_at, v.end_at, v.capacity);
	}
	catalog_changed(op, v.service_id, NULL, NULL, v.start_at, v.end_at);
	*id_out = v.id;
	return st;
}

static status session_remove(catalog_op *op, const json_t *old, bool *kept)
{
	(void)kept;
	const char *id = json_string_value(json_object_get(old, "id")); /* borrowed */
	sched_session v;
	int64_t seats = 0;
	status st = store_session_get(op->c, op->b.id, id, op->r->arena, &v);
	if (st == STATUS_OK)
		st = store_admin_bookings_of(op->c, op->b.id, "session_seats", id, &seats);
	if (st != STATUS_OK)
		return st;
	if (seats > 0) {
		op->why = "the session has live bookings; cancel them first";
		return STATUS_CONFLICT;
	}
	catalog_changed(op, v.service_id, NULL, NULL, v.start_at, v.end_at);
	return store_sched_delete(op->c, op->b.id, "sessions", id);
}

static const catalog_kind SESSIONS = {
	.one = "session",
	.many = "sessions",
	.fields = SESSION_FIELDS,
	.readonly = SESSION_READONLY,
	.list = sessions_list,
	.get = session_get_json,
	.save = session_save,
	.remove = session_remove,
};

void catalog_sessions_list(http_req *r) { catalog_list(r, &SESSIONS); }
void catalog_sessions_post(http_req *r) { catalog_create(r, &SESSIONS); }
void catalog_session_get(http_req *r) { catalog_get(r, &SESSIONS); }
void catalog_session_patch(http_req *r) { catalog_patch(r, &SESSIONS); }
void catalog_session_delete(http_req *r) { catalog_delete(r, &SESSIONS); }
