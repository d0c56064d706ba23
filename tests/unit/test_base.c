/* test_base.c - the base layer: calendar arithmetic, bounded buffers, arenas. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/civil.h"
#include "base/log.h"
#include "base/text.h"
#include "base/utf8.h"

START_TEST(civil_round_trip)
{
	for (int64_t d = -800000; d < 800000; d += 37) {
		civil c = civil_from_days(d);
		ck_assert_int_eq(civil_days(c.year, c.month, c.day), d);
	}
	ck_assert_int_eq(civil_days(1970, 1, 1), 0);
	ck_assert_int_eq(civil_days(2000, 3, 1), 11017);
	ck_assert_int_eq(civil_weekday(civil_days(2026, 11, 25)), 2); /* a Wednesday */
}
END_TEST

START_TEST(civil_parse)
{
	int64_t d;
	ck_assert(civil_parse_date("2024-02-29", 10, &d));
	char out[11];
	civil_format_date(d, out);
	ck_assert_str_eq(out, "2024-02-29");
	ck_assert(!civil_parse_date("2023-02-29", 10, &d));
	ck_assert(!civil_parse_date("2023-13-01", 10, &d));
	ck_assert(!civil_parse_date("2023-1-01", 9, &d));
	ck_assert(!civil_parse_date("2023-01-0x", 10, &d));
}
END_TEST

START_TEST(buf_respects_max)
{
	buf b;
	buf_init(&b, 8);
	ck_assert_int_eq(buf_adds(&b, "12345"), STATUS_OK);
	ck_assert_int_eq(buf_adds(&b, "6789"), STATUS_INVALID);
	ck_assert(b.full);
	ck_assert_str_eq(b.data, "12345");
	ck_assert_int_eq(buf_printf(&b, "%d", 678), STATUS_OK);
	ck_assert_str_eq(b.data, "12345678");
	char *s = buf_take(&b);
	ck_assert_str_eq(s, "12345678");
	free(s);
	buf_free(&b);
}
END_TEST

START_TEST(arena_allocates)
{
	arena *a = arena_new();
	char *big = arena_alloc(a, 100000);
	memset(big, 'x', 100000);
	for (int i = 0; i < 1000; i++) {
		char *s = arena_printf(a, "n=%d", i);
		ck_assert_int_eq(s[0], 'n');
	}
	ck_assert_str_eq(arena_strndup(a, "hello", 4), "hell");
	arena_free(a);
}
END_TEST

static const char *fault(const char *s, text_kind k)
{
	return text_fault(s, strlen(s), k);
}

START_TEST(text_refuses_control_characters)
{
	ck_assert_ptr_null(fault("Ève O'Neil, +44 (0) 1", TEXT_LINE));
	ck_assert_ptr_null(fault("", TEXT_LINE));
	ck_assert_ptr_nonnull(fault("Eve\r\nBcc: x@y", TEXT_LINE));
	ck_assert_ptr_nonnull(fault("Eve\nBcc", TEXT_LINE));
	ck_assert_ptr_nonnull(fault("Eve\tX", TEXT_LINE));
	ck_assert_ptr_nonnull(fault("Eve\x1b[2J", TEXT_LINE));
	ck_assert_ptr_nonnull(fault("Eve\x7f", TEXT_LINE));
	ck_assert_ptr_nonnull(fault("Eve\xc2\x85", TEXT_LINE));     /* U+0085 NEL */
	ck_assert_ptr_nonnull(fault("Eve\xe2\x80\xa8x", TEXT_LINE)); /* U+2028 */
	ck_assert_ptr_null(fault("caf\xc3\xa9 \xc2\xa0\xe2\x80\x94", TEXT_LINE)); /* é, nbsp, em dash */
	/* Multi-line text keeps LF and TAB, and nothing else of the kind. */
	ck_assert_ptr_null(fault("one\n\ttwo", TEXT_MULTILINE));
	ck_assert_ptr_nonnull(fault("one\r\ntwo", TEXT_MULTILINE));
	ck_assert_ptr_nonnull(fault("a\x01", TEXT_MULTILINE));
	/* A NUL inside the length counts. */
	ck_assert_ptr_nonnull(text_fault("ab\0cd", 5, TEXT_MULTILINE));
}
END_TEST

/* A reset arena hands out the same memory again, zeroed where asked, and keeps big blocks. */
START_TEST(arena_reset_reuses_memory)
{
	arena *a = arena_new();
	char *first = arena_alloc(a, 100);
	char *big = arena_alloc(a, 200000);
	memset(first, 'x', 100);
	memset(big, 'y', 200000);
	arena_reset(a);
	char *again = arena_alloc(a, 100);
	ck_assert_ptr_eq(again, first);
	for (int i = 0; i < 100; i++)
		ck_assert_int_eq(again[i], 0);
	char *big2 = arena_alloc(a, 150000); /* fits in the kept big block */
	ck_assert_ptr_eq(big2, big);
	ck_assert_int_eq(big2[149999], 0);
	/* Many blocks past the keep limit: still correct, memory bounded by the limit. */
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < 100; i++)
			memset(arena_alloc_raw(a, 100000), i, 100000);
		arena_reset(a);
	}
	ck_assert_str_eq(arena_printf(a, "%d-%s", 7, "ok"), "7-ok");
	arena_free(a);
}
END_TEST

