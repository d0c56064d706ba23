/* pricing.h - the dynamic pricing routes (api/pricing.c; rows in api/routes_pricing.inc):
 * staff read and replace a service's pricing document; the public quote of a span with its
 * breakdown; and the helpers the availability, booking and hold routes call to price slots
 * and read the add-ons and location a customer chose. */
#ifndef BOOKD_API_PRICING_H
#define BOOKD_API_PRICING_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/avail.h"
#include "core/model.h"
#include "http/request.h"
#include "store/book.h"
#include "store/db.h"

void pricing_service_get(http_req *r);
void pricing_service_put(http_req *r);
void pricing_quote_get(http_req *r);

/* Reads a booking or hold body's "addons" (ids, at most PRICING_MAX_ADDONS) and "location"
 * into rq (copies in r's arena); field errors on r. */
void pricing_body_read(http_req *r, const json_t *body, book_request *rq);

/* When a hold or booking was refused for an add-on (STATUS_INVALID from book_price_prepare),
 * names the field "addons" on r; true when it did. */
bool pricing_refusal_field(http_req *r, status st, const book_result *res);

/* The price of each slot (n of them, appointments and classes) for one seat, at now, when
 * the service has pricing rules: *has_rules says whether it has; *prices_out (in r's arena)
 * is NULL when every slot costs the service's list price, so the answer stays as it was.
 * version is the answer cache's change version read before the request read the database
 * (api/avail_cache.h): while it stands still after a read found no rules anywhere, no rules
 * are read again. Thread-safe. */
status pricing_slot_prices(http_req *r, db_conn *c, uint64_t version, const business *b,
			   const service *svc, const avail_slot *slots, size_t n, bool *has_rules,
			   int64_t **prices_out);

#endif
