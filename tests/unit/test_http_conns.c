/* test_http_conns.c - trusted proxies (the parser, the client address a request stands for)
 * and the connection tracker's counts: caps per address and in all, the reserve, streams,
 * and everything given back when connections close. */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http/conns.h"
#include "http/proxy.h"

static proxy_list *parsed(const char *spec)
{
	proxy_list *l = NULL;
	char err[128];
	ck_assert_msg(proxy_list_parse(spec, &l, err, sizeof(err)), "%s: %s", spec, err);
	return l;
}

START_TEST(proxy_list_parses_and_refuses)
{
	proxy_list *l = parsed(" 10.0.0.0/8, 192.168.1.7 ,2001:db8::/32,::1");
	ck_assert_uint_eq(proxy_list_count(l), 4);
	ck_assert(proxy_trusted_text(l, "10.200.3.4"));
	ck_assert(!proxy_trusted_text(l, "11.0.0.1"));
	ck_assert(proxy_trusted_text(l, "192.168.1.7"));
	ck_assert(!proxy_trusted_text(l, "192.168.1.8"));
	ck_assert(proxy_trusted_text(l, "2001:db8:ffff::1"));
	ck_assert(!proxy_trusted_text(l, "2001:db9::1"));
	ck_assert(proxy_trusted_text(l, "::1"));
	ck_assert(proxy_trusted_text(l, "::ffff:10.1.2.3")); /* mapped IPv4 is IPv4 */
	ck_assert(!proxy_trusted_text(l, "not an address"));
	struct sockaddr_in sa = {.sin_family = AF_INET};
	inet_pton(AF_INET, "10.9.9.9", &sa.sin_addr);
	ck_assert(proxy_trusted(l, (struct sockaddr *)&sa));
	proxy_list_free(l);

	l = parsed("");
	ck_assert_uint_eq(proxy_list_count(l), 0);
	ck_assert(!proxy_trusted_text(l, "127.0.0.1"));
	proxy_list_free(l);
	l = parsed("0.0.0.0/0");
	ck_assert(proxy_trusted_text(l, "8.8.8.8"));
	ck_assert(!proxy_trusted_text(l, "2001:db8::1")); /* an IPv4 network holds no IPv6 */
	proxy_list_free(l);

	static const char *const bad[] = {"10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0/8",
					  "10.0.0.0/-1", "10.0.0.0/8x", "example.com", "1.2.3.4/8/8",
					  "[::1]"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char err[128] = "";
		l = NULL;
		ck_assert_msg(!proxy_list_parse(bad[i], &l, err, sizeof(err)), "%s parsed", bad[i]);
		ck_assert_ptr_null(l);
		ck_assert_msg(strstr(err, bad[i]) != NULL, "%s: %s", bad[i], err);
	}
}
END_TEST

/* The client address: the peer's unless it is trusted; then the rightmost hop that is not
 * a trusted proxy. */
