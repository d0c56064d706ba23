/* server.c - libmicrohttpd glue: body accumulation, routing, request ids, access log. */
#include "http/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/text.h"
#include "base/utf8.h"
#include "base/xalloc.h"
#include "http/acceptor.h"
#include "http/metrics.h"
#include "http/request.h"
#include "http/sse.h"
#include "http/tls.h"

#define HTTP_FDS_KEPT 256         /* descriptors left for the rest: database, files, mail */
#define HTTP_LANE_SLACK 16        /* the daemons allow this many over the acceptor's limit */

struct http_server {
	conns *tracker;             /* every connection by address: caps and deadlines */
	acceptor_lane *lanes;       /* one libmicrohttpd daemon (one thread) each */
	int nlanes;                 /* entries in lanes */
	acceptor *acc;              /* accepts connections and hands them to the lanes */
	http_server_config cfg;     /* copied at start */
	atomic_int inflight;        /* exchanges begun and not yet completed */
	unsigned port;              /* bound port */
};

/* Per-exchange state, created when the request line has arrived (on_uri) and set up on the
 * first call of the access handler, when the head is whole. */
typedef struct http_exchange {
	http_req req;       /* what handlers see */
	buf body;           /* request body as it arrives */
	bool too_large;     /* the body passed the route's limit */
	bool head_seen;     /* the access handler has been called (the head is whole) */
	bool query_cut;     /* the query had more than HTTP_QUERY_PARAMS_MAX parameters */
	char *raw_path;     /* the target's path as sent, still percent-encoded (xmalloc) */
	bool early;         /* answered on the head alone (refused before any body) */
	int64_t started_ns; /* monotonic start, for latency */
	int route_index;    /* matched route, -1 none, -2 wrong method */
	bool streaming;     /* answered with an event stream (not counted in inflight) */
	acceptor_lane *lane; /* the lane (thread) the connection is on */
	conns_conn *track;  /* the connection's record in the tracker */
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

/* The peer's address as text into out (at least PROXY_ADDR_MAX bytes; "" when unknown). */
static void peer_addr(struct MHD_Connection *conn, char *out)
{
	out[0] = '\0';
	const union MHD_ConnectionInfo *ci =
		conn ? MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS) : NULL;
	if (!ci || !ci->client_addr)
		return;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
			  PROXY_ADDR_MAX);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
			  PROXY_ADDR_MAX);
}

/* Every occurrence of header name joined with ", " into the arena (NULL when absent). */
typedef struct header_join {
	const char *name;
	arena *a;
	char *joined;
} header_join;

static enum MHD_Result join_header(void *cls, enum MHD_ValueKind kind, const char *key,
				   const char *value)
{
	header_join *j = cls;
	(void)kind;
	if (key && value && strcasecmp(key, j->name) == 0)
		j->joined = j->joined ? arena_printf(j->a, "%s, %s", j->joined, value)
				      : arena_strdup(j->a, value);
	return MHD_YES;
}

/* The client's address for r: see http_client_addr. */
static const char *client_addr_of(const http_server *s, http_req *r)
{
	char peer[PROXY_ADDR_MAX], client[PROXY_ADDR_MAX];
	peer_addr(r->conn, peer);
	if (!s || proxy_list_count(s->cfg.trusted) == 0)
		return arena_strdup(r->arena, peer);
	header_join j = {.name = s->cfg.forwarded == PROXY_FORWARDED ? "Forwarded"
								     : "X-Forwarded-For",
			 .a = r->arena};
	MHD_get_connection_values(r->conn, MHD_HEADER_KIND, join_header, &j);
	proxy_client_addr(s->cfg.trusted, s->cfg.forwarded, peer, j.joined, client);
	return arena_strdup(r->arena, client);
}

const char *http_client_addr(http_req *r)
{
	if (!r->client_addr)
		r->client_addr = client_addr_of(NULL, r);
	return r->client_addr;
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
	log_fieldf(&f, "bytes", "%zu", r->out_static ? r->out_static_len : r->out.len);
	log_field(&f, "remote", r->client_addr && *r->client_addr ? r->client_addr : "-");
	log_fields(code >= 500 ? LOG_WARN : LOG_INFO, &f);
	buf_free(&f);
}

