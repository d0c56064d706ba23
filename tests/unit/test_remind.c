/* test_remind.c - reminders planned lazily (store/remind) on a real SQLite file: the
 * worker's query reads bookings_start_id, each reminder's row is written once when it falls
 * due, none for a cancelled booking or for an instant that had passed at booking time. */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "api/config_doc.h"
#include "base/civil.h"
#include "query_plan.h"
#include "store/business.h"
#include "store/migrate.h"
#include "store/remind.h"

static const char *FIXTURE =
	"{\"business\": {\"slug\": \"rr\", \"name\": \"R\", \"timezone\": \"UTC\", \"currency\": \"EUR\"},"
	" \"providers\": [{\"id\": \"ann\", \"name\": \"Ann\"}],"
	" \"services\": [{\"id\": \"cut\", \"name\": \"Cut\", \"duration_s\": 3600, \"slot_interval_s\": 3600,"
	"   \"providers\": [\"ann\"]}],"
	" \"schedules\": [{\"owner\": \"business\", \"weekday\": \"tue\", \"start\": \"09:00\", \"end\": \"17:00\"}]}";

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
	snprintf(path, sizeof(path), "/tmp/bookd-test-remind-%d.db", (int)getpid());
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
	ck_assert_int_eq(store_business_by_slug(c, "rr", a, &biz), STATUS_OK);
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

/* A booking as any writer leaves it: confirmed (or status), made at created. */
static void put_booking(const char *id, int64_t start, const char *status_, int64_t created)
{
	ck_assert_int_eq(db_exec(c,
				 "INSERT INTO bookings (business_id, id, reference, service_id, "
				 "provider_id, start_at, end_at, busy_start, busy_end, seats, status, "
				 "customer_id, customer_name, customer_email, source, price_minor, "
				 "currency, manage_token_hash, created_at, updated_at) VALUES ($1, $2, "
				 "$2, 'cut', 'ann', $3, $4, $3, $4, 1, $5, NULL, 'P', 'p@example.com', "
				 "'phone', 0, 'EUR', 'x', $6, $6)",
				 DB_PARAMS(DB_S(biz.id), DB_S(id), DB_I(start), DB_I(start + 3600),
					   DB_S(status_), DB_I(created)),
				 NULL),
			 STATUS_OK);
}

static int64_t reminder_rows(const char *id)
{
	int64_t n = -1;
	ck_assert_int_eq(db_query_int(c,
				      "SELECT COUNT(*) FROM notifications WHERE booking_id = $1 AND "
				      "event = 'reminder'",
				      DB_PARAMS(DB_S(id)), &n),
			 STATUS_OK);
	return n;
}

/* The worker's query reads the bookings of one business by start (bookings_start_id, a
 * range of it), not every booking nor an index of its own. */
START_TEST(due_query_reads_bookings_start_id)
{
	const char *all = query_plan(c, a, remind_due_sql(),
				     DB_PARAMS(DB_S(biz.id), DB_I(NOW), DB_I(NOW + 86400), DB_I(10)));
	ck_assert_msg(strstr(all, "bookings_start_id (business_id=? AND start_at>? AND start_at<?)"),
		      "plan: %s", all);
}
END_TEST

/* Default offsets 24 h and 1 h: nothing before the first instant, one row at it, none again
 * on the next passes, the second at its own instant. */
