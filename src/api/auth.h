/* auth.h - who may call a route: checked before every handler (http_server_config.authorize).
 *
 * Staff routes live under /api/v1/businesses/{business}/... and need a session cookie
 * (unsafe methods also a CSRF token) or a bearer API token of that business. The route's
 * auth level (router.h) sets the least role; the handler narrows further where a role sees
 * less (staff: their own schedule and bookings). */
#ifndef BOOKD_API_AUTH_H
#define BOOKD_API_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/model.h"
#include "http/request.h"
#include "store/db.h"

typedef enum role {
	ROLE_STAFF = 1, /* their own schedule and bookings, and those bookings' customers */
	ROLE_ADMIN = 2, /* everything but users */
	ROLE_OWNER = 3  /* everything */
} role;

/* The caller of a staff route, set by auth_authorize. Strings live in the request arena. */
typedef struct principal {
	const char *user_id;       /* the staff user (an API token acts for its creator) */
	const char *email;         /* their login */
	role role;                 /* their role */
	const char *business_id;   /* the business the credentials belong to */
	const char *business_slug; /* its slug, equal to the route's {business} */
	const char *provider_id;   /* the provider linked to the user, or NULL */
	const char *token_id;      /* the API token used, or NULL for a session */
	const char *session_id;    /* the session used, or NULL for a token */
	const char *csrf_token;    /* the session's CSRF token, or NULL for a token */
	int64_t session_expires_at; /* the session's expiry instant, or 0 for a token */
	const char *audit_detail;  /* set by auth_audit_note: the audit entry's detail, or NULL */
} principal;

/* Adds to what the audit entry of this (unsafe, staff) request records beyond its route:
 * e.g. a staff override and the reason given. detail must live as long as the request
 * (static or in r's arena); a second note is appended after "; ". No-op without a
 * principal. */
void auth_audit_note(http_req *r, const char *detail);

/* Decides for r->route->auth; answers itself (401 no or bad credentials, 404 credentials of
 * another business, 403 role too low or CSRF token missing, 429 rate-limited) and returns
 * false when refused. Sets r->principal on staff routes. */
bool auth_authorize(http_req *r);

/* The caller of a staff route (NULL on public routes). */
const principal *auth_principal(const http_req *r);

/* Loads the business of the principal into *out (it is the route's {business}). On a store
 * error answers and returns false. */
bool auth_business(http_req *r, db_conn *c, business *out);

/* For staff handlers: the request's connection (app_db) with the principal's business
 * loaded into *out. On failure answers the request and returns NULL. */
db_conn *auth_open(http_req *r, business *out);

/* Answers 403 and returns false unless the principal's role is at least min. */
bool auth_require(http_req *r, role min);

/* For an admin's change of a setting: the role checked, the JSON body read into *body (the
 * caller's reference) and the business loaded as auth_open does. On failure answers the
 * request, leaves *body NULL and returns NULL. */
db_conn *auth_open_admin_body(http_req *r, business *out, json_t **body);

const char *role_name(role r);
bool role_parse(const char *s, role *out);

/* Sets the request rate limits from the setting (BOOKD_RATE_LIMITS / --rate-limits: "on",
 * "off" or NAME=COUNT/SECONDS,...; api/credentials.h) and whether cookies are Secure (the
 * public URL is https). Call once before serving; not thread-safe. False with a reason in
 * err when the setting is malformed. */
bool auth_setup(const char *rate_limits, const char *public_url, char *err, size_t errlen);
/* Frees what auth_setup made. */
void auth_shutdown(void);

/* The after hook of http_server_config: writes the audit entry of a staff request with an
 * unsafe method (the login handler writes its own). Never changes the answer. */
void auth_after(http_req *r);

/* Counts a login attempt from this client for the business slug against the rate limits;
 * answers 429 with Retry-After and returns false when over. Thread-safe. */
bool auth_rate_login(http_req *r, const char *business_slug);

/* Counts a password reset request from this client for the business slug and email
 * against the rate limits; answers 429 with Retry-After and returns false when over.
 * Thread-safe. */
bool auth_rate_reset(http_req *r, const char *business_slug, const char *email);

/* True when session cookies get the Secure attribute (BOOKD_PUBLIC_URL is https). */
bool auth_cookie_secure(void);
/* False when the server runs with --rate-limits off (load and race tests): then the
 * business's public client limits (store/protection.h) are off too. Thread-safe after
 * auth_setup. */
bool auth_limits_on(void);

#endif
