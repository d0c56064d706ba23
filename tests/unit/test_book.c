/* test_book.c - the booking writes as staff use them, without HTTP, on a real SQLite file:
 * every staff action, compare-and-swap conflicts, overrides (audited), rebook, history. */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/config_doc.h"
#include "base/civil.h"
#include "core/tz.h"
#include "query_plan.h"
#include "store/book.h"
#include "store/booking.h"
#include "store/business.h"
#include "store/migrate.h"
#include "store/outbox.h"

static const char *FIXTURE =
	"{\"business\": {\"slug\": \"tt\", \"name\": \"T\", \"timezone\": \"UTC\", \"currency\": \"EUR\"},"
	" \"providers\": [{\"id\": \"ann\", \"name\": \"Ann\"}, {\"id\": \"bob\", \"name\": \"Bob\"}],"
	" \"services\": [{\"id\": \"cut\", \"name\": \"Cut\", \"duration_s\": 3600, \"slot_interval_s\": 3600,"
	"   \"price_minor\": 1000, \"providers\": [\"ann\", \"bob\"]},"
	"  {\"id\": \"vet\", \"name\": \"Vet\", \"duration_s\": 3600, \"slot_interval_s\": 3600,"
	"   \"requires_approval\": true, \"providers\": [\"ann\"]},"
	"  {\"id\": \"day\", \"name\": \"Day\", \"duration_s\": 28800, \"slot_interval_s\": 3600,"
	"   \"providers\": [\"ann\", \"bob\"]},"
	"  {\"id\": \"prep\", \"name\": \"Prep\", \"duration_s\": 3600, \"slot_interval_s\": 3600,"
	"   \"buffer_before_s\": 10800, \"providers\": [\"bob\"]},"
	"  {\"id\": \"room\", \"name\": \"Room\", \"kind\": \"rental\", \"duration_s\": 3600,"
	"   \"slot_interval_s\": 3600, \"min_length_s\": 3600, \"resources\": [\"hall\"]}],"
	" \"resources\": [{\"id\": \"hall\", \"name\": \"Hall\"}],"
	" \"schedules\": [{\"owner\": \"business\", \"weekday\": \"mon\", \"start\": \"09:00\", \"end\": \"17:00\"},"
	"  {\"owner\": \"business\", \"weekday\": \"tue\", \"start\": \"09:00\", \"end\": \"17:00\"}]}";

static char path[64];
static db *d;
static db_conn *c;
static arena *a;
static business biz;
static const int64_t NOW = INT64_C(1780290000); /* 2026-06-01 05:00 UTC, a Monday */

static int64_t at_utc(int day, int hour)
{
	return civil_days(2026, 6, day) * 86400 + hour * 3600;
}

static void setup(void)
{
	snprintf(path, sizeof(path), "/tmp/bookd-test-book-%d.db", (int)getpid());
	unlink(path);
	char url[80], err[256];
	snprintf(url, sizeof(url), "sqlite:%s", path);
	ck_assert_int_eq(db_open(url, 2, &d, err, sizeof(err)), STATUS_OK);
	int applied;
	ck_assert_int_eq(migrate_up(d, &applied, err, sizeof(err)), STATUS_OK);
	c = db_acquire(d);
	a = arena_new();
	json_t *doc = json_loads(FIXTURE, 0, NULL);
	errlist errs = {0};
	ck_assert_int_eq(config_import(c, doc, false, NOW, a, &errs, NULL), STATUS_OK);
	json_decref(doc);
	ck_assert_int_eq(store_business_by_slug(c, "tt", a, &biz), STATUS_OK);
}

static void teardown(void)
{
	db_release(d, c);
	db_close(d);
	arena_free(a);
	char extra[80];
	unlink(path);
	snprintf(extra, sizeof(extra), "%s-wal", path);
	unlink(extra);
	snprintf(extra, sizeof(extra), "%s-shm", path);
	unlink(extra);
}

