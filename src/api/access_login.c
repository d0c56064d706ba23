/* access_login.c - login, logout and "who am I" for staff.
 *
 * A login answers the same 401 for an unknown business, an unknown email and a wrong
 * password, after the same argon2id work (a dummy hash when there is no user), so neither
 * the answer nor its timing tells whether an account exists. The hash runs on the password
 * pool (api/password.h) while the request is parked, ranked by its address's recent
 * failures, so an address that keeps failing waits behind everyone else. Failures count in
 * the database (login_failures) per email and address pair, per address and per email
 * alone, and lock each key past its threshold with a doubling back-off (api/credentials.h);
 * a locked key answers 429 whatever the password. No connection is held while hashing. */
#include <sodium.h>
#include <stdlib.h>
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
#include "jobs/notify_worker.h"
#include "store/business.h"
#include "store/outbox.h"
#include "store/session.h"
#include "store/user.h"

#define LOGIN_REFUSED "the email or password is wrong"

/* One login between its two halves (before and after the hash), in the request's arena. */
typedef struct login_attempt {
	password_task task; /* the password check */
	login_keys k;       /* its lockout keys */
	business biz;       /* the business named (when found) */
	staff_user u;       /* the user (when found) */
	bool user_found;    /* u is set */
	bool email_ok;      /* email looked like one and was normalised */
	char *password;     /* the arena copy the task reads; wiped once checked */
	char email[256];    /* normalised, or the input cut short when it is no email */
} login_attempt;

void access_login_locked(http_req *r, int64_t until)
{
	int64_t wait = until - r->now;
	http_add_header(r, "Retry-After", arena_printf(r->arena, "%lld", (long long)(wait > 0 ? wait : 1)));
	http_problem_code(r, 429, STATUS_BUSY, "too many failed logins; try again later");
}

void access_login_keys(http_req *r, const char *business_id, const char *slug, const char *email,
		       login_keys *k)
{
	const char *addr = http_client_addr(r);
	bool known = business_id && *business_id;
	k->business_id = known ? business_id : "";
	k->addr_key = arena_printf(r->arena, "addr:%s", addr);
	k->email_key = known ? arena_printf(r->arena, "email:%s", email)
			     : arena_printf(r->arena, "email:%s/%s", slug, email);
	k->pair_key = known ? arena_printf(r->arena, "pair:%s|%s", email, addr)
			    : arena_printf(r->arena, "pair:%s/%s|%s", slug, email, addr);
}

status access_login_state(http_req *r, db_conn *c, const login_keys *k, int64_t *until,
			  int64_t *addr_failures)
{
	const char *bids[] = {k->business_id, "", k->business_id};
	const char *keys[] = {k->pair_key, k->addr_key, k->email_key};
	status st = STATUS_OK;
	*until = 0;
	*addr_failures = 0;
	for (int i = 0; i < 3 && st == STATUS_OK; i++) {
		int64_t lock = 0, n = 0;
		st = store_login_state(c, bids[i], keys[i], r->now, CRED_LOCK_RESET_S, &lock, &n);
		if (lock > *until)
			*until = lock;
		if (i == 1)
			*addr_failures = n;
	}
	return st;
}

/* Counts one failure for key and locks it past `after` failures; returns the count (0 when
 * it could not be counted) and the lock's end in *until. */
static int64_t login_count(http_req *r, db_conn *c, const char *business_id, const char *key,
			   int64_t after, int64_t *until)
{
	int64_t n = 0;
	*until = 0;
	if (store_login_failure(c, business_id, key, r->now, CRED_LOCK_RESET_S, &n) != STATUS_OK)
		return 0;
	if (cred_lock_seconds(n, after) > 0) {
		*until = r->now + cred_lock_seconds(n, after);
		store_login_lock(c, business_id, key, *until);
	}
	return n;
}

/* The email alone has just been locked: its user, and the business's other owners, hear of
 * it once (the failure that reaches the threshold is counted by exactly one request). */
