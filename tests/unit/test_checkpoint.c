/* test_checkpoint.c - with checkpoints in the background, commits never copy the log into
 * the database themselves, and db_checkpoint does. */
#include <check.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/db.h"

static long long file_size(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 ? (long long)sb.st_size : -1;
}

START_TEST(commits_leave_the_log_to_db_checkpoint)
{
	char path[64], wal[80], url[80], err[256];
	snprintf(path, sizeof(path), "/tmp/bookd-ckpt-%d.db", (int)getpid());
	snprintf(wal, sizeof(wal), "%s-wal", path);
	snprintf(url, sizeof(url), "sqlite:%s", path);
	unlink(path);
	unlink(wal);
	db *d;
	ck_assert_int_eq(db_open(url, 2, &d, err, sizeof(err)), STATUS_OK);
	db_checkpoint_in_background(d);
	db_conn *c = db_acquire(d);
	ck_assert_int_eq(db_exec(c, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)", DB_NOPARAMS, NULL),
			 STATUS_OK);
	/* Past SQLite's automatic threshold (1000 pages): the log keeps growing. */
	for (int i = 0; i < 2500; i++) {
		ck_assert_int_eq(db_begin_write(c), STATUS_OK);
		ck_assert_int_eq(db_exec(c, "INSERT INTO t (v) VALUES ($1)", DB_PARAMS(DB_S("x")), NULL),
				 STATUS_OK);
		ck_assert_int_eq(db_commit(c), STATUS_OK);
	}
	long long grown = file_size(wal);
	ck_assert_int_gt(grown, 1500LL * 4096); /* half as much again as the automatic checkpoint allows */
	db_release(d, c);
	ck_assert_int_eq(db_checkpoint(d), STATUS_OK);
	/* After the checkpoint the log is written again from its start: it stops growing. */
	c = db_acquire(d);
	for (int i = 0; i < 50; i++) {
		ck_assert_int_eq(db_begin_write(c), STATUS_OK);
		ck_assert_int_eq(db_exec(c, "INSERT INTO t (v) VALUES ($1)", DB_PARAMS(DB_S("y")), NULL),
				 STATUS_OK);
		ck_assert_int_eq(db_commit(c), STATUS_OK);
	}
	ck_assert_int_le(file_size(wal), grown);
	int64_t n = 0;
	ck_assert_int_eq(db_query_int(c, "SELECT COUNT(*) FROM t", DB_NOPARAMS, &n), STATUS_OK);
	ck_assert_int_eq(n, 2550);
	db_release(d, c);
	db_close(d);
	unlink(path);
	unlink(wal);
	char shm[80];
	snprintf(shm, sizeof(shm), "%s-shm", path);
	unlink(shm);
}
END_TEST

Suite *checkpoint_suite(void)
{
	Suite *s = suite_create("checkpoint");
	TCase *tc = tcase_create("checkpoint");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, commits_leave_the_log_to_db_checkpoint);
	suite_add_tcase(s, tc);
	return s;
}
