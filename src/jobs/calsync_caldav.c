/* calsync_caldav.c - a CalDAV connection's round: push, pull, compare, record. */
#include "jobs/calsync_caldav.h"

#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/sealed.h"
#include "calsync/caldav.h"
#include "calsync/ics.h"
#include "calsync/ics_busy.h"
#include "jobs/notify_worker.h"
#include "store/calalert.h"
#include "store/calpush.h"

/* The largest event bookd writes. */
#define CALDAV_EVENT_MAX (64u << 10)
/* How far around now an event of ours is looked for when its times are compared. */
#define CALDAV_LOOK_S (3660LL * 86400)

/* The state of one round. */
typedef struct round {
	db *d;
	const store_calconn *k;
	caldav_peer peer;
	const char *collection;
	const tz *zone;
	int64_t now;
	arena *a;
	char err[256];
	caldav_fault fault;
	int pushed, deleted, marked;
} round;

static bool live_status(const char *s)
{
	return strcmp(s, "pending") == 0 || strcmp(s, "confirmed") == 0 ||
	       strcmp(s, "checked_in") == 0 || strcmp(s, "completed") == 0 ||
	       strcmp(s, "no_show") == 0;
}

/* The VCALENDAR of a booking as bookd writes it to a collection: no METHOD (RFC 4791
 * 4.1), the UID and SEQUENCE of the booking's emails, staff detail. NULL if it cannot be
 * written. */
static const char *push_body(round *rd, const store_push_item *it)
{
	arena *a = rd->a;
	ics_event e = {
	    .uid = arena_printf(a, "%s@bookd", it->booking_id),
	    .sequence = it->events > 0 ? it->events - 1 : 0,
	    .start = it->start_at,
	    .end = it->end_at,
	    .stamp = it->updated_at,
	    .tentative = strcmp(it->status, "pending") == 0,
	    .summary = arena_printf(a, "%s: %s", it->service_name,
				    *it->customer_name ? it->customer_name : it->reference),
	    .location = *it->with_name ? it->with_name : NULL,
	};
	buf d;
	buf_init(&d, 8192);
	buf_printf(&d, "Booking %s (%s)", it->reference, it->status);
	if (*it->customer_name)
		buf_printf(&d, "\nCustomer: %s", it->customer_name);
	if (*it->customer_email)
		buf_printf(&d, "\nEmail: %s", it->customer_email);
	if (*it->customer_phone)
		buf_printf(&d, "\nPhone: %s", it->customer_phone);
	if (*it->notes)
		buf_printf(&d, "\nNotes: %s", it->notes);
	e.description = arena_strdup(a, d.data ? d.data : "");
	buf_free(&d);
	buf out;
	buf_init(&out, CALDAV_EVENT_MAX);
	const char *body = NULL;
	if (ics_write_feed(NULL, &e, 1, &out) == STATUS_OK)
		body = arena_strndup(a, out.data, out.len);
	buf_free(&out);
	return body;
}

/* The first time [*s, *e) of the event uid in an object's data; false when it has none
 * (cancelled, transparent, unreadable, or far away). */
static bool event_span(round *rd, const char *data, const char *uid, int64_t *s, int64_t *e)
{
	ics_busy_result got = {0};
	char err[128];
	if (ics_busy_read(data, strlen(data), rd->zone, rd->now - CALDAV_LOOK_S,
			  rd->now + CALDAV_LOOK_S, "caldav", rd->a, &got, err, sizeof err) != STATUS_OK)
		return false;
	for (size_t i = 0; i < got.n; i++)
		if (strcmp(got.spans[i].uid, uid) == 0) {
			*s = got.spans[i].start;
			*e = got.spans[i].end;
			return true;
		}
	return false;
}

/* Writes one store call's outcome on a connection of its own. */
static status round_record(round *rd, const store_push_item *it, const char *href,
			   const char *etag, bool deleted)
{
	db_conn *c = db_acquire(rd->d);
	status st = store_calpush_record(c, rd->k, it->booking_id, href, etag, it->updated_at,
					 it->start_at, it->end_at, deleted);
	if (st != STATUS_OK)
		log_warn("calendar %s: push of %s not recorded: %s", rd->k->id, it->booking_id,
			 db_error(c));
	db_release(rd->d, c);
	return st;
}

