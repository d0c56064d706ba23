/* public_json.h - answers of hot public routes written straight into the response body
 * (base/jsonw.h): the service catalogue and a new booking or hold. The bytes jansson's compact
 * dump gave for the same answer (tests/unit/test_jsonw.c holds them to it). */
#ifndef BOOKD_PUBLIC_JSON_H
#define BOOKD_PUBLIC_JSON_H

#include "base/buf.h"
#include "base/status.h"
#include "core/model.h"
#include "core/tz.h"
#include "store/book.h"

/* {"services":[{"id","name","description","kind","duration_s","price":{"amount_minor",
 * "currency"},"capacity","providers":[{"id","name"}]}]}: service i's providers are
 * providers[i] (n_providers[i] of them). STATUS_INVALID when out is full or a text is not
 * UTF-8 (or NULL where a string is due). */
status public_services_write(buf *out, const char *currency, const service *svcs, int n,
			     provider *const *providers, const int *n_providers);

/* The answer to a new booking or hold (API.md), instants in zone: reference, status, service,
 * provider (the resource when it has no provider; null when neither), start, end, seats,
 * price, then resource (with both), manage_token (when given), awaiting_confirmation and
 * expires_at (a booking waiting for its emailed confirmation). */
status public_booking_write(buf *out, const book_result *res, const char *currency,
			    const tz *zone);

#endif