START_TEST(each_reminder_written_once_when_due)
{
	int64_t start = at_utc(2, 10);
	put_booking("bkg_a", start, "confirmed", NOW);
	int made = -1;
	ck_assert_int_eq(remind_plan_due(c, start - 86400 - 1, a, &made), STATUS_OK);
	ck_assert_int_eq(made, 0);
	ck_assert_int_eq(reminder_rows("bkg_a"), 0);
	ck_assert_int_eq(remind_plan_due(c, start - 86400, a, &made), STATUS_OK);
	ck_assert_int_eq(made, 1);
	ck_assert_int_eq(remind_plan_due(c, start - 86400 + 60, a, &made), STATUS_OK);
	ck_assert_int_eq(made, 0);
	ck_assert_int_eq(reminder_rows("bkg_a"), 1);
	/* The worker's own record lost (another process planned it): the key still holds. */
	ck_assert_int_eq(db_exec(c, "UPDATE bookings SET remind_next = NULL", DB_NOPARAMS, NULL),
			 STATUS_OK);
	ck_assert_int_eq(remind_plan_due(c, start - 86400 + 120, a, &made), STATUS_OK);
	ck_assert_int_eq(made, 0);
	ck_assert_int_eq(reminder_rows("bkg_a"), 1);
	/* Staff see the one to come. */
	notify_row *rows;
	int n;
	ck_assert_int_eq(remind_planned(c, biz.id, "bkg_a", NULL, start - 7200, 10, a, &rows, &n),
			 STATUS_OK);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(rows[0].due_at, start - 3600);
	ck_assert_str_eq(rows[0].event, "reminder");
	ck_assert_int_eq(remind_plan_due(c, start - 3600, a, &made), STATUS_OK);
	ck_assert_int_eq(made, 1);
	ck_assert_int_eq(reminder_rows("bkg_a"), 2);
	ck_assert_int_eq(remind_planned(c, biz.id, "bkg_a", NULL, start - 3600, 10, a, &rows, &n),
			 STATUS_OK);
	ck_assert_int_eq(n, 0);
}
END_TEST

/* A cancelled booking gets none; one made after its 24 h instant gets only the 1 h one. */
START_TEST(none_for_cancelled_or_passed_instants)
{
	int64_t start = at_utc(2, 12);
	put_booking("bkg_gone", start, "cancelled", NOW);
	put_booking("bkg_late", start + 3600, "confirmed", start - 7200);
	int made = -1;
	ck_assert_int_eq(remind_plan_due(c, start - 3600, a, &made), STATUS_OK);
	ck_assert_int_eq(made, 0);
	ck_assert_int_eq(reminder_rows("bkg_gone"), 0);
	ck_assert_int_eq(reminder_rows("bkg_late"), 0);
	ck_assert_int_eq(remind_plan_due(c, start, a, &made), STATUS_OK);
	ck_assert_int_eq(made, 1);
	ck_assert_int_eq(reminder_rows("bkg_late"), 1);
	ck_assert_int_eq(reminder_rows("bkg_gone"), 0);
}
END_TEST

/* New settings apply to the reminders still to come, from the moment they are saved: an
 * added offset whose instant is still ahead is sent, one already passed is not sent late,
 * one already written is not written again. */
START_TEST(new_settings_apply_to_reminders_to_come)
{
	int64_t start = at_utc(3, 12);
	put_booking("bkg_s", start, "confirmed", NOW);
	int made = -1;
	ck_assert_int_eq(remind_plan_due(c, start - 86400, a, &made), STATUS_OK);
	ck_assert_int_eq(made, 1); /* 24 h */
	/* Offsets now 48 h (passed), 24 h (written), 2 h and 1 h (to come). */
	notify_settings set = {.reminder_offsets = "[172800,86400,7200,3600]", .staff_alerts = "[]"};
	ck_assert_int_eq(notify_settings_put(c, biz.id, &set, start - 86400 + 60), STATUS_OK);
	ck_assert_int_eq(remind_plan_due(c, start - 86400 + 120, a, &made), STATUS_OK);
	ck_assert_int_eq(made, 0);
	ck_assert_int_eq(remind_plan_due(c, start - 7200, a, &made), STATUS_OK);
	ck_assert_int_eq(made, 1); /* 2 h: before the 1 h the worker was waiting for */
	ck_assert_int_eq(remind_plan_due(c, start - 3600, a, &made), STATUS_OK);
	ck_assert_int_eq(made, 1);
	ck_assert_int_eq(reminder_rows("bkg_s"), 3);
}
END_TEST

Suite *remind_suite(void)
{
	Suite *s = suite_create("remind");
	TCase *tc = tcase_create("remind");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, due_query_reads_bookings_start_id);
	tcase_add_test(tc, each_reminder_written_once_when_due);
	tcase_add_test(tc, none_for_cancelled_or_passed_instants);
	tcase_add_test(tc, new_settings_apply_to_reminders_to_come);
	suite_add_tcase(s, tc);
	return s;
}
