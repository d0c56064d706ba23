/* config_export.h - a business's whole configuration as the document `bookd import` reads
 * (docs/config-format.md). */
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

#endif
