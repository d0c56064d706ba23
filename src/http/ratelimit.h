/* ratelimit.h - fixed-window request counters per key (a client address, a business), in
 * this process's memory: the cheap first line against floods. The login lockout, which
 * must hold across processes, lives in the database instead (store/session.h). */
#ifndef BOOKD_RATELIMIT_H
#define BOOKD_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ratelimit ratelimit;

/* A table of `slots` counters (rounded up to a power of two). Keys are kept as 64-bit
 * hashes: two keys that collide share a counter, which only makes a limit stricter. When
 * every nearby slot holds a live window the oldest is reused. Never returns NULL. */
ratelimit *ratelimit_new(size_t slots);
void ratelimit_free(ratelimit *rl);

/* Counts one request for key at now against `limit` per `window_s` seconds (windows start
 * at multiples of window_s). True when allowed; false when over the limit, with the seconds
 * until the window ends in *retry_after_s (may be NULL). Thread-safe (one mutex). */
bool ratelimit_hit(ratelimit *rl, const char *key, int64_t now, int limit, int window_s,
		   int64_t *retry_after_s);

#endif
