/* payment.c - payment settings, terms, charges and refunds (store/payment.h). */
#include "store/payment.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "base/ids.h"
#include "core/lifecycle.h"
#include "store/booking.h"
#include "store/business.h"
#include "store/catalog.h"
#include "store/outbox.h"
#include "store/webhook_event.h"

#define PAYMENT_COLUMNS                                                                       \
	"p.id, p.booking_id, p.customer_id, p.kind, p.method, p.status, p.amount_minor, "     \
	"p.currency, p.provider_ref, p.provider_payment, p.checkout_url, p.refund_of, "       \
	"p.reason, p.actor, p.attempts, p.next_attempt_at, p.last_error, p.created_at, "      \
	"p.updated_at, b.reference, b.status, b.customer_email"
#define PAYMENT_FROM " FROM payments p JOIN bookings b ON b.business_id = p.business_id AND b.id = p.booking_id "

static const char *opt(const db_rows *r, int col, arena *a)
{
	return db_null(r, col) ? NULL : arena_strdup(a, db_text(r, col));
}

static void row_read(const db_rows *r, arena *a, payment_row *p)
{
	p->id = arena_strdup(a, db_text(r, 0));
	p->booking_id = arena_strdup(a, db_text(r, 1));
	p->customer_id = opt(r, 2, a);
	p->kind = arena_strdup(a, db_text(r, 3));
	p->method = arena_strdup(a, db_text(r, 4));
	p->status = arena_strdup(a, db_text(r, 5));
	p->amount_minor = db_int(r, 6);
	p->currency = arena_strdup(a, db_text(r, 7));
	p->provider_ref = opt(r, 8, a);
	p->provider_payment = opt(r, 9, a);
	p->checkout_url = opt(r, 10, a);
	p->refund_of = opt(r, 11, a);
	p->reason = arena_strdup(a, db_text(r, 12));
	p->actor = arena_strdup(a, db_text(r, 13));
	p->attempts = (int)db_int(r, 14);
	p->next_attempt_at = db_int(r, 15);
	p->last_error = arena_strdup(a, db_text(r, 16));
	p->created_at = db_int(r, 17);
	p->updated_at = db_int(r, 18);
	p->booking_reference = arena_strdup(a, db_text(r, 19));
	p->booking_status = arena_strdup(a, db_text(r, 20));
	p->customer_email = arena_strdup(a, db_text(r, 21));
}

static status rows_read(db_conn *c, const char *sql, const db_val *params, int np, arena *a,
			payment_row **out, int *n)
{
	db_rows *r;
	*n = 0;
	*out = NULL;
	status st = db_query(c, sql, params, np, &r);
	if (st != STATUS_OK)
		return st;
	int cap = 0;
	while (db_next(r)) {
		if (*n == cap) {
			int nc = cap ? cap * 2 : 16;
			payment_row *bigger = arena_alloc(a, sizeof(**out) * (size_t)nc);
			if (*n)
				memcpy(bigger, *out, sizeof(**out) * (size_t)*n);
			*out = bigger;
			cap = nc;
		}
		row_read(r, a, &(*out)[(*n)++]);
	}
	st = db_rows_status(r);
	db_rows_free(r);
	return st;
}

status payment_service_get(db_conn *c, const char *bid, const char *sid, money_terms *out)
{
	memset(out, 0, sizeof(*out));
	db_rows *r;
	status st = db_query(c,
			     "SELECT mode, deposit_minor, deposit_percent, no_show_fee_minor FROM "
			     "service_payments WHERE business_id = $1 AND service_id = $2",
			     DB_PARAMS(DB_S(bid), DB_S(sid)), &r);
	if (st != STATUS_OK)
		return st;
	if (db_next(r)) {
		if (!money_mode_parse(db_text(r, 0), &out->mode))
			out->mode = MONEY_NONE;
		out->deposit_minor = db_int(r, 1);
		out->deposit_percent = (int)db_int(r, 2);
		out->no_show_fee_minor = db_int(r, 3);
	}
	st = db_rows_status(r);
	db_rows_free(r);
	return st;
}

