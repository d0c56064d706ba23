/* encoding.c - Accept-Encoding q-values and If-None-Match entity tags, parsed in place. */
#include "http/encoding.h"

#include <string.h>
#include <strings.h>

static bool enc_space(char c)
{
	return c == ' ' || c == '\t';
}

/* The q-value of the parameters p[0..n) ("; q=0.5"), in thousandths; 1000 when absent,
 * -1 when malformed (such an element is ignored). */
static int enc_q(const char *p, size_t n)
{
	int q = 1000;
	size_t i = 0;
	while (i < n) {
		while (i < n && (enc_space(p[i]) || p[i] == ';'))
			i++;
		size_t start = i;
		while (i < n && p[i] != ';')
			i++;
		size_t e = i;
		while (e > start && enc_space(p[e - 1]))
			e--;
		if (e - start < 2 || (p[start] != 'q' && p[start] != 'Q'))
			continue;
		size_t j = start + 1;
		while (j < e && enc_space(p[j]))
			j++;
		if (j >= e || p[j] != '=')
			continue;
		j++;
		while (j < e && enc_space(p[j]))
			j++;
		/* qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ) */
		if (j >= e || (p[j] != '0' && p[j] != '1'))
			return -1;
		int v = (p[j] - '0') * 1000, scale = 100;
		j++;
		if (j < e && p[j] == '.') {
			j++;
			for (int d = 0; j < e && d < 3; d++, j++) {
				if (p[j] < '0' || p[j] > '9')
					return -1;
				v += (p[j] - '0') * scale;
				scale /= 10;
			}
		}
		if (j != e || v > 1000)
			return -1;
		q = v;
	}
	return q;
}

bool http_accepts_encoding(const char *header, const char *coding)
{
	if (!header || !coding)
		return false;
	int named = -1, star = -1;
	const char *p = header;
	while (*p) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		size_t i = 0;
		while (i < n && enc_space(p[i]))
			i++;
		size_t t0 = i;
		while (i < n && p[i] != ';' && !enc_space(p[i]))
			i++;
		size_t tl = i - t0;
		int q = enc_q(p + i, n - i);
		const char *tok = p + t0;
		bool is_named =
		    tl > 0 && ((tl == strlen(coding) && strncasecmp(tok, coding, tl) == 0) ||
		               (strcmp(coding, "gzip") == 0 && tl == 6 &&
		                strncasecmp(tok, "x-gzip", 6) == 0));
		if (q >= 0 && is_named && q > named)
			named = q;
		else if (q >= 0 && tl == 1 && *tok == '*')
			star = q;
		p += n;
		if (*p == ',')
			p++;
	}
	return named >= 0 ? named > 0 : star > 0;
}

bool http_etag_matches(const char *header, const char *etag)
{
	if (!header || !etag)
		return false;
	size_t el = strlen(etag);
	const char *p = header;
	while (*p) {
		while (enc_space(*p) || *p == ',')
			p++;
		if (*p == '*')
			return true;
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		if (*p != '"')
			return false; /* malformed: no match, the full answer is sent */
		const char *close = strchr(p + 1, '"');
		if (!close)
			return false;
		size_t n = (size_t)(close - p) + 1;
		if (n == el && memcmp(p, etag, n) == 0)
			return true;
		p = close + 1;
	}
	return false;
}
