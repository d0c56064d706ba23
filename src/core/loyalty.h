/* loyalty.h - loyalty points and tiers: the settings of a business's programme, the tier a
 * customer stands in, the tier discount on a new booking's price, and the replay of a
 * customer's money and bookings into their points and history. Integers only (points,
 * minor units, basis points). Pure and thread-safe: no I/O, no clock. */
#ifndef BOOKD_LOYALTY_H
#define BOOKD_LOYALTY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LOYALTY_TIERS_MAX 8
#define LOYALTY_POINTS_PER_UNIT_MAX 1000  /* points per unit of currency */
#define LOYALTY_MULTIPLIER_BP_MAX 50000   /* 5x: keeps amount x rate x multiplier in int64 */
#define LOYALTY_DISCOUNT_BP_MAX 10000     /* 100% */
#define LOYALTY_AMOUNT_MAX 100000000000LL /* minor units counted per fact; more is clamped */

/* What a tier is reached by. */
typedef enum loyalty_basis {
	LOYALTY_BY_VALUE, /* lifetime value: money paid, net of refunds, in minor units */
	LOYALTY_BY_VISITS /* completed bookings */
} loyalty_basis;

/* One tier: reached at threshold (minor units or visits). */
typedef struct loyalty_tier {
	char name[64];        /* shown to staff and customers */
	int64_t threshold;    /* lifetime value (minor units) or visits that reach it */
	int multiplier_bp;    /* points earned x multiplier_bp / 10000 (10000: x1) */
	int discount_bp;      /* a new booking's price less discount_bp / 10000 of it */
} loyalty_tier;

/* A business's programme. Off (enabled false): no points, no tier, no discount. */
typedef struct loyalty_settings {
	bool enabled;
	int points_per_unit;  /* points per unit of currency paid (per 1 EUR, per 1 JPY) */
	loyalty_basis basis;  /* what tiers are reached by */
	loyalty_tier tiers[LOYALTY_TIERS_MAX]; /* thresholds strictly rising */
	int ntiers;
} loyalty_settings;

const char *loyalty_basis_name(loyalty_basis b);
bool loyalty_basis_parse(const char *s, loyalty_basis *out);

/* Checks the settings: rate, multipliers and discounts in range, names not empty, thresholds
 * non-negative and strictly rising. False with *field (the JSON name at fault, e.g.
 * "tiers[1].threshold") and *why set. */
bool loyalty_settings_ok(const loyalty_settings *s, char *field, size_t fieldlen,
			 const char **why);

/* The index of the tier a customer with lifetime value value_minor and visits stands in
 * (the highest threshold reached), or -1 for none (or the programme off). */
int loyalty_tier_of(const loyalty_settings *s, int64_t value_minor, int64_t visits);

/* A new booking's price after tier's discount (tier -1: unchanged): the discount is rounded
 * down to the minor unit, so the price never falls below zero and a 0 bp tier changes
 * nothing. *discount_out (may be NULL) gets what was taken off. */
int64_t loyalty_discounted_price(const loyalty_settings *s, int tier, int64_t price_minor,
				 int64_t *discount_out);

/* Points for amount_minor of a currency with `digits` minor digits at multiplier_bp:
 * floor(amount x points_per_unit x multiplier / (10^digits x 10000)); amount clamped to
 * LOYALTY_AMOUNT_MAX. */
int64_t loyalty_points_for(const loyalty_settings *s, int64_t amount_minor, int digits,
			   int multiplier_bp);

/* What happened, in time order, that moves points. */
typedef enum loyalty_fact_kind {
	LOYALTY_PAID,      /* money received for a booking (amount) */
	LOYALTY_REFUNDED,  /* money given back for a booking (amount) */
	LOYALTY_COMPLETED, /* a booking took place: a visit; what of its price (amount) was not
			    * paid beforehand is counted as paid now */
	LOYALTY_CANCELLED, /* a booking was cancelled, lapsed or missed: its points go back */
	LOYALTY_ADJUSTED   /* staff added or took off points (points, reason) */
} loyalty_fact_kind;

typedef struct loyalty_fact {
	loyalty_fact_kind kind;
	int64_t at;            /* when */
	const char *booking;   /* the booking's reference (borrowed), NULL for adjustments */
	int64_t amount_minor;  /* PAID, REFUNDED: the money; COMPLETED: the booking's price */
	int64_t points;        /* ADJUSTED: signed */
	const char *reason;    /* ADJUSTED: staff's reason (borrowed) */
	const char *actor;     /* ADJUSTED: who (borrowed) */
} loyalty_fact;

/* One line of a customer's loyalty history. Strings borrowed from the facts. */
typedef struct loyalty_entry {
	const char *kind;      /* earned, reversed, adjusted */
	int64_t at;
	const char *booking;   /* or NULL */
	int64_t points;        /* signed change */
	int64_t balance;       /* points after it */
	int tier;              /* the tier after it (-1: none) */
	const char *reason;    /* why, in words ("payment", "refund", "visit", "cancelled", or
				* staff's reason) */
	const char *actor;     /* adjustments: who, else NULL */
} loyalty_entry;

/* A customer's standing. */
typedef struct loyalty_account {
	int64_t points;        /* may go below zero only by a staff adjustment */
	int64_t value_minor;   /* lifetime value: money paid net of refunds */
	int64_t visits;        /* completed bookings */
	int tier;              /* index into the settings' tiers, -1 for none */
} loyalty_account;

/* Replays n facts (sorted by at, ties in the given order) over at most max_bookings distinct
 * bookings: each booking's points are earned at the multiplier of the tier of the moment
 * it first earned, and given back (by refund in proportion, by cancellation in full) never
 * beyond what it earned. Writes the history (at most n entries with a non-zero change or a
 * visit) to hist (room for n) and its count to *nhist (hist may be NULL). work is scratch
 * room for max_bookings per-booking slots (loyalty_work_size bytes). */
size_t loyalty_work_size(size_t max_bookings);
void loyalty_replay(const loyalty_settings *s, int digits, const loyalty_fact *facts, size_t n,
		    void *work, size_t max_bookings, loyalty_account *out, loyalty_entry *hist,
		    size_t *nhist);

#endif
