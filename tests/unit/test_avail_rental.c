/* test_avail_rental.c - rentals (free ranges, buffers, minimum and maximum length, whole days
 * across DST, checks of start+end) and classes (sessions with seats). Expected instants are
 * hand-computed UTC times written with U() from base/civil.h. */
#include <check.h>

#include "avail_fixture.h"
#include "core/avail.h"

/* A rental service: 30-minute grid, at least an hour, no maximum, no buffers. */
static fx *fx_rental(const char *zone)
{
	fx *f = fx_new(zone);
	f->svc.kind = AVAIL_RENTAL;
	f->svc.duration_s = 3600;
	f->svc.slot_interval_s = 1800;
	f->svc.min_length_s = 3600;
	f->starts_may_tie = true; /* ranges of different cars may start together */
	return f;
}

static void expect_range(const avail_slot *s, int64_t start, int64_t end, int64_t last)
{
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(s->start, start);
	ck_assert_int_eq(s->end, end);
	ck_assert_int_eq(s->last_start, last);
}

static bool pick(fx *f, int64_t start, int64_t end, int64_t now, const char *provider,
                 avail_slot *out)
{
	avail_pick p = {start, end, now, 1, provider};
	return avail_check(fx_req(f), &p, f->a, out);
}

static avail_reason why(fx *f, int64_t start, int64_t end, int64_t now, const char *provider)
{
	avail_pick p = {start, end, now, 1, provider};
	avail_reason r = avail_explain(fx_req(f), &p, f->a);
	ck_assert((r == AVAIL_REASON_OFFERED) == avail_check(fx_req(f), &p, f->a, NULL));
	return r;
}

#define NOW U(2026, 6, 1, 0, 0)

/* car1 open 08:00-20:00 BST daily, booked 12:00-14:00 BST by a service with 30 minutes of
 * buffer each side (busy 11:30-14:30 BST); this service keeps 30 minutes each side too. */
static fx *fx_car(void)
{
	fx *f = fx_rental("Europe/London");
	f->svc.buffer_before_s = 1800;
	f->svc.buffer_after_s = 1800;
	int c = fx_provider(f, "car1", NULL);
	fx_every_day(f, c, H(8, 0), H(20, 0));
	fx_busy(f, c, U(2026, 6, 9, 11, 0), U(2026, 6, 9, 13, 0), 1800, 1800, 1, false);
	return f;
}

START_TEST(rental_ranges_around_a_booking)
{
	fx *f = fx_car();
	avail_result r = fx_slots_q(f, U(2026, 6, 9, 0, 0), U(2026, 6, 10, 0, 0), NOW, NULL, 1);
	ck_assert_uint_eq(r.n_slots, 2);
	/* Free until the booking's busy time minus our own buffer after: 11:00 BST. */
	expect_range(&r.slots[0], U(2026, 6, 9, 7, 0), U(2026, 6, 9, 10, 0), U(2026, 6, 9, 9, 0));
	/* From the end of its busy time plus our buffer before: 15:00 BST. */
	expect_range(&r.slots[1], U(2026, 6, 9, 14, 0), U(2026, 6, 9, 19, 0), U(2026, 6, 9, 18, 0));
	ck_assert_uint_eq(r.slots[0].n_providers, 1);
	ck_assert_str_eq(r.slots[0].providers[0], "car1");
	ck_assert_int_eq(r.slots[0].seats_left, 1);
	fx_free(f);
}
END_TEST

START_TEST(rental_min_length_drops_short_gaps)
{
	fx *f = fx_car();
	f->svc.min_length_s = 2 * 3600;
	/* Another booking 17:00-18:00 BST leaves 15:00-16:30 and 18:30-20:00 BST: too short. */
	fx_busy(f, 0, U(2026, 6, 9, 16, 0), U(2026, 6, 9, 17, 0), 0, 0, 1, false);
	avail_result r = fx_slots_q(f, U(2026, 6, 9, 0, 0), U(2026, 6, 10, 0, 0), NOW, NULL, 1);
	ck_assert_uint_eq(r.n_slots, 1);
	expect_range(&r.slots[0], U(2026, 6, 9, 7, 0), U(2026, 6, 9, 10, 0), U(2026, 6, 9, 8, 0));
	fx_free(f);
}
END_TEST

