/* query_plan.h - the plan SQLite picks for a statement, for the tests that hold a read to
 * the index meant for it. */
#ifndef BOOKD_TEST_QUERY_PLAN_H
#define BOOKD_TEST_QUERY_PLAN_H

#include <check.h>

#include "base/arena.h"
#include "store/db.h"

/* The detail lines of EXPLAIN QUERY PLAN for sql with its n parameters, joined by '|'. */
static inline const char *query_plan(db_conn *c, arena *a, const char *sql, const db_val *ps,
				     int n)
{
	db_rows *r;
	ck_assert_int_eq(db_query(c, arena_printf(a, "EXPLAIN QUERY PLAN %s", sql), ps, n, &r),
			 STATUS_OK);
	const char *all = "";
	while (db_next(r))
		all = arena_printf(a, "%s|%s", all, db_text(r, 3));
	ck_assert_int_eq(db_rows_status(r), STATUS_OK);
	db_rows_free(r);
	return all;
}

#endif
