/* pricing.h - dynamic pricing in the store: each service's pricing document, the breakdown
 * frozen on a booking, and the hooks store/book.c calls inside its transactions to price a
 * hold or booking with core/pricing.h. Every statement is a fixed string. */
#ifndef BOOKD_STORE_PRICING_H
#define BOOKD_STORE_PRICING_H

#include <jansson.h>
#include <stdint.h>

#include "base/arena.h"
#include "core/model.h"
#include "core/pricing.h"
#include "store/book.h"
#include "store/db.h"

/* The service's pricing document as stored, or "" when it has none. Text in a. */
status store_pricing_get(db_conn *c, const char *bid, const char *sid, arena *a,
			 const char **json_out);
/* Its parsed rules, or *out NULL when it has none (or an empty document). In a. */
status store_pricing_load(db_conn *c, const char *bid, const char *sid, arena *a,
			  pricing_rules **out);
/* Replaces the document (already checked with pricing_parse; "" removes it) in its own
 * write transaction, or inside the caller's when one is open. */
status store_pricing_put(db_conn *c, const char *bid, const char *sid, const char *json,
			 int64_t now);
/* Whether any business has pricing rules at all (*out). */
status store_pricing_any(db_conn *c, bool *out);
/* Every service's document of the business: {service_id: document}, owned by the caller. */
status store_pricing_all(db_conn *c, const char *bid, json_t **out);

/* Inside the caller's write transaction: every service's document replaced by docs
 * ({service_id: document}, each already checked with pricing_parse). */
status store_pricing_replace_all(db_conn *c, const char *bid, const json_t *docs);

/* The breakdown frozen on a booking: {"total_minor","lines","addons","location"}, owned by
 * the caller, or *out NULL when the booking was priced without rules. */
status store_booking_price_get(db_conn *c, const char *bid, const char *booking_id, json_t **out);

/* A quote's lines as JSON (new reference). */
json_t *pricing_lines_json(const pricing_quote *q);

/* Hooks of store/book.c, in a write transaction. book_price_prepare loads the service's
 * rules into res, checks rq's add-ons (STATUS_INVALID with res->why naming the add-on) and
 * sets res->price_extra_s to the time they add, which it adds to *end. */
status book_price_prepare(db_conn *c, const business *b, const book_request *rq, arena *a,
			  book_result *res, int64_t *end);
/* The price of bk (placed, its end including the add-ons' time) for rq's seats; keeps the
 * breakdown in res when rules priced it. */
int64_t book_price_of(const business *b, const book_request *rq, book_result *res,
		      const booking *bk, int64_t now, arena *a);
/* Writes the breakdown book_price_of kept (nothing when none). */
status book_price_save(db_conn *c, const business *b, const book_request *rq,
		       const book_result *res, const booking *bk, int64_t now);
/* A loyalty tier's discount (off, taken from subtotal, bp of it) as the breakdown's last
 * line, so the lines still add up to the price total: into the breakdown res keeps (not yet
 * saved), or, res NULL, into booking_id's saved one (a hold becoming a booking). Nothing
 * when there is no breakdown (the list price) or no discount. */
status book_price_tier(db_conn *c, const business *b, const char *booking_id, book_result *res,
		       const char *tier, int bp, int64_t off, int64_t subtotal, int64_t total,
		       arena *a);

#endif
