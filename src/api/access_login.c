/* access_login.c - login, logout and "who am I" for staff.
 *
 * A login answers the same 401 for an unknown business, an unknown email and a wrong
 * password, after the same argon2id work (a dummy hash when there is no user), so neither
 * the answer nor its timing tells whether an account exists. Failures count per email and
 * per client address in the database (login_failures) and lock the key with a doubling
 * back-off (api/credentials.h); a locked key answers 429 whatever the password. The
 * connection is given back to the pool while the password is hashed. */
#include <string.h>
#include <strings.h>

#include "api/access.h"
#include "api/app.h"
#include "api/auth.h"
#include "api/common.h"
#include "api/credentials.h"
#include "api/password.h"
#include "base/ids.h"
#include "base/log.h"
#include "http/server.h"
#include "store/business.h"
#include "store/session.h"
#include "store/user.h"

#define LOGIN_REFUSED "the email or password is wrong"

/* The lockout keys of an attempt: per email within the business, per client address. */
typedef struct login_keys {
	const char *business_id; /* the business's id, or "" when the slug names none */
	const char *email_key;   /* "email:<email>" (with the slug when business_id is "") */
	const char *addr_key;    /* "addr:<address>", under business "" */
} login_keys;

static void login_locked(http_req *r, int64_t until)
{
	int64_t wait = until - r->now;
	http_add_header(r, "Retry-After", arena_printf(r->arena, "%lld", (long long)(wait > 0 ? wait : 1)));
	http_problem_code(r, 429, STATUS_BUSY, "too many failed logins; try again later");
}

/* Counts a failure under both keys and locks those past their thresholds. */
static void login_count_failure(http_req *r, db_conn *c, const login_keys *k)
{
	int64_t n = 0;
	if (store_login_failure(c, k->business_id, k->email_key, r->now, CRED_LOCK_RESET_S, &n) ==
		    STATUS_OK &&
	    cred_lock_seconds(n, CRED_LOCK_EMAIL_AFTER) > 0)
		store_login_lock(c, k->business_id, k->email_key,
				 r->now + cred_lock_seconds(n, CRED_LOCK_EMAIL_AFTER));
	if (store_login_failure(c, "", k->addr_key, r->now, CRED_LOCK_RESET_S, &n) == STATUS_OK &&
	    cred_lock_seconds(n, CRED_LOCK_ADDR_AFTER) > 0)
		store_login_lock(c, "", k->addr_key,
				 r->now + cred_lock_seconds(n, CRED_LOCK_ADDR_AFTER));
}

static void login_set_cookie(http_req *r, const char *value, int64_t max_age)
{
	http_add_header(r, "Set-Cookie",
			arena_printf(r->arena, "%s=%s; Path=/; Max-Age=%lld; HttpOnly; SameSite=Lax%s",
				     CRED_COOKIE, value, (long long)max_age,
				     auth_cookie_secure() ? "; Secure" : ""));
}

static json_t *login_business_json(const business *b)
{
	return json_pack("{s:s, s:s, s:s, s:s}", "id", b->id, "slug", b->slug, "name", b->name,
			 "timezone", b->timezone);
}

/* True when the request says its body is JSON ("application/json", parameters allowed).
 * A cross-site HTML form can only send urlencoded, multipart or text/plain bodies, so a
 * login that insists on JSON cannot be forged from another site (login CSRF: the victim
 * would work signed in to the attacker's account). */
static bool login_json_type(const http_req *r)
{
	static const char want[] = "application/json";
	const char *ct = http_header(r, "Content-Type");
	if (!ct)
		return false;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	size_t n = sizeof(want) - 1;
	if (strncasecmp(ct, want, n) != 0)
		return false;
	return ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ' || ct[n] == '\t';
}

