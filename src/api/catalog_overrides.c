/* catalog_overrides.c - /api/v1/businesses/{business}/overrides[/{override}]: one date's
 * hours replacing the weekly rules (closed: true closes the date). Admin and owner only.
 * ?owner=..., ?from=DATE and ?to=DATE (both included) filter the list. */
#include <string.h>

#include "api/catalog_crud.h"
#include "api/handlers.h"
#include "base/civil.h"
#include "store/admin_schedule.h"
#include "store/schedule.h"

static const char *const OVERRIDE_FIELDS[] = {"id", "owner", "date", "closed", "start", "end",
					      NULL};

static status overrides_list(catalog_op *op, json_t *arr)
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
	f.date_from = has_from ? http_query(op->r, "from") : NULL;
	f.date_to = has_to ? http_query(op->r, "to") : NULL;
	sched_override *v;
	int n;
	status st = store_overrides_list(op->c, op->b.id, &f, op->r->arena, &v, &n);
	for (int i = 0; st == STATUS_OK && i < n; i++)
		json_array_append_new(arr, catalog_override_json(&v[i]));
	return st;
}

static status override_get_json(catalog_op *op, const char *id, json_t **out)
{
	sched_override v;
	status st = store_override_get(op->c, op->b.id, id, op->r->arena, &v);
	if (st == STATUS_OK)
		*out = catalog_override_json(&v);
	return st;
}

/* The instants a date may cover in any zone near the business's: the day, widened by a
 * day on each side (a provider's own zone may differ). */
static void override_changed(catalog_op *op, const sched_override *v)
{
	int64_t day;
	if (!civil_parse_date(v->date, strlen(v->date), &day))
		return;
	catalog_owner_changed(op, &v->owner, tz_day_start(op->zone, day - 1, NULL),
			      tz_day_start(op->zone, day + 2, NULL));
}

static status override_save(catalog_op *op, const json_t *old, const json_t *doc,
			    const char **id_out)
{
	sched_override v = {0};
	if (!catalog_override_read(&op->rd, doc, "", &v))
		return STATUS_INVALID;
	status st = catalog_owner_check(op, &v.owner, "owner");
	if (st != STATUS_OK)
		return st;
	if (old) {
		sched_override before;
		st = store_override_get(op->c, op->b.id, v.id, op->r->arena, &before);
		if (st == STATUS_OK)
			override_changed(op, &before);
		if (st == STATUS_OK)
			st = store_override_update(op->c, op->b.id, &v);
	} else {
		st = store_override_insert(op->c, op->b.id, v.id, v.owner, v.date, v.closed,
					   v.start_min, v.end_min);
	}
	override_changed(op, &v);
	*id_out = v.id;
	return st;
}

static status override_remove(catalog_op *op, const json_t *old, bool *kept)
{
	(void)kept;
	sched_override v;
	const char *id = json_string_value(json_object_get(old, "id")); /* borrowed */
	status st = store_override_get(op->c, op->b.id, id, op->r->arena, &v);
	if (st != STATUS_OK)
		return st;
	override_changed(op, &v);
	return store_sched_delete(op->c, op->b.id, "overrides", id);
}

static const catalog_kind OVERRIDES = {
	.one = "override",
	.many = "overrides",
	.fields = OVERRIDE_FIELDS,
	.list = overrides_list,
	.get = override_get_json,
	.save = override_save,
	.remove = override_remove,
};

void catalog_overrides_list(http_req *r) { catalog_list(r, &OVERRIDES); }
void catalog_overrides_post(http_req *r) { catalog_create(r, &OVERRIDES); }
void catalog_override_get(http_req *r) { catalog_get(r, &OVERRIDES); }
void catalog_override_patch(http_req *r) { catalog_patch(r, &OVERRIDES); }
void catalog_override_delete(http_req *r) { catalog_delete(r, &OVERRIDES); }
