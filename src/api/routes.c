/* routes.c - the route table of the server: method, pattern, handler, who may call it. */
#include "api/app.h"
#include "api/customer_overlap.h"
#include "api/handlers.h"
#include "api/loyalty.h"
#include "api/pay_element.h"
#include "api/payments.h"
#include "api/pricing.h"
#include "api/series.h"
#include "api/waitlist.h"
#include "api/groups.h"
#include "api/webhooks.h"

/* Rows are {method, pattern, handler, auth}, and name `.max_body = N` only where a route takes
 * a larger body than the server's default (HTTP_BODY_DEFAULT), so the other rows leave it out. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
const http_route API_ROUTES[] = {
	{"GET", "/healthz", health_get, AUTH_PUBLIC},
	{"GET", "/metrics", metrics_get, AUTH_PUBLIC},
	{"GET", "/api/v1/public/businesses", catalogue_businesses_get, AUTH_PUBLIC},
	{"GET", "/api/v1/public/{business}", catalogue_business_get, AUTH_PUBLIC},
	{"GET", "/api/v1/public/{business}/services", catalogue_services_get, AUTH_PUBLIC},
	{"GET", "/api/v1/public/{business}/availability", availability_get, AUTH_PUBLIC},
	{"GET", "/api/v1/public/{business}/events", events_get, AUTH_PUBLIC},
	{"POST", "/api/v1/public/{business}/holds", holds_post, AUTH_PUBLIC},
	{"DELETE", "/api/v1/public/{business}/holds/{hold}", holds_delete, AUTH_PUBLIC},
	{"POST", "/api/v1/public/{business}/bookings", bookings_post, AUTH_PUBLIC},
	{"GET", "/api/v1/public/bookings/{reference}", booking_manage_get, AUTH_PUBLIC},
	{"POST", "/api/v1/public/bookings/{reference}/reschedule", booking_manage_reschedule, AUTH_PUBLIC},
	{"POST", "/api/v1/public/bookings/{reference}/cancel", booking_manage_cancel, AUTH_PUBLIC},
	{"POST", "/api/v1/public/bookings/{reference}/confirm", booking_manage_confirm, AUTH_PUBLIC},
	{"GET", "/api/v1/public/bookings/{reference}/calendar.ics", booking_manage_ics, AUTH_PUBLIC},
	{"POST", "/api/v1/test/clock", testclock_post, AUTH_TEST},
/* Staff routes, one file of rows per area. */
	{"GET", "/api/v1/businesses/{business}/availability/explain", availability_explain_get, AUTH_STAFF},
#include "api/routes_access.inc"
#include "api/routes_catalog.inc"
#include "api/routes_bookings.inc"
#include "api/routes_notify.inc"
#include "api/routes_waitlist.inc"
#include "api/routes_series.inc"
#include "api/routes_calendar.inc"
#include "api/routes_groups.inc"
#include "api/routes_payments.inc"
#include "api/routes_webhooks.inc"
#include "api/routes_loyalty.inc"
#include "api/routes_pricing.inc"
/* The web app last: its "/{file}" matches any one-segment path. */
#include "api/routes_web.inc"
};
#pragma GCC diagnostic pop

const size_t API_ROUTE_COUNT = sizeof(API_ROUTES) / sizeof(API_ROUTES[0]);

const http_route API_METRICS_ROUTES[] = {{"GET", "/metrics", metrics_get, AUTH_PUBLIC, 0}};
const size_t API_METRICS_ROUTE_COUNT = 1;
