/* avail_cache.h - what the slot engine computed, kept per key (api/availability.c makes the
 * keys and the bytes: a service, provider, seats and local day of the business, so that
 * questions with other windows, zones or a later "now" reuse it; and whole answers by the
 * query as sent).
 *
 * An entry is stored with the change version it was computed under and the range of "now"
 * it holds for (from the now it was computed at until, say, the first expiry of a hold it
 * counted). It is found only while the version has not moved and the asker's "now" is in
 * that range. The version moves on every
 * write that changes availability: writes in this process (api/live.c), other processes'
 * writes heard by NOTIFY on PostgreSQL (commands such as `bookd import` notify too), and on
 * SQLite another connection's commit (db_data_changed) seen before a lookup. Read the
 * version before reading the database for an entry: a write that lands meanwhile then
 * leaves the entry stale, never found.
 *
 * Memory is bounded by the total bytes of the entries (keys, bytes and bookkeeping), set by
 * avail_cache_set_limit; the least recently used entries go first. Thread-safe: one lock. */
#ifndef BOOKD_AVAIL_CACHE_H
#define BOOKD_AVAIL_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Default total bytes (api/availability.c entries of a busy server fit many times). */
#define AVAIL_CACHE_DEFAULT_BYTES ((size_t)16 << 20)

/* The change version to store entries under. Thread-safe. */
uint64_t avail_cache_version(void);
/* Any change to availability (a hold, a booking, a schedule): every entry goes stale. */
void avail_cache_bump(void);

/* Sets the most bytes entries may take in all (0: nothing is kept); entries past a lower
 * limit are dropped at once. */
void avail_cache_set_limit(size_t bytes);
/* Bytes the entries take now, and the limit. */
size_t avail_cache_bytes(void);
size_t avail_cache_limit(void);

/* One entry found, held until avail_cache_release: its bytes stay valid and unchanged. */
typedef struct avail_cache_item avail_cache_item;

/* The entry for key (keylen bytes) when it was stored under the current version and now is
 * in [valid_from, valid_until); a reference the caller gives back with avail_cache_release.
 * NULL otherwise (a stale entry found is dropped). */
avail_cache_item *avail_cache_find(const void *key, size_t keylen, int64_t now);
/* The entry's bytes (borrowed while the item is held; aligned for any type). */
const void *avail_cache_data(const avail_cache_item *it, size_t *len_out);
void avail_cache_release(avail_cache_item *it);
/* The instant until which the entry holds (its valid_until). */
int64_t avail_cache_valid_until(const avail_cache_item *it);

/* Stores a copy of data under key, computed under version and valid for every now in
 * [valid_from, valid_until), replacing an entry of the same key. Not kept when the version
 * has moved already, the range is empty or the entry alone would pass the limit. */
void avail_cache_put(const void *key, size_t keylen, uint64_t version, int64_t valid_from,
		     int64_t valid_until, const void *data, size_t len);
/* Drops every entry (shutdown, tests); held items stay valid until released. */
void avail_cache_clear(void);

#endif
