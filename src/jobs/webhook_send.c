/* webhook_send.c - address checks, signing and the POST of one webhook delivery. */
#include "jobs/webhook_send.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

static atomic_bool send_allow_private;

void webhook_send_allow_private(bool allow)
{
	atomic_store(&send_allow_private, allow);
}

bool webhook_send_private_allowed(void)
{
	return atomic_load(&send_allow_private);
}

/* An IPv4 address (host order) that may be reached. */
static bool v4_public(uint32_t a)
{
	static const struct {
		uint32_t net;
		int bits;
	} NOT_PUBLIC[] = {
		{0x00000000, 8},  /* "this" network */
		{0x0a000000, 8},  /* private */
		{0x64400000, 10}, /* shared address space (carrier NAT) */
		{0x7f000000, 8},  /* loopback */
		{0xa9fe0000, 16}, /* link-local (cloud metadata lives here) */
		{0xac100000, 12}, /* private */
		{0xc0000000, 24}, /* IETF protocol assignments */
		{0xc0000200, 24}, /* documentation */
		{0xc0a80000, 16}, /* private */
		{0xc6120000, 15}, /* benchmarking */
		{0xc6336400, 24}, /* documentation */
		{0xcb007100, 24}, /* documentation */
		{0xe0000000, 4},  /* multicast */
		{0xf0000000, 4},  /* reserved, broadcast */
	};
	for (size_t i = 0; i < sizeof(NOT_PUBLIC) / sizeof(NOT_PUBLIC[0]); i++) {
		uint32_t mask = 0xffffffffu << (32 - NOT_PUBLIC[i].bits);
		if ((a & mask) == NOT_PUBLIC[i].net)
			return false;
	}
	return true;
}

static uint32_t v4_at(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

bool webhook_addr_public(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)(const void *)sa;
		return v4_public(ntohl(s4->sin_addr.s_addr));
	}
	if (sa->sa_family != AF_INET6)
		return false;
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)(const void *)sa;
	const unsigned char *b = s6->sin6_addr.s6_addr;
	static const unsigned char MAPPED[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	static const unsigned char NAT64[12] = {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
	static const unsigned char ZERO[12] = {0};
	if (memcmp(b, MAPPED, 12) == 0 || memcmp(b, NAT64, 12) == 0)
		return v4_public(v4_at(b + 12));
	if (memcmp(b, ZERO, 12) == 0) /* ::, ::1 and the old IPv4-compatible form */
		return false;
	if (b[0] == 0x20 && b[1] == 0x02) /* 6to4: the IPv4 address inside */
		return v4_public(v4_at(b + 2));
	if ((b[0] & 0xfe) == 0xfc)                   /* unique local fc00::/7 */
		return false;
	if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)   /* link-local fe80::/10 */
		return false;
	if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0)   /* site-local fec0::/10 (deprecated) */
		return false;
	if (b[0] == 0xff)                            /* multicast */
		return false;
	if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) /* documentation */
		return false;
	if (b[0] == 0x01 && b[1] == 0 && b[2] == 0 && b[3] == 0 && b[4] == 0 && b[5] == 0 &&
	    b[6] == 0 && b[7] == 0) /* discard-only 100::/64 */
		return false;
	return true;
}

/* The parts of a URL a delivery needs. */
typedef struct url_parts {
	char scheme[8];
	char host[256];  /* without brackets */
	char name[260];  /* as written in the URL (brackets kept), for CURLOPT_RESOLVE */
	long port;
} url_parts;

