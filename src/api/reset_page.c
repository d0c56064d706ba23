/* reset_page.c - the page a password reset link opens (/auth/reset?t=TOKEN): a server-written
 * HTML form to choose a new password, and its submission. No script at all; every value
 * passes tmpl_escape_html; the Content-Security-Policy forbids scripts, framing and forms
 * to elsewhere, and Referrer-Policy keeps the link out of Referer headers.
 *
 * Cross-site requests: the form posts the link's token (256 random bits) in its body, which
 * another site cannot know; a POST whose Origin is another site's, or that the browser marks
 * Sec-Fetch-Site: cross-site, is refused besides. The page signs nobody in. */
#include <sodium.h>
#include <string.h>
#include <strings.h>

#include "api/access_password.h"
#include "api/app.h"
#include "api/html_page.h"
#include "api/password.h"
#include "api/staff_access.h"
#include "notify/template.h"
#include "store/business.h"
#include "base/text.h"

#define RESET_FIELD_MAX 2048 /* longest form value read (a password is at most 1024 bytes) */

static void reset_page_invalid(http_req *r)
{
	buf b;
	html_page_start(&b, "This link does not work");
	buf_adds(&b, "<p>A reset link works once, for 30 minutes. Ask for a new one from the "
		     "sign-in page.</p>");
	html_page_send(r, 404, &b);
}

/* The form for the link's user; error (may be NULL) is shown above it. */
static void reset_page_form(http_req *r, int code, const char *token, const staff_user *u,
			    const business *biz, const char *error)
{
	buf b;
	html_page_start(&b, "Choose a new password");
	buf_adds(&b, "<p>For ");
	tmpl_escape_html(&b, u->email);
	buf_adds(&b, " at ");
	tmpl_escape_html(&b, biz->name);
	buf_adds(&b, ".</p>");
	if (error) {
		buf_adds(&b, "<p class=\"e\" role=\"alert\">");
		tmpl_escape_html(&b, error);
		buf_adds(&b, "</p>");
	}
	buf_adds(&b, "<form method=\"post\" action=\"/auth/reset\"><input type=\"hidden\" name=\"t\" "
		     "value=\"");
	tmpl_escape_html(&b, token);
	buf_adds(&b, "\"><input type=\"email\" name=\"username\" autocomplete=\"username\" hidden "
		     "readonly value=\"");
	tmpl_escape_html(&b, u->email);
	buf_printf(&b,
		   "\"><label for=\"pw\">New password (%d to %d characters)</label><input id=\"pw\" "
		   "type=\"password\" name=\"password\" autocomplete=\"new-password\" minlength=\"%d\" "
		   "maxlength=\"%d\" required><label for=\"pw2\">The same again</label><input "
		   "id=\"pw2\" type=\"password\" name=\"confirm\" autocomplete=\"new-password\" "
		   "minlength=\"%d\" maxlength=\"%d\" required><button type=\"submit\">Set the "
		   "password</button></form>",
		   PASSWORD_MIN_LEN, PASSWORD_MAX_LEN, PASSWORD_MIN_LEN, PASSWORD_MAX_LEN,
		   PASSWORD_MIN_LEN, PASSWORD_MAX_LEN);
	html_page_send(r, code, &b);
}

/* Reads the link's user and business; false (page answered) when the link is not valid. */
static bool reset_page_load(http_req *r, const char *token, staff_user *u, business *biz)
{
	db_conn *c = app_db(r);
	store_reset rs;
	status st = access_reset_check(r, c, token, &rs, u);
	if (st == STATUS_OK)
		st = store_business_by_id(c, rs.business_id, r->arena, biz);
	if (st == STATUS_NOT_FOUND)
		reset_page_invalid(r);
	else if (st != STATUS_OK)
		http_problem(r, st, "the link could not be read");
	return st == STATUS_OK;
}

void reset_page_show(http_req *r)
{
	const char *token = http_query(r, "t");
	staff_user u;
	business biz;
	if (reset_page_load(r, token, &u, &biz))
		reset_page_form(r, 200, token, &u, &biz, NULL);
}

/* The value of name in an application/x-www-form-urlencoded body, decoded into the arena;
 * NULL when absent, longer than RESET_FIELD_MAX or holding a NUL. */
