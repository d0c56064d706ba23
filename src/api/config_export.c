/* config_export.c - the whole configuration of a business as one document, out (export)
 * and back in over an existing business (replace), with the rules of catalog_rules.c. */
#include "api/config_export.h"
#include "store/availability.h"

#include <stdio.h>
#include <string.h>

#include "api/catalog_rules.h"
#include "core/tz.h"
#include "store/admin_catalog.h"
#include "store/admin_schedule.h"
#include "store/catalog.h"
#include "store/schedule.h"

/* json_array_append_new of row without the given keys. */
static void append_without(json_t *arr, json_t *row, const char *k1, const char *k2)
{
	if (k1)
		json_object_del(row, k1);
	if (k2)
		json_object_del(row, k2);
	json_array_append_new(arr, row); /* steals row */
}

status config_export(db_conn *c, const business *b, arena *a, json_t **out)
{
	const tz *z = tz_get(b->timezone);
	if (!z)
		z = tz_get("UTC");
	sched_filter all = {0};
	provider *ps;
	resource *rs;
	service *ss;
	sched_rule *rules;
	sched_override *ovs;
	sched_time_off *offs;
	sched_closure *cls;
	sched_session *ses;
	int np, nr, ns, nrules, novs, noffs, ncls, nses;
	status st = store_admin_providers_list(c, b->id, a, &ps, &np);
	if (st == STATUS_OK)
		st = store_admin_resources_list(c, b->id, a, &rs, &nr);
	if (st == STATUS_OK)
		st = store_services_list(c, b->id, false, a, &ss, &ns);
	if (st == STATUS_OK)
		st = store_rules_list(c, b->id, &all, a, &rules, &nrules);
	if (st == STATUS_OK)
		st = store_overrides_list(c, b->id, &all, a, &ovs, &novs);
	if (st == STATUS_OK)
		st = store_time_off_list(c, b->id, &all, a, &offs, &noffs);
	if (st == STATUS_OK)
		st = store_closures_list(c, b->id, &all, a, &cls, &ncls);
	if (st == STATUS_OK)
		st = store_sessions_list(c, b->id, &all, a, &ses, &nses);
	if (st != STATUS_OK)
		return st;
	json_t *doc = json_object();
	json_t *biz = catalog_business_json(b);
	json_object_del(biz, "id");
	json_object_set_new(doc, "business", biz); /* steals */
	json_t *arr = json_array();
	for (int i = 0; i < np; i++)
		append_without(arr, catalog_provider_json(&ps[i]), "user_id", NULL);
	json_object_set_new(doc, "providers", arr);
	arr = json_array();
	for (int i = 0; i < nr; i++)
		append_without(arr, catalog_resource_json(&rs[i]), NULL, NULL);
	json_object_set_new(doc, "resources", arr);
	arr = json_array();
	for (int i = 0; st == STATUS_OK && i < ns; i++) {
		catalog_links l = {0};
		st = store_admin_service_links(c, b->id, ss[i].id, a, &l.providers, &l.n_providers,
					       &l.resources, &l.n_resources);
		if (st == STATUS_OK)
			append_without(arr, catalog_service_json(&ss[i], &l), NULL, NULL);
	}
	json_object_set_new(doc, "services", arr);
	arr = json_array();
	for (int i = 0; i < nrules; i++)
		append_without(arr, catalog_rule_json(&rules[i]), "id", NULL);
	json_object_set_new(doc, "schedules", arr);
	arr = json_array();
	for (int i = 0; i < novs; i++) {
		json_t *row = catalog_override_json(&ovs[i]);
		if (ovs[i].closed)
			append_without(arr, row, "start", "end");
		else
			append_without(arr, row, NULL, NULL);
		json_object_del(row, "id");
	}
	json_object_set_new(doc, "overrides", arr);
	arr = json_array();
	for (int i = 0; i < noffs; i++)
		append_without(arr, catalog_time_off_json(&offs[i], z), "id", NULL);
	json_object_set_new(doc, "time_off", arr);
	arr = json_array();
	for (int i = 0; i < ncls; i++)
		append_without(arr, catalog_closure_json(&cls[i]), "id", NULL);
	json_object_set_new(doc, "closures", arr);
	arr = json_array();
	for (int i = 0; i < nses; i++)
		append_without(arr, catalog_session_json(&ses[i], z), "end", NULL);
	json_object_set_new(doc, "sessions", arr);
	if (st != STATUS_OK) {
		json_decref(doc);
		return st;
	}
	*out = doc;
	return STATUS_OK;
}

