/* payments.c - payment routes: the customer's payment step, the providers' webhooks, and
 * staff's settings, history, manual payments, force majeure, revenue and reconciliation.
 * Provider calls are made with the request's database connection given back first. */
#include "api/payments.h"

#include <ctype.h>
#include <string.h>

#include "api/app.h"
#include "api/auth.h"
#include "api/booking_json.h"
#include "api/common.h"
#include "api/csv.h"
#include "api/live.h"
#include "api/staff_bookings.h"
#include "base/ids.h"
#include "base/log.h"
#include "jobs/pay_worker.h"
#include "pay/pay.h"
#include "store/book.h"
#include "store/booking.h"
#include "store/booking_query.h"
#include "store/business.h"
#include "store/catalog.h"
#include "store/payment.h"
#include "store/secrets.h"

#define PAYMENT_LIST_MAX 500
#define PAYMENT_REPORT_MAX 100000
#define PAYMENT_CSV_MAX_BYTES (64u << 20)

static const pay_config *cfg_of(const http_req *r)
{
	const app *ap = r->app;
	return ap->pay;
}

static json_t *instant_or_null(const tz *z, int64_t t)
{
	if (t <= 0)
		return json_null();
	char s[TZ_RFC3339_SIZE];
	tz_format_rfc3339(z, t, s);
	return json_string(s);
}

/* A payments row as JSON (a new reference). */
static json_t *payment_json(const payment_row *p, const tz *z)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:o, s:o}", "id", p->id,
			      "booking", p->booking_reference, "kind", p->kind, "method", p->method,
			      "status", p->status, "amount", api_money(p->amount_minor, p->currency),
			      "reason", p->reason, "actor", p->actor, "created_at",
			      instant_or_null(z, p->created_at), "updated_at",
			      instant_or_null(z, p->updated_at));
	json_object_set_new(o, "provider_ref", p->provider_ref ? json_string(p->provider_ref) : json_null());
	json_object_set_new(o, "refund_of", p->refund_of ? json_string(p->refund_of) : json_null());
	if (strcmp(p->kind, "refund") == 0) {
		json_object_set_new(o, "attempts", json_integer(p->attempts));
		json_object_set_new(o, "last_error", json_string(p->last_error));
	}
	return o;
}

static json_t *methods_json(const pay_config *cfg)
{
	json_t *m = json_array();
	if (pay_method_on(cfg, "stripe"))
		json_array_append_new(m, json_string("stripe"));
	if (pay_element_on(cfg))
		json_array_append_new(m, json_string("stripe_element"));
	if (pay_method_on(cfg, "paypal"))
		json_array_append_new(m, json_string("paypal"));
	return m;
}

/* The payment state of a booking as JSON (a new reference). */
static json_t *state_json(const payment_state *ps, const booking *bk, const tz *z)
{
	const char *cur = ps->currency ? ps->currency : bk->currency;
	json_t *o = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "state", ps->state, "mode",
			      ps->has_terms ? ps->mode : "none", "due", api_money(ps->due_minor, cur),
			      "paid", api_money(ps->paid_minor, cur), "refunded",
			      api_money(ps->refunded_minor, cur), "refund_pending",
			      api_money(ps->refund_pending_minor, cur), "no_show_fee",
			      api_money(ps->no_show_fee_minor, cur));
	json_t *tiers = json_loads(ps->refund_tiers, 0, NULL);
	json_object_set_new(o, "refund_tiers", tiers ? tiers : json_array());
	json_object_set_new(o, "expires_at",
			    bk->status == BOOKING_PENDING && bk->hold_expires_at > 0
				    ? instant_or_null(z, bk->hold_expires_at)
				    : json_null());
	return o;
}

/* The booking named by {reference} when the bearer token is its manage token or ?t= its
 * link token; otherwise 404 (never a hint that the reference exists). */
static bool manage_auth(http_req *r, db_conn *c, business *b, booking *bk)
{
	const char *ref = http_param(r, "reference");
	const char *auth = http_header(r, "Authorization");
	const char *link = http_query(r, "t");
	const char *bid = NULL;
	bool found = ref && store_booking_by_reference(c, ref, r->arena, bk, &bid) == STATUS_OK;
	bool ok = false;
	if (found && auth && strncmp(auth, "Bearer ", 7) == 0 && auth[7] && bk->manage_token_hash)
		ok = ids_equal_ct(ids_secret_hash(r->arena, auth + 7), bk->manage_token_hash);
	else if (found)
		ok = store_link_ok(c, "manage", bk->id, link, r->now, r->arena);
	ok = ok && store_business_by_id(c, bid, r->arena, b) == STATUS_OK;
	if (!ok)
		http_problem(r, STATUS_NOT_FOUND, "no such booking");
	return ok;
}

