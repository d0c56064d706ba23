/* config_import.c - validates a configuration document and writes it in one transaction. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/config_doc.h"
#include "base/civil.h"
#include "base/ids.h"
#include "core/model.h"
#include "core/tz.h"
#include "store/business.h"
#include "store/availability.h"
#include "store/catalog.h"
#include "store/schedule.h"

/* Reading one document: the arena for strings, the errors, the business being written. */
typedef struct importer {
	db_conn *c;       /* inside the import transaction */
	arena *a;         /* strings and ids */
	errlist *errs;    /* validation errors, by JSON path */
	const char *bid;  /* the new business's id */
	const char *zone; /* its IANA zone */
	int64_t now;      /* creation instant */
} importer;

static const char *doc_str(importer *im, const json_t *o, const char *key, const char *def,
			   bool required, size_t maxlen, const char *path)
{
	const json_t *v = json_object_get(o, key); /* borrowed */
	if (!v || json_is_null(v)) {
		if (required)
			errlist_add(im->errs, "is required", "%s.%s", path, key);
		return def;
	}
	if (!json_is_string(v)) {
		errlist_add(im->errs, "must be a string", "%s.%s", path, key);
		return def;
	}
	const char *s = json_string_value(v);
	if (strlen(s) > maxlen) {
		errlist_add(im->errs, "is too long", "%s.%s", path, key);
		return def;
	}
	if (required && *s == '\0')
		errlist_add(im->errs, "must not be empty", "%s.%s", path, key);
	return arena_strdup(im->a, s);
}

static int64_t doc_int(importer *im, const json_t *o, const char *key, int64_t def, int64_t min,
		       int64_t max, const char *path)
{
	const json_t *v = json_object_get(o, key); /* borrowed */
	if (!v || json_is_null(v))
		return def;
	if (!json_is_integer(v)) {
		errlist_add(im->errs, "must be an integer", "%s.%s", path, key);
		return def;
	}
	int64_t n = json_integer_value(v);
	if (n < min || n > max) {
		char d[96];
		snprintf(d, sizeof(d), "must be between %lld and %lld", (long long)min,
			 (long long)max);
		errlist_add(im->errs, d, "%s.%s", path, key);
		return def;
	}
	return n;
}

static bool doc_bool(importer *im, const json_t *o, const char *key, bool def, const char *path)
{
	const json_t *v = json_object_get(o, key); /* borrowed */
	if (!v || json_is_null(v))
		return def;
	if (!json_is_boolean(v)) {
		errlist_add(im->errs, "must be true or false", "%s.%s", path, key);
		return def;
	}
	return json_is_true(v);
}

/* "HH:MM" -> minutes; 24:00 allowed when allow_24. -1 when malformed. */
static int doc_hhmm(const char *s, bool allow_24)
{
	if (!s || strlen(s) != 5 || s[2] != ':')
		return -1;
	for (int i = 0; i < 5; i++)
		if (i != 2 && (s[i] < '0' || s[i] > '9'))
			return -1;
	int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
	if (m > 59 || h > 24 || (h == 24 && (m != 0 || !allow_24)))
		return -1;
	return h * 60 + m;
}

static bool doc_date(importer *im, const char *s, const char *path, const char *key)
{
	int64_t d;
	if (s && !civil_parse_date(s, strlen(s), &d)) {
		errlist_add(im->errs, "must be a date YYYY-MM-DD", "%s.%s", path, key);
		return false;
	}
	return true;
}

static bool doc_instant(importer *im, const json_t *o, const char *key, int64_t *out,
			const char *path)
{
	const char *s = doc_str(im, o, key, NULL, true, 64, path);
	if (s && !civil_parse_rfc3339(s, strlen(s), out)) {
		errlist_add(im->errs, "must be an RFC 3339 instant with an offset", "%s.%s", path, key);
		return false;
	}
	return s != NULL;
}

static bool doc_id_ok(const char *s)
{
	if (!s || !*s || strlen(s) > 64)
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '_' || *p == '-'))
			return false;
	return true;
}

