/* referral.h - where a booking came from beyond its channel: the booking page's ?ref= or
 * its utm_source[/utm_medium]/utm_campaign, as one short tag. Validation and the refusal of
 * a customer's overlapping booking (store/overlap_guard.h) as the API answers them. */
#ifndef BOOKD_API_REFERRAL_H
#define BOOKD_API_REFERRAL_H

#include <jansson.h>

#include "http/request.h"
#include "store/book.h"

/* The longest referral, in bytes. */
#define REFERRAL_MAX 80

/* The normalised form of s (surrounding spaces trimmed, ASCII lower-cased), in a; NULL when
 * it is empty, longer than REFERRAL_MAX, or holds anything but letters, digits and
 * . _ ~ + @ : / - (no spaces, no controls). Pure. */
const char *referral_normalise(arena *a, const char *s);

/* Reads the optional "referral" of body: NULL when absent, null or ""; its normalised form;
 * a field error naming "referral" when it is not a valid one. */
const char *referral_body(http_req *r, const json_t *body);

/* True when res is the refusal of a customer's overlapping booking: answers the 409
 * problem ("reason": "customer_overlap", the field customer.email) and returns true. */
bool referral_overlap_answer(http_req *r, const book_result *res);

#endif
