/* webhooks.c - staff routes of webhooks out (api/webhooks.h): endpoints, their secrets
 * (shown once, at creation and rotation), test-sends, the delivery log and replays. */
#include "api/webhooks.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "api/access.h"
#include "api/app.h"
#include "api/auth.h"
#include "api/booking_json.h"
#include "api/common.h"
#include "base/ids.h"
#include "base/sealed.h"
#include "jobs/webhook_send.h"
#include "jobs/webhook_worker.h"
#include "store/webhook.h"

/* Rotation overlap: default and longest (seconds). */
#define WEBHOOK_OVERLAP_DEFAULT_S 86400
#define WEBHOOK_OVERLAP_MAX_S (7 * 86400)
/* Deliveries answered by the log: default and most. */
#define WEBHOOK_LOG_DEFAULT 50
#define WEBHOOK_LOG_MAX 200

static const char *const ENDPOINT_KEYS[] = {"url", "description", "events", "enabled", NULL};
static const char *const ROTATE_KEYS[] = {"overlap_s", NULL};

/* A fresh secret: "whsec_" and 32 random bytes as base64url, in a. */
static const char *new_secret(arena *a)
{
	unsigned char raw[32];
	char b64[64];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(b64, sizeof(b64), raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
	const char *s = arena_printf(a, "whsec_%s", b64);
	sodium_memzero(b64, sizeof(b64));
	return s;
}

/* The secret sealed, in a; NULL (request answered) when the server cannot seal. */
static const char *seal(http_req *r, const char *secret)
{
	char err[200], *box = NULL;
	if (sealed_seal(secret, &box, err, sizeof(err)) != STATUS_OK) {
		http_problem(r, STATUS_INTERNAL, "the secret cannot be stored: %s", err);
		return NULL;
	}
	const char *out = arena_strdup(r->arena, box);
	free(box);
	return out;
}

static json_t *endpoint_json(const webhook_endpoint *e, const tz *z, int64_t now)
{
	json_t *o = json_object();
	/* json_object_set_new steals each value. */
	json_object_set_new(o, "id", json_string(e->id));
	json_object_set_new(o, "url", json_string(e->url));
	json_object_set_new(o, "description", json_string(e->description));
	json_t *ev = json_loads(e->events, 0, NULL);
	json_object_set_new(o, "events", ev ? ev : json_array());
	json_object_set_new(o, "enabled", json_boolean(e->enabled));
	json_object_set_new(o, "disabled_reason",
			    *e->disabled_reason ? json_string(e->disabled_reason) : json_null());
	json_object_set_new(o, "failures", json_integer(e->failures));
	json_object_set_new(o, "failing_since", access_instant(z, e->failing_since));
	json_object_set_new(o, "last_success_at", access_instant(z, e->last_success_at));
	json_object_set_new(o, "previous_secret_until",
			    e->previous_box && e->previous_until > now
				    ? access_instant(z, e->previous_until)
				    : json_null());
	json_object_set_new(o, "created_at", access_instant(z, e->created_at));
	return o;
}

/* The events member: a non-empty array of known types without repeats, as JSON text in
 * r's arena; NULL when absent (required: a field error) or wrong (a field error). */
static const char *events_field(http_req *r, const json_t *body, bool required)
{
	const json_t *v = json_object_get(body, "events"); /* borrowed */
	if (!v) {
		if (required)
			http_field_error_add(r, "events", "is required");
		return NULL;
	}
	if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > 32) {
		http_field_error_add(r, "events", "must be a non-empty list of event types");
		return NULL;
	}
	json_t *out = json_array();
	size_t i;
	const json_t *t; /* borrowed */
	json_array_foreach(v, i, t)
	{
		const char *s = json_string_value(t);
		if (!webhook_type_known(s)) {
			http_field_error_add(r, arena_printf(r->arena, "events[%zu]", i),
					     "is not an event type");
			json_decref(out);
			return NULL;
		}
		bool seen = false;
		size_t k;
		const json_t *u; /* borrowed */
		json_array_foreach(out, k, u) seen = seen || strcmp(json_string_value(u), s) == 0;
		if (!seen)
			json_array_append_new(out, json_string(s)); /* steals */
	}
	char *text = json_dumps(out, JSON_COMPACT);
	json_decref(out);
	const char *res = arena_strdup(r->arena, text ? text : "[]");
	free(text);
	return res;
}

/* Checks a URL member (field error when refused); the URL in r's arena or NULL. */
static const char *url_field(http_req *r, const json_t *body, bool required)
{
	const char *url = booking_body_str(r, body, "url", "url", WEBHOOK_URL_MAX, required);
	char err[300];
	if (url && !webhook_url_check(url, err, sizeof(err))) {
		http_field_error_add(r, "url", "%s", err);
		return NULL;
	}
	return url;
}

