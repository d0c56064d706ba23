/* staff_catalog.h - handlers of the staff catalog routes (rows in api/routes_catalog.inc). */
#ifndef BOOKD_STAFF_CATALOG_H
#define BOOKD_STAFF_CATALOG_H

#include "http/request.h"

#endif
