/* config_read.c - reads and cross-checks a whole configuration document in memory, with the
 * catalogue's row rules (api/catalog_rules.c); import and replace write what it returns. */
#include "api/config_loyalty.h"
#include "api/config_read.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/protection_rules.h"
#include "core/pricing.h"
#include "api/assign_rules.h"
#include "api/customer_overlap.h"

#include "api/blackout_rules.h"
#include "base/ids.h"
#include "store/waitlist.h"

/* JSON paths of rows are "key[i]", of their fields "key[i].field" (errlist copies them). */
enum { CONFIG_PATH_MAX = 48 };

int config_find_provider(const config_doc *d, const char *id)
{
	for (int i = 0; id && i < d->np; i++)
		if (strcmp(d->ps[i].id, id) == 0)
			return i;
	return -1;
}

int config_find_resource(const config_doc *d, const char *id)
{
	for (int i = 0; id && i < d->nr; i++)
		if (strcmp(d->rs[i].id, id) == 0)
			return i;
	return -1;
}

int config_find_service(const config_doc *d, const char *id)
{
	for (int i = 0; id && i < d->ns; i++)
		if (strcmp(d->ss[i].id, id) == 0)
			return i;
	return -1;
}

/* The array under key, NULL when absent or null; a fault when it is something else. *n gets
 * its length (0 for none). */
static const json_t *doc_array(catalog_reader *rd, const json_t *doc, const char *key,
			       size_t *n)
{
	const json_t *v = json_object_get(doc, key); /* borrowed */
	*n = 0;
	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_array(v)) {
		errlist_add(rd->errs, "must be an array", "%s", key);
		return NULL;
	}
	*n = json_array_size(v);
	return v;
}

/* Faults so far, those past the list's maximum included. */
static int faults(const catalog_reader *rd)
{
	return rd->errs->count + rd->errs->dropped;
}

/* Whether a row read so far still holds (no fault added since before). */
static bool row_ok(const catalog_reader *rd, int before, bool read)
{
	return read && faults(rd) == before;
}

static void check_owner(catalog_reader *rd, const config_doc *d, const sched_owner *o,
			const char *path)
{
	if (strcmp(o->kind, "provider") == 0 && config_find_provider(d, o->id) < 0)
		errlist_add(rd->errs, "names no provider of this document", "%s.owner", path);
	if (strcmp(o->kind, "resource") == 0 && config_find_resource(d, o->id) < 0)
		errlist_add(rd->errs, "names no resource of this document", "%s.owner", path);
}

static void read_business(catalog_reader *rd, const json_t *doc, const business *current,
			  config_doc *d)
{
	const json_t *bo = json_object_get(doc, "business"); /* borrowed */
	if (!json_is_object(bo)) {
		errlist_add(rd->errs, "must be an object", "%s", "business");
		return;
	}
	if (current) {
		d->biz = *current;
		const json_t *slug = json_object_get(bo, "slug"); /* borrowed */
		if (slug &&
		    !(json_is_string(slug) && strcmp(json_string_value(slug), current->slug) == 0))
			errlist_add(rd->errs, "must be this business's slug: a PUT does not rename",
				    "%s", "business.slug");
	} else {
		d->biz.slug = catalog_slug_read(rd, bo, "business");
	}
	catalog_business_read(rd, bo, "business", &d->biz);
}

static void read_providers(catalog_reader *rd, const json_t *doc, config_doc *d)
{
	size_t n, i;
	const json_t *o, *arr = doc_array(rd, doc, "providers", &n);
	d->ps = arena_alloc(rd->a, sizeof(provider) * (n + 1));
	json_array_foreach(arr, i, o) {
		char path[CONFIG_PATH_MAX];
		snprintf(path, sizeof(path), "providers[%zu]", i);
		provider p = {0};
		int before = faults(rd);
		bool read = catalog_provider_read(rd, o, path, &p);
		if (read && config_find_provider(d, p.id) >= 0)
			errlist_add(rd->errs, "is used twice", "%s.id", path);
		p.user_id = NULL; /* links to staff users are not part of a document */
		if (row_ok(rd, before, read))
			d->ps[d->np++] = p;
	}
}

