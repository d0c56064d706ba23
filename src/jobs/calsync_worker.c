/* calsync_worker.c - reads external calendars into busy time, one connection at a time. */
#include "jobs/calsync_worker.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/log.h"
#include "calsync/fetch.h"
#include "calsync/ics_busy.h"
#include "jobs/calsync_caldav.h"
#include "jobs/calsync_cloud.h"
#include "jobs/notify_worker.h"
#include "store/calalert.h"
#include "store/calconn.h"
#include "store/calpush.h"

#define CALSYNC_BATCH 50

int64_t calsync_backoff(int failures)
{
	int64_t d = CALSYNC_BACKOFF_BASE_S;
	for (int i = 1; i < failures && d < CALSYNC_BACKOFF_MAX_S; i++)
		d *= 2;
	if (d > CALSYNC_BACKOFF_MAX_S)
		d = CALSYNC_BACKOFF_MAX_S;
	/* Jitter spreads the retries of many connections after an outage. */
	return d * (80 + (int64_t)randombytes_uniform(41)) / 100;
}

/* Reads connection k (claimed) and records the outcome. */
static status calsync_one(db *d, const store_calconn *k, const char *zone_name, int64_t now,
			  calsync_changed_fn changed, void *ctx, arena *a)
{
	char err[256] = "";
	fetch_request rq = {.url = k->url, .etag = k->etag, .last_modified = k->last_modified};
	fetch_response rs;
	buf_init(&rs.body, FETCH_MAX_BYTES);
	status st = fetch_get(&rq, &rs, err, sizeof err);
	ics_busy_result got = {0};
	bool replace = false;
	if (st == STATUS_OK && rs.code == 200) {
		const tz *zone = tz_get(zone_name);
		st = ics_busy_read(rs.body.data ? rs.body.data : "", rs.body.len,
				   zone ? zone : tz_get("UTC"), now - CALSYNC_PAST_S,
				   now + CALSYNC_AHEAD_S, k->id, a, &got, err, sizeof err);
		replace = st == STATUS_OK;
	}
	buf_free(&rs.body);

	db_conn *c = db_acquire(d);
	status wst;
	if (st == STATUS_OK) {
		store_busy *spans = arena_alloc(a, sizeof(*spans) * (got.n ? got.n : 1));
		for (size_t i = 0; i < got.n; i++)
			spans[i] = (store_busy){got.spans[i].start, got.spans[i].end, got.spans[i].uid};
		wst = store_calconn_success(c, k, now, now + k->poll_interval_s, replace, rs.etag,
					    rs.last_modified, spans, (int)got.n, got.skipped);
		if (wst == STATUS_OK && replace)
			log_info("calendar %s: %zu busy intervals from %d events (%d skipped, %d "
				 "ignored)",
				 k->id, got.n, got.events, got.skipped, got.ignored);
		/* New busy time changes availability; so may any success of a fail-closed
		 * connection (it ends staleness that answers computed meanwhile counted, even
		 * when the file is unchanged). */
		if (wst == STATUS_OK && (replace || k->fail_closed_after_s) && changed)
			changed(ctx, c, k->business_id, k->provider_id, k->resource_id, a);
	} else {
		/* 401 and 403 say the address's credentials are refused: owners are told at once. */
		bool refused = rs.code == 401 || rs.code == 403;
		int failures = k->failures + 1;
		bool alerted = false;
		wst = store_calconn_failed(c, k, now, now + calsync_backoff(failures), failures, err,
					   refused, a, &alerted);
		log_warn("calendar %s: read failed (%d in a row): %s", k->id, failures, err);
		if (alerted)
			notify_kick();
	}
	if (wst != STATUS_OK && wst != STATUS_NOT_FOUND)
		log_warn("calendar %s: outcome not recorded: %s", k->id, db_error(c));
	db_release(d, c);
	return wst == STATUS_NOT_FOUND ? STATUS_OK : wst;
}

