/* avail_cache.c - a direct-mapped table of recent answers behind one lock. The memory
 * bound is AVAIL_CACHE_SLOTS x AVAIL_CACHE_MAX_ANSWER. */
#include "api/avail_cache.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

#define AVAIL_CACHE_SLOTS 512
#define AVAIL_CACHE_MAX_ANSWER (256u << 10)

typedef struct avail_entry {
	char *key;   /* owned; NULL when empty */
	char *data;  /* owned answer bytes */
	size_t len;  /* bytes in data */
} avail_entry;

static _Atomic uint64_t avail_version;
static pthread_mutex_t avail_lock = PTHREAD_MUTEX_INITIALIZER;
static avail_entry avail_slots_[AVAIL_CACHE_SLOTS];

uint64_t avail_cache_version(void)
{
	return atomic_load(&avail_version);
}

void avail_cache_bump(void)
{
	atomic_fetch_add(&avail_version, 1);
}

static size_t avail_hash(const char *key)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return (size_t)(h % AVAIL_CACHE_SLOTS);
}

bool avail_cache_get(const char *key, buf *out)
{
	avail_entry *e = &avail_slots_[avail_hash(key)];
	bool hit = false;
	pthread_mutex_lock(&avail_lock);
	if (e->key && strcmp(e->key, key) == 0)
		hit = buf_add(out, e->data, e->len) == STATUS_OK;
	pthread_mutex_unlock(&avail_lock);
	return hit;
}

void avail_cache_put(const char *key, const char *data, size_t len)
{
	if (len > AVAIL_CACHE_MAX_ANSWER)
		return;
	char *k = xstrdup(key), *d = xmalloc(len);
	memcpy(d, data, len);
	avail_entry *e = &avail_slots_[avail_hash(key)];
	pthread_mutex_lock(&avail_lock);
	char *old_k = e->key, *old_d = e->data;
	e->key = k;
	e->data = d;
	e->len = len;
	pthread_mutex_unlock(&avail_lock);
	free(old_k);
	free(old_d);
}

void avail_cache_clear(void)
{
	pthread_mutex_lock(&avail_lock);
	for (size_t i = 0; i < AVAIL_CACHE_SLOTS; i++) {
		free(avail_slots_[i].key);
		free(avail_slots_[i].data);
		avail_slots_[i] = (avail_entry){0};
	}
	pthread_mutex_unlock(&avail_lock);
}
