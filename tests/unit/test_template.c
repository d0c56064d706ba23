/* test_template.c - placeholders, escaping, validation. */
#include <check.h>
#include <stdlib.h>

#include "notify/template.h"

START_TEST(render_and_escape)
{
	tmpl_var v[] = {{"customer_name", "Zoë <script>&\"'"}, {"service_name", "Cut"}};
	buf b;
	buf_init(&b, 1024);
	ck_assert_int_eq(tmpl_render("Hi {{customer_name}}, your {{ service_name }}{{nope}}.", v, 2,
				     false, &b), STATUS_OK);
	ck_assert_str_eq(b.data, "Hi Zoë <script>&\"', your Cut.");
	buf_reset(&b);
	ck_assert_int_eq(tmpl_render("<p>{{customer_name}}</p>", v, 2, true, &b), STATUS_OK);
	ck_assert_str_eq(b.data, "<p>Zoë &lt;script&gt;&amp;&quot;&#39;</p>");
	buf_reset(&b);
	ck_assert_int_eq(tmpl_render("open {{ only", v, 2, false, &b), STATUS_OK);
	ck_assert_str_eq(b.data, "open {{ only");
	buf_free(&b);
	buf_init(&b, 4);
	ck_assert_int_eq(tmpl_render("{{service_name}} and more", v, 2, false, &b), STATUS_INVALID);
	buf_free(&b);
}
END_TEST

START_TEST(check_names)
{
	char why[128];
	ck_assert_int_eq(tmpl_check("{{customer_name}} at {{start}}", why, sizeof(why)), STATUS_OK);
	ck_assert_int_eq(tmpl_check("{{customer_nam}}", why, sizeof(why)), STATUS_INVALID);
	ck_assert_str_eq(why, "unknown placeholder {{customer_nam}}");
	ck_assert_int_eq(tmpl_check("{{start", why, sizeof(why)), STATUS_INVALID);
}
END_TEST

Suite *template_suite(void)
{
	Suite *s = suite_create("template");
	TCase *tc = tcase_create("template");
	tcase_add_test(tc, render_and_escape);
	tcase_add_test(tc, check_names);
	suite_add_tcase(s, tc);
	return s;
}
