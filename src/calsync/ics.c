/* ics.c - a booking as an iCalendar object, built and serialised by libical. */
#include "calsync/ics.h"

#include <libical/ical.h>
#include <stdlib.h>
#include <string.h>

#include "base/civil.h"
#include "base/xalloc.h"

/* The text of one event after cleaning, ready for libical. Each string is owned (xmalloc)
 * or NULL when the field is absent. */
typedef struct ics_texts {
	char *uid;          /* the UID as given (checked, not changed) */
	char *summary;      /* cleaned SUMMARY */
	char *location;     /* cleaned LOCATION */
	char *description;  /* cleaned DESCRIPTION */
	char *url;          /* the URL as given (checked) */
	char *organizer;    /* "mailto:" + organizer_email */
	char *organizer_cn; /* cleaned one-line organizer name */
	char *attendee;     /* "mailto:" + attendee_email */
	char *attendee_cn;  /* cleaned one-line attendee name */
} ics_texts;

static bool ics_present(const char *s)
{
	return s != NULL && s[0] != '\0';
}

/* True when s is well-formed UTF-8: no overlong forms, no surrogates, nothing past
 * U+10FFFF. */
static bool ics_utf8_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		unsigned char c = *p;
		size_t n;
		unsigned lo = 0x80, hi = 0xBF; /* the allowed range of the second byte */
		if (c < 0x80) {
			p++;
			continue;
		} else if (c >= 0xC2 && c <= 0xDF) {
			n = 1;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 2;
			if (c == 0xE0)
				lo = 0xA0;
			else if (c == 0xED)
				hi = 0x9F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3;
			if (c == 0xF0)
				lo = 0x90;
			else if (c == 0xF4)
				hi = 0x8F;
		} else {
			return false;
		}
		if (p[1] < lo || p[1] > hi)
			return false;
		for (size_t i = 2; i <= n; i++)
			if (p[i] < 0x80 || p[i] > 0xBF)
				return false;
		p += n + 1;
	}
	return true;
}

static bool ics_is_control(unsigned char c)
{
	return c < 0x20 || c == 0x7F;
}

/* A cleaned copy of s (see ics.h): CR LF and lone CR become LF, other controls except TAB
 * and LF are dropped; with one_line, TAB and LF become spaces. Without one_line (a property
 * value), spaces and tabs at either end are dropped too: libical's parser drops them, so
 * they would not read back. NULL when s is absent or nothing is left; STATUS_INVALID when s
 * is not UTF-8. */
static status ics_clean(const char *s, bool one_line, char **out)
{
	*out = NULL;
	if (!ics_present(s))
		return STATUS_OK;
	if (!ics_utf8_ok(s))
		return STATUS_INVALID;
	size_t len = strlen(s);
	char *d = xmalloc(len + 1);
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\r') {
			if (s[i + 1] == '\n')
				i++;
			c = '\n';
		}
		if (c == '\n' || c == '\t')
			d[n++] = one_line ? ' ' : (char)c;
		else if (!ics_is_control(c))
			d[n++] = (char)c;
	}
	size_t from = 0;
	if (!one_line) {
		while (n > 0 && (d[n - 1] == ' ' || d[n - 1] == '\t'))
			n--;
		while (from < n && (d[from] == ' ' || d[from] == '\t'))
			from++;
	}
	if (from == n) {
		free(d);
		return STATUS_OK;
	}
	memmove(d, d + from, n - from);
	d[n - from] = '\0';
	*out = d;
	return STATUS_OK;
}

/* A copy of s after checking it has no control character (nor, unless spaces, a space) and
 * is UTF-8; ascii also refuses bytes past 0x7E. */
static status ics_checked(const char *s, bool spaces, bool ascii, char **out)
{
	*out = NULL;
	if (!ics_utf8_ok(s))
		return STATUS_INVALID;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (ics_is_control(*p) || (*p == ' ' && !spaces) || (*p > 0x7E && ascii))
			return STATUS_INVALID;
	*out = xstrdup(s);
	return STATUS_OK;
}

