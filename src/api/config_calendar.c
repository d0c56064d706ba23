/* config_calendar.c - the "calendar" section of the configuration document. */
#include "api/config_calendar.h"

#include <stdio.h>
#include <string.h>

#include "api/config_read.h"
#include "base/ids.h"
#include "base/text.h"
#include "calsync/fetch.h"
#include "store/calalert.h"

#define CALDOC_PATH_MAX 96

static bool one_of(const char *s, const char *const *allowed)
{
	for (; s && *allowed; allowed++)
		if (strcmp(s, *allowed) == 0)
			return true;
	return false;
}

/* Unknown members of o are faults. */
static void known_only(catalog_reader *rd, const json_t *o, const char *path,
                       const char *const *fields)
{
	const char *key;
	const json_t *v;
	json_object_foreach((json_t *)o, key, v)
	{
		if (!one_of(key, fields))
			errlist_add(rd->errs, "is not a field here", "%s.%s", path, key);
	}
}

/* A string member of at most max bytes on one line, or dflt when absent or null. */
static const char *str_of(catalog_reader *rd, const json_t *o, const char *path, const char *key,
                          size_t max, const char *dflt)
{
	const json_t *v = json_object_get(o, key); /* borrowed */
	if (!v || json_is_null(v))
		return dflt;
	const char *s = json_string_value(v);
	if (!s || strlen(s) > max || text_fault(s, strlen(s), TEXT_LINE)) {
		errlist_add(rd->errs, "must be one line of text of at most %zu bytes", "%s.%s",
		            path, key);
		return dflt;
	}
	return arena_strdup(rd->a, s);
}

/* An integer member in [lo, hi], or dflt when absent or null. */
static int64_t int_of(catalog_reader *rd, const json_t *o, const char *path, const char *key,
                      int64_t lo, int64_t hi, int64_t dflt)
{
	const json_t *v = json_object_get(o, key); /* borrowed */
	if (!v || json_is_null(v))
		return dflt;
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi) {
		errlist_add(rd->errs,
		            arena_printf(rd->a, "must be a whole number from %lld to %lld",
		                         (long long)lo, (long long)hi),
		            "%s.%s", path, key);
		return dflt;
	}
	return json_integer_value(v);
}

/* Reads a row's provider_id / resource_id (exactly one, naming a row of d). */
static void whose(catalog_reader *rd, const json_t *o, const char *path, const config_doc *d,
                  const char **prov, const char **res)
{
	*prov = str_of(rd, o, path, "provider_id", 100, NULL);
	*res = str_of(rd, o, path, "resource_id", 100, NULL);
	if (!*prov == !*res)
		errlist_add(rd->errs, "exactly one of provider_id and resource_id is needed",
		            "%s.provider_id", path);
	else if (*prov && config_find_provider(d, *prov) < 0)
		errlist_add(rd->errs, "names no provider of this document", "%s.provider_id", path);
	else if (*res && config_find_resource(d, *res) < 0)
		errlist_add(rd->errs, "names no resource of this document", "%s.resource_id", path);
}

static void read_conns(catalog_reader *rd, const json_t *arr, const config_doc *d,
                       config_calendar *out)
{
	static const char *const fields[] = {
	    "id",          "kind",     "provider_id", "resource_id",     "name",
	    "url",         "username", "push",        "poll_interval_s", "fail_closed_after_min",
	    "calendar_id", "account",  NULL};
	static const char *const kinds[] = {"ics", "caldav", "google", "microsoft", NULL};
	out->conns = arena_alloc(rd->a, sizeof(*out->conns) * (json_array_size(arr) + 1));
	size_t i;
	const json_t *o;
	json_array_foreach(arr, i, o)
	{
		char path[CALDOC_PATH_MAX];
		snprintf(path, sizeof path, "calendar.connections[%zu]", i);
		if (!json_is_object(o)) {
			errlist_add(rd->errs, "must be an object", "%s", path);
			continue;
		}
		known_only(rd, o, path, fields);
		calconfig_conn k = {0};
		k.id = str_of(rd, o, path, "id", 100, NULL);
		if (!k.id)
			k.id = ids_new(rd->a, "cal");
		k.kind = str_of(rd, o, path, "kind", 20, "ics");
		if (!one_of(k.kind, kinds))
			errlist_add(rd->errs, "must be ics, caldav, google or microsoft", "%s.kind",
			            path);
		whose(rd, o, path, d, &k.provider_id, &k.resource_id);
		k.name = str_of(rd, o, path, "name", 200, "");
		/* Only a CalDAV collection's address is configuration; an ICS address is its
		 * owner's secret and is never in a document. */
		k.url = str_of(rd, o, path, "url", 2000, "");
		if (*k.url &&
		    (strcmp(k.kind, "caldav") != 0 || !fetch_url_ok(k.url) || strchr(k.url, '@')))
			errlist_add(rd->errs,
			            "only a CalDAV address without credentials in it may be given",
			            "%s.url", path);
		k.username = str_of(rd, o, path, "username", 200, "");
		const json_t *push = json_object_get(o, "push"); /* borrowed */
		if (push && !json_is_boolean(push))
			errlist_add(rd->errs, "must be true or false", "%s.push", path);
		k.push = json_is_true(push);
		k.poll_interval_s = (int)int_of(rd, o, path, "poll_interval_s", 60, 86400, 900);
		k.fail_closed_after_s =
		    60 * int_of(rd, o, path, "fail_closed_after_min", 1, 10080, 0);
		k.calendar_id = str_of(rd, o, path, "calendar_id", 500, "");
		k.account = str_of(rd, o, path, "account", 320, "");
		for (int j = 0; j < out->nconns; j++)
			if (strcmp(out->conns[j].id, k.id) == 0)
				errlist_add(rd->errs, "is used twice", "%s.id", path);
		out->conns[out->nconns++] = k;
	}
}

