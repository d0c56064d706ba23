/* waitlist.c - waiting lists of class sessions: joining, the order, and offers that cascade
 * (each one a hold taken with store/book.c's checks, in one transaction). */
#include "store/waitlist.h"

#include <stdio.h>
#include <string.h>

#include "base/civil.h"
#include "base/ids.h"
#include "core/tz.h"
#include "core/policy.h"
#include "store/book_impl.h"
#include "store/booking.h"
#include "store/business.h"
#include "store/catalog.h"
#include "store/outbox.h"
#include "store/payment.h"
#include "store/protection.h"
#include "store/webhook_event.h"

/* How many offers one pass over a session makes at most (a capacity raise of many seats is
 * offered in several passes). */
#define WAITLIST_OFFERS_MAX 64
/* Sessions the jobs worker looks at per pass. */
#define WAITLIST_SWEEP_MAX 100

/* The live statuses of a booking that take seats, as SQL (a hold only while unexpired, $N
 * being now): the same as the slot engine's inputs (store/availability.c). */
#define WL_SEATS_TAKEN(alias, nowp)                                                             \
	"COALESCE((SELECT SUM(b.seats) FROM bookings b WHERE b.business_id = " alias              \
	".business_id AND b.session_id = " alias ".id AND b.status IN ('held', 'pending', "      \
	"'confirmed', 'checked_in', 'completed') AND (b.status <> 'held' OR b.hold_expires_at > " \
	nowp ")), 0)"

#define WL_COLS                                                                                 \
	"e.id, e.service_id, e.session_id, e.seats, e.customer_id, e.customer_name, "           \
	"e.customer_email, e.customer_phone, e.customer_tz, e.priority, e.place, e.status, "     \
	"e.offer_hold_id, e.offer_expires_at, e.offers, e.booking_id, e.created_at, "            \
	"e.updated_at, COALESCE(s.start_at, h.start_at, 0), COALESCE(s.end_at, h.end_at, 0), "   \
	"e.business_id, "                                                                          \
	"(SELECT k.reference FROM bookings k WHERE k.business_id = e.business_id AND k.id = "    \
	"e.booking_id), "                                                                          \
	"CASE WHEN e.status = 'waiting' THEN (SELECT COUNT(*) FROM waitlist_entries o WHERE "     \
	"o.business_id = e.business_id AND o.service_id = e.service_id AND "                      \
	"COALESCE(o.session_id, '') = COALESCE(e.session_id, '') AND o.status = 'waiting' "       \
	"AND (o.priority < e.priority OR (o.priority = e.priority AND (o.place < e.place OR "     \
	"(o.place = e.place AND o.id <= e.id))))) ELSE 0 END, "                                   \
	"e.window_from, e.window_to, e.provider_id, COALESCE(e.time_from, -1), "                  \
	"COALESCE(e.time_to, -1) "                                                                 \
	"FROM waitlist_entries e LEFT JOIN sessions s ON s.business_id = e.business_id AND s.id " \
	"= e.session_id LEFT JOIN bookings h ON h.business_id = e.business_id AND h.id = "       \
	"COALESCE(e.booking_id, e.offer_hold_id) "

static const char *dup_or_null(arena *a, const db_rows *r, int col)
{
	return db_null(r, col) ? NULL : arena_strdup(a, db_text(r, col));
}

static void read_entry(const db_rows *r, arena *a, waitlist_entry *e, const char **bid_out)
{
	memset(e, 0, sizeof(*e));
	e->id = arena_strdup(a, db_text(r, 0));
	e->service_id = arena_strdup(a, db_text(r, 1));
	e->session_id = dup_or_null(a, r, 2);
	e->seats = (int)db_int(r, 3);
	e->customer_id = arena_strdup(a, db_text(r, 4));
	e->customer_name = arena_strdup(a, db_text(r, 5));
	e->customer_email = arena_strdup(a, db_text(r, 6));
	e->customer_phone = arena_strdup(a, db_text(r, 7));
	e->customer_tz = dup_or_null(a, r, 8);
	e->priority = (int)db_int(r, 9);
	e->place = db_int(r, 10);
	e->status = arena_strdup(a, db_text(r, 11));
	e->offer_hold_id = dup_or_null(a, r, 12);
	e->offer_expires_at = db_int(r, 13);
	e->offers = (int)db_int(r, 14);
	e->booking_id = dup_or_null(a, r, 15);
	e->created_at = db_int(r, 16);
	e->updated_at = db_int(r, 17);
	e->session_start = db_int(r, 18);
	e->session_end = db_int(r, 19);
	if (bid_out)
		*bid_out = arena_strdup(a, db_text(r, 20));
	e->reference = dup_or_null(a, r, 21);
	e->position = (int)db_int(r, 22);
	e->window_from = dup_or_null(a, r, 23);
	e->window_to = dup_or_null(a, r, 24);
	e->provider_id = dup_or_null(a, r, 25);
	e->time_from = (int)db_int(r, 26);
	e->time_to = (int)db_int(r, 27);
}

status waitlist_get(db_conn *c, const char *business_id, const char *id, arena *a,
		    waitlist_entry *out, const char **business_out)
{
	db_rows *r;
	status st = db_query(c,
			     "SELECT " WL_COLS "WHERE ($1 = '' OR e.business_id = $1) AND e.id = $2",
			     DB_PARAMS(DB_S(business_id ? business_id : ""), DB_S(id ? id : "")), &r);
	if (st != STATUS_OK)
		return st;
	if (db_next(r))
		read_entry(r, a, out, business_out);
	else
		st = db_rows_status(r) == STATUS_OK ? STATUS_NOT_FOUND : db_rows_status(r);
	db_rows_free(r);
	return st;
}

status waitlist_list(db_conn *c, const char *business_id, const char *session_id,
		     const char *service_id, bool appointments, const char *status_, int max,
		     arena *a, waitlist_entry **out, int *n)
{
	db_rows *r;
	*out = NULL;
	*n = 0;
	status st = db_query(
		c,
		"SELECT " WL_COLS "WHERE e.business_id = $1 AND ($2 = '' OR e.session_id = $2) AND "
		"($3 = '' OR e.status = $3) AND ($5 = '' OR e.service_id = $5) AND ($6 = 0 OR "
		"e.session_id IS NULL) ORDER BY COALESCE(s.start_at, 0), COALESCE(e.session_id, "
		"e.service_id), CASE WHEN e.status IN "
		"('waiting', 'offered') THEN 0 ELSE 1 END, CASE WHEN e.status IN ('waiting', "
		"'offered') THEN e.priority ELSE 0 END, CASE WHEN e.status IN ('waiting', 'offered') "
		"THEN e.place ELSE -e.updated_at END, e.id LIMIT $4",
		DB_PARAMS(DB_S(business_id), DB_S(session_id ? session_id : ""),
			  DB_S(status_ ? status_ : ""), DB_I(max), DB_S(service_id ? service_id : ""),
			  DB_I(appointments)),
		&r);
	if (st != STATUS_OK)
		return st;
	int cap = 0;
	while (db_next(r)) {
		if (*n == cap) {
			int ncap = cap ? cap * 2 : 16;
			waitlist_entry *grown = arena_alloc(a, (size_t)ncap * sizeof(*grown));
			if (*n)
				memcpy(grown, *out, (size_t)*n * sizeof(*grown));
			*out = grown;
			cap = ncap;
		}
		read_entry(r, a, &(*out)[(*n)++], NULL);
	}
	st = db_rows_status(r);
	db_rows_free(r);
	return st;
}

status waitlist_events(db_conn *c, const char *business_id, const char *id, arena *a,
		       waitlist_event **out, int *n)
{
	db_rows *r;
	*out = NULL;
	*n = 0;
	status st = db_query(c,
			     "SELECT at, actor, kind, booking_id, reason FROM waitlist_events WHERE "
			     "business_id = $1 AND entry_id = $2 ORDER BY at, id",
			     DB_PARAMS(DB_S(business_id), DB_S(id)), &r);
	if (st != STATUS_OK)
		return st;
	int cap = 0;
	while (db_next(r)) {
		if (*n == cap) {
			int ncap = cap ? cap * 2 : 8;
			waitlist_event *grown = arena_alloc(a, (size_t)ncap * sizeof(*grown));
			if (*n)
				memcpy(grown, *out, (size_t)*n * sizeof(*grown));
			*out = grown;
			cap = ncap;
		}
		waitlist_event *ev = &(*out)[(*n)++];
		ev->at = db_int(r, 0);
		ev->actor = arena_strdup(a, db_text(r, 1));
		ev->kind = arena_strdup(a, db_text(r, 2));
		ev->booking_id = dup_or_null(a, r, 3);
		ev->reason = arena_strdup(a, db_text(r, 4));
	}
	st = db_rows_status(r);
	db_rows_free(r);
	return st;
}

