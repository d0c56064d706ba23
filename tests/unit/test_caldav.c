/* test_caldav.c - the CalDAV client's pure parts: multistatus answers read (namespaces by
 * URI, not prefix; removed objects; the collection's own entry; escaped calendar data; no
 * entity expansion) and hrefs resolved against the collection. */
#include <check.h>
#include <string.h>

#include "base/arena.h"
#include "calsync/caldav.h"

#define COL "https://dav.example/cal/ann/work/"

START_TEST(listing_of_a_sync_answer)
{
	/* Another server's prefixes (d:, cal:), a default namespace, an absolute href, a
	 * removed object, the collection itself, and XML escapes in the data. */
	const char *xml =
	    "<?xml version=\"1.0\"?>\n"
	    "<d:multistatus xmlns:d=\"DAV:\" xmlns:cal=\"urn:ietf:params:xml:ns:caldav\">"
	    "<d:response><d:href>/cal/ann/work/</d:href><d:propstat><d:prop><d:getetag>\"c\""
	    "</d:getetag></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>"
	    "<d:response><d:href>/cal/ann/work/a%20b.ics</d:href><d:propstat><d:prop>"
	    "<d:getetag>\"e1\"</d:getetag><cal:calendar-data>BEGIN:VCALENDAR&#13;\nSUMMARY:A &amp; "
	    "B &lt;x&gt;&#13;\nEND:VCALENDAR</cal:calendar-data></d:prop><d:status>HTTP/1.1 200 OK"
	    "</d:status></d:propstat></d:response>"
	    "<response xmlns=\"DAV:\"><href>https://dav.example/cal/ann/work/gone.ics</href>"
	    "<status>HTTP/1.1 404 Not Found</status></response>"
	    "<d:response><d:href>x.ics</d:href><d:propstat><d:prop><d:getetag>\"e3\"</d:getetag>"
	    "</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat><d:propstat><d:prop>"
	    "<cal:calendar-data/></d:prop><d:status>HTTP/1.1 404 Not Found</d:status></d:propstat>"
	    "</d:response>"
	    "<d:sync-token>http://example/sync/42</d:sync-token></d:multistatus>";
	arena *a = arena_new();
	caldav_listing l;
	ck_assert(caldav_parse_listing(COL, xml, strlen(xml), a, &l));
	ck_assert_int_eq(l.n, 3);
	ck_assert_str_eq(l.sync_token, "http://example/sync/42");
	ck_assert_str_eq(l.objects[0].href, "https://dav.example/cal/ann/work/a%20b.ics");
	ck_assert_str_eq(l.objects[0].etag, "\"e1\"");
	ck_assert_str_eq(l.objects[0].data, "BEGIN:VCALENDAR\r\nSUMMARY:A & B <x>\r\nEND:VCALENDAR");
	ck_assert(!l.objects[0].gone);
	ck_assert(l.objects[1].gone);
	ck_assert_str_eq(l.objects[1].href, "https://dav.example/cal/ann/work/gone.ics");
	/* Relative to the collection; its data in a 404 propstat is absent, not empty. */
	ck_assert_str_eq(l.objects[2].href, "https://dav.example/cal/ann/work/x.ics");
	ck_assert_ptr_null(l.objects[2].data);
	arena_free(a);
}
END_TEST

START_TEST(listing_refuses_what_is_not_a_multistatus)
{
	arena *a = arena_new();
	caldav_listing l;
	const char *html = "<html><body>login</body></html>";
	ck_assert(!caldav_parse_listing(COL, html, strlen(html), a, &l));
	/* The right local name in no namespace is not DAV's. */
	const char *plain = "<multistatus><response><href>/x</href></response></multistatus>";
	ck_assert(!caldav_parse_listing(COL, plain, strlen(plain), a, &l));
	ck_assert(!caldav_parse_listing(COL, "", 0, a, &l));
	/* An entity is not expanded (no file is read, no billion laughs). */
	const char *xxe = "<?xml version=\"1.0\"?><!DOCTYPE m [<!ENTITY e SYSTEM "
			  "\"file:///etc/passwd\">]><d:multistatus xmlns:d=\"DAV:\"><d:response>"
			  "<d:href>/cal/ann/work/e.ics</d:href><d:propstat><d:prop><d:getetag>&e;"
			  "</d:getetag></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat>"
			  "</d:response></d:multistatus>";
	if (caldav_parse_listing(COL, xxe, strlen(xxe), a, &l) && l.n == 1)
		ck_assert_ptr_null(strstr(l.objects[0].etag, "root:"));
	arena_free(a);
}
END_TEST

START_TEST(hrefs_resolve_against_the_collection)
{
	arena *a = arena_new();
	ck_assert_str_eq(caldav_resolve(a, COL, "/other/x.ics"), "https://dav.example/other/x.ics");
	ck_assert_str_eq(caldav_resolve(a, COL, "x.ics"), COL "x.ics");
	ck_assert_str_eq(caldav_resolve(a, COL, "http://elsewhere/y"), "http://elsewhere/y");
	ck_assert_str_eq(caldav_resolve(a, "https://h", "/p/"), "https://h/p/");
	ck_assert_str_eq(caldav_resolve(a, "https://h:8443/a/b?q=1", "c"), "https://h:8443/a/c");
	arena_free(a);
}
END_TEST

Suite *caldav_suite(void)
{
	Suite *s = suite_create("caldav");
	TCase *tc = tcase_create("caldav");
	tcase_add_test(tc, listing_of_a_sync_answer);
	tcase_add_test(tc, listing_refuses_what_is_not_a_multistatus);
	tcase_add_test(tc, hrefs_resolve_against_the_collection);
	suite_add_tcase(s, tc);
	return s;
}
