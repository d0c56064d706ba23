/* group_end.h - a booking group ends when nothing of it is left: once every participant's
 * booking is cancelled (each by their own link, or removed one by one), the group is
 * cancelled too, in the same transaction as the last cancellation. */
#ifndef BOOKD_STORE_GROUP_END_H
#define BOOKD_STORE_GROUP_END_H

#include <stdint.h>

#include "store/db.h"

/* Inside a write transaction, after booking_id was cancelled: when it belongs to an active
 * group none of whose bookings is anything but cancelled, marks the group cancelled at now.
 * Nothing to do (no group, or bookings of it still stand) is STATUS_OK. */
status group_end_if_empty(db_conn *c, const char *business_id, const char *booking_id,
			  int64_t now);

#endif
