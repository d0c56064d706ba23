/* caldav.c - WebDAV/CalDAV exchanges with libcurl; multistatus answers read with libxml2
 * (no network access and no entity expansion while parsing). */
#include "calsync/caldav.h"

#include <curl/curl.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/civil.h"

#define NS_DAV "DAV:"
#define NS_CALDAV "urn:ietf:params:xml:ns:caldav"
#define CALDAV_HDR_MAX 2048
#define CALDAV_REDIRECTS 5

/* One exchange's answer. */
typedef struct dav_answer {
	long code;
	buf body;
	char etag[CALDAV_HDR_MAX];
	char location[CALDAV_HDR_MAX];
} dav_answer;

static size_t dav_body(char *d, size_t size, size_t n, void *ud)
{
	dav_answer *out = ud;
	return buf_add(&out->body, d, size * n) == STATUS_OK ? size * n : 0;
}

static void dav_keep(const char *line, size_t n, const char *name, char *dst)
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
	if (len >= CALDAV_HDR_MAX)
		len = 0;
	memcpy(dst, v, len);
	dst[len] = '\0';
}

static size_t dav_header(char *d, size_t size, size_t n, void *ud)
{
	dav_answer *out = ud;
	size_t len = size * n;
	if (len >= 5 && strncmp(d, "HTTP/", 5) == 0)
		out->etag[0] = out->location[0] = '\0';
	dav_keep(d, len, "ETag", out->etag);
	dav_keep(d, len, "Location", out->location);
	return len;
}

/* What one request sends. */
typedef struct dav_request {
	const char *method;       /* PROPFIND, REPORT, GET, PUT, DELETE */
	const char *url;
	const char *depth;        /* "0", "1" or NULL */
	const char *content_type; /* of body, or NULL */
	const char *body;         /* or NULL */
	const char *if_match;     /* If-Match value, or NULL */
	bool if_none_match;       /* If-None-Match: * */
	bool follow;              /* follow redirects (reads only) */
} dav_request;

/* Does rq; out->body is init'ed here (the caller frees it). STATUS_IO on a transport
 * failure (fault TRANSPORT); any HTTP status is STATUS_OK with out->code. */
static status dav_do(const caldav_peer *p, const dav_request *rq0, arena *a, dav_answer *out,
		     caldav_fault *fault, char *err, size_t errlen)
{
	dav_request rq = *rq0;
	buf_init(&out->body, CALDAV_MAX_BYTES);
	for (int hop = 0;; hop++) {
		buf_reset(&out->body);
		out->code = 0;
		out->etag[0] = out->location[0] = '\0';
		CURL *curl = curl_easy_init();
		if (!curl) {
			*fault = CALDAV_FAULT_TRANSPORT;
			snprintf(err, errlen, "no HTTP client");
			return STATUS_IO;
		}
		struct curl_slist *h = NULL;
		char line[CALDAV_HDR_MAX + 32];
		if (rq.depth) {
			snprintf(line, sizeof line, "Depth: %s", rq.depth);
			h = curl_slist_append(h, line);
		}
		if (rq.content_type) {
			snprintf(line, sizeof line, "Content-Type: %s", rq.content_type);
			h = curl_slist_append(h, line);
		}
		if (rq.if_match && *rq.if_match) {
			snprintf(line, sizeof line, "If-Match: %s", rq.if_match);
			h = curl_slist_append(h, line);
		}
		if (rq.if_none_match)
			h = curl_slist_append(h, "If-None-Match: *");
		h = curl_slist_append(h, "Expect:");
		char curl_err[CURL_ERROR_SIZE] = "";
		curl_easy_setopt(curl, CURLOPT_URL, rq.url);
		curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, rq.method);
		if (strcmp(rq.method, "GET") == 0)
			curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
		if (rq.body) {
			curl_easy_setopt(curl, CURLOPT_POSTFIELDS, rq.body);
			curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)strlen(rq.body));
		}
		curl_easy_setopt(curl, CURLOPT_HTTPHEADER, h);
		curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
		if (p->username && *p->username) {
			curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
			curl_easy_setopt(curl, CURLOPT_USERNAME, p->username);
			curl_easy_setopt(curl, CURLOPT_PASSWORD, p->password ? p->password : "");
		}
		curl_easy_setopt(curl, CURLOPT_USERAGENT, "bookd calendar sync");
		curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, dav_body);
		curl_easy_setopt(curl, CURLOPT_WRITEDATA, out);
		curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, dav_header);
		curl_easy_setopt(curl, CURLOPT_HEADERDATA, out);
		curl_easy_setopt(curl, CURLOPT_TIMEOUT, p->timeout_s > 0 ? p->timeout_s : 30L);
		curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
		curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_err);
		CURLcode rc = curl_easy_perform(curl);
		curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &out->code);
		curl_slist_free_all(h);
		curl_easy_cleanup(curl);
		if (rc == CURLE_WRITE_ERROR && out->body.full) {
			*fault = CALDAV_FAULT_HTTP;
			snprintf(err, errlen, "the answer is larger than %zu bytes", out->body.max);
			return STATUS_IO;
		}
		if (rc != CURLE_OK) {
			*fault = CALDAV_FAULT_TRANSPORT;
			snprintf(err, errlen, "%s", curl_easy_strerror(rc)); /* never the URL */
			return STATUS_IO;
		}
		bool redirect = out->code == 301 || out->code == 302 || out->code == 303 ||
				out->code == 307 || out->code == 308;
		if (!redirect || !rq.follow || !*out->location)
			return STATUS_OK;
		if (hop >= CALDAV_REDIRECTS) {
			*fault = CALDAV_FAULT_HTTP;
			snprintf(err, errlen, "too many redirects");
			return STATUS_IO;
		}
		const char *next = caldav_resolve(a, rq.url, out->location);
		/* The password goes along: never from HTTPS to plain HTTP, nor out of HTTP. */
		bool was_tls = strncasecmp(rq.url, "https://", 8) == 0;
		if (strncasecmp(next, "https://", 8) != 0 &&
		    (was_tls || strncasecmp(next, "http://", 7) != 0)) {
			*fault = CALDAV_FAULT_HTTP;
			snprintf(err, errlen, "a redirect leaves HTTPS or HTTP: not followed");
			return STATUS_IO;
		}
		rq.url = next;
	}
}