static status round_attention(round *rd, const store_push_item *it, const char *what,
			      const char *etag)
{
	db_conn *c = db_acquire(rd->d);
	status st = store_calpush_attention(c, rd->k, it->booking_id, what, etag, rd->now);
	db_release(rd->d, c);
	if (st == STATUS_OK) {
		rd->marked++;
		log_warn("calendar %s: booking %s's event was %s outside bookd: it needs attention",
			 rd->k->id, it->booking_id, what);
	}
	return st;
}

/* A cancelled booking's event goes. STATUS_IO (round fails) only on transport/credentials. */
static status push_delete(round *rd, const store_push_item *it)
{
	status st = caldav_delete(&rd->peer, it->href, *it->etag ? it->etag : NULL, &rd->fault,
				  rd->err, sizeof rd->err);
	if (st != STATUS_OK && rd->fault == CALDAV_FAULT_PRECONDITION) {
		/* Changed outside since bookd wrote it: read it again, then delete that version. */
		const char *data, *etag;
		st = caldav_get(&rd->peer, it->href, rd->a, &data, &etag, &rd->fault, rd->err,
				sizeof rd->err);
		if (st == STATUS_OK)
			st = caldav_delete(&rd->peer, it->href, *etag ? etag : NULL, &rd->fault,
					   rd->err, sizeof rd->err);
		else if (rd->fault == CALDAV_FAULT_NOT_FOUND)
			st = STATUS_OK;
	}
	if (st != STATUS_OK)
		return st;
	rd->deleted++;
	return round_record(rd, it, it->href, "", true);
}

/* A 412 on an update: the event is read again. Times still bookd's: written again with the
 * new ETag (once). Moved or gone: the booking needs attention; nothing is overwritten. */
static status push_conflict(round *rd, const store_push_item *it, const char *body)
{
	log_info("calendar %s: booking %s's event changed on the server (HTTP 412 or 404): read "
		 "again",
		 rd->k->id, it->booking_id);
	const char *data = NULL, *etag = NULL;
	status st = caldav_get(&rd->peer, it->href, rd->a, &data, &etag, &rd->fault, rd->err,
			       sizeof rd->err);
	if (st != STATUS_OK && rd->fault == CALDAV_FAULT_NOT_FOUND)
		return round_attention(rd, it, "deleted", "");
	if (st != STATUS_OK)
		return st;
	int64_t s = 0, e = 0;
	const char *uid = arena_printf(rd->a, "%s@bookd", it->booking_id);
	if (!event_span(rd, data, uid, &s, &e) || s != it->pushed_start || e != it->pushed_end)
		return round_attention(rd, it, "moved", etag);
	const char *new_etag = "";
	st = caldav_put(&rd->peer, it->href, body, *etag ? etag : "*", rd->a, &new_etag,
			&rd->fault, rd->err, sizeof rd->err);
	if (st != STATUS_OK && rd->fault == CALDAV_FAULT_PRECONDITION)
		return STATUS_OK; /* changed again meanwhile: the next round reads it once more */
	if (st != STATUS_OK)
		return st;
	rd->pushed++;
	return round_record(rd, it, it->href, new_etag, false);
}

