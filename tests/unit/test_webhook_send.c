/* test_webhook_send.c - jobs/webhook_send and webhook_worker: which addresses a webhook may
 * reach, the signature header (against values computed by Python's hmac), URL checks, and
 * the back-off. */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <string.h>

#include "base/arena.h"
#include "jobs/webhook_send.h"
#include "jobs/webhook_worker.h"
#include "store/webhook.h"

static bool pub(const char *text)
{
	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof(ss));
	if (strchr(text, ':')) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
		s6->sin6_family = AF_INET6;
		ck_assert_int_eq(inet_pton(AF_INET6, text, &s6->sin6_addr), 1);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
		s4->sin_family = AF_INET;
		ck_assert_int_eq(inet_pton(AF_INET, text, &s4->sin_addr), 1);
	}
	return webhook_addr_public((const struct sockaddr *)&ss);
}

START_TEST(webhook_addresses)
{
	static const char *const REFUSED[] = {
		"127.0.0.1", "127.255.0.9", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.1",
		"169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255",
		"192.0.2.10", "198.18.0.1", "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1",
		"ff02::1", "::ffff:127.0.0.1", "::ffff:10.1.2.3", "64:ff9b::a9fe:a9fe", "2002:7f00:1::1",
		"2001:db8::1", "fec0::1",
	};
	static const char *const ALLOWED[] = {
		"93.184.216.34", "1.1.1.1", "172.32.0.1", "100.128.0.1", "8.8.8.8", "2606:4700::1111",
		"::ffff:8.8.8.8", "2a00:1450:4001::1",
	};
	for (size_t i = 0; i < sizeof(REFUSED) / sizeof(REFUSED[0]); i++)
		ck_assert_msg(!pub(REFUSED[i]), "%s must be refused", REFUSED[i]);
	for (size_t i = 0; i < sizeof(ALLOWED) / sizeof(ALLOWED[0]); i++)
		ck_assert_msg(pub(ALLOWED[i]), "%s must be allowed", ALLOWED[i]);
}
END_TEST

START_TEST(webhook_signature_header)
{
	arena *a = arena_new();
	/* hmac.new(b"whsec_test", b'1780300800.{"a":1}', hashlib.sha256).hexdigest() */
	const char *one = webhook_signature("whsec_test", NULL, 1780300800, "{\"a\":1}", a);
	ck_assert_str_eq(one, "t=1780300800,v1=8dbd399c3911265fbe11441540f37717a2b3e6b0bb9888654412f6d85dafe66e");
	const char *two = webhook_signature("whsec_test", "whsec_old", 1780300800, "{\"a\":1}", a);
	ck_assert_str_eq(two, "t=1780300800,v1=8dbd399c3911265fbe11441540f37717a2b3e6b0bb9888654412f6d85dafe66e,"
			      "v1=338fcdbd5ae6834b43f323f7efc12a660fdb78492e9840a110687c6ca0941162");
	arena_free(a);
}
END_TEST

START_TEST(webhook_url_rules)
{
	char err[300];
	webhook_send_allow_private(false);
	ck_assert(!webhook_url_check("ftp://example.test/", err, sizeof(err)));
	ck_assert(strstr(err, "http") != NULL);
	ck_assert(!webhook_url_check("https://u:p@example.test/", err, sizeof(err)));
	ck_assert(!webhook_url_check("http://127.0.0.1:9/", err, sizeof(err)));
	ck_assert(strstr(err, "non-public") != NULL);
	ck_assert(!webhook_url_check("http://[::1]/", err, sizeof(err)));
	ck_assert(!webhook_url_check("http://localhost/", err, sizeof(err)));
	webhook_send_allow_private(true);
	ck_assert_msg(webhook_url_check("http://127.0.0.1:9/", err, sizeof(err)), "%s", err);
	ck_assert(!webhook_url_check("gopher://127.0.0.1/", err, sizeof(err)));
	webhook_send_allow_private(false);
}
END_TEST

START_TEST(webhook_backoff)
{
	/* 10 s after the first failure, doubling, at most an hour, given up at the last. */
	ck_assert_int_eq(webhook_retry_at(1, 1000, 0), 1010);
	ck_assert_int_eq(webhook_retry_at(2, 1000, 0), 1020);
	ck_assert_int_eq(webhook_retry_at(4, 1000, 3), 1083);
	ck_assert_int_eq(webhook_retry_at(12, 1000, 0), 4600);
	ck_assert_int_eq(webhook_retry_at(WEBHOOK_ATTEMPTS - 1, 1000, 0), 4600);
	ck_assert_int_eq(webhook_retry_at(WEBHOOK_ATTEMPTS, 1000, 0), 0);
	ck_assert(webhook_takes("[\"booking.created\",\"booking.no_show\"]", "booking.no_show"));
	ck_assert(!webhook_takes("[\"booking.created\"]", "booking.no_show"));
	ck_assert(!webhook_takes("not json", "booking.created"));
}
END_TEST

Suite *webhook_send_suite(void)
{
	Suite *s = suite_create("webhook_send");
	TCase *tc = tcase_create("webhook_send");
	tcase_add_test(tc, webhook_addresses);
	tcase_add_test(tc, webhook_signature_header);
	tcase_add_test(tc, webhook_url_rules);
	tcase_add_test(tc, webhook_backoff);
	suite_add_tcase(s, tc);
	return s;
}
