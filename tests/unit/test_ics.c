/* test_ics.c - bookings as iCalendar: written by ics_write_event, read back with libical's
 * own parser; escaping, folding, CRLF, methods and status, refusals, the buffer's maximum,
 * many threads at once. */
#include <check.h>
#include <libical/ical.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "calsync/ics.h"

/* 2026-03-01T09:00:00Z and 10:30:00Z; the stamp is 2026-02-20T12:34:56Z. */
#define T_START 1772355600
#define T_END (T_START + 5400)
#define T_STAMP 1771590896

static const char SUMMARY[] =
    "Haircut, wash; blow-dry with Zoë Moreau\nSecond line: «spécial» 日本 \\ ok";
static const char DESCRIPTION[] =
    "Reference K7QF-2M9X; manage, reschedule or cancel at https://book.example/m/abc?x=1,2\n"
    "Ünïcödé everywhere: ééééééééééééééééééééééééééééééééééééééééééééé "
    "日本語日本語日本語日本語日本語"
    "\n\nTab\there, quotes \"like this\" and a lone \\ backslash.";
static const char LOCATION[] = "12 Rue de la Paix, 75002 Paris; 2nd floor";
static const char ORG_NAME[] = "Salon \"Bella\", Paris: ^best^; cuts";
static const char ATT_NAME[] = "Zoë d'Arcy, Jr.";

static ics_event sample(void)
{
	ics_event e = {
	    .uid = "b_01HZX7K3@book.example",
	    .sequence = 3,
	    .start = T_START,
	    .end = T_END,
	    .stamp = T_STAMP,
	    .summary = SUMMARY,
	    .location = LOCATION,
	    .description = DESCRIPTION,
	    .url = "https://book.example/manage/K7QF-2M9X?token=abc%20def",
	    .organizer_name = ORG_NAME,
	    .organizer_email = "hello@bella.example",
	    .attendee_name = ATT_NAME,
	    .attendee_email = "zoe@customer.example",
	    .cancelled = false,
	};
	return e;
}

/* Writes e into a fresh 64 KiB buffer; the caller frees the result. */
static char *write_ok(const ics_event *e, ics_method m)
{
	buf b;
	buf_init(&b, 65536);
	ck_assert_int_eq(ics_write_event(e, m, &b), STATUS_OK);
	return buf_take(&b);
}

/* Parses text with libical; the caller frees it with icalcomponent_free. Asserts that the
 * parser found nothing to complain about. */
static icalcomponent *parse(const char *text)
{
	icalcomponent *cal = icalparser_parse_string(text);
	ck_assert_ptr_nonnull(cal);
	ck_assert_int_eq(icalcomponent_isa(cal), ICAL_VCALENDAR_COMPONENT);
	ck_assert_int_eq(icalcomponent_count_errors(cal), 0);
	ck_assert_int_eq(icalcomponent_count_components(cal, ICAL_VEVENT_COMPONENT), 1);
	return cal;
}

static icalcomponent *event_of(icalcomponent *cal)
{
	icalcomponent *ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	ck_assert_ptr_nonnull(ev);
	return ev;
}

/* The one property of kind k in c. */
static icalproperty *prop(icalcomponent *c, icalproperty_kind k)
{
	ck_assert_int_eq(icalcomponent_count_properties(c, k), 1);
	return icalcomponent_get_first_property(c, k);
}

static const char *cn_of(icalproperty *p)
{
	icalparameter *cn = icalproperty_get_first_parameter(p, ICAL_CN_PARAMETER);
	return cn ? icalparameter_get_cn(cn) : NULL;
}

/* Asserts t is a UTC date-time naming exactly the instant want. */
static void assert_utc(struct icaltimetype t, int64_t want)
{
	ck_assert(!icaltime_is_null_time(t));
	ck_assert(!t.is_date);
	ck_assert(icaltime_is_utc(t));
	ck_assert_int_eq((int64_t)icaltime_as_timet_with_zone(t, icaltimezone_get_utc_timezone()),
	                 want);
}

/* Asserts every line of text ends in CRLF, holds no other CR or LF, and is at most 75
 * octets long (RFC 5545 3.1). Returns the number of lines. */