/* Writes one live booking's event. */
static status push_write(round *rd, const store_push_item *it)
{
	const char *body = push_body(rd, it);
	if (!body) {
		log_warn("calendar %s: booking %s cannot be written as an event", rd->k->id,
			 it->booking_id);
		return STATUS_OK;
	}
	bool create = !it->pushed || it->deleted;
	const char *href = create ? arena_printf(rd->a, "%s%s.ics", rd->collection, it->booking_id)
				  : it->href;
	const char *etag = "";
	status st = caldav_put(&rd->peer, href, body, create ? NULL : (*it->etag ? it->etag : "*"),
			       rd->a, &etag, &rd->fault, rd->err, sizeof rd->err);
	if (st != STATUS_OK && rd->fault == CALDAV_FAULT_PRECONDITION && create) {
		/* The href holds the booking's UID already: a write whose record was lost. Its
		 * current version is read and replaced, If-Match. */
		const char *data, *cur;
		st = caldav_get(&rd->peer, href, rd->a, &data, &cur, &rd->fault, rd->err,
				sizeof rd->err);
		if (st == STATUS_OK)
			st = caldav_put(&rd->peer, href, body, *cur ? cur : "*", rd->a, &etag,
					&rd->fault, rd->err, sizeof rd->err);
		if (st != STATUS_OK && rd->fault == CALDAV_FAULT_PRECONDITION)
			return STATUS_OK;
	} else if (st != STATUS_OK && (rd->fault == CALDAV_FAULT_PRECONDITION ||
				       rd->fault == CALDAV_FAULT_NOT_FOUND)) {
		return push_conflict(rd, it, body);
	}
	if (st != STATUS_OK)
		return st;
	rd->pushed++;
	return round_record(rd, it, href, etag, false);
}

/* Pushes what changed; STATUS_IO ends the round (rd->err says why). */
static status round_push(round *rd)
{
	for (int pass = 0; pass < 5; pass++) {
		db_conn *c = db_acquire(rd->d);
		store_push_item *items = NULL;
		int n = 0;
		status st = store_calpush_due(c, rd->k, rd->now - CALSYNC_PAST_S, rd->a, &items, &n);
		db_release(rd->d, c);
		if (st != STATUS_OK) {
			snprintf(rd->err, sizeof rd->err, "the bookings to push could not be read");
			return st;
		}
		for (int i = 0; i < n; i++) {
			const store_push_item *it = &items[i];
			/* A booking moved to another provider or resource leaves this
			 * calendar as a cancelled one does. */
			st = live_status(it->status) && it->mine ? push_write(rd, it)
			     : it->pushed && !it->deleted	   ? push_delete(rd, it)
								   : STATUS_OK;
			if (st != STATUS_OK)
				return STATUS_IO;
		}
		if (n < STORE_PUSH_BATCH)
			break;
	}
	return STATUS_OK;
}

/* Whether uid is the UID of one of rows (an event of bookd's). */
static bool ours(const store_push_row *rows, int n, const char *uid)
{
	size_t ul = strlen(uid);
	if (ul < 7 || strcmp(uid + ul - 6, "@bookd") != 0)
		return false;
	for (int i = 0; i < n; i++)
		if (strlen(rows[i].booking_id) == ul - 6 &&
		    strncmp(rows[i].booking_id, uid, ul - 6) == 0)
			return true;
	return false;
}

/* The index of href in objs, or -1. */
static int find_obj(const store_dav_object *objs, int n, const char *href)
{
	for (int i = 0; i < n; i++)
		if (strcmp(objs[i].href, href) == 0)
			return i;
	return -1;
}

/* Fills in the data of listed objects the answer left out (GET each). */
static status fill_data(round *rd, caldav_listing *l)
{
	for (int i = 0; i < l->n; i++) {
		caldav_object *o = &l->objects[i];
		if (o->gone || o->data)
			continue;
		const char *etag;
		status st = caldav_get(&rd->peer, o->href, rd->a, &o->data, &etag, &rd->fault,
				       rd->err, sizeof rd->err);
		if (st != STATUS_OK && rd->fault == CALDAV_FAULT_NOT_FOUND) {
			o->gone = true;
			continue;
		}
		if (st != STATUS_OK)
			return st;
		if (!*o->etag)
			o->etag = etag;
	}
	return STATUS_OK;
}

