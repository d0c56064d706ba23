/* webhook.c - webhook endpoints, events, deliveries and their log (store/webhook.h). */
#include "store/webhook.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "base/ids.h"
#include "core/tz.h"
#include "store/outbox.h"
#include "store/user.h"

const char *const WEBHOOK_EVENT_TYPES[] = {
	"booking.created",   "booking.confirmed", "booking.rescheduled", "booking.cancelled",
	"booking.no_show",   "booking.completed", "customer.created",    "payment.succeeded",
	"payment.refunded",  "waitlist.offered",  NULL,
};

bool webhook_type_known(const char *type)
{
	for (int i = 0; type && WEBHOOK_EVENT_TYPES[i]; i++)
		if (strcmp(WEBHOOK_EVENT_TYPES[i], type) == 0)
			return true;
	return false;
}

bool webhook_takes(const char *events, const char *type)
{
	json_t *arr = json_loads(events ? events : "", 0, NULL); /* new reference */
	bool yes = false;
	size_t i;
	json_t *v; /* borrowed */
	json_array_foreach(arr, i, v)
	{
		if (json_is_string(v) && strcmp(json_string_value(v), type) == 0)
			yes = true;
	}
	json_decref(arr);
	return yes;
}

#define ENDPOINT_COLUMNS                                                                      \
	"id, url, description, events, secret_box, previous_box, previous_until, enabled, "   \
	"disabled_reason, failures, failing_since, last_success_at, created_at, updated_at"

static const char *opt(const db_rows *r, int col, arena *a)
{
	return db_null(r, col) ? NULL : arena_strdup(a, db_text(r, col));
}

static void endpoint_read(const db_rows *r, arena *a, webhook_endpoint *e)
{
	e->id = arena_strdup(a, db_text(r, 0));
	e->url = arena_strdup(a, db_text(r, 1));
	e->description = arena_strdup(a, db_text(r, 2));
	e->events = arena_strdup(a, db_text(r, 3));
	e->secret_box = arena_strdup(a, db_text(r, 4));
	e->previous_box = opt(r, 5, a);
	e->previous_until = db_int(r, 6);
	e->enabled = db_int(r, 7) != 0;
	e->disabled_reason = arena_strdup(a, db_text(r, 8));
	e->failures = (int)db_int(r, 9);
	e->failing_since = db_int(r, 10);
	e->last_success_at = db_int(r, 11);
	e->created_at = db_int(r, 12);
	e->updated_at = db_int(r, 13);
}

status webhook_endpoint_insert(db_conn *c, const char *business_id, const webhook_endpoint *e)
{
	return db_exec(c,
		       "INSERT INTO webhook_endpoints (business_id, id, url, description, events, "
		       "secret_box, enabled, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, "
		       "1, $7, $7)",
		       DB_PARAMS(DB_S(business_id), DB_S(e->id), DB_S(e->url), DB_S(e->description),
				 DB_S(e->events), DB_S(e->secret_box), DB_I(e->created_at)),
		       NULL);
}

static status endpoints_read(db_conn *c, const char *sql, const db_val *p, int np, arena *a,
			     webhook_endpoint **out, int *n)
{
	db_rows *r;
	*n = 0;
	status st = db_query(c, sql, p, np, &r);
	if (st != STATUS_OK)
		return st;
	int cap = 8;
	*out = arena_alloc(a, sizeof(**out) * (size_t)cap);
	while (db_next(r)) {
		if (*n == cap) {
			webhook_endpoint *bigger = arena_alloc(a, sizeof(**out) * (size_t)cap * 2);
			memcpy(bigger, *out, sizeof(**out) * (size_t)cap);
			*out = bigger;
			cap *= 2;
		}
		endpoint_read(r, a, &(*out)[(*n)++]);
	}
	st = db_rows_status(r);
	db_rows_free(r);
	return st;
}

status webhook_endpoint_list(db_conn *c, const char *business_id, arena *a,
			     webhook_endpoint **out, int *n)
{
	return endpoints_read(c,
			      "SELECT " ENDPOINT_COLUMNS " FROM webhook_endpoints WHERE "
			      "business_id = $1 ORDER BY created_at, id",
			      DB_PARAMS(DB_S(business_id)), a, out, n);
}

