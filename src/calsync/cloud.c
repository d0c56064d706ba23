/* cloud.c - Google Calendar and Microsoft Graph clients (libcurl, jansson). */
#include "calsync/cloud.h"

#include <curl/curl.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/civil.h"
#include "core/tz.h"

#define CLOUD_BODY_MAX (8u << 20) /* the largest answer read */
#define CLOUD_PAGES_MAX 50        /* pages of an events listing read at most */

static cloud_endpoints cloud_google, cloud_microsoft;

void cloud_configure(const cloud_endpoints *google, const cloud_endpoints *microsoft)
{
	cloud_google = *google;
	cloud_microsoft = *microsoft;
}

static bool is_google(const char *service)
{
	return strcmp(service, "google") == 0;
}

const cloud_endpoints *cloud_service(const char *service)
{
	const cloud_endpoints *ep = !service                            ? NULL
	                            : is_google(service)                ? &cloud_google
	                            : strcmp(service, "microsoft") == 0 ? &cloud_microsoft
	                                                                : NULL;
	return ep && ep->client_id && *ep->client_id ? ep : NULL;
}

/* base64url without padding of n bytes, in a. */
static const char *b64url(arena *a, const unsigned char *p, size_t n)
{
	size_t len = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *s = arena_alloc(a, len);
	sodium_bin2base64(s, len, p, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return s;
}

void cloud_pkce(arena *a, const char **verifier, const char **challenge)
{
	unsigned char raw[32], digest[crypto_hash_sha256_BYTES];
	randombytes_buf(raw, sizeof raw);
	*verifier = b64url(a, raw, sizeof raw); /* 43 characters of the unreserved set */
	crypto_hash_sha256(digest, (const unsigned char *)*verifier, strlen(*verifier));
	*challenge = b64url(a, digest, sizeof digest);
}

/* s percent-encoded for a query or form, in a. */
static const char *esc(arena *a, const char *s)
{
	char *e = curl_easy_escape(NULL, s ? s : "", 0);
	const char *out = arena_strdup(a, e ? e : "");
	curl_free(e);
	return out;
}

const char *cloud_authorize_url(arena *a, const char *service, const char *redirect_uri,
                                const char *state, const char *challenge)
{
	const cloud_endpoints *ep = cloud_service(service);
	if (!ep)
		return NULL;
	/* Google: events read and written, offline for a refresh token; Graph: the calendars
	 * read and written, offline_access for a refresh token. */
	const char *scope = is_google(service) ? "https://www.googleapis.com/auth/calendar.events"
	                                       : "offline_access User.Read Calendars.ReadWrite";
	return arena_printf(
	    a,
	    "%s%sresponse_type=code&client_id=%s&redirect_uri=%s&scope=%s&state=%s&code_challenge=%"
	    "s"
	    "&code_challenge_method=S256%s",
	    ep->auth_url, strchr(ep->auth_url, '?') ? "&" : "?", esc(a, ep->client_id),
	    esc(a, redirect_uri), esc(a, scope), esc(a, state), esc(a, challenge),
	    is_google(service) ? "&access_type=offline&prompt=consent" : "&response_mode=query");
}

static void seterr(cloud_error *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void seterr(cloud_error *e, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->text, sizeof e->text, fmt, ap);
	va_end(ap);
}

static size_t cloud_body(char *p, size_t size, size_t n, void *ud)
{
	buf *b = ud;
	return buf_add(b, p, size * n) == STATUS_OK ? size * n : 0;
}

/* One request. */
typedef struct cloud_request {
	const char *method; /* GET, POST, PATCH, DELETE */
	const char *url;
	const char *bearer; /* Authorization: Bearer, or NULL */
	const char *ctype;  /* the body's type, or NULL for none */
	const char *body;
	bool utc; /* Graph: Prefer: outlook.timezone="UTC" */
} cloud_request;

/* Performs rq; *code the HTTP status, out the answer (the caller's, buf_init'ed). A
 * transport failure is STATUS_IO with e->text; any HTTP status is STATUS_OK. */
static status cloud_call(const cloud_request *rq, long *code, buf *out, cloud_error *e)
{
	*code = 0;
	CURL *curl = curl_easy_init();
	if (!curl) {
		seterr(e, "no HTTP client");
		return STATUS_IO;
	}
	struct curl_slist *h = curl_slist_append(NULL, "Accept: application/json");
	char line[4096];
	if (rq->bearer) {
		snprintf(line, sizeof line, "Authorization: Bearer %s", rq->bearer);
		h = curl_slist_append(h, line);
	}
	if (rq->ctype) {
		snprintf(line, sizeof line, "Content-Type: %s", rq->ctype);
		h = curl_slist_append(h, line);
	}
	if (rq->utc)
		h = curl_slist_append(h, "Prefer: outlook.timezone=\"UTC\"");
	curl_easy_setopt(curl, CURLOPT_URL, rq->url);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, rq->method);
	if (rq->body)
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, rq->body);
	curl_easy_setopt(curl, CURLOPT_USERAGENT, "bookd calendar sync");
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, cloud_body);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, out);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	CURLcode rc = curl_easy_perform(curl);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, code);
	curl_slist_free_all(h);
	curl_easy_cleanup(curl);
	if (rc != CURLE_OK) {
		/* curl's own message may quote the URL: the error's name only. */
		seterr(e, "%s", curl_easy_strerror(rc));
		return STATUS_IO;
	}
	return STATUS_OK;
}