START_TEST(rental_notice_and_window)
{
	fx *f = fx_car();
	/* Now 08:10 BST: the first start on the grid after it is 08:30. */
	avail_result r =
	    fx_slots_q(f, U(2026, 6, 9, 0, 0), U(2026, 6, 10, 0, 0), U(2026, 6, 9, 7, 10), NULL, 1);
	ck_assert_uint_eq(r.n_slots, 2);
	expect_range(&r.slots[0], U(2026, 6, 9, 7, 30), U(2026, 6, 9, 10, 0), U(2026, 6, 9, 9, 0));
	/* Starts at most 2h30 ahead: the morning range's latest start moves in, the afternoon
	 * range is not offered at all. */
	f->svc.max_advance_s = 9000;
	r = fx_slots_q(f, U(2026, 6, 9, 0, 0), U(2026, 6, 10, 0, 0), U(2026, 6, 9, 6, 0), NULL, 1);
	ck_assert_uint_eq(r.n_slots, 1);
	expect_range(&r.slots[0], U(2026, 6, 9, 7, 0), U(2026, 6, 9, 10, 0), U(2026, 6, 9, 8, 30));
	fx_free(f);
}
END_TEST

START_TEST(rental_check_picks)
{
	fx *f = fx_car();
	avail_slot s;
	ck_assert(pick(f, U(2026, 6, 9, 7, 0), U(2026, 6, 9, 9, 0), NOW, NULL, &s));
	ck_assert_int_eq(s.start, U(2026, 6, 9, 7, 0));
	ck_assert_int_eq(s.end, U(2026, 6, 9, 9, 0));
	ck_assert_uint_eq(s.n_providers, 1);
	ck_assert_str_eq(s.providers[0], "car1");
	ck_assert(pick(f, U(2026, 6, 9, 7, 0), U(2026, 6, 9, 10, 0), NOW, "car1", NULL));
	ck_assert(pick(f, U(2026, 6, 9, 8, 30), U(2026, 6, 9, 9, 30), NOW, NULL, NULL));
	ck_assert(pick(f, U(2026, 6, 9, 14, 0), U(2026, 6, 9, 19, 0), NOW, NULL, NULL));
	ck_assert(!pick(f, U(2026, 6, 9, 7, 0), U(2026, 6, 9, 10, 30), NOW, NULL, NULL));
	ck_assert(!pick(f, U(2026, 6, 9, 7, 15), U(2026, 6, 9, 9, 15), NOW, NULL, NULL));
	ck_assert(!pick(f, U(2026, 6, 9, 7, 0), U(2026, 6, 9, 7, 30), NOW, NULL, NULL));
	ck_assert(!pick(f, U(2026, 6, 9, 9, 0), U(2026, 6, 9, 8, 0), NOW, NULL, NULL));
	ck_assert(!pick(f, U(2026, 6, 9, 6, 30), U(2026, 6, 9, 8, 0), NOW, NULL, NULL));
	/* Across the night: closed 20:00-08:00. */
	ck_assert(!pick(f, U(2026, 6, 9, 18, 0), U(2026, 6, 10, 8, 0), NOW, NULL, NULL));

	ck_assert_int_eq(why(f, U(2026, 6, 9, 7, 0), U(2026, 6, 9, 9, 0), NOW, NULL),
	                 AVAIL_REASON_OFFERED);
	ck_assert_int_eq(why(f, U(2026, 6, 9, 7, 0), U(2026, 6, 9, 10, 30), NOW, NULL),
	                 AVAIL_REASON_BUFFER);
	ck_assert_int_eq(why(f, U(2026, 6, 9, 10, 0), U(2026, 6, 9, 12, 0), NOW, NULL),
	                 AVAIL_REASON_BUSY);
	ck_assert_int_eq(why(f, U(2026, 6, 9, 7, 15), U(2026, 6, 9, 9, 15), NOW, NULL),
	                 AVAIL_REASON_OFF_GRID);
	ck_assert_int_eq(why(f, U(2026, 6, 9, 7, 0), U(2026, 6, 9, 7, 30), NOW, NULL),
	                 AVAIL_REASON_LENGTH);
	ck_assert_int_eq(why(f, U(2026, 6, 9, 6, 30), U(2026, 6, 9, 8, 0), NOW, NULL),
	                 AVAIL_REASON_OUTSIDE_HOURS);
	ck_assert_int_eq(
	    why(f, U(2026, 6, 9, 7, 0), U(2026, 6, 9, 9, 0), U(2026, 6, 9, 7, 1), NULL),
	    AVAIL_REASON_MIN_NOTICE);

	/* With a maximum of two hours, three hours is too long, though free. */
	f->svc.max_length_s = 7200;
	ck_assert(!pick(f, U(2026, 6, 9, 7, 0), U(2026, 6, 9, 10, 0), NOW, NULL, NULL));
	ck_assert_int_eq(why(f, U(2026, 6, 9, 7, 0), U(2026, 6, 9, 10, 0), NOW, NULL),
	                 AVAIL_REASON_LENGTH);
	ck_assert(pick(f, U(2026, 6, 9, 8, 0), U(2026, 6, 9, 10, 0), NOW, NULL, NULL));
	/* The range is still listed whole: the customer books inside it. */
	avail_result r = fx_slots_q(f, U(2026, 6, 9, 0, 0), U(2026, 6, 10, 0, 0), NOW, NULL, 1);
	expect_range(&r.slots[1], U(2026, 6, 9, 14, 0), U(2026, 6, 9, 19, 0), U(2026, 6, 9, 18, 0));
	fx_free(f);
}
END_TEST