status webhook_endpoint_get(db_conn *c, const char *business_id, const char *id, arena *a,
			    webhook_endpoint *out)
{
	webhook_endpoint *rows;
	int n;
	status st = endpoints_read(c,
				   "SELECT " ENDPOINT_COLUMNS " FROM webhook_endpoints WHERE "
				   "business_id = $1 AND id = $2",
				   DB_PARAMS(DB_S(business_id), DB_S(id)), a, &rows, &n);
	if (st == STATUS_OK && n != 1)
		st = STATUS_NOT_FOUND;
	if (st == STATUS_OK)
		*out = rows[0];
	return st;
}

status webhook_endpoint_update(db_conn *c, const char *business_id, const char *id,
			       const char *url, const char *description, const char *events,
			       int enabled, int64_t now)
{
	int64_t n = 0;
	status st = db_exec(
	    c,
	    "UPDATE webhook_endpoints SET url = COALESCE($3, url), description = COALESCE($4, "
	    "description), events = COALESCE($5, events), enabled = CASE WHEN $6 < 0 THEN enabled "
	    "ELSE $6 END, disabled_reason = CASE WHEN $6 < 0 THEN disabled_reason ELSE '' END, "
	    "failures = CASE WHEN $6 = 1 THEN 0 ELSE failures END, failing_since = CASE WHEN $6 = "
	    "1 THEN NULL ELSE failing_since END, updated_at = $7 WHERE business_id = $1 AND id = $2",
	    DB_PARAMS(DB_S(business_id), DB_S(id), DB_S(url), DB_S(description), DB_S(events),
		      DB_I(enabled), DB_I(now)),
	    &n);
	return st == STATUS_OK && n == 0 ? STATUS_NOT_FOUND : st;
}

status webhook_endpoint_rotate(db_conn *c, const char *business_id, const char *id,
			       const char *new_box, int64_t previous_until, int64_t now)
{
	int64_t n = 0;
	status st = db_exec(c,
			    "UPDATE webhook_endpoints SET previous_box = secret_box, previous_until "
			    "= $4, secret_box = $3, updated_at = $5 WHERE business_id = $1 AND id = $2",
			    DB_PARAMS(DB_S(business_id), DB_S(id), DB_S(new_box), DB_I(previous_until),
				      DB_I(now)),
			    &n);
	return st == STATUS_OK && n == 0 ? STATUS_NOT_FOUND : st;
}

status webhook_endpoint_delete(db_conn *c, const char *business_id, const char *id)
{
	int64_t n = 0;
	status st = db_begin_write(c);
	if (st == STATUS_OK)
		st = db_exec(c, "DELETE FROM webhook_attempts WHERE business_id = $1 AND endpoint_id = $2",
			     DB_PARAMS(DB_S(business_id), DB_S(id)), NULL);
	if (st == STATUS_OK)
		st = db_exec(c,
			     "DELETE FROM webhook_deliveries WHERE business_id = $1 AND endpoint_id = $2",
			     DB_PARAMS(DB_S(business_id), DB_S(id)), NULL);
	if (st == STATUS_OK)
		st = db_exec(c, "DELETE FROM webhook_endpoints WHERE business_id = $1 AND id = $2",
			     DB_PARAMS(DB_S(business_id), DB_S(id)), &n);
	if (st == STATUS_OK && n == 0)
		st = STATUS_NOT_FOUND;
	if (st == STATUS_OK)
		st = db_commit(c);
	if (st != STATUS_OK)
		db_rollback(c);
	return st;
}

/* A delivery of event to endpoint, due at now, after every earlier one of order_key. */
static status delivery_add(db_conn *c, const char *bid, const char *endpoint_id,
			   const char *event_id, const char *order_key, const char *replay_of,
			   int64_t now, arena *a, const char **id_out)
{
	const char *id = ids_sortable(a, "whd");
	int64_t seq = 0;
	status st = db_query_int(c,
				 "SELECT COALESCE(MAX(seq), 0) FROM webhook_deliveries WHERE "
				 "business_id = $1 AND endpoint_id = $2 AND order_key = $3",
				 DB_PARAMS(DB_S(bid), DB_S(endpoint_id), DB_S(order_key)), &seq);
	if (st == STATUS_NOT_FOUND)
		st = STATUS_OK;
	if (st == STATUS_OK)
		st = db_exec(c,
			     "INSERT INTO webhook_deliveries (business_id, id, endpoint_id, event_id, "
			     "order_key, seq, status, next_attempt_at, replay_of, created_at, "
			     "updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8, $7, $7)",
			     DB_PARAMS(DB_S(bid), DB_S(id), DB_S(endpoint_id), DB_S(event_id),
				       DB_S(order_key), DB_I(seq + 1), DB_I(now), DB_S(replay_of)),
			     NULL);
	if (id_out)
		*id_out = id;
	return st;
}

