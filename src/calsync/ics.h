/* ics.h - a booking as an iCalendar object (RFC 5545, iTIP methods of RFC 5546) via libical. */
#ifndef BOOKD_ICS_H
#define BOOKD_ICS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/status.h"

/* The PRODID every calendar object bookd writes carries. */
#define ICS_PRODID "-//bookd//bookd//EN"
/* The last year (UTC) of an instant ics_write_event accepts; libical writes none later. */
#define ICS_LAST_YEAR 3000

/* The iTIP method of the calendar object: a feed or attachment (PUBLISH), an invitation or
 * update sent to the attendee (REQUEST), or its withdrawal (CANCEL). */
typedef enum ics_method {
	ICS_PUBLISH, /* METHOD:PUBLISH */
	ICS_REQUEST, /* METHOD:REQUEST */
	ICS_CANCEL   /* METHOD:CANCEL; the event is always written STATUS:CANCELLED */
} ics_method;

/* One booking as a calendar event. Every string is borrowed and UTF-8; NULL and "" both
 * mean "absent" for the optional ones. */
typedef struct ics_event {
	const char *uid;             /* required; stable across changes: "<booking id>@<host>" */
	int sequence;                /* >= 0; raised on every change of time or status */
	int64_t start, end;          /* UTC seconds, start < end */
	int64_t stamp;               /* DTSTAMP: the instant the object is written (now) */
	const char *summary;         /* e.g. "Haircut with Alice Moreau"; optional */
	const char *location;        /* business address; optional */
	const char *description;     /* free text (reference, manage link); optional */
	const char *url;             /* manage link, an absolute URI in printable ASCII; optional */
	const char *organizer_name;  /* the business's display name; optional */
	const char *organizer_email; /* plain address (no "mailto:"); no ORGANIZER when absent */
	const char *attendee_name;   /* the customer's name; optional */
	const char *attendee_email;  /* plain address (no "mailto:"); no ATTENDEE when absent */
	bool cancelled;              /* STATUS:CANCELLED; otherwise CONFIRMED (unless ICS_CANCEL) */
	bool tentative;              /* STATUS:TENTATIVE (awaiting approval) when not cancelled */
} ics_event;

/*
 * Appends to out a complete VCALENDAR (PRODID ICS_PRODID, VERSION 2.0, METHOD from m)
 * holding one VEVENT: UID, SEQUENCE, DTSTAMP, DTSTART, DTEND, STATUS, and SUMMARY,
 * LOCATION, DESCRIPTION, URL, ORGANIZER;CN=...:mailto:..., ATTENDEE;CN=...;ROLE=
 * REQ-PARTICIPANT;PARTSTAT=ACCEPTED;RSVP=FALSE:mailto:... when given. STATUS is CANCELLED
 * when m is ICS_CANCEL or e->cancelled, else TENTATIVE when e->tentative, else CONFIRMED;
 * TRANSP is TRANSPARENT for a cancelled event, else OPAQUE.
 *
 * Guarantees: times are written in UTC ("DTSTART:20260301T090000Z"), so no VTIMEZONE is
 * needed; text values are escaped by libical (RFC 5545 TEXT, RFC 6868 in CN parameters);
 * lines are folded at 75 octets, never inside a UTF-8 sequence; every line ends in CRLF.
 * The object is built with libical's component API only, never by formatting user text.
 * Text is cleaned first: CR LF and lone CR become LF, other control characters except TAB
 * and LF are dropped, and in CN names TAB and LF become spaces; spaces and tabs at either
 * end of SUMMARY, LOCATION and DESCRIPTION are dropped (calendar parsers drop them), and a
 * value left empty is absent; any other text reads back through libical's parser exactly
 * as given.
 *
 * Returns STATUS_OK. STATUS_INVALID, with out's bytes left as they were, when the object
 * would not fit in out's maximum (out->full is then set), when m is not an ics_method, or
 * when the event is malformed: uid absent, holding a control character or starting or
 * ending with a space, sequence < 0, end <= start, an instant outside years
 * 0001..ICS_LAST_YEAR UTC, text that is not valid
 * UTF-8, a url with a byte outside 0x21..0x7E, an email with a control character, a space
 * or no "@". STATUS_INTERNAL when libical fails to write the object.
 *
 * Thread-safe: no state of its own (libical's UTC zone, the only shared thing touched, is
 * set up once under libical's own lock); everything libical allocates is freed before
 * return.
 */
status ics_write_event(const ics_event *e, ics_method m, buf *out);

/*
 * Appends to out one VCALENDAR (PRODID, VERSION 2.0, CALSCALE GREGORIAN, no METHOD: a
 * subscribed feed, RFC 5545 section 3.7.2's "last revised" meaning of DTSTAMP) with
 * X-WR-CALNAME name (cleaned to one line; absent when NULL or empty) and one VEVENT per
 * events[i], written as ics_write_event writes them. The output depends only on the inputs
 * (no clock is read), so equal inputs give equal bytes: a digest of them is a stable ETag.
 *
 * Returns STATUS_OK; STATUS_INVALID with out's bytes unchanged when any event is malformed
 * (see ics_write_event) or the whole does not fit in out's maximum (out->full set);
 * STATUS_INTERNAL when libical fails. Thread-safe as ics_write_event.
 */
status ics_write_feed(const char *name, const ics_event *events, size_t n, buf *out);

#endif
