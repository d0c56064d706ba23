/* schedule.h - weekly rules, overrides, time off, closures and class sessions. */
#ifndef BOOKD_STORE_SCHEDULE_H
#define BOOKD_STORE_SCHEDULE_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

/* Whose hours a row describes: "business", "provider" or "resource", and that one's id. */
typedef struct sched_owner {
	const char *kind; /* "business" | "provider" | "resource" */
	const char *id;   /* the business, provider or resource id */
} sched_owner;

/* One weekly rule: weekday 0 = Monday; minutes since local midnight; end may pass 1440 for
 * a rule that crosses midnight; valid_from/valid_to are "YYYY-MM-DD" or NULL (open). */
status store_schedule_insert(db_conn *c, const char *business_id, const char *id,
			     sched_owner owner, int weekday, int start_min, int end_min,
			     const char *valid_from, const char *valid_to);
/* One override row for a date: closed, or one range of hours (several rows give breaks). */
status store_override_insert(db_conn *c, const char *business_id, const char *id,
			     sched_owner owner, const char *date, bool closed, int start_min,
			     int end_min);
status store_time_off_insert(db_conn *c, const char *business_id, const char *id,
			     sched_owner owner, int64_t start_at, int64_t end_at, const char *reason);
status store_closure_insert(db_conn *c, const char *business_id, const char *id,
			    const char *date, const char *name);
status store_session_insert(db_conn *c, const char *business_id, const char *id,
			    const char *service_id, const char *provider_id, const char *resource_id,
			    int64_t start_at, int64_t end_at, int capacity);

#endif