/* What a pass over a session moved on: how many entries, and the holds it made or let go
 * (for the jobs worker to publish). */
typedef struct wl_pass {
	int changed;       /* entries moved on */
	const char **ids;  /* holds made or let go, in the pass's arena */
	int n, cap;
	arena *a;
} wl_pass;

static void pass_touch(wl_pass *p, const char *hold_id)
{
	if (!p || !hold_id)
		return;
	if (p->n == p->cap) {
		int ncap = p->cap ? p->cap * 2 : 8;
		const char **grown = arena_alloc(p->a, (size_t)ncap * sizeof(*grown));
		if (p->n)
			memcpy(grown, p->ids, (size_t)p->n * sizeof(*grown));
		p->ids = grown;
		p->cap = ncap;
	}
	p->ids[p->n++] = arena_strdup(p->a, hold_id);
}

/* One step of an entry's history. */
static status wl_event(db_conn *c, const char *bid, const char *entry_id, int64_t now,
		       const char *actor, const char *kind, const char *booking_id,
		       const char *reason, arena *a)
{
	return db_exec(c,
		       "INSERT INTO waitlist_events (business_id, id, entry_id, at, actor, kind, "
		       "booking_id, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
		       DB_PARAMS(DB_S(bid), DB_S(ids_sortable(a, "wev")), DB_S(entry_id), DB_I(now),
				 DB_S(actor ? actor : "job"), DB_S(kind), DB_S(booking_id),
				 DB_S(reason ? reason : "")),
		       NULL);
}

/* Compare-and-swap of an entry's status; STATUS_CONFLICT when it was not `from`. */
static status wl_status(db_conn *c, const char *bid, const char *id, const char *from,
			const char *to, const char *booking_id, int64_t now)
{
	int64_t n = 0;
	status st = db_exec(c,
			    "UPDATE waitlist_entries SET status = $4, updated_at = $5, booking_id = "
			    "COALESCE($6, booking_id) WHERE business_id = $1 AND id = $2 AND status = $3",
			    DB_PARAMS(DB_S(bid), DB_S(id), DB_S(from), DB_S(to), DB_I(now),
				      DB_S(booking_id)),
			    &n);
	if (st == STATUS_OK && n != 1)
		st = STATUS_CONFLICT;
	return st;
}

status waitlist_stats_get(db_conn *c, const char *business_id, int64_t from, int64_t to,
			  waitlist_stats *out)
{
	memset(out, 0, sizeof(*out));
	db_rows *r;
	status st = db_query(
		c,
		"SELECT COUNT(*), COALESCE(SUM(CASE WHEN offers > 0 THEN 1 ELSE 0 END), 0), "
		"COALESCE(SUM(CASE WHEN status = 'booked' THEN 1 ELSE 0 END), 0), "
		"COALESCE(SUM(CASE WHEN status IN ('waiting', 'offered') THEN 1 ELSE 0 END), 0), "
		"(SELECT COUNT(*) FROM waitlist_events v WHERE v.business_id = $1 AND v.at >= $2 AND "
		"v.at < $3 AND v.kind = 'offered'), (SELECT COUNT(*) FROM waitlist_events v WHERE "
		"v.business_id = $1 AND v.at >= $2 AND v.at < $3 AND v.kind = 'accepted'), "
		"(SELECT COUNT(*) FROM waitlist_events v WHERE v.business_id = $1 AND v.at >= $2 AND "
		"v.at < $3 AND v.kind = 'declined'), (SELECT COUNT(*) FROM waitlist_events v WHERE "
		"v.business_id = $1 AND v.at >= $2 AND v.at < $3 AND v.kind = 'expired' AND "
		"v.booking_id IS NOT NULL) FROM waitlist_entries WHERE business_id = $1 AND "
		"created_at >= $2 AND created_at < $3",
		DB_PARAMS(DB_S(business_id), DB_I(from), DB_I(to)), &r);
	if (st != STATUS_OK)
		return st;
	if (db_next(r)) {
		out->joined = db_int(r, 0);
		out->offered = db_int(r, 1);
		out->booked = db_int(r, 2);
		out->waiting = db_int(r, 3);
		out->offers = db_int(r, 4);
		out->accepted = db_int(r, 5);
		out->declined = db_int(r, 6);
		out->expired = db_int(r, 7);
	}
	st = db_rows_status(r);
	db_rows_free(r);
	return st;
}

status waitlist_offer_s_get(db_conn *c, const char *business_id, int64_t *out)
{
	return db_query_int(c, "SELECT waitlist_offer_s FROM businesses WHERE id = $1",
			    DB_PARAMS(DB_S(business_id)), out);
}

status waitlist_offer_s_set(db_conn *c, const char *business_id, int64_t offer_s)
{
	int64_t n = 0;
	status st = db_exec(c, "UPDATE businesses SET waitlist_offer_s = $2 WHERE id = $1",
			    DB_PARAMS(DB_S(business_id), DB_I(offer_s)), &n);
	return st == STATUS_OK && n != 1 ? STATUS_NOT_FOUND : st;
}

status waitlist_by_hold(db_conn *c, const char *business_id, const char *booking_id, arena *a,
			const char **entry_id)
{
	db_rows *r;
	status st = db_query(c,
			     "SELECT id FROM waitlist_entries WHERE business_id = $1 AND offer_hold_id = "
			     "$2 ORDER BY updated_at DESC LIMIT 1",
			     DB_PARAMS(DB_S(business_id), DB_S(booking_id)), &r);
	if (st != STATUS_OK)
		return st;
	if (db_next(r))
		*entry_id = arena_strdup(a, db_text(r, 0));
	else
		st = db_rows_status(r) == STATUS_OK ? STATUS_NOT_FOUND : db_rows_status(r);
	db_rows_free(r);
	return st;
}

/* The session an entry waits for, with its service. */
typedef struct wl_session {
	const char *id;
	const char *service_id;
	const char *provider_id; /* or NULL */
	int64_t start, end;
	service svc;
} wl_session;

static status session_get(db_conn *c, const char *bid, const char *id, arena *a, wl_session *s)
{
	db_rows *r;
	memset(s, 0, sizeof(*s));
	status st = db_query(c,
			     "SELECT id, service_id, provider_id, start_at, end_at FROM sessions WHERE "
			     "business_id = $1 AND id = $2",
			     DB_PARAMS(DB_S(bid), DB_S(id ? id : "")), &r);
	if (st != STATUS_OK)
		return st;
	if (db_next(r)) {
		s->id = arena_strdup(a, db_text(r, 0));
		s->service_id = arena_strdup(a, db_text(r, 1));
		s->provider_id = dup_or_null(a, r, 2);
		s->start = db_int(r, 3);
		s->end = db_int(r, 4);
	} else {
		st = db_rows_status(r) == STATUS_OK ? STATUS_NOT_FOUND : db_rows_status(r);
	}
	db_rows_free(r);
	if (st == STATUS_OK)
		st = store_service_get(c, bid, s->service_id, a, &s->svc);
	return st;
}

/* Locks the session's bookables and the session (PostgreSQL), in booking writes' order. */
static status session_lock(db_conn *c, const business *b, const wl_session *s)
{
	book_request rq = {.seats = 1};
	return book_lock(c, b, &s->svc, &rq, s->start);
}

/* Locks an entry's row (PostgreSQL) and reads it again. */
static status entry_locked(db_conn *c, const char *bid, const char *id, arena *a,
			   waitlist_entry *e)
{
	status st = STATUS_OK;
	if (db_conn_kind(c) == DB_POSTGRES)
		st = db_exec(c,
			     "SELECT id FROM waitlist_entries WHERE business_id = $1 AND id = $2 FOR "
			     "UPDATE",
			     DB_PARAMS(DB_S(bid), DB_S(id)), NULL);
	if (st == STATUS_OK)
		st = waitlist_get(c, bid, id, a, e, NULL);
	return st;
}

/* Lets an offer's hold go (it is held: a compare-and-swap to expired), with the reason in
 * the booking's history. */
static status hold_release(db_conn *c, const business *b, const char *hold_id,
			   const char *actor, const char *reason, int64_t now, arena *a)
{
	booking h;
	status st = store_booking_get(c, b->id, hold_id, true, a, &h);
	if (st != STATUS_OK || h.status != BOOKING_HELD)
		return st == STATUS_NOT_FOUND ? STATUS_OK : st;
	st = store_booking_set_status(c, b->id, h.id, BOOKING_HELD, BOOKING_EXPIRED, now);
	if (st == STATUS_OK)
		st = book_event(c, b->id, &h, now, actor, "expire", "held", "expired", reason, NULL, a);
	return st;
}