bool payment_awaiting(http_req *r, db_conn *c, business *b, booking *bk, payment_row *charge)
{
	if (!manage_auth(r, c, b, bk))
		return false;
	status st = STATUS_NOT_FOUND;
	if (bk->status == BOOKING_PENDING && bk->hold_expires_at > r->now)
		st = payment_open_charge(c, b->id, bk->id, r->arena, charge);
	if (st == STATUS_NOT_FOUND)
		http_problem(r, STATUS_CONFLICT, bk->status == BOOKING_EXPIRED
							 ? "the time to pay has run out; the slot was freed"
							 : "the booking is not waiting for payment");
	else if (st != STATUS_OK)
		api_store_error(r, c, st);
	return st == STATUS_OK;
}

static void answer_public_state(http_req *r, db_conn *c, const business *b, const booking *bk)
{
	payment_state ps;
	status st = payment_state_get(c, b->id, bk, r->arena, &ps);
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	const tz *z = tz_get(b->timezone);
	json_t *o = json_pack("{s:s, s:s, s:o, s:o}", "reference", bk->reference, "status",
			      booking_status_name(bk->status), "payment", state_json(&ps, bk, z),
			      "methods", methods_json(cfg_of(r)));
	http_json_take(r, 200, o);
}

void payment_public_get(http_req *r)
{
	db_conn *c = app_db(r);
	business b;
	booking bk;
	if (manage_auth(r, c, &b, &bk))
		answer_public_state(r, c, &b, &bk);
}

static const char *const PAY_KEYS[] = {"method", NULL};

void payment_public_pay(http_req *r)
{
	json_t *body = http_body_json(r);
	if (!body)
		return;
	booking_body_known(r, body, "", PAY_KEYS);
	const char *method = booking_body_str(r, body, "method", "method", 16, true);
	json_decref(body);
	const pay_config *cfg = cfg_of(r);
	if (method && !pay_method_on(cfg, method))
		http_field_error_add(r, "method", "must be one of the methods this server takes");
	if (r->nerrors) {
		http_problem(r, STATUS_INVALID, "invalid payment");
		return;
	}
	db_conn *c = app_db(r);
	business b;
	booking bk;
	payment_row charge;
	if (!payment_awaiting(r, c, &b, &bk, &charge))
		return;
	if (strcmp(charge.method, method) == 0 && charge.checkout_url) {
		http_json_take(r, 200, json_pack("{s:s, s:s}", "method", method, "redirect_url",
						 charge.checkout_url));
		return;
	}
	service svc;
	const char *tok;
	status st = store_service_get(c, b.id, bk.service_id, r->arena, &svc);
	if (st == STATUS_OK)
		st = store_link_token(c, "manage", bk.id, r->now, r->arena, &tok);
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	const app *ap = r->app;
	pay_checkout_req rq = {
		.payment_id = charge.id,
		.reference = bk.reference,
		.description = arena_printf(r->arena, "%s — %s (%s)", b.name, svc.name, bk.reference),
		.amount_minor = charge.amount_minor,
		.currency = charge.currency,
		.success_url = arena_printf(r->arena, "%s/b/%s?t=%s&paid=1", ap->public_url,
					    bk.reference, tok),
		.cancel_url = arena_printf(r->arena, "%s/b/%s?t=%s&paid=0", ap->public_url,
					   bk.reference, tok),
		.idem_key = arena_printf(r->arena, "bookd-%s-%s", charge.id, method),
	};
	app_db_release(r); /* the provider answers without our database */
	pay_checkout out;
	char err[256] = "";
	st = pay_checkout_create(cfg, method, &rq, r->arena, &out, err, sizeof(err));
	if (st != STATUS_OK) {
		log_warn("payments: %s checkout for %s failed: %s", method, bk.reference, err);
		http_problem(r, STATUS_IO, "the payment provider could not be reached; try again");
		return;
	}
	c = app_db(r);
	st = payment_set_checkout(c, b.id, charge.id, method, out.provider_ref, out.url, r->now);
	if (st == STATUS_CONFLICT) {
		http_problem(r, STATUS_CONFLICT, "the booking is no longer waiting for payment");
		return;
	}
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	http_json_take(r, 200, json_pack("{s:s, s:s}", "method", method, "redirect_url", out.url));
}

