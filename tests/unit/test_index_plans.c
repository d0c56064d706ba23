/* test_index_plans.c - what a booking's commit writes and what reads find on a real SQLite
 * file: the statements that lost or changed an index (migration 0034) still read through
 * the one meant for them, and customers rebuilt WITHOUT ROWID (0035) keep every row and every reference. */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "api/config_doc.h"
#include "query_plan.h"
#include "store/assign.h"
#include "store/availability.h"
#include "store/business.h"
#include "store/due.h"
#include "store/loyalty.h"
#include "store/db_driver.h"
#include "store/migrate.h"
#include "store/outbox.h"
#include "store/overlap_guard.h"
#include "store/protection.h"
#include "store/remind.h"
#include "store/session_rules.h"

static const char *FIXTURE =
	"{\"business\": {\"slug\": \"ip\", \"name\": \"I\", \"timezone\": \"UTC\", \"currency\": \"EUR\"},"
	" \"providers\": [{\"id\": \"ann\", \"name\": \"Ann\"}],"
	" \"services\": [{\"id\": \"cut\", \"name\": \"Cut\", \"duration_s\": 3600, \"slot_interval_s\": 3600,"
	"   \"providers\": [\"ann\"]}],"
	" \"schedules\": [{\"owner\": \"business\", \"weekday\": \"tue\", \"start\": \"09:00\", \"end\": \"17:00\"}]}";

static const int64_t NOW = INT64_C(1780290000); /* 2026-06-01 05:00 UTC */
/* The schema before customers were rebuilt. */
#define BEFORE_REBUILD 34

static char path[64];
static db *d;
static arena *a;

/* A database at schema version `version` (0: the newest) with the fixture's business. */
static db_conn *open_at(int version, business *biz)
{
	snprintf(path, sizeof(path), "/tmp/bookd-test-plans-%d.db", (int)getpid());
	unlink(path);
	char url[80], err[256];
	snprintf(url, sizeof(url), "sqlite:%s", path);
	ck_assert_int_eq(db_open(url, 1, &d, err, sizeof(err)), STATUS_OK);
	int applied;
	if (version)
		ck_assert_msg(migrate_up_to(d, version, &applied, err, sizeof(err)) == STATUS_OK, "%s", err);
	else
		ck_assert_msg(migrate_up(d, &applied, err, sizeof(err)) == STATUS_OK, "%s", err);
	a = arena_new();
	db_conn *c = db_acquire(d);
	json_t *doc = json_loads(FIXTURE, 0, NULL);
	errlist errs = {0};
	ck_assert_int_eq(config_import(c, doc, false, NOW, a, &errs, NULL), STATUS_OK);
	json_decref(doc);
	ck_assert_int_eq(store_business_by_slug(c, "ip", a, biz), STATUS_OK);
	return c;
}

static void teardown(void)
{
	db_close(d);
	arena_free(a);
	char extra[80];
	unlink(path);
	snprintf(extra, sizeof(extra), "%s-wal", path);
	unlink(extra);
	snprintf(extra, sizeof(extra), "%s-shm", path);
	unlink(extra);
}

/* The plan SQLite chooses for sql with its n parameters ($1..$n) bound to empty strings
 * (the plan does not depend on them). */
static const char *plan(db_conn *c, const char *sql, int n)
{
	db_val ps[8];
	for (int i = 0; i < n; i++)
		ps[i] = DB_S("");
	return query_plan(c, a, sql, ps, n);
}

/* The plan of sql with its n parameters, asserted to hold want. */
static const char *plan_has(db_conn *c, const char *sql, int n, const char *want)
{
	const char *p = plan(c, sql, n);
	ck_assert_msg(strstr(p, want), "want %s; plan: %s", want, p);
	return p;
}

/* A class session's seats are counted from its own bookings, not by walking every booking
 * of the business (what the planner did before bookings_session). */
START_TEST(session_seats_read_bookings_session)
{
	business biz;
	db_conn *c = open_at(0, &biz);
	const char *p = plan_has(c, STORE_SESSION_SEATS_SQL, 6,
		 "SEARCH b USING INDEX bookings_session (business_id=? AND session_id=?)");
	ck_assert_msg(!strstr(p, "bookings_updated") && !strstr(p, "SCAN b"), "plan: %s", p);
	db_release(d, c);
}
END_TEST

/* The assignment's count of a candidate's bookings reads a range of starts. */
START_TEST(assign_count_reads_a_range_of_starts)
{
	business biz;
	db_conn *c = open_at(0, &biz);
	plan_has(c, STORE_ASSIGN_CAND_SQL, 5,
		 "bookings_start_id (business_id=? AND start_at>? AND start_at<?)");
	db_release(d, c);
}
END_TEST

/* A public booking's overlap check reads the customer's own bookings, not every booking of
 * the business that starts before it (what the planner chose once bookings_start_id was
 * rebuilt, 0034: 0.76 ms a booking at 6 000 bookings, and growing, inside the commit). */
