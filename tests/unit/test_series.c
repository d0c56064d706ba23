/* test_series.c - a series' occurrences keep their local wall time across the DST changes
 * of London and New York (the instant moves by the hour), count and until bounds, the
 * limits, a wall time inside a gap, and the order of shift candidates. Expected instants are
 * written out from published transition dates, never computed by the code under test. */
#include <check.h>

#include "base/civil.h"
#include "core/series.h"

static int64_t U(int y, int mo, int d, int h, int mi)
{
	civil c = {y, mo, d, h, mi, 0};
	return civil_to_epoch(c);
}

START_TEST(series_london_spring_and_autumn)
{
	const tz *z = tz_get("Europe/London");
	/* Tuesdays 10:00 local from 2026-03-17: GMT, then BST from 29 March. */
	series_rule r = {.every_weeks = 1, .count = 4};
	int64_t out[SERIES_MAX];
	size_t n;
	const char *why = NULL;
	ck_assert_int_eq(series_occurrences(z, U(2026, 3, 17, 10, 0), &r, out, &n, &why), STATUS_OK);
	ck_assert_uint_eq(n, 4);
	ck_assert_int_eq(out[0], U(2026, 3, 17, 10, 0));
	ck_assert_int_eq(out[1], U(2026, 3, 24, 10, 0));
	ck_assert_int_eq(out[2], U(2026, 3, 31, 9, 0)); /* 10:00 BST */
	ck_assert_int_eq(out[3], U(2026, 4, 7, 9, 0));
	/* October: BST ends on the 25th. Every other week, until a date. */
	series_rule r2 = {.every_weeks = 2, .until_day = civil_days(2026, 11, 20)};
	ck_assert_int_eq(series_occurrences(z, U(2026, 10, 13, 8, 30), &r2, out, &n, &why),
			 STATUS_OK); /* 09:30 BST */
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(out[0], U(2026, 10, 13, 8, 30));
	ck_assert_int_eq(out[1], U(2026, 10, 27, 9, 30)); /* 09:30 GMT */
	ck_assert_int_eq(out[2], U(2026, 11, 10, 9, 30));
}
END_TEST

START_TEST(series_new_york)
{
	const tz *z = tz_get("America/New_York");
	/* Mondays 09:00 local: EST (-5) until 8 March 2026, then EDT (-4); back on 1 November. */
	series_rule r = {.every_weeks = 1, .count = 2};
	int64_t out[SERIES_MAX];
	size_t n;
	const char *why = NULL;
	ck_assert_int_eq(series_occurrences(z, U(2026, 3, 2, 14, 0), &r, out, &n, &why), STATUS_OK);
	ck_assert_int_eq(out[1], U(2026, 3, 9, 13, 0));
	ck_assert_int_eq(series_occurrences(z, U(2026, 10, 26, 13, 0), &r, out, &n, &why), STATUS_OK);
	ck_assert_int_eq(out[1], U(2026, 11, 2, 14, 0));
	/* A Sunday 02:30 series meets the gap on 8 March: the end of the gap (03:00 EDT). */
	ck_assert_int_eq(series_occurrences(z, U(2026, 3, 1, 7, 30), &r, out, &n, &why), STATUS_OK);
	ck_assert_int_eq(out[1], U(2026, 3, 8, 7, 0));
	/* A Sunday 01:30 series meets the repeat on 1 November: its first occurrence (EDT). */
	ck_assert_int_eq(series_occurrences(z, U(2026, 10, 25, 5, 30), &r, out, &n, &why), STATUS_OK);
	ck_assert_int_eq(out[1], U(2026, 11, 1, 5, 30));
}
END_TEST

START_TEST(series_limits)
{
	const tz *z = tz_get("UTC");
	int64_t out[SERIES_MAX];
	size_t n;
	const char *why = NULL;
	int64_t t = U(2026, 1, 5, 9, 0);
	series_rule r = {.every_weeks = 1, .count = SERIES_MAX};
	ck_assert_int_eq(series_occurrences(z, t, &r, out, &n, &why), STATUS_OK);
	ck_assert_uint_eq(n, SERIES_MAX);
	ck_assert_int_eq(out[51], t + 51 * 7 * 86400LL);
	r.count = SERIES_MAX + 1;
	ck_assert_int_eq(series_occurrences(z, t, &r, out, &n, &why), STATUS_INVALID);
	r = (series_rule){.every_weeks = 0, .count = 2};
	ck_assert_int_eq(series_occurrences(z, t, &r, out, &n, &why), STATUS_INVALID);
	r = (series_rule){.every_weeks = 1, .until_day = civil_days(2026, 1, 4)};
	ck_assert_int_eq(series_occurrences(z, t, &r, out, &n, &why), STATUS_INVALID);
	r.until_day = civil_days(2027, 1, 4); /* 53 Mondays */
	ck_assert_int_eq(series_occurrences(z, t, &r, out, &n, &why), STATUS_INVALID);
	r.until_day = civil_days(2026, 1, 5); /* the first date alone */
	ck_assert_int_eq(series_occurrences(z, t, &r, out, &n, &why), STATUS_OK);
	ck_assert_uint_eq(n, 1);
}
END_TEST

START_TEST(series_shift_order)
{
	const tz *z = tz_get("UTC");
	int64_t out[8];
	int64_t w = U(2026, 1, 5, 0, 30);
	size_t n = series_shift_candidates(z, w, 900, 3600, out, 8);
	/* 00:15, 00:45, 00:00, 01:00, (23:45 the day before is left out), 01:15, 01:30 */
	ck_assert_uint_eq(n, 6);
	ck_assert_int_eq(out[0], w - 900);
	ck_assert_int_eq(out[1], w + 900);
	ck_assert_int_eq(out[2], w - 1800);
	ck_assert_int_eq(out[3], w + 1800);
	ck_assert_int_eq(out[4], w + 2700);
	ck_assert_int_eq(out[5], w + 3600);
	series_policy p;
	ck_assert(series_policy_parse("shift", &p) && p == SERIES_SHIFT);
	ck_assert(!series_policy_parse("SKIP", &p));
}
END_TEST

Suite *series_suite(void)
{
	Suite *s = suite_create("series");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, series_london_spring_and_autumn);
	tcase_add_test(tc, series_new_york);
	tcase_add_test(tc, series_limits);
	tcase_add_test(tc, series_shift_order);
	suite_add_tcase(s, tc);
	return s;
}
