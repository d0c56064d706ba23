/* health.c - GET /healthz (the database answers) and GET /metrics (Prometheus text). */
#include "api/handlers.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "api/app.h"
#include "http/metrics.h"
#include "api/avail_cache.h"
#include "http/server.h"
#include "store/due.h"

void health_get(http_req *r)
{
	db_conn *c = app_db(r);
	status st = store_ping(c);
	if (st != STATUS_OK) {
		http_json_take(r, 503, json_pack("{s:s, s:s}", "status", "fail", "database",
						 status_name(st)));
		return;
	}
	http_json_take(r, 200, json_pack("{s:s, s:s}", "status", "ok", "database", "ok"));
}

/* Resident memory of this process in bytes, from /proc (0 when unknown). */
static long resident_bytes(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long pages = 0, rss = 0;
	if (!f)
		return 0;
	if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
		rss = 0;
	fclose(f);
	return rss * sysconf(_SC_PAGESIZE);
}

/* True when r carries "Authorization: Bearer <token>". Compared in constant time: both
 * sides are hashed first, so not even the token's length shows in the timing. */
static bool metrics_bearer_ok(const http_req *r, const char *token)
{
	const char *h = http_header(r, "Authorization");
	if (!h || strncasecmp(h, "Bearer ", 7) != 0)
		return false;
	unsigned char want[32], got[32];
	crypto_generichash(want, sizeof(want), (const unsigned char *)token, strlen(token), NULL, 0);
	crypto_generichash(got, sizeof(got), (const unsigned char *)h + 7, strlen(h + 7), NULL, 0);
	return sodium_memcmp(want, got, sizeof(want)) == 0;
}

/* /metrics tells how the server is used: on the main listener it exists only with a token
 * (--metrics-token); the separate --metrics-listen listener serves it to whoever can reach
 * that address, asking for the token too when one is set. */
void metrics_get(http_req *r)
{
	app *ap = r->app;
	const char *token = ap->metrics_token ? ap->metrics_token : "";
	if (!ap->metrics_side && !*token) {
		http_problem_code(r, 404, STATUS_NOT_FOUND, "no such route");
		return;
	}
	if (*token && !metrics_bearer_ok(r, token)) {
		http_add_header(r, "WWW-Authenticate", "Bearer realm=\"metrics\"");
		http_problem_code(r, 401, STATUS_UNAUTHORIZED, "the metrics need their bearer token");
		return;
	}
	buf out;
	buf_init(&out, 4u << 20);
	metrics_write(&out);
	buf_printf(&out,
		   "# HELP bookd_db_seconds_total Time spent in the database.\n"
		   "# TYPE bookd_db_seconds_total counter\n"
		   "bookd_db_seconds_total %.6f\n"
		   "# HELP bookd_resident_memory_bytes Resident memory of the process.\n"
		   "# TYPE bookd_resident_memory_bytes gauge\n"
		   "bookd_resident_memory_bytes %ld\n"
		   "# HELP bookd_availability_cache_bytes Memory the availability cache takes.\n"
		   "# TYPE bookd_availability_cache_bytes gauge\n"
		   "bookd_availability_cache_bytes %zu\n"
		   "# HELP bookd_availability_cache_limit_bytes The most it may take (--cache-bytes).\n"
		   "# TYPE bookd_availability_cache_limit_bytes gauge\n"
		   "bookd_availability_cache_limit_bytes %zu\n"
		   "# HELP bookd_sqlite_wal_pages_total Pages SQLite commits wrote to its log.\n"
		   "# TYPE bookd_sqlite_wal_pages_total counter\n"
		   "bookd_sqlite_wal_pages_total %llu\n",
		   db_time_ms_total(ap->db) / 1000.0, resident_bytes(), avail_cache_bytes(),
		   avail_cache_limit(), (unsigned long long)db_wal_pages_total(ap->db));
	http_server *srv = atomic_load(&ap->server);
	if (srv)
		http_server_write_metrics(srv, &out);
	http_text(r, 200, "text/plain; version=0.0.4", out.data ? out.data : "", out.len);
	buf_free(&out);
}
