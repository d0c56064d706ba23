/* avail.h - the slot engine: which starts (or rental ranges, or class sessions) are offered. */
#ifndef BOOKD_AVAIL_H
#define BOOKD_AVAIL_H

/*
 * This is DESIGN.md "Availability" as code. The API layer fills an avail_request from the
 * database (one service, its candidate providers/resources with their schedules and busy
 * time, the business's closures) and asks one of:
 *
 *   avail_slots    every offered start in [from, to) (or free rental ranges, or sessions);
 *   avail_check    whether one requested start (rentals: start and end) is offered, by the
 *                  same code as avail_slots: holds, bookings and reschedules use this;
 *   avail_explain  why a start is not offered, as a stable reason code.
 *
 * Pure: no I/O, no clock (`now` is a parameter), no globals. Thread-safe as long as each
 * call has its own arena; the request is only read. Every result is allocated from the
 * caller's arena and valid until it is freed; ids in results are the request's own id
 * pointers (borrowed), so the request's strings must outlive the result.
 *
 * Instants are UTC seconds. Days are local day numbers (civil_days numbering) in the zone
 * named for them. Minutes of a day are wall-clock minutes after local midnight.
 *
 * Cost grows with rules x days, busy entries and slots offered, never with minutes in the
 * range: open time is built per local date from the rules, busy lists are walked with a
 * moving pointer, and wall -> UTC is plain arithmetic on dates without a DST change.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/status.h"
#include "core/tz.h"

/* The longest range avail_slots accepts (to - from), in seconds: 400 days. */
#define AVAIL_MAX_RANGE_S ((int64_t)400 * 86400)
/* How far past `to` a rental range is followed when the service sets no maximum length. */
#define AVAIL_RENTAL_HORIZON_S ((int64_t)31 * 86400)

/* What a service sells (services.kind). */
typedef enum avail_kind {
	AVAIL_APPOINTMENT, /* a fixed duration starting on the slot grid */
	AVAIL_CLASS,       /* fixed sessions with seats */
	AVAIL_RENTAL       /* the customer picks start and end inside a free range */
} avail_kind;

/* The service being asked about (a row of `services`). */
typedef struct avail_service {
	avail_kind kind;         /* appointment, class or rental */
	int64_t duration_s;      /* appointment length; rentals: minimum when min_length_s is 0 */
	int64_t buffer_before_s; /* kept free before each booking (may lie outside hours) */
	int64_t buffer_after_s;  /* kept free after each booking (may lie outside hours) */
	int64_t min_notice_s;    /* a start must be at least this far after now */
	int64_t max_advance_s;   /* a start may be at most this far after now */
	int64_t slot_interval_s; /* grid step in the schedule zone's wall time; a multiple of 60 */
	int capacity;            /* seats per start and provider (group appointments when > 1) */
	int64_t min_length_s;    /* rentals: shortest booking; 0 means duration_s */
	int64_t max_length_s;    /* rentals: longest booking; 0 means no maximum */
	bool whole_days;         /* rentals: start and end are local midnights */
	bool needs_resource;     /* appointments: one provider AND one resource per booking */
} avail_service;

/* One weekly rule (a row of `schedules`): open on `weekday` from start_min to end_min. */
typedef struct avail_rule {
	int weekday;         /* 0 = Monday ... 6 = Sunday, of the date the rule belongs to */
	int start_min;       /* 0..1440, minutes after that date's local midnight */
	int end_min;         /* start_min < end_min <= 2880; past 1440 runs into the next day */
	bool has_valid_from; /* false: valid since ever */
	int64_t valid_from;  /* first local day the rule applies (included) */
	bool has_valid_to;   /* false: valid for ever */
	int64_t valid_to;    /* last local day the rule applies (included) */
} avail_rule;
/* Rules out of these bounds (or empty) contribute nothing. */

/* One override row: for its date it replaces every weekly rule. Several rows for one date
 * give several ranges; a closed row closes the date whatever the other rows say. */