static bool url_split(const char *url, url_parts *u, char *err, size_t errlen)
{
	if (!url || strlen(url) > WEBHOOK_URL_MAX) {
		snprintf(err, errlen, "must be at most %d characters", WEBHOOK_URL_MAX);
		return false;
	}
	CURLU *h = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL, *user = NULL, *pass = NULL;
	bool ok = h && curl_url_set(h, CURLUPART_URL, url, 0) == CURLUE_OK &&
		  curl_url_get(h, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
		  curl_url_get(h, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
		  curl_url_get(h, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK;
	if (!ok)
		snprintf(err, errlen, "must be an absolute http:// or https:// URL with a host");
	else if (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0) {
		snprintf(err, errlen, "must use http or https");
		ok = false;
	} else if (curl_url_get(h, CURLUPART_USER, &user, 0) == CURLUE_OK ||
		   curl_url_get(h, CURLUPART_PASSWORD, &pass, 0) == CURLUE_OK) {
		snprintf(err, errlen, "must not hold credentials");
		ok = false;
	} else if (strlen(host) + 1 > sizeof(u->host) - 2 || !*host) {
		snprintf(err, errlen, "has a host name that is too long");
		ok = false;
	}
	if (ok) {
		snprintf(u->scheme, sizeof(u->scheme), "%s", scheme);
		snprintf(u->name, sizeof(u->name), "%s", host);
		size_t n = strlen(host);
		if (host[0] == '[' && n >= 2)
			snprintf(u->host, sizeof(u->host), "%.*s", (int)(n - 2), host + 1);
		else
			snprintf(u->host, sizeof(u->host), "%s", host);
		u->port = strtol(port, NULL, 10);
	}
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_free(user);
	curl_free(pass);
	curl_url_cleanup(h);
	return ok;
}

/* Resolves u's host; checks every address (unless allowed); writes the first one, numeric,
 * into addr. STATUS_FORBIDDEN (an address not public), STATUS_IO (no answer). */
static status resolve_checked(const url_parts *u, char *addr, size_t addrlen, char *err,
			      size_t errlen)
{
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
	struct addrinfo *res = NULL;
	int rc = getaddrinfo(u->host, NULL, &hints, &res);
	if (rc != 0 || !res) {
		snprintf(err, errlen, "the host %s does not resolve", u->host);
		return STATUS_IO;
	}
	status st = STATUS_OK;
	bool allow = webhook_send_private_allowed();
	for (struct addrinfo *p = res; p; p = p->ai_next)
		if (!allow && !webhook_addr_public(p->ai_addr)) {
			snprintf(err, errlen,
				 "the host %s resolves to a loopback, private or other non-public "
				 "address",
				 u->host);
			st = STATUS_FORBIDDEN;
			break;
		}
	if (st == STATUS_OK &&
	    getnameinfo(res->ai_addr, res->ai_addrlen, addr, (socklen_t)addrlen, NULL, 0,
			NI_NUMERICHOST) != 0) {
		snprintf(err, errlen, "the host %s does not resolve", u->host);
		st = STATUS_IO;
	}
	freeaddrinfo(res);
	return st;
}

bool webhook_url_check(const char *url, char *err, size_t errlen)
{
	url_parts u;
	char addr[INET6_ADDRSTRLEN + 1];
	return url_split(url, &u, err, errlen) &&
	       resolve_checked(&u, addr, sizeof(addr), err, errlen) == STATUS_OK;
}

/* HMAC-SHA256 of "t.body" under key, as hex into out. */
static void sign_one(const char *key, const char *t, const char *body,
		     char out[WEBHOOK_SIG_HEX])
{
	crypto_auth_hmacsha256_state s;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_init(&s, (const unsigned char *)key, strlen(key));
	crypto_auth_hmacsha256_update(&s, (const unsigned char *)t, strlen(t));
	crypto_auth_hmacsha256_update(&s, (const unsigned char *)".", 1);
	crypto_auth_hmacsha256_update(&s, (const unsigned char *)body, strlen(body));
	crypto_auth_hmacsha256_final(&s, mac);
	sodium_bin2hex(out, WEBHOOK_SIG_HEX, mac, sizeof(mac));
	sodium_memzero(&s, sizeof(s));
}

const char *webhook_signature(const char *secret, const char *previous, int64_t t,
			      const char *body, arena *a)
{
	char ts[24], one[WEBHOOK_SIG_HEX], two[WEBHOOK_SIG_HEX];
	snprintf(ts, sizeof(ts), "%lld", (long long)t);
	sign_one(secret, ts, body, one);
	if (!previous)
		return arena_printf(a, "t=%s,v1=%s", ts, one);
	sign_one(previous, ts, body, two);
	return arena_printf(a, "t=%s,v1=%s,v1=%s", ts, one, two);
}

/* The answer as read: its first bytes kept, the rest counted up to WEBHOOK_READ_MAX. */
typedef struct answer_buf {
	char *data;  /* keep + 1 bytes */
	size_t keep; /* most bytes kept */
	size_t len;  /* bytes kept */
	size_t seen; /* bytes read in all */
} answer_buf;

static size_t answer_write(char *p, size_t size, size_t n, void *ud)
{
	answer_buf *b = ud;
	size_t len = size * n;
	if (b->seen + len > WEBHOOK_READ_MAX)
		return 0; /* enough: the transfer ends here */
	b->seen += len;
	size_t take = b->keep - b->len < len ? b->keep - b->len : len;
	memcpy(b->data + b->len, p, take);
	b->len += take;
	b->data[b->len] = '\0';
	return len;
}

/* The connection's address, checked again where curl opens it (belt and braces with the
 * pinned address). */
static curl_socket_t open_checked(void *ud, curlsocktype purpose, struct curl_sockaddr *addr)
{
	(void)ud;
	(void)purpose;
	if (!webhook_send_private_allowed() && !webhook_addr_public(&addr->addr))
		return CURL_SOCKET_BAD;
	return socket(addr->family, addr->socktype, addr->protocol);
}

status webhook_post(const char *url, const char *body, const char *sig, const char *event_id,
		    const char *delivery_id, size_t keep, arena *a, webhook_post_result *out)
{
	char err[300] = "";
	url_parts u;
	char addr[INET6_ADDRSTRLEN + 1];
	*out = (webhook_post_result){.answer = "", .error = ""};
	if (!url_split(url, &u, err, sizeof(err))) {
		out->error = arena_printf(a, "the URL %s", err);
		return STATUS_FORBIDDEN;
	}
	status st = resolve_checked(&u, addr, sizeof(addr), err, sizeof(err));
	if (st != STATUS_OK) {
		out->error = arena_strdup(a, err);
		return st;
	}
	CURL *curl = curl_easy_init();
	if (!curl) {
		out->error = "libcurl failed to start";
		return STATUS_IO;
	}
	/* The host's name goes to the address checked above, and nowhere else. */
	char pin[600];
	bool v6 = strchr(addr, ':') != NULL;
	snprintf(pin, sizeof(pin), "%s:%ld:%s%s%s", u.name, u.port, v6 ? "[" : "", addr,
		 v6 ? "]" : "");
	struct curl_slist *resolve = curl_slist_append(NULL, pin);
	struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
	headers = curl_slist_append(headers, "User-Agent: bookd-webhooks/1");
	headers = curl_slist_append(headers, arena_printf(a, "Bookd-Signature: %s", sig));
	headers = curl_slist_append(headers, arena_printf(a, "Bookd-Event-Id: %s", event_id));
	headers = curl_slist_append(headers, arena_printf(a, "Bookd-Delivery-Id: %s", delivery_id));
	headers = curl_slist_append(headers, "Expect:");
	answer_buf ans = {.data = arena_alloc(a, keep + 1), .keep = keep};
	char curl_err[CURL_ERROR_SIZE] = "";
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_RESOLVE, resolve);
	curl_easy_setopt(curl, CURLOPT_PROXY, ""); /* never through a proxy from the environment */
	curl_easy_setopt(curl, CURLOPT_OPENSOCKETFUNCTION, open_checked);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, answer_write);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &ans);
	curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, (long)WEBHOOK_TIMEOUT_S);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, (long)WEBHOOK_CONNECT_TIMEOUT_S);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_err);
	CURLcode rc = curl_easy_perform(curl);
	long code = 0;
	curl_off_t us = 0;
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_getinfo(curl, CURLINFO_TOTAL_TIME_T, &us);
	curl_easy_cleanup(curl);
	curl_slist_free_all(headers);
	curl_slist_free_all(resolve);
	out->code = code;
	out->latency_ms = (int)(us / 1000);
	out->answer = ans.len ? arena_strndup(a, ans.data, ans.len) : "";
	bool cut = rc == CURLE_WRITE_ERROR && code > 0; /* a long answer: its status counts */
	if ((rc == CURLE_OK || cut) && code >= 200 && code < 300)
		return STATUS_OK;
	if (rc != CURLE_OK && !cut)
		out->error = arena_printf(a, "%s", *curl_err ? curl_err : curl_easy_strerror(rc));
	else
		out->error = arena_printf(a, "the endpoint answered %ld", code);
	return STATUS_IO;
}
