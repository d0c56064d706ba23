/* test_avail_slots.c - appointment slots: hours, DST days in several zones, grid, overrides,
 * seasonal rules, closures, time off, buffers, capacity, notice, advance, "any provider",
 * provider + resource, zones of providers and clients. Expected instants are hand-computed
 * UTC times, written with U() from base/civil.h. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "avail_fixture.h"
#include "core/avail.h"

/* ---- plain days ---- */

START_TEST(slots_basic_day)
{
	fx *f = fx_new("Europe/London");
	f->svc.duration_s = 3600;
	f->svc.slot_interval_s = 3600;
	int p = fx_provider(f, "alice", NULL);
	fx_rule(f, p, 1, H(9, 0), H(17, 0)); /* Tuesdays */
	avail_result r = fx_slots(f, U(2026, 6, 8, 0, 0), U(2026, 6, 11, 0, 0));
	ck_assert_uint_eq(r.n_slots, 8); /* 09:00..16:00 BST = 08:00..15:00 UTC */
	expect_run(&r, 0, U(2026, 6, 9, 8, 0), U(2026, 6, 9, 15, 0), 3600);
	for (size_t i = 0; i < r.n_slots; i++) {
		ck_assert_int_eq(r.slots[i].end, r.slots[i].start + 3600);
		ck_assert_int_eq(r.slots[i].last_start, r.slots[i].start);
		ck_assert_int_eq(r.slots[i].seats_left, 1);
		expect_providers(&r.slots[i], "alice", NULL);
		ck_assert_ptr_null(r.slots[i].session_id);
		ck_assert_uint_eq(r.slots[i].n_resources, 0);
	}
	/* The query range cuts: starts in [from, to) only. */
	r = fx_slots(f, U(2026, 6, 9, 10, 0), U(2026, 6, 9, 12, 0));
	int64_t want[] = {U(2026, 6, 9, 10, 0), U(2026, 6, 9, 11, 0)};
	expect_starts(&r, want, N(want));
	r = fx_slots(f, U(2026, 6, 9, 10, 0), U(2026, 6, 9, 10, 0));
	ck_assert_uint_eq(r.n_slots, 0);
	fx_free(f);
}
END_TEST

START_TEST(slots_lunch_break)
{
	fx *f = fx_new("Europe/London");
	int p = fx_provider(f, "alice", NULL);
	fx_rule(f, p, 1, H(9, 0), H(12, 0));
	fx_rule(f, p, 1, H(13, 0), H(17, 0));
	avail_result r = fx_slots(f, U(2026, 6, 9, 0, 0), U(2026, 6, 10, 0, 0));
	ck_assert_uint_eq(r.n_slots, 11 + 15);
	expect_run(&r, 0, U(2026, 6, 9, 8, 0), U(2026, 6, 9, 10, 30), 900);
	expect_run(&r, 11, U(2026, 6, 9, 12, 0), U(2026, 6, 9, 15, 30), 900);
	ck_assert_ptr_null(find(&r, U(2026, 6, 9, 10, 45))); /* would run into lunch */
	ck_assert_ptr_null(find(&r, U(2026, 6, 9, 11, 30)));
	fx_free(f);
}
END_TEST

START_TEST(slots_touching_rules_merge)
{
	fx *f = fx_new("Europe/London");
	f->svc.duration_s = 3600;
	int p = fx_provider(f, "alice", NULL);
	fx_rule(f, p, 1, H(9, 0), H(12, 0));
	fx_rule(f, p, 1, H(12, 0), H(17, 0));
	fx_rule(f, p, 1, H(10, 0), H(11, 0)); /* overlapping rules are fine too */
	avail_result r = fx_slots(f, U(2026, 6, 9, 0, 0), U(2026, 6, 10, 0, 0));
	ck_assert_uint_eq(r.n_slots, 29);
	expect_run(&r, 0, U(2026, 6, 9, 8, 0), U(2026, 6, 9, 15, 0), 900);
	ck_assert_ptr_nonnull(find(&r, U(2026, 6, 9, 10, 30))); /* 11:30-12:30 across the seam */
	fx_free(f);
}
END_TEST

/* ---- DST ---- */

START_TEST(slots_london_spring_forward)
{
	/* 2026-03-29, a Sunday: 01:00 GMT jumps to 02:00 BST (01:00 UTC). */
	fx *f = fx_new("Europe/London");
	int p = fx_provider(f, "alice", NULL);
	fx_rule(f, p, 6, H(9, 0), H(17, 0));
	f->svc.slot_interval_s = 1800;
	avail_result r = fx_slots(f, U(2026, 3, 29, 0, 0), U(2026, 3, 29, 23, 0));
	ck_assert_uint_eq(r.n_slots, 16); /* 09:00-17:00 BST is 08:00-16:00 UTC */
	expect_run(&r, 0, U(2026, 3, 29, 8, 0), U(2026, 3, 29, 15, 30), 1800);
	/* The Sunday before, still GMT: 09:00 UTC. */
	r = fx_slots(f, U(2026, 3, 22, 0, 0), U(2026, 3, 23, 0, 0));
	ck_assert_int_eq(r.slots[0].start, U(2026, 3, 22, 9, 0));
	fx_free(f);
}
END_TEST

START_TEST(slots_london_gap_rule)
{
	/* A 01:00-04:00 rule on the spring-forward day is 01:00-03:00 UTC: two real hours. Grid
	 * times 01:00 and 01:30 do not exist that day and are skipped. */
	fx *f = fx_new("Europe/London");
	int p = fx_provider(f, "alice", NULL);
	fx_rule(f, p, 6, H(1, 0), H(4, 0));
	f->svc.slot_interval_s = 1800;
	avail_result r = fx_slots(f, U(2026, 3, 29, 0, 0), U(2026, 3, 29, 23, 0));
	int64_t want[] = {U(2026, 3, 29, 1, 0), U(2026, 3, 29, 1, 30), U(2026, 3, 29, 2, 0),
	                  U(2026, 3, 29, 2, 30)};
	expect_starts(&r, want, N(want));
	f->svc.slot_interval_s = 900;
	r = fx_slots(f, U(2026, 3, 29, 0, 0), U(2026, 3, 29, 23, 0));
	ck_assert_uint_eq(r.n_slots, 7);
	expect_run(&r, 0, U(2026, 3, 29, 1, 0), U(2026, 3, 29, 2, 30), 900);
	/* A two-hour service fits exactly; a 2h15 one does not. */
	f->svc.duration_s = 7200;
	r = fx_slots(f, U(2026, 3, 29, 0, 0), U(2026, 3, 29, 23, 0));
	int64_t one[] = {U(2026, 3, 29, 1, 0)};
	expect_starts(&r, one, 1);
	f->svc.duration_s = 8100;
	r = fx_slots(f, U(2026, 3, 29, 0, 0), U(2026, 3, 29, 23, 0));
	ck_assert_uint_eq(r.n_slots, 0);
	fx_free(f);
}
END_TEST