/* ---- replace ---------------------------------------------------------------------- */

/* The document, read and checked in memory before anything is written. */
typedef struct replace_doc {
	business biz;              /* the new settings (id, slug, created_at of the old) */
	provider *ps;              /* providers */
	int np;                    /* entries in ps */
	resource *rs;              /* resources */
	int nr;                    /* entries in rs */
	service *ss;               /* services */
	catalog_links *links;      /* links[i] of ss[i] */
	int ns;                    /* entries in ss and links */
	sched_rule *rules;         /* weekly rules */
	int nrules;                /* entries in rules */
	sched_override *ovs;       /* overrides */
	int novs;                  /* entries in ovs */
	sched_time_off *offs;      /* time off */
	int noffs;                 /* entries in offs */
	sched_closure *cls;        /* closures */
	int ncls;                  /* entries in cls */
	sched_session *ses;        /* sessions (end and capacity settled) */
	int nses;                  /* entries in ses */
} replace_doc;

/* The array under key (or none); an error when it is not an array. */
static const json_t *doc_array(const json_t *doc, const char *key, errlist *errs, size_t *n)
{
	const json_t *v = json_object_get(doc, key); /* borrowed */
	*n = 0;
	if (v && !json_is_null(v) && !json_is_array(v)) {
		errlist_add(errs, "must be an array", "%s", key);
		return NULL;
	}
	*n = v ? json_array_size(v) : 0;
	return v;
}

static int find_provider(const replace_doc *d, const char *id)
{
	for (int i = 0; id && i < d->np; i++)
		if (strcmp(d->ps[i].id, id) == 0)
			return i;
	return -1;
}

static int find_resource(const replace_doc *d, const char *id)
{
	for (int i = 0; id && i < d->nr; i++)
		if (strcmp(d->rs[i].id, id) == 0)
			return i;
	return -1;
}

static int find_service(const replace_doc *d, const char *id)
{
	for (int i = 0; id && i < d->ns; i++)
		if (strcmp(d->ss[i].id, id) == 0)
			return i;
	return -1;
}

static void check_owner(const replace_doc *d, const sched_owner *o, errlist *errs,
			const char *path)
{
	if (strcmp(o->kind, "provider") == 0 && find_provider(d, o->id) < 0)
		errlist_add(errs, "names no provider of this document", "%s.owner", path);
	if (strcmp(o->kind, "resource") == 0 && find_resource(d, o->id) < 0)
		errlist_add(errs, "names no resource of this document", "%s.owner", path);
}

