/* test_ics_busy.c - busy time read from an iCalendar file: recurrence with EXDATE and a
 * moved occurrence across a DST change in a zone defined only by the file's own VTIMEZONE
 * (a name that is not IANA's), all-day dates in the owner's zone, IANA TZIDs, floating
 * times, DURATION, transparent and cancelled events left out, a malformed event skipped
 * while the rest are read, and text that is no calendar refused. */
#include <check.h>
#include <string.h>

#include "base/arena.h"
#include "base/civil.h"
#include "calsync/ics_busy.h"

static int64_t U(int y, int mo, int d, int h, int mi)
{
	return civil_to_epoch((civil){.year = y, .month = mo, .day = d, .hour = h, .min = mi});
}

#define CRLF "\r\n"
static const char CAL[] =
    "BEGIN:VCALENDAR" CRLF "VERSION:2.0" CRLF "PRODID:-//test//test//EN" CRLF
    "BEGIN:VTIMEZONE" CRLF "TZID:Custom Berlin" CRLF
    "BEGIN:STANDARD" CRLF "DTSTART:19701025T030000" CRLF "TZOFFSETFROM:+0200" CRLF
    "TZOFFSETTO:+0100" CRLF "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU" CRLF "END:STANDARD" CRLF
    "BEGIN:DAYLIGHT" CRLF "DTSTART:19700329T020000" CRLF "TZOFFSETFROM:+0100" CRLF
    "TZOFFSETTO:+0200" CRLF "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU" CRLF "END:DAYLIGHT" CRLF
    "END:VTIMEZONE" CRLF
    /* Thursdays 09:00-10:00 Custom Berlin, six times from 19 March; 2 April excluded; 9
     * April moved to 14:00-15:00. */
    "BEGIN:VEVENT" CRLF "UID:weekly" CRLF "DTSTAMP:20260301T000000Z" CRLF
    "DTSTART;TZID=Custom Berlin:20260319T090000" CRLF
    "DTEND;TZID=Custom Berlin:20260319T100000" CRLF "RRULE:FREQ=WEEKLY;COUNT=6" CRLF
    "EXDATE;TZID=Custom Berlin:20260402T090000" CRLF "SUMMARY:Dentist" CRLF "END:VEVENT" CRLF
    "BEGIN:VEVENT" CRLF "UID:weekly" CRLF "DTSTAMP:20260301T000000Z" CRLF
    "RECURRENCE-ID;TZID=Custom Berlin:20260409T090000" CRLF
    "DTSTART;TZID=Custom Berlin:20260409T140000" CRLF
    "DTEND;TZID=Custom Berlin:20260409T150000" CRLF "END:VEVENT" CRLF
    /* All day, 1 and 2 April, in the owner's zone. */
    "BEGIN:VEVENT" CRLF "UID:allday" CRLF "DTSTAMP:20260301T000000Z" CRLF
    "DTSTART;VALUE=DATE:20260401" CRLF "DTEND;VALUE=DATE:20260403" CRLF "END:VEVENT" CRLF
    "BEGIN:VEVENT" CRLF "UID:free" CRLF "DTSTAMP:20260301T000000Z" CRLF
    "DTSTART:20260325T080000Z" CRLF "DTEND:20260325T090000Z" CRLF "TRANSP:TRANSPARENT" CRLF
    "END:VEVENT" CRLF
    "BEGIN:VEVENT" CRLF "UID:off" CRLF "DTSTAMP:20260301T000000Z" CRLF
    "DTSTART:20260325T100000Z" CRLF "DTEND:20260325T110000Z" CRLF "STATUS:CANCELLED" CRLF
    "END:VEVENT" CRLF
    "BEGIN:VEVENT" CRLF "UID:broken" CRLF "DTSTAMP:20260301T000000Z" CRLF
    "DTSTART:garbage" CRLF "DTEND:20260325T110000Z" CRLF "END:VEVENT" CRLF
    "BEGIN:VEVENT" CRLF "UID:backwards" CRLF "DTSTAMP:20260301T000000Z" CRLF
    "DTSTART:20260325T110000Z" CRLF "DTEND:20260325T100000Z" CRLF "END:VEVENT" CRLF
    "BEGIN:VEVENT" CRLF "UID:utc" CRLF "DTSTAMP:20260301T000000Z" CRLF
    "DTSTART:20260325T120000Z" CRLF "DTEND:20260325T130000Z" CRLF "END:VEVENT" CRLF
    "BEGIN:VEVENT" CRLF "UID:ny" CRLF "DTSTAMP:20260301T000000Z" CRLF
    "DTSTART;TZID=America/New_York:20260325T090000" CRLF "DURATION:PT1H" CRLF "END:VEVENT" CRLF
    "BEGIN:VEVENT" CRLF "UID:floating" CRLF "DTSTAMP:20260301T000000Z" CRLF
    "DTSTART:20260327T100000" CRLF "DTEND:20260327T103000" CRLF "END:VEVENT" CRLF
    /* Daily since 2020, ends before the window: nothing, and no time lost walking it. */
    "BEGIN:VEVENT" CRLF "UID:old" CRLF "DTSTAMP:20200101T000000Z" CRLF
    "DTSTART:20200101T090000Z" CRLF "DTEND:20200101T100000Z" CRLF
    "RRULE:FREQ=DAILY;UNTIL=20260301T000000Z" CRLF "END:VEVENT" CRLF
    "END:VCALENDAR" CRLF;

