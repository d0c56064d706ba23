/* test_avail_explain.c - why a start is not offered; avail_check and avail_explain agreeing
 * with the slot list start by start; service validation. Expected instants are hand-computed
 * UTC times written with U() from base/civil.h. */
#include <check.h>

#include "avail_fixture.h"
#include "core/avail.h"

static avail_reason why(fx *f, int64_t start, int64_t now, const char *provider, int seats)
{
	avail_pick p = {start, 0, now, seats, provider};
	avail_reason r = avail_explain(fx_req(f), &p, f->a);
	ck_assert((r == AVAIL_REASON_OFFERED) == avail_check(fx_req(f), &p, f->a, NULL));
	return r;
}

#define NOW U(2026, 6, 8, 8, 0) /* Monday 09:00 BST */

/* alice: weekdays 09-12 and 13-17 BST; time off Wednesday 14:00-15:00 BST; a booking
 * Tuesday 10:00-11:00 BST; Friday 12 June a business closure. The service: 30 minutes on a
 * 15-minute grid, 15 minutes of buffer each side, two hours' notice, 30 days ahead. */
static fx *fx_alice(void)
{
	fx *f = fx_new("Europe/London");
	f->svc.buffer_before_s = 900;
	f->svc.buffer_after_s = 900;
	f->svc.min_notice_s = 7200;
	f->svc.max_advance_s = 30 * 86400;
	int a = fx_provider(f, "alice", NULL);
	for (int wd = 0; wd < 5; wd++) {
		fx_rule(f, a, wd, H(9, 0), H(12, 0));
		fx_rule(f, a, wd, H(13, 0), H(17, 0));
	}
	fx_off(f, a, U(2026, 6, 10, 13, 0), U(2026, 6, 10, 14, 0));
	fx_busy(f, a, U(2026, 6, 9, 9, 0), U(2026, 6, 9, 10, 0), 0, 0, 1, false);
	f->closures[f->n_closures++] = D(2026, 6, 12);
	return f;
}

START_TEST(explain_reasons)
{
	fx *f = fx_alice();
	const char *A = "alice";
	ck_assert_int_eq(why(f, U(2026, 6, 9, 9, 0), NOW, A, 1), AVAIL_REASON_BUSY);
	ck_assert_int_eq(why(f, U(2026, 6, 9, 9, 30), NOW, A, 1), AVAIL_REASON_BUSY);
	ck_assert_int_eq(why(f, U(2026, 6, 9, 8, 30), NOW, A, 1),
	                 AVAIL_REASON_BUFFER); /* ours after */
	ck_assert_int_eq(why(f, U(2026, 6, 9, 10, 0), NOW, A, 1),
	                 AVAIL_REASON_BUFFER); /* ours before */
	ck_assert_int_eq(why(f, U(2026, 6, 9, 8, 15), NOW, A, 1), AVAIL_REASON_OFFERED);
	ck_assert_int_eq(why(f, U(2026, 6, 9, 10, 15), NOW, A, 1), AVAIL_REASON_OFFERED);
	ck_assert_int_eq(why(f, U(2026, 6, 9, 11, 0), NOW, A, 1), AVAIL_REASON_BREAK);   /* 12:00 */
	ck_assert_int_eq(why(f, U(2026, 6, 9, 10, 45), NOW, A, 1), AVAIL_REASON_BREAK);  /* 11:45 */
	ck_assert_int_eq(why(f, U(2026, 6, 9, 11, 45), NOW, A, 1), AVAIL_REASON_BREAK);  /* 12:45 */
	ck_assert_int_eq(why(f, U(2026, 6, 9, 12, 0), NOW, A, 1), AVAIL_REASON_OFFERED); /* 13:00 */
	ck_assert_int_eq(why(f, U(2026, 6, 9, 16, 0), NOW, A, 1), AVAIL_REASON_OUTSIDE_HOURS);
	ck_assert_int_eq(why(f, U(2026, 6, 9, 15, 45), NOW, A, 1), AVAIL_REASON_OUTSIDE_HOURS);
	ck_assert_int_eq(why(f, U(2026, 6, 9, 15, 30), NOW, A, 1), AVAIL_REASON_OFFERED);
	ck_assert_int_eq(why(f, U(2026, 6, 9, 7, 0), NOW, A, 1), AVAIL_REASON_OUTSIDE_HOURS);
	ck_assert_int_eq(why(f, U(2026, 6, 13, 9, 0), NOW, A, 1),
	                 AVAIL_REASON_OUTSIDE_HOURS); /* Sat */
	ck_assert_int_eq(why(f, U(2026, 6, 12, 9, 0), NOW, A, 1), AVAIL_REASON_CLOSURE);
	ck_assert_int_eq(why(f, U(2026, 6, 10, 13, 0), NOW, A, 1), AVAIL_REASON_TIME_OFF);
	ck_assert_int_eq(why(f, U(2026, 6, 10, 12, 45), NOW, A, 1), AVAIL_REASON_TIME_OFF);
	ck_assert_int_eq(why(f, U(2026, 6, 10, 14, 0), NOW, A, 1), AVAIL_REASON_OFFERED);
	ck_assert_int_eq(why(f, U(2026, 6, 8, 9, 45), NOW, A, 1), AVAIL_REASON_MIN_NOTICE);
	ck_assert_int_eq(why(f, U(2026, 6, 8, 10, 0), NOW, A, 1), AVAIL_REASON_OFFERED);
	ck_assert_int_eq(why(f, U(2026, 7, 8, 8, 0), NOW, A, 1),
	                 AVAIL_REASON_OFFERED); /* now+30d */
	ck_assert_int_eq(why(f, U(2026, 7, 8, 8, 15), NOW, A, 1), AVAIL_REASON_BEYOND_WINDOW);
	ck_assert_int_eq(why(f, U(2026, 6, 9, 8, 5), NOW, A, 1), AVAIL_REASON_OFF_GRID);
	ck_assert_int_eq(why(f, U(2026, 6, 9, 8, 15), NOW, A, 2), AVAIL_REASON_FULL);
	ck_assert_int_eq(why(f, U(2026, 6, 9, 8, 15), NOW, NULL, 1), AVAIL_REASON_OFFERED);
	/* Not a candidate. */
	ck_assert_int_eq(why(f, U(2026, 6, 9, 8, 15), NOW, "zed", 1), AVAIL_REASON_OUTSIDE_HOURS);
	fx_free(f);
}
END_TEST