START_TEST(slots_london_fall_back)
{
	/* 2026-10-25: 02:00 BST goes back to 01:00 GMT (01:00 UTC). A 00:00-03:00 rule is
	 * 23:00 UTC (24th) to 03:00 UTC: four real hours. 01:00 and 01:30 occur twice; only
	 * their first occurrence (00:00 and 00:30 UTC) is a start. */
	fx *f = fx_new("Europe/London");
	int p = fx_provider(f, "alice", NULL);
	fx_rule(f, p, 6, H(0, 0), H(3, 0));
	f->svc.slot_interval_s = 1800;
	avail_result r = fx_slots(f, U(2026, 10, 24, 23, 0), U(2026, 10, 26, 0, 0));
	int64_t want[] = {U(2026, 10, 24, 23, 0), U(2026, 10, 24, 23, 30), U(2026, 10, 25, 0, 0),
	                  U(2026, 10, 25, 0, 30), U(2026, 10, 25, 2, 0),   U(2026, 10, 25, 2, 30)};
	expect_starts(&r, want, N(want));
	/* A 09:00-17:00 rule that day is 09:00-17:00 GMT. */
	fx_rule(f, p, 6, H(9, 0), H(17, 0));
	r = fx_slots(f, U(2026, 10, 25, 8, 0), U(2026, 10, 26, 0, 0));
	ck_assert_uint_eq(r.n_slots, 16);
	expect_run(&r, 0, U(2026, 10, 25, 9, 0), U(2026, 10, 25, 16, 30), 1800);
	fx_free(f);
}
END_TEST

START_TEST(slots_new_york_dst)
{
	fx *f = fx_new("America/New_York");
	int p = fx_provider(f, "alice", NULL);
	fx_rule(f, p, 6, H(1, 0), H(4, 0));
	fx_rule(f, p, 6, H(9, 0), H(17, 0));
	f->svc.slot_interval_s = 1800;
	/* 2026-03-08: 02:00 EST jumps to 03:00 EDT (07:00 UTC). 01:00-04:00 is 06:00-08:00 UTC;
	 * 02:00 and 02:30 are skipped. */
	avail_result r = fx_slots(f, U(2026, 3, 8, 5, 0), U(2026, 3, 9, 4, 0));
	ck_assert_uint_eq(r.n_slots, 4 + 16);
	int64_t night[] = {U(2026, 3, 8, 6, 0), U(2026, 3, 8, 6, 30), U(2026, 3, 8, 7, 0),
	                   U(2026, 3, 8, 7, 30)};
	for (size_t i = 0; i < N(night); i++)
		ck_assert_int_eq(r.slots[i].start, night[i]);
	expect_run(&r, 4, U(2026, 3, 8, 13, 0), U(2026, 3, 8, 20, 30), 1800);

	/* 2026-11-01: 02:00 EDT goes back to 01:00 EST (06:00 UTC). 01:00-04:00 local is
	 * 05:00-09:00 UTC; 01:00 and 01:30 start only at 05:00 and 05:30 UTC. */
	r = fx_slots(f, U(2026, 11, 1, 4, 0), U(2026, 11, 2, 5, 0));
	int64_t fall[] = {U(2026, 11, 1, 5, 0),  U(2026, 11, 1, 5, 30), U(2026, 11, 1, 7, 0),
	                  U(2026, 11, 1, 7, 30), U(2026, 11, 1, 8, 0),  U(2026, 11, 1, 8, 30)};
	ck_assert_uint_eq(r.n_slots, N(fall) + 16);
	for (size_t i = 0; i < N(fall); i++)
		ck_assert_int_eq(r.slots[i].start, fall[i]);
	ck_assert_ptr_null(find(&r, U(2026, 11, 1, 6, 0)));
	ck_assert_ptr_null(find(&r, U(2026, 11, 1, 6, 30)));
	expect_run(&r, N(fall), U(2026, 11, 1, 14, 0), U(2026, 11, 1, 21, 30), 1800);
	fx_free(f);
}
END_TEST

START_TEST(slots_lord_howe_half_hour_dst)
{
	/* 2026-10-04 02:00 (+10:30) jumps to 02:30 (+11) at 15:30 UTC on the 3rd. A 01:00-04:00
	 * rule is 14:30-17:00 UTC; the 02:00 and 02:15 grid times do not exist. */
	fx *f = fx_new("Australia/Lord_Howe");
	int p = fx_provider(f, "alice", NULL);
	fx_rule(f, p, 6, H(1, 0), H(4, 0));
	avail_result r = fx_slots(f, U(2026, 10, 3, 13, 30), U(2026, 10, 4, 13, 0));
	ck_assert_uint_eq(r.n_slots, 9);
	expect_run(&r, 0, U(2026, 10, 3, 14, 30), U(2026, 10, 3, 16, 30), 900);
	fx_free(f);
}
END_TEST

START_TEST(slots_odd_offsets)
{
	fx *f = fx_new("Asia/Kolkata");
	f->svc.duration_s = 3600;
	f->svc.slot_interval_s = 3600;
	int p = fx_provider(f, "alice", NULL);
	fx_rule(f, p, 0, H(9, 0), H(17, 0));
	avail_result r = fx_slots(f, U(2026, 6, 7, 18, 30), U(2026, 6, 8, 18, 30));
	ck_assert_uint_eq(r.n_slots, 8);
	expect_run(&r, 0, U(2026, 6, 8, 3, 30), U(2026, 6, 8, 10, 30), 3600);
	fx_free(f);

	/* Chatham, +12:45 in June: Monday 09:00-12:00 is Sunday 20:15-23:15 UTC. */
	f = fx_new("Pacific/Chatham");
	f->svc.duration_s = 3600;
	f->svc.slot_interval_s = 3600;
	p = fx_provider(f, "alice", NULL);
	fx_rule(f, p, 0, H(9, 0), H(12, 0));
	r = fx_slots(f, U(2026, 6, 6, 0, 0), U(2026, 6, 9, 0, 0));
	int64_t want[] = {U(2026, 6, 7, 20, 15), U(2026, 6, 7, 21, 15), U(2026, 6, 7, 22, 15)};
	expect_starts(&r, want, N(want));
	fx_free(f);
}
END_TEST