START_TEST(rental_whole_days)
{
	/* A van around the clock, booked Wednesday 10:00 to Thursday 10:00 BST. Whole-day
	 * ranges snap inward to local midnights (23:00 UTC in summer). */
	fx *f = fx_rental("Europe/London");
	f->svc.whole_days = true;
	f->svc.min_length_s = 86400;
	f->svc.max_length_s = 7 * 86400;
	int v = fx_provider(f, "van", NULL);
	fx_every_day(f, v, 0, H(24, 0));
	fx_busy(f, v, U(2026, 6, 10, 9, 0), U(2026, 6, 11, 9, 0), 0, 0, 1, false);
	avail_result r = fx_slots_q(f, U(2026, 6, 7, 23, 0), U(2026, 6, 14, 23, 0), NOW, NULL, 1);
	ck_assert_uint_eq(r.n_slots, 2);
	/* Monday 00:00 to Wednesday 00:00; the latest start leaves one day. */
	expect_range(&r.slots[0], U(2026, 6, 7, 23, 0), U(2026, 6, 9, 23, 0), U(2026, 6, 8, 23, 0));
	/* Friday 00:00 on, followed up to the query's end plus the 7-day maximum. */
	expect_range(&r.slots[1], U(2026, 6, 11, 23, 0), U(2026, 6, 21, 23, 0),
	             U(2026, 6, 20, 23, 0));

	ck_assert(pick(f, U(2026, 6, 7, 23, 0), U(2026, 6, 9, 23, 0), NOW, NULL, NULL));
	ck_assert(!pick(f, U(2026, 6, 7, 23, 0), U(2026, 6, 10, 23, 0), NOW, NULL, NULL));
	ck_assert(!pick(f, U(2026, 6, 8, 9, 0), U(2026, 6, 9, 23, 0), NOW, NULL,
	                NULL)); /* not midnight */
	ck_assert(
	    !pick(f, U(2026, 6, 8, 0, 0), U(2026, 6, 9, 0, 0), NOW, NULL, NULL)); /* UTC midnight */
	ck_assert(
	    pick(f, U(2026, 6, 11, 23, 0), U(2026, 6, 18, 23, 0), NOW, NULL, NULL)); /* 7 days */
	ck_assert(
	    !pick(f, U(2026, 6, 11, 23, 0), U(2026, 6, 19, 23, 0), NOW, NULL, NULL)); /* 8 days */
	ck_assert_int_eq(why(f, U(2026, 6, 11, 23, 0), U(2026, 6, 19, 23, 0), NOW, NULL),
	                 AVAIL_REASON_LENGTH);
	ck_assert_int_eq(why(f, U(2026, 6, 8, 9, 0), U(2026, 6, 9, 23, 0), NOW, NULL),
	                 AVAIL_REASON_OFF_GRID);
	ck_assert_int_eq(why(f, U(2026, 6, 8, 23, 0), U(2026, 6, 10, 23, 0), NOW, NULL),
	                 AVAIL_REASON_BUSY);
	fx_free(f);
}
END_TEST