status payment_service_put(db_conn *c, const char *bid, const char *sid, const money_terms *t,
			   int64_t now)
{
	status st = db_begin_write(c);
	if (st == STATUS_OK)
		st = db_exec(c, "DELETE FROM service_payments WHERE business_id = $1 AND service_id = $2",
			     DB_PARAMS(DB_S(bid), DB_S(sid)), NULL);
	if (st == STATUS_OK)
		st = db_exec(c,
			     "INSERT INTO service_payments (business_id, service_id, mode, deposit_minor, "
			     "deposit_percent, no_show_fee_minor, updated_at) VALUES ($1, $2, $3, $4, "
			     "$5, $6, $7)",
			     DB_PARAMS(DB_S(bid), DB_S(sid), DB_S(money_mode_name(t->mode)),
				       DB_I(t->deposit_minor), DB_I(t->deposit_percent),
				       DB_I(t->no_show_fee_minor), DB_I(now)),
			     NULL);
	if (st == STATUS_OK)
		st = db_commit(c);
	if (st != STATUS_OK)
		db_rollback(c);
	return st;
}

status payment_booking_due(db_conn *c, const business *b, const service *svc,
			   const book_request *rq, int64_t price, int64_t *due_out)
{
	*due_out = 0;
	if (!rq->client_addr)
		return STATUS_OK;
	return payment_customer_due(c, b, svc, price, due_out);
}

status payment_customer_due(db_conn *c, const business *b, const service *svc, int64_t price,
			    int64_t *due_out)
{
	*due_out = 0;
	money_terms t;
	status st = payment_service_get(c, b->id, svc->id, &t);
	if (st == STATUS_OK)
		*due_out = money_due(&t, price);
	return st;
}

status payment_booking_held(db_conn *c, const business *b, booking *bk, const service *svc,
			    int64_t due, int64_t now, arena *a)
{
	money_terms t;
	status st = payment_service_get(c, b->id, svc->id, &t);
	bk->hold_expires_at = now + b->hold_ttl_s;
	if (st == STATUS_OK)
		st = db_exec(c,
			     "UPDATE bookings SET hold_expires_at = $3 WHERE business_id = $1 AND id = "
			     "$2 AND status = 'pending'",
			     DB_PARAMS(DB_S(b->id), DB_S(bk->id), DB_I(bk->hold_expires_at)), NULL);
	if (st == STATUS_OK)
		st = db_exec(c,
			     "INSERT INTO booking_payment_terms (business_id, booking_id, mode, due_minor, "
			     "price_minor, currency, refund_tiers, no_show_fee_minor, created_at) VALUES "
			     "($1, $2, $3, $4, $5, $6, $7, $8, $9)",
			     DB_PARAMS(DB_S(b->id), DB_S(bk->id), DB_S(money_mode_name(t.mode)), DB_I(due),
				       DB_I(bk->price_minor), DB_S(bk->currency),
				       DB_S(svc->refund_tiers ? svc->refund_tiers : "[]"),
				       DB_I(t.no_show_fee_minor), DB_I(now)),
			     NULL);
	if (st == STATUS_OK)
		st = db_exec(c,
			     "INSERT INTO payments (business_id, id, booking_id, customer_id, kind, "
			     "method, status, amount_minor, currency, actor, created_at, updated_at) "
			     "VALUES ($1, $2, $3, $4, 'charge', 'online', 'open', $5, $6, 'customer', "
			     "$7, $7)",
			     DB_PARAMS(DB_S(b->id), DB_S(ids_sortable(a, "pay")), DB_S(bk->id),
				       DB_S(bk->customer_id), DB_I(due), DB_S(bk->currency), DB_I(now)),
			     NULL);
	return st;
}

status payment_state_get(db_conn *c, const char *bid, const booking *bk, arena *a,
			 payment_state *out)
{
	memset(out, 0, sizeof(*out));
	out->mode = "";
	out->currency = bk->currency;
	out->refund_tiers = "[]";
	db_rows *r;
	status st = db_query(c,
			     "SELECT mode, due_minor, price_minor, currency, refund_tiers, "
			     "no_show_fee_minor FROM booking_payment_terms WHERE business_id = $1 AND "
			     "booking_id = $2",
			     DB_PARAMS(DB_S(bid), DB_S(bk->id)), &r);
	if (st != STATUS_OK)
		return st;
	if (db_next(r)) {
		out->has_terms = true;
		out->mode = arena_strdup(a, db_text(r, 0));
		out->due_minor = db_int(r, 1);
		out->price_minor = db_int(r, 2);
		out->currency = arena_strdup(a, db_text(r, 3));
		out->refund_tiers = arena_strdup(a, db_text(r, 4));
		out->no_show_fee_minor = db_int(r, 5);
	}
	st = db_rows_status(r);
	db_rows_free(r);
	if (st != STATUS_OK)
		return st;
	st = db_query(c,
		      "SELECT kind, status, COALESCE(SUM(amount_minor), 0) FROM payments WHERE "
		      "business_id = $1 AND booking_id = $2 GROUP BY kind, status",
		      DB_PARAMS(DB_S(bid), DB_S(bk->id)), &r);
	if (st != STATUS_OK)
		return st;
	while (db_next(r)) {
		const char *kind = db_text(r, 0), *s = db_text(r, 1);
		int64_t v = db_int(r, 2);
		if (strcmp(kind, "charge") == 0 && strcmp(s, "succeeded") == 0)
			out->paid_minor += v;
		else if (strcmp(kind, "refund") == 0 && strcmp(s, "succeeded") == 0)
			out->refunded_minor += v;
		else if (strcmp(kind, "refund") == 0 && strcmp(s, "queued") == 0)
			out->refund_pending_minor += v;
	}
	st = db_rows_status(r);
	db_rows_free(r);
	if (out->refund_pending_minor > 0)
		out->state = "refund_pending";
	else if (out->paid_minor > 0 && out->refunded_minor >= out->paid_minor)
		out->state = "refunded";
	else if (out->refunded_minor > 0)
		out->state = "partially_refunded";
	else if (out->paid_minor > 0)
		out->state = "paid";
	else if (out->has_terms && bk->status == BOOKING_PENDING && bk->hold_expires_at > 0)
		out->state = "awaiting";
	else if (out->has_terms && (bk->status == BOOKING_EXPIRED || bk->status == BOOKING_CANCELLED))
		out->state = "expired";
	else
		out->state = "none";
	return st;
}