const char *caldav_resolve(arena *a, const char *base, const char *href)
{
	if (strncasecmp(href, "http://", 7) == 0 || strncasecmp(href, "https://", 8) == 0)
		return arena_strdup(a, href);
	const char *host = strstr(base, "://");
	host = host ? host + 3 : base;
	const char *path = host + strcspn(host, "/?#");
	if (href[0] == '/')
		return arena_printf(a, "%.*s%s", (int)(path - base), base, href);
	/* Relative to the base's directory. */
	const char *q = path + strcspn(path, "?#");
	const char *slash = q;
	while (slash > path && slash[-1] != '/')
		slash--;
	if (slash == path)
		return arena_printf(a, "%.*s/%s", (int)(path - base), base, href);
	return arena_printf(a, "%.*s%s", (int)(slash - base), base, href);
}

/* One <response> of a multistatus. */
typedef struct dav_resp {
	const char *href;
	int status;        /* the response's own status, or 0 */
	const char *etag;
	const char *data;
	const char *sync_token;
	bool calendar;     /* resourcetype has C:calendar */
	bool vevent;       /* supported-calendar-component-set has VEVENT, or was not given */
	const char *principal;
	const char *home;
} dav_resp;

static bool dav_is(const xmlNode *n, const char *ns, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
	       strcmp((const char *)n->ns->href, ns) == 0 && strcmp((const char *)n->name, name) == 0;
}

static const char *dav_text(arena *a, const xmlNode *n)
{
	xmlChar *t = xmlNodeGetContent(n);
	const char *s = arena_strdup(a, t ? (const char *)t : "");
	xmlFree(t);
	return s;
}

static const char *dav_trim(arena *a, const char *s)
{
	while (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == '\t'))
		n--;
	return arena_strndup(a, s, n);
}

/* The code of "HTTP/1.1 404 Not Found". */
static int dav_status(const char *s)
{
	const char *sp = strchr(s, ' ');
	return sp ? (int)strtol(sp + 1, NULL, 10) : 0;
}

/* The href inside n (current-user-principal, calendar-home-set). */
static const char *dav_child_href(arena *a, const xmlNode *n)
{
	for (const xmlNode *c = n->children; c; c = c->next)
		if (dav_is(c, NS_DAV, "href"))
			return dav_trim(a, dav_text(a, c));
	return NULL;
}

