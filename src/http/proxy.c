/* proxy.c - trusted proxy networks and the rightmost-untrusted-hop rule. */
#include "http/proxy.h"

#include <ctype.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/xalloc.h"

#define PROXY_HOP_MAX 64 /* hops read from one header at most (rightmost first) */

/* One network: 16 address bytes (IPv4 as IPv4-mapped IPv6) and a prefix length over them. */
typedef struct proxy_net {
	unsigned char addr[16]; /* masked to the prefix */
	int bits;               /* 0..128 */
} proxy_net;

struct proxy_list {
	proxy_net *nets; /* owned */
	size_t n;        /* entries */
};

/* An address in 16 bytes, IPv4 mapped (::ffff:a.b.c.d). */
static void map_v4(const struct in_addr *a, unsigned char out[16])
{
	memset(out, 0, 10);
	out[10] = out[11] = 0xff;
	memcpy(out + 12, &a->s_addr, 4);
}

/* Parses an address (no port, no brackets) into 16 bytes; true on success. */
static bool addr_parse(const char *s, unsigned char out[16], bool *v4)
{
	struct in_addr a4;
	struct in6_addr a6;
	if (inet_pton(AF_INET, s, &a4) == 1) {
		map_v4(&a4, out);
		*v4 = true;
		return true;
	}
	if (inet_pton(AF_INET6, s, &a6) == 1) {
		memcpy(out, a6.s6_addr, 16);
		static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
		*v4 = memcmp(out, mapped, 12) == 0;
		return true;
	}
	return false;
}

static void mask(unsigned char a[16], int bits)
{
	for (int i = 0; i < 16; i++) {
		int keep = bits - i * 8;
		a[i] &= keep >= 8 ? 0xff : keep <= 0 ? 0 : (unsigned char)(0xff << (8 - keep));
	}
}

/* One "ADDR[/BITS]" item of length n; false when malformed. */
static bool net_parse(const char *s, size_t n, proxy_net *out)
{
	char tmp[64];
	if (n == 0 || n >= sizeof(tmp))
		return false;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	char *slash = strchr(tmp, '/');
	long bits = -1;
	if (slash) {
		*slash = '\0';
		char *end;
		if (!isdigit((unsigned char)slash[1]))
			return false;
		bits = strtol(slash + 1, &end, 10);
		if (*end != '\0')
			return false;
	}
	bool v4;
	if (!addr_parse(tmp, out->addr, &v4))
		return false;
	int max = v4 ? 32 : 128;
	if (bits < 0)
		bits = max;
	if (bits > max)
		return false;
	out->bits = (int)bits + (v4 ? 96 : 0);
	mask(out->addr, out->bits);
	return true;
}

bool proxy_list_parse(const char *spec, proxy_list **out, char *err, size_t errlen)
{
	proxy_list *l = xcalloc(1, sizeof(*l));
	const char *p = spec ? spec : "";
	while (*p) {
		while (*p == ' ' || *p == ',')
			p++;
		if (!*p)
			break;
		const char *e = p;
		while (*e && *e != ',' && *e != ' ')
			e++;
		proxy_net net;
		if (!net_parse(p, (size_t)(e - p), &net)) {
			snprintf(err, errlen, "'%.*s' is not an address or CIDR network", (int)(e - p), p);
			proxy_list_free(l);
			return false;
		}
		l->nets = xrealloc(l->nets, (l->n + 1) * sizeof(*l->nets));
		l->nets[l->n++] = net;
		p = e;
	}
	*out = l;
	return true;
}

void proxy_list_free(proxy_list *l)
{
	if (!l)
		return;
	free(l->nets);
	free(l);
}

size_t proxy_list_count(const proxy_list *l)
{
	return l ? l->n : 0;
}