/* The event's body: {"id","type","created_at","business_id","data"}; data_take is stolen. */
static char *event_body(const char *id, const char *type, const char *bid, json_t *data_take,
			int64_t now)
{
	char when[TZ_RFC3339_SIZE] = "";
	const tz *utc = tz_get("UTC");
	if (utc)
		tz_format_rfc3339(utc, now, when);
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:o}", "id", id, "type", type, "created_at",
			      when, "business_id", bid, "data", data_take ? data_take : json_object());
	char *text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return text;
}

static status event_insert(db_conn *c, const char *bid, const char *id, const char *type,
			   const char *order_key, const char *body, int64_t now)
{
	return db_exec(c,
		       "INSERT INTO webhook_events (business_id, id, type, order_key, body, "
		       "created_at) VALUES ($1, $2, $3, $4, $5, $6)",
		       DB_PARAMS(DB_S(bid), DB_S(id), DB_S(type), DB_S(order_key), DB_S(body),
				 DB_I(now)),
		       NULL);
}

status webhook_emit(db_conn *c, const char *business_id, const char *type,
		    const char *order_key, const char *data, int64_t now, arena *a,
		    const char **event_id)
{
	if (event_id)
		*event_id = NULL;
	db_rows *r;
	status st = db_query(c,
			     "SELECT id, events FROM webhook_endpoints WHERE business_id = $1 AND "
			     "enabled = 1 ORDER BY id",
			     DB_PARAMS(DB_S(business_id)), &r);
	if (st != STATUS_OK)
		return st;
	const char *ids[64];
	int n = 0;
	while (db_next(r) && n < 64)
		if (webhook_takes(db_text(r, 1), type))
			ids[n++] = arena_strdup(a, db_text(r, 0));
	st = db_rows_status(r);
	db_rows_free(r);
	if (st != STATUS_OK || n == 0)
		return st;
	const char *id = ids_sortable(a, "whe");
	json_t *d = json_loads(data ? data : "{}", 0, NULL); /* new reference, stolen below */
	char *body = event_body(id, type, business_id, d, now);
	if (!body)
		return STATUS_INTERNAL;
	st = event_insert(c, business_id, id, type, order_key, body, now);
	free(body);
	for (int i = 0; st == STATUS_OK && i < n; i++)
		st = delivery_add(c, business_id, ids[i], id, order_key, NULL, now, a, NULL);
	if (event_id)
		*event_id = id;
	return st;
}

status webhook_test_send(db_conn *c, const char *business_id, const char *id, const char *slug,
			 int64_t now, arena *a, const char **delivery_id)
{
	webhook_endpoint e;
	status st = webhook_endpoint_get(c, business_id, id, a, &e);
	if (st != STATUS_OK)
		return st;
	const char *ev = ids_sortable(a, "whe");
	json_t *d = json_pack("{s:{s:s, s:s, s:s}}", "object", "endpoint", e.id, "business", slug,
			      "message", "a test event sent from the dashboard");
	char *body = event_body(ev, WEBHOOK_TEST_TYPE, business_id, d, now);
	if (!body)
		return STATUS_INTERNAL;
	st = db_begin_write(c);
	if (st == STATUS_OK)
		st = event_insert(c, business_id, ev, WEBHOOK_TEST_TYPE, ev, body, now);
	free(body);
	if (st == STATUS_OK)
		st = delivery_add(c, business_id, id, ev, ev, NULL, now, a, delivery_id);
	if (st == STATUS_OK)
		st = db_commit(c);
	if (st != STATUS_OK)
		db_rollback(c);
	return st;
}

status webhook_replay(db_conn *c, const char *business_id, const char *endpoint_id,
		      const char *delivery_id, int64_t now, arena *a, const char **new_id)
{
	status st = db_begin_write(c);
	db_rows *r = NULL;
	const char *event = NULL, *key = NULL;
	if (st == STATUS_OK)
		st = db_query(c,
			      "SELECT event_id, order_key FROM webhook_deliveries WHERE business_id "
			      "= $1 AND endpoint_id = $2 AND id = $3",
			      DB_PARAMS(DB_S(business_id), DB_S(endpoint_id), DB_S(delivery_id)), &r);
	if (st == STATUS_OK) {
		if (db_next(r)) {
			event = arena_strdup(a, db_text(r, 0));
			key = arena_strdup(a, db_text(r, 1));
		}
		st = db_rows_status(r);
		db_rows_free(r);
		if (st == STATUS_OK && !event)
			st = STATUS_NOT_FOUND;
	}
	if (st == STATUS_OK)
		st = delivery_add(c, business_id, endpoint_id, event, key, delivery_id, now, a, new_id);
	if (st == STATUS_OK)
		st = db_commit(c);
	if (st != STATUS_OK)
		db_rollback(c);
	return st;
}