/* An id from the document (kept, so documents can refer to their own rows) or a new one. */
static const char *doc_id(importer *im, const json_t *o, const char *prefix, const char *path)
{
	const char *id = doc_str(im, o, "id", NULL, false, 64, path);
	if (!id)
		return ids_new(im->a, prefix);
	if (!doc_id_ok(id))
		errlist_add(im->errs, "must be 1-64 letters, digits, '_' or '-'", "%s.id", path);
	return id;
}

/* "business" | "provider:ID" | "resource:ID" */
static bool doc_owner(importer *im, const json_t *o, const char *path, bool allow_business,
		      sched_owner *out)
{
	const char *s = doc_str(im, o, "owner", allow_business ? "business" : NULL, !allow_business,
				140, path);
	if (!s)
		return false;
	if (allow_business && strcmp(s, "business") == 0) {
		out->kind = "business";
		out->id = im->bid;
		return true;
	}
	if (strncmp(s, "provider:", 9) == 0 && s[9]) {
		out->kind = "provider";
	} else if (strncmp(s, "resource:", 9) == 0 && s[9]) {
		out->kind = "resource";
	} else {
		errlist_add(im->errs,
			    allow_business ? "must be \"business\", \"provider:ID\" or \"resource:ID\""
					   : "must be \"provider:ID\" or \"resource:ID\"",
			    "%s.owner", path);
		return false;
	}
	out->id = s + 9;
	return true;
}

static const json_t *doc_array(importer *im, const json_t *doc, const char *key)
{
	const json_t *v = json_object_get(doc, key); /* borrowed */
	if (v && !json_is_array(v)) {
		errlist_add(im->errs, "must be an array", "%s", key);
		return NULL;
	}
	return v;
}

/* Maps a store error to a field: conflicts become "duplicate or unknown reference". */
static status doc_write(importer *im, status st, const char *path)
{
	if (st == STATUS_CONFLICT) {
		errlist_add(im->errs, "duplicates another row or refers to a missing one", "%s", path);
		return STATUS_INVALID;
	}
	return st;
}

static status import_business(importer *im, const json_t *doc, bool replace)
{
	const json_t *b = json_object_get(doc, "business"); /* borrowed */
	if (!json_is_object(b)) {
		errlist_add(im->errs, "must be an object", "business");
		return STATUS_INVALID;
	}
	business biz = {0};
	biz.slug = doc_str(im, b, "slug", NULL, true, 63, "business");
	biz.name = doc_str(im, b, "name", NULL, true, 200, "business");
	biz.timezone = doc_str(im, b, "timezone", NULL, true, 64, "business");
	biz.currency = doc_str(im, b, "currency", "EUR", false, 3, "business");
	biz.locale = doc_str(im, b, "locale", "en", false, 35, "business");
	biz.address = doc_str(im, b, "address", "", false, 500, "business");
	biz.phone = doc_str(im, b, "phone", "", false, 40, "business");
	biz.hold_ttl_s = doc_int(im, b, "hold_ttl_s", 600, 60, 86400, "business");
	biz.no_show_grace_s = doc_int(im, b, "no_show_grace_s", 900, 0, 7 * 86400, "business");
	biz.auto_no_show = doc_bool(im, b, "auto_no_show", false, "business");
	biz.created_at = im->now;
	if (biz.slug) {
		bool ok = strlen(biz.slug) >= 2;
		for (const char *p = biz.slug; ok && *p; p++)
			ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-';
		if (!ok)
			errlist_add(im->errs, "must be 2-63 lower-case letters, digits or '-'",
				    "business.slug");
		else if (strcmp(biz.slug, "bookings") == 0)
			errlist_add(im->errs, "is reserved", "business.slug");
	}
	if (biz.timezone && !tz_get(biz.timezone))
		errlist_add(im->errs, "is not a known IANA time zone", "business.timezone");
	if (biz.currency && (strlen(biz.currency) != 3 || biz.currency[0] < 'A' ||
			     biz.currency[0] > 'Z' || biz.currency[1] < 'A' || biz.currency[1] > 'Z' ||
			     biz.currency[2] < 'A' || biz.currency[2] > 'Z'))
		errlist_add(im->errs, "must be an ISO 4217 code like EUR", "business.currency");
	if (!errlist_empty(im->errs))
		return STATUS_INVALID;
	business old;
	status st = store_business_by_slug(im->c, biz.slug, im->a, &old);
	if (st == STATUS_OK) {
		if (!replace) {
			errlist_add(im->errs, "a business with this slug exists", "business.slug");
			return STATUS_CONFLICT;
		}
		st = store_business_delete(im->c, old.id);
		if (st != STATUS_OK)
			return st;
	} else if (st != STATUS_NOT_FOUND) {
		return st;
	}
	biz.id = ids_new(im->a, "biz");
	im->bid = biz.id;
	im->zone = biz.timezone;
	return store_business_insert(im->c, &biz);
}

