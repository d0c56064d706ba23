/* config_replace.c - replaces a business's whole configuration by a document read by
 * config_read: refuses what would delete or move booked rows, then writes in one
 * transaction. */
#include <string.h>

#include "api/config_doc.h"
#include "api/config_read.h"
#include "store/admin_catalog.h"
#include "store/admin_schedule.h"
#include "store/availability.h"
#include "store/catalog.h"
#include "store/schedule.h"
#include "store/unit.h"

/* Rows that bookings keep: refuses what would delete or move them, then deletes the rows the
 * document leaves out. Providers kept take over their link to a staff user (d is updated). */
static status replace_guard(db_conn *c, const business *b, config_doc *d, arena *a,
			    errlist *errs)
{
	provider *ps;
	resource *rs;
	service *ss;
	sched_session *ses;
	int np, nr, ns, nses;
	sched_filter all = {0};
	status st = store_admin_providers_list(c, b->id, a, &ps, &np);
	if (st == STATUS_OK)
		st = store_admin_resources_list(c, b->id, a, &rs, &nr);
	if (st == STATUS_OK)
		st = store_services_list(c, b->id, false, a, &ss, &ns);
	if (st == STATUS_OK)
		st = store_sessions_list(c, b->id, &all, a, &ses, &nses);
	int64_t n = 0;
	for (int i = 0; st == STATUS_OK && i < np; i++) {
		if (config_find_provider(d, ps[i].id) >= 0)
			continue;
		st = store_admin_bookings_of(c, b->id, "provider", ps[i].id, &n);
		if (st == STATUS_OK && n > 0)
			errlist_add(errs, "has bookings: keep it in the document (\"active\": false withdraws it)",
				    "providers:%s", ps[i].id);
	}
	for (int i = 0; st == STATUS_OK && i < nr; i++) {
		if (config_find_resource(d, rs[i].id) >= 0)
			continue;
		st = store_admin_bookings_of(c, b->id, "resource", rs[i].id, &n);
		if (st == STATUS_OK && n > 0)
			errlist_add(errs, "has bookings: keep it in the document (\"active\": false withdraws it)",
				    "resources:%s", rs[i].id);
	}
	for (int i = 0; st == STATUS_OK && i < ns; i++) {
		int j = config_find_service(d, ss[i].id);
		if (j >= 0 && d->ss[j].kind == ss[i].kind)
			continue;
		st = store_admin_bookings_of(c, b->id, "service", ss[i].id, &n);
		if (st == STATUS_OK && n > 0)
			errlist_add(errs,
				    j < 0 ? "has bookings: keep it in the document (\"active\": false withdraws it)"
					  : "has bookings: its kind cannot change",
				    "services:%s", ss[i].id);
	}
	for (int i = 0; st == STATUS_OK && i < nses; i++) {
		st = store_admin_bookings_of(c, b->id, "session_seats", ses[i].id, &n);
		if (st != STATUS_OK || n == 0)
			continue;
		const sched_session *to = NULL;
		for (int j = 0; j < d->nses && !to; j++)
			if (strcmp(d->ses[j].id, ses[i].id) == 0)
				to = &d->ses[j];
		if (!to || to->start_at != ses[i].start_at ||
		    strcmp(to->service_id, ses[i].service_id) != 0 || to->capacity < n)
			errlist_add(errs,
				    "has live bookings: keep it with its service, start and enough capacity",
				    "sessions:%s", ses[i].id);
	}
	if (st == STATUS_OK && !errlist_empty(errs))
		st = STATUS_CONFLICT;
	/* Now delete what the document leaves out (the guard passed, so nothing booked). */
	for (int i = 0; st == STATUS_OK && i < nses; i++) {
		bool kept = false;
		for (int j = 0; j < d->nses && !kept; j++)
			kept = strcmp(d->ses[j].id, ses[i].id) == 0;
		if (!kept)
			st = store_sched_delete(c, b->id, "sessions", ses[i].id);
	}
	for (int i = 0; st == STATUS_OK && i < ns; i++)
		if (config_find_service(d, ss[i].id) < 0)
			st = store_admin_service_delete(c, b->id, ss[i].id);
	for (int i = 0; st == STATUS_OK && i < np; i++)
		if (config_find_provider(d, ps[i].id) < 0)
			st = store_admin_provider_delete(c, b->id, ps[i].id);
		else /* the link to a staff user is not part of the document: keep it */
			d->ps[config_find_provider(d, ps[i].id)].user_id = ps[i].user_id;
	for (int i = 0; st == STATUS_OK && i < nr; i++)
		if (config_find_resource(d, rs[i].id) < 0)
			st = store_admin_resource_delete(c, b->id, rs[i].id);
	return st;
}

