/* customer_overlap.h - the business's rule on one customer's overlapping public bookings
 * (store/overlap_guard.h) as JSON: written and read by the settings route (GET, PATCH
 * …/customer-overlap) and by the configuration document ("customer_overlap"), so both check
 * every field the same way. */
#ifndef BOOKD_API_CUSTOMER_OVERLAP_H
#define BOOKD_API_CUSTOMER_OVERLAP_H

#include <jansson.h>

#include "base/arena.h"
#include "base/errlist.h"
#include "http/request.h"
#include "store/db.h"
#include "store/overlap_guard.h"

/* {"policy": "refuse"|"allow", "services": [{"id", "allow_overlap"[, "name"]}]} as a new
 * object; names only when with_names (the route; the document leaves them out). */
json_t *customer_overlap_json(bool refuse, const overlap_service *s, int n, bool with_names);

/* Applies the keys of o (an object) to *refuse and reads its "services" into *svcs (in a,
 * *n entries; 0 when left out). Every fault is added to errs under "<prefix>.<key>" (just
 * "<key>" for an empty prefix). */
void customer_overlap_read(const json_t *o, const char *prefix, arena *a, bool *refuse,
			   overlap_service **svcs, int *n, errlist *errs);

/* Inside a write transaction: the policy and each service's flag (a service not of the
 * business: STATUS_NOT_FOUND). */
status customer_overlap_write(db_conn *c, const char *business_id, bool refuse,
			      const overlap_service *s, int n);

/* For a booking staff just made: {"warnings": [{"code": "customer_overlap", "detail"}]} (a
 * new object) when its customer holds another live booking overlapping it that the rule
 * would have refused online; NULL otherwise (or when that cannot be read: the booking is
 * made either way). Staff bookings are never refused. */
json_t *customer_overlap_warning(db_conn *c, const business *b, const booking *bk, int64_t now);

/* GET, PATCH /api/v1/businesses/{business}/customer-overlap: any staff role reads; admin
 * and owner change. */
void customer_overlap_get(http_req *r);
void customer_overlap_patch(http_req *r);

#endif
