/* calendar_connections.c - staff routes of external calendar connections. The address of an
 * ICS calendar is a secret of its owner (Google's "secret address in iCal format", for
 * one): it is stored to be read, and answered only as its scheme and host. */
#include "api/calendar_connections.h"

#include <stdlib.h>
#include <string.h>

#include "api/access.h"
#include "api/app.h"
#include "api/auth.h"
#include "api/common.h"
#include "api/live.h"
#include "base/ids.h"
#include "base/sealed.h"
#include "base/text.h"
#include "calsync/fetch.h"
#include "jobs/calsync_worker.h"
#include "store/business.h"
#include "store/calconfig.h"
#include "store/calconn.h"
#include "store/booking_query.h"
#include "store/calfeed.h"
#include "store/calpush.h"
#include "api/staff_bookings.h"

#define CALCONN_POLL_MIN_S 60
#define CALCONN_POLL_MAX_S 86400
#define CALCONN_POLL_DEFAULT_S 900
#define CALCONN_STALE_MAX_MIN 10080 /* a week */

/* "https://calendar.example" of an address: what may be shown of it. */
static const char *calconn_url_hint(arena *a, const char *url)
{
	const char *p = strstr(url, "://");
	if (!p)
		return "";
	p += 3;
	size_t host = strcspn(p, "/?#");
	/* Credentials in the authority ("user:pass@host") are left out. */
	const char *at = memchr(p, '@', host);
	const char *h = at ? at + 1 : p;
	return arena_printf(a, "%.*s%.*s", (int)(p - url), url, (int)(p + host - h), h);
}

json_t *calconn_json(arena *a, db_conn *c, const store_calconn *k, const tz *z, int64_t now)
{
	bool stale = k->fail_closed_after_s > 0 &&
		     (k->last_success_at == 0 || k->last_success_at < now - k->fail_closed_after_s);
	const char *state = k->needs_credentials ? "needs_credentials"
			    : stale                    ? "stale"
			    : k->last_success_at == 0 && k->failures == 0 ? "pending"
			    : k->failures > 0             ? "failing"
							  : "ok";
	json_t *o = json_object();
	/* json_object_set_new steals each value. */
	json_object_set_new(o, "id", json_string(k->id));
	json_object_set_new(o, "kind", json_string(k->kind));
	json_object_set_new(o, "provider_id", k->provider_id ? json_string(k->provider_id) : json_null());
	json_object_set_new(o, "resource_id", k->resource_id ? json_string(k->resource_id) : json_null());
	json_object_set_new(o, "name", json_string(k->name));
	json_object_set_new(o, "url_hint", json_string(calconn_url_hint(a, k->url)));
	json_object_set_new(o, "account", json_string(k->account ? k->account : ""));
	json_object_set_new(o, "poll_interval_s", json_integer(k->poll_interval_s));
	json_object_set_new(o, "fail_closed_after_min",
			    k->fail_closed_after_s > 0 ? json_integer(k->fail_closed_after_s / 60)
						       : json_null());
	json_object_set_new(o, "created_at", access_instant(z, k->created_at));
	if (strcmp(k->kind, "caldav") == 0) {
		/* The account's name and whether bookings are written; never the password. */
		json_object_set_new(o, "username", json_string(k->username));
		json_object_set_new(o, "push", json_boolean(k->push));
	}
	json_t *h = json_object();
	json_object_set_new(h, "state", json_string(state));
	json_object_set_new(h, "last_attempt_at", access_instant(z, k->last_attempt_at));
	json_object_set_new(h, "last_success_at", access_instant(z, k->last_success_at));
	json_object_set_new(h, "last_error", *k->last_error ? json_string(k->last_error) : json_null());
	json_object_set_new(h, "last_error_at", access_instant(z, k->last_error_at));
	json_object_set_new(h, "failures", json_integer(k->failures));
	/* A connection waiting for its credentials is not read at all until they come. */
	json_object_set_new(h, "next_attempt_at", k->next_attempt_at >= CALCONN_PAUSED_AT
							  ? json_null()
							  : access_instant(z, k->next_attempt_at));
	json_object_set_new(h, "lag_s", k->last_success_at ? json_integer(now - k->last_success_at)
							   : json_null());
	json_object_set_new(h, "busy_count", json_integer(k->busy_count));
	json_object_set_new(h, "skipped_events", json_integer(k->skipped_count));
	json_object_set_new(h, "needs_credentials", json_boolean(k->needs_credentials));
	json_object_set_new(h, "failing_since", access_instant(z, k->failing_since));
	json_object_set_new(h, "alerted_at", access_instant(z, k->alerted_at));
	int pushed = 0, attention = 0;
	if (strcmp(k->kind, "ics") != 0 &&
	    store_calpush_counts(c, k->business_id, k->id, &pushed, &attention) == STATUS_OK) {
		json_object_set_new(h, "pushed_events", json_integer(pushed));
		json_object_set_new(h, "needs_attention", json_integer(attention));
	}
	json_object_set_new(o, "health", h);
	return o;
}

