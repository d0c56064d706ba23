/* staff_bookings.h - handlers of the staff bookings routes (rows in api/routes_bookings.inc):
 * the bookings list, detail, manual bookings and staff actions, the CSV export, customers
 * and analytics. Every handler runs after auth_authorize checked the route's least role;
 * the staff role is narrowed further here to the bookings of its own provider
 * (principal.provider_id) and those bookings' customers; others' are 404. */
#ifndef BOOKD_STAFF_BOOKINGS_H
#define BOOKD_STAFF_BOOKINGS_H

#include <jansson.h>

#include "core/model.h"
#include "core/tz.h"
#include "http/request.h"
#include "store/booking_query.h"
#include "store/db.h"

/* staff_booking_list.c: GET .../bookings, GET .../bookings/{booking}, GET .../bookings.csv */
void staff_bookings_list(http_req *r);
void staff_booking_get(http_req *r);
void staff_bookings_csv(http_req *r);

/* staff_booking_actions.c: POST .../bookings and the actions on one booking */
void staff_bookings_create(http_req *r);
void staff_booking_confirm(http_req *r);
void staff_booking_check_in(http_req *r);
void staff_booking_no_show(http_req *r);
void staff_booking_complete(http_req *r);
void staff_booking_cancel(http_req *r);
void staff_booking_reschedule(http_req *r);
void staff_booking_rebook(http_req *r);
void staff_booking_resend(http_req *r);

/* calendar.c: GET .../calendar?from=&to=&provider= (open time by the engine, time off,
 * closures and bookings of a range of dates) */
void staff_calendar_get(http_req *r);

/* customers.c: GET .../customers, GET and PATCH .../customers/{customer}, GET
 * .../customers.csv (admin) */
void staff_customers_list(http_req *r);
void staff_customers_csv(http_req *r);
void staff_customer_get(http_req *r);
void staff_customer_update(http_req *r);

/* analytics.c: GET .../analytics */
void staff_analytics_get(http_req *r);

/* Shared by the files above (staff_booking_list.c). */

/* The provider a staff-role caller is narrowed to, for the store's visible_to: NULL for
 * admin and owner (no narrowing); for staff their provider, or a value no provider id
 * equals when no provider is linked to them (they see no bookings). */
const char *staff_visible_to(const http_req *r);
/* The actor recorded in a booking's history: "staff:USER_ID". In r's arena. */
const char *staff_actor(const http_req *r);
/* A booking as the list shows it: a new reference. */
json_t *staff_booking_item(const booking_row *row, const tz *zone);
/* Answers `code` (200, 201) with the booking in full (history, customer, price, fee) as it
 * now is, read again by id or reference; 404 when the caller may not see it. extra_take
 * (may be NULL) is merged in and its reference stolen. */
void staff_booking_answer(http_req *r, db_conn *c, const business *b, const char *id, int code,
			  json_t *extra_take);
/* Parses the query parameter `name` as a local date (business zone) or an RFC 3339
 * instant into an instant: a date means its first instant; with end_of_day, a date means
 * the first instant of the next day (so "to" dates are included). False with a field
 * error when malformed; true with *set false when absent. */
bool staff_query_time(http_req *r, const char *name, const tz *zone, bool end_of_day,
		      int64_t *out, bool *set);

#endif