/* The route of r in cfg's table (router_match; a test route without the test clock is
 * none), set in r->route when found. -1 no route, -2 a route but not for this method. */
static int route_of(const http_server_config *cfg, http_req *r)
{
	int i = router_match(cfg->routes, cfg->nroutes, r->method, r->path, r->arena, &r->params);
	if (i >= 0 && cfg->routes[i].auth == AUTH_TEST && !cfg->test_routes)
		i = -1;
	if (i >= 0)
		r->route = &cfg->routes[i];
	return i;
}

/* Answers r by its route i (route_of): 404 or 405 without one, else the authorize hook and
 * the handler, and 500 when the handler gave no answer and did not park. */
static void run_route(const http_server_config *cfg, http_req *r, int i)
{
	if (i == -1) {
		http_problem_code(r, 404, STATUS_NOT_FOUND, "no such route");
		return;
	}
	if (i == -2) {
		http_problem_code(r, 405, STATUS_INVALID, "method not allowed on this route");
		return;
	}
	if (cfg->authorize && !cfg->authorize(r))
		return;
	r->route->handler(r);
	if (r->code == 0 && !r->park_resume)
		http_problem_code(r, 500, STATUS_INTERNAL, "the handler gave no answer");
}

/* In-process exchanges (no connection) parked by a handler wait here for http_unpark. */
static pthread_mutex_t inproc_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t inproc_woken = PTHREAD_COND_INITIALIZER;

int http_dispatch(const http_server_config *cfg, http_req *r)
{
	int i = route_of(cfg, r);
	run_route(cfg, r, i);
	while (r->park_resume) {
		if (cfg->settle)
			cfg->settle(r); /* parked: holds nothing while it waits */
		pthread_mutex_lock(&inproc_lock);
		while (!r->park_woken)
			pthread_cond_wait(&inproc_woken, &inproc_lock);
		r->park_woken = false;
		pthread_mutex_unlock(&inproc_lock);
		void (*resume)(http_req *, void *) = r->park_resume;
		r->park_resume = NULL;
		resume(r, r->park_arg);
		if (r->code == 0 && !r->park_resume)
			http_problem_code(r, 500, STATUS_INTERNAL, "the handler gave no answer");
	}
	if (cfg->after && r->route)
		cfg->after(r);
	if (cfg->settle)
		cfg->settle(r);
	return i;
}

static void dispatch(http_server *s, http_exchange *x)
{
	http_req *r = &x->req;
	if (x->too_large) {
		char detail[128];
		snprintf(detail, sizeof(detail), "the request body may be at most %zu bytes here",
			 x->body.max);
		http_problem_code(r, 413, STATUS_INVALID, detail);
		return;
	}
	r->body = x->body.data ? x->body.data : "";
	r->body_len = x->body.len;
	run_route(&s->cfg, r, x->route_index);
}

void http_park(http_req *r, void (*resume)(http_req *r, void *arg), void *arg)
{
	r->park_resume = resume;
	r->park_arg = arg;
	/* Suspended here, on the connection's own thread, before any other thread can unpark:
	 * libmicrohttpd resumes it only after this access call returns. */
	if (r->conn)
		MHD_suspend_connection(r->conn);
}

void http_unpark(http_req *r)
{
	if (r->conn) {
		MHD_resume_connection(r->conn);
		return;
	}
	pthread_mutex_lock(&inproc_lock); /* in-process: http_dispatch waits for this */
	r->park_woken = true;
	pthread_cond_broadcast(&inproc_woken);
	pthread_mutex_unlock(&inproc_lock);
}

/* A parked exchange was unparked: libmicrohttpd calls the access handler again, and the
 * resume function answers (or parks once more). */
static void resume_parked(http_exchange *x)
{
	http_req *r = &x->req;
	void (*resume)(http_req *, void *) = r->park_resume;
	r->park_resume = NULL;
	resume(r, r->park_arg);
	if (r->code == 0 && !r->park_resume)
		http_problem_code(r, 500, STATUS_INTERNAL, "the handler gave no answer");
}