/* The span of uid starting at start, or NULL. */
static const ics_busy_span *find(const ics_busy_result *r, const char *uid, int64_t start)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->spans[i].uid, uid) == 0 && r->spans[i].start == start)
			return &r->spans[i];
	return NULL;
}

static int count(const ics_busy_result *r, const char *uid)
{
	int n = 0;
	for (size_t i = 0; i < r->n; i++)
		n += strcmp(r->spans[i].uid, uid) == 0;
	return n;
}

START_TEST(busy_reads_every_case)
{
	arena *a = arena_new();
	ics_busy_result r;
	char err[200] = "";
	ck_assert_int_eq(ics_busy_read(CAL, strlen(CAL), tz_get("Europe/London"),
				       U(2026, 3, 20, 0, 0), U(2026, 4, 20, 0, 0), "test", a, &r, err,
				       sizeof err),
			 STATUS_OK);
	ck_assert_int_eq(r.skipped, 2); /* broken, backwards */
	ck_assert_int_eq(r.ignored, 2); /* free, off */
	/* Weekly: 26 March in winter time (UTC+1), 2 April excluded, 9 April moved (summer
	 * time, UTC+2), 16 April at 09:00 summer time; 19 March lies before the window. */
	ck_assert_int_eq(count(&r, "weekly"), 3);
	const ics_busy_span *s = find(&r, "weekly", U(2026, 3, 26, 8, 0));
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(s->end, U(2026, 3, 26, 9, 0));
	ck_assert_ptr_nonnull(find(&r, "weekly", U(2026, 4, 9, 12, 0)));
	ck_assert_ptr_null(find(&r, "weekly", U(2026, 4, 9, 7, 0)));
	ck_assert_ptr_null(find(&r, "weekly", U(2026, 4, 2, 7, 0)));
	s = find(&r, "weekly", U(2026, 4, 16, 7, 0));
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(s->end, U(2026, 4, 16, 8, 0));
	/* All day in London (summer time from 29 March): 31 March 23:00Z to 2 April 23:00Z. */
	s = find(&r, "allday", U(2026, 3, 31, 23, 0));
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(s->end, U(2026, 4, 2, 23, 0));
	ck_assert_ptr_nonnull(find(&r, "utc", U(2026, 3, 25, 12, 0)));
	s = find(&r, "ny", U(2026, 3, 25, 13, 0)); /* EDT, UTC-4 */
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(s->end, U(2026, 3, 25, 14, 0));
	s = find(&r, "floating", U(2026, 3, 27, 10, 0)); /* London, still GMT */
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(s->end, U(2026, 3, 27, 10, 30));
	ck_assert_int_eq(count(&r, "old"), 0);
	ck_assert_int_eq(count(&r, "free") + count(&r, "off") + count(&r, "broken"), 0);
	ck_assert_uint_eq(r.n, 7);

	/* A narrower window keeps only what overlaps it. */
	ck_assert_int_eq(ics_busy_read(CAL, strlen(CAL), tz_get("Europe/London"),
				       U(2026, 3, 26, 8, 30), U(2026, 3, 26, 9, 0), "test", a, &r, err,
				       sizeof err),
			 STATUS_OK);
	ck_assert_uint_eq(r.n, 1);
	ck_assert_str_eq(r.spans[0].uid, "weekly");
	arena_free(a);
}
END_TEST

START_TEST(busy_refuses_what_is_no_calendar)
{
	arena *a = arena_new();
	ics_busy_result r;
	char err[200] = "";
	const char *bad[] = {"", "hello", "<html>not found</html>",
			     "BEGIN:VEVENT\r\nUID:x\r\nEND:VEVENT\r\n"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err[0] = '\0';
		ck_assert_int_eq(ics_busy_read(bad[i], strlen(bad[i]), tz_get("UTC"), 0,
					       U(2030, 1, 1, 0, 0), "test", a, &r, err, sizeof err),
				 STATUS_INVALID);
		ck_assert(err[0] != '\0');
	}
	/* An empty calendar is fine: no busy time. */
	const char *empty = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nEND:VCALENDAR\r\n";
	ck_assert_int_eq(ics_busy_read(empty, strlen(empty), tz_get("UTC"), 0, U(2030, 1, 1, 0, 0),
				       "test", a, &r, err, sizeof err),
			 STATUS_OK);
	ck_assert_uint_eq(r.n, 0);
	arena_free(a);
}
END_TEST

Suite *ics_busy_suite(void)
{
	Suite *s = suite_create("ics_busy");
	TCase *tc = tcase_create("ics_busy");
	tcase_add_test(tc, busy_reads_every_case);
	tcase_add_test(tc, busy_refuses_what_is_no_calendar);
	suite_add_tcase(s, tc);
	return s;
}
