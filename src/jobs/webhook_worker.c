/* webhook_worker.c - sends queued webhook deliveries, with retries (jobs/webhook_worker.h). */
#include "jobs/webhook_worker.h"

#include <pthread.h>
#include <sodium.h>
#include <stdbool.h>
#include <time.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/sealed.h"
#include "jobs/webhook_send.h"
#include "store/webhook.h"

#define WEBHOOK_BATCH 20
/* Longer than a POST may take, so a lease never ends while its delivery is being sent. */
#define WEBHOOK_LEASE_S (WEBHOOK_TIMEOUT_S * 6)

int64_t webhook_retry_at(int attempts, int64_t now, int64_t jitter_s)
{
	if (attempts >= WEBHOOK_ATTEMPTS)
		return 0;
	int64_t wait = 10;
	for (int i = 1; i < attempts && wait < 3600; i++)
		wait *= 2;
	return now + (wait < 3600 ? wait : 3600) + jitter_s;
}

/* Sends one claimed delivery; fills o. */
static void send_one(const webhook_job *j, int64_t now, arena *a, webhook_outcome *o)
{
	char err[200] = "";
	char *secret = NULL, *previous = NULL;
	*o = (webhook_outcome){.response = "", .error = ""};
	if (sealed_open(j->secret_box, &secret, err, sizeof(err)) != STATUS_OK ||
	    (j->previous_box && sealed_open(j->previous_box, &previous, err, sizeof(err)) != STATUS_OK)) {
		o->error = arena_printf(a, "the signing secret cannot be opened: %s", err);
		sealed_free(secret);
		return;
	}
	const char *sig = webhook_signature(secret, previous, now, j->body, a);
	sealed_free(secret);
	sealed_free(previous);
	webhook_post_result r;
	status st = webhook_post(j->url, j->body, sig, j->event_id, j->id, WEBHOOK_LOG_BODY_MAX, a, &r);
	o->code = r.code;
	o->latency_ms = r.latency_ms;
	o->response = r.answer;
	o->error = r.error;
	o->ok = st == STATUS_OK;
}

status webhook_worker_run_once(db_conn *c, int64_t now, int *sent, int *failed)
{
	arena *a = arena_take();
	webhook_job *jobs = NULL;
	int n = 0, ok = 0, bad = 0;
	status st = STATUS_OK;
	/* Claims again after each batch: a delivery that was waiting behind one just sent is
	 * due now too. */
	for (int round = 0; round < 50 && st == STATUS_OK; round++) {
		st = webhook_claim(c, now, WEBHOOK_LEASE_S, WEBHOOK_BATCH, a, &jobs, &n);
		if (st != STATUS_OK || n == 0)
			break;
		for (int i = 0; st == STATUS_OK && i < n; i++) {
			const webhook_job *j = &jobs[i];
			webhook_outcome o;
			send_one(j, now, a, &o);
			int64_t at = o.ok ? 0
					  : webhook_retry_at(j->attempts, now,
							     (int64_t)randombytes_uniform(10));
			bool disabled = false;
			st = webhook_record(c, j, &o, at, now, a, &disabled);
			if (o.ok) {
				ok++;
			} else {
				bad++;
				log_warn("webhooks: delivery %s to endpoint %s failed (%s)%s", j->id,
					 j->endpoint_id, o.error, at ? ", tried again later" : ", given up");
			}
			if (disabled)
				log_warn("webhooks: endpoint %s disabled after failing; owners told",
					 j->endpoint_id);
		}
		arena_reset(a);
	}
	arena_give(a);
	/* Old history goes, at most once an hour (this thread's own clock of it). */
	static _Thread_local int64_t purged_at;
	if (st == STATUS_OK && (now - purged_at >= 3600 || now < purged_at)) {
		purged_at = now;
		status pst = webhook_purge(c, now - WEBHOOK_KEEP_S);
		if (pst != STATUS_OK && pst != STATUS_BUSY)
			log_warn("webhooks: purge failed: %s", status_name(pst));
	}
	if (sent)
		*sent = ok;
	if (failed)
		*failed = bad;
	return st;
}

/* The worker's state, owned here behind hook_lock. */
static pthread_mutex_t hook_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t hook_cond = PTHREAD_COND_INITIALIZER;
static bool hook_running; /* the worker should go on */
static bool hook_kicked;  /* a pass was asked for */
static bool hook_started; /* the thread exists */
static pthread_t hook_thread;
static db *hook_db;
static int hook_interval_ms;

static void *hook_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&hook_lock);
	while (hook_running) {
		hook_kicked = false;
		pthread_mutex_unlock(&hook_lock);
		db_conn *c = db_acquire(hook_db);
		status st = webhook_worker_run_once(c, clock_now(), NULL, NULL);
		db_release(hook_db, c);
		if (st != STATUS_OK && st != STATUS_BUSY)
			log_warn("webhooks: pass failed: %s", status_name(st));
		pthread_mutex_lock(&hook_lock);
		if (!hook_running || hook_kicked)
			continue;
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += hook_interval_ms / 1000;
		until.tv_nsec += (long)(hook_interval_ms % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&hook_cond, &hook_lock, &until);
	}
	pthread_mutex_unlock(&hook_lock);
	return NULL;
}

void webhook_worker_start(db *d, int interval_ms)
{
	hook_db = d;
	hook_interval_ms = interval_ms > 0 ? interval_ms : 1000;
	hook_running = true;
	hook_started = pthread_create(&hook_thread, NULL, hook_main, NULL) == 0;
	if (hook_started)
		pthread_setname_np(hook_thread, "webhooks");
}

void webhook_worker_kick(void)
{
	pthread_mutex_lock(&hook_lock);
	hook_kicked = true;
	pthread_cond_broadcast(&hook_cond);
	pthread_mutex_unlock(&hook_lock);
}

void webhook_worker_stop(void)
{
	pthread_mutex_lock(&hook_lock);
	hook_running = false;
	pthread_cond_broadcast(&hook_cond);
	pthread_mutex_unlock(&hook_lock);
	if (hook_started)
		pthread_join(hook_thread, NULL);
	hook_started = false;
}