void access_login(http_req *r)
{
	if (!login_json_type(r)) {
		http_problem_code(r, 415, STATUS_INVALID,
				  "a login body must be sent as Content-Type: application/json");
		return;
	}
	json_t *body = http_body_json(r);
	if (!body)
		return;
	static const char *const fields[] = {"business", "email", "password"};
	const char *v[3];
	for (int i = 0; i < 3; i++) {
		int before = r->nerrors;
		v[i] = access_string(r, body, fields[i]);
		if (!v[i] && r->nerrors == before)
			http_field_error_add(r, fields[i], "required");
	}
	const char *slug = v[0], *email_in = v[1], *password = v[2];
	if (r->nerrors) {
		json_decref(body);
		http_problem(r, STATUS_INVALID, "business, email and password are required");
		return;
	}
	if (!auth_rate_login(r, slug)) {
		json_decref(body);
		return;
	}
	char email[256];
	bool email_ok = cred_email_norm(email_in, email, sizeof(email));
	if (!email_ok)
		snprintf(email, sizeof(email), "%.200s", email_in);
	app *ap = r->app;
	const char *addr = http_client_addr(r);

	db_conn *c = db_acquire(ap->db);
	business biz = {0};
	status st = store_business_by_slug(c, slug, r->arena, &biz);
	login_keys k = {.business_id = st == STATUS_OK ? biz.id : "",
			.addr_key = arena_printf(r->arena, "addr:%s", addr)};
	k.email_key = st == STATUS_OK ? arena_printf(r->arena, "email:%s", email)
				      : arena_printf(r->arena, "email:%s/%s", slug, email);
	int64_t lock_email = 0, lock_addr = 0;
	staff_user u = {0};
	status ust = STATUS_NOT_FOUND;
	if (st == STATUS_OK || st == STATUS_NOT_FOUND) {
		st = store_login_locked_until(c, k.business_id, k.email_key, &lock_email);
		if (st == STATUS_OK)
			st = store_login_locked_until(c, "", k.addr_key, &lock_addr);
		if (st == STATUS_OK && *k.business_id && email_ok)
			ust = store_user_by_email(c, k.business_id, email, r->arena, &u);
		if (ust != STATUS_OK && ust != STATUS_NOT_FOUND)
			st = ust;
	}
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		db_release(ap->db, c);
		json_decref(body);
		return;
	}
	int64_t until = lock_email > lock_addr ? lock_email : lock_addr;
	if (until > r->now) {
		db_release(ap->db, c);
		json_decref(body);
		login_locked(r, until);
		return;
	}
	/* No connection is held while argon2id runs. */
	db_release(ap->db, c);
	bool ok = ust == STATUS_OK ? password_verify(u.password_hash, password)
				   : password_verify_dummy(password);
	json_decref(body); /* password (borrowed from body) is not used after this */
	c = db_acquire(ap->db);
	if (!ok) {
		login_count_failure(r, c, &k);
		if (*k.business_id)
			access_audit(r, c, k.business_id, "login_failed",
				     ust == STATUS_OK ? u.id : NULL, email);
		db_release(ap->db, c);
		http_problem(r, STATUS_UNAUTHORIZED, LOGIN_REFUSED);
		return;
	}
	const char *secret = ids_secret(r->arena);
	const char *csrf = ids_secret(r->arena);
	const char *sid = ids_new(r->arena, "ses");
	int64_t expires = r->now + CRED_SESSION_TTL_S;
	st = store_staff_session_insert(c, biz.id, sid, ids_secret_hash(r->arena, secret), u.id, csrf,
				  r->now, expires, addr);
	if (st == STATUS_OK) {
		/* Housekeeping on success: this email's failures, this user's dead sessions, and
		 * failure counters that no longer count for anyone. */
		if (store_login_clear(c, biz.id, k.email_key) != STATUS_OK ||
		    store_staff_session_purge(c, biz.id, u.id, r->now) != STATUS_OK ||
		    store_login_purge(c, r->now - CRED_LOCK_RESET_S, r->now) != STATUS_OK)
			log_warn("login: housekeeping failed: %s", db_error(c));
		access_audit(r, c, biz.id, "login", u.id, u.email);
	} else {
		api_store_error(r, c, st);
	}
	db_release(ap->db, c);
	if (st != STATUS_OK)
		return;
	const tz *zone = tz_get(biz.timezone);
	login_set_cookie(r, arena_printf(r->arena, "%s.%s", biz.id, secret), CRED_SESSION_TTL_S);
	json_t *out = json_object();
	/* json_object_set_new steals each value. */
	json_object_set_new(out, "user", access_user_json(&u, zone));
	json_object_set_new(out, "business", login_business_json(&biz));
	json_object_set_new(out, "csrf_token", json_string(csrf));
	json_object_set_new(out, "expires_at", access_instant(zone, expires));
	http_json_take(r, 200, out);
}

void access_logout(http_req *r)
{
	const principal *p = auth_principal(r);
	if (!p->session_id) {
		http_problem(r, STATUS_INVALID,
			     "logout ends a session; an API token is revoked with DELETE "
			     "/api/v1/businesses/{business}/tokens/{token}");
		return;
	}
	app *ap = r->app;
	db_conn *c = db_acquire(ap->db);
	status st = store_staff_session_revoke(c, p->business_id, p->session_id, r->now);
	if (st != STATUS_OK)
		api_store_error(r, c, st);
	db_release(ap->db, c);
	if (st != STATUS_OK)
		return;
	login_set_cookie(r, "", 0);
	http_text(r, 204, "text/plain", "", 0);
}

void access_me(http_req *r)
{
	const principal *p = auth_principal(r);
	app *ap = r->app;
	db_conn *c = db_acquire(ap->db);
	business biz;
	staff_user u;
	bool ok = auth_business(r, c, &biz);
	status st = ok ? store_user_get(c, p->business_id, p->user_id, r->arena, &u) : STATUS_OK;
	if (ok && st != STATUS_OK)
		api_store_error(r, c, st);
	db_release(ap->db, c);
	if (!ok || st != STATUS_OK)
		return;
	const tz *zone = tz_get(biz.timezone);
	json_t *out = json_object();
	/* json_object_set_new steals each value. */
	json_object_set_new(out, "user", access_user_json(&u, zone));
	json_object_set_new(out, "business", login_business_json(&biz));
	json_object_set_new(out, "via", json_string(p->session_id ? "session" : "token"));
	if (p->session_id) {
		json_object_set_new(out, "csrf_token", json_string(p->csrf_token));
		json_object_set_new(out, "expires_at", access_instant(zone, p->session_expires_at));
	} else {
		json_object_set_new(out, "token_id", json_string(p->token_id));
	}
	http_json_take(r, 200, out);
}
