/* test_analytics.c - core/analytics: figures, periods, open time and utilisation, each
 * against numbers worked out by hand in the comments. */
#include <check.h>
#include <math.h>
#include <string.h>

#include "base/civil.h"
#include "core/analytics.h"

static analytics_booking bk(booking_status s, int64_t price, int64_t fee, int64_t lead)
{
	return (analytics_booking){.service_id = "cut", .source = "web", .status = s,
				   .start = 1000000, .end = 1001800, .created_at = 1000000 - lead,
				   .price_minor = price, .fee_minor = fee};
}

static void metrics_of(const analytics_booking *v, size_t n, analytics_metrics *m)
{
	arena *a = arena_new();
	const analytics_booking *p[16];
	for (size_t i = 0; i < n; i++)
		p[i] = &v[i];
	analytics_metrics_of(p, n, a, m);
	arena_free(a);
}

START_TEST(figures_by_hand)
{
	analytics_booking v[] = {
		bk(BOOKING_CONFIRMED, 4000, 0, 86400),
		bk(BOOKING_COMPLETED, 3000, 0, 3600),
		bk(BOOKING_CANCELLED, 5000, 2500, 7200),
		bk(BOOKING_NO_SHOW, 2000, 0, 0),
		bk(BOOKING_PENDING, 1000, 0, 172800),
		bk(BOOKING_HELD, 9999, 0, 60),    /* not a booking */
		bk(BOOKING_EXPIRED, 9999, 0, 60), /* not a booking */
	};
	analytics_metrics m;
	metrics_of(v, 7, &m);
	ck_assert_int_eq(m.bookings, 5);
	ck_assert_int_eq(m.by_status[BOOKING_CONFIRMED], 1);
	ck_assert_int_eq(m.by_status[BOOKING_HELD], 0);
	/* 4000 confirmed + 3000 completed + 2500 fee kept; pending and no-show add nothing. */
	ck_assert_int_eq(m.revenue_minor, 9500);
	ck_assert(m.has_cancellation_rate && fabs(m.cancellation_rate - 0.2) < 1e-12);
	/* 1 no-show of 2 known outcomes (completed, no_show). */
	ck_assert(m.has_no_show_rate && fabs(m.no_show_rate - 0.5) < 1e-12);
	/* Leads 0, 3600, 7200, 86400, 172800: sum 270000 / 5; the middle one. */
	ck_assert_int_eq(m.lead_avg_s, 54000);
	ck_assert_int_eq(m.lead_median_s, 7200);

	/* Without the pending one: an even count, the median is the mean of 3600 and 7200. */
	metrics_of(v, 4, &m);
	ck_assert_int_eq(m.lead_avg_s, 24300); /* 97200 / 4 */
	ck_assert_int_eq(m.lead_median_s, 5400);
}
END_TEST

START_TEST(rates_absent_and_rounding_down)
{
	analytics_metrics m;
	metrics_of(NULL, 0, &m);
	ck_assert(!m.has_cancellation_rate && !m.has_no_show_rate && m.lead_count == 0);
	/* Only pending: a cancellation rate (0) but no known outcome. */
	analytics_booking p[] = {bk(BOOKING_PENDING, 1, 0, -3), bk(BOOKING_PENDING, 1, 0, -2)};
	metrics_of(p, 2, &m);
	ck_assert(m.has_cancellation_rate && m.cancellation_rate == 0.0 && !m.has_no_show_rate);
	/* Leads -3 and -2 (made after the start: walk-ins): -5/2 rounds down to -3. */
	ck_assert_int_eq(m.lead_avg_s, -3);
	ck_assert_int_eq(m.lead_median_s, -3);
	ck_assert_int_eq(analytics_revenue(BOOKING_CHECKED_IN, 700, 0), 700);
	ck_assert_int_eq(analytics_revenue(BOOKING_CANCELLED, 700, 100), 100);
	ck_assert_int_eq(analytics_revenue(BOOKING_NO_SHOW, 700, 0), 0);
}
END_TEST