START_TEST(explain_any_provider_takes_the_closest)
{
	fx *f = fx_alice();
	int b = fx_provider(f, "bob", NULL);
	fx_rule(f, b, 1, H(13, 0), H(17, 0)); /* Tuesday afternoons only */
	/* Tuesday 10:00 BST: alice is busy, bob outside his hours: the answer is busy. */
	ck_assert_int_eq(why(f, U(2026, 6, 9, 9, 0), NOW, NULL, 1), AVAIL_REASON_BUSY);
	ck_assert_int_eq(why(f, U(2026, 6, 9, 9, 0), NOW, "bob", 1), AVAIL_REASON_OUTSIDE_HOURS);
	ck_assert_int_eq(why(f, U(2026, 6, 9, 12, 0), NOW, NULL, 1), AVAIL_REASON_OFFERED);
	fx_free(f);
}
END_TEST

START_TEST(explain_full_and_no_resource)
{
	fx *f = fx_new("Europe/London");
	f->svc.capacity = 2;
	int a = fx_provider(f, "alice", NULL);
	fx_rule(f, a, 1, H(9, 0), H(17, 0));
	fx_busy(f, a, U(2026, 6, 9, 8, 0), U(2026, 6, 9, 8, 30), 0, 0, 1, true);
	int64_t now = U(2026, 6, 1, 0, 0);
	ck_assert_int_eq(why(f, U(2026, 6, 9, 8, 0), now, "alice", 1), AVAIL_REASON_OFFERED);
	ck_assert_int_eq(why(f, U(2026, 6, 9, 8, 0), now, "alice", 2), AVAIL_REASON_FULL);
	ck_assert_int_eq(why(f, U(2026, 6, 9, 8, 15), now, "alice", 1), AVAIL_REASON_BUSY);
	fx_busy(f, a, U(2026, 6, 9, 8, 0), U(2026, 6, 9, 8, 30), 0, 0, 1, true);
	ck_assert_int_eq(why(f, U(2026, 6, 9, 8, 0), now, "alice", 1), AVAIL_REASON_FULL);
	ck_assert_int_eq(why(f, U(2026, 6, 9, 9, 0), now, "alice", 3), AVAIL_REASON_FULL);
	fx_free(f);

	f = fx_new("Europe/London");
	f->svc.needs_resource = true;
	a = fx_provider(f, "alice", NULL);
	int room = fx_resource(f, "room1");
	fx_rule(f, a, 1, H(9, 0), H(17, 0));
	fx_rule(f, room, 1, H(9, 0), H(17, 0));
	fx_busy(f, room, U(2026, 6, 9, 8, 0), U(2026, 6, 9, 9, 0), 0, 0, 1, false);
	ck_assert_int_eq(why(f, U(2026, 6, 9, 8, 0), now, "alice", 1), AVAIL_REASON_NO_RESOURCE);
	avail_slot s;
	avail_pick p = {U(2026, 6, 9, 9, 0), 0, now, 1, "alice"};
	ck_assert(avail_check(fx_req(f), &p, f->a, &s));
	ck_assert_str_eq(s.resources[0], "room1");
	fx_free(f);
}
END_TEST

