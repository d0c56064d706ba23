/* pricing.h - dynamic pricing: a service's rules (seasons, weekdays, times of day, lead
 * time, length tiers, locations, items), rental rates per hour and per day, and add-ons,
 * turned into one price with its breakdown. Pure; "now" is a parameter. */
#ifndef BOOKD_PRICING_H
#define BOOKD_PRICING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/status.h"
#include "core/model.h"
#include "core/tz.h"

#define PRICING_MAX_RULES 32
#define PRICING_MAX_ADDONS 16
#define PRICING_NAME_MAX 64 /* bytes of a name, id, location or resource, NUL included */
/* Lines of a quote: base (or days and hours), one per rule, one per add-on, the tier. */
#define PRICING_MAX_LINES (2 + PRICING_MAX_RULES + PRICING_MAX_ADDONS + 1)
/* 10000 basis points: a multiplier of one, a percent of a hundred. */
#define PRICING_BP_ONE 10000

/*
 * How a price is made (README "Dynamic pricing" says the same to users):
 * 1. The base: the service's price per seat times the seats; for a rental with rates, the
 *    span as whole local days (the same wall time n days later, so a day is 23 or 25 hours
 *    on a DST change) times the day rate plus the remaining started hours times the hour
 *    rate, the hours never costing more than one more day (then they are that day).
 *    With only a day rate every started day counts; with only an hour rate every started
 *    real hour. A rental without rates keeps the service's price per started unit.
 * 2. Each rule whose conditions all hold adds one line computed from the base (rules do
 *    not compound): a multiplier adds base * (bp - 10000) / 10000; a fixed adjustment
 *    adds its amount per seat. Conditions are read at the booking's start in the business
 *    zone: local dates (a season, both ends included), ISO weekdays (1 = Monday), a time
 *    of day [from, to) (from > to wraps midnight), the lead time start - now in [min, max),
 *    the booking's length in [min, max), the location asked for, the item (resource).
 * 3. Each add-on chosen adds its price once per booking and its duration to the booking.
 * 4. A tier discount (a loyalty tier's, given by the caller) takes its basis points off the
 *    subtotal as one last line.
 * Every percentage line rounds half away from zero to the minor unit. The total is never
 * below zero.
 */

/* One rule: conditions (unset ones always hold) and one effect. */
typedef struct pricing_rule {
	char name[PRICING_NAME_MAX];     /* shown on the breakdown line */
	bool has_dates;                  /* a season */
	int64_t from_day, to_day;        /* local days, both included */
	unsigned weekdays;               /* bit 1..7 (ISO); 0: any day */
	bool has_time;                   /* a time of day */
	int32_t time_from, time_to;      /* seconds into the local day, [from, to) */
	int64_t lead_min_s, lead_max_s;  /* start - now in [min, max); -1: unbounded */
	int64_t length_min_s, length_max_s; /* end - start in [min, max); -1: unbounded */
	char location[PRICING_NAME_MAX]; /* the location asked for, "" any */
	char resource[PRICING_NAME_MAX]; /* the item booked, "" any */
	bool is_multiplier;              /* multiplier_bp, else adjust_minor */
	int32_t multiplier_bp;           /* 12000: +20% */
	int64_t adjust_minor;            /* per seat, may be negative */
} pricing_rule;

/* Something chosen with the booking: its price, and the time it adds. */
typedef struct pricing_addon {
	char id[PRICING_NAME_MAX];   /* what a request names it by */
	char name[PRICING_NAME_MAX]; /* shown on the line */
	int64_t price_minor;         /* >= 0, once per booking */
	int64_t duration_s;          /* >= 0, added to the booking's end */
} pricing_addon;

/* A service's whole pricing: parsed from the JSON document stored for it. */
typedef struct pricing_rules {
	int64_t hour_minor;                     /* rentals: per hour; 0 none */
	int64_t day_minor;                      /* rentals: per day; 0 none */
	int n_rules;                            /* entries in rule, in the document's order */
	pricing_rule rule[PRICING_MAX_RULES];
	int n_addons;
	pricing_addon addon[PRICING_MAX_ADDONS];
} pricing_rules;

/* Parses a pricing document ({"rates"?:{"hour_minor","day_minor"}, "rules"?:[...],
 * "addons"?:[...]}, README "Dynamic pricing"). STATUS_INVALID with the JSON path of the
 * member at fault in field (fieldlen bytes; may be NULL) when malformed or out of range.
 * NULL or "" is no pricing at all (an empty document). */
status pricing_parse(const char *json, pricing_rules *out, char *field, size_t fieldlen);

/* Whether the document changes nothing: no rates, rules or add-ons. */
bool pricing_empty(const pricing_rules *r);

/* What is priced. Strings are borrowed. */
typedef struct pricing_input {
	const service *svc;          /* its price, kind and unit */
	const tz *zone;              /* the business's zone: conditions and days read in it */
	int64_t start, end;          /* the booking's [start, end) without add-ons */
	int64_t now;                 /* for lead time */
	int seats;                   /* >= 1 */
	const char *const *addons;   /* ids chosen (each at most once), n_addons of them */
	size_t n_addons;
	const char *location;        /* or NULL */
	const char *resource_id;     /* the item booked, or NULL */
	/* The hook for a loyalty tier: its name and discount; 0 adds no line. */
	const char *tier_name;
	int32_t tier_discount_bp;    /* 0..10000 */
} pricing_input;

/* One line of a breakdown. Strings are borrowed from the rules or the input. */
typedef struct pricing_line {
	const char *kind;     /* "base", "days", "hours", "rule", "addon", "tier" */
	const char *label;    /* the rule's, add-on's or tier's name; the service's for base */
	int64_t quantity;     /* seats, days or hours; 1 for rules and add-ons */
	int64_t unit_minor;   /* price of one; for a multiplier rule the base it applies to */
	int32_t bp;           /* a multiplier's or discount's basis points; 0 otherwise */
	int64_t amount_minor; /* what the line adds (negative takes off) */
} pricing_line;

typedef struct pricing_quote {
	int64_t total_minor; /* sum of the lines, at least 0 */
	int64_t extra_s;     /* the chosen add-ons' durations: the booking ends this much later */
	int n;               /* lines used */
	pricing_line line[PRICING_MAX_LINES];
} pricing_quote;

/* Prices in with rules r (NULL: no rules, the base alone). STATUS_NOT_FOUND with *bad_out
 * (may be NULL) set to the id when an add-on asked for is not in the rules; STATUS_INVALID
 * when the input is out of range (end before start, no seats). Deterministic, thread-safe,
 * no allocation. */
status pricing_quote_make(const pricing_rules *r, const pricing_input *in, pricing_quote *out,
			  const char **bad_out);

/* x * bp / 10000 rounded half away from zero (the rounding of every percentage line). */
int64_t pricing_bp_of(int64_t x, int32_t bp);

#endif
