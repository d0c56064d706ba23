/* test_referral.c - the referral tag's normal form (api/referral.h). */
#include <check.h>
#include <string.h>

#include "api/referral.h"
#include "base/arena.h"

START_TEST(referral_normal_form)
{
	arena *a = arena_new();
	ck_assert_str_eq(referral_normalise(a, "  Newsletter/Spring-2026 "), "newsletter/spring-2026");
	ck_assert_str_eq(referral_normalise(a, "partner:gym+x@y.z_~"), "partner:gym+x@y.z_~");
	char longest[REFERRAL_MAX + 2];
	memset(longest, 'a', REFERRAL_MAX);
	longest[REFERRAL_MAX] = 0;
	ck_assert_ptr_nonnull(referral_normalise(a, longest));
	longest[REFERRAL_MAX] = 'a';
	longest[REFERRAL_MAX + 1] = 0;
	ck_assert_ptr_null(referral_normalise(a, longest)); /* one too long */
	static const char *const bad[] = {"", "   ", "a b", "tab\there", "caf\xc3\xa9", "x<y>",
					  "q?x=1", "a\"b", "new\nline", "%20"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(referral_normalise(a, bad[i]) == NULL, "accepted %s", bad[i]);
	ck_assert_ptr_null(referral_normalise(a, NULL));
	arena_free(a);
}
END_TEST

Suite *referral_suite(void)
{
	Suite *s = suite_create("referral");
	TCase *tc = tcase_create("referral");
	tcase_add_test(tc, referral_normal_form);
	suite_add_tcase(s, tc);
	return s;
}