static book_request staff_request(const char *service_id, int64_t start, const char *provider_id)
{
	book_request rq = {.service_id = service_id, .start = start, .provider_id = provider_id, .seats = 1,
			   .customer_name = "Kim", .customer_email = "kim@example.com",
			   .customer_phone = "", .source = "phone", .actor = "staff:u1"};
	return rq;
}

static int history(const char *id, const char **kinds, int max)
{
	booking_event *ev;
	int n;
	ck_assert_int_eq(store_booking_events(c, biz.id, id, a, &ev, &n), STATUS_OK);
	for (int i = 0; i < n && i < max; i++)
		kinds[i] = ev[i].kind;
	return n;
}

START_TEST(staff_walk_through_the_lifecycle)
{
	book_request rq = staff_request("cut", at_utc(1, 10), "ann");
	book_result res;
	ck_assert_int_eq(book_create(c, &biz, &rq, NULL, NOW, a, &res), STATUS_OK);
	ck_assert_int_eq(res.b.status, BOOKING_CONFIRMED);
	ck_assert_str_eq(res.b.source, "phone");
	const char *id = res.b.id;
	ck_assert_int_eq(book_act(c, &biz, id, ACTION_CONFIRM, "staff:u1", NULL, NOW, a, &res),
			 STATUS_CONFLICT);
	ck_assert_ptr_nonnull(res.why);
	ck_assert_int_eq(book_act(c, &biz, id, ACTION_CHECK_IN, "staff:u1", NULL, NOW, a, &res), STATUS_OK);
	ck_assert_int_eq(res.b.status, BOOKING_CHECKED_IN);
	ck_assert_int_eq(book_cancel(c, &biz, id, "staff:u1", "oops", false, NOW, a, &res), STATUS_CONFLICT);
	ck_assert_int_eq(book_act(c, &biz, id, ACTION_COMPLETE, "staff:u1", NULL, NOW, a, &res), STATUS_OK);
	ck_assert_int_eq(book_act(c, &biz, id, ACTION_NO_SHOW, "staff:u1", NULL, NOW, a, &res), STATUS_CONFLICT);
	const char *kinds[8];
	ck_assert_int_eq(history(id, kinds, 8), 3);
	ck_assert_str_eq(kinds[0], "created");
	ck_assert_str_eq(kinds[1], "check_in");
	ck_assert_str_eq(kinds[2], "complete");
	ck_assert_int_eq(book_act(c, &biz, "bkg_nope", ACTION_CONFIRM, "staff:u1", NULL, NOW, a, &res),
			 STATUS_NOT_FOUND);
}
END_TEST

START_TEST(pending_then_confirmed_and_staff_cancel_refunds_all)
{
	book_request rq = staff_request("vet", at_utc(1, 11), NULL);
	book_result res;
	ck_assert_int_eq(book_create(c, &biz, &rq, NULL, NOW, a, &res), STATUS_OK);
	ck_assert_int_eq(res.b.status, BOOKING_PENDING);
	const char *id = res.b.id;
	ck_assert_int_eq(book_act(c, &biz, id, ACTION_CONFIRM, "staff:u1", NULL, NOW, a, &res), STATUS_OK);
	ck_assert_int_eq(res.b.status, BOOKING_CONFIRMED);
	/* Staff may cancel at any time, the start itself included. */
	ck_assert_int_eq(book_cancel(c, &biz, id, "staff:u1", "sick", false, at_utc(1, 11), a, &res),
			 STATUS_OK);
	ck_assert_int_eq(res.refund_percent, 100);
	ck_assert_int_eq(book_act(c, &biz, id, ACTION_CHECK_IN, "staff:u1", NULL, NOW, a, &res),
			 STATUS_CONFLICT);
}
END_TEST