static enum MHD_Result queue_answer(http_server *s, http_exchange *x)
{
	http_req *r = &x->req;
	if (r->stream_topic) {
		conns_verdict v = conns_stream_open(s->tracker, x->track, r->client_addr);
		if (v != CONNS_OK) {
			r->stream_topic = NULL;
			http_problem_code(r, v == CONNS_ADDR_FULL ? 429 : 503, STATUS_BUSY,
					  v == CONNS_ADDR_FULL
						  ? "too many event streams from this address"
						  : "the server holds its most event streams");
			http_add_header(r, "Retry-After", "30");
		}
	}
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
	/* A compiled-in body is sent from where it lies; the PERSISTENT mode never writes it. */
	struct MHD_Response *resp =
		r->out_static
			? MHD_create_response_from_buffer(r->out_static_len, (void *)r->out_static,
							  MHD_RESPMEM_PERSISTENT)
			: MHD_create_response_from_buffer(r->out.len,
							  r->out.data ? r->out.data : (void *)"",
							  MHD_RESPMEM_MUST_COPY);
	if (!resp)
		return MHD_NO;
	if (r->content_type)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->content_type);
	MHD_add_response_header(resp, "X-Request-Id", r->request_id);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	if (s->cfg.tls)
		MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
	for (int i = 0; i < r->nheaders; i++)
		MHD_add_response_header(resp, r->hname[i], r->hvalue[i]);
	enum MHD_Result ret = MHD_queue_response(r->conn, (unsigned)r->code, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* libmicrohttpd's URI callback: the request line has arrived, headers not yet. Its result
 * becomes the exchange (*con_cls). libmicrohttpd stores every query parameter in the
 * connection's memory pool before any callback of ours could refuse them, and a few hundred
 * exhaust it, after which 0.9.75 neither answers nor closes. So a query with more than
 * HTTP_QUERY_PARAMS_MAX parameters is cut off here, in the request line's own buffer, before
 * libmicrohttpd splits it, and answered 414 once the head is whole. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	http_server *s = cls;
	if (s && conn) /* from here on, running out of time earns a 408 */
		conns_head_begun(s->tracker, acceptor_conn_of(conn));
	http_exchange *x = xcalloc(1, sizeof(*x));
	x->started_ns = clock_mono_ns();
	x->route_index = -1;
	/* The path is kept as sent: libmicrohttpd hands the access handler a decoded copy, in
	 * which "%2F" is a separator and "%00" ends the string, and the router would decode
	 * it a second time ("%2541" -> "%41" -> "A"). Segments are decoded once, by the router. */
	if (uri)
		x->raw_path = xstrndup(uri, strcspn(uri, "?#"));
	char *q = uri ? strchr(uri, '?') : NULL;
	if (q) {
		size_t params = 1;
		for (const char *p = q + 1; *p; p++)
			params += *p == '&';
		if (params > HTTP_QUERY_PARAMS_MAX) {
			/* The buffer is libmicrohttpd's own writable read buffer; the const in the
			 * callback's type only says it is not ours to keep. */
			q[1] = '\0';
			x->query_cut = true;
		}
	}
	return x;
}

/* A copy of s (n bytes) fit to name a field: bytes that are not printable ASCII become '?'. */
static const char *field_name(arena *a, const char *s, size_t n)
{
	if (n > 64)
		n = 64;
	char *out = arena_alloc(a, n + 1);
	for (size_t i = 0; i < n; i++)
		out[i] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	out[n] = '\0';
	return out;
}

static enum MHD_Result check_query_arg(void *cls, enum MHD_ValueKind kind, const char *key,
				       size_t key_size, const char *value, size_t value_size)
{
	http_req *r = cls;
	(void)kind;
	bool key_ok = key && utf8_clean_text(key, key_size);
	bool value_ok = !value || utf8_clean_text(value, value_size);
	if (!key_ok || !value_ok)
		http_field_error_add(r, key ? field_name(r->arena, key, key_size) : "?",
				     "%s holds a control character or bytes that are not UTF-8",
				     key_ok ? "the value" : "the name");
	return MHD_YES;
}