static void login_tell_locked(http_req *r, db_conn *c, const staff_user *u, int64_t until)
{
	const char *name = u->name && *u->name ? u->name : u->email;
	json_t *o = json_pack("{s:s, s:s, s:I}", "name", name, "email", u->email, "until",
			      (json_int_t)until); /* new reference */
	char *payload = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	status st = payload ? outbox_staff(c, u->business_id, "account_locked", u->email, payload,
					   r->now, r->arena)
			    : STATUS_INTERNAL;
	staff_user *all = NULL;
	int n = 0;
	if (st == STATUS_OK)
		st = store_user_list(c, u->business_id, r->arena, &all, &n);
	for (int i = 0; st == STATUS_OK && payload && i < n; i++)
		if (strcmp(all[i].role, "owner") == 0 && strcmp(all[i].id, u->id) != 0)
			st = outbox_staff(c, u->business_id, "staff_account_locked", all[i].email,
					  payload, r->now, r->arena);
	free(payload);
	if (st != STATUS_OK)
		log_warn("login: the lock of %s was not told: %s", u->id, db_error(c));
	else
		notify_kick();
}

void access_login_failed(http_req *r, db_conn *c, const login_keys *k, const staff_user *u)
{
	int64_t until = 0;
	login_count(r, c, k->business_id, k->pair_key, CRED_LOCK_PAIR_AFTER, &until);
	login_count(r, c, "", k->addr_key, CRED_LOCK_ADDR_AFTER, &until);
	int64_t n = login_count(r, c, k->business_id, k->email_key, CRED_LOCK_EMAIL_AFTER, &until);
	if (u && n == CRED_LOCK_EMAIL_AFTER)
		login_tell_locked(r, c, u, until);
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

/* Reads the body into a new attempt (password copied into the arena); NULL when answered. */
static login_attempt *login_read(http_req *r, const char **slug)
{
	if (!login_json_type(r)) {
		http_problem_code(r, 415, STATUS_INVALID,
				  "a login body must be sent as Content-Type: application/json");
		return NULL;
	}
	json_t *body = http_body_json(r);
	if (!body)
		return NULL;
	static const char *const fields[] = {"business", "email", "password"};
	const char *v[3];
	for (int i = 0; i < 3; i++) {
		int before = r->nerrors;
		v[i] = access_string(r, body, fields[i]);
		if (!v[i] && r->nerrors == before)
			http_field_error_add(r, fields[i], "required");
	}
	if (r->nerrors) {
		json_decref(body);
		http_problem(r, STATUS_INVALID, "business, email and password are required");
		return NULL;
	}
	login_attempt *a = arena_alloc(r->arena, sizeof(*a));
	memset(a, 0, sizeof(*a));
	*slug = arena_strdup(r->arena, v[0]);
	a->email_ok = cred_email_norm(v[1], a->email, sizeof(a->email));
	if (!a->email_ok)
		snprintf(a->email, sizeof(a->email), "%.200s", v[1]);
	a->password = arena_strdup(r->arena, v[2]);
	json_decref(body); /* v[] were borrowed from body */
	return a;
}

static void login_finish(http_req *r, void *arg);

void access_login(http_req *r)
{
	const char *slug = NULL;
	login_attempt *a = login_read(r, &slug);
	if (!a || !auth_rate_login(r, slug))
		return;
	db_conn *c = app_db(r);
	status st = store_business_by_slug(c, slug, r->arena, &a->biz);
	bool known = st == STATUS_OK;
	login_keys *k = &a->k;
	access_login_keys(r, known ? a->biz.id : "", slug, a->email, k);
	int64_t until = 0, addr_failures = 0;
	if (known || st == STATUS_NOT_FOUND) {
		st = access_login_state(r, c, k, &until, &addr_failures);
		status ust = STATUS_NOT_FOUND;
		if (st == STATUS_OK && known && a->email_ok)
			ust = store_user_by_email(c, k->business_id, a->email, r->arena, &a->u);
		a->user_found = ust == STATUS_OK;
		if (ust != STATUS_OK && ust != STATUS_NOT_FOUND)
			st = ust;
	}
	if (st != STATUS_OK)
		api_store_error(r, c, st);
	if (st != STATUS_OK)
		return;
	if (until > r->now) {
		sodium_memzero(a->password, strlen(a->password));
		access_login_locked(r, until);
		return;
	}
	a->task = (password_task){
		.op = PASSWORD_OP_VERIFY,
		.password = a->password,
		.hash = a->user_found ? a->u.password_hash : NULL,
		.rank = addr_failures,
		.who = http_client_addr(r),
	};
	password_run(r, &a->task, login_finish, a);
}

/* The second half, after the hash: a session, or a counted failure. */
static void login_finish(http_req *r, void *arg)
{
	login_attempt *a = arg;
	sodium_memzero(a->password, strlen(a->password));
	if (a->task.result != STATUS_OK) {
		http_add_header(r, "Retry-After",
				arena_printf(r->arena, "%d", PASSWORD_RETRY_AFTER_S));
		http_problem_code(r, 503, STATUS_BUSY, "too many logins at once; try again shortly");
		return;
	}
	db_conn *c = app_db(r);
	if (!a->task.match) {
		access_login_failed(r, c, &a->k, a->user_found ? &a->u : NULL);
		if (*a->k.business_id)
			access_audit(r, c, a->k.business_id, "login_failed",
				     a->user_found ? a->u.id : NULL, a->email);
		http_problem(r, STATUS_UNAUTHORIZED, LOGIN_REFUSED);
		return;
	}
	const business *biz = &a->biz;
	const staff_user *u = &a->u;
	const char *secret = ids_secret(r->arena);
	const char *csrf = ids_secret(r->arena);
	const char *sid = ids_new(r->arena, "ses");
	int64_t expires = r->now + CRED_SESSION_TTL_S;
	status st = store_staff_session_insert(c, biz->id, sid, ids_secret_hash(r->arena, secret),
					       u->id, csrf, r->now, expires, http_client_addr(r));
	if (st == STATUS_OK) {
		/* Housekeeping on success: this pair's failures, this user's dead sessions, and
		 * failure counters that no longer count for anyone. */
		if (store_login_clear(c, biz->id, a->k.pair_key) != STATUS_OK ||
		    store_staff_session_purge(c, biz->id, u->id, r->now) != STATUS_OK ||
		    store_login_purge(c, r->now - CRED_LOCK_RESET_S, r->now) != STATUS_OK)
			log_warn("login: housekeeping failed: %s", db_error(c));
		access_audit(r, c, biz->id, "login", u->id, u->email);
	} else {
		api_store_error(r, c, st);
	}
	if (st != STATUS_OK)
		return;
	const tz *zone = tz_get(biz->timezone);
	login_set_cookie(r, arena_printf(r->arena, "%s.%s", biz->id, secret), CRED_SESSION_TTL_S);
	json_t *out = json_object();
	/* json_object_set_new steals each value. */
	json_object_set_new(out, "user", access_user_json(u, zone));
	json_object_set_new(out, "business", login_business_json(biz));
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
	db_conn *c = app_db(r);
	status st = store_staff_session_revoke(c, p->business_id, p->session_id, r->now);
	if (st != STATUS_OK)
		api_store_error(r, c, st);
	if (st != STATUS_OK)
		return;
	login_set_cookie(r, "", 0);
	http_text(r, 204, "text/plain", "", 0);
}

void access_me(http_req *r)
{
	const principal *p = auth_principal(r);
	db_conn *c = app_db(r);
	business biz;
	staff_user u;
	bool ok = auth_business(r, c, &biz);
	status st = ok ? store_user_get(c, p->business_id, p->user_id, r->arena, &u) : STATUS_OK;
	if (ok && st != STATUS_OK)
		api_store_error(r, c, st);
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
