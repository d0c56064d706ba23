/* catalog_time_off.c - /api/v1/businesses/{business}/time-off[/{time_off}]: absolute
 * intervals when a provider or resource is away. Staff may write their own provider's.
 * ?owner=..., ?from=DATE and ?to=DATE (business-zone dates, both included) filter the list. */
#include <string.h>

#include "api/auth.h"
#include "api/catalog_crud.h"
#include "api/handlers.h"
#include "store/admin_schedule.h"
#include "store/schedule.h"

static const char *const TIME_OFF_FIELDS[] = {"id", "owner", "start", "end", "reason", NULL};

/* A time-off row as the caller may see it: the staff role sees when colleagues are away,
 * not why (the reason may be private, a medical leave say). */
static json_t *time_off_view(catalog_op *op, const sched_time_off *v)
{
	json_t *o = catalog_time_off_json(v, op->zone);
	const principal *p = auth_principal(op->r);
	bool own = p && p->provider_id && strcmp(v->owner.kind, "provider") == 0 &&
		   strcmp(v->owner.id, p->provider_id) == 0;
	if (p && p->role == ROLE_STAFF && !own)
		json_object_set_new(o, "reason", json_string(""));
	return o;
}

static status time_off_list(catalog_op *op, json_t *arr)
{
	sched_filter f = {0};
	sched_owner o;
	bool has_from, has_to;
	int64_t from, to;
	bool ok = catalog_query_owner(op, &o);
	ok = catalog_query_day(op, "from", &has_from, &from) && ok;
	ok = catalog_query_day(op, "to", &has_to, &to) && ok;
	if (!ok)
		return STATUS_INVALID;
	f.owner_kind = o.kind;
	f.owner_id = o.id;
	f.from = has_from ? tz_day_start(op->zone, from, NULL) : 0;
	f.to = has_to ? tz_day_start(op->zone, to + 1, NULL) : 0;
	sched_time_off *v;
	int n;
	status st = store_time_off_list(op->c, op->b.id, &f, op->r->arena, &v, &n);
	for (int i = 0; st == STATUS_OK && i < n; i++)
		json_array_append_new(arr, time_off_view(op, &v[i]));
	return st;
}

static status time_off_get_json(catalog_op *op, const char *id, json_t **out)
{
	sched_time_off v;
	status st = store_time_off_get(op->c, op->b.id, id, op->r->arena, &v);
	if (st == STATUS_OK)
		*out = time_off_view(op, &v);
	return st;
}

static status time_off_save(catalog_op *op, const json_t *old, const json_t *doc,
			    const char **id_out)
{
	sched_time_off v = {0};
	if (!catalog_time_off_read(&op->rd, doc, "", &v))
		return STATUS_INVALID;
	status st = catalog_owner_check(op, &v.owner, "owner");
	if (st != STATUS_OK)
		return st;
	if (old) {
		sched_time_off before;
		st = store_time_off_get(op->c, op->b.id, v.id, op->r->arena, &before);
		if (st == STATUS_OK)
			catalog_owner_changed(op, &before.owner, before.start_at, before.end_at);
		if (st == STATUS_OK)
			st = store_time_off_update(op->c, op->b.id, &v);
	} else {
		st = store_time_off_insert(op->c, op->b.id, v.id, v.owner, v.start_at, v.end_at,
					   v.reason);
	}
	catalog_owner_changed(op, &v.owner, v.start_at, v.end_at);
	*id_out = v.id;
	return st;
}

static status time_off_remove(catalog_op *op, const json_t *old, bool *kept)
{
	(void)kept;
	sched_time_off v;
	const char *id = json_string_value(json_object_get(old, "id")); /* borrowed */
	status st = store_time_off_get(op->c, op->b.id, id, op->r->arena, &v);
	if (st != STATUS_OK)
		return st;
	catalog_owner_changed(op, &v.owner, v.start_at, v.end_at);
	return store_sched_delete(op->c, op->b.id, "time_off", id);
}

static const catalog_kind TIME_OFF = {
	.one = "time_off",
	.many = "time_off",
	.staff_own = true,
	.fields = TIME_OFF_FIELDS,
	.list = time_off_list,
	.get = time_off_get_json,
	.save = time_off_save,
	.remove = time_off_remove,
};

void catalog_time_off_list(http_req *r) { catalog_list(r, &TIME_OFF); }
void catalog_time_off_post(http_req *r) { catalog_create(r, &TIME_OFF); }
void catalog_time_off_get(http_req *r) { catalog_get(r, &TIME_OFF); }
void catalog_time_off_patch(http_req *r) { catalog_patch(r, &TIME_OFF); }
void catalog_time_off_delete(http_req *r) { catalog_delete(r, &TIME_OFF); }