/* Business hours bound everyone (DESIGN.md "Availability"): the salon closes at 17:00 on
 * weekdays and at 13:00 on Thursday 24 December 2026 (an override); alice keeps her own
 * 09:00-18:00 weekdays. Her day ends with the business's, the half-day cuts her afternoon,
 * explain names business_hours, and without business rules nothing is bounded. */
START_TEST(business_hours_bound_everyone)
{
	fx *f = fx_new("Europe/London");
	int a = fx_provider(f, "alice", NULL);
	for (int wd = 0; wd < 5; wd++)
		fx_rule(f, a, wd, H(9, 0), H(18, 0));
	avail_rule brules[5];
	for (int wd = 0; wd < 5; wd++)
		brules[wd] = (avail_rule){.weekday = wd, .start_min = H(9, 0), .end_min = H(17, 0)};
	avail_override bov = {.day = D(2026, 12, 24), .start_min = H(9, 0), .end_min = H(13, 0)};
	avail_bookable biz = {.id = "salon", .rules = brules, .n_rules = 5, .overrides = &bov,
	                      .n_overrides = 1};
	int64_t now = U(2026, 12, 1, 0, 0);

	/* Unbounded first: her own hours run to 18:00 on both days. */
	avail_result r = fx_slots_q(f, U(2026, 12, 23, 0, 0), U(2026, 12, 25, 0, 0), now, NULL, 1);
	ck_assert_int_eq(r.slots[r.n_slots - 1].start, U(2026, 12, 24, 17, 30));
	ck_assert_int_eq(why(f, U(2026, 12, 24, 14, 0), now, "alice", 1), AVAIL_REASON_OFFERED);

	f->req.business = &biz;
	r = fx_slots_q(f, U(2026, 12, 23, 0, 0), U(2026, 12, 24, 0, 0), now, NULL, 1);
	ck_assert_int_eq(r.n_slots, 31); /* 09:00 .. 16:30 every 15 minutes */
	ck_assert_int_eq(r.slots[0].start, U(2026, 12, 23, 9, 0));
	ck_assert_int_eq(r.slots[r.n_slots - 1].start, U(2026, 12, 23, 16, 30));
	r = fx_slots_q(f, U(2026, 12, 24, 0, 0), U(2026, 12, 25, 0, 0), now, NULL, 1);
	ck_assert_int_eq(r.n_slots, 15); /* 09:00 .. 12:30: the half-day */
	ck_assert_int_eq(r.slots[r.n_slots - 1].start, U(2026, 12, 24, 12, 30));
	ck_assert_int_eq(why(f, U(2026, 12, 24, 14, 0), now, "alice", 1),
	                 AVAIL_REASON_BUSINESS_HOURS);
	ck_assert_int_eq(why(f, U(2026, 12, 24, 12, 45), now, "alice", 1),
	                 AVAIL_REASON_BUSINESS_HOURS); /* runs past 13:00 */
	ck_assert_int_eq(why(f, U(2026, 12, 23, 17, 0), now, "alice", 1),
	                 AVAIL_REASON_BUSINESS_HOURS);
	ck_assert_int_eq(why(f, U(2026, 12, 23, 18, 0), now, "alice", 1),
	                 AVAIL_REASON_OUTSIDE_HOURS); /* outside her own hours first */
	ck_assert_int_eq(why(f, U(2026, 12, 24, 12, 30), now, "alice", 1), AVAIL_REASON_OFFERED);
	fx_free(f);
}
END_TEST

