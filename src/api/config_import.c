/* config_import.c - reads a configuration document with the catalogue's rules
 * (api/catalog_rules.h, import's looser variant) and writes it in one transaction. */
#include <stdio.h>
#include <string.h>

#include "api/catalog_rules.h"
#include "api/config_doc.h"
#include "base/ids.h"
#include "core/model.h"
#include "store/business.h"
#include "store/catalog.h"
#include "store/schedule.h"

/* Reading one document: the catalogue reader (arena, errors, the new business's id once it
 * is written) and the transaction the rows go into. */
typedef struct importer {
	db_conn *c;        /* inside the import transaction */
	catalog_reader rd; /* rows are read and checked by catalog_rules */
	int64_t now;       /* creation instant */
} importer;

/* Rows are written only while the document has no fault; after one, the rest is still read
 * so that every fault is listed, and the transaction is rolled back. */
static bool im_clean(const importer *im)
{
	return errlist_empty(im->rd.errs);
}

/* Faults are in the list and reading goes on; any other failure stops the import. */
static status im_go_on(status st)
{
	return st == STATUS_INVALID ? STATUS_OK : st;
}

/* Maps a store error to a field: conflicts become "duplicate or unknown reference". */
static status doc_write(importer *im, status st, const char *path)
{
	if (st == STATUS_CONFLICT) {
		errlist_add(im->rd.errs, "duplicates another row or refers to a missing one", "%s",
			    path);
		return STATUS_INVALID;
	}
	return st;
}

static status import_business(importer *im, const json_t *doc, bool replace)
{
	const json_t *b = json_object_get(doc, "business"); /* borrowed */
	business biz = {0};
	if (json_is_object(b))
		biz.slug = catalog_slug_read(&im->rd, b, "business");
	if (!catalog_business_read(&im->rd, b, "business", &biz) || !biz.slug || !im_clean(im))
		return STATUS_INVALID;
	biz.created_at = im->now;
	business old;
	status st = store_business_by_slug(im->c, biz.slug, im->rd.a, &old);
	if (st == STATUS_OK) {
		if (!replace) {
			errlist_add(im->rd.errs, "a business with this slug exists", "business.slug");
			return STATUS_CONFLICT;
		}
		st = store_business_delete(im->c, old.id);
		if (st != STATUS_OK)
			return st;
	} else if (st != STATUS_NOT_FOUND) {
		return st;
	}
	biz.id = ids_new(im->rd.a, "biz");
	im->rd.business_id = biz.id;
	return store_business_insert(im->c, &biz);
}

/* Each row function reads row i of its array (at JSON path path) and, while the document is
 * clean, writes it. STATUS_INVALID when it was not written (the fault is listed). */
typedef status (*import_row_fn)(importer *im, const json_t *o, const char *path, size_t i);

static status import_provider(importer *im, const json_t *o, const char *path, size_t i)
{
	(void)i;
	provider p = {0};
	if (!catalog_provider_read(&im->rd, o, path, &p) || !im_clean(im))
		return STATUS_INVALID;
	p.user_id = NULL; /* links to staff users are not part of a document */
	return doc_write(im, store_provider_insert(im->c, im->rd.business_id, &p, im->now), path);
}

static status import_resource(importer *im, const json_t *o, const char *path, size_t i)
{
	(void)i;
	resource r = {0};
	if (!catalog_resource_read(&im->rd, o, path, &r) || !im_clean(im))
		return STATUS_INVALID;
	return doc_write(im, store_resource_insert(im->c, im->rd.business_id, &r, im->now), path);
}

typedef status (*import_link_fn)(db_conn *c, const char *business_id, const char *service_id,
				 const char *id);

/* Links service sid to each of ids (path.key[j] names a fault). */
static status import_links(importer *im, const char *path, const char *sid, const char *key,
			   const char **ids, int n, import_link_fn link)
{
	status st = STATUS_OK;
	for (int j = 0; st == STATUS_OK && j < n; j++) {
		char lpath[96];
		snprintf(lpath, sizeof(lpath), "%s.%s[%d]", path, key, j);
		st = doc_write(im, link(im->c, im->rd.business_id, sid, ids[j]), lpath);
	}
	return st;
}

static status import_service(importer *im, const json_t *o, const char *path, size_t i)
{
	service s = {0};
	catalog_links l = {0};
	if (!catalog_service_read(&im->rd, o, path, &s, &l) || !im_clean(im))
		return STATUS_INVALID;
	const json_t *pos = json_object_get(o, "position"); /* borrowed */
	if (!pos || json_is_null(pos))
		s.position = (int)i; /* the catalogue keeps the document's order */
	status st = doc_write(im, store_service_insert(im->c, im->rd.business_id, &s, im->now), path);
	if (st == STATUS_OK)
		st = import_links(im, path, s.id, "providers", l.providers, l.n_providers,
				  store_service_link_provider);
	if (st == STATUS_OK)
		st = import_links(im, path, s.id, "resources", l.resources, l.n_resources,
				  store_service_link_resource);
	return st;
}