/* The net of each charge by a provider (what it took less what was refunded or queued). */
typedef struct charge_net {
	const char *id, *method;
	int64_t net;
} charge_net;

static status provider_charges(db_conn *c, const char *bid, const char *booking_id, arena *a,
			       charge_net **out, int *n)
{
	db_rows *r;
	*n = 0;
	status st = db_query(c,
			     "SELECT p.id, p.method, p.amount_minor - COALESCE((SELECT SUM(x.amount_minor) "
			     "FROM payments x WHERE x.business_id = p.business_id AND x.refund_of = p.id "
			     "AND x.status IN ('queued', 'succeeded')), 0) FROM payments p WHERE "
			     "p.business_id = $1 AND p.booking_id = $2 AND p.kind = 'charge' AND "
			     "p.status = 'succeeded' AND p.method IN ('stripe', 'paypal') ORDER BY p.id",
			     DB_PARAMS(DB_S(bid), DB_S(booking_id)), &r);
	if (st != STATUS_OK)
		return st;
	*out = arena_alloc(a, sizeof(**out) * 8);
	while (db_next(r) && *n < 8) {
		(*out)[*n].id = arena_strdup(a, db_text(r, 0));
		(*out)[*n].method = arena_strdup(a, db_text(r, 1));
		(*out)[*n].net = db_int(r, 2);
		(*n)++;
	}
	st = db_rows_status(r);
	db_rows_free(r);
	return st;
}

status payment_refund_preview(db_conn *c, const business *b, const booking *bk,
			      const service *svc, payment_refund_rule rule, int64_t now, arena *a,
			      int64_t *refund_out, int *percent_out)
{
	payment_state ps;
	charge_net *ch;
	int n;
	*refund_out = 0;
	status st = payment_state_get(c, b->id, bk, a, &ps);
	if (st == STATUS_OK)
		st = provider_charges(c, b->id, bk->id, a, &ch, &n);
	if (st != STATUS_OK)
		return st;
	policy_refunds tiers;
	if (policy_refunds_parse(ps.has_terms ? ps.refund_tiers : svc->refund_tiers, &tiers) !=
	    STATUS_OK)
		tiers.n = 0;
	int64_t net = 0;
	for (int i = 0; i < n; i++)
		net += ch[i].net;
	int percent = 100;
	*refund_out = money_refund(&tiers, bk->start_at, now, net, rule != PAYMENT_REFUND_POLICY,
				   &percent);
	if (rule != PAYMENT_REFUND_POLICY)
		percent = 100;
	if (percent_out)
		*percent_out = percent;
	return STATUS_OK;
}

static status refund_queue(db_conn *c, const char *bid, const booking *bk, const char *charge,
			   int64_t amount, const char *method, const char *reason,
			   const char *actor, int64_t now, arena *a)
{
	return db_exec(c,
		       "INSERT INTO payments (business_id, id, booking_id, customer_id, kind, method, "
		       "status, amount_minor, currency, refund_of, reason, actor, next_attempt_at, "
		       "created_at, updated_at) VALUES ($1, $2, $3, $4, 'refund', $5, 'queued', $6, "
		       "$7, $8, $9, $10, $11, $11, $11)",
		       DB_PARAMS(DB_S(bid), DB_S(ids_sortable(a, "pay")), DB_S(bk->id),
				 DB_S(bk->customer_id), DB_S(method), DB_I(amount), DB_S(bk->currency),
				 DB_S(charge), DB_S(reason), DB_S(actor), DB_I(now)),
		       NULL);
}

