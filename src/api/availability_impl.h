/* availability_impl.h - what availability.c shares with availability_multi.c: the query,
 * and one service's slots (from the day cache or the engine). Internal to those two. */
#ifndef BOOKD_API_AVAILABILITY_IMPL_H
#define BOOKD_API_AVAILABILITY_IMPL_H

#include <stdbool.h>
#include <stdint.h>

#include "api/avail_answer.h"
#include "api/avail_cache.h"
#include "core/avail.h"
#include "core/model.h"
#include "http/request.h"
#include "store/db.h"

/* The query, validated. */
typedef struct avail_params {
	const char *service;  /* service id; NULL when `services` names several */
	int64_t from_day;     /* first date, in zone */
	int64_t to_day;       /* last date, included */
	const tz *zone;       /* the client's zone (or the business's) */
	const char *provider; /* one provider, or NULL */
	int seats;            /* seats wanted */
} avail_params;

/* Reads and checks the query string; answers 400 and returns false on any error. With
 * `services` present, p->service is NULL and `service` is not required. */
bool avail_params_read(http_req *r, const business *b, avail_params *p);

/* One service's slots for a question, and what its caching needs. */
typedef struct avail_one {
	avail_result res;          /* the slots, cut to the window when `cut` */
	avail_cache_item **held;   /* cache items whose data the slots borrow: release them */
	size_t n_held;             /* entries in held */
	bool engine;               /* a failure is the engine's (not the store's) */
	bool cut;                  /* the days path: the whole answer may be kept */
	avail_days_seen seen;      /* what the days tell about later nows */
	avail_service as;          /* the engine's view of the service */
	int64_t hi, to;            /* the window's end (advance), the question's end */
} avail_one;

/* Fills *o for service svc: appointments and classes from the day cache (computing and
 * keeping missing days), rentals from the engine. Returns the store's status, or the
 * engine's with o->engine set. The caller releases o->held after writing. */
status avail_one_slots(http_req *r, db_conn *c, uint64_t version, const business *b,
		       const service *svc, const avail_params *p, avail_one *o);

/* availability_multi.c: GET …/availability?services=a,b,c: each service's answer in one
 * {"services":[...]} (p read by avail_params_read, the read transaction begun). */
#define AVAIL_MULTI_MAX 10
void availability_multi(http_req *r, db_conn *c, uint64_t version, const business *b,
			const avail_params *p);

#endif
