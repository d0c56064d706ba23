/* arena.h - a region allocator: many small allocations, one free. One per request or query;
 * reset and reused (arena_take/arena_give) so its memory stays warm between them. */
#ifndef BOOKD_ARENA_H
#define BOOKD_ARENA_H

#include <stddef.h>

typedef struct arena arena;

/* Creates an empty arena. Never returns NULL. Not thread-safe: one owner at a time. */
arena *arena_new(void);
/* Frees every allocation made from the arena, then the arena. NULL is allowed. */
void arena_free(arena *a);
/* Ends every allocation made from the arena but keeps its memory (up to a few MiB) for the
 * allocations that follow: the arena is as new, without going back to the heap. */
void arena_reset(arena *a);

/* An empty arena from this thread's cache of reset ones (or a new one); give it back with
 * arena_give, which resets it, or free it with arena_free. Thread-safe: each thread has its
 * own cache, freed when the thread ends. */
arena *arena_take(void);
void arena_give(arena *a);

/* Returns n bytes aligned for any type, zeroed, valid until arena_free or arena_reset.
 * Aborts on OOM. */
void *arena_alloc(arena *a, size_t n);
/* The same, not zeroed: for memory the caller writes whole before reading it. */
void *arena_alloc_raw(arena *a, size_t n);
/* Copies into the arena; the results are NUL-terminated. */
char *arena_strdup(arena *a, const char *s);
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_printf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