/* "mailto:" + email after checking the address; NULL when email is absent. */
static status ics_mailto(const char *email, char **out)
{
	static const char scheme[] = "mailto:";
	*out = NULL;
	if (!ics_present(email))
		return STATUS_OK;
	char *addr;
	if (ics_checked(email, false, false, &addr) != STATUS_OK)
		return STATUS_INVALID;
	if (!strchr(addr, '@')) {
		free(addr);
		return STATUS_INVALID;
	}
	size_t n = strlen(addr);
	char *v = xmalloc(sizeof scheme + n);
	memcpy(v, scheme, sizeof scheme - 1);
	memcpy(v + sizeof scheme - 1, addr, n + 1);
	free(addr);
	*out = v;
	return STATUS_OK;
}

static void ics_texts_free(ics_texts *t)
{
	free(t->uid);
	free(t->summary);
	free(t->location);
	free(t->description);
	free(t->url);
	free(t->organizer);
	free(t->organizer_cn);
	free(t->attendee);
	free(t->attendee_cn);
}

/* Fills t from e, stopping at the first invalid field. The caller frees t either way. */
static status ics_texts_fill(const ics_event *e, ics_texts *t)
{
	size_t ul = ics_present(e->uid) ? strlen(e->uid) : 0;
	/* A space at either end would not read back (libical's parser drops it). */
	if (ul == 0 || e->uid[0] == ' ' || e->uid[ul - 1] == ' ' ||
	    ics_checked(e->uid, true, false, &t->uid) != STATUS_OK)
		return STATUS_INVALID;
	if (ics_present(e->url) && ics_checked(e->url, false, true, &t->url) != STATUS_OK)
		return STATUS_INVALID;
	if (ics_clean(e->summary, false, &t->summary) != STATUS_OK ||
	    ics_clean(e->location, false, &t->location) != STATUS_OK ||
	    ics_clean(e->description, false, &t->description) != STATUS_OK ||
	    ics_mailto(e->organizer_email, &t->organizer) != STATUS_OK ||
	    ics_mailto(e->attendee_email, &t->attendee) != STATUS_OK)
		return STATUS_INVALID;
	/* A name without an address has no property to sit on. */
	if (t->organizer && ics_clean(e->organizer_name, true, &t->organizer_cn) != STATUS_OK)
		return STATUS_INVALID;
	if (t->attendee && ics_clean(e->attendee_name, true, &t->attendee_cn) != STATUS_OK)
		return STATUS_INVALID;
	return STATUS_OK;
}

/* The bytes of the texts themselves: escaping, folding and parameter encoding only add to
 * them, so an object whose texts alone pass the room left cannot fit. */
static size_t ics_texts_len(const ics_texts *t)
{
	const char *all[] = {t->uid,       t->summary,      t->location, t->description, t->url,
	                     t->organizer, t->organizer_cn, t->attendee, t->attendee_cn};
	size_t n = 0;
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		if (all[i])
			n += strlen(all[i]);
	return n;
}

/* True when t lies in years 0001..3000 UTC: DATE-TIME has four digits of year, and
 * libical writes a null time in place of any year after 3000. */
static bool ics_instant_ok(int64_t t)
{
	int64_t lo = civil_days(1, 1, 1) * 86400;
	int64_t hi = civil_days(ICS_LAST_YEAR + 1, 1, 1) * 86400;
	return t >= lo && t < hi;
}

/* Instant t as a libical UTC date-time (written with a trailing "Z"). */
static struct icaltimetype ics_utc(int64_t t)
{
	civil c = civil_from_epoch(t);
	struct icaltimetype tt = icaltime_null_time();
	tt.year = c.year;
	tt.month = c.month;
	tt.day = c.day;
	tt.hour = c.hour;
	tt.minute = c.min;
	tt.second = c.sec;
	tt.is_date = 0;
	tt.zone = icaltimezone_get_utc_timezone();
	return tt;
}

/* Adds a calendar address property (ORGANIZER or ATTENDEE) with its CN when named. */
static void ics_add_address(icalcomponent *ev, icalproperty *p, const char *cn)
{
	if (ics_present(cn))
		icalproperty_add_parameter(p, icalparameter_new_cn(cn));
	icalcomponent_add_property(ev, p);
}