START_TEST(status_change_is_compare_and_swap)
{
	book_request rq = staff_request("cut", at_utc(1, 12), "bob");
	book_result res;
	ck_assert_int_eq(book_create(c, &biz, &rq, NULL, NOW, a, &res), STATUS_OK);
	/* Someone cancels first; a confirm->checked_in swap read before that must lose. */
	ck_assert_int_eq(store_booking_set_status(c, biz.id, res.b.id, BOOKING_CONFIRMED,
						  BOOKING_CANCELLED, NOW), STATUS_OK);
	ck_assert_int_eq(store_booking_set_status(c, biz.id, res.b.id, BOOKING_CONFIRMED,
						  BOOKING_CHECKED_IN, NOW), STATUS_CONFLICT);
}
END_TEST

START_TEST(conflict_needs_an_explicit_override_which_is_recorded)
{
	book_request rq = staff_request("cut", at_utc(1, 13), "ann");
	book_result res;
	ck_assert_int_eq(book_create(c, &biz, &rq, NULL, NOW, a, &res), STATUS_OK);
	book_request again = staff_request("cut", at_utc(1, 13), "ann");
	ck_assert_int_eq(book_create(c, &biz, &again, NULL, NOW, a, &res), STATUS_CONFLICT);
	ck_assert_int_eq(res.reason, AVAIL_REASON_BUSY);
	/* With force the named provider takes it anyway, and the history says so. */
	again.force = true;
	ck_assert_int_eq(book_create(c, &biz, &again, NULL, NOW, a, &res), STATUS_OK);
	booking_event *ev;
	int n;
	ck_assert_int_eq(store_booking_events(c, biz.id, res.b.id, a, &ev, &n), STATUS_OK);
	ck_assert_int_eq(n, 1);
	ck_assert_ptr_nonnull(strstr(ev[0].changes, "\"override\":\"busy\""));
}
END_TEST

START_TEST(reschedule_frees_the_old_time_and_rebook_copies)
{
	book_request rq = staff_request("cut", at_utc(2, 9), "ann");
	book_result res, res2;
	ck_assert_int_eq(book_create(c, &biz, &rq, NULL, NOW, a, &res), STATUS_OK);
	const char *id = res.b.id, *ref = res.b.reference;
	book_request move = {.start = at_utc(2, 10), .provider_id = "ann", .actor = "staff:u1"};
	ck_assert_int_eq(book_reschedule(c, &biz, id, &move, false, NOW, a, &res), STATUS_OK);
	ck_assert_int_eq(res.b.start_at, at_utc(2, 10));
	/* 09:00 is free again: another booking takes it. */
	book_request other = staff_request("cut", at_utc(2, 9), "ann");
	ck_assert_int_eq(book_create(c, &biz, &other, NULL, NOW, a, &res2), STATUS_OK);
	/* Moving onto its own current time works (it does not block itself). */
	move.start = at_utc(2, 10);
	ck_assert_int_eq(book_reschedule(c, &biz, id, &move, false, NOW, a, &res), STATUS_OK);
	book_request again = {.start = at_utc(2, 14), .actor = "staff:u1"};
	ck_assert_int_eq(book_rebook(c, &biz, id, &again, NOW, a, &res2), STATUS_OK);
	ck_assert_str_eq(res2.b.customer_email, "kim@example.com");
	ck_assert_str_eq(res2.b.provider_id, "ann");
	booking_event *ev;
	int n;
	ck_assert_int_eq(store_booking_events(c, biz.id, res2.b.id, a, &ev, &n), STATUS_OK);
	char want[64];
	snprintf(want, sizeof(want), "\"rebooked_from\":\"%s\"", ref);
	ck_assert_ptr_nonnull(strstr(ev[0].changes, want));
}
END_TEST