START_TEST(slots_client_zone_tokyo)
{
	/* A London salon open 09:00-17:00 daily; a customer in Tokyo asks for 2026-06-10 in
	 * Tokyo, i.e. [06-09 15:00Z, 06-10 15:00Z). The salon's late 9 June slots (16:00 and
	 * 16:30 BST) fall on Tokyo's 10 June, then London's 10 June until 15:00Z. */
	fx *f = fx_new("Europe/London");
	f->svc.slot_interval_s = 1800;
	int p = fx_provider(f, "alice", NULL);
	fx_every_day(f, p, H(9, 0), H(17, 0));
	const tz *tokyo = tz_get("Asia/Tokyo");
	int64_t from = tz_day_start(tokyo, D(2026, 6, 10), NULL);
	int64_t to = tz_day_start(tokyo, D(2026, 6, 11), NULL);
	ck_assert_int_eq(from, U(2026, 6, 9, 15, 0));
	ck_assert_int_eq(to, U(2026, 6, 10, 15, 0));
	avail_result r = fx_slots(f, from, to);
	ck_assert_uint_eq(r.n_slots, 2 + 14);
	ck_assert_int_eq(r.slots[0].start, U(2026, 6, 9, 15, 0));
	ck_assert_int_eq(r.slots[1].start, U(2026, 6, 9, 15, 30));
	expect_run(&r, 2, U(2026, 6, 10, 8, 0), U(2026, 6, 10, 14, 30), 1800);
	char out[TZ_RFC3339_SIZE];
	ck_assert(tz_format_rfc3339(tokyo, r.slots[0].start, out));
	ck_assert_str_eq(out, "2026-06-10T00:00:00+09:00");
	for (size_t i = 0; i < r.n_slots; i++)
		ck_assert_int_eq(tz_local_day(tokyo, r.slots[i].start), D(2026, 6, 10));
	fx_free(f);
}
END_TEST

START_TEST(slots_grid_not_dividing_the_hour)
{
	/* A 45-minute grid on London's spring-forward day: 01:30 does not exist, so 00:45 GMT
	 * and 02:15 BST are only 30 real minutes apart. */
	fx *f = fx_new("Europe/London");
	f->svc.duration_s = 900;
	f->svc.slot_interval_s = 2700;
	int p = fx_provider(f, "alice", NULL);
	fx_rule(f, p, 6, H(0, 0), H(6, 0));
	avail_result r = fx_slots(f, U(2026, 3, 29, 0, 0), U(2026, 3, 29, 23, 0));
	int64_t spring[] = {U(2026, 3, 29, 0, 0), U(2026, 3, 29, 0, 45), U(2026, 3, 29, 1, 15),
	                    U(2026, 3, 29, 2, 0), U(2026, 3, 29, 2, 45), U(2026, 3, 29, 3, 30),
	                    U(2026, 3, 29, 4, 15)};
	expect_starts(&r, spring, N(spring));
	/* Busy until 00:50 GMT: the next grid time on the wall clock, 01:30, does not exist; the
	 * end of the gap (02:00 BST) is no grid time; the next start is 02:15 BST. */
	fx_busy(f, p, U(2026, 3, 29, 0, 0), U(2026, 3, 29, 0, 50), 0, 0, 1, false);
	r = fx_slots(f, U(2026, 3, 29, 0, 0), U(2026, 3, 29, 23, 0));
	expect_starts(&r, spring + 2, N(spring) - 2);
	f->n_busy[p] = 0;
	/* Fall-back day, 00:00-04:00 local (five real hours): 01:30 counts once, at 00:30 UTC. */
	f->n_rules[p] = 0;
	fx_rule(f, p, 6, H(0, 0), H(4, 0));
	r = fx_slots(f, U(2026, 10, 24, 23, 0), U(2026, 10, 26, 0, 0));
	int64_t fall[] = {U(2026, 10, 24, 23, 0), U(2026, 10, 24, 23, 45), U(2026, 10, 25, 0, 30),
	                  U(2026, 10, 25, 2, 15), U(2026, 10, 25, 3, 0),   U(2026, 10, 25, 3, 45)};
	expect_starts(&r, fall, N(fall));
	fx_free(f);
}
END_TEST

START_TEST(slots_midnight_in_gap)
{
	/* Santiago, Sunday 2026-09-06: 00:00 (-04) jumps to 01:00 (-03) at 04:00 UTC. A
	 * 00:00-03:00 rule opens at the end of the gap: 04:00-06:00 UTC. 00:00 and 00:30 do not
	 * exist that day and are no starts. */
	fx *f = fx_new("America/Santiago");
	f->svc.slot_interval_s = 1800;
	int p = fx_provider(f, "alice", NULL);
	fx_rule(f, p, 6, H(0, 0), H(3, 0));
	avail_result r = fx_slots(f, U(2026, 9, 5, 4, 0), U(2026, 9, 7, 3, 0));
	int64_t want[] = {U(2026, 9, 6, 4, 0), U(2026, 9, 6, 4, 30), U(2026, 9, 6, 5, 0),
	                  U(2026, 9, 6, 5, 30)};
	expect_starts(&r, want, N(want));
	fx_free(f);
}
END_TEST

/* ---- midnight, buffers ---- */

START_TEST(slots_schedule_crossing_midnight)
{
	fx *f = fx_new("Europe/London");
	f->svc.duration_s = 3600;
	f->svc.slot_interval_s = 3600;
	int p = fx_provider(f, "alice", NULL);
	fx_rule(f, p, 4, H(22, 0), H(26, 0)); /* Friday 22:00 to Saturday 02:00 */
	avail_result r = fx_slots(f, U(2026, 6, 12, 0, 0), U(2026, 6, 14, 0, 0));
	int64_t want[] = {U(2026, 6, 12, 21, 0), U(2026, 6, 12, 22, 0), U(2026, 6, 12, 23, 0),
	                  U(2026, 6, 13, 0, 0)};
	expect_starts(&r, want, N(want));
	fx_free(f);

	/* Monday 20:00-24:00 and Tuesday 00:00-02:00 touch at midnight and merge: a 3-hour
	 * appointment may run across it. */
	f = fx_new("Europe/London");
	f->svc.duration_s = 3 * 3600;
	f->svc.slot_interval_s = 3600;
	p = fx_provider(f, "alice", NULL);
	fx_rule(f, p, 0, H(20, 0), H(24, 0));
	fx_rule(f, p, 1, H(0, 0), H(2, 0));
	r = fx_slots(f, U(2026, 6, 8, 0, 0), U(2026, 6, 10, 0, 0));
	int64_t across[] = {U(2026, 6, 8, 19, 0), U(2026, 6, 8, 20, 0), U(2026, 6, 8, 21, 0),
	                    U(2026, 6, 8, 22, 0)};
	expect_starts(&r, across, N(across));
	fx_free(f);
}
END_TEST

START_TEST(slots_buffers_cross_a_break)
{
	fx *f = fx_new("Europe/London");
	f->svc.buffer_before_s = 900;
	f->svc.buffer_after_s = 1800;
	int p = fx_provider(f, "alice", NULL);
	fx_rule(f, p, 1, H(9, 0), H(12, 0));
	fx_rule(f, p, 1, H(13, 0), H(17, 0));
	/* Another service's booking 13:00-14:00 BST with its own 15-minute buffer before. */
	fx_busy(f, p, U(2026, 6, 9, 12, 0), U(2026, 6, 9, 13, 0), 900, 0, 1, false);
	avail_result r = fx_slots(f, U(2026, 6, 9, 0, 0), U(2026, 6, 10, 0, 0));
	/* 09:00 BST: its buffer before reaches outside hours, allowed. */
	ck_assert_ptr_nonnull(find(&r, U(2026, 6, 9, 8, 0)));
	/* 11:30 BST: the appointment ends at 12:00, its 30-minute buffer lies in lunch. */
	ck_assert_ptr_nonnull(find(&r, U(2026, 6, 9, 10, 30)));
	ck_assert_ptr_null(find(&r, U(2026, 6, 9, 10, 45)));
	/* 14:00 BST: its 15-minute buffer before overlaps the booking; 14:15 only touches. */
	ck_assert_ptr_null(find(&r, U(2026, 6, 9, 13, 0)));
	ck_assert_ptr_nonnull(find(&r, U(2026, 6, 9, 13, 15)));
	ck_assert_uint_eq(r.n_slots, 11 + 10);
	fx_free(f);
}
END_TEST

