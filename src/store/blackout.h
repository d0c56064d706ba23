/* blackout.h - blackouts of rented items: absolute ranges in which an item cannot be rented
 * at all (maintenance, season closed). The slot engine reads them through availability.c. */
#ifndef BOOKD_STORE_BLACKOUT_H
#define BOOKD_STORE_BLACKOUT_H

#include <stdint.h>

#include "base/arena.h"
#include "store/db.h"

/* A row of resource_blackouts. */
typedef struct blackout {
	const char *id;          /* opaque id */
	const char *resource_id; /* the item */
	int64_t start_at;        /* UTC instant, included */
	int64_t end_at;          /* UTC instant, excluded; > start_at */
	const char *reason;      /* free text, may be "" */
} blackout;

/* The business's blackouts, of one item when resource_id is not NULL, ending after `after`
 * (0: all), by start then id; *out in a. */
status store_blackouts_list(db_conn *c, const char *business_id, const char *resource_id,
			    int64_t after, arena *a, blackout **out, int *count);
/* One blackout, or STATUS_NOT_FOUND. */
status store_blackout_get(db_conn *c, const char *business_id, const char *id, arena *a,
			  blackout *out);
/* Writes a new row (created_at = now); STATUS_CONFLICT for an id in use. */
status store_blackout_insert(db_conn *c, const char *business_id, const blackout *v,
			     int64_t now);
/* Changes a row's item, range and reason; STATUS_NOT_FOUND when there is none. */
status store_blackout_update(db_conn *c, const char *business_id, const blackout *v);
/* Deletes one row; STATUS_NOT_FOUND when there is none. */
status store_blackout_delete(db_conn *c, const char *business_id, const char *id);
/* Deletes every blackout of the business (a configuration replaced whole). */
status store_blackouts_clear(db_conn *c, const char *business_id);

#endif
