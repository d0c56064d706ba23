/* admin_schedule.h - the staff side's reads, updates and deletes of hours: weekly rules,
 * overrides, time off, closures and class sessions (inserts are in store/schedule.h). */
#ifndef BOOKD_STORE_ADMIN_SCHEDULE_H
#define BOOKD_STORE_ADMIN_SCHEDULE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "store/db.h"
#include "store/schedule.h"

/* A weekly rule (a row of schedules). */
typedef struct sched_rule {
	const char *id;         /* opaque id */
	sched_owner owner;      /* business, provider or resource */
	int weekday;            /* 0 = Monday ... 6 = Sunday */
	int start_min;          /* minutes after local midnight, 0..1440 */
	int end_min;            /* start_min < end_min <= 2880 (past 1440: the next day) */
	const char *valid_from; /* "YYYY-MM-DD" or NULL: valid since ever */
	const char *valid_to;   /* "YYYY-MM-DD" or NULL: valid for ever */
} sched_rule;

/* One date's hours replacing the weekly rules (a row of overrides). */
typedef struct sched_override {
	const char *id;    /* opaque id */
	sched_owner owner; /* business, provider or resource */
	const char *date;  /* "YYYY-MM-DD" in the owner's zone */
	bool closed;       /* the date is closed (start/end unused) */
	int start_min;     /* when open: minutes after local midnight */
	int end_min;       /* when open: start_min < end_min <= 1440 */
} sched_override;

/* An absolute interval when a provider or resource is away (a row of time_off). */
typedef struct sched_time_off {
	const char *id;     /* opaque id */
	sched_owner owner;  /* provider or resource */
	int64_t start_at;   /* UTC instant, included */
	int64_t end_at;     /* UTC instant, excluded; > start_at */
	const char *reason; /* free text, may be "" */
} sched_time_off;

/* A business-wide closed date (a row of closures). */
typedef struct sched_closure {
	const char *id;   /* opaque id */
	const char *date; /* "YYYY-MM-DD" in the business zone; unique per business */
	const char *name; /* "Christmas Day", may be "" */
} sched_closure;

/* One occurrence of a class (a row of sessions). */
typedef struct sched_session {
	const char *id;          /* opaque id */
	const char *service_id;  /* the class service */
	const char *provider_id; /* who leads it, or NULL */
	const char *resource_id; /* where, or NULL */
	int64_t start_at;        /* UTC */
	int64_t end_at;          /* UTC: start plus the service's duration */
	int capacity;            /* seats in all */
} sched_session;

/* Which rows a list wants; every field may be left 0/NULL for "any". */
typedef struct sched_filter {
	const char *owner_kind; /* "business" | "provider" | "resource" */
	const char *owner_id;   /* with owner_kind */
	const char *date_from;  /* overrides, closures: date >= this */
	const char *date_to;    /* overrides, closures: date <= this */
	int64_t from;           /* time off, sessions: ending after this instant (0: any) */
	int64_t to;             /* time off, sessions: starting before this instant (0: any) */
	const char *service_id; /* sessions: of this service */
} sched_filter;

/* Lists in a stable order (rules: owner, weekday, start; overrides: owner, date, start;
 * time off: owner, start; closures: date; sessions: start, id). Arrays and strings in a. */
status store_rules_list(db_conn *c, const char *business_id, const sched_filter *f, arena *a,
			sched_rule **out, int *count);
status store_overrides_list(db_conn *c, const char *business_id, const sched_filter *f,
			    arena *a, sched_override **out, int *count);
status store_time_off_list(db_conn *c, const char *business_id, const sched_filter *f,
			   arena *a, sched_time_off **out, int *count);
status store_closures_list(db_conn *c, const char *business_id, const sched_filter *f,
			   arena *a, sched_closure **out, int *count);
status store_sessions_list(db_conn *c, const char *business_id, const sched_filter *f,
			   arena *a, sched_session **out, int *count);

/* One row by id. STATUS_NOT_FOUND when there is none in this business. */
status store_rule_get(db_conn *c, const char *business_id, const char *id, arena *a,
		      sched_rule *out);
status store_override_get(db_conn *c, const char *business_id, const char *id, arena *a,
			  sched_override *out);
status store_time_off_get(db_conn *c, const char *business_id, const char *id, arena *a,
			  sched_time_off *out);
status store_closure_get(db_conn *c, const char *business_id, const char *id, arena *a,
			 sched_closure *out);
status store_session_get(db_conn *c, const char *business_id, const char *id, arena *a,
			 sched_session *out);

/* Update every column of the row with the record's id. STATUS_NOT_FOUND when none;
 * STATUS_CONFLICT for a broken constraint (a second closure on one date). */
status store_rule_update(db_conn *c, const char *business_id, const sched_rule *v);
status store_override_update(db_conn *c, const char *business_id, const sched_override *v);
status store_time_off_update(db_conn *c, const char *business_id, const sched_time_off *v);
status store_closure_update(db_conn *c, const char *business_id, const sched_closure *v);
status store_session_update(db_conn *c, const char *business_id, const sched_session *v);

/* Deletes one row of table ("schedules", "overrides", "time_off", "closures" or
 * "sessions"; any other name is STATUS_INTERNAL). STATUS_NOT_FOUND when none. */
status store_sched_delete(db_conn *c, const char *business_id, const char *table,
			  const char *id);
/* Deletes every weekly rule, override, time off and closure of a business (a whole
 * configuration being replaced, inside the caller's transaction). */
status store_sched_clear(db_conn *c, const char *business_id);

#endif