static void read_resources(catalog_reader *rd, const json_t *doc, config_doc *d)
{
	size_t n, i;
	const json_t *o, *arr = doc_array(rd, doc, "resources", &n);
	d->rs = arena_alloc(rd->a, sizeof(resource) * (n + 1));
	json_array_foreach(arr, i, o) {
		char path[CONFIG_PATH_MAX];
		snprintf(path, sizeof(path), "resources[%zu]", i);
		resource r = {0};
		int before = faults(rd);
		bool read = catalog_resource_read(rd, o, path, &r);
		if (read && config_find_resource(d, r.id) >= 0)
			errlist_add(rd->errs, "is used twice", "%s.id", path);
		if (row_ok(rd, before, read))
			d->rs[d->nr++] = r;
	}
}

static void read_services(catalog_reader *rd, const json_t *doc, config_doc *d)
{
	size_t n, i;
	const json_t *o, *arr = doc_array(rd, doc, "services", &n);
	d->ss = arena_alloc(rd->a, sizeof(service) * (n + 1));
	d->links = arena_alloc(rd->a, sizeof(catalog_links) * (n + 1));
	json_array_foreach(arr, i, o) {
		char path[CONFIG_PATH_MAX];
		snprintf(path, sizeof(path), "services[%zu]", i);
		service s = {0};
		catalog_links l = {0};
		int before = faults(rd);
		bool read = catalog_service_read(rd, o, path, &s, &l);
		if (!read)
			continue;
		const json_t *pos = json_object_get(o, "position"); /* borrowed */
		if (!pos || json_is_null(pos))
			s.position = (int)i; /* the catalogue keeps the document's order */
		if (config_find_service(d, s.id) >= 0)
			errlist_add(rd->errs, "is used twice", "%s.id", path);
		for (int j = 0; j < l.n_providers; j++)
			if (config_find_provider(d, l.providers[j]) < 0)
				errlist_add(rd->errs, "names no provider of this document",
					    "%s.providers[%d]", path, j);
		for (int j = 0; j < l.n_resources; j++)
			if (config_find_resource(d, l.resources[j]) < 0)
				errlist_add(rd->errs, "names no resource of this document",
					    "%s.resources[%d]", path, j);
		if (row_ok(rd, before, read)) {
			d->links[d->ns] = l;
			d->ss[d->ns++] = s;
		}
	}
}

/* Weekly rules, overrides, time off and closures: rows of hours, each owned by the business
 * or by a provider or resource of the document. */
static void read_hours(catalog_reader *rd, const json_t *doc, config_doc *d)
{
	size_t n, i;
	const json_t *o, *arr = doc_array(rd, doc, "schedules", &n);
	char path[CONFIG_PATH_MAX];
	d->rules = arena_alloc(rd->a, sizeof(sched_rule) * (n + 1));
	json_array_foreach(arr, i, o) {
		snprintf(path, sizeof(path), "schedules[%zu]", i);
		sched_rule v = {0};
		int before = faults(rd);
		bool read = catalog_rule_read(rd, o, path, &v);
		if (read)
			check_owner(rd, d, &v.owner, path);
		if (row_ok(rd, before, read))
			d->rules[d->nrules++] = v;
	}
	arr = doc_array(rd, doc, "overrides", &n);
	d->ovs = arena_alloc(rd->a, sizeof(sched_override) * (n + 1));
	json_array_foreach(arr, i, o) {
		snprintf(path, sizeof(path), "overrides[%zu]", i);
		sched_override v = {0};
		int before = faults(rd);
		bool read = catalog_override_read(rd, o, path, &v);
		if (read)
			check_owner(rd, d, &v.owner, path);
		if (row_ok(rd, before, read))
			d->ovs[d->novs++] = v;
	}
	arr = doc_array(rd, doc, "time_off", &n);
	d->offs = arena_alloc(rd->a, sizeof(sched_time_off) * (n + 1));
	json_array_foreach(arr, i, o) {
		snprintf(path, sizeof(path), "time_off[%zu]", i);
		sched_time_off v = {0};
		int before = faults(rd);
		bool read = catalog_time_off_read(rd, o, path, &v);
		if (read)
			check_owner(rd, d, &v.owner, path);
		if (row_ok(rd, before, read))
			d->offs[d->noffs++] = v;
	}
	arr = doc_array(rd, doc, "closures", &n);
	d->cls = arena_alloc(rd->a, sizeof(sched_closure) * (n + 1));
	json_array_foreach(arr, i, o) {
		snprintf(path, sizeof(path), "closures[%zu]", i);
		sched_closure v = {0};
		int before = faults(rd);
		bool read = catalog_closure_read(rd, o, path, &v);
		for (int j = 0; read && j < d->ncls; j++)
			if (strcmp(d->cls[j].date, v.date) == 0)
				errlist_add(rd->errs, "is closed twice", "%s.date", path);
		if (row_ok(rd, before, read))
			d->cls[d->ncls++] = v;
	}
}

