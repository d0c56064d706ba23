/* test_avail_items.c - rented items in depth: an item's own buffers, its blackouts, and
 * overnight items whose pickup and return must lie inside opening hours (DST days too).
 * Expected instants are hand-computed UTC times written with U() from base/civil.h. */
#include <check.h>

#include "avail_fixture.h"
#include "core/avail.h"

#define NOW U(2026, 1, 1, 0, 0)

/* A rental service: 30-minute grid, at least an hour, at most three days, no buffers. */
static fx *fx_items(const char *zone)
{
	fx *f = fx_new(zone);
	f->svc.kind = AVAIL_RENTAL;
	f->svc.duration_s = 3600;
	f->svc.slot_interval_s = 1800;
	f->svc.min_length_s = 3600;
	f->svc.max_length_s = 3 * 86400;
	f->starts_may_tie = true;
	return f;
}

static bool pick(fx *f, int64_t start, int64_t end)
{
	avail_pick p = {start, end, NOW, 1, NULL};
	return avail_check(fx_req(f), &p, f->a, NULL);
}

static avail_reason why(fx *f, int64_t start, int64_t end)
{
	avail_pick p = {start, end, NOW, 1, NULL};
	avail_reason r = avail_explain(fx_req(f), &p, f->a);
	ck_assert((r == AVAIL_REASON_OFFERED) == avail_check(fx_req(f), &p, f->a, NULL));
	return r;
}

/* bike open 08:00-20:00 BST (07:00-19:00 UTC), booked 12:00-14:00 BST with no service
 * buffers; the bike itself needs 1 h before each rental and 2 h after. */
START_TEST(item_buffers_widen_both_sides)
{
	fx *f = fx_items("Europe/London");
	int b = fx_provider(f, "bike", NULL);
	fx_every_day(f, b, H(8, 0), H(20, 0));
	fx_busy(f, b, U(2026, 6, 9, 11, 0), U(2026, 6, 9, 13, 0), 0, 0, 1, false);
	f->prov[b].buffer_before_s = 3600;
	f->prov[b].buffer_after_s = 2 * 3600;
	avail_result r = fx_slots_q(f, U(2026, 6, 9, 0, 0), U(2026, 6, 10, 0, 0), NOW, NULL, 1);
	ck_assert_uint_eq(r.n_slots, 2);
	/* Ours must end 2 h (our after) + 1 h (its before) ahead of 12:00 BST: 09:00 BST. */
	ck_assert_int_eq(r.slots[0].start, U(2026, 6, 9, 7, 0));
	ck_assert_int_eq(r.slots[0].end, U(2026, 6, 9, 8, 0));
	/* And start 2 h (its after) + 1 h (our before) past 14:00 BST: 17:00 BST. */
	ck_assert_int_eq(r.slots[1].start, U(2026, 6, 9, 16, 0));
	ck_assert_int_eq(r.slots[1].end, U(2026, 6, 9, 19, 0));
	ck_assert_ptr_null(r.slots[1].returns);
	ck_assert_int_eq(why(f, U(2026, 6, 9, 14, 0), U(2026, 6, 9, 15, 0)), AVAIL_REASON_BUFFER);
	ck_assert_int_eq(why(f, U(2026, 6, 9, 16, 0), U(2026, 6, 9, 17, 0)), AVAIL_REASON_OFFERED);
	ck_assert_int_eq(why(f, U(2026, 6, 9, 12, 0), U(2026, 6, 9, 13, 0)), AVAIL_REASON_BUSY);
	/* Without the item's buffers 14:00 BST is free again. */
	f->prov[b].buffer_before_s = f->prov[b].buffer_after_s = 0;
	ck_assert(pick(f, U(2026, 6, 9, 13, 0), U(2026, 6, 9, 14, 0)));
	fx_free(f);
}
END_TEST

/* External calendar time is not the item's booking: its turnaround does not widen it. */
START_TEST(item_buffers_skip_external_busy)
{
	fx *f = fx_items("UTC");
	int b = fx_provider(f, "bike", NULL);
	fx_every_day(f, b, H(8, 0), H(20, 0));
	fx_busy(f, b, U(2026, 6, 9, 12, 0), U(2026, 6, 9, 13, 0), 0, 0, 1, false);
	f->busy[b][0].external = true;
	f->prov[b].buffer_after_s = 3600;
	/* Our own after-buffer still counts: 10:00-11:00 ends 1 h before 12:00. */
	ck_assert(pick(f, U(2026, 6, 9, 10, 0), U(2026, 6, 9, 11, 0)));
	ck_assert(!pick(f, U(2026, 6, 9, 10, 0), U(2026, 6, 9, 11, 30)));
	ck_assert(pick(f, U(2026, 6, 9, 13, 0), U(2026, 6, 9, 14, 0)));
	fx_free(f);
}
END_TEST