/* Inside the locks: an offered entry whose hold (of status hold_status, or "" when gone) is
 * no longer live ends: booked when the hold was booked some other way, else expired (the
 * hold let go if still held); *expired (may be NULL) says which. */
static status settle_one(db_conn *c, const business *b, const char *id, const char *hold,
			 const char *hold_status, int64_t now, arena *a, wl_pass *p, bool *expired)
{
	const char *hs = hold_status;
	bool booked = strcmp(hs, "pending") == 0 || strcmp(hs, "confirmed") == 0 ||
		      strcmp(hs, "checked_in") == 0 || strcmp(hs, "completed") == 0;
	status st = STATUS_OK;
	if (strcmp(hs, "held") == 0)
		st = hold_release(c, b, hold, "job", "the waiting list offer lapsed", now, a);
	if (st == STATUS_OK)
		st = wl_status(c, b->id, id, "offered", booked ? "booked" : "expired",
			       booked ? hold : NULL, now);
	if (st == STATUS_OK)
		st = wl_event(c, b->id, id, now, "job", booked ? "accepted" : "expired", hold,
			      booked ? "the offered seat was booked" : "the offer lapsed unanswered",
			      a);
	if (st == STATUS_OK && p) {
		p->changed++;
		pass_touch(p, hold);
	}
	if (expired)
		*expired = !booked;
	return st;
}

/* Inside the session's locks: offers whose hold is no longer live end (expired, or booked
 * when the hold was booked some other way). */
static status settle_offers(db_conn *c, const business *b, const char *session_id, int64_t now,
			    arena *a, wl_pass *p)
{
	db_rows *r;
	status st = db_query(c,
			     "SELECT e.id, e.offer_hold_id, COALESCE(h.status, ''), "
			     "COALESCE(h.hold_expires_at, 0) FROM waitlist_entries e LEFT JOIN bookings h "
			     "ON h.business_id = e.business_id AND h.id = e.offer_hold_id WHERE "
			     "e.business_id = $1 AND e.session_id = $2 AND e.status = 'offered' ORDER BY "
			     "e.id",
			     DB_PARAMS(DB_S(b->id), DB_S(session_id)), &r);
	if (st != STATUS_OK)
		return st;
	typedef struct lapsed {
		const char *id, *hold, *hold_status;
		int64_t expires;
	} lapsed;
	lapsed *l = NULL;
	int n = 0, cap = 0;
	while (db_next(r)) {
		const char *hs = db_text(r, 2);
		int64_t exp = db_int(r, 3);
		if (strcmp(hs, "held") == 0 && exp > now)
			continue; /* a live offer */
		if (n == cap) {
			int ncap = cap ? cap * 2 : 8;
			lapsed *grown = arena_alloc(a, (size_t)ncap * sizeof(*grown));
			if (n)
				memcpy(grown, l, (size_t)n * sizeof(*grown));
			l = grown;
			cap = ncap;
		}
		l[n++] = (lapsed){arena_strdup(a, db_text(r, 0)), dup_or_null(a, r, 1),
				  arena_strdup(a, hs), exp};
	}
	st = db_rows_status(r);
	db_rows_free(r);
	for (int i = 0; st == STATUS_OK && i < n; i++)
		st = settle_one(c, b, l[i].id, l[i].hold, l[i].hold_status, now, a, p, NULL);
	return st;
}

/* Inside the session's locks: one offer to entry e, a hold of its own until *until. */
static status offer_one(db_conn *c, const business *b, const service *svc, int64_t start,
			const waitlist_entry *e, const avail_slot *slot, int64_t until,
			const char *actor, int64_t now, arena *a, wl_pass *p)
{
	/* The entry, locked and read again before anything is written: one that left the list
	 * meanwhile (a leave racing the offer) is passed over, STATUS_CONFLICT with nothing
	 * done, so the caller offers the next and the write that freed the place still ends. */
	waitlist_entry now_e;
	status st = entry_locked(c, b->id, e->id, a, &now_e);
	if (st != STATUS_OK)
		return st;
	if (strcmp(now_e.status, "waiting") != 0)
		return STATUS_CONFLICT;
	booking bk;
	memset(&bk, 0, sizeof(bk));
	bk.id = ids_new(a, "bkg");
	bk.reference = ids_reference(a);
	book_place(&bk, svc, slot, start, start + svc->duration_s);
	bk.seats = e->seats;
	bk.status = BOOKING_HELD;
	bk.hold_expires_at = until;
	bk.source = "web";
	bk.price_minor = policy_price(svc, bk.start_at, bk.end_at, e->seats);
	bk.currency = b->currency;
	bk.customer_id = e->customer_id;
	bk.customer_name = e->customer_name;
	bk.customer_email = e->customer_email;
	bk.customer_phone = e->customer_phone;
	bk.customer_tz = e->customer_tz;
	bk.created_at = bk.updated_at = now;
	st = store_booking_insert(c, b->id, &bk);
	if (st == STATUS_OK)
		st = book_event(c, b->id, &bk, now, actor, "held", NULL, "held",
				"offered from the waiting list",
				json_pack("{s:s}", "waitlist", e->id), a);
	int64_t n = 0;
	if (st == STATUS_OK)
		st = db_exec(c,
			     "UPDATE waitlist_entries SET status = 'offered', offer_hold_id = $3, "
			     "offer_expires_at = $4, offers = offers + 1, updated_at = $5 WHERE "
			     "business_id = $1 AND id = $2 AND status = 'waiting'",
			     DB_PARAMS(DB_S(b->id), DB_S(e->id), DB_S(bk.id), DB_I(until), DB_I(now)),
			     &n);
	if (st == STATUS_OK && n != 1)
		st = STATUS_CONFLICT;
	if (st == STATUS_OK)
		st = wl_event(c, b->id, e->id, now, actor, "offered", bk.id,
			      strcmp(actor, "job") == 0 ? "" : "offered by hand", a);
	if (st == STATUS_OK)
		st = outbox_booking(c, b, &bk, "waitlist_offer", NULL, now, a);
	if (st == STATUS_OK)
		st = webhook_event_waitlist(c, b->id, e->id, &bk, until, now);
	if (st == STATUS_OK && p) {
		p->changed++;
		pass_touch(p, bk.id);
	}
	return st;
}

/* The seats of the session not taken by live bookings and holds (the engine has the last
 * word; this only skips asking it when nothing can fit). */
static status seats_free(db_conn *c, const char *bid, const char *session_id, int64_t now,
			 int64_t *out)
{
	return db_query_int(c,
			    "SELECT s.capacity - " WL_SEATS_TAKEN("s", "$3") " FROM sessions s WHERE "
			    "s.business_id = $1 AND s.id = $2",
			    DB_PARAMS(DB_S(bid), DB_S(session_id), DB_I(now)), out);
}

/* Until when an offer made now for a start of svc lasts: the business's offer time, cut
 * at the notice cut-off; <= now when it is too late. */
static status offer_until(db_conn *c, const business *b, const service *svc, int64_t start,
			  int64_t now, int64_t *until)
{
	int64_t offer_s = WAITLIST_OFFER_S_DEFAULT;
	status st = waitlist_offer_s_get(c, b->id, &offer_s);
	*until = now + offer_s;
	if (*until > start - svc->min_notice_s)
		*until = start - svc->min_notice_s;
	return st;
}