static void dav_props(arena *a, const xmlNode *prop, dav_resp *r)
{
	for (const xmlNode *c = prop->children; c; c = c->next) {
		if (dav_is(c, NS_DAV, "getetag"))
			r->etag = dav_trim(a, dav_text(a, c));
		else if (dav_is(c, NS_CALDAV, "calendar-data"))
			r->data = dav_text(a, c);
		else if (dav_is(c, NS_DAV, "current-user-principal"))
			r->principal = dav_child_href(a, c);
		else if (dav_is(c, NS_CALDAV, "calendar-home-set"))
			r->home = dav_child_href(a, c);
		else if (dav_is(c, NS_DAV, "resourcetype")) {
			for (const xmlNode *t = c->children; t; t = t->next)
				r->calendar = r->calendar || dav_is(t, NS_CALDAV, "calendar");
		} else if (dav_is(c, NS_CALDAV, "supported-calendar-component-set")) {
			r->vevent = false;
			for (const xmlNode *t = c->children; t; t = t->next) {
				xmlChar *name = dav_is(t, NS_CALDAV, "comp")
						    ? xmlGetProp(t, (const xmlChar *)"name")
						    : NULL;
				if (name && strcasecmp((const char *)name, "VEVENT") == 0)
					r->vevent = true;
				xmlFree(name);
			}
		}
	}
}

/* Reads a multistatus body into *out (n entries) and its sync-token; false when it is not
 * one. */
static bool dav_multistatus(arena *a, const char *data, size_t len, dav_resp **out, int *n,
			    const char **sync_token)
{
	*out = NULL;
	*n = 0;
	if (sync_token)
		*sync_token = NULL;
	if (!data || len == 0 || len > INT32_MAX)
		return false;
	xmlDoc *doc = xmlReadMemory(data, (int)len, NULL, NULL,
				    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
					XML_PARSE_HUGE);
	xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
	if (!root || !dav_is(root, NS_DAV, "multistatus")) {
		xmlFreeDoc(doc);
		return false;
	}
	int cap = 0;
	for (const xmlNode *c = root->children; c; c = c->next) {
		if (dav_is(c, NS_DAV, "sync-token") && sync_token) {
			*sync_token = dav_trim(a, dav_text(a, c));
			continue;
		}
		if (!dav_is(c, NS_DAV, "response") || *n >= CALDAV_MAX_OBJECTS)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			dav_resp *g = arena_alloc(a, sizeof(*g) * (size_t)cap);
			if (*n)
				memcpy(g, *out, sizeof(*g) * (size_t)*n);
			*out = g;
		}
		dav_resp *r = &(*out)[(*n)++];
		*r = (dav_resp){.vevent = true};
		for (const xmlNode *d = c->children; d; d = d->next) {
			if (dav_is(d, NS_DAV, "href"))
				r->href = dav_trim(a, dav_text(a, d));
			else if (dav_is(d, NS_DAV, "status"))
				r->status = dav_status(dav_text(a, d));
			else if (dav_is(d, NS_DAV, "propstat")) {
				const xmlNode *prop = NULL;
				int code = 0;
				for (const xmlNode *e = d->children; e; e = e->next) {
					if (dav_is(e, NS_DAV, "prop"))
						prop = e;
					else if (dav_is(e, NS_DAV, "status"))
						code = dav_status(dav_text(a, e));
				}
				if (prop && code >= 200 && code < 300)
					dav_props(a, prop, r);
			}
		}
		if (!r->href)
			(*n)--;
	}
	xmlFreeDoc(doc);
	return true;
}

/* A one-line reason for an HTTP status that was not wanted. */
static status dav_fail(long code, caldav_fault *fault, char *err, size_t errlen)
{
	if (code == 401) {
		*fault = CALDAV_FAULT_AUTH;
		snprintf(err, errlen, "the server refused the username or password (HTTP 401)");
	} else if (code == 412) {
		*fault = CALDAV_FAULT_PRECONDITION;
		snprintf(err, errlen, "the event changed on the server (HTTP 412)");
	} else if (code == 404) {
		*fault = CALDAV_FAULT_NOT_FOUND;
		snprintf(err, errlen, "not found on the server (HTTP 404)");
	} else {
		*fault = code == 403 ? CALDAV_FAULT_AUTH : CALDAV_FAULT_HTTP;
		snprintf(err, errlen, "the server answered HTTP %ld", code);
	}
	return STATUS_IO;
}