status webhook_claim(db_conn *c, int64_t now, int lease_s, int max, arena *a, webhook_job **out,
		     int *n)
{
	/* A delivery waits while an earlier one (lower seq) of the same object to the same
	 * endpoint is pending, leased or not: per-booking order holds across processes. */
#define CLAIM_PICK                                                                            \
	"SELECT d.business_id, d.id FROM webhook_deliveries d JOIN webhook_endpoints w ON "  \
	"w.business_id = d.business_id AND w.id = d.endpoint_id WHERE d.status = 'pending' " \
	"AND d.next_attempt_at <= $1 AND d.lease_until <= $1 AND w.enabled = 1 AND NOT "     \
	"EXISTS (SELECT 1 FROM webhook_deliveries e WHERE e.business_id = d.business_id AND " \
	"e.endpoint_id = d.endpoint_id AND e.order_key = d.order_key AND e.seq < d.seq AND " \
	"e.status = 'pending') ORDER BY d.next_attempt_at, d.seq LIMIT $3"
	static const char *const CLAIM[2] = {
		"UPDATE webhook_deliveries SET lease_until = $2, attempts = attempts + 1 WHERE "
		"(business_id, id) IN (" CLAIM_PICK ") AND status = 'pending' AND lease_until <= $1 "
		"RETURNING business_id, id",
		"UPDATE webhook_deliveries SET lease_until = $2, attempts = attempts + 1 WHERE "
		"(business_id, id) IN (" CLAIM_PICK " FOR UPDATE OF d SKIP LOCKED) AND status = "
		"'pending' AND lease_until <= $1 RETURNING business_id, id",
	};
#undef CLAIM_PICK
	*n = 0;
	*out = arena_alloc(a, sizeof(**out) * (size_t)(max > 0 ? max : 1));
	const char **bids = arena_alloc(a, sizeof(*bids) * (size_t)max);
	const char **ids = arena_alloc(a, sizeof(*ids) * (size_t)max);
	int k = 0;
	db_rows *r = NULL;
	status st = db_begin_write(c);
	if (st == STATUS_OK)
		st = db_query(c, CLAIM[db_conn_kind(c) == DB_POSTGRES],
			      DB_PARAMS(DB_I(now), DB_I(now + lease_s), DB_I(max)), &r);
	if (st == STATUS_OK) {
		while (db_next(r) && k < max) {
			bids[k] = arena_strdup(a, db_text(r, 0));
			ids[k++] = arena_strdup(a, db_text(r, 1));
		}
		st = db_rows_status(r);
		db_rows_free(r);
	}
	if (st == STATUS_OK)
		st = db_commit(c);
	if (st != STATUS_OK) {
		db_rollback(c);
		return st;
	}
	for (int i = 0; i < k && st == STATUS_OK; i++) {
		st = db_query(c,
			      "SELECT d.endpoint_id, d.event_id, w.url, w.secret_box, CASE WHEN "
			      "w.previous_until > $3 THEN w.previous_box ELSE NULL END, v.body, "
			      "d.attempts FROM webhook_deliveries d JOIN webhook_endpoints w ON "
			      "w.business_id = d.business_id AND w.id = d.endpoint_id JOIN "
			      "webhook_events v ON v.business_id = d.business_id AND v.id = d.event_id "
			      "WHERE d.business_id = $1 AND d.id = $2",
			      DB_PARAMS(DB_S(bids[i]), DB_S(ids[i]), DB_I(now)), &r);
		if (st != STATUS_OK)
			break;
		if (db_next(r)) {
			webhook_job *j = &(*out)[(*n)++];
			j->business_id = bids[i];
			j->id = ids[i];
			j->endpoint_id = arena_strdup(a, db_text(r, 0));
			j->event_id = arena_strdup(a, db_text(r, 1));
			j->url = arena_strdup(a, db_text(r, 2));
			j->secret_box = arena_strdup(a, db_text(r, 3));
			j->previous_box = opt(r, 4, a);
			j->body = arena_strdup(a, db_text(r, 5));
			j->attempts = (int)db_int(r, 6);
		}
		st = db_rows_status(r);
		db_rows_free(r);
	}
	return st;
}

