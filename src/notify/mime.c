/* mime.c - builds the email text; every header value passes through mime_header_value. */
#include "notify/mime.h"

#include <sodium.h>
#include <stdlib.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/civil.h"
#include "base/xalloc.h"

static bool mime_ascii(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p >= 0x80 || *p < 0x20)
			return false;
	return true;
}

/* A header value: CR/LF dropped; non-ASCII as one RFC 2047 base64 encoded-word. */
static status mime_header_value(buf *out, const char *s, bool quote_phrase)
{
	size_t n = strlen(s);
	char *clean = xmalloc(n + 1);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] != '\r' && s[i] != '\n')
			clean[k++] = s[i];
	clean[k] = '\0';
	status st;
	if (mime_ascii(clean)) {
		if (quote_phrase) {
			st = buf_addc(out, '"');
			for (size_t i = 0; i < k && st == STATUS_OK; i++) {
				if (clean[i] == '"' || clean[i] == '\\')
					st = buf_addc(out, '\\');
				if (st == STATUS_OK)
					st = buf_addc(out, clean[i]);
			}
			if (st == STATUS_OK)
				st = buf_addc(out, '"');
		} else {
			st = buf_adds(out, clean);
		}
	} else {
		size_t len = sodium_base64_ENCODED_LEN(k, sodium_base64_VARIANT_ORIGINAL);
		char *b64 = xmalloc(len);
		sodium_bin2base64(b64, len, (const unsigned char *)clean, k, sodium_base64_VARIANT_ORIGINAL);
		st = buf_printf(out, "=?UTF-8?B?%s?=", b64);
		free(b64);
	}
	free(clean);
	return st;
}

static status mime_address(buf *out, const char *name, const char *addr)
{
	status st = STATUS_OK;
	if (name && *name) {
		st = mime_header_value(out, name, true);
		if (st == STATUS_OK)
			st = buf_adds(out, " ");
	}
	if (st == STATUS_OK)
		st = buf_adds(out, "<");
	if (st == STATUS_OK)
		st = mime_header_value(out, addr, false);
	if (st == STATUS_OK)
		st = buf_adds(out, ">");
	return st;
}

/* Base64 of s in lines of 76 characters. */
static status mime_base64(buf *out, const char *s)
{
	size_t n = strlen(s);
	status st = STATUS_OK;
	for (size_t i = 0; i < n && st == STATUS_OK; i += 57) {
		size_t chunk = n - i < 57 ? n - i : 57;
		char line[80];
		sodium_bin2base64(line, sizeof(line), (const unsigned char *)s + i, chunk,
				  sodium_base64_VARIANT_ORIGINAL);
		st = buf_printf(out, "%s\r\n", line);
	}
	return st;
}

static void mime_date(int64_t t, char out[40])
{
	static const char *const days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	civil c = civil_from_epoch(t);
	int64_t day = t >= 0 ? t / 86400 : (t - 86399) / 86400;
	snprintf(out, 40, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[civil_weekday(day)],
		 c.day % 100, months[(c.month - 1) % 12], c.year % 10000, c.hour % 100, c.min % 100,
		 c.sec % 100);
}

status mime_write(const mime_mail *m, buf *out)
{
	if (!m->from_addr || !*m->from_addr || !m->to_addr || !*m->to_addr)
		return STATUS_INVALID;
	unsigned char raw[12];
	randombytes_buf(raw, sizeof(raw));
	char bnd[32], alt[40];
	sodium_bin2hex(bnd, sizeof(bnd), raw, 12);
	snprintf(alt, sizeof(alt), "alt-%s", bnd);
	char date[40];
	mime_date(m->date, date);

	status st = buf_adds(out, "From: ");
	if (st == STATUS_OK)
		st = mime_address(out, m->from_name, m->from_addr);
	if (st == STATUS_OK)
		st = buf_adds(out, "\r\nTo: ");
	if (st == STATUS_OK)
		st = mime_address(out, m->to_name, m->to_addr);
	if (st == STATUS_OK)
		st = buf_adds(out, "\r\nSubject: ");
	if (st == STATUS_OK)
		st = mime_header_value(out, m->subject ? m->subject : "", false);
	if (st == STATUS_OK)
		st = buf_printf(out, "\r\nDate: %s\r\nMessage-ID: ", date);
	if (st == STATUS_OK)
		st = mime_header_value(out, m->message_id, false);
	if (st == STATUS_OK)
		st = buf_printf(out,
				"\r\nMIME-Version: 1.0\r\nAuto-Submitted: auto-generated\r\n"
				"Content-Type: multipart/mixed; boundary=\"%s\"\r\n\r\n"
				"--%s\r\nContent-Type: multipart/alternative; boundary=\"%s\"\r\n\r\n"
				"--%s\r\nContent-Type: text/plain; charset=UTF-8\r\n"
				"Content-Transfer-Encoding: base64\r\n\r\n",
				bnd, bnd, alt, alt);
	if (st == STATUS_OK)
		st = mime_base64(out, m->text ? m->text : "");
	if (st == STATUS_OK && m->html && *m->html) {
		st = buf_printf(out, "\r\n--%s\r\nContent-Type: text/html; charset=UTF-8\r\n"
				     "Content-Transfer-Encoding: base64\r\n\r\n", alt);
		if (st == STATUS_OK)
			st = mime_base64(out, m->html);
	}
	if (st == STATUS_OK && m->ics && *m->ics) {
		/* Inside the alternative, calendar clients offer to add or update the event. */
		st = buf_printf(out, "\r\n--%s\r\nContent-Type: text/calendar; charset=UTF-8; "
				     "method=%s\r\nContent-Transfer-Encoding: base64\r\n\r\n",
				alt, m->ics_method ? m->ics_method : "PUBLISH");
		if (st == STATUS_OK)
			st = mime_base64(out, m->ics);
	}
	if (st == STATUS_OK)
		st = buf_printf(out, "\r\n--%s--\r\n", alt);
	if (st == STATUS_OK && m->ics && *m->ics) {
		st = buf_printf(out, "\r\n--%s\r\nContent-Type: application/ics; name=\"booking.ics\"\r\n"
				     "Content-Disposition: attachment; filename=\"booking.ics\"\r\n"
				     "Content-Transfer-Encoding: base64\r\n\r\n", bnd);
		if (st == STATUS_OK)
			st = mime_base64(out, m->ics);
	}
	if (st == STATUS_OK)
		st = buf_printf(out, "\r\n--%s--\r\n", bnd);
	return st;
}