static const char *const RULE_NAMES[] = {"policy", "full", "force_majeure"};

status payment_booking_cancelled(db_conn *c, const business *b, const booking *bk,
				 const service *svc, payment_refund_rule rule, const char *actor,
				 int64_t now, arena *a, int64_t *refund_out, int *percent_out)
{
	int64_t total = 0;
	int percent = 0;
	status st = payment_refund_preview(c, b, bk, svc, rule, now, a, &total, &percent);
	charge_net *ch;
	int n = 0;
	if (st == STATUS_OK && total > 0)
		st = provider_charges(c, b->id, bk->id, a, &ch, &n);
	/* Spread over the charges in order, each at most its net. */
	int64_t left = total;
	for (int i = 0; st == STATUS_OK && i < n && left > 0; i++) {
		int64_t take = ch[i].net < left ? ch[i].net : left;
		if (take > 0)
			st = refund_queue(c, b->id, bk, ch[i].id, take, ch[i].method, RULE_NAMES[rule],
					  actor, now, a);
		left -= take;
	}
	if (refund_out)
		*refund_out = total;
	if (percent_out)
		*percent_out = percent;
	return st;
}

status payment_booking_no_show(db_conn *c, const business *b, const booking *bk,
			       const char *actor, int64_t now, arena *a, int64_t *refund_out)
{
	payment_state ps;
	charge_net *ch;
	int n = 0;
	*refund_out = 0;
	status st = payment_state_get(c, b->id, bk, a, &ps);
	if (st != STATUS_OK || !ps.has_terms)
		return st;
	st = provider_charges(c, b->id, bk->id, a, &ch, &n);
	int64_t net = 0;
	for (int i = 0; i < n; i++)
		net += ch[i].net;
	/* The fee is kept; what was paid beyond it goes back. */
	int64_t left = net - ps.no_show_fee_minor;
	for (int i = 0; st == STATUS_OK && i < n && left > 0; i++) {
		int64_t take = ch[i].net < left ? ch[i].net : left;
		if (take > 0)
			st = refund_queue(c, b->id, bk, ch[i].id, take, ch[i].method, "no_show", actor,
					  now, a);
		left -= take;
		*refund_out += take;
	}
	return st;
}

status payment_open_charge(db_conn *c, const char *bid, const char *booking_id, arena *a,
			   payment_row *out)
{
	payment_row *rows;
	int n;
	status st = rows_read(c,
			      "SELECT " PAYMENT_COLUMNS PAYMENT_FROM
			      "WHERE p.business_id = $1 AND p.booking_id = $2 AND p.kind = 'charge' AND "
			      "p.status = 'open' ORDER BY p.id DESC LIMIT 1",
			      DB_PARAMS(DB_S(bid), DB_S(booking_id)), a, &rows, &n);
	if (st == STATUS_OK && n == 0)
		return STATUS_NOT_FOUND;
	if (st == STATUS_OK)
		*out = rows[0];
	return st;
}

status payment_set_checkout(db_conn *c, const char *bid, const char *pid, const char *method,
			    const char *provider_ref, const char *url, int64_t now)
{
	int64_t changed = 0;
	status st = db_exec(c,
			    "UPDATE payments SET method = $3, provider_ref = $4, checkout_url = $5, "
			    "updated_at = $6 WHERE business_id = $1 AND id = $2 AND status = 'open'",
			    DB_PARAMS(DB_S(bid), DB_S(pid), DB_S(method), DB_S(provider_ref), DB_S(url),
				      DB_I(now)),
			    &changed);
	if (st == STATUS_OK && changed == 0)
		return STATUS_CONFLICT;
	if (st == STATUS_OK) /* kept: a payment through it later still finds the charge */
		st = db_exec(c,
			     "INSERT INTO payment_refs (method, provider_ref, business_id, "
			     "payment_id, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO "
			     "NOTHING",
			     DB_PARAMS(DB_S(method), DB_S(provider_ref), DB_S(bid), DB_S(pid),
				       DB_I(now)),
			     NULL);
	return st;
}

/* A booking on its payment hold that is now paid: confirmed (pending without the hold when
 * its service needs approval), its event and message queued. */
