/* fetch.c - conditional GET of a calendar file with libcurl. */
#include "calsync/fetch.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/xalloc.h"

bool fetch_url_ok(const char *url)
{
	if (!url)
		return false;
	size_t n = strlen(url);
	if (n > 2000)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)url[i] <= 0x20 || (unsigned char)url[i] >= 0x7F)
			return false;
	const char *schemes[] = {"http://", "https://", "webcal://"};
	for (size_t i = 0; i < 3; i++) {
		size_t k = strlen(schemes[i]);
		if (n > k && strncasecmp(url, schemes[i], k) == 0 && url[k] != '/')
			return true;
	}
	return false;
}

static size_t fetch_body(char *p, size_t size, size_t n, void *ud)
{
	fetch_response *out = ud;
	/* Returning less than given makes curl stop with CURLE_WRITE_ERROR. */
	return buf_add(&out->body, p, size * n) == STATUS_OK ? size * n : 0;
}

/* Keeps one header's value (trimmed) when it is name. */
static void fetch_keep(const char *line, size_t n, const char *name, char *dst)
{
	size_t k = strlen(name);
	if (n <= k || strncasecmp(line, name, k) != 0 || line[k] != ':')
		return;
	const char *v = line + k + 1, *e = line + n;
	while (v < e && (*v == ' ' || *v == '\t'))
		v++;
	while (e > v && (e[-1] == '\r' || e[-1] == '\n' || e[-1] == ' ' || e[-1] == '\t'))
		e--;
	size_t len = (size_t)(e - v);
	if (len >= FETCH_VALIDATOR_MAX)
		len = 0; /* too long to keep: no validator beats a cut one */
	memcpy(dst, v, len);
	dst[len] = '\0';
}

static size_t fetch_header(char *p, size_t size, size_t n, void *ud)
{
	fetch_response *out = ud;
	size_t len = size * n;
	/* A redirect's headers come first: a new status line starts the answer afresh. */
	if (len >= 5 && strncmp(p, "HTTP/", 5) == 0) {
		out->etag[0] = '\0';
		out->last_modified[0] = '\0';
	}
	fetch_keep(p, len, "ETag", out->etag);
	fetch_keep(p, len, "Last-Modified", out->last_modified);
	return len;
}

status fetch_get(const fetch_request *rq, fetch_response *out, char *err, size_t errlen)
{
	out->code = 0;
	out->etag[0] = out->last_modified[0] = '\0';
	if (!fetch_url_ok(rq->url)) {
		snprintf(err, errlen, "the address is not an http, https or webcal URL");
		return STATUS_INVALID;
	}
	const char *url = rq->url;
	char *https = NULL;
	if (strncasecmp(url, "webcal://", 9) == 0) {
		size_t n = strlen(url);
		https = xmalloc(n + 1);
		memcpy(https, "https://", 8);
		memcpy(https + 8, url + 9, n - 9 + 1);
		url = https;
	}
	CURL *curl = curl_easy_init();
	if (!curl) {
		free(https);
		snprintf(err, errlen, "no HTTP client");
		return STATUS_IO;
	}
	struct curl_slist *hdrs = NULL;
	char line[FETCH_VALIDATOR_MAX + 32];
	if (rq->etag && *rq->etag) {
		snprintf(line, sizeof line, "If-None-Match: %s", rq->etag);
		hdrs = curl_slist_append(hdrs, line);
	}
	if (rq->last_modified && *rq->last_modified) {
		snprintf(line, sizeof line, "If-Modified-Since: %s", rq->last_modified);
		hdrs = curl_slist_append(hdrs, line);
	}
	hdrs = curl_slist_append(hdrs, "Accept: text/calendar, */*;q=0.5");
	char curl_err[CURL_ERROR_SIZE] = "";
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, ""); /* gzip and the rest curl knows */
	curl_easy_setopt(curl, CURLOPT_USERAGENT, "bookd calendar sync");
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, fetch_body);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, out);
	curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, fetch_header);
	curl_easy_setopt(curl, CURLOPT_HEADERDATA, out);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, rq->timeout_s > 0 ? rq->timeout_s : 30L);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_err);
	CURLcode rc = curl_easy_perform(curl);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &out->code);
	status st = STATUS_OK;
	if (rc == CURLE_WRITE_ERROR && out->body.full) {
		snprintf(err, errlen, "the calendar is larger than %zu bytes", out->body.max);
		st = STATUS_IO;
	} else if (rc != CURLE_OK) {
		/* curl's own message can quote the URL: only the error's name is kept. */
		snprintf(err, errlen, "%s", curl_easy_strerror(rc));
		st = STATUS_IO;
	} else if (out->code != 200 && out->code != 304) {
		snprintf(err, errlen, "the server answered HTTP %ld", out->code);
		st = STATUS_IO;
	}
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(curl);
	free(https);
	return st;
}
