/* catalog_crud.c - list, create, read, change and delete for every staff catalogue
 * collection (see catalog_crud.h): HTTP, roles, one transaction, availability events. */
#include "api/catalog_crud.h"
#include "store/availability.h"

#include <string.h>

#include "api/app.h"
#include "api/common.h"
#include "api/impact.h"
#include "api/live.h"
#include "base/civil.h"
#include "store/admin_catalog.h"
#include "store/catalog.h"

/* Starts an operation: the request's connection, the business, the reader. On failure it
 * has answered and returns false. */
static bool op_begin(http_req *r, catalog_op *op)
{
	memset(op, 0, sizeof(*op));
	op->r = r;
	op->p = auth_principal(r);
	op->c = app_db(r);
	if (!auth_business(r, op->c, &op->b))
		return false;
	op->zone = tz_get(op->b.timezone);
	if (!op->zone)
		op->zone = tz_get("UTC");
	op->rd = (catalog_reader){.a = r->arena, .errs = &op->errs, .business_id = op->b.id};
	return true;
}

void catalog_changed(catalog_op *op, const char *service_id, const char *provider_id,
		     const char *resource_id, int64_t from, int64_t to)
{
	if (op->n_changes == CATALOG_MAX_CHANGES) {
		/* Too many to name: every service, every date. */
		op->n_changes = 1;
		op->changes[0].service = op->changes[0].provider = op->changes[0].resource = NULL;
		op->changes[0].from = 0;
		op->changes[0].to = INT64_MAX;
		return;
	}
	op->changes[op->n_changes].service = service_id;
	op->changes[op->n_changes].provider = provider_id;
	op->changes[op->n_changes].resource = resource_id;
	op->changes[op->n_changes].from = from;
	op->changes[op->n_changes].to = to;
	op->n_changes++;
}

void catalog_owner_changed(catalog_op *op, const sched_owner *o, int64_t from, int64_t to)
{
	if (strcmp(o->kind, "provider") == 0)
		catalog_changed(op, NULL, o->id, NULL, from, to);
	else if (strcmp(o->kind, "resource") == 0)
		catalog_changed(op, NULL, NULL, o->id, from, to);
	else
		catalog_changed(op, NULL, NULL, NULL, from, to);
}

/* After commit: the cache bump and the events. */
static void op_publish(catalog_op *op)
{
	for (int i = 0; i < op->n_changes; i++) {
		const char *pid = op->changes[i].provider, *rid = op->changes[i].resource;
		if (pid || rid)
			live_bookable_changed(op->c, &op->b, pid, rid, op->changes[i].from,
					      op->changes[i].to, op->r->arena);
		else
			live_business_changed(op->c, &op->b, op->changes[i].service,
					      op->changes[i].from, op->changes[i].to, op->r->arena);
	}
}

status catalog_owner_check(catalog_op *op, const sched_owner *o, const char *key)
{
	status st = STATUS_OK;
	if (strcmp(o->kind, "provider") == 0) {
		provider p;
		st = store_provider_get(op->c, op->b.id, o->id, op->r->arena, &p);
	} else if (strcmp(o->kind, "resource") == 0) {
		resource res;
		st = store_admin_resource_get(op->c, op->b.id, o->id, op->r->arena, &res);
	}
	if (st == STATUS_NOT_FOUND) {
		errlist_add(&op->errs, strcmp(o->kind, "provider") == 0 ? "no such provider"
									 : "no such resource",
			    "%s", key);
		return STATUS_INVALID;
	}
	return st;
}

bool catalog_query_day(catalog_op *op, const char *name, bool *present, int64_t *day)
{
	const char *s = http_query(op->r, name);
	*present = s != NULL;
	if (!s)
		return true;
	if (!civil_parse_date(s, strlen(s), day)) {
		http_field_error_add(op->r, name, "must be a date YYYY-MM-DD");
		return false;
	}
	return true;
}

bool catalog_query_owner(catalog_op *op, sched_owner *o)
{
	const char *s = http_query(op->r, "owner");
	o->kind = o->id = NULL;
	if (!s)
		return true;
	if (strcmp(s, "business") == 0) {
		o->kind = "business";
		o->id = op->b.id;
	} else if (strncmp(s, "provider:", 9) == 0 && s[9]) {
		o->kind = "provider";
		o->id = s + 9;
	} else if (strncmp(s, "resource:", 9) == 0 && s[9]) {
		o->kind = "resource";
		o->id = s + 9;
	} else {
		http_field_error_add(op->r, "owner",
				     "must be business, provider:ID or resource:ID");
		return false;
	}
	return true;
}

/* Answers a refused or failed operation. */
static void op_fail(catalog_op *op, const catalog_kind *k, status st)
{
	http_req *r = op->r;
	switch (st) {
	case STATUS_INVALID:
		for (int i = 0; i < op->errs.count; i++)
			http_field_error_add(r, op->errs.e[i].field, "%s", op->errs.e[i].detail);
		http_problem(r, STATUS_INVALID, "%s", op->why ? op->why : "the request is not valid");
		break;
	case STATUS_NOT_FOUND:
		http_problem(r, st, "no such %s", k->one);
		break;
	case STATUS_CONFLICT:
		if (op->why)
			http_problem(r, st, "%s", op->why);
		else
			api_store_error(r, op->c, st);
		break;
	case STATUS_FORBIDDEN:
		http_problem(r, st, "%s", op->why ? op->why : "your role does not allow this");
		break;
	default:
		api_store_error(r, op->c, st);
		break;
	}
}