START_TEST(rental_whole_days_across_dst)
{
	/* London springs forward on Sunday 2026-03-29: that local day lasts 23 hours and still
	 * counts as one day. Midnights are 00:00 UTC before it and 23:00 UTC after. */
	fx *f = fx_rental("Europe/London");
	f->svc.whole_days = true;
	f->svc.min_length_s = 86400;
	f->svc.max_length_s = 3 * 86400;
	int v = fx_provider(f, "van", NULL);
	fx_every_day(f, v, 0, H(24, 0));
	avail_result r =
	    fx_slots_q(f, U(2026, 3, 27, 0, 0), U(2026, 3, 31, 23, 0), NOW - 200 * 86400, NULL, 1);
	ck_assert_uint_eq(r.n_slots, 1);
	expect_range(&r.slots[0], U(2026, 3, 27, 0, 0), U(2026, 4, 3, 23, 0), U(2026, 4, 2, 23, 0));
	int64_t now = U(2026, 3, 1, 0, 0);
	ck_assert(pick(f, U(2026, 3, 29, 0, 0), U(2026, 3, 29, 23, 0), now, NULL, NULL)); /* 23 h */
	ck_assert(
	    pick(f, U(2026, 3, 28, 0, 0), U(2026, 3, 29, 23, 0), now, NULL, NULL)); /* 2 days */
	ck_assert(
	    pick(f, U(2026, 3, 28, 0, 0), U(2026, 3, 30, 23, 0), now, NULL, NULL)); /* 3 days */
	ck_assert(
	    !pick(f, U(2026, 3, 28, 0, 0), U(2026, 3, 31, 23, 0), now, NULL, NULL)); /* 4 days */
	ck_assert(
	    !pick(f, U(2026, 3, 29, 0, 0), U(2026, 3, 30, 0, 0), now, NULL, NULL)); /* 01:00 BST */
	/* October: the 25-hour day. */
	ck_assert(pick(f, U(2026, 10, 24, 23, 0), U(2026, 10, 26, 0, 0), U(2026, 10, 1, 0, 0), NULL,
	               NULL));
	fx_free(f);
}
END_TEST