START_TEST(notifications_roll_back_with_their_transaction)
{
	book_request rq = staff_request("cut", at_utc(2, 15), "bob");
	book_result res;
	ck_assert_int_eq(book_create(c, &biz, &rq, NULL, NOW, a, &res), STATUS_OK);
	int64_t before = 0, inside = 0, after = 0;
	const char *count = "SELECT COUNT(*) FROM notifications WHERE business_id = $1";
	ck_assert_int_eq(db_query_int(c, count, DB_PARAMS(DB_S(biz.id)), &before), STATUS_OK);
	ck_assert_int_gt(before, 0); /* the booking queued its confirmation with it */
	/* A change whose transaction fails leaves no notification behind. */
	ck_assert_int_eq(db_begin_write(c), STATUS_OK);
	ck_assert_int_eq(outbox_booking(c, &biz, &res.b, "cancelled", NULL, NOW, a), STATUS_OK);
	ck_assert_int_eq(db_query_int(c, count, DB_PARAMS(DB_S(biz.id)), &inside), STATUS_OK);
	ck_assert_int_gt(inside, before);
	db_rollback(c);
	ck_assert_int_eq(db_query_int(c, count, DB_PARAMS(DB_S(biz.id)), &after), STATUS_OK);
	ck_assert_int_eq(after, before);
	/* And a booking that cannot be made queues nothing. */
	book_request clash = staff_request("cut", at_utc(2, 15), "bob");
	ck_assert_int_eq(book_create(c, &biz, &clash, NULL, NOW, a, &res), STATUS_CONFLICT);
	ck_assert_int_eq(db_query_int(c, count, DB_PARAMS(DB_S(biz.id)), &after), STATUS_OK);
	ck_assert_int_eq(after, before);
}
END_TEST

static int64_t max_busy_s(void)
{
	int64_t v = -1;
	ck_assert_int_eq(db_query_int(c, "SELECT COALESCE(MAX(span_s), 0) FROM busy_spans WHERE "
				      "business_id = $1",
				      DB_PARAMS(DB_S(biz.id)), &v),
			 STATUS_OK);
	return v;
}

/* Busy time is read by a range bounded by the longest booking stored: a booking much longer
 * than the one being checked must still block every start inside it. */
START_TEST(a_long_booking_blocks_every_start_inside_it)
{
	book_request day = staff_request("day", at_utc(1, 9), "ann");
	book_result res;
	ck_assert_int_eq(book_create(c, &biz, &day, NULL, NOW, a, &res), STATUS_OK);
	ck_assert_int_eq(max_busy_s(), 28800);
	for (int hour = 9; hour < 17; hour++) {
		book_request cut = staff_request("cut", at_utc(1, hour), "ann");
		ck_assert_int_eq(book_create(c, &biz, &cut, NULL, NOW, a, &res), STATUS_CONFLICT);
	}
	book_request other = staff_request("cut", at_utc(1, 10), "bob");
	ck_assert_int_eq(book_create(c, &biz, &other, NULL, NOW, a, &res), STATUS_OK);
	/* A shorter booking never lowers the bound. */
	ck_assert_int_eq(max_busy_s(), 28800);
}
END_TEST

START_TEST(a_rental_made_longer_by_reschedule_blocks_its_new_span)
{
	book_request rq = staff_request("room", at_utc(2, 9), NULL);
	rq.end = at_utc(2, 10);
	book_result res;
	ck_assert_int_eq(book_create(c, &biz, &rq, NULL, NOW, a, &res), STATUS_OK);
	ck_assert_int_eq(max_busy_s(), 3600);
	book_request longer = {.start = at_utc(2, 9), .end = at_utc(2, 17), .actor = "staff:u1"};
	ck_assert_int_eq(book_reschedule(c, &biz, res.b.id, &longer, false, NOW, a, &res), STATUS_OK);
	ck_assert_int_eq(max_busy_s(), 8 * 3600);
	book_request inside = staff_request("room", at_utc(2, 14), NULL);
	inside.end = at_utc(2, 15);
	ck_assert_int_eq(book_create(c, &biz, &inside, NULL, NOW, a, &res), STATUS_CONFLICT);
}
END_TEST

/* Busy time is read by a range of starts (bookings_start_id): a booking that starts after
 * the time checked still blocks it when its buffer before reaches back into it, and one
 * that started long before blocks it while it lasts. */
