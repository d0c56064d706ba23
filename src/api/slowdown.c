/* slowdown.c - parked public writes of a busy address, woken by one timer thread when
 * their wait is over (slowdown.h). */
#include "api/slowdown.h"

#include <pthread.h>
#include <time.h>

#include "api/app.h"
#include "api/auth.h"
#include "api/common.h"
#include "base/clock.h"
#include "base/log.h"
#include "http/server.h"
#include "store/protection.h"

/* One parked request and when it wakes. */
typedef struct slow_wait {
	int64_t due_ns; /* clock_mono_ns at which it is unparked */
	http_req *r;    /* the parked request */
} slow_wait;

/* The waits, a binary min-heap on due_ns, owned here behind slow_lock. */
static pthread_mutex_t slow_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t slow_cond;
static slow_wait slow_heap[SLOWDOWN_MAX];
static int slow_n;
static pthread_once_t slow_once = PTHREAD_ONCE_INIT;
static bool slow_started; /* the timer thread runs */

static void heap_swap(int i, int j)
{
	slow_wait t = slow_heap[i];
	slow_heap[i] = slow_heap[j];
	slow_heap[j] = t;
}

static void heap_push(slow_wait w)
{
	int i = slow_n++;
	slow_heap[i] = w;
	while (i > 0 && slow_heap[(i - 1) / 2].due_ns > slow_heap[i].due_ns) {
		heap_swap(i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static slow_wait heap_pop(void)
{
	slow_wait top = slow_heap[0];
	slow_heap[0] = slow_heap[--slow_n];
	for (int i = 0;;) {
		int l = 2 * i + 1, m = i;
		if (l < slow_n && slow_heap[l].due_ns < slow_heap[m].due_ns)
			m = l;
		if (l + 1 < slow_n && slow_heap[l + 1].due_ns < slow_heap[m].due_ns)
			m = l + 1;
		if (m == i)
			break;
		heap_swap(i, m);
		i = m;
	}
	return top;
}

/* The timer thread: unparks each wait when it is due, outside the lock. */
static void *slow_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&slow_lock);
	for (;;) {
		while (slow_n == 0)
			pthread_cond_wait(&slow_cond, &slow_lock);
		int64_t now = clock_mono_ns();
		if (slow_heap[0].due_ns > now) {
			int64_t due = slow_heap[0].due_ns;
			struct timespec until = {.tv_sec = (time_t)(due / 1000000000),
						 .tv_nsec = (long)(due % 1000000000)};
			pthread_cond_timedwait(&slow_cond, &slow_lock, &until);
			continue;
		}
		slow_wait w = heap_pop();
		pthread_mutex_unlock(&slow_lock);
		http_unpark(w.r);
		pthread_mutex_lock(&slow_lock);
	}
	return NULL;
}

static void slow_start(void)
{
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC); /* clock_mono_ns's clock */
	pthread_cond_init(&slow_cond, &ca);
	pthread_condattr_destroy(&ca);
	pthread_t t;
	if (pthread_create(&t, NULL, slow_main, NULL) != 0) {
		log_error("slowdown: cannot start its thread; no request is slowed");
		return;
	}
	pthread_detach(t);
	slow_started = true;
}

/* Parks r for ms; false (nothing parked) when too many wait already. */
static bool slow_park(http_req *r, int ms, void (*resume)(http_req *r, void *arg))
{
	pthread_once(&slow_once, slow_start);
	if (!slow_started)
		return true; /* served at once: no thread to wake it */
	pthread_mutex_lock(&slow_lock);
	bool room = slow_n < SLOWDOWN_MAX;
	if (room) {
		http_park(r, resume, NULL); /* parked before the timer thread can see it */
		heap_push((slow_wait){.due_ns = clock_mono_ns() + (int64_t)ms * 1000000, .r = r});
		pthread_cond_signal(&slow_cond);
	}
	pthread_mutex_unlock(&slow_lock);
	return room;
}

bool slowdown_gate(http_req *r, void (*resume)(http_req *r, void *arg))
{
	if (!auth_limits_on() || !r->client_addr || !*r->client_addr)
		return false;
	db_conn *c = app_db(r);
	business b;
	if (!api_business(r, c, &b))
		return true;
	protection p;
	int writes = 0;
	status st = store_protection_get(c, b.id, &p);
	if (st == STATUS_OK && p.slowdown_after > 0 && p.slowdown_ms > 0)
		st = store_client_writes(c, b.id, r->client_addr, r->now - PROTECTION_SLOW_WINDOW_S,
					 &writes);
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return true;
	}
	if (p.slowdown_after <= 0 || p.slowdown_ms <= 0 || writes < p.slowdown_after)
		return false;
	if (slow_park(r, p.slowdown_ms, resume))
		return r->park_resume != NULL;
	http_add_header(r, "Retry-After", "1");
	http_problem_code(r, 429, STATUS_BUSY, "too many requests from this address; retry later");
	return true;
}
