/* auth.c - route access: staff credentials (session cookie + CSRF token, or bearer API
 * token), the role a route needs, request rate limits, and the audit hook.
 *
 * Shared state: the rate-limit settings and counters, set once by auth_setup before the
 * server starts and then only read (the counters have their own lock, http/ratelimit.h). */
#include "api/auth.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "api/app.h"
#include "api/common.h"
#include "api/credentials.h"
#include "base/ids.h"
#include "base/log.h"
#include "http/ratelimit.h"
#include "http/server.h"
#include "store/audit.h"
#include "store/business.h"
#include "store/session.h"

static cred_limits auth_limits;     /* the rate-limit settings */
static ratelimit *auth_counters;    /* the counters; NULL when limits are off */
static bool auth_secure_cookie;     /* Set-Cookie gets Secure */

bool auth_setup(const char *rate_limits, const char *public_url, char *err, size_t errlen)
{
	if (!cred_limits_parse(rate_limits, &auth_limits, err, errlen))
		return false;
	ratelimit_free(auth_counters);
	auth_counters = auth_limits.on ? ratelimit_new(1u << 16) : NULL;
	auth_secure_cookie = public_url && strncmp(public_url, "https://", 8) == 0;
	return true;
}

void auth_shutdown(void)
{
	ratelimit_free(auth_counters);
	auth_counters = NULL;
}

bool auth_limits_on(void)
{
	return auth_limits.on;
}

bool auth_cookie_secure(void)
{
	return auth_secure_cookie;
}

/* Counts one request for key against l; answers 429 when over. */
static bool auth_rate(http_req *r, const char *key, cred_limit l)
{
	int64_t wait = 0;
	if (!auth_counters || ratelimit_hit(auth_counters, key, r->now, l.count, l.window_s, &wait))
		return true;
	http_add_header(r, "Retry-After", arena_printf(r->arena, "%lld", (long long)wait));
	http_problem_code(r, 429, STATUS_BUSY, "too many requests; retry later");
	return false;
}

bool auth_rate_login(http_req *r, const char *business_slug)
{
	if (!auth_counters)
		return true;
	const char *addr = http_client_addr(r);
	return auth_rate(r, arena_printf(r->arena, "la:%s", addr), auth_limits.login_addr) &&
	       auth_rate(r, arena_printf(r->arena, "lb:%s", business_slug ? business_slug : ""),
			 auth_limits.login_business);
}

bool auth_rate_reset(http_req *r, const char *business_slug, const char *email)
{
	if (!auth_counters)
		return true;
	const char *addr = http_client_addr(r);
	return auth_rate(r, arena_printf(r->arena, "ra:%s", addr), auth_limits.reset_addr) &&
	       auth_rate(r, arena_printf(r->arena, "re:%s/%s", business_slug ? business_slug : "",
					 email ? email : ""),
			 auth_limits.reset_email);
}

/* Public API routes, and the booking pages that message links open (/b/...), are limited
 * per client address and per business named in the path: each of them takes a reference or
 * a token from the client and costs a database read. */
static bool auth_rate_public(http_req *r)
{
	if (!auth_counters || (strncmp(r->route->pattern, "/api/v1/public/", 15) != 0 &&
			       strncmp(r->route->pattern, "/b/", 3) != 0))
		return true;
	const char *addr = http_client_addr(r);
	if (!auth_rate(r, arena_printf(r->arena, "pa:%s", addr), auth_limits.public_addr))
		return false;
	const char *biz = http_param(r, "business");
	return !biz || auth_rate(r, arena_printf(r->arena, "pb:%s", biz), auth_limits.public_business);
}

static bool auth_unsafe(const char *method)
{
	return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 &&
	       strcmp(method, "OPTIONS") != 0;
}

static bool auth_refuse(http_req *r)
{
	http_add_header(r, "WWW-Authenticate", "Bearer");
	http_problem(r, STATUS_UNAUTHORIZED, "staff credentials are required");
	return false;
}

/* Reads the presented credential: a bearer token, else the session cookie. */
static bool auth_credential(http_req *r, char *value, size_t len, bool *is_token)
{
	const char *h = http_header(r, "Authorization");
	if (h) {
		if (strncasecmp(h, "Bearer ", 7) != 0 || strlen(h + 7) >= len)
			return false;
		const char *v = h + 7;
		while (*v == ' ')
			v++;
		snprintf(value, len, "%s", v);
		*is_token = true;
		return *value != '\0';
	}
	*is_token = false;
	return cred_cookie_get(http_header(r, "Cookie"), CRED_COOKIE, value, len);
}

