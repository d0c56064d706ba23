/* interval.h - sets of [start, end) UTC-second intervals kept sorted and merged. */
#ifndef BOOKD_INTERVAL_H
#define BOOKD_INTERVAL_H

/*
 * A set is normalized when its intervals are non-empty (start < end), sorted by start, and
 * neither overlap nor touch: [9,12) and [12,17) are stored as [9,17). Every operation below
 * that takes sets as input requires them normalized and leaves its output normalized,
 * except interval_set_add, which appends raw intervals until interval_set_normalize.
 *
 * Storage comes from the arena given to interval_set_init and lives until that arena is
 * freed; growing a set may leave its old array behind in the arena. Pure; a set is owned by
 * one thread at a time. Costs are linear in the sizes of the inputs (normalize: n log n).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"

/* One half-open interval of UTC seconds. */
typedef struct interval {
	int64_t start; /* first instant inside */
	int64_t end;   /* first instant after; end <= start means empty */
} interval;

/* A growable array of intervals in an arena. */
typedef struct interval_set {
	interval *v; /* the intervals; valid while the arena lives */
	size_t n;    /* intervals in v */
	size_t cap;  /* room in v */
	arena *a;    /* where v grows; borrowed */
} interval_set;

/* Starts an empty set that allocates from a (borrowed; must outlive the set). */
void interval_set_init(interval_set *s, arena *a);
/* Empties the set, keeping its storage. */
void interval_set_clear(interval_set *s);
/* Appends [start, end) without merging (empty ones are dropped); call
 * interval_set_normalize before using the set as input. */
void interval_set_add(interval_set *s, int64_t start, int64_t end);
/* Sorts and merges in place: overlapping and touching intervals become one. */
void interval_set_normalize(interval_set *s);
/* Copies src into out (out is cleared first). */
void interval_set_copy(interval_set *out, const interval_set *src);

/* out = a ∪ b. out must be neither a nor b; it is cleared first. */
void interval_set_union(interval_set *out, const interval_set *a, const interval_set *b);
/* out = a \ b. out must be neither a nor b; it is cleared first. */
void interval_set_subtract(interval_set *out, const interval_set *a, const interval_set *b);
/* out = a ∩ b. out must be neither a nor b; it is cleared first. */
void interval_set_intersect(interval_set *out, const interval_set *a, const interval_set *b);
/* Cuts s in place to [lo, hi). */
void interval_set_clip(interval_set *s, int64_t lo, int64_t hi);

/* The index of the first interval whose end is after t (s->n when none): where a walk over
 * instants >= t begins. O(log n). */
size_t interval_set_seek(const interval_set *s, int64_t t);
/* True when [start, end) lies inside one interval of s. O(log n). */
bool interval_set_contains(const interval_set *s, int64_t start, int64_t end);
/* True when [start, end) shares an instant with s (touching is not overlapping). */
bool interval_set_overlaps(const interval_set *s, int64_t start, int64_t end);
/* The total number of seconds covered. */
int64_t interval_set_total(const interval_set *s);

#endif