/* Update the row, or insert it when there was none. */
#define UPSERT(update, insert)                                                                 \
	do {                                                                                   \
		st = (update);                                                                 \
		if (st == STATUS_NOT_FOUND)                                                    \
			st = (insert);                                                         \
	} while (0)

static status replace_write(db_conn *c, const business *b, const config_doc *d, int64_t now)
{
	status st = store_admin_business_update(c, &d->biz);
	if (st == STATUS_OK)
		st = store_sched_clear(c, b->id);
	for (int i = 0; st == STATUS_OK && i < d->np; i++)
		UPSERT(store_admin_provider_update(c, b->id, &d->ps[i]),
		       store_provider_insert(c, b->id, &d->ps[i], now));
	for (int i = 0; st == STATUS_OK && i < d->nr; i++)
		UPSERT(store_admin_resource_update(c, b->id, &d->rs[i]),
		       store_resource_insert(c, b->id, &d->rs[i], now));
	for (int i = 0; st == STATUS_OK && i < d->ns; i++) {
		UPSERT(store_admin_service_update(c, b->id, &d->ss[i]),
		       store_service_insert(c, b->id, &d->ss[i], now));
		const catalog_links *l = &d->links[i];
		if (st == STATUS_OK)
			st = store_admin_service_set_links(c, b->id, d->ss[i].id, l->providers,
							   l->n_providers, l->resources,
							   l->n_resources);
	}
	for (int i = 0; st == STATUS_OK && i < d->nrules; i++) {
		const sched_rule *v = &d->rules[i];
		st = store_schedule_insert(c, b->id, v->id, v->owner, v->weekday, v->start_min,
					   v->end_min, v->valid_from, v->valid_to);
	}
	for (int i = 0; st == STATUS_OK && i < d->novs; i++) {
		const sched_override *v = &d->ovs[i];
		st = store_override_insert(c, b->id, v->id, v->owner, v->date, v->closed,
					   v->start_min, v->end_min);
	}
	for (int i = 0; st == STATUS_OK && i < d->noffs; i++) {
		const sched_time_off *v = &d->offs[i];
		st = store_time_off_insert(c, b->id, v->id, v->owner, v->start_at, v->end_at,
					   v->reason);
	}
	for (int i = 0; st == STATUS_OK && i < d->ncls; i++)
		st = store_closure_insert(c, b->id, d->cls[i].id, d->cls[i].date, d->cls[i].name);
	if (st == STATUS_OK) /* replaced whole, like time off */
		st = store_blackouts_clear(c, b->id);
	for (int i = 0; st == STATUS_OK && i < d->nbos; i++)
		st = store_blackout_insert(c, b->id, &d->bos[i], now);
	for (int i = 0; st == STATUS_OK && i < d->nses; i++) {
		const sched_session *v = &d->ses[i];
		UPSERT(store_session_update(c, b->id, v),
		       store_session_insert(c, b->id, v->id, v->service_id, v->provider_id,
					    v->resource_id, v->start_at, v->end_at, v->capacity));
	}
	return st;
}

/* What one replacement writes, for its unit (store/unit.h). */
typedef struct replace_unit {
	const business *b; /* the business replaced */
	config_doc *d;     /* the document read (the guard carries staff links over into it) */
	int64_t now;       /* the server's now */
	arena *a;          /* for what is read meanwhile */
	errlist *errs;     /* the faults found */
} replace_unit;

static status replace_unit_work(db_conn *c, void *ctx)
{
	replace_unit *u = ctx;
	status st = replace_guard(c, u->b, u->d, u->a, u->errs);
	if (st == STATUS_OK)
		st = replace_write(c, u->b, u->d, u->now);
	if (st == STATUS_OK)
		st = config_settings_write(c, u->b->id, u->d);
	if (st == STATUS_OK)
		st = config_extras_write(c, u->b->id, u->d, &u->d->extras, u->now, u->a, u->errs);
	if (st == STATUS_OK)
		st = config_calendar_write(c, u->b->id, &u->d->cal, true, u->now, u->a);
	if (st == STATUS_OK)
		st = store_catalog_touch(c, u->b->id); /* bookings read hours before their lock */
	return st;
}

status config_replace(db_conn *c, const business *b, const json_t *doc, int64_t now, arena *a,
		      errlist *errs)
{
	catalog_reader rd = {.a = a, .errs = errs, .business_id = b->id};
	config_doc d;
	if (!config_read(&rd, doc, b, &d))
		return STATUS_INVALID;
	replace_unit u = {.b = b, .d = &d, .now = now, .a = a, .errs = errs};
	return store_unit_write(c, replace_unit_work, &u);
}
