/* test_send.c - delivery refuses what it cannot write whole: an address longer than its
 * envelope buffer is never cut short into another address (and never retried). */
#include <check.h>
#include <string.h>

#include "notify/send.h"

START_TEST(an_address_too_long_is_refused_not_cut)
{
	/* Nothing listens on port 1: had the address been cut short and sent, the answer would
	 * be STATUS_IO from the connection instead. */
	send_config cfg = {.smtp_url = "smtp://127.0.0.1:1", .smtp_from = "shop@example.test",
			   .timeout_s = 1};
	char to[400];
	memset(to, 'a', sizeof(to) - 1);
	to[sizeof(to) - 1] = '\0';
	memcpy(to + sizeof(to) - 14, "@example.test", 13);
	char err[256] = "";
	ck_assert_int_eq(send_email(&cfg, to, "x\r\n", 3, err, sizeof(err)), STATUS_INVALID);
	ck_assert_ptr_nonnull(strstr(err, "longer than"));
	/* A sane address goes on to the (absent) server. */
	ck_assert_int_eq(send_email(&cfg, "bob@example.test", "x\r\n", 3, err, sizeof(err)),
			 STATUS_IO);
}
END_TEST

Suite *send_suite(void)
{
	Suite *s = suite_create("send");
	TCase *tc = tcase_create("send");
	tcase_add_test(tc, an_address_too_long_is_refused_not_cut);
	suite_add_tcase(s, tc);
	return s;
}
