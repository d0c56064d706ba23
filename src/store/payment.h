/* payment.h - payments of bookings: each service's payment settings, the terms frozen on a
 * booking that needs payment, and every movement of money (charges by a provider or
 * recorded by staff, refunds queued for the payment worker). Called inside store/book.c's
 * transactions (hooks named payment_booking_*), by the payment routes and by the payment
 * worker. Every statement is a fixed string. */
#ifndef BOOKD_STORE_PAYMENT_H
#define BOOKD_STORE_PAYMENT_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "core/model.h"
#include "core/money.h"
#include "store/book.h"
#include "store/db.h"

/* One payments row. Strings in the caller's arena. */
typedef struct payment_row {
	const char *id;
	const char *booking_id;
	const char *customer_id;      /* or NULL */
	const char *kind;             /* charge, refund */
	const char *method;           /* online (not yet chosen), stripe, paypal, cash,
				       * card_terminal, bank_transfer */
	const char *status;           /* open, queued, succeeded, failed */
	int64_t amount_minor;
	const char *currency;
	const char *provider_ref;     /* checkout session / order / refund id, or NULL */
	const char *provider_payment; /* payment_intent / capture id a refund names, or NULL */
	const char *checkout_url;     /* where the customer pays an open charge, or NULL */
	const char *refund_of;        /* the charge a refund gives back, or NULL */
	const char *reason;           /* staff's note, a refund's rule */
	const char *actor;            /* who: customer, staff:ID, provider, job */
	int attempts;                 /* refunds: provider calls made */
	int64_t next_attempt_at;      /* queued refunds: when the worker tries again */
	const char *last_error;       /* the last provider failure, or "" */
	int64_t created_at;
	int64_t updated_at;
	const char *booking_reference; /* lists: the booking's reference */
	const char *booking_status;    /* lists: the booking's status */
	const char *customer_email;    /* lists: the booking's customer email */
} payment_row;

/* What a booking owes and has paid. */
typedef struct payment_state {
	bool has_terms;          /* the booking was made with payment terms */
	const char *mode;        /* deposit or full ("" without terms) */
	int64_t due_minor;       /* what the terms ask in advance */
	int64_t price_minor;     /* the booking's price when made */
	const char *currency;
	const char *refund_tiers; /* the policy snapshot (JSON text) */
	int64_t no_show_fee_minor;
	int64_t paid_minor;       /* charges succeeded */
	int64_t refunded_minor;   /* refunds succeeded */
	int64_t refund_pending_minor; /* refunds queued */
	const char *state;        /* none, awaiting, paid, partially_refunded, refunded,
				   * refund_pending, expired */
} payment_state;

/* The payment settings of a service (mode none when it has none). */
status payment_service_get(db_conn *c, const char *business_id, const char *service_id,
			   money_terms *out);
/* Replaces them, in one transaction of its own. */
status payment_service_put(db_conn *c, const char *business_id, const char *service_id,
			   const money_terms *t, int64_t now);

/* Hook of book_create, inside its transaction, before the status is chosen: what a new
 * booking of svc at price must pay in advance (0: nothing). Only public bookings pay in
 * advance: staff bookings (no rq->client_addr) record payments by hand. */
status payment_booking_due(db_conn *c, const business *b, const service *svc,
			   const book_request *rq, int64_t price_minor, int64_t *due_out);
/* What a booking of svc at price that its customer makes final must pay in advance (0:
 * nothing), whatever path made it: the email confirmation of a public booking and the
 * acceptance of a waiting-list offer go through the same payment hold as a public booking
 * (payment_booking_held). */
status payment_customer_due(db_conn *c, const business *b, const service *svc, int64_t price,
			    int64_t *due_out);
/* Hook of book_create after a booking that needs payment was written pending: it keeps
 * its time until now + the business's hold_ttl_s (bk->hold_expires_at is set), its terms
 * are frozen (the service's refund tiers and no-show fee), and an open charge of due is
 * written. */
status payment_booking_held(db_conn *c, const business *b, booking *bk, const service *svc,
			    int64_t due_minor, int64_t now, arena *a);

/* How a cancellation refunds what was paid. */
typedef enum payment_refund_rule {
	PAYMENT_REFUND_POLICY,       /* the tiers frozen on the booking, by notice */
	PAYMENT_REFUND_FULL,         /* everything (a staff cancellation) */
	PAYMENT_REFUND_FORCE_MAJEURE /* everything, recorded as force majeure */
} payment_refund_rule;

/* Hook of a cancellation, inside its transaction: queues a refund of what the rule gives
 * back of each provider charge's net amount (the payment worker sends them). *refund_out
 * gets the total queued (may be NULL). Nothing when nothing was paid online. */