static status import_providers(importer *im, const json_t *doc)
{
	const json_t *arr = doc_array(im, doc, "providers"), *o;
	size_t i;
	json_array_foreach(arr, i, o) {
		char path[48];
		snprintf(path, sizeof(path), "providers[%zu]", i);
		provider p = {0};
		p.id = doc_id(im, o, "prv", path);
		p.name = doc_str(im, o, "name", NULL, true, 200, path);
		p.email = doc_str(im, o, "email", "", false, 254, path);
		p.timezone = doc_str(im, o, "timezone", NULL, false, 64, path);
		p.active = doc_bool(im, o, "active", true, path);
		if (p.timezone && !tz_get(p.timezone))
			errlist_add(im->errs, "is not a known IANA time zone", "%s.timezone", path);
		if (!errlist_empty(im->errs))
			return STATUS_INVALID;
		status st = doc_write(im, store_provider_insert(im->c, im->bid, &p, im->now), path);
		if (st != STATUS_OK)
			return st;
	}
	return STATUS_OK;
}

static status import_resources(importer *im, const json_t *doc)
{
	const json_t *arr = doc_array(im, doc, "resources"), *o;
	size_t i;
	json_array_foreach(arr, i, o) {
		char path[48];
		snprintf(path, sizeof(path), "resources[%zu]", i);
		resource r = {0};
		r.id = doc_id(im, o, "res", path);
		r.name = doc_str(im, o, "name", NULL, true, 200, path);
		r.capacity = (int)doc_int(im, o, "capacity", 1, 1, 10000, path);
		r.active = doc_bool(im, o, "active", true, path);
		if (!errlist_empty(im->errs))
			return STATUS_INVALID;
		status st = doc_write(im, store_resource_insert(im->c, im->bid, &r, im->now), path);
		if (st != STATUS_OK)
			return st;
	}
	return STATUS_OK;
}

static status import_service_links(importer *im, const json_t *o, const char *sid,
				   const char *path, const char *key, bool providers)
{
	const json_t *arr = json_object_get(o, key), *v; /* borrowed */
	size_t i;
	if (arr && !json_is_array(arr)) {
		errlist_add(im->errs, "must be an array of ids", "%s.%s", path, key);
		return STATUS_INVALID;
	}
	json_array_foreach(arr, i, v) {
		char lpath[96];
		snprintf(lpath, sizeof(lpath), "%s.%s[%zu]", path, key, i);
		if (!json_is_string(v)) {
			errlist_add(im->errs, "must be an id", "%s", lpath);
			return STATUS_INVALID;
		}
		const char *id = json_string_value(v);
		status st = providers ? store_service_link_provider(im->c, im->bid, sid, id)
				      : store_service_link_resource(im->c, im->bid, sid, id);
		st = doc_write(im, st, lpath);
		if (st != STATUS_OK)
			return st;
	}
	return STATUS_OK;
}