/* Inside the session's locks: offers free seats down the list. */
static status offer_free(db_conn *c, const business *b, wl_session *s, int64_t now, arena *a,
			 wl_pass *p)
{
	int64_t offer_s = WAITLIST_OFFER_S_DEFAULT, free_ = 0;
	status st = waitlist_offer_s_get(c, b->id, &offer_s);
	/* An offer always ends before booking closes for the session. */
	int64_t until = now + offer_s;
	if (until > s->start - s->svc.min_notice_s)
		until = s->start - s->svc.min_notice_s;
	if (st == STATUS_OK && until <= now)
		return STATUS_OK; /* too late for anyone: the seats stay as they are */
	if (st == STATUS_OK)
		st = seats_free(c, b->id, s->id, now, &free_);
	if (st != STATUS_OK || free_ <= 0)
		return st;
	waitlist_entry *es;
	int n = 0;
	st = waitlist_list(c, b->id, s->id, NULL, false, "waiting", WAITLIST_OFFERS_MAX, a, &es,
			   &n);
	for (int i = 0; st == STATUS_OK && i < n && free_ > 0; i++) {
		if (es[i].seats > free_)
			continue; /* the first who fits */
		book_request rq = {.seats = es[i].seats, .provider_id = s->provider_id};
		book_result res;
		memset(&res, 0, sizeof(res));
		avail_slot slot;
		int64_t end = s->start + s->svc.duration_s;
		st = book_take_slot(c, b, &s->svc, &rq, s->start, &end, now, a, &slot, &res);
		if (st == STATUS_CONFLICT && res.reason == AVAIL_REASON_FULL)
			st = STATUS_OK; /* fewer seats than counted: a smaller party may fit */
		else if (st == STATUS_CONFLICT)
			return STATUS_OK; /* not offered at all (closure, time off, notice) */
		else if (st == STATUS_OK && slot.session_id && strcmp(slot.session_id, s->id) != 0)
			return STATUS_OK; /* another session at that start: never offer the wrong one */
		else if (st == STATUS_OK) {
			st = offer_one(c, b, &s->svc, s->start, &es[i], &slot, until, "job", now, a,
				       p);
			if (st == STATUS_CONFLICT) {
				st = STATUS_OK; /* it left the list meanwhile: the next */
				continue;
			}
			free_ -= es[i].seats;
		}
	}
	return st;
}

/* Inside the session's locks: entries still waiting when the session begins leave it. */
static status expire_started(db_conn *c, const business *b, const wl_session *s, int64_t now,
			     arena *a, wl_pass *p)
{
	waitlist_entry *es;
	int n = 0;
	status st = waitlist_list(c, b->id, s->id, NULL, false, "waiting", 1000, a, &es, &n);
	for (int i = 0; st == STATUS_OK && i < n; i++) {
		st = wl_status(c, b->id, es[i].id, "waiting", "expired", NULL, now);
		if (st == STATUS_OK)
			st = wl_event(c, b->id, es[i].id, now, "job", "expired", NULL,
				      "the session began", a);
		if (st == STATUS_OK && p)
			p->changed++;
	}
	return st;
}

/* The refill of a session whose locks the caller holds (or is about to take with lock). */
static status refill_locked(db_conn *c, const business *b, wl_session *s, bool lock,
			    int64_t now, arena *a, wl_pass *p)
{
	status st = lock ? session_lock(c, b, s) : STATUS_OK;
	if (st == STATUS_OK)
		st = settle_offers(c, b, s->id, now, a, p);
	if (st == STATUS_OK && s->start <= now)
		return expire_started(c, b, s, now, a, p);
	if (st == STATUS_OK)
		st = offer_free(c, b, s, now, a, p);
	return st;
}

status waitlist_refill(db_conn *c, const business *b, const char *session_id, int64_t now,
		       arena *a, int *offered)
{
	int64_t waiting = 0;
	status st = db_query_int(c,
				 "SELECT COUNT(*) FROM waitlist_entries WHERE business_id = $1 AND "
				 "session_id = $2 AND status IN ('waiting', 'offered')",
				 DB_PARAMS(DB_S(b->id), DB_S(session_id)), &waiting);
	if (st != STATUS_OK || waiting == 0)
		return st;
	wl_session s;
	st = session_get(c, b->id, session_id, a, &s);
	if (st == STATUS_NOT_FOUND)
		return STATUS_OK;
	wl_pass p = {.a = a};
	if (st == STATUS_OK)
		st = refill_locked(c, b, &s, true, now, a, &p);
	if (offered)
		*offered = p.changed;
	return st;
}

/* Inside the locks of svc at start: offers [start, start + duration) with provider_id to the
 * first waiting appointment entry of svc whose window, provider and times fit, when the
 * engine offers it. */
static status offer_time(db_conn *c, const business *b, service *svc, const char *provider_id,
			 int64_t start, int64_t now, arena *a, wl_pass *p)
{
	int64_t offer_s = WAITLIST_OFFER_S_DEFAULT;
	status st = waitlist_offer_s_get(c, b->id, &offer_s);
	int64_t until = now + offer_s;
	if (until > start - svc->min_notice_s)
		until = start - svc->min_notice_s;
	const tz *z = tz_get(b->timezone);
	if (st != STATUS_OK || until <= now || !z)
		return st;
	char date[11];
	civil_format_date(tz_local_day(z, start), date);
	int minute = (int)(((tz_to_wall(z, start) % 86400) + 86400) % 86400 / 60);
	waitlist_entry *es;
	int n = 0;
	st = waitlist_list(c, b->id, NULL, svc->id, true, "waiting", WAITLIST_OFFERS_MAX, a, &es, &n);
	for (int i = 0; st == STATUS_OK && i < n; i++) {
		const waitlist_entry *e = &es[i];
		if (!e->window_from || strcmp(date, e->window_from) < 0 || strcmp(date, e->window_to) > 0)
			continue;
		if (e->provider_id && (!provider_id || strcmp(e->provider_id, provider_id) != 0))
			continue;
		if (e->time_from >= 0 && (minute < e->time_from || minute >= e->time_to))
			continue;
		/* The first who fits; the engine decides whether the time is free at all. */
		book_request rq = {.seats = 1, .provider_id = provider_id};
		book_result res;
		memset(&res, 0, sizeof(res));
		avail_slot slot;
		int64_t end = start + svc->duration_s;
		st = book_take_slot(c, b, svc, &rq, start, &end, now, a, &slot, &res);
		if (st == STATUS_CONFLICT)
			return STATUS_OK;
		if (st == STATUS_OK)
			st = offer_one(c, b, svc, start, e, &slot, until, "job", now, a, p);
		if (st == STATUS_CONFLICT) {
			st = STATUS_OK; /* it left the list meanwhile: the next who fits */
			continue;
		}
		return st;
	}
	return st;
}

status waitlist_refill_time(db_conn *c, const business *b, const booking *bk, int64_t now,
			    arena *a)
{
	int64_t waiting = 0;
	status st = db_query_int(c,
				 "SELECT COUNT(*) FROM waitlist_entries WHERE business_id = $1 AND "
				 "service_id = $2 AND session_id IS NULL AND status = 'waiting'",
				 DB_PARAMS(DB_S(b->id), DB_S(bk->service_id)), &waiting);
	if (st != STATUS_OK || waiting == 0 || bk->start_at <= now)
		return st;
	service svc;
	st = store_service_get(c, b->id, bk->service_id, a, &svc);
	if (st != STATUS_OK || svc.kind != SERVICE_APPOINTMENT)
		return st == STATUS_NOT_FOUND ? STATUS_OK : st;
	return offer_time(c, b, &svc, bk->provider_id, bk->start_at, now, a, NULL);
}

/* An appointment entry's offer, under the locks of its time: the hold (read again, locked)
 * and the entry (locked, read again) in *h and *e. */
static status appt_locked(db_conn *c, const business *b, const char *id, arena *a,
			  waitlist_entry *e, booking *h, service *svc)
{
	status st = waitlist_get(c, b->id, id, a, e, NULL);
	if (st == STATUS_OK && !e->offer_hold_id)
		return entry_locked(c, b->id, id, a, e);
	if (st == STATUS_OK)
		st = store_booking_get(c, b->id, e->offer_hold_id, false, a, h);
	if (st == STATUS_OK)
		st = store_service_get(c, b->id, h->service_id, a, svc);
	book_request rq = {.seats = 1, .provider_id = h->provider_id};
	if (st == STATUS_OK)
		st = book_lock(c, b, svc, &rq, h->start_at);
	if (st == STATUS_OK)
		st = store_booking_get(c, b->id, e->offer_hold_id, true, a, h);
	if (st == STATUS_OK)
		st = entry_locked(c, b->id, id, a, e);
	return st;
}

/* ---- joining ---- */

/* Extra arguments of a join. */
typedef struct join_args {
	const waitlist_join_rq *rq;
	const protection *prot;
	waitlist_entry *out;
	bool *existed;
} join_args;

/* The public limits per address and email, counted over joins (as bookings are counted over
 * bookings): the same settings, per hour and per day. */
