/* calendar_feeds.c - calendar feeds: staff create, list, rotate and delete them; calendar
 * apps read them with the secret token in the address. The token is
 * "<business_id>.<feed id>.<secret>": the row is found by its key, then the secret's SHA-256
 * is compared with the stored one in constant time. Only the hash is kept, so the address
 * is shown once, at creation or rotation. */
#include "api/calendar_feeds.h"

#include <sodium.h>
#include <string.h>

#include "api/access.h"
#include "api/app.h"
#include "api/auth.h"
#include "api/common.h"
#include "base/buf.h"
#include "base/ids.h"
#include "base/log.h"
#include "base/text.h"
#include "calsync/ics.h"
#include "http/encoding.h"
#include "store/business.h"
#include "store/calfeed.h"

#define CALFEED_PAST_MAX 366     /* past_days at most */
#define CALFEED_FUTURE_MAX 1096  /* future_days at most (three years) */
#define CALFEED_PAST_DEFAULT 30
#define CALFEED_FUTURE_DEFAULT 365
#define CALFEED_BODY_MAX (16u << 20) /* the largest feed written */

static json_t *feed_json(const store_feed *f, const tz *z)
{
	json_t *o = json_object();
	/* json_object_set_new steals each value. */
	json_object_set_new(o, "id", json_string(f->id));
	json_object_set_new(o, "scope", json_string(f->scope));
	json_object_set_new(o, "subject_id", *f->subject_id ? json_string(f->subject_id) : json_null());
	json_object_set_new(o, "detail", json_string(f->detail));
	json_object_set_new(o, "name", json_string(f->name));
	json_object_set_new(o, "hint", json_string(f->hint));
	json_object_set_new(o, "past_days", json_integer(f->past_days));
	json_object_set_new(o, "future_days", json_integer(f->future_days));
	json_object_set_new(o, "created_at", access_instant(z, f->created_at));
	json_object_set_new(o, "rotated_at", access_instant(z, f->rotated_at));
	json_object_set_new(o, "last_read_at", access_instant(z, f->last_read_at));
	return o;
}

/* The feed's answer with its secret: "token" and the absolute "url" (shown once). */
static void feed_answer(http_req *r, int code, const store_feed *f, const business *b,
			const char *secret)
{
	app *ap = r->app;
	json_t *out = feed_json(f, tz_get(b->timezone));
	const char *token = arena_printf(r->arena, "%s.%s.%s", b->id, f->id, secret);
	json_object_set_new(out, "token", json_string(token)); /* steals */
	json_object_set_new(out, "url", json_string(arena_printf(r->arena,
		"%s/api/v1/public/calendar-feeds/%s/feed.ics", ap->public_url, token)));
	http_json_take(r, code, out);
}

void calendar_feeds_list(http_req *r)
{
	const principal *p = auth_principal(r);
	db_conn *c = app_db(r);
	business biz;
	store_feed *list = NULL;
	int n = 0;
	bool ok = auth_business(r, c, &biz);
	status st = ok ? store_feed_list(c, p->business_id, r->arena, &list, &n) : STATUS_OK;
	if (ok && st != STATUS_OK)
		api_store_error(r, c, st);
	if (!ok || st != STATUS_OK)
		return;
	const tz *zone = tz_get(biz.timezone);
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, feed_json(&list[i], zone)); /* steals */
	http_json_take(r, 200, json_pack("{s:o}", "feeds", arr));  /* "o" steals */
}

/* Reads an optional integer member in [lo, hi] into *out (left as is when absent). */
static void feed_days(http_req *r, json_t *body, const char *field, int lo, int hi, int *out)
{
	json_t *v = json_object_get(body, field); /* borrowed */
	if (!v)
		return;
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
		http_field_error_add(r, field, "must be a whole number from %d to %d", lo, hi);
	else
		*out = (int)json_integer_value(v);
}

static bool feed_one_of(const char *s, const char *const *allowed)
{
	for (; *allowed; allowed++)
		if (strcmp(s, *allowed) == 0)
			return true;
	return false;
}