START_TEST(a_buffer_before_a_later_start_blocks_the_time_it_covers)
{
	book_request prep = staff_request("prep", at_utc(1, 15), "bob"); /* busy 12:00-16:00 */
	book_result res;
	ck_assert_int_eq(book_create(c, &biz, &prep, NULL, NOW, a, &res), STATUS_OK);
	book_request cut = staff_request("cut", at_utc(1, 12), "bob");
	ck_assert_int_eq(book_create(c, &biz, &cut, NULL, NOW, a, &res), STATUS_CONFLICT);
	cut = staff_request("cut", at_utc(1, 11), "bob"); /* ends as the buffer begins */
	ck_assert_int_eq(book_create(c, &biz, &cut, NULL, NOW, a, &res), STATUS_OK);
	book_request day = staff_request("day", at_utc(2, 9), "bob"); /* 09:00-17:00 */
	ck_assert_int_eq(book_create(c, &biz, &day, NULL, NOW, a, &res), STATUS_OK);
	cut = staff_request("cut", at_utc(2, 16), "bob");
	ck_assert_int_eq(book_create(c, &biz, &cut, NULL, NOW, a, &res), STATUS_CONFLICT);
}
END_TEST

/* The plan SQLite picks for a read on bookings: the detail lines of EXPLAIN QUERY PLAN,
 * joined. */
static const char *plan_of(const char *sql)
{
	return query_plan(c, a, sql, DB_PARAMS(DB_S(biz.id), DB_S("%kim%")));
}

/* SQLite chooses among indexes that serve a query equally well by creation order: the
 * search reads its expression index whatever index on business_id came after it (0019's
 * bookings_customer, 0020's bookings_updated), and the email limit reads the index that
 * replaced the dropped one. The search as store/booking_query.c writes it on SQLite: the
 * rowids it matched. */
START_TEST(reads_use_the_indexes_meant_for_them)
{
	const char *search = plan_of(
		"SELECT x.rowid FROM bookings x WHERE x.business_id = $1 AND "
		"LOWER(x.customer_name || '|' || x.customer_email || '|' || x.customer_phone || "
		"'|' || x.reference) >= '' AND LOWER(x.customer_name || '|' || x.customer_email "
		"|| '|' || x.customer_phone || '|' || x.reference) LIKE $2 ESCAPE '\\'");
	ck_assert_msg(strstr(search, "USING INDEX bookings_search"), "search plan: %s", search);
	const char *email = plan_of(
		"SELECT COUNT(*) FROM bookings WHERE business_id = $1 AND "
		"customer_id = (SELECT u.id FROM customers u WHERE u.business_id = $1 AND "
		"u.email_norm = $2) AND customer_email = $2 AND created_at > 0 AND client_addr IS "
		"NOT NULL");
	ck_assert_msg(strstr(email, "bookings_customer (business_id=? AND customer_id=? AND "
				    "created_at>?)"),
		      "email limit plan: %s", email);
}
END_TEST

/* A booking written by anything else (an older bookd still running beside a newer one)
 * has its span noted too: the database keeps it, not the code that writes bookings. */
START_TEST(a_booking_written_by_plain_sql_still_blocks)
{
	ck_assert_int_eq(db_exec(c,
				 "INSERT INTO bookings (business_id, id, reference, service_id, "
				 "provider_id, start_at, end_at, busy_start, busy_end, seats, status, "
				 "customer_id, customer_name, customer_email, source, price_minor, "
				 "currency, manage_token_hash, created_at, updated_at) VALUES ($1, "
				 "'bkg_plain', 'PLAI-NSQL', 'day', 'bob', $2, $3, $2, $3, 1, "
				 "'confirmed', NULL, 'P', 'p@example.com', 'phone', 0, 'EUR', 'x', $4, $4)",
				 DB_PARAMS(DB_S(biz.id), DB_I(at_utc(2, 9)), DB_I(at_utc(2, 17)),
					   DB_I(NOW)),
				 NULL),
			 STATUS_OK);
	ck_assert_int_eq(max_busy_s(), 28800);
	book_request cut = staff_request("cut", at_utc(2, 15), "bob");
	book_result res;
	ck_assert_int_eq(book_create(c, &biz, &cut, NULL, NOW, a, &res), STATUS_CONFLICT);
}
END_TEST

