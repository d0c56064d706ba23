/* services_of.c - which services a provider or resource offers, for live updates. */
#include "store/services_of.h"

#include <string.h>

status store_services_of(db_conn *c, const char *business_id, const char *provider_id,
			 const char *resource_id, arena *a, const char ***out, int *count)
{
	db_rows *r;
	status st = db_query(
		c,
		"SELECT s.id FROM services s WHERE s.business_id = $1 AND s.active = 1 AND ("
		"EXISTS (SELECT 1 FROM service_providers sp WHERE sp.business_id = s.business_id "
		"AND sp.service_id = s.id AND sp.provider_id = $2) OR "
		"EXISTS (SELECT 1 FROM service_resources sr WHERE sr.business_id = s.business_id "
		"AND sr.service_id = s.id AND sr.resource_id = $3)) ORDER BY s.id",
		DB_PARAMS(DB_S(business_id), DB_S(provider_id ? provider_id : ""),
			  DB_S(resource_id ? resource_id : "")),
		&r);
	if (st != STATUS_OK)
		return st;
	int n = 0, cap = 8;
	const char **ids = arena_alloc(a, sizeof(*ids) * (size_t)cap);
	while (db_next(r)) {
		if (n == cap) {
			const char **bigger = arena_alloc(a, sizeof(*ids) * (size_t)cap * 2);
			memcpy(bigger, ids, sizeof(*ids) * (size_t)cap);
			ids = bigger;
			cap *= 2;
		}
		ids[n++] = arena_strdup(a, db_text(r, 0));
	}
	st = db_rows_status(r);
	db_rows_free(r);
	*out = ids;
	*count = n;
	return st;
}
