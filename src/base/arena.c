/* arena.c - region allocator built from chained blocks, reused rather than freed: a reset
 * keeps its blocks for the next request or query, so the heap is not trimmed and faulted
 * back in (and zeroed by the kernel) on every one. */
#include "base/arena.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

#define ARENA_BLOCK 8192
#define ARENA_ALIGN 16
/* Most bytes of blocks a reset arena keeps for reuse; the rest go back to the heap. */
#define ARENA_KEEP (4u << 20)
/* Reset arenas each thread keeps for arena_take (a request parked for an event stream
 * holds its own, so a thread may need a second while it serves others). */
#define ARENA_THREAD_CACHE 4

struct arena_block {
	struct arena_block *next; /* older block, or the next spare one */
	size_t used;              /* bytes handed out from data */
	size_t size;              /* bytes in data */
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

struct arena {
	struct arena_block *head;  /* newest block, the one allocations come from */
	struct arena_block *spare; /* ARENA_BLOCK-sized blocks kept by arena_reset */
	struct arena_block *big;   /* larger ones kept by arena_reset (few) */
};

arena *arena_new(void)
{
	return xcalloc(1, sizeof(arena));
}

static void blocks_free(struct arena_block *b)
{
	while (b) {
		struct arena_block *next = b->next;
		free(b);
		b = next;
	}
}

void arena_free(arena *a)
{
	if (!a)
		return;
	blocks_free(a->head);
	blocks_free(a->spare);
	blocks_free(a->big);
	free(a);
}

void arena_reset(arena *a)
{
	size_t kept = 0;
	struct arena_block *lists[3] = {a->spare, a->big, a->head};
	a->head = a->spare = a->big = NULL;
	/* Spare blocks first, then those in use, kept while under ARENA_KEEP. */
	for (int i = 0; i < 3; i++) {
		for (struct arena_block *b = lists[i], *next; b; b = next) {
			next = b->next;
			if (kept + b->size > ARENA_KEEP) {
				free(b);
				continue;
			}
			kept += b->size;
			b->used = 0;
			struct arena_block **to = b->size == ARENA_BLOCK ? &a->spare : &a->big;
			b->next = *to;
			*to = b;
		}
	}
}

/* A block with at least size bytes: a kept one when one fits (the smallest of the big
 * ones), else a new one. */
static struct arena_block *block_get(arena *a, size_t size)
{
	struct arena_block **best = NULL;
	if (size <= ARENA_BLOCK && a->spare)
		best = &a->spare;
	else
		for (struct arena_block **p = &a->big; *p; p = &(*p)->next)
			if ((*p)->size >= size && (!best || (*p)->size < (*best)->size))
				best = p;
	if (best) {
		struct arena_block *b = *best;
		*best = b->next;
		return b;
	}
	struct arena_block *b = xmalloc(sizeof(*b) + size);
	b->size = size;
	b->used = 0;
	return b;
}

void *arena_alloc_raw(arena *a, size_t n)
{
	n = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	struct arena_block *b = a->head;
	if (!b || b->size - b->used < n) {
		size_t size = n > ARENA_BLOCK / 2 ? n : ARENA_BLOCK;
		b = block_get(a, size);
		/* A big lone allocation goes behind the head so the head keeps its free room. */
		if (a->head && b->size - n < ARENA_BLOCK / 2) {
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
	}
	void *p = b->data + b->used;
	b->used += n;
	return p;
}

void *arena_alloc(arena *a, size_t n)
{
	void *p = arena_alloc_raw(a, n);
	memset(p, 0, n);
	return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
	char *p = arena_alloc_raw(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_printf(arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return arena_strdup(a, "");
	char *p = arena_alloc_raw(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

/* ---- the per-thread cache ---- */

/* A thread's reset arenas; freed when the thread ends. */
typedef struct arena_cache {
	arena *a[ARENA_THREAD_CACHE]; /* ready for arena_take */
	int n;                        /* entries used in a */
} arena_cache;

static pthread_key_t cache_key;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;

static void cache_free(void *p)
{
	arena_cache *c = p;
	for (int i = 0; i < c->n; i++)
		arena_free(c->a[i]);
	free(c);
}

static void cache_init(void)
{
	if (pthread_key_create(&cache_key, cache_free) != 0) {
		fputs("bookd: pthread_key_create failed\n", stderr);
		abort();
	}
}

static arena_cache *cache_get(void)
{
	pthread_once(&cache_once, cache_init);
	arena_cache *c = pthread_getspecific(cache_key);
	if (!c) {
		c = xcalloc(1, sizeof(*c));
		pthread_setspecific(cache_key, c);
	}
	return c;
}

arena *arena_take(void)
{
	arena_cache *c = cache_get();
	return c->n > 0 ? c->a[--c->n] : arena_new();
}

void arena_give(arena *a)
{
	if (!a)
		return;
	arena_cache *c = cache_get();
	if (c->n == ARENA_THREAD_CACHE) {
		arena_free(a);
		return;
	}
	arena_reset(a);
	c->a[c->n++] = a;
}
