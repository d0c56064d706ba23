/* staff_catalog.h - handlers of the staff catalog routes (rows in api/routes_catalog.inc):
 * business settings, services, providers, resources, weekly schedules, overrides, time off,
 * closures, class sessions, and the whole configuration as one document.
 *
 * All under /api/v1/businesses/{business}/...; auth_authorize has checked the route's least
 * role. Reads are open to every staff role. Writes need admin, except schedules and time
 * off, which a staff user may create, change and delete for the provider linked to them
 * (principal.provider_id). Every change is one transaction; a change that alters
 * availability bumps the answer cache and publishes an "availability" event. */
#ifndef BOOKD_STAFF_CATALOG_H
#define BOOKD_STAFF_CATALOG_H

#include "http/request.h"

/* catalog_business.c: GET, PATCH /api/v1/businesses/{business} */
void catalog_business_get(http_req *r);
void catalog_business_patch(http_req *r);

/* catalog_config.c: GET, PUT /api/v1/businesses/{business}/config */
void catalog_config_get(http_req *r);
void catalog_config_put(http_req *r);

/* catalog_services.c, catalog_providers.c, catalog_resources.c, catalog_schedules.c,
 * catalog_overrides.c, catalog_time_off.c, catalog_closures.c, catalog_sessions.c:
 * GET and POST on the collection, GET, PATCH and DELETE on one row. */
void catalog_services_list(http_req *r);
void catalog_services_post(http_req *r);
void catalog_service_get(http_req *r);
void catalog_service_patch(http_req *r);
void catalog_service_delete(http_req *r);

void catalog_providers_list(http_req *r);
void catalog_providers_post(http_req *r);
void catalog_provider_get(http_req *r);
void catalog_provider_patch(http_req *r);
void catalog_provider_delete(http_req *r);

void catalog_resources_list(http_req *r);
void catalog_resources_post(http_req *r);
void catalog_resource_get(http_req *r);
void catalog_resource_patch(http_req *r);
void catalog_resource_delete(http_req *r);

void catalog_schedules_list(http_req *r);
void catalog_schedules_post(http_req *r);
void catalog_schedule_get(http_req *r);
void catalog_schedule_patch(http_req *r);
void catalog_schedule_delete(http_req *r);
/* POST …/schedules/copy: one weekday's ranges to other days of the same season. */
void catalog_schedules_copy(http_req *r);

void catalog_overrides_list(http_req *r);
void catalog_overrides_post(http_req *r);
void catalog_override_get(http_req *r);
void catalog_override_patch(http_req *r);
void catalog_override_delete(http_req *r);

void catalog_time_off_list(http_req *r);
void catalog_time_off_post(http_req *r);
void catalog_time_off_get(http_req *r);
void catalog_time_off_patch(http_req *r);
void catalog_time_off_delete(http_req *r);

/* catalog_blackouts.c: an item's blackouts. */
void catalog_blackouts_list(http_req *r);
void catalog_blackouts_post(http_req *r);
void catalog_blackout_get(http_req *r);
void catalog_blackout_patch(http_req *r);
void catalog_blackout_delete(http_req *r);

void catalog_closures_list(http_req *r);
void catalog_closures_post(http_req *r);
void catalog_closure_get(http_req *r);
void catalog_closure_patch(http_req *r);
void catalog_closure_delete(http_req *r);

void catalog_sessions_list(http_req *r);
void catalog_sessions_post(http_req *r);
void catalog_session_get(http_req *r);
void catalog_session_patch(http_req *r);
void catalog_session_delete(http_req *r);

/* catalog_protection.c: GET, PATCH /api/v1/businesses/{business}/protection */
void catalog_protection_get(http_req *r);
void catalog_protection_patch(http_req *r);
/* catalog_assign.c: GET, PATCH /api/v1/businesses/{business}/assignment */
void catalog_assign_get(http_req *r);
void catalog_assign_patch(http_req *r);

#endif
