/* calfeed.h - calendar feeds: the secret addresses that show bookings as iCalendar. */
#ifndef BOOKD_CALFEED_H
#define BOOKD_CALFEED_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "store/db.h"

/* One feed (a row of calendar_feeds). Strings in the caller's arena. */
typedef struct store_feed {
	const char *id;          /* "feed_..." */
	const char *scope;       /* business, provider, resource or customer */
	const char *subject_id;  /* the provider, resource or customer; "" for business */
	const char *detail;      /* full or free_busy */
	const char *name;        /* the label staff gave it; may be "" */
	const char *token_hash;  /* SHA-256 hex of the secret (ids_secret_hash) */
	const char *hint;        /* the last characters of the secret, to tell feeds apart */
	int past_days;           /* bookings that started up to this many days ago */
	int future_days;         /* bookings that start up to this many days ahead */
	int64_t created_at;      /* when created */
	int64_t rotated_at;      /* last rotation, 0 never */
	int64_t last_read_at;    /* last fetch of the feed (to the minute), 0 never */
} store_feed;

/* Inserts f into business_id. */
status store_feed_insert(db_conn *c, const char *business_id, const store_feed *f);
/* The feed id of a business; STATUS_NOT_FOUND when none. */
status store_feed_get(db_conn *c, const char *business_id, const char *id, arena *a,
		      store_feed *out);
/* Every feed of a business, newest first, in a. */
status store_feed_list(db_conn *c, const char *business_id, arena *a, store_feed **out, int *n);
/* Replaces the feed's secret hash (the old address stops with this statement's commit).
 * STATUS_NOT_FOUND when there is no such feed. */
status store_feed_rotate(db_conn *c, const char *business_id, const char *id,
			 const char *token_hash, const char *hint, int64_t now);
/* Deletes a feed; STATUS_NOT_FOUND when there is none. */
status store_feed_delete(db_conn *c, const char *business_id, const char *id);
/* Records a read of the feed (the caller does so at most once a minute). */
status store_feed_touch(db_conn *c, const char *business_id, const char *id, int64_t now);
/* STATUS_OK when the subject of scope exists in the business (a provider, resource or
 * customer; anything for business), STATUS_NOT_FOUND otherwise, STATUS_INVALID for an
 * unknown scope. */
status store_feed_subject_ok(db_conn *c, const char *business_id, const char *scope,
			     const char *subject_id);

/* One booking as a feed shows it. Strings in the caller's arena; names "" when absent. */
typedef struct store_feed_booking {
	const char *id;             /* the booking id (its UID is "<id>@bookd") */
	const char *reference;      /* K7QF-2M9X */
	int64_t start_at, end_at;   /* the booked range */
	const char *status;         /* pending, confirmed, checked_in, completed, no_show, cancelled */
	int64_t updated_at;         /* last change (DTSTAMP) */
	int events;                 /* rows in its history: SEQUENCE is events - 1, as in emails */
	const char *service_name;   /* the service */
	const char *provider_name;  /* its provider, or "" */
	const char *resource_name;  /* its resource, or "" */
	const char *customer_name;  /* the customer's contact as booked */
	const char *customer_email;
	const char *customer_phone;
	const char *notes;          /* the booking's notes */
} store_feed_booking;

/* The most bookings one feed shows. */
#define STORE_FEED_MAX 5000

/* The bookings of feed f that start in [from, to): live ones (pending, confirmed, checked in,
 * completed, no-show) and those cancelled at or after cancelled_since (so subscribers see
 * the cancellation), by start then id, at most STORE_FEED_MAX, in a. */
status store_feed_bookings(db_conn *c, const char *business_id, const store_feed *f, int64_t from,
			   int64_t to, int64_t cancelled_since, arena *a, store_feed_booking **out,
			   int *n);

#endif
