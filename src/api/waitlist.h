/* waitlist.h - the waiting list routes (api/waitlist.c): joining a full class session, the
 * customer's own entry by its signed link (position, leave, and an offered seat booked in
 * one step or declined), the sessions of a class with their seats (full ones included), and
 * the staff list with priority and manual order. */
#ifndef BOOKD_API_WAITLIST_H
#define BOOKD_API_WAITLIST_H

#include "http/request.h"

/* GET /api/v1/public/{business}/sessions?service=&from=&to=&tz= */
void waitlist_sessions_get(http_req *r);
/* POST /api/v1/public/{business}/waitlist */
void waitlist_join_post(http_req *r);
/* GET /api/v1/public/waitlist/{entry}?t=LINK_TOKEN, and POST …/leave, …/accept, …/decline */
void waitlist_public_get(http_req *r);
void waitlist_public_leave(http_req *r);
void waitlist_public_accept(http_req *r);
void waitlist_public_decline(http_req *r);
/* Staff: GET/PATCH/DELETE /api/v1/businesses/{business}/waitlist[/{entry}], and the offer
 * time at …/waitlist-settings */
void staff_waitlist_list(http_req *r);
void staff_waitlist_get(http_req *r);
void staff_waitlist_patch(http_req *r);
void staff_waitlist_delete(http_req *r);
/* POST …/waitlist/{entry}/offer {"start"?, "provider"?}: a place offered by hand */
void staff_waitlist_offer(http_req *r);
/* GET …/waitlist-stats?from=&to=: how the lists converted (joined, offered, booked) */
void staff_waitlist_stats(http_req *r);
void staff_waitlist_settings_get(http_req *r);
void staff_waitlist_settings_patch(http_req *r);

#endif