static status confirm_paid(db_conn *c, const business *b, booking *bk, const char *actor,
			   const char *payment_id, int64_t now, arena *a, bool *confirmed)
{
	service svc;
	status st = store_service_get(c, b->id, bk->service_id, a, &svc);
	if (st != STATUS_OK)
		return st;
	booking_status to = svc.requires_approval ? BOOKING_PENDING : BOOKING_CONFIRMED;
	if (to == BOOKING_CONFIRMED)
		st = store_booking_set_status(c, b->id, bk->id, BOOKING_PENDING, to, now);
	else
		st = db_exec(c,
			     "UPDATE bookings SET hold_expires_at = NULL, updated_at = $3 WHERE "
			     "business_id = $1 AND id = $2 AND status = 'pending'",
			     DB_PARAMS(DB_S(b->id), DB_S(bk->id), DB_I(now)), NULL);
	if (st != STATUS_OK)
		return st;
	json_t *ch = json_pack("{s:s}", "payment", payment_id);
	char *text = json_dumps(ch, JSON_COMPACT);
	json_decref(ch);
	st = store_booking_event(c, b->id, ids_sortable(a, "evt"), bk->id, now, actor, "paid",
				 "pending", booking_status_name(to), "", text);
	free(text);
	bk->status = to;
	bk->hold_expires_at = 0;
	bk->updated_at = now;
	if (st == STATUS_OK)
		st = outbox_booking(c, b, bk, to == BOOKING_PENDING ? "pending" : "confirmed", NULL,
				    now, a);
	*confirmed = st == STATUS_OK;
	return st;
}

/* A payment of charge p that is no longer open (latest: p carries this reference). Seen
 * before (p paid through it, or an earlier event): nothing. Else the money came in a second
 * time: recorded (on p when it ended unpaid with this reference, else as a charge of its
 * own) and refunded in full from the outbox. The booking is not changed. */
static status second_payment(db_conn *c, const char *bid, payment_outcome *out,
			     const payment_row *p, bool latest, const char *method,
			     const char *provider_ref, const char *provider_payment, int64_t amount,
			     const char *currency, int64_t now, arena *a)
{
	int64_t known = 0;
	status st = db_query_int(c,
				 "SELECT COUNT(*) FROM payments WHERE method = $1 AND provider_ref = $2 "
				 "AND status = 'succeeded'",
				 DB_PARAMS(DB_S(method), DB_S(provider_ref)), &known);
	if (st != STATUS_OK || known > 0) {
		out->duplicate = known > 0;
		return st;
	}
	const char *id = latest ? p->id : ids_sortable(a, "pay");
	if (latest)
		st = db_exec(c,
			     "UPDATE payments SET status = 'succeeded', provider_payment = $3, "
			     "amount_minor = $4, reason = 'second_payment', actor = 'provider', "
			     "updated_at = $5 WHERE business_id = $1 AND id = $2",
			     DB_PARAMS(DB_S(bid), DB_S(id), DB_S(provider_payment), DB_I(amount),
				       DB_I(now)),
			     NULL);
	else
		st = db_exec(c,
		     "INSERT INTO payments (business_id, id, booking_id, customer_id, kind, method, "
		     "status, amount_minor, currency, provider_ref, provider_payment, reason, actor, "
		     "created_at, updated_at) VALUES ($1, $2, $3, $4, 'charge', $5, 'succeeded', $6, "
		     "$7, $8, $9, 'second_payment', 'provider', $10, $10)",
		     DB_PARAMS(DB_S(bid), DB_S(id), DB_S(p->booking_id), DB_S(out->bk.customer_id),
			       DB_S(method), DB_I(amount), DB_S(currency ? currency : p->currency),
			       DB_S(provider_ref), DB_S(provider_payment), DB_I(now)),
		     NULL);
	if (st == STATUS_OK)
		st = webhook_event_payment(c, bid, id, now);
	if (st != STATUS_OK || amount <= 0)
		return st;
	out->refunded = true;
	return refund_queue(c, bid, &out->bk, id, amount, method, "second_payment", "job", now, a);
}

