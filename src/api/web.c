/* web.c - the booking web app over HTTP: its files (/assets/{file}, /icons/{file}, /{file})
 * and its pages (/, /book/{business}[/{service}], /b/{reference}). Every page is the app's
 * index.html, which routes itself; the server adds the headers a page needs: caching,
 * Content-Security-Policy with who may frame it, and the other security headers. */
#include <string.h>

#include "api/pay_element.h"
#include "api/app.h"
#include "api/common.h"
#include "api/handlers.h"
#include "api/webfiles.h"
#include "http/encoding.h"
#include "store/business.h"

#define WEB_IMMUTABLE "public, max-age=31536000, immutable"
/* style-src allows inline style attributes: the app sets the business's accent colour so. */
#define WEB_CSP                                                                                    \
	"default-src 'self'; script-src 'self'%s; style-src 'self' 'unsafe-inline'; "              \
	"img-src 'self' data: https:; font-src 'self'; connect-src 'self'%s; %s%s%s"                \
	"manifest-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; "             \
	"form-action 'self'; frame-ancestors "

/* The policy up to frame-ancestors: Stripe.js's sources only when the Payment Element is
 * configured (api/pay_element.h). */
static const char *web_csp(http_req *r, const char *ancestors)
{
	const char *frame = pay_element_csp_frame(r);
	return arena_printf(r->arena, WEB_CSP "%s", pay_element_csp_script(r),
			    pay_element_csp_connect(r), *frame ? "frame-src 'self'" : "", frame,
			    *frame ? "; " : "", ancestors);
}

/* What a page says when the binary was built without the web app and no --web-dir has it. */
static const char WEB_NOT_BUILT[] =
    "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
    "content=\"width=device-width, initial-scale=1\"><title>bookd</title></head><body>"
    "<h1>The booking web app was not built</h1><p>This bookd was built without its web app "
    "(web/dist), so it has no booking pages. The API answers under /api/v1/. To build the "
    "app, see the README (the web app needs Node.js and the npm registry).</p></body></html>";

static const char *web_dir(const http_req *r)
{
	const app *ap = r->app;
	return ap->web_dir;
}

/* The answer for a file found: its variant, caching, and 304 when the client has it. */
static void web_send(http_req *r, int code, const webfile *f, const char *cache_control)
{
	http_add_header(r, "Cache-Control", cache_control);
	http_add_header(r, "Vary", "Accept-Encoding");
	if (code == 200)
		http_add_header(r, "ETag", f->etag);
	if (code == 200 && http_etag_matches(http_header(r, "If-None-Match"), f->etag)) {
		http_static(r, 304, NULL, "", 0);
		return;
	}
	if (f->encoding)
		http_add_header(r, "Content-Encoding", f->encoding);
	if (f->is_static)
		http_static(r, code, f->content_type, f->data, f->len);
	else
		http_text(r, code, f->content_type, f->data, f->len);
}

static void web_file(http_req *r, const char *path, const char *cache_control)
{
	webfile f;
	status st =
	    webfiles_find(web_dir(r), path, http_header(r, "Accept-Encoding"), r->arena, &f);
	if (st == STATUS_NOT_FOUND)
		http_problem(r, st, "no such file");
	else if (st != STATUS_OK)
		http_problem(r, STATUS_INTERNAL, "the file could not be read");
	else
		web_send(r, 200, &f, cache_control);
}

/* Whether origins (business.embed_origins) holds only what the settings reader lets in, so
 * it cannot end the header's directive whatever the database holds. */
static bool web_origins_safe(const char *origins)
{
	for (const char *p = origins; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || strchr(" .:/*-", *p)))
			return false;
	return true;
}

/* A page: index.html with code. frame_origins NULL: no site may frame it; otherwise the
 * business's origins (space-separated) may, and the server's own pages always. */
