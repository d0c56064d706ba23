/* test_config_read.c - the one configuration reader (api/config_read.c) that import and the
 * config PUT share: a malformed element at any position of any list is listed at its own
 * path, never crashes, and leaves the other rows read. */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "api/config_read.h"
#include "base/arena.h"

/* A small document using every list, with references across them. */
static const char *DOC =
	"{\"business\": {\"slug\": \"cfg\", \"name\": \"Cfg\", \"timezone\": \"Europe/London\"},"
	" \"providers\": [{\"id\": \"ann\", \"name\": \"Ann\"}, {\"id\": \"bob\", \"name\": \"Bob\"}],"
	" \"resources\": [{\"id\": \"room\", \"name\": \"Room\", \"capacity\": 2}],"
	" \"services\": [{\"id\": \"cut\", \"name\": \"Cut\", \"duration_s\": 1800,"
	"                 \"providers\": [\"ann\", \"bob\"]},"
	"               {\"id\": \"yoga\", \"name\": \"Yoga\", \"kind\": \"class\", \"duration_s\": 3600,"
	"                 \"capacity\": 8, \"providers\": [\"ann\"], \"resources\": [\"room\"]}],"
	" \"schedules\": [{\"owner\": \"provider:ann\", \"weekday\": \"mon\", \"start\": \"09:00\","
	"                  \"end\": \"12:00\"},"
	"                {\"owner\": \"business\", \"weekday\": \"sat\", \"start\": \"10:00\","
	"                  \"end\": \"14:00\"}],"
	" \"overrides\": [{\"owner\": \"provider:ann\", \"date\": \"2026-12-24\", \"start\": \"09:00\","
	"                  \"end\": \"10:00\"}],"
	" \"time_off\": [{\"owner\": \"provider:bob\", \"start\": \"2026-07-01T00:00:00+01:00\","
	"                 \"end\": \"2026-07-08T00:00:00+01:00\"}],"
	" \"closures\": [{\"date\": \"2026-12-25\", \"name\": \"Christmas Day\"}],"
	" \"sessions\": [{\"id\": \"yoga-1\", \"service\": \"yoga\", \"provider\": \"ann\","
	"                 \"start\": \"2026-06-03T18:00:00+01:00\"}]}";

static const char *LISTS[] = {"providers", "resources", "services", "schedules",
			      "overrides", "time_off",  "closures", "sessions"};

/* Elements that are not a valid row of any list. */
static const char *BAD[] = {"42",       "\"x\"", "null",           "true",     "[]",
			    "{}",       "[{}]",  "{\"id\": 7}",     "-1e999",
			    "{\"id\": \"\", \"name\": null, \"owner\": 3}"};

static const business CURRENT = {.id = "biz_cur", .slug = "cfg", .name = "Cfg",
				 .timezone = "Europe/London"};

static json_t *doc_load(void)
{
	json_error_t e;
	json_t *d = json_loads(DOC, 0, &e);
	ck_assert_msg(d != NULL, "fixture: %s", e.text);
	return d;
}

/* Reads doc with or without a current business (replace or import). */
static bool read_doc(const json_t *doc, bool replace, arena *a, errlist *errs, config_doc *out)
{
	catalog_reader rd = {.a = a, .errs = errs, .business_id = replace ? CURRENT.id : NULL,
			     .import_rules = !replace};
	return config_read(&rd, doc, replace ? &CURRENT : NULL, out);
}