/* Reads and cross-checks the whole document. */
static void replace_read(catalog_reader *rd, const business *b, const json_t *doc,
			 replace_doc *d)
{
	errlist *errs = rd->errs;
	arena *a = rd->a;
	const json_t *bo = json_object_get(doc, "business"); /* borrowed */
	d->biz = *b;
	if (!json_is_object(bo)) {
		errlist_add(errs, "must be an object", "%s", "business");
	} else {
		catalog_business_read(rd, bo, "business", &d->biz);
		const json_t *slug = json_object_get(bo, "slug"); /* borrowed */
		if (slug && !(json_is_string(slug) && strcmp(json_string_value(slug), b->slug) == 0))
			errlist_add(errs, "must be this business's slug: a PUT does not rename",
				    "%s", "business.slug");
	}
	size_t n, i;
	const json_t *arr, *o;
	char path[48];

	arr = doc_array(doc, "providers", errs, &n);
	d->ps = arena_alloc(a, sizeof(provider) * (n + 1));
	json_array_foreach(arr, i, o) {
		snprintf(path, sizeof(path), "providers[%zu]", i);
		provider p = {0};
		if (catalog_provider_read(rd, o, path, &p) && find_provider(d, p.id) >= 0)
			errlist_add(errs, "is used twice", "%s.id", path);
		p.user_id = NULL; /* links to staff users are kept as they are (replace_guard) */
		d->ps[d->np++] = p;
	}
	arr = doc_array(doc, "resources", errs, &n);
	d->rs = arena_alloc(a, sizeof(resource) * (n + 1));
	json_array_foreach(arr, i, o) {
		snprintf(path, sizeof(path), "resources[%zu]", i);
		resource r = {0};
		if (catalog_resource_read(rd, o, path, &r) && find_resource(d, r.id) >= 0)
			errlist_add(errs, "is used twice", "%s.id", path);
		d->rs[d->nr++] = r;
	}
	arr = doc_array(doc, "services", errs, &n);
	d->ss = arena_alloc(a, sizeof(service) * (n + 1));
	d->links = arena_alloc(a, sizeof(catalog_links) * (n + 1));
	json_array_foreach(arr, i, o) {
		snprintf(path, sizeof(path), "services[%zu]", i);
		service s = {0};
		catalog_links l = {0};
		bool ok = catalog_service_read(rd, o, path, &s, &l);
		if (ok && !json_object_get(o, "position"))
			s.position = (int)i;
		if (ok && find_service(d, s.id) >= 0)
			errlist_add(errs, "is used twice", "%s.id", path);
		for (int j = 0; j < l.n_providers; j++)
			if (find_provider(d, l.providers[j]) < 0)
				errlist_add(errs, "names no provider of this document",
					    "%s.providers[%d]", path, j);
		for (int j = 0; j < l.n_resources; j++)
			if (find_resource(d, l.resources[j]) < 0)
				errlist_add(errs, "names no resource of this document",
					    "%s.resources[%d]", path, j);
		d->links[d->ns] = l;
		d->ss[d->ns++] = s;
	}
	arr = doc_array(doc, "schedules", errs, &n);
	d->rules = arena_alloc(a, sizeof(sched_rule) * (n + 1));
	json_array_foreach(arr, i, o) {
		snprintf(path, sizeof(path), "schedules[%zu]", i);
		sched_rule v = {0};
		if (catalog_rule_read(rd, o, path, &v))
			check_owner(d, &v.owner, errs, path);
		d->rules[d->nrules++] = v;
	}
	arr = doc_array(doc, "overrides", errs, &n);
	d->ovs = arena_alloc(a, sizeof(sched_override) * (n + 1));
	json_array_foreach(arr, i, o) {
		snprintf(path, sizeof(path), "overrides[%zu]", i);
		sched_override v = {0};
		if (catalog_override_read(rd, o, path, &v))
			check_owner(d, &v.owner, errs, path);
		d->ovs[d->novs++] = v;
	}
	arr = doc_array(doc, "time_off", errs, &n);
	d->offs = arena_alloc(a, sizeof(sched_time_off) * (n + 1));
	json_array_foreach(arr, i, o) {
		snprintf(path, sizeof(path), "time_off[%zu]", i);
		sched_time_off v = {0};
		if (catalog_time_off_read(rd, o, path, &v))
			check_owner(d, &v.owner, errs, path);
		d->offs[d->noffs++] = v;
	}
	arr = doc_array(doc, "closures", errs, &n);
	d->cls = arena_alloc(a, sizeof(sched_closure) * (n + 1));
	json_array_foreach(arr, i, o) {
		snprintf(path, sizeof(path), "closures[%zu]", i);
		sched_closure v = {0};
		if (catalog_closure_read(rd, o, path, &v))
			for (int j = 0; j < d->ncls; j++)
				if (d->cls[j].date && strcmp(d->cls[j].date, v.date) == 0)
					errlist_add(errs, "is closed twice", "%s.date", path);
		d->cls[d->ncls++] = v;
	}
	arr = doc_array(doc, "sessions", errs, &n);
	d->ses = arena_alloc(a, sizeof(sched_session) * (n + 1));
	json_array_foreach(arr, i, o) {
		snprintf(path, sizeof(path), "sessions[%zu]", i);
		sched_session v = {0};
		int cap;
		if (catalog_session_read(rd, o, path, &v, &cap)) {
			int si = find_service(d, v.service_id);
			if (si < 0 || d->ss[si].kind != SERVICE_CLASS) {
				errlist_add(errs, "must name a class service of this document",
					    "%s.service", path);
			} else {
				v.capacity = cap > 0 ? cap : d->ss[si].capacity;
				v.end_at = v.start_at + d->ss[si].duration_s;
			}
			if (v.provider_id && find_provider(d, v.provider_id) < 0)
				errlist_add(errs, "names no provider of this document", "%s.provider",
					    path);
			if (v.resource_id && find_resource(d, v.resource_id) < 0)
				errlist_add(errs, "names no resource of this document", "%s.resource",
					    path);
			for (int j = 0; j < d->nses; j++)
				if (strcmp(d->ses[j].id, v.id) == 0)
					errlist_add(errs, "is used twice", "%s.id", path);
		}
		d->ses[d->nses++] = v;
	}
}

