/* waitlist.h - waiting lists for full class sessions, and for an appointment service over a
 * window of dates, and the offers that cascade down them: a freed seat (or appointment time)
 * is offered to the first entry that fits as a hold of its own, in the same transaction that
 * freed it (or the jobs worker's next pass), and passed on when declined or let lapse. Every write is one transaction locked like every write that takes seats
 * (store/book.c). */
#ifndef BOOKD_STORE_WAITLIST_H
#define BOOKD_STORE_WAITLIST_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "core/model.h"
#include "store/book.h"
#include "store/db.h"

/* Priorities, best first: the order of the list is priority, then place, then id. */
enum { WAITLIST_HIGH = 0, WAITLIST_NORMAL = 1, WAITLIST_LOW = 2 };

/* The default (and the bounds) of the business setting waitlist_offer_s. */
#define WAITLIST_OFFER_S_DEFAULT 1800
#define WAITLIST_OFFER_S_MIN 60
#define WAITLIST_OFFER_S_MAX 604800

/* One entry. Strings in the caller's arena. */
typedef struct waitlist_entry {
	const char *id;
	const char *service_id;
	const char *session_id;    /* a class session, or NULL: an appointment window */
	const char *window_from;   /* appointments: local dates YYYY-MM-DD, both included */
	const char *window_to;
	const char *provider_id;   /* appointments: only this provider, or NULL */
	int time_from, time_to;    /* appointments: local start minutes [from, to), or -1 */
	int seats;                 /* seats wanted together */
	const char *customer_id;   /* matched by email like a booking's */
	const char *customer_name; /* as typed when joining */
	const char *customer_email;
	const char *customer_phone;
	const char *customer_tz;   /* or NULL */
	int priority;              /* WAITLIST_HIGH .. WAITLIST_LOW */
	int64_t place;             /* order within the priority */
	const char *status;        /* waiting, offered, booked, declined, expired, left, removed */
	const char *offer_hold_id; /* offered: the hold kept for it */
	int64_t offer_expires_at;  /* offered: until when */
	int offers;                /* how many offers it had */
	const char *booking_id;    /* booked: the booking */
	int64_t created_at;
	int64_t updated_at;
	int position;              /* waiting: 1-based place in the whole list; 0 otherwise */
	int64_t session_start;     /* the session's [start, end); appointments: the offered
				    * hold's while offered or booked, else 0 */
	int64_t session_end;
	const char *reference;     /* booked: the booking's reference, else NULL */
} waitlist_entry;

/* One step of an entry's history. */
typedef struct waitlist_event {
	int64_t at;
	const char *actor;      /* customer, staff:ID, job */
	const char *kind;       /* joined, offered, accepted, declined, expired, left, removed,
				 * reordered */
	const char *booking_id; /* the hold or booking concerned, or NULL */
	const char *reason;
} waitlist_event;

/* What joining asks: a session, or (session_id NULL) an appointment service's window. */
typedef struct waitlist_join_rq {
	const char *session_id;
	const char *service_id;     /* appointments: the service */
	const char *window_from;    /* appointments: local dates, both included, checked valid */
	const char *window_to;
	const char *provider_id;    /* appointments: one provider, or NULL */
	int time_from, time_to;     /* appointments: local start minutes [from, to), or -1 */
	int seats;
	const char *customer_name;
	const char *customer_email; /* normalised */
	const char *customer_phone; /* may be NULL */
	const char *customer_tz;    /* may be NULL */
	int sms_pref;               /* BOOK_SMS_KEEP, BOOK_SMS_YES (offers by SMS too), BOOK_SMS_NO */
	int priority;               /* the public join: WAITLIST_NORMAL */
	const char *actor;
	const char *client_addr;    /* public joins: counted by the booking limits */
	bool client_limits;         /* the business's per-address and per-email limits apply */
} waitlist_join_rq;

/* Joins the waiting list of a session of b in one write transaction: the session must
 * exist, lie ahead and have fewer free seats than asked (else STATUS_CONFLICT, why "seats
 * are free: book them"); or, without a session, the list of an active appointment service
 * (STATUS_NOT_FOUND otherwise) over the window asked (its provider one of the service's:
 * STATUS_INVALID, why, otherwise); the customer is matched or created by email (a stored name or
 * phone is never overwritten by a public join). A customer already waiting (or offered) on
 * the session gets that entry back with *existed set. A customer holding a booking of the
 * session: STATUS_CONFLICT. With client_limits, the business's public booking limits per
 * address and per email (hour, day) count joins too: STATUS_CONFLICT with res->limit.
 * STATUS_NOT_FOUND: no such session. On success *out is the entry with its position. */
status waitlist_join(db_conn *c, const business *b, const waitlist_join_rq *rq, int64_t now,
		     arena *a, waitlist_entry *out, bool *existed, book_result *res);

/* An entry of business_id (any business when business_id is NULL: the public routes name
 * the entry alone; *business_out then says whose), with its position and session times. */
status waitlist_get(db_conn *c, const char *business_id, const char *id, arena *a,
		    waitlist_entry *out, const char **business_out);

/* The entries of a business, in list order (waiting and offered first by priority and
 * place, then the rest newest first), filtered by session, service and/or status when not
 * NULL; with appointments, only the entries without a session. At most max. */
