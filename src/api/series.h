/* series.h - handlers of recurring series and packages (rows in api/routes_series.inc). */
#ifndef BOOKD_API_SERIES_H
#define BOOKD_API_SERIES_H

#include "http/request.h"

/* api/series.c: the public preview and booking of a series, the customer's view of a
 * booking's series and cancelling the rest (manage token); the same for staff. */
void series_public_preview(http_req *r);
void series_public_post(http_req *r);
void series_manage_get(http_req *r);
void series_manage_cancel(http_req *r);
void series_staff_preview(http_req *r);
void series_staff_post(http_req *r);
void series_staff_get(http_req *r);
void series_staff_cancel(http_req *r);

/* api/packages.c: packages (admin defines them), sales to customers (staff). */
void packages_list(http_req *r);
void packages_post(http_req *r);
void packages_patch(http_req *r);
void customer_packages_list(http_req *r);
void customer_packages_post(http_req *r);

#endif
