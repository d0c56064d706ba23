/* calendar_feeds.h - subscribable iCalendar feeds of bookings behind secret addresses. */
#ifndef BOOKD_API_CALENDAR_FEEDS_H
#define BOOKD_API_CALENDAR_FEEDS_H

#include "http/request.h"

/* How long a cancelled booking stays in feeds (as STATUS:CANCELLED) after its cancellation,
 * so every subscriber's next refresh removes the event. */
#define CALFEED_CANCELLED_KEEP_S (14LL * 86400)

/* /api/v1/businesses/{business}/calendar-feeds[/{feed}[/rotate]] (admin): list, create,
 * rotate the secret (the old address stops at once), delete. */
void calendar_feeds_list(http_req *r);
void calendar_feeds_create(http_req *r);
void calendar_feeds_rotate(http_req *r);
void calendar_feeds_delete(http_req *r);
/* GET /api/v1/public/calendar-feeds/{token}/feed.ics: the feed, 404 for any wrong token. */
void calendar_feed_get(http_req *r);

#endif
