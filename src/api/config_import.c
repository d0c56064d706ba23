/* config_import.c - creates a business from a configuration document: read whole by
 * config_read (import's looser rules), then written in one transaction. */
#include <stdio.h>
#include <string.h>

#include "api/config_doc.h"
#include "api/config_read.h"
#include "store/admin_catalog.h"
#include "store/business.h"
#include "store/catalog.h"
#include "store/schedule.h"
#include "store/unit.h"

/* A store conflict on a row the reader passed (another business's id, say) is listed at the
 * row's path rather than failing the import with no field. */
static status row_written(errlist *errs, status st, const char *key, int i)
{
	if (st == STATUS_CONFLICT) {
		errlist_add(errs, "duplicates another row or refers to a missing one", "%s[%d]", key,
			    i);
		return STATUS_INVALID;
	}
	return st;
}

/* Deletes an existing business of the same slug when replace allows it. */
static status import_slot_for(db_conn *c, const business *biz, bool replace, arena *a,
			      errlist *errs)
{
	business old;
	status st = store_business_by_slug(c, biz->slug, a, &old);
	if (st == STATUS_NOT_FOUND)
		return STATUS_OK;
	if (st != STATUS_OK)
		return st;
	if (!replace) {
		errlist_add(errs, "a business with this slug exists", "business.slug");
		return STATUS_CONFLICT;
	}
	return store_business_delete(c, old.id);
}

static status import_write(db_conn *c, const config_doc *d, int64_t now, arena *a,
			    errlist *errs)
{
	const char *bid = d->biz.id;
	status st = store_business_insert(c, &d->biz);
	for (int i = 0; st == STATUS_OK && i < d->np; i++)
		st = row_written(errs, store_provider_insert(c, bid, &d->ps[i], now), "providers", i);
	for (int i = 0; st == STATUS_OK && i < d->nr; i++)
		st = row_written(errs, store_resource_insert(c, bid, &d->rs[i], now), "resources", i);
	for (int i = 0; st == STATUS_OK && i < d->ns; i++) {
		const catalog_links *l = &d->links[i];
		st = row_written(errs, store_service_insert(c, bid, &d->ss[i], now), "services", i);
		if (st == STATUS_OK)
			st = store_admin_service_set_links(c, bid, d->ss[i].id, l->providers,
							   l->n_providers, l->resources,
							   l->n_resources);
	}
	for (int i = 0; st == STATUS_OK && i < d->nrules; i++) {
		const sched_rule *v = &d->rules[i];
		st = store_schedule_insert(c, bid, v->id, v->owner, v->weekday, v->start_min,
					   v->end_min, v->valid_from, v->valid_to);
	}
	for (int i = 0; st == STATUS_OK && i < d->novs; i++) {
		const sched_override *v = &d->ovs[i];
		st = store_override_insert(c, bid, v->id, v->owner, v->date, v->closed, v->start_min,
					   v->end_min);
	}
	for (int i = 0; st == STATUS_OK && i < d->noffs; i++) {
		const sched_time_off *v = &d->offs[i];
		st = store_time_off_insert(c, bid, v->id, v->owner, v->start_at, v->end_at,
					   v->reason);
	}
	for (int i = 0; st == STATUS_OK && i < d->ncls; i++)
		st = store_closure_insert(c, bid, d->cls[i].id, d->cls[i].date, d->cls[i].name);
	for (int i = 0; st == STATUS_OK && i < d->nbos; i++)
		st = store_blackout_insert(c, bid, &d->bos[i], now);
	for (int i = 0; st == STATUS_OK && i < d->nses; i++) {
		const sched_session *v = &d->ses[i];
		st = row_written(errs,
				 store_session_insert(c, bid, v->id, v->service_id, v->provider_id,
						      v->resource_id, v->start_at, v->end_at,
						      v->capacity),
				 "sessions", i);
	}
	if (st == STATUS_OK)
		st = config_calendar_write(c, bid, &d->cal, false, now, a);
	return st;
}

/* What one import writes, for its unit (store/unit.h). */
typedef struct import_unit {
	const config_doc *d; /* the document read */
	bool replace;        /* an existing business of the slug goes first */
	int64_t now;         /* the server's now */
	arena *a;            /* for what is read meanwhile */
	errlist *errs;       /* the faults found */
} import_unit;

static status import_unit_work(db_conn *c, void *ctx)
{
	import_unit *u = ctx;
	status st = import_slot_for(c, &u->d->biz, u->replace, u->a, u->errs);
	if (st == STATUS_OK)
		st = import_write(c, u->d, u->now, u->a, u->errs);
	if (st == STATUS_OK)
		st = config_settings_write(c, u->d->biz.id, u->d);
	if (st == STATUS_OK)
		st = config_extras_write(c, u->d->biz.id, u->d, &u->d->extras, u->now, u->a,
					 u->errs);
	return st;
}

status config_import(db_conn *c, const json_t *doc, bool replace, int64_t now, arena *a,
		     errlist *errs, const char **business_id_out)
{
	catalog_reader rd = {.a = a, .errs = errs, .import_rules = true};
	config_doc d;
	if (!config_read(&rd, doc, NULL, &d))
		return STATUS_INVALID;
	d.biz.created_at = now;
	import_unit u = {.d = &d, .replace = replace, .now = now, .a = a, .errs = errs};
	status st = store_unit_write(c, import_unit_work, &u);
	if (st == STATUS_OK && business_id_out)
		*business_id_out = d.biz.id;
	return st;
}