/* Rows that bookings keep: refuses what would delete or move them. */
static status replace_guard(db_conn *c, const business *b, const replace_doc *d, arena *a,
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
		if (find_provider(d, ps[i].id) >= 0)
			continue;
		st = store_admin_bookings_of(c, b->id, "provider", ps[i].id, &n);
		if (st == STATUS_OK && n > 0)
			errlist_add(errs, "has bookings: keep it in the document (\"active\": false withdraws it)",
				    "providers:%s", ps[i].id);
	}
	for (int i = 0; st == STATUS_OK && i < nr; i++) {
		if (find_resource(d, rs[i].id) >= 0)
			continue;
		st = store_admin_bookings_of(c, b->id, "resource", rs[i].id, &n);
		if (st == STATUS_OK && n > 0)
			errlist_add(errs, "has bookings: keep it in the document (\"active\": false withdraws it)",
				    "resources:%s", rs[i].id);
	}
	for (int i = 0; st == STATUS_OK && i < ns; i++) {
		int j = find_service(d, ss[i].id);
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
		if (find_service(d, ss[i].id) < 0)
			st = store_admin_service_delete(c, b->id, ss[i].id);
	for (int i = 0; st == STATUS_OK && i < np; i++)
		if (find_provider(d, ps[i].id) < 0)
			st = store_admin_provider_delete(c, b->id, ps[i].id);
		else /* the link to a staff user is not part of the document: keep it */
			d->ps[find_provider(d, ps[i].id)].user_id = ps[i].user_id;
	for (int i = 0; st == STATUS_OK && i < nr; i++)
		if (find_resource(d, rs[i].id) < 0)
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

static status replace_write(db_conn *c, const business *b, const replace_doc *d, int64_t now)
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
	for (int i = 0; st == STATUS_OK && i < d->nses; i++) {
		const sched_session *v = &d->ses[i];
		UPSERT(store_session_update(c, b->id, v),
		       store_session_insert(c, b->id, v->id, v->service_id, v->provider_id,
					    v->resource_id, v->start_at, v->end_at, v->capacity));
	}
	return st;
}

status config_replace(db_conn *c, const business *b, const json_t *doc, int64_t now, arena *a,
		      errlist *errs)
{
	if (!json_is_object(doc)) {
		errlist_add(errs, "the document must be a JSON object", "%s", "");
		return STATUS_INVALID;
	}
	catalog_reader rd = {.a = a, .errs = errs, .business_id = b->id};
	replace_doc d = {0};
	replace_read(&rd, b, doc, &d);
	if (!errlist_empty(errs))
		return STATUS_INVALID;
	status st = db_begin_write(c);
	if (st != STATUS_OK)
		return st;
	st = replace_guard(c, b, &d, a, errs);
	if (st == STATUS_OK)
		st = replace_write(c, b, &d, now);
	if (st == STATUS_OK)
		st = store_catalog_touch(c, b->id); /* bookings read hours before their lock */
	if (st == STATUS_OK)
		st = db_commit(c);
	if (st != STATUS_OK)
		db_rollback(c);
	return st;
}
