/* test_access.c - the pure parts of staff access: cookies, credentials, emails, the lockout
 * back-off, the rate-limit setting and the fixed-window counters. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "api/credentials.h"
#include "http/ratelimit.h"

START_TEST(cookie_values)
{
	char v[64];
	ck_assert(cred_cookie_get("bookd_session=abc.def", "bookd_session", v, sizeof(v)));
	ck_assert_str_eq(v, "abc.def");
	ck_assert(cred_cookie_get("a=1; bookd_session=x.y ; b=2", "bookd_session", v, sizeof(v)));
	ck_assert_str_eq(v, "x.y");
	ck_assert(cred_cookie_get("x_bookd_session=no;bookd_session=\"q.r\"", "bookd_session", v,
				  sizeof(v)));
	ck_assert_str_eq(v, "q.r");
	ck_assert(!cred_cookie_get("bookd_sessionx=1", "bookd_session", v, sizeof(v)));
	ck_assert(!cred_cookie_get("bookd_session=", "bookd_session", v, sizeof(v)));
	ck_assert(!cred_cookie_get(NULL, "bookd_session", v, sizeof(v)));
	ck_assert(!cred_cookie_get("bookd_session=0123456789", "bookd_session", v, 5));
}
END_TEST

START_TEST(credential_split)
{
	char bid[32];
	const char *secret = NULL;
	ck_assert(cred_split("biz_ABC.s3cr-et_x", bid, sizeof(bid), &secret));
	ck_assert_str_eq(bid, "biz_ABC");
	ck_assert_str_eq(secret, "s3cr-et_x");
	ck_assert(!cred_split("nodot", bid, sizeof(bid), &secret));
	ck_assert(!cred_split(".secret", bid, sizeof(bid), &secret));
	ck_assert(!cred_split("biz.", bid, sizeof(bid), &secret));
	ck_assert(!cred_split("biz.a.b", bid, sizeof(bid), &secret));
	ck_assert(!cred_split("biz'.x", bid, sizeof(bid), &secret));
	ck_assert(!cred_split("a_very_long_business_identifier_here.x", bid, 8, &secret));
}
END_TEST

START_TEST(email_normalising)
{
	char e[64];
	ck_assert(cred_email_norm("  Ann@Example.COM\n", e, sizeof(e)));
	ck_assert_str_eq(e, "ann@example.com");
	ck_assert(!cred_email_norm("no-at-sign", e, sizeof(e)));
	ck_assert(!cred_email_norm("@example.com", e, sizeof(e)));
	ck_assert(!cred_email_norm("ann@", e, sizeof(e)));
	ck_assert(!cred_email_norm("a@b@c", e, sizeof(e)));
	ck_assert(!cred_email_norm("a b@c", e, sizeof(e)));
	ck_assert(!cred_email_norm(NULL, e, sizeof(e)));
}
END_TEST

START_TEST(lockout_backoff)
{
	ck_assert_int_eq(cred_lock_seconds(4, 5), 0);
	ck_assert_int_eq(cred_lock_seconds(5, 5), CRED_LOCK_BASE_S);
	ck_assert_int_eq(cred_lock_seconds(6, 5), 2 * CRED_LOCK_BASE_S);
	ck_assert_int_eq(cred_lock_seconds(7, 5), 4 * CRED_LOCK_BASE_S);
	ck_assert_int_eq(cred_lock_seconds(100, 5), CRED_LOCK_MAX_S);
	ck_assert_int_eq(cred_lock_seconds(1000000, 5), CRED_LOCK_MAX_S);
}
END_TEST

START_TEST(limits_setting)
{
	cred_limits l;
	char err[256];
	ck_assert(cred_limits_parse("on", &l, err, sizeof(err)));
	ck_assert(l.on && l.login_addr.count == 10 && l.public_addr.count == 300);
	ck_assert(cred_limits_parse("off", &l, err, sizeof(err)));
	ck_assert(!l.on);
	ck_assert(cred_limits_parse("public_business=5/60,login_addr=3/10", &l, err, sizeof(err)));
	ck_assert(l.on && l.public_business.count == 5 && l.public_business.window_s == 60);
	ck_assert(l.login_addr.count == 3 && l.login_addr.window_s == 10);
	ck_assert(l.public_addr.count == 300);
	ck_assert(l.reset_addr.count == 10 && l.reset_addr.window_s == 3600);
	ck_assert(l.reset_email.count == 5 && l.reset_email.window_s == 3600);
	ck_assert(cred_limits_parse("reset_email=2/600,reset_addr=7/60", &l, err, sizeof(err)));
	ck_assert(l.reset_email.count == 2 && l.reset_email.window_s == 600);
	ck_assert(l.reset_addr.count == 7 && l.reset_addr.window_s == 60);
	ck_assert(!cred_limits_parse("public_business=5", &l, err, sizeof(err)));
	ck_assert(strstr(err, "public_business=5") != NULL);
	ck_assert(!cred_limits_parse("nope=1/1", &l, err, sizeof(err)));
	ck_assert(!cred_limits_parse("login_addr=0/60", &l, err, sizeof(err)));
	ck_assert(!cred_limits_parse("login_addr=1/60x", &l, err, sizeof(err)));
	ck_assert(!cred_limits_parse("yes", &l, err, sizeof(err)));
}
END_TEST

START_TEST(fixed_windows)
{
	ratelimit *rl = ratelimit_new(64);
	int64_t wait = 0;
	for (int i = 0; i < 3; i++)
		ck_assert(ratelimit_hit(rl, "a", 1000, 3, 60, &wait));
	ck_assert(!ratelimit_hit(rl, "a", 1010, 3, 60, &wait));
	ck_assert_int_eq(wait, 1020 - 1010); /* the window is [960, 1020) */
	ck_assert(ratelimit_hit(rl, "b", 1010, 3, 60, &wait)); /* other keys count apart */
	ck_assert(ratelimit_hit(rl, "a", 1020, 3, 60, &wait)); /* a new window */
	/* A full table reuses slots rather than failing. */
	char key[32];
	for (int i = 0; i < 1000; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		ck_assert(ratelimit_hit(rl, key, 2000 + i, 1, 1, NULL));
	}
	ratelimit_free(rl);
}
END_TEST

Suite *access_suite(void)
{
	Suite *s = suite_create("access");
	TCase *tc = tcase_create("access");
	tcase_add_test(tc, cookie_values);
	tcase_add_test(tc, credential_split);
	tcase_add_test(tc, email_normalising);
	tcase_add_test(tc, lockout_backoff);
	tcase_add_test(tc, limits_setting);
	tcase_add_test(tc, fixed_windows);
	suite_add_tcase(s, tc);
	return s;
}