static int assert_lines(const char *text)
{
	size_t len = strlen(text);
	ck_assert_uint_ge(len, 2);
	ck_assert(text[len - 2] == '\r' && text[len - 1] == '\n');
	int lines = 0;
	const char *p = text;
	while (*p) {
		const char *eol = strstr(p, "\r\n");
		ck_assert_ptr_nonnull(eol);
		size_t n = (size_t)(eol - p);
		ck_assert_msg(n <= 75, "line %d is %zu octets: %.*s", lines + 1, n, (int)n, p);
		ck_assert_msg(memchr(p, '\n', n) == NULL && memchr(p, '\r', n) == NULL,
		              "bare CR or LF in line %d", lines + 1);
		lines++;
		p = eol + 2;
	}
	return lines;
}

START_TEST(ics_round_trip)
{
	ics_event e = sample();
	char *text = write_ok(&e, ICS_REQUEST);
	ck_assert_ptr_nonnull(strstr(text, "BEGIN:VCALENDAR\r\n"));
	ck_assert_ptr_nonnull(strstr(text, "\r\nPRODID:-//bookd//bookd//EN\r\n"));
	ck_assert_ptr_nonnull(strstr(text, "\r\nVERSION:2.0\r\n"));
	ck_assert_ptr_nonnull(strstr(text, "\r\nMETHOD:REQUEST\r\n"));
	ck_assert_ptr_nonnull(strstr(text, "\r\nDTSTART:20260301T090000Z\r\n"));
	ck_assert_ptr_nonnull(strstr(text, "\r\nDTEND:20260301T103000Z\r\n"));
	ck_assert_ptr_nonnull(strstr(text, "\r\nDTSTAMP:20260220T123456Z\r\n"));
	ck_assert_ptr_null(strstr(text, "VTIMEZONE"));
	ck_assert_ptr_null(strstr(text, "TZID"));
	/* Escaped by libical, not passed through. */
	ck_assert_ptr_nonnull(
	    strstr(text, "SUMMARY:Haircut\\, wash\\; blow-dry with Zoë Moreau\\nSecond"));
	ck_assert(strncmp(text + strlen(text) - 15, "END:VCALENDAR\r\n", 15) == 0);
	assert_lines(text);

	icalcomponent *cal = parse(text);
	ck_assert_int_eq(icalcomponent_get_method(cal), ICAL_METHOD_REQUEST);
	ck_assert_str_eq(icalproperty_get_prodid(prop(cal, ICAL_PRODID_PROPERTY)), ICS_PRODID);
	ck_assert_str_eq(icalproperty_get_version(prop(cal, ICAL_VERSION_PROPERTY)), "2.0");

	icalcomponent *ev = event_of(cal);
	ck_assert_str_eq(icalcomponent_get_uid(ev), e.uid);
	ck_assert_int_eq(icalproperty_get_sequence(prop(ev, ICAL_SEQUENCE_PROPERTY)), 3);
	assert_utc(icalcomponent_get_dtstart(ev), T_START);
	assert_utc(icalcomponent_get_dtend(ev), T_END);
	assert_utc(icalcomponent_get_dtstamp(ev), T_STAMP);
	ck_assert_int_eq(icalcomponent_get_status(ev), ICAL_STATUS_CONFIRMED);
	ck_assert_str_eq(icalcomponent_get_summary(ev), SUMMARY);
	ck_assert_str_eq(icalcomponent_get_description(ev), DESCRIPTION);
	ck_assert_str_eq(icalcomponent_get_location(ev), LOCATION);
	ck_assert_str_eq(icalproperty_get_url(prop(ev, ICAL_URL_PROPERTY)), e.url);

	icalproperty *org = prop(ev, ICAL_ORGANIZER_PROPERTY);
	ck_assert_str_eq(icalproperty_get_organizer(org), "mailto:hello@bella.example");
	ck_assert_str_eq(cn_of(org), ORG_NAME);

	icalproperty *att = prop(ev, ICAL_ATTENDEE_PROPERTY);
	ck_assert_str_eq(icalproperty_get_attendee(att), "mailto:zoe@customer.example");
	ck_assert_str_eq(cn_of(att), ATT_NAME);
	icalparameter *ps = icalproperty_get_first_parameter(att, ICAL_PARTSTAT_PARAMETER);
	ck_assert_ptr_nonnull(ps);
	ck_assert_int_eq(icalparameter_get_partstat(ps), ICAL_PARTSTAT_ACCEPTED);

	icalcomponent_free(cal);
	free(text);
}
END_TEST

