/* send.c - SMTP and SMS delivery through libcurl. */
#include "notify/send.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/xalloc.h"

/* Feeds the message to libcurl's upload. */
typedef struct send_reader {
	const char *data; /* the message */
	size_t len;       /* its length */
	size_t pos;       /* bytes handed over */
} send_reader;

static size_t send_read(char *out, size_t size, size_t nmemb, void *userp)
{
	send_reader *r = userp;
	size_t room = size * nmemb, left = r->len - r->pos;
	size_t n = left < room ? left : room;
	memcpy(out, r->data + r->pos, n);
	r->pos += n;
	return n;
}

static size_t send_discard(char *ptr, size_t size, size_t nmemb, void *userp)
{
	(void)ptr;
	(void)userp;
	return size * nmemb;
}

status send_email(const send_config *cfg, const char *to, const char *message, size_t len,
		  char *err, size_t errlen)
{
	if (!cfg->smtp_url || !*cfg->smtp_url) {
		snprintf(err, errlen, "SMTP is not configured");
		return STATUS_IO;
	}
	CURL *curl = curl_easy_init();
	if (!curl) {
		snprintf(err, errlen, "libcurl failed to start");
		return STATUS_IO;
	}
	char from[320], rcpt_addr[320];
	int nf = snprintf(from, sizeof(from), "<%s>", cfg->smtp_from ? cfg->smtp_from : "");
	int nr = snprintf(rcpt_addr, sizeof(rcpt_addr), "<%s>", to);
	if (nf < 0 || (size_t)nf >= sizeof(from) || nr < 0 || (size_t)nr >= sizeof(rcpt_addr)) {
		/* Cut short, it would be another address: never sent. */
		curl_easy_cleanup(curl);
		snprintf(err, errlen, "smtp: an address is longer than %zu bytes", sizeof(from) - 3);
		return STATUS_INVALID;
	}
	struct curl_slist *rcpt = curl_slist_append(NULL, rcpt_addr);
	send_reader rd = {message, len, 0};
	char curl_err[CURL_ERROR_SIZE] = "";
	curl_easy_setopt(curl, CURLOPT_URL, cfg->smtp_url);
	curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(curl, CURLOPT_READFUNCTION, send_read);
	curl_easy_setopt(curl, CURLOPT_READDATA, &rd);
	curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	/* smtp:// upgrades with STARTTLS when the server offers it; smtps:// is TLS from the
	 * start. Certificates are always verified. */
	curl_easy_setopt(curl, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, (long)(cfg->timeout_s > 0 ? cfg->timeout_s : 30));
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_err);
	CURLcode rc = curl_easy_perform(curl);
	status st = STATUS_OK;
	if (rc != CURLE_OK) {
		long code = 0;
		curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
		snprintf(err, errlen, "smtp: %s%s%s (code %ld)", curl_easy_strerror(rc),
			 *curl_err ? ": " : "", curl_err, code);
		st = STATUS_IO;
	}
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(curl);
	return st;
}

void send_sms_cut(const char *text, int max, char *out, size_t outlen)
{
	size_t i = 0, chars = 0, n = strlen(text);
	size_t cut_at = 0; /* byte offset where max-3 characters end */
	while (i < n) {
		size_t w = 1;
		unsigned char c = (unsigned char)text[i];
		if (c >= 0xF0)
			w = 4;
		else if (c >= 0xE0)
			w = 3;
		else if (c >= 0xC0)
			w = 2;
		if (chars == (size_t)(max > 3 ? max - 3 : 0))
			cut_at = i;
		chars++;
		i += w;
	}
	if (chars <= (size_t)max || max <= 3) {
		snprintf(out, outlen, "%s", text);
		return;
	}
	snprintf(out, outlen, "%.*s...", (int)cut_at, text);
}

status send_sms(const send_config *cfg, const char *to, const char *text, char *err,
		size_t errlen)
{
	if (!cfg->sms_url || !*cfg->sms_url) {
		snprintf(err, errlen, "SMS is not configured");
		return STATUS_IO;
	}
	int max = cfg->sms_max > 0 ? cfg->sms_max : 160;
	size_t cap = (size_t)max * 4 + 8;
	char *tmp = xmalloc(cap);
	send_sms_cut(text, max, tmp, cap);
	CURL *curl = curl_easy_init();
	if (!curl) {
		free(tmp);
		snprintf(err, errlen, "libcurl failed to start");
		return STATUS_IO;
	}
	char *e_to = curl_easy_escape(curl, to, 0);
	char *e_from = curl_easy_escape(curl, cfg->sms_from ? cfg->sms_from : "", 0);
	char *e_body = curl_easy_escape(curl, tmp, 0);
	buf form;
	buf_init(&form, 16384);
	buf_printf(&form, "To=%s&From=%s&Body=%s", e_to, e_from, e_body);
	curl_free(e_to);
	curl_free(e_from);
	curl_free(e_body);
	free(tmp);
	char curl_err[CURL_ERROR_SIZE] = "";
	curl_easy_setopt(curl, CURLOPT_URL, cfg->sms_url);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDS, form.data);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)form.len);
	if (cfg->sms_user && *cfg->sms_user) {
		curl_easy_setopt(curl, CURLOPT_USERNAME, cfg->sms_user);
		curl_easy_setopt(curl, CURLOPT_PASSWORD, cfg->sms_password ? cfg->sms_password : "");
	}
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, send_discard);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, (long)(cfg->timeout_s > 0 ? cfg->timeout_s : 30));
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_err);
	CURLcode rc = curl_easy_perform(curl);
	long code = 0;
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
	status st = STATUS_OK;
	if (rc != CURLE_OK) {
		snprintf(err, errlen, "sms: %s%s%s", curl_easy_strerror(rc), *curl_err ? ": " : "",
			 curl_err);
		st = STATUS_IO;
	} else if (code < 200 || code > 299) {
		snprintf(err, errlen, "sms: the provider answered HTTP %ld", code);
		st = STATUS_IO;
	}
	buf_free(&form);
	curl_easy_cleanup(curl);
	return st;
}