typedef struct avail_override {
	int64_t day;   /* the local day replaced */
	bool closed;   /* the date is closed */
	int start_min; /* when open: like avail_rule.start_min */
	int end_min;   /* when open: like avail_rule.end_min */
} avail_override;

/* An absolute interval (time off). */
typedef struct avail_span {
	int64_t start; /* first instant */
	int64_t end;   /* first instant after */
} avail_span;

/* One booking or live hold taking time from a bookable. */
typedef struct avail_busy {
	int64_t busy_start; /* start widened by its own service's buffer_before */
	int64_t busy_end;   /* end widened by its own service's buffer_after */
	int64_t start;      /* the booking's own start (unwidened) */
	int64_t end;        /* the booking's own end (unwidened); explain tells busy from buffer */
	int seats;          /* seats it takes (>= 1) */
	bool same_service;  /* booked on the service being asked about */
	bool external;      /* read from an external calendar (explain: "external_busy") */
} avail_busy;
/* For a group appointment (capacity > 1) an entry of the same service with the same start
 * shares that start's seats; every other overlapping entry blocks. External calendar busy
 * time comes as entries with same_service false and external true (start/end equal to
 * busy_start/busy_end).
 * When checking a reschedule, leave the booking being moved out: it must not block itself. */

/* A provider or resource that can be booked, with everything that decides its time. */
typedef struct avail_bookable {
	const char *id;                  /* opaque id, echoed (borrowed) in results */
	const tz *zone;                  /* schedule zone; NULL means the business zone */
	const avail_rule *rules;         /* weekly rules, any order */
	size_t n_rules;                  /* entries in rules */
	const avail_override *overrides; /* dated overrides, any order */
	size_t n_overrides;              /* entries in overrides */
	const avail_span *time_off;      /* absolute time off, any order */
	size_t n_time_off;               /* entries in time_off */
	const avail_busy *busy;          /* bookings and live holds, faster sorted by busy_start */
	size_t n_busy;                   /* entries in busy */
	bool calendar_stale;             /* its external calendar data is too old to trust (a
	                                  * fail-closed connection): it offers nothing */
	int capacity;                    /* the resources of a needs_resource appointment: how
	                                  * many bookings may use it at once (0 or 1: one) */
	int64_t buffer_before_s;         /* rented items: turnaround kept free before each booking
	                                  * of it, added to the service's (0: none) */
	int64_t buffer_after_s;          /* rented items: the same after each booking */
	const avail_span *blackouts;     /* ranges it cannot be booked at all, any order */
	size_t n_blackouts;              /* entries in blackouts */
	bool overnight;                  /* rentals (not whole days): only the start (pickup)
	                                  * and the end (return) must lie in open time; the
	                                  * rental may run through closed hours (see avail_slots) */
} avail_bookable;
/* Item buffers widen like a service's: a booking [s, e) of the item keeps [s - before, e +
 * after) free, where before and after are the service's plus the item's, and every booking
 * of the item counts as busy over its own busy span widened by the item's buffers too.
 * External calendar entries are not widened by them. A blackout blocks the booking itself
 * (no buffer widens it). */

/* One occurrence of a class (a row of `sessions`). */
typedef struct avail_session {
	const char *id;          /* session id, echoed (borrowed) */
	const char *provider_id; /* who leads it; may be NULL */
	int64_t start;           /* UTC */
	int64_t end;             /* UTC */
	int capacity;            /* seats in all */
	int seats_taken;         /* seats held or booked */
} avail_session;

/* Everything the engine reads for one service. All pointers are borrowed. */
typedef struct avail_request {
	const avail_service *service;    /* the service */
	const tz *business_zone;         /* the business's zone: closures, default schedules */
	const int64_t *closures;         /* closed local days in the business zone, any order */
	size_t n_closures;               /* entries in closures */
	const avail_bookable *providers; /* candidates: providers; for rentals the things rented */
	size_t n_providers;              /* entries in providers */
	const avail_bookable *resources; /* needs_resource appointments: candidate resources */
	size_t n_resources;              /* entries in resources */
	const avail_session *sessions;   /* classes: the sessions that may be offered */
	size_t n_sessions;               /* entries in sessions */
	const avail_bookable *business;  /* the business's own weekly rules and overrides (zone
	                                  * NULL: business_zone; nothing else is read), which
	                                  * bound every candidate's hours: a candidate's hours on
	                                  * a date are its own intersected with these. NULL when
	                                  * the business has no rules: it bounds nothing */
} avail_request;