START_TEST(rental_whole_days_without_midnight)
{
	/* Santiago's 2026-09-06 has no midnight (00:00 -04 jumps to 01:00 -03 at 04:00 UTC):
	 * whole days count it from its first instant. */
	fx *f = fx_rental("America/Santiago");
	f->svc.whole_days = true;
	f->svc.min_length_s = 86400;
	f->svc.max_length_s = 2 * 86400;
	int v = fx_provider(f, "van", NULL);
	fx_every_day(f, v, 0, H(24, 0));
	int64_t now = U(2026, 9, 1, 0, 0);
	avail_result r = fx_slots_q(f, U(2026, 9, 5, 4, 0), U(2026, 9, 8, 3, 0), now, NULL, 1);
	ck_assert_uint_eq(r.n_slots, 1);
	expect_range(&r.slots[0], U(2026, 9, 5, 4, 0), U(2026, 9, 10, 3, 0), U(2026, 9, 9, 3, 0));
	ck_assert(pick(f, U(2026, 9, 5, 4, 0), U(2026, 9, 6, 4, 0), now, NULL, NULL)); /* 24 h */
	ck_assert(pick(f, U(2026, 9, 6, 4, 0), U(2026, 9, 7, 3, 0), now, NULL, NULL)); /* 23 h */
	ck_assert(pick(f, U(2026, 9, 5, 4, 0), U(2026, 9, 7, 3, 0), now, NULL, NULL)); /* 2 days */
	ck_assert(!pick(f, U(2026, 9, 6, 3, 0), U(2026, 9, 7, 3, 0), now, NULL, NULL));
	ck_assert_int_eq(why(f, U(2026, 9, 6, 3, 0), U(2026, 9, 7, 3, 0), now, NULL),
	                 AVAIL_REASON_OFF_GRID);
	fx_free(f);
}
END_TEST

START_TEST(rental_equal_ranges_share_a_slot)
{
	fx *f = fx_rental("Europe/London");
	int a = fx_provider(f, "car1", NULL);
	int b = fx_provider(f, "car2", NULL);
	int c = fx_provider(f, "car3", NULL);
	fx_rule(f, a, 1, H(9, 0), H(17, 0));
	fx_rule(f, b, 1, H(9, 0), H(17, 0));
	fx_rule(f, c, 1, H(9, 0), H(13, 0));
	avail_result r = fx_slots_q(f, U(2026, 6, 9, 0, 0), U(2026, 6, 10, 0, 0), NOW, NULL, 1);
	ck_assert_uint_eq(r.n_slots, 2);
	expect_range(&r.slots[0], U(2026, 6, 9, 8, 0), U(2026, 6, 9, 12, 0), U(2026, 6, 9, 11, 0));
	ck_assert_uint_eq(r.slots[0].n_providers, 1);
	ck_assert_str_eq(r.slots[0].providers[0], "car3");
	expect_range(&r.slots[1], U(2026, 6, 9, 8, 0), U(2026, 6, 9, 16, 0), U(2026, 6, 9, 15, 0));
	ck_assert_uint_eq(r.slots[1].n_providers, 2);
	ck_assert_str_eq(r.slots[1].providers[0], "car1");
	ck_assert_str_eq(r.slots[1].providers[1], "car2");
	ck_assert_int_eq(r.slots[1].seats_left, 2);
	avail_slot s;
	ck_assert(pick(f, U(2026, 6, 9, 9, 0), U(2026, 6, 9, 11, 0), NOW, NULL, &s));
	ck_assert_uint_eq(s.n_providers, 3);
	ck_assert_str_eq(s.providers[0], "car1");
	ck_assert_str_eq(s.providers[2], "car3");
	ck_assert(pick(f, U(2026, 6, 9, 9, 0), U(2026, 6, 9, 14, 0), NOW, NULL, &s));
	ck_assert_uint_eq(s.n_providers, 2);
	ck_assert(!pick(f, U(2026, 6, 9, 9, 0), U(2026, 6, 9, 14, 0), NOW, "car3", NULL));
	fx_free(f);
}
END_TEST

/* ---- classes ---- */

static void fx_session(fx *f, const char *id, const char *provider, int64_t start, int cap,
                       int taken)
{
	avail_session *s = &f->sessions[f->n_sessions++];
	s->id = id;
	s->provider_id = provider;
	s->start = start;
	s->end = start + 3600;
	s->capacity = cap;
	s->seats_taken = taken;
}

