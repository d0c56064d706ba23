/* test_loyalty.c - core/loyalty: settings checks, tiers by value and by visits, the tier
 * discount, points with multipliers, and the replay of payments, refunds, visits,
 * cancellations and staff adjustments into points and history. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "core/loyalty.h"

static loyalty_settings programme(loyalty_basis basis)
{
	loyalty_settings s;
	memset(&s, 0, sizeof(s));
	s.enabled = true;
	s.points_per_unit = 2; /* 2 points per EUR */
	s.basis = basis;
	s.ntiers = 2;
	snprintf(s.tiers[0].name, sizeof(s.tiers[0].name), "Silver");
	s.tiers[0].threshold = basis == LOYALTY_BY_VALUE ? 10000 : 2;
	s.tiers[0].multiplier_bp = 15000;
	s.tiers[0].discount_bp = 500;
	snprintf(s.tiers[1].name, sizeof(s.tiers[1].name), "Gold");
	s.tiers[1].threshold = basis == LOYALTY_BY_VALUE ? 50000 : 5;
	s.tiers[1].multiplier_bp = 20000;
	s.tiers[1].discount_bp = 1000;
	return s;
}

START_TEST(loyalty_settings_checked)
{
	loyalty_settings s = programme(LOYALTY_BY_VALUE);
	char field[64];
	const char *why;
	ck_assert(loyalty_settings_ok(&s, field, sizeof(field), &why));
	s.tiers[1].threshold = 10000;
	ck_assert(!loyalty_settings_ok(&s, field, sizeof(field), &why));
	ck_assert_str_eq(field, "tiers[1].threshold");
	s.tiers[1].threshold = 50000;
	s.tiers[0].discount_bp = 10001;
	ck_assert(!loyalty_settings_ok(&s, field, sizeof(field), &why));
	ck_assert_str_eq(field, "tiers[0].discount_bp");
	s.tiers[0].discount_bp = 0;
	s.tiers[1].multiplier_bp = LOYALTY_MULTIPLIER_BP_MAX + 1;
	ck_assert(!loyalty_settings_ok(&s, field, sizeof(field), &why));
	ck_assert_str_eq(field, "tiers[1].multiplier_bp");
	s.tiers[1].multiplier_bp = 10000;
	s.tiers[0].name[0] = 0;
	ck_assert(!loyalty_settings_ok(&s, field, sizeof(field), &why));
	ck_assert_str_eq(field, "tiers[0].name");
	s = programme(LOYALTY_BY_VALUE);
	s.points_per_unit = -1;
	ck_assert(!loyalty_settings_ok(&s, field, sizeof(field), &why));
	ck_assert_str_eq(field, "points_per_unit");
	loyalty_basis b;
	ck_assert(loyalty_basis_parse("visits", &b) && b == LOYALTY_BY_VISITS);
	ck_assert(!loyalty_basis_parse("spend", &b));
}
END_TEST

START_TEST(loyalty_tiers_and_discount)
{
	loyalty_settings v = programme(LOYALTY_BY_VALUE);
	ck_assert_int_eq(loyalty_tier_of(&v, 9999, 100), -1); /* visits do not count here */
	ck_assert_int_eq(loyalty_tier_of(&v, 10000, 0), 0);
	ck_assert_int_eq(loyalty_tier_of(&v, 50000, 0), 1);
	loyalty_settings n = programme(LOYALTY_BY_VISITS);
	ck_assert_int_eq(loyalty_tier_of(&n, 1000000, 1), -1);
	ck_assert_int_eq(loyalty_tier_of(&n, 0, 2), 0);
	ck_assert_int_eq(loyalty_tier_of(&n, 0, 7), 1);
	n.enabled = false;
	ck_assert_int_eq(loyalty_tier_of(&n, 0, 7), -1);
	int64_t off;
	ck_assert_int_eq(loyalty_discounted_price(&v, -1, 8000, &off), 8000);
	ck_assert_int_eq(off, 0);
	ck_assert_int_eq(loyalty_discounted_price(&v, 0, 8000, &off), 7600); /* 5% */
	ck_assert_int_eq(off, 400);
	ck_assert_int_eq(loyalty_discounted_price(&v, 1, 8000, NULL), 7200); /* 10% */
	ck_assert_int_eq(loyalty_discounted_price(&v, 1, 5, &off), 5); /* 0.5 rounds down to 0 */
	ck_assert_int_eq(loyalty_discounted_price(&v, 1, 0, NULL), 0);
	v.tiers[1].discount_bp = 10000;
	ck_assert_int_eq(loyalty_discounted_price(&v, 1, 8000, NULL), 0);
	v.enabled = false;
	ck_assert_int_eq(loyalty_discounted_price(&v, 1, 8000, NULL), 8000);
}
END_TEST