/* The STATUS and METHOD each method and cancelled flag give. */
START_TEST(ics_methods_and_status)
{
	static const struct {
		ics_method m;
		bool cancelled;
		const char *method_line;
		icalproperty_method method;
		icalproperty_status status;
	} cases[] = {
	    {ICS_PUBLISH, false, "\r\nMETHOD:PUBLISH\r\n", ICAL_METHOD_PUBLISH,
	     ICAL_STATUS_CONFIRMED},
	    {ICS_PUBLISH, true, "\r\nMETHOD:PUBLISH\r\n", ICAL_METHOD_PUBLISH,
	     ICAL_STATUS_CANCELLED},
	    {ICS_REQUEST, false, "\r\nMETHOD:REQUEST\r\n", ICAL_METHOD_REQUEST,
	     ICAL_STATUS_CONFIRMED},
	    {ICS_CANCEL, true, "\r\nMETHOD:CANCEL\r\n", ICAL_METHOD_CANCEL, ICAL_STATUS_CANCELLED},
	    {ICS_CANCEL, false, "\r\nMETHOD:CANCEL\r\n", ICAL_METHOD_CANCEL, ICAL_STATUS_CANCELLED},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ics_event e = sample();
		e.cancelled = cases[i].cancelled;
		e.sequence = (int)i + 7;
		char *text = write_ok(&e, cases[i].m);
		ck_assert_ptr_nonnull(strstr(text, cases[i].method_line));
		ck_assert_ptr_nonnull(strstr(text, cases[i].status == ICAL_STATUS_CANCELLED
		                                       ? "\r\nSTATUS:CANCELLED\r\n"
		                                       : "\r\nSTATUS:CONFIRMED\r\n"));
		icalcomponent *cal = parse(text);
		ck_assert_int_eq(icalcomponent_get_method(cal), cases[i].method);
		icalcomponent *ev = event_of(cal);
		ck_assert_int_eq(icalcomponent_get_status(ev), cases[i].status);
		ck_assert_int_eq(icalproperty_get_sequence(prop(ev, ICAL_SEQUENCE_PROPERTY)),
		                 (int)i + 7);
		ck_assert_str_eq(icalcomponent_get_uid(ev), e.uid);
		icalcomponent_free(cal);
		free(text);
	}
}
END_TEST

/* Long values of multi-byte characters fold at 75 octets, never inside a character, and
 * unfold back to the original. */
START_TEST(ics_folds_long_lines)
{
	char summary[4000];
	size_t n = 0;
	static const char *const pieces[] = {"é", "日", "a", "𝄞", ",", ";", "\\", " "};
	for (size_t i = 0; n + 8 < sizeof summary; i++) {
		const char *p = pieces[(i * 7 + i / 3) % 8];
		memcpy(summary + n, p, strlen(p));
		n += strlen(p);
	}
	summary[n] = '\0';
	ics_event e = sample();
	e.summary = summary;
	char *text = write_ok(&e, ICS_PUBLISH);
	ck_assert_int_gt(assert_lines(text), 60);
	/* A continuation line never starts with a UTF-8 continuation byte. */
	for (const char *p = strstr(text, "\r\n "); p; p = strstr(p + 1, "\r\n "))
		ck_assert((((unsigned char)p[3]) & 0xC0) != 0x80);
	icalcomponent *cal = parse(text);
	ck_assert_str_eq(icalcomponent_get_summary(event_of(cal)), summary);
	icalcomponent_free(cal);
	free(text);
}
END_TEST