static status import_services(importer *im, const json_t *doc)
{
	const json_t *arr = doc_array(im, doc, "services"), *o;
	size_t i;
	json_array_foreach(arr, i, o) {
		char path[48];
		snprintf(path, sizeof(path), "services[%zu]", i);
		service s = {0};
		s.id = doc_id(im, o, "svc", path);
		s.name = doc_str(im, o, "name", NULL, true, 200, path);
		s.description = doc_str(im, o, "description", "", false, 4000, path);
		const char *kind = doc_str(im, o, "kind", "appointment", false, 20, path);
		if (kind && !service_kind_parse(kind, &s.kind))
			errlist_add(im->errs, "must be appointment, class or rental", "%s.kind", path);
		s.duration_s = doc_int(im, o, "duration_s", 0, 60, 366 * 86400, path);
		if (!json_object_get(o, "duration_s"))
			errlist_add(im->errs, "is required", "%s.duration_s", path);
		s.price_minor = doc_int(im, o, "price_minor", 0, 0, INT64_C(1) << 40, path);
		s.capacity = (int)doc_int(im, o, "capacity", 1, 1, 10000, path);
		s.buffer_before_s = doc_int(im, o, "buffer_before_s", 0, 0, 86400, path);
		s.buffer_after_s = doc_int(im, o, "buffer_after_s", 0, 0, 86400, path);
		s.min_notice_s = doc_int(im, o, "min_notice_s", 0, 0, 366 * 86400, path);
		s.max_advance_s = doc_int(im, o, "max_advance_s", 90 * 86400, 60, 3 * 366 * 86400, path);
		s.slot_interval_s = doc_int(im, o, "slot_interval_s", 900, 60, 86400, path);
		s.min_length_s = doc_int(im, o, "min_length_s", 0, 0, 366 * 86400, path);
		s.max_length_s = doc_int(im, o, "max_length_s", 0, 0, 366 * 86400, path);
		s.whole_days = doc_bool(im, o, "whole_days", false, path);
		s.needs_resource = doc_bool(im, o, "needs_resource", false, path);
		s.requires_approval = doc_bool(im, o, "requires_approval", false, path);
		s.cancel_until_s = doc_int(im, o, "cancel_until_s", 0, 0, 366 * 86400, path);
		s.reschedule_until_s = doc_int(im, o, "reschedule_until_s", 0, 0, 366 * 86400, path);
		s.active = doc_bool(im, o, "active", true, path);
		s.position = (int)doc_int(im, o, "position", (int64_t)i, 0, 100000, path);
		const json_t *tiers = json_object_get(o, "refund_tiers"); /* borrowed */
		if (tiers && !json_is_array(tiers))
			errlist_add(im->errs, "must be an array", "%s.refund_tiers", path);
		char *tiers_s = tiers ? json_dumps(tiers, JSON_COMPACT) : NULL;
		s.refund_tiers = tiers_s ? arena_strdup(im->a, tiers_s) : "[]";
		free(tiers_s);
		if (s.min_notice_s >= s.max_advance_s)
			errlist_add(im->errs, "must be shorter than max_advance_s, or no slot can ever be offered",
				    "%s.min_notice_s", path);
		if (s.max_length_s && s.min_length_s > s.max_length_s)
			errlist_add(im->errs, "must not exceed max_length_s", "%s.min_length_s", path);
		if (errlist_empty(im->errs)) {
			/* The slot engine's own judgement: a service that can never offer a slot. */
			avail_service as = store_avail_service(&s);
			const char *field = NULL;
			if (avail_service_validate(&as, &field) != STATUS_OK)
				errlist_add(im->errs, "makes a service that can never offer a slot",
					    "%s.%s", path, field ? field : "kind");
		}
		if (!errlist_empty(im->errs))
			return STATUS_INVALID;
		status st = doc_write(im, store_service_insert(im->c, im->bid, &s, im->now), path);
		if (st == STATUS_OK)
			st = import_service_links(im, o, s.id, path, "providers", true);
		if (st == STATUS_OK)
			st = import_service_links(im, o, s.id, path, "resources", false);
		if (st != STATUS_OK)
			return st;
	}
	return STATUS_OK;
}

