/* catalog_blackouts.c - /api/v1/businesses/{business}/blackouts[/{blackout}]: ranges in which
 * a rented item (a resource) cannot be rented at all. ?resource=ID filters the list. Admin
 * writes; the slot engine refuses any booking of the item overlapping one ("blackout"). */
#include <string.h>

#include "api/blackout_rules.h"
#include "api/catalog_crud.h"
#include "api/handlers.h"
#include "base/errlist.h"
#include "base/ids.h"
#include "base/text.h"
#include "store/blackout.h"

static const char *const BLACKOUT_FIELDS[] = {"id", "resource", "start", "end", "reason", NULL};

/* A string field of o, NULL when absent; a field error when it is not a one-line string of
 * at most max bytes. */
static const char *bo_str(catalog_reader *rd, const json_t *o, const char *key, size_t max,
			  const char *path, bool *bad)
{
	const json_t *v = json_object_get(o, key); /* borrowed */
	if (!v || json_is_null(v))
		return NULL;
	const char *s = json_string_value(v);
	const char *fault = !s ? "must be a string" : strlen(s) > max ? "is too long"
							  : text_fault(s, strlen(s), TEXT_LINE);
	if (fault) {
		if (*path)
			errlist_add(rd->errs, fault, "%s.%s", path, key);
		else
			errlist_add(rd->errs, fault, "%s", key);
		*bad = true;
		return NULL;
	}
	return arena_strdup(rd->a, s);
}

static void bo_err(catalog_reader *rd, const char *path, const char *key, const char *detail,
		   bool *bad)
{
	if (*path)
		errlist_add(rd->errs, detail, "%s.%s", path, key);
	else
		errlist_add(rd->errs, detail, "%s", key);
	*bad = true;
}

static bool bo_id_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '-'))
			return false;
	return true;
}

bool catalog_blackout_read(catalog_reader *rd, const json_t *o, const char *path, blackout *out)
{
	bool bad = false;
	if (!json_is_object(o)) {
		bo_err(rd, path, "", "must be an object", &bad);
		return false;
	}
	out->id = bo_str(rd, o, "id", 64, path, &bad);
	if (!out->id && !bad)
		out->id = ids_new(rd->a, "blk");
	else if (out->id && !bo_id_ok(out->id))
		bo_err(rd, path, "id", "must be 1-64 letters, digits, '_' or '-'", &bad);
	out->resource_id = bo_str(rd, o, "resource", 64, path, &bad);
	if (!out->resource_id && !bad)
		bo_err(rd, path, "resource", "is required", &bad);
	else if (out->resource_id && !bo_id_ok(out->resource_id))
		bo_err(rd, path, "resource", "must be an id", &bad);
	const char *keys[2] = {"start", "end"};
	int64_t *at[2] = {&out->start_at, &out->end_at};
	bool both = true;
	for (int i = 0; i < 2; i++) {
		const char *s = bo_str(rd, o, keys[i], 64, path, &bad);
		if (!s) {
			if (!json_object_get(o, keys[i]))
				bo_err(rd, path, keys[i], "is required", &bad);
			both = false;
		} else if (!tz_parse_rfc3339(s, strlen(s), at[i])) {
			bo_err(rd, path, keys[i], "must be an RFC 3339 date-time with an offset",
			       &bad);
			both = false;
		}
	}
	if (both && out->end_at <= out->start_at)
		bo_err(rd, path, "end", "must be after start", &bad);
	out->reason = bo_str(rd, o, "reason", 500, path, &bad);
	if (!out->reason)
		out->reason = "";
	return !bad;
}

json_t *catalog_blackout_json(const blackout *v, const tz *z)
{
	char s[TZ_RFC3339_SIZE], e[TZ_RFC3339_SIZE];
	tz_format_rfc3339(z, v->start_at, s);
	tz_format_rfc3339(z, v->end_at, e);
	return json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", v->id, "resource", v->resource_id,
			 "start", s, "end", e, "reason", v->reason ? v->reason : "");
}

static status blackouts_list(catalog_op *op, json_t *arr)
{
	const char *res = http_query(op->r, "resource");
	if (res && !bo_id_ok(res)) {
		http_field_error_add(op->r, "resource", "must be an id");
		return STATUS_INVALID;
	}
	blackout *v;
	int n;
	status st = store_blackouts_list(op->c, op->b.id, res, 0, op->r->arena, &v, &n);
	for (int i = 0; st == STATUS_OK && i < n; i++)
		json_array_append_new(arr, catalog_blackout_json(&v[i], op->zone));
	return st;
}

static status blackout_get_json(catalog_op *op, const char *id, json_t **out)
{
	blackout v;
	status st = store_blackout_get(op->c, op->b.id, id, op->r->arena, &v);
	if (st == STATUS_OK)
		*out = catalog_blackout_json(&v, op->zone);
	return st;
}

static status blackout_save(catalog_op *op, const json_t *old, const json_t *doc,
			    const char **id_out)
{
	blackout v = {0};
	if (!catalog_blackout_read(&op->rd, doc, "", &v))
		return STATUS_INVALID;
	sched_owner item = {.kind = "resource", .id = v.resource_id};
	status st = catalog_owner_check(op, &item, "resource");
	if (st != STATUS_OK)
		return st;
	if (old) {
		blackout before;
		st = store_blackout_get(op->c, op->b.id, v.id, op->r->arena, &before);
		if (st == STATUS_OK) {
			catalog_changed(op, NULL, NULL, before.resource_id, before.start_at,
					before.end_at);
			st = store_blackout_update(op->c, op->b.id, &v);
		}
	} else {
		st = store_blackout_insert(op->c, op->b.id, &v, op->r->now);
	}
	catalog_changed(op, NULL, NULL, v.resource_id, v.start_at, v.end_at);
	*id_out = v.id;
	return st;
}

static status blackout_remove(catalog_op *op, const json_t *old, bool *kept)
{
	(void)kept;
	const char *id = json_string_value(json_object_get(old, "id")); /* borrowed */
	blackout v;
	status st = store_blackout_get(op->c, op->b.id, id, op->r->arena, &v);
	if (st != STATUS_OK)
		return st;
	catalog_changed(op, NULL, NULL, v.resource_id, v.start_at, v.end_at);
	return store_blackout_delete(op->c, op->b.id, id);
}

static const catalog_kind BLACKOUTS = {
	.one = "blackout",
	.many = "blackouts",
	.fields = BLACKOUT_FIELDS,
	.list = blackouts_list,
	.get = blackout_get_json,
	.save = blackout_save,
	.remove = blackout_remove,
};

void catalog_blackouts_list(http_req *r) { catalog_list(r, &BLACKOUTS); }
void catalog_blackouts_post(http_req *r) { catalog_create(r, &BLACKOUTS); }
void catalog_blackout_get(http_req *r) { catalog_get(r, &BLACKOUTS); }
void catalog_blackout_patch(http_req *r) { catalog_patch(r, &BLACKOUTS); }
void catalog_blackout_delete(http_req *r) { catalog_delete(r, &BLACKOUTS); }