static status join_caps(db_conn *c, const business *b, const waitlist_join_rq *rq,
			const protection *p, int64_t now, arena *a, book_result *res)
{
	status st = store_client_lock(c, b->id, CLIENT_ADDRESS, rq->client_addr);
	if (st == STATUS_OK)
		st = store_client_lock(c, b->id, CLIENT_EMAIL, rq->customer_email);
	const struct {
		bool email;
		int cap;
		int64_t window_s;
		const char *name;
	} caps[] = {
		{false, p->bookings_per_address_hour, 3600, "bookings_per_address_hour"},
		{false, p->bookings_per_address_day, 86400, "bookings_per_address_day"},
		{true, p->bookings_per_email_hour, 3600, "bookings_per_email_hour"},
		{true, p->bookings_per_email_day, 86400, "bookings_per_email_day"},
	};
	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]) && st == STATUS_OK; i++) {
		if (caps[i].cap <= 0)
			continue;
		db_rows *r;
		st = db_query(c,
			      caps[i].email
				      ? "SELECT COUNT(*), COALESCE(MIN(created_at), 0) FROM "
					"waitlist_entries WHERE business_id = $1 AND customer_email = $2 "
					"AND created_at > $3 AND client_addr IS NOT NULL"
				      : "SELECT COUNT(*), COALESCE(MIN(created_at), 0) FROM "
					"waitlist_entries WHERE business_id = $1 AND client_addr = $2 AND "
					"created_at > $3",
			      DB_PARAMS(DB_S(b->id),
					DB_S(caps[i].email ? rq->customer_email : rq->client_addr),
					DB_I(now - caps[i].window_s)),
			      &r);
		if (st != STATUS_OK)
			return st;
		int64_t count = 0, oldest = 0;
		if (db_next(r)) {
			count = db_int(r, 0);
			oldest = db_int(r, 1);
		}
		st = db_rows_status(r);
		db_rows_free(r);
		if (st == STATUS_OK && count >= caps[i].cap) {
			int64_t retry = oldest + caps[i].window_s - now;
			res->limit = caps[i].name;
			res->retry_after = retry > 0 ? retry : 1;
			res->why = arena_printf(a, "%s joined %lld waiting lists in the last %s, the "
						   "most it may online: try again later or call us",
						caps[i].email ? "this email address" : "this address",
						(long long)count,
						caps[i].window_s == 3600 ? "hour" : "24 hours");
			return STATUS_CONFLICT;
		}
	}
	return st;
}

/* The customer's live entry (waiting or offered) on the list of session_id, or of the
 * appointment service_id when session_id is NULL; *id NULL when none. */
static status live_entry(db_conn *c, const char *bid, const char *session_id,
			 const char *service_id, const char *email, arena *a, const char **id)
{
	db_rows *r;
	*id = NULL;
	status st = db_query(c,
			     "SELECT id FROM waitlist_entries WHERE business_id = $1 AND service_id = $2 "
			     "AND COALESCE(session_id, '') = $3 AND customer_email = $4 AND status IN "
			     "('waiting', 'offered')",
			     DB_PARAMS(DB_S(bid), DB_S(service_id), DB_S(session_id ? session_id : ""),
				       DB_S(email)),
			     &r);
	if (st != STATUS_OK)
		return st;
	if (db_next(r))
		*id = arena_strdup(a, db_text(r, 0));
	st = db_rows_status(r);
	db_rows_free(r);
	return st;
}

/* Joining the list of an appointment service over a window of dates. */
static status join_window(db_conn *c, const business *b, const join_args *x, int64_t now,
			  arena *a, book_result *res)
{
	const waitlist_join_rq *rq = x->rq;
	status st = store_service_get(c, b->id, rq->service_id ? rq->service_id : "", a, &res->svc);
	if (st == STATUS_OK && (!res->svc.active || res->svc.kind != SERVICE_APPOINTMENT))
		st = STATUS_NOT_FOUND;
	if (st != STATUS_OK)
		return st;
	int64_t d1 = 0;
	const tz *z = tz_get(b->timezone);
	if (!z || !civil_parse_date(rq->window_to, strlen(rq->window_to), &d1)) {
		res->why = "the window's dates are not valid";
		return STATUS_INVALID;
	}
	int64_t end_at = tz_day_start(z, d1 + 1, NULL);
	if (end_at <= now) {
		res->why = "the window is over";
		return STATUS_INVALID;
	}
	if (rq->provider_id) {
		int64_t n = 0;
		st = db_query_int(c,
				  "SELECT COUNT(*) FROM service_providers WHERE business_id = $1 AND "
				  "service_id = $2 AND provider_id = $3",
				  DB_PARAMS(DB_S(b->id), DB_S(res->svc.id), DB_S(rq->provider_id)), &n);
		if (st == STATUS_OK && !n) {
			res->why = "the provider does not give this service";
			return STATUS_INVALID;
		}
	}
	const char *have = NULL;
	if (st == STATUS_OK)
		st = live_entry(c, b->id, NULL, res->svc.id, rq->customer_email, a, &have);
	if (st == STATUS_OK && have) {
		*x->existed = true;
		return waitlist_get(c, b->id, have, a, x->out, NULL);
	}
	const char *cid = NULL;
	if (st == STATUS_OK)
		st = store_customer_upsert(c, b->id, rq->customer_email, rq->customer_name,
					   rq->customer_phone ? rq->customer_phone : "",
					   rq->client_addr != NULL, 0, 0, now, a, &cid);
	if (st == STATUS_OK && rq->sms_pref != BOOK_SMS_KEEP)
		st = db_exec(c, "UPDATE customers SET sms_opt_in = $3 WHERE business_id = $1 AND id = $2",
			     DB_PARAMS(DB_S(b->id), DB_S(cid), DB_I(rq->sms_pref == BOOK_SMS_YES)),
			     NULL);
	int64_t place = 0;
	if (st == STATUS_OK)
		st = db_query_int(c,
				  "SELECT COALESCE(MAX(place), 0) + 1 FROM waitlist_entries WHERE "
				  "business_id = $1 AND service_id = $2 AND session_id IS NULL",
				  DB_PARAMS(DB_S(b->id), DB_S(res->svc.id)), &place);
	const char *id = ids_new(a, "wle");
	if (st == STATUS_OK)
		st = db_exec(c,
			     "INSERT INTO waitlist_entries (business_id, id, service_id, window_from, "
			     "window_to, window_end_at, provider_id, time_from, time_to, seats, "
			     "customer_id, customer_name, customer_email, customer_phone, customer_tz, "
			     "priority, place, status, client_addr, created_at, updated_at) VALUES ($1, "
			     "$2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $11, $12, $13, $14, $15, $16, "
			     "'waiting', $17, $18, $18)",
			     DB_PARAMS(DB_S(b->id), DB_S(id), DB_S(res->svc.id), DB_S(rq->window_from),
				       DB_S(rq->window_to), DB_I(end_at), DB_S(rq->provider_id),
				       rq->time_from >= 0 ? DB_I(rq->time_from) : DB_NUL,
				       rq->time_to >= 0 ? DB_I(rq->time_to) : DB_NUL, DB_S(cid),
				       DB_S(rq->customer_name), DB_S(rq->customer_email),
				       DB_S(rq->customer_phone ? rq->customer_phone : ""),
				       DB_S(rq->customer_tz), DB_I(rq->priority), DB_I(place),
				       DB_S(rq->client_addr), DB_I(now)),
			     NULL);
	if (st == STATUS_OK)
		st = wl_event(c, b->id, id, now, rq->actor, "joined", NULL, "", a);
	if (st == STATUS_OK)
		st = waitlist_get(c, b->id, id, a, x->out, NULL);
	return st;
}

