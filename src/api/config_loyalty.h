/* config_loyalty.h - the configuration document's "loyalty" section (api/config_loyalty.c):
 * the loyalty route's object (store/loyalty.h's JSON). */
#ifndef BOOKD_CONFIG_LOYALTY_H
#define BOOKD_CONFIG_LOYALTY_H

#include <jansson.h>

#include "api/config_read.h"

/* Checks doc's "loyalty" when present (faults in rd->errs as "loyalty.FIELD") and keeps it
 * in d->loyalty (borrowed). */
void config_loyalty_read(catalog_reader *rd, const json_t *doc, config_doc *d);
/* Inside the writer's transaction: the programme of d->loyalty replaces the business's. */
status config_loyalty_write(db_conn *c, const char *business_id, const config_doc *d);
/* Appends "loyalty" to doc when the business has a programme set. */
status config_loyalty_export(db_conn *c, const business *b, json_t *doc);

#endif
