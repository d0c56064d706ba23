/* staff_access.h - handlers of the staff access routes (rows in api/routes_access.inc). */
#ifndef BOOKD_STAFF_ACCESS_H
#define BOOKD_STAFF_ACCESS_H

#include "http/request.h"

#endif