static status join_attempt(db_conn *c, const business *b, const book_request *brq,
			   const void *extra, int64_t now, arena *a, book_result *res)
{
	(void)brq;
	const join_args *x = extra;
	const waitlist_join_rq *rq = x->rq;
	status st = STATUS_OK;
	*x->existed = false;
	if (rq->client_addr && rq->client_limits) {
		st = join_caps(c, b, rq, x->prot, now, a, res);
		if (st != STATUS_OK)
			return st;
	}
	if (!rq->session_id)
		return join_window(c, b, x, now, a, res);
	wl_session s;
	st = session_get(c, b->id, rq->session_id, a, &s);
	if (st == STATUS_OK && (!s.svc.active || s.svc.kind != SERVICE_CLASS))
		st = STATUS_NOT_FOUND;
	if (st != STATUS_OK)
		return st;
	res->svc = s.svc;
	if (s.start <= now) {
		res->why = "the session has begun";
		return STATUS_CONFLICT;
	}
	/* Already on this list: the same entry again (a join is safe to repeat). */
	db_rows *r;
	st = db_query(c,
		      "SELECT id FROM waitlist_entries WHERE business_id = $1 AND session_id = $2 AND "
		      "customer_email = $3 AND status IN ('waiting', 'offered')",
		      DB_PARAMS(DB_S(b->id), DB_S(s.id), DB_S(rq->customer_email)), &r);
	if (st != STATUS_OK)
		return st;
	const char *have = db_next(r) ? arena_strdup(a, db_text(r, 0)) : NULL;
	st = db_rows_status(r);
	db_rows_free(r);
	if (st == STATUS_OK && have) {
		*x->existed = true;
		return waitlist_get(c, b->id, have, a, x->out, NULL);
	}
	int64_t booked = 0;
	if (st == STATUS_OK)
		st = db_query_int(c,
				  "SELECT COUNT(*) FROM bookings WHERE business_id = $1 AND session_id = "
				  "$2 AND customer_email = $3 AND status IN ('pending', 'confirmed', "
				  "'checked_in')",
				  DB_PARAMS(DB_S(b->id), DB_S(s.id), DB_S(rq->customer_email)), &booked);
	if (st == STATUS_OK && booked) {
		res->why = "this email address already has a booking in this session";
		return STATUS_CONFLICT;
	}
	/* Only a full session has a waiting list; the engine says whether it is. */
	book_request want = {.seats = rq->seats, .provider_id = s.provider_id};
	avail_slot slot;
	int64_t end = s.start + s.svc.duration_s;
	if (st == STATUS_OK) {
		st = book_take_slot(c, b, &s.svc, &want, s.start, &end, now, a, &slot, res);
		if (st == STATUS_OK) {
			res->reason = AVAIL_REASON_OFFERED;
			res->why = "seats are free in this session: book them";
			return STATUS_CONFLICT;
		}
		if (st == STATUS_CONFLICT && res->reason == AVAIL_REASON_FULL) {
			st = STATUS_OK;
			res->why = NULL;
			res->reason = AVAIL_REASON_OFFERED;
		}
	}
	if (st != STATUS_OK)
		return st;
	const char *cid;
	st = store_customer_upsert(c, b->id, rq->customer_email, rq->customer_name,
				   rq->customer_phone ? rq->customer_phone : "",
				   rq->client_addr != NULL, 0, 0, now, a, &cid);
	if (st == STATUS_OK && rq->sms_pref != BOOK_SMS_KEEP)
		st = db_exec(c, "UPDATE customers SET sms_opt_in = $3 WHERE business_id = $1 AND id = $2",
			     DB_PARAMS(DB_S(b->id), DB_S(cid), DB_I(rq->sms_pref == BOOK_SMS_YES)), NULL);
	int64_t place = 0;
	if (st == STATUS_OK)
		st = db_query_int(c,
				  "SELECT COALESCE(MAX(place), 0) + 1 FROM waitlist_entries WHERE "
				  "business_id = $1 AND session_id = $2",
				  DB_PARAMS(DB_S(b->id), DB_S(s.id)), &place);
	const char *id = ids_new(a, "wle");
	if (st == STATUS_OK)
		st = db_exec(c,
			     "INSERT INTO waitlist_entries (business_id, id, service_id, session_id, "
			     "seats, customer_id, customer_name, customer_email, customer_phone, "
			     "customer_tz, priority, place, status, client_addr, created_at, "
			     "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
			     "'waiting', $13, $14, $14)",
			     DB_PARAMS(DB_S(b->id), DB_S(id), DB_S(s.service_id), DB_S(s.id),
				       DB_I(rq->seats), DB_S(cid), DB_S(rq->customer_name),
				       DB_S(rq->customer_email),
				       DB_S(rq->customer_phone ? rq->customer_phone : ""),
				       DB_S(rq->customer_tz), DB_I(rq->priority), DB_I(place),
				       DB_S(rq->client_addr), DB_I(now)),
			     NULL);
	if (st == STATUS_OK)
		st = wl_event(c, b->id, id, now, rq->actor, "joined", NULL, "", a);
	if (st == STATUS_OK)
		st = waitlist_get(c, b->id, id, a, x->out, NULL);
	return st;
}

status waitlist_join(db_conn *c, const business *b, const waitlist_join_rq *rq, int64_t now,
		     arena *a, waitlist_entry *out, bool *existed, book_result *res)
{
	memset(res, 0, sizeof(*res));
	protection prot = protection_defaults();
	if (rq->client_addr && rq->client_limits) {
		status st = store_protection_get(c, b->id, &prot);
		if (st != STATUS_OK)
			return st;
	}
	join_args x = {rq, &prot, out, existed};
	book_request brq = {.actor = rq->actor};
	return book_run(c, b, &brq, &x, now, a, res, join_attempt);
}

/* ---- leaving, declining, accepting, reordering ---- */

/* Extra arguments of the writes on one entry. */
typedef struct entry_args {
	const char *id;     /* the entry */
	const char *actor;  /* who */
	const char *reason; /* why, or NULL */
	bool by_staff;      /* removed by staff rather than left by the customer */
	bool decline;       /* only a live offer may be declined */
} entry_args;

static status leave_attempt(db_conn *c, const business *b, const book_request *brq,
			    const void *extra, int64_t now, arena *a, book_result *res)
{
	(void)brq;
	const entry_args *x = extra;
	waitlist_entry e;
	status st = waitlist_get(c, b->id, x->id, a, &e, NULL);
	if (st != STATUS_OK)
		return st;
	wl_session s;
	booking h;
	service hsvc;
	bool appt = !e.session_id;
	if (appt)
		st = appt_locked(c, b, x->id, a, &e, &h, &hsvc);
	else
		st = session_get(c, b->id, e.session_id, a, &s);
	if (st == STATUS_OK && !appt)
		st = session_lock(c, b, &s);
	if (st == STATUS_OK && !appt && e.offer_hold_id) {
		/* the hold before the entry: the order every offer write locks in */
		st = store_booking_get(c, b->id, e.offer_hold_id, true, a, &h);
		if (st == STATUS_NOT_FOUND)
			st = STATUS_OK;
	}
	if (st == STATUS_OK && !appt)
		st = entry_locked(c, b->id, x->id, a, &e);
	if (st != STATUS_OK)
		return st;
	bool offered = strcmp(e.status, "offered") == 0;
	bool live = offered && e.offer_expires_at > now;
	if (x->decline && !live) {
		res->why = offered ? "the offer has lapsed" : "there is no offer to decline";
		return STATUS_CONFLICT;
	}
	if (!offered && strcmp(e.status, "waiting") != 0) {
		res->why = arena_printf(a, "the entry is no longer on the list (%s)", e.status);
		return STATUS_CONFLICT;
	}
	const char *to = x->decline ? "declined" : x->by_staff ? "removed" : "left";
	if (offered)
		st = hold_release(c, b, e.offer_hold_id, x->actor,
				  x->decline ? "the waiting list offer was declined"
					     : "the waiting list entry was withdrawn",
				  now, a);
	if (st == STATUS_OK)
		st = wl_status(c, b->id, e.id, e.status, to, NULL, now);
	if (st == STATUS_CONFLICT)
		res->why = "the entry was changed at the same time; reload it";
	if (st == STATUS_OK)
		st = wl_event(c, b->id, e.id, now, x->actor, to, offered ? e.offer_hold_id : NULL,
			      x->reason, a);
	/* The seat (or time) it held goes to the next in the same transaction. */
	if (st == STATUS_OK && offered && appt)
		st = offer_time(c, b, &hsvc, h.provider_id, h.start_at, now, a, NULL);
	else if (st == STATUS_OK && offered)
		st = refill_locked(c, b, &s, false, now, a, NULL);
	return st;
}

status waitlist_leave(db_conn *c, const business *b, const char *id, const char *actor,
		      bool by_staff, const char *reason, int64_t now, arena *a, book_result *res)
{
	memset(res, 0, sizeof(*res));
	entry_args x = {.id = id, .actor = actor, .reason = reason, .by_staff = by_staff};
	book_request brq = {.actor = actor};
	return book_run(c, b, &brq, &x, now, a, res, leave_attempt);
}

status waitlist_decline(db_conn *c, const business *b, const char *id, int64_t now, arena *a)
{
	book_result res;
	memset(&res, 0, sizeof(res));
	entry_args x = {.id = id, .actor = "customer", .decline = true};
	book_request brq = {.actor = "customer"};
	return book_run(c, b, &brq, &x, now, a, &res, leave_attempt);
}

