/* calpush.h - CalDAV two-way sync's rows: the bookings pushed to a connection's collection
 * (href, ETag, what was sent, "needs attention"), the objects last read from it, and the
 * outcome of a sync round written in one transaction. */
#ifndef BOOKD_CALPUSH_H
#define BOOKD_CALPUSH_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "store/calconn.h"
#include "store/db.h"

/* The most bookings one round pushes (the rest wait for the next round, at once). */
#define STORE_PUSH_BATCH 200

/* A booking that needs writing to a connection, with what was last written. Strings in the
 * caller's arena. */
typedef struct store_push_item {
	const char *booking_id;
	const char *reference;
	const char *status;          /* the booking's status */
	int64_t start_at, end_at;
	int64_t updated_at;          /* what is recorded as pushed */
	int events;                  /* history rows: SEQUENCE is events - 1, as in emails */
	const char *service_name;
	const char *with_name;       /* its provider's or resource's name, or "" */
	const char *customer_name, *customer_email, *customer_phone, *notes;
	bool pushed;                 /* a row exists (the event was written before) */
	const char *href;            /* its address when pushed */
	const char *etag;            /* its ETag when pushed ("" unknown) */
	int64_t pushed_start, pushed_end; /* the times last written */
	bool deleted;                /* the event was deleted by bookd */
	bool mine;                   /* still the connection's provider's or resource's */
} store_push_item;

/* The bookings ending at or after from whose event in k's calendar must be written,
 * updated or deleted: k's provider's or resource's live ones (pending to no-show) never
 * pushed or changed since, their cancelled or expired ones pushed and not yet deleted, and
 * pushed ones moved to another provider or resource (mine false). Rows needing attention
 * wait for staff. At most STORE_PUSH_BATCH, by update time. */
status store_calpush_due(db_conn *c, const store_calconn *k, int64_t from, arena *a,
			 store_push_item **out, int *n);

/* Records what was written for booking_id (href, etag, updated_at, the times; deleted when
 * the event was removed), clearing any attention. */
status store_calpush_record(db_conn *c, const store_calconn *k, const char *booking_id,
			    const char *href, const char *etag, int64_t updated_at, int64_t start,
			    int64_t end, bool deleted);

/* Marks booking_id's event in k as needing attention ("moved" or "deleted") at now, keeping
 * etag (the event's current ETag, "" when deleted) for the staff's later decision. */
status store_calpush_attention(db_conn *c, const store_calconn *k, const char *booking_id,
			       const char *what, const char *etag, int64_t now);

/* A pushed event as the pull compares it with the collection. */
typedef struct store_push_row {
	const char *booking_id, *href, *etag, *attention;
	int64_t pushed_start, pushed_end;
	bool rewrite; /* staff chose bookd's version: to be written again, not compared */
} store_push_row;

/* Every pushed, not deleted event of k. */
status store_calpush_rows(db_conn *c, const store_calconn *k, arena *a, store_push_row **out,
			  int *n);

/* Makes every CalDAV, Google or Microsoft connection with push on, not failing, not
 * leased, that has a booking (ending at or after from) changed since it last pushed, or one
 * staff resolved, due at now. *woken (may be NULL) gets how many. */
status store_calpush_wake(db_conn *c, int64_t now, int64_t from, int *woken);

/* An object of a collection as last read. */
typedef struct store_dav_object {
	const char *href, *etag, *data;
} store_dav_object;

/* Every object stored for k, in a. */
status store_davobj_load(db_conn *c, const store_calconn *k, arena *a, store_dav_object **out,
			 int *n);

/* What the pull found about one pushed event. */
typedef struct store_push_mark {
	const char *booking_id;
	const char *what; /* "moved", "deleted", or "" (same times, new ETag: just recorded) */
	const char *etag;
} store_push_mark;

/* A successful CalDAV round, in one transaction: the collection address (after discovery)
 * and the new sync token kept; with full, the stored objects become put[0..nput) exactly,
 * else put are upserted and gone removed; with replace_busy the connection's busy time
 * becomes spans[0..nspans); marks applied; health set as store_calconn_success does.
 * STATUS_NOT_FOUND when the connection was deleted meanwhile. */
typedef struct store_caldav_outcome {
	const char *collection;
	const char *sync_token;           /* NULL: none (calendar-query) */
	bool full;
	const store_dav_object *put;
	int nput;
	const char *const *gone;
	int ngone;
	bool replace_busy;
	const store_busy *spans;
	int nspans;
	int skipped;
	const store_push_mark *marks;
	int nmarks;
} store_caldav_outcome;
status store_caldav_success(db_conn *c, const store_calconn *k, int64_t now, int64_t next_at,
			    const store_caldav_outcome *o);

/* One connection's "needs attention" on a booking, for staff. */
typedef struct store_booking_attention {
	const char *connection_id;
	const char *connection_name;
	const char *what; /* moved or deleted */
	int64_t at;
} store_booking_attention;

/* The attentions on booking_id of business_id, in a. */
status store_calpush_booking_attention(db_conn *c, const char *business_id,
				       const char *booking_id, arena *a,
				       store_booking_attention **out, int *n);

/* How many of k's bookings are in its calendar now (pushed, not deleted) and how many of
 * those need attention. */
status store_calpush_counts(db_conn *c, const char *business_id, const char *connection_id,
			    int *pushed, int *attention);

/* Staff looked: clears the booking's attentions and has bookd write its own version again
 * (over the moved event, with its current ETag; anew where it was deleted) at the next
 * round, made due at now. STATUS_NOT_FOUND when there was no attention. */
status store_calpush_resolve(db_conn *c, const char *business_id, const char *booking_id,
			     int64_t now);

#endif