static void web_page(http_req *r, int code, const char *frame_origins)
{
	if (frame_origins) {
		bool any = *frame_origins && web_origins_safe(frame_origins);
		http_add_header(r, "Content-Security-Policy",
		                web_csp(r, arena_printf(r->arena, "'self'%s%s", any ? " " : "",
		                                        any ? frame_origins : "")));
	} else {
		http_add_header(r, "Content-Security-Policy", web_csp(r, "'none'"));
		http_add_header(r, "X-Frame-Options", "DENY");
	}
	http_add_header(r, "Referrer-Policy", "strict-origin-when-cross-origin");
	http_add_header(r, "Permissions-Policy", "camera=(), microphone=(), geolocation=()");
	webfile f;
	status st = webfiles_find(web_dir(r), "index.html", http_header(r, "Accept-Encoding"),
	                          r->arena, &f);
	if (st == STATUS_NOT_FOUND) {
		http_add_header(r, "Cache-Control", "no-cache");
		http_text(r, code, "text/html; charset=utf-8", WEB_NOT_BUILT,
		          sizeof(WEB_NOT_BUILT) - 1);
	} else if (st != STATUS_OK) {
		http_problem(r, STATUS_INTERNAL, "the web app could not be read");
	} else {
		web_send(r, code, &f, "no-cache");
	}
}

void web_asset_get(http_req *r)
{
	web_file(r, arena_printf(r->arena, "assets/%s", http_param(r, "file")), WEB_IMMUTABLE);
}

void web_icon_get(http_req *r)
{
	web_file(r, arena_printf(r->arena, "icons/%s", http_param(r, "file")), "no-cache");
}

void web_top_file_get(http_req *r)
{
	const char *file = http_param(r, "file");
	if (strcmp(file, "index.html") == 0)
		web_page(r, 200, NULL);
	else
		web_file(r, file, "no-cache");
}

/* Whether s is a slug as the settings reader lets in: safe in a path as it is. */
static bool web_slug_safe(const char *s)
{
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
			return false;
	return *s != '\0';
}

void web_home_get(http_req *r)
{
	db_conn *c = app_db(r);
	business_brief *list;
	int n;
	status st = store_businesses_list(c, false, 2, r->arena, &list, &n);
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	if (n != 1 || !web_slug_safe(list[0].slug)) {
		web_page(r, 200, NULL); /* the app lists the businesses that chose to be listed */
		return;
	}
	/* The only business: its booking page, keeping the language asked for. */
	const char *lang = http_query(r, "lang");
	bool lang_ok = lang && *lang && strlen(lang) <= 35;
	for (const char *p = lang; lang_ok && *p; p++)
		lang_ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		          (*p >= '0' && *p <= '9') || *p == '-';
	http_add_header(r, "Location",
	                arena_printf(r->arena, "/book/%s%s%s", list[0].slug,
	                             lang_ok ? "?lang=" : "", lang_ok ? lang : ""));
	http_add_header(r, "Cache-Control", "no-cache");
	static const char moved[] = "Found: the booking page is at the Location given.\n";
	http_static(r, 302, "text/plain; charset=utf-8", moved, sizeof(moved) - 1);
}

void web_book_get(http_req *r)
{
	db_conn *c = app_db(r);
	business b;
	status st = store_business_by_slug(c, http_param(r, "business"), r->arena, &b);
	if (st != STATUS_OK && st != STATUS_NOT_FOUND) {
		api_store_error(r, c, st);
		return;
	}
	/* An unknown business: the app still loads and says so; 404 for robots and tools. */
	if (st == STATUS_NOT_FOUND)
		web_page(r, 404, NULL);
	else
		web_page(r, 200, b.embed_origins);
}

void web_admin_get(http_req *r)
{
	/* The staff dashboard: the app asks who is signed in and shows the login otherwise. No
	 * site may frame it (a framed dashboard invites clickjacking of staff actions). */
	web_page(r, 200, NULL);
}

void web_manage_get(http_req *r)
{
	/* The app reads ?t= (the link token of messages) and calls the manage API with it. */
	web_page(r, 200, NULL);
}
