/* test_tz.c - zones: loading and refusing names, UTC <-> wall across DST gaps and repeats,
 * odd offsets, RFC 3339 in and out, many threads at once. Expected instants are hard-coded
 * (published transition times), never computed by the code under test. */
#include <check.h>
#include <pthread.h>
#include <string.h>

#include "base/civil.h"
#include "core/tz.h"

/* A UTC instant from its parts (base/civil.h, not the zone code). */
static int64_t U(int y, int mo, int d, int h, int mi)
{
	civil c = {y, mo, d, h, mi, 0};
	return civil_to_epoch(c);
}

/* Wall seconds of a local date and time. */
static int64_t W(int y, int mo, int d, int h, int mi)
{
	return U(y, mo, d, h, mi);
}

static const tz *Z(const char *name)
{
	const tz *z = tz_get(name);
	ck_assert_msg(z != NULL, "zone %s should load", name);
	return z;
}

START_TEST(tz_refuses_unknown_names)
{
	static const char *const bad[] = {"Foo/Bar",
	                                  "",
	                                  "Europe",
	                                  "Europe/",
	                                  "/Europe/London",
	                                  "../../etc/passwd",
	                                  "Europe/../Europe/London",
	                                  "Europe/London ",
	                                  "europe/london",
	                                  "localtime",
	                                  "posixrules",
	                                  "Factory",
	                                  "right/Europe/London",
	                                  "posix/Europe/London",
	                                  "zone.tab",
	                                  "Europe//London",
	                                  "Europe/London\n",
	                                  "Mars/Olympus_Mons"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(tz_get(bad[i]) == NULL, "%s must be refused", bad[i]);
	ck_assert(tz_get(NULL) == NULL);
	char longname[200];
	memset(longname, 'A', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	ck_assert(tz_get(longname) == NULL);
	ck_assert(tz_get_n("Europe/LondonXYZ", 13) != NULL); /* only the first 13 bytes count */
	ck_assert(tz_get_n("Europe/London", 12) == NULL);
}
END_TEST

START_TEST(tz_loads_and_caches)
{
	const tz *a = Z("Europe/London");
	ck_assert_ptr_eq(a, tz_get("Europe/London"));
	ck_assert_str_eq(tz_name(a), "Europe/London");
	const tz *utc = Z("UTC");
	ck_assert_int_eq(tz_offset_at(utc, U(2026, 7, 1, 0, 0)), 0);
	ck_assert_int_eq(tz_next_transition(utc, 0), INT64_MAX);
	ck_assert_int_eq(tz_offset_at(Z("Etc/UTC"), U(2026, 7, 1, 0, 0)), 0);
	ck_assert_int_eq(tz_offset_at(Z("Etc/GMT+5"), U(2026, 7, 1, 0, 0)), -5 * 3600);
	/* An alias shipped with the database. */
	ck_assert_int_eq(tz_offset_at(Z("Asia/Calcutta"), U(2026, 7, 1, 0, 0)), 19800);
}
END_TEST

START_TEST(tz_london_transitions)
{
	const tz *z = Z("Europe/London");
	/* BST starts 2026-03-29 01:00 UTC and ends 2026-10-25 01:00 UTC. */
	ck_assert_int_eq(U(2026, 3, 29, 1, 0), 1774746000);
	ck_assert_int_eq(tz_offset_at(z, 1774746000 - 1), 0);
	ck_assert_int_eq(tz_offset_at(z, 1774746000), 3600);
	ck_assert_int_eq(tz_offset_at(z, 1792890000 - 1), 3600);
	ck_assert_int_eq(tz_offset_at(z, 1792890000), 0);
	ck_assert_int_eq(tz_next_transition(z, U(2026, 1, 1, 0, 0)), 1774746000);
	ck_assert_int_eq(tz_next_transition(z, 1774746000), 1792890000);
	ck_assert_int_eq(tz_next_transition(z, 1774746000 - 1), 1774746000);
	/* Years ahead: 2030-03-31 01:00 UTC and 2030-10-27 01:00 UTC. */
	ck_assert_int_eq(tz_offset_at(z, U(2030, 3, 31, 0, 59)), 0);
	ck_assert_int_eq(tz_offset_at(z, U(2030, 3, 31, 1, 0)), 3600);
	ck_assert_int_eq(tz_offset_at(z, U(2030, 10, 27, 1, 0)), 0);
}
END_TEST

START_TEST(tz_london_gap_and_repeat)
{
	const tz *z = Z("Europe/London");
	bool exact;
	/* Spring forward: 01:00 -> 02:00 local. 00:59 exists, 01:00..01:59 do not. */
	ck_assert_int_eq(tz_from_wall(z, W(2026, 3, 29, 0, 59), &exact), U(2026, 3, 29, 0, 59));
	ck_assert(exact);
	ck_assert_int_eq(tz_from_wall(z, W(2026, 3, 29, 1, 0), &exact), U(2026, 3, 29, 1, 0));
	ck_assert(!exact);
	ck_assert_int_eq(tz_from_wall(z, W(2026, 3, 29, 1, 30), &exact), U(2026, 3, 29, 1, 0));
	ck_assert(!exact);
	ck_assert_int_eq(tz_from_wall(z, W(2026, 3, 29, 2, 0), &exact), U(2026, 3, 29, 1, 0));
	ck_assert(exact);
	ck_assert_int_eq(tz_from_wall(z, W(2026, 3, 29, 9, 0), &exact), U(2026, 3, 29, 8, 0));
	ck_assert(exact);
	/* Fall back: 02:00 BST -> 01:00 GMT; 01:00..01:59 happen twice, the first counts. */
	ck_assert_int_eq(tz_from_wall(z, W(2026, 10, 25, 1, 0), &exact), U(2026, 10, 25, 0, 0));
	ck_assert(exact);
	ck_assert_int_eq(tz_from_wall(z, W(2026, 10, 25, 1, 30), &exact), U(2026, 10, 25, 0, 30));
	ck_assert(exact);
	ck_assert_int_eq(tz_from_wall(z, W(2026, 10, 25, 2, 0), NULL), U(2026, 10, 25, 2, 0));
	ck_assert_int_eq(tz_from_wall(z, W(2026, 10, 25, 0, 59), NULL), U(2026, 10, 24, 23, 59));
	/* The second 01:30 reads back as 01:30 too. */
	civil c = tz_to_civil(z, U(2026, 10, 25, 1, 30));
	ck_assert_int_eq(c.hour, 1);
	ck_assert_int_eq(c.min, 30);
	/* Midnights around the change. */
	ck_assert_int_eq(tz_day_start(z, civil_days(2026, 3, 29), &exact), U(2026, 3, 29, 0, 0));
	ck_assert(exact);
	ck_assert_int_eq(tz_day_start(z, civil_days(2026, 3, 30), NULL), U(2026, 3, 29, 23, 0));
	ck_assert_int_eq(tz_day_start(z, civil_days(2026, 10, 26), NULL), U(2026, 10, 26, 0, 0));
	ck_assert_int_eq(tz_local_day(z, U(2026, 3, 29, 23, 0)), civil_days(2026, 3, 30));
	ck_assert_int_eq(tz_local_day(z, U(2026, 3, 29, 22, 59)), civil_days(2026, 3, 29));
}
END_TEST

START_TEST(tz_new_york)
{
	const tz *z = Z("America/New_York");
	bool exact;
	/* EDT from 2026-03-08 07:00 UTC, EST again from 2026-11-01 06:00 UTC. */
	ck_assert_int_eq(U(2026, 3, 8, 7, 0), 1772953200);
	ck_assert_int_eq(tz_offset_at(z, 1772953200 - 1), -5 * 3600);
	ck_assert_int_eq(tz_offset_at(z, 1772953200), -4 * 3600);
	ck_assert_int_eq(tz_offset_at(z, 1793512800 - 1), -4 * 3600);
	ck_assert_int_eq(tz_offset_at(z, 1793512800), -5 * 3600);
	ck_assert_int_eq(tz_from_wall(z, W(2026, 3, 8, 2, 30), &exact), 1772953200);
	ck_assert(!exact);
	ck_assert_int_eq(tz_from_wall(z, W(2026, 3, 8, 3, 0), &exact), 1772953200);
	ck_assert(exact);
	ck_assert_int_eq(tz_from_wall(z, W(2026, 11, 1, 1, 30), &exact), U(2026, 11, 1, 5, 30));
	ck_assert(exact);
	ck_assert_int_eq(tz_from_wall(z, W(2026, 11, 1, 2, 0), NULL), U(2026, 11, 1, 7, 0));
	ck_assert_int_eq(tz_day_start(z, civil_days(2026, 11, 1), NULL), U(2026, 11, 1, 4, 0));
	ck_assert_int_eq(tz_day_start(z, civil_days(2026, 11, 2), NULL), U(2026, 11, 2, 5, 0));
}
END_TEST

START_TEST(tz_lord_howe_half_hour_dst)
{
	const tz *z = Z("Australia/Lord_Howe");
	bool exact;
	/* +11 until 2026-04-04 15:00 UTC, then +10:30; +11 again from 2026-10-03 15:30 UTC. */
	ck_assert_int_eq(U(2026, 4, 4, 15, 0), 1775314800);
	ck_assert_int_eq(tz_offset_at(z, 1775314800 - 1), 11 * 3600);
	ck_assert_int_eq(tz_offset_at(z, 1775314800), 10 * 3600 + 1800);
	ck_assert_int_eq(tz_offset_at(z, 1791041400 - 1), 10 * 3600 + 1800);
	ck_assert_int_eq(tz_offset_at(z, 1791041400), 11 * 3600);
	/* 2026-10-04 02:00 local jumps to 02:30: 02:15 does not exist. */
	ck_assert_int_eq(tz_from_wall(z, W(2026, 10, 4, 2, 15), &exact), 1791041400);
	ck_assert(!exact);
	ck_assert_int_eq(tz_from_wall(z, W(2026, 10, 4, 2, 30), &exact), 1791041400);
	ck_assert(exact);
	/* 2026-04-05: 01:30..01:59 local twice; 01:45 first at +11 = 14:45 UTC. */
	ck_assert_int_eq(tz_from_wall(z, W(2026, 4, 5, 1, 45), &exact), U(2026, 4, 4, 14, 45));
	ck_assert(exact);
	char out[TZ_RFC3339_SIZE];
	ck_assert(tz_format_rfc3339(z, 1775314800, out));
	ck_assert_str_eq(out, "2026-04-05T01:30:00+10:30");
}
END_TEST

START_TEST(tz_odd_offsets)
{
	char out[TZ_RFC3339_SIZE];
	const tz *k = Z("Asia/Kolkata");
	ck_assert_int_eq(tz_offset_at(k, U(2026, 1, 1, 0, 0)), 19800);
	ck_assert_int_eq(tz_next_transition(k, U(2000, 1, 1, 0, 0)), INT64_MAX);
	ck_assert(tz_format_rfc3339(k, U(2026, 6, 1, 6, 30), out));
	ck_assert_str_eq(out, "2026-06-01T12:00:00+05:30");
	ck_assert_int_eq(tz_from_wall(k, W(2026, 6, 1, 9, 0), NULL), U(2026, 6, 1, 3, 30));
	ck_assert_int_eq(tz_day_start(k, civil_days(2026, 6, 1), NULL), U(2026, 5, 31, 18, 30));

	const tz *c = Z("Pacific/Chatham");
	/* +12:45 in winter; +13:45 from 2026-09-26 14:00 UTC; back from 2026-04-04 14:00 UTC. */
	ck_assert_int_eq(tz_offset_at(c, U(2026, 6, 1, 0, 0)), 12 * 3600 + 2700);
	ck_assert_int_eq(tz_offset_at(c, 1790431200 - 1), 12 * 3600 + 2700);
	ck_assert_int_eq(tz_offset_at(c, 1790431200), 13 * 3600 + 2700);
	ck_assert_int_eq(tz_offset_at(c, 1775311200 - 1), 13 * 3600 + 2700);
	ck_assert_int_eq(tz_offset_at(c, 1775311200), 12 * 3600 + 2700);
	ck_assert(tz_format_rfc3339(c, U(2026, 6, 1, 0, 0), out));
	ck_assert_str_eq(out, "2026-06-01T12:45:00+12:45");
	ck_assert_int_eq(tz_local_day(c, U(2026, 6, 1, 11, 14)), civil_days(2026, 6, 1));
	ck_assert_int_eq(tz_local_day(c, U(2026, 6, 1, 11, 15)), civil_days(2026, 6, 2));
}
END_TEST

START_TEST(tz_midnight_in_gap)
{
	/* Santiago: 2026-09-06 00:00 local (-04) jumps to 01:00 (-03) at 04:00 UTC. Havana:
	 * 2026-03-08 00:00 (-05) jumps to 01:00 (-04) at 05:00 UTC. Those days have no
	 * midnight: the day starts at the end of the gap. */
	bool exact;
	const tz *s = Z("America/Santiago");
	ck_assert_int_eq(tz_day_start(s, civil_days(2026, 9, 6), &exact), U(2026, 9, 6, 4, 0));
	ck_assert(!exact);
	ck_assert_int_eq(tz_local_day(s, U(2026, 9, 6, 4, 0)), civil_days(2026, 9, 6));
	ck_assert_int_eq(tz_local_day(s, U(2026, 9, 6, 3, 59)), civil_days(2026, 9, 5));
	const tz *h = Z("America/Havana");
	ck_assert_int_eq(tz_day_start(h, civil_days(2026, 3, 8), &exact), U(2026, 3, 8, 5, 0));
	ck_assert(!exact);
	ck_assert_int_eq(tz_day_start(h, civil_days(2026, 3, 9), &exact), U(2026, 3, 9, 4, 0));
	ck_assert(exact);
}
END_TEST

/* For every quarter hour of a year of wall time, the answer is the earliest instant whose
 * local time is at or after it: its local time is >= wall and one second earlier is not. */
START_TEST(tz_from_wall_is_earliest)
{
	static const char *const zones[] = {"Europe/London",       "America/New_York",
	                                    "Australia/Lord_Howe", "Pacific/Chatham",
	                                    "America/Santiago",    "Asia/Kolkata"};
	for (size_t i = 0; i < sizeof(zones) / sizeof(zones[0]); i++) {
		const tz *z = Z(zones[i]);
		int gaps = 0, exacts = 0;
		for (int64_t w = W(2026, 1, 1, 0, 0); w < W(2027, 1, 1, 0, 0); w += 900) {
			bool exact;
			int64_t t = tz_from_wall(z, w, &exact);
			ck_assert_int_ge(tz_to_wall(z, t), w);
			ck_assert_int_lt(tz_to_wall(z, t - 1), w);
			ck_assert(exact == (tz_to_wall(z, t) == w));
			if (exact)
				exacts++;
			else
				gaps++;
		}
		/* A DST zone loses its gap's quarter hours once a year; Kolkata none. */
		if (strcmp(zones[i], "Asia/Kolkata") == 0)
			ck_assert_int_eq(gaps, 0);
		else if (strcmp(zones[i], "Australia/Lord_Howe") == 0)
			ck_assert_int_eq(gaps, 2);
		else
			ck_assert_int_eq(gaps, 4);
		ck_assert_int_gt(exacts, 35000);
	}
}
END_TEST

START_TEST(tz_rfc3339_format)
{
	char out[TZ_RFC3339_SIZE];
	const tz *l = Z("Europe/London");
	ck_assert(tz_format_rfc3339(l, U(2026, 3, 29, 8, 0), out));
	ck_assert_str_eq(out, "2026-03-29T09:00:00+01:00");
	ck_assert(tz_format_rfc3339(l, U(2026, 1, 15, 9, 5) + 7, out));
	ck_assert_str_eq(out, "2026-01-15T09:05:07+00:00");
	ck_assert(tz_format_rfc3339(Z("America/New_York"), U(2026, 11, 1, 5, 30), out));
	ck_assert_str_eq(out, "2026-11-01T01:30:00-04:00");
	ck_assert(tz_format_rfc3339(Z("America/New_York"), U(2026, 11, 1, 6, 30), out));
	ck_assert_str_eq(out, "2026-11-01T01:30:00-05:00");
	ck_assert(tz_format_rfc3339(Z("Asia/Tokyo"), U(2026, 6, 9, 15, 0), out));
	ck_assert_str_eq(out, "2026-06-10T00:00:00+09:00");
	ck_assert(!tz_format_rfc3339(Z("UTC"), U(10000, 1, 1, 0, 0), out));
	ck_assert_str_eq(out, "");
}
END_TEST

START_TEST(tz_rfc3339_parse)
{
	int64_t t;
	ck_assert(tz_parse_rfc3339("2026-03-29T09:00:00+01:00", 25, &t));
	ck_assert_int_eq(t, U(2026, 3, 29, 8, 0));
	ck_assert(tz_parse_rfc3339("2026-03-29T08:00:00Z", 20, &t));
	ck_assert_int_eq(t, U(2026, 3, 29, 8, 0));
	ck_assert(tz_parse_rfc3339("2026-03-29t08:00:00z", 20, &t));
	ck_assert_int_eq(t, U(2026, 3, 29, 8, 0));
	ck_assert(tz_parse_rfc3339("2026-03-29T08:00:00.000Z", 24, &t));
	ck_assert_int_eq(t, U(2026, 3, 29, 8, 0));
	ck_assert(tz_parse_rfc3339("2026-03-29T08:00:00.999999999-00:00", 35, &t));
	ck_assert_int_eq(t, U(2026, 3, 29, 8, 0));
	ck_assert(tz_parse_rfc3339("2026-06-01T12:00:00+05:30", 25, &t));
	ck_assert_int_eq(t, U(2026, 6, 1, 6, 30));
	ck_assert(tz_parse_rfc3339("2026-06-01T00:00:00-12:45", 25, &t));
	ck_assert_int_eq(t, U(2026, 6, 1, 12, 45));
	ck_assert(tz_parse_rfc3339("2024-02-29T23:59:59+14:00", 25, &t));
	ck_assert_int_eq(t, U(2024, 2, 29, 9, 59) + 59);

	static const char *const bad[] = {"2026-03-29T09:00:00",
	                                  "2026-03-29 09:00:00Z",
	                                  "2026-03-29T9:00:00Z",
	                                  "2026-03-29T09:00Z",
	                                  "2026-02-30T09:00:00Z",
	                                  "2026-13-01T09:00:00Z",
	                                  "2026-03-29T24:00:00Z",
	                                  "2026-03-29T09:60:00Z",
	                                  "2026-03-29T09:00:60Z",
	                                  "2026-03-29T09:00:00+0100",
	                                  "2026-03-29T09:00:00+01",
	                                  "2026-03-29T09:00:00+24:00",
	                                  "2026-03-29T09:00:00+01:60",
	                                  "2026-03-29T09:00:00.Z",
	                                  "2026-03-29T09:00:00.1234567890Z",
	                                  "2026-03-29T09:00:00Z ",
	                                  " 2026-03-29T09:00:00Z",
	                                  "2026-03-29T09:00:00ZZ",
	                                  "+2026-03-29T09:00:00Z",
	                                  "2026-03-29T09:00:00+01:00x",
	                                  "",
	                                  "2026-03-29T09:00:00X",
	                                  "2026/03/29T09:00:00Z",
	                                  "2026-03-29T09:00:00.5",
	                                  /* instants outside years 1..9999 UTC, which could
	                                   * not be written back (found by fuzz/fuzz_time.c) */
	                                  "0001-01-01T00:00:00+13:00",
	                                  "0001-01-01T00:00:00+00:01",
	                                  "9999-12-31T23:59:59-00:01",
	                                  "9999-12-31T23:00:00-23:59"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(!tz_parse_rfc3339(bad[i], strlen(bad[i]), &t), "%s must be refused",
		              bad[i]);
	ck_assert(!tz_parse_rfc3339(NULL, 0, &t));
	/* Length is what counts, not a NUL. */
	ck_assert(!tz_parse_rfc3339("2026-03-29T08:00:00Z", 19, &t));
	/* The ends of the range are fine, and read back. */
	char out[TZ_RFC3339_SIZE];
	ck_assert(tz_parse_rfc3339("0001-01-01T00:00:00Z", 20, &t));
	ck_assert_int_eq(t, TZ_FIRST_INSTANT);
	ck_assert(tz_format_rfc3339(Z("UTC"), t, out));
	ck_assert_str_eq(out, "0001-01-01T00:00:00+00:00");
	ck_assert(tz_parse_rfc3339("9999-12-31T23:59:59+00:00", 25, &t));
	ck_assert_int_eq(t, TZ_LAST_INSTANT);
	ck_assert(tz_parse_rfc3339("0001-01-01T00:00:00-01:00", 25, &t));
	ck_assert_int_eq(t, TZ_FIRST_INSTANT + 3600);
}
END_TEST

START_TEST(tz_rfc3339_round_trip)
{
	static const char *const zones[] = {"Europe/London",       "America/New_York",
	                                    "Asia/Kolkata",        "Pacific/Chatham",
	                                    "Australia/Lord_Howe", "UTC"};
	char out[TZ_RFC3339_SIZE];
	for (size_t i = 0; i < sizeof(zones) / sizeof(zones[0]); i++) {
		const tz *z = Z(zones[i]);
		for (int64_t t = U(2025, 12, 30, 0, 0); t < U(2027, 1, 2, 0, 0); t += 3541) {
			ck_assert(tz_format_rfc3339(z, t, out));
			int64_t back;
			ck_assert(tz_parse_rfc3339(out, strlen(out), &back));
			ck_assert_int_eq(back, t);
		}
	}
	/* Monrovia kept -00:44:30 until 1972: shown as -00:44 with the local time shifted. */
	const tz *m = Z("Africa/Monrovia");
	ck_assert(tz_format_rfc3339(m, U(1971, 6, 1, 12, 0), out));
	ck_assert_str_eq(out, "1971-06-01T11:16:00-00:44");
	int64_t back;
	ck_assert(tz_parse_rfc3339(out, strlen(out), &back));
	ck_assert_int_eq(back, U(1971, 6, 1, 12, 0));
}
END_TEST

static void *tz_thread(void *arg)
{
	static const char *const zones[] = {"Europe/Paris",   "America/Chicago",
	                                    "Asia/Kathmandu", "Australia/Adelaide",
	                                    "Europe/Paris",   "America/Chicago"};
	long id = (long)arg;
	long bad = 0;
	for (int round = 0; round < 50; round++) {
		const tz *z = tz_get(zones[(id + round) % 6]);
		if (!z)
			return (void *)1;
		for (int64_t w = W(2026, 3, 1, 0, 0); w < W(2026, 3, 2, 0, 0); w += 3600) {
			int64_t t = tz_from_wall(z, w, NULL);
			if (tz_to_wall(z, t) < w)
				bad++;
		}
	}
	return (void *)bad;
}

START_TEST(tz_many_threads)
{
	pthread_t th[8];
	for (long i = 0; i < 8; i++)
		ck_assert_int_eq(pthread_create(&th[i], NULL, tz_thread, (void *)i), 0);
	for (int i = 0; i < 8; i++) {
		void *r;
		pthread_join(th[i], &r);
		ck_assert_ptr_null(r);
	}
	ck_assert_ptr_eq(tz_get("Europe/Paris"), tz_get("Europe/Paris"));
	/* Kathmandu is +05:45. */
	ck_assert_int_eq(tz_offset_at(tz_get("Asia/Kathmandu"), U(2026, 1, 1, 0, 0)), 20700);
}
END_TEST

Suite *tz_suite(void)
{
	Suite *s = suite_create("tz");
	TCase *tc = tcase_create("tz");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, tz_refuses_unknown_names);
	tcase_add_test(tc, tz_loads_and_caches);
	tcase_add_test(tc, tz_london_transitions);
	tcase_add_test(tc, tz_london_gap_and_repeat);
	tcase_add_test(tc, tz_new_york);
	tcase_add_test(tc, tz_lord_howe_half_hour_dst);
	tcase_add_test(tc, tz_odd_offsets);
	tcase_add_test(tc, tz_midnight_in_gap);
	tcase_add_test(tc, tz_from_wall_is_earliest);
	tcase_add_test(tc, tz_rfc3339_format);
	tcase_add_test(tc, tz_rfc3339_parse);
	tcase_add_test(tc, tz_rfc3339_round_trip);
	tcase_add_test(tc, tz_many_threads);
	suite_add_tcase(s, tc);
	return s;
}