void calendar_feeds_create(http_req *r)
{
	static const char *const scopes[] = {"business", "provider", "resource", "customer", NULL};
	static const char *const details[] = {"full", "free_busy", NULL};
	static const char *const fields[] = {"scope",     "subject_id",  "detail", "name",
					     "past_days", "future_days", NULL};
	const principal *p = auth_principal(r);
	json_t *body = http_body_json(r);
	if (!body)
		return;
	const char *key;
	json_t *val;
	json_object_foreach(body, key, val) {
		if (!feed_one_of(key, fields))
			http_field_error_add(r, arena_strdup(r->arena, key), "is not a feed field");
	}
	store_feed f = {.detail = "full", .name = "", .subject_id = "",
			.past_days = CALFEED_PAST_DEFAULT, .future_days = CALFEED_FUTURE_DEFAULT};
	const char *scope = access_string(r, body, "scope");
	if (!scope || !feed_one_of(scope, scopes))
		http_field_error_add(r, "scope", "must be business, provider, resource or customer");
	else
		f.scope = arena_strdup(r->arena, scope);
	const char *subject = access_string(r, body, "subject_id");
	if (f.scope && strcmp(f.scope, "business") != 0 && (!subject || !*subject))
		http_field_error_add(r, "subject_id", "names the %s of the feed", f.scope);
	else if (f.scope && strcmp(f.scope, "business") == 0 && subject && *subject)
		http_field_error_add(r, "subject_id", "must be absent for a business feed");
	else if (subject)
		f.subject_id = arena_strdup(r->arena, subject);
	const char *detail = access_string(r, body, "detail");
	if (detail && !feed_one_of(detail, details))
		http_field_error_add(r, "detail", "must be full or free_busy");
	else if (detail)
		f.detail = arena_strdup(r->arena, detail);
	const char *name = access_string(r, body, "name");
	if (name && (strlen(name) > 200 || text_fault(name, strlen(name), TEXT_LINE)))
		http_field_error_add(r, "name", "must be one line of at most 200 bytes");
	else if (name)
		f.name = arena_strdup(r->arena, name);
	feed_days(r, body, "past_days", 0, CALFEED_PAST_MAX, &f.past_days);
	feed_days(r, body, "future_days", 1, CALFEED_FUTURE_MAX, &f.future_days);
	json_decref(body);
	if (r->nerrors) {
		http_problem(r, STATUS_INVALID, "the feed is not valid");
		return;
	}
	const char *secret = ids_secret(r->arena);
	f.id = ids_new(r->arena, "feed");
	f.token_hash = ids_secret_hash(r->arena, secret);
	f.hint = secret + strlen(secret) - 4;
	f.created_at = r->now;
	db_conn *c = app_db(r);
	business biz;
	bool ok = auth_business(r, c, &biz);
	status st = ok ? store_feed_subject_ok(c, p->business_id, f.scope, f.subject_id) : STATUS_OK;
	if (ok && st == STATUS_NOT_FOUND) {
		http_field_error_add(r, "subject_id", "names no %s of this business", f.scope);
		http_problem(r, STATUS_INVALID, "the feed is not valid");
	} else if (ok && st == STATUS_OK) {
		st = store_feed_insert(c, p->business_id, &f);
		if (st == STATUS_OK)
			st = store_feed_get(c, p->business_id, f.id, r->arena, &f);
		if (st != STATUS_OK)
			api_store_error(r, c, st);
	} else if (ok) {
		api_store_error(r, c, st);
	}
	if (ok && st == STATUS_OK)
		feed_answer(r, 201, &f, &biz, secret);
}

void calendar_feeds_rotate(http_req *r)
{
	const principal *p = auth_principal(r);
	const char *id = http_param(r, "feed");
	const char *secret = ids_secret(r->arena);
	db_conn *c = app_db(r);
	business biz;
	store_feed f;
	bool ok = auth_business(r, c, &biz);
	status st = ok ? store_feed_rotate(c, p->business_id, id, ids_secret_hash(r->arena, secret),
					   secret + strlen(secret) - 4, r->now)
		       : STATUS_OK;
	if (ok && st == STATUS_OK)
		st = store_feed_get(c, p->business_id, id, r->arena, &f);
	if (ok && st == STATUS_NOT_FOUND)
		http_problem(r, st, "no such feed");
	else if (ok && st != STATUS_OK)
		api_store_error(r, c, st);
	if (ok && st == STATUS_OK)
		feed_answer(r, 200, &f, &biz, secret);
}

void calendar_feeds_delete(http_req *r)
{
	const principal *p = auth_principal(r);
	db_conn *c = app_db(r);
	status st = store_feed_delete(c, p->business_id, http_param(r, "feed"));
	if (st == STATUS_NOT_FOUND)
		http_problem(r, st, "no such feed");
	else if (st != STATUS_OK)
		api_store_error(r, c, st);
	if (st == STATUS_OK)
		http_text(r, 204, "text/plain", "", 0);
}

/* Splits "<business>.<feed>.<secret>" in place (a copy in the arena); false when malformed. */
static bool feed_token_split(http_req *r, const char *token, const char **business_id,
			     const char **feed_id, const char **secret)
{
	if (!token || strlen(token) > 200)
		return false;
	char *t = arena_strdup(r->arena, token);
	char *dot1 = strchr(t, '.');
	char *dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
	if (!dot1 || !dot2 || dot1 == t || dot2 == dot1 + 1 || !dot2[1])
		return false;
	*dot1 = *dot2 = '\0';
	*business_id = t;
	*feed_id = dot1 + 1;
	*secret = dot2 + 1;
	return true;
}

/* The event a booking is in feed f: the same UID and SEQUENCE as in the booking's emails;
 * the free/busy variant carries nothing but the time and "Busy". */