/* After a provider's payment was applied: open pages and staff hear of it, a refund goes. */
static void applied(http_req *r, db_conn *c, const payment_outcome *o)
{
	if (o->confirmed) {
		live_booking_changed(c, &o->b, o->bk.provider_id, o->bk.resource_id, o->bk.busy_start,
				     o->bk.busy_end, r->arena);
		live_booking_event(c, &o->b, &o->bk, false, NULL, r->arena);
	}
	if (o->refunded)
		pay_worker_kick();
}

/* Applies one provider payment and answers the webhook. */
static void webhook_apply(http_req *r, const char *who, const char *event_id,
			  const char *method, const char *ref, const char *payment, int64_t amount,
			  const char *currency)
{
	db_conn *c = app_db(r);
	payment_outcome o;
	status st = payment_apply(c, who, event_id, method, ref, payment, amount, currency, r->now,
				  r->arena, &o);
	if (st == STATUS_NOT_FOUND) {
		/* Not one of ours (another system shares the account): nothing to do. */
		st = payment_webhook_record(c, who, event_id, r->now);
		http_json_take(r, 200, json_pack("{s:b, s:s}", "received", 1, "ignored",
						 "no such payment"));
		return;
	}
	if (st == STATUS_INVALID || st == STATUS_CONFLICT) {
		log_warn("payments: %s event %s refused: %s", who, event_id,
			 o.why ? o.why : status_name(st));
		http_problem(r, st, "%s", o.why ? o.why : "the payment does not match");
		return;
	}
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	applied(r, c, &o);
	http_json_take(r, 200, json_pack("{s:b, s:b, s:s}", "received", 1, "duplicate",
					 o.duplicate, "status", booking_status_name(o.bk.status)));
}

/* True (answered) when the event was processed before. */
static bool webhook_seen(http_req *r, const char *who, const char *event_id)
{
	db_conn *c = app_db(r);
	bool seen = false;
	status st = payment_webhook_seen(c, who, event_id, r->now, &seen);
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return true;
	}
	if (seen)
		http_json_take(r, 200, json_pack("{s:b, s:b}", "received", 1, "duplicate", 1));
	return seen;
}

void payment_stripe_webhook(http_req *r)
{
	const pay_config *cfg = cfg_of(r);
	status st = pay_stripe_verify(cfg ? cfg->stripe_webhook_secret : NULL,
				      http_header(r, "Stripe-Signature"), r->body ? r->body : "",
				      r->body_len, r->now, cfg ? cfg->webhook_tolerance_s : 300);
	if (st != STATUS_OK) {
		log_warn("payments: a Stripe webhook was refused: %s",
			 st == STATUS_INVALID ? "its timestamp is outside the tolerance"
					      : "no valid signature");
		http_problem_code(r, 400, st,
				  st == STATUS_INVALID ? "the signed timestamp is too old or too new"
						       : "the Stripe-Signature does not verify");
		return;
	}
	json_t *ev = json_loadb(r->body, r->body_len, 0, NULL);
	const char *id = json_string_value(json_object_get(ev, "id"));
	const char *type = json_string_value(json_object_get(ev, "type"));
	if (!id || !type) {
		json_decref(ev);
		http_problem_code(r, 400, STATUS_INVALID, "not a Stripe event");
		return;
	}
	id = arena_strdup(r->arena, id); /* a delivery seen before is found by payment_apply */
	const json_t *obj = json_object_get(json_object_get(ev, "data"), "object"); /* borrowed */
	const char *paid = json_string_value(json_object_get(obj, "payment_status"));
	if ((strcmp(type, "checkout.session.completed") == 0 ||
	     strcmp(type, "checkout.session.async_payment_succeeded") == 0) &&
	    paid && strcmp(paid, "paid") == 0) {
		const char *ref = json_string_value(json_object_get(obj, "id"));
		const char *pi = json_string_value(json_object_get(obj, "payment_intent"));
		const char *cur = json_string_value(json_object_get(obj, "currency"));
		json_t *amt = json_object_get(obj, "amount_total");
		if (!ref || !pi || !cur || strlen(cur) != 3 || !json_is_integer(amt)) {
			json_decref(ev);
			http_problem_code(r, 400, STATUS_INVALID, "the session lacks its payment");
			return;
		}
		char upper[4];
		for (int i = 0; i < 4; i++)
			upper[i] = (char)toupper((unsigned char)cur[i]);
		ref = arena_strdup(r->arena, ref);
		pi = arena_strdup(r->arena, pi);
		int64_t amount = json_integer_value(amt);
		json_decref(ev);
		webhook_apply(r, "stripe", id, "stripe", ref, pi, amount, upper);
		return;
	}
	if (strcmp(type, "payment_intent.succeeded") == 0) {
		/* The Payment Element's intents (a Checkout Session's own is not one of ours). */
		const char *pi = json_string_value(json_object_get(obj, "id"));
		const char *cur = json_string_value(json_object_get(obj, "currency"));
		json_t *amt = json_object_get(obj, "amount_received");
		if (!pi || !cur || strlen(cur) != 3 || !json_is_integer(amt)) {
			json_decref(ev);
			http_problem_code(r, 400, STATUS_INVALID, "the intent lacks its amount");
			return;
		}
		char upper[4];
		for (int i = 0; i < 4; i++)
			upper[i] = (char)toupper((unsigned char)cur[i]);
		pi = arena_strdup(r->arena, pi);
		int64_t amount = json_integer_value(amt);
		json_decref(ev);
		webhook_apply(r, "stripe", id, "stripe", pi, pi, amount, upper);
		return;
	}
	json_decref(ev);
	db_conn *c = app_db(r);
	st = payment_webhook_record(c, "stripe", id, r->now);
	if (st != STATUS_OK)
		api_store_error(r, c, st);
	else
		http_json_take(r, 200, json_pack("{s:b}", "received", 1));
}