/* A line whose end falls on the fold point: libical 3.0 folds it between its CR and its LF
 * ("...\r\r\n \n"), so every length of a summary and a description around the fold
 * points must still give CRLF lines that read back (found by fuzz/fuzz_ics.c). */
START_TEST(ics_folds_at_line_ends)
{
	char text[400];
	for (size_t n = 1; n < sizeof text - 1; n++) {
		memset(text, 'u', n);
		text[n] = '\0';
		text[n / 2] = ','; /* escaped: one octet more */
		ics_event e = sample();
		e.summary = text;
		e.description = text + n / 3;
		char *ics = write_ok(&e, ICS_PUBLISH);
		assert_lines(ics);
		icalcomponent *cal = parse(ics);
		ck_assert_str_eq(icalcomponent_get_summary(event_of(cal)), text);
		ck_assert_str_eq(icalcomponent_get_description(event_of(cal)), text + n / 3);
		icalcomponent_free(cal);
		free(ics);
	}
}
END_TEST

/* Absent optional fields write no property at all. */
START_TEST(ics_optional_fields)
{
	ics_event e = {
	    .uid = "b_2@h",
	    .start = T_START,
	    .end = T_END,
	    .stamp = T_STAMP,
	    .location = "",
	    .organizer_name = "Named but no address",
	    .attendee_name = "Nobody",
	    .attendee_email = "",
	};
	char *text = write_ok(&e, ICS_PUBLISH);
	assert_lines(text);
	icalcomponent *cal = parse(text);
	icalcomponent *ev = event_of(cal);
	static const icalproperty_kind absent[] = {
	    ICAL_SUMMARY_PROPERTY, ICAL_LOCATION_PROPERTY,  ICAL_DESCRIPTION_PROPERTY,
	    ICAL_URL_PROPERTY,     ICAL_ORGANIZER_PROPERTY, ICAL_ATTENDEE_PROPERTY,
	};
	for (size_t i = 0; i < sizeof absent / sizeof absent[0]; i++)
		ck_assert_int_eq(icalcomponent_count_properties(ev, absent[i]), 0);
	ck_assert_int_eq(icalproperty_get_sequence(prop(ev, ICAL_SEQUENCE_PROPERTY)), 0);
	assert_utc(icalcomponent_get_dtstart(ev), T_START);
	ck_assert_int_eq(icalcomponent_get_status(ev), ICAL_STATUS_CONFIRMED);
	icalcomponent_free(cal);
	free(text);
}
END_TEST

/* Control characters never reach the output: CR LF becomes LF, others are dropped, names
 * stay on one line. */
START_TEST(ics_cleans_controls)
{
	ics_event e = sample();
	e.summary = "Cut\r\nand\rcolour\x01\x1b\x7f\tdone\n";
	e.location = "A\bB\fC";
	e.attendee_name = "Zoë\r\nMoreau\tJr";
	char *text = write_ok(&e, ICS_REQUEST);
	assert_lines(text);
	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		ck_assert(*p >= 0x20 || *p == '\r' || *p == '\n' || *p == '\t');
	ck_assert_ptr_null(strchr(text, 0x7f));
	icalcomponent *cal = parse(text);
	icalcomponent *ev = event_of(cal);
	ck_assert_str_eq(icalcomponent_get_summary(ev), "Cut\nand\ncolour\tdone\n");
	ck_assert_str_eq(icalcomponent_get_location(ev), "ABC");
	ck_assert_str_eq(cn_of(prop(ev, ICAL_ATTENDEE_PROPERTY)), "Zoë Moreau Jr");
	icalcomponent_free(cal);
	free(text);
}
END_TEST

/* Spaces and tabs at the ends of a value would be dropped by a calendar's parser: they are
 * dropped when written, so what is written is what reads back (found by fuzz/fuzz_ics.c:
 * a summary " Quay Street" read back as "Quay Street"). A value of spaces only is absent. */
