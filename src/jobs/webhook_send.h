/* webhook_send.h - one webhook POST: the URL and its addresses checked (only public ones,
 * unless the operator allows others), the body signed, sent by libcurl to the address that
 * was checked (pinned, so a second DNS answer cannot send it elsewhere), with time limits,
 * a bounded read of the answer and no redirects. */
#ifndef BOOKD_WEBHOOK_SEND_H
#define BOOKD_WEBHOOK_SEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "base/arena.h"
#include "base/status.h"

/* Longest URL accepted. */
#define WEBHOOK_URL_MAX 2048
/* Bytes of an HMAC-SHA256 signature in hex, with the NUL. */
#define WEBHOOK_SIG_HEX 65
/* Whole exchange and connect time limits (seconds); most of an answer read (bytes). */
#define WEBHOOK_TIMEOUT_S 10
#define WEBHOOK_CONNECT_TIMEOUT_S 5
#define WEBHOOK_READ_MAX (64u << 10)

/* Lets deliveries and saved URLs reach loopback, private and other non-public addresses
 * (--webhooks-allow-private). Set once at start, before any thread sends. */
void webhook_send_allow_private(bool allow);
bool webhook_send_private_allowed(void);

/* Whether the address is one a webhook may reach without the flag: not loopback,
 * unspecified, private (RFC 1918, unique local), shared (100.64/10), link-local,
 * multicast, broadcast, documentation or reserved; IPv4 inside IPv6 (mapped, NAT64,
 * 6to4) judged as IPv4. */
bool webhook_addr_public(const struct sockaddr *sa);

/* Checks url for saving: http or https, a host, no credentials, at most WEBHOOK_URL_MAX; the
 * host resolved and every address public (unless allowed). false with a sentence in err. */
bool webhook_url_check(const char *url, char *err, size_t errlen);

/* The signature header's value for body at timestamp t under secret (and, when previous is
 * not NULL, under previous too): "t=T,v1=HEX[,v1=HEX]", where HEX is HMAC-SHA256 of
 * "T.BODY" keyed by the secret's bytes. In a. */
const char *webhook_signature(const char *secret, const char *previous, int64_t t,
			      const char *body, arena *a);

/* The outcome of a POST. */
typedef struct webhook_post_result {
	long code;          /* HTTP status, 0 when none came */
	int latency_ms;     /* time of the exchange */
	const char *answer; /* the answer's first bytes (up to keep), in a */
	const char *error;  /* "" on a 2xx, else why (one line, in a) */
} webhook_post_result;

/* POSTs body (JSON) to url with the headers Bookd-Signature (sig), Bookd-Event-Id and
 * Bookd-Delivery-Id, after resolving the host and checking every address (unless allowed);
 * the connection goes to the checked address. Returns STATUS_OK when a 2xx came back,
 * STATUS_FORBIDDEN when the address is refused (nothing was sent), STATUS_IO otherwise.
 * Thread-safe; blocks for at most WEBHOOK_TIMEOUT_S. */
status webhook_post(const char *url, const char *body, const char *sig, const char *event_id,
		    const char *delivery_id, size_t keep, arena *a, webhook_post_result *out);

#endif