/* Reads the collection into the outcome: objects, busy time, marks. */
static status round_pull(round *rd, store_caldav_outcome *o)
{
	caldav_listing l;
	const char *token = rd->k->sync_token && strcmp(rd->collection, rd->k->url) == 0
				? rd->k->sync_token
				: "";
	o->full = !*token;
	status st = caldav_sync(&rd->peer, rd->collection, token, rd->a, &l, &rd->fault, rd->err,
				sizeof rd->err);
	if (st != STATUS_OK && rd->fault == CALDAV_FAULT_TOKEN && *token) {
		log_info("calendar %s: sync token refused, reading the collection in full", rd->k->id);
		o->full = true;
		st = caldav_sync(&rd->peer, rd->collection, "", rd->a, &l, &rd->fault, rd->err,
				 sizeof rd->err);
	}
	if (st != STATUS_OK && (rd->fault == CALDAV_FAULT_UNSUPPORTED ||
				rd->fault == CALDAV_FAULT_TOKEN)) {
		o->full = true;
		st = caldav_query(&rd->peer, rd->collection, rd->now - CALSYNC_PAST_S,
				  rd->now + CALSYNC_AHEAD_S, rd->a, &l, &rd->fault, rd->err,
				  sizeof rd->err);
		l.sync_token = NULL;
	}
	if (st == STATUS_OK)
		st = fill_data(rd, &l);
	if (st != STATUS_OK)
		return st;
	o->sync_token = l.sync_token;
	/* The collection as it is now: the stored objects with the changes applied. */
	db_conn *c = db_acquire(rd->d);
	store_dav_object *objs = NULL;
	int nobj = 0;
	store_push_row *rows = NULL;
	int nrows = 0;
	st = o->full ? STATUS_OK : store_davobj_load(c, rd->k, rd->a, &objs, &nobj);
	if (st == STATUS_OK)
		st = store_calpush_rows(c, rd->k, rd->a, &rows, &nrows);
	db_release(rd->d, c);
	if (st != STATUS_OK) {
		snprintf(rd->err, sizeof rd->err, "the stored calendar could not be read");
		return st;
	}
	store_dav_object *all = arena_alloc(rd->a, sizeof(*all) * (size_t)(nobj + l.n + 1));
	if (nobj)
		memcpy(all, objs, sizeof(*all) * (size_t)nobj);
	int nall = nobj;
	store_dav_object *put = arena_alloc(rd->a, sizeof(*put) * (size_t)(l.n + 1));
	const char **gone = arena_alloc(rd->a, sizeof(*gone) * (size_t)(l.n + 1));
	int nput = 0, ngone = 0;
	for (int i = 0; i < l.n; i++) {
		const caldav_object *x = &l.objects[i];
		int at = find_obj(all, nall, x->href);
		if (x->gone) {
			if (at >= 0)
				all[at] = all[--nall];
			gone[ngone++] = x->href;
			continue;
		}
		store_dav_object v = {x->href, x->etag, x->data};
		put[nput++] = v;
		if (at >= 0)
			all[at] = v;
		else
			all[nall++] = v;
	}
	o->put = put;
	o->nput = nput;
	o->gone = gone;
	o->ngone = ngone;
	o->replace_busy = o->full || l.n > 0;
	if (!o->replace_busy)
		return STATUS_OK;
	/* Busy time: every event that is not one of bookd's own. */
	store_busy *spans = NULL;
	int nspans = 0, cap = 0, skipped = 0;
	for (int i = 0; i < nall; i++) {
		ics_busy_result got = {0};
		char perr[128];
		if (ics_busy_read(all[i].data, strlen(all[i].data), rd->zone,
				  rd->now - CALSYNC_PAST_S, rd->now + CALSYNC_AHEAD_S, rd->k->id,
				  rd->a, &got, perr, sizeof perr) != STATUS_OK) {
			skipped++;
			continue;
		}
		skipped += got.skipped;
		for (size_t j = 0; j < got.n; j++) {
			if (ours(rows, nrows, got.spans[j].uid))
				continue;
			if (nspans == cap) {
				cap = cap ? cap * 2 : 64;
				store_busy *g = arena_alloc(rd->a, sizeof(*g) * (size_t)cap);
				if (nspans)
					memcpy(g, spans, sizeof(*g) * (size_t)nspans);
				spans = g;
			}
			spans[nspans++] = (store_busy){got.spans[j].start, got.spans[j].end,
						       got.spans[j].uid};
		}
	}
	o->spans = spans;
	o->nspans = nspans;
	o->skipped = skipped;
	/* bookd's own events: one moved or deleted outside bookd marks its booking. */
	store_push_mark *marks = arena_alloc(rd->a, sizeof(*marks) * (size_t)(nrows + 1));
	int nmarks = 0;
	for (int i = 0; i < nrows; i++) {
		const store_push_row *p = &rows[i];
		if (*p->attention || p->pushed_end < rd->now - CALSYNC_PAST_S ||
		    p->pushed_start > rd->now + CALSYNC_AHEAD_S)
			continue;
		int at = find_obj(all, nall, p->href);
		if (at < 0) {
			marks[nmarks++] = (store_push_mark){p->booking_id, "deleted", ""};
			continue;
		}
		if (strcmp(all[at].etag, p->etag) == 0)
			continue;
		int64_t s = 0, e = 0;
		const char *uid = arena_printf(rd->a, "%s@bookd", p->booking_id);
		bool same = event_span(rd, all[at].data, uid, &s, &e) && s == p->pushed_start &&
			    e == p->pushed_end;
		marks[nmarks++] = (store_push_mark){p->booking_id, same ? "" : "moved", all[at].etag};
	}
	o->marks = marks;
	o->nmarks = nmarks;
	for (int i = 0; i < nmarks; i++)
		if (*marks[i].what) {
			rd->marked++;
			log_warn("calendar %s: booking %s's event was %s outside bookd: it needs "
				 "attention",
				 rd->k->id, marks[i].booking_id, marks[i].what);
		}
	return STATUS_OK;
}