START_TEST(clean_document_reads_whole)
{
	for (int replace = 0; replace < 2; replace++) {
		json_t *doc = doc_load();
		arena *a = arena_new();
		errlist errs = {0};
		config_doc d;
		ck_assert_msg(read_doc(doc, replace, a, &errs, &d), "%s: %s",
			      errs.count ? errs.e[0].field : "", errs.count ? errs.e[0].detail : "");
		ck_assert_int_eq(d.np, 2);
		ck_assert_int_eq(d.nr, 1);
		ck_assert_int_eq(d.ns, 2);
		ck_assert_int_eq(d.nrules, 2);
		ck_assert_int_eq(d.novs, 1);
		ck_assert_int_eq(d.noffs, 1);
		ck_assert_int_eq(d.ncls, 1);
		ck_assert_int_eq(d.nses, 1);
		ck_assert_int_eq(d.ses[0].capacity, 8);
		ck_assert_str_eq(d.biz.slug, "cfg");
		if (replace)
			ck_assert_str_eq(d.biz.id, CURRENT.id);
		arena_free(a);
		json_decref(doc);
	}
}
END_TEST

/* Every bad element at every position of every list, for import and for replace: refused,
 * every fault at that element's own path, the good rows around it still read. */
START_TEST(bad_element_at_every_position)
{
	json_t *base = doc_load();
	int tried = 0;
	for (size_t k = 0; k < sizeof(LISTS) / sizeof(LISTS[0]); k++) {
		size_t n = json_array_size(json_object_get(base, LISTS[k]));
		for (size_t pos = 0; pos <= n; pos++) {
			for (size_t b = 0; b < sizeof(BAD) / sizeof(BAD[0]); b++) {
				for (int replace = 0; replace < 2; replace++) {
					json_t *doc = json_deep_copy(base);
					json_t *bad = json_loads(BAD[b], JSON_DECODE_ANY, NULL);
					if (!bad) /* -1e999 is out of range for jansson: a real double */
						bad = json_real(-1e308);
					json_array_insert_new(json_object_get(doc, LISTS[k]), pos,
							      bad); /* steals bad */
					arena *a = arena_new();
					errlist errs = {0};
					config_doc d;
					bool ok = read_doc(doc, replace, a, &errs, &d);
					char want[48];
					snprintf(want, sizeof(want), "%s[%zu]", LISTS[k], pos);
					ck_assert_msg(!ok && errs.count > 0, "%s = %s accepted", want,
						      BAD[b]);
					for (int e = 0; e < errs.count; e++)
						ck_assert_msg(strncmp(errs.e[e].field, want,
								      strlen(want)) == 0,
							      "%s = %s (%s): fault at %s: %s", want,
							      BAD[b], replace ? "replace" : "import",
							      errs.e[e].field, errs.e[e].detail);
					ck_assert_int_eq(d.np + d.nr + d.ns + d.nrules + d.novs +
								 d.noffs + d.ncls + d.nses,
							 11);
					arena_free(a);
					json_decref(doc);
					tried++;
				}
			}
		}
	}
	ck_assert_int_gt(tried, 300);
	json_decref(base);
}
END_TEST

/* A list that is not a list, and a document that is not an object. */
START_TEST(lists_and_document_of_the_wrong_type)
{
	for (size_t k = 0; k < sizeof(LISTS) / sizeof(LISTS[0]); k++) {
		json_t *doc = doc_load();
		json_object_set_new(doc, LISTS[k], json_string("nope"));
		arena *a = arena_new();
		errlist errs = {0};
		config_doc d;
		ck_assert(!read_doc(doc, true, a, &errs, &d));
		ck_assert_str_eq(errs.e[0].field, LISTS[k]);
		arena_free(a);
		json_decref(doc);
	}
	json_t *arr = json_array();
	arena *a = arena_new();
	errlist errs = {0};
	config_doc d;
	ck_assert(!read_doc(arr, false, a, &errs, &d));
	ck_assert(!read_doc(NULL, true, a, &errs, &d));
	arena_free(a);
	json_decref(arr);
}
END_TEST

Suite *config_read_suite(void)
{
	Suite *s = suite_create("config_read");
	TCase *tc = tcase_create("config_read");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, clean_document_reads_whole);
	tcase_add_test(tc, bad_element_at_every_position);
	tcase_add_test(tc, lists_and_document_of_the_wrong_type);
	suite_add_tcase(s, tc);
	return s;
}
