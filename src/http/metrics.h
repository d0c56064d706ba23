/* metrics.h - request counts and latency per route, in Prometheus text exposition. */
#ifndef BOOKD_METRICS_H
#define BOOKD_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "http/router.h"

/* Sets up counters for a route table (kept borrowed for the process lifetime). Call once
 * before serving. */
void metrics_init(const http_route *routes, size_t nroutes);
void metrics_shutdown(void);

/* Records one finished exchange: route index (-1 when none matched), HTTP code, duration.
 * Thread-safe. */
void metrics_observe(int route, int code, int64_t duration_ns);

/* Appends every metric in Prometheus text format 0.0.4. Thread-safe. */
void metrics_write(buf *out);

#endif