/* Blackouts of rented items: each names a resource of the document; ids are new. */
static void read_blackouts(catalog_reader *rd, const json_t *doc, config_doc *d)
{
	size_t n, i;
	char path[64];
	const json_t *o;
	const json_t *arr = doc_array(rd, doc, "blackouts", &n);
	d->bos = arena_alloc(rd->a, sizeof(blackout) * (n + 1));
	json_array_foreach(arr, i, o) {
		snprintf(path, sizeof(path), "blackouts[%zu]", i);
		blackout v = {0};
		int before = faults(rd);
		bool read = catalog_blackout_read(rd, o, path, &v);
		if (read && config_find_resource(d, v.resource_id) < 0)
			errlist_add(rd->errs, "names no resource of this document", "%s.resource",
				    path);
		if (row_ok(rd, before, read)) {
			v.id = ids_new(rd->a, "blk");
			d->bos[d->nbos++] = v;
		}
	}
}

/* A session's service must be a class service of the document; its end and default
 * capacity come from that service. */
static void read_sessions(catalog_reader *rd, const json_t *doc, config_doc *d)
{
	size_t n, i;
	const json_t *o, *arr = doc_array(rd, doc, "sessions", &n);
	d->ses = arena_alloc(rd->a, sizeof(sched_session) * (n + 1));
	json_array_foreach(arr, i, o) {
		char path[CONFIG_PATH_MAX];
		snprintf(path, sizeof(path), "sessions[%zu]", i);
		sched_session v = {0};
		int cap, before = faults(rd);
		bool read = catalog_session_read(rd, o, path, &v, &cap);
		if (!read)
			continue;
		int si = config_find_service(d, v.service_id);
		if (si < 0 || d->ss[si].kind != SERVICE_CLASS) {
			errlist_add(rd->errs, "must name a class service of this document",
				    "%s.service", path);
		} else {
			v.capacity = cap > 0 ? cap : d->ss[si].capacity;
			v.end_at = v.start_at + d->ss[si].duration_s;
		}
		if (v.provider_id && config_find_provider(d, v.provider_id) < 0)
			errlist_add(rd->errs, "names no provider of this document", "%s.provider",
				    path);
		if (v.resource_id && config_find_resource(d, v.resource_id) < 0)
			errlist_add(rd->errs, "names no resource of this document", "%s.resource",
				    path);
		for (int j = 0; j < d->nses; j++)
			if (strcmp(d->ses[j].id, v.id) == 0)
				errlist_add(rd->errs, "is used twice", "%s.id", path);
		if (row_ok(rd, before, read))
			d->ses[d->nses++] = v;
	}
}

/* "pricing": each key a service of the document, each value a pricing document. */
static void config_pricing_read(catalog_reader *rd, const json_t *doc, config_doc *d)
{
	const json_t *p = json_object_get(doc, "pricing"); /* borrowed */
	if (!p)
		return;
	if (!json_is_object(p)) {
		errlist_add(rd->errs, "must be an object of service ids", "%s", "pricing");
		return;
	}
	const char *key;
	const json_t *v;
	json_object_foreach((json_t *)p, key, v) {
		if (config_find_service(d, key) < 0) {
			errlist_add(rd->errs, "names no service of the document", "pricing.%s", key);
			continue;
		}
		char *text = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
		pricing_rules *r = arena_alloc(rd->a, sizeof(*r));
		char field[96] = "";
		if (!text || pricing_parse(text, r, field, sizeof(field)) != STATUS_OK)
			errlist_add(rd->errs, "is not a valid pricing document", "pricing.%s.%s", key,
				    field[0] ? field : "pricing");
		free(text);
	}
	d->pricing = p;
}