/* PROPFIND url (Depth depth) for the properties in props_xml; the responses in *out. */
static status dav_propfind(const caldav_peer *p, const char *url, const char *depth,
			   const char *props_xml, arena *a, dav_resp **out, int *n,
			   caldav_fault *fault, char *err, size_t errlen)
{
	const char *body = arena_printf(
	    a,
	    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<D:propfind xmlns:D=\"DAV:\" "
	    "xmlns:C=\"urn:ietf:params:xml:ns:caldav\"><D:prop>%s</D:prop></D:propfind>",
	    props_xml);
	dav_request rq = {.method = "PROPFIND", .url = url, .depth = depth,
			  .content_type = "application/xml; charset=utf-8", .body = body,
			  .follow = true};
	dav_answer ans;
	status st = dav_do(p, &rq, a, &ans, fault, err, errlen);
	if (st == STATUS_OK && ans.code != 207)
		st = dav_fail(ans.code, fault, err, errlen);
	if (st == STATUS_OK && !dav_multistatus(a, ans.body.data, ans.body.len, out, n, NULL)) {
		*fault = CALDAV_FAULT_HTTP;
		snprintf(err, errlen, "the server's PROPFIND answer is not a multistatus");
		st = STATUS_IO;
	}
	buf_free(&ans.body);
	return st;
}

/* Whether a and b name the same path (hrefs may be absolute URLs or paths). */
static bool dav_same(arena *a, const char *base, const char *x, const char *y)
{
	const char *u = caldav_resolve(a, base, x), *v = caldav_resolve(a, base, y);
	size_t un = strlen(u), vn = strlen(v);
	while (un && u[un - 1] == '/')
		un--;
	while (vn && v[vn - 1] == '/')
		vn--;
	return un == vn && strncmp(u, v, un) == 0;
}

static const char *dav_dir(arena *a, const char *url)
{
	size_t n = strlen(url);
	return n && url[n - 1] == '/' ? url : arena_printf(a, "%s/", url);
}

status caldav_discover(const caldav_peer *p, const char *url, arena *a, const char **collection,
		       caldav_fault *fault, char *err, size_t errlen)
{
	*fault = CALDAV_FAULT_NONE;
	dav_resp *rs;
	int n;
	const char *props = "<D:resourcetype/><D:current-user-principal/><C:calendar-home-set/>"
			    "<C:supported-calendar-component-set/>";
	status st = dav_propfind(p, url, "0", props, a, &rs, &n, fault, err, errlen);
	if (st != STATUS_OK && *fault != CALDAV_FAULT_NOT_FOUND && *fault != CALDAV_FAULT_HTTP)
		return st;
	if (st == STATUS_OK && n > 0 && rs[0].calendar) {
		*collection = dav_dir(a, url);
		return STATUS_OK;
	}
	const char *principal = st == STATUS_OK && n > 0 ? rs[0].principal : NULL;
	const char *home = st == STATUS_OK && n > 0 ? rs[0].home : NULL;
	if (!principal && !home) {
		const char *wk = caldav_resolve(a, url, "/.well-known/caldav");
		st = dav_propfind(p, wk, "0", props, a, &rs, &n, fault, err, errlen);
		if (st != STATUS_OK)
			return st;
		principal = n > 0 ? rs[0].principal : NULL;
		if (principal)
			principal = caldav_resolve(a, wk, principal);
	} else if (principal) {
		principal = caldav_resolve(a, url, principal);
	}
	if (!home && principal) {
		st = dav_propfind(p, principal, "0", "<C:calendar-home-set/>", a, &rs, &n,
				  fault, err, errlen);
		if (st != STATUS_OK)
			return st;
		home = n > 0 && rs[0].home ? caldav_resolve(a, principal, rs[0].home) : NULL;
	} else if (home) {
		home = caldav_resolve(a, url, home);
	}
	if (!home) {
		*fault = CALDAV_FAULT_HTTP;
		snprintf(err, errlen, "the server names no calendar home for this account");
		return STATUS_NOT_FOUND;
	}
	st = dav_propfind(p, home, "1", "<D:resourcetype/><C:supported-calendar-component-set/>", a,
			  &rs, &n, fault, err, errlen);
	if (st != STATUS_OK)
		return st;
	for (int i = 0; i < n; i++)
		if (rs[i].calendar && rs[i].vevent && !dav_same(a, home, rs[i].href, home)) {
			*collection = dav_dir(a, caldav_resolve(a, home, rs[i].href));
			return STATUS_OK;
		}
	*fault = CALDAV_FAULT_NOT_FOUND;
	snprintf(err, errlen, "the account has no calendar of events");
	return STATUS_NOT_FOUND;
}