START_TEST(slots_buffers_cross_a_day)
{
	/* Open around the clock. A booking Monday 23:00-23:30 BST whose service keeps an hour
	 * after it is busy until Tuesday 00:30 BST (23:30 UTC). */
	fx *f = fx_new("Europe/London");
	f->svc.buffer_before_s = 1800;
	int p = fx_provider(f, "alice", NULL);
	fx_every_day(f, p, H(0, 0), H(24, 0));
	fx_busy(f, p, U(2026, 6, 8, 22, 0), U(2026, 6, 8, 22, 30), 0, 3600, 1, false);
	avail_result r = fx_slots(f, U(2026, 6, 8, 20, 0), U(2026, 6, 9, 2, 0));
	ck_assert_ptr_nonnull(find(&r, U(2026, 6, 8, 21, 30))); /* ends 22:00 as it starts */
	ck_assert_ptr_null(find(&r, U(2026, 6, 8, 21, 45)));
	ck_assert_ptr_null(find(&r, U(2026, 6, 8, 23, 45)));  /* buffer before hits 23:30 */
	ck_assert_ptr_nonnull(find(&r, U(2026, 6, 9, 0, 0))); /* Tuesday 01:00 BST */
	ck_assert_uint_eq(r.n_slots, 7 + 8);
	fx_free(f);
}
END_TEST

/* ---- overrides, seasons, closures, time off ---- */

START_TEST(slots_override_closes_and_opens)
{
	fx *f = fx_new("Europe/London");
	f->svc.duration_s = 3600;
	f->svc.slot_interval_s = 3600;
	int p = fx_provider(f, "alice", NULL);
	for (int wd = 0; wd < 5; wd++)
		fx_rule(f, p, wd, H(9, 0), H(17, 0));
	fx_override(f, p, D(2026, 6, 10), true, 0, 0);                /* Wednesday closed */
	fx_override(f, p, D(2026, 6, 14), false, H(10, 0), H(14, 0)); /* Sunday opened */
	fx_override(f, p, D(2026, 6, 8), false, H(9, 0), H(10, 0));   /* Monday: two ranges */
	fx_override(f, p, D(2026, 6, 8), false, H(15, 0), H(16, 0));
	fx_override(f, p, D(2026, 6, 11), false, H(9, 0), H(17, 0)); /* Thursday: open and closed */
	fx_override(f, p, D(2026, 6, 11), true, 0, 0);
	avail_result r = fx_slots(f, U(2026, 6, 8, 0, 0), U(2026, 6, 15, 0, 0));
	int64_t want[] = {U(2026, 6, 8, 8, 0),   U(2026, 6, 8, 14, 0), /* Mon */
	                  U(2026, 6, 9, 8, 0),   U(2026, 6, 9, 9, 0),   U(2026, 6, 9, 10, 0),
	                  U(2026, 6, 9, 11, 0),  U(2026, 6, 9, 12, 0),  U(2026, 6, 9, 13, 0),
	                  U(2026, 6, 9, 14, 0),  U(2026, 6, 9, 15, 0),  U(2026, 6, 12, 8, 0),
	                  U(2026, 6, 12, 9, 0),  U(2026, 6, 12, 10, 0), U(2026, 6, 12, 11, 0),
	                  U(2026, 6, 12, 12, 0), U(2026, 6, 12, 13, 0), U(2026, 6, 12, 14, 0),
	                  U(2026, 6, 12, 15, 0), U(2026, 6, 14, 9, 0),  U(2026, 6, 14, 10, 0),
	                  U(2026, 6, 14, 11, 0), U(2026, 6, 14, 12, 0)};
	expect_starts(&r, want, N(want));
	fx_free(f);
}
END_TEST

START_TEST(slots_seasonal_rules)
{
	fx *f = fx_new("Europe/London");
	f->svc.duration_s = 3600;
	f->svc.slot_interval_s = 3600;
	int p = fx_provider(f, "alice", NULL);
	/* Summer hours from 1 July: Mondays 10-14 instead of 9-17, Tuesdays 12-18. */
	fx_rule_v(f, p, 0, H(9, 0), H(17, 0), INT64_MIN, D(2026, 6, 30));
	fx_rule_v(f, p, 0, H(10, 0), H(14, 0), D(2026, 7, 1), INT64_MIN);
	fx_rule_v(f, p, 1, H(9, 0), H(17, 0), INT64_MIN, D(2026, 6, 30));
	fx_rule_v(f, p, 1, H(12, 0), H(18, 0), D(2026, 7, 1), INT64_MIN);
	/* A one-day rule on a Wednesday, from and to the same date. */
	fx_rule_v(f, p, 2, H(9, 0), H(10, 0), D(2026, 7, 8), D(2026, 7, 8));
	avail_result r = fx_slots(f, U(2026, 6, 29, 0, 0), U(2026, 7, 16, 0, 0));
	ck_assert_uint_eq(r.n_slots, 8 + 8 + 4 + 6 + 1 + 4 + 6);
	expect_run(&r, 0, U(2026, 6, 29, 8, 0), U(2026, 6, 29, 15, 0), 3600); /* Mon, old */
	expect_run(&r, 8, U(2026, 6, 30, 8, 0), U(2026, 6, 30, 15, 0),
	           3600);                                                    /* Tue, last old day */
	expect_run(&r, 16, U(2026, 7, 6, 9, 0), U(2026, 7, 6, 12, 0), 3600); /* Mon, summer */
	expect_run(&r, 20, U(2026, 7, 7, 11, 0), U(2026, 7, 7, 16, 0), 3600); /* Tue, summer */
	ck_assert_int_eq(r.slots[26].start, U(2026, 7, 8, 8, 0)); /* the one Wednesday */

	/* An override replaces the seasonal rule of its date too. */
	fx_override(f, p, D(2026, 7, 6), false, H(16, 0), H(17, 0));
	r = fx_slots(f, U(2026, 7, 6, 0, 0), U(2026, 7, 7, 0, 0));
	int64_t want[] = {U(2026, 7, 6, 15, 0)};
	expect_starts(&r, want, 1);
	fx_free(f);
}
END_TEST