START_TEST(periods_weeks_months_dst)
{
	arena *a = arena_new();
	const tz *london = tz_get("Europe/London");
	analytics_period *p;
	size_t n;
	int64_t mar1 = civil_days(2026, 3, 1), mar31 = civil_days(2026, 3, 31);
	/* 2026-03-01 is a Sunday: weeks [1], [2-8], [9-15], [16-22], [23-29], [30-31]. */
	ck_assert_int_eq(analytics_periods(london, mar1, mar31, ANALYTICS_WEEK, a, &p, &n), STATUS_OK);
	ck_assert_int_eq(n, 6);
	ck_assert_int_eq(p[0].first_day, mar1);
	ck_assert_int_eq(p[0].last_day, mar1);
	ck_assert_int_eq(p[1].first_day, civil_days(2026, 3, 2));
	ck_assert_int_eq(p[1].last_day, civil_days(2026, 3, 8));
	ck_assert_int_eq(p[5].last_day, mar31);
	/* The week of the spring-forward Sunday (29th) ends at 2026-03-29T23:00Z (midnight BST)
	 * and is an hour short of 7 days. */
	ck_assert_int_eq(p[4].end, civil_to_epoch((civil){2026, 3, 29, 23, 0, 0}));
	ck_assert_int_eq(p[4].end - p[4].start, 7 * 86400 - 3600);
	ck_assert_int_eq(p[5].start, p[4].end);
	/* Months: 15 Jan .. 10 Mar is three periods, clipped at both ends. */
	ck_assert_int_eq(analytics_periods(london, civil_days(2026, 1, 15), civil_days(2026, 3, 10),
					   ANALYTICS_MONTH, a, &p, &n), STATUS_OK);
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(p[0].last_day, civil_days(2026, 1, 31));
	ck_assert_int_eq(p[1].first_day, civil_days(2026, 2, 1));
	ck_assert_int_eq(p[1].last_day, civil_days(2026, 2, 28));
	ck_assert_int_eq(p[2].last_day, civil_days(2026, 3, 10));
	ck_assert_int_eq(analytics_periods(london, mar1, mar1, ANALYTICS_DAY, a, &p, &n), STATUS_OK);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(analytics_periods(london, mar31, mar1, ANALYTICS_DAY, a, &p, &n),
			 STATUS_INVALID);
	ck_assert_int_eq(analytics_periods(london, mar1, mar1 + ANALYTICS_MAX_DAYS, ANALYTICS_DAY, a,
					   &p, &n), STATUS_INVALID);
	arena_free(a);
}
END_TEST

START_TEST(report_split_by_source)
{
	arena *a = arena_new();
	const tz *utc = tz_get("UTC");
	analytics_period *p;
	size_t np;
	int64_t d0 = civil_days(2026, 6, 1);
	ck_assert_int_eq(analytics_periods(utc, d0, d0 + 1, ANALYTICS_DAY, a, &p, &np), STATUS_OK);
	analytics_booking v[4] = {
		bk(BOOKING_CONFIRMED, 100, 0, 0), bk(BOOKING_CONFIRMED, 200, 0, 0),
		bk(BOOKING_CANCELLED, 400, 0, 0), bk(BOOKING_CONFIRMED, 800, 0, 0),
	};
	v[0].start = d0 * 86400 + 3600;                      /* day 1, web */
	v[1].start = d0 * 86400 + 7200, v[1].source = "phone"; /* day 1, phone */
	v[2].start = (d0 + 1) * 86400, v[2].source = "phone";  /* day 2, phone */
	v[3].start = (d0 + 2) * 86400;                       /* after the range: left out */
	analytics_report rep;
	analytics_report_build(v, 4, p, np, ANALYTICS_BY_SOURCE, a, &rep);
	ck_assert_int_eq(rep.total.bookings, 3);
	ck_assert_int_eq(rep.total.revenue_minor, 300);
	ck_assert_int_eq(rep.n_groups, 2);
	ck_assert_str_eq(rep.groups[0].key, "phone");
	ck_assert_int_eq(rep.groups[0].m.bookings, 2);
	ck_assert_str_eq(rep.groups[1].key, "web");
	ck_assert_int_eq(rep.n_periods, 2);
	ck_assert_int_eq(rep.periods[0].total.bookings, 2);
	ck_assert_int_eq(rep.periods[1].total.bookings, 1);
	ck_assert_int_eq(rep.periods[1].n_groups, 1);
	ck_assert(rep.periods[1].total.has_cancellation_rate &&
		  rep.periods[1].total.cancellation_rate == 1.0);
	arena_free(a);
}
END_TEST