/* The path, percent-decoded, is well formed UTF-8 text without control characters (a NUL
 * included). An encoded '/' is not refused here: no route matches it. */
static bool path_clean(http_req *r)
{
	size_t n = strlen(r->path);
	char *out = arena_alloc(r->arena, n + 1);
	long len = text_percent_decode(r->path, n, out);
	return len >= 0 && utf8_clean_text(out, (size_t)len);
}

/* Checks what the head alone can tell; answers and returns false when the request is
 * refused before any body is read. */
static bool head_checks(http_server *s, http_exchange *x)
{
	http_req *r = &x->req;
	if (x->query_cut) {
		http_problem_code(r, 414, STATUS_INVALID, "the query has too many parameters");
		return false;
	}
	MHD_get_connection_values_n(r->conn, MHD_GET_ARGUMENT_KIND, check_query_arg, r);
	if (r->nerrors > 0) {
		http_problem_code(r, 400, STATUS_INVALID, "a query parameter is not clean text");
		return false;
	}
	if (!path_clean(r)) {
		http_problem_code(r, 400, STATUS_INVALID,
				  "the path holds a control character or bytes that are not UTF-8");
		return false;
	}
	/* A chunked body announces no size: its chunks could promise 2^64 bytes, and 0.9.75 would
	 * wait for them with no way to answer before the end. A body must come with its length. */
	if (http_header(r, MHD_HTTP_HEADER_TRANSFER_ENCODING)) {
		http_problem_code(r, 411, STATUS_INVALID,
				  "a request body needs a Content-Length (chunked bodies are refused)");
		return false;
	}
	/* A body a little over the limit is read and dropped, and refused once whole: a client
	 * still sending when the answer came (and the connection closed) would not see it. One
	 * far over is refused at once. */
	const char *cl = http_header(r, MHD_HTTP_HEADER_CONTENT_LENGTH);
	size_t limit = x->body.max;
	if (cl) {
		char *end;
		errno = 0;
		unsigned long long n = strtoull(cl, &end, 10);
		if (*cl < '0' || *cl > '9' || *end != '\0' || errno != 0 ||
		    n > (unsigned long long)limit + HTTP_BODY_DISCARD) {
			char detail[128];
			snprintf(detail, sizeof(detail), "the request body may be at most %zu bytes here",
				 limit);
			http_problem_code(r, 413, STATUS_INVALID, detail);
			return false;
		}
	}
	(void)s;
	return true;
}

/* The first call of the access handler: the head is whole. Sets the exchange up, matches
 * the route, and answers at once when the head alone is refused. */
static enum MHD_Result on_head(http_server *s, http_exchange *x, struct MHD_Connection *conn,
			       const char *url, const char *method)
{
	x->head_seen = true;
	x->req.arena = arena_take(); /* warm memory from this thread's last requests */
	x->req.conn = conn;
	x->track = acceptor_conn_of(conn);
	x->lane = acceptor_lane_of(conn);
	conns_head_done(s->tracker, x->track);
	/* Copies: libmicrohttpd may reuse its buffers before the completion callback. */
	x->req.method = arena_strdup(x->req.arena, method);
	x->req.path = arena_strdup(x->req.arena, x->raw_path ? x->raw_path : url);
	x->req.app = s->cfg.app;
	x->req.now = clock_now();
	x->req.client_addr = client_addr_of(s, &x->req);
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
	http_req *r = &x->req;
	int i = route_of(&s->cfg, r);
	x->route_index = i;
	size_t limit = s->cfg.max_body;
	if (i >= 0 && r->route->max_body)
		limit = r->route->max_body;
	buf_init(&x->body, limit);
	if (head_checks(s, x))
		return MHD_YES; /* wait for the next call (keep-alive in 0.9.75) */
	/* Refused on the head: answer now; libmicrohttpd then discards any body and closes. */
	x->early = true;
	conns_body_done(s->tracker, x->track);
	return queue_answer(s, x);
}