START_TEST(overlap_check_reads_the_customers_bookings)
{
	business biz;
	db_conn *c = open_at(0, &biz);
	const char *p = plan_has(c, OVERLAP_CHECK_SQL, 7,
		 "SEARCH o USING INDEX bookings_customer (business_id=? AND customer_id=?)");
	ck_assert_msg(!strstr(p, "bookings_start_id"), "plan: %s", p);
	db_release(d, c);
}
END_TEST

/* The lifecycle worker's statements (every second, in a write transaction) read the
 * partial index of their status, never every booking: bookings_status_end was not used for
 * a status = 'confirmed' alone. */
START_TEST(due_statements_read_their_partial_index)
{
	business biz;
	db_conn *c = open_at(0, &biz);
	static const struct {
		store_due_kind k;
		const char *index;
	} want[] = {
		{DUE_HOLD_EXPIRED, "SEARCH b USING INDEX bookings_hold_expiry (hold_expires_at<?)"},
		{DUE_PAYMENT_EXPIRED, "SEARCH b USING INDEX bookings_payment_expiry (hold_expires_at<?)"},
		{DUE_NO_SHOW, "SEARCH b USING INDEX bookings_status_end (end_at<?)"},
		{DUE_COMPLETED, "SEARCH b USING INDEX bookings_status_end (end_at<?)"},
		{DUE_CHECKED_IN_OVER, "SEARCH b USING INDEX bookings_status_end (end_at<?)"},
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const char *p = plan(c, store_due_sql(want[i].k, false), 2);
		ck_assert_msg(strstr(p, want[i].index), "kind %d plan: %s", (int)want[i].k, p);
		ck_assert_msg(!strstr(p, "SCAN b"), "kind %d plan: %s", (int)want[i].k, p);
	}
	db_release(d, c);
}
END_TEST

/* A hold's share of a provider's or resource's day counts the live holds, not every
 * booking of the business that starts before the day ends. */
START_TEST(holds_taking_reads_the_live_holds)
{
	business biz;
	db_conn *c = open_at(0, &biz);
	for (int res = 0; res < 2; res++) {
		plan_has(c, store_holds_taking_sql(c, res), 5,
			 "USING INDEX bookings_hold_expiry (hold_expires_at>?)");
	}
	plan_has(c, store_session_bookings_sql(c), 2,
		 "USING INDEX bookings_session (business_id=? AND session_id=?)");
	db_release(d, c);
}
END_TEST

/* A customer's loyalty account replays their own payments and bookings. */
START_TEST(loyalty_reads_the_customers_bookings)
{
	business biz;
	db_conn *c = open_at(0, &biz);
	const char *p = plan_has(c, LOYALTY_PAYMENTS_SQL, 3,
		 "SEARCH k USING INDEX bookings_customer (business_id=? AND customer_id=?)");
	ck_assert_msg(strstr(p, "SEARCH p USING INDEX payments_booking (business_id=? AND booking_id=?)"),
		      "plan: %s", p);
	plan_has(c, LOYALTY_BOOKINGS_SQL, 3,
		 "USING INDEX bookings_customer (business_id=? AND customer_id=?)");
	db_release(d, c);
}
END_TEST

/* The reminders planned for one booking read that booking, for one customer that customer's
 * bookings; only the business's list walks the upcoming starts. */
START_TEST(planned_reminders_read_by_their_filter)
{
	business biz;
	db_conn *c = open_at(0, &biz);
	plan_has(c, remind_planned_sql(true, false), 5,
		 "SEARCH b USING INDEX sqlite_autoindex_bookings_1 (business_id=? AND id=?)");
	plan_has(c, remind_planned_sql(false, true), 5,
		 "SEARCH b USING INDEX bookings_customer (business_id=? AND customer_id=?)");
	plan_has(c, remind_planned_sql(false, false), 5,
		 "SEARCH b USING INDEX bookings_start_id (business_id=? AND start_at>?)");
	db_release(d, c);
}
END_TEST

/* Withdrawing a booking's reminders reads that booking's reminders, not every notification
 * of the business by the primary key. */
START_TEST(withdraw_reads_notifications_reminders)
{
	business biz;
	db_conn *c = open_at(0, &biz);
	plan_has(c, outbox_withdraw_sql(c), 3,
		 "notifications USING INDEX notifications_reminders (business_id=? AND booking_id=?)");
	db_release(d, c);
}
END_TEST

static void put_customer(db_conn *c, const char *bid, const char *id, const char *email)
{
	ck_assert_int_eq(db_exec(c,
				 "INSERT INTO customers (business_id, id, email_norm, name, phone, "
				 "bookings_count, spend_minor, created_at, updated_at, sms_opt_in) "
				 "VALUES ($1, $2, $3, 'N ' || $2, '+441', 3, 4500, $4, $4, 1)",
				 DB_PARAMS(DB_S(bid), DB_S(id), DB_S(email), DB_I(NOW)), NULL),
			 STATUS_OK);
}

