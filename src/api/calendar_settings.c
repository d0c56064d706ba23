/* calendar_settings.c - staff edits of a calendar connection (label, read interval,
 * fail-closed, a new ICS address) and the business's calendar settings (how long a
 * connection may fail before the owners are told, and how many are failing now). */
#include <stdlib.h>
#include <string.h>

#include "api/access.h"
#include "api/app.h"
#include "api/auth.h"
#include "api/calendar_connections.h"
#include "api/common.h"
#include "base/sealed.h"
#include "base/text.h"
#include "calsync/fetch.h"
#include "jobs/calsync_worker.h"
#include "store/business.h"
#include "store/calalert.h"

#define CALSET_ALERT_MIN_MIN 1
#define CALSET_ALERT_MAX_MIN 10080 /* a week */

/* Refuses every member of body not in fields (NULL-terminated). */
static void calset_known(http_req *r, json_t *body, const char *const *fields, const char *what)
{
	const char *key;
	json_t *val;
	json_object_foreach(body, key, val)
	{
		bool known = false;
		for (const char *const *f = fields; *f; f++)
			known = known || strcmp(*f, key) == 0;
		if (!known)
			http_field_error_add(r, arena_strdup(r->arena, key), "is not %s", what);
	}
}

/* An integer member in [lo, hi]: true with *out when present and valid, false when absent;
 * a field error otherwise. */
static bool calset_int(http_req *r, json_t *body, const char *field, int64_t lo, int64_t hi,
                       int64_t *out)
{
	json_t *v = json_object_get(body, field); /* borrowed */
	if (!v)
		return false;
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi) {
		http_field_error_add(r, field, "must be a whole number from %lld to %lld",
		                     (long long)lo, (long long)hi);
		return false;
	}
	*out = json_integer_value(v);
	return true;
}

void calendar_connections_patch(http_req *r)
{
	static const char *const fields[] = {"name", "poll_interval_s", "fail_closed_after_min",
	                                     "url",  "username",        "password",
	                                     NULL};
	const principal *p = auth_principal(r);
	json_t *body = http_body_json(r);
	if (!body)
		return;
	calset_known(r, body, fields, "a connection field that can change");
	store_calconn_edit e = {0};
	const char *name = access_string(r, body, "name");
	if (name && (strlen(name) > 200 || text_fault(name, strlen(name), TEXT_LINE)))
		http_field_error_add(r, "name", "must be one line of at most 200 bytes");
	else if (name)
		e.name = arena_strdup(r->arena, name);
	int64_t v = 0;
	if (calset_int(r, body, "poll_interval_s", 60, 86400, &v))
		e.poll_interval_s = (int)v;
	json_t *fc = json_object_get(body, "fail_closed_after_min"); /* borrowed */
	if (fc && json_is_null(fc))
		e.set_fail_closed = true; /* fail open */
	else if (calset_int(r, body, "fail_closed_after_min", 1, 10080, &v)) {
		e.set_fail_closed = true;
		e.fail_closed_after_s = v * 60;
	}
	const char *url = access_string(r, body, "url");
	if (url && !fetch_url_ok(url))
		http_field_error_add(r, "url", "must be an http, https or webcal address");
	else if (url)
		e.url = arena_strdup(r->arena, url);
	/* A CalDAV password given again: sealed at once (the plain text is never stored). */
	const char *user = access_string(r, body, "username");
	if (user && (!*user || strlen(user) > 320 || text_fault(user, strlen(user), TEXT_LINE)))
		http_field_error_add(r, "username", "must be one line of 1 to 320 bytes");
	else if (user)
		e.username = arena_strdup(r->arena, user);
	const char *pw = access_string(r, body, "password");
	char err[160];
	char *box = NULL;
	if (pw && (!*pw || strlen(pw) > 1024 || text_fault(pw, strlen(pw), TEXT_LINE)))
		http_field_error_add(r, "password", "must be one line of 1 to 1024 bytes");
	else if (pw && sealed_seal(pw, &box, err, sizeof err) != STATUS_OK)
		http_field_error_add(r, "password", "cannot be stored: %s", err);
	if (box) {
		e.secret_box = arena_strdup(r->arena, box);
		free(box);
	}
	json_decref(body); /* pw pointed into it: gone now */
	if (r->nerrors) {
		http_problem(r, STATUS_INVALID, "the change is not valid");
		return;
	}
	const char *id = http_param(r, "connection");
	db_conn *c = app_db(r);
	business biz;
	store_calconn k;
	if (!auth_business(r, c, &biz))
		return;
	status st = store_calconn_get(c, p->business_id, id, r->arena, &k);
	if (st == STATUS_OK && e.url && strcmp(k.kind, "ics") != 0) {
		http_field_error_add(r, "url", "only an ICS connection's address can change");
		http_problem(r, STATUS_INVALID, "the change is not valid");
		return;
	}
	if (st == STATUS_OK && (e.secret_box || e.username) && strcmp(k.kind, "caldav") != 0) {
		http_field_error_add(r, e.secret_box ? "password" : "username",
		                     "only a CalDAV connection has a user name and password");
		http_problem(r, STATUS_INVALID, "the change is not valid");
		return;
	}
	if (st == STATUS_OK)
		st = store_calconn_edit_apply(c, p->business_id, id, &e, r->now);
	if (st == STATUS_OK)
		st = store_calconn_get(c, p->business_id, id, r->arena, &k);
	if (st == STATUS_NOT_FOUND)
		http_problem(r, st, "no such calendar connection");
	else if (st != STATUS_OK)
		api_store_error(r, c, st);
	if (st != STATUS_OK)
		return;
	if (e.url || e.secret_box)
		calsync_kick(); /* read with the new credentials now */
	http_json_take(r, 200, calconn_json(r->arena, c, &k, tz_get(biz.timezone), r->now));
}

/* {"alert_after_min", "alerting"} of the business. */
static void calset_answer(http_req *r, db_conn *c, const char *business_id)
{
	int64_t after = 0;
	int alerting = 0;
	status st = store_calalert_after(c, business_id, &after);
	if (st == STATUS_OK)
		st = store_calalert_count(c, business_id, &alerting);
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	http_json_take(r, 200,
	               json_pack("{s:I, s:i}", "alert_after_min", (json_int_t)(after / 60),
	                         "alerting", alerting));
}

void calendar_settings_get(http_req *r)
{
	db_conn *c = app_db(r);
	business biz;
	if (auth_business(r, c, &biz))
		calset_answer(r, c, auth_principal(r)->business_id);
}

void calendar_settings_put(http_req *r)
{
	static const char *const fields[] = {"alert_after_min", NULL};
	json_t *body = http_body_json(r);
	if (!body)
		return;
	calset_known(r, body, fields, "a calendar setting");
	int64_t min = 0;
	if (!calset_int(r, body, "alert_after_min", CALSET_ALERT_MIN_MIN, CALSET_ALERT_MAX_MIN,
	                &min) &&
	    !r->nerrors)
		http_field_error_add(r, "alert_after_min", "is needed");
	json_decref(body);
	if (r->nerrors) {
		http_problem(r, STATUS_INVALID, "the settings are not valid");
		return;
	}
	const principal *p = auth_principal(r);
	db_conn *c = app_db(r);
	business biz;
	if (!auth_business(r, c, &biz))
		return;
	status st = store_calalert_set_after(c, p->business_id, min * 60);
	if (st != STATUS_OK)
		api_store_error(r, c, st);
	else
		calset_answer(r, c, p->business_id);
}
