/* config_export.h - a business's whole configuration as the document `bookd import` reads
 * (docs/config-format.md), and replacing a business's configuration by such a document. */
#ifndef BOOKD_API_CONFIG_EXPORT_H
#define BOOKD_API_CONFIG_EXPORT_H

#include <jansson.h>

#include "base/arena.h"
#include "base/errlist.h"
#include "core/model.h"
#include "store/db.h"

/* Builds the document of business b into *out (a new reference). Deterministic: the same
 * configuration always gives the same document, so export -> import (another slug) ->
 * export gives the same document but for the slug. Rows of hours carry no ids (import
 * makes new ones); providers, resources, services and sessions keep theirs. Staff users and
 * their links to providers are not part of it. Reads only; run inside db_begin for a
 * consistent snapshot. */
status config_export(db_conn *c, const business *b, arena *a, json_t **out);

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
