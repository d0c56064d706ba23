/* test_app_db.c - a request owns its database connection (api/app.h): lent at first use,
 * the same one all through the exchange, given back by the server when the handler returns,
 * while the request is parked, and early on request; a transaction left open is rolled back.
 * The pool has one connection, so one kept would hang the next request. */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "api/app.h"
#include "http/server.h"

static app appdb_app;
static atomic_int appdb_lent_parked = -1; /* connections lent while a request was parked */
static atomic_int appdb_lent_early = -1;  /* after app_db_release */

static void appdb_answer(http_req *r, status st)
{
	const char *body = st == STATUS_OK ? "ok" : status_name(st);
	http_text(r, st == STATUS_OK ? 200 : 500, "text/plain", body, strlen(body));
}

/* Reads twice: the same connection both times, and it works. */
static void appdb_query(http_req *r)
{
	db_conn *c = app_db(r);
	int64_t one = 0;
	status st = db_query_int(c, "SELECT 1", DB_NOPARAMS, &one);
	if (st == STATUS_OK && (one != 1 || app_db(r) != c))
		st = STATUS_INTERNAL;
	appdb_answer(r, st);
}

/* Begins a write and answers without ending it: the next request must still write. */
static void appdb_open_tx(http_req *r)
{
	db_conn *c = app_db(r);
	status st = db_begin_write(c);
	if (st == STATUS_OK)
		st = db_exec(c, "INSERT INTO appdb_t (n) VALUES (1)", DB_NOPARAMS, NULL);
	appdb_answer(r, st);
}

static void appdb_early(http_req *r)
{
	(void)app_db(r);
	app_db_release(r);
	atomic_store(&appdb_lent_early, db_lent(appdb_app.db));
	appdb_answer(r, STATUS_OK);
}

static void *appdb_waker(void *arg)
{
	usleep(50 * 1000);
	atomic_store(&appdb_lent_parked, db_lent(appdb_app.db));
	http_unpark(arg);
	return NULL;
}

static void appdb_resumed(http_req *r, void *arg)
{
	(void)arg;
	appdb_query(r); /* borrows again */
}

/* Takes the connection, then parks: the server gives it back while the request waits. */
static void appdb_park(http_req *r)
{
	(void)app_db(r);
	http_park(r, appdb_resumed, NULL);
	pthread_t t;
	ck_assert_int_eq(pthread_create(&t, NULL, appdb_waker, r), 0);
	pthread_detach(t);
}

static const http_route APPDB_ROUTES[] = {{"GET", "/query", appdb_query, AUTH_PUBLIC, 0},
					  {"GET", "/tx", appdb_open_tx, AUTH_PUBLIC, 0},
					  {"GET", "/early", appdb_early, AUTH_PUBLIC, 0},
					  {"GET", "/park", appdb_park, AUTH_PUBLIC, 0}};

/* One GET on a fresh connection; returns the status code. */
static int appdb_get(unsigned port, const char *path)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_ge(fd, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	char req[128];
	int n = snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
			 path);
	ck_assert_int_eq(write(fd, req, (size_t)n), n);
	char got[1024];
	size_t len = 0;
	ssize_t k;
	while (len < sizeof(got) - 1 && (k = read(fd, got + len, sizeof(got) - 1 - len)) > 0)
		len += (size_t)k;
	got[len] = 0;
	close(fd);
	int code = 0;
	ck_assert_int_eq(sscanf(got, "HTTP/1.1 %d", &code), 1);
	return code;
}

START_TEST(a_request_owns_its_connection)
{
	char err[256];
	ck_assert_msg(db_open("sqlite::memory:", 1, &appdb_app.db, err, sizeof(err)) == STATUS_OK,
		      "%s", err);
	db_conn *c = db_acquire(appdb_app.db);
	ck_assert_int_eq(db_exec(c, "CREATE TABLE appdb_t (n INTEGER)", DB_NOPARAMS, NULL),
			 STATUS_OK);
	db_release(appdb_app.db, c);
	http_server_config cfg = {.listen = "127.0.0.1:0", .threads = 2, .max_body = 1024,
				  .routes = APPDB_ROUTES, .nroutes = 4, .app = &appdb_app,
				  .settle = app_settle};
	http_server *s = NULL;
	ck_assert_msg(http_server_start(&cfg, &s, err, sizeof(err)) == STATUS_OK, "%s", err);
	unsigned port = http_server_port(s);
	static const char *const paths[] = {"/query", "/tx", "/early", "/park"};
	for (int round = 0; round < 10; round++) {
		for (size_t i = 0; i < 4; i++) {
			ck_assert_int_eq(appdb_get(port, paths[i]), 200);
			/* Given back before the answer went out. */
			ck_assert_int_eq(db_lent(appdb_app.db), 0);
		}
		ck_assert_int_eq(atomic_load(&appdb_lent_parked), 0);
		ck_assert_int_eq(atomic_load(&appdb_lent_early), 0);
	}
	/* Every open transaction was rolled back: no row was kept. */
	c = db_acquire(appdb_app.db);
	int64_t rows = -1;
	ck_assert_int_eq(db_query_int(c, "SELECT COUNT(*) FROM appdb_t", DB_NOPARAMS, &rows),
			 STATUS_OK);
	ck_assert_int_eq(rows, 0);
	db_release(appdb_app.db, c);
	http_server_stop(s, 1000);
	db_close(appdb_app.db);
}
END_TEST

Suite *app_db_suite(void)
{
	Suite *s = suite_create("app_db");
	TCase *tc = tcase_create("app_db");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, a_request_owns_its_connection);
	suite_add_tcase(s, tc);
	return s;
}