static status apply_locked(db_conn *c, const char *source, const char *event_id,
			   const char *method, const char *provider_ref,
			   const char *provider_payment, int64_t amount, const char *currency,
			   int64_t now, arena *a, payment_outcome *out)
{
	payment_row *rows;
	int n;
	const char *bid = NULL;
	db_rows *r;
	/* The event first: a delivery seen before changes nothing. (No failing statement: on
	 * PostgreSQL it would end the transaction.) */
	int64_t added = 0;
	status st = db_exec(c,
			    "INSERT INTO payment_webhook_events (provider, event_id, received_at) "
			    "VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
			    DB_PARAMS(DB_S(source), DB_S(event_id), DB_I(now)), &added);
	if (st != STATUS_OK)
		return st;
	if (added == 0) {
		out->duplicate = true;
		return STATUS_OK;
	}
	/* The charge by the reference paid: its latest, or one it was given before. */
	const char *pid = NULL;
	st = db_query(c,
		      "SELECT business_id, payment_id FROM payment_refs WHERE method = $1 AND "
		      "provider_ref = $2",
		      DB_PARAMS(DB_S(method), DB_S(provider_ref)), &r);
	if (st != STATUS_OK)
		return st;
	if (db_next(r)) {
		bid = arena_strdup(a, db_text(r, 0));
		pid = arena_strdup(a, db_text(r, 1));
	}
	st = db_rows_status(r);
	db_rows_free(r);
	if (st == STATUS_OK && !bid)
		return STATUS_NOT_FOUND;
	if (st == STATUS_OK)
		st = store_business_by_id(c, bid, a, &out->b);
	if (st == STATUS_OK)
		st = rows_read(c, "SELECT " PAYMENT_COLUMNS PAYMENT_FROM
			       "WHERE p.business_id = $1 AND p.id = $2",
			       DB_PARAMS(DB_S(bid), DB_S(pid)), a, &rows, &n);
	if (st == STATUS_OK && n == 0)
		return STATUS_NOT_FOUND;
	if (st != STATUS_OK)
		return st;
	payment_row *p = &rows[0];
	bool latest = p->provider_ref && strcmp(p->provider_ref, provider_ref) == 0;
	/* The booking first, locked: every write of it locks it before its payments. */
	st = store_booking_get(c, bid, p->booking_id, true, a, &out->bk);
	if (st != STATUS_OK)
		return st;
	if (strcmp(p->kind, "charge") == 0 && strcmp(p->status, "open") != 0)
		/* Paid already (another event of it, or through a checkout given up for another
		 * that was paid), or ended (paid by hand): at most once, kept and sent back. */
		return second_payment(c, bid, out, p, latest, method, provider_ref,
				      provider_payment, amount, currency, now, a);
	if (strcmp(p->kind, "charge") != 0 || strcmp(p->status, "open") != 0) {
		out->why = "the payment is not open";
		return STATUS_CONFLICT;
	}
	if (amount != p->amount_minor || !currency || strcmp(currency, p->currency) != 0) {
		out->why = "the amount paid differs from the amount due";
		return STATUS_INVALID;
	}
	int64_t changed = 0;
	st = db_exec(c,
		     "UPDATE payments SET status = 'succeeded', provider_payment = $3, actor = "
		     "'provider', updated_at = $4, method = $5, provider_ref = $6 WHERE "
		     "business_id = $1 AND id = $2 AND status = 'open'",
		     DB_PARAMS(DB_S(bid), DB_S(p->id), DB_S(provider_payment), DB_I(now),
			       DB_S(method), DB_S(provider_ref)),
		     &changed);
	if (st == STATUS_OK && changed == 0)
		st = STATUS_BUSY;
	if (st == STATUS_OK)
		st = webhook_event_payment(c, bid, p->id, now);
	if (st != STATUS_OK)
		return st;
	booking *bk = &out->bk;
	if (bk->status == BOOKING_PENDING && bk->hold_expires_at > 0)
		return confirm_paid(c, &out->b, bk, "provider", p->id, now, a, &out->confirmed);
	if (bk->status == BOOKING_EXPIRED || bk->status == BOOKING_CANCELLED) {
		/* Paid after the hold lapsed: the time is gone, the money goes back. */
		out->refunded = true;
		return refund_queue(c, bid, bk, p->id, amount, method, "lapsed", "job", now, a);
	}
	return STATUS_OK;
}

status payment_apply(db_conn *c, const char *source, const char *event_id, const char *method,
		     const char *provider_ref, const char *provider_payment, int64_t amount,
		     const char *currency, int64_t now, arena *a, payment_outcome *out)
{
	memset(out, 0, sizeof(*out));
	status st = db_begin_write(c);
	if (st == STATUS_OK)
		st = apply_locked(c, source, event_id, method, provider_ref, provider_payment, amount,
				  currency, now, a, out);
	if (st == STATUS_OK)
		st = db_commit(c);
	if (st != STATUS_OK)
		db_rollback(c);
	return st;
}

status payment_webhook_seen(db_conn *c, const char *source, const char *event_id, int64_t now,
			    bool *seen)
{
	(void)now;
	int64_t n = 0;
	status st = db_query_int(c,
				 "SELECT COUNT(*) FROM payment_webhook_events WHERE provider = $1 AND "
				 "event_id = $2",
				 DB_PARAMS(DB_S(source), DB_S(event_id)), &n);
	*seen = n > 0;
	return st;
}