/* arena_take gives back what this thread gave, reset. */
START_TEST(arena_take_give_reuses_per_thread)
{
	arena *a = arena_take();
	char *p = arena_strdup(a, "hello");
	arena_give(a);
	arena *b = arena_take();
	ck_assert_ptr_eq(b, a);
	ck_assert_ptr_eq(arena_alloc_raw(b, 6), p);
	arena *c = arena_take();
	ck_assert_ptr_ne(c, b);
	arena_give(b);
	arena_give(c);
	arena_give(NULL);
}
END_TEST

START_TEST(utf8_validates)
{
	static const struct {
		const char *s;
		int clean;
	} cases[] = {
		{"plain", 1}, {"caf\xc3\xa9", 1}, {"\xe2\x82\xac 5", 1}, {"\xf0\x9f\x98\x80", 1},
		{"a\x01", 0}, {"tab\t", 0}, {"del\x7f", 0}, {"c1 \xc2\x85", 0}, {"\xff", 0},
		{"\xc0\xaf", 0}, {"\xe0\x80\xaf", 0}, {"\xed\xa0\x80", 0}, {"\xf4\x90\x80\x80", 0},
		{"\xc3", 0}, {"\x80", 0}, {"\xe2\x82", 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ck_assert_msg(utf8_clean_text(cases[i].s, strlen(cases[i].s)) == cases[i].clean, "%zu", i);
	ck_assert(!utf8_clean_text("a\0b", 3)); /* an embedded NUL is a control character */
}
END_TEST

/* Log values: control characters and bytes that are not UTF-8 are escaped, so a value can
 * neither start a line of its own nor leave invalid text in the log. */
START_TEST(log_field_escapes)
{
	static const struct {
		const char *value, *want;
	} cases[] = {
		{"plain", " k=plain"},
		{"", " k=\"\""},
		{"two words", " k=\"two words\""},
		{"a\"b\\c", " k=\"a\\\"b\\\\c\""},
		{"line\nevent=forged", " k=\"line\\nevent=forged\""},
		{"cr\r tab\t", " k=\"cr\\r tab\\t\""},
		{"esc\x1b[31m", " k=\"esc\\x1b[31m\""},
		{"bad\xff\xfe", " k=\"bad\\xff\\xfe\""},
		{"cut \xc3", " k=\"cut \\xc3\""},
		{"c1\xc2\x85", " k=\"c1\\xc2\\x85\""},
		{"caf\xc3\xa9", " k=caf\xc3\xa9"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf b;
		buf_init(&b, 256);
		log_field(&b, "k", cases[i].value);
		ck_assert_str_eq(b.data, cases[i].want);
		buf_free(&b);
	}
}
END_TEST

START_TEST(text_percent_decodes_strictly)
{
	char out[32];
	ck_assert_int_eq(text_percent_decode("caf%C3%a9+x", 11, out), 7);
	ck_assert_str_eq(out, "caf\xc3\xa9+x");
	ck_assert_int_eq(text_percent_decode("%2541", 5, out), 3); /* once: "%41", not "A" */
	ck_assert_str_eq(out, "%41");
	ck_assert_int_eq(text_percent_decode("a%00b", 5, out), 3);
	ck_assert_int_eq(memcmp(out, "a\0b", 3), 0);
	ck_assert_int_eq(text_percent_decode("a%4", 3, out), -1);
	ck_assert_int_eq(text_percent_decode("a%", 2, out), -1);
	ck_assert_int_eq(text_percent_decode("%g0", 3, out), -1);
	ck_assert_int_eq(text_percent_decode("%41%4", 4, out), -1); /* n cuts the last escape */
	ck_assert_int_eq(text_percent_decode("", 0, out), 0);
}
END_TEST

Suite *base_suite(void)
{
	Suite *s = suite_create("base");
	TCase *tc = tcase_create("base");
	tcase_add_test(tc, civil_round_trip);
	tcase_add_test(tc, civil_parse);
	tcase_add_test(tc, buf_respects_max);
	tcase_add_test(tc, arena_allocates);
	tcase_add_test(tc, text_refuses_control_characters);
	tcase_add_test(tc, text_percent_decodes_strictly);
	tcase_add_test(tc, arena_reset_reuses_memory);
	tcase_add_test(tc, arena_take_give_reuses_per_thread);
	tcase_add_test(tc, utf8_validates);
	tcase_add_test(tc, log_field_escapes);
	suite_add_tcase(s, tc);
	return s;
}
