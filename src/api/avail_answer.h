/* avail_answer.h - the availability answer (API.md "Availability") written straight into
 * the response body, and the engine's slots of one local day packed for the answer cache. */
#ifndef BOOKD_AVAIL_ANSWER_H
#define BOOKD_AVAIL_ANSWER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/status.h"
#include "core/avail.h"
#include "core/tz.h"

/* What an answer says. */
typedef struct avail_answer {
	const char *service_id;  /* echoed as "service" */
	const tz *zone;          /* the client's zone: "tz", offsets and dates */
	int64_t from_day;        /* first date listed, in zone */
	int64_t to_day;          /* last date listed (included) */
	bool rental;             /* slots are free ranges: "resources", "last_start" */
	const avail_slot *slots; /* offered, sorted by start; those outside the dates are skipped */
	size_t n_slots;          /* entries in slots */
	const int64_t *prices;   /* each slot's price (api/pricing.h), or NULL: no "price" */
	const char *currency;    /* of prices */
} avail_answer;

/* Appends {"service","tz","days":[{"date","slots":[...]}]} to out: every date from from_day
 * to to_day, each slot under the date in zone on which it starts, with the members (and
 * their order) the jansson answer had: start, end, providers (rentals: resources),
 * seats_left, then rentals' last_start and providers (the same list), or resources, or
 * session, then "price" ({"amount_minor","currency"}) when prices is set. STATUS_INVALID when out is full or an id is not UTF-8. */
status avail_answer_write(buf *out, const avail_answer *ans);

/* What the days an answer was cut from tell about later "now"s. */
typedef struct avail_days_seen {
	int64_t until; /* the days hold for every now before this (a hold's expiry) */
	int64_t next;  /* the first start at or after the window's end the days offer, or where
			* the days end when they offer none */
} avail_days_seen;

/* Until when an answer cut to [lo, hi) (slots: what it offers, in order) stays the same as
 * "now" moves on, writes aside, for a question ending at `to`: while the days hold, the
 * service's notice cuts no start it offers, and its advance lets in no start it leaves out
 * (when hi came from the advance). Pure. */
int64_t avail_answer_until(const avail_days_seen *seen, const avail_service *svc,
			   const avail_slot *slots, size_t n, int64_t hi, int64_t to);

/* Packs slots (n, as avail_slots gives them) into one block of bytes from a: the slots with
 * their provider, resource and session ids copied, each distinct id once. *len_out gets its
 * size. NULL (nothing to keep) past 65535 distinct ids, or when a slot has return spans
 * (overnight rentals: their answers are computed every time). */
void *avail_pack(const avail_slot *slots, size_t n, arena *a, size_t *len_out);
/* The slots of a packed block (data, len bytes, as avail_pack made it): arrays in a, id
 * strings borrowed from data (which must outlive them). False when data is not such a block. */
bool avail_unpack(const void *data, size_t len, arena *a, avail_slot **slots_out, size_t *n_out);

#endif
