/* tz.h - IANA time zones: UTC instants <-> local wall time, RFC 3339 in and out. */
#ifndef BOOKD_TZ_H
#define BOOKD_TZ_H

/*
 * Zone rules come only from the IANA database, read through libical. A zone is loaded
 * once per process under one lock: its transitions (UTC instant -> offset) are copied into
 * an immutable table, and every conversion afterwards is plain arithmetic on that table
 * without locks. Calendar arithmetic is base/civil.h.
 *
 * "Wall seconds" below are a local date and time read as if it were UTC:
 * civil_to_epoch(c) of the local civil time, or day * 86400 + seconds into the day.
 *
 * The table holds every change libical reports up to the end of TZ_LAST_YEAR. Before the
 * first change the zone's earliest offset applies; after TZ_LAST_YEAR the last one does.
 *
 * Accuracy is libical's. Checked against an independent reader of the same zone files
 * (Python's zoneinfo) at every half hour: Debian's libical 3.0.16 agrees exactly for
 * 2020-2037 in every zone compared (London, New York, Lord Howe, Chatham, Santiago,
 * Casablanca, Gaza, ...), but drops some older changes (London 1977-10-23, Sao Paulo
 * 2000-2019, Tehran) and misplaces some changes after 2037 (Lord Howe, Chatham, Santiago:
 * DST starting at 03:14:07 UTC; Gaza). Bookings live in the present, so this is acceptable;
 * a newer libical fixes it without changes here.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/civil.h"

/* The longest zone name tz_get accepts (IANA names are far shorter). */
#define TZ_NAME_MAX 64
/* Transitions are taken from the zone up to the end of this year. */
#define TZ_LAST_YEAR 2100
/* Bytes tz_format_rfc3339 needs: "YYYY-MM-DDTHH:MM:SS+HH:MM" and the NUL. */
#define TZ_RFC3339_SIZE 26

/* A loaded zone: immutable once tz_get returned it, shared by every thread. */
typedef struct tz tz;

/* Returns the zone named `name` (an IANA name such as "Europe/London", or "UTC"), loading
 * it on first use; NULL when no such zone exists. Names are exact (case-sensitive);
 * aliases the database ships ("Asia/Calcutta") are accepted; "localtime", "posixrules",
 * "Factory", "posix/..." and "right/..." are refused. The pointer is borrowed and valid for
 * the life of the process. Thread-safe (one lock around loading and the cache). */
const tz *tz_get(const char *name);
/* The same for a name given as pointer + length (need not be NUL-terminated). */
const tz *tz_get_n(const char *name, size_t len);

/* The zone's name as given to tz_get. Borrowed, valid for the process. */
const char *tz_name(const tz *z);

/* Everything below is pure, lock-free and thread-safe. */

/* Seconds east of UTC in force at instant t. */
int32_t tz_offset_at(const tz *z, int64_t t);
/* The local civil time of instant t. */
civil tz_to_civil(const tz *z, int64_t t);
/* The local day number (civil_days numbering) of instant t. */
int64_t tz_local_day(const tz *z, int64_t t);
/* The wall seconds of instant t (t plus its offset). */
int64_t tz_to_wall(const tz *z, int64_t t);

/* The earliest instant whose local time is at or after `wall` (wall seconds). So a wall
 * time inside a DST gap gives the end of the gap, and a wall time that occurs twice gives
 * its first occurrence. *exact_out (may be NULL) is set to true when the result's local
 * time equals `wall`, false when `wall` does not exist that day. */
int64_t tz_from_wall(const tz *z, int64_t wall, bool *exact_out);
/* tz_from_wall of a civil time. */
int64_t tz_from_civil(const tz *z, civil c, bool *exact_out);
/* The first instant of local day `day` (tz_from_wall of its midnight); *exact_out (may be
 * NULL) is false when midnight itself falls in a gap that day. */
int64_t tz_day_start(const tz *z, int64_t day, bool *exact_out);

/* The first instant strictly after t at which the zone's offset changes; INT64_MAX when
 * the table knows no later change. */
int64_t tz_next_transition(const tz *z, int64_t t);

/* Writes t as RFC 3339 with the zone's offset in force ("2026-03-29T09:00:00+01:00";
 * "+00:00" for zero) into out, NUL-terminated. An offset with seconds (old local mean
 * times) is shown cut to whole minutes with the local time shifted to match, so the text
 * always names the instant t exactly. Returns false (out set to "") when the local year is
 * outside 0000..9999. */
bool tz_format_rfc3339(const tz *z, int64_t t, char out[static TZ_RFC3339_SIZE]);

/* The instants tz_parse_rfc3339 reads: 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59Z. */
#define TZ_FIRST_INSTANT (-62135596800LL)
#define TZ_LAST_INSTANT 253402300799LL

/* Parses an RFC 3339 date-time with an offset (exactly len bytes): "YYYY-MM-DDTHH:MM:SS",
 * optional fraction ".d..." (at most 9 digits, dropped: the result is the whole second it
 * falls in), then "Z" or "+HH:MM"/"-HH:MM". 'T' and 'Z' may be lower case. Strict: no
 * spaces, no missing fields, no leap second, a real date, offset within 23:59, an instant
 * within TZ_FIRST_INSTANT..TZ_LAST_INSTANT (so it can be written back in UTC and read
 * again). On success sets *t_out to UTC seconds and returns true; otherwise returns false.
 * Pure. */
bool tz_parse_rfc3339(const char *s, size_t len, int64_t *t_out);

#endif