/* The answer as JSON (new reference), or NULL. */
static json_t *answer_json(const buf *b)
{
	return b->data ? json_loadb(b->data, b->len, 0, NULL) : NULL;
}

/* Reads a token endpoint's answer into out. */
static status token_answer(long code, const buf *b, int64_t now, arena *a, cloud_tokens *out,
                           cloud_error *e)
{
	json_t *j = answer_json(b); /* new reference */
	const char *err = json_string_value(json_object_get(j, "error"));
	status st = STATUS_OK;
	if (code != 200 || !j) {
		/* invalid_grant: the code or refresh token was revoked, expired or used. */
		e->refused = err && (strcmp(err, "invalid_grant") == 0 ||
		                     strcmp(err, "invalid_client") == 0 ||
		                     strcmp(err, "unauthorized_client") == 0);
		seterr(e, "the token endpoint answered HTTP %ld%s%s", code, err ? ": " : "",
		       err ? err : "");
		st = STATUS_IO;
	} else {
		const char *access = json_string_value(json_object_get(j, "access_token"));
		const char *refresh = json_string_value(json_object_get(j, "refresh_token"));
		json_int_t ttl = json_integer_value(json_object_get(j, "expires_in"));
		if (!access || !*access) {
			seterr(e, "the token endpoint gave no access token");
			st = STATUS_IO;
		} else {
			out->access = arena_strdup(a, access);
			if (refresh && *refresh)
				out->refresh = arena_strdup(a, refresh);
			out->expires_at = now + (ttl > 0 ? ttl : 3600);
		}
	}
	json_decref(j);
	return st;
}

static status token_post(const char *service, const char *form, int64_t now, arena *a,
                         cloud_tokens *out, cloud_error *e)
{
	const cloud_endpoints *ep = cloud_service(service);
	if (!ep) {
		seterr(e, "%s is not configured on this server", service);
		return STATUS_INVALID;
	}
	const char *body = arena_printf(a, "%s&client_id=%s%s%s", form, esc(a, ep->client_id),
	                                *ep->client_secret ? "&client_secret=" : "",
	                                *ep->client_secret ? esc(a, ep->client_secret) : "");
	cloud_request rq = {.method = "POST",
	                    .url = ep->token_url,
	                    .ctype = "application/x-www-form-urlencoded",
	                    .body = body};
	buf b;
	buf_init(&b, CLOUD_BODY_MAX);
	long code;
	status st = cloud_call(&rq, &code, &b, e);
	if (st == STATUS_OK)
		st = token_answer(code, &b, now, a, out, e);
	buf_free(&b);
	return st;
}

status cloud_token_code(const char *service, const char *code, const char *verifier,
                        const char *redirect_uri, int64_t now, arena *a, cloud_tokens *out,
                        cloud_error *e)
{
	*out = (cloud_tokens){0};
	return token_post(service,
	                  arena_printf(a,
	                               "grant_type=authorization_code&code=%s&redirect_uri=%s&code_"
	                               "verifier=%s",
	                               esc(a, code), esc(a, redirect_uri), esc(a, verifier)),
	                  now, a, out, e);
}