static status accept_attempt(db_conn *c, const business *b, const book_request *brq,
			     const void *extra, int64_t now, arena *a, book_result *res)
{
	(void)brq;
	const entry_args *x = extra;
	waitlist_entry e;
	status st = waitlist_get(c, b->id, x->id, a, &e, NULL);
	if (st != STATUS_OK)
		return st;
	if (strcmp(e.status, "offered") != 0 || !e.offer_hold_id) {
		res->why = strcmp(e.status, "booked") == 0 ? "the offered seat is booked already"
							    : "there is no offer to accept";
		return STATUS_CONFLICT;
	}
	booking *bk = &res->b;
	st = store_booking_get(c, b->id, e.offer_hold_id, true, a, bk);
	if (st == STATUS_OK)
		st = entry_locked(c, b->id, x->id, a, &e);
	if (st == STATUS_NOT_FOUND)
		st = STATUS_CONFLICT;
	if (st == STATUS_OK &&
	    (strcmp(e.status, "offered") != 0 || !e.offer_hold_id ||
	     strcmp(e.offer_hold_id, bk->id) != 0 || bk->status != BOOKING_HELD ||
	     bk->hold_expires_at <= now)) {
		res->why = "the offer has lapsed";
		return STATUS_CONFLICT;
	}
	if (st == STATUS_OK)
		st = store_service_get(c, b->id, bk->service_id, a, &res->svc);
	booking_status to = BOOKING_CONFIRMED;
	int64_t due = 0; /* paid in advance: accepted, it waits pending on a payment hold */
	if (st == STATUS_OK)
		st = payment_customer_due(c, b, &res->svc, bk->price_minor, &due);
	if (st == STATUS_OK)
		st = lifecycle_next(BOOKING_HELD, ACTION_BOOK, res->svc.requires_approval || due > 0,
				    &to, &res->why);
	if (st != STATUS_OK)
		return st;
	res->manage_token = ids_secret(a);
	bk->manage_token_hash = ids_secret_hash(a, res->manage_token);
	bk->updated_at = now;
	st = store_booking_set_customer(c, b->id, bk);
	if (st == STATUS_OK)
		st = store_booking_set_status(c, b->id, bk->id, BOOKING_HELD, to, now);
	if (st == STATUS_OK)
		st = store_customer_count(c, b->id, bk->customer_id, 1, bk->price_minor, 0, 0);
	if (st == STATUS_OK) {
		bk->status = to;
		bk->hold_expires_at = 0;
		st = book_event(c, b->id, bk, now, "customer", "booked", "held",
				booking_status_name(to), "booked from the waiting list offer",
				json_pack("{s:s}", "waitlist", e.id), a);
	}
	if (st == STATUS_OK)
		st = wl_status(c, b->id, e.id, "offered", "booked", bk->id, now);
	if (st == STATUS_OK)
		st = wl_event(c, b->id, e.id, now, "customer", "accepted", bk->id, "", a);
	if (st == STATUS_OK && due > 0) /* its message goes once it is paid */
		return payment_booking_held(c, b, bk, &res->svc, due, now, a);
	if (st == STATUS_OK)
		st = outbox_booking(c, b, bk, to == BOOKING_PENDING ? "pending" : "confirmed", NULL,
				    now, a);
	return st;
}

status waitlist_accept(db_conn *c, const business *b, const char *id, int64_t now, arena *a,
		       book_result *res)
{
	memset(res, 0, sizeof(*res));
	entry_args x = {.id = id, .actor = "customer"};
	book_request brq = {.actor = "customer"};
	return book_run(c, b, &brq, &x, now, a, res, accept_attempt);
}

/* Extra arguments of a staff change of order. */
typedef struct update_args {
	const char *id;
	int priority; /* or -1 */
	int position; /* or 0 */
	const char *actor;
} update_args;

static status update_attempt(db_conn *c, const business *b, const book_request *brq,
			     const void *extra, int64_t now, arena *a, book_result *res)
{
	(void)brq;
	const update_args *x = extra;
	waitlist_entry e;
	status st = entry_locked(c, b->id, x->id, a, &e);
	if (st != STATUS_OK)
		return st;
	if (strcmp(e.status, "waiting") != 0) {
		res->why = "only a waiting entry can change its place";
		return STATUS_CONFLICT;
	}
	int prio = x->priority >= 0 ? x->priority : e.priority;
	/* The entries of the target priority, in order, without this one; it is put back at
	 * the position asked (or last when its priority changes without a position), and every
	 * place is written again. */
	waitlist_entry *es;
	int n = 0;
	st = waitlist_list(c, b->id, e.session_id, e.service_id, !e.session_id, "waiting", 100000,
			   a, &es, &n);
	if (st != STATUS_OK)
		return st;
	const char **order = arena_alloc(a, (size_t)(n + 1) * sizeof(*order));
	int k = 0;
	for (int i = 0; i < n; i++)
		if (es[i].priority == prio && strcmp(es[i].id, e.id) != 0)
			order[k++] = es[i].id;
	int at = x->position > 0 ? x->position - 1 : (prio == e.priority ? -1 : k);
	if (at == -1) { /* same priority, no position: its place stays */
		for (int i = 0, j = 0; i < n; i++)
			if (es[i].priority == prio && strcmp(es[i].id, e.id) == 0)
				at = j;
			else if (es[i].priority == prio)
				j++;
	}
	if (at > k)
		at = k;
	memmove(order + at + 1, order + at, (size_t)(k - at) * sizeof(*order));
	order[at] = e.id;
	k++;
	for (int i = 0; st == STATUS_OK && i < k; i++)
		st = db_exec(c,
			     "UPDATE waitlist_entries SET place = $3, priority = $4, updated_at = "
			     "CASE WHEN id = $5 THEN $6 ELSE updated_at END WHERE business_id = $1 AND "
			     "id = $2",
			     DB_PARAMS(DB_S(b->id), DB_S(order[i]), DB_I(i + 1), DB_I(prio), DB_S(e.id),
				       DB_I(now)),
			     NULL);
	static const char *const names[] = {"high", "normal", "low"};
	if (st == STATUS_OK)
		st = wl_event(c, b->id, e.id, now, x->actor, "reordered", NULL,
			      arena_printf(a, "priority %s, place %d of its priority", names[prio],
					   at + 1),
			      a);
	return st;
}

status waitlist_update(db_conn *c, const business *b, const char *id, int priority,
		       int position, const char *actor, int64_t now, arena *a)
{
	book_result res;
	memset(&res, 0, sizeof(res));
	update_args x = {id, priority, position, actor};
	book_request brq = {.actor = actor};
	return book_run(c, b, &brq, &x, now, a, &res, update_attempt);
}

/* ---- the jobs worker ---- */

/* One session of a sweep, and what its pass moved on. */
typedef struct sweep_args {
	const char *session_id;
	wl_pass pass;
} sweep_args;

static status sweep_attempt(db_conn *c, const business *b, const book_request *brq,
			    const void *extra, int64_t now, arena *a, book_result *res)
{
	(void)brq;
	(void)res;
	sweep_args *x = (sweep_args *)extra; /* ours: waitlist_sweep lends it mutable */
	wl_session s;
	x->pass.changed = x->pass.n = 0; /* a retried attempt starts again */
	status st = session_get(c, b->id, x->session_id, a, &s);
	if (st == STATUS_NOT_FOUND)
		return STATUS_OK;
	if (st == STATUS_OK)
		st = refill_locked(c, b, &s, true, now, a, &x->pass);
	return st;
}

/* An appointment entry of a sweep (x->session_id names the entry): a lapsed offer ends
 * and its time goes to the next who fits; a waiting entry whose window ended expires. */
static status sweep_entry_attempt(db_conn *c, const business *b, const book_request *brq,
				  const void *extra, int64_t now, arena *a, book_result *res)
{
	(void)brq;
	(void)res;
	sweep_args *x = (sweep_args *)extra;
	x->pass.changed = x->pass.n = 0;
	waitlist_entry e;
	booking h;
	service svc;
	status st = appt_locked(c, b, x->session_id, a, &e, &h, &svc);
	if (st == STATUS_NOT_FOUND)
		return STATUS_OK;
	if (st != STATUS_OK)
		return st;
	if (strcmp(e.status, "waiting") == 0) {
		st = wl_status(c, b->id, e.id, "waiting", "expired", NULL, now);
		if (st == STATUS_OK)
			st = wl_event(c, b->id, e.id, now, "job", "expired", NULL, "the window ended", a);
		if (st == STATUS_OK)
			x->pass.changed++;
		return st;
	}
	if (strcmp(e.status, "offered") != 0 || !e.offer_hold_id ||
	    (h.status == BOOKING_HELD && h.hold_expires_at > now))
		return STATUS_OK; /* answered meanwhile, or still live */
	bool expired = false;
	st = settle_one(c, b, e.id, h.id, booking_status_name(h.status), now, a, &x->pass,
			&expired);
	if (st == STATUS_OK && expired)
		st = offer_time(c, b, &svc, h.provider_id, h.start_at, now, a, &x->pass);
	return st;
}