status payment_webhook_record(db_conn *c, const char *source, const char *event_id,
			      int64_t now)
{
	return db_exec(c,
		       "INSERT INTO payment_webhook_events (provider, event_id, received_at) VALUES "
		       "($1, $2, $3) ON CONFLICT DO NOTHING",
		       DB_PARAMS(DB_S(source), DB_S(event_id), DB_I(now)), NULL);
}

status payment_record_manual(db_conn *c, const business *b, const char *booking_id,
			     const char *kind, const char *method, int64_t amount,
			     const char *reason, const char *actor, int64_t now, arena *a,
			     payment_row *row_out, payment_outcome *out)
{
	memset(out, 0, sizeof(*out));
	out->b = *b;
	status st = db_begin_write(c);
	if (st == STATUS_OK)
		st = store_booking_get(c, b->id, booking_id, true, a, &out->bk);
	booking *bk = &out->bk;
	const char *id = ids_sortable(a, "pay");
	if (st == STATUS_OK)
		st = db_exec(c,
			     "INSERT INTO payments (business_id, id, booking_id, customer_id, kind, "
			     "method, status, amount_minor, currency, reason, actor, created_at, "
			     "updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'succeeded', $7, $8, $9, $10, "
			     "$11, $11)",
			     DB_PARAMS(DB_S(b->id), DB_S(id), DB_S(bk->id), DB_S(bk->customer_id),
				       DB_S(kind), DB_S(method), DB_I(amount), DB_S(bk->currency),
				       DB_S(reason ? reason : ""), DB_S(actor), DB_I(now)),
			     NULL);
	if (st == STATUS_OK)
		st = webhook_event_payment(c, b->id, id, now);
	if (st == STATUS_OK && strcmp(kind, "charge") == 0 && bk->status == BOOKING_PENDING &&
	    bk->hold_expires_at > 0) {
		payment_state ps;
		st = payment_state_get(c, b->id, bk, a, &ps);
		if (st == STATUS_OK && ps.has_terms && ps.paid_minor >= ps.due_minor) {
			/* The customer paid at the desk: the online charge is no longer asked. */
			st = db_exec(c,
				     "UPDATE payments SET status = 'failed', last_error = 'paid by hand', "
				     "updated_at = $3 WHERE business_id = $1 AND booking_id = $2 AND "
				     "status = 'open'",
				     DB_PARAMS(DB_S(b->id), DB_S(bk->id), DB_I(now)), NULL);
			if (st == STATUS_OK)
				st = confirm_paid(c, b, bk, actor, id, now, a, &out->confirmed);
		}
	}
	if (st == STATUS_OK) {
		payment_row *rows;
		int n;
		st = rows_read(c, "SELECT " PAYMENT_COLUMNS PAYMENT_FROM
				  "WHERE p.business_id = $1 AND p.id = $2",
			       DB_PARAMS(DB_S(b->id), DB_S(id)), a, &rows, &n);
		if (st == STATUS_OK && n == 1)
			*row_out = rows[0];
		else if (st == STATUS_OK)
			st = STATUS_INTERNAL;
	}
	if (st == STATUS_OK)
		st = db_commit(c);
	if (st != STATUS_OK)
		db_rollback(c);
	return st;
}

status payment_list_booking(db_conn *c, const char *bid, const char *booking_id, arena *a,
			    payment_row **out, int *n)
{
	return rows_read(c,
			 "SELECT " PAYMENT_COLUMNS PAYMENT_FROM
			 "WHERE p.business_id = $1 AND p.booking_id = $2 ORDER BY p.created_at, p.id",
			 DB_PARAMS(DB_S(bid), DB_S(booking_id)), a, out, n);
}

status payment_list_customer(db_conn *c, const char *bid, const char *cid, int max, arena *a,
			     payment_row **out, int *n)
{
	return rows_read(c,
			 "SELECT " PAYMENT_COLUMNS PAYMENT_FROM
			 "WHERE p.business_id = $1 AND p.customer_id = $2 ORDER BY p.created_at, p.id "
			 "LIMIT $3",
			 DB_PARAMS(DB_S(bid), DB_S(cid), DB_I(max)), a, out, n);
}