START_TEST(explain_reason_names)
{
	static const char *const names[] = {"offered",        "min_notice", "beyond_window",
	                                    "off_grid",       "length",     "no_session",
	                                    "outside_hours",  "break",      "business_hours",
	                                    "pickup_hours",   "return_hours", "closure",
	                                    "time_off",       "blackout",   "calendar_stale", "busy",
	                                    "external_busy",  "buffer",     "full",
	                                    "no_resource"};
	for (int r = AVAIL_REASON_OFFERED; r <= AVAIL_REASON_NO_RESOURCE; r++)
		ck_assert_str_eq(avail_reason_name((avail_reason)r), names[r]);
	ck_assert_str_eq(avail_reason_name((avail_reason)99), "unknown");
}
END_TEST

/* Busy time of an external calendar blocks like a booking and is explained as
 * external_busy (a booking at the same time still says busy); a fail-closed provider whose
 * calendar is stale offers nothing, explained as calendar_stale where it would otherwise be
 * open, while "any provider" still finds the other one. */
START_TEST(explain_external_busy_and_stale)
{
	fx *f = fx_alice();
	const char *A = "alice";
	int a = 0;
	avail_busy *e = &f->busy[a][f->n_busy[a]++];
	*e = (avail_busy){.busy_start = U(2026, 6, 11, 9, 0), .busy_end = U(2026, 6, 11, 10, 0),
	                  .start = U(2026, 6, 11, 9, 0), .end = U(2026, 6, 11, 10, 0), .seats = 1,
	                  .external = true};
	ck_assert_int_eq(why(f, U(2026, 6, 11, 9, 0), NOW, A, 1), AVAIL_REASON_EXTERNAL_BUSY);
	ck_assert_int_eq(why(f, U(2026, 6, 11, 9, 45), NOW, A, 1), AVAIL_REASON_EXTERNAL_BUSY);
	ck_assert_int_eq(why(f, U(2026, 6, 11, 10, 0), NOW, A, 1), AVAIL_REASON_BUFFER);
	ck_assert_int_eq(why(f, U(2026, 6, 11, 10, 15), NOW, A, 1), AVAIL_REASON_OFFERED);
	/* The same span as Tuesday's booking: the booking is named first. */
	e = &f->busy[a][f->n_busy[a]++];
	*e = (avail_busy){.busy_start = U(2026, 6, 9, 9, 0), .busy_end = U(2026, 6, 9, 10, 0),
	                  .start = U(2026, 6, 9, 9, 0), .end = U(2026, 6, 9, 10, 0), .seats = 1,
	                  .external = true};
	ck_assert_int_eq(why(f, U(2026, 6, 9, 9, 0), NOW, A, 1), AVAIL_REASON_BUSY);
	avail_result r = fx_slots_q(f, U(2026, 6, 11, 0, 0), U(2026, 6, 12, 0, 0), NOW, A, 1);
	for (size_t i = 0; i < r.n_slots; i++)
		ck_assert(r.slots[i].start + 1800 + 900 <= U(2026, 6, 11, 9, 0) ||
		          r.slots[i].start - 900 >= U(2026, 6, 11, 10, 0));
	ck_assert_uint_gt(r.n_slots, 0);

	int b = fx_provider(f, "bob", NULL);
	fx_rule(f, b, 3, H(9, 0), H(17, 0));
	f->prov[a].calendar_stale = true;
	ck_assert_int_eq(why(f, U(2026, 6, 11, 10, 15), NOW, A, 1), AVAIL_REASON_CALENDAR_STALE);
	ck_assert_int_eq(why(f, U(2026, 6, 11, 7, 0), NOW, A, 1), AVAIL_REASON_OUTSIDE_HOURS);
	ck_assert_int_eq(why(f, U(2026, 6, 12, 9, 0), NOW, A, 1), AVAIL_REASON_CLOSURE);
	r = fx_slots_q(f, U(2026, 6, 8, 0, 0), U(2026, 6, 13, 0, 0), NOW, A, 1);
	ck_assert_uint_eq(r.n_slots, 0);
	r = fx_slots_q(f, U(2026, 6, 11, 0, 0), U(2026, 6, 12, 0, 0), NOW, NULL, 1);
	ck_assert_uint_gt(r.n_slots, 0);
	for (size_t i = 0; i < r.n_slots; i++) {
		ck_assert_uint_eq(r.slots[i].n_providers, 1);
		ck_assert_str_eq(r.slots[i].providers[0], "bob");
	}
	ck_assert_int_eq(why(f, U(2026, 6, 11, 10, 15), NOW, NULL, 1), AVAIL_REASON_OFFERED);
	fx_free(f);
}
END_TEST

