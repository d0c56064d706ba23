/* catalog_rules.h - the staff catalogue's one set of rules: each kind of row read from JSON
 * (validated as docs/config-format.md says, field errors by JSON path) and written back as
 * JSON of the same shape. The staff routes, the configuration export and the whole-
 * configuration PUT all use these, so what one writes the others read. */
#ifndef BOOKD_API_CATALOG_RULES_H
#define BOOKD_API_CATALOG_RULES_H

#include <jansson.h>
#include <stdbool.h>

#include "base/arena.h"
#include "base/errlist.h"
#include "core/model.h"
#include "core/tz.h"
#include "store/admin_schedule.h"

/* What a reader needs: where strings go, where errors go, whose rows these are. */
typedef struct catalog_reader {
	arena *a;                /* strings and generated ids */
	errlist *errs;           /* field errors, by JSON path */
	const char *business_id; /* the owner id of "owner": "business" */
	bool import_rules;       /* bookd import's looser rules (docs/config-format.md): refund
				  * tier entries and the locale go unchecked, and a service may
				  * list an id twice */
} catalog_reader;

/* The eligible providers and resources of a service (ids, borrowed). */
typedef struct catalog_links {
	const char **providers; /* provider ids */
	int n_providers;        /* entries in providers */
	const char **resources; /* resource ids */
	int n_resources;        /* entries in resources */
} catalog_links;

/* Each *_read fills *out from the object o whose JSON path is path ("" for a request body,
 * "services[2]" in a document): missing fields take the documented defaults, ids left out
 * are generated, every fault is added to rd->errs. Returns true when o was valid. Strings
 * in rd->a. The business reader fills every setting but id, slug and created_at. */
bool catalog_business_read(catalog_reader *rd, const json_t *o, const char *path,
			   business *out);
/* The slug under "slug" of the business object o (required; 2-63 of a-z, 0-9 and '-';
 * "bookings" is reserved), in rd->a. NULL when missing or faulty, the fault added. */
const char *catalog_slug_read(catalog_reader *rd, const json_t *o, const char *path);
bool catalog_provider_read(catalog_reader *rd, const json_t *o, const char *path,
			   provider *out);
bool catalog_resource_read(catalog_reader *rd, const json_t *o, const char *path,
			   resource *out);
/* Also applies avail_service_validate: a service that can never offer a slot is refused. */
bool catalog_service_read(catalog_reader *rd, const json_t *o, const char *path, service *out,
			  catalog_links *links);
bool catalog_rule_read(catalog_reader *rd, const json_t *o, const char *path, sched_rule *out);
/* The body of a copy of one weekday's rules to other days: owner, weekday (the source), to
 * (the target weekdays, a bit per day, 1 << 0 = Monday, never the source) and the season
 * (valid_from, valid_to, either may be absent) into *scope (its id, start and end unset). */
bool catalog_rule_copy_read(catalog_reader *rd, const json_t *o, const char *path,
			    sched_rule *scope, unsigned *to_days);
bool catalog_override_read(catalog_reader *rd, const json_t *o, const char *path,
			   sched_override *out);
bool catalog_time_off_read(catalog_reader *rd, const json_t *o, const char *path,
			   sched_time_off *out);
bool catalog_closure_read(catalog_reader *rd, const json_t *o, const char *path,
			  sched_closure *out);
/* A session: end_at is left 0 and *capacity_out -1 when not given (the caller takes them
 * from the service). */
bool catalog_session_read(catalog_reader *rd, const json_t *o, const char *path,
			  sched_session *out, int *capacity_out);

/* Adds an error for every key of o not in allowed (a NULL-terminated list). */
void catalog_unknown_keys(catalog_reader *rd, const json_t *o, const char *path,
			  const char *const *allowed);

/* JSON of a row, a new reference, in the shape the readers read (with "id"). Instants are
 * written with the offset of zone z. */
json_t *catalog_business_json(const business *b);
/* The space-separated origins of business.embed_origins as a JSON list (a new reference). */
json_t *catalog_embed_origins_json(const char *origins);
json_t *catalog_provider_json(const provider *p);
json_t *catalog_resource_json(const resource *r);
json_t *catalog_service_json(const service *s, const catalog_links *links);
json_t *catalog_rule_json(const sched_rule *v);
json_t *catalog_override_json(const sched_override *v);
json_t *catalog_time_off_json(const sched_time_off *v, const tz *z);
json_t *catalog_closure_json(const sched_closure *v);
json_t *catalog_session_json(const sched_session *v, const tz *z);

/* "business", "provider:ID" or "resource:ID" of an owner, in a. */
const char *catalog_owner_name(const sched_owner *o, arena *a);

#endif