START_TEST(slots_closure_beats_override)
{
	fx *f = fx_new("Europe/London");
	f->svc.duration_s = 3600;
	f->svc.slot_interval_s = 3600;
	int p = fx_provider(f, "alice", NULL);
	fx_every_day(f, p, H(9, 0), H(17, 0));
	fx_override(f, p, D(2026, 6, 10), false, H(9, 0), H(17, 0));
	f->closures[f->n_closures++] = D(2026, 6, 10);
	avail_result r = fx_slots(f, U(2026, 6, 9, 0, 0), U(2026, 6, 12, 0, 0));
	ck_assert_uint_eq(r.n_slots, 16);
	for (size_t i = 0; i < r.n_slots; i++)
		ck_assert_int_ne(tz_local_day(f->req.business_zone, r.slots[i].start),
		                 D(2026, 6, 10));
	fx_free(f);
}
END_TEST

START_TEST(slots_closure_and_night_shift)
{
	/* A Tuesday night shift 22:00-02:00. A Wednesday closure removes the part after
	 * midnight; a Tuesday closure removes the whole shift (it belongs to Tuesday). */
	fx *f = fx_new("Europe/London");
	f->svc.duration_s = 3600;
	f->svc.slot_interval_s = 3600;
	int p = fx_provider(f, "alice", NULL);
	fx_rule(f, p, 1, H(22, 0), H(26, 0));
	f->closures[f->n_closures++] = D(2026, 6, 10);
	avail_result r = fx_slots(f, U(2026, 6, 9, 0, 0), U(2026, 6, 11, 0, 0));
	int64_t want[] = {U(2026, 6, 9, 21, 0), U(2026, 6, 9, 22, 0)};
	expect_starts(&r, want, N(want));
	f->closures[0] = D(2026, 6, 9);
	r = fx_slots(f, U(2026, 6, 9, 0, 0), U(2026, 6, 11, 0, 0));
	ck_assert_uint_eq(r.n_slots, 0);
	fx_free(f);
}
END_TEST

START_TEST(slots_time_off_several_days)
{
	fx *f = fx_new("Europe/London");
	f->svc.duration_s = 3600;
	f->svc.slot_interval_s = 3600;
	int p = fx_provider(f, "alice", NULL);
	fx_every_day(f, p, H(9, 0), H(17, 0));
	/* Off from Wednesday 12:00 BST to Friday 10:00 BST. */
	fx_off(f, p, U(2026, 6, 10, 11, 0), U(2026, 6, 12, 9, 0));
	avail_result r = fx_slots(f, U(2026, 6, 10, 0, 0), U(2026, 6, 13, 0, 0));
	ck_assert_uint_eq(r.n_slots, 3 + 7);
	expect_run(&r, 0, U(2026, 6, 10, 8, 0), U(2026, 6, 10, 10, 0), 3600);
	expect_run(&r, 3, U(2026, 6, 12, 9, 0), U(2026, 6, 12, 15, 0), 3600);
	fx_free(f);
}
END_TEST

/* ---- seats, notice, window ---- */

START_TEST(slots_capacity_one)
{
	fx *f = fx_new("Europe/London");
	int p = fx_provider(f, "alice", NULL);
	fx_rule(f, p, 1, H(9, 0), H(12, 0));
	fx_busy(f, p, U(2026, 6, 9, 9, 0), U(2026, 6, 9, 9, 30), 0, 0, 1, true);
	avail_result r = fx_slots(f, U(2026, 6, 9, 0, 0), U(2026, 6, 10, 0, 0));
	ck_assert_ptr_null(find(&r, U(2026, 6, 9, 9, 0)));
	ck_assert_ptr_null(find(&r, U(2026, 6, 9, 8, 45)));
	ck_assert_ptr_nonnull(find(&r, U(2026, 6, 9, 8, 30))); /* ends as the booking starts */
	ck_assert_ptr_nonnull(find(&r, U(2026, 6, 9, 9, 30)));
	ck_assert_uint_eq(r.n_slots, 11 - 3);
	/* Two seats are never possible with one provider of a one-seat service. */
	r = fx_slots_q(f, U(2026, 6, 9, 0, 0), U(2026, 6, 10, 0, 0), U(2025, 1, 1, 0, 0), NULL, 2);
	ck_assert_uint_eq(r.n_slots, 0);
	fx_free(f);
}
END_TEST

START_TEST(slots_capacity_twelve)
{
	fx *f = fx_new("Europe/London");
	f->svc.capacity = 12;
	f->svc.slot_interval_s = 1800;
	int p = fx_provider(f, "alice", NULL);
	int q = fx_provider(f, "bob", NULL);
	fx_rule(f, p, 1, H(9, 0), H(12, 0));
	fx_rule(f, q, 1, H(9, 0), H(12, 0));
	fx_busy(f, p, U(2026, 6, 9, 8, 0), U(2026, 6, 9, 8, 30), 0, 0, 5, true);  /* shares 09:00 */
	fx_busy(f, p, U(2026, 6, 9, 9, 0), U(2026, 6, 9, 9, 30), 0, 0, 12, true); /* 10:00 full */
	fx_busy(f, q, U(2026, 6, 9, 9, 45), U(2026, 6, 9, 10, 15), 0, 0, 1, true);  /* off-grid */
	fx_busy(f, q, U(2026, 6, 9, 10, 30), U(2026, 6, 9, 11, 0), 0, 0, 1, false); /* other */
	avail_result r = fx_slots(f, U(2026, 6, 9, 0, 0), U(2026, 6, 10, 0, 0));
	const avail_slot *s = find(&r, U(2026, 6, 9, 8, 0));
	expect_providers(s, "alice", "bob");
	ck_assert_int_eq(s->seats_left, 7 + 12);
	s = find(&r, U(2026, 6, 9, 9, 0)); /* alice full; bob free */
	expect_providers(s, "bob", NULL);
	ck_assert_int_eq(s->seats_left, 12);
	s = find(&r, U(2026, 6, 9, 9, 30)); /* bob blocked by a same-service booking at 10:45 */
	expect_providers(s, "alice", NULL);
	s = find(&r, U(2026, 6, 9, 10, 0));
	expect_providers(s, "alice", NULL);
	s = find(&r, U(2026, 6, 9, 10, 30)); /* bob blocked by the other service */
	expect_providers(s, "alice", NULL);
	ck_assert_int_eq(s->seats_left, 12);

	/* Eight seats: alice's 7 at 09:00 are not enough, bob's 12 are. */
	r = fx_slots_q(f, U(2026, 6, 9, 0, 0), U(2026, 6, 10, 0, 0), U(2025, 1, 1, 0, 0), NULL, 8);
	s = find(&r, U(2026, 6, 9, 8, 0));
	expect_providers(s, "bob", NULL);
	ck_assert_int_eq(s->seats_left, 12);
	r = fx_slots_q(f, U(2026, 6, 9, 0, 0), U(2026, 6, 10, 0, 0), U(2025, 1, 1, 0, 0), NULL, 13);
	ck_assert_uint_eq(r.n_slots, 0);
	fx_free(f);
}
END_TEST

