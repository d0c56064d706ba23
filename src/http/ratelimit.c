/* ratelimit.c - open-addressing table of fixed-window counters under one mutex. */
#include "http/ratelimit.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

#define RATELIMIT_PROBES 8

typedef struct rl_slot {
	uint64_t key;         /* hash of the key; 0 empty */
	int64_t window_start; /* start of the counted window */
	int64_t window_end;   /* end of the counted window (start + window_s) */
	int count;            /* requests counted in the window */
} rl_slot;

struct ratelimit {
	pthread_mutex_t lock; /* guards slots */
	size_t mask;          /* slots - 1 (a power of two minus one) */
	rl_slot *slots;       /* the table */
};

/* FNV-1a, then a final mix; never 0 (0 marks an empty slot). */
static uint64_t rl_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h ? h : 1;
}

ratelimit *ratelimit_new(size_t slots)
{
	size_t n = 16;
	while (n < slots)
		n <<= 1;
	ratelimit *rl = xcalloc(1, sizeof(*rl));
	pthread_mutex_init(&rl->lock, NULL);
	rl->mask = n - 1;
	rl->slots = xcalloc(n, sizeof(rl_slot));
	return rl;
}

void ratelimit_free(ratelimit *rl)
{
	if (!rl)
		return;
	pthread_mutex_destroy(&rl->lock);
	free(rl->slots);
	free(rl);
}

bool ratelimit_hit(ratelimit *rl, const char *key, int64_t now, int limit, int window_s,
		   int64_t *retry_after_s)
{
	if (window_s < 1)
		window_s = 1;
	uint64_t h = rl_hash(key);
	int64_t start = now - (((now % window_s) + window_s) % window_s);
	pthread_mutex_lock(&rl->lock);
	rl_slot *found = NULL, *free_slot = NULL, *oldest = NULL;
	for (size_t i = 0; i < RATELIMIT_PROBES; i++) {
		rl_slot *s = &rl->slots[(h + i) & rl->mask];
		if (s->key == h) {
			found = s;
			break;
		}
		if (!free_slot && (s->key == 0 || s->window_end <= now))
			free_slot = s;
		if (!oldest || s->window_start < oldest->window_start)
			oldest = s;
	}
	rl_slot *s = found ? found : free_slot ? free_slot : oldest;
	if (!found || s->window_start != start) {
		s->key = h;
		s->window_start = start;
		s->window_end = start + window_s;
		s->count = 0;
	}
	bool ok = s->count < limit;
	if (ok)
		s->count++;
	int64_t wait = s->window_end - now;
	pthread_mutex_unlock(&rl->lock);
	if (retry_after_s)
		*retry_after_s = wait > 0 ? wait : 1;
	return ok;
}
