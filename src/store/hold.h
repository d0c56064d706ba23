/* hold.h - locking bookables for a write that takes time, and the services they serve. */
#ifndef BOOKD_STORE_HOLD_H
#define BOOKD_STORE_HOLD_H

#include "base/arena.h"
#include "store/db.h"

/* Inside a write transaction, locks the rows of the given providers, resources and class
 * session (any may be NULL/empty) so no other writer can take their time until commit.
 * SQLite's write lock already covers the whole database; PostgreSQL takes SELECT ... FOR
 * UPDATE row locks in id order, so two writers never wait on each other in a cycle. */
status store_lock_bookables(db_conn *c, const char *business_id, const char *const *provider_ids,
			    int n_providers, const char *const *resource_ids, int n_resources,
			    const char *session_id);

/* Ids of the active services that a provider or a resource offers (either may be NULL):
 * whose availability a booking for them changes. */
status store_services_of(db_conn *c, const char *business_id, const char *provider_id,
			 const char *resource_id, arena *a, const char ***out, int *count);

#endif
