/* calsync_cloud.c - a Google or Microsoft connection's round (calsync/cloud.c for the HTTP). */
#include "jobs/calsync_cloud.h"

#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/log.h"
#include "base/sealed.h"
#include "calsync/cloud.h"
#include "jobs/notify_worker.h"
#include "store/calalert.h"
#include "store/calcloud.h"
#include "store/calpush.h"

/* Refresh an access token this long before it expires. */
#define CLOUD_REFRESH_MARGIN_S 60

/* The connection's credentials, opened. */
typedef struct cloud_creds {
	cloud_tokens t;      /* access, refresh, expiry (empty while a code waits) */
	bool fresh;          /* t changed in this round: to be sealed and kept */
	const char *account; /* learnt in this round, or NULL */
} cloud_creds;

/* Opens k's sealed box into a JSON object (new reference), or NULL with e set. */
static json_t *creds_open(db *d, const store_calconn *k, arena *a, cloud_error *e)
{
	db_conn *c = db_acquire(d);
	const char *box = NULL;
	status st = store_calcloud_box(c, k->business_id, k->id, a, &box);
	db_release(d, c);
	if (st != STATUS_OK || !box) {
		e->refused = st == STATUS_OK;
		snprintf(e->text, sizeof e->text,
		         "the connection has no credentials: connect it again");
		return NULL;
	}
	char *plain = NULL, err[200] = "";
	if (sealed_open(box, &plain, err, sizeof err) != STATUS_OK) {
		e->refused = true;
		snprintf(e->text, sizeof e->text, "the credentials cannot be opened (%s)", err);
		return NULL;
	}
	json_t *j = json_loads(plain, 0, NULL); /* new reference */
	sealed_free(plain);
	if (!j) {
		e->refused = true;
		snprintf(e->text, sizeof e->text,
		         "the credentials are unreadable: connect it again");
	}
	return j;
}

/* Gets usable tokens into cr: the waiting code exchanged, or the stored tokens, refreshed
 * when they expire by now. */
static status creds_get(db *d, const store_calconn *k, int64_t now, arena *a, cloud_creds *cr,
                        cloud_error *e)
{
	*cr = (cloud_creds){0};
	json_t *j = creds_open(d, k, a, e);
	if (!j)
		return STATUS_IO;
	const char *code = json_string_value(json_object_get(j, "code")); /* borrowed */
	status st;
	if (code) {
		st = cloud_token_code(
		    k->kind, code, json_string_value(json_object_get(j, "verifier")),
		    json_string_value(json_object_get(j, "redirect_uri")), now, a, &cr->t, e);
		cr->fresh = st == STATUS_OK;
		if (st == STATUS_OK && !cr->t.refresh) {
			snprintf(e->text, sizeof e->text, "the provider gave no refresh token");
			e->refused = true;
			st = STATUS_IO;
		}
		if (st == STATUS_OK &&
		    cloud_account(k->kind, cr->t.access, a, &cr->account, e) != STATUS_OK)
			cr->account = NULL; /* the account's name is for show: not fatal */
		if (st == STATUS_OK)        /* only the account was not learnt: not a failure */
			memset(e, 0, sizeof *e);
	} else {
		const char *refresh = json_string_value(json_object_get(j, "refresh"));
		const char *access = json_string_value(json_object_get(j, "access"));
		cr->t = (cloud_tokens){.access = access ? arena_strdup(a, access) : NULL,
		                       .refresh = refresh ? arena_strdup(a, refresh) : NULL,
		                       .expires_at =
		                           json_integer_value(json_object_get(j, "expires_at"))};
		st = STATUS_OK;
		if (!cr->t.refresh) {
			e->refused = true;
			snprintf(e->text, sizeof e->text,
			         "no refresh token is stored: connect it again");
			st = STATUS_IO;
		} else if (!cr->t.access || cr->t.expires_at <= now + CLOUD_REFRESH_MARGIN_S) {
			st = cloud_token_refresh(k->kind, cr->t.refresh, now, a, &cr->t, e);
			cr->fresh = st == STATUS_OK;
		}
	}
	json_decref(j);
	return st;
}

/* Seals and keeps cr's tokens when they changed. */
static status creds_keep(db *d, const store_calconn *k, const cloud_creds *cr)
{
	if (!cr->fresh)
		return STATUS_OK;
	json_t *o = json_pack("{s:s, s:s, s:I}", "access", cr->t.access, "refresh", cr->t.refresh,
	                      "expires_at", (json_int_t)cr->t.expires_at); /* new reference */
	char *plain = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	char *box = NULL, err[200] = "";
	status st = plain ? sealed_seal(plain, &box, err, sizeof err) : STATUS_INTERNAL;
	if (plain) {
		sodium_memzero(plain, strlen(plain));
		free(plain);
	}
	if (st == STATUS_OK) {
		db_conn *c = db_acquire(d);
		st = store_calcloud_tokens(c, k->business_id, k->id, box, cr->t.expires_at,
		                           cr->account);
		db_release(d, c);
	} else {
		log_warn("calendar %s: tokens not sealed: %s", k->id, err);
	}
	free(box);
	return st;
}