/* Hours carry no ids in a document: import gives each row a new one (config-format.md). */
static status import_rule(importer *im, const json_t *o, const char *path, size_t i)
{
	(void)i;
	sched_rule v = {0};
	if (!catalog_rule_read(&im->rd, o, path, &v) || !im_clean(im))
		return STATUS_INVALID;
	return doc_write(im,
			 store_schedule_insert(im->c, im->rd.business_id, ids_new(im->rd.a, "sch"),
					       v.owner, v.weekday, v.start_min, v.end_min,
					       v.valid_from, v.valid_to),
			 path);
}

static status import_override(importer *im, const json_t *o, const char *path, size_t i)
{
	(void)i;
	sched_override v = {0};
	if (!catalog_override_read(&im->rd, o, path, &v) || !im_clean(im))
		return STATUS_INVALID;
	return doc_write(im,
			 store_override_insert(im->c, im->rd.business_id, ids_new(im->rd.a, "ovr"),
					       v.owner, v.date, v.closed, v.start_min, v.end_min),
			 path);
}

static status import_time_off(importer *im, const json_t *o, const char *path, size_t i)
{
	(void)i;
	sched_time_off v = {0};
	if (!catalog_time_off_read(&im->rd, o, path, &v) || !im_clean(im))
		return STATUS_INVALID;
	return doc_write(im,
			 store_time_off_insert(im->c, im->rd.business_id, ids_new(im->rd.a, "off"),
					       v.owner, v.start_at, v.end_at, v.reason),
			 path);
}

static status import_closure(importer *im, const json_t *o, const char *path, size_t i)
{
	(void)i;
	sched_closure v = {0};
	if (!catalog_closure_read(&im->rd, o, path, &v) || !im_clean(im))
		return STATUS_INVALID;
	return doc_write(im,
			 store_closure_insert(im->c, im->rd.business_id, ids_new(im->rd.a, "cls"),
					      v.date, v.name),
			 path);
}

/* A session's service must be a class service written earlier; its end and default
 * capacity come from that service. */
static status import_session(importer *im, const json_t *o, const char *path, size_t i)
{
	(void)i;
	sched_session v = {0};
	int cap;
	if (!catalog_session_read(&im->rd, o, path, &v, &cap) || !im_clean(im))
		return STATUS_INVALID;
	service s;
	status st = store_service_get(im->c, im->rd.business_id, v.service_id, im->rd.a, &s);
	if (st == STATUS_NOT_FOUND || (st == STATUS_OK && s.kind != SERVICE_CLASS)) {
		errlist_add(im->rd.errs, "must name a class service of this document", "%s.service",
			    path);
		return STATUS_INVALID;
	}
	if (st != STATUS_OK)
		return st;
	return doc_write(im,
			 store_session_insert(im->c, im->rd.business_id, v.id, v.service_id,
					      v.provider_id, v.resource_id, v.start_at,
					      v.start_at + s.duration_s, cap > 0 ? cap : s.capacity),
			 path);
}

/* The arrays of a document in the order they are written (later ones refer to earlier). */
static const struct {
	const char *key;   /* the document's key */
	import_row_fn row; /* reads and writes one row */
} IMPORT_ARRAYS[] = {
	{"providers", import_provider}, {"resources", import_resource},
	{"services", import_service},   {"schedules", import_rule},
	{"overrides", import_override}, {"time_off", import_time_off},
	{"closures", import_closure},   {"sessions", import_session},
};

static status import_array(importer *im, const json_t *doc, const char *key, import_row_fn row)
{
	const json_t *arr = json_object_get(doc, key), *o; /* borrowed */
	if (arr && !json_is_array(arr)) {
		errlist_add(im->rd.errs, "must be an array", "%s", key);
		return STATUS_OK;
	}
	size_t i;
	json_array_foreach(arr, i, o) {
		char path[48];
		snprintf(path, sizeof(path), "%s[%zu]", key, i);
		status st = im_go_on(row(im, o, path, i));
		if (st != STATUS_OK)
			return st;
	}
	return STATUS_OK;
}

status config_import(db_conn *c, const json_t *doc, bool replace, int64_t now, arena *a,
		     errlist *errs, const char **business_id_out)
{
	if (!json_is_object(doc)) {
		errlist_add(errs, "the document must be a JSON object", "%s", "");
		return STATUS_INVALID;
	}
	importer im = {.c = c, .rd = {.a = a, .errs = errs, .import_rules = true}, .now = now};
	status st = db_begin_write(c);
	if (st != STATUS_OK)
		return st;
	st = im_go_on(import_business(&im, doc, replace));
	for (size_t k = 0; st == STATUS_OK && k < sizeof(IMPORT_ARRAYS) / sizeof(IMPORT_ARRAYS[0]);
	     k++)
		st = import_array(&im, doc, IMPORT_ARRAYS[k].key, IMPORT_ARRAYS[k].row);
	if (st == STATUS_OK && !im_clean(&im))
		st = STATUS_INVALID;
	if (st == STATUS_OK)
		st = db_commit(c);
	if (st != STATUS_OK) {
		db_rollback(c);
		return st;
	}
	if (business_id_out)
		*business_id_out = im.rd.business_id;
	return STATUS_OK;
}