void payment_paypal_webhook(http_req *r)
{
	const pay_config *cfg = cfg_of(r);
	pay_paypal_headers h = {
		.transmission_id = http_header(r, "PayPal-Transmission-Id"),
		.transmission_time = http_header(r, "PayPal-Transmission-Time"),
		.transmission_sig = http_header(r, "PayPal-Transmission-Sig"),
		.cert_url = http_header(r, "PayPal-Cert-Url"),
		.auth_algo = http_header(r, "PayPal-Auth-Algo"),
	};
	if (!pay_method_on(cfg, "paypal")) {
		http_problem(r, STATUS_NOT_FOUND, "PayPal is not configured");
		return;
	}
	char err[256] = "";
	status st = pay_paypal_verify(cfg, &h, r->body ? r->body : "", r->body_len, err, sizeof(err));
	if (st != STATUS_OK) {
		log_warn("payments: a PayPal webhook was refused: %s", *err ? err : "not verified");
		http_problem_code(r, st == STATUS_IO ? 503 : 400, st,
				  st == STATUS_IO ? "PayPal could not verify the delivery now"
						  : "the delivery does not verify");
		return;
	}
	json_t *ev = json_loadb(r->body, r->body_len, 0, NULL);
	const char *id = json_string_value(json_object_get(ev, "id"));
	const char *type = json_string_value(json_object_get(ev, "event_type"));
	const json_t *res = json_object_get(ev, "resource"); /* borrowed */
	if (!id || !type) {
		json_decref(ev);
		http_problem_code(r, 400, STATUS_INVALID, "not a PayPal event");
		return;
	}
	id = arena_strdup(r->arena, id);
	type = arena_strdup(r->arena, type);
	if (webhook_seen(r, "paypal", id)) {
		json_decref(ev);
		return;
	}
	const char *order = NULL, *capture = NULL, *cur = NULL;
	int64_t amount = 0;
	if (strcmp(type, "CHECKOUT.ORDER.APPROVED") == 0) {
		order = arena_strdup(r->arena, json_string_value(json_object_get(res, "id")));
		json_decref(ev);
		if (!order) {
			http_problem_code(r, 400, STATUS_INVALID, "the order has no id");
			return;
		}
		/* Approved is not paid: capture it (idempotent per order), then apply. */
		app_db_release(r);
		st = pay_paypal_capture(cfg, order, arena_printf(r->arena, "bookd-capture-%s", order),
					r->arena, &capture, &amount, &cur, err, sizeof(err));
		if (st != STATUS_OK) {
			log_warn("payments: capture of PayPal order %s failed: %s", order, err);
			http_problem(r, STATUS_IO, "the order could not be captured now");
			return;
		}
		webhook_apply(r, "paypal", id, "paypal", order, capture, amount, cur);
		return;
	}
	if (strcmp(type, "PAYMENT.CAPTURE.COMPLETED") == 0) {
		const json_t *amt = json_object_get(res, "amount");
		capture = json_string_value(json_object_get(res, "id"));
		order = json_string_value(json_object_get(
			json_object_get(json_object_get(res, "supplementary_data"), "related_ids"),
			"order_id"));
		cur = json_string_value(json_object_get(amt, "currency_code"));
		const char *val = json_string_value(json_object_get(amt, "value"));
		if (!capture || !order || !cur || !money_parse_decimal(val, cur, &amount)) {
			json_decref(ev);
			http_problem_code(r, 400, STATUS_INVALID, "the capture lacks its order or amount");
			return;
		}
		capture = arena_strdup(r->arena, capture);
		order = arena_strdup(r->arena, order);
		cur = arena_strdup(r->arena, cur);
		json_decref(ev);
		webhook_apply(r, "paypal", id, "paypal", order, capture, amount, cur);
		return;
	}
	json_decref(ev);
	db_conn *c = app_db(r);
	st = payment_webhook_record(c, "paypal", id, r->now);
	if (st != STATUS_OK)
		api_store_error(r, c, st);
	else
		http_json_take(r, 200, json_pack("{s:b}", "received", 1));
}

