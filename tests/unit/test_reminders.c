/* test_reminders.c - reminder offsets, past ones skipped, quiet hours move them earlier. */
#include <check.h>

#include "base/civil.h"
#include "core/reminders.h"

static int64_t utc(int y, int mo, int d, int h, int mi)
{
	return civil_days(y, mo, d) * 86400 + h * 3600 + mi * 60;
}

START_TEST(offsets_and_past)
{
	int64_t off[REMINDERS_MAX];
	size_t n;
	ck_assert_int_eq(reminders_parse("[86400, 3600]", off, &n), STATUS_OK);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(reminders_parse("[0]", off, &n), STATUS_INVALID);
	ck_assert_int_eq(reminders_parse("{}", off, &n), STATUS_INVALID);
	reminders_parse("[86400, 3600]", off, &n);
	const tz *london = tz_get("Europe/London");
	reminder_due due[REMINDERS_MAX];
	int64_t start = utc(2026, 6, 10, 9, 0); /* 10:00 BST */
	reminders_quiet none = {0, 0};
	ck_assert_int_eq(reminders_plan(start, utc(2026, 6, 1, 0, 0), off, n, london, none, due), 2);
	ck_assert_int_eq(due[0].due, start - 86400);
	ck_assert_int_eq(due[1].due, start - 3600);
	/* Booked 2 hours before: only the 1 h reminder remains. */
	ck_assert_int_eq(reminders_plan(start, start - 7200, off, n, london, none, due), 1);
	ck_assert_int_eq(due[0].offset_s, 3600);
	/* Booked 30 minutes before: none. */
	ck_assert_int_eq(reminders_plan(start, start - 1800, off, n, london, none, due), 0);
}
END_TEST

START_TEST(quiet_hours_move_earlier)
{
	int64_t off[] = {3600};
	const tz *london = tz_get("Europe/London");
	reminder_due due[REMINDERS_MAX];
	/* Quiet 21:00-08:00 local; an 08:30 BST start wants 07:30 BST: inside, so 20:59 BST the
	 * evening before. */
	reminders_quiet q = {21 * 60, 8 * 60};
	int64_t start = utc(2026, 6, 10, 7, 30); /* 08:30 BST */
	ck_assert_int_eq(reminders_plan(start, utc(2026, 6, 1, 0, 0), off, 1, london, q, due), 1);
	ck_assert_int_eq(due[0].due, utc(2026, 6, 9, 19, 59));
	/* A 15:00 start: 14:00 is outside quiet hours, unchanged. */
	start = utc(2026, 6, 10, 14, 0);
	ck_assert_int_eq(reminders_plan(start, utc(2026, 6, 1, 0, 0), off, 1, london, q, due), 1);
	ck_assert_int_eq(due[0].due, start - 3600);
	/* Quiet 22:00-23:00 (not crossing midnight): a 23:30 start's 22:30 reminder -> 21:59. */
	reminders_quiet q2 = {22 * 60, 23 * 60};
	start = utc(2026, 6, 10, 22, 30); /* 23:30 BST */
	ck_assert_int_eq(reminders_plan(start, utc(2026, 6, 1, 0, 0), off, 1, london, q2, due), 1);
	ck_assert_int_eq(due[0].due, utc(2026, 6, 10, 20, 59));
}
END_TEST

Suite *reminders_suite(void)
{
	Suite *s = suite_create("reminders");
	TCase *tc = tcase_create("reminders");
	tcase_add_test(tc, offsets_and_past);
	tcase_add_test(tc, quiet_hours_move_earlier);
	suite_add_tcase(s, tc);
	return s;
}
