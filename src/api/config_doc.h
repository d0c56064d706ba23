/* config_doc.h - a whole business's configuration as one JSON document, written in: import
 * (a new business) and replace (an existing one). Both read it with config_read.
 *
 * The document (docs/config-format.md describes each field):
 *   {"business": {...}, "providers": [...], "resources": [...], "services": [...],
 *    "schedules": [...], "overrides": [...], "time_off": [...], "closures": [...],
 *    "sessions": [...], "packages": [...], "group_rules": [...], and the settings}
 */
#ifndef BOOKD_CONFIG_DOC_H
#define BOOKD_CONFIG_DOC_H

#include <jansson.h>
#include <stdbool.h>

#include "base/arena.h"
#include "base/errlist.h"
#include "core/model.h"
#include "store/db.h"

/* Validates doc and creates the business it describes with everything in it, in one
 * transaction: either all of it is written or nothing. With replace, an existing business of
 * the same slug is deleted first (in the same transaction); without, an existing slug is
 * STATUS_CONFLICT. STATUS_INVALID with errs filled (JSON paths) for a bad document.
 * *business_id_out (may be NULL) gets the new business id, in a. doc is borrowed. */
status config_import(db_conn *c, const json_t *doc, bool replace, int64_t now, arena *a,
		     errlist *errs, const char **business_id_out);

/* Replaces the configuration of business b by doc, in one write transaction (begun and
 * ended here): settings are updated; providers, resources, services and sessions are
 * matched by id (changed, added, and deleted when missing from doc); weekly rules,
 * overrides, time off and closures are replaced. Bookings are never deleted: a provider,
 * resource or service that bookings refer to and that doc leaves out, a session with live
 * bookings left out or moved, or a booked service changing kind, makes it STATUS_CONFLICT
 * with errs naming each, and nothing changes. A bad document is STATUS_INVALID with errs
 * (JSON paths). business.slug, when given, must be b's slug. Provider links to staff
 * users are kept. doc and b are borrowed. */
status config_replace(db_conn *c, const business *b, const json_t *doc, int64_t now, arena *a,
		      errlist *errs);

#endif