/* The objects of a REPORT answer into out; gone ones kept for sync-collection. */
static void dav_listing(arena *a, const char *collection, const dav_resp *rs, int n,
			caldav_listing *out)
{
	out->objects = arena_alloc(a, sizeof(caldav_object) * (size_t)(n ? n : 1));
	out->n = 0;
	for (int i = 0; i < n; i++) {
		if (dav_same(a, collection, rs[i].href, collection))
			continue; /* the collection itself */
		caldav_object *o = &out->objects[out->n++];
		o->href = caldav_resolve(a, collection, rs[i].href);
		o->etag = rs[i].etag ? rs[i].etag : "";
		o->data = rs[i].data;
		o->gone = rs[i].status == 404;
	}
}

bool caldav_parse_listing(const char *collection, const char *xml, size_t len, arena *a,
			  caldav_listing *out)
{
	*out = (caldav_listing){0};
	dav_resp *rs = NULL;
	int n = 0;
	const char *token = NULL;
	if (!dav_multistatus(a, xml, len, &rs, &n, &token))
		return false;
	dav_listing(a, collection, rs, n, out);
	out->sync_token = token;
	return true;
}

status caldav_sync(const caldav_peer *p, const char *collection, const char *token, arena *a,
		   caldav_listing *out, caldav_fault *fault, char *err, size_t errlen)
{
	*fault = CALDAV_FAULT_NONE;
	*out = (caldav_listing){0};
	/* The token is the server's opaque URI: it goes in as XML text, so escape it. */
	xmlChar *tok = xmlEncodeSpecialChars(NULL, (const xmlChar *)(token ? token : ""));
	const char *body = arena_printf(
	    a,
	    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<D:sync-collection xmlns:D=\"DAV:\" "
	    "xmlns:C=\"urn:ietf:params:xml:ns:caldav\"><D:sync-token>%s</D:sync-token>"
	    "<D:sync-level>1</D:sync-level><D:prop><D:getetag/><C:calendar-data/></D:prop>"
	    "</D:sync-collection>",
	    tok ? (const char *)tok : "");
	xmlFree(tok);
	dav_request rq = {.method = "REPORT", .url = collection, .depth = "0",
			  .content_type = "application/xml; charset=utf-8", .body = body};
	dav_answer ans;
	status st = dav_do(p, &rq, a, &ans, fault, err, errlen);
	dav_resp *rs = NULL;
	int n = 0;
	const char *new_token = NULL;
	if (st == STATUS_OK && ans.code != 207) {
		bool token_refused = ans.body.data && strstr(ans.body.data, "valid-sync-token");
		if (ans.code == 401) {
			st = dav_fail(ans.code, fault, err, errlen);
		} else if (token_refused || (token && *token && (ans.code == 403 || ans.code == 409))) {
			*fault = CALDAV_FAULT_TOKEN;
			snprintf(err, errlen, "the server no longer knows the sync token (HTTP %ld)",
				 ans.code);
			st = STATUS_IO;
		} else if ((ans.code >= 400 && ans.code < 500 && ans.code != 404) || ans.code == 501) {
			*fault = CALDAV_FAULT_UNSUPPORTED;
			snprintf(err, errlen, "sync-collection answered HTTP %ld", ans.code);
			st = STATUS_IO;
		} else {
			st = dav_fail(ans.code, fault, err, errlen);
		}
	} else if (st == STATUS_OK && !dav_multistatus(a, ans.body.data, ans.body.len, &rs, &n, &new_token)) {
		*fault = CALDAV_FAULT_HTTP;
		snprintf(err, errlen, "the server's sync answer is not a multistatus");
		st = STATUS_IO;
	}
	buf_free(&ans.body);
	if (st != STATUS_OK)
		return st;
	dav_listing(a, collection, rs, n, out);
	out->sync_token = new_token;
	return STATUS_OK;
}

