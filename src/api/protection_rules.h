/* protection_rules.h - the business's protection settings as JSON: written and read by the
 * settings route (GET, PATCH …/protection) and by the configuration document ("protection"),
 * so both name, bound and check every field the same way. */
#ifndef BOOKD_API_PROTECTION_RULES_H
#define BOOKD_API_PROTECTION_RULES_H

#include <jansson.h>

#include "base/errlist.h"
#include "store/protection.h"

/* The settings as a new JSON object. */
json_t *protection_json(const protection *p);

/* Applies the keys of o (an object) to *p; keys left out keep *p's value. Every fault is
 * added to errs under path "<prefix>.<key>" (just "<key>" for an empty prefix). */
void protection_read(const json_t *o, const char *prefix, protection *p, errlist *errs);

#endif