static enum MHD_Result on_access(void *cls, struct MHD_Connection *conn, const char *url,
				 const char *method, const char *version, const char *upload_data,
				 size_t *upload_data_size, void **con_cls)
{
	http_server *s = cls;
	http_exchange *x = *con_cls;
	(void)version;
	if (!x)
		*con_cls = x = on_uri(NULL, NULL, conn);
	if (!x->head_seen)
		return on_head(s, x, conn, url, method);
	if (x->early) {
		*upload_data_size = 0; /* answered already; nothing more is read */
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (!x->too_large && buf_add(&x->body, upload_data, *upload_data_size) != STATUS_OK) {
			x->too_large = true;
			size_t max = x->body.max;
			buf_free(&x->body);
			x->body.max = max; /* for the answer */
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	conns_body_done(s->tracker, x->track);
	acceptor_lane_busy(x->lane, true); /* new connections go elsewhere meanwhile */
	if (x->req.park_resume)
		resume_parked(x);
	else
		dispatch(s, x);
	if (x->req.park_resume) { /* parked: answered when unparked, holding nothing meanwhile */
		if (s->cfg.settle)
			s->cfg.settle(&x->req);
		acceptor_lane_busy(x->lane, false);
		return MHD_YES;
	}
	if (s->cfg.after && x->req.route)
		s->cfg.after(&x->req);
	if (s->cfg.settle)
		s->cfg.settle(&x->req);
	acceptor_lane_busy(x->lane, false);
	return queue_answer(s, x);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	http_server *s = cls;
	http_exchange *x = *con_cls;
	(void)toe;
	if (!x)
		return;
	*con_cls = NULL;
	if (x->head_seen) {
		conns_answered(s->tracker, x->track);
		int code = x->req.code ? x->req.code : 499;
		int64_t dur = clock_mono_ns() - x->started_ns;
		if (!s->cfg.quiet)
			metrics_observe(x->route_index, code, dur);
		access_log(x, code, dur);
	} else {
		/* libmicrohttpd refused the head itself (and said why in its log) */
		conns_answered(s->tracker, acceptor_conn_of(conn));
	}
	bool counted = x->head_seen && !x->streaming;
	if (x->req.held && s->cfg.settle)
		s->cfg.settle(&x->req); /* never left held; a safety net all the same */
	free(x->raw_path);
	buf_free(&x->body);
	buf_free(&x->req.out);
	arena_give(x->req.arena); /* reset, back to this thread's cache; NULL is fine */
	free(x);
	if (counted)
		atomic_fetch_sub(&s->inflight, 1);
}

/* libmicrohttpd's messages: a flood of broken connections would write one line each, so
 * at most HTTP_LOG_BURST lines go out per HTTP_LOG_WINDOW_NS, and the next line after a
 * quiet spell says how many were left out. */
#define HTTP_LOG_BURST 20
#define HTTP_LOG_WINDOW_NS (10 * INT64_C(1000000000))

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	static int64_t window_start;
	static int in_window;
	static long dropped;
	(void)cls;
	int64_t now = clock_mono_ns();
	long left_out = 0;
	pthread_mutex_lock(&lock);
	if (now - window_start >= HTTP_LOG_WINDOW_NS) {
		window_start = now;
		in_window = 0;
		left_out = dropped;
		dropped = 0;
	}
	bool say = in_window < HTTP_LOG_BURST;
	if (say)
		in_window++;
	else
		dropped++;
	pthread_mutex_unlock(&lock);
	if (left_out)
		log_warn("http: %ld more messages of the HTTP library left out", left_out);
	if (!say)
		return;
	char msg[512];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	size_t n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		msg[--n] = '\0';
	log_warn("http: %s", msg);
}

/* How many connections to allow: wanted, fewer when the process may not open that many
 * descriptors. Raises the soft descriptor limit to the hard one first (commonly 1024 soft
 * and far more hard): a server should not run out of descriptors at 1024. */
static int connections_max(int wanted)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return wanted;
	if (rl.rlim_cur < rl.rlim_max) {
		struct rlimit want = {.rlim_cur = rl.rlim_max, .rlim_max = rl.rlim_max};
		if (setrlimit(RLIMIT_NOFILE, &want) == 0)
			rl = want;
	}
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= (rlim_t)wanted + HTTP_FDS_KEPT)
		return wanted;
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
	conns_free(s->tracker);
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
	conns_config lc = cfg->limits; /* zeros take the defaults */
	lc.max_total = connections_max(lc.max_total > 0 ? lc.max_total : HTTP_CONNECTIONS_MAX);
	if (lc.max_per_addr <= 0)
		lc.max_per_addr = lc.max_total;
	if (lc.streams_total <= 0)
		lc.streams_total = lc.max_total / 4;
	if (lc.streams_per_addr <= 0)
		lc.streams_per_addr = lc.streams_total;
	if (lc.head_ms <= 0)
		lc.head_ms = HTTP_HEAD_MS;
	if (lc.body_ms <= 0)
		lc.body_ms = HTTP_BODY_MS;
	lc.trusted = cfg->trusted;
	lc.tls = cfg->tls;
	s->cfg.limits = lc;
	s->tracker = conns_new(&lc);
	/* The lanes' share leaves some slack over the whole cap (the tracker's, which binds), so
	 * a connection admitted in place of one being closed finds a lane. */
	int limit = lc.max_total / s->nlanes + HTTP_LANE_SLACK;
	for (int i = 0; i < s->nlanes; i++) {
		acceptor_lane *l = &s->lanes[i];
		l->tracker = s->tracker;
		/* With TLS, the options list ends in the certificate callback; without, at
		 * MHD_OPTION_END in its place. */
		l->d = MHD_start_daemon(
			flags | (cfg->tls ? MHD_USE_TLS : 0), 0, NULL, NULL, on_access, s,
			MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log,
			NULL, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
			MHD_OPTION_URI_LOG_CALLBACK, on_uri, s,
			MHD_OPTION_NOTIFY_CONNECTION, acceptor_count, l, MHD_OPTION_CONNECTION_TIMEOUT,
			(unsigned)60, MHD_OPTION_CONNECTION_LIMIT, (unsigned)(limit + HTTP_LANE_SLACK),
			cfg->tls ? MHD_OPTION_HTTPS_CERT_CALLBACK : MHD_OPTION_END, tls_retrieve,
			MHD_OPTION_END);
		if (!l->d) {
			snprintf(err, errlen, "cannot start the HTTP server on %s", cfg->listen);
			close(fd);
			lanes_stop(s);
			return STATUS_IO;
		}
	}
	if (acceptor_start(fd, s->lanes, s->nlanes, limit, s->tracker, &s->acc, why, sizeof(why)) !=
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

void http_server_write_metrics(http_server *s, buf *out)
{
	conns_stats st = conns_stats_now(s->tracker);
	buf_printf(out,
		   "# HELP bookd_http_connections Connections open now.\n"
		   "# TYPE bookd_http_connections gauge\n"
		   "bookd_http_connections %d\n"
		   "# HELP bookd_http_streams Event streams open now.\n"
		   "# TYPE bookd_http_streams gauge\n"
		   "bookd_http_streams %d\n"
		   "# HELP bookd_http_connections_refused_total Connections refused at a cap.\n"
		   "# TYPE bookd_http_connections_refused_total counter\n"
		   "bookd_http_connections_refused_total %lld\n"
		   "# HELP bookd_http_connections_cut_total Connections cut at a request deadline.\n"
		   "# TYPE bookd_http_connections_cut_total counter\n"
		   "bookd_http_connections_cut_total %lld\n"
		   "# HELP bookd_http_connections_evicted_total Idle connections closed to make room.\n"
		   "# TYPE bookd_http_connections_evicted_total counter\n"
		   "bookd_http_connections_evicted_total %lld\n",
		   st.open, st.streams, (long long)st.refused, (long long)st.cut,
		   (long long)st.evicted);
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