static void answer_endpoint(http_req *r, db_conn *c, const business *b, const char *id,
			    int code, const char *secret)
{
	webhook_endpoint e;
	status st = webhook_endpoint_get(c, b->id, id, r->arena, &e);
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	json_t *o = endpoint_json(&e, tz_get(b->timezone), r->now);
	if (secret) /* shown this once: it is stored sealed and never answered again */
		json_object_set_new(o, "secret", json_string(secret));
	http_json_take(r, code, o);
}

void webhooks_list(http_req *r)
{
	business b;
	db_conn *c = auth_open(r, &b);
	if (!c)
		return;
	webhook_endpoint *all;
	int n;
	status st = webhook_endpoint_list(c, b.id, r->arena, &all, &n);
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	const tz *z = tz_get(b.timezone);
	json_t *arr = json_array(), *types = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, endpoint_json(&all[i], z, r->now)); /* steals */
	for (int i = 0; WEBHOOK_EVENT_TYPES[i]; i++)
		json_array_append_new(types, json_string(WEBHOOK_EVENT_TYPES[i]));
	http_json_take(r, 200, json_pack("{s:o, s:o, s:b}", "endpoints", arr, "event_types", types,
					 "private_addresses_allowed",
					 webhook_send_private_allowed()));
}

void webhooks_create(http_req *r)
{
	json_t *body = http_body_json(r);
	if (!body)
		return;
	booking_body_known(r, body, "", ENDPOINT_KEYS);
	const char *url = url_field(r, body, true);
	const char *description = booking_body_str(r, body, "description", "description", 200, false);
	const char *events = events_field(r, body, true);
	if (json_object_get(body, "enabled"))
		http_field_error_add(r, "enabled", "a new endpoint is enabled; disable it later");
	json_decref(body);
	if (r->nerrors) {
		http_problem(r, STATUS_INVALID, "invalid webhook endpoint");
		return;
	}
	business b;
	db_conn *c = auth_open(r, &b);
	if (!c)
		return;
	const char *secret = new_secret(r->arena);
	const char *box = seal(r, secret);
	if (!box)
		return;
	webhook_endpoint e = {.id = ids_sortable(r->arena, "whk"), .url = url,
			      .description = description ? description : "", .events = events,
			      .secret_box = box, .created_at = r->now};
	status st = webhook_endpoint_insert(c, b.id, &e);
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	auth_audit_note(r, arena_printf(r->arena, "webhook %s to %s", e.id, url));
	answer_endpoint(r, c, &b, e.id, 201, secret);
}

void webhooks_get(http_req *r)
{
	business b;
	db_conn *c = auth_open(r, &b);
	if (c)
		answer_endpoint(r, c, &b, http_param(r, "webhook"), 200, NULL);
}

void webhooks_patch(http_req *r)
{
	json_t *body = http_body_json(r);
	if (!body)
		return;
	booking_body_known(r, body, "", ENDPOINT_KEYS);
	const char *url = json_object_get(body, "url") ? url_field(r, body, true) : NULL;
	const char *description = booking_body_str(r, body, "description", "description", 200, false);
	const char *events = events_field(r, body, false);
	const json_t *en = json_object_get(body, "enabled"); /* borrowed */
	if (en && !json_is_boolean(en))
		http_field_error_add(r, "enabled", "must be true or false");
	int enabled = en ? (json_is_true(en) ? 1 : 0) : -1;
	json_decref(body);
	if (r->nerrors) {
		http_problem(r, STATUS_INVALID, "invalid webhook endpoint");
		return;
	}
	business b;
	db_conn *c = auth_open(r, &b);
	if (!c)
		return;
	const char *id = http_param(r, "webhook");
	status st = webhook_endpoint_update(c, b.id, id, url, description, events, enabled, r->now);
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	if (enabled == 1)
		webhook_worker_kick(); /* what waited for it goes now */
	answer_endpoint(r, c, &b, id, 200, NULL);
}

void webhooks_delete(http_req *r)
{
	business b;
	db_conn *c = auth_open(r, &b);
	if (!c)
		return;
	status st = webhook_endpoint_delete(c, b.id, http_param(r, "webhook"));
	if (st != STATUS_OK)
		api_store_error(r, c, st);
	else
		http_text(r, 204, "text/plain", "", 0);
}