/* Over a DST week with two providers in different zones, a group service and a busy
 * calendar, every start on a 15-minute step: avail_check and avail_explain agree with the
 * slot list, provider by provider and for "any". */
START_TEST(check_agrees_with_slot_list)
{
	fx *f = fx_new("Europe/London");
	f->svc.capacity = 3;
	f->svc.duration_s = 2700;
	f->svc.buffer_before_s = 600;
	f->svc.buffer_after_s = 1200;
	f->svc.min_notice_s = 3 * 3600;
	f->svc.max_advance_s = 5 * 86400;
	int a = fx_provider(f, "alice", NULL);
	int b = fx_provider(f, "bob", "America/New_York");
	fx_every_day(f, a, H(0, 30), H(3, 0));
	fx_every_day(f, a, H(9, 0), H(12, 0));
	fx_every_day(f, a, H(12, 30), H(18, 0));
	fx_every_day(f, b, H(6, 0), H(10, 0));
	fx_every_day(f, b, H(20, 0), H(26, 0));
	fx_override(f, a, D(2026, 3, 30), false, H(10, 0), H(11, 0));
	fx_off(f, b, U(2026, 3, 28, 12, 0), U(2026, 3, 28, 15, 0));
	f->closures[f->n_closures++] = D(2026, 3, 31);
	for (int d = 0; d < 6; d++) {
		fx_busy(f, a, U(2026, 3, 27 + d, 10, 0), U(2026, 3, 27 + d, 10, 45), 600, 1200, 1,
		        true);
		fx_busy(f, a, U(2026, 3, 27 + d, 10, 0), U(2026, 3, 27 + d, 10, 45), 600, 1200, 2,
		        true);
		fx_busy(f, a, U(2026, 3, 27 + d, 14, 0), U(2026, 3, 27 + d, 14, 45), 600, 1200, 1,
		        true);
		fx_busy(f, b, U(2026, 3, 27 + d, 11, 0), U(2026, 3, 27 + d, 12, 0), 0, 0, 1, false);
	}
	int64_t now = U(2026, 3, 27, 6, 10);
	int64_t from = U(2026, 3, 27, 0, 0), to = U(2026, 4, 2, 0, 0);
	static const char *const who[] = {NULL, "alice", "bob"};
	int offered = 0, refused = 0;
	for (int w = 0; w < 3; w++) {
		for (int seats = 1; seats <= 2; seats++) {
			avail_result r = fx_slots_q(f, from, to, now, who[w], seats);
			size_t k = 0;
			for (int64_t s = from; s < to; s += 900) {
				while (k < r.n_slots && r.slots[k].start < s)
					k++;
				bool listed = k < r.n_slots && r.slots[k].start == s;
				avail_pick p = {s, 0, now, seats, who[w]};
				avail_slot got;
				bool ok = avail_check(fx_req(f), &p, f->a, &got);
				ck_assert_msg(ok == listed, "start %lld who %s seats %d",
				              (long long)s, who[w] ? who[w] : "any", seats);
				if (ok) {
					ck_assert_uint_eq(got.n_providers, r.slots[k].n_providers);
					ck_assert_int_eq(got.seats_left, r.slots[k].seats_left);
				}
				avail_reason why_not = avail_explain(fx_req(f), &p, f->a);
				ck_assert((why_not == AVAIL_REASON_OFFERED) == ok);
				if (ok)
					offered++;
				else
					refused++;
			}
		}
	}
	ck_assert_int_gt(offered, 100);
	ck_assert_int_gt(refused, 100);
	fx_free(f);
}
END_TEST

/* ---- service validation ---- */

static avail_service good(void)
{
	avail_service s = {0};
	s.kind = AVAIL_APPOINTMENT;
	s.duration_s = 1800;
	s.slot_interval_s = 900;
	s.capacity = 1;
	s.max_advance_s = 90 * 86400;
	return s;
}

static const char *field_of(avail_service s)
{
	const char *field = "untouched";
	status st = avail_service_validate(&s, &field);
	ck_assert((st == STATUS_OK) == (field == NULL));
	return field ? field : "ok";
}