/* Whether the caller may write this row (staff: only rows owned by their provider). */
static bool op_may_write(catalog_op *op, const catalog_kind *k, const json_t *row)
{
	if (op->p && op->p->role >= ROLE_ADMIN)
		return true;
	if (!k->staff_own || !op->p || !op->p->provider_id)
		return false;
	const char *owner = json_string_value(json_object_get(row, "owner")); /* borrowed */
	return owner && strncmp(owner, "provider:", 9) == 0 &&
	       strcmp(owner + 9, op->p->provider_id) == 0;
}

static bool in_list(const char *const *list, const char *key)
{
	for (int i = 0; list && list[i]; i++)
		if (strcmp(list[i], key) == 0)
			return true;
	return false;
}

/* Field errors for keys a body may not set. */
static void op_check_keys(catalog_op *op, const catalog_kind *k, const json_t *body)
{
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)body, key, v) {
		if (in_list(k->readonly, key))
			errlist_add(&op->errs, "is set by the server", "%s", key);
		else if (!in_list(k->fields, key))
			errlist_add(&op->errs, "is not a field of this object", "%s", key);
	}
}

/* Reads ?dry_run (1/true or 0/false); false with the answer sent when malformed. */
static bool op_read_dry_run(catalog_op *op)
{
	const char *s = http_query(op->r, "dry_run");
	if (!s || strcmp(s, "0") == 0 || strcmp(s, "false") == 0)
		return true;
	if (strcmp(s, "1") == 0 || strcmp(s, "true") == 0) {
		op->dry_run = true;
		return true;
	}
	http_field_error_add(op->r, "dry_run", "must be 1, true, 0 or false");
	http_problem_query(op->r, "invalid query parameters");
	return false;
}

/* A dry run that got as far as a commit: the impact preview of the changes recorded
 * (impact.h), then everything rolled back. */
static void op_preview(catalog_op *op)
{
	impact_scope scopes[CATALOG_MAX_CHANGES];
	for (int i = 0; i < op->n_changes; i++)
		scopes[i] = (impact_scope){.service_id = op->changes[i].service,
					   .provider_id = op->changes[i].provider,
					   .resource_id = op->changes[i].resource,
					   .from = op->changes[i].from,
					   .to = op->changes[i].to};
	const char *visible_to = NULL;
	if (op->p && op->p->role < ROLE_ADMIN)
		visible_to = op->p->provider_id ? op->p->provider_id : "-";
	impact_answer(op->r, op->c, &op->b, scopes, op->n_changes, visible_to);
}

/* Ends a write: commit when st is OK, otherwise roll back and answer. A dry run answers its
 * preview and rolls back instead of committing. True when committed: the caller answers. */
static bool op_finish(catalog_op *op, const catalog_kind *k, status st)
{
	if (st == STATUS_OK && op->dry_run) {
		op_preview(op);
		return false;
	}
	if (st == STATUS_OK) /* bookings read the catalogue before their lock: say it moved */
		st = store_catalog_touch(op->c, op->b.id);
	if (st == STATUS_OK)
		st = db_commit(op->c);
	if (st != STATUS_OK) {
		db_rollback(op->c);
		op_fail(op, k, st);
		return false;
	}
	op_publish(op);
	return true;
}

/* Answers with the row as it is now. */
static void op_answer_row(catalog_op *op, const catalog_kind *k, const char *id, int code)
{
	json_t *row = NULL;
	status st = k->get(op, id, &row);
	if (st != STATUS_OK)
		op_fail(op, k, st);
	else
		http_json_take(op->r, code, row);
}

void catalog_list(http_req *r, const catalog_kind *k)
{
	catalog_op op;
	if (!op_begin(r, &op))
		return;
	json_t *arr = json_array();
	status st = k->list(&op, arr);
	if (st == STATUS_OK) {
		/* "o" steals arr. */
		http_json_take(r, 200, json_pack("{s:o}", k->many, arr));
	} else {
		json_decref(arr);
		if (st == STATUS_INVALID)
			http_problem_query(r, "invalid query parameters");
		else
			op_fail(&op, k, st);
	}
}

void catalog_get(http_req *r, const catalog_kind *k)
{
	catalog_op op;
	if (!op_begin(r, &op))
		return;
	op_answer_row(&op, k, http_param(r, k->one), 200);
}

