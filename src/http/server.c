/* server.c - libmicrohttpd glue: body accumulation, routing, request ids, access log. */
#include "http/server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "http/acceptor.h"
#include "http/metrics.h"
#include "http/request.h"
#include "http/sse.h"

#define HTTP_CONNECTIONS_MAX 4096 /* open connections at most, shared out over the lanes */
#define HTTP_FDS_KEPT 256         /* descriptors left for the rest: database, files, mail */
#define HTTP_LANE_SLACK 16        /* the daemons allow this many over the acceptor's limit */

struct http_server {
	acceptor_lane *lanes;       /* one libmicrohttpd daemon (one thread) each */
	int nlanes;                 /* entries in lanes */
	acceptor *acc;              /* accepts connections and hands them to the lanes */
	http_server_config cfg;     /* copied at start */
	atomic_int inflight;        /* exchanges begun and not yet completed */
	unsigned port;              /* bound port */
};

/* Per-exchange state, created on the first call of the access handler. */
typedef struct http_exchange {
	http_req req;       /* what handlers see */
	buf body;           /* request body as it arrives */
	bool too_large;     /* the body passed max_body */
	int64_t started_ns; /* monotonic start, for latency */
	int route_index;    /* matched route, -1 none */
	bool streaming;     /* answered with an event stream (not counted in inflight) */
	acceptor_lane *lane; /* the lane (thread) the connection is on */
} http_exchange;

bool http_parse_listen(const char *listen, void *out, size_t *len_out, char *err, size_t errlen)
{
	char host[128];
	const char *colon = strrchr(listen, ':');
	if (!colon || colon == listen) {
		snprintf(err, errlen, "listen address must be ADDR:PORT, got '%s'", listen);
		return false;
	}
	size_t hl = (size_t)(colon - listen);
	const char *h = listen;
	if (h[0] == '[' && hl >= 2 && h[hl - 1] == ']') {
		h++;
		hl -= 2;
	}
	if (hl == 0 || hl >= sizeof(host)) {
		snprintf(err, errlen, "bad listen host in '%s'", listen);
		return false;
	}
	memcpy(host, h, hl);
	host[hl] = '\0';
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (*(colon + 1) == '\0' || *end != '\0' || port < 0 || port > 65535) {
		snprintf(err, errlen, "bad listen port in '%s'", listen);
		return false;
	}
	if (strcmp(host, "localhost") == 0)
		snprintf(host, sizeof(host), "127.0.0.1");
	struct sockaddr_in *v4 = out;
	struct sockaddr_in6 *v6 = out;
	memset(out, 0, sizeof(struct sockaddr_storage));
	if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)port);
		*len_out = sizeof(*v4);
		return true;
	}
	if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)port);
		*len_out = sizeof(*v6);
		return true;
	}
	snprintf(err, errlen, "listen host must be an IP address, got '%s'", host);
	return false;
}

static void request_id_new(char out[24])
{
	static const char alphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";
	unsigned char raw[16];
	randombytes_buf(raw, sizeof(raw));
	for (int i = 0; i < 16; i++)
		out[i] = alphabet[raw[i] & 31];
	out[16] = '\0';
}

const char *http_client_addr(http_req *r)
{
	char addr[INET6_ADDRSTRLEN] = "";
	const union MHD_ConnectionInfo *ci =
		r->conn ? MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS) : NULL;
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
				  addr, sizeof(addr));
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
				  addr, sizeof(addr));
	}
	return arena_strdup(r->arena, addr);
}

static void access_log(http_exchange *x, int code, int64_t dur_ns)
{
	http_req *r = &x->req;
	buf f;
	buf_init(&f, 4096);
	log_field(&f, "event", "request");
	log_field(&f, "id", r->request_id);
	log_field(&f, "method", r->method);
	log_field(&f, "path", r->path);
	log_field(&f, "route", r->route ? r->route->pattern : "-");
	log_fieldf(&f, "status", "%d", code);
	log_fieldf(&f, "dur_ms", "%.3f", (double)dur_ns / 1e6);
	log_fieldf(&f, "bytes", "%zu", r->out.len);
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci && ci->client_addr) {
		char addr[INET6_ADDRSTRLEN] = "-";
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
				  addr, sizeof(addr));
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
				  addr, sizeof(addr));
		log_field(&f, "remote", addr);
	}
	log_fields(code >= 500 ? LOG_WARN : LOG_INFO, &f);
	buf_free(&f);
}

