/* metrics.c - per-route counters and latency histograms behind one mutex owned here. */
#include "http/metrics.h"

#include <pthread.h>
#include <stdlib.h>

#include "base/xalloc.h"

static const double metrics_bounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
					0.05,   0.1,   0.25,   0.5,   1,    2.5};
#define METRICS_NB (sizeof(metrics_bounds) / sizeof(metrics_bounds[0]))
#define METRICS_CLASSES 5 /* 1xx..5xx */

typedef struct metrics_route {
	uint64_t count[METRICS_CLASSES];   /* exchanges by status class */
	uint64_t bucket[METRICS_NB];       /* latency histogram, non-cumulative */
	uint64_t n;                        /* observations */
	double sum;                        /* seconds, summed */
} metrics_route;

static pthread_mutex_t metrics_lock = PTHREAD_MUTEX_INITIALIZER;
static const http_route *metrics_routes; /* borrowed route table */
static size_t metrics_nroutes;
static metrics_route *metrics_data; /* nroutes + 1: the last is "unmatched" */

void metrics_init(const http_route *routes, size_t nroutes)
{
	metrics_routes = routes;
	metrics_nroutes = nroutes;
	metrics_data = xcalloc(nroutes + 1, sizeof(metrics_route));
}

void metrics_shutdown(void)
{
	free(metrics_data);
	metrics_data = NULL;
}

void metrics_observe(int route, int code, int64_t duration_ns)
{
	if (!metrics_data)
		return;
	size_t i = route >= 0 && (size_t)route < metrics_nroutes ? (size_t)route : metrics_nroutes;
	int cls = code / 100 - 1;
	if (cls < 0 || cls >= METRICS_CLASSES)
		cls = METRICS_CLASSES - 1;
	double s = (double)duration_ns / 1e9;
	pthread_mutex_lock(&metrics_lock);
	metrics_route *m = &metrics_data[i];
	m->count[cls]++;
	m->n++;
	m->sum += s;
	for (size_t b = 0; b < METRICS_NB; b++) {
		if (s <= metrics_bounds[b]) {
			m->bucket[b]++;
			break;
		}
	}
	pthread_mutex_unlock(&metrics_lock);
}

static void metrics_labels(buf *out, size_t i)
{
	if (i < metrics_nroutes)
		buf_printf(out, "method=\"%s\",route=\"%s\"", metrics_routes[i].method,
			   metrics_routes[i].pattern);
	else
		buf_adds(out, "method=\"\",route=\"unmatched\"");
}

void metrics_write(buf *out)
{
	if (!metrics_data)
		return;
	pthread_mutex_lock(&metrics_lock);
	buf_adds(out, "# HELP bookd_http_requests_total HTTP requests by route and status class.\n"
		      "# TYPE bookd_http_requests_total counter\n");
	uint64_t errors = 0;
	for (size_t i = 0; i <= metrics_nroutes; i++) {
		for (int c = 0; c < METRICS_CLASSES; c++) {
			if (!metrics_data[i].count[c])
				continue;
			if (c == 4)
				errors += metrics_data[i].count[c];
			buf_adds(out, "bookd_http_requests_total{");
			metrics_labels(out, i);
			buf_printf(out, ",code=\"%dxx\"} %llu\n", c + 1,
				   (unsigned long long)metrics_data[i].count[c]);
		}
	}
	buf_adds(out, "# HELP bookd_http_errors_total HTTP responses with a 5xx status.\n"
		      "# TYPE bookd_http_errors_total counter\n");
	buf_printf(out, "bookd_http_errors_total %llu\n", (unsigned long long)errors);
	buf_adds(out, "# HELP bookd_http_request_duration_seconds Time to answer, by route.\n"
		      "# TYPE bookd_http_request_duration_seconds histogram\n");
	for (size_t i = 0; i <= metrics_nroutes; i++) {
		const metrics_route *m = &metrics_data[i];
		if (!m->n)
			continue;
		uint64_t cum = 0;
		for (size_t b = 0; b < METRICS_NB; b++) {
			cum += m->bucket[b];
			buf_adds(out, "bookd_http_request_duration_seconds_bucket{");
			metrics_labels(out, i);
			buf_printf(out, ",le=\"%g\"} %llu\n", metrics_bounds[b], (unsigned long long)cum);
		}
		buf_adds(out, "bookd_http_request_duration_seconds_bucket{");
		metrics_labels(out, i);
		buf_printf(out, ",le=\"+Inf\"} %llu\n", (unsigned long long)m->n);
		buf_adds(out, "bookd_http_request_duration_seconds_sum{");
		metrics_labels(out, i);
		buf_printf(out, "} %.6f\n", m->sum);
		buf_adds(out, "bookd_http_request_duration_seconds_count{");
		metrics_labels(out, i);
		buf_printf(out, "} %llu\n", (unsigned long long)m->n);
	}
	pthread_mutex_unlock(&metrics_lock);
}
