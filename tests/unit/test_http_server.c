/* test_http_server.c - the HTTP server as clients see it, over loopback sockets. */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/clock.h"
#include "http/request.h"
#include "http/router.h"
#include "http/server.h"

#define SLOW_MS 600 /* what the slow route takes, holding its thread */
#define CLIENTS 4   /* as many as the server has threads */

static void slow_route(http_req *r)
{
	usleep(SLOW_MS * 1000);
	http_text(r, 200, "text/plain", "ok", 2);
}

static void fast_route(http_req *r)
{
	http_text(r, 200, "text/plain", "ok", 2);
}

static const http_route ROUTES[] = {{"GET", "/slow", slow_route, AUTH_PUBLIC, 0},
				    {"GET", "/fast", fast_route, AUTH_PUBLIC, 0}};

static int connect_to(unsigned port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_ge(fd, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

static int connect_from(const char *source, unsigned port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_ge(fd, 0);
	struct sockaddr_in src = {.sin_family = AF_INET};
	ck_assert_int_eq(inet_pton(AF_INET, source, &src.sin_addr), 1);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&src, sizeof(src)), 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

/* Reads one whole answer of the slow route (its body is "ok"). */
static void read_answer(int fd)
{
	char got[2048];
	size_t n = 0;
	while (n < sizeof(got) - 1) {
		ssize_t k = read(fd, got + n, sizeof(got) - 1 - n);
		ck_assert_int_gt(k, 0);
		n += (size_t)k;
		got[n] = 0;
		const char *end = strstr(got, "\r\n\r\n");
		if (end && strcmp(end + 4, "ok") == 0)
			break;
	}
	ck_assert_ptr_nonnull(strstr(got, "HTTP/1.1 200"));
}

/* Keep-alive connections a client opens at once must reach different threads: a request
 * holding one thread must not make the others' requests wait. (The library's own accept
 * loop took up to ten connections per wake-up onto one thread.) */
START_TEST(connections_opened_together_are_served_in_parallel)
{
	http_server_config cfg = {.listen = "127.0.0.1:0", .threads = CLIENTS, .max_body = 1024,
				  .routes = ROUTES, .nroutes = 2};
	http_server *s = NULL;
	char err[256];
	ck_assert_msg(http_server_start(&cfg, &s, err, sizeof(err)) == STATUS_OK, "%s", err);
	int fds[CLIENTS];
	for (int i = 0; i < CLIENTS; i++)
		fds[i] = connect_to(http_server_port(s));
	usleep(100 * 1000); /* every connection accepted and placed before any request */
	static const char req[] = "GET /slow HTTP/1.1\r\nHost: test\r\n\r\n";
	int64_t t0 = clock_mono_ns();
	for (int i = 0; i < CLIENTS; i++)
		ck_assert_int_eq(write(fds[i], req, sizeof(req) - 1), (ssize_t)(sizeof(req) - 1));
	for (int i = 0; i < CLIENTS; i++)
		read_answer(fds[i]);
	int64_t took_ms = (clock_mono_ns() - t0) / 1000000;
	/* In parallel: about SLOW_MS. Two on one thread would take twice that. */
	ck_assert_msg(took_ms < SLOW_MS * 5 / 3, "%d requests took %lld ms", CLIENTS,
		      (long long)took_ms);
	for (int i = 0; i < CLIENTS; i++)
		close(fds[i]);
	http_server_stop(s, 1000);
}
END_TEST

/* New connections do not go to a thread held by a slow request, however few connections
 * it has, while another thread is free. */
START_TEST(new_connections_avoid_a_busy_thread)
{
	enum { N = 12 };
	http_server_config cfg = {.listen = "127.0.0.1:0", .threads = CLIENTS, .max_body = 1024,
				  .routes = ROUTES, .nroutes = 2};
	http_server *s = NULL;
	char err[256];
	ck_assert_msg(http_server_start(&cfg, &s, err, sizeof(err)) == STATUS_OK, "%s", err);
	static const char slow[] = "GET /slow HTTP/1.1\r\nHost: test\r\n\r\n";
	static const char fast[] = "GET /fast HTTP/1.1\r\nHost: test\r\n\r\n";
	int held = connect_to(http_server_port(s));
	ck_assert_int_eq(write(held, slow, sizeof(slow) - 1), (ssize_t)(sizeof(slow) - 1));
	usleep(50 * 1000); /* its thread is now in the slow route */
	int fds[N];
	int64_t sent[N];
	for (int i = 0; i < N; i++) {
		fds[i] = connect_to(http_server_port(s));
		ck_assert_int_eq(write(fds[i], fast, sizeof(fast) - 1), (ssize_t)(sizeof(fast) - 1));
		sent[i] = clock_mono_ns();
		usleep(20 * 1000);
	}
	/* Each answer's wait, read as it arrives. A request queued behind the slow one can only
	 * be answered after it, so "late" is both: answered after the slow request and after a
	 * wait of half its time (a loaded machine may delay a fast answer, never reorder it). */
	int late = 0, left = N;
	bool done[N] = {false}, slow_done = false;
	while (left > 0) {
		struct pollfd pf[N + 1];
		int idx[N + 1], np = 0;
		for (int i = 0; i < N; i++)
			if (!done[i]) {
				pf[np] = (struct pollfd){.fd = fds[i], .events = POLLIN};
				idx[np++] = i;
			}
		if (!slow_done) {
			pf[np] = (struct pollfd){.fd = held, .events = POLLIN};
			idx[np++] = -1;
		}
		ck_assert_int_gt(poll(pf, (nfds_t)np, 5000), 0);
		for (int k = 0; k < np; k++) {
			if (pf[k].revents && idx[k] < 0) {
				read_answer(held);
				slow_done = true;
			}
		}
		for (int k = 0; k < np; k++) {
			if (!pf[k].revents || idx[k] < 0)
				continue;
			int i = idx[k];
			read_answer(fds[i]);
			if (slow_done && clock_mono_ns() - sent[i] > INT64_C(1000000) * SLOW_MS / 2)
				late++; /* it waited for the slow request */
			done[i] = true;
			left--;
			close(fds[i]);
		}
	}
	/* None should: the held thread is busy while the others are not. Two allow for a
	 * noisy machine. */
	ck_assert_msg(late <= 2, "%d of %d fast requests waited behind the slow one", late, N);
	if (!slow_done)
		read_answer(held);
	close(held);
	http_server_stop(s, 1000);
}
END_TEST

/* Sends a request for /fast on fd; true when a 200 answer comes back, false when the
 * server refused the connection (503 and closed, or closed). */
static bool fast_served(int fd)
{
	static const char req[] = "GET /fast HTTP/1.1\r\nHost: test\r\n\r\n";
	if (write(fd, req, sizeof(req) - 1) != (ssize_t)(sizeof(req) - 1))
		return false;
	struct pollfd pf = {.fd = fd, .events = POLLIN};
	ck_assert_int_eq(poll(&pf, 1, 5000), 1);
	char got[512];
	ssize_t k = read(fd, got, sizeof(got) - 1);
	if (k <= 0)
		return false; /* closed, or reset because the request was never read */
	got[k] = 0;
	if (strncmp(got, "HTTP/1.1 503", 12) == 0)
		return false;
	ck_assert_ptr_nonnull(strstr(got, "HTTP/1.1 200"));
	return true;
}

/* At its connection limit (here set by a low descriptor limit) the server closes new
 * connections at once, keeps serving those it has, and takes new ones again once some
 * close: the counts the limit is judged by do not drift. The last eighth of the limit is
 * kept for addresses that hold few connections: one address alone fills only the rest,
 * and another is still served. */
START_TEST(connection_limit_refuses_cleanly_and_recovers)
{
	enum { LIMIT = 150, EXTRA = 10 }; /* 300 descriptors: half of them for connections */
	int port_pipe[2];
	ck_assert_int_eq(pipe(port_pipe), 0);
	pid_t child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		/* The server runs in a child of its own, so the client's descriptors here do
		 * not count against the server's limit. */
		struct rlimit rl = {.rlim_cur = 300, .rlim_max = 300};
		if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
			_exit(2);
		http_server_config cfg = {.listen = "127.0.0.1:0", .threads = 2,
					  .max_body = 1024, .routes = ROUTES, .nroutes = 2};
		http_server *srv = NULL;
		char err[256];
		if (http_server_start(&cfg, &srv, err, sizeof(err)) != STATUS_OK)
			_exit(3);
		unsigned port = http_server_port(srv);
		if (write(port_pipe[1], &port, sizeof(port)) != (ssize_t)sizeof(port))
			_exit(4);
		for (;;)
			pause();
	}
	unsigned port = 0;
	ck_assert_int_eq(read(port_pipe[0], &port, sizeof(port)), (ssize_t)sizeof(port));
	close(port_pipe[0]);
	close(port_pipe[1]);
	int fds[LIMIT + EXTRA];
	int served = 0;
	for (int i = 0; i < LIMIT + EXTRA; i++) {
		fds[i] = connect_to(port);
		served += fast_served(fds[i]);
	}
	ck_assert_int_eq(served, LIMIT - LIMIT / CONNS_RESERVE_SHARE);
	int other = connect_from("127.0.0.2", port);
	ck_assert_msg(fast_served(other), "another address finds no room");
	close(other);
	/* Twenty close; as many new ones are served (keep-alive ones too: ask again). */
	for (int i = 0; i < 20; i++)
		close(fds[i]);
	usleep(300 * 1000);
	for (int i = 0; i < 20; i++) {
		fds[i] = connect_to(port);
		ck_assert_msg(fast_served(fds[i]), "new connection %d refused after others closed", i);
	}
	ck_assert(fast_served(fds[served - 1]));
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	for (int i = 0; i < LIMIT + EXTRA; i++)
		close(fds[i]);
}
END_TEST

/* A second server may listen on the same port (a new bookd started before the old one
 * stops): the kernel shares the connections out. */
START_TEST(two_servers_share_a_port)
{
	http_server_config cfg = {.listen = "127.0.0.1:0", .threads = 1, .max_body = 1024,
				  .routes = ROUTES, .nroutes = 2};
	http_server *a = NULL, *b = NULL;
	char err[256], listen[64];
	ck_assert_msg(http_server_start(&cfg, &a, err, sizeof(err)) == STATUS_OK, "%s", err);
	snprintf(listen, sizeof(listen), "127.0.0.1:%u", http_server_port(a));
	cfg.listen = listen;
	ck_assert_msg(http_server_start(&cfg, &b, err, sizeof(err)) == STATUS_OK, "%s", err);
	ck_assert_uint_eq(http_server_port(b), http_server_port(a));
	http_server_stop(b, 1000);
	http_server_stop(a, 1000);
}
END_TEST

/* Response headers are never dropped, however many a handler adds. */
START_TEST(headers_are_never_dropped)
{
	http_req r = {0};
	r.arena = arena_new();
	for (int i = 0; i < 40; i++)
		http_add_header(&r, arena_printf(r.arena, "X-H%d", i), arena_printf(r.arena, "%d", i));
	ck_assert_int_eq(r.nheaders, 40);
	for (int i = 0; i < 40; i++) {
		char want[16];
		snprintf(want, sizeof(want), "%d", i);
		ck_assert_str_eq(r.hvalue[i], want);
	}
	arena_free(r.arena);
}
END_TEST

/* ---- in-process dispatch (what the fuzz targets use) ---- */

static int after_calls;

static void echo_route(http_req *r)
{
	const char *q = http_query(r, "tz");
	const char *h = http_header(r, "x-thing"); /* header names compare case-insensitively */
	const char *text = arena_printf(r->arena, "%s|%s|%s|%s", q ? q : "-", h ? h : "-",
					http_param(r, "id"), r->body);
	http_text(r, 200, "text/plain", text, strlen(text));
}

static bool refuse_secret(http_req *r)
{
	if (strcmp(r->route->pattern, "/secret") != 0)
		return true;
	http_problem_code(r, 401, STATUS_UNAUTHORIZED, "no");
	return false;
}

static void count_after(http_req *r)
{
	(void)r;
	after_calls++;
}

static int dispatch_one(const http_server_config *cfg, const char *method, const char *path,
			char *out, size_t outlen)
{
	static const http_pair query[] = {{"tz", "Europe/Paris"}, {"tz", "second"}, {"flag", NULL}};
	static const http_pair headers[] = {{"X-Thing", "yes"}};
	http_req r = {.arena = arena_new(), .method = method, .path = path, .body = "b",
		      .body_len = 1, .fixed_query = query, .nfixed_query = 3,
		      .fixed_headers = headers, .nfixed_headers = 1};
	http_dispatch(cfg, &r);
	snprintf(out, outlen, "%.*s", (int)r.out.len, r.out.data ? r.out.data : "");
	int code = r.code;
	buf_free(&r.out);
	arena_free(r.arena);
	return code;
}

static void *unpark_later(void *arg)
{
	usleep(20 * 1000);
	http_unpark(arg);
	return NULL;
}

static void parked_resume(http_req *r, void *arg)
{
	http_text(r, 202, "text/plain", arg, strlen(arg));
}

/* Parks, as the password pool makes a login do, and has another thread unpark. */
static void parking_route(http_req *r)
{
	pthread_t t;
	http_park(r, parked_resume, "resumed");
	ck_assert_int_eq(pthread_create(&t, NULL, unpark_later, r), 0);
	pthread_detach(t);
}

/* A request without a connection is routed, authorised and answered as the server does:
 * query and headers come from the fixed lists (the first of a name wins), no route is 404,
 * a wrong method 405 (neither runs the after hook), a refusal runs the after hook, and a
 * parked request is resumed once unparked. */
START_TEST(dispatch_without_a_connection)
{
	static const http_route routes[] = {{"GET", "/things/{id}", echo_route, AUTH_PUBLIC, 0},
					    {"GET", "/secret", echo_route, AUTH_STAFF, 0},
					    {"POST", "/park", parking_route, AUTH_PUBLIC, 0}};
	http_server_config cfg = {.routes = routes, .nroutes = 3, .authorize = refuse_secret,
				  .after = count_after};
	char out[512];
	after_calls = 0;
	ck_assert_int_eq(dispatch_one(&cfg, "GET", "/things/a%20b", out, sizeof out), 200);
	ck_assert_str_eq(out, "Europe/Paris|yes|a b|b");
	ck_assert_int_eq(after_calls, 1);
	ck_assert_int_eq(dispatch_one(&cfg, "GET", "/nothing", out, sizeof out), 404);
	ck_assert_int_eq(dispatch_one(&cfg, "POST", "/things/x", out, sizeof out), 405);
	ck_assert_int_eq(after_calls, 1);
	ck_assert_int_eq(dispatch_one(&cfg, "GET", "/secret", out, sizeof out), 401);
	ck_assert_int_eq(after_calls, 2);
	/* A parked request waits for its unpark and is answered by its resume function. */
	ck_assert_int_eq(dispatch_one(&cfg, "POST", "/park", out, sizeof out), 202);
	ck_assert_str_eq(out, "resumed");
	ck_assert_int_eq(after_calls, 3);
}
END_TEST

Suite *http_server_suite(void)
{
	Suite *s = suite_create("http_server");
	TCase *tc = tcase_create("http_server");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, dispatch_without_a_connection);
	tcase_add_test(tc, connections_opened_together_are_served_in_parallel);
	tcase_add_test(tc, new_connections_avoid_a_busy_thread);
	tcase_add_test(tc, two_servers_share_a_port);
	tcase_add_test(tc, connection_limit_refuses_cleanly_and_recovers);
	tcase_add_test(tc, headers_are_never_dropped);
	suite_add_tcase(s, tc);
	return s;
}