static fx *fx_classes(void)
{
	fx *f = fx_new("Europe/London");
	f->svc.kind = AVAIL_CLASS;
	f->starts_may_tie = true; /* sessions of different providers may start together */
	f->svc.duration_s = 3600;
	fx_provider(f, "alice", NULL);
	fx_provider(f, "bob", NULL);
	fx_session(f, "s1", "alice", U(2026, 6, 9, 10, 0), 10, 3);
	fx_session(f, "s2", "alice", U(2026, 6, 9, 12, 0), 10, 10);
	fx_session(f, "s3", "bob", U(2026, 6, 9, 9, 0), 5, 0);
	fx_session(f, "s4", NULL, U(2026, 6, 10, 10, 0), 8, 2);
	fx_session(f, "s5", "bob", U(2026, 6, 12, 10, 0), 8, 0); /* outside the query */
	return f;
}

START_TEST(class_sessions_with_seats)
{
	fx *f = fx_classes();
	avail_result r = fx_slots_q(f, U(2026, 6, 9, 0, 0), U(2026, 6, 11, 0, 0), NOW, NULL, 1);
	ck_assert_uint_eq(r.n_slots, 3);
	ck_assert_str_eq(r.slots[0].session_id, "s3");
	ck_assert_int_eq(r.slots[0].start, U(2026, 6, 9, 9, 0));
	ck_assert_int_eq(r.slots[0].end, U(2026, 6, 9, 10, 0));
	ck_assert_int_eq(r.slots[0].seats_left, 5);
	ck_assert_str_eq(r.slots[0].providers[0], "bob");
	ck_assert_str_eq(r.slots[1].session_id, "s1");
	ck_assert_int_eq(r.slots[1].seats_left, 7);
	ck_assert_str_eq(r.slots[2].session_id, "s4");
	ck_assert_int_eq(r.slots[2].seats_left, 6);
	ck_assert_uint_eq(r.slots[2].n_providers, 0);

	r = fx_slots_q(f, U(2026, 6, 9, 0, 0), U(2026, 6, 11, 0, 0), NOW, NULL, 6);
	ck_assert_uint_eq(r.n_slots, 2);
	ck_assert_str_eq(r.slots[0].session_id, "s1");
	ck_assert_str_eq(r.slots[1].session_id, "s4");

	r = fx_slots_q(f, U(2026, 6, 9, 0, 0), U(2026, 6, 11, 0, 0), NOW, "bob", 1);
	ck_assert_uint_eq(r.n_slots, 1);
	ck_assert_str_eq(r.slots[0].session_id, "s3");

	/* Notice of an hour at 08:30 UTC hides s3 (09:00); a day's window hides s4. */
	f->svc.min_notice_s = 3600;
	f->svc.max_advance_s = 86400;
	r = fx_slots_q(f, U(2026, 6, 9, 0, 0), U(2026, 6, 11, 0, 0), U(2026, 6, 9, 8, 30), NULL, 1);
	ck_assert_uint_eq(r.n_slots, 1);
	ck_assert_str_eq(r.slots[0].session_id, "s1");

	avail_query q = {U(2026, 6, 9, 0, 0), U(2026, 6, 11, 0, 0), NOW, 1, "zed"};
	ck_assert_int_eq(avail_slots(fx_req(f), &q, f->a, &r), STATUS_NOT_FOUND);
	fx_free(f);
}
END_TEST