START_TEST(slots_min_notice_mid_slot)
{
	fx *f = fx_new("Europe/London");
	f->svc.min_notice_s = 3600;
	int p = fx_provider(f, "alice", NULL);
	fx_every_day(f, p, H(9, 0), H(17, 0));
	/* Now 10:07 BST: the first start must be at or after 11:07, so 11:15. */
	int64_t now = U(2026, 6, 9, 9, 7);
	avail_result r = fx_slots_q(f, U(2026, 6, 9, 0, 0), U(2026, 6, 10, 0, 0), now, NULL, 1);
	ck_assert_int_eq(r.slots[0].start, U(2026, 6, 9, 10, 15));
	expect_run(&r, 0, U(2026, 6, 9, 10, 15), U(2026, 6, 9, 15, 30), 900);
	/* Exactly on the notice boundary is allowed. */
	now = U(2026, 6, 9, 9, 15);
	r = fx_slots_q(f, U(2026, 6, 9, 0, 0), U(2026, 6, 10, 0, 0), now, NULL, 1);
	ck_assert_int_eq(r.slots[0].start, U(2026, 6, 9, 10, 15));
	fx_free(f);
}
END_TEST

START_TEST(slots_max_advance)
{
	fx *f = fx_new("Europe/London");
	f->svc.duration_s = 3600;
	f->svc.slot_interval_s = 3600;
	f->svc.max_advance_s = 7 * 86400;
	int p = fx_provider(f, "alice", NULL);
	fx_every_day(f, p, H(9, 0), H(17, 0));
	int64_t now = U(2026, 6, 1, 8, 0);
	avail_result r = fx_slots_q(f, U(2026, 6, 1, 0, 0), U(2026, 6, 15, 0, 0), now, NULL, 1);
	ck_assert_uint_eq(r.n_slots, 7 * 8 + 1);
	ck_assert_int_eq(r.slots[0].start, U(2026, 6, 1, 8, 0)); /* now itself, no notice */
	ck_assert_int_eq(r.slots[r.n_slots - 1].start, U(2026, 6, 8, 8, 0)); /* now + 7 days */
	fx_free(f);
}
END_TEST

/* ---- providers and resources ---- */

START_TEST(slots_any_provider_union)
{
	fx *f = fx_new("Europe/London");
	f->svc.duration_s = 3600;
	f->svc.slot_interval_s = 3600;
	int a = fx_provider(f, "alice", NULL);
	int b = fx_provider(f, "bob", NULL);
	fx_rule(f, a, 1, H(9, 0), H(12, 0));
	fx_rule(f, b, 1, H(11, 0), H(17, 0));
	avail_result r = fx_slots(f, U(2026, 6, 9, 0, 0), U(2026, 6, 10, 0, 0));
	ck_assert_uint_eq(r.n_slots, 8);
	expect_providers(&r.slots[0], "alice", NULL);
	expect_providers(&r.slots[1], "alice", NULL);
	expect_providers(&r.slots[2], "alice", "bob");
	ck_assert_int_eq(r.slots[2].seats_left, 2);
	expect_providers(&r.slots[3], "bob", NULL);
	ck_assert_int_eq(r.slots[3].seats_left, 1);

	r = fx_slots_q(f, U(2026, 6, 9, 0, 0), U(2026, 6, 10, 0, 0), U(2025, 1, 1, 0, 0), "bob", 1);
	ck_assert_uint_eq(r.n_slots, 6);
	for (size_t i = 0; i < r.n_slots; i++)
		expect_providers(&r.slots[i], "bob", NULL);

	avail_query q = {U(2026, 6, 9, 0, 0), U(2026, 6, 10, 0, 0), 0, 1, "carol"};
	ck_assert_int_eq(avail_slots(fx_req(f), &q, f->a, &r), STATUS_NOT_FOUND);
	fx_free(f);
}
END_TEST

START_TEST(slots_provider_and_resource)
{
	fx *f = fx_new("Europe/London");
	f->svc.duration_s = 3600;
	f->svc.slot_interval_s = 3600;
	f->svc.needs_resource = true;
	int a = fx_provider(f, "alice", NULL);
	int b = fx_provider(f, "bob", NULL);
	int room = fx_resource(f, "room1");
	fx_rule(f, a, 1, H(9, 0), H(17, 0));
	fx_rule(f, b, 1, H(9, 0), H(17, 0));
	fx_rule(f, room, 1, H(9, 0), H(17, 0));
	fx_busy(f, room, U(2026, 6, 9, 9, 0), U(2026, 6, 9, 10, 0), 0, 0, 1, false);
	fx_busy(f, a, U(2026, 6, 9, 10, 0), U(2026, 6, 9, 11, 0), 0, 0, 1, false);
	avail_result r = fx_slots(f, U(2026, 6, 9, 0, 0), U(2026, 6, 10, 0, 0));
	ck_assert_uint_eq(r.n_slots, 7);
	const avail_slot *s = find(&r, U(2026, 6, 9, 8, 0));
	expect_providers(s, "alice", "bob");
	ck_assert_uint_eq(s->n_resources, 1);
	ck_assert_str_eq(s->resources[0], "room1");
	ck_assert_int_eq(s->seats_left, 1); /* two providers, one room */
	ck_assert_ptr_null(find(&r, U(2026, 6, 9, 9, 0)));
	s = find(&r, U(2026, 6, 9, 10, 0));
	expect_providers(s, "bob", NULL);

	/* A second room open only in the morning doubles the morning seats. */
	int room2 = fx_resource(f, "room2");
	fx_rule(f, room2, 1, H(9, 0), H(12, 0));
	r = fx_slots(f, U(2026, 6, 9, 0, 0), U(2026, 6, 10, 0, 0));
	s = find(&r, U(2026, 6, 9, 8, 0));
	ck_assert_int_eq(s->seats_left, 2);
	ck_assert_uint_eq(s->n_resources, 2);
	s = find(&r, U(2026, 6, 9, 9, 0));
	ck_assert_uint_eq(s->n_resources, 1);
	ck_assert_str_eq(s->resources[0], "room2");
	s = find(&r, U(2026, 6, 9, 10, 0));
	ck_assert_int_eq(s->seats_left, 1); /* one provider, two rooms */
	s = find(&r, U(2026, 6, 9, 12, 0));
	ck_assert_uint_eq(s->n_resources, 1);
	fx_free(f);

	/* Without any resource, nothing. */
	f = fx_new("Europe/London");
	f->svc.needs_resource = true;
	a = fx_provider(f, "alice", NULL);
	fx_rule(f, a, 1, H(9, 0), H(17, 0));
	r = fx_slots(f, U(2026, 6, 9, 0, 0), U(2026, 6, 10, 0, 0));
	ck_assert_uint_eq(r.n_slots, 0);
	fx_free(f);
}
END_TEST

