/* avail_cache.c - a hash table of reference-counted entries with a least-recently-used list
 * and a byte budget, behind one lock. */
#include "api/avail_cache.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

/* Buckets of the table (a power of two); chains stay short for any budget up to ~1 GiB. */
#define AVAIL_CACHE_BUCKETS 16384

struct avail_cache_item {
	struct avail_cache_item *chain;   /* next in the bucket */
	struct avail_cache_item *newer;   /* LRU list: toward the most recently used */
	struct avail_cache_item *older;   /* LRU list: toward the least recently used */
	atomic_int refs;                  /* the table's reference (while linked) + holders' */
	uint64_t hash;                    /* of the key */
	uint64_t version;                 /* the change version it was computed under */
	int64_t valid_from;               /* found only while now >= this ... */
	int64_t valid_until;              /* ... and now < this */
	size_t bytes;                     /* what it counts against the budget */
	size_t keylen;                    /* bytes of key */
	size_t len;                       /* bytes of data */
	char *key;                        /* points into this allocation, after data */
	_Alignas(16) unsigned char data[]; /* the entry's bytes */
};

static _Atomic uint64_t cache_version;
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static avail_cache_item *cache_table[AVAIL_CACHE_BUCKETS];
static avail_cache_item *cache_newest, *cache_oldest; /* the LRU list's ends */
static size_t cache_total;                            /* bytes of linked entries */
static _Atomic size_t cache_max = AVAIL_CACHE_DEFAULT_BYTES;

uint64_t avail_cache_version(void)
{
	return atomic_load(&cache_version);
}

void avail_cache_bump(void)
{
	atomic_fetch_add(&cache_version, 1);
}

static uint64_t cache_hash(const void *key, size_t n)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (const unsigned char *p = key, *e = p + n; p < e; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return h;
}

static void item_unref(avail_cache_item *it)
{
	if (atomic_fetch_sub(&it->refs, 1) == 1)
		free(it);
}

/* Takes it out of the table and the list; the table's reference goes. Under the lock. */
static void item_unlink(avail_cache_item *it)
{
	avail_cache_item **p = &cache_table[it->hash & (AVAIL_CACHE_BUCKETS - 1)];
	while (*p != it)
		p = &(*p)->chain;
	*p = it->chain;
	if (it->newer)
		it->newer->older = it->older;
	else
		cache_newest = it->older;
	if (it->older)
		it->older->newer = it->newer;
	else
		cache_oldest = it->newer;
	cache_total -= it->bytes;
	item_unref(it);
}

/* Moves it to the newest end. Under the lock. */
static void item_touch(avail_cache_item *it)
{
	if (cache_newest == it)
		return;
	it->newer->older = it->older; /* it is not the newest, so newer is set */
	if (it->older)
		it->older->newer = it->newer;
	else
		cache_oldest = it->newer;
	it->newer = NULL;
	it->older = cache_newest;
	cache_newest->newer = it;
	cache_newest = it;
}

/* Drops the oldest entries until the total fits limit. Under the lock. */
static void cache_trim(size_t limit)
{
	while (cache_oldest && cache_total > limit)
		item_unlink(cache_oldest);
}

void avail_cache_set_limit(size_t bytes)
{
	pthread_mutex_lock(&cache_lock);
	atomic_store(&cache_max, bytes);
	cache_trim(bytes);
	pthread_mutex_unlock(&cache_lock);
}

size_t avail_cache_bytes(void)
{
	pthread_mutex_lock(&cache_lock);
	size_t n = cache_total;
	pthread_mutex_unlock(&cache_lock);
	return n;
}

size_t avail_cache_limit(void)
{
	return atomic_load(&cache_max);
}

static avail_cache_item *cache_lookup(const void *key, size_t keylen, uint64_t h)
{
	for (avail_cache_item *it = cache_table[h & (AVAIL_CACHE_BUCKETS - 1)]; it; it = it->chain)
		if (it->hash == h && it->keylen == keylen && memcmp(it->key, key, keylen) == 0)
			return it;
	return NULL;
}

avail_cache_item *avail_cache_find(const void *key, size_t keylen, int64_t now)
{
	uint64_t h = cache_hash(key, keylen), v = avail_cache_version();
	pthread_mutex_lock(&cache_lock);
	avail_cache_item *it = cache_lookup(key, keylen, h);
	if (it && (it->version != v || now >= it->valid_until)) {
		item_unlink(it); /* stale for good: versions only grow, and so does now */
		it = NULL;
	}
	if (it && now < it->valid_from)
		it = NULL; /* a clock set back (tests): not this entry's */
	if (it) {
		item_touch(it);
		atomic_fetch_add(&it->refs, 1);
	}
	pthread_mutex_unlock(&cache_lock);
	return it;
}

int64_t avail_cache_valid_until(const avail_cache_item *it)
{
	return it->valid_until;
}

const void *avail_cache_data(const avail_cache_item *it, size_t *len_out)
{
	*len_out = it->len;
	return it->data;
}

void avail_cache_release(avail_cache_item *it)
{
	if (it)
		item_unref(it);
}

void avail_cache_put(const void *key, size_t keylen, uint64_t version, int64_t valid_from,
		     int64_t valid_until, const void *data, size_t len)
{
	size_t bytes = sizeof(avail_cache_item) + len + keylen;
	if (bytes > atomic_load(&cache_max) || version != avail_cache_version() ||
	    valid_from >= valid_until)
		return;
	avail_cache_item *it = xmalloc(bytes);
	memcpy(it->data, data, len);
	it->key = (char *)it->data + len;
	memcpy(it->key, key, keylen);
	it->keylen = keylen;
	it->len = len;
	it->bytes = bytes;
	it->hash = cache_hash(key, keylen);
	it->version = version;
	it->valid_from = valid_from;
	it->valid_until = valid_until;
	atomic_init(&it->refs, 1);
	pthread_mutex_lock(&cache_lock);
	avail_cache_item *old = cache_lookup(key, keylen, it->hash);
	if (old)
		item_unlink(old);
	size_t limit = atomic_load(&cache_max);
	cache_trim(limit > bytes ? limit - bytes : 0);
	avail_cache_item **b = &cache_table[it->hash & (AVAIL_CACHE_BUCKETS - 1)];
	it->chain = *b;
	*b = it;
	it->newer = NULL;
	it->older = cache_newest;
	if (cache_newest)
		cache_newest->newer = it;
	else
		cache_oldest = it;
	cache_newest = it;
	cache_total += bytes;
	pthread_mutex_unlock(&cache_lock);
}

void avail_cache_clear(void)
{
	pthread_mutex_lock(&cache_lock);
	cache_trim(0);
	pthread_mutex_unlock(&cache_lock);
}
