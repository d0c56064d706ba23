/* catalog_resources.c - /api/v1/businesses/{business}/resources[/{resource}]: bookable
 * things (rooms, cars, boats) with a capacity. A resource that bookings refer to is
 * withdrawn (active: false) instead of deleted; deleting one deletes its own hours. */
#include <string.h>

#include "api/catalog_crud.h"
#include "api/handlers.h"
#include "store/admin_catalog.h"
#include "store/catalog.h"

static const char *const RESOURCE_FIELDS[] = {"id",           "name",           "capacity", "active",
					       "buffer_before_s", "buffer_after_s", "overnight", NULL};

static status resources_list(catalog_op *op, json_t *arr)
{
	resource *rs;
	int n;
	status st = store_admin_resources_list(op->c, op->b.id, op->r->arena, &rs, &n);
	for (int i = 0; st == STATUS_OK && i < n; i++)
		json_array_append_new(arr, catalog_resource_json(&rs[i]));
	return st;
}

static status resource_get_json(catalog_op *op, const char *id, json_t **out)
{
	resource res;
	status st = store_admin_resource_get(op->c, op->b.id, id, op->r->arena, &res);
	if (st == STATUS_OK)
		*out = catalog_resource_json(&res);
	return st;
}

static status resource_save(catalog_op *op, const json_t *old, const json_t *doc,
			    const char **id_out)
{
	resource res = {0};
	if (!catalog_resource_read(&op->rd, doc, "", &res))
		return STATUS_INVALID;
	status st = old ? store_admin_resource_update(op->c, op->b.id, &res)
			: store_resource_insert(op->c, op->b.id, &res, op->r->now);
	catalog_changed(op, NULL, NULL, res.id, 0, INT64_MAX);
	*id_out = res.id;
	return st;
}

static status resource_remove(catalog_op *op, const json_t *old, bool *kept)
{
	const char *id = json_string_value(json_object_get(old, "id")); /* borrowed */
	int64_t n = 0;
	status st = store_admin_bookings_of(op->c, op->b.id, "resource", id, &n);
	if (st != STATUS_OK)
		return st;
	if (n == 0) {
		/* Its links go with it, so its services can no longer be named afterwards. */
		catalog_changed(op, NULL, NULL, NULL, 0, INT64_MAX);
		return store_admin_resource_delete(op->c, op->b.id, id);
	}
	catalog_changed(op, NULL, NULL, id, 0, INT64_MAX);
	resource res;
	st = store_admin_resource_get(op->c, op->b.id, id, op->r->arena, &res);
	res.active = false;
	*kept = true;
	return st == STATUS_OK ? store_admin_resource_update(op->c, op->b.id, &res) : st;
}

static const catalog_kind RESOURCES = {
	.one = "resource",
	.many = "resources",
	.fields = RESOURCE_FIELDS,
	.list = resources_list,
	.get = resource_get_json,
	.save = resource_save,
	.remove = resource_remove,
};

void catalog_resources_list(http_req *r) { catalog_list(r, &RESOURCES); }
void catalog_resources_post(http_req *r) { catalog_create(r, &RESOURCES); }
void catalog_resource_get(http_req *r) { catalog_get(r, &RESOURCES); }
void catalog_resource_patch(http_req *r) { catalog_patch(r, &RESOURCES); }
void catalog_resource_delete(http_req *r) { catalog_delete(r, &RESOURCES); }
