/* jobs.c - the lifecycle worker: claims due bookings (store/due.c: one statement per kind of
 * transition), records their events in the same transaction, then reports them. */
#include "jobs/jobs.h"

#include <pthread.h>
#include <stdio.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/log.h"
#include "store/booking.h"
#include "store/business.h"
#include "store/due.h"
#include "store/session_rules.h"
#include "store/waitlist.h"

#define JOBS_BATCH 500
#define JOBS_IDEM_TTL_S 86400

/* Decides the sessions whose decision time has come; reports every booking cancelled.
 * Returns how many bookings moved. */
static int jobs_session_minimums(db_conn *c, int64_t now, jobs_changed_fn changed, void *ctx,
				 arena *a)
{
	session_decided *d = NULL;
	int nd = 0, moved = 0;
	status st = session_rules_sweep(c, now, a, &d, &nd);
	if (st != STATUS_OK && st != STATUS_BUSY)
		log_warn("jobs: session minimums: %s", status_name(st));
	for (int i = 0; i < nd; i++) {
		business b;
		if (!d[i].cancelled || store_business_by_id(c, d[i].business_id, a, &b) != STATUS_OK)
			continue;
		log_info("jobs: session %s cancelled under its minimum (%d bookings)", d[i].session_id,
			 d[i].n_bookings);
		for (int k = 0; k < d[i].n_bookings; k++) {
			booking bk;
			moved++;
			if (changed && store_booking_get(c, b.id, d[i].bookings[k], false, a, &bk) == STATUS_OK)
				changed(ctx, c, &b, &bk, a);
		}
	}
	return moved;
}

status jobs_run_once(db_conn *c, int64_t now, jobs_changed_fn changed, void *ctx, int *changed_n)
{
	arena *a = arena_take();
	store_due_row *done = NULL;
	int n = 0;
	status st = store_due_run(c, now, JOBS_BATCH, now - JOBS_IDEM_TTL_S, a, &done, &n);
	for (int i = 0; i < n && changed; i++) {
		business b;
		booking bk;
		if (store_business_by_id(c, done[i].business_id, a, &b) == STATUS_OK &&
		    store_booking_get(c, b.id, done[i].id, false, a, &bk) == STATUS_OK)
			changed(ctx, c, &b, &bk, a);
	}
	/* Waiting lists: lapsed offers pass on, freed seats are offered (each session in its
	 * own transaction, after the holds above have expired). */
	waitlist_touched w;
	status wst = STATUS_OK;
	if (st == STATUS_OK)
		wst = waitlist_sweep(c, now, a, &w);
	if (st == STATUS_OK && wst != STATUS_OK && wst != STATUS_BUSY)
		log_warn("jobs: waiting lists: %s", status_name(wst));
	for (int i = 0; st == STATUS_OK && wst == STATUS_OK && i < w.n && changed; i++) {
		business b;
		booking bk;
		if (store_business_by_id(c, w.holds[i].business_id, a, &b) == STATUS_OK &&
		    store_booking_get(c, b.id, w.holds[i].booking_id, false, a, &bk) == STATUS_OK)
			changed(ctx, c, &b, &bk, a);
	}
	if (st == STATUS_OK && wst == STATUS_OK)
		n += w.changed;
	/* Class sessions at their decision time: under the minimum, cancelled (each once). */
	if (st == STATUS_OK)
		n += jobs_session_minimums(c, now, changed, ctx, a);
	if (changed_n)
		*changed_n = n;
	arena_give(a);
	return st;
}

/* The worker's state, owned here behind jobs_lock. */
static pthread_mutex_t jobs_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t jobs_cond = PTHREAD_COND_INITIALIZER;
static bool jobs_running;  /* the worker should go on */
static bool jobs_kicked;   /* a pass was asked for */
static bool jobs_started;  /* the thread exists */
static pthread_t jobs_thread;
static db *jobs_db;
static int jobs_interval_ms;
static jobs_changed_fn jobs_changed;
static void *jobs_ctx;

static void *jobs_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&jobs_lock);
	while (jobs_running) {
		jobs_kicked = false;
		pthread_mutex_unlock(&jobs_lock);
		db_checkpoint(jobs_db); /* SQLite: the log is copied here, not inside a commit */
		db_conn *c = db_acquire(jobs_db);
		int n = 0;
		status st = jobs_run_once(c, clock_now(), jobs_changed, jobs_ctx, &n);
		db_release(jobs_db, c);
		if (st != STATUS_OK && st != STATUS_BUSY)
			log_warn("jobs: pass failed: %s", status_name(st));
		else if (n)
			log_info("jobs: %d bookings moved on", n);
		pthread_mutex_lock(&jobs_lock);
		if (!jobs_running || jobs_kicked)
			continue;
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += jobs_interval_ms / 1000;
		until.tv_nsec += (long)(jobs_interval_ms % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&jobs_cond, &jobs_lock, &until);
	}
	pthread_mutex_unlock(&jobs_lock);
	return NULL;
}

void jobs_start(db *d, int interval_ms, jobs_changed_fn changed, void *ctx)
{
	jobs_db = d;
	jobs_interval_ms = interval_ms > 0 ? interval_ms : 1000;
	jobs_changed = changed;
	jobs_ctx = ctx;
	jobs_running = true;
	jobs_started = pthread_create(&jobs_thread, NULL, jobs_main, NULL) == 0;
	if (jobs_started)
		pthread_setname_np(jobs_thread, "jobs");
}

void jobs_kick(void)
{
	pthread_mutex_lock(&jobs_lock);
	jobs_kicked = true;
	pthread_cond_broadcast(&jobs_cond);
	pthread_mutex_unlock(&jobs_lock);
}

void jobs_stop(void)
{
	pthread_mutex_lock(&jobs_lock);
	jobs_running = false;
	pthread_cond_broadcast(&jobs_cond);
	pthread_mutex_unlock(&jobs_lock);
	if (jobs_started)
		pthread_join(jobs_thread, NULL);
	jobs_started = false;
}
