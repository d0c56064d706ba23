/* assign.h - auto-assignment: when a customer books "any provider", the business's policy
 * picks one of the providers the availability engine found free for that time (the engine
 * alone decides who is free; this only orders its candidates). The choice is explained in
 * the booking's history as the event's "assignment" note. */
#ifndef BOOKD_STORE_ASSIGN_H
#define BOOKD_STORE_ASSIGN_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "core/avail.h"
#include "core/model.h"
#include "store/db.h"

typedef enum assign_policy {
	ASSIGN_FIRST,        /* the engine's order (the catalogue's): nothing is noted */
	ASSIGN_ROUND_ROBIN,  /* the candidate whose last round-robin turn is oldest (never: first) */
	ASSIGN_LEAST_BOOKED, /* the fewest live bookings starting within window_days either side */
	ASSIGN_PRIORITY      /* the lowest priority number */
} assign_policy;

/* Bounds of the least-booked window, in days either side of the booking's start. */
#define ASSIGN_WINDOW_MIN 1
#define ASSIGN_WINDOW_MAX 366

/* The business's setting. */
typedef struct assign_settings {
	assign_policy policy; /* how "any provider" is resolved */
	int window_days;      /* least_booked: days either side of the start that count */
} assign_settings;

/* One provider's place in the priority order. */
typedef struct assign_prio {
	const char *provider_id; /* in the caller's arena */
	const char *name;        /* display name, in the caller's arena */
	int priority;            /* lower is chosen first; ties by provider id */
} assign_prio;

const char *assign_policy_name(assign_policy p);
bool assign_policy_parse(const char *s, assign_policy *out);

/* The business's setting; STATUS_NOT_FOUND when there is no such business. */
status assign_settings_get(db_conn *c, const char *business_id, assign_settings *out);
status assign_settings_set(db_conn *c, const char *business_id, const assign_settings *s);

/* Every provider of the business with its priority, ordered by priority then id. */
status assign_priorities(db_conn *c, const char *business_id, arena *a, assign_prio **out,
			 int *count);
/* Sets one provider's priority; STATUS_NOT_FOUND when the business has no such provider. */
status assign_priority_set(db_conn *c, const char *business_id, const char *provider_id,
			   int priority);

/* Inside a booking's write transaction, after the engine found slot free and before the
 * booking is placed: moves the policy's choice to slot->providers[0] (ties: priority number,
 * then provider id) and records a round-robin turn. *note_take is the explanation for the
 * history ({"policy", "chosen", "candidates": [...], ...}), or NULL under ASSIGN_FIRST. */
status assign_choose(db_conn *c, const business *b, int64_t start, int64_t now,
		     avail_slot *slot, arena *a, json_t **note_take);

/* A candidate's priority, turn and live bookings with a start in [$3, $4) ($1 business,
 * $2 provider, $5 now); for the test that holds the count to bookings_start_id. */
extern const char STORE_ASSIGN_CAND_SQL[];

#endif