void webhooks_rotate(http_req *r)
{
	json_t *body = http_body_json(r);
	if (!body)
		return;
	booking_body_known(r, body, "", ROTATE_KEYS);
	const json_t *v = json_object_get(body, "overlap_s"); /* borrowed */
	int64_t overlap = WEBHOOK_OVERLAP_DEFAULT_S;
	if (v && (!json_is_integer(v) || json_integer_value(v) < 0 ||
		  json_integer_value(v) > WEBHOOK_OVERLAP_MAX_S))
		http_field_error_add(r, "overlap_s", "must be a whole number from 0 to %d",
				     WEBHOOK_OVERLAP_MAX_S);
	else if (v)
		overlap = json_integer_value(v);
	json_decref(body);
	if (r->nerrors) {
		http_problem(r, STATUS_INVALID, "invalid rotation");
		return;
	}
	business b;
	db_conn *c = auth_open(r, &b);
	if (!c)
		return;
	const char *secret = new_secret(r->arena);
	const char *box = seal(r, secret);
	if (!box)
		return;
	const char *id = http_param(r, "webhook");
	status st = webhook_endpoint_rotate(c, b.id, id, box, overlap > 0 ? r->now + overlap : 0,
					    r->now);
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	auth_audit_note(r, arena_printf(r->arena, "webhook %s secret rotated", id));
	answer_endpoint(r, c, &b, id, 200, secret);
}

void webhooks_test(http_req *r)
{
	business b;
	db_conn *c = auth_open(r, &b);
	if (!c)
		return;
	const char *delivery = NULL;
	status st = webhook_test_send(c, b.id, http_param(r, "webhook"), b.slug, r->now, r->arena,
				      &delivery);
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	webhook_worker_kick();
	http_json_take(r, 202, json_pack("{s:s}", "delivery_id", delivery));
}

static json_t *delivery_json(const webhook_delivery *d, const tz *z)
{
	json_t *log = json_array();
	for (int i = 0; i < d->nlog; i++) {
		const webhook_attempt *t = &d->log[i];
		json_array_append_new(log, json_pack("{s:o, s:I, s:i, s:s, s:o}", "at",
						     access_instant(z, t->at), "code",
						     (json_int_t)t->code, "latency_ms", t->latency_ms,
						     "response", t->response, "error",
						     *t->error ? json_string(t->error) : json_null()));
	}
	json_t *body = json_loads(d->body, 0, NULL);
	return json_pack("{s:s, s:s, s:s, s:s, s:i, s:o, s:I, s:o, s:o, s:o, s:o, s:o}", "id", d->id,
			 "event_id", d->event_id, "type", d->type, "status", d->status, "attempts",
			 d->attempts, "next_attempt_at",
			 strcmp(d->status, "pending") == 0 ? access_instant(z, d->next_attempt_at)
							   : json_null(),
			 "last_code", (json_int_t)d->last_code, "last_error",
			 *d->last_error ? json_string(d->last_error) : json_null(), "replay_of",
			 d->replay_of ? json_string(d->replay_of) : json_null(), "created_at",
			 access_instant(z, d->created_at), "body", body ? body : json_null(),
			 "log", log);
}

void webhooks_deliveries(http_req *r)
{
	business b;
	db_conn *c = auth_open(r, &b);
	if (!c)
		return;
	int limit = WEBHOOK_LOG_DEFAULT;
	const char *q = http_query(r, "limit");
	if (q) {
		char *end;
		long v = strtol(q, &end, 10);
		if (!*q || *end || v < 1 || v > WEBHOOK_LOG_MAX) {
			http_field_error_add(r, "limit", "must be 1..%d", WEBHOOK_LOG_MAX);
			http_problem(r, STATUS_INVALID, "invalid query");
			return;
		}
		limit = (int)v;
	}
	const char *id = http_param(r, "webhook");
	webhook_endpoint e;
	status st = webhook_endpoint_get(c, b.id, id, r->arena, &e);
	webhook_delivery *all = NULL;
	int n = 0;
	if (st == STATUS_OK)
		st = webhook_deliveries(c, b.id, id, limit, r->arena, &all, &n);
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	const tz *z = tz_get(b.timezone);
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, delivery_json(&all[i], z)); /* steals */
	http_json_take(r, 200, json_pack("{s:o}", "deliveries", arr));
}

void webhooks_replay(http_req *r)
{
	business b;
	db_conn *c = auth_open(r, &b);
	if (!c)
		return;
	const char *id = NULL;
	status st = webhook_replay(c, b.id, http_param(r, "webhook"), http_param(r, "delivery"),
				  r->now, r->arena, &id);
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	auth_audit_note(r, arena_printf(r->arena, "webhook delivery %s replayed as %s",
					http_param(r, "delivery"), id));
	webhook_worker_kick();
	http_json_take(r, 202, json_pack("{s:s}", "delivery_id", id));
}