static void read_feeds(catalog_reader *rd, const json_t *arr, const config_doc *d,
                       config_calendar *out)
{
	static const char *const fields[] = {"id",   "scope",     "subject_id",  "detail",
	                                     "name", "past_days", "future_days", NULL};
	static const char *const scopes[] = {"business", "provider", "resource", NULL};
	static const char *const details[] = {"full", "free_busy", NULL};
	out->feeds = arena_alloc(rd->a, sizeof(*out->feeds) * (json_array_size(arr) + 1));
	size_t i;
	const json_t *o;
	json_array_foreach(arr, i, o)
	{
		char path[CALDOC_PATH_MAX];
		snprintf(path, sizeof path, "calendar.feeds[%zu]", i);
		if (!json_is_object(o)) {
			errlist_add(rd->errs, "must be an object", "%s", path);
			continue;
		}
		known_only(rd, o, path, fields);
		store_feed f = {0};
		f.id = str_of(rd, o, path, "id", 100, NULL);
		if (!f.id)
			f.id = ids_new(rd->a, "feed");
		f.scope = str_of(rd, o, path, "scope", 20, "");
		if (!one_of(f.scope, scopes))
			errlist_add(rd->errs,
			            "must be business, provider or resource (customers are not "
			            "configuration)",
			            "%s.scope", path);
		f.subject_id = str_of(rd, o, path, "subject_id", 100, "");
		if (strcmp(f.scope, "business") == 0 && *f.subject_id)
			errlist_add(rd->errs, "must be null for the business", "%s.subject_id",
			            path);
		else if (strcmp(f.scope, "provider") == 0 &&
		         config_find_provider(d, f.subject_id) < 0)
			errlist_add(rd->errs, "names no provider of this document", "%s.subject_id",
			            path);
		else if (strcmp(f.scope, "resource") == 0 &&
		         config_find_resource(d, f.subject_id) < 0)
			errlist_add(rd->errs, "names no resource of this document", "%s.subject_id",
			            path);
		f.detail = str_of(rd, o, path, "detail", 20, "full");
		if (!one_of(f.detail, details))
			errlist_add(rd->errs, "must be full or free_busy", "%s.detail", path);
		f.name = str_of(rd, o, path, "name", 200, "");
		f.past_days = (int)int_of(rd, o, path, "past_days", 0, 366, 30);
		f.future_days = (int)int_of(rd, o, path, "future_days", 1, 1096, 365);
		for (int j = 0; j < out->nfeeds; j++)
			if (strcmp(out->feeds[j].id, f.id) == 0)
				errlist_add(rd->errs, "is used twice", "%s.id", path);
		out->feeds[out->nfeeds++] = f;
	}
}

void config_calendar_read(catalog_reader *rd, const json_t *doc, const config_doc *d,
                          config_calendar *out)
{
	static const char *const fields[] = {"alert_after_min", "connections", "feeds", NULL};
	*out = (config_calendar){0};
	const json_t *cal = json_object_get(doc, "calendar"); /* borrowed */
	if (!cal || json_is_null(cal))
		return;
	if (!json_is_object(cal)) {
		errlist_add(rd->errs, "must be an object", "%s", "calendar");
		return;
	}
	out->present = true;
	known_only(rd, cal, "calendar", fields);
	out->alert_after_s = 60 * int_of(rd, cal, "calendar", "alert_after_min", 1, 10080, 0);
	const json_t *conns = json_object_get(cal, "connections");
	const json_t *feeds = json_object_get(cal, "feeds");
	if (conns && !json_is_array(conns))
		errlist_add(rd->errs, "must be an array", "%s", "calendar.connections");
	else if (conns)
		read_conns(rd, conns, d, out);
	if (feeds && !json_is_array(feeds))
		errlist_add(rd->errs, "must be an array", "%s", "calendar.feeds");
	else if (feeds)
		read_feeds(rd, feeds, d, out);
}