/* ---- staff ---- */

static json_t *settings_json(const money_terms *t, const business *b, const pay_config *cfg)
{
	return json_pack("{s:s, s:I, s:i, s:I, s:s, s:o}", "mode", money_mode_name(t->mode),
			 "deposit_minor", (json_int_t)t->deposit_minor, "deposit_percent",
			 t->deposit_percent, "no_show_fee_minor", (json_int_t)t->no_show_fee_minor,
			 "currency", b->currency, "methods", methods_json(cfg));
}

static bool service_of(http_req *r, db_conn *c, business *b, service *svc)
{
	if (!auth_business(r, c, b))
		return false;
	const char *sid = http_param(r, "service");
	status st = store_service_get(c, b->id, sid ? sid : "", r->arena, svc);
	if (st == STATUS_NOT_FOUND)
		http_problem(r, st, "no such service");
	else if (st != STATUS_OK)
		api_store_error(r, c, st);
	return st == STATUS_OK;
}

void payment_service_settings_get(http_req *r)
{
	db_conn *c = app_db(r);
	business b;
	service svc;
	money_terms t;
	if (!service_of(r, c, &b, &svc))
		return;
	status st = payment_service_get(c, b.id, svc.id, &t);
	if (st != STATUS_OK)
		api_store_error(r, c, st);
	else
		http_json_take(r, 200, settings_json(&t, &b, cfg_of(r)));
}

/* Reads an integer field in lo..hi (absent: 0). */
static int64_t int_field(http_req *r, const json_t *body, const char *key, int64_t lo, int64_t hi)
{
	const json_t *v = json_object_get(body, key); /* borrowed */
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi) {
		http_field_error_add(r, key, "must be a whole number from %lld to %lld", (long long)lo,
				     (long long)hi);
		return 0;
	}
	return json_integer_value(v);
}

static const char *const SETTINGS_KEYS[] = {"mode", "deposit_minor", "deposit_percent",
					    "no_show_fee_minor", "currency", "methods", NULL};

void payment_service_settings_put(http_req *r)
{
	json_t *body = http_body_json(r);
	if (!body)
		return;
	money_terms t = {0};
	booking_body_known(r, body, "", SETTINGS_KEYS);
	const char *mode = booking_body_str(r, body, "mode", "mode", 16, true);
	if (mode && !money_mode_parse(mode, &t.mode))
		http_field_error_add(r, "mode", "must be none, deposit or full");
	t.deposit_minor = int_field(r, body, "deposit_minor", 0, 1000000000000LL);
	t.deposit_percent = (int)int_field(r, body, "deposit_percent", 0, 100);
	t.no_show_fee_minor = int_field(r, body, "no_show_fee_minor", 0, 1000000000000LL);
	json_decref(body);
	if (!r->nerrors && t.mode == MONEY_DEPOSIT && t.deposit_minor == 0 && t.deposit_percent == 0)
		http_field_error_add(r, "deposit_minor",
				     "a deposit needs deposit_minor or deposit_percent above 0");
	if (!r->nerrors && t.deposit_minor > 0 && t.deposit_percent > 0)
		http_field_error_add(r, "deposit_percent",
				     "give either deposit_minor or deposit_percent, not both");
	if (r->nerrors) {
		http_problem(r, STATUS_INVALID, "invalid payment settings");
		return;
	}
	db_conn *c = app_db(r);
	business b;
	service svc;
	if (!service_of(r, c, &b, &svc))
		return;
	status st = payment_service_put(c, b.id, svc.id, &t, r->now);
	if (st != STATUS_OK)
		api_store_error(r, c, st);
	else
		http_json_take(r, 200, settings_json(&t, &b, cfg_of(r)));
}