/* Disables the endpoint and queues the email of it to every owner of the business. */
static status endpoint_disable(db_conn *c, const webhook_job *j, const webhook_outcome *o,
			       int64_t since, int64_t now, arena *a)
{
	const char *why = arena_printf(a, "disabled after %d failed attempts in a row",
				       WEBHOOK_DISABLE_FAILURES);
	status st = db_exec(c,
			    "UPDATE webhook_endpoints SET enabled = 0, disabled_reason = $3, "
			    "updated_at = $4 WHERE business_id = $1 AND id = $2",
			    DB_PARAMS(DB_S(j->business_id), DB_S(j->endpoint_id), DB_S(why), DB_I(now)),
			    NULL);
	json_t *p = json_pack("{s:s, s:s, s:s, s:I}", "name", j->url, "webhook", j->endpoint_id,
			      "error", o->error, "since", (json_int_t)since); /* new reference */
	char *payload = json_dumps(p, JSON_COMPACT);
	json_decref(p);
	staff_user *all = NULL;
	int n = 0;
	if (st == STATUS_OK && !payload)
		st = STATUS_INTERNAL;
	if (st == STATUS_OK)
		st = store_user_list(c, j->business_id, a, &all, &n);
	for (int i = 0; st == STATUS_OK && i < n; i++)
		if (strcmp(all[i].role, "owner") == 0)
			st = outbox_staff(c, j->business_id, "webhook_disabled", all[i].email, payload,
					  now, a);
	free(payload);
	return st;
}

status webhook_record(db_conn *c, const webhook_job *j, const webhook_outcome *o,
		      int64_t retry_at, int64_t now, arena *a, bool *disabled)
{
	*disabled = false;
	const char *state = o->ok ? "succeeded" : retry_at ? "pending" : "failed";
	status st = db_begin_write(c);
	int64_t changed = 0;
	if (st == STATUS_OK)
		st = db_exec(c,
			     "UPDATE webhook_deliveries SET status = $3, next_attempt_at = CASE WHEN "
			     "$4 > 0 THEN $4 ELSE next_attempt_at END, lease_until = 0, last_code = $5, "
			     "last_error = $6, updated_at = $7 WHERE business_id = $1 AND id = $2",
			     DB_PARAMS(DB_S(j->business_id), DB_S(j->id), DB_S(state), DB_I(retry_at),
				       DB_I(o->code), DB_S(o->error), DB_I(now)),
			     &changed);
	if (st == STATUS_OK && changed == 0) { /* the endpoint was deleted meanwhile */
		db_rollback(c);
		return STATUS_OK;
	}
	if (st == STATUS_OK)
		st = db_exec(c,
			     "INSERT INTO webhook_attempts (business_id, id, delivery_id, endpoint_id, "
			     "at, code, latency_ms, response, error) VALUES ($1, $2, $3, $4, $5, $6, "
			     "$7, $8, $9)",
			     DB_PARAMS(DB_S(j->business_id), DB_S(ids_sortable(a, "wha")), DB_S(j->id),
				       DB_S(j->endpoint_id), DB_I(now), DB_I(o->code),
				       DB_I(o->latency_ms), DB_S(o->response), DB_S(o->error)),
			     NULL);
	if (st == STATUS_OK && o->ok)
		st = db_exec(c,
			     "UPDATE webhook_endpoints SET failures = 0, failing_since = NULL, "
			     "last_success_at = $3 WHERE business_id = $1 AND id = $2",
			     DB_PARAMS(DB_S(j->business_id), DB_S(j->endpoint_id), DB_I(now)), NULL);
	db_rows *r = NULL;
	if (st == STATUS_OK && !o->ok)
		st = db_query(c,
			      "UPDATE webhook_endpoints SET failures = failures + 1, failing_since = "
			      "COALESCE(failing_since, $3) WHERE business_id = $1 AND id = $2 "
			      "RETURNING failures, failing_since, enabled",
			      DB_PARAMS(DB_S(j->business_id), DB_S(j->endpoint_id), DB_I(now)), &r);
	if (r) {
		int64_t failures = 0, since = now, enabled = 0;
		if (db_next(r)) {
			failures = db_int(r, 0);
			since = db_int(r, 1);
			enabled = db_int(r, 2);
		}
		st = db_rows_status(r);
		db_rows_free(r);
		if (st == STATUS_OK && enabled && failures >= WEBHOOK_DISABLE_FAILURES &&
		    now - since >= WEBHOOK_DISABLE_AFTER_S) {
			st = endpoint_disable(c, j, o, since, now, a);
			*disabled = st == STATUS_OK;
		}
	}
	if (st == STATUS_OK)
		st = db_commit(c);
	if (st != STATUS_OK) {
		db_rollback(c);
		*disabled = false;
	}
	return st;
}

