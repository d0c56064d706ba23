/* loyalty.h - the loyalty routes (api/loyalty.c; rows in api/routes_loyalty.inc): the
 * business's programme, a customer's points, tier and history, staff's adjustments. */
#ifndef BOOKD_API_LOYALTY_H
#define BOOKD_API_LOYALTY_H

#include "http/request.h"

void loyalty_settings_get_route(http_req *r);
void loyalty_settings_put_route(http_req *r);
void loyalty_customer_get(http_req *r);
void loyalty_customer_adjust(http_req *r);

#endif