static status put_booking(db_conn *c, const char *bid, const char *id, const char *customer_id)
{
	return db_exec(c,
		       "INSERT INTO bookings (business_id, id, reference, service_id, provider_id, "
		       "start_at, end_at, busy_start, busy_end, status, customer_id, currency, "
		       "created_at, updated_at) VALUES ($1, $2, $2, 'cut', 'ann', $3, $3 + 3600, $3, "
		       "$3 + 3600, 'confirmed', $4, 'EUR', $3, $3)",
		       DB_PARAMS(DB_S(bid), DB_S(id), DB_I(NOW + 86400), DB_S(customer_id)), NULL);
}

static int64_t count(db_conn *c, const char *sql)
{
	int64_t n = -1;
	ck_assert_int_eq(db_query_int(c, sql, DB_NOPARAMS, &n), STATUS_OK);
	return n;
}

/* Customers rebuilt keep their rows and counters, bookings still refer to them, and the
 * references are enforced again after the migration (foreign keys back on). */
START_TEST(customers_rebuilt_keep_rows_and_references)
{
	business biz;
	db_conn *c = open_at(BEFORE_REBUILD, &biz);
	put_customer(c, biz.id, "cus_a", "a@example.com");
	put_customer(c, biz.id, "cus_b", "b@example.com");
	ck_assert_int_eq(put_booking(c, biz.id, "bkg_1", "cus_a"), STATUS_OK);
	db_release(d, c);
	char err[256];
	int applied = 0;
	ck_assert_msg(migrate_up(d, &applied, err, sizeof(err)) == STATUS_OK, "%s", err);
	ck_assert_int_ge(applied, 1);
	c = db_acquire(d);
	ck_assert_int_eq(count(c, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'customers' AND "
				  "sql LIKE '%WITHOUT ROWID%'"),
			 1);
	ck_assert_int_eq(count(c, "SELECT COUNT(*) FROM customers"), 2);
	ck_assert_int_eq(count(c, "SELECT spend_minor + bookings_count + sms_opt_in FROM customers "
				  "WHERE id = 'cus_b' AND email_norm = 'b@example.com' AND name = 'N cus_b'"),
			 4504);
	ck_assert_int_eq(count(c, "SELECT COUNT(*) FROM bookings b JOIN customers u ON "
				  "u.business_id = b.business_id AND u.id = b.customer_id"),
			 1);
	ck_assert_int_eq(count(c, "PRAGMA foreign_keys"), 1);
	ck_assert_int_eq(put_booking(c, biz.id, "bkg_2", "cus_nobody"), STATUS_CONFLICT);
	/* one email, one customer: the unique key came along */
	ck_assert_int_ne(db_exec(c,
				 "INSERT INTO customers (business_id, id, email_norm, name, created_at, "
				 "updated_at) VALUES ($1, 'cus_c', 'a@example.com', 'C', 1, 1)",
				 DB_PARAMS(DB_S(biz.id)), NULL),
			 STATUS_OK);
	db_release(d, c);
}
END_TEST

/* A reference already broken when the rebuild runs: the migration stops and undoes, the
 * schema stays where it was, and the connection has its foreign keys on again. */
START_TEST(rebuild_with_a_broken_reference_stops)
{
	business biz;
	db_conn *c = open_at(BEFORE_REBUILD, &biz);
	ck_assert_int_eq(db_exec_nocache(c, "PRAGMA foreign_keys=OFF"), STATUS_OK);
	ck_assert_int_eq(put_booking(c, biz.id, "bkg_x", "cus_gone"), STATUS_OK);
	ck_assert_int_eq(db_exec_nocache(c, "PRAGMA foreign_keys=ON"), STATUS_OK);
	db_release(d, c);
	char err[256];
	int applied = 0;
	ck_assert_int_ne(migrate_up(d, &applied, err, sizeof(err)), STATUS_OK);
	ck_assert_msg(strstr(err, "foreign_key_check") && strstr(err, "bookings"), "%s", err);
	c = db_acquire(d);
	ck_assert_int_eq(count(c, "SELECT MAX(version) FROM schema_migrations"), BEFORE_REBUILD);
	ck_assert_int_eq(count(c, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'customers' AND "
				  "sql LIKE '%WITHOUT ROWID%'"),
			 0);
	ck_assert_int_eq(count(c, "PRAGMA foreign_keys"), 1);
	db_release(d, c);
}
END_TEST

Suite *index_plans_suite(void)
{
	Suite *s = suite_create("index_plans");
	TCase *tc = tcase_create("index_plans");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, session_seats_read_bookings_session);
	tcase_add_test(tc, assign_count_reads_a_range_of_starts);
	tcase_add_test(tc, overlap_check_reads_the_customers_bookings);
	tcase_add_test(tc, due_statements_read_their_partial_index);
	tcase_add_test(tc, holds_taking_reads_the_live_holds);
	tcase_add_test(tc, loyalty_reads_the_customers_bookings);
	tcase_add_test(tc, planned_reminders_read_by_their_filter);
	tcase_add_test(tc, withdraw_reads_notifications_reminders);
	tcase_add_test(tc, customers_rebuilt_keep_rows_and_references);
	tcase_add_test(tc, rebuild_with_a_broken_reference_stops);
	suite_add_tcase(s, tc);
	return s;
}
