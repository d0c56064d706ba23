/* config_doc.h - a whole business's configuration as one JSON document: import and export.
 *
 * The document (docs/config-format.md describes each field):
 *   {"business": {...}, "providers": [...], "resources": [...], "services": [...],
 *    "schedules": [...], "overrides": [...], "time_off": [...], "closures": [...],
 *    "sessions": [...]}
 */
#ifndef BOOKD_CONFIG_DOC_H
#define BOOKD_CONFIG_DOC_H

#include <jansson.h>
#include <stdbool.h>

#include "base/arena.h"
#include "base/errlist.h"
#include "store/db.h"

/* Validates doc and creates the business it describes with everything in it, in one
 * transaction: either all of it is written or nothing. With replace, an existing business of
 * the same slug is deleted first (in the same transaction); without, an existing slug is
 * STATUS_CONFLICT. STATUS_INVALID with errs filled (JSON paths) for a bad document.
 * *business_id_out (may be NULL) gets the new business id, in a. doc is borrowed. */
status config_import(db_conn *c, const json_t *doc, bool replace, int64_t now, arena *a,
		     errlist *errs, const char **business_id_out);

#endif
