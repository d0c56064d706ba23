/* ics_busy.h - busy time read from an iCalendar file (a calendar app's secret ICS address). */
#ifndef BOOKD_ICS_BUSY_H
#define BOOKD_ICS_BUSY_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/status.h"
#include "core/tz.h"

/* One busy interval [start, end) in UTC seconds, from the event with uid (in the arena;
 * "" when the event had none). */
typedef struct ics_busy_span {
	int64_t start;
	int64_t end;
	const char *uid;
} ics_busy_span;

/* What ics_busy_read found. */
typedef struct ics_busy_result {
	ics_busy_span *spans; /* in the arena, in file order then occurrence order */
	size_t n;             /* entries in spans */
	int events;           /* VEVENTs that counted as busy (a recurring one once) */
	int skipped;          /* VEVENTs that could not be read: logged and left out */
	int ignored;          /* VEVENTs left out on purpose: cancelled or TRANSP:TRANSPARENT */
} ics_busy_result;

/* The most occurrences ics_busy_read expands (over every event), and the most steps one
 * recurrence rule may take before its occurrences reach the window. */
#define ICS_BUSY_MAX_SPANS 200000
#define ICS_BUSY_MAX_STEPS 100000

/*
 * Reads text[0..len) as one VCALENDAR and returns in *out every busy interval that overlaps
 * [from, to): each VEVENT's own time, each occurrence of its RRULEs and RDATEs less its
 * EXDATEs, an occurrence replaced by a VEVENT of the same UID with its RECURRENCE-ID read at
 * that override's time instead (or dropped, when the override is cancelled or transparent).
 * Left out on purpose: STATUS:CANCELLED and TRANSP:TRANSPARENT events. Times: UTC as given;
 * a TZID defined by a VTIMEZONE in the file (any name, IANA or not) by that definition; a
 * TZID naming an IANA zone without a definition by that zone; floating times, unknown TZIDs
 * and all-day dates (DTSTART;VALUE=DATE, one day when there is no DTEND) in `zone`, the
 * calendar owner's. A recurring event's occurrences keep the first one's length in seconds,
 * so a weekly 09:00-10:00 event stays at 09:00 local across a DST change.
 *
 * One VEVENT that cannot be read (a property libical reports as malformed, no DTSTART, an
 * end before its start, a broken RRULE) is logged with `label` and its UID and counted in
 * skipped; the rest are still read. At most ICS_BUSY_MAX_SPANS intervals are returned.
 *
 * Returns STATUS_OK; STATUS_INVALID when the text is not an iCalendar object at all (the
 * message in err). Thread-safe: everything libical allocates is freed before return.
 */
status ics_busy_read(const char *text, size_t len, const tz *zone, int64_t from, int64_t to,
		     const char *label, arena *a, ics_busy_result *out, char *err, size_t errlen);

#endif
