/* webhooks.h - the staff routes of webhooks out (api/webhooks.c; rows in
 * api/routes_webhooks.inc): endpoints (admins), test-sends, the delivery log, replays and
 * secret rotation. */
#ifndef BOOKD_API_WEBHOOKS_H
#define BOOKD_API_WEBHOOKS_H

#include "http/request.h"

void webhooks_list(http_req *r);
void webhooks_create(http_req *r);
void webhooks_get(http_req *r);
void webhooks_patch(http_req *r);
void webhooks_delete(http_req *r);
void webhooks_rotate(http_req *r);
void webhooks_test(http_req *r);
void webhooks_deliveries(http_req *r);
void webhooks_replay(http_req *r);

#endif
