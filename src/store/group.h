/* group.h - booking groups: one organiser books several participants at one time, each a
 * booking of its own, in one transaction that takes every seat or none; participants added
 * or removed later, the whole group cancelled; the group rules of a service (sizes, a class
 * session's minimum attendance and its decision time, late joining). */
#ifndef BOOKD_STORE_GROUP_H
#define BOOKD_STORE_GROUP_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "core/model.h"
#include "store/book.h"
#include "store/db.h"

/* Most participants one group may have, whatever a service allows. */
#define GROUP_MAX_PARTICIPANTS 50

/* One participant as typed. */
typedef struct group_person {
	const char *name;  /* required */
	const char *email; /* normalised (trimmed, lower-case) */
	const char *phone; /* may be NULL */
} group_person;

/* What the organiser asks for. */
typedef struct group_request {
	const char *service_id;      /* a class or appointment service with groups enabled */
	int64_t start;               /* the session's start, or the appointment's */
	const char *organiser_name;  /* who books */
	const char *organiser_email; /* normalised */
	const char *organiser_phone; /* may be NULL */
	const char *company_name;    /* may be NULL: matched or created (group_company_match) */
	const char *customer_tz;     /* the organiser's zone for messages, or NULL */
	const char *notes;           /* may be NULL; on every participant's booking */
	const group_person *people;  /* the participants */
	int n_people;
	const char *source;          /* web, phone, admin, api */
	const char *actor;           /* customer, staff:ID */
	const char *client_addr;     /* public: the client's address, recorded on each booking */
	bool client_limits;          /* public: the business's booking limits apply to the
				      * address and the organiser's email (each participant
				      * counts as one booking of the address) */
} group_request;

/* A group with its participants' bookings (every one, cancelled ones too, in order made). */
typedef struct booking_group {
	const char *id;
	const char *reference;       /* what the organiser quotes */
	const char *service_id;
	int64_t start_at;
	const char *status;          /* active | cancelled */
	const char *organiser_name;
	const char *organiser_email;
	const char *organiser_phone;
	const char *organiser_customer_id;
	const char *company_id;      /* or NULL */
	const char *company_name;    /* or NULL */
	int64_t created_at;
	booking *members;
	int n_members;
	int live;                    /* members holding their seat */
} booking_group;

/* A service's group rules (defaults when it has none stored). */
typedef struct group_rules {
	int group_min;           /* fewest participants of a group */
	int group_max;           /* most; 0: the service takes no groups */
	int min_attendance;      /* class sessions: fewest seats taken at the decision time (0: no
				  * minimum) */
	int64_t decide_before_s; /* the decision comes this long before the start */
	int64_t late_join_s;     /* class: joining stays open this long after the start (0: not) */
} group_rules;

/* What a group write did; on failure why (and book's reason on a slot conflict) say why and
 * field names the request field at fault when there is one. */
typedef struct group_result {
	booking_group g;          /* the group as it now is */
	service svc;              /* its service */
	book_result res;          /* the slot engine's answer of a refused seat */
	const char *why;          /* refusals, for people */
	const char *field;        /* the field at fault (422), or NULL */
	const char **tokens;      /* group_create/group_add: each new member's manage token, in
				   * member order of those made by this call */
	int n_tokens;
} group_result;

/* The rules of svc (defaults: groups off, no minimum). */
status group_rules_get(db_conn *c, const char *business_id, const char *service_id,
		       group_rules *out);
/* Stores them (one write transaction). STATUS_INVALID (why) when group_min > group_max > 0
 * or group_max is above GROUP_MAX_PARTICIPANTS. */
status group_rules_put(db_conn *c, const char *business_id, const char *service_id,
		       const group_rules *in, const char **why);

/* Books every participant at rq->start, all or none, in one write transaction: each seat is
 * checked by the slot engine under the locks (book_take_slot) after the ones before it are
 * written, so a class session with fewer seats left than participants, or an appointment
 * time with fewer providers free, refuses the whole group (STATUS_CONFLICT, out->res.reason)
 * and nothing is written. Each participant's booking is matched to their customer profile,
 * gets its own manage token and its own confirmation and reminders; the organiser gets one
 * summary email ("group_summary"). STATUS_INVALID (why, field): sizes outside the service's
 * rules, groups not enabled, a participant twice. STATUS_NOT_FOUND: no such active service.
 * With rq->client_limits, STATUS_CONFLICT with out->res.limit when a public booking limit
 * refuses it. */
status group_create(db_conn *c, const business *b, const group_request *rq, int64_t now,
		    arena *a, group_result *out);

/* Reads a group by id: within business_id, or across businesses when it is NULL
 * (*business_id_out then gets its business; may be NULL). STATUS_NOT_FOUND. */
status group_get(db_conn *c, const char *business_id, const char *id, arena *a,
		 booking_group *out, const char **business_id_out);
/* The group a booking belongs to: its id in *group_id (NULL when none). */
status group_of_booking(db_conn *c, const char *business_id, const char *booking_id, arena *a,
			const char **group_id);

/* Adds a participant to an active group: a seat at the group's time (its class session),
 * checked like the first ones, within group_max. Errors as group_create; STATUS_CONFLICT
 * (why) when the group is cancelled or already started. */
status group_add(db_conn *c, const business *b, const char *group_id, const group_person *p,
		 const char *actor, int64_t now, arena *a, group_result *out);
/* Cancels one participant's booking (member: its booking id or reference). by_customer: the
 * service's cancellation window applies, and the group may not go under group_min (the
 * organiser cancels the whole group instead). STATUS_NOT_FOUND: not a member. */
status group_remove(db_conn *c, const business *b, const char *group_id, const char *member,
		    const char *actor, bool by_customer, int64_t now, arena *a, group_result *out);
/* Cancels every live participant and the group, in one transaction. */
status group_cancel(db_conn *c, const business *b, const char *group_id, const char *actor,
		    const char *reason, bool by_customer, int64_t now, arena *a, group_result *out);

/* Groups of a business, newest first (members not loaded), at most max; company_id filters
 * when not NULL. */
status group_list(db_conn *c, const char *business_id, const char *company_id, int max,
		  arena *a, booking_group **out, int *n);

/* Message words of a group message about booking bk ("group_summary"): the organiser's
 * name, the group's reference and id, and one line per live participant. STATUS_NOT_FOUND
 * when the booking is in no group. */
status group_message_words(db_conn *c, const char *business_id, const char *booking_id,
			   arena *a, const char **organiser, const char **reference,
			   const char **group_id, const char **participants);

#endif
