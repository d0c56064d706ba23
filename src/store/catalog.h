/* catalog.h - services, providers and resources, and which provider offers which service. */
#ifndef BOOKD_STORE_CATALOG_H
#define BOOKD_STORE_CATALOG_H

#include "base/arena.h"
#include "core/model.h"
#include "store/db.h"

/* Services of a business in catalogue order; only active ones when active_only. The array
 * and strings are in a. */
status store_services_list(db_conn *c, const char *business_id, bool active_only, arena *a,
			   service **out, int *count);
/* One service by id. STATUS_NOT_FOUND if none in this business. */
status store_service_get(db_conn *c, const char *business_id, const char *id, arena *a,
			 service *out);
status store_service_insert(db_conn *c, const char *business_id, const service *s,
			    int64_t now);

/* Active providers eligible for a service, ordered by name. */
status store_service_providers(db_conn *c, const char *business_id, const char *service_id,
			       arena *a, provider **out, int *count);
/* Active resources eligible for a service, ordered by name. */
status store_service_resources(db_conn *c, const char *business_id, const char *service_id,
			       arena *a, resource **out, int *count);
/* One provider by id (active or not). STATUS_NOT_FOUND if none in this business. */
status store_provider_get(db_conn *c, const char *business_id, const char *id, arena *a,
			  provider *out);
status store_provider_insert(db_conn *c, const char *business_id, const provider *p, int64_t now);
status store_resource_insert(db_conn *c, const char *business_id, const resource *r, int64_t now);
/* Links a provider or a resource to a service. */
status store_service_link_provider(db_conn *c, const char *business_id, const char *service_id,
				   const char *provider_id);
status store_service_link_resource(db_conn *c, const char *business_id, const char *service_id,
				   const char *resource_id);

#endif