void calendar_connections_list(http_req *r)
{
	const principal *p = auth_principal(r);
	db_conn *c = app_db(r);
	business biz;
	store_calconn *list = NULL;
	int n = 0;
	bool ok = auth_business(r, c, &biz);
	status st = ok ? store_calconn_list(c, p->business_id, r->arena, &list, &n) : STATUS_OK;
	if (ok && st != STATUS_OK)
		api_store_error(r, c, st);
	if (!ok || st != STATUS_OK)
		return;
	const tz *zone = tz_get(biz.timezone);
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, calconn_json(r->arena, c, &list[i], zone, r->now)); /* steals */
	http_json_take(r, 200, json_pack("{s:o}", "connections", arr)); /* "o" steals */
}

/* An optional integer member in [lo, hi] into *out; a field error otherwise. */
static void calconn_int(http_req *r, json_t *body, const char *field, int64_t lo, int64_t hi,
			int64_t *out)
{
	json_t *v = json_object_get(body, field); /* borrowed */
	if (!v || json_is_null(v))
		return;
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
		http_field_error_add(r, field, "must be a whole number from %lld to %lld",
				     (long long)lo, (long long)hi);
	else
		*out = json_integer_value(v);
}

/* A CalDAV connection's account: username, password (sealed at once under the server
 * key: the plain text is never stored) and push. */
static void calconn_caldav_fields(http_req *r, json_t *body, store_calconn *k)
{
	const char *user = access_string(r, body, "username");
	if (!user || !*user || strlen(user) > 320 || text_fault(user, strlen(user), TEXT_LINE))
		http_field_error_add(r, "username", "must be one line of 1 to 320 bytes");
	else
		k->username = arena_strdup(r->arena, user);
	const char *pw = access_string(r, body, "password");
	char err[160];
	char *box = NULL;
	if (!pw || !*pw || strlen(pw) > 1024 || text_fault(pw, strlen(pw), TEXT_LINE))
		http_field_error_add(r, "password", "must be one line of 1 to 1024 bytes");
	else if (sealed_seal(pw, &box, err, sizeof err) != STATUS_OK)
		http_field_error_add(r, "password", "cannot be stored: %s", err);
	if (box) {
		k->secret_box = arena_strdup(r->arena, box);
		free(box);
	}
	json_t *push = json_object_get(body, "push"); /* borrowed */
	if (push && !json_is_boolean(push))
		http_field_error_add(r, "push", "must be true or false");
	k->push = !push || json_is_true(push);
}

void calendar_connections_create(http_req *r)
{
	static const char *const fields[] = {"kind",	 "url",	     "provider_id",
					     "resource_id", "name",	     "poll_interval_s",
					     "fail_closed_after_min", "username", "password",
					     "push",	 NULL};
	const principal *p = auth_principal(r);
	json_t *body = http_body_json(r);
	if (!body)
		return;
	const char *key;
	json_t *val;
	json_object_foreach(body, key, val) {
		bool known = false;
		for (const char *const *f = fields; *f; f++)
			known = known || strcmp(*f, key) == 0;
		if (!known)
			http_field_error_add(r, arena_strdup(r->arena, key), "is not a connection field");
	}
	store_calconn k = {.business_id = p->business_id, .kind = "ics", .name = "",
			   .poll_interval_s = CALCONN_POLL_DEFAULT_S, .created_at = r->now};
	const char *kind = access_string(r, body, "kind");
	if (kind && strcmp(kind, "ics") != 0 && strcmp(kind, "caldav") != 0)
		http_field_error_add(r, "kind", "must be ics or caldav");
	else if (kind)
		k.kind = arena_strdup(r->arena, kind);
	bool dav = strcmp(k.kind, "caldav") == 0;
	const char *url = access_string(r, body, "url");
	if (!url || !fetch_url_ok(url) || (dav && strncmp(url, "webcal:", 7) == 0))
		http_field_error_add(r, "url",
				     dav ? "must be an http or https address (a calendar or the server)"
					 : "must be an http, https or webcal address");
	else
		k.url = arena_strdup(r->arena, url);
	if (dav)
		calconn_caldav_fields(r, body, &k);
	else if (json_object_get(body, "username") || json_object_get(body, "password") ||
		 json_object_get(body, "push"))
		http_field_error_add(r, json_object_get(body, "password") ? "password" : "username",
				     "belongs to a caldav connection only");
	const char *prov = access_string(r, body, "provider_id");
	const char *res = access_string(r, body, "resource_id");
	if ((prov && *prov) == (res && *res))
		http_field_error_add(r, prov ? "resource_id" : "provider_id",
				     "exactly one of provider_id and resource_id is needed");
	else if (prov && *prov)
		k.provider_id = arena_strdup(r->arena, prov);
	else
		k.resource_id = arena_strdup(r->arena, res);
	const char *name = access_string(r, body, "name");
	if (name && (strlen(name) > 200 || text_fault(name, strlen(name), TEXT_LINE)))
		http_field_error_add(r, "name", "must be one line of at most 200 bytes");
	else if (name)
		k.name = arena_strdup(r->arena, name);
	int64_t poll = k.poll_interval_s, stale_min = 0;
	calconn_int(r, body, "poll_interval_s", CALCONN_POLL_MIN_S, CALCONN_POLL_MAX_S, &poll);
	calconn_int(r, body, "fail_closed_after_min", 1, CALCONN_STALE_MAX_MIN, &stale_min);
	k.poll_interval_s = (int)poll;
	k.fail_closed_after_s = stale_min * 60;
	json_decref(body);
	if (r->nerrors) {
		http_problem(r, STATUS_INVALID, "the connection is not valid");
		return;
	}
	k.id = ids_new(r->arena, "cal");
	db_conn *c = app_db(r);
	business biz;
	bool ok = auth_business(r, c, &biz);
	status st = STATUS_OK;
	if (ok) {
		st = store_feed_subject_ok(c, p->business_id, k.provider_id ? "provider" : "resource",
					   k.provider_id ? k.provider_id : k.resource_id);
		if (st == STATUS_NOT_FOUND) {
			http_field_error_add(r, k.provider_id ? "provider_id" : "resource_id",
					     "names nothing of this business");
			http_problem(r, STATUS_INVALID, "the connection is not valid");
		} else {
			if (st == STATUS_OK)
				st = store_calconn_insert(c, &k);
			if (st == STATUS_OK)
				st = store_calconn_get(c, p->business_id, k.id, r->arena, &k);
			if (st != STATUS_OK)
				api_store_error(r, c, st);
		}
	}
	if (!ok || st != STATUS_OK)
		return;
	calsync_kick(); /* read it now, not at the worker's next tick */
	http_json_take(r, 201, calconn_json(r->arena, c, &k, tz_get(biz.timezone), r->now));
}

