/* blackout_rules.h - a blackout row read from JSON and written as JSON: the staff route and
 * the configuration document use the same rules. */
#ifndef BOOKD_API_BLACKOUT_RULES_H
#define BOOKD_API_BLACKOUT_RULES_H

#include <jansson.h>
#include <stdbool.h>

#include "api/catalog_rules.h"
#include "core/tz.h"
#include "store/blackout.h"

/* Reads o ({id?, resource, start, end, reason?}) into *out (strings in rd->a); field errors
 * under path go to rd->errs. True when it is valid. Does not check that the item exists. */
bool catalog_blackout_read(catalog_reader *rd, const json_t *o, const char *path, blackout *out);
/* The row as JSON (a new reference), instants in zone z. */
json_t *catalog_blackout_json(const blackout *v, const tz *z);

#endif
