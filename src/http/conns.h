/* conns.h - every open connection, counted by client address: caps on what one address and
 * all together may hold (connections and event streams), and deadlines for each request's
 * head and body, which a reaper thread enforces by cutting the connections past them.
 *
 * Why a deadline and not an idle timeout: a client that sends one header line every two
 * seconds is never idle, and 4 000 of them held every connection for as long as they liked.
 * Why counts per address: so that one address cannot take the room everyone else needs; a
 * share of the whole (CONNS_RESERVE_SHARE) stays for addresses that hold next to nothing,
 * so /healthz and a customer's booking get in while one or a few addresses flood. When the
 * whole is taken all the same (many addresses), an address holding few still gets in: the
 * busiest address loses a connection that is only waiting for a request.
 *
 * IPv6 addresses count per /64 (one host commonly holds the whole prefix). Connections from
 * a trusted proxy (http/proxy.h) are exempt from the per-address connection cap; event
 * streams count per client address as the proxy reports it. One mutex guards everything;
 * every call is thread-safe. */
#ifndef BOOKD_HTTP_CONNS_H
#define BOOKD_HTTP_CONNS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "http/proxy.h"

#define CONNS_RESERVE_SHARE 8 /* 1/8 of max_total is kept for addresses holding few */
#define CONNS_RESERVE_FEW 4   /* "few": an address with fewer connections may use it */
#define CONNS_EVICT_PER_S 100 /* idle connections closed to make room, per second at most */

typedef struct conns conns;
typedef struct conns_conn conns_conn; /* one tracked connection */

typedef struct conns_config {
	int max_total;             /* connections open at most */
	int max_per_addr;          /* from one address; trusted proxies are exempt */
	int streams_total;         /* event streams open at most */
	int streams_per_addr;      /* event streams of one client address */
	int head_ms;               /* a request head must be whole this long after the wait began */
	int body_ms;               /* a request body must be whole this long after its head */
	const proxy_list *trusted; /* borrowed for the tracker's life; may be NULL */
	bool tls;                  /* the sockets speak TLS: refusals and cuts close them without
				      a plain-text answer */
} conns_config;

typedef enum conns_verdict {
	CONNS_OK,        /* admitted */
	CONNS_ADDR_FULL, /* this address holds its most: 429 */
	CONNS_ALL_FULL   /* the server holds its most: 503 */
} conns_verdict;

/* Starts a tracker and its reaper thread ("http-reaper"). Never returns NULL. */
conns *conns_new(const conns_config *cfg);
/* Stops the reaper and frees everything; connections still tracked are forgotten. */
void conns_free(conns *c);

/* The accepting thread: admits or refuses the new socket fd from sa. When admitted, fd is
 * tracked and its head deadline starts now. At the whole cap, an address holding fewer than
 * CONNS_RESERVE_FEW is admitted if a connection waiting for a request can be closed for it
 * (one of the address holding the most, which must hold more than the newcomer plus one;
 * at most CONNS_EVICT_PER_S a second). */
conns_verdict conns_admit(conns *c, int fd, const struct sockaddr *sa);
/* The admitted fd never reached a daemon (it is closed already): stop counting it. */
void conns_forget(conns *c, int fd);

/* A daemon took fd in: returns its record (NULL when fd was not admitted here), which lives
 * until conns_closed. `lane` is kept for conns_lane. */
conns_conn *conns_started(conns *c, int fd, void *lane);
/* The daemon is closing k's socket (not yet closed): stop counting it and free k. */
void conns_closed(conns *c, conns_conn *k);
/* The lane a record was started on. */
void *conns_lane(const conns_conn *k);

/* A request's progress, from its connection's own thread. NULL k is a no-op. */
void conns_head_begun(conns *c, conns_conn *k);  /* a request line arrived */
void conns_head_done(conns *c, conns_conn *k);   /* the body deadline starts */
void conns_body_done(conns *c, conns_conn *k);   /* no deadline while it is handled */
void conns_answered(conns *c, conns_conn *k);    /* the next head's deadline starts */

/* Counts an event stream of client_addr (text) on k, until k closes; refuses it when
 * client_addr or the server holds its most streams. */
conns_verdict conns_stream_open(conns *c, conns_conn *k, const char *client_addr);

/* Writes a whole problem+json answer (Connection: close; Retry-After when retry_after_s > 0)
 * straight to the socket fd, without blocking and at best effort: for connections refused or
 * cut outside libmicrohttpd. Nothing when the sockets speak TLS. detail must need no JSON
 * escaping. */
void conns_send_problem(const conns *c, int fd, int code, const char *detail, int retry_after_s);

/* Figures for metrics and tests. */
typedef struct conns_stats {
	int open;          /* connections tracked now */
	int streams;       /* event streams now */
	int64_t refused;   /* connections refused since start */
	int64_t cut;       /* connections cut at a deadline since start */
	int64_t evicted;   /* idle connections closed to make room since start */
} conns_stats;
conns_stats conns_stats_now(conns *c);

#endif
