/* test_interval.c - interval sets: normalizing, union, subtract, intersect, clip, queries,
 * and a brute-force comparison over random sets. */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "base/arena.h"
#include "core/interval.h"

/* Builds a normalized set from pairs. */
static void set_of(interval_set *s, arena *a, const int64_t *pairs, size_t n_pairs)
{
	interval_set_init(s, a);
	for (size_t i = 0; i < n_pairs; i++)
		interval_set_add(s, pairs[2 * i], pairs[2 * i + 1]);
	interval_set_normalize(s);
}

static void expect(const interval_set *s, const int64_t *pairs, size_t n_pairs)
{
	ck_assert_uint_eq(s->n, n_pairs);
	for (size_t i = 0; i < n_pairs; i++) {
		ck_assert_int_eq(s->v[i].start, pairs[2 * i]);
		ck_assert_int_eq(s->v[i].end, pairs[2 * i + 1]);
	}
}

START_TEST(interval_normalize_merges_touching)
{
	arena *a = arena_new();
	interval_set s;
	const int64_t in[] = {13, 17, 9, 12, 12, 13, 20, 20, 30, 25, 40, 50, 45, 47, 60, 70};
	set_of(&s, a, in, 8);
	const int64_t want[] = {9, 17, 40, 50, 60, 70};
	expect(&s, want, 3);
	ck_assert_int_eq(interval_set_total(&s), 8 + 10 + 10);
	arena_free(a);
}
END_TEST

START_TEST(interval_union_subtract_intersect)
{
	arena *a = arena_new();
	interval_set x, y, out;
	const int64_t xs[] = {0, 10, 20, 30, 40, 50};
	const int64_t ys[] = {5, 20, 28, 42, 50, 60};
	set_of(&x, a, xs, 3);
	set_of(&y, a, ys, 3);
	interval_set_init(&out, a);

	interval_set_union(&out, &x, &y);
	const int64_t u[] = {0, 60};
	expect(&out, u, 1);

	interval_set_subtract(&out, &x, &y);
	const int64_t d[] = {0, 5, 20, 28, 42, 50};
	expect(&out, d, 3);

	interval_set_subtract(&out, &y, &x);
	const int64_t d2[] = {10, 20, 30, 40, 50, 60};
	expect(&out, d2, 3);

	interval_set_intersect(&out, &x, &y);
	const int64_t i[] = {5, 10, 28, 30, 40, 42};
	expect(&out, i, 3);

	interval_set empty;
	interval_set_init(&empty, a);
	interval_set_subtract(&out, &x, &empty);
	expect(&out, xs, 3);
	interval_set_intersect(&out, &x, &empty);
	ck_assert_uint_eq(out.n, 0);
	interval_set_union(&out, &empty, &y);
	expect(&out, ys, 3);

	/* One interval of b covering several of a, and a hole punched in the middle. */
	const int64_t big[] = {-5, 100};
	interval_set b;
	set_of(&b, a, big, 1);
	interval_set_subtract(&out, &x, &b);
	ck_assert_uint_eq(out.n, 0);
	const int64_t hole[] = {3, 4};
	set_of(&b, a, hole, 1);
	interval_set_subtract(&out, &x, &b);
	const int64_t holed[] = {0, 3, 4, 10, 20, 30, 40, 50};
	expect(&out, holed, 4);
	arena_free(a);
}
END_TEST