/* The booking named by {booking} as the caller may see it; 404 otherwise. */
static bool visible(http_req *r, db_conn *c, business *b, booking_row *row)
{
	if (!auth_business(r, c, b))
		return false;
	const char *id = http_param(r, "booking");
	status st = store_booking_row(c, b->id, id ? id : "", staff_visible_to(r), r->arena, row);
	if (st == STATUS_NOT_FOUND)
		http_problem(r, st, "no such booking");
	else if (st != STATUS_OK)
		api_store_error(r, c, st);
	return st == STATUS_OK;
}

static json_t *rows_json(const payment_row *rows, int n, const tz *z)
{
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, payment_json(&rows[i], z));
	return arr;
}

/* The booking's payments, state and what each way of cancelling would refund now. */
static void answer_booking_payments(http_req *r, db_conn *c, const business *b,
				    const booking *bk, int code, json_t *extra_take)
{
	payment_row *rows;
	int n;
	payment_state ps;
	service svc;
	int64_t refund[3] = {0};
	int percent = 0;
	status st = payment_list_booking(c, b->id, bk->id, r->arena, &rows, &n);
	if (st == STATUS_OK)
		st = payment_state_get(c, b->id, bk, r->arena, &ps);
	if (st == STATUS_OK)
		st = store_service_get(c, b->id, bk->service_id, r->arena, &svc);
	for (int k = 0; st == STATUS_OK && k < 3; k++)
		st = payment_refund_preview(c, b, bk, &svc, (payment_refund_rule)k, r->now, r->arena,
					    &refund[k], k == 0 ? &percent : NULL);
	if (st != STATUS_OK) {
		json_decref(extra_take);
		api_store_error(r, c, st);
		return;
	}
	const tz *z = tz_get(b->timezone);
	json_t *o = json_pack("{s:s, s:s, s:o, s:o, s:{s:o, s:i, s:o, s:o}}", "booking",
			      bk->reference, "status", booking_status_name(bk->status), "payment",
			      state_json(&ps, bk, z), "payments", rows_json(rows, n, z),
			      "refund_if_cancelled", "policy", api_money(refund[0], bk->currency),
			      "policy_percent", percent, "full", api_money(refund[1], bk->currency),
			      "force_majeure", api_money(refund[2], bk->currency));
	if (extra_take)
		json_object_update(o, extra_take);
	json_decref(extra_take);
	http_json_take(r, code, o);
}

void payment_booking_list(http_req *r)
{
	db_conn *c = app_db(r);
	business b;
	booking_row row;
	if (visible(r, c, &b, &row))
		answer_booking_payments(r, c, &b, &row.b, 200, NULL);
}

static const char *const RECORD_KEYS[] = {"kind", "method", "amount_minor", "note", NULL};

void payment_booking_record(http_req *r)
{
	json_t *body = http_body_json(r);
	if (!body)
		return;
	booking_body_known(r, body, "", RECORD_KEYS);
	const char *kind = booking_body_str(r, body, "kind", "kind", 16, false);
	const char *method = booking_body_str(r, body, "method", "method", 16, true);
	const char *note = booking_body_str(r, body, "note", "note", 500, false);
	int64_t amount = int_field(r, body, "amount_minor", 1, 1000000000000LL);
	if (!json_object_get(body, "amount_minor"))
		http_field_error_add(r, "amount_minor", "is required");
	json_decref(body);
	if (!kind)
		kind = "charge";
	if (strcmp(kind, "charge") != 0 && strcmp(kind, "refund") != 0)
		http_field_error_add(r, "kind", "must be charge or refund");
	if (method && strcmp(method, "cash") != 0 && strcmp(method, "card_terminal") != 0 &&
	    strcmp(method, "bank_transfer") != 0)
		http_field_error_add(r, "method", "must be cash, card_terminal or bank_transfer");
	if (r->nerrors) {
		http_problem(r, STATUS_INVALID, "invalid payment");
		return;
	}
	db_conn *c = app_db(r);
	business b;
	booking_row row;
	if (!visible(r, c, &b, &row))
		return;
	if (row.b.status == BOOKING_HELD || row.b.status == BOOKING_EXPIRED) {
		http_problem(r, STATUS_CONFLICT, "a hold or a lapsed booking takes no payment");
		return;
	}
	payment_row p;
	payment_outcome o;
	status st = payment_record_manual(c, &b, row.b.id, kind, method, amount, note,
					  staff_actor(r), r->now, r->arena, &p, &o);
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	auth_audit_note(r, arena_printf(r->arena, "%s %s of %lld %s", method, kind,
					(long long)amount, row.b.currency));
	applied(r, c, &o);
	answer_booking_payments(r, c, &b, &o.bk, 201,
				json_pack("{s:o}", "recorded", payment_json(&p, tz_get(b.timezone))));
}