static bool trusted16(const proxy_list *l, const unsigned char a[16])
{
	for (size_t i = 0; l && i < l->n; i++) {
		unsigned char m[16];
		memcpy(m, a, 16);
		mask(m, l->nets[i].bits);
		if (memcmp(m, l->nets[i].addr, 16) == 0)
			return true;
	}
	return false;
}

bool proxy_trusted(const proxy_list *l, const struct sockaddr *sa)
{
	unsigned char a[16];
	if (!l || !sa)
		return false;
	if (sa->sa_family == AF_INET)
		map_v4(&((const struct sockaddr_in *)(const void *)sa)->sin_addr, a);
	else if (sa->sa_family == AF_INET6)
		memcpy(a, ((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr.s6_addr, 16);
	else
		return false;
	return trusted16(l, a);
}

bool proxy_trusted_text(const proxy_list *l, const char *addr)
{
	unsigned char a[16];
	bool v4;
	return l && addr && addr_parse(addr, a, &v4) && trusted16(l, a);
}

/* Reads one hop (s, n: trimmed of spaces and quotes) as an address, dropping brackets and a
 * port; writes its canonical text into out. False when it is not an address. */
static bool hop_parse(const char *s, size_t n, char *out)
{
	while (n && (*s == ' ' || *s == '\t' || *s == '"')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '"'))
		n--;
	char tmp[64];
	if (n == 0 || n >= sizeof(tmp))
		return false;
	if (s[0] == '[') { /* "[v6]" or "[v6]:port" */
		const char *close = memchr(s, ']', n);
		if (!close)
			return false;
		n = (size_t)(close - s - 1);
		s++;
	} else if (memchr(s, '.', n)) { /* "a.b.c.d:port" (one colon; "::ffff:a.b.c.d" has more) */
		const char *colon = memchr(s, ':', n);
		if (colon && !memchr(colon + 1, ':', n - (size_t)(colon - s) - 1))
			n = (size_t)(colon - s);
	}
	if (n == 0 || n >= sizeof(tmp))
		return false;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	unsigned char a[16];
	bool v4;
	if (!addr_parse(tmp, a, &v4))
		return false;
	if (v4)
		inet_ntop(AF_INET, a + 12, out, PROXY_ADDR_MAX);
	else
		inet_ntop(AF_INET6, a, out, PROXY_ADDR_MAX);
	return true;
}

/* The value of "for=" in one Forwarded element (s, n), or NULL; *len set. */
static const char *forwarded_for(const char *s, size_t n, size_t *len)
{
	size_t i = 0;
	while (i < n) {
		size_t j = i;
		while (j < n && s[j] != ';')
			j++;
		size_t k = i;
		while (k < j && (s[k] == ' ' || s[k] == '\t'))
			k++;
		if (j - k > 4 && strncasecmp(s + k, "for=", 4) == 0) {
			*len = j - k - 4;
			return s + k + 4;
		}
		i = j + 1;
	}
	return NULL;
}

void proxy_client_addr(const proxy_list *l, proxy_header which, const char *peer,
		       const char *header, char *out)
{
	snprintf(out, PROXY_ADDR_MAX, "%s", peer ? peer : "");
	if (!header || !proxy_trusted_text(l, peer))
		return;
	/* Walk the hops from the right: each trusted one vouches for the hop to its left. */
	size_t end = strlen(header);
	for (int hops = 0; hops < PROXY_HOP_MAX && end > 0; hops++) {
		size_t start = end;
		while (start > 0 && header[start - 1] != ',')
			start--;
		const char *item = header + start;
		size_t n = end - start;
		if (which == PROXY_FORWARDED)
			item = forwarded_for(item, n, &n);
		char hop[PROXY_ADDR_MAX];
		if (!item || !hop_parse(item, n, hop))
			return; /* cannot be believed: the last address known stands */
		snprintf(out, PROXY_ADDR_MAX, "%s", hop);
		if (!proxy_trusted_text(l, hop))
			return;
		end = start > 0 ? start - 1 : 0;
	}
}