START_TEST(interval_clip_and_queries)
{
	arena *a = arena_new();
	interval_set s;
	const int64_t xs[] = {0, 10, 20, 30, 40, 50};
	set_of(&s, a, xs, 3);
	ck_assert(interval_set_contains(&s, 0, 10));
	ck_assert(interval_set_contains(&s, 22, 28));
	ck_assert(!interval_set_contains(&s, 5, 21));
	ck_assert(!interval_set_contains(&s, 10, 20));
	ck_assert(!interval_set_contains(&s, 5, 5));
	ck_assert(interval_set_overlaps(&s, 9, 11));
	ck_assert(!interval_set_overlaps(&s, 10, 20)); /* touching both sides */
	ck_assert(!interval_set_overlaps(&s, 50, 60));
	ck_assert(interval_set_overlaps(&s, -5, 1));
	ck_assert_uint_eq(interval_set_seek(&s, 10), 1);
	ck_assert_uint_eq(interval_set_seek(&s, 9), 0);
	ck_assert_uint_eq(interval_set_seek(&s, 50), 3);

	interval_set_clip(&s, 5, 45);
	const int64_t c[] = {5, 10, 20, 30, 40, 45};
	expect(&s, c, 3);
	interval_set_clip(&s, 10, 20);
	ck_assert_uint_eq(s.n, 0);
	arena_free(a);
}
END_TEST

/* A tiny xorshift generator so the test is deterministic and needs no library generator. */
static uint64_t rng_next(uint64_t *st)
{
	uint64_t x = *st;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*st = x;
	return x;
}

static void random_set(interval_set *s, arena *a, uint64_t *st, unsigned char *bits)
{
	interval_set_init(s, a);
	memset(bits, 0, 200);
	int n = (int)(rng_next(st) % 8);
	for (int i = 0; i < n; i++) {
		int64_t x = (int64_t)(rng_next(st) % 180);
		int64_t len = (int64_t)(rng_next(st) % 20);
		interval_set_add(s, x, x + len);
		for (int64_t k = x; k < x + len && k < 200; k++)
			bits[k] = 1;
	}
	interval_set_normalize(s);
}

static void check_bits(const interval_set *s, const unsigned char *bits)
{
	unsigned char got[200] = {0};
	for (size_t i = 0; i < s->n; i++) {
		ck_assert_int_lt(s->v[i].start, s->v[i].end);
		if (i)
			ck_assert_int_lt(s->v[i - 1].end,
			                 s->v[i].start); /* merged: not even touching */
		for (int64_t k = s->v[i].start; k < s->v[i].end; k++)
			got[k] = 1;
	}
	ck_assert_mem_eq(got, bits, 200);
}

START_TEST(interval_matches_brute_force)
{
	uint64_t st = 0x9e3779b97f4a7c15ull;
	for (int round = 0; round < 2000; round++) {
		arena *a = arena_new();
		interval_set x, y, out;
		unsigned char bx[200], by[200], want[200];
		random_set(&x, a, &st, bx);
		random_set(&y, a, &st, by);
		check_bits(&x, bx);
		interval_set_init(&out, a);
		interval_set_union(&out, &x, &y);
		for (int k = 0; k < 200; k++)
			want[k] = bx[k] | by[k];
		check_bits(&out, want);
		interval_set_subtract(&out, &x, &y);
		for (int k = 0; k < 200; k++)
			want[k] = bx[k] & !by[k];
		check_bits(&out, want);
		interval_set_intersect(&out, &x, &y);
		for (int k = 0; k < 200; k++)
			want[k] = bx[k] & by[k];
		check_bits(&out, want);
		int64_t s0 = (int64_t)(rng_next(&st) % 200),
		        e0 = s0 + (int64_t)(rng_next(&st) % 30);
		bool inside = s0 < e0, touches = false;
		for (int64_t k = s0; k < e0; k++) {
			bool in = k < 200 && bx[k];
			inside = inside && in;
			touches = touches || in;
		}
		ck_assert(interval_set_contains(&x, s0, e0) == inside);
		ck_assert(interval_set_overlaps(&x, s0, e0) == touches);
		arena_free(a);
	}
}
END_TEST

Suite *interval_suite(void)
{
	Suite *s = suite_create("interval");
	TCase *tc = tcase_create("interval");
	tcase_add_test(tc, interval_normalize_merges_touching);
	tcase_add_test(tc, interval_union_subtract_intersect);
	tcase_add_test(tc, interval_clip_and_queries);
	tcase_add_test(tc, interval_matches_brute_force);
	suite_add_tcase(s, tc);
	return s;
}
