/* common.h - small helpers shared by handlers: loading the business of a path, JSON shapes. */
#ifndef BOOKD_API_COMMON_H
#define BOOKD_API_COMMON_H

#include <jansson.h>

#include "api/app.h"
#include "base/errlist.h"
#include "core/model.h"

/* Loads the business named by the {business} path parameter. On failure answers the
 * request (404 or the store's error) and returns false. */
bool api_business(http_req *r, db_conn *c, business *out);

/* The request's connection (app_db) and the business of the {business} path parameter in
 * *out; NULL when there is no such business, with the request answered. */
db_conn *api_open_business(http_req *r, business *out);

/* Answers a store error that the handler does not treat specially. */
void api_store_error(http_req *r, db_conn *c, status st);

/* After reading a settings body over its stored values (st: the read of them): errs become
 * field errors; a failed read is answered as api_store_error, errors as 422 with title.
 * True when the settings may be written. */
bool api_settings_read_ok(http_req *r, db_conn *c, status st, const errlist *errs,
			  const char *title);

/* Idempotency-Key support for POSTs that create: the request body's SHA-256 (hex, in the
 * request's arena), and the replay of a stored answer. api_idem_replay answers the request
 * (the stored answer, a 422 when the key came with another body, or a store error) and
 * returns true; false when the key is new. */
const char *api_body_hash(http_req *r);
bool api_idem_replay(http_req *r, db_conn *c, const business *b, const char *key,
		     const char *hash);

/* {"amount_minor": N, "currency": C}: a new reference. */
json_t *api_money(int64_t amount_minor, const char *currency);

/* Paging cursors: raw text (the last row's sort key) as base64url, opaque to clients.
 * api_cursor_decode gives the raw text back (NUL-terminated, in a), or NULL when s is empty,
 * longer than max, malformed, or hides a NUL. */
const char *api_cursor_encode(arena *a, const char *raw);
const char *api_cursor_decode(arena *a, const char *s, size_t max);

#endif