START_TEST(validate_refuses_impossible_services)
{
	avail_service s = good();
	ck_assert_str_eq(field_of(s), "ok");
	ck_assert_int_eq(avail_service_validate(&s, NULL), STATUS_OK);
	const char *field;
	ck_assert_int_eq(avail_service_validate(NULL, &field), STATUS_INVALID);
	ck_assert_str_eq(field, "service");

	s = good(), s.kind = (avail_kind)7;
	ck_assert_str_eq(field_of(s), "kind");
	s = good(), s.duration_s = 0;
	ck_assert_str_eq(field_of(s), "duration_s");
	s = good(), s.duration_s = -60;
	ck_assert_str_eq(field_of(s), "duration_s");
	s = good(), s.buffer_before_s = -1;
	ck_assert_str_eq(field_of(s), "buffer_before_s");
	s = good(), s.buffer_after_s = -1;
	ck_assert_str_eq(field_of(s), "buffer_after_s");
	s = good(), s.min_notice_s = -1;
	ck_assert_str_eq(field_of(s), "min_notice_s");
	s = good(), s.max_advance_s = 0;
	ck_assert_str_eq(field_of(s), "max_advance_s");
	s = good(), s.min_notice_s = s.max_advance_s;
	ck_assert_str_eq(field_of(s), "min_notice_s");
	s = good(), s.min_notice_s = s.max_advance_s - 1;
	ck_assert_str_eq(field_of(s), "ok");
	s = good(), s.slot_interval_s = 0;
	ck_assert_str_eq(field_of(s), "slot_interval_s");
	s = good(), s.slot_interval_s = 90;
	ck_assert_str_eq(field_of(s), "slot_interval_s");
	s = good(), s.slot_interval_s = 86400 + 60;
	ck_assert_str_eq(field_of(s), "slot_interval_s");
	s = good(), s.slot_interval_s = 86400;
	ck_assert_str_eq(field_of(s), "ok");
	s = good(), s.capacity = 0;
	ck_assert_str_eq(field_of(s), "capacity");

	s = good(), s.kind = AVAIL_RENTAL, s.min_length_s = 7200, s.max_length_s = 3600;
	ck_assert_str_eq(field_of(s), "min_length_s");
	s = good(), s.kind = AVAIL_RENTAL, s.duration_s = 7200, s.max_length_s = 3600;
	ck_assert_str_eq(field_of(s), "duration_s");
	s = good(), s.kind = AVAIL_RENTAL, s.min_length_s = -1;
	ck_assert_str_eq(field_of(s), "min_length_s");
	s = good(), s.kind = AVAIL_RENTAL, s.max_length_s = -1;
	ck_assert_str_eq(field_of(s), "max_length_s");
	s = good(), s.kind = AVAIL_RENTAL, s.min_length_s = 600, s.max_length_s = 600;
	ck_assert_str_eq(field_of(s), "max_length_s"); /* shorter than the 15-minute grid */
	s = good(), s.kind = AVAIL_RENTAL, s.whole_days = true, s.max_length_s = 3600;
	ck_assert_str_eq(field_of(s), "max_length_s");
	s = good(), s.kind = AVAIL_RENTAL, s.whole_days = true, s.min_length_s = 36 * 3600,
	s.max_length_s = 36 * 3600;
	ck_assert_str_eq(field_of(s), "min_length_s"); /* two days at least, one at most */
	s = good(), s.kind = AVAIL_RENTAL, s.whole_days = true, s.min_length_s = 86400,
	s.max_length_s = 0;
	ck_assert_str_eq(field_of(s), "ok");
	s = good(), s.kind = AVAIL_CLASS;
	ck_assert_str_eq(field_of(s), "ok");
}
END_TEST

Suite *avail_explain_suite(void)
{
	Suite *s = suite_create("avail_explain");
	TCase *tc = tcase_create("avail_explain");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, explain_reasons);
	tcase_add_test(tc, explain_any_provider_takes_the_closest);
	tcase_add_test(tc, explain_full_and_no_resource);
	tcase_add_test(tc, explain_reason_names);
	tcase_add_test(tc, business_hours_bound_everyone);
	tcase_add_test(tc, explain_external_busy_and_stale);
	tcase_add_test(tc, check_agrees_with_slot_list);
	tcase_add_test(tc, validate_refuses_impossible_services);
	suite_add_tcase(s, tc);
	return s;
}
