/* catalog_providers.c - /api/v1/businesses/{business}/providers[/{provider}]: bookable
 * people, optionally linked to a staff user (user_id: a user of the business, linked to at
 * most this one provider; null unlinks), which narrows that user's staff role to the
 * provider. A provider that bookings refer to is withdrawn (active: false) instead of
 * deleted; deleting one deletes its own hours and its link. */
#include <string.h>

#include "api/catalog_crud.h"
#include "api/handlers.h"
#include "store/admin_catalog.h"
#include "store/catalog.h"

static const char *const PROVIDER_FIELDS[] = {"id", "name", "email", "timezone", "user_id",
					      "active", NULL};

static status providers_list(catalog_op *op, json_t *arr)
{
	provider *ps;
	int n;
	status st = store_admin_providers_list(op->c, op->b.id, op->r->arena, &ps, &n);
	for (int i = 0; st == STATUS_OK && i < n; i++)
		json_array_append_new(arr, catalog_provider_json(&ps[i]));
	return st;
}

static status provider_get_json(catalog_op *op, const char *id, json_t **out)
{
	provider p;
	status st = store_provider_get(op->c, op->b.id, id, op->r->arena, &p);
	if (st == STATUS_OK)
		*out = catalog_provider_json(&p);
	return st;
}

/* A link to a staff user must name a user of this business, and a user is linked to at
 * most one provider (auth would otherwise pick one of them for the user's staff role). Only
 * a new link is checked for the second rule: a change of another field of a provider keeps
 * working whatever was linked before the rule. */
static status provider_check_link(catalog_op *op, const json_t *old, const provider *p)
{
	if (!p->user_id)
		return STATUS_OK;
	/* borrowed */
	const char *was = old ? json_string_value(json_object_get(old, "user_id")) : NULL;
	bool exists = false;
	const char *linked = NULL;
	status st = store_admin_user_link_check(op->c, op->b.id, p->user_id, p->id, op->r->arena,
						&exists, &linked);
	if (st != STATUS_OK)
		return st;
	if (!exists) {
		errlist_add(&op->errs, "no such staff user", "%s", "user_id");
		return STATUS_INVALID;
	}
	if (linked && !(was && strcmp(was, p->user_id) == 0)) {
		op->why = arena_printf(op->r->arena,
				       "user '%s' is already linked to provider '%s'; unlink it there "
				       "first (user_id: null)",
				       p->user_id, linked);
		return STATUS_CONFLICT;
	}
	return STATUS_OK;
}

static status provider_save(catalog_op *op, const json_t *old, const json_t *doc,
			    const char **id_out)
{
	provider p = {0};
	if (!catalog_provider_read(&op->rd, doc, "", &p))
		return STATUS_INVALID;
	status st = provider_check_link(op, old, &p);
	if (st != STATUS_OK)
		return st;
	st = old ? store_admin_provider_update(op->c, op->b.id, &p)
		 : store_provider_insert(op->c, op->b.id, &p, op->r->now);
	/* Its zone or its being active changes when its services can be booked. */
	catalog_changed(op, NULL, p.id, NULL, 0, INT64_MAX);
	*id_out = p.id;
	return st;
}

static status provider_remove(catalog_op *op, const json_t *old, bool *kept)
{
	const char *id = json_string_value(json_object_get(old, "id")); /* borrowed */
	int64_t n = 0;
	status st = store_admin_bookings_of(op->c, op->b.id, "provider", id, &n);
	if (st != STATUS_OK)
		return st;
	if (n == 0) {
		/* Its links go with it, so its services can no longer be named afterwards. */
		catalog_changed(op, NULL, NULL, NULL, 0, INT64_MAX);
		return store_admin_provider_delete(op->c, op->b.id, id);
	}
	catalog_changed(op, NULL, id, NULL, 0, INT64_MAX);
	provider p;
	st = store_provider_get(op->c, op->b.id, id, op->r->arena, &p);
	p.active = false;
	*kept = true;
	return st == STATUS_OK ? store_admin_provider_update(op->c, op->b.id, &p) : st;
}

static const catalog_kind PROVIDERS = {
	.one = "provider",
	.many = "providers",
	.fields = PROVIDER_FIELDS,
	.list = providers_list,
	.get = provider_get_json,
	.save = provider_save,
	.remove = provider_remove,
};

void catalog_providers_list(http_req *r) { catalog_list(r, &PROVIDERS); }
void catalog_providers_post(http_req *r) { catalog_create(r, &PROVIDERS); }
void catalog_provider_get(http_req *r) { catalog_get(r, &PROVIDERS); }
void catalog_provider_patch(http_req *r) { catalog_patch(r, &PROVIDERS); }
void catalog_provider_delete(http_req *r) { catalog_delete(r, &PROVIDERS); }