START_TEST(open_time_and_utilisation)
{
	arena *a = arena_new();
	const tz *london = tz_get("Europe/London");
	/* Mondays 09:00-17:00 local (BST in June: 08:00-16:00Z). */
	avail_rule rule = {.weekday = 0, .start_min = 540, .end_min = 1020};
	/* Time off on Monday 1 June 12:00-13:00 local; Monday 8 June is a closure. */
	int64_t jun1 = civil_days(2026, 6, 1);
	avail_span off = {civil_to_epoch((civil){2026, 6, 1, 11, 0, 0}),
			  civil_to_epoch((civil){2026, 6, 1, 12, 0, 0})};
	int64_t closure = jun1 + 7;
	avail_bookable b = {.id = "ann", .rules = &rule, .n_rules = 1, .time_off = &off,
			    .n_time_off = 1};
	avail_service svc = {.kind = AVAIL_APPOINTMENT, .duration_s = 1800, .max_advance_s = 86400,
			     .slot_interval_s = 1800, .capacity = 1};
	avail_request req = {.service = &svc, .business_zone = london, .closures = &closure,
			     .n_closures = 1, .providers = &b, .n_providers = 1};
	int64_t from = tz_day_start(london, jun1, NULL), to = tz_day_start(london, jun1 + 14, NULL);
	interval_set open;
	ck_assert_int_eq(analytics_open_time(&req, &b, from, to, a, &open), STATUS_OK);
	/* Two Mondays in range: 1 June gives 8 h - 1 h; 8 June is closed. */
	ck_assert_int_eq(interval_set_total(&open), 7 * 3600);
	ck_assert_int_eq(open.n, 2);
	ck_assert_int_eq(open.v[0].start, civil_to_epoch((civil){2026, 6, 1, 8, 0, 0}));

	/* Booked 08:30-09:30Z and 09:00-10:00Z (overlapping: counted once), 11:30-12:30Z (half
	 * in the time off), and 20:00-21:00Z (outside hours: not counted): 1.5 h + 0.5 h. */
	interval booked[] = {
		{civil_to_epoch((civil){2026, 6, 1, 8, 30, 0}), civil_to_epoch((civil){2026, 6, 1, 9, 30, 0})},
		{civil_to_epoch((civil){2026, 6, 1, 9, 0, 0}), civil_to_epoch((civil){2026, 6, 1, 10, 0, 0})},
		{civil_to_epoch((civil){2026, 6, 1, 11, 30, 0}), civil_to_epoch((civil){2026, 6, 1, 12, 30, 0})},
		{civil_to_epoch((civil){2026, 6, 1, 20, 0, 0}), civil_to_epoch((civil){2026, 6, 1, 21, 0, 0})},
	};
	analytics_use u = analytics_use_of(&open, booked, 4, from, to, a);
	ck_assert_int_eq(u.open_s, 7 * 3600);
	ck_assert_int_eq(u.booked_s, 2 * 3600);
	/* Clipped to the second week: open 0 (closure), nothing booked. */
	u = analytics_use_of(&open, booked, 4, tz_day_start(london, jun1 + 7, NULL), to, a);
	ck_assert_int_eq(u.open_s, 0);
	ck_assert_int_eq(u.booked_s, 0);
	arena_free(a);
}
END_TEST

