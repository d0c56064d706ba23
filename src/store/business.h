/* business.h - the businesses table. */
#ifndef BOOKD_STORE_BUSINESS_H
#define BOOKD_STORE_BUSINESS_H

#include "base/arena.h"
#include "core/model.h"
#include "store/db.h"

/* Reads the business with this slug into *out (strings in a). STATUS_NOT_FOUND if none. */
status store_business_by_slug(db_conn *c, const char *slug, arena *a, business *out);
/* Reads the business with this id. */
status store_business_by_id(db_conn *c, const char *id, arena *a, business *out);
/* The slug and name of a business, for lists. */
typedef struct business_brief {
	const char *slug; /* URL name */
	const char *name; /* display name */
} business_brief;

/* Up to limit businesses by slug (only those with `listed` set when listed_only), into an
 * arena array *out (never NULL) of *count entries. */
status store_businesses_list(db_conn *c, bool listed_only, int limit, arena *a,
			     business_brief **out, int *count);
/* Inserts b (its id and created_at must be set). STATUS_CONFLICT when the slug is taken. */
status store_business_insert(db_conn *c, const business *b);
/* Deletes a business and, through cascades and explicit deletes, everything it owns. */
status store_business_delete(db_conn *c, const char *id);

#endif