status cloud_token_refresh(const char *service, const char *refresh_token, int64_t now, arena *a,
                           cloud_tokens *out, cloud_error *e)
{
	*out = (cloud_tokens){.refresh = refresh_token};
	return token_post(
	    service,
	    arena_printf(a, "grant_type=refresh_token&refresh_token=%s", esc(a, refresh_token)),
	    now, a, out, e);
}

/* An API call whose answer must be 2xx JSON (or empty): 401/403 are refusals. *j (may be
 * NULL) gets the answer (new reference). *code gets the status. */
static status api_call(const cloud_request *rq, long *code, json_t **j, cloud_error *e)
{
	buf b;
	buf_init(&b, CLOUD_BODY_MAX);
	status st = cloud_call(rq, code, &b, e);
	if (j)
		*j = st == STATUS_OK ? answer_json(&b) : NULL;
	buf_free(&b);
	if (st != STATUS_OK)
		return st;
	if (*code == 401 || *code == 403) {
		e->refused = true;
		seterr(e, "the calendar refused the access token (HTTP %ld)", *code);
		return STATUS_IO;
	}
	if (*code < 200 || *code > 299) {
		seterr(e, "the calendar answered HTTP %ld", *code);
		return STATUS_IO;
	}
	return STATUS_OK;
}

status cloud_account(const char *service, const char *access, arena *a, const char **account,
                     cloud_error *e)
{
	const cloud_endpoints *ep = cloud_service(service);
	*account = "";
	if (!ep) {
		seterr(e, "%s is not configured on this server", service);
		return STATUS_INVALID;
	}
	cloud_request rq = {.method = "GET",
	                    .bearer = access,
	                    .url = is_google(service)
	                               ? arena_printf(a, "%s/calendars/primary", ep->api_url)
	                               : arena_printf(a, "%s/me", ep->api_url)};
	long code;
	json_t *j = NULL;
	status st = api_call(&rq, &code, &j, e);
	const char *v = json_string_value(
	    json_object_get(j, is_google(service) ? "id" : "mail")); /* borrowed */
	if (!v || !*v)
		v = json_string_value(json_object_get(j, "userPrincipalName"));
	if (st == STATUS_OK && v)
		*account = arena_strdup(a, v);
	json_decref(j);
	return st;
}

/* An instant of the APIs: RFC 3339, or Graph's "2026-03-25T10:00:00.0000000" in UTC. */
static bool instant_of(const char *s, int64_t *t)
{
	if (!s)
		return false;
	char tmp[64];
	size_t n = strcspn(s, ".");
	if (n >= sizeof tmp - 2)
		return false;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	const char *rest = s + n;
	if (*rest == '.') /* fractions of a second dropped, an offset after them kept */
		rest += strspn(rest + 1, "0123456789") + 1;
	bool zoned = strlen(tmp) > 19 || *rest;
	snprintf(tmp + n, sizeof tmp - n, "%s", zoned ? rest : "Z");
	return tz_parse_rfc3339(tmp, strlen(tmp), t);
}

static void add_span(arena *a, cloud_span **out, size_t *n, size_t *cap, cloud_span s)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 32;
		cloud_span *g = arena_alloc(a, sizeof(*g) * *cap);
		if (*n)
			memcpy(g, *out, sizeof(*g) * *n);
		*out = g;
	}
	(*out)[(*n)++] = s;
}

static const char *utc_text(arena *a, int64_t t)
{
	char s[TZ_RFC3339_SIZE];
	if (!tz_format_rfc3339(tz_get("UTC"), t, s))
		return "";
	return arena_printf(a, "%.19sZ", s);
}

/* The instant of a Google event's start or end: dateTime, or an all-day event's date at
 * midnight in its own zone (or the calendar's, zone). */
static bool google_instant(json_t *when, const tz *zone, int64_t *t)
{
	if (instant_of(json_string_value(json_object_get(when, "dateTime")), t))
		return true;
	const char *date = json_string_value(json_object_get(when, "date"));
	int64_t day;
	if (!date || !civil_parse_date(date, strlen(date), &day))
		return false;
	const tz *own = tz_get(json_string_value(json_object_get(when, "timeZone")));
	*t = tz_day_start(own ? own : zone, day, NULL);
	return true;
}

