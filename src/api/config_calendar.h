/* config_calendar.h - the "calendar" section of the configuration document: the owners'
 * alert threshold, the external calendar connections and the feeds, without any secret
 * (docs/config-format.md). Connections read back need their credentials given again; feeds
 * read back need a new address made (only a hash of the old one was ever kept). */
#ifndef BOOKD_API_CONFIG_CALENDAR_H
#define BOOKD_API_CONFIG_CALENDAR_H

#include <jansson.h>
#include <stdbool.h>

#include "api/catalog_rules.h"
#include "core/model.h"
#include "store/calconfig.h"
#include "store/calfeed.h"
#include "store/db.h"

/* The section as read. */
typedef struct config_calendar {
	bool present;          /* the document has a "calendar" object */
	int64_t alert_after_s; /* the threshold, or 0 when not given */
	calconfig_conn *conns; /* connections (ids given or made) */
	int nconns;            /* entries in conns */
	store_feed *feeds;     /* feeds of the business, providers and resources */
	int nfeeds;            /* entries in feeds */
} config_calendar;

struct config_doc;

/* Reads doc's "calendar" (absent or null: out->present false) into out, every fault added
 * to rd->errs by JSON path; provider and resource ids must name rows of d. */
void config_calendar_read(catalog_reader *rd, const json_t *doc, const struct config_doc *d,
                          config_calendar *out);

/* Adds "calendar" of business b to doc: connections by id (an ICS address, a password and
 * tokens never; a CalDAV address without credentials in it), feeds of the business,
 * providers and resources by id (customers are not configuration), the alert threshold. */
status config_calendar_export(db_conn *c, const business *b, arena *a, json_t *doc);

/* Inside the caller's write transaction, writes cal into business_id: connections added
 * as needing credentials or, already there, their settings changed; feeds added with a new
 * secret nobody holds or, already there, changed. With replace, connections and feeds (of
 * the business, providers and resources) the section leaves out are deleted. */
status config_calendar_write(db_conn *c, const char *business_id, const config_calendar *cal,
                             bool replace, int64_t now, arena *a);

#endif