static const char *const doc_weekdays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

static status import_schedules(importer *im, const json_t *doc)
{
	const json_t *arr = doc_array(im, doc, "schedules"), *o;
	size_t i;
	json_array_foreach(arr, i, o) {
		char path[48];
		snprintf(path, sizeof(path), "schedules[%zu]", i);
		sched_owner owner;
		bool owner_ok = doc_owner(im, o, path, true, &owner);
		const char *wd = doc_str(im, o, "weekday", NULL, true, 3, path);
		int weekday = -1;
		for (int d = 0; wd && d < 7; d++)
			if (strcmp(wd, doc_weekdays[d]) == 0)
				weekday = d;
		if (wd && weekday < 0)
			errlist_add(im->errs, "must be mon, tue, wed, thu, fri, sat or sun", "%s.weekday",
				    path);
		int start = doc_hhmm(doc_str(im, o, "start", NULL, true, 5, path), false);
		int end = doc_hhmm(doc_str(im, o, "end", NULL, true, 5, path), true);
		if (start < 0)
			errlist_add(im->errs, "must be a time HH:MM", "%s.start", path);
		if (end < 0)
			errlist_add(im->errs, "must be a time HH:MM (24:00 allowed)", "%s.end", path);
		if (start >= 0 && end >= 0 && end <= start)
			end += 1440; /* the rule crosses midnight into the next day */
		if (start >= 0 && end == start + 1440 && end > 1440)
			errlist_add(im->errs, "must differ from start", "%s.end", path);
		const char *from = doc_str(im, o, "valid_from", NULL, false, 10, path);
		const char *to = doc_str(im, o, "valid_to", NULL, false, 10, path);
		doc_date(im, from, path, "valid_from");
		doc_date(im, to, path, "valid_to");
		if (from && to && strcmp(from, to) > 0)
			errlist_add(im->errs, "must not be after valid_to", "%s.valid_from", path);
		if (!errlist_empty(im->errs) || !owner_ok)
			return STATUS_INVALID;
		status st = doc_write(im,
				      store_schedule_insert(im->c, im->bid, ids_new(im->a, "sch"), owner,
							    weekday, start, end, from, to),
				      path);
		if (st != STATUS_OK)
			return st;
	}
	return STATUS_OK;
}

static status import_overrides(importer *im, const json_t *doc)
{
	const json_t *arr = doc_array(im, doc, "overrides"), *o;
	size_t i;
	json_array_foreach(arr, i, o) {
		char path[48];
		snprintf(path, sizeof(path), "overrides[%zu]", i);
		sched_owner owner;
		bool owner_ok = doc_owner(im, o, path, true, &owner);
		const char *date = doc_str(im, o, "date", NULL, true, 10, path);
		doc_date(im, date, path, "date");
		bool closed = doc_bool(im, o, "closed", false, path);
		int start = 0, end = 0;
		if (!closed) {
			start = doc_hhmm(doc_str(im, o, "start", NULL, true, 5, path), false);
			end = doc_hhmm(doc_str(im, o, "end", NULL, true, 5, path), true);
			if (start < 0 || end < 0 || end <= start)
				errlist_add(im->errs, "needs start < end as HH:MM, or closed: true", "%s",
					    path);
		}
		if (!errlist_empty(im->errs) || !owner_ok)
			return STATUS_INVALID;
		status st = doc_write(im,
				      store_override_insert(im->c, im->bid, ids_new(im->a, "ovr"), owner,
							    date, closed, start, end),
				      path);
		if (st != STATUS_OK)
			return st;
	}
	return STATUS_OK;
}

