/* fuzz_ics.c - the ICS writer (calsync/ics): input is 24 bytes of numbers (sequence, start,
 * length, method, cancelled) then the event's text fields, NUL-separated (uid, summary,
 * location, description, url, organizer name and email, attendee name and email). What
 * ics_write_event writes must end every line in CRLF within 75 octets and parse back through
 * libical with the same UID, times, sequence and summary as cleaned (ics.h). */
#include <libical/ical.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/civil.h"
#include "calsync/ics.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MIN_T (-62135596800LL) /* 0001-01-01T00:00:00Z */

static void fail(const char *what, const buf *out)
{
	fprintf(stderr, "fuzz_ics: %s\n%.*s\n", what, (int)out->len, out->data ? out->data : "");
	abort();
}

/* A value as ics.h says it is cleaned: CR LF and lone CR become LF, other controls but
 * TAB and LF are dropped, then spaces and tabs at either end. */
static char *clean(const char *s)
{
	char *o = malloc(strlen(s) + 1), *p = o;
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '\r') {
			*p++ = '\n';
			if (s[1] == '\n')
				s++;
		} else if (ch >= 0x20 || ch == '\t' || ch == '\n') {
			if (ch != 0x7f)
				*p++ = (char)ch;
		}
	}
	while (p > o && (p[-1] == ' ' || p[-1] == '\t'))
		p--;
	*p = '\0';
	size_t lead = strspn(o, " \t");
	memmove(o, o + lead, strlen(o + lead) + 1);
	return o;
}

/* A text value reads back as cleaned (absent when nothing is left). */
static void same_text(const char *given, const char *got, const char *what, const buf *out)
{
	char *want = clean(given ? given : "");
	if (*want ? !got || strcmp(got, want) != 0 : got && *got)
		fail(what, out);
	free(want);
}

/* A UTC time of libical as epoch seconds (icaltime_as_timet gives up before 1902). */
static int64_t ical_epoch(struct icaltimetype t)
{
	if (!icaltime_is_utc(t))
		return INT64_MIN;
	return civil_to_epoch((civil){.year = t.year, .month = t.month, .day = t.day,
				      .hour = t.hour, .min = t.minute, .sec = t.second});
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 24)
		return 0;
	int32_t seq;
	int64_t start;
	int64_t len;
	memcpy(&seq, data, 4);
	memcpy(&start, data + 4, 8);
	memcpy(&len, data + 12, 8);
	uint8_t m = data[20], flags = data[21];
	/* Mostly sensible numbers, sometimes the raw ones. */
	if (!(flags & 0x80)) {
		start = MIN_T + (int64_t)((uint64_t)start % 95617584000ULL); /* years 1..3000 */
		len = 1 + (int64_t)((uint64_t)len % (400LL * 86400));
		seq = seq < 0 ? -(seq + 1) : seq;
	}
	char *text = malloc(size - 24 + 1);
	memcpy(text, data + 24, size - 24);
	text[size - 24] = '\0';
	const char *f[9] = {0};
	const char *p = text, *end = text + (size - 24);
	for (int i = 0; i < 9 && p <= end; i++) {
		f[i] = p;
		p += strlen(p) + 1;
	}
	int64_t end_t;
	if (__builtin_add_overflow(start, len, &end_t))
		end_t = start; /* no overflow in the harness itself */
	ics_event e = {.uid = f[0], .sequence = seq, .start = start, .end = end_t,
		       .stamp = 1796119200, .summary = f[1], .location = f[2], .description = f[3],
		       .url = f[4], .organizer_name = f[5], .organizer_email = f[6],
		       .attendee_name = f[7], .attendee_email = f[8], .cancelled = flags & 1};
	buf out;
	buf_init(&out, (flags & 0x40) ? 512 : 1u << 20);
	status st = ics_write_event(&e, (ics_method)(m % 4), &out);
	if (st == STATUS_OK) {
		for (size_t i = 0, line = 0; i < out.len; i++) {
			if (out.data[i] == '\n') {
				if (i == 0 || out.data[i - 1] != '\r')
					fail("a line does not end in CRLF", &out);
				if (line > 76) /* 75 octets and the CR */
					fail("a line is longer than 75 octets", &out);
				line = 0;
			} else {
				line++;
			}
		}
		icalcomponent *cal = icalparser_parse_string(out.data);
		icalcomponent *ev = cal ? icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT)
					: NULL;
		if (!ev)
			fail("libical does not read the object back", &out);
		const char *uid = icalcomponent_get_uid(ev);
		if (!uid || strcmp(uid, e.uid) != 0)
			fail("the UID does not read back", &out);
		if (ical_epoch(icalcomponent_get_dtstart(ev)) != e.start ||
		    ical_epoch(icalcomponent_get_dtend(ev)) != e.end)
			fail("the times do not read back", &out);
		if (icalcomponent_get_sequence(ev) != e.sequence)
			fail("the sequence does not read back", &out);
		same_text(e.summary, icalcomponent_get_summary(ev), "the summary does not read back", &out);
		same_text(e.location, icalcomponent_get_location(ev), "the location does not read back",
			  &out);
		same_text(e.description, icalcomponent_get_description(ev),
			  "the description does not read back", &out);
		icalcomponent_free(cal);
	} else if (st == STATUS_INVALID && out.len != 0) {
		fail("a refused event left bytes in the buffer", &out);
	} else if (st == STATUS_INTERNAL) {
		fail("libical failed to write", &out);
	}
	buf_free(&out);
	free(text);
	return 0;
}
