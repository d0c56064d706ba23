/* arena.h - a region allocator: many small allocations, one free. One per request. */
#ifndef BOOKD_ARENA_H
#define BOOKD_ARENA_H

#include <stddef.h>

typedef struct arena arena;

/* Creates an empty arena. Never returns NULL. Not thread-safe: one owner at a time. */
arena *arena_new(void);
/* Frees every allocation made from the arena, then the arena. NULL is allowed. */
void arena_free(arena *a);

/* Returns n bytes aligned for any type, zeroed, valid until arena_free. Aborts on OOM. */
void *arena_alloc(arena *a, size_t n);
/* Copies into the arena; the results are NUL-terminated. */
char *arena_strdup(arena *a, const char *s);
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_printf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