START_TEST(blackout_removes_the_item)
{
	fx *f = fx_items("UTC");
	int b = fx_provider(f, "bike", NULL);
	fx_every_day(f, b, H(8, 0), H(20, 0));
	avail_span *spans = arena_alloc(f->a, sizeof(*spans));
	spans[0] = (avail_span){U(2026, 6, 10, 12, 0), U(2026, 6, 11, 0, 0)};
	f->prov[b].blackouts = spans;
	f->prov[b].n_blackouts = 1;
	avail_result r = fx_slots_q(f, U(2026, 6, 9, 0, 0), U(2026, 6, 12, 0, 0), NOW, NULL, 1);
	ck_assert_uint_eq(r.n_slots, 3);
	ck_assert_int_eq(r.slots[1].start, U(2026, 6, 10, 8, 0));
	ck_assert_int_eq(r.slots[1].end, U(2026, 6, 10, 12, 0));
	ck_assert_int_eq(why(f, U(2026, 6, 10, 11, 0), U(2026, 6, 10, 13, 0)),
			 AVAIL_REASON_BLACKOUT);
	ck_assert_int_eq(why(f, U(2026, 6, 10, 10, 0), U(2026, 6, 10, 12, 0)),
			 AVAIL_REASON_OFFERED);
	ck_assert_str_eq(avail_reason_name(AVAIL_REASON_BLACKOUT), "blackout");
	fx_free(f);
}
END_TEST

/* bike open 09:00-18:00 BST (08:00-17:00 UTC) every day, allowed out overnight. */
static fx *fx_overnight(const char *zone)
{
	fx *f = fx_items(zone);
	int b = fx_provider(f, "bike", NULL);
	fx_every_day(f, b, H(9, 0), H(18, 0));
	f->prov[b].overnight = true;
	return f;
}

START_TEST(overnight_ranges_list_return_windows)
{
	fx *f = fx_overnight("Europe/London");
	avail_result r = fx_slots_q(f, U(2026, 6, 9, 0, 0), U(2026, 6, 10, 0, 0), NOW, NULL, 1);
	ck_assert_uint_eq(r.n_slots, 1);
	const avail_slot *s = &r.slots[0];
	ck_assert_int_eq(s->start, U(2026, 6, 9, 8, 0));
	ck_assert_int_eq(s->last_start, U(2026, 6, 9, 16, 30)); /* 17:30 BST: last pickup */
	ck_assert_uint_eq(s->n_returns, 4);
	ck_assert_int_eq(s->returns[0].start, U(2026, 6, 9, 9, 0)); /* an hour after pickup */
	ck_assert_int_eq(s->returns[0].end, U(2026, 6, 9, 17, 0)); /* closing time included */
	ck_assert_int_eq(s->returns[1].start, U(2026, 6, 10, 8, 0));
	ck_assert_int_eq(s->returns[1].end, U(2026, 6, 10, 17, 0));
	/* At most three days after the last pickup. */
	ck_assert_int_eq(s->returns[3].start, U(2026, 6, 12, 8, 0));
	ck_assert_int_eq(s->returns[3].end, U(2026, 6, 12, 16, 30));
	ck_assert_int_eq(s->end, U(2026, 6, 12, 16, 30));

	/* Out overnight, back next morning: offered. */
	ck_assert_int_eq(why(f, U(2026, 6, 9, 16, 0), U(2026, 6, 10, 9, 0)), AVAIL_REASON_OFFERED);
	/* Back at closing time: inside the hours. */
	ck_assert_int_eq(why(f, U(2026, 6, 9, 16, 0), U(2026, 6, 10, 17, 0)), AVAIL_REASON_OFFERED);
	ck_assert_int_eq(why(f, U(2026, 6, 9, 16, 0), U(2026, 6, 9, 19, 0)),
			 AVAIL_REASON_RETURN_HOURS);
	ck_assert_int_eq(why(f, U(2026, 6, 9, 6, 0), U(2026, 6, 9, 10, 0)),
			 AVAIL_REASON_PICKUP_HOURS);
	ck_assert_int_eq(why(f, U(2026, 6, 9, 17, 0), U(2026, 6, 10, 9, 0)),
			 AVAIL_REASON_PICKUP_HOURS); /* 18:00 BST: closing, no pickup */
	ck_assert_str_eq(avail_reason_name(AVAIL_REASON_RETURN_HOURS), "return_hours");

	/* The same item kept in the shop overnight: the night is outside its hours. */
	f->prov[0].overnight = false;
	ck_assert(!pick(f, U(2026, 6, 9, 16, 0), U(2026, 6, 10, 9, 0)));
	ck_assert(pick(f, U(2026, 6, 9, 10, 0), U(2026, 6, 9, 12, 0)));
	fx_free(f);
}
END_TEST