static char *reset_form_value(http_req *r, const char *name)
{
	size_t nl = strlen(name);
	const char *p = r->body, *end = r->body + r->body_len;
	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *stop = amp ? amp : end;
		if ((size_t)(stop - p) > nl && memcmp(p, name, nl) == 0 && p[nl] == '=') {
			const char *v = p + nl + 1;
			if ((size_t)(stop - v) > 3 * RESET_FIELD_MAX)
				return NULL;
			char *out = arena_alloc(r->arena, (size_t)(stop - v) + 1);
			size_t n = 0;
			for (const char *q = v; q < stop; q++) {
				int hi, lo;
				if (*q == '+') {
					out[n++] = ' ';
				} else if (*q == '%' && stop - q >= 3 && (hi = text_hex_digit(q[1])) >= 0 &&
					   (lo = text_hex_digit(q[2])) >= 0) {
					out[n++] = (char)(hi * 16 + lo);
					q += 2;
				} else {
					out[n++] = *q;
				}
				if (n && out[n - 1] == '\0')
					return NULL;
			}
			out[n] = '\0';
			return n <= RESET_FIELD_MAX ? out : NULL;
		}
		p = stop + 1;
	}
	return NULL;
}

/* True unless the browser says the POST comes from another site: an Origin must be the
 * public URL's (BOOKD_PUBLIC_URL, the origin of the links) or name the Host asked for. */
static bool reset_same_site(const http_req *r)
{
	const char *site = http_header(r, "Sec-Fetch-Site");
	if (site && strcmp(site, "cross-site") == 0)
		return false;
	const char *origin = http_header(r, "Origin");
	if (!origin)
		return true; /* an older browser, or no browser: the token alone decides */
	if (strcmp(origin, "null") == 0)
		return false; /* an opaque origin (sandboxed or cross-site redirect) */
	const app *ap = r->app;
	if (ap && ap->public_url && strcasecmp(origin, ap->public_url) == 0)
		return true;
	const char *host = http_header(r, "Host");
	const char *h = strstr(origin, "://");
	return h && host && strcasecmp(h + 3, host) == 0;
}

/* What the submission is answered with, once the password pool is done. */
static void reset_page_done(http_req *r, status st)
{
	buf b;
	switch (st) {
	case STATUS_OK:
		html_page_start(&b, "Your password is changed");
		buf_adds(&b, "<p>Sign in with your new password. You were signed out everywhere "
			     "else.</p>");
		html_page_send(r, 200, &b);
		return;
	case STATUS_NOT_FOUND:
		reset_page_invalid(r);
		return;
	case STATUS_BUSY:
		html_page_start(&b, "Busy");
		buf_adds(&b, "<p>Too many passwords are being set at once. Go back and send the "
			     "form again in a moment.</p>");
		http_add_header(r, "Retry-After", arena_printf(r->arena, "%d", PASSWORD_RETRY_AFTER_S));
		html_page_send(r, 503, &b);
		return;
	default:
		html_page_start(&b, "Something went wrong");
		buf_adds(&b, "<p>Your password was not changed. Try the link again.</p>");
		html_page_send(r, 500, &b);
		return;
	}
}

void reset_page_submit(http_req *r)
{
	const char *ct = http_header(r, "Content-Type");
	if (!reset_same_site(r) || !ct ||
	    strncasecmp(ct, "application/x-www-form-urlencoded", 33) != 0) {
		buf b;
		html_page_start(&b, "Not allowed");
		buf_adds(&b, "<p>This form can only be sent from its own page.</p>");
		html_page_send(r, 403, &b);
		return;
	}
	const char *token = reset_form_value(r, "t");
	char *pw = reset_form_value(r, "password");
	char *again = reset_form_value(r, "confirm");
	staff_user u;
	business biz;
	if (reset_page_load(r, token, &u, &biz)) {
		const char *error = NULL;
		if (!password_acceptable(pw))
			error = arena_printf(r->arena, "The password must be %d to %d characters long.",
					     PASSWORD_MIN_LEN, PASSWORD_MAX_LEN);
		else if (!again || strcmp(pw, again) != 0)
			error = "The two passwords differ.";
		if (error)
			reset_page_form(r, 422, token, &u, &biz, error);
		else
			access_reset_complete(r, token, pw, reset_page_done); /* copies pw */
	}
	if (pw)
		sodium_memzero(pw, strlen(pw));
	if (again)
		sodium_memzero(again, strlen(again));
}