START_TEST(ics_trims_value_ends)
{
	ics_event e = sample();
	e.summary = " \tHaircut with Alice \t";
	e.location = "\x01 12 Quay Street ";
	e.description = "   ";
	char *text = write_ok(&e, ICS_REQUEST);
	icalcomponent *cal = parse(text);
	icalcomponent *ev = event_of(cal);
	ck_assert_str_eq(icalcomponent_get_summary(ev), "Haircut with Alice");
	ck_assert_str_eq(icalcomponent_get_location(ev), "12 Quay Street");
	ck_assert_int_eq(icalcomponent_count_properties(ev, ICAL_DESCRIPTION_PROPERTY), 0);
	ck_assert_ptr_nonnull(strstr(text, "\r\nSUMMARY:Haircut with Alice\r\n"));
	icalcomponent_free(cal);
	free(text);
}
END_TEST

/* Malformed events are refused and leave the buffer untouched. */
START_TEST(ics_refuses_malformed)
{
	buf b;
	buf_init(&b, 65536);
	ck_assert_int_eq(buf_adds(&b, "keep"), STATUS_OK);
	ics_event e;

#define REFUSED(stmt, m)                                                                           \
	do {                                                                                       \
		e = sample();                                                                      \
		stmt;                                                                              \
		ck_assert_msg(ics_write_event(&e, (m), &b) == STATUS_INVALID, "accepted: %s",      \
		              #stmt);                                                              \
		ck_assert_str_eq(b.data, "keep");                                                  \
	} while (0)

	REFUSED((void)0, (ics_method)42);
	REFUSED(e.uid = NULL, ICS_PUBLISH);
	REFUSED(e.uid = "", ICS_PUBLISH);
	REFUSED(e.uid = "a\r\nX-INJ:1", ICS_PUBLISH);
	REFUSED(e.uid = " bkg_1@x.example", ICS_PUBLISH); /* would read back without the space */
	REFUSED(e.uid = "bkg_1@x.example ", ICS_PUBLISH);
	REFUSED(e.sequence = -1, ICS_PUBLISH);
	REFUSED(e.end = e.start, ICS_PUBLISH);
	REFUSED(e.end = e.start - 60, ICS_PUBLISH);
	REFUSED(e.start = -62135596801LL, ICS_PUBLISH); /* 0000-12-31T23:59:59Z */
	REFUSED(e.end = 32535216000LL, ICS_PUBLISH);    /* 3001-01-01T00:00:00Z */
	REFUSED(e.end = 253402300800LL, ICS_PUBLISH);   /* 10000-01-01T00:00:00Z */
	REFUSED(e.stamp = INT64_MAX, ICS_PUBLISH);
	REFUSED(e.url = "https://x.example/\r\nATTENDEE:mailto:evil@x", ICS_REQUEST);
	REFUSED(e.url = "https://x.example/a b", ICS_REQUEST);
	REFUSED(e.url = "https://x.example/é", ICS_REQUEST);
	REFUSED(e.organizer_email = "a@b\r\nATTENDEE:mailto:evil@x", ICS_REQUEST);
	REFUSED(e.attendee_email = "zoe @x.example", ICS_REQUEST);
	REFUSED(e.attendee_email = "not-an-address", ICS_REQUEST);
	REFUSED(e.summary = "bad \xC3\x28 utf-8", ICS_REQUEST);
	REFUSED(e.description = "overlong \xC0\xAF", ICS_REQUEST);
	REFUSED(e.location = "surrogate \xED\xA0\x80", ICS_REQUEST);
	REFUSED(e.attendee_name = "cut \xE6\x97", ICS_REQUEST);
#undef REFUSED

	/* The extremes of the range are fine. */
	e = sample();
	e.start = -62135596800LL; /* 0001-01-01T00:00:00Z */
	e.end = 32535215999LL;    /* 3000-12-31T23:59:59Z */
	ck_assert_int_eq(ics_write_event(&e, ICS_PUBLISH, &b), STATUS_OK);
	ck_assert(strncmp(b.data, "keepBEGIN:VCALENDAR\r\n", 21) == 0);
	ck_assert_ptr_nonnull(strstr(b.data, "\r\nDTSTART:00010101T000000Z\r\n"));
	ck_assert_ptr_nonnull(strstr(b.data, "\r\nDTEND:30001231T235959Z\r\n"));
	icalcomponent *cal = parse(b.data + 4);
	assert_utc(icalcomponent_get_dtstart(event_of(cal)), e.start);
	assert_utc(icalcomponent_get_dtend(event_of(cal)), e.end);
	icalcomponent_free(cal);
	buf_free(&b);
}
END_TEST

/* The buffer's maximum holds: a tiny one is refused, one octet short is refused, the exact
 * size fits. */
START_TEST(ics_respects_buf_max)
{
	ics_event e = sample();
	char *text = write_ok(&e, ICS_REQUEST);
	size_t need = strlen(text);

	buf b;
	buf_init(&b, 16);
	ck_assert_int_eq(ics_write_event(&e, ICS_REQUEST, &b), STATUS_INVALID);
	ck_assert(b.full);
	ck_assert_uint_eq(b.len, 0);
	buf_free(&b);

	buf_init(&b, need - 1);
	ck_assert_int_eq(ics_write_event(&e, ICS_REQUEST, &b), STATUS_INVALID);
	ck_assert(b.full);
	ck_assert_uint_eq(b.len, 0);
	buf_free(&b);

	buf_init(&b, need);
	ck_assert_int_eq(ics_write_event(&e, ICS_REQUEST, &b), STATUS_OK);
	ck_assert_str_eq(b.data, text);
	buf_free(&b);

	/* Room already used counts against the maximum. */
	buf_init(&b, need);
	ck_assert_int_eq(buf_adds(&b, "x"), STATUS_OK);
	ck_assert_int_eq(ics_write_event(&e, ICS_REQUEST, &b), STATUS_INVALID);
	ck_assert_str_eq(b.data, "x");
	buf_free(&b);
	free(text);
}
END_TEST

#define ICS_THREADS 8
#define ICS_ROUNDS 200

/* One thread: writes the sample many times and compares with the expected text. */
static void *ics_worker(void *arg)
{
	const char *want = arg;
	ics_event e = sample();
	buf b;
	buf_init(&b, 65536);
	intptr_t bad = 0;
	for (int i = 0; i < ICS_ROUNDS; i++) {
		buf_reset(&b);
		if (ics_write_event(&e, ICS_CANCEL, &b) != STATUS_OK || strcmp(b.data, want) != 0)
			bad++;
	}
	buf_free(&b);
	return (void *)bad;
}

START_TEST(ics_many_threads)
{
	ics_event e = sample();
	char *want = write_ok(&e, ICS_CANCEL);
	pthread_t th[ICS_THREADS];
	for (int i = 0; i < ICS_THREADS; i++)
		ck_assert_int_eq(pthread_create(&th[i], NULL, ics_worker, want), 0);
	for (int i = 0; i < ICS_THREADS; i++) {
		void *bad;
		ck_assert_int_eq(pthread_join(th[i], &bad), 0);
		ck_assert_int_eq((intptr_t)bad, 0);
	}
	free(want);
}
END_TEST

/* A feed: one VCALENDAR without METHOD, its name, one VEVENT per event with its UID,
 * SEQUENCE, status and TRANSP; the same inputs give the same bytes (a stable ETag); a
 * malformed event or a full buffer refuses the whole, leaving the buffer as it was. */
START_TEST(ics_feed_round_trip)
{
	ics_event ev[3];
	for (int i = 0; i < 3; i++) {
		ev[i] = sample();
		ev[i].start = T_START + i * 86400;
		ev[i].end = T_END + i * 86400;
	}
	ev[0].uid = "one@bookd";
	ev[1].uid = "two@bookd";
	ev[1].cancelled = true;
	ev[1].sequence = 7;
	ev[2].uid = "three@bookd";
	ev[2].tentative = true;
	ev[2].attendee_email = NULL;
	buf out;
	buf_init(&out, 1u << 20);
	ck_assert_int_eq(ics_write_feed("Salon: Ann\nline", ev, 3, &out), STATUS_OK);
	ck_assert_ptr_null(strstr(out.data, "METHOD:"));
	icalcomponent *cal = icalparser_parse_string(out.data);
	ck_assert_ptr_nonnull(cal);
	icalproperty *name = icalcomponent_get_first_property(cal, ICAL_X_PROPERTY);
	ck_assert_ptr_nonnull(name);
	ck_assert_str_eq(icalproperty_get_x_name(name), "X-WR-CALNAME");
	ck_assert_str_eq(icalproperty_get_x(name), "Salon: Ann line"); /* one line */
	const char *uids[] = {"one@bookd", "two@bookd", "three@bookd"};
	icalproperty_status want[] = {ICAL_STATUS_CONFIRMED, ICAL_STATUS_CANCELLED,
				      ICAL_STATUS_TENTATIVE};
	int n = 0;
	for (icalcomponent *e = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); e;
	     e = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT), n++) {
		ck_assert_int_lt(n, 3);
		ck_assert_str_eq(icalcomponent_get_uid(e), uids[n]);
		ck_assert_int_eq(icalcomponent_get_status(e), want[n]);
		ck_assert_int_eq(icalcomponent_get_sequence(e), n == 1 ? 7 : 3);
		struct icaltimetype st = icalcomponent_get_dtstart(e);
		ck_assert(icaltime_is_utc(st));
		ck_assert_int_eq((int64_t)icaltime_as_timet(st), T_START + n * 86400);
		icalproperty *tr = icalcomponent_get_first_property(e, ICAL_TRANSP_PROPERTY);
		ck_assert_int_eq(icalproperty_get_transp(tr),
				 n == 1 ? ICAL_TRANSP_TRANSPARENT : ICAL_TRANSP_OPAQUE);
	}
	ck_assert_int_eq(n, 3);
	icalcomponent_free(cal);

	buf again;
	buf_init(&again, 1u << 20);
	ck_assert_int_eq(ics_write_feed("Salon: Ann\nline", ev, 3, &again), STATUS_OK);
	ck_assert_uint_eq(again.len, out.len);
	ck_assert(memcmp(again.data, out.data, out.len) == 0);
	buf_free(&again);

	/* An empty feed is a calendar without events. */
	buf_reset(&out);
	ck_assert_int_eq(ics_write_feed(NULL, ev, 0, &out), STATUS_OK);
	ck_assert_ptr_nonnull(strstr(out.data, "BEGIN:VCALENDAR\r\n"));
	ck_assert_ptr_null(strstr(out.data, "VEVENT"));
	ck_assert_ptr_null(strstr(out.data, "X-WR-CALNAME"));

	/* One malformed event refuses the whole feed; so does a buffer too small. */
	size_t len = out.len;
	ev[2].end = ev[2].start;
	ck_assert_int_eq(ics_write_feed("x", ev, 3, &out), STATUS_INVALID);
	ck_assert_uint_eq(out.len, len);
	ev[2].end = ev[2].start + 60;
	ev[1].uid = "";
	ck_assert_int_eq(ics_write_feed("x", ev, 3, &out), STATUS_INVALID);
	ck_assert_uint_eq(out.len, len);
	ev[1].uid = "two@bookd";
	buf small;
	buf_init(&small, 600);
	ck_assert_int_eq(ics_write_feed("x", ev, 3, &small), STATUS_INVALID);
	ck_assert(small.full);
	ck_assert_uint_eq(small.len, 0);
	buf_free(&small);
	buf_free(&out);
}
END_TEST

Suite *ics_suite(void)
{
	Suite *s = suite_create("ics");
	TCase *tc = tcase_create("ics");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, ics_round_trip);
	tcase_add_test(tc, ics_methods_and_status);
	tcase_add_test(tc, ics_folds_long_lines);
	tcase_add_test(tc, ics_folds_at_line_ends);
	tcase_add_test(tc, ics_optional_fields);
	tcase_add_test(tc, ics_cleans_controls);
	tcase_add_test(tc, ics_trims_value_ends);
	tcase_add_test(tc, ics_refuses_malformed);
	tcase_add_test(tc, ics_respects_buf_max);
	tcase_add_test(tc, ics_many_threads);
	tcase_add_test(tc, ics_feed_round_trip);
	suite_add_tcase(s, tc);
	return s;
}