START_TEST(overnight_busy_and_blackout_block_the_span)
{
	fx *f = fx_overnight("Europe/London");
	fx_busy(f, 0, U(2026, 6, 10, 11, 0), U(2026, 6, 10, 12, 0), 0, 0, 1, false);
	f->prov[0].buffer_after_s = 3600;
	ck_assert_int_eq(why(f, U(2026, 6, 9, 16, 0), U(2026, 6, 11, 9, 0)), AVAIL_REASON_BUSY);
	/* Back at 10:00 UTC, 1 h clean-up after ours meets 11:00: its turnaround. */
	ck_assert_int_eq(why(f, U(2026, 6, 9, 16, 0), U(2026, 6, 10, 10, 30)),
			 AVAIL_REASON_BUFFER);
	ck_assert_int_eq(why(f, U(2026, 6, 9, 16, 0), U(2026, 6, 10, 10, 0)), AVAIL_REASON_OFFERED);
	/* After it: its 1 h clean-up, then pickup from 13:00 UTC. */
	ck_assert_int_eq(why(f, U(2026, 6, 10, 12, 30), U(2026, 6, 11, 9, 0)),
			 AVAIL_REASON_BUFFER);
	ck_assert_int_eq(why(f, U(2026, 6, 10, 13, 0), U(2026, 6, 11, 9, 0)), AVAIL_REASON_OFFERED);

	avail_span *spans = arena_alloc(f->a, sizeof(*spans));
	spans[0] = (avail_span){U(2026, 6, 11, 22, 0), U(2026, 6, 12, 2, 0)}; /* a night */
	f->prov[0].blackouts = spans;
	f->prov[0].n_blackouts = 1;
	ck_assert_int_eq(why(f, U(2026, 6, 11, 16, 0), U(2026, 6, 12, 9, 0)),
			 AVAIL_REASON_BLACKOUT);
	ck_assert_int_eq(why(f, U(2026, 6, 11, 9, 0), U(2026, 6, 11, 16, 0)),
			 AVAIL_REASON_OFFERED);
	fx_free(f);
}
END_TEST

/* London springs forward on 2026-03-29 (01:00 GMT -> 02:00 BST): hours stay 09:00-18:00 on
 * the wall, so the return window moves an hour earlier in UTC. */
START_TEST(overnight_across_spring_forward)
{
	fx *f = fx_overnight("Europe/London");
	avail_result r = fx_slots_q(f, U(2026, 3, 28, 0, 0), U(2026, 3, 29, 0, 0), NOW, NULL, 1);
	ck_assert_uint_eq(r.n_slots, 1);
	const avail_slot *s = &r.slots[0];
	ck_assert_int_eq(s->start, U(2026, 3, 28, 9, 0)); /* GMT */
	ck_assert_uint_ge(s->n_returns, 2);
	ck_assert_int_eq(s->returns[1].start, U(2026, 3, 29, 8, 0)); /* 09:00 BST */
	ck_assert_int_eq(s->returns[1].end, U(2026, 3, 29, 17, 0));  /* 18:00 BST */
	ck_assert_int_eq(why(f, U(2026, 3, 28, 17, 0), U(2026, 3, 29, 8, 0)), AVAIL_REASON_OFFERED);
	ck_assert_int_eq(why(f, U(2026, 3, 28, 17, 0), U(2026, 3, 29, 7, 30)),
			 AVAIL_REASON_RETURN_HOURS); /* 08:30 BST */
	/* Autumn: 2026-10-25 (02:00 BST -> 01:00 GMT): 09:00 GMT is 09:00 UTC. */
	ck_assert_int_eq(why(f, U(2026, 10, 24, 16, 0), U(2026, 10, 25, 9, 0)),
			 AVAIL_REASON_OFFERED);
	ck_assert_int_eq(why(f, U(2026, 10, 24, 16, 0), U(2026, 10, 25, 8, 30)),
			 AVAIL_REASON_RETURN_HOURS);
	fx_free(f);
}
END_TEST

/* Two identical overnight bikes share each slot; a whole-day service ignores overnight. */
START_TEST(overnight_items_share_slots)
{
	fx *f = fx_overnight("UTC");
	int c = fx_provider(f, "bike2", NULL);
	fx_every_day(f, c, H(9, 0), H(18, 0));
	f->prov[c].overnight = true;
	avail_result r = fx_slots_q(f, U(2026, 6, 9, 0, 0), U(2026, 6, 10, 0, 0), NOW, NULL, 1);
	ck_assert_uint_eq(r.n_slots, 1);
	ck_assert_uint_eq(r.slots[0].n_providers, 2);
	ck_assert_int_eq(r.slots[0].seats_left, 2);
	fx_busy(f, c, U(2026, 6, 10, 0, 0), U(2026, 6, 10, 1, 0), 0, 0, 1, false);
	r = fx_slots_q(f, U(2026, 6, 9, 0, 0), U(2026, 6, 10, 0, 0), NOW, NULL, 1);
	ck_assert_uint_eq(r.n_slots, 2); /* bike2's returns now stop at midnight */
	fx_free(f);
}
END_TEST

Suite *avail_items_suite(void)
{
	Suite *s = suite_create("avail_items");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, item_buffers_widen_both_sides);
	tcase_add_test(tc, item_buffers_skip_external_busy);
	tcase_add_test(tc, blackout_removes_the_item);
	tcase_add_test(tc, overnight_ranges_list_return_windows);
	tcase_add_test(tc, overnight_busy_and_blackout_block_the_span);
	tcase_add_test(tc, overnight_across_spring_forward);
	tcase_add_test(tc, overnight_items_share_slots);
	suite_add_tcase(s, tc);
	return s;
}
