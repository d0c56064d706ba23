/* catalog_schedules.c - /api/v1/businesses/{business}/schedules[/{schedule}]: weekly rules
 * of the business, a provider or a resource. Staff may write the rules of their own
 * provider. ?owner=business|provider:ID|resource:ID filters the list. POST …/schedules/copy
 * gives other weekdays the ranges of one, in one transaction (a preview with ?dry_run=1). */
#include <string.h>

#include "api/catalog_crud.h"
#include "api/handlers.h"
#include "base/ids.h"
#include "store/admin_schedule.h"
#include "store/schedule.h"

static const char *const SCHEDULE_FIELDS[] = {"id", "owner", "weekday", "start", "end",
					      "valid_from", "valid_to", NULL};

static status schedules_list(catalog_op *op, json_t *arr)
{
	sched_filter f = {0};
	sched_owner o;
	if (!catalog_query_owner(op, &o))
		return STATUS_INVALID;
	f.owner_kind = o.kind;
	f.owner_id = o.id;
	sched_rule *v;
	int n;
	status st = store_rules_list(op->c, op->b.id, &f, op->r->arena, &v, &n);
	for (int i = 0; st == STATUS_OK && i < n; i++)
		json_array_append_new(arr, catalog_rule_json(&v[i]));
	return st;
}

static status schedule_get_json(catalog_op *op, const char *id, json_t **out)
{
	sched_rule v;
	status st = store_rule_get(op->c, op->b.id, id, op->r->arena, &v);
	if (st == STATUS_OK)
		*out = catalog_rule_json(&v);
	return st;
}

static status schedule_save(catalog_op *op, const json_t *old, const json_t *doc,
			    const char **id_out)
{
	sched_rule v = {0};
	if (!catalog_rule_read(&op->rd, doc, "", &v))
		return STATUS_INVALID;
	status st = catalog_owner_check(op, &v.owner, "owner");
	if (st != STATUS_OK)
		return st;
	if (old) {
		sched_rule before;
		st = store_rule_get(op->c, op->b.id, v.id, op->r->arena, &before);
		if (st == STATUS_OK)
			catalog_owner_changed(op, &before.owner, 0, INT64_MAX);
		if (st == STATUS_OK)
			st = store_rule_update(op->c, op->b.id, &v);
	} else {
		st = store_schedule_insert(op->c, op->b.id, v.id, v.owner, v.weekday, v.start_min,
					   v.end_min, v.valid_from, v.valid_to);
	}
	catalog_owner_changed(op, &v.owner, 0, INT64_MAX);
	*id_out = v.id;
	return st;
}

static status schedule_remove(catalog_op *op, const json_t *old, bool *kept)
{
	(void)kept;
	sched_rule v;
	const char *id = json_string_value(json_object_get(old, "id")); /* borrowed */
	status st = store_rule_get(op->c, op->b.id, id, op->r->arena, &v);
	if (st != STATUS_OK)
		return st;
	catalog_owner_changed(op, &v.owner, 0, INT64_MAX);
	return store_sched_delete(op->c, op->b.id, "schedules", id);
}

static const catalog_kind SCHEDULES = {
	.one = "schedule",
	.many = "schedules",
	.staff_own = true,
	.fields = SCHEDULE_FIELDS,
	.list = schedules_list,
	.get = schedule_get_json,
	.save = schedule_save,
	.remove = schedule_remove,
};

/* Whether two optional dates ("YYYY-MM-DD" or NULL) are the same. */
static bool same_date(const char *x, const char *y)
{
	return (!x && !y) || (x && y && strcmp(x, y) == 0);
}

/* The owner's rules of the season of scope as {"schedules": [...]} (a new reference). */
static status season_json(catalog_op *op, const sched_rule *scope, json_t **out)
{
	sched_filter f = {.owner_kind = scope->owner.kind, .owner_id = scope->owner.id};
	sched_rule *v;
	int n;
	status st = store_rules_list(op->c, op->b.id, &f, op->r->arena, &v, &n);
	if (st != STATUS_OK)
		return st;
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		if (same_date(v[i].valid_from, scope->valid_from) &&
		    same_date(v[i].valid_to, scope->valid_to))
			json_array_append_new(arr, catalog_rule_json(&v[i])); /* steals */
	*out = json_pack("{s:o}", "schedules", arr);                  /* "o" steals arr */
	return STATUS_OK;
}

/* Within one owner's season (rules with the same valid_from and valid_to), the target days'
 * rules give way to copies of the source day's. */
static status schedules_copy(catalog_op *op, const json_t *body, json_t **answer)
{
	sched_rule scope = {0};
	unsigned to_days;
	if (!catalog_rule_copy_read(&op->rd, body, "", &scope, &to_days))
		return STATUS_INVALID;
	status st = catalog_owner_check(op, &scope.owner, "owner");
	if (st != STATUS_OK)
		return st;
	sched_filter f = {.owner_kind = scope.owner.kind, .owner_id = scope.owner.id};
	sched_rule *v;
	int n;
	st = store_rules_list(op->c, op->b.id, &f, op->r->arena, &v, &n);
	for (int i = 0; st == STATUS_OK && i < n; i++) {
		if (!same_date(v[i].valid_from, scope.valid_from) ||
		    !same_date(v[i].valid_to, scope.valid_to))
			continue;
		if (to_days & (1u << v[i].weekday))
			st = store_sched_delete(op->c, op->b.id, "schedules", v[i].id);
	}
	for (int i = 0; st == STATUS_OK && i < n; i++) {
		if (v[i].weekday != scope.weekday || !same_date(v[i].valid_from, scope.valid_from) ||
		    !same_date(v[i].valid_to, scope.valid_to))
			continue;
		for (int d = 0; st == STATUS_OK && d < 7; d++)
			if (to_days & (1u << d))
				st = store_schedule_insert(op->c, op->b.id, ids_new(op->r->arena, "sch"),
							   scope.owner, d, v[i].start_min, v[i].end_min,
							   scope.valid_from, scope.valid_to);
	}
	if (st != STATUS_OK)
		return st;
	catalog_owner_changed(op, &scope.owner, 0, INT64_MAX);
	return season_json(op, &scope, answer);
}

void catalog_schedules_list(http_req *r) { catalog_list(r, &SCHEDULES); }
void catalog_schedules_post(http_req *r) { catalog_create(r, &SCHEDULES); }
void catalog_schedule_get(http_req *r) { catalog_get(r, &SCHEDULES); }
void catalog_schedule_patch(http_req *r) { catalog_patch(r, &SCHEDULES); }
void catalog_schedule_delete(http_req *r) { catalog_delete(r, &SCHEDULES); }
void catalog_schedules_copy(http_req *r) { catalog_action(r, &SCHEDULES, schedules_copy); }