status waitlist_sweep(db_conn *c, int64_t now, arena *a, waitlist_touched *out)
{
	memset(out, 0, sizeof(*out));
	db_rows *r;
	/* Sessions where something is due: an offer no longer live, people waiting on a
	 * session that began, or people waiting where seats a party fits in are free. */
	status st = db_query(
		c,
		"SELECT DISTINCT e.business_id, e.session_id FROM waitlist_entries e JOIN sessions s "
		"ON s.business_id = e.business_id AND s.id = e.session_id JOIN services v ON "
		"v.business_id = s.business_id AND v.id = s.service_id WHERE (e.status = 'offered' "
		"AND NOT EXISTS (SELECT 1 FROM bookings h WHERE h.business_id = e.business_id AND "
		"h.id = e.offer_hold_id AND h.status = 'held' AND h.hold_expires_at > $1)) OR "
		"(e.status = 'waiting' AND (s.start_at <= $1 OR (s.start_at - v.min_notice_s > $1 "
		"AND e.seats <= s.capacity - " WL_SEATS_TAKEN("s", "$1") "))) LIMIT $2",
		DB_PARAMS(DB_I(now), DB_I(WAITLIST_SWEEP_MAX)), &r);
	if (st != STATUS_OK)
		return st;
	typedef struct due {
		const char *business_id, *session_id;
	} due;
	due *d = arena_alloc(a, WAITLIST_SWEEP_MAX * sizeof(*d));
	int n = 0;
	while (n < WAITLIST_SWEEP_MAX && db_next(r)) {
		d[n].business_id = arena_strdup(a, db_text(r, 0));
		d[n].session_id = arena_strdup(a, db_text(r, 1));
		n++;
	}
	st = db_rows_status(r);
	db_rows_free(r);
	/* Appointment entries: offers no longer live, windows that ended. */
	int n_sessions = n;
	if (st == STATUS_OK)
		st = db_query(c,
			      "SELECT e.business_id, e.id FROM waitlist_entries e WHERE e.session_id IS "
			      "NULL AND ((e.status = 'offered' AND NOT EXISTS (SELECT 1 FROM bookings h "
			      "WHERE h.business_id = e.business_id AND h.id = e.offer_hold_id AND "
			      "h.status = 'held' AND h.hold_expires_at > $1)) OR (e.status = 'waiting' "
			      "AND e.window_end_at <= $1)) LIMIT $2",
			      DB_PARAMS(DB_I(now), DB_I(WAITLIST_SWEEP_MAX - n)), &r);
	if (st != STATUS_OK)
		return st;
	while (n < WAITLIST_SWEEP_MAX && db_next(r)) {
		d[n].business_id = arena_strdup(a, db_text(r, 0));
		d[n].session_id = arena_strdup(a, db_text(r, 1)); /* here: the entry */
		n++;
	}
	st = db_rows_status(r);
	db_rows_free(r);
	for (int i = 0; st == STATUS_OK && i < n; i++) {
		business b;
		st = store_business_by_id(c, d[i].business_id, a, &b);
		if (st == STATUS_NOT_FOUND) {
			st = STATUS_OK;
			continue;
		}
		book_result res;
		memset(&res, 0, sizeof(res));
		book_request brq = {.actor = "job"};
		sweep_args x = {d[i].session_id, {.a = a}};
		if (st == STATUS_OK)
			st = book_run(c, &b, &brq, &x, now, a, &res,
				      i < n_sessions ? sweep_attempt : sweep_entry_attempt);
		if (st != STATUS_OK)
			break;
		out->changed += x.pass.changed;
		for (int k = 0; k < x.pass.n; k++) {
			if (out->n == out->cap) {
				int ncap = out->cap ? out->cap * 2 : 8;
				waitlist_hold *grown = arena_alloc(a, (size_t)ncap * sizeof(*grown));
				if (out->n)
					memcpy(grown, out->holds, (size_t)out->n * sizeof(*grown));
				out->holds = grown;
				out->cap = ncap;
			}
			out->holds[out->n++] = (waitlist_hold){d[i].business_id, x.pass.ids[k]};
		}
	}
	return st;
}

/* ---- the booking page's list of sessions ---- */

status waitlist_sessions(db_conn *c, const char *business_id, const char *service_id,
			 int64_t from, int64_t to, int64_t now, arena *a, waitlist_session **out,
			 int *n)
{
	db_rows *r;
	*out = NULL;
	*n = 0;
	status st = db_query(
		c,
		"SELECT s.id, s.provider_id, s.start_at, s.end_at, s.capacity, s.capacity - "
		WL_SEATS_TAKEN("s", "$5") ", (SELECT COUNT(*) FROM waitlist_entries w WHERE "
		"w.business_id = s.business_id AND w.session_id = s.id AND w.status IN ('waiting', "
		"'offered')) FROM sessions s WHERE s.business_id = $1 AND s.service_id = $2 AND "
		"s.start_at >= $3 AND s.start_at < $4 ORDER BY s.start_at, s.id LIMIT 1000",
		DB_PARAMS(DB_S(business_id), DB_S(service_id), DB_I(from), DB_I(to), DB_I(now)), &r);
	if (st != STATUS_OK)
		return st;
	int cap = 0;
	while (db_next(r)) {
		if (*n == cap) {
			int ncap = cap ? cap * 2 : 16;
			waitlist_session *grown = arena_alloc(a, (size_t)ncap * sizeof(*grown));
			if (*n)
				memcpy(grown, *out, (size_t)*n * sizeof(*grown));
			*out = grown;
			cap = ncap;
		}
		waitlist_session *s = &(*out)[(*n)++];
		s->id = arena_strdup(a, db_text(r, 0));
		s->provider_id = dup_or_null(a, r, 1);
		s->start = db_int(r, 2);
		s->end = db_int(r, 3);
		s->capacity = (int)db_int(r, 4);
		int left = (int)db_int(r, 5);
		s->seats_left = left > 0 ? left : 0;
		s->waiting = (int)db_int(r, 6);
	}
	st = db_rows_status(r);
	db_rows_free(r);
	return st;
}

/* ---- staff: an offer by hand ---- */

/* Extra arguments of an offer by hand. */
typedef struct hand_args {
	const char *id;          /* the entry */
	int64_t start;           /* appointments: the time offered */
	const char *provider_id; /* appointments: with whom (NULL: anyone free) */
	const char *actor;
} hand_args;

static status hand_attempt(db_conn *c, const business *b, const book_request *brq,
			   const void *extra, int64_t now, arena *a, book_result *res)
{
	(void)brq;
	const hand_args *x = extra;
	waitlist_entry e;
	status st = waitlist_get(c, b->id, x->id, a, &e, NULL);
	if (st != STATUS_OK)
		return st;
	wl_session s;
	memset(&s, 0, sizeof(s));
	if (e.session_id) {
		st = session_get(c, b->id, e.session_id, a, &s);
	} else {
		st = store_service_get(c, b->id, e.service_id, a, &s.svc);
		s.start = x->start;
		s.provider_id = x->provider_id;
	}
	book_request rq = {.seats = e.seats, .provider_id = s.provider_id};
	if (st == STATUS_OK)
		st = book_lock(c, b, &s.svc, &rq, s.start);
	if (st == STATUS_OK)
		st = entry_locked(c, b->id, x->id, a, &e);
	if (st != STATUS_OK)
		return st;
	if (strcmp(e.status, "waiting") != 0) {
		res->why = "only a waiting entry can be offered a place";
		return STATUS_CONFLICT;
	}
	int64_t until = 0;
	st = offer_until(c, b, &s.svc, s.start, now, &until);
	if (st == STATUS_OK && until <= now) {
		res->why = "booking has closed for that time";
		return STATUS_CONFLICT;
	}
	avail_slot slot;
	int64_t end = s.start + s.svc.duration_s;
	if (st == STATUS_OK)
		st = book_take_slot(c, b, &s.svc, &rq, s.start, &end, now, a, &slot, res);
	if (st == STATUS_OK && e.session_id && slot.session_id &&
	    strcmp(slot.session_id, e.session_id) != 0) {
		res->why = "another session starts then";
		return STATUS_CONFLICT;
	}
	if (st == STATUS_OK)
		st = offer_one(c, b, &s.svc, s.start, &e, &slot, until, x->actor, now, a, NULL);
	return st;
}

status waitlist_offer_now(db_conn *c, const business *b, const char *id, int64_t start,
			  const char *provider_id, const char *actor, int64_t now, arena *a,
			  book_result *res)
{
	memset(res, 0, sizeof(res[0]));
	hand_args x = {id, start, provider_id, actor};
	book_request brq = {.actor = actor};
	return book_run(c, b, &brq, &x, now, a, res, hand_attempt);
}