status payment_booking_cancelled(db_conn *c, const business *b, const booking *bk,
				 const service *svc, payment_refund_rule rule, const char *actor,
				 int64_t now, arena *a, int64_t *refund_out, int *percent_out);

/* Hook of a no-show (staff's or the lifecycle worker's), inside its transaction: a booking
 * made with payment terms keeps their no-show fee of what was paid online, and the rest is
 * queued back (*refund_out: how much). Nothing without terms. */
status payment_booking_no_show(db_conn *c, const business *b, const booking *bk,
			       const char *actor, int64_t now, arena *a, int64_t *refund_out);

/* What a cancellation now would refund under rule (the preview; no write). */
status payment_refund_preview(db_conn *c, const business *b, const booking *bk,
			      const service *svc, payment_refund_rule rule, int64_t now, arena *a,
			      int64_t *refund_out, int *percent_out);

/* The payment state of a booking. */
status payment_state_get(db_conn *c, const char *business_id, const booking *bk, arena *a,
			 payment_state *out);

/* The open charge of a booking (STATUS_NOT_FOUND: none). */
status payment_open_charge(db_conn *c, const char *business_id, const char *booking_id,
			   arena *a, payment_row *out);
/* Records the checkout created for an open charge. STATUS_CONFLICT when it is no longer
 * open. */
status payment_set_checkout(db_conn *c, const char *business_id, const char *payment_id,
			    const char *method, const char *provider_ref, const char *url,
			    int64_t now);

/* What applying a provider's payment did. */
typedef struct payment_outcome {
	business b;          /* the booking's business */
	booking bk;          /* the booking as it now is */
	bool duplicate;      /* the charge had succeeded already: nothing changed */
	bool confirmed;      /* the booking left its payment hold */
	bool refunded;       /* the booking had lapsed: the payment is queued for refund */
	const char *why;     /* STATUS_CONFLICT / STATUS_INVALID: a sentence */
} payment_outcome;

/* One transaction: the webhook event (source, event_id) recorded, then the charge found by
 * (method, provider_ref) succeeded with provider_payment for amount/currency (checked
 * against the charge: STATUS_INVALID when they differ). An event recorded before, or a
 * charge that succeeded already, changes nothing (out->duplicate). A booking still pending on its payment hold becomes confirmed (pending,
 * without its hold, when its service needs approval), with its event and message; one that
 * lapsed or was cancelled meanwhile gets the payment queued back in full.
 * STATUS_NOT_FOUND: no such charge. */
status payment_apply(db_conn *c, const char *source, const char *event_id, const char *method,
		     const char *provider_ref, const char *provider_payment, int64_t amount_minor,
		     const char *currency, int64_t now, arena *a, payment_outcome *out);

/* Whether a webhook event was seen before (recorded by payment_webhook_record or
 * payment_apply). */
status payment_webhook_seen(db_conn *c, const char *source, const char *event_id,
			    int64_t now, bool *seen);
/* Records an event that applied nothing (another type, or not one of ours); one seen
 * before is fine. */
status payment_webhook_record(db_conn *c, const char *source, const char *event_id,
			      int64_t now);

/* Staff record money taken or given back by hand (cash, card_terminal, bank_transfer), in
 * one transaction. A charge that covers what a booking on its payment hold is due confirms
 * it, as a provider's payment would (out->confirmed). */
status payment_record_manual(db_conn *c, const business *b, const char *booking_id,
			     const char *kind, const char *method, int64_t amount_minor,
			     const char *reason, const char *actor, int64_t now, arena *a,
			     payment_row *row_out, payment_outcome *out);

/* Rows of a booking, of a customer, or of a business in [from, to) by last change (for
 * the reconciliation report and revenue), oldest first, at most max. */
status payment_list_booking(db_conn *c, const char *business_id, const char *booking_id,
			    arena *a, payment_row **out, int *n);
status payment_list_customer(db_conn *c, const char *business_id, const char *customer_id,
			     int max, arena *a, payment_row **out, int *n);
status payment_list_range(db_conn *c, const char *business_id, int64_t from, int64_t to,
			  int max, arena *a, payment_row **out, int *n);

/* The payment worker: claims at most max refunds due at now (leasing them for lease_s so
 * no other process takes them meanwhile), with each one's charge's provider payment in
 * provider_payment. */
status payment_refunds_claim(db_conn *c, int64_t now, int lease_s, int max, arena *a,
			     payment_row **out, int *n);
/* A refund the provider accepted. */
status payment_refund_done(db_conn *c, const char *business_id, const char *id,
			   const char *refund_ref, int64_t now);
/* A refund that failed: tried again at retry_at, or failed for good when retry_at is 0. */
status payment_refund_retry(db_conn *c, const char *business_id, const char *id,
			    const char *error, int64_t retry_at, int64_t now);

#endif
