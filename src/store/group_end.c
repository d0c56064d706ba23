/* group_end.c - a group whose bookings are all cancelled ends (store/group_end.h). */
#include "store/group_end.h"

status group_end_if_empty(db_conn *c, const char *business_id, const char *booking_id,
			  int64_t now)
{
	return db_exec(c,
		       "UPDATE booking_groups SET status = 'cancelled', updated_at = $3 WHERE "
		       "business_id = $1 AND status = 'active' AND id = (SELECT b.group_id FROM "
		       "bookings b WHERE b.business_id = $1 AND b.id = $2) AND NOT EXISTS (SELECT 1 "
		       "FROM bookings m WHERE m.business_id = $1 AND m.group_id = booking_groups.id "
		       "AND m.status <> 'cancelled')",
		       DB_PARAMS(DB_S(business_id), DB_S(booking_id), DB_I(now)), NULL);
}
