/* book.h - every write that takes, frees or moves a booking's time, each in one transaction:
 * lock the bookable, check the exact slot again with the slot engine, write, record the
 * event. Callable without HTTP, by the public API, the staff API and the jobs alike. */
#ifndef BOOKD_BOOK_H
#define BOOKD_BOOK_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "core/avail.h"
#include "core/lifecycle.h"
#include "core/model.h"
#include "store/db.h"

/* What is asked: a hold, or a booking (direct, or from a hold). */
typedef struct book_request {
	const char *service_id;     /* the service (ignored when booking a hold) */
	int64_t start;              /* requested start */
	int64_t end;                /* rentals: requested end; otherwise 0 */
	const char *provider_id;    /* a provider (rentals: a resource), or NULL for any */
	int seats;                  /* seats, >= 1 */
	const char *hold_id;        /* book_create: turn this hold into the booking */
	const char *customer_name;  /* book_create: contact details as typed */
	const char *customer_email; /* already normalised (trimmed, lower-case) */
	const char *customer_phone; /* may be "" */
	const char *customer_tz;    /* the customer's IANA zone for messages, or NULL */
	const char *notes;          /* may be "" */
	int sms_pref;               /* BOOK_SMS_KEEP (0), BOOK_SMS_YES or BOOK_SMS_NO */
	const char *source;         /* web, phone, walk_in, admin, api */
	const char *actor;          /* for the history: customer, staff:ID, job */
	bool force;                 /* staff only: take the time despite a conflict (audited) */
	const char *override_reason; /* with force: why, kept in the history when the engine
				      * refused the time (NULL or "" when none given) */
	bool quiet;                 /* staff only: the customer is not sent the message of this
				     * change (outbox_booking_quiet); the history says so */
	const char *rebook_of;      /* set by book_rebook: the reference booked again */
	const char *client_addr;    /* public writes: the client's address, recorded on the row */
	const char *client_token;   /* public writes: the booking page's session token, or NULL */
	bool client_limits;         /* public writes: the business's protection limits apply
				     * (store/protection.h), checked inside the transaction */
	const char *series_id;      /* an occurrence of a series (store/series.h): its history
				     * names the series, and its customer hears of the whole
				     * series in one message instead of one per occurrence */
	const char *manage_token;   /* the manage token to give the booking (a series shares
				     * one), or NULL for a new one */
	const char *package_id;     /* a customer package (store/package.h) the booking draws
				     * one session from, in the same transaction, or NULL */
	const char *referral;       /* book_create: where the booking came from (api/referral.h,
				     * normalised), or NULL */
	const char *const *addons;  /* add-on ids chosen (store/pricing.h), n_addons of them */
	size_t n_addons;
	const char *location;       /* the location priced at (pricing rules), or NULL */
} book_request;

/* book_request.sms_pref: whether the customer wants SMS; KEEP leaves their choice alone. */
enum { BOOK_SMS_KEEP = 0, BOOK_SMS_YES = 1, BOOK_SMS_NO = 2 };

/* What happened. Filled on success; on a slot conflict, reason and why say why. */
typedef struct book_result {
	booking b;                /* the booking as it now is */
	service svc;              /* its service */
	avail_reason reason;      /* slot conflicts: the engine's reason */
	const char *why;          /* conflicts and refusals: a sentence for people */
	const char *manage_token; /* book_create: the secret, shown once, stored hashed */
	int64_t refund_minor;     /* book_cancel: what the policy gives back */
	int refund_percent;       /* book_cancel: the tier applied */
	int64_t paid_refund_minor; /* cancellations: what is queued back of payments taken
				    * online (store/payment.h) */
	const char *limit;        /* a protection limit refused the write (STATUS_CONFLICT):
				   * its setting's name, e.g. "holds_per_address" */
	int64_t retry_after;      /* with limit: seconds until it would pass */
	const char *refusal;      /* a rule refused the write (STATUS_CONFLICT): its code, e.g.
				   * OVERLAP_REFUSAL (store/overlap_guard.h) */
	struct pricing_rules *pricing; /* holds and bookings: the service's rules, or NULL */
	int64_t price_extra_s;    /* holds and bookings: the time the add-ons add */
	const char *price_lines;  /* holds and bookings: the breakdown (JSON) when priced by
				   * rules, or NULL (store/pricing.h) */
} book_result;

/* Renders the answer of a successful book_create, for idempotency: the text is stored with
 * the key in the same transaction. */
