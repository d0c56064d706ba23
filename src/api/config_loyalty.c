/* config_loyalty.c - the configuration document's "loyalty" section: read and checked,
 * written in the document's transaction, exported. */
#include "api/config_loyalty.h"

#include "store/loyalty.h"

void config_loyalty_read(catalog_reader *rd, const json_t *doc, config_doc *d)
{
	const json_t *l = json_object_get(doc, "loyalty"); /* borrowed */
	if (!l)
		return;
	loyalty_settings s;
	char field[64];
	const char *why = NULL;
	if (loyalty_settings_from_json(l, &s, field, sizeof(field), &why))
		d->loyalty = l;
	else if (field[0])
		errlist_add(rd->errs, why, "loyalty.%s", field);
	else
		errlist_add(rd->errs, why, "%s", "loyalty");
}

status config_loyalty_write(db_conn *c, const char *business_id, const config_doc *d)
{
	loyalty_settings s;
	char field[64];
	const char *why;
	if (!loyalty_settings_from_json(d->loyalty, &s, field, sizeof(field), &why))
		return STATUS_INVALID; /* config_loyalty_read refused it already */
	/* updated_at 0: set by a document (its writer has no clock of its own) */
	return loyalty_settings_write(c, business_id, &s, 0);
}

status config_loyalty_export(db_conn *c, const business *b, json_t *doc)
{
	loyalty_settings s;
	bool found = false;
	status st = loyalty_settings_find(c, b->id, &s, &found);
	if (st == STATUS_OK && found) /* steals */
		json_object_set_new(doc, "loyalty", loyalty_settings_json(&s));
	return st;
}