status config_calendar_export(db_conn *c, const business *b, arena *a, json_t *doc)
{
	calconfig_conn *ks;
	store_feed *fs;
	int nk = 0, nf = 0;
	int64_t after = 0;
	status st = store_calconfig_list(c, b->id, a, &ks, &nk);
	if (st == STATUS_OK)
		st = store_feed_list(c, b->id, a, &fs, &nf);
	if (st == STATUS_OK)
		st = store_calalert_after(c, b->id, &after);
	if (st != STATUS_OK)
		return st;
	json_t *cal = json_object(), *arr = json_array();
	/* json_object_set_new and json_array_append_new steal each value. */
	json_object_set_new(cal, "alert_after_min", json_integer(after / 60));
	for (int i = 0; i < nk; i++) {
		const calconfig_conn *k = &ks[i];
		bool caldav = strcmp(k->kind, "caldav") == 0;
		json_t *o = json_object();
		json_object_set_new(o, "id", json_string(k->id));
		json_object_set_new(o, "kind", json_string(k->kind));
		json_object_set_new(o, k->provider_id ? "provider_id" : "resource_id",
		                    json_string(k->provider_id ? k->provider_id : k->resource_id));
		json_object_set_new(o, "name", json_string(k->name));
		/* A CalDAV collection's address, unless credentials ride in it; nothing else. */
		if (caldav && !strchr(k->url, '@'))
			json_object_set_new(o, "url", json_string(k->url));
		if (caldav)
			json_object_set_new(o, "username", json_string(k->username));
		json_object_set_new(o, "push", json_boolean(k->push));
		json_object_set_new(o, "poll_interval_s", json_integer(k->poll_interval_s));
		json_object_set_new(o, "fail_closed_after_min",
		                    k->fail_closed_after_s > 0
		                        ? json_integer(k->fail_closed_after_s / 60)
		                        : json_null());
		if (*k->calendar_id)
			json_object_set_new(o, "calendar_id", json_string(k->calendar_id));
		if (*k->account)
			json_object_set_new(o, "account", json_string(k->account));
		json_array_append_new(arr, o);
	}
	json_object_set_new(cal, "connections", arr);
	arr = json_array();
	for (int i = 0; i < nf; i++) {
		const store_feed *f = &fs[i];
		if (strcmp(f->scope, "customer") == 0)
			continue; /* customers are not configuration */
		json_array_append_new(
		    arr, json_pack("{s:s, s:s, s:o, s:s, s:s, s:i, s:i}", "id", f->id, "scope",
		                   f->scope, "subject_id",
		                   *f->subject_id ? json_string(f->subject_id) : json_null(),
		                   "detail", f->detail, "name", f->name, "past_days", f->past_days,
		                   "future_days", f->future_days)); /* "o" steals */
	}
	json_object_set_new(cal, "feeds", arr);
	json_object_set_new(doc, "calendar", cal);
	return STATUS_OK;
}

static bool has_conn(const config_calendar *cal, const char *id)
{
	for (int i = 0; i < cal->nconns; i++)
		if (strcmp(cal->conns[i].id, id) == 0)
			return true;
	return false;
}

static bool has_feed(const config_calendar *cal, const char *id)
{
	for (int i = 0; i < cal->nfeeds; i++)
		if (strcmp(cal->feeds[i].id, id) == 0)
			return true;
	return false;
}

status config_calendar_write(db_conn *c, const char *business_id, const config_calendar *cal,
                             bool replace, int64_t now, arena *a)
{
	if (!cal->present)
		return STATUS_OK;
	status st = STATUS_OK;
	if (cal->alert_after_s > 0)
		st = store_calalert_set_after(c, business_id, cal->alert_after_s);
	if (st == STATUS_OK && replace) {
		calconfig_conn *ks;
		store_feed *fs;
		int nk = 0, nf = 0;
		st = store_calconfig_list(c, business_id, a, &ks, &nk);
		for (int i = 0; st == STATUS_OK && i < nk; i++)
			if (!has_conn(cal, ks[i].id))
				st = store_calconfig_delete(c, business_id, ks[i].id);
		if (st == STATUS_OK)
			st = store_feed_list(c, business_id, a, &fs, &nf);
		for (int i = 0; st == STATUS_OK && i < nf; i++)
			if (strcmp(fs[i].scope, "customer") != 0 && !has_feed(cal, fs[i].id))
				st = store_feed_delete(c, business_id, fs[i].id);
	}
	for (int i = 0; st == STATUS_OK && i < cal->nconns; i++)
		st = store_calconfig_put(c, business_id, &cal->conns[i], now);
	for (int i = 0; st == STATUS_OK && i < cal->nfeeds; i++) {
		store_feed f = cal->feeds[i];
		bool found = false;
		st = store_calconfig_feed_update(c, business_id, f.id, f.name, f.detail,
		                                 f.past_days, f.future_days, &found);
		if (st != STATUS_OK || found)
			continue;
		/* A new secret that nobody is given: the feed's address is made anew by a
		 * rotation before anyone subscribes. */
		const char *secret = ids_secret(a);
		f.token_hash = ids_secret_hash(a, secret);
		f.hint = "";
		f.created_at = now;
		st = store_feed_insert(c, business_id, &f);
	}
	return st;
}