/* "protection" (the settings route's object) and "waitlist" ({"offer_s"}), both optional. */
static void read_settings(catalog_reader *rd, const json_t *doc, config_doc *d)
{
	const json_t *p = json_object_get(doc, "protection"); /* borrowed */
	if (p) {
		protection scratch = protection_defaults();
		protection_read(p, "protection", &scratch, rd->errs);
		d->protection = p;
	}
	const json_t *as = json_object_get(doc, "assignment"); /* borrowed */
	if (as) {
		d->has_assign = true;
		d->assign_doc = as;
		d->assign = (assign_settings){ASSIGN_FIRST, 7};
		assign_read(as, "assignment", rd->a, &d->assign, &d->assign_prios,
			    &d->nassign_prios, rd->errs);
		for (int i = 0; i < d->nassign_prios; i++)
			if (config_find_provider(d, d->assign_prios[i].provider_id) < 0)
				errlist_add(rd->errs, "names no provider of the document",
					    "assignment.priorities[%d].provider_id", i);
	}
	config_pricing_read(rd, doc, d);
	const json_t *ov = json_object_get(doc, "customer_overlap"); /* borrowed */
	if (ov) {
		d->has_overlap = true;
		d->overlap_refuse = true;
		d->overlap_has_policy = json_is_object(ov) && json_object_get(ov, "policy") != NULL;
		customer_overlap_read(ov, "customer_overlap", rd->a, &d->overlap_refuse,
				      &d->overlap_svcs, &d->noverlap_svcs, rd->errs);
		for (int i = 0; i < d->noverlap_svcs; i++)
			if (config_find_service(d, d->overlap_svcs[i].id) < 0)
				errlist_add(rd->errs, "names no service of the document",
					    "customer_overlap.services[%d].id", i);
	}
	config_loyalty_read(rd, doc, d);
	const json_t *w = json_object_get(doc, "waitlist"); /* borrowed */
	if (!w)
		return;
	if (!json_is_object(w)) {
		errlist_add(rd->errs, "must be an object", "%s", "waitlist");
		return;
	}
	const char *key;
	const json_t *v;
	json_object_foreach((json_t *)w, key, v) {
		if (strcmp(key, "offer_s") != 0)
			errlist_add(rd->errs, "is not a field of this object", "waitlist.%s", key);
		else if (!json_is_integer(v) || json_integer_value(v) < WAITLIST_OFFER_S_MIN ||
			 json_integer_value(v) > WAITLIST_OFFER_S_MAX) {
			char detail[64];
			snprintf(detail, sizeof(detail), "must be whole seconds from %d to %d",
				 WAITLIST_OFFER_S_MIN, WAITLIST_OFFER_S_MAX);
			errlist_add(rd->errs, detail, "%s", "waitlist.offer_s");
		} else
			d->waitlist_offer_s = json_integer_value(v);
	}
}

bool config_read(catalog_reader *rd, const json_t *doc, const business *current,
		 config_doc *out)
{
	*out = (config_doc){0};
	if (!json_is_object(doc)) {
		errlist_add(rd->errs, "the document must be a JSON object", "%s", "");
		return false;
	}
	int before = faults(rd);
	read_business(rd, doc, current, out);
	if (!current)
		out->biz.id = ids_new(rd->a, "biz");
	rd->business_id = out->biz.id; /* rows owned by "business" name it */
	read_providers(rd, doc, out);
	read_resources(rd, doc, out);
	read_services(rd, doc, out);
	read_hours(rd, doc, out);
	read_sessions(rd, doc, out);
	read_blackouts(rd, doc, out);
	read_settings(rd, doc, out);
	config_calendar_read(rd, doc, out, &out->cal);
	config_extras_read(rd, doc, out, &out->extras);
	return faults(rd) == before;
}