/* "20260325T100000Z" of t. */
static void dav_utc(int64_t t, char *out, size_t n)
{
	civil c = civil_from_epoch(t);
	snprintf(out, n, "%04d%02d%02dT%02d%02d%02dZ", c.year, c.month, c.day, c.hour, c.min,
		 c.sec);
}

status caldav_query(const caldav_peer *p, const char *collection, int64_t from, int64_t to,
		    arena *a, caldav_listing *out, caldav_fault *fault, char *err, size_t errlen)
{
	*fault = CALDAV_FAULT_NONE;
	*out = (caldav_listing){0};
	char f[24], t[24];
	dav_utc(from, f, sizeof f);
	dav_utc(to, t, sizeof t);
	const char *body = arena_printf(
	    a,
	    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<C:calendar-query xmlns:D=\"DAV:\" "
	    "xmlns:C=\"urn:ietf:params:xml:ns:caldav\"><D:prop><D:getetag/><C:calendar-data/>"
	    "</D:prop><C:filter><C:comp-filter name=\"VCALENDAR\"><C:comp-filter name=\"VEVENT\">"
	    "<C:time-range start=\"%s\" end=\"%s\"/></C:comp-filter></C:comp-filter></C:filter>"
	    "</C:calendar-query>",
	    f, t);
	dav_request rq = {.method = "REPORT", .url = collection, .depth = "1",
			  .content_type = "application/xml; charset=utf-8", .body = body};
	dav_answer ans;
	status st = dav_do(p, &rq, a, &ans, fault, err, errlen);
	dav_resp *rs = NULL;
	int n = 0;
	if (st == STATUS_OK && ans.code != 207)
		st = dav_fail(ans.code, fault, err, errlen);
	else if (st == STATUS_OK && !dav_multistatus(a, ans.body.data, ans.body.len, &rs, &n, NULL)) {
		*fault = CALDAV_FAULT_HTTP;
		snprintf(err, errlen, "the server's query answer is not a multistatus");
		st = STATUS_IO;
	}
	buf_free(&ans.body);
	if (st == STATUS_OK)
		dav_listing(a, collection, rs, n, out);
	return st;
}

status caldav_get(const caldav_peer *p, const char *href, arena *a, const char **data,
		  const char **etag, caldav_fault *fault, char *err, size_t errlen)
{
	*fault = CALDAV_FAULT_NONE;
	dav_request rq = {.method = "GET", .url = href, .follow = true};
	dav_answer ans;
	status st = dav_do(p, &rq, a, &ans, fault, err, errlen);
	if (st == STATUS_OK && ans.code != 200)
		st = dav_fail(ans.code, fault, err, errlen);
	if (st == STATUS_OK) {
		*data = arena_strndup(a, ans.body.data ? ans.body.data : "", ans.body.len);
		*etag = arena_strdup(a, ans.etag);
	}
	buf_free(&ans.body);
	return st;
}

status caldav_put(const caldav_peer *p, const char *href, const char *data, const char *if_match,
		  arena *a, const char **etag_out, caldav_fault *fault, char *err, size_t errlen)
{
	*fault = CALDAV_FAULT_NONE;
	dav_request rq = {.method = "PUT", .url = href,
			  .content_type = "text/calendar; charset=utf-8", .body = data,
			  .if_match = if_match, .if_none_match = if_match == NULL};
	dav_answer ans;
	status st = dav_do(p, &rq, a, &ans, fault, err, errlen);
	if (st == STATUS_OK && ans.code != 200 && ans.code != 201 && ans.code != 204)
		st = dav_fail(ans.code, fault, err, errlen);
	if (st == STATUS_OK)
		*etag_out = arena_strdup(a, ans.etag);
	buf_free(&ans.body);
	return st;
}

status caldav_delete(const caldav_peer *p, const char *href, const char *if_match,
		     caldav_fault *fault, char *err, size_t errlen)
{
	*fault = CALDAV_FAULT_NONE;
	arena *a = arena_new();
	dav_request rq = {.method = "DELETE", .url = href, .if_match = if_match};
	dav_answer ans;
	status st = dav_do(p, &rq, a, &ans, fault, err, errlen);
	if (st == STATUS_OK && ans.code != 200 && ans.code != 204 && ans.code != 404)
		st = dav_fail(ans.code, fault, err, errlen);
	buf_free(&ans.body);
	arena_free(a);
	return st;
}