/* Google: the primary calendar's events.list, recurring ones expanded, every page. */
static status google_events(const cloud_endpoints *ep, const char *access, int64_t from, int64_t to,
                            arena *a, cloud_span **out, size_t *n, size_t *cap, bool *complete,
                            cloud_error *e)
{
	const char *base = arena_printf(
	    a, "%s/calendars/primary/events?singleEvents=true&maxResults=250&timeMin=%s&timeMax=%s",
	    ep->api_url, esc(a, utc_text(a, from)), esc(a, utc_text(a, to)));
	const char *url = base;
	status st = STATUS_OK;
	int page = 0;
	for (; st == STATUS_OK && url && page < CLOUD_PAGES_MAX; page++) {
		cloud_request rq = {.method = "GET", .bearer = access, .url = url};
		long code;
		json_t *j = NULL;
		st = api_call(&rq, &code, &j, e);
		const tz *zone = tz_get(json_string_value(json_object_get(j, "timeZone")));
		if (!zone)
			zone = tz_get("UTC");
		size_t i;
		json_t *v;
		json_array_foreach(st == STATUS_OK ? json_object_get(j, "items") : NULL, i, v)
		{
			const char *state = json_string_value(json_object_get(v, "status"));
			const char *transp = json_string_value(json_object_get(v, "transparency"));
			const char *id = json_string_value(json_object_get(v, "id"));
			if (!id || (state && strcmp(state, "cancelled") == 0))
				continue;
			cloud_span s = {.event_id = arena_strdup(a, id),
			                .busy = !transp || strcmp(transp, "transparent") != 0};
			if (google_instant(json_object_get(v, "start"), zone, &s.start) &&
			    google_instant(json_object_get(v, "end"), zone, &s.end) &&
			    s.end > s.start)
				add_span(a, out, n, cap, s);
		}
		const char *next = json_string_value(json_object_get(j, "nextPageToken"));
		url = st == STATUS_OK && next
		          ? arena_printf(a, "%s&pageToken=%s", base, esc(a, next))
		          : NULL;
		json_decref(j);
	}
	*complete = st == STATUS_OK && !url;
	return st;
}

/* Graph: the default calendar's calendarView in UTC, every page (@odata.nextLink). */
static status graph_events(const cloud_endpoints *ep, const char *access, int64_t from, int64_t to,
                           arena *a, cloud_span **out, size_t *n, size_t *cap, bool *complete,
                           cloud_error *e)
{
	const char *url =
	    arena_printf(a,
	                 "%s/me/"
	                 "calendarView?startDateTime=%s&endDateTime=%s&$select=id,start,end,showAs,"
	                 "isCancelled&$top=200",
	                 ep->api_url, esc(a, utc_text(a, from)), esc(a, utc_text(a, to)));
	status st = STATUS_OK;
	for (int page = 0; st == STATUS_OK && url && page < CLOUD_PAGES_MAX; page++) {
		cloud_request rq = {.method = "GET", .bearer = access, .url = url, .utc = true};
		long code;
		json_t *j = NULL;
		st = api_call(&rq, &code, &j, e);
		size_t i;
		json_t *v;
		json_array_foreach(st == STATUS_OK ? json_object_get(j, "value") : NULL, i, v)
		{
			const char *show = json_string_value(json_object_get(v, "showAs"));
			const char *id = json_string_value(json_object_get(v, "id"));
			if (!id || json_is_true(json_object_get(v, "isCancelled")))
				continue;
			cloud_span s = {.event_id = arena_strdup(a, id),
			                .busy = !show || strcmp(show, "free") != 0};
			if (instant_of(json_string_value(json_object_get(
			                   json_object_get(v, "start"), "dateTime")),
			               &s.start) &&
			    instant_of(json_string_value(
			                   json_object_get(json_object_get(v, "end"), "dateTime")),
			               &s.end) &&
			    s.end > s.start)
				add_span(a, out, n, cap, s);
		}
		const char *next = json_string_value(json_object_get(j, "@odata.nextLink"));
		url = st == STATUS_OK && next ? arena_strdup(a, next) : NULL;
		json_decref(j);
	}
	*complete = st == STATUS_OK && !url;
	return st;
}

