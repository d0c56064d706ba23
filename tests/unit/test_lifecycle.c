/* test_lifecycle.c - every status x action, and the customer policies at their edges. */
#include <check.h>

#include "core/lifecycle.h"
#include "core/policy.h"

#define H BOOKING_HELD
#define P BOOKING_PENDING
#define C BOOKING_CONFIRMED
#define I BOOKING_CHECKED_IN
#define D BOOKING_COMPLETED
#define X BOOKING_CANCELLED
#define N BOOKING_NO_SHOW
#define E BOOKING_EXPIRED
#define NO -1

/* expected[from][action]: the status after, or NO when refused (needs_approval false). */
static const int expected[8][8] = {
	/*          book confirm check_in complete cancel no_show expire reschedule */
	/* held */ {C, NO, NO, NO, X, NO, E, NO},
	/* pend */ {NO, C, NO, NO, X, NO, NO, P},
	/* conf */ {NO, NO, I, D, X, N, NO, C},
	/* chk  */ {NO, NO, NO, D, NO, NO, NO, NO},
	/* done */ {NO, NO, NO, NO, NO, NO, NO, NO},
	/* canc */ {NO, NO, NO, NO, NO, NO, NO, NO},
	/* nosh */ {NO, NO, NO, NO, NO, NO, NO, NO},
	/* expd */ {NO, NO, NO, NO, NO, NO, NO, NO},
};

START_TEST(every_transition)
{
	for (int from = 0; from < 8; from++) {
		for (int act = 0; act < 8; act++) {
			booking_status to = (booking_status)99;
			const char *why = NULL;
			status st = lifecycle_next((booking_status)from, (booking_action)act, false, &to, &why);
			if (expected[from][act] == NO) {
				ck_assert_msg(st == STATUS_CONFLICT && why && to == (booking_status)99,
					      "%s -%s-> should be refused", booking_status_name((booking_status)from),
					      booking_action_name((booking_action)act));
			} else {
				ck_assert_msg(st == STATUS_OK && (int)to == expected[from][act],
					      "%s -%s-> gave %d", booking_status_name((booking_status)from),
					      booking_action_name((booking_action)act), (int)to);
			}
		}
	}
}
END_TEST

START_TEST(book_with_approval_is_pending)
{
	booking_status to;
	ck_assert_int_eq(lifecycle_next(H, ACTION_BOOK, true, &to, NULL), STATUS_OK);
	ck_assert_int_eq(to, P);
	ck_assert(lifecycle_is_active(H) && lifecycle_is_active(I) && !lifecycle_is_active(X));
	ck_assert(lifecycle_is_final(E) && !lifecycle_is_final(C));
	booking_action a;
	ck_assert(booking_action_parse("check_in", &a) && a == ACTION_CHECK_IN);
	ck_assert(!booking_action_parse("explode", &a));
}
END_TEST

START_TEST(policy_windows_include_their_edge)
{
	int64_t start = 1000000;
	ck_assert(policy_in_time(start, start - 86400, 86400));      /* exactly 24 h before */
	ck_assert(!policy_in_time(start, start - 86399, 86400));     /* one second late */
	ck_assert(policy_in_time(start, start, 0));
	ck_assert(!policy_in_time(start, start + 1, 0));
}
END_TEST

START_TEST(refund_tiers)
{
	policy_refunds p;
	ck_assert_int_eq(policy_refunds_parse("[{\"min_notice_s\": 86400, \"refund_percent\": 50},"
					      " {\"min_notice_s\": 172800, \"refund_percent\": 100}]",
					      &p),
			 STATUS_OK);
	int64_t start = 10000000;
	int pct;
	ck_assert_int_eq(policy_refund(&p, start, start - 172800, 4000, &pct), 4000);
	ck_assert_int_eq(pct, 100);
	ck_assert_int_eq(policy_refund(&p, start, start - 172799, 4000, &pct), 2000);
	ck_assert_int_eq(policy_refund(&p, start, start - 86400, 4000, &pct), 2000);
	ck_assert_int_eq(policy_refund(&p, start, start - 86399, 4000, &pct), 0);
	ck_assert_int_eq(pct, 0);
	ck_assert_int_eq(policy_refunds_parse("[]", &p), STATUS_OK);
	ck_assert_int_eq(policy_refund(&p, start, start - 1, 4000, NULL), 4000);
	ck_assert_int_eq(policy_refunds_parse("[{\"min_notice_s\": 1, \"refund_percent\": 101}]", &p),
			 STATUS_INVALID);
	ck_assert_int_eq(policy_refunds_parse("{}", &p), STATUS_INVALID);
}
END_TEST

/* A booking's price: per seat; a rental per started unit of its duration, whole days by
 * local day whatever their length. */
START_TEST(price_counts_seats_and_rental_units)
{
	service cut = {.kind = SERVICE_APPOINTMENT, .duration_s = 1800, .price_minor = 4000};
	ck_assert_int_eq(policy_price(&cut, 0, 1800, 1), 4000);
	ck_assert_int_eq(policy_price(&cut, 0, 1800, 3), 12000);
	service bike = {.kind = SERVICE_RENTAL, .duration_s = 3600, .price_minor = 800};
	ck_assert_int_eq(policy_price(&bike, 0, 3600, 1), 800);
	ck_assert_int_eq(policy_price(&bike, 0, 3 * 3600, 1), 2400);
	ck_assert_int_eq(policy_price(&bike, 0, 3 * 3600 + 60, 1), 3200); /* a started hour */
	ck_assert_int_eq(policy_price(&bike, 0, 2 * 3600, 2), 3200);
	service boat = {.kind = SERVICE_RENTAL, .duration_s = 86400, .price_minor = 50000,
			.whole_days = true};
	ck_assert_int_eq(policy_price(&boat, 0, 2 * 86400 + 3600, 1), 100000); /* a 25-hour day */
	ck_assert_int_eq(policy_price(&boat, 0, 3 * 86400 - 3600, 1), 150000); /* a 23-hour day */
}
END_TEST

Suite *lifecycle_suite(void)
{
	Suite *s = suite_create("lifecycle");
	TCase *tc = tcase_create("lifecycle");
	tcase_add_test(tc, every_transition);
	tcase_add_test(tc, book_with_approval_is_pending);
	tcase_add_test(tc, policy_windows_include_their_edge);
	tcase_add_test(tc, price_counts_seats_and_rental_units);
	tcase_add_test(tc, refund_tiers);
	suite_add_tcase(s, tc);
	return s;
}
