/* catalog_services.c - /api/v1/businesses/{business}/services[/{service}]: what is sold,
 * with its eligible providers and resources. A service that bookings refer to is withdrawn
 * (active: false) instead of deleted. */
#include <string.h>

#include "api/catalog_crud.h"
#include "api/handlers.h"
#include "store/admin_catalog.h"
#include "store/catalog.h"

static const char *const SERVICE_FIELDS[] = {
	"id", "name", "description", "kind", "duration_s", "price_minor", "capacity",
	"buffer_before_s", "buffer_after_s", "min_notice_s", "max_advance_s", "slot_interval_s",
	"min_length_s", "max_length_s", "whole_days", "needs_resource", "requires_approval",
	"cancel_until_s", "reschedule_until_s", "refund_tiers", "active", "position", "providers",
	"resources", NULL};

static status service_row(catalog_op *op, const service *s, json_t **out)
{
	catalog_links l = {0};
	status st = store_admin_service_links(op->c, op->b.id, s->id, op->r->arena, &l.providers,
					      &l.n_providers, &l.resources, &l.n_resources);
	if (st == STATUS_OK)
		*out = catalog_service_json(s, &l);
	return st;
}

static status services_list(catalog_op *op, json_t *arr)
{
	const char *active = http_query(op->r, "active");
	if (active && strcmp(active, "true") != 0 && strcmp(active, "false") != 0) {
		http_field_error_add(op->r, "active", "must be true or false");
		return STATUS_INVALID;
	}
	service *svcs;
	int n;
	status st = store_services_list(op->c, op->b.id, false, op->r->arena, &svcs, &n);
	for (int i = 0; st == STATUS_OK && i < n; i++) {
		if (active && svcs[i].active != (strcmp(active, "true") == 0))
			continue;
		json_t *row;
		st = service_row(op, &svcs[i], &row);
		if (st == STATUS_OK)
			json_array_append_new(arr, row);
	}
	return st;
}

static status service_get(catalog_op *op, const char *id, json_t **out)
{
	service s;
	status st = store_service_get(op->c, op->b.id, id, op->r->arena, &s);
	return st == STATUS_OK ? service_row(op, &s, out) : st;
}

static status service_save(catalog_op *op, const json_t *old, const json_t *doc,
			   const char **id_out)
{
	service s = {0};
	catalog_links l = {0};
	if (!catalog_service_read(&op->rd, doc, "", &s, &l))
		return STATUS_INVALID;
	status st = STATUS_OK;
	for (int i = 0; st == STATUS_OK && i < l.n_providers; i++) {
		provider p;
		st = store_provider_get(op->c, op->b.id, l.providers[i], op->r->arena, &p);
		if (st == STATUS_NOT_FOUND) {
			errlist_add(&op->errs, "no such provider", "providers[%d]", i);
			st = STATUS_OK;
		}
	}
	for (int i = 0; st == STATUS_OK && i < l.n_resources; i++) {
		resource res;
		st = store_admin_resource_get(op->c, op->b.id, l.resources[i], op->r->arena, &res);
		if (st == STATUS_NOT_FOUND) {
			errlist_add(&op->errs, "no such resource", "resources[%d]", i);
			st = STATUS_OK;
		}
	}
	if (st != STATUS_OK)
		return st;
	if (!errlist_empty(&op->errs))
		return STATUS_INVALID;
	if (old) {
		const char *old_kind = json_string_value(json_object_get(old, "kind")); /* borrowed */
		int64_t n = 0;
		if (old_kind && strcmp(old_kind, service_kind_name(s.kind)) != 0) {
			st = store_admin_bookings_of(op->c, op->b.id, "service", s.id, &n);
			if (st == STATUS_OK && n > 0) {
				op->why = "the kind of a service with bookings cannot change";
				return STATUS_CONFLICT;
			}
		}
		if (st == STATUS_OK)
			st = store_admin_service_update(op->c, op->b.id, &s);
	} else {
		if (!json_object_get(doc, "position")) {
			/* A new service goes to the end of the catalogue. */
			service *all;
			int n;
			st = store_services_list(op->c, op->b.id, false, op->r->arena, &all, &n);
			s.position = n;
		}
		if (st == STATUS_OK)
			st = store_service_insert(op->c, op->b.id, &s, op->r->now);
	}
	if (st == STATUS_OK)
		st = store_admin_service_set_links(op->c, op->b.id, s.id, l.providers, l.n_providers,
						   l.resources, l.n_resources);
	catalog_changed(op, s.id, NULL, NULL, 0, INT64_MAX);
	*id_out = s.id;
	return st;
}

static status service_remove(catalog_op *op, const json_t *old, bool *kept)
{
	const char *id = json_string_value(json_object_get(old, "id")); /* borrowed */
	int64_t n = 0;
	status st = store_admin_bookings_of(op->c, op->b.id, "service", id, &n);
	if (st != STATUS_OK)
		return st;
	catalog_changed(op, id, NULL, NULL, 0, INT64_MAX);
	if (n == 0)
		return store_admin_service_delete(op->c, op->b.id, id);
	service s;
	st = store_service_get(op->c, op->b.id, id, op->r->arena, &s);
	s.active = false;
	*kept = true;
	return st == STATUS_OK ? store_admin_service_update(op->c, op->b.id, &s) : st;
}

static const catalog_kind SERVICES = {
	.one = "service",
	.many = "services",
	.fields = SERVICE_FIELDS,
	.list = services_list,
	.get = service_get,
	.save = service_save,
	.remove = service_remove,
};

void catalog_services_list(http_req *r) { catalog_list(r, &SERVICES); }
void catalog_services_post(http_req *r) { catalog_create(r, &SERVICES); }
void catalog_service_get(http_req *r) { catalog_get(r, &SERVICES); }
void catalog_service_patch(http_req *r) { catalog_patch(r, &SERVICES); }
void catalog_service_delete(http_req *r) { catalog_delete(r, &SERVICES); }