static const char *const FM_KEYS[] = {"reason", "notify", NULL};

void payment_booking_force_majeure(http_req *r)
{
	json_t *body = http_body_json(r);
	if (!body)
		return;
	booking_body_known(r, body, "", FM_KEYS);
	const char *reason = booking_body_str(r, body, "reason", "reason", 500, true);
	const json_t *notify = json_object_get(body, "notify"); /* borrowed */
	if (notify && !json_is_boolean(notify))
		http_field_error_add(r, "notify", "must be true or false");
	bool quiet = json_is_false(notify);
	json_decref(body);
	if (r->nerrors) {
		http_problem(r, STATUS_INVALID, "invalid request");
		return;
	}
	db_conn *c = app_db(r);
	business b;
	booking_row row;
	if (!visible(r, c, &b, &row))
		return;
	book_result res;
	status st = book_staff_cancel(c, &b, row.b.id, staff_actor(r),
				      arena_printf(r->arena, "force majeure: %s", reason), quiet,
				      PAYMENT_REFUND_FORCE_MAJEURE, r->now, r->arena, &res);
	if (st != STATUS_OK) {
		booking_answer_error(r, c, st, &res);
		return;
	}
	auth_audit_note(r, arena_printf(r->arena, "force majeure: %s; refund %lld %s", reason,
					(long long)res.paid_refund_minor, row.b.currency));
	live_booking_changed(c, &b, res.b.provider_id, res.b.resource_id, res.b.busy_start,
			     res.b.busy_end, r->arena);
	live_booking_event(c, &b, &res.b, false, NULL, r->arena);
	pay_worker_kick();
	answer_booking_payments(r, c, &b, &res.b, 200, NULL);
}

void payment_customer_list(http_req *r)
{
	db_conn *c = app_db(r);
	business b;
	if (!auth_business(r, c, &b))
		return;
	const char *cid = http_param(r, "customer");
	payment_row *rows;
	int n;
	status st = payment_list_customer(c, b.id, cid ? cid : "", PAYMENT_LIST_MAX, r->arena, &rows,
					  &n);
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	/* The staff role sees the payments of its own provider's bookings only. */
	const char *only = staff_visible_to(r);
	const tz *z = tz_get(b.timezone);
	json_t *arr = json_array();
	int64_t paid = 0, refunded = 0;
	for (int i = 0; i < n; i++) {
		if (only) {
			booking_row row;
			if (store_booking_row(c, b.id, rows[i].booking_id, only, r->arena, &row) != STATUS_OK)
				continue;
		}
		if (strcmp(rows[i].status, "succeeded") == 0)
			*(strcmp(rows[i].kind, "charge") == 0 ? &paid : &refunded) += rows[i].amount_minor;
		json_array_append_new(arr, payment_json(&rows[i], z));
	}
	http_json_take(r, 200, json_pack("{s:o, s:o, s:o}", "payments", arr, "paid",
					 api_money(paid, b.currency), "refunded",
					 api_money(refunded, b.currency)));
}

/* The range of a report: ?from and ?to as dates of the business or instants; the last 30
 * days by default. */
static bool report_range(http_req *r, const business *b, int64_t *from, int64_t *to)
{
	const tz *z = tz_get(b->timezone);
	bool set_from, set_to;
	if (!staff_query_time(r, "from", z, false, from, &set_from) ||
	    !staff_query_time(r, "to", z, true, to, &set_to)) {
		http_problem(r, STATUS_INVALID, "invalid range");
		return false;
	}
	if (!set_to)
		*to = r->now + 1;
	if (!set_from)
		*from = *to - 30 * 86400;
	if (*to <= *from) {
		http_field_error_add(r, "to", "must be after from");
		http_problem(r, STATUS_INVALID, "invalid range");
		return false;
	}
	return true;
}