status waitlist_list(db_conn *c, const char *business_id, const char *session_id,
		     const char *service_id, bool appointments, const char *status, int max,
		     arena *a, waitlist_entry **out, int *n);

/* An entry's history, oldest first. */
status waitlist_events(db_conn *c, const char *business_id, const char *id, arena *a,
		       waitlist_event **out, int *n);

/* The customer leaves (kind "left") or staff remove the entry ("removed"): an offer it
 * holds is withdrawn (its hold let go) and passed to the next in the same transaction.
 * STATUS_CONFLICT (why): it has left the list already. */
status waitlist_leave(db_conn *c, const business *b, const char *id, const char *actor,
		      bool by_staff, const char *reason, int64_t now, arena *a, book_result *res);

/* Staff: changes an entry's priority (priority >= 0) and/or moves it to 1-based position
 * (position > 0) among the waiting entries of its priority. Only waiting entries move:
 * STATUS_CONFLICT otherwise. */
status waitlist_update(db_conn *c, const business *b, const char *id, int priority,
		       int position, const char *actor, int64_t now, arena *a);

/* The offer's person books it in one step: the hold becomes their booking (confirmed, or
 * pending when the service needs approval), counted for the customer, confirmed by email;
 * res->manage_token is its manage token. STATUS_CONFLICT (why): no live offer (it lapsed,
 * was declined, or was never made). */
status waitlist_accept(db_conn *c, const business *b, const char *id, int64_t now, arena *a,
		       book_result *res);

/* Staff offer a place by hand, out of turn, to a waiting entry: its session's seats (or, on
 * an appointment list, start with provider_id or anyone), now, as a hold like any offer.
 * STATUS_CONFLICT: not waiting (why), booking closed (why), or the engine refuses
 * (res->reason, res->why). */
status waitlist_offer_now(db_conn *c, const business *b, const char *id, int64_t start,
			  const char *provider_id, const char *actor, int64_t now, arena *a,
			  book_result *res);

/* The offer's person declines: the hold is let go and the seat offered to the next, in one
 * transaction. STATUS_CONFLICT when there is no live offer. */
status waitlist_decline(db_conn *c, const business *b, const char *id, int64_t now, arena *a);

/* Inside a write transaction that freed the appointment time of booking bk (cancelled, no
 * show, let go, moved away): offers that start, with bk's provider, to the first waiting
 * entry of bk's service whose window, provider and times fit, when the engine offers it. */
status waitlist_refill_time(db_conn *c, const business *b, const booking *bk, int64_t now,
			    arena *a);

/* Inside a write transaction that freed seats of session_id (a cancellation, a no-show, a
 * hold let go, a move away): offers them down the session's list, each to the first waiting
 * entry that fits, as holds (store/book.c checks each against the engine). Cheap when
 * nobody waits. *offered (may be NULL) gets how many offers were made. */
status waitlist_refill(db_conn *c, const business *b, const char *session_id, int64_t now,
		       arena *a, int *offered);

/* A hold a sweep made or let go. */
typedef struct waitlist_hold {
	const char *business_id;
	const char *booking_id;
} waitlist_hold;
/* What a sweep did. */
typedef struct waitlist_touched {
	int changed;          /* entries moved on */
	waitlist_hold *holds; /* holds made or let go (in the caller's arena) */
	int n, cap;
} waitlist_touched;

/* The jobs worker's pass: offers whose hold lapsed (or was booked or let go another way)
 * end as such, entries of sessions that began expire, and sessions with people waiting and
 * seats free (a hold expired, capacity raised) get their offers, each session in its own
 * transaction (not inside the caller's). *out says what moved, strings in a. */
status waitlist_sweep(db_conn *c, int64_t now, arena *a, waitlist_touched *out);

/* How waiting lists converted: entries joined in [from, to), how many were offered a place,
 * booked one, are still on the list, and the offers made in the range and how they ended. */
typedef struct waitlist_stats {
	int64_t joined, offered, booked, waiting;       /* entries joined in the range */
	int64_t offers, accepted, declined, expired;    /* offer steps in the range */
} waitlist_stats;
status waitlist_stats_get(db_conn *c, const char *business_id, int64_t from, int64_t to,
			  waitlist_stats *out);

/* The business's offer time (waitlist_offer_s) and its change. */
status waitlist_offer_s_get(db_conn *c, const char *business_id, int64_t *out);
status waitlist_offer_s_set(db_conn *c, const char *business_id, int64_t offer_s);

/* The entry whose offer is the hold booking_id (for the offer email): its id, or
 * STATUS_NOT_FOUND. */
status waitlist_by_hold(db_conn *c, const char *business_id, const char *booking_id, arena *a,
			const char **entry_id);

/* Seats left (capacity less live bookings and holds) and people waiting, per session of
 * service_id starting in [from, to), for the booking page's list of sessions, full ones
 * included. */
typedef struct waitlist_session {
	const char *id;
	const char *provider_id;
	int64_t start, end;
	int capacity;
	int seats_left;
	int waiting;
} waitlist_session;
status waitlist_sessions(db_conn *c, const char *business_id, const char *service_id,
			 int64_t from, int64_t to, int64_t now, arena *a, waitlist_session **out,
			 int *n);

#endif