static bool live_status(const char *s)
{
	return strcmp(s, "pending") == 0 || strcmp(s, "confirmed") == 0 ||
	       strcmp(s, "checked_in") == 0 || strcmp(s, "completed") == 0 ||
	       strcmp(s, "no_show") == 0;
}

/* Records what was written for it (href: the event's id). */
static status push_record(db *d, const store_calconn *k, const store_push_item *it,
                          const char *href, bool deleted)
{
	db_conn *c = db_acquire(d);
	status st = store_calpush_record(c, k, it->booking_id, href, "", it->updated_at,
	                                 it->start_at, it->end_at, deleted);
	db_release(d, c);
	return st;
}

/* The event of a booking as bookd writes it: the UID of its emails, staff detail. */
static cloud_event push_event(const store_push_item *it, arena *a)
{
	buf b;
	buf_init(&b, 8192);
	buf_printf(&b, "Booking %s (%s)", it->reference, it->status);
	if (*it->customer_name)
		buf_printf(&b, "\nCustomer: %s", it->customer_name);
	if (*it->customer_email)
		buf_printf(&b, "\nEmail: %s", it->customer_email);
	if (*it->customer_phone)
		buf_printf(&b, "\nPhone: %s", it->customer_phone);
	if (*it->notes)
		buf_printf(&b, "\nNotes: %s", it->notes);
	cloud_event ev = {.uid = arena_printf(a, "%s@bookd", it->booking_id),
	                  .summary =
	                      arena_printf(a, "%s: %s", it->service_name,
	                                   *it->customer_name ? it->customer_name : it->reference),
	                  .description = arena_strdup(a, b.data ? b.data : ""),
	                  .start = it->start_at,
	                  .end = it->end_at};
	buf_free(&b);
	return ev;
}

/* Writes k's changed bookings as events: created, changed (created again when the event
 * was deleted outside bookd), deleted on cancel. Stops at the first failure (the rest wait
 * for the next round); what was written stays recorded. */
static status cloud_push(db *d, const store_calconn *k, const cloud_creds *cr, int64_t now,
                         arena *a, cloud_error *e)
{
	if (!k->push)
		return STATUS_OK;
	store_push_item *items = NULL;
	int n = 0;
	db_conn *c = db_acquire(d);
	status st = store_calpush_due(c, k, now - CALSYNC_PAST_S, a, &items, &n);
	db_release(d, c);
	for (int i = 0; st == STATUS_OK && i < n; i++) {
		const store_push_item *it = &items[i];
		bool was = it->pushed && !it->deleted && it->href && *it->href;
		if (!live_status(it->status)) {
			st = was ? cloud_event_delete(k->kind, cr->t.access, it->href, e)
			         : STATUS_OK;
			if (st == STATUS_OK)
				st = push_record(d, k, it, it->href ? it->href : "", true);
			continue;
		}
		cloud_event ev = push_event(it, a);
		const char *id = NULL;
		bool gone = false;
		st = cloud_event_put(k->kind, cr->t.access, was ? it->href : NULL, &ev, a, &id,
		                     &gone, e);
		if (st == STATUS_OK && gone) /* deleted outside bookd: written anew */
			st = cloud_event_put(k->kind, cr->t.access, NULL, &ev, a, &id, &gone, e);
		if (st == STATUS_OK)
			st = push_record(d, k, it, id, false);
	}
	return st;
}

/* Compares bookd's pushed events overlapping [from, to) with the calendar's: one moved or
 * gone outside bookd (the listing complete) needs attention, as with CalDAV; nothing is
 * overwritten until staff decide. One staff just resolved (read while this round ran) waits
 * for its rewrite. */
