/* services_of.h - the services a provider or resource serves (whose availability it changes). */
#ifndef BOOKD_STORE_SERVICES_OF_H
#define BOOKD_STORE_SERVICES_OF_H

#include "base/arena.h"
#include "store/db.h"

/* Ids of the active services that a provider or a resource offers (either may be NULL):
 * whose availability a booking for them changes. */
status store_services_of(db_conn *c, const char *business_id, const char *provider_id,
			 const char *resource_id, arena *a, const char ***out, int *count);

#endif
