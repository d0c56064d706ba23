/* test_http_park.c - parking a request (http_park/http_unpark): the connection waits
 * holding no thread, other requests on the same single thread are answered meanwhile, and
 * the resume function answers on the server's thread once another thread unparks it, as
 * often as it parks again. */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/clock.h"
#include "http/request.h"
#include "http/router.h"
#include "http/server.h"

#define PARK_MS 400 /* how long the waker keeps a request parked */

static void *park_waker(void *arg)
{
	usleep(PARK_MS * 1000);
	http_unpark(arg);
	return NULL;
}

static void park_later(http_req *r)
{
	pthread_t t;
	ck_assert_int_eq(pthread_create(&t, NULL, park_waker, r), 0);
	pthread_detach(t);
}

static void park_second(http_req *r, void *arg)
{
	(void)arg;
	http_text(r, 200, "text/plain", "twice", 5);
}

static void park_first(http_req *r, void *arg)
{
	int *rounds = arg;
	if (*rounds == 2) { /* parks once more */
		*rounds = 1;
		http_park(r, park_second, NULL);
		park_later(r);
		return;
	}
	http_text(r, 200, "text/plain", "once", 4);
}

static void parked_route(http_req *r)
{
	int *rounds = arena_alloc(r->arena, sizeof(*rounds));
	*rounds = strcmp(r->path, "/twice") == 0 ? 2 : 1;
	http_park(r, park_first, rounds);
	park_later(r);
}

static void fast_route(http_req *r)
{
	http_text(r, 200, "text/plain", "fast", 4);
}

static const http_route ROUTES[] = {{"GET", "/once", parked_route, AUTH_PUBLIC, 0},
				    {"GET", "/twice", parked_route, AUTH_PUBLIC, 0},
				    {"GET", "/fast", fast_route, AUTH_PUBLIC, 0}};

static int park_connect(unsigned port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_ge(fd, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

static void park_get(int fd, const char *path)
{
	char req[128];
	int n = snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: test\r\n\r\n", path);
	ck_assert_int_eq(write(fd, req, (size_t)n), n);
}

/* Reads one answer and checks its status line and body. */
static void park_expect(int fd, const char *body)
{
	char got[2048];
	size_t n = 0;
	for (;;) {
		ck_assert_uint_lt(n, sizeof(got) - 1);
		ssize_t k = read(fd, got + n, sizeof(got) - 1 - n);
		ck_assert_int_gt(k, 0);
		n += (size_t)k;
		got[n] = 0;
		const char *end = strstr(got, "\r\n\r\n");
		if (end && strlen(end + 4) >= strlen(body))
			break;
	}
	ck_assert_ptr_nonnull(strstr(got, "HTTP/1.1 200"));
	ck_assert_str_eq(strstr(got, "\r\n\r\n") + 4, body);
}

START_TEST(parked_requests_hold_no_thread)
{
	http_server_config cfg = {.listen = "127.0.0.1:0", .threads = 1, .max_body = 1024,
				  .routes = ROUTES, .nroutes = 3};
	http_server *s = NULL;
	char err[256];
	ck_assert_msg(http_server_start(&cfg, &s, err, sizeof(err)) == STATUS_OK, "%s", err);
	int once = park_connect(http_server_port(s));
	int twice = park_connect(http_server_port(s));
	int fast = park_connect(http_server_port(s));
	int64_t t0 = clock_mono_ns();
	park_get(once, "/once");
	park_get(twice, "/twice");
	usleep(50 * 1000);
	/* The only thread is free while both wait. */
	park_get(fast, "/fast");
	park_expect(fast, "fast");
	int64_t fast_ms = (clock_mono_ns() - t0) / 1000000;
	ck_assert_msg(fast_ms < PARK_MS, "a request waited %lld ms behind parked ones",
		      (long long)fast_ms);
	park_expect(once, "once");
	park_expect(twice, "twice");
	int64_t all_ms = (clock_mono_ns() - t0) / 1000000;
	ck_assert_int_ge(all_ms, 2 * PARK_MS); /* /twice waited two rounds */
	/* The connections stay usable (keep-alive) after a parked answer. */
	park_get(once, "/fast");
	park_expect(once, "fast");
	close(once);
	close(twice);
	close(fast);
	http_server_stop(s, 1000);
}
END_TEST

Suite *http_park_suite(void)
{
	Suite *s = suite_create("http_park");
	TCase *tc = tcase_create("http_park");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, parked_requests_hold_no_thread);
	suite_add_tcase(s, tc);
	return s;
}