status calsync_run_once(db *d, int64_t now, calsync_changed_fn changed, void *ctx, int *done)
{
	int n = 0;
	status st = STATUS_OK;
	/* CalDAV connections that push: due at once when a booking of theirs changed. */
	db_conn *wc = db_acquire(d);
	if (store_calpush_wake(wc, now, now - CALSYNC_PAST_S, NULL) != STATUS_OK)
		log_warn("calsync: changed bookings not looked for: %s", db_error(wc));
	db_release(d, wc);
	while (n < CALSYNC_BATCH) {
		arena *a = arena_new();
		db_conn *c = db_acquire(d);
		store_calconn k;
		const char *zone = "UTC";
		st = store_calconn_claim(c, now, CALSYNC_LEASE_S, a, &k);
		if (st == STATUS_OK && store_calconn_zone(c, &k, a, &zone) != STATUS_OK)
			zone = "UTC";
		db_release(d, c);
		if (st == STATUS_OK && strcmp(k.kind, "caldav") == 0)
			st = calsync_caldav_round(d, &k, zone, now, changed, ctx, a);
		else if (st == STATUS_OK && (strcmp(k.kind, "google") == 0 ||
					     strcmp(k.kind, "microsoft") == 0))
			st = calsync_cloud_round(d, &k, now, changed, ctx, a);
		else if (st == STATUS_OK)
			st = calsync_one(d, &k, zone, now, changed, ctx, a);
		arena_free(a);
		if (st == STATUS_NOT_FOUND) {
			st = STATUS_OK;
			break;
		}
		if (st != STATUS_OK)
			break;
		n++;
	}
	if (done)
		*done = n;
	return st;
}

static pthread_mutex_t calsync_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t calsync_cond = PTHREAD_COND_INITIALIZER;
static bool calsync_running, calsync_kicked, calsync_started;
static pthread_t calsync_thread;
static db *calsync_db;
static calsync_changed_fn calsync_changed;
static void *calsync_ctx;
static int calsync_interval_ms;

static void *calsync_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&calsync_lock);
	while (calsync_running) {
		calsync_kicked = false;
		pthread_mutex_unlock(&calsync_lock);
		int done = 0;
		status st = calsync_run_once(calsync_db, clock_now(), calsync_changed, calsync_ctx,
					     &done);
		if (st != STATUS_OK && st != STATUS_BUSY)
			log_warn("calsync: pass failed: %s", status_name(st));
		pthread_mutex_lock(&calsync_lock);
		if (!calsync_running || calsync_kicked || done == CALSYNC_BATCH)
			continue;
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += calsync_interval_ms / 1000;
		until.tv_nsec += (long)(calsync_interval_ms % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&calsync_cond, &calsync_lock, &until);
	}
	pthread_mutex_unlock(&calsync_lock);
	return NULL;
}

void calsync_start(db *d, int interval_ms, calsync_changed_fn changed, void *ctx)
{
	calsync_db = d;
	calsync_changed = changed;
	calsync_ctx = ctx;
	calsync_interval_ms = interval_ms > 0 ? interval_ms : 1000;
	calsync_running = true;
	calsync_started = pthread_create(&calsync_thread, NULL, calsync_main, NULL) == 0;
	if (calsync_started)
		pthread_setname_np(calsync_thread, "calsync");
}

void calsync_kick(void)
{
	pthread_mutex_lock(&calsync_lock);
	calsync_kicked = true;
	pthread_cond_broadcast(&calsync_cond);
	pthread_mutex_unlock(&calsync_lock);
}

void calsync_stop(void)
{
	pthread_mutex_lock(&calsync_lock);
	calsync_running = false;
	pthread_cond_broadcast(&calsync_cond);
	pthread_mutex_unlock(&calsync_lock);
	if (calsync_started)
		pthread_join(calsync_thread, NULL);
	calsync_started = false;
}