void catalog_create(http_req *r, const catalog_kind *k)
{
	json_t *body = http_body_json(r);
	if (!body)
		return;
	catalog_op op;
	if (!op_begin(r, &op)) {
		json_decref(body);
		return;
	}
	if (!op_read_dry_run(&op)) {
		json_decref(body);
		return;
	}
	/* Key errors do not stop here: the row is still read, so every fault is named. */
	op_check_keys(&op, k, body);
	status st = STATUS_OK;
	if (!op_may_write(&op, k, body)) {
		op.why = k->staff_own ? "staff may only change the hours of their own provider"
				      : "your role does not allow this";
		st = STATUS_FORBIDDEN;
	}
	if (st != STATUS_OK) {
		op_fail(&op, k, st);
		goto done;
	}
	st = db_begin_write(op.c);
	if (st != STATUS_OK) {
		op_fail(&op, k, st);
		goto done;
	}
	const char *given = json_string_value(json_object_get(body, "id")); /* borrowed */
	json_t *existing = NULL;
	if (given && k->get(&op, given, &existing) == STATUS_OK) {
		json_decref(existing);
		op.why = arena_printf(r->arena, "a %s with id '%s' exists", k->one, given);
		st = STATUS_CONFLICT;
	}
	const char *id = NULL;
	if (st == STATUS_OK)
		st = k->save(&op, NULL, body, &id);
	if (st == STATUS_OK && !errlist_empty(&op.errs))
		st = STATUS_INVALID;
	if (op_finish(&op, k, st))
		op_answer_row(&op, k, id, 201);
done:
	json_decref(body);
}

void catalog_action(http_req *r, const catalog_kind *k, catalog_act_fn act)
{
	json_t *body = http_body_json(r);
	if (!body)
		return;
	catalog_op op;
	if (!op_begin(r, &op)) {
		json_decref(body);
		return;
	}
	json_t *answer = NULL;
	status st = STATUS_OK;
	if (!op_read_dry_run(&op))
		goto done;
	if (!op_may_write(&op, k, body)) {
		op.why = k->staff_own ? "staff may only change the hours of their own provider"
				      : "your role does not allow this";
		op_fail(&op, k, STATUS_FORBIDDEN);
		goto done;
	}
	st = db_begin_write(op.c);
	if (st != STATUS_OK) {
		op_fail(&op, k, st);
		goto done;
	}
	st = act(&op, body, &answer);
	if (st == STATUS_OK && !errlist_empty(&op.errs))
		st = STATUS_INVALID;
	if (op_finish(&op, k, st)) {
		http_json_take(r, 200, answer);
		answer = NULL;
	}
done:
	json_decref(answer);
	json_decref(body);
}

void catalog_patch(http_req *r, const catalog_kind *k)
{
	json_t *body = http_body_json(r);
	if (!body)
		return;
	catalog_op op;
	if (!op_begin(r, &op)) {
		json_decref(body);
		return;
	}
	if (!op_read_dry_run(&op)) {
		json_decref(body);
		return;
	}
	const char *id = http_param(r, k->one);
	json_t *old = NULL, *merged = NULL;
	op_check_keys(&op, k, body);
	const json_t *bid = json_object_get(body, "id"); /* borrowed */
	if (bid && !(json_is_string(bid) && strcmp(json_string_value(bid), id) == 0))
		errlist_add(&op.errs, "cannot be changed", "%s", "id");
	status st = db_begin_write(op.c);
	if (st != STATUS_OK) {
		op_fail(&op, k, st);
		goto done;
	}
	st = k->get(&op, id, &old);
	if (st == STATUS_OK) {
		merged = json_deep_copy(old);
		for (int i = 0; k->readonly && k->readonly[i]; i++)
			json_object_del(merged, k->readonly[i]);
		json_object_update(merged, body); /* borrows body's values (new references) */
		json_object_set_new(merged, "id", json_string(id)); /* a bad "id" is an error above */
		if (!op_may_write(&op, k, old) || !op_may_write(&op, k, merged)) {
			op.why = k->staff_own ? "staff may only change the hours of their own provider"
					      : "your role does not allow this";
			st = STATUS_FORBIDDEN;
		}
	}
	if (st == STATUS_OK)
		st = k->save(&op, old, merged, &id);
	if (st == STATUS_OK && !errlist_empty(&op.errs))
		st = STATUS_INVALID;
	if (op_finish(&op, k, st))
		op_answer_row(&op, k, id, 200);
done:
	json_decref(old);
	json_decref(merged);
	json_decref(body);
}

void catalog_delete(http_req *r, const catalog_kind *k)
{
	catalog_op op;
	if (!op_begin(r, &op))
		return;
	if (!op_read_dry_run(&op))
		return;
	const char *id = http_param(r, k->one);
	json_t *old = NULL;
	status st = db_begin_write(op.c);
	if (st == STATUS_OK)
		st = k->get(&op, id, &old);
	if (st == STATUS_OK && !op_may_write(&op, k, old)) {
		op.why = k->staff_own ? "staff may only change the hours of their own provider"
				      : "your role does not allow this";
		st = STATUS_FORBIDDEN;
	}
	bool kept = false;
	if (st == STATUS_OK)
		st = k->remove(&op, old, &kept);
	if (op_finish(&op, k, st)) {
		if (kept)
			op_answer_row(&op, k, id, 200);
		else
			http_text(r, 204, "text/plain", "", 0);
	}
	json_decref(old);
}