/* A booking starting at UTC civil time c, made `lead` seconds before. */
static analytics_booking at(booking_status s, civil c, int64_t lead)
{
	int64_t t = civil_to_epoch(c);
	return (analytics_booking){.service_id = "cut", .source = "web", .status = s, .start = t,
				   .end = t + 1800, .created_at = t - lead};
}

START_TEST(heat_map_and_lead_histogram)
{
	const tz *london = tz_get("Europe/London");
	analytics_booking v[] = {
		/* Mon 1 June 09:00 BST (08:00Z), made 23 h before: bucket 1 h-1 d. */
		at(BOOKING_CONFIRMED, (civil){2026, 6, 1, 8, 0, 0}, 23 * 3600),
		/* Mon 1 June 09:30 BST, cancelled (still a booking), 30 min ahead: bucket < 1 h. */
		at(BOOKING_CANCELLED, (civil){2026, 6, 1, 8, 30, 0}, 1800),
		/* Sun 7 June 23:30 BST (22:30Z), entered 10 min after its start: bucket < 1 h. */
		at(BOOKING_COMPLETED, (civil){2026, 6, 7, 22, 30, 0}, -600),
		/* Mon 5 Jan 09:00 GMT (09:00Z): the same cell as the first; exactly 3 days ahead. */
		at(BOOKING_CONFIRMED, (civil){2026, 1, 5, 9, 0, 0}, 3 * 86400),
		/* Tue 2 June 00:15 BST (Mon 23:15Z): Tuesday hour 0 in the zone; 30 days ahead. */
		at(BOOKING_NO_SHOW, (civil){2026, 6, 1, 23, 15, 0}, 30 * 86400),
		/* Not bookings: a hold and an expired hold. */
		at(BOOKING_HELD, (civil){2026, 6, 1, 8, 0, 0}, 60),
		at(BOOKING_EXPIRED, (civil){2026, 6, 1, 8, 0, 0}, 60),
		/* Outside the range asked for. */
		at(BOOKING_CONFIRMED, (civil){2027, 6, 1, 8, 0, 0}, 60),
	};
	analytics_shape sh;
	analytics_shape_of(london, v, 8, civil_to_epoch((civil){2026, 1, 1, 0, 0, 0}),
			   civil_to_epoch((civil){2027, 1, 1, 0, 0, 0}), &sh);
	ck_assert_int_eq(sh.heat[0][9], 3);  /* Mondays 09:xx: two in June, one in January */
	ck_assert_int_eq(sh.heat[6][23], 1); /* Sunday 23:30 */
	ck_assert_int_eq(sh.heat[1][0], 1);  /* Tuesday 00:15 */
	int64_t cells = 0;
	for (int d = 0; d < 7; d++)
		for (int h = 0; h < 24; h++)
			cells += sh.heat[d][h];
	ck_assert_int_eq(cells, 5); /* = the counted bookings */
	ck_assert_int_eq(sh.lead[0], 2); /* 30 min and -10 min */
	ck_assert_int_eq(sh.lead[1], 1); /* 23 h */
	ck_assert_int_eq(sh.lead[2], 0);
	ck_assert_int_eq(sh.lead[3], 1); /* 3 days exactly: the bucket that starts there */
	ck_assert_int_eq(sh.lead[6], 1); /* 30 days */
}
END_TEST

Suite *analytics_suite(void)
{
	Suite *s = suite_create("analytics");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, figures_by_hand);
	tcase_add_test(tc, rates_absent_and_rounding_down);
	tcase_add_test(tc, periods_weeks_months_dst);
	tcase_add_test(tc, report_split_by_source);
	tcase_add_test(tc, open_time_and_utilisation);
	tcase_add_test(tc, heat_map_and_lead_histogram);
	suite_add_tcase(s, tc);
	return s;
}
