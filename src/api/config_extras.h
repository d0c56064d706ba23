/* config_extras.h - the parts of the configuration document beside the catalogue and hours:
 * "packages" (the packages a business sells: definitions, not sales) and "group_rules" (a
 * service's group sizes, a class's minimum attendance and decision time, late joining).
 * Read with config_read, written by import and replace, written out by export.
 *
 * Companies are not part of the document: they are customer records (a billing contact,
 * the customers and groups that belong to them), like customers themselves. */
#ifndef BOOKD_CONFIG_EXTRAS_H
#define BOOKD_CONFIG_EXTRAS_H

#include <jansson.h>
#include <stdbool.h>

#include "api/catalog_rules.h"
#include "base/errlist.h"
#include "store/db.h"
#include "store/group.h"
#include "store/package.h"

struct config_doc;

/* One service's group rules in a document. */
typedef struct config_group_rule {
	const char *service_id; /* a service of the document */
	group_rules r;          /* its rules (keys left out of the entry: the defaults) */
} config_group_rule;

/* The document's packages and group rules. */
typedef struct config_extras {
	bool has_packages;          /* "packages" was given */
	package *pkgs;              /* its entries (ids kept or generated), in rd->a */
	int npkgs;                  /* entries in pkgs */
	bool has_group_rules;       /* "group_rules" was given */
	config_group_rule *grules;  /* its entries, one per service at most */
	int ngrules;                /* entries in grules */
} config_extras;

/* Reads "packages" and "group_rules" of doc into *out, each service named checked against
 * the document's services (d, already read); faults go to rd->errs by JSON path. */
void config_extras_read(catalog_reader *rd, const json_t *doc, const struct config_doc *d,
			config_extras *out);

/* Inside the writer's transaction. Packages: each one of the document is inserted, or (on
 * replace) updated by id; a package whose service or number of sessions would change is
 * STATUS_CONFLICT ("packages:ID" in errs: sales copy those terms, so a new package is
 * needed); packages the document leaves out are withdrawn (active false), never deleted.
 * Group rules: every service of the document takes its entry's rules, or the defaults when
 * the list leaves it out. Either part left out of the document changes nothing. */
status config_extras_write(db_conn *c, const char *business_id, const struct config_doc *d,
			   const config_extras *x, int64_t now, arena *a, errlist *errs);

/* Appends "packages" (every package, withdrawn ones included) and "group_rules" (each
 * service whose rules are not the defaults) to doc. */
status config_extras_export(db_conn *c, const char *business_id, arena *a, json_t *doc);

#endif
