/* interval.c - sorted, merged sets of half-open UTC intervals. */
#include "core/interval.h"

#include <stdlib.h>
#include <string.h>

/* Growing arrays come from arena_alloc_raw: every entry is written before it is read. */

void interval_set_init(interval_set *s, arena *a)
{
	s->v = NULL;
	s->n = 0;
	s->cap = 0;
	s->a = a;
}

void interval_set_clear(interval_set *s)
{
	s->n = 0;
}

static void interval_set_reserve(interval_set *s, size_t want)
{
	if (want <= s->cap)
		return;
	size_t cap = s->cap ? s->cap * 2 : 8;
	while (cap < want)
		cap *= 2;
	interval *v = arena_alloc_raw(s->a, cap * sizeof(*v));
	if (s->n)
		memcpy(v, s->v, s->n * sizeof(*v));
	s->v = v;
	s->cap = cap;
}

/* Appends to a set being built in order, merging with the last interval when they touch. */
static void interval_set_push(interval_set *s, int64_t start, int64_t end)
{
	if (start >= end)
		return;
	if (s->n && start <= s->v[s->n - 1].end) {
		if (end > s->v[s->n - 1].end)
			s->v[s->n - 1].end = end;
		return;
	}
	interval_set_reserve(s, s->n + 1);
	s->v[s->n].start = start;
	s->v[s->n].end = end;
	s->n++;
}

void interval_set_add(interval_set *s, int64_t start, int64_t end)
{
	if (start >= end)
		return;
	interval_set_reserve(s, s->n + 1);
	s->v[s->n].start = start;
	s->v[s->n].end = end;
	s->n++;
}

static int interval_cmp(const void *pa, const void *pb)
{
	const interval *a = pa, *b = pb;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return (a->end > b->end) - (a->end < b->end);
}

void interval_set_normalize(interval_set *s)
{
	bool sorted = true;
	for (size_t i = 1; i < s->n && sorted; i++)
		sorted = s->v[i - 1].start <= s->v[i].start;
	if (!sorted)
		qsort(s->v, s->n, sizeof(*s->v), interval_cmp);
	size_t w = 0;
	for (size_t i = 0; i < s->n; i++) {
		if (s->v[i].start >= s->v[i].end)
			continue;
		if (w && s->v[i].start <= s->v[w - 1].end) {
			if (s->v[i].end > s->v[w - 1].end)
				s->v[w - 1].end = s->v[i].end;
		} else {
			s->v[w++] = s->v[i];
		}
	}
	s->n = w;
}

void interval_set_copy(interval_set *out, const interval_set *src)
{
	out->n = 0;
	interval_set_reserve(out, src->n);
	if (src->n)
		memcpy(out->v, src->v, src->n * sizeof(*src->v));
	out->n = src->n;
}

void interval_set_union(interval_set *out, const interval_set *a, const interval_set *b)
{
	out->n = 0;
	size_t i = 0, j = 0;
	while (i < a->n || j < b->n) {
		const interval *next;
		if (j >= b->n || (i < a->n && a->v[i].start <= b->v[j].start))
			next = &a->v[i++];
		else
			next = &b->v[j++];
		interval_set_push(out, next->start, next->end);
	}
}

void interval_set_subtract(interval_set *out, const interval_set *a, const interval_set *b)
{
	out->n = 0;
	size_t j = 0;
	for (size_t i = 0; i < a->n; i++) {
		int64_t cur = a->v[i].start, end = a->v[i].end;
		/* b intervals wholly before cur can never matter again: a is sorted. */
		while (j < b->n && b->v[j].end <= cur)
			j++;
		size_t k = j;
		while (k < b->n && b->v[k].start < end) {
			if (b->v[k].start > cur)
				interval_set_push(out, cur, b->v[k].start);
			if (b->v[k].end > cur)
				cur = b->v[k].end;
			if (cur >= end)
				break;
			k++;
		}
		if (cur < end)
			interval_set_push(out, cur, end);
	}
}

void interval_set_intersect(interval_set *out, const interval_set *a, const interval_set *b)
{
	out->n = 0;
	size_t i = 0, j = 0;
	while (i < a->n && j < b->n) {
		int64_t lo = a->v[i].start > b->v[j].start ? a->v[i].start : b->v[j].start;
		int64_t hi = a->v[i].end < b->v[j].end ? a->v[i].end : b->v[j].end;
		if (lo < hi)
			interval_set_push(out, lo, hi);
		if (a->v[i].end < b->v[j].end)
			i++;
		else
			j++;
	}
}

void interval_set_clip(interval_set *s, int64_t lo, int64_t hi)
{
	size_t w = 0;
	for (size_t i = 0; i < s->n; i++) {
		int64_t a = s->v[i].start > lo ? s->v[i].start : lo;
		int64_t b = s->v[i].end < hi ? s->v[i].end : hi;
		if (a < b) {
			s->v[w].start = a;
			s->v[w].end = b;
			w++;
		}
	}
	s->n = w;
}

size_t interval_set_seek(const interval_set *s, int64_t t)
{
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->v[mid].end <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool interval_set_contains(const interval_set *s, int64_t start, int64_t end)
{
	if (start >= end)
		return false;
	size_t i = interval_set_seek(s, start);
	return i < s->n && s->v[i].start <= start && end <= s->v[i].end;
}

bool interval_set_overlaps(const interval_set *s, int64_t start, int64_t end)
{
	if (start >= end)
		return false;
	size_t i = interval_set_seek(s, start);
	return i < s->n && s->v[i].start < end;
}

int64_t interval_set_total(const interval_set *s)
{
	int64_t total = 0;
	for (size_t i = 0; i < s->n; i++)
		total += s->v[i].end - s->v[i].start;
	return total;
}