static status import_time_off(importer *im, const json_t *doc)
{
	const json_t *arr = doc_array(im, doc, "time_off"), *o;
	size_t i;
	json_array_foreach(arr, i, o) {
		char path[48];
		snprintf(path, sizeof(path), "time_off[%zu]", i);
		sched_owner owner;
		bool owner_ok = doc_owner(im, o, path, false, &owner);
		int64_t start = 0, end = 0;
		bool ok = doc_instant(im, o, "start", &start, path) &
			  doc_instant(im, o, "end", &end, path);
		if (ok && end <= start)
			errlist_add(im->errs, "must be after start", "%s.end", path);
		const char *reason = doc_str(im, o, "reason", "", false, 500, path);
		if (!errlist_empty(im->errs) || !owner_ok)
			return STATUS_INVALID;
		status st = doc_write(im,
				      store_time_off_insert(im->c, im->bid, ids_new(im->a, "off"), owner,
							    start, end, reason),
				      path);
		if (st != STATUS_OK)
			return st;
	}
	return STATUS_OK;
}

static status import_closures(importer *im, const json_t *doc)
{
	const json_t *arr = doc_array(im, doc, "closures"), *o;
	size_t i;
	json_array_foreach(arr, i, o) {
		char path[48];
		snprintf(path, sizeof(path), "closures[%zu]", i);
		const char *date = doc_str(im, o, "date", NULL, true, 10, path);
		doc_date(im, date, path, "date");
		const char *name = doc_str(im, o, "name", "", false, 200, path);
		if (!errlist_empty(im->errs))
			return STATUS_INVALID;
		status st = doc_write(
			im, store_closure_insert(im->c, im->bid, ids_new(im->a, "cls"), date, name), path);
		if (st != STATUS_OK)
			return st;
	}
	return STATUS_OK;
}

static status import_sessions(importer *im, const json_t *doc)
{
	const json_t *arr = doc_array(im, doc, "sessions"), *o;
	size_t i;
	json_array_foreach(arr, i, o) {
		char path[48];
		snprintf(path, sizeof(path), "sessions[%zu]", i);
		const char *id = doc_id(im, o, "ses", path);
		const char *sid = doc_str(im, o, "service", NULL, true, 64, path);
		const char *pid = doc_str(im, o, "provider", NULL, false, 64, path);
		const char *rid = doc_str(im, o, "resource", NULL, false, 64, path);
		int64_t start = 0;
		doc_instant(im, o, "start", &start, path);
		if (!errlist_empty(im->errs))
			return STATUS_INVALID;
		service s;
		status st = store_service_get(im->c, im->bid, sid, im->a, &s);
		if (st == STATUS_NOT_FOUND || (st == STATUS_OK && s.kind != SERVICE_CLASS)) {
			errlist_add(im->errs, "must name a class service of this document",
				    "%s.service", path);
			return STATUS_INVALID;
		}
		if (st != STATUS_OK)
			return st;
		int cap = (int)doc_int(im, o, "capacity", s.capacity, 1, 10000, path);
		if (!errlist_empty(im->errs))
			return STATUS_INVALID;
		st = doc_write(im,
			       store_session_insert(im->c, im->bid, id, sid, pid, rid, start,
						    start + s.duration_s, cap),
			       path);
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
	importer im = {.c = c, .a = a, .errs = errs, .now = now};
	status st = db_begin_write(c);
	if (st != STATUS_OK)
		return st;
	st = import_business(&im, doc, replace);
	if (st == STATUS_OK)
		st = import_providers(&im, doc);
	if (st == STATUS_OK)
		st = import_resources(&im, doc);
	if (st == STATUS_OK)
		st = import_services(&im, doc);
	if (st == STATUS_OK)
		st = import_schedules(&im, doc);
	if (st == STATUS_OK)
		st = import_overrides(&im, doc);
	if (st == STATUS_OK)
		st = import_time_off(&im, doc);
	if (st == STATUS_OK)
		st = import_closures(&im, doc);
	if (st == STATUS_OK)
		st = import_sessions(&im, doc);
	if (st == STATUS_OK)
		st = db_commit(c);
	if (st != STATUS_OK) {
		db_rollback(c);
		return st;
	}
	if (business_id_out)
		*business_id_out = im.bid;
	return STATUS_OK;
}
