/* proxy.h - which peers are trusted reverse proxies, and the client address a request
 * stands for: the peer's own, or, from a trusted proxy, the rightmost address in the
 * forwarding header that is not itself a trusted proxy.
 *
 * Without trusted proxies every forwarding header is ignored: anyone can write one. */
#ifndef BOOKD_HTTP_PROXY_H
#define BOOKD_HTTP_PROXY_H

#include <arpa/inet.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

/* Which header a trusted proxy writes the client's address into. Only that one is read: a
 * header the proxy passes through untouched is the client's to forge. */
typedef enum proxy_header {
	PROXY_XFF,      /* X-Forwarded-For: a, b, c (nginx, Caddy, HAProxy) */
	PROXY_FORWARDED /* Forwarded: for=a, for="[b]:port" (RFC 7239) */
} proxy_header;

typedef struct proxy_list proxy_list;

/* Parses "CIDR,CIDR,..." (IPv4 or IPv6; a bare address is one host; spaces allowed around
 * commas). "" gives an empty list. On failure returns false with the faulty item in err and
 * *out untouched. The caller owns *out (proxy_list_free). */
bool proxy_list_parse(const char *spec, proxy_list **out, char *err, size_t errlen);
void proxy_list_free(proxy_list *l);
/* Entries in the list (0 for NULL). */
size_t proxy_list_count(const proxy_list *l);

/* True when sa (AF_INET or AF_INET6; IPv4-mapped IPv6 counts as IPv4) lies in the list.
 * NULL list: false. Thread-safe (the list is read-only once parsed). */
bool proxy_trusted(const proxy_list *l, const struct sockaddr *sa);
/* The same for an address in text form; false when text is not an address. */
bool proxy_trusted_text(const proxy_list *l, const char *addr);

/* The client address for a request from peer (text), given the forwarding header's value
 * (all occurrences joined by commas, or NULL): peer when it is not trusted or the header is
 * absent; else the rightmost hop that is not a trusted proxy, or the leftmost when all are.
 * A hop that is not an address (obfuscated, "unknown", garbage) ends the walk: the address
 * to its right is the answer, since nothing left of it can be believed. Writes the answer
 * into out (at least PROXY_ADDR_MAX bytes). */
#define PROXY_ADDR_MAX INET6_ADDRSTRLEN
void proxy_client_addr(const proxy_list *l, proxy_header which, const char *peer,
		       const char *header, char *out);

#endif