/* Answers the connection {connection} after what (NULL: nothing) ran on it. */
static void calconn_one(http_req *r, status (*what)(db_conn *, const char *, const char *,
						    int64_t),
			int code)
{
	const principal *p = auth_principal(r);
	const char *id = http_param(r, "connection");
	db_conn *c = app_db(r);
	business biz;
	store_calconn k;
	bool ok = auth_business(r, c, &biz);
	status st = ok && what ? what(c, p->business_id, id, r->now) : STATUS_OK;
	if (ok && st == STATUS_OK)
		st = store_calconn_get(c, p->business_id, id, r->arena, &k);
	if (ok && st == STATUS_NOT_FOUND)
		http_problem(r, st, "no such calendar connection");
	else if (ok && st != STATUS_OK)
		api_store_error(r, c, st);
	if (!ok || st != STATUS_OK)
		return;
	if (what)
		calsync_kick();
	http_json_take(r, code, calconn_json(r->arena, c, &k, tz_get(biz.timezone), r->now));
}

void calendar_connections_get(http_req *r)
{
	calconn_one(r, NULL, 200);
}

void calendar_connections_resync(http_req *r)
{
	calconn_one(r, store_calconn_resync, 202);
}

void calendar_connections_delete(http_req *r)
{
	const principal *p = auth_principal(r);
	db_conn *c = app_db(r);
	business biz;
	bool ok = auth_business(r, c, &biz);
	status st = ok ? store_calconn_delete(c, p->business_id, http_param(r, "connection"))
		       : STATUS_OK;
	if (ok && st == STATUS_NOT_FOUND)
		http_problem(r, st, "no such calendar connection");
	else if (ok && st != STATUS_OK)
		api_store_error(r, c, st);
	if (ok && st == STATUS_OK)
		live_business_changed(c, &biz, NULL, 0, INT64_MAX, r->arena);
	if (ok && st == STATUS_OK)
		http_text(r, 204, "text/plain", "", 0);
}

json_t *calendar_attention_json(db_conn *c, const char *business_id, const char *booking_id,
				const tz *zone, arena *a)
{
	store_booking_attention *list = NULL;
	int n = 0;
	json_t *arr = json_array();
	if (store_calpush_booking_attention(c, business_id, booking_id, a, &list, &n) != STATUS_OK)
		return arr; /* the booking answers without it rather than not at all */
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:o}", "connection_id",
						     list[i].connection_id, "connection_name",
						     list[i].connection_name, "what", list[i].what,
						     "at", access_instant(zone, list[i].at)));
	return arr; /* json_array_append_new and "o" steal */
}

void calendar_attention_resolve(http_req *r)
{
	db_conn *c = app_db(r);
	business biz;
	if (!auth_business(r, c, &biz))
		return;
	booking_row row;
	status st = store_booking_row(c, biz.id, http_param(r, "booking"), staff_visible_to(r),
				      r->arena, &row);
	if (st == STATUS_OK)
		st = store_calpush_resolve(c, biz.id, row.b.id, r->now);
	if (st == STATUS_NOT_FOUND)
		http_problem(r, st, "no such booking, or nothing about it needs attention");
	else if (st != STATUS_OK)
		api_store_error(r, c, st);
	if (st != STATUS_OK)
		return;
	calsync_kick();
	staff_booking_answer(r, c, &biz, row.b.id, 200, NULL);
}