/* What is asked of avail_slots. */
typedef struct avail_query {
	int64_t from;         /* starts at or after this instant */
	int64_t to;           /* starts before this instant */
	int64_t now;          /* the current instant (notice and advance count from it) */
	int seats;            /* seats wanted; 0 means 1 */
	const char *provider; /* only this candidate id; NULL for any */
} avail_query;

/* One offered start (or free range, or session). */
typedef struct avail_slot {
	int64_t start;          /* UTC start */
	int64_t end;            /* start + duration; rentals: end of the free range */
	int64_t last_start;     /* rentals: latest start inside the range; otherwise start */
	const char **providers; /* candidates who can take it, in request order (borrowed) */
	size_t n_providers;     /* entries in providers */
	const char **resources; /* needs_resource: free resources, in request order */
	size_t n_resources;     /* entries in resources */
	int seats_left;         /* bookings still possible at this start (see avail_slots) */
	const char *session_id; /* classes: the session; NULL otherwise */
	const avail_span *returns; /* overnight rentals: where an end (return) may fall, each
	                            * span with both ends included, sorted; NULL otherwise */
	size_t n_returns;          /* entries in returns */
} avail_slot;

/* The answer of avail_slots: slots sorted by start (then end). */
typedef struct avail_result {
	avail_slot *slots; /* allocated from the caller's arena */
	size_t n_slots;    /* entries in slots */
} avail_result;

/* Computes every slot offered in q. Appointments: each grid start s (wall-clock minutes
 * after local midnight that are multiples of slot_interval, in each provider's schedule
 * zone; a grid time missing that day is skipped, a repeated one counts at its first
 * occurrence) with from <= s < to and now + min_notice <= s <= now + max_advance, where
 * [s, s + duration) lies in open time and [s - buffer_before, s + duration + buffer_after)
 * overlaps no blocking busy time, and at least q->seats seats remain. seats_left is the sum
 * over the listed providers of their seats left (1 each for one-seat services); with
 * needs_resource, the smaller of that and the same sum over the free resources, a resource
 * of capacity c having c minus the most bookings (seats) that use it at any instant of the
 * widened range.
 * Rentals: free ranges (open time minus busy time widened so this service's buffers fit)
 * snapped inward to the grid (whole_days: to the first instant of a local day, midnight or,
 * on the rare day whose midnight is skipped, the end of that gap), at least the minimum length,
 * whose start is in [from, to) and inside notice/advance; one slot per range, ranges equal
 * across candidates share one slot listing them all. An overnight candidate (not whole days)
 * instead gives one slot per stretch of open time (a pickup window) inside time free of busy,
 * blackouts and time off: start and last_start are its first and last grid starts, end the
 * latest return, and returns the open time (each span's end included) where the rental may
 * end; the time between may be closed. Classes: the sessions starting in
 * [from, to) within notice/advance with at least q->seats seats left.
 * Returns STATUS_INVALID for a bad service (see avail_service_validate), a NULL business
 * zone, to < from, a range over AVAIL_MAX_RANGE_S or seats < 0; STATUS_NOT_FOUND when
 * q->provider names no candidate. *out is set (empty on error). */
status avail_slots(const avail_request *req, const avail_query *q, arena *a, avail_result *out);

/* One requested booking to check or explain. */
typedef struct avail_pick {
	int64_t start;        /* requested start */
	int64_t end;          /* rentals: requested end; ignored otherwise */
	int64_t now;          /* the current instant */
	int seats;            /* seats wanted; 0 means 1 */
	const char *provider; /* the candidate asked for; NULL for any */
} avail_pick;