status cloud_events(const char *service, const char *access, int64_t from, int64_t to, arena *a,
                    cloud_span **out, size_t *n, bool *complete, cloud_error *e)
{
	const cloud_endpoints *ep = cloud_service(service);
	*out = NULL;
	*n = 0;
	*complete = false;
	size_t cap = 0;
	if (!ep) {
		seterr(e, "%s is not configured on this server", service);
		return STATUS_INVALID;
	}
	return is_google(service)
	           ? google_events(ep, access, from, to, a, out, n, &cap, complete, e)
	           : graph_events(ep, access, from, to, a, out, n, &cap, complete, e);
}

status cloud_event_put(const char *service, const char *access, const char *event_id,
                       const cloud_event *ev, arena *a, const char **id_out, bool *gone,
                       cloud_error *e)
{
	const cloud_endpoints *ep = cloud_service(service);
	*gone = false;
	*id_out = NULL;
	if (!ep) {
		seterr(e, "%s is not configured on this server", service);
		return STATUS_INVALID;
	}
	json_t *o;
	const char *url;
	if (is_google(service)) {
		o = json_pack("{s:s, s:s, s:{s:s}, s:{s:s}, s:{s:{s:s}}}", "summary", ev->summary,
		              "description", ev->description, "start", "dateTime",
		              utc_text(a, ev->start), "end", "dateTime", utc_text(a, ev->end),
		              "extendedProperties", "private", "bookd_uid", ev->uid);
		if (!event_id) /* the booking's UID, as in its emails' calendar entries */
			json_object_set_new(o, "iCalUID", json_string(ev->uid)); /* steals */
		url = event_id ? arena_printf(a, "%s/calendars/primary/events/%s", ep->api_url,
		                              esc(a, event_id))
		               : arena_printf(a, "%s/calendars/primary/events", ep->api_url);
	} else {
		char s[TZ_RFC3339_SIZE], t[TZ_RFC3339_SIZE];
		tz_format_rfc3339(tz_get("UTC"), ev->start, s);
		tz_format_rfc3339(tz_get("UTC"), ev->end, t);
		o = json_pack("{s:s, s:{s:s, s:s}, s:{s:s%, s:s}, s:{s:s%, s:s}, s:s}", "subject",
		              ev->summary, "body", "contentType", "text", "content",
		              ev->description, "start", "dateTime", s, (size_t)19, "timeZone",
		              "UTC", "end", "dateTime", t, (size_t)19, "timeZone", "UTC", "showAs",
		              "busy");
		if (!event_id)
			json_object_set_new(o, "transactionId", json_string(ev->uid)); /* steals */
		url = event_id ? arena_printf(a, "%s/me/events/%s", ep->api_url, esc(a, event_id))
		               : arena_printf(a, "%s/me/calendar/events", ep->api_url);
	}
	char *body = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	if (!body) {
		seterr(e, "the event could not be written");
		return STATUS_INTERNAL;
	}
	cloud_request rq = {.method = event_id ? "PATCH" : "POST",
	                    .bearer = access,
	                    .url = url,
	                    .ctype = "application/json",
	                    .body = body};
	long code;
	json_t *j = NULL;
	status st = api_call(&rq, &code, &j, e);
	free(body);
	if (st != STATUS_OK && event_id && (code == 404 || code == 410)) {
		*gone = true;
		st = STATUS_OK;
	} else if (st == STATUS_OK) {
		const char *id = json_string_value(json_object_get(j, "id"));
		*id_out = id ? arena_strdup(a, id) : event_id;
		if (!*id_out) {
			seterr(e, "the calendar gave the new event no id");
			st = STATUS_IO;
		}
	}
	json_decref(j);
	return st;
}

status cloud_event_delete(const char *service, const char *access, const char *event_id,
                          cloud_error *e)
{
	const cloud_endpoints *ep = cloud_service(service);
	if (!ep) {
		seterr(e, "%s is not configured on this server", service);
		return STATUS_INVALID;
	}
	arena *a = arena_new();
	cloud_request rq = {
	    .method = "DELETE",
	    .bearer = access,
	    .url = is_google(service)
	               ? arena_printf(a, "%s/calendars/primary/events/%s", ep->api_url,
	                              esc(a, event_id))
	               : arena_printf(a, "%s/me/events/%s", ep->api_url, esc(a, event_id))};
	long code;
	status st = api_call(&rq, &code, NULL, e);
	arena_free(a);
	if (st != STATUS_OK && (code == 404 || code == 410))
		st = STATUS_OK; /* already gone */
	return st;
}