START_TEST(class_check_and_explain)
{
	fx *f = fx_classes();
	avail_slot s;
	avail_pick p = {U(2026, 6, 9, 10, 0), 0, NOW, 2, NULL};
	ck_assert(avail_check(fx_req(f), &p, f->a, &s));
	ck_assert_str_eq(s.session_id, "s1");
	ck_assert_int_eq(avail_explain(fx_req(f), &p, f->a), AVAIL_REASON_OFFERED);
	p.seats = 8;
	ck_assert(!avail_check(fx_req(f), &p, f->a, NULL));
	ck_assert_int_eq(avail_explain(fx_req(f), &p, f->a), AVAIL_REASON_FULL);
	p.seats = 1;
	p.start = U(2026, 6, 9, 12, 0);
	ck_assert_int_eq(avail_explain(fx_req(f), &p, f->a), AVAIL_REASON_FULL);
	p.start = U(2026, 6, 9, 11, 0);
	ck_assert_int_eq(avail_explain(fx_req(f), &p, f->a), AVAIL_REASON_NO_SESSION);
	p.start = U(2026, 6, 9, 10, 0);
	p.provider = "bob";
	ck_assert_int_eq(avail_explain(fx_req(f), &p, f->a), AVAIL_REASON_NO_SESSION);
	p.provider = NULL;
	p.now = U(2026, 6, 9, 9, 30);
	ck_assert_int_eq(avail_explain(fx_req(f), &p, f->a), AVAIL_REASON_OFFERED); /* no notice */
	p.now = U(2026, 6, 9, 10, 1);
	ck_assert_int_eq(avail_explain(fx_req(f), &p, f->a), AVAIL_REASON_MIN_NOTICE);
	fx_free(f);
}
END_TEST

/* A closure day or the leader's time off takes sessions away (explain says which), and the
 * engine's check refuses them, so a booking cannot take a class that will not run. */
START_TEST(class_closure_and_time_off)
{
	fx *f = fx_classes();
	f->closures[f->n_closures++] = D(2026, 6, 10);            /* s4's day, in London */
	fx_off(f, 1, U(2026, 6, 9, 8, 30), U(2026, 6, 9, 9, 30)); /* bob off during s3 */
	avail_result r = fx_slots_q(f, U(2026, 6, 9, 0, 0), U(2026, 6, 11, 0, 0), NOW, NULL, 1);
	ck_assert_uint_eq(r.n_slots, 1);
	ck_assert_str_eq(r.slots[0].session_id, "s1");

	avail_pick p = {U(2026, 6, 10, 10, 0), 0, NOW, 1, NULL};
	ck_assert(!avail_check(fx_req(f), &p, f->a, NULL));
	ck_assert_int_eq(avail_explain(fx_req(f), &p, f->a), AVAIL_REASON_CLOSURE);
	p.start = U(2026, 6, 9, 9, 0);
	ck_assert(!avail_check(fx_req(f), &p, f->a, NULL));
	ck_assert_int_eq(avail_explain(fx_req(f), &p, f->a), AVAIL_REASON_TIME_OFF);
	/* Time off that only touches the session leaves it. */
	f->n_off[1] = 0;
	fx_off(f, 1, U(2026, 6, 9, 8, 0), U(2026, 6, 9, 9, 0));
	ck_assert(avail_check(fx_req(f), &p, f->a, NULL));
	fx_free(f);
}
END_TEST

Suite *avail_rental_suite(void)
{
	Suite *s = suite_create("avail_rental");
	TCase *tc = tcase_create("avail_rental");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, rental_ranges_around_a_booking);
	tcase_add_test(tc, rental_min_length_drops_short_gaps);
	tcase_add_test(tc, rental_notice_and_window);
	tcase_add_test(tc, rental_check_picks);
	tcase_add_test(tc, rental_whole_days);
	tcase_add_test(tc, rental_whole_days_across_dst);
	tcase_add_test(tc, rental_whole_days_without_midnight);
	tcase_add_test(tc, rental_equal_ranges_share_a_slot);
	tcase_add_test(tc, class_sessions_with_seats);
	tcase_add_test(tc, class_check_and_explain);
	tcase_add_test(tc, class_closure_and_time_off);
	suite_add_tcase(s, tc);
	return s;
}