void payment_revenue_get(http_req *r)
{
	db_conn *c = app_db(r);
	business b;
	int64_t from, to;
	if (!auth_business(r, c, &b) || !report_range(r, &b, &from, &to))
		return;
	payment_row *rows;
	int n;
	status st = payment_list_range(c, b.id, from, to, PAYMENT_REPORT_MAX, r->arena, &rows, &n);
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	static const char *const METHODS[] = {"stripe", "paypal", "cash", "card_terminal",
					      "bank_transfer"};
	int64_t got[5] = {0}, back[5] = {0}, total_in = 0, total_out = 0;
	int charges = 0, refunds = 0;
	for (int i = 0; i < n; i++) {
		const payment_row *p = &rows[i];
		if (strcmp(p->status, "succeeded") != 0)
			continue;
		bool in = strcmp(p->kind, "charge") == 0;
		for (int k = 0; k < 5; k++)
			if (strcmp(p->method, METHODS[k]) == 0)
				*(in ? &got[k] : &back[k]) += p->amount_minor;
		*(in ? &total_in : &total_out) += p->amount_minor;
		*(in ? &charges : &refunds) += 1;
	}
	json_t *by = json_array();
	for (int k = 0; k < 5; k++)
		json_array_append_new(by, json_pack("{s:s, s:o, s:o, s:o}", "method", METHODS[k],
						    "received", api_money(got[k], b.currency),
						    "refunded", api_money(back[k], b.currency), "net",
						    api_money(got[k] - back[k], b.currency)));
	const tz *z = tz_get(b.timezone);
	http_json_take(r, 200,
		       json_pack("{s:o, s:o, s:o, s:o, s:o, s:i, s:i, s:o}", "from",
				 instant_or_null(z, from), "to", instant_or_null(z, to), "received",
				 api_money(total_in, b.currency), "refunded",
				 api_money(total_out, b.currency), "net",
				 api_money(total_in - total_out, b.currency), "charges", charges,
				 "refunds", refunds, "by_method", by));
}

static const char *const CSV_HEADER[] = {
	"payment", "updated_at", "created_at", "kind", "method", "status", "amount_minor", "amount",
	"currency", "provider_ref", "refund_of", "booking", "booking_status", "customer_email",
	"reason", "last_error", NULL};

void payment_reconciliation_csv(http_req *r)
{
	db_conn *c = app_db(r);
	business b;
	int64_t from, to;
	if (!auth_business(r, c, &b) || !report_range(r, &b, &from, &to))
		return;
	payment_row *rows;
	int n;
	status st = payment_list_range(c, b.id, from, to, PAYMENT_REPORT_MAX, r->arena, &rows, &n);
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	const tz *z = tz_get(b.timezone);
	buf out;
	buf_init(&out, PAYMENT_CSV_MAX_BYTES);
	bool first = true;
	for (int i = 0; st == STATUS_OK && CSV_HEADER[i]; i++)
		st = csv_text(&out, &first, CSV_HEADER[i]);
	if (st == STATUS_OK)
		st = csv_row_end(&out, &first);
	for (int i = 0; st == STATUS_OK && i < n; i++) {
		const payment_row *p = &rows[i];
		char up[TZ_RFC3339_SIZE], cr[TZ_RFC3339_SIZE], dec[32];
		tz_format_rfc3339(z, p->updated_at, up);
		tz_format_rfc3339(z, p->created_at, cr);
		money_decimal(p->amount_minor, p->currency, dec, sizeof(dec));
		const char *cells[] = {p->id,       up,          cr,        p->kind, p->method,
				       p->status};
		for (size_t k = 0; st == STATUS_OK && k < sizeof(cells) / sizeof(cells[0]); k++)
			st = csv_text(&out, &first, cells[k]);
		if (st == STATUS_OK)
			st = csv_int(&out, &first, p->amount_minor);
		const char *rest[] = {dec,
				      p->currency,
				      p->provider_ref,
				      p->refund_of,
				      p->booking_reference,
				      p->booking_status,
				      p->customer_email,
				      p->reason,
				      p->last_error};
		for (size_t k = 0; st == STATUS_OK && k < sizeof(rest) / sizeof(rest[0]); k++)
			st = csv_text(&out, &first, rest[k]);
		if (st == STATUS_OK)
			st = csv_row_end(&out, &first);
	}
	if (st != STATUS_OK) {
		buf_free(&out);
		http_problem(r, STATUS_INVALID, "the report is too large; ask for a shorter range");
		return;
	}
	http_text(r, 200, "text/csv; charset=utf-8", out.data, out.len);
	http_add_header(r, "Content-Disposition", "attachment; filename=\"payments.csv\"");
	buf_free(&out);
}
