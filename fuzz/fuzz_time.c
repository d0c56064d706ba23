/* fuzz_time.c - the RFC 3339 and date parsers (core/tz, base/civil) and zone arithmetic.
 * Input: a zone name line, then text. The text goes to tz_parse_rfc3339 and
 * civil_parse_date; what parses must format and parse back to the same value. The zone, when
 * it exists, maps the instant (the parsed one, or one made from the bytes) to local time and
 * back: the local time read back must give the instant or an earlier one with the same wall
 * time, and its RFC 3339 text must name the instant exactly. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/civil.h"
#include "core/tz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MIN_T TZ_FIRST_INSTANT
#define MAX_T TZ_LAST_INSTANT

static void fail(const char *what, const char *text, size_t n, int64_t v)
{
	fprintf(stderr, "fuzz_time: %s: '%.*s' (%lld)\n", what, (int)n, text, (long long)v);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	const char *nl = memchr(s, '\n', size);
	size_t zlen = nl ? (size_t)(nl - s) : 0;
	const char *text = nl ? nl + 1 : s;
	size_t n = size - (size_t)(text - s);

	int64_t t = 0;
	bool have_t = tz_parse_rfc3339(text, n, &t);
	if (have_t) {
		char out[TZ_RFC3339_SIZE];
		int64_t back = 0;
		if (!tz_format_rfc3339(tz_get("UTC"), t, out) ||
		    !tz_parse_rfc3339(out, strlen(out), &back) || back != t)
			fail("an instant parsed does not read back in UTC", text, n, t);
	}
	int64_t day = 0;
	if (civil_parse_date(text, n, &day)) {
		char out[11];
		int64_t back = 0;
		civil_format_date(day, out);
		if (!civil_parse_date(out, 10, &back) || back != day)
			fail("a date parsed does not read back", text, n, day);
		civil c = civil_from_days(day);
		if (civil_days(c.year, c.month, c.day) != day || !civil_date_valid(c.year, c.month, c.day))
			fail("a day number does not survive civil_from_days", text, n, day);
	}
	if (!have_t) { /* an instant from the bytes, years 1..9999 */
		uint64_t h = 1469598103934665603ULL;
		for (size_t i = 0; i < n; i++)
			h = (h ^ data[i + (size_t)(text - s)]) * 1099511628211ULL;
		t = MIN_T + (int64_t)(h % (uint64_t)(MAX_T - MIN_T));
	}
	const tz *z = zlen ? tz_get_n(s, zlen) : NULL;
	if (!z || t < MIN_T + 86400 || t > MAX_T - 86400)
		return 0;
	int64_t wall = tz_to_wall(z, t);
	bool exact = false;
	int64_t first = tz_from_wall(z, wall, &exact);
	if (!exact || first > t || tz_to_wall(z, first) != wall)
		fail("a local time read back is not the instant's", text, n, t);
	civil c = tz_to_civil(z, t);
	if (civil_to_epoch(c) != wall)
		fail("tz_to_civil disagrees with tz_to_wall", text, n, t);
	char out[TZ_RFC3339_SIZE];
	int64_t back = 0;
	if (tz_format_rfc3339(z, t, out) && (!tz_parse_rfc3339(out, strlen(out), &back) || back != t))
		fail("an instant written in its zone does not read back", out, strlen(out), t);
	int64_t next = tz_next_transition(z, t);
	if (next <= t)
		fail("the next transition is not after the instant", text, n, t);
	return 0;
}