/* The VEVENT for e with its texts t; owned by the caller (icalcomponent_free). */
static icalcomponent *ics_vevent(const ics_event *e, const ics_texts *t, bool cancelled)
{
	icalcomponent *ev = icalcomponent_new_vevent();
	icalcomponent_add_property(ev, icalproperty_new_uid(t->uid));
	icalcomponent_add_property(ev, icalproperty_new_sequence(e->sequence));
	icalcomponent_add_property(ev, icalproperty_new_dtstamp(ics_utc(e->stamp)));
	icalcomponent_add_property(ev, icalproperty_new_dtstart(ics_utc(e->start)));
	icalcomponent_add_property(ev, icalproperty_new_dtend(ics_utc(e->end)));
	icalcomponent_add_property(
	    ev, icalproperty_new_status(cancelled      ? ICAL_STATUS_CANCELLED
					: e->tentative ? ICAL_STATUS_TENTATIVE
						       : ICAL_STATUS_CONFIRMED));
	/* A cancelled event takes no time; a live one is busy time for free/busy readers. */
	icalcomponent_add_property(
	    ev, icalproperty_new_transp(cancelled ? ICAL_TRANSP_TRANSPARENT : ICAL_TRANSP_OPAQUE));
	if (ics_present(t->summary))
		icalcomponent_add_property(ev, icalproperty_new_summary(t->summary));
	if (ics_present(t->location))
		icalcomponent_add_property(ev, icalproperty_new_location(t->location));
	if (ics_present(t->description))
		icalcomponent_add_property(ev, icalproperty_new_description(t->description));
	if (t->url)
		icalcomponent_add_property(ev, icalproperty_new_url(t->url));
	if (t->organizer)
		ics_add_address(ev, icalproperty_new_organizer(t->organizer), t->organizer_cn);
	if (t->attendee) {
		icalproperty *a = icalproperty_new_attendee(t->attendee);
		icalproperty_add_parameter(a, icalparameter_new_role(ICAL_ROLE_REQPARTICIPANT));
		/* The customer made the booking: it is theirs already, no reply is wanted. */
		icalproperty_add_parameter(a, icalparameter_new_partstat(ICAL_PARTSTAT_ACCEPTED));
		icalproperty_add_parameter(a, icalparameter_new_rsvp(ICAL_RSVP_FALSE));
		ics_add_address(ev, a, t->attendee_cn);
	}
	return ev;
}

/* An empty VCALENDAR with PRODID and VERSION; owned by the caller (icalcomponent_free). */
static icalcomponent *ics_vcalendar(void)
{
	icalcomponent *cal = icalcomponent_new_vcalendar();
	icalcomponent_add_property(cal, icalproperty_new_prodid(ICS_PRODID));
	icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
	return cal;
}

/* The most octets of a line before a fold (RFC 5545 3.1), its CRLF not counted. */
#define ICS_FOLD_AT 75

/* text as libical wrote it, folded again by us into f: libical 3.0 folds a line that ends
 * right at the fold point between its CR and LF ("...\r\r\n \n"), a broken line for
 * every reader. So libical's folds are undone (CRLF and a space: values carry no CR or LF
 * of their own, those are escaped or dropped) and each line is folded at ICS_FOLD_AT
 * octets, never inside a UTF-8 sequence, and ended with CRLF. */
static void ics_fold(const char *text, buf *f)
{
	/* Unfolded first: in the faulty case the CR before a fold and the LF after it meet. */
	size_t n = strlen(text), m = 0;
	char *flat = xmalloc(n + 1);
	for (size_t i = 0; i < n; i++) {
		if (text[i] == '\r' && text[i + 1] == '\n' && text[i + 2] == ' ')
			i += 2;
		else
			flat[m++] = text[i];
	}
	flat[m] = '\0';
	for (const char *p = flat; *p;) {
		size_t col = 0; /* octets on the physical line so far */
		while (*p && !(p[0] == '\r' && p[1] == '\n')) {
			size_t k = 1; /* the whole UTF-8 sequence at p */
			while (((unsigned char)p[k] & 0xC0) == 0x80)
				k++;
			if (col + k > ICS_FOLD_AT) {
				buf_add(f, "\r\n ", 3);
				col = 1;
			}
			buf_add(f, p, k);
			col += k;
			p += k;
		}
		if (*p)
			p += 2;
		buf_add(f, "\r\n", 2);
	}
	free(flat);
}

