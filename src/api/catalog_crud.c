/* catalog_crud.c - list, create, read, change and delete for every staff catalogue
 * collection (see catalog_crud.h): HTTP, roles, one unit of work (store/unit.h),
 * availability events. */
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
#include "store/unit.h"

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

/* One write of a collection, for its unit (store/unit.h). */
typedef struct op_unit {
	catalog_op *op;         /* the request */
	const catalog_kind *k;  /* the collection */
	json_t *body;           /* the body (borrowed) */
	const char *id;         /* the row (set by a create) */
	json_t *old;            /* a change's or removal's row before (owned) */
	json_t *merged;         /* a change's row merged with the body (owned) */
	bool kept;              /* a removal withdrew the row instead */
	impact_found found;     /* a dry run's preview */
	catalog_act_fn act;     /* an action's work (catalog_action) */
	json_t *answer;         /* an action's answer (owned) */
} op_unit;

/* Inside the write: the impact preview of the changes recorded (impact.h). */
static status op_collect(op_unit *u)
{
	catalog_op *op = u->op;
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
	return impact_collect(op->r, op->c, &op->b, scopes, op->n_changes, visible_to, &u->found);
}

/* The end of every write's work: a dry run collects its preview; a write raises the
 * catalogue version (bookings read the catalogue before their lock: say it moved). */
static status op_close(op_unit *u, status st)
{
	if (st != STATUS_OK)
		return st;
	if (u->op->dry_run)
		return op_collect(u);
	return store_catalog_touch(u->op->c, u->op->b.id);
}

/* Runs work as one unit: a dry run is previewed and rolled back, a write committed. Answers
 * a failure or the preview; true when committed: the caller answers. */
static bool op_run(op_unit *u, store_unit_fn work)
{
	catalog_op *op = u->op;
	status st = op->dry_run ? store_unit_preview(op->c, work, u)
				: store_unit_write(op->c, work, u);
	if (st != STATUS_OK) {
		op_fail(op, u->k, st);
		return false;
	}
	if (op->dry_run) {
		impact_answer(op->r, op->c, &op->b, &u->found);
		return false;
	}
	op_publish(op);
	return true;
}