/* A booking's creation is kept in its own row (no booking_events row: one B-tree fewer in
 * its commit) and read back as the first entry of its history, before what follows. */
START_TEST(the_creation_is_kept_in_the_booking_row)
{
	book_request rq = staff_request("cut", at_utc(1, 10), "ann");
	rq.quiet = true; /* its changes say the customer was not told */
	book_result res;
	ck_assert_int_eq(book_create(c, &biz, &rq, NULL, NOW, a, &res), STATUS_OK);
	const char *id = res.b.id;
	int64_t rows = -1;
	ck_assert_int_eq(db_query_int(c, "SELECT COUNT(*) FROM booking_events WHERE booking_id = $1",
				      DB_PARAMS(DB_S(id)), &rows),
			 STATUS_OK);
	ck_assert_int_eq(rows, 0);
	ck_assert_int_eq(book_act(c, &biz, id, ACTION_CHECK_IN, "staff:u2", NULL, NOW, a, &res),
			 STATUS_OK);
	booking_event *ev;
	int n;
	ck_assert_int_eq(store_booking_events(c, biz.id, id, a, &ev, &n), STATUS_OK);
	ck_assert_int_eq(n, 2);
	ck_assert_str_eq(ev[0].kind, "created");
	ck_assert_str_eq(ev[0].actor, "staff:u1");
	ck_assert_ptr_null(ev[0].from_status);
	ck_assert_str_eq(ev[0].to_status, "confirmed");
	ck_assert_int_eq(ev[0].at, NOW);
	ck_assert_ptr_nonnull(strstr(ev[0].changes, "\"notified\":false"));
	ck_assert_str_eq(ev[1].kind, "check_in");
	ck_assert_str_eq(ev[1].actor, "staff:u2");
	/* A second creation record, or one at another time than the booking's own (written
	 * by an older bookd, or imported), stays an event row and reads once. */
	ck_assert_int_eq(store_booking_event(c, biz.id, "evt_again", id, NOW, "staff:u3",
					     "created", NULL, "confirmed", "", NULL),
			 STATUS_OK);
	ck_assert_int_eq(store_booking_events(c, biz.id, id, a, &ev, &n), STATUS_OK);
	ck_assert_int_eq(n, 3);
	ck_assert_str_eq(ev[0].actor, "staff:u1");
	ck_assert_str_eq(ev[1].kind, "check_in");
	ck_assert_str_eq(ev[2].kind, "created");
	ck_assert_str_eq(ev[2].actor, "staff:u3");
}
END_TEST

Suite *book_suite(void)
{
	Suite *s = suite_create("book");
	TCase *tc = tcase_create("book");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, staff_walk_through_the_lifecycle);
	tcase_add_test(tc, pending_then_confirmed_and_staff_cancel_refunds_all);
	tcase_add_test(tc, status_change_is_compare_and_swap);
	tcase_add_test(tc, conflict_needs_an_explicit_override_which_is_recorded);
	tcase_add_test(tc, reschedule_frees_the_old_time_and_rebook_copies);
	tcase_add_test(tc, notifications_roll_back_with_their_transaction);
	tcase_add_test(tc, a_long_booking_blocks_every_start_inside_it);
	tcase_add_test(tc, a_rental_made_longer_by_reschedule_blocks_its_new_span);
	tcase_add_test(tc, a_booking_written_by_plain_sql_still_blocks);
	tcase_add_test(tc, a_buffer_before_a_later_start_blocks_the_time_it_covers);
	tcase_add_test(tc, reads_use_the_indexes_meant_for_them);
	tcase_add_test(tc, the_creation_is_kept_in_the_booking_row);
	suite_add_tcase(s, tc);
	return s;
}