START_TEST(loyalty_points_rates)
{
	loyalty_settings s = programme(LOYALTY_BY_VALUE);
	ck_assert_int_eq(loyalty_points_for(&s, 2000, 2, 10000), 40);  /* 20 EUR x 2 */
	ck_assert_int_eq(loyalty_points_for(&s, 2049, 2, 10000), 40);  /* 20.49: floor */
	ck_assert_int_eq(loyalty_points_for(&s, 2000, 2, 15000), 60);  /* x1.5 */
	ck_assert_int_eq(loyalty_points_for(&s, 2000, 0, 10000), 4000); /* 2000 JPY */
	ck_assert_int_eq(loyalty_points_for(&s, 2000, 3, 10000), 4);   /* 2 KWD */
	ck_assert_int_eq(loyalty_points_for(&s, -5, 2, 10000), 0);
	/* The largest amount and rates stay exact within int64. */
	s.points_per_unit = LOYALTY_POINTS_PER_UNIT_MAX;
	ck_assert_int_eq(loyalty_points_for(&s, INT64_MAX, 0, LOYALTY_MULTIPLIER_BP_MAX),
			 LOYALTY_AMOUNT_MAX * 1000 * 5);
}
END_TEST

START_TEST(loyalty_replay_history)
{
	loyalty_settings s = programme(LOYALTY_BY_VALUE);
	const loyalty_fact f[] = {
		{LOYALTY_PAID, 100, "A", 2000, 0, NULL, NULL},      /* deposit: +40 */
		{LOYALTY_COMPLETED, 200, "A", 8000, 0, NULL, NULL}, /* rest 60 EUR: +120, visit */
		{LOYALTY_PAID, 300, "B", 4000, 0, NULL, NULL},      /* value 120 EUR: Silver now; B +80 */
		{LOYALTY_PAID, 400, "C", 4000, 0, NULL, NULL},      /* x1.5: +120 */
		{LOYALTY_REFUNDED, 500, "C", 2000, 0, NULL, NULL},  /* half back: -60 */
		{LOYALTY_CANCELLED, 600, "C", 0, 0, NULL, NULL},    /* the rest: -60 */
		{LOYALTY_REFUNDED, 650, "C", 2000, 0, NULL, NULL},  /* nothing left to give back */
		{LOYALTY_ADJUSTED, 700, NULL, 0, -15, "goodwill fix", "staff:u1"},
		{LOYALTY_CANCELLED, 800, "B", 0, 0, NULL, NULL},    /* B's 80 back: value 80 EUR */
	};
	size_t n = sizeof(f) / sizeof(f[0]);
	char work[1024];
	ck_assert_uint_le(loyalty_work_size(8), sizeof(work));
	loyalty_entry h[16];
	size_t nh;
	loyalty_account acc;
	loyalty_replay(&s, 2, f, n, work, 8, &acc, h, &nh);
	ck_assert_int_eq(nh, 8); /* the empty refund leaves no line */
	int64_t want[] = {40, 120, 80, 120, -60, -60, -15, -80};
	const char *kinds[] = {"earned", "earned", "earned", "earned", "reversed", "reversed",
			       "adjusted", "reversed"};
	for (size_t i = 0; i < nh; i++) {
		ck_assert_int_eq(h[i].points, want[i]);
		ck_assert_str_eq(h[i].kind, kinds[i]);
	}
	ck_assert_str_eq(h[6].reason, "goodwill fix");
	ck_assert_str_eq(h[6].actor, "staff:u1");
	ck_assert_int_eq(h[2].tier, 0);   /* B's payment reached Silver... */
	ck_assert_int_eq(h[2].points, 80); /* ...but earned at the multiplier before it */
	ck_assert_int_eq(acc.points, 40 + 120 + 80 + 120 - 60 - 60 - 15 - 80);
	ck_assert_int_eq(acc.value_minor, 8000); /* A's price; B and C gave theirs back */
	ck_assert_int_eq(acc.visits, 1);
	ck_assert_int_eq(acc.tier, -1); /* below Silver again */
	ck_assert_int_eq(h[7].balance, acc.points);
}
END_TEST

Suite *loyalty_suite(void)
{
	Suite *s = suite_create("loyalty");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, loyalty_settings_checked);
	tcase_add_test(tc, loyalty_tiers_and_discount);
	tcase_add_test(tc, loyalty_points_rates);
	tcase_add_test(tc, loyalty_replay_history);
	suite_add_tcase(s, tc);
	return s;
}