/* True when avail_slots would offer exactly this start (for rentals: a range containing
 * [start, end) with the length allowed and both ends on the grid) to the provider asked for
 * (or to anyone) with enough seats. When offered and out is not NULL, *out is the slot as
 * avail_slots would list it, but for rentals with start/end set to the pick (so
 * out->providers are the candidates able to take it). Same rules and code as avail_slots. */
bool avail_check(const avail_request *req, const avail_pick *p, arena *a, avail_slot *out);

/* Why a start is or is not offered. Stable: the names are part of the API. */
typedef enum avail_reason {
	AVAIL_REASON_OFFERED,       /* "offered": it is offered */
	AVAIL_REASON_MIN_NOTICE,    /* "min_notice": sooner than now + min_notice */
	AVAIL_REASON_BEYOND_WINDOW, /* "beyond_window": later than now + max_advance */
	AVAIL_REASON_OFF_GRID,      /* "off_grid": not on the slot grid (rentals: an end either) */
	AVAIL_REASON_LENGTH,        /* "length": rental shorter or longer than allowed */
	AVAIL_REASON_NO_SESSION,    /* "no_session": classes: no session starts then */
	AVAIL_REASON_OUTSIDE_HOURS, /* "outside_hours": not within the schedule's hours */
	AVAIL_REASON_BREAK,         /* "break": falls in a gap between hours of the same day */
	AVAIL_REASON_BUSINESS_HOURS, /* "business_hours": inside the candidate's own hours but
	                              * outside the business's that day */
	AVAIL_REASON_PICKUP_HOURS,  /* "pickup_hours": overnight rentals: the start (pickup) is
	                             * outside the item's opening hours */
	AVAIL_REASON_RETURN_HOURS,  /* "return_hours": overnight rentals: the end (return) is */
	AVAIL_REASON_CLOSURE,       /* "closure": a business closure takes those hours */
	AVAIL_REASON_TIME_OFF,      /* "time_off": the provider's time off takes them */
	AVAIL_REASON_BLACKOUT,      /* "blackout": a blackout of the item overlaps the booking */
	AVAIL_REASON_CALENDAR_STALE, /* "calendar_stale": its fail-closed calendar is out of date */
	AVAIL_REASON_BUSY,          /* "busy": overlaps another booking or hold */
	AVAIL_REASON_EXTERNAL_BUSY, /* "external_busy": overlaps busy time of its external calendar */
	AVAIL_REASON_BUFFER,        /* "buffer": only the buffers (its own or theirs) collide */
	AVAIL_REASON_FULL,          /* "full": not enough seats left */
	AVAIL_REASON_NO_RESOURCE    /* "no_resource": no free resource for it */
} avail_reason;

/* Explains p: AVAIL_REASON_OFFERED exactly when avail_check(p) is true, otherwise the
 * first reason found in the order of the enum (the ones that apply to everyone first).
 * With p->provider NULL, the reason of the candidate that came closest (the largest enum
 * value among candidates). A provider that is not a candidate, or a bad request, gives
 * AVAIL_REASON_OUTSIDE_HOURS. */
avail_reason avail_explain(const avail_request *req, const avail_pick *p, arena *a);
/* AVAIL_REASON_CLOSURE when the session falls on a business closure day, TIME_OFF when its
 * provider is off during it, otherwise AVAIL_REASON_OFFERED (seats are not looked at). */
avail_reason avail_session_blocked(const avail_request *req, const avail_session *s);

/* The stable lower-case name of a reason ("offered", "outside_hours", ...); "unknown" for a
 * value outside the enum. Thread-safe. */
const char *avail_reason_name(avail_reason r);

/* Refuses a service configuration that can never offer anything: returns STATUS_INVALID and
 * sets *field_out (may be NULL) to the column at fault ("duration_s", "slot_interval_s",
 * "min_notice_s", ...), or STATUS_OK (*field_out NULL). Pure. */
status avail_service_validate(const avail_service *s, const char **field_out);

#endif
