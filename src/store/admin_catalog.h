/* admin_catalog.h - the staff side's reads and writes of the catalogue: every row (active
 * or not), updates, deletes, the links of a service, and who references what. The inserts
 * and the customer-facing reads are in store/catalog.h. */
#ifndef BOOKD_STORE_ADMIN_CATALOG_H
#define BOOKD_STORE_ADMIN_CATALOG_H

#include <stdint.h>

#include "base/arena.h"
#include "core/model.h"
#include "store/db.h"

/* Updates the settings of business b (by b->id): everything but id, slug and created_at.
 * STATUS_NOT_FOUND when no such business. */
status store_admin_business_update(db_conn *c, const business *b);
/* The same in one write transaction of its own, with the catalogue version raised (its zone
 * moves every weekly hour, so a booking that read the hours before its lock reads again). */
status store_admin_business_save(db_conn *c, const business *b);

/* Every provider (active or not) of a business, ordered by id; array and strings in a. */
status store_admin_providers_list(db_conn *c, const char *business_id, arena *a,
				  provider **out, int *count);
/* Every resource (active or not) of a business, ordered by id. */
status store_admin_resources_list(db_conn *c, const char *business_id, arena *a,
				  resource **out, int *count);
/* One resource by id (active or not). STATUS_NOT_FOUND if none in this business. */
status store_admin_resource_get(db_conn *c, const char *business_id, const char *id, arena *a,
				resource *out);

/* Update every column of the row with the record's id (user_id too, for providers).
 * STATUS_NOT_FOUND when there is no such row; STATUS_CONFLICT for a broken constraint. */
status store_admin_service_update(db_conn *c, const char *business_id, const service *s);
status store_admin_provider_update(db_conn *c, const char *business_id, const provider *p);
status store_admin_resource_update(db_conn *c, const char *business_id, const resource *r);

/* Delete one row and its service links (services: also its class sessions).
 * STATUS_NOT_FOUND when there is no such row. The caller has made sure no booking refers
 * to it (store_admin_bookings_of). */
status store_admin_service_delete(db_conn *c, const char *business_id, const char *id);
status store_admin_provider_delete(db_conn *c, const char *business_id, const char *id);
status store_admin_resource_delete(db_conn *c, const char *business_id, const char *id);

/* The ids of every provider and resource linked to a service (active or not), ordered by
 * id; arrays and strings in a. */
status store_admin_service_links(db_conn *c, const char *business_id, const char *service_id,
				 arena *a, const char ***providers, int *n_providers,
				 const char ***resources, int *n_resources);
/* Replaces the links of a service by exactly these. STATUS_CONFLICT when an id names no
 * provider/resource of the business. */
status store_admin_service_set_links(db_conn *c, const char *business_id,
				     const char *service_id, const char *const *providers,
				     int n_providers, const char *const *resources, int n_resources);

/* How many bookings (any status, history included) refer to a row: kind is "service",
 * "provider", "resource" or "session". Such a row must not disappear. Kind
 * "session_seats" instead counts the seats live bookings (held, pending, confirmed,
 * checked in) take in a class session. */
status store_admin_bookings_of(db_conn *c, const char *business_id, const char *kind,
			       const char *id, int64_t *count);

/* For linking provider provider_id to staff user user_id, inside db_begin_write: sets
 * *exists when the business has that user, and *linked_out to the id (in a) of another
 * provider of the business already linked to the user, the lowest such id, or NULL when
 * none. On PostgreSQL the user's row stays locked until the transaction ends, so two
 * concurrent links of one user cannot both see it free. */
status store_admin_user_link_check(db_conn *c, const char *business_id, const char *user_id,
				   const char *provider_id, arena *a, bool *exists,
				   const char **linked_out);

#endif
