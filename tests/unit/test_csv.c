/* test_csv.c - api/csv: RFC 4180 quoting and the formula guard. */
#include <check.h>
#include <string.h>

#include "api/csv.h"

/* One row of cells, as the CSV text. */
static const char *row(buf *b, const char *const *cells, int n)
{
	buf_init(b, 4096);
	bool first = true;
	for (int i = 0; i < n; i++)
		ck_assert_int_eq(csv_text(b, &first, cells[i]), STATUS_OK);
	ck_assert_int_eq(csv_row_end(b, &first), STATUS_OK);
	ck_assert_int_eq(buf_addc(b, '\0'), STATUS_OK);
	return b->data;
}

START_TEST(csv_quote_without_comma)
{
	buf b;
	/* A quote alone makes the cell quoted, the quote doubled: a reader that splits on
	 * commas only would otherwise read "Kim "K" Lee" as three cells' worth of quotes. */
	const char *cells[] = {"Kim \"K\" Lee", "plain", "\"", "a,b"};
	ck_assert_str_eq(row(&b, cells, 4), "\"Kim \"\"K\"\" Lee\",plain,\"\"\"\",\"a,b\"\r\n");
	buf_free(&b);
}
END_TEST

START_TEST(csv_formula_guard_and_empty)
{
	buf b;
	const char *cells[] = {"=1+1", "", NULL, "-3", "x=1"};
	ck_assert_str_eq(row(&b, cells, 5), "\"'=1+1\",,,\"'-3\",x=1\r\n");
	buf_free(&b);
}
END_TEST

Suite *csv_suite(void)
{
	Suite *s = suite_create("csv");
	TCase *tc = tcase_create("csv");
	tcase_add_test(tc, csv_quote_without_comma);
	tcase_add_test(tc, csv_formula_guard_and_empty);
	suite_add_tcase(s, tc);
	return s;
}