START_TEST(slots_resource_capacity_counts)
{
	/* A treatment room with two beds (capacity 2): two massages at once, a third waits; the
	 * overlap that counts is at one instant, not over the whole range. */
	fx *f = fx_new("Europe/London");
	f->svc.duration_s = 3600;
	f->svc.slot_interval_s = 1800;
	f->svc.needs_resource = true;
	int a = fx_provider(f, "alice", NULL);
	int b = fx_provider(f, "bob", NULL);
	int c = fx_provider(f, "carl", NULL);
	int room = fx_resource(f, "room");
	f->res[room - FX_MAX].capacity = 2;
	fx_rule(f, a, 1, H(9, 0), H(17, 0));
	fx_rule(f, b, 1, H(9, 0), H(17, 0));
	fx_rule(f, c, 1, H(9, 0), H(17, 0));
	fx_rule(f, room, 1, H(9, 0), H(17, 0));
	int64_t now = U(2026, 6, 1, 0, 0);

	/* Empty: seats_left is the room's 2, not the three providers' 3 nor one. */
	avail_result r = fx_slots_q(f, U(2026, 6, 9, 0, 0), U(2026, 6, 10, 0, 0), now, NULL, 1);
	const avail_slot *s = find(&r, U(2026, 6, 9, 8, 0));
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(s->seats_left, 2);
	ck_assert_uint_eq(s->n_providers, 3);

	/* alice in the room 10:00-11:00 (BST: 09:00 UTC); bob in it 10:30-11:30. */
	fx_busy(f, a, U(2026, 6, 9, 9, 0), U(2026, 6, 9, 10, 0), 0, 0, 1, false);
	fx_busy(f, room, U(2026, 6, 9, 9, 0), U(2026, 6, 9, 10, 0), 0, 0, 1, false);
	fx_busy(f, b, U(2026, 6, 9, 9, 30), U(2026, 6, 9, 10, 30), 0, 0, 1, false);
	fx_busy(f, room, U(2026, 6, 9, 9, 30), U(2026, 6, 9, 10, 30), 0, 0, 1, false);
	r = fx_slots_q(f, U(2026, 6, 9, 0, 0), U(2026, 6, 10, 0, 0), now, NULL, 1);
	s = find(&r, U(2026, 6, 9, 8, 30)); /* 09:30-10:30: alice's booking only at 10:00 */
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(s->seats_left, 1);
	ck_assert_ptr_null(find(&r, U(2026, 6, 9, 9, 0)));  /* 10:00: both beds from 10:30 */
	ck_assert_ptr_null(find(&r, U(2026, 6, 9, 9, 30))); /* 10:30: both beds */
	s = find(&r, U(2026, 6, 9, 10, 0)); /* 11:00-12:00: bob's until 11:30 only */
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(s->seats_left, 1);
	expect_providers(s, "alice", "carl");
	avail_pick p = {U(2026, 6, 9, 9, 0), 0, now, 1, "carl"};
	ck_assert(!avail_check(fx_req(f), &p, f->a, NULL));
	ck_assert_int_eq(avail_explain(fx_req(f), &p, f->a), AVAIL_REASON_NO_RESOURCE);
	fx_free(f);

	/* A couples' massage (a group service of 2 seats, one provider): a room with two beds
	 * takes the pair (seats=2); a room with one bed cannot, and takes one person at a time. */
	for (int beds = 1; beds <= 2; beds++) {
		f = fx_new("Europe/London");
		f->svc.duration_s = 3600;
		f->svc.slot_interval_s = 3600;
		f->svc.capacity = 2;
		f->svc.needs_resource = true;
		a = fx_provider(f, "alice", NULL);
		room = fx_resource(f, "room");
		f->res[room - FX_MAX].capacity = beds;
		fx_rule(f, a, 1, H(9, 0), H(17, 0));
		fx_rule(f, room, 1, H(9, 0), H(17, 0));
		r = fx_slots_q(f, U(2026, 6, 9, 0, 0), U(2026, 6, 10, 0, 0), now, NULL, 2);
		ck_assert_uint_eq(r.n_slots, beds == 2 ? 8 : 0);
		r = fx_slots_q(f, U(2026, 6, 9, 0, 0), U(2026, 6, 10, 0, 0), now, NULL, 1);
		ck_assert_int_eq(find(&r, U(2026, 6, 9, 8, 0))->seats_left, beds);
		/* One person booked at 09:00: with one bed the room is full then. */
		fx_busy(f, a, U(2026, 6, 9, 8, 0), U(2026, 6, 9, 9, 0), 0, 0, 1, true);
		fx_busy(f, room, U(2026, 6, 9, 8, 0), U(2026, 6, 9, 9, 0), 0, 0, 1, true);
		r = fx_slots_q(f, U(2026, 6, 9, 0, 0), U(2026, 6, 10, 0, 0), now, NULL, 1);
		s = find(&r, U(2026, 6, 9, 8, 0));
		if (beds == 1)
			ck_assert_ptr_null(s);
		else
			ck_assert_int_eq(s->seats_left, 1);
		fx_free(f);
	}
}
END_TEST

START_TEST(slots_provider_zones)
{
	/* A London business with a provider working New York hours and one working Kolkata
	 * hours. A London closure on Wednesday drops that date's rules and London's whole
	 * Wednesday (23:00Z Tue to 23:00Z Wed). */
	fx *f = fx_new("Europe/London");
	f->svc.duration_s = 3600;
	f->svc.slot_interval_s = 3600;
	int ny = fx_provider(f, "ny", "America/New_York");
	int in = fx_provider(f, "in", "Asia/Kolkata");
	fx_every_day(f, ny, H(9, 0), H(17, 0));
	fx_rule(f, in, 1, H(9, 0), H(11, 0));
	f->closures[f->n_closures++] = D(2026, 6, 10);
	avail_result r = fx_slots(f, U(2026, 6, 9, 0, 0), U(2026, 6, 12, 0, 0));
	ck_assert_uint_eq(r.n_slots, 2 + 8 + 8);
	ck_assert_int_eq(r.slots[0].start, U(2026, 6, 9, 3, 30)); /* 09:00 IST */
	expect_providers(&r.slots[0], "in", NULL);
	ck_assert_int_eq(r.slots[1].start, U(2026, 6, 9, 4, 30));
	expect_run(&r, 2, U(2026, 6, 9, 13, 0), U(2026, 6, 9, 20, 0), 3600); /* 09:00 EDT */
	expect_providers(&r.slots[2], "ny", NULL);
	expect_run(&r, 10, U(2026, 6, 11, 13, 0), U(2026, 6, 11, 20, 0), 3600);
	fx_free(f);
}
END_TEST