/* The refusal of a write the caller's role does not allow. */
static status op_forbidden(catalog_op *op, const catalog_kind *k)
{
	op->why = k->staff_own ? "staff may only change the hours of their own provider"
			       : "your role does not allow this";
	return STATUS_FORBIDDEN;
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

static status create_work(db_conn *c, void *ctx)
{
	op_unit *u = ctx;
	catalog_op *op = u->op;
	(void)c; /* op->c */
	const char *given = json_string_value(json_object_get(u->body, "id")); /* borrowed */
	json_t *existing = NULL;
	status st = STATUS_OK;
	if (given && u->k->get(op, given, &existing) == STATUS_OK) {
		json_decref(existing);
		op->why = arena_printf(op->r->arena, "a %s with id '%s' exists", u->k->one, given);
		st = STATUS_CONFLICT;
	}
	if (st == STATUS_OK)
		st = u->k->save(op, NULL, u->body, &u->id);
	if (st == STATUS_OK && !errlist_empty(&op->errs))
		st = STATUS_INVALID;
	return op_close(u, st);
}

void catalog_create(http_req *r, const catalog_kind *k)
{
	json_t *body = http_body_json(r);
	if (!body)
		return;
	catalog_op op;
	if (!op_begin(r, &op) || !op_read_dry_run(&op)) {
		json_decref(body);
		return;
	}
	/* Key errors do not stop here: the row is still read, so every fault is named. */
	op_check_keys(&op, k, body);
	op_unit u = {.op = &op, .k = k, .body = body};
	if (!op_may_write(&op, k, body))
		op_fail(&op, k, op_forbidden(&op, k));
	else if (op_run(&u, create_work))
		op_answer_row(&op, k, u.id, 201);
	json_decref(body);
}

static status action_work(db_conn *c, void *ctx)
{
	op_unit *u = ctx;
	(void)c; /* op->c */
	json_decref(u->answer); /* a unit run again starts afresh */
	u->answer = NULL;
	status st = u->act(u->op, u->body, &u->answer);
	if (st == STATUS_OK && !errlist_empty(&u->op->errs))
		st = STATUS_INVALID;
	return op_close(u, st);
}

void catalog_action(http_req *r, const catalog_kind *k, catalog_act_fn act)
{
	json_t *body = http_body_json(r);
	if (!body)
		return;
	catalog_op op;
	if (!op_begin(r, &op) || !op_read_dry_run(&op)) {
		json_decref(body);
		return;
	}
	op_unit u = {.op = &op, .k = k, .body = body, .act = act};
	if (!op_may_write(&op, k, body)) {
		op_fail(&op, k, op_forbidden(&op, k));
	} else if (op_run(&u, action_work)) {
		http_json_take(r, 200, u.answer); /* steals */
		u.answer = NULL;
	}
	json_decref(u.answer);
	json_decref(body);
}

static status patch_work(db_conn *c, void *ctx)
{
	op_unit *u = ctx;
	catalog_op *op = u->op;
	const catalog_kind *k = u->k;
	(void)c; /* op->c */
	status st = k->get(op, u->id, &u->old);
	if (st != STATUS_OK)
		return st;
	u->merged = json_deep_copy(u->old);
	for (int i = 0; k->readonly && k->readonly[i]; i++)
		json_object_del(u->merged, k->readonly[i]);
	json_object_update(u->merged, u->body); /* borrows body's values (new references) */
	json_object_set_new(u->merged, "id", json_string(u->id)); /* a bad "id" is an error */
	if (!op_may_write(op, k, u->old) || !op_may_write(op, k, u->merged))
		return op_forbidden(op, k);
	st = k->save(op, u->old, u->merged, &u->id);
	if (st == STATUS_OK && !errlist_empty(&op->errs))
		st = STATUS_INVALID;
	return op_close(u, st);
}

void catalog_patch(http_req *r, const catalog_kind *k)
{
	json_t *body = http_body_json(r);
	if (!body)
		return;
	catalog_op op;
	if (!op_begin(r, &op) || !op_read_dry_run(&op)) {
		json_decref(body);
		return;
	}
	op_unit u = {.op = &op, .k = k, .body = body, .id = http_param(r, k->one)};
	op_check_keys(&op, k, body);
	const json_t *bid = json_object_get(body, "id"); /* borrowed */
	if (bid && !(json_is_string(bid) && strcmp(json_string_value(bid), u.id) == 0))
		errlist_add(&op.errs, "cannot be changed", "%s", "id");
	if (op_run(&u, patch_work))
		op_answer_row(&op, k, u.id, 200);
	json_decref(u.old);
	json_decref(u.merged);
	json_decref(body);
}

static status delete_work(db_conn *c, void *ctx)
{
	op_unit *u = ctx;
	(void)c; /* op->c */
	status st = u->k->get(u->op, u->id, &u->old);
	if (st == STATUS_OK && !op_may_write(u->op, u->k, u->old))
		st = op_forbidden(u->op, u->k);
	if (st == STATUS_OK)
		st = u->k->remove(u->op, u->old, &u->kept);
	return op_close(u, st);
}

void catalog_delete(http_req *r, const catalog_kind *k)
{
	catalog_op op;
	if (!op_begin(r, &op) || !op_read_dry_run(&op))
		return;
	op_unit u = {.op = &op, .k = k, .id = http_param(r, k->one)};
	if (op_run(&u, delete_work)) {
		if (u.kept)
			op_answer_row(&op, k, u.id, 200);
		else
			http_text(r, 204, "text/plain", "", 0);
	}
	json_decref(u.old);
}
