/* unit.c - one unit of work in one transaction (unit.h). */
#include "store/unit.h"

status store_unit_write(db_conn *c, store_unit_fn work, void *ctx)
{
	status st = db_begin_write(c);
	if (st != STATUS_OK)
		return st;
	st = work(c, ctx);
	if (st == STATUS_OK)
		st = db_commit(c);
	if (st != STATUS_OK)
		db_rollback(c);
	return st;
}

status store_unit_preview(db_conn *c, store_unit_fn work, void *ctx)
{
	status st = db_begin_write(c);
	if (st != STATUS_OK)
		return st;
	st = work(c, ctx);
	db_rollback(c); /* a preview: never kept */
	return st;
}

status store_unit_read(db_conn *c, store_unit_fn work, void *ctx)
{
	status st = db_begin(c);
	if (st != STATUS_OK)
		return st;
	st = work(c, ctx);
	db_rollback(c); /* nothing was written */
	return st;
}