START_TEST(slots_bad_requests)
{
	fx *f = fx_new("Europe/London");
	int p = fx_provider(f, "alice", NULL);
	fx_rule(f, p, 1, H(9, 0), H(17, 0));
	const avail_request *req = fx_req(f);
	avail_result r;
	avail_query q = {U(2026, 6, 9, 0, 0), U(2026, 6, 10, 0, 0), U(2026, 6, 1, 0, 0), 1, NULL};
	ck_assert_int_eq(avail_slots(req, &q, f->a, &r), STATUS_OK);
	ck_assert_uint_gt(r.n_slots, 0);
	q.to = q.from - 1;
	ck_assert_int_eq(avail_slots(req, &q, f->a, &r), STATUS_INVALID);
	ck_assert_uint_eq(r.n_slots, 0);
	q.to = q.from + AVAIL_MAX_RANGE_S + 1;
	ck_assert_int_eq(avail_slots(req, &q, f->a, &r), STATUS_INVALID);
	q.to = q.from + 86400;
	q.seats = -1;
	ck_assert_int_eq(avail_slots(req, &q, f->a, &r), STATUS_INVALID);
	q.seats = 0; /* means one */
	ck_assert_int_eq(avail_slots(req, &q, f->a, &r), STATUS_OK);
	ck_assert_uint_gt(r.n_slots, 0);
	f->svc.slot_interval_s = 0;
	ck_assert_int_eq(avail_slots(fx_req(f), &q, f->a, &r), STATUS_INVALID);
	f->svc.slot_interval_s = 900;
	f->req.business_zone = NULL;
	ck_assert_int_eq(avail_slots(fx_req(f), &q, f->a, &r), STATUS_INVALID);
	/* Rules out of bounds contribute nothing rather than failing. */
	f->req.business_zone = tz_get("Europe/London");
	f->n_rules[p] = 0;
	fx_rule(f, p, 7, H(9, 0), H(17, 0));
	fx_rule(f, p, 1, H(17, 0), H(9, 0));
	fx_rule(f, p, 1, -60, H(9, 0));
	fx_rule(f, p, 1, H(9, 0), 2881);
	ck_assert_int_eq(avail_slots(fx_req(f), &q, f->a, &r), STATUS_OK);
	ck_assert_uint_eq(r.n_slots, 0);
	fx_free(f);
}
END_TEST

START_TEST(slots_forty_providers_merge_by_heap)
{
	/* More than 32 providers take the heap merge: every start lists each one free then. */
	fx *f = fx_new("Europe/London");
	static char names[40][8];
	for (int i = 0; i < 40; i++) {
		snprintf(names[i], sizeof(names[i]), "q%02d", i);
		int p = fx_provider(f, names[i], NULL);
		fx_every_day(f, p, H(9, 0), H(12, 0));
		if (i == 7) /* one of them busy 10:00-11:00 local (09:00-10:00Z) on the 15th */
			fx_busy(f, p, U(2026, 6, 15, 9, 0), U(2026, 6, 15, 10, 0), 0, 0, 1, false);
	}
	avail_result r = fx_slots(f, U(2026, 6, 15, 0, 0), U(2026, 6, 16, 0, 0));
	ck_assert_uint_gt(r.n_slots, 0);
	size_t busy_starts = 0;
	for (size_t i = 0; i < r.n_slots; i++) {
		const avail_slot *s = &r.slots[i];
		bool q07_busy = s->start < U(2026, 6, 15, 10, 0) && s->end > U(2026, 6, 15, 9, 0);
		ck_assert_uint_eq(s->n_providers, q07_busy ? 39 : 40);
		ck_assert_int_eq(s->seats_left, (int)s->n_providers);
		bool has_q07 = false;
		for (size_t k = 0; k < s->n_providers; k++)
			has_q07 = has_q07 || strcmp(s->providers[k], "q07") == 0;
		ck_assert(has_q07 == !q07_busy);
		busy_starts += q07_busy;
	}
	ck_assert_uint_gt(busy_starts, 0);
	fx_free(f);
}
END_TEST

START_TEST(slots_many_providers_one_grid)
{
	/* Eight providers over thirty days: every start lists all who are free, in order. */
	fx *f = fx_new("Europe/London");
	static const char *const names[] = {"p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7"};
	for (int i = 0; i < 8; i++) {
		int p = fx_provider(f, names[i], NULL);
		fx_every_day(f, p, H(9, 0), H(12, 0));
		fx_every_day(f, p, H(13, 0), H(17, 0));
		/* Each provider busy one hour a day at a different time. */
		for (int d = 0; d < 30; d++)
			fx_busy(f, p, U(2026, 6, 1 + d, 8 + i, 0), U(2026, 6, 1 + d, 9 + i, 0), 0,
			        0, 1, false);
	}
	avail_result r = fx_slots(f, U(2026, 6, 1, 0, 0), U(2026, 7, 1, 0, 0));
	ck_assert_uint_eq(r.n_slots, 30 * 26);
	const avail_slot *s = find(&r, U(2026, 6, 15, 8, 0)); /* p0 busy 08:00-09:00Z */
	ck_assert_uint_eq(s->n_providers, 7);
	ck_assert_str_eq(s->providers[0], "p1");
	ck_assert_int_eq(s->seats_left, 7);
	s = find(&r, U(2026, 6, 15, 12, 30)); /* p4 busy 12:00-13:00Z */
	ck_assert_uint_eq(s->n_providers, 7);
	ck_assert_str_eq(s->providers[3], "p3");
	ck_assert_str_eq(s->providers[4], "p5");
	fx_free(f);
}
END_TEST

Suite *avail_slots_suite(void)
{
	Suite *s = suite_create("avail_slots");
	TCase *tc = tcase_create("avail_slots");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, slots_basic_day);
	tcase_add_test(tc, slots_lunch_break);
	tcase_add_test(tc, slots_touching_rules_merge);
	tcase_add_test(tc, slots_london_spring_forward);
	tcase_add_test(tc, slots_london_gap_rule);
	tcase_add_test(tc, slots_london_fall_back);
	tcase_add_test(tc, slots_new_york_dst);
	tcase_add_test(tc, slots_lord_howe_half_hour_dst);
	tcase_add_test(tc, slots_odd_offsets);
	tcase_add_test(tc, slots_client_zone_tokyo);
	tcase_add_test(tc, slots_grid_not_dividing_the_hour);
	tcase_add_test(tc, slots_midnight_in_gap);
	tcase_add_test(tc, slots_schedule_crossing_midnight);
	tcase_add_test(tc, slots_buffers_cross_a_break);
	tcase_add_test(tc, slots_buffers_cross_a_day);
	tcase_add_test(tc, slots_override_closes_and_opens);
	tcase_add_test(tc, slots_seasonal_rules);
	tcase_add_test(tc, slots_closure_beats_override);
	tcase_add_test(tc, slots_closure_and_night_shift);
	tcase_add_test(tc, slots_time_off_several_days);
	tcase_add_test(tc, slots_capacity_one);
	tcase_add_test(tc, slots_capacity_twelve);
	tcase_add_test(tc, slots_min_notice_mid_slot);
	tcase_add_test(tc, slots_max_advance);
	tcase_add_test(tc, slots_any_provider_union);
	tcase_add_test(tc, slots_provider_and_resource);
	tcase_add_test(tc, slots_resource_capacity_counts);
	tcase_add_test(tc, slots_provider_zones);
	tcase_add_test(tc, slots_bad_requests);
	tcase_add_test(tc, slots_many_providers_one_grid);
	tcase_add_test(tc, slots_forty_providers_merge_by_heap);
	suite_add_tcase(s, tc);
	return s;
}
