/* slowdown.h - the booking page's per-address slowdown (a protection setting, store/
 * protection.h): a hold or booking from an address that made slowdown_after public writes
 * or more in the last PROTECTION_SLOW_WINDOW_S waits slowdown_ms before it is served,
 * parked (http_park) so that it holds no HTTP thread and no database connection, before the
 * business's limits refuse that address outright. Off with --rate-limits off. */
#ifndef BOOKD_API_SLOWDOWN_H
#define BOOKD_API_SLOWDOWN_H

#include <stdbool.h>

#include "http/request.h"

/* Pending waits at most; past them a slowed request is answered 429 at once. */
#define SLOWDOWN_MAX 1024

/* Decides for a public write of the {business} of r's path. True when r was answered (no
 * such business, a store error, too many waiting) or parked: the caller returns, and
 * resume(r, NULL) serves it on the server's thread once the wait is over. False: serve r
 * now. Thread-safe; the waiting thread starts at the first use. */
bool slowdown_gate(http_req *r, void (*resume)(http_req *r, void *arg));

#endif