static bool auth_staff(http_req *r, role min)
{
	char value[CRED_MAX + 1], bid[64];
	const char *secret = NULL;
	bool is_token = false;
	if (!auth_credential(r, value, sizeof(value), &is_token) ||
	    !cred_split(value, bid, sizeof(bid), &secret))
		return auth_refuse(r);
	const char *hash = ids_secret_hash(r->arena, secret);
	db_conn *c = app_db(r);
	store_credential cr;
	status st = is_token ? store_token_find(c, bid, hash, r->now, r->arena, &cr)
			     : store_staff_session_find(c, bid, hash, r->now, r->arena, &cr);
	if (st == STATUS_OK && is_token && r->now - cr.last_used_at >= 60) {
		/* Last use to the minute: at most one write per token and minute. */
		status ts = store_token_touch(c, cr.business_id, cr.id, r->now);
		if (ts != STATUS_OK)
			log_warn("api token %s: last use not recorded: %s", cr.id, db_error(c));
	}
	if (st != STATUS_OK && st != STATUS_NOT_FOUND)
		api_store_error(r, c, st);
	if (st == STATUS_NOT_FOUND)
		return auth_refuse(r);
	if (st != STATUS_OK)
		return false;

	/* Credentials of another business never learn whether this one exists: the same 404
	 * as for a business that does not. Routes without {business} (auth/me) take any. */
	const char *slug = http_param(r, "business");
	if (slug && strcmp(slug, cr.business_slug) != 0) {
		http_problem(r, STATUS_NOT_FOUND, "no business '%s'", slug);
		return false;
	}
	principal *p = arena_alloc(r->arena, sizeof(*p));
	p->user_id = cr.user_id;
	p->email = cr.email;
	if (!role_parse(cr.role, &p->role))
		p->role = ROLE_STAFF;
	p->business_id = cr.business_id;
	p->business_slug = cr.business_slug;
	p->provider_id = cr.provider_id;
	p->token_id = is_token ? cr.id : NULL;
	p->session_id = is_token ? NULL : cr.id;
	p->csrf_token = is_token ? NULL : cr.csrf_token;
	p->session_expires_at = is_token ? 0 : cr.expires_at;
	p->audit_detail = NULL;
	r->principal = p;

	if (is_token && cr.read_only && auth_unsafe(r->method)) {
		http_problem(r, STATUS_FORBIDDEN, "this API token is read-only");
		return false;
	}
	if (!is_token && auth_unsafe(r->method)) {
		const char *csrf = http_header(r, "X-CSRF-Token");
		if (!csrf || !cr.csrf_token || !ids_equal_ct(csrf, cr.csrf_token)) {
			http_problem(r, STATUS_FORBIDDEN,
				     "a valid X-CSRF-Token header is required with a session cookie");
			return false;
		}
	}
	return auth_require(r, min);
}

bool auth_authorize(http_req *r)
{
	switch (r->route->auth) {
	case AUTH_TEST: /* the server only routes these when the test clock is on */
		return true;
	case AUTH_PUBLIC:
		return auth_rate_public(r);
	case AUTH_STAFF:
		return auth_staff(r, ROLE_STAFF);
	case AUTH_ADMIN:
		return auth_staff(r, ROLE_ADMIN);
	case AUTH_OWNER:
		return auth_staff(r, ROLE_OWNER);
	}
	return auth_refuse(r);
}

void auth_after(http_req *r)
{
	const principal *p = auth_principal(r);
	if (!p || r->route->auth == AUTH_PUBLIC || !auth_unsafe(r->method))
		return;
	bool logout = strcmp(r->route->pattern, "/api/v1/auth/logout") == 0;
	audit_entry e = {
		.business_id = p->business_id,
		.id = ids_sortable(r->arena, "aud"),
		.at = r->now,
		.user_id = p->user_id,
		.actor_email = p->email,
		.token_id = p->token_id,
		.action = logout ? "logout"
				 : arena_printf(r->arena, "%s %s", r->method, r->route->pattern),
		.method = r->method,
		.path = r->path,
		.status = r->code,
		.remote_addr = http_client_addr(r),
		.request_id = r->request_id,
		.detail = p->audit_detail,
	};
	/* Given back first: a transaction the handler left open (an error path) is rolled
	 * back then, and must not take the entry with it. */
	app_db_release(r);
	db_conn *c = app_db(r);
	status st = store_audit_insert(c, &e);
	if (st != STATUS_OK)
		log_error("audit entry not written for %s %s: %s", r->method, r->path, db_error(c));
}

void auth_audit_note(http_req *r, const char *detail)
{
	/* auth_staff made the principal in r's arena; only this module writes it. */
	principal *p = (principal *)r->principal;
	if (!p || !detail || !*detail)
		return;
	p->audit_detail = p->audit_detail ? arena_printf(r->arena, "%s; %s", p->audit_detail, detail)
					  : detail;
}

const principal *auth_principal(const http_req *r)
{
	return r->principal;
}

bool auth_business(http_req *r, db_conn *c, business *out)
{
	const principal *p = auth_principal(r);
	status st = p ? store_business_by_id(c, p->business_id, r->arena, out) : STATUS_UNAUTHORIZED;
	if (st == STATUS_OK)
		return true;
	if (st == STATUS_UNAUTHORIZED)
		http_problem(r, st, "staff credentials are required");
	else
		api_store_error(r, c, st);
	return false;
}

db_conn *auth_open(http_req *r, business *out)
{
	db_conn *c = app_db(r);
	return auth_business(r, c, out) ? c : NULL;
}

db_conn *auth_open_admin_body(http_req *r, business *out, json_t **body)
{
	*body = auth_require(r, ROLE_ADMIN) ? http_body_json(r) : NULL;
	db_conn *c = *body ? auth_open(r, out) : NULL;
	if (*body && !c) {
		json_decref(*body);
		*body = NULL;
	}
	return c;
}

bool auth_require(http_req *r, role min)
{
	const principal *p = auth_principal(r);
	if (p && p->role >= min)
		return true;
	http_problem(r, STATUS_FORBIDDEN, "your role does not allow this");
	return false;
}

const char *role_name(role r)
{
	switch (r) {
	case ROLE_STAFF: return "staff";
	case ROLE_ADMIN: return "admin";
	case ROLE_OWNER: return "owner";
	}
	return "staff";
}

bool role_parse(const char *s, role *out)
{
	static const role all[] = {ROLE_STAFF, ROLE_ADMIN, ROLE_OWNER};
	for (size_t i = 0; s && i < 3; i++) {
		if (strcmp(s, role_name(all[i])) == 0) {
			*out = all[i];
			return true;
		}
	}
	return false;
}
