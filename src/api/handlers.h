/* handlers.h - every route handler of the API, one file per resource (see api/routes.c). */
#ifndef BOOKD_API_HANDLERS_H
#define BOOKD_API_HANDLERS_H

#include "api/calendar_connections.h"
#include "api/calendar_feeds.h"
#include "api/staff_access.h"
#include "api/staff_bookings.h"
#include "api/staff_catalog.h"
#include "http/request.h"

/* health.c */
void health_get(http_req *r);
void metrics_get(http_req *r);

/* catalogue.c: the public business profile and service list, and the businesses listed on
 * the front page (GET /api/v1/public/businesses) */
void catalogue_business_get(http_req *r);
void catalogue_businesses_get(http_req *r);
void catalogue_services_get(http_req *r);

/* availability.c: GET /api/v1/public/{business}/availability */
void availability_get(http_req *r);
void availability_explain_get(http_req *r);

/* events.c: GET /api/v1/public/{business}/events (Server-Sent Events) */
void events_get(http_req *r);
/* events.c: GET /api/v1/businesses/{business}/events: staff stream of "booking" events
 * (api/live.h live_booking_event), the whole business for admin and owner, the linked
 * provider's bookings for the staff role. */
void staff_events_get(http_req *r);

/* holds.c: POST /api/v1/public/{business}/holds */
void holds_post(http_req *r);
/* holds.c: DELETE /api/v1/public/{business}/holds/{hold}: the customer lets a live hold go
 * before it expires (another time picked, the page left); the slot is free at once and the
 * events stream says so. 204; 404 for anything that is not a live hold of the business. */
void holds_delete(http_req *r);

/* bookings.c: booking, and the customer's manage routes (manage token) */
void bookings_post(http_req *r);
void booking_manage_get(http_req *r);
void booking_manage_cancel(http_req *r);
void booking_manage_reschedule(http_req *r);
void booking_manage_ics(http_req *r);
/* POST …/bookings/{reference}/confirm?t=LINK: a booking waiting for its emailed
 * confirmation (confirm_by_email) made final. Only the link token of that email
 * authorises it, never the manage token (which went to whoever sent the request). */
void booking_manage_confirm(http_req *r);

/* notifications.c: staff notification history, templates and settings */
void notifications_list(http_req *r);
void notifications_retry(http_req *r);
void notification_templates_list(http_req *r);
void notification_template_put(http_req *r);
void notification_template_delete(http_req *r);
void notification_template_preview(http_req *r);
void notification_settings_get(http_req *r);
void notification_settings_patch(http_req *r);

/* message_pages.c: the reminder opt-out pages links in messages open (a link token) */
void notify_opt_out(http_req *r);
void notify_opt_out_post(http_req *r);
/* GET /b/{reference}/confirm?t=: asks the customer to confirm a booking that waits for it
 * (confirm_by_email); POST makes it final (book_confirm_email). */
void confirm_page_get(http_req *r);
void confirm_page_post(http_req *r);

/* web.c: the web app's files and pages (each page is its index.html) */
void web_asset_get(http_req *r);
void web_icon_get(http_req *r);
void web_top_file_get(http_req *r);
void web_home_get(http_req *r);
void web_book_get(http_req *r);
void web_manage_get(http_req *r);
void web_admin_get(http_req *r);

/* testclock.c: POST /api/v1/test/clock, only with --test-clock */
void testclock_post(http_req *r);

#endif
