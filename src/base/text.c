/* text.c - control characters in text fields (headers of mail and SMS bodies, log lines and
 * CSV cells all carry these strings further). */
#include "base/text.h"

const char *text_fault(const char *s, size_t n, text_kind kind)
{
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = p[i];
		if (ch == '\n' || ch == '\t') {
			if (kind != TEXT_MULTILINE)
				return ch == '\n' ? "must be one line (no line breaks)"
						  : "must not contain tab characters";
		} else if (ch < 0x20 || ch == 0x7f) {
			return ch == '\r' ? "must not contain carriage returns"
					  : "must not contain control characters";
		} else if (ch == 0xc2 && i + 1 < n && p[i + 1] >= 0x80 && p[i + 1] <= 0x9f) {
			return "must not contain control characters";
		} else if (ch == 0xe2 && i + 2 < n && p[i + 1] == 0x80 &&
			   (p[i + 2] == 0xa8 || p[i + 2] == 0xa9)) {
			return kind == TEXT_MULTILINE ? "must not contain Unicode line separators"
						      : "must be one line (no line breaks)";
		}
	}
	return NULL;
}

int text_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

long text_percent_decode(const char *s, size_t n, char *out)
{
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '%') {
			out[j++] = s[i];
			continue;
		}
		int hi = i + 2 < n ? text_hex_digit(s[i + 1]) : -1;
		int lo = hi >= 0 ? text_hex_digit(s[i + 2]) : -1;
		if (lo < 0)
			return -1;
		out[j++] = (char)(hi * 16 + lo);
		i += 2;
	}
	out[j] = '\0';
	return (long)j;
}
