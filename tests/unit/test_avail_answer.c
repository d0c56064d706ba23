/* test_avail_answer.c - api/avail_answer's avail_answer_until: a whole answer kept for later
 * "now"s must be the answer cut at each of them, and stop being kept where it changes. */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "api/avail_answer.h"

static uint64_t state = 99;

static int64_t rnd(int64_t n)
{
	state = state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (int64_t)((state >> 33) % (uint64_t)n);
}

/* Starts of S (n, sorted) that the engine would offer at now for [from, to). */
static size_t cut(const int64_t *S, size_t n, int64_t from, int64_t to, const avail_service *svc,
		  int64_t now, int64_t *out)
{
	int64_t lo = now + svc->min_notice_s > from ? now + svc->min_notice_s : from;
	int64_t hi = now + svc->max_advance_s + 1 < to ? now + svc->max_advance_s + 1 : to;
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (S[i] >= lo && S[i] < hi)
			out[k++] = S[i];
	return k;
}

static bool same(const int64_t *a, size_t na, const int64_t *b, size_t nb)
{
	return na == nb && memcmp(a, b, na * sizeof(*a)) == 0;
}

START_TEST(kept_answer_is_the_cut_answer)
{
	enum { N = 200 };
	int64_t S[N], A[N], B[N];
	for (int round = 0; round < 3000; round++) {
		/* Starts on a 15-minute grid with gaps, over about four days. */
		size_t n = (size_t)rnd(N);
		int64_t t = 1000000;
		for (size_t i = 0; i < n; i++) {
			t += 900 * (1 + rnd(3)) + (rnd(10) == 0 ? 3600 * rnd(20) : 0);
			S[i] = t;
		}
		avail_service svc = {.min_notice_s = rnd(4) * 3600 + rnd(2) * 60,
				     .max_advance_s = 3600 + rnd(3 * 86400)};
		int64_t from = 1000000 + rnd(86400), to = from + 900 + rnd(3 * 86400);
		int64_t now = from - svc.max_advance_s + rnd(svc.max_advance_s + 86400);
		size_t na = cut(S, n, from, to, &svc, now, A);
		int64_t hi = now + svc.max_advance_s + 1 < to ? now + svc.max_advance_s + 1 : to;
		/* The days read end somewhere at or past hi; next is what they say. */
		int64_t end = hi + rnd(86400);
		avail_slot slots[N];
		for (size_t i = 0; i < na; i++)
			slots[i] = (avail_slot){.start = A[i]};
		avail_days_seen seen = {.until = rnd(4) ? INT64_MAX : now + 1 + rnd(86400),
					.next = end};
		for (size_t i = 0; i < n; i++)
			if (S[i] >= hi && S[i] < end) {
				seen.next = S[i];
				break;
			}
		int64_t until = avail_answer_until(&seen, &svc, slots, na, hi, to);
		ck_assert_int_le(until, seen.until);
		if (until <= now)
			continue; /* not kept: nothing to check */
		/* Every now' in [now, until): the same answer. */
		for (int k = 0; k < 20; k++) {
			int64_t span = until == INT64_MAX ? 5 * 86400 : until - now;
			int64_t later = k == 0 ? until == INT64_MAX ? now + span : until - 1
					       : now + rnd(span);
			size_t nb = cut(S, n, from, to, &svc, later, B);
			ck_assert_msg(same(A, na, B, nb), "round %d: the answer changed at %lld < %lld",
				      round, (long long)later, (long long)until);
		}
	}
}
END_TEST

START_TEST(kept_answer_ends_where_it_changes)
{
	/* Notice: 09:00, 09:15, 09:30 offered with an hour's notice at 07:30; the answer holds
	 * until 08:00:01, when 09:00 falls away. */
	int64_t S[] = {9 * 3600, 9 * 3600 + 900, 9 * 3600 + 1800};
	avail_service svc = {.min_notice_s = 3600, .max_advance_s = 30 * 86400};
	avail_slot slots[3] = {{.start = S[0]}, {.start = S[1]}, {.start = S[2]}};
	avail_days_seen seen = {.until = INT64_MAX, .next = 86400};
	ck_assert_int_eq(avail_answer_until(&seen, &svc, slots, 3, 86400, 86400), 8 * 3600 + 1);
	/* Advance: at 07:30 with two hours' advance, hi is 09:30:01 - 1 = 09:30 + 1; the 09:45
	 * start comes in at 07:45. */
	svc = (avail_service){.min_notice_s = 0, .max_advance_s = 7200};
	seen.next = 9 * 3600 + 2700;
	int64_t hi = 7 * 3600 + 1800 + 7200 + 1;
	ck_assert_int_eq(avail_answer_until(&seen, &svc, slots, 3, hi, 86400), 7 * 3600 + 2700);
	/* A hold's expiry comes first. */
	seen.until = 7 * 3600 + 1801;
	ck_assert_int_eq(avail_answer_until(&seen, &svc, slots, 3, hi, 86400), 7 * 3600 + 1801);
}
END_TEST

Suite *avail_answer_suite(void)
{
	Suite *s = suite_create("avail_answer");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, kept_answer_is_the_cut_answer);
	tcase_add_test(tc, kept_answer_ends_where_it_changes);
	suite_add_tcase(s, tc);
	return s;
}
