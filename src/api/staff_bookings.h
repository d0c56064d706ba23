/* staff_bookings.h - handlers of the staff bookings routes (rows in api/routes_bookings.inc). */
#ifndef BOOKD_STAFF_BOOKINGS_H
#define BOOKD_STAFF_BOOKINGS_H

#include "http/request.h"

#endif
