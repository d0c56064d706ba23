/* webhook_event.c - which change sends which webhook event, and the event's object
 * (store/webhook_event.h). */
#include "store/webhook_event.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "core/tz.h"
#include "store/booking.h"
#include "store/webhook.h"

/* Whether the business has an enabled endpoint: the cheap test before any object is read. */
static bool any_endpoint(db_conn *c, const char *bid)
{
	int64_t n = 0;
	status st = db_query_int(c,
				 "SELECT COUNT(*) FROM webhook_endpoints WHERE business_id = $1 AND "
				 "enabled = 1",
				 DB_PARAMS(DB_S(bid)), &n);
	return st == STATUS_OK && n > 0;
}

/* An instant as RFC 3339 in UTC (a new reference), or null for 0. */
static json_t *instant(int64_t t)
{
	char s[TZ_RFC3339_SIZE];
	const tz *utc = tz_get("UTC");
	if (t <= 0 || !utc || !tz_format_rfc3339(utc, t, s))
		return json_null();
	return json_string(s);
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* The booking as webhooks show it: a new reference. */
static json_t *booking_object(const booking *bk)
{
	json_t *o = json_object();
	/* json_object_set_new steals each value. */
	json_object_set_new(o, "id", json_string(bk->id));
	json_object_set_new(o, "reference", json_string(bk->reference));
	json_object_set_new(o, "status", json_string(booking_status_name(bk->status)));
	json_object_set_new(o, "service_id", json_string(bk->service_id));
	json_object_set_new(o, "provider_id", str_or_null(bk->provider_id));
	json_object_set_new(o, "resource_id", str_or_null(bk->resource_id));
	json_object_set_new(o, "session_id", str_or_null(bk->session_id));
	json_object_set_new(o, "start", instant(bk->start_at));
	json_object_set_new(o, "end", instant(bk->end_at));
	json_object_set_new(o, "seats", json_integer(bk->seats));
	json_object_set_new(o, "source", str_or_null(bk->source));
	json_object_set_new(o, "price", json_pack("{s:I, s:s}", "amount_minor",
						  (json_int_t)bk->price_minor, "currency",
						  bk->currency ? bk->currency : ""));
	json_object_set_new(o, "customer",
			    json_pack("{s:o, s:s, s:s, s:s}", "id", str_or_null(bk->customer_id),
				      "name", bk->customer_name ? bk->customer_name : "", "email",
				      bk->customer_email ? bk->customer_email : "", "phone",
				      bk->customer_phone ? bk->customer_phone : ""));
	json_object_set_new(o, "created_at", instant(bk->created_at));
	json_object_set_new(o, "updated_at", instant(bk->updated_at));
	return o;
}

/* Emits type with {"object": object_take} (stolen) about order_key. */
static status emit(db_conn *c, const char *bid, const char *type, const char *order_key,
		   json_t *object_take, int64_t now, arena *a)
{
	json_t *d = json_pack("{s:o}", "object", object_take);
	char *text = json_dumps(d, JSON_COMPACT);
	json_decref(d);
	if (!text)
		return STATUS_INTERNAL;
	status st = webhook_emit(c, bid, type, order_key, text, now, a, NULL);
	free(text);
	return st;
}

static bool is(const char *s, const char *want)
{
	return s && strcmp(s, want) == 0;
}

/* The event type of a history entry, or NULL for none. */
static const char *booking_type(const char *kind, const char *from, const char *to)
{
	if (is(kind, "rescheduled"))
		return "booking.rescheduled";
	if ((is(to, "pending") || is(to, "confirmed")) && (!from || is(from, "held")))
		return "booking.created";
	if (is(from, "pending") && is(to, "confirmed"))
		return "booking.confirmed";
	if ((is(to, "cancelled") && !is(from, "held")) || (is(to, "expired") && is(from, "pending")))
		return "booking.cancelled";
	if (is(to, "no_show"))
		return "booking.no_show";
	if (is(to, "completed"))
		return "booking.completed";
	return NULL;
}

status webhook_event_booking(db_conn *c, const char *business_id, const char *booking_id,
			     const char *kind, const char *from, const char *to, int64_t now)
{
	const char *type = booking_type(kind, from, to);
	if (!type || !any_endpoint(c, business_id))
		return STATUS_OK;
	arena *a = arena_take();
	booking bk;
	status st = store_booking_get(c, business_id, booking_id, false, a, &bk);
	if (st == STATUS_OK)
		st = emit(c, business_id, type, booking_id, booking_object(&bk), now, a);
	arena_give(a);
	return st;
}

status webhook_event_customer(db_conn *c, const char *business_id, const char *customer_id,
			      int64_t now)
{
	if (!any_endpoint(c, business_id))
		return STATUS_OK;
	db_rows *r;
	status st = db_query(c,
			     "SELECT id, name, email_norm, phone, created_at FROM customers WHERE "
			     "business_id = $1 AND id = $2",
			     DB_PARAMS(DB_S(business_id), DB_S(customer_id)), &r);
	if (st != STATUS_OK)
		return st;
	json_t *o = NULL;
	if (db_next(r))
		o = json_pack("{s:s, s:s, s:s, s:s, s:o}", "id", db_text(r, 0), "name", db_text(r, 1),
			      "email", db_text(r, 2), "phone", db_text(r, 3), "created_at",
			      instant(db_int(r, 4)));
	st = db_rows_status(r);
	db_rows_free(r);
	if (st != STATUS_OK || !o) {
		json_decref(o);
		return st;
	}
	arena *a = arena_take();
	st = emit(c, business_id, "customer.created", customer_id, o, now, a);
	arena_give(a);
	return st;
}

status webhook_event_payment(db_conn *c, const char *business_id, const char *payment_id,
			     int64_t now)
{
	if (!any_endpoint(c, business_id))
		return STATUS_OK;
	db_rows *r;
	status st = db_query(c,
			     "SELECT id, booking_id, kind, method, status, amount_minor, currency, "
			     "refund_of, created_at FROM payments WHERE business_id = $1 AND id = $2",
			     DB_PARAMS(DB_S(business_id), DB_S(payment_id)), &r);
	if (st != STATUS_OK)
		return st;
	json_t *o = NULL;
	const char *type = NULL;
	arena *a = arena_take();
	const char *key = NULL;
	if (db_next(r)) {
		type = is(db_text(r, 2), "refund") ? "payment.refunded" : "payment.succeeded";
		key = arena_strdup(a, db_text(r, 1));
		o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:I, s:s}, s:o, s:o}", "id", db_text(r, 0),
			      "booking_id", db_text(r, 1), "kind", db_text(r, 2), "method",
			      db_text(r, 3), "status", db_text(r, 4), "amount", "amount_minor",
			      (json_int_t)db_int(r, 5), "currency", db_text(r, 6), "refund_of",
			      db_null(r, 7) ? json_null() : json_string(db_text(r, 7)), "created_at",
			      instant(db_int(r, 8)));
	}
	st = db_rows_status(r);
	db_rows_free(r);
	if (st == STATUS_OK && o)
		st = emit(c, business_id, type, key, o, now, a);
	else
		json_decref(o);
	arena_give(a);
	return st;
}

status webhook_event_waitlist(db_conn *c, const char *business_id, const char *entry_id,
			      const booking *offer, int64_t expires_at, int64_t now)
{
	if (!any_endpoint(c, business_id))
		return STATUS_OK;
	json_t *o = json_pack("{s:s, s:o, s:o}", "id", entry_id, "offer_expires_at",
			      instant(expires_at), "hold", booking_object(offer));
	arena *a = arena_take();
	status st = emit(c, business_id, "waitlist.offered", offer->id, o, now, a);
	arena_give(a);
	return st;
}
