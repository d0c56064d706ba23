/* session_rules.h - a class session's minimum attendance: its own or its service's
 * (store/group.h group_rules), decided once at the decision time; a session under its
 * minimum then is cancelled with every booking in it, and offered no more. */
#ifndef BOOKD_STORE_SESSION_RULES_H
#define BOOKD_STORE_SESSION_RULES_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "core/model.h"
#include "store/book.h"
#include "store/db.h"

/* A session's minimum and its decision. */
typedef struct session_rules {
	const char *session_id;
	const char *service_id;
	int64_t start;          /* the session's start */
	int min_attendance;     /* the minimum that applies (0: none) */
	bool own;               /* the session has its own minimum (else the service's) */
	int64_t decide_at;      /* when it is decided (0: no minimum) */
	const char *decision;   /* NULL until decided, then "kept" or "cancelled" */
	int attendance;         /* seats taken now (or counted at the decision) */
} session_rules;

/* Reads them. STATUS_NOT_FOUND: no such session. */
status session_rules_get(db_conn *c, const char *business_id, const char *session_id,
			 int64_t now, arena *a, session_rules *out);
/* Sets the session's own minimum (min < 0: back to the service's). STATUS_NOT_FOUND: no such
 * session; STATUS_CONFLICT: decided already. */
status session_rules_set(db_conn *c, const char *business_id, const char *session_id, int min);

/* One session a sweep decided. */
typedef struct session_decided {
	const char *business_id;
	const char *session_id;
	bool cancelled;          /* under its minimum: cancelled */
	const char **bookings;   /* cancelled: the bookings cancelled (ids) */
	int n_bookings;
} session_decided;

/* The statement that lists a session's live bookings on c (for the plan tests). */
const char *store_session_bookings_sql(const db_conn *c);

/* The jobs' pass: every session whose decision time has come (and which has not begun) is
 * decided in a transaction of its own that first claims the decision (a compare-and-set on
 * session_rules.decided_at, so it is taken exactly once whatever processes run the sweep,
 * and a crash before the commit leaves it undecided), counts the seats taken and, under the
 * minimum, cancels every booking and hold in it (each customer told, as a staff
 * cancellation tells them) and the session's waiting list. *out (in a) lists them. */
status session_rules_sweep(db_conn *c, int64_t now, arena *a, session_decided **out, int *n);

/* Who joins a session under way. */
typedef struct late_join_request {
	const char *session_id;
	const char *name;  /* required */
	const char *email; /* normalised */
	const char *phone; /* may be NULL */
	const char *tz;    /* the customer's zone for messages, or NULL */
	const char *actor; /* customer, staff:ID */
} late_join_request;

/* Books one seat of a class session that has begun, while the service lets people join late
 * (its group rules' late_join_s: now < start + late_join_s). The seat is checked by the slot
 * engine under the locks as of the session's booking cut-off (start - minimum notice), so a
 * hold that lapsed since still counts: never more seats than the session has. The customer
 * gets the "late_join" message, not a confirmation. STATUS_NOT_FOUND: no such session;
 * STATUS_INVALID (res->why): the session has not begun, late joining is closed or not
 * allowed; STATUS_CONFLICT (res->reason, why): no seat left. */
status session_late_join(db_conn *c, const business *b, const late_join_request *rq,
			 int64_t now, arena *a, book_result *res);

/* A class's sessions that have begun and may still be joined at now (seats left > 0), for
 * the booking page. */
typedef struct late_session {
	const char *id;
	int64_t start;
	int64_t end;
	int seats_left;
} late_session;
status session_late_list(db_conn *c, const char *business_id, const char *service_id,
			 int64_t now, arena *a, late_session **out, int *n);

/* A SQL condition (on a sessions row aliased s) true when the session was cancelled under
 * its minimum: the availability reads leave such sessions out. */
#define SESSION_RULES_OPEN_SQL(s)                                                              \
	"NOT EXISTS (SELECT 1 FROM session_rules sr_ WHERE sr_.business_id = " s                \
	".business_id AND sr_.session_id = " s ".id AND sr_.decision = 'cancelled')"

#endif