int http_dispatch(const http_server_config *cfg, http_req *r)
{
	int i = router_match(cfg->routes, cfg->nroutes, r->method, r->path, r->arena, &r->params);
	if (i >= 0 && cfg->routes[i].auth == AUTH_TEST && !cfg->test_routes)
		i = -1;
	if (i == -1) {
		http_problem_code(r, 404, STATUS_NOT_FOUND, "no such route");
		return -1;
	}
	if (i == -2) {
		http_problem_code(r, 405, STATUS_INVALID, "method not allowed on this route");
		return -1;
	}
	r->route = &cfg->routes[i];
	if (!cfg->authorize || cfg->authorize(r)) {
		r->route->handler(r);
		if (r->code == 0)
			http_problem_code(r, 500, STATUS_INTERNAL, "the handler gave no answer");
	}
	if (cfg->after)
		cfg->after(r);
	return i;
}

static void dispatch(http_server *s, http_exchange *x)
{
	http_req *r = &x->req;
	if (x->too_large) {
		http_problem_code(r, 413, STATUS_INVALID, "request body too large");
		return;
	}
	r->body = x->body.data ? x->body.data : "";
	r->body_len = x->body.len;
	x->route_index = http_dispatch(&s->cfg, r);
}

static enum MHD_Result queue_answer(http_server *s, http_exchange *x)
{
	http_req *r = &x->req;
	if (r->stream_topic) {
		/* A stream lives until the client leaves: it does not hold up a graceful stop. */
		struct MHD_Response *stream = sse_response(r);
		if (!stream)
			return MHD_NO;
		if (!x->streaming) {
			x->streaming = true;
			atomic_fetch_sub(&s->inflight, 1);
		}
		MHD_add_response_header(stream, "X-Request-Id", r->request_id);
		enum MHD_Result ret = MHD_queue_response(r->conn, MHD_HTTP_OK, stream);
		MHD_destroy_response(stream);
		return ret;
	}
	struct MHD_Response *resp = MHD_create_response_from_buffer(
		r->out.len, r->out.data ? r->out.data : (void *)"", MHD_RESPMEM_MUST_COPY);
	if (!resp)
		return MHD_NO;
	if (r->content_type)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->content_type);
	MHD_add_response_header(resp, "X-Request-Id", r->request_id);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	for (int i = 0; i < r->nheaders; i++)
		MHD_add_response_header(resp, r->hname[i], r->hvalue[i]);
	(void)s;
	enum MHD_Result ret = MHD_queue_response(r->conn, (unsigned)r->code, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result on_access(void *cls, struct MHD_Connection *conn, const char *url,
				 const char *method, const char *version, const char *upload_data,
				 size_t *upload_data_size, void **con_cls)
{
	http_server *s = cls;
	http_exchange *x = *con_cls;
	(void)version;
	if (!x) {
		/* First call: headers only. Answering now would make libmicrohttpd 0.9.75 close
		 * the connection, so set up and wait for the next call (keep-alive). */
		x = xcalloc(1, sizeof(*x));
		x->started_ns = clock_mono_ns();
		x->route_index = -1;
		x->req.arena = arena_new();
		x->req.conn = conn;
		x->lane = acceptor_lane_of(conn);
		/* Copies: libmicrohttpd may reuse its buffers before the completion callback. */
		x->req.method = arena_strdup(x->req.arena, method);
		x->req.path = arena_strdup(x->req.arena, url);
		x->req.app = s->cfg.app;
		x->req.now = clock_now();
		buf_init(&x->body, s->cfg.max_body);
		const char *rid = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Request-Id");
		size_t rl = rid ? strlen(rid) : 0;
		bool rid_ok = rl >= 8 && rl < sizeof(x->req.request_id);
		for (size_t i = 0; rid_ok && i < rl; i++)
			rid_ok = (rid[i] >= '0' && rid[i] <= '9') || (rid[i] >= 'a' && rid[i] <= 'z') ||
				 (rid[i] >= 'A' && rid[i] <= 'Z') || rid[i] == '-';
		if (rid_ok)
			memcpy(x->req.request_id, rid, rl + 1);
		else
			request_id_new(x->req.request_id);
		atomic_fetch_add(&s->inflight, 1);
		*con_cls = x;
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (!x->too_large && buf_add(&x->body, upload_data, *upload_data_size) != STATUS_OK) {
			x->too_large = true;
			buf_free(&x->body);
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	acceptor_lane_busy(x->lane, true); /* new connections go elsewhere meanwhile */
	dispatch(s, x);
	acceptor_lane_busy(x->lane, false);
	return queue_answer(s, x);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	http_server *s = cls;
	http_exchange *x = *con_cls;
	(void)conn;
	(void)toe;
	if (!x)
		return;
	int code = x->req.code ? x->req.code : 499;
	int64_t dur = clock_mono_ns() - x->started_ns;
	metrics_observe(x->route_index, code, dur);
	access_log(x, code, dur);
	bool streaming = x->streaming;
	buf_free(&x->body);
	buf_free(&x->req.out);
	arena_free(x->req.arena);
	free(x);
	*con_cls = NULL;
	if (!streaming)
		atomic_fetch_sub(&s->inflight, 1);
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	size_t n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		msg[--n] = '\0';
	log_warn("http: %s", msg);
}

/* How many connections to allow: HTTP_CONNECTIONS_MAX, fewer when the process may not open
 * that many descriptors. Raises the soft descriptor limit to the hard one first (commonly
 * 1024 soft and far more hard): a server should not run out of descriptors at 1024. */
static int connections_max(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return HTTP_CONNECTIONS_MAX;
	if (rl.rlim_cur < rl.rlim_max) {
		struct rlimit want = {.rlim_cur = rl.rlim_max, .rlim_max = rl.rlim_max};
		if (setrlimit(RLIMIT_NOFILE, &want) == 0)
			rl = want;
	}
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= HTTP_CONNECTIONS_MAX + HTTP_FDS_KEPT)
		return HTTP_CONNECTIONS_MAX;
	return rl.rlim_cur > 2 * HTTP_FDS_KEPT ? (int)rl.rlim_cur - HTTP_FDS_KEPT
					       : (int)rl.rlim_cur / 2;
}

/* Stops every lane's daemon and frees s. */
static void lanes_stop(http_server *s)
{
	for (int i = 0; i < s->nlanes; i++)
		if (s->lanes[i].d)
			MHD_stop_daemon(s->lanes[i].d);
	free(s->lanes);
	free(s);
}

status http_server_start(const http_server_config *cfg, http_server **out, char *err,
			 size_t errlen)
{
	struct sockaddr_storage ss;
	size_t sl;
	if (!http_parse_listen(cfg->listen, &ss, &sl, err, errlen))
		return STATUS_INVALID;
	int fd = -1;
	unsigned port = 0;
	char why[256];
	if (acceptor_listen((struct sockaddr *)&ss, (socklen_t)sl, &fd, &port, why, sizeof(why)) !=
	    STATUS_OK) {
		snprintf(err, errlen, "cannot listen on %s: %s", cfg->listen, why);
		return STATUS_IO;
	}
	http_server *s = xcalloc(1, sizeof(*s));
	s->cfg = *cfg;
	s->port = port;
	s->nlanes = cfg->threads ? (int)cfg->threads : 4;
	s->lanes = xcalloc((size_t)s->nlanes, sizeof(*s->lanes));
	/* Daemons without listening sockets of their own: http/acceptor.c hands them
	 * connections, each to the one with the fewest open. */
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
			 MHD_ALLOW_SUSPEND_RESUME | MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ITC;
	int limit = connections_max() / s->nlanes;
	if (limit < 16)
		limit = 16;
	for (int i = 0; i < s->nlanes; i++) {
		acceptor_lane *l = &s->lanes[i];
		l->d = MHD_start_daemon(
			flags, 0, NULL, NULL, on_access, s, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log,
			NULL, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
			MHD_OPTION_NOTIFY_CONNECTION, acceptor_count, l, MHD_OPTION_CONNECTION_TIMEOUT,
			(unsigned)60, MHD_OPTION_CONNECTION_LIMIT, (unsigned)(limit + HTTP_LANE_SLACK),
			MHD_OPTION_END);
		if (!l->d) {
			snprintf(err, errlen, "cannot start the HTTP server on %s", cfg->listen);
			close(fd);
			lanes_stop(s);
			return STATUS_IO;
		}
	}
	if (acceptor_start(fd, s->lanes, s->nlanes, limit, &s->acc, why, sizeof(why)) !=
	    STATUS_OK) {
		snprintf(err, errlen, "%s", why);
		lanes_stop(s);
		return STATUS_IO;
	}
	*out = s;
	return STATUS_OK;
}

unsigned http_server_port(const http_server *s)
{
	return s->port;
}

void http_server_stop(http_server *s, int grace_ms)
{
	if (!s)
		return;
	acceptor_stop(s->acc); /* no new connections; those open finish */
	sse_stop();
	for (int waited = 0; waited < grace_ms && atomic_load(&s->inflight) > 0; waited += 10)
		usleep(10000);
	lanes_stop(s);
}
