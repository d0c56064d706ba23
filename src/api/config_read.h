/* config_read.h - the one reader of a configuration document (docs/config-format.md), used by
 * `bookd import` (config_import) and by PUT …/config (config_replace).
 *
 * Reading is pure: the whole document is checked in memory, every fault listed by JSON path,
 * before either writer touches the database. A row with a fault is listed and left out of the
 * result, so no later check ever sees a half-read row. */
#ifndef BOOKD_API_CONFIG_READ_H
#define BOOKD_API_CONFIG_READ_H

#include <jansson.h>
#include <stdbool.h>

#include "store/assign.h"
#include "store/overlap_guard.h"
#include "api/catalog_rules.h"
#include "store/blackout.h"
#include "api/config_calendar.h"
#include "api/config_extras.h"
#include "core/model.h"
#include "store/db.h"

/* A document read and cross-checked. Arrays live in the reader's arena; only rows read
 * without a fault are in them. */
typedef struct config_doc {
	business biz;         /* the settings; id, slug and created_at as config_read says */
	provider *ps;         /* providers (user_id NULL: links to staff users are not read) */
	int np;               /* entries in ps */
	resource *rs;         /* resources */
	int nr;               /* entries in rs */
	service *ss;          /* services (position defaults to the row's index) */
	catalog_links *links; /* links[i] of ss[i], each id naming a provider/resource above */
	int ns;               /* entries in ss and links */
	sched_rule *rules;    /* weekly rules (new ids) */
	int nrules;           /* entries in rules */
	sched_override *ovs;  /* overrides (new ids) */
	int novs;             /* entries in ovs */
	sched_time_off *offs; /* time off (new ids) */
	int noffs;            /* entries in offs */
	sched_closure *cls;   /* closures (new ids), no date twice */
	int ncls;             /* entries in cls */
	sched_session *ses;   /* sessions, end and capacity settled from their class service */
	int nses;             /* entries in ses */
	blackout *bos;        /* blackouts of rented items (new ids), each naming a resource */
	int nbos;             /* entries in bos */
	const json_t *protection; /* "protection", checked, borrowed from the document; NULL
				   * when left out (the settings then stay as they are) */
	int64_t waitlist_offer_s; /* "waitlist"."offer_s"; 0 when left out */
	const json_t *loyalty;    /* "loyalty", checked, borrowed; NULL when left out */
	bool has_assign;          /* "assignment" was given (api/assign_rules.h) */
	const json_t *assign_doc; /* that object, borrowed from the document: its keys are
				   * applied over the current setting, so keys left out keep it */
	assign_settings assign;   /* its policy and window, over the defaults (checking only) */
	assign_prio *assign_prios; /* its priorities (in rd->a), each naming a document provider */
	int nassign_prios;        /* entries in assign_prios */
	bool has_overlap;         /* "customer_overlap" was given (api/customer_overlap.h) */
	bool overlap_refuse;      /* its policy, when given */
	bool overlap_has_policy;  /* "policy" was given: left out, the current one stays */
	overlap_service *overlap_svcs; /* its service flags (in rd->a), each naming a document
				        * service */
	int noverlap_svcs;        /* entries in overlap_svcs */
	config_calendar cal;  /* the "calendar" section (api/config_calendar.h) */
	config_extras extras; /* "packages" and "group_rules" (api/config_extras.h) */
	const json_t *pricing; /* "pricing": {service id: pricing document} (core/pricing.h),
				* checked, borrowed; NULL when left out (rules stay as they are) */
} config_doc;

/* Reads doc into *out. With current NULL (import) the business needs a valid slug, takes a
 * new id in rd->a, and rd->business_id is set to it; with current (replace) the settings
 * start from *current, keep its id, slug and created_at, and a slug given must be current's.
 * Ids are unique per kind, and every reference (service links, owners, a session's service,
 * provider and resource) names a row of the document. Returns true when the document has no
 * fault; otherwise the faults are in rd->errs. doc and current are borrowed; the strings of
 * *out are in rd->a. */
bool config_read(catalog_reader *rd, const json_t *doc, const business *current,
		 config_doc *out);

/* Inside the writer's transaction: writes the document's protection and assignment settings
 * (over the business's current ones, so keys left out keep their value) and waiting-list
 * offer time, when the document has them. */
status config_settings_write(db_conn *c, const char *business_id, const config_doc *d);


/* Index of the row with this id in out's providers, resources or services; -1 for none or
 * a NULL id. */
int config_find_provider(const config_doc *d, const char *id);
int config_find_resource(const config_doc *d, const char *id);
int config_find_service(const config_doc *d, const char *id);

#endif
