/* catalog.h - services, providers and resources, and which provider offers which service. */
#ifndef BOOKD_STORE_CATALOG_H
#define BOOKD_STORE_CATALOG_H

#include "base/arena.h"
#include "core/model.h"
#include "store/db.h"

/* The columns of a service, a provider and a resource row, in the order the readers below
 * expect, each prefixed by t ("" or a table alias such as "p."). */
#define STORE_SERVICE_COLUMNS(t)                                                               \
	t "id, " t "name, " t "description, " t "kind, " t "duration_s, " t "price_minor, " t   \
	"capacity, " t "buffer_before_s, " t "buffer_after_s, " t "min_notice_s, " t           \
	"max_advance_s, " t "slot_interval_s, " t "min_length_s, " t "max_length_s, " t        \
	"whole_days, " t "needs_resource, " t "requires_approval, " t "cancel_until_s, " t     \
	"reschedule_until_s, " t "refund_tiers, " t "active, " t "position"
#define STORE_PROVIDER_COLUMNS(t)                                                              \
	t "id, " t "name, " t "email, " t "user_id, " t "timezone, " t "active"
#define STORE_RESOURCE_COLUMNS(t)                                                          \
	t "id, " t "name, " t "capacity, " t "active, " t "buffer_before_s, " t "buffer_after_s, " t \
	    "overnight"

/* Fill *out from the current row of a query that selected the matching columns first.
 * Strings are copied into a; an unknown service kind reads as an appointment. */
void store_service_read(const db_rows *r, arena *a, service *out);
void store_provider_read(const db_rows *r, arena *a, provider *out);
void store_resource_read(const db_rows *r, arena *a, resource *out);

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

#endif
