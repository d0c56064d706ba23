/* pay_worker.c - sends queued refunds to Stripe or PayPal, with retries. */
#include "jobs/pay_worker.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/log.h"
#include "store/payment.h"

#define PAY_WORKER_BATCH 50
#define PAY_WORKER_LEASE_S 120

/* When a refund that failed attempts times is tried next: 5 s doubling, at most an hour;
 * 0 (failed for good) after the last attempt. */
static int64_t retry_at(int attempts, int64_t now)
{
	if (attempts + 1 >= PAY_WORKER_ATTEMPTS)
		return 0;
	int64_t wait = 5;
	for (int i = 0; i < attempts && wait < 3600; i++)
		wait *= 2;
	return now + (wait < 3600 ? wait : 3600);
}

status pay_worker_run_once(db_conn *c, const pay_config *cfg, int64_t now, int *sent,
			   int *failed)
{
	arena *a = arena_take();
	payment_row *rows;
	int n = 0, ok = 0, bad = 0;
	status st = payment_refunds_claim(c, now, PAY_WORKER_LEASE_S, PAY_WORKER_BATCH, a, &rows, &n);
	for (int i = 0; st == STATUS_OK && i < n; i++) {
		const payment_row *p = &rows[i];
		const char *bid = p->customer_id; /* the claim puts the business there */
		const char *ref = NULL;
		char err[256] = "";
		status pst = p->provider_payment
				     ? pay_refund_create(cfg, p->method, p->provider_payment,
							 p->amount_minor, p->currency, p->id, a, &ref,
							 err, sizeof(err))
				     : STATUS_IO;
		if (!p->provider_payment)
			snprintf(err, sizeof(err), "the charge has no provider payment to refund");
		if (pst == STATUS_OK) {
			st = payment_refund_done(c, bid, p->id, ref, now);
			ok++;
			log_info("payments: refund %s of %lld sent to %s", p->id,
				 (long long)p->amount_minor, p->method);
		} else {
			int64_t at = retry_at(p->attempts, now);
			st = payment_refund_retry(c, bid, p->id, err, at, now);
			bad++;
			log_warn("payments: refund %s failed (%s)%s", p->id, err,
				 at ? ", tried again later" : ", given up");
		}
	}
	arena_give(a);
	if (sent)
		*sent = ok;
	if (failed)
		*failed = bad;
	return st;
}

/* The worker's state, owned here behind pay_lock. */
static pthread_mutex_t pay_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pay_cond = PTHREAD_COND_INITIALIZER;
static bool pay_running;  /* the worker should go on */
static bool pay_kicked;   /* a pass was asked for */
static bool pay_started;  /* the thread exists */
static pthread_t pay_thread;
static db *pay_db;
static const pay_config *pay_cfg;
static int pay_interval_ms;

static void *pay_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&pay_lock);
	while (pay_running) {
		pay_kicked = false;
		pthread_mutex_unlock(&pay_lock);
		db_conn *c = db_acquire(pay_db);
		status st = pay_worker_run_once(c, pay_cfg, clock_now(), NULL, NULL);
		db_release(pay_db, c);
		if (st != STATUS_OK && st != STATUS_BUSY)
			log_warn("payments: pass failed: %s", status_name(st));
		pthread_mutex_lock(&pay_lock);
		if (!pay_running || pay_kicked)
			continue;
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += pay_interval_ms / 1000;
		until.tv_nsec += (long)(pay_interval_ms % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&pay_cond, &pay_lock, &until);
	}
	pthread_mutex_unlock(&pay_lock);
	return NULL;
}

void pay_worker_start(db *d, const pay_config *cfg, int interval_ms)
{
	pay_db = d;
	pay_cfg = cfg;
	pay_interval_ms = interval_ms > 0 ? interval_ms : 1000;
	pay_running = true;
	pay_started = pthread_create(&pay_thread, NULL, pay_main, NULL) == 0;
	if (pay_started)
		pthread_setname_np(pay_thread, "payments");
}

void pay_worker_kick(void)
{
	pthread_mutex_lock(&pay_lock);
	pay_kicked = true;
	pthread_cond_broadcast(&pay_cond);
	pthread_mutex_unlock(&pay_lock);
}

void pay_worker_stop(void)
{
	pthread_mutex_lock(&pay_lock);
	pay_running = false;
	pthread_cond_broadcast(&pay_cond);
	pthread_mutex_unlock(&pay_lock);
	if (pay_started)
		pthread_join(pay_thread, NULL);
	pay_started = false;
}