status webhook_deliveries(db_conn *c, const char *business_id, const char *endpoint_id,
			  int limit, arena *a, webhook_delivery **out, int *n)
{
	db_rows *r;
	*n = 0;
	*out = arena_alloc(a, sizeof(**out) * (size_t)(limit > 0 ? limit : 1));
	status st = db_query(c,
			     "SELECT d.id, d.event_id, v.type, d.status, d.attempts, "
			     "d.next_attempt_at, d.last_code, d.last_error, d.replay_of, d.created_at, "
			     "v.body FROM webhook_deliveries d JOIN webhook_events v ON v.business_id "
			     "= d.business_id AND v.id = d.event_id WHERE d.business_id = $1 AND "
			     "d.endpoint_id = $2 ORDER BY d.created_at DESC, d.id DESC LIMIT $3",
			     DB_PARAMS(DB_S(business_id), DB_S(endpoint_id), DB_I(limit)), &r);
	if (st != STATUS_OK)
		return st;
	while (db_next(r) && *n < limit) {
		webhook_delivery *d = &(*out)[(*n)++];
		d->id = arena_strdup(a, db_text(r, 0));
		d->event_id = arena_strdup(a, db_text(r, 1));
		d->type = arena_strdup(a, db_text(r, 2));
		d->status = arena_strdup(a, db_text(r, 3));
		d->attempts = (int)db_int(r, 4);
		d->next_attempt_at = db_int(r, 5);
		d->last_code = (long)db_int(r, 6);
		d->last_error = arena_strdup(a, db_text(r, 7));
		d->replay_of = opt(r, 8, a);
		d->created_at = db_int(r, 9);
		d->body = arena_strdup(a, db_text(r, 10));
		d->log = NULL;
		d->nlog = 0;
	}
	st = db_rows_status(r);
	db_rows_free(r);
	for (int i = 0; st == STATUS_OK && i < *n; i++) {
		webhook_delivery *d = &(*out)[i];
		st = db_query(c,
			      "SELECT at, code, latency_ms, response, error FROM webhook_attempts "
			      "WHERE business_id = $1 AND delivery_id = $2 ORDER BY at, id",
			      DB_PARAMS(DB_S(business_id), DB_S(d->id)), &r);
		if (st != STATUS_OK)
			break;
		int cap = d->attempts > 0 ? d->attempts : 1;
		d->log = arena_alloc(a, sizeof(*d->log) * (size_t)cap);
		while (db_next(r) && d->nlog < cap) {
			webhook_attempt *t = &d->log[d->nlog++];
			t->at = db_int(r, 0);
			t->code = (long)db_int(r, 1);
			t->latency_ms = (int)db_int(r, 2);
			t->response = arena_strdup(a, db_text(r, 3));
			t->error = arena_strdup(a, db_text(r, 4));
		}
		st = db_rows_status(r);
		db_rows_free(r);
	}
	return st;
}

status webhook_purge(db_conn *c, int64_t before)
{
	status st = db_begin_write(c);
	if (st == STATUS_OK)
		st = db_exec(c, "DELETE FROM webhook_attempts WHERE at < $1", DB_PARAMS(DB_I(before)),
			     NULL);
	if (st == STATUS_OK)
		st = db_exec(c,
			     "DELETE FROM webhook_deliveries WHERE status <> 'pending' AND updated_at < $1",
			     DB_PARAMS(DB_I(before)), NULL);
	if (st == STATUS_OK)
		st = db_exec(c,
			     "DELETE FROM webhook_events WHERE created_at < $1 AND NOT EXISTS (SELECT 1 "
			     "FROM webhook_deliveries d WHERE d.business_id = webhook_events.business_id "
			     "AND d.event_id = webhook_events.id)",
			     DB_PARAMS(DB_I(before)), NULL);
	if (st == STATUS_OK)
		st = db_commit(c);
	if (st != STATUS_OK)
		db_rollback(c);
	return st;
}
