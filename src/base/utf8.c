/* utf8.c - UTF-8 validation by the table of well-formed sequences (Unicode 3.9, D92). */
#include "base/utf8.h"

size_t utf8_seq(const unsigned char *p, size_t n, uint32_t *cp)
{
	if (n == 0)
		return 0;
	unsigned char c = p[0];
	uint32_t v;
	size_t len;
	if (c < 0x80) {
		if (cp)
			*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		v = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		v = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		v = c & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (p[i] & 0x3f);
	}
	if ((len == 3 && (v < 0x800 || (v >= 0xd800 && v <= 0xdfff))) ||
	    (len == 4 && (v < 0x10000 || v > 0x10ffff)))
		return 0;
	if (cp)
		*cp = v;
	return len;
}

int utf8_clean_text(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		uint32_t cp;
		size_t len = utf8_seq(p + i, n - i, &cp);
		if (len == 0 || cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
			return 0;
		i += len;
	}
	return 1;
}