status payment_list_range(db_conn *c, const char *bid, int64_t from, int64_t to, int max,
			  arena *a, payment_row **out, int *n)
{
	return rows_read(c,
			 "SELECT " PAYMENT_COLUMNS PAYMENT_FROM
			 "WHERE p.business_id = $1 AND p.updated_at >= $2 AND p.updated_at < $3 ORDER "
			 "BY p.updated_at, p.id LIMIT $4",
			 DB_PARAMS(DB_S(bid), DB_I(from), DB_I(to), DB_I(max)), a, out, n);
}

status payment_refunds_claim(db_conn *c, int64_t now, int lease_s, int max, arena *a,
			     payment_row **out, int *n)
{
	static const char *const CLAIM[2] = {
		"UPDATE payments SET next_attempt_at = $2 WHERE (business_id, id) IN (SELECT "
		"business_id, id FROM payments WHERE status = 'queued' AND next_attempt_at <= $1 "
		"ORDER BY next_attempt_at LIMIT $3) AND status = 'queued' RETURNING business_id, id",
		"UPDATE payments SET next_attempt_at = $2 WHERE (business_id, id) IN (SELECT "
		"business_id, id FROM payments WHERE status = 'queued' AND next_attempt_at <= $1 "
		"ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED) AND status = 'queued' "
		"RETURNING business_id, id",
	};
	*n = 0;
	status st = db_begin_write(c);
	db_rows *r = NULL;
	const char **bids = arena_alloc(a, sizeof(*bids) * (size_t)max);
	const char **ids = arena_alloc(a, sizeof(*ids) * (size_t)max);
	int k = 0;
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
	*out = arena_alloc(a, sizeof(**out) * (size_t)(k ? k : 1));
	for (int i = 0; i < k; i++) {
		payment_row *rows;
		int m;
		st = rows_read(c,
			       "SELECT " PAYMENT_COLUMNS PAYMENT_FROM
			       "WHERE p.business_id = $1 AND p.id = $2",
			       DB_PARAMS(DB_S(bids[i]), DB_S(ids[i])), a, &rows, &m);
		if (st != STATUS_OK)
			return st;
		if (m != 1)
			continue;
		payment_row *p = &(*out)[(*n)++];
		*p = rows[0];
		p->customer_id = bids[i]; /* the worker needs the business, not the customer */
		/* The charge's provider payment is what the refund names. */
		p->provider_payment = NULL;
		db_rows *q;
		st = db_query(c,
			      "SELECT provider_payment FROM payments WHERE business_id = $1 AND id = $2",
			      DB_PARAMS(DB_S(bids[i]), DB_S(p->refund_of ? p->refund_of : "")), &q);
		if (st != STATUS_OK)
			return st;
		if (db_next(q) && !db_null(q, 0))
			p->provider_payment = arena_strdup(a, db_text(q, 0));
		st = db_rows_status(q);
		db_rows_free(q);
		if (st != STATUS_OK)
			return st;
	}
	return STATUS_OK;
}

status payment_refund_done(db_conn *c, const char *bid, const char *id, const char *refund_ref,
			   int64_t now)
{
	int64_t changed = 0;
	status st = db_begin_write(c);
	if (st == STATUS_OK)
		st = db_exec(c,
			     "UPDATE payments SET status = 'succeeded', provider_ref = $3, attempts = "
			     "attempts + 1, next_attempt_at = NULL, last_error = '', updated_at = $4 "
			     "WHERE business_id = $1 AND id = $2 AND status = 'queued'",
			     DB_PARAMS(DB_S(bid), DB_S(id), DB_S(refund_ref), DB_I(now)), &changed);
	if (st == STATUS_OK && changed) /* its webhook event in the same transaction */
		st = webhook_event_payment(c, bid, id, now);
	if (st == STATUS_OK)
		st = db_commit(c);
	if (st != STATUS_OK)
		db_rollback(c);
	return st;
}

status payment_refund_retry(db_conn *c, const char *bid, const char *id, const char *error,
			    int64_t retry_at, int64_t now)
{
	if (retry_at == 0)
		return db_exec(c,
			       "UPDATE payments SET status = 'failed', attempts = attempts + 1, "
			       "next_attempt_at = NULL, last_error = $3, updated_at = $4 WHERE "
			       "business_id = $1 AND id = $2 AND status = 'queued'",
			       DB_PARAMS(DB_S(bid), DB_S(id), DB_S(error), DB_I(now)), NULL);
	return db_exec(c,
		       "UPDATE payments SET attempts = attempts + 1, next_attempt_at = $3, last_error "
		       "= $4, updated_at = $5 WHERE business_id = $1 AND id = $2 AND status = 'queued'",
		       DB_PARAMS(DB_S(bid), DB_S(id), DB_I(retry_at), DB_S(error), DB_I(now)), NULL);
}