/* Writes cal (freed here) into out, folded by ics_fold; STATUS_INVALID with out unchanged
 * (out->full set) when it does not fit, STATUS_INTERNAL when libical fails. */
static status ics_serialise(icalcomponent *cal, buf *out)
{
	/* _r: a fresh buffer of our own, not libical's per-thread ring. */
	char *text = icalcomponent_as_ical_string_r(cal);
	icalcomponent_free(cal);
	if (!text)
		return STATUS_INTERNAL;
	/* Folding adds 3 octets per 74: room for all of them, so no append fails. */
	size_t n = strlen(text);
	buf f;
	buf_init(&f, n + 3 * (n / (ICS_FOLD_AT - 1) + 1) + 2);
	ics_fold(text, &f);
	status st = buf_add(out, f.data, f.len);
	buf_free(&f);
	icalmemory_free_buffer(text);
	return st;
}

status ics_write_event(const ics_event *e, ics_method m, buf *out)
{
	icalproperty_method method;
	switch (m) {
	case ICS_PUBLISH:
		method = ICAL_METHOD_PUBLISH;
		break;
	case ICS_REQUEST:
		method = ICAL_METHOD_REQUEST;
		break;
	case ICS_CANCEL:
		method = ICAL_METHOD_CANCEL;
		break;
	default:
		return STATUS_INVALID;
	}
	if (e->sequence < 0 || e->end <= e->start || !ics_instant_ok(e->start) ||
	    !ics_instant_ok(e->end) || !ics_instant_ok(e->stamp))
		return STATUS_INVALID;

	ics_texts t = {0};
	status st = ics_texts_fill(e, &t);
	if (st == STATUS_OK && ics_texts_len(&t) > out->max - out->len) {
		/* Cheap refusal before libical does any work on text that cannot fit. */
		out->full = true;
		st = STATUS_INVALID;
	}
	if (st == STATUS_OK) {
		icalcomponent *cal = ics_vcalendar();
		icalcomponent_add_property(cal, icalproperty_new_method(method));
		/* The calendar takes ownership of the event. */
		icalcomponent_add_component(cal, ics_vevent(e, &t, m == ICS_CANCEL || e->cancelled));
		st = ics_serialise(cal, out);
	}
	ics_texts_free(&t);
	return st;
}

status ics_write_feed(const char *name, const ics_event *events, size_t n, buf *out)
{
	for (size_t i = 0; i < n; i++) {
		const ics_event *e = &events[i];
		if (e->sequence < 0 || e->end <= e->start || !ics_instant_ok(e->start) ||
		    !ics_instant_ok(e->end) || !ics_instant_ok(e->stamp))
			return STATUS_INVALID;
	}
	icalcomponent *cal = ics_vcalendar();
	icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
	char *cname = NULL;
	if (ics_clean(name, true, &cname) != STATUS_OK) {
		icalcomponent_free(cal);
		return STATUS_INVALID;
	}
	if (cname) {
		/* The name calendar apps show for a subscription (a common extension). */
		icalproperty *p = icalproperty_new_x(cname);
		icalproperty_set_x_name(p, "X-WR-CALNAME");
		icalcomponent_add_property(cal, p);
		free(cname);
	}
	size_t texts = 0;
	for (size_t i = 0; i < n; i++) {
		ics_texts t = {0};
		status st = ics_texts_fill(&events[i], &t);
		texts += ics_texts_len(&t);
		if (st == STATUS_OK && texts > out->max - out->len) {
			out->full = true;
			st = STATUS_INVALID;
		}
		if (st != STATUS_OK) {
			ics_texts_free(&t);
			icalcomponent_free(cal);
			return st;
		}
		/* The calendar takes ownership of the event. */
		icalcomponent_add_component(cal, ics_vevent(&events[i], &t, events[i].cancelled));
		ics_texts_free(&t);
	}
	return ics_serialise(cal, out);
}
