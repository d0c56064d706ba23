/* hold.c - row locks for writes that take time, and service lookups for live updates. */
#include "store/hold.h"

#include <stdlib.h>
#include <string.h>

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static status lock_rows(db_conn *c, const char *sql, const char *bid, const char *const *ids,
			int n)
{
	const char **sorted = malloc(sizeof(*sorted) * (size_t)(n ? n : 1));
	memcpy(sorted, ids, sizeof(*sorted) * (size_t)n);
	qsort(sorted, (size_t)n, sizeof(*sorted), cmp_str);
	status st = STATUS_OK;
	for (int i = 0; i < n && st == STATUS_OK; i++) {
		if (i > 0 && strcmp(sorted[i], sorted[i - 1]) == 0)
			continue;
		int64_t one;
		st = db_query_int(c, sql, DB_PARAMS(DB_S(bid), DB_S(sorted[i])), &one);
		if (st == STATUS_NOT_FOUND)
			st = STATUS_OK; /* a vanished row has no time to protect */
	}
	free(sorted);
	return st;
}

status store_lock_bookables(db_conn *c, const char *business_id, const char *const *provider_ids,
			    int n_providers, const char *const *resource_ids, int n_resources,
			    const char *session_id)
{
	if (db_conn_kind(c) != DB_POSTGRES)
		return STATUS_OK; /* BEGIN IMMEDIATE holds the database's single write lock */
	status st = lock_rows(c,
			      "SELECT 1 FROM providers WHERE business_id = $1 AND id = $2 FOR UPDATE",
			      business_id, provider_ids, n_providers);
	if (st == STATUS_OK)
		st = lock_rows(c,
			       "SELECT 1 FROM resources WHERE business_id = $1 AND id = $2 FOR UPDATE",
			       business_id, resource_ids, n_resources);
	if (st == STATUS_OK && session_id)
		st = lock_rows(c, "SELECT 1 FROM sessions WHERE business_id = $1 AND id = $2 FOR UPDATE",
			       business_id, &session_id, 1);
	return st;
}

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
