/* catalog_closures.c - /api/v1/businesses/{business}/closures[/{closure}]: business-wide
 * closed dates (holidays), at most one per date. Admin and owner only. ?from=DATE and
 * ?to=DATE (both included) filter the list. */
#include <string.h>

#include "api/catalog_crud.h"
#include "api/handlers.h"
#include "base/civil.h"
#include "store/admin_schedule.h"
#include "store/schedule.h"

static const char *const CLOSURE_FIELDS[] = {"id", "date", "name", NULL};

static status closures_list(catalog_op *op, json_t *arr)
{
	sched_filter f = {0};
	bool has_from, has_to;
	int64_t from, to;
	bool ok = catalog_query_day(op, "from", &has_from, &from);
	ok = catalog_query_day(op, "to", &has_to, &to) && ok;
	if (!ok)
		return STATUS_INVALID;
	f.date_from = has_from ? http_query(op->r, "from") : NULL;
	f.date_to = has_to ? http_query(op->r, "to") : NULL;
	sched_closure *v;
	int n;
	status st = store_closures_list(op->c, op->b.id, &f, op->r->arena, &v, &n);
	for (int i = 0; st == STATUS_OK && i < n; i++)
		json_array_append_new(arr, catalog_closure_json(&v[i]));
	return st;
}

static status closure_get_json(catalog_op *op, const char *id, json_t **out)
{
	sched_closure v;
	status st = store_closure_get(op->c, op->b.id, id, op->r->arena, &v);
	if (st == STATUS_OK)
		*out = catalog_closure_json(&v);
	return st;
}

/* A closure takes its whole business-zone day from every service. */
static void closure_changed(catalog_op *op, const char *date)
{
	int64_t day;
	if (civil_parse_date(date, strlen(date), &day))
		catalog_changed(op, NULL, NULL, NULL, tz_day_start(op->zone, day, NULL),
				tz_day_start(op->zone, day + 1, NULL));
}

/* Another closure on that date? (one per date: the database refuses a second) */
static status closure_date_free(catalog_op *op, const sched_closure *v)
{
	sched_filter f = {.date_from = v->date, .date_to = v->date};
	sched_closure *same;
	int n;
	status st = store_closures_list(op->c, op->b.id, &f, op->r->arena, &same, &n);
	if (st == STATUS_OK && n > 0 && strcmp(same[0].id, v->id) != 0) {
		op->why = arena_printf(op->r->arena, "the business is already closed on %s (%s)",
				       v->date, same[0].id);
		return STATUS_CONFLICT;
	}
	return st;
}

static status closure_save(catalog_op *op, const json_t *old, const json_t *doc,
			   const char **id_out)
{
	sched_closure v = {0};
	if (!catalog_closure_read(&op->rd, doc, "", &v))
		return STATUS_INVALID;
	status st = closure_date_free(op, &v);
	if (st != STATUS_OK)
		return st;
	if (old) {
		const char *before = json_string_value(json_object_get(old, "date")); /* borrowed */
		if (before)
			closure_changed(op, before);
		st = store_closure_update(op->c, op->b.id, &v);
	} else {
		st = store_closure_insert(op->c, op->b.id, v.id, v.date, v.name);
	}
	closure_changed(op, v.date);
	*id_out = v.id;
	return st;
}

static status closure_remove(catalog_op *op, const json_t *old, bool *kept)
{
	(void)kept;
	const char *id = json_string_value(json_object_get(old, "id"));     /* borrowed */
	const char *date = json_string_value(json_object_get(old, "date")); /* borrowed */
	if (date)
		closure_changed(op, date);
	return store_sched_delete(op->c, op->b.id, "closures", id);
}

static const catalog_kind CLOSURES = {
	.one = "closure",
	.many = "closures",
	.fields = CLOSURE_FIELDS,
	.list = closures_list,
	.get = closure_get_json,
	.save = closure_save,
	.remove = closure_remove,
};

void catalog_closures_list(http_req *r) { catalog_list(r, &CLOSURES); }
void catalog_closures_post(http_req *r) { catalog_create(r, &CLOSURES); }
void catalog_closure_get(http_req *r) { catalog_get(r, &CLOSURES); }
void catalog_closure_patch(http_req *r) { catalog_patch(r, &CLOSURES); }
void catalog_closure_delete(http_req *r) { catalog_delete(r, &CLOSURES); }