static void feed_event(http_req *r, const store_feed *f, const business *b,
		       const store_feed_booking *bk, ics_event *e)
{
	arena *a = r->arena;
	bool cancelled = strcmp(bk->status, "cancelled") == 0;
	*e = (ics_event){
	    .uid = arena_printf(a, "%s@bookd", bk->id),
	    .sequence = bk->events > 0 ? bk->events - 1 : 0,
	    .start = bk->start_at,
	    .end = bk->end_at,
	    .stamp = bk->updated_at,
	    .cancelled = cancelled,
	    .tentative = strcmp(bk->status, "pending") == 0,
	};
	if (strcmp(f->detail, "free_busy") == 0) {
		e->summary = "Busy";
		return;
	}
	const char *with = *bk->provider_name ? bk->provider_name : bk->resource_name;
	if (strcmp(f->scope, "customer") == 0) {
		/* The customer's own calendar: what and where, never another customer. */
		e->summary = *with ? arena_printf(a, "%s with %s", bk->service_name, with)
				   : bk->service_name;
		e->location = b->address;
		e->description = arena_printf(a, "%s, booking %s", b->name, bk->reference);
		return;
	}
	e->summary = arena_printf(a, "%s: %s", bk->service_name,
				  *bk->customer_name ? bk->customer_name : bk->reference);
	e->location = *with ? with : NULL;
	buf d;
	buf_init(&d, 8192);
	buf_printf(&d, "Booking %s (%s)", bk->reference, bk->status);
	if (*with)
		buf_printf(&d, "\nWith: %s", with);
	if (*bk->customer_name)
		buf_printf(&d, "\nCustomer: %s", bk->customer_name);
	if (*bk->customer_email)
		buf_printf(&d, "\nEmail: %s", bk->customer_email);
	if (*bk->customer_phone)
		buf_printf(&d, "\nPhone: %s", bk->customer_phone);
	if (*bk->notes)
		buf_printf(&d, "\nNotes: %s", bk->notes);
	e->description = arena_strdup(a, d.data ? d.data : "");
	buf_free(&d);
}

void calendar_feed_get(http_req *r)
{
	const char *bid, *fid, *secret;
	if (!feed_token_split(r, http_param(r, "token"), &bid, &fid, &secret)) {
		http_problem(r, STATUS_NOT_FOUND, "no such feed");
		return;
	}
	db_conn *c = app_db(r);
	business biz;
	store_feed f;
	store_feed_booking *list = NULL;
	int n = 0;
	status st = store_feed_get(c, bid, fid, r->arena, &f);
	/* The stored hash and the presented secret's, both 64 hex digits: constant time. */
	if (st == STATUS_OK && !ids_equal_ct(f.token_hash, ids_secret_hash(r->arena, secret)))
		st = STATUS_NOT_FOUND;
	if (st == STATUS_OK)
		st = store_business_by_id(c, bid, r->arena, &biz);
	if (st == STATUS_OK) {
		int64_t from = r->now - (int64_t)f.past_days * 86400;
		int64_t to = r->now + (int64_t)f.future_days * 86400;
		st = store_feed_bookings(c, bid, &f, from, to, r->now - CALFEED_CANCELLED_KEEP_S,
					 r->arena, &list, &n);
	}
	if (st == STATUS_OK && r->now - f.last_read_at >= 60) {
		/* Last read to the minute: at most one write per feed and minute. */
		status ts = store_feed_touch(c, bid, f.id, r->now);
		if (ts != STATUS_OK)
			log_warn("calendar feed %s: last read not recorded: %s", f.id, db_error(c));
	}
	if (st == STATUS_NOT_FOUND)
		http_problem(r, st, "no such feed");
	else if (st != STATUS_OK)
		api_store_error(r, c, st);
	if (st != STATUS_OK)
		return;
	app_db_release(r); /* writing the calendar needs no database */
	ics_event *events = arena_alloc(r->arena, sizeof(*events) * (size_t)(n > 0 ? n : 1));
	for (int i = 0; i < n; i++)
		feed_event(r, &f, &biz, &list[i], &events[i]);
	const char *cal_name = *f.name ? arena_printf(r->arena, "%s: %s", biz.name, f.name) : biz.name;
	buf out;
	buf_init(&out, CALFEED_BODY_MAX);
	st = ics_write_feed(cal_name, events, (size_t)n, &out);
	if (st != STATUS_OK) {
		buf_free(&out);
		http_problem(r, STATUS_INTERNAL, "the feed could not be written");
		return;
	}
	/* The body depends only on the bookings shown (DTSTAMP is each booking's last change),
	 * so its digest is a validator that changes exactly when the feed does. */
	unsigned char h[crypto_generichash_BYTES];
	crypto_generichash(h, sizeof h, (const unsigned char *)out.data, out.len, NULL, 0);
	char hex[2 * 16 + 1];
	sodium_bin2hex(hex, sizeof hex, h, 16);
	const char *etag = arena_printf(r->arena, "\"%s\"", hex);
	http_add_header(r, "ETag", etag);
	http_add_header(r, "Cache-Control", "private, no-cache");
	/* The address is the credential: keep it out of referrers and shared caches. */
	http_add_header(r, "Referrer-Policy", "no-referrer");
	if (http_etag_matches(http_header(r, "If-None-Match"), etag))
		http_static(r, 304, NULL, "", 0);
	else
		http_text(r, 200, "text/calendar; charset=utf-8", out.data, out.len);
	buf_free(&out);
}
