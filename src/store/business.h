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
/* Inserts b (its id and created_at must be set). STATUS_CONFLICT when the slug is taken. */
status store_business_insert(db_conn *c, const business *b);
/* Deletes a business and, through cascades and explicit deletes, everything it owns. */
status store_business_delete(db_conn *c, const char *id);

#endif