START_TEST(proxy_client_addr_takes_the_rightmost_untrusted_hop)
{
	proxy_list *l = parsed("10.0.0.0/8,2001:db8::/32");
	char out[PROXY_ADDR_MAX];
	static const struct {
		const char *peer, *xff, *want;
	} cases[] = {
		{"203.0.113.9", "1.2.3.4", "203.0.113.9"},            /* untrusted peer: forged */
		{"10.0.0.1", NULL, "10.0.0.1"},                        /* no header */
		{"10.0.0.1", "198.51.100.7", "198.51.100.7"},
		{"10.0.0.1", "6.6.6.6, 198.51.100.7", "198.51.100.7"}, /* the client's own forgery */
		{"10.0.0.1", "6.6.6.6, 198.51.100.7, 10.0.0.2", "198.51.100.7"},
		{"10.0.0.1", "10.0.0.3, 10.0.0.2", "10.0.0.3"},        /* all trusted: leftmost */
		{"10.0.0.1", "6.6.6.6, garbage", "10.0.0.1"},          /* unreadable: stop */
		{"10.0.0.1", "6.6.6.6, unknown, 10.0.0.2", "10.0.0.2"},
		{"10.0.0.1", " 198.51.100.7:4711 ", "198.51.100.7"},  /* a port is dropped */
		{"10.0.0.1", "[2001:db9::5]:80", "2001:db9::5"},
		{"10.0.0.1", "2001:DB9::5", "2001:db9::5"},           /* canonical text */
		{"2001:db8::1", "::ffff:198.51.100.7", "198.51.100.7"},
		{"10.0.0.1", "", "10.0.0.1"},
		{"10.0.0.1", ",", "10.0.0.1"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		proxy_client_addr(l, PROXY_XFF, cases[i].peer, cases[i].xff, out);
		ck_assert_msg(strcmp(out, cases[i].want) == 0, "%s / %s: got %s", cases[i].peer,
			      cases[i].xff ? cases[i].xff : "(none)", out);
	}
	proxy_client_addr(l, PROXY_FORWARDED, "10.0.0.1",
			  "for=6.6.6.6, For=\"[2001:db9::17]:4711\";proto=https;by=10.0.0.1", out);
	ck_assert_str_eq(out, "2001:db9::17");
	proxy_client_addr(l, PROXY_FORWARDED, "10.0.0.1", "proto=https;for=198.51.100.7", out);
	ck_assert_str_eq(out, "198.51.100.7");
	proxy_client_addr(l, PROXY_FORWARDED, "10.0.0.1", "for=_hidden", out);
	ck_assert_str_eq(out, "10.0.0.1");
	proxy_client_addr(NULL, PROXY_XFF, "10.0.0.1", "198.51.100.7", out);
	ck_assert_str_eq(out, "10.0.0.1"); /* no trusted proxies: headers are ignored */
	proxy_list_free(l);
}
END_TEST

static struct sockaddr_in v4(const char *a)
{
	struct sockaddr_in sa = {.sin_family = AF_INET};
	ck_assert_int_eq(inet_pton(AF_INET, a, &sa.sin_addr), 1);
	return sa;
}

static struct sockaddr_in6 v6(const char *a)
{
	struct sockaddr_in6 sa = {.sin6_family = AF_INET6};
	ck_assert_int_eq(inet_pton(AF_INET6, a, &sa.sin6_addr), 1);
	return sa;
}

#define SA(x) ((const struct sockaddr *)&(x))

START_TEST(conns_caps_per_address_and_in_all)
{
	proxy_list *trusted = parsed("10.0.0.1");
	conns_config cfg = {.max_total = 64, .max_per_addr = 10, .streams_total = 5,
			    .streams_per_addr = 2, .head_ms = 60000, .body_ms = 60000,
			    .trusted = trusted};
	conns *c = conns_new(&cfg);
	struct sockaddr_in a = v4("192.0.2.1"), b = v4("192.0.2.2"), proxy = v4("10.0.0.1");
	int fd = 100;
	for (int i = 0; i < 10; i++)
		ck_assert_int_eq(conns_admit(c, fd++, SA(a)), CONNS_OK);
	ck_assert_int_eq(conns_admit(c, fd, SA(a)), CONNS_ADDR_FULL);
	ck_assert_int_eq(conns_admit(c, fd, SA(b)), CONNS_OK);
	fd++;
	/* IPv6 counts per /64: the whole prefix is one client. */
	struct sockaddr_in6 x1 = v6("2001:db8:1:2::1"), x2 = v6("2001:db8:1:2:ffff::9");
	struct sockaddr_in6 y = v6("2001:db8:1:3::1");
	for (int i = 0; i < 5; i++) {
		ck_assert_int_eq(conns_admit(c, fd++, SA(x1)), CONNS_OK);
		ck_assert_int_eq(conns_admit(c, fd++, SA(x2)), CONNS_OK);
	}
	ck_assert_int_eq(conns_admit(c, fd, SA(x2)), CONNS_ADDR_FULL);
	ck_assert_int_eq(conns_admit(c, fd++, SA(y)), CONNS_OK);
	/* A trusted proxy has no per-address cap, only the whole one and the reserve: 64 less
	 * an eighth, 56, open at most while it holds more than a few. */
	int proxied = 0;
	while (conns_admit(c, fd, SA(proxy)) == CONNS_OK) {
		fd++;
		proxied++;
	}
	ck_assert_int_eq(conns_stats_now(c).open, 56);
	ck_assert_int_eq(proxied, 56 - 22);
	/* The reserve: an address with few connections still gets in, up to the whole cap. */
	struct sockaddr_in fresh = v4("198.51.100.1");
	for (int i = 0; i < CONNS_RESERVE_FEW; i++)
		ck_assert_int_eq(conns_admit(c, fd++, SA(fresh)), CONNS_OK);
	ck_assert_int_eq(conns_admit(c, fd, SA(fresh)), CONNS_ALL_FULL);
	for (int i = 0; i < 4; i++) {
		struct sockaddr_in other = v4(i == 0 ? "198.51.100.2" : i == 1 ? "198.51.100.3"
							   : i == 2 ? "198.51.100.4" : "198.51.100.5");
		ck_assert_int_eq(conns_admit(c, fd++, SA(other)), CONNS_OK);
	}
	ck_assert_int_eq(conns_stats_now(c).open, 64);
	struct sockaddr_in last = v4("198.51.100.99");
	ck_assert_int_eq(conns_admit(c, fd, SA(last)), CONNS_ALL_FULL);
	/* Forgotten and closed connections give their places back. */
	conns_forget(c, 100);
	ck_assert_int_eq(conns_stats_now(c).open, 63);
	ck_assert_int_eq(conns_admit(c, 100, SA(a)), CONNS_ALL_FULL); /* a holds 9: not "few" */
	struct sockaddr_in n1 = v4("198.51.100.50"), n2 = v4("198.51.100.51");
	ck_assert_int_eq(conns_admit(c, 100, SA(n1)), CONNS_OK);
	conns_conn *k = conns_started(c, 100, NULL);
	ck_assert_ptr_nonnull(k);
	ck_assert_int_eq(conns_stream_open(c, k, "192.0.2.1"), CONNS_OK);
	ck_assert_int_eq(conns_stream_open(c, k, "192.0.2.1"), CONNS_OK); /* counted once */
	conns_conn *k2 = conns_started(c, 101, NULL);
	ck_assert_int_eq(conns_stream_open(c, k2, "192.0.2.1"), CONNS_OK);
	conns_conn *k3 = conns_started(c, 102, NULL);
	ck_assert_int_eq(conns_stream_open(c, k3, "192.0.2.1"), CONNS_ADDR_FULL);
	ck_assert_int_eq(conns_stream_open(c, k3, "192.0.2.200"), CONNS_OK);
	ck_assert_int_eq(conns_stats_now(c).streams, 3);
	conns_closed(c, k);
	ck_assert_int_eq(conns_stats_now(c).streams, 2);
	ck_assert_int_eq(conns_stream_open(c, conns_started(c, 103, NULL), "192.0.2.1"), CONNS_OK);
	ck_assert_int_eq(conns_stats_now(c).open, 63);
	ck_assert_int_eq(conns_admit(c, 100, SA(n2)), CONNS_OK);
	ck_assert_int_eq(conns_stats_now(c).open, 64);
	/* Every record closed: nothing is left counted, and an address fills again to its cap. */
	for (int f = 0; f < fd + 1; f++) {
		conns_conn *r = conns_started(c, f, NULL);
		if (r)
			conns_closed(c, r);
	}
	conns_stats st = conns_stats_now(c);
	ck_assert_int_eq(st.open, 0);
	ck_assert_int_eq(st.streams, 0);
	for (int i = 0; i < 10; i++)
		ck_assert_int_eq(conns_admit(c, 500 + i, SA(a)), CONNS_OK);
	ck_assert_int_eq(conns_admit(c, 510, SA(a)), CONNS_ADDR_FULL);
	conns_free(c);
	proxy_list_free(trusted);
}
END_TEST

/* Many addresses coming and going leave the address table consistent (entries removed with
 * a backward shift, no tombstones). */
START_TEST(conns_address_table_survives_churn)
{
	conns_config cfg = {.max_total = 256, .max_per_addr = 3, .streams_total = 8,
			    .streams_per_addr = 1, .head_ms = 60000, .body_ms = 60000};
	conns *c = conns_new(&cfg);
	for (int round = 0; round < 20; round++) {
		for (int i = 0; i < 200; i++) {
			struct sockaddr_in a = {.sin_family = AF_INET,
						.sin_addr.s_addr = htonl(0xc0000000u + (uint32_t)(i * 7 + round))};
			ck_assert_int_eq(conns_admit(c, 1000 + i, SA(a)), CONNS_OK);
		}
		ck_assert_int_eq(conns_stats_now(c).open, 200);
		for (int i = 0; i < 200; i += 1 + round % 3) {
			conns_conn *k = conns_started(c, 1000 + i, NULL);
			conns_closed(c, k);
		}
		for (int i = 0; i < 200; i++)
			conns_forget(c, 1000 + i);
		ck_assert_int_eq(conns_stats_now(c).open, 0);
	}
	conns_free(c);
}
END_TEST

/* At the whole cap, a newcomer holding nothing gets in by closing a connection of the busiest
 * address that only waits for a request; one being handled is never closed. The sockets are
 * socketpairs: the far end sees the close. */
START_TEST(conns_full_server_closes_an_idle_connection_of_the_busiest_address)
{
	enum { MAX = 16, HEAVY = 14 };
	conns_config cfg = {.max_total = MAX, .max_per_addr = MAX, .streams_total = 4,
			    .streams_per_addr = 4, .head_ms = 60000, .body_ms = 60000};
	conns *c = conns_new(&cfg);
	struct sockaddr_in heavy = v4("192.0.2.1");
	int near[HEAVY], far[HEAVY];
	conns_conn *k[HEAVY];
	for (int i = 0; i < HEAVY; i++) {
		int sv[2];
		ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
		near[i] = sv[0];
		far[i] = sv[1];
		ck_assert_int_eq(conns_admit(c, near[i], SA(heavy)), CONNS_OK);
		k[i] = conns_started(c, near[i], NULL);
	}
	/* Two places of the reserve for addresses holding few; then the server is full. */
	struct sockaddr_in b = v4("198.51.100.2"), d = v4("198.51.100.4"), e = v4("198.51.100.5");
	ck_assert_int_eq(conns_admit(c, 900, SA(b)), CONNS_OK);
	ck_assert_int_eq(conns_admit(c, 901, SA(b)), CONNS_OK);
	ck_assert_int_eq(conns_stats_now(c).open, MAX);
	ck_assert_int_eq(conns_admit(c, 902, SA(heavy)), CONNS_ALL_FULL); /* not for the busiest */
	ck_assert_int_eq(conns_admit(c, 903, SA(d)), CONNS_OK);
	ck_assert_int_eq(conns_stats_now(c).evicted, 1);
	int closed = -1;
	for (int i = 0; i < HEAVY; i++) {
		char ch;
		ssize_t n = recv(far[i], &ch, 1, MSG_DONTWAIT);
		if (n == 0) {
			ck_assert_int_eq(closed, -1);
			closed = i;
		}
	}
	ck_assert_int_ge(closed, 0);
	conns_closed(c, k[closed]); /* what its thread does once it sees the end */
	k[closed] = NULL;
	ck_assert_int_eq(conns_stats_now(c).open, MAX);
	/* Connections being handled are never closed for a newcomer. */
	for (int i = 0; i < HEAVY; i++) {
		conns_head_done(c, k[i]);
		conns_body_done(c, k[i]);
	}
	ck_assert_int_eq(conns_admit(c, 904, SA(e)), CONNS_ALL_FULL);
	ck_assert_int_eq(conns_stats_now(c).evicted, 1);
	for (int i = 0; i < HEAVY; i++) {
		if (k[i])
			conns_closed(c, k[i]);
		close(near[i]);
		close(far[i]);
	}
	conns_free(c);
}
END_TEST

Suite *http_conns_suite(void)
{
	Suite *s = suite_create("http_conns");
	TCase *tc = tcase_create("http_conns");
	tcase_add_test(tc, proxy_list_parses_and_refuses);
	tcase_add_test(tc, proxy_client_addr_takes_the_rightmost_untrusted_hop);
	tcase_add_test(tc, conns_caps_per_address_and_in_all);
	tcase_add_test(tc, conns_address_table_survives_churn);
	tcase_add_test(tc, conns_full_server_closes_an_idle_connection_of_the_busiest_address);
	suite_add_tcase(s, tc);
	return s;
}
