/* assign_rules.h - the business's auto-assignment setting as JSON: written and read by the
 * settings route (GET, PATCH …/assignment) and by the configuration document ("assignment"),
 * so both name, bound and check every field the same way. */
#ifndef BOOKD_API_ASSIGN_RULES_H
#define BOOKD_API_ASSIGN_RULES_H

#include <jansson.h>

#include "base/arena.h"
#include "base/errlist.h"
#include "store/assign.h"
#include "store/db.h"

#define ASSIGN_PRIORITY_MAX 1000 /* priority numbers run from 0 to this */

/* {"policy", "window_days", "priorities": [{"provider_id", "priority"[, "name"]}]} as a new
 * object; names only when with_names (the route; the document leaves them out). */
json_t *assign_json(const assign_settings *s, const assign_prio *p, int n, bool with_names);

/* Applies the keys of o (an object) to *s and reads its "priorities" into *prios (in a,
 * *nprios entries; 0 when left out). Every fault is added to errs under "<prefix>.<key>"
 * (just "<key>" for an empty prefix). */
void assign_read(const json_t *o, const char *prefix, arena *a, assign_settings *s,
		 assign_prio **prios, int *nprios, errlist *errs);

/* Inside a write transaction: the setting and each priority named (a provider not of the
 * business: STATUS_NOT_FOUND). */
status assign_write(db_conn *c, const char *business_id, const assign_settings *s,
		    const assign_prio *p, int n);

#endif
