/* booking_json.h - the JSON shapes of bookings and the request parsing shared by the
 * booking routes (public now, staff later). */
#ifndef BOOKD_BOOKING_JSON_H
#define BOOKD_BOOKING_JSON_H

#include <jansson.h>

#include "core/tz.h"
#include "http/request.h"
#include "store/book.h"
#include "store/booking.h"

/* The answer of a successful booking (API.md): reference, status, service, provider, start,
 * end, seats, price and, when given, manage_token. A new reference. */
json_t *booking_json_created(const book_result *res, const business *b, const tz *zone);
/* A booking in full for its customer or staff, with its history when events is not NULL. */
json_t *booking_json_full(const booking *bk, const service *svc, const business *b,
			  const tz *zone, const booking_event *events, int nevents);

/* The contact details a booking was made with that differ from its customer's profile
 * (name, phone: a public booking under a known email never overwrites them, so staff see
 * here when someone typed other ones): a new JSON array of field names, maybe empty. */
json_t *booking_json_differs(const booking *bk, const char *name, const char *phone);

/* Reads a one-line string field of body: NULL when absent; records a field error when the
 * type or length is wrong or it holds a control character or line break (base/text.h;
 * path names the field in errors). The result is in r's arena. */
const char *booking_body_str(http_req *r, const json_t *body, const char *key, const char *path,
			     size_t maxlen, bool required);
/* The same for a free-text field documented as multi-line (notes): line feeds and tabs
 * are kept, every other control character is refused. Optional. */
const char *booking_body_notes(http_req *r, const json_t *body, const char *key,
			       const char *path, size_t maxlen);
/* Records a field error ("path.key", or "key" when path is "") for every key of the
 * object body not in allowed (NULL-terminated): public bodies refuse what they do not
 * know, as the staff API does, so a misspelt field is never silently ignored. */
void booking_body_known(http_req *r, const json_t *body, const char *path,
			const char *const *allowed);
/* Reads an RFC 3339 instant field; false (with a field error) when present but malformed. */
bool booking_body_instant(http_req *r, const json_t *body, const char *key, bool required,
			  int64_t *out);
/* The longest [start, end) a request may name: a day more than the largest max_length_s a
 * service can have (366 days), so a whole-day rental across a DST change still fits. Longer
 * ranges are refused before any availability is loaded: the engine's cost grows with the
 * days in the range. */
#define BOOKING_MAX_SPAN_S (367 * 86400LL)
/* Records a field error on "end" when end is given (non-zero) and lies more than
 * BOOKING_MAX_SPAN_S after start. */
void booking_body_span(http_req *r, int64_t start, int64_t end);
/* Seats one request may ask for at most. */
#define BOOKING_MAX_SEATS 10000
/* Reads "seats" (default 1). */
int booking_body_seats(http_req *r, const json_t *body);
/* Reads a "seats" query parameter s (NULL: absent, 1); a field error and 1 when bad. */
int booking_query_seats(http_req *r, const char *s);

/* Reads the public client of a hold or booking into rq: the address it came from, the
 * optional "client" token of the body (the booking page's browser session: 16-128 of
 * A-Z a-z 0-9 - _; a field error otherwise) and whether the protection limits apply. */
void booking_body_client(http_req *r, const json_t *body, book_request *rq);

/* What an engine reason means, in words (the reason code itself is the stable part:
 * clients branch on that). The words fit what was refused: a rental's candidates are the
 * things hired (a car, a room), not people. Static text. */
const char *booking_reason_detail(avail_reason why, service_kind kind);
/* Answers a failed book_* call: 404, 409 with the engine's reason, 422 with why, 429 with
 * Retry-After when a protection limit refused it. */
void booking_answer_error(http_req *r, db_conn *c, status st, const book_result *res);

/* The manage routes' authorisation (api/bookings.c): the booking named by {reference} when
 * the bearer token is its manage token or ?t= its link token, with its business; otherwise
 * answers 404 (never a hint that the reference exists) and returns false. */
bool booking_manage_auth(http_req *r, db_conn *c, business *b, booking *bk);

/* Trims and lower-cases an email into a; NULL when it is not a plausible address. */
const char *booking_email_normalise(arena *a, const char *email);

#endif
