/* avail_cache.h - recent availability answers, so repeated queries skip the database and
 * the engine. An answer is a pure function of (every write that changes availability, the
 * query, now): the key holds the change counter, the query and "now" to the second, so an
 * entry is exact for as long as it can be found. Writes in this process bump the counter;
 * so do other processes' writes: on PostgreSQL api/live.c hears them through LISTEN/NOTIFY
 * (commands such as `bookd import` notify too), on SQLite the availability handler sees
 * another connection's commit (db_data_changed) before it looks here; with the real clock
 * "now" also moves every second. */
#ifndef BOOKD_AVAIL_CACHE_H
#define BOOKD_AVAIL_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

/* The change counter to put in keys. Thread-safe. */
uint64_t avail_cache_version(void);
/* Any change to availability (a hold, a booking, a schedule): older keys stop matching. */
void avail_cache_bump(void);

/* Appends the cached answer for key to out and returns true, or returns false. */
bool avail_cache_get(const char *key, buf *out);
/* Stores an answer (copied); answers over 256 KiB are not kept. */
void avail_cache_put(const char *key, const char *data, size_t len);
/* Drops every entry (shutdown, tests). */
void avail_cache_clear(void);

#endif
