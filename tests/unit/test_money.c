/* test_money.c - core/money (currency digits, decimal text, deposits, refunds of what was
 * paid) and pay/pay's Stripe-Signature check. */
#include <check.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/money.h"
#include "pay/pay.h"

START_TEST(money_digits_and_text)
{
	char s[32];
	ck_assert_int_eq(money_digits("EUR"), 2);
	ck_assert_int_eq(money_digits("JPY"), 0);
	ck_assert_int_eq(money_digits("KWD"), 3);
	money_decimal(1250, "EUR", s, sizeof(s));
	ck_assert_str_eq(s, "12.50");
	money_decimal(5, "EUR", s, sizeof(s));
	ck_assert_str_eq(s, "0.05");
	money_decimal(1000, "JPY", s, sizeof(s));
	ck_assert_str_eq(s, "1000");
	money_decimal(1250, "KWD", s, sizeof(s));
	ck_assert_str_eq(s, "1.250");
	money_decimal(-7, "USD", s, sizeof(s));
	ck_assert_str_eq(s, "-0.07");
	int64_t v;
	ck_assert(money_parse_decimal("20.00", "EUR", &v) && v == 2000);
	ck_assert(money_parse_decimal("20.5", "EUR", &v) && v == 2050);
	ck_assert(money_parse_decimal("20", "EUR", &v) && v == 2000);
	ck_assert(money_parse_decimal("1000", "JPY", &v) && v == 1000);
	ck_assert(!money_parse_decimal("10.5", "JPY", &v));   /* no fractions of a yen */
	ck_assert(!money_parse_decimal("1.001", "EUR", &v));  /* below the minor unit */
	ck_assert(!money_parse_decimal("-1.00", "EUR", &v));
	ck_assert(!money_parse_decimal("", "EUR", &v));
	ck_assert(!money_parse_decimal(".5", "EUR", &v));
	ck_assert(!money_parse_decimal("99999999999999999999", "EUR", &v));
	ck_assert(money_currency_ok("EUR") && !money_currency_ok("eur") && !money_currency_ok("EURO"));
}
END_TEST

START_TEST(money_due_and_refund)
{
	money_terms t = {.mode = MONEY_NONE};
	ck_assert_int_eq(money_due(&t, 8000), 0);
	t.mode = MONEY_FULL;
	ck_assert_int_eq(money_due(&t, 8000), 8000);
	t = (money_terms){.mode = MONEY_DEPOSIT, .deposit_percent = 25};
	ck_assert_int_eq(money_due(&t, 8000), 2000);
	ck_assert_int_eq(money_due(&t, 1), 1); /* rounded up to the minor unit */
	ck_assert_int_eq(money_due(&t, 0), 0);
	t = (money_terms){.mode = MONEY_DEPOSIT, .deposit_minor = 3000};
	ck_assert_int_eq(money_due(&t, 8000), 3000);
	ck_assert_int_eq(money_due(&t, 2500), 2500); /* never more than the price */
	policy_refunds p;
	ck_assert_int_eq(policy_refunds_parse("[{\"min_notice_s\":172800,\"refund_percent\":100},"
					      "{\"min_notice_s\":86400,\"refund_percent\":50}]", &p),
			 STATUS_OK);
	int pc;
	int64_t start = 1000000;
	ck_assert_int_eq(money_refund(&p, start, start - 172800, 2000, false, &pc), 2000);
	ck_assert_int_eq(pc, 100);
	ck_assert_int_eq(money_refund(&p, start, start - 172799, 2000, false, &pc), 1000);
	ck_assert_int_eq(money_refund(&p, start, start - 86399, 2000, false, &pc), 0);
	ck_assert_int_eq(money_refund(&p, start, start - 60, 2000, true, &pc), 2000);
	ck_assert_int_eq(pc, 100);
	ck_assert_int_eq(money_refund(&p, start, start - 200000, 1999, false, NULL), 1999);
	ck_assert_int_eq(money_refund(&p, start, start - 100000, 1999, false, NULL), 999);
	ck_assert_int_eq(money_refund(&p, start, start, 0, true, NULL), 0);
}
END_TEST

/* A Stripe-Signature header for body at ts under secret. */
static void sign(const char *secret, int64_t ts, const char *body, char *out, size_t len)
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state s;
	char pre[32];
	int n = snprintf(pre, sizeof(pre), "%lld.", (long long)ts);
	crypto_auth_hmacsha256_init(&s, (const unsigned char *)secret, strlen(secret));
	crypto_auth_hmacsha256_update(&s, (const unsigned char *)pre, (unsigned long long)n);
	crypto_auth_hmacsha256_update(&s, (const unsigned char *)body, strlen(body));
	crypto_auth_hmacsha256_final(&s, mac);
	char hex[65];
	sodium_bin2hex(hex, sizeof(hex), mac, sizeof(mac));
	snprintf(out, len, "t=%lld,v1=%s", (long long)ts, hex);
}

START_TEST(stripe_signature)
{
	const char *body = "{\"id\":\"evt_1\"}";
	char h[256], two[512];
	int64_t now = 1780000000;
	sign("whsec_a", now - 10, body, h, sizeof(h));
	ck_assert_int_eq(pay_stripe_verify("whsec_a", h, body, strlen(body), now, 300), STATUS_OK);
	/* Another secret, another body, no header, garbage. */
	ck_assert_int_eq(pay_stripe_verify("whsec_b", h, body, strlen(body), now, 300), STATUS_UNAUTHORIZED);
	ck_assert_int_eq(pay_stripe_verify("whsec_a", h, "{}", 2, now, 300), STATUS_UNAUTHORIZED);
	ck_assert_int_eq(pay_stripe_verify("whsec_a", NULL, body, strlen(body), now, 300), STATUS_UNAUTHORIZED);
	ck_assert_int_eq(pay_stripe_verify("whsec_a", "t=x,v1=00", body, strlen(body), now, 300), STATUS_UNAUTHORIZED);
	ck_assert_int_eq(pay_stripe_verify("", h, body, strlen(body), now, 300), STATUS_UNAUTHORIZED);
	/* Outside the tolerance either side: a replay. */
	ck_assert_int_eq(pay_stripe_verify("whsec_a", h, body, strlen(body), now + 291, 300), STATUS_INVALID);
	sign("whsec_a", now + 301, body, h, sizeof(h));
	ck_assert_int_eq(pay_stripe_verify("whsec_a", h, body, strlen(body), now, 300), STATUS_INVALID);
	/* During a secret's rotation Stripe sends a v1 per secret: any one matching will do. */
	char old[256];
	sign("whsec_old", now, body, old, sizeof(old));
	sign("whsec_a", now, body, h, sizeof(h));
	snprintf(two, sizeof(two), "%s,%s,v0=abc", old, strchr(h, ',') + 1);
	ck_assert_int_eq(pay_stripe_verify("whsec_a", two, body, strlen(body), now, 300), STATUS_OK);
}
END_TEST

Suite *money_suite(void)
{
	Suite *s = suite_create("money");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, money_digits_and_text);
	tcase_add_test(tc, money_due_and_refund);
	tcase_add_test(tc, stripe_signature);
	suite_add_tcase(s, tc);
	return s;
}