static status mark_changed(db *d, const store_calconn *k, const store_push_row *rows, int nrows,
                           const cloud_span *got, size_t ng, bool complete, int64_t from,
                           int64_t to, int64_t now)
{
	status st = STATUS_OK;
	for (int j = 0; st == STATUS_OK && j < nrows; j++) {
		const store_push_row *p = &rows[j];
		if (*p->attention || p->rewrite || !*p->href || p->pushed_end <= from ||
		    p->pushed_start >= to)
			continue;
		const cloud_span *ev = NULL;
		for (size_t i = 0; i < ng && !ev; i++)
			ev = strcmp(got[i].event_id, p->href) == 0 ? &got[i] : NULL;
		const char *what =
		    !ev && complete                                                    ? "deleted"
		    : ev && (ev->start != p->pushed_start || ev->end != p->pushed_end) ? "moved"
		                                                                       : NULL;
		if (!what)
			continue;
		db_conn *c = db_acquire(d);
		st = store_calpush_attention(c, k, p->booking_id, what, "", now);
		db_release(d, c);
		if (st == STATUS_OK)
			log_warn("calendar %s: booking %s's event was %s outside bookd: it needs "
			         "attention",
			         k->id, p->booking_id, what);
	}
	return st;
}

/* Busy time of the calendar, bookd's own events left out (a booking is busy in bookd
 * already), into spans; bookd's events changed outside it are marked. */
static status cloud_read(db *d, const store_calconn *k, const cloud_creds *cr, int64_t now,
                         arena *a, store_busy **spans, int *n, cloud_error *e)
{
	cloud_span *got = NULL;
	size_t ng = 0;
	bool complete = false;
	int64_t from = now - CALSYNC_PAST_S, to = now + CALSYNC_AHEAD_S;
	status st = cloud_events(k->kind, cr->t.access, from, to, a, &got, &ng, &complete, e);
	store_push_row *rows = NULL;
	int nrows = 0;
	if (st == STATUS_OK) {
		db_conn *c = db_acquire(d);
		st = store_calpush_rows(c, k, a, &rows, &nrows);
		db_release(d, c);
	}
	if (st == STATUS_OK && k->push)
		st = mark_changed(d, k, rows, nrows, got, ng, complete, from, to, now);
	*spans = arena_alloc(a, sizeof(**spans) * (ng + 1));
	*n = 0;
	for (size_t i = 0; st == STATUS_OK && i < ng; i++) {
		bool ours = false;
		for (int j = 0; j < nrows && !ours; j++)
			ours = strcmp(rows[j].href, got[i].event_id) == 0;
		if (!ours && got[i].busy)
			(*spans)[(*n)++] = (store_busy){got[i].start, got[i].end, got[i].event_id};
	}
	return st;
}

status calsync_cloud_round(db *d, const store_calconn *k, int64_t now, calsync_changed_fn changed,
                           void *ctx, arena *a)
{
	cloud_error e = {0};
	cloud_creds cr;
	store_busy *spans = NULL;
	int n = 0;
	status st = creds_get(d, k, now, a, &cr, &e);
	if (st == STATUS_OK)
		st = cloud_push(d, k, &cr, now, a, &e);
	if (st == STATUS_OK)
		st = cloud_read(d, k, &cr, now, a, &spans, &n, &e);
	/* A token refused before its expiry (revoked, or the clocks disagree): refreshed once. */
	if (st != STATUS_OK && e.refused && !cr.fresh && cr.t.refresh) {
		e = (cloud_error){0};
		st = cloud_token_refresh(k->kind, cr.t.refresh, now, a, &cr.t, &e);
		cr.fresh = st == STATUS_OK;
		if (st == STATUS_OK)
			st = cloud_push(d, k, &cr, now, a, &e);
		if (st == STATUS_OK)
			st = cloud_read(d, k, &cr, now, a, &spans, &n, &e);
	}
	status kst = creds_keep(d, k, &cr);
	if (st == STATUS_OK && kst != STATUS_OK) {
		st = kst;
		snprintf(e.text, sizeof e.text, "the new tokens could not be kept");
	}
	db_conn *c = db_acquire(d);
	status wst;
	if (st == STATUS_OK) {
		wst = store_calconn_success(c, k, now, now + k->poll_interval_s, true, NULL, NULL,
		                            spans, n, 0);
		if (wst == STATUS_OK && changed)
			changed(ctx, c, k->business_id, k->provider_id, k->resource_id, a);
	} else {
		int failures = k->failures + 1;
		bool alerted = false;
		wst = store_calconn_failed(c, k, now, now + calsync_backoff(failures), failures,
		                           e.text, e.refused, a, &alerted);
		log_warn("calendar %s: %s sync failed (%d in a row): %s", k->id, k->kind, failures,
		         e.text);
		if (alerted)
			notify_kick();
	}
	if (wst != STATUS_OK && wst != STATUS_NOT_FOUND)
		log_warn("calendar %s: outcome not recorded: %s", k->id, db_error(c));
	db_release(d, c);
	return wst == STATUS_NOT_FOUND ? STATUS_OK : wst;
}