status calsync_caldav_round(db *d, const store_calconn *k, const char *zone_name, int64_t now,
			    calsync_changed_fn changed, void *ctx, arena *a)
{
	int64_t t0 = clock_mono_ns();
	round rd = {.d = d, .k = k, .now = now, .a = a, .collection = k->url};
	const tz *zone = tz_get(zone_name);
	rd.zone = zone ? zone : tz_get("UTC");
	char *password = NULL;
	status st = STATUS_OK;
	if (k->secret_box) {
		char why[200];
		st = sealed_open(k->secret_box, &password, why, sizeof why);
		if (st != STATUS_OK)
			snprintf(rd.err, sizeof rd.err, "the stored password: %s", why);
	}
	rd.peer = (caldav_peer){.username = k->username, .password = password ? password : ""};
	if (st == STATUS_OK && !k->sync_token)
		st = caldav_discover(&rd.peer, k->url, a, &rd.collection, &rd.fault, rd.err,
				     sizeof rd.err);
	if (st == STATUS_OK && k->push)
		st = round_push(&rd);
	store_caldav_outcome o = {0};
	if (st == STATUS_OK)
		st = round_pull(&rd, &o);
	sealed_free(password);
	o.collection = rd.collection;

	db_conn *c = db_acquire(d);
	status wst;
	if (st == STATUS_OK) {
		wst = store_caldav_success(c, k, now, now + k->poll_interval_s, &o);
		if (wst == STATUS_OK && (o.replace_busy || rd.pushed || rd.deleted || rd.marked))
			log_info("calendar %s: %d pushed, %d deleted, %d objects read, %d busy "
				 "intervals%s, %d need attention; round_ms=%.1f",
				 k->id, rd.pushed, rd.deleted, o.nput, o.nspans,
				 o.replace_busy ? "" : " (unchanged)", rd.marked,
				 (double)(clock_mono_ns() - t0) / 1e6);
		if (wst == STATUS_OK && (o.replace_busy || k->fail_closed_after_s) && changed)
			changed(ctx, c, k->business_id, k->provider_id, k->resource_id, a);
	} else {
		int failures = k->failures + 1;
		if (!*rd.err)
			snprintf(rd.err, sizeof rd.err, "the sync failed (%s)", status_name(st));
		/* A refused password tells the owners at once (store/calalert.h). */
		bool alerted = false;
		wst = store_calconn_failed(c, k, now, now + calsync_backoff(failures), failures,
					   rd.err, rd.fault == CALDAV_FAULT_AUTH, a, &alerted);
		log_warn("calendar %s: sync failed (%d in a row): %s", k->id, failures, rd.err);
		if (alerted)
			notify_kick();
	}
	if (wst != STATUS_OK && wst != STATUS_NOT_FOUND)
		log_warn("calendar %s: outcome not recorded: %s", k->id, db_error(c));
	db_release(d, c);
	return wst == STATUS_NOT_FOUND ? STATUS_OK : wst;
}