typedef char *(*book_render)(const book_result *res, const business *b, arena *a);
typedef struct book_idem {
	const char *key;          /* the Idempotency-Key */
	const char *request_hash; /* hash of the request body */
	book_render render;       /* makes the 201 answer's body */
} book_idem;

/* Holds: status held until now + the business's hold_ttl_s. STATUS_NOT_FOUND: no such
 * (active) service; STATUS_INVALID (why set): a rental without a valid end;
 * STATUS_CONFLICT: the slot is not offered (reason, why), or, with rq->client_limits, a
 * protection limit refused it (res->limit, res->retry_after, why): the client's live
 * holds (per address, per client token) or the share of the bookable's local day (class:
 * the session's seats) that live holds already take. */
status book_hold(db_conn *c, const business *b, const book_request *rq, int64_t now, arena *a,
		 book_result *res);

/* A booking, direct or from rq->hold_id. Matches or creates the customer by email, keeps
 * the contact details on the booking, creates the manage token. With rq->client_limits,
 * the public booking limits per address and per email (hour, day) apply first
 * (STATUS_CONFLICT with res->limit). With idem, the rendered
 * answer is stored under the key in the same transaction (STATUS_CONFLICT with why
 * "idempotency" when a concurrent request stored it first: read it back). A public booking
 * (rq->client_addr) whose customer already holds an overlapping live booking is
 * STATUS_CONFLICT with res->refusal OVERLAP_REFUSAL unless allowed (store/overlap_guard.h).
 * Errors as book_hold; a hold that is gone or expired is STATUS_CONFLICT. */
status book_create(db_conn *c, const business *b, const book_request *rq, const book_idem *idem,
		   int64_t now, arena *a, book_result *res);

/* A public booking made while the business has confirm_by_email is kept as a hold with its
 * customer (until now + confirm_within_s; it expires like any hold, and sends nothing but
 * the "confirm_request" email): this makes it final (confirmed, or pending when the service
 * needs approval), counts it for the customer and queues what a booking sends.
 * STATUS_CONFLICT (why): lapsed, or confirmed already. Only the link of that email may call
 * it: the manage token went to whoever made the request. */
status book_confirm_email(db_conn *c, const business *b, const char *booking_id, int64_t now,
			  arena *a, book_result *res);

/* Confirm, check in, complete, no-show, expire: a compare-and-swap on the status.
 * STATUS_NOT_FOUND: no such booking; STATUS_CONFLICT (why): not allowed from its status, or
 * changed concurrently. */
status book_act(db_conn *c, const business *b, const char *booking_id, booking_action act,
		const char *actor, const char *reason, int64_t now, arena *a, book_result *res);

/* Cancels. With customer, the service's cancellation window applies (STATUS_INVALID with why
 * when too late) and its refund tiers decide res->refund_*; staff cancel at any time with a
 * full refund. */
status book_cancel(db_conn *c, const business *b, const char *booking_id, const char *actor,
		   const char *reason, bool by_customer, int64_t now, arena *a, book_result *res);

/* Staff's book_act and book_cancel (ACTION_CANCEL: at any time, full refund) in one call;
 * with quiet, the customer is not sent the message of the change (outbox_booking_quiet) and
 * the event's changes say {"notified": false}. Errors as book_act. */
status book_staff_act(db_conn *c, const business *b, const char *booking_id, booking_action act,
		      const char *actor, const char *reason, bool quiet, int64_t now, arena *a,
		      book_result *res);

/* Staff's cancellation with the rule for refunding what was paid online (a
 * payment_refund_rule of store/payment.h: the booking's policy tiers, in full, or in full
 * as force majeure). Otherwise as book_staff_act. */
status book_staff_cancel(db_conn *c, const business *b, const char *booking_id,
			 const char *actor, const char *reason, bool quiet, int refund_rule,
			 int64_t now, arena *a, book_result *res);

/* Moves a booking to rq->start (rentals: rq->end too) with rq->provider_id or anyone, in one
 * transaction that frees the old time and takes the new. With customer, the reschedule
 * window applies (STATUS_INVALID with why). rq->force lets staff override a conflict. */
status book_reschedule(db_conn *c, const business *b, const char *booking_id,
		       const book_request *rq, bool by_customer, int64_t now, arena *a,
		       book_result *res);

/* A new booking from an old one (staff "rebook"): the same service, customer, seats and
 * provider (unless rq->provider_id names another) at rq->start (rentals: rq->end), made by
 * book_create; the new booking's history names the old reference. */
status book_rebook(db_conn *c, const business *b, const char *booking_id, const book_request *rq,
		   int64_t now, arena *a, book_result *res);

#endif
