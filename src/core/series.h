/* series.h - the occurrences of a recurring series: every N weeks at the same local wall
 * time, for a number of occurrences or until a local date. Pure. */
#ifndef BOOKD_SERIES_H
#define BOOKD_SERIES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/status.h"
#include "core/tz.h"

/* The most occurrences one series may have (a year of weekly bookings). */
#define SERIES_MAX 52
/* The longest gap between occurrences, in weeks. */
#define SERIES_EVERY_MAX 52

/* How a series repeats. Exactly one of count and until_day bounds it. */
typedef struct series_rule {
	int every_weeks;   /* 1 = weekly, 2 = every other week, ... (1..SERIES_EVERY_MAX) */
	int count;         /* occurrences wanted (1..SERIES_MAX), or 0 when until_day bounds it */
	int64_t until_day; /* last local date (civil_days numbering, included) when count is 0 */
} series_rule;

/* The conflict policies of a series request. */
typedef enum series_policy {
	SERIES_FAIL,  /* book nothing unless every occurrence is free */
	SERIES_SKIP,  /* book the free ones, report the others */
	SERIES_SHIFT, /* an occurrence not free takes the nearest free start the same day */
} series_policy;

/* "fail", "skip", "shift"; and back (false when the name is unknown). */
const char *series_policy_name(series_policy p);
bool series_policy_parse(const char *s, series_policy *out);

/* Writes the starts of the series whose first occurrence starts at instant first into out
 * (room for SERIES_MAX), each at first's local wall time in zone on its date: the wall time
 * stays across DST changes and the instant moves; a wall time a DST gap removes that day
 * becomes the end of the gap, one that occurs twice its first occurrence (as the slot grid
 * reads them). *n gets how many. STATUS_INVALID (why: static text) when the rule is out of
 * range, the until date lies before the first date, or it would give more than SERIES_MAX.
 * Pure, thread-safe. */
status series_occurrences(const tz *zone, int64_t first, const series_rule *rule,
			  int64_t out[static SERIES_MAX], size_t *n, const char **why);

/* The candidate starts of a shifted occurrence: wanted +- k * step for k = 1.. while within
 * limit_s, nearest first (earlier before later at equal distance), each on the same local
 * date as wanted. Writes at most max into out; returns how many. Pure. */
size_t series_shift_candidates(const tz *zone, int64_t wanted, int64_t step_s, int64_t limit_s,
			       int64_t *out, size_t max);

#endif
