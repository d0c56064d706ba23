/* protection.h - what keeps public clients from emptying a calendar or sending mail for an
 * attacker: the business's limits (migration 0009) and the counts they are checked
 * against, read from the bookings table so that they hold across processes. */
#ifndef BOOKD_STORE_PROTECTION_H
#define BOOKD_STORE_PROTECTION_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "store/db.h"

/* A business's protection settings. For every count, 0 means no limit. */
typedef struct protection {
	int holds_per_client;          /* live holds of one browser session (its client token) */
	int holds_per_address;         /* live holds of one client address */
	int hold_day_share;            /* percent of a bookable's day (or session's seats) that
					* live holds may take together; 100 or 0: no limit */
	int bookings_per_address_hour; /* public bookings of one address in the last hour */
	int bookings_per_address_day;  /* ... and in the last 24 hours */
	int bookings_per_email_hour;   /* public bookings under one customer email, last hour */
	int bookings_per_email_day;    /* ... and in the last 24 hours */
	bool confirm_by_email;         /* a public booking waits for the link of a first email */
	int64_t confirm_within_s;      /* how long an unconfirmed booking keeps its slot */
	int slowdown_after;            /* public writes of one address in PROTECTION_SLOW_WINDOW_S
					* after which each further one waits (0: never) */
	int slowdown_ms;               /* how long it waits, in milliseconds */
} protection;

/* The window the slowdown counts an address's writes in. */
#define PROTECTION_SLOW_WINDOW_S 600

/* The defaults of migration 0009 (what a business has until it changes them). */
protection protection_defaults(void);

/* Reads and writes business_id's settings. STATUS_NOT_FOUND: no such business. */
status store_protection_get(db_conn *c, const char *business_id, protection *out);
status store_protection_set(db_conn *c, const char *business_id, const protection *p);

/* Whose writes a count is about. */
typedef enum client_key {
	CLIENT_ADDRESS, /* bookings.client_addr: the peer's address */
	CLIENT_TOKEN,   /* bookings.client_token: the booking page's browser-session token */
	CLIENT_EMAIL    /* bookings.customer_email: the normalised email typed */
} client_key;

/* Inside a write transaction: makes other public writes of the same key of the business
 * wait until this transaction ends, so two processes cannot both pass a limit at its last
 * free place (PostgreSQL: a transaction-scoped advisory lock; SQLite: nothing, its write
 * lock already serialises every writer). Take these before any row lock, address first. */
status store_client_lock(db_conn *c, const char *business_id, client_key k, const char *value);

/* Live plain holds (no customer yet) of the key at `now`: how many, and when the first of
 * them expires (0 when none). */
status store_client_holds(db_conn *c, const char *business_id, client_key k, const char *value,
			  int64_t now, int *count, int64_t *first_expiry);

/* Public bookings (with a customer: made from the public API, confirmed or not, cancelled
 * ones included, since their mail went out) of the key created after `since`: how many, and
 * the creation instant of the oldest of them (0 when none). */
status store_client_bookings(db_conn *c, const char *business_id, client_key k,
			     const char *value, int64_t since, int *count, int64_t *oldest);

/* Holds and public bookings (whatever became of them) the address made after `since`. */
status store_client_writes(db_conn *c, const char *business_id, const char *addr,
			   int64_t since, int *count);

/* Records the client (address; token or NULL) of a hold or public booking. */
status store_client_mark(db_conn *c, const char *business_id, const char *booking_id,
			 const char *addr, const char *token);

/* The statement store_holds_taking runs for a provider or a resource on c (for the plan
 * tests). */
const char *store_holds_taking_sql(const db_conn *c, bool resource);

/* What live holds take of one bookable (provider, or resource when `resource`) over
 * [from, to), or of one class session when session_id is not NULL: the held seconds inside
 * the range (session: held seats), and the first of those holds to expire (0 if none). */
status store_holds_taking(db_conn *c, const char *business_id, const char *bookable_id,
			  bool resource, const char *session_id, int64_t from, int64_t to,
			  int64_t now, int64_t *taken, int64_t *first_expiry);

/* Moves a hold's expiry to `until` (a booking waiting for its emailed confirmation keeps
 * its slot that long). STATUS_CONFLICT when it is no longer held. */
status store_hold_extend(db_conn *c, const char *business_id, const char *booking_id,
			 int64_t until, int64_t now);

#endif
