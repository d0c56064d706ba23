/* access_password.c - staff passwords: a signed-in user changes theirs (the current one
 * required; their other sessions end); a forgotten one is reset by an emailed link that
 * works once within CRED_RESET_TTL_S; an owner forces a reset (the old password stops
 * working, the user's sessions end, they get the link).
 *
 * A reset link carries "<business_id>.<reset_id>.<secret>": the row is read by id and the
 * SHA-256 of the secret compared with the stored one in constant time; the secret itself is
 * kept only in the outbox row until its email is sent. A reset request answers the same
 * 202 whether or not the email has an account. Every hash runs on the password pool. */
#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "api/access.h"
#include "api/access_password.h"
#include "api/app.h"
#include "api/auth.h"
#include "api/common.h"
#include "api/credentials.h"
#include "api/password.h"
#include "base/ids.h"
#include "base/log.h"
#include "http/server.h"
#include "jobs/notify_worker.h"
#include "store/account.h"
#include "store/business.h"
#include "store/outbox.h"
#include "store/session.h"
#include "store/user.h"

#define RESET_SENT                                                                             \
	"if this email belongs to a staff account of the business, a link to choose a new "   \
	"password is on its way; it works once, for 30 minutes"
#define RESET_UNUSABLE "!reset" /* a password hash no password matches (a forced reset) */

/* Answers 503 for a hash the pool refused, or 500 when hashing failed; false when t is ok. */
static bool pw_task_failed(http_req *r, const password_task *t)
{
	if (t->result == STATUS_OK)
		return false;
	if (t->result == STATUS_BUSY) {
		http_add_header(r, "Retry-After", arena_printf(r->arena, "%d", PASSWORD_RETRY_AFTER_S));
		http_problem_code(r, 503, STATUS_BUSY, "too many passwords being checked; try again shortly");
	} else {
		http_problem(r, STATUS_INTERNAL, "the password could not be hashed");
	}
	return true;
}

/* The email about u's account (event of jobs/notify_staff.h) in *m, its payload with the
 * fields of the template: token and expires_at for a reset link (token NULL otherwise).
 * The payload is allocated (it may hold a link's secret): pw_mail_free wipes and frees it. */
static status pw_mail(const staff_user *u, const char *event, const char *token,
		      int64_t expires_at, store_account_mail *m)
{
	json_t *o = json_pack("{s:s}", "name", u->name && *u->name ? u->name : u->email);
	if (o && token) {
		/* json_object_set_new steals the value. */
		json_object_set_new(o, "token", json_string(token));
		json_object_set_new(o, "expires_at", json_integer(expires_at));
	}
	char *payload = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	*m = (store_account_mail){.event = event, .to = u->email, .payload = payload};
	return payload ? STATUS_OK : STATUS_INTERNAL;
}

static void pw_mail_free(store_account_mail *m)
{
	char *payload = (char *)m->payload;
	if (payload) {
		sodium_memzero(payload, strlen(payload));
		free(payload);
	}
	m->payload = NULL;
}

/* A new reset link for u, valid CRED_RESET_TTL_S, in *rs, and its email (event
 * "password_reset" or "password_reset_forced") in *m (pw_mail_free after). */
static status pw_reset_new(http_req *r, const staff_user *u, const char *by, const char *event,
			   store_reset *rs, store_account_mail *m)
{
	const char *secret = ids_secret(r->arena);
	*rs = (store_reset){
		.business_id = u->business_id,
		.id = ids_new(r->arena, "prs"),
		.user_id = u->id,
		.secret_hash = ids_secret_hash(r->arena, secret),
		.created_at = r->now,
		.expires_at = r->now + CRED_RESET_TTL_S,
		.requested_by = by,
		.remote_addr = http_client_addr(r),
	};
	return pw_mail(u, event, arena_printf(r->arena, "%s.%s.%s", u->business_id, rs->id, secret),
		       rs->expires_at, m);
}

/* ---- change (signed in) ---- */

typedef struct pw_change {
	password_task task; /* first the check of the current password, then the new hash */
	staff_user u;       /* the user */
	login_keys k;       /* lockout keys: a wrong current password counts as a failed login */
	char *current;      /* arena copies, wiped once used */
	char *next;
} pw_change;

static void pw_change_checked(http_req *r, void *arg);
static void pw_change_hashed(http_req *r, void *arg);

void access_password_change(http_req *r)
{
	const principal *p = auth_principal(r);
	json_t *body = http_body_json(r);
	if (!body)
		return;
	const char *cur = access_string(r, body, "current_password");
	const char *next = access_string(r, body, "new_password");
	if (!cur && !r->nerrors)
		http_field_error_add(r, "current_password", "required");
	if (!password_acceptable(next))
		http_field_error_add(r, "new_password", "must be %d to %d bytes", PASSWORD_MIN_LEN,
				     PASSWORD_MAX_LEN);
	if (r->nerrors) {
		json_decref(body);
		http_problem(r, STATUS_INVALID, "the password change is not valid");
		return;
	}
	pw_change *pc = arena_alloc(r->arena, sizeof(*pc));
	memset(pc, 0, sizeof(*pc));
	pc->current = arena_strdup(r->arena, cur);
	pc->next = arena_strdup(r->arena, next);
	json_decref(body); /* cur and next were borrowed from it */
	db_conn *c = app_db(r);
	status st = store_user_get(c, p->business_id, p->user_id, r->arena, &pc->u);
	int64_t until = 0, addr_failures = 0;
	if (st == STATUS_OK) {
		access_login_keys(r, p->business_id, p->business_slug, pc->u.email, &pc->k);
		st = access_login_state(r, c, &pc->k, &until, &addr_failures);
	}
	if (st != STATUS_OK)
		api_store_error(r, c, st);
	if (st == STATUS_OK && until > r->now)
		access_login_locked(r, until);
	if (st != STATUS_OK || until > r->now) {
		sodium_memzero(pc->current, strlen(pc->current));
		sodium_memzero(pc->next, strlen(pc->next));
		return;
	}
	pc->task = (password_task){.op = PASSWORD_OP_VERIFY, .password = pc->current,
				   .hash = pc->u.password_hash};
	password_run(r, &pc->task, pw_change_checked, pc);
}

static void pw_change_checked(http_req *r, void *arg)
{
	pw_change *pc = arg;
	sodium_memzero(pc->current, strlen(pc->current));
	if (pw_task_failed(r, &pc->task) || !pc->task.match) {
		if (r->code == 0) {
			db_conn *c = app_db(r);
			access_login_failed(r, c, &pc->k, &pc->u);
			http_field_error_add(r, "current_password", "is not your current password");
			http_problem(r, STATUS_FORBIDDEN, "the current password is wrong");
		}
		sodium_memzero(pc->next, strlen(pc->next));
		return;
	}
	pc->task = (password_task){.op = PASSWORD_OP_HASH, .password = pc->next};
	password_run(r, &pc->task, pw_change_hashed, pc);
}

static void pw_change_hashed(http_req *r, void *arg)
{
	pw_change *pc = arg;
	const principal *p = auth_principal(r);
	sodium_memzero(pc->next, strlen(pc->next));
	if (pw_task_failed(r, &pc->task))
		return;
	db_conn *c = app_db(r);
	store_account_mail mail;
	status st = pw_mail(&pc->u, "password_changed", NULL, 0, &mail);
	/* A token keeps no session: every session ends then. */
	store_password_change ch = {.business_id = p->business_id, .user_id = p->user_id,
				    .hash = pc->task.out, .keep_session = p->session_id,
				    .mail = &mail, .now = r->now};
	if (st == STATUS_OK)
		st = store_account_password(c, &ch, r->arena);
	pw_mail_free(&mail);
	if (st != STATUS_OK)
		api_store_error(r, c, st);
	sodium_memzero(pc->task.out, sizeof(pc->task.out));
	if (st != STATUS_OK)
		return;
	notify_kick();
	http_text(r, 204, "text/plain", "", 0);
}

/* ---- forgotten: ask for a link ---- */

void access_password_reset_request(http_req *r)
{
	json_t *body = http_body_json(r);
	if (!body)
		return;
	const char *slug = access_string(r, body, "business");
	const char *email_in = access_string(r, body, "email");
	char email[256];
	if (!slug && !r->nerrors)
		http_field_error_add(r, "business", "required");
	if (!cred_email_norm(email_in, email, sizeof(email)))
		http_field_error_add(r, "email", "must be an email address");
	slug = slug ? arena_strdup(r->arena, slug) : NULL;
	json_decref(body);
	if (r->nerrors) {
		http_problem(r, STATUS_INVALID, "business and email are required");
		return;
	}
	if (!auth_rate_reset(r, slug, email))
		return;
	db_conn *c = app_db(r);
	business biz;
	staff_user u;
	bool sent = false;
	status st = store_business_by_slug(c, slug, r->arena, &biz);
	if (st == STATUS_OK)
		st = store_user_by_email(c, biz.id, email, r->arena, &u);
	bool known = st == STATUS_OK;
	store_reset rs = {.business_id = biz.id};
	store_account_mail mail = {0};
	if (known)
		st = pw_reset_new(r, &u, "self", "password_reset", &rs, &mail);
	/* Every request commits a write transaction (the purge of old links at least), so the
	 * time of the answer tells little about whether the account exists. At most
	 * CRED_RESET_PER_HOUR links an hour per account, whatever the process or the rate
	 * limits: more are not sent, and the answer does not say so. */
	if (st == STATUS_OK || st == STATUS_NOT_FOUND)
		st = store_account_reset_request(c, known ? u.id : NULL, CRED_RESET_PER_HOUR, &rs,
						 &mail, r->now - 86400, r->now, r->arena, &sent);
	pw_mail_free(&mail);
	if (st != STATUS_OK) {
		log_warn("password reset: %s: %s", status_name(st), db_error(c));
		sent = false;
	}
	if (sent)
		notify_kick();
	/* The same answer for every outcome: it tells nothing about accounts. */
	http_json_take(r, 202, json_pack("{s:s}", "detail", RESET_SENT));
}

/* ---- forced by an owner ---- */

void access_users_password_reset(http_req *r)
{
	const principal *p = auth_principal(r);
	const char *id = http_param(r, "user");
	db_conn *c = app_db(r);
	business biz;
	staff_user u;
	if (!auth_business(r, c, &biz))
		return;
	status st = store_user_get(c, p->business_id, id, r->arena, &u);
	store_reset rs;
	store_account_mail mail = {0};
	if (st == STATUS_OK)
		st = pw_reset_new(r, &u, p->user_id, "password_reset_forced", &rs, &mail);
	/* The old password stops working and every session ends. */
	store_password_change ch = {.business_id = p->business_id, .user_id = id,
				    .hash = RESET_UNUSABLE, .new_reset = &rs, .mail = &mail,
				    .now = r->now};
	if (st == STATUS_OK)
		st = store_account_password(c, &ch, r->arena);
	pw_mail_free(&mail);
	if (st == STATUS_NOT_FOUND)
		http_problem(r, st, "no such user");
	else if (st != STATUS_OK)
		api_store_error(r, c, st);
	if (st != STATUS_OK)
		return;
	notify_kick();
	const tz *zone = tz_get(biz.timezone);
	json_t *out = json_object();
	/* json_object_set_new steals each value. */
	json_object_set_new(out, "user", access_user_json(&u, zone));
	json_object_set_new(out, "link_expires_at", access_instant(zone, rs.expires_at));
	http_json_take(r, 202, out);
}

/* ---- the link: choose a new password ---- */

/* Splits "<business_id>.<reset_id>.<secret>" into its three parts (copied into the arena);
 * false unless each is non-empty and made of id and base64url characters. */
static bool pw_token_split(http_req *r, const char *token, const char **bid, const char **id,
			   const char **secret)
{
	if (!token || strlen(token) > CRED_MAX)
		return false;
	const char *parts[3];
	size_t lens[3];
	const char *p = token;
	for (int i = 0; i < 3; i++) {
		const char *end = i < 2 ? strchr(p, '.') : p + strlen(p);
		if (!end || end == p)
			return false;
		for (const char *q = p; q < end; q++)
			if (!((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') ||
			      (*q >= '0' && *q <= '9') || *q == '_' || *q == '-'))
				return false;
		parts[i] = p;
		lens[i] = (size_t)(end - p);
		p = *end ? end + 1 : end;
	}
	*bid = arena_printf(r->arena, "%.*s", (int)lens[0], parts[0]);
	*id = arena_printf(r->arena, "%.*s", (int)lens[1], parts[1]);
	*secret = arena_printf(r->arena, "%.*s", (int)lens[2], parts[2]);
	return true;
}

status access_reset_check(http_req *r, db_conn *c, const char *token, store_reset *rs,
		      staff_user *u)
{
	const char *bid, *id, *secret;
	if (!pw_token_split(r, token, &bid, &id, &secret))
		return STATUS_NOT_FOUND;
	status st = store_reset_get(c, bid, id, r->arena, rs);
	if (st != STATUS_OK)
		return st;
	/* The id found the row; the secret must match, compared in constant time. */
	if (!ids_equal_ct(ids_secret_hash(r->arena, secret), rs->secret_hash) || rs->used_at ||
	    rs->expires_at <= r->now)
		return STATUS_NOT_FOUND;
	return store_user_get(c, bid, rs->user_id, r->arena, u);
}

typedef struct pw_reset {
	password_task task;   /* hashes the new password */
	store_reset rs;       /* the link's row */
	staff_user u;         /* its user */
	char *password;       /* arena copy, wiped once hashed */
	access_reset_done done;   /* answers */
} pw_reset;

static void pw_reset_hashed(http_req *r, void *arg);

void access_reset_complete(http_req *r, const char *token, const char *password, access_reset_done done)
{
	pw_reset *pr = arena_alloc(r->arena, sizeof(*pr));
	memset(pr, 0, sizeof(*pr));
	pr->done = done;
	if (!password_acceptable(password)) {
		done(r, STATUS_INVALID);
		return;
	}
	db_conn *c = app_db(r);
	status st = access_reset_check(r, c, token, &pr->rs, &pr->u);
	if (st != STATUS_OK && st != STATUS_NOT_FOUND)
		log_warn("password reset: %s: %s", status_name(st), db_error(c));
	if (st != STATUS_OK) {
		done(r, st == STATUS_NOT_FOUND ? STATUS_NOT_FOUND : st);
		return;
	}
	pr->password = arena_strdup(r->arena, password);
	pr->task = (password_task){.op = PASSWORD_OP_HASH, .password = pr->password};
	password_run(r, &pr->task, pw_reset_hashed, pr);
}

static void pw_reset_hashed(http_req *r, void *arg)
{
	pw_reset *pr = arg;
	sodium_memzero(pr->password, strlen(pr->password));
	if (pr->task.result != STATUS_OK) {
		pr->done(r, pr->task.result);
		return;
	}
	const store_reset *rs = &pr->rs;
	db_conn *c = app_db(r);
	store_account_mail mail;
	status st = pw_mail(&pr->u, "password_changed", NULL, 0, &mail);
	/* The owner is back in: attacks on the email start counting anew. */
	audit_entry audit = access_audit_entry(r, rs->business_id, "password_reset", rs->user_id,
					       pr->u.email);
	store_password_change ch = {
		.business_id = rs->business_id,
		.user_id = rs->user_id,
		.hash = pr->task.out,
		.use_reset = rs->id,
		.login_key = arena_printf(r->arena, "email:%s", pr->u.email),
		.mail = &mail,
		.audit = &audit,
		.now = r->now,
	};
	if (st == STATUS_OK)
		st = store_account_password(c, &ch, r->arena);
	pw_mail_free(&mail);
	if (st != STATUS_OK && st != STATUS_CONFLICT)
		log_warn("password reset: %s: %s", status_name(st), db_error(c));
	sodium_memzero(pr->task.out, sizeof(pr->task.out));
	if (st == STATUS_OK)
		notify_kick();
	pr->done(r, st == STATUS_CONFLICT ? STATUS_NOT_FOUND : st);
}

/* The JSON answers of POST /api/v1/auth/password-reset/complete. */
static void pw_reset_json_done(http_req *r, status st)
{
	switch (st) {
	case STATUS_OK:
		http_text(r, 204, "text/plain", "", 0);
		return;
	case STATUS_INVALID:
		http_field_error_add(r, "password", "must be %d to %d bytes", PASSWORD_MIN_LEN,
				     PASSWORD_MAX_LEN);
		http_problem(r, STATUS_INVALID, "the new password is not valid");
		return;
	case STATUS_NOT_FOUND:
		http_problem(r, STATUS_NOT_FOUND, "this reset link is not valid: it was used, has "
						  "expired or was never made");
		return;
	case STATUS_BUSY:
		http_add_header(r, "Retry-After", arena_printf(r->arena, "%d", PASSWORD_RETRY_AFTER_S));
		http_problem_code(r, 503, STATUS_BUSY, "too many passwords being hashed; try again shortly");
		return;
	default:
		http_problem(r, STATUS_INTERNAL, "the password could not be changed");
		return;
	}
}

void access_password_reset_complete(http_req *r)
{
	json_t *body = http_body_json(r);
	if (!body)
		return;
	const char *token = access_string(r, body, "token");
	const char *password = access_string(r, body, "password");
	if (!token && !r->nerrors)
		http_field_error_add(r, "token", "required");
	if (r->nerrors) {
		json_decref(body);
		http_problem(r, STATUS_INVALID, "token and password are required");
		return;
	}
	token = arena_strdup(r->arena, token);
	char *pw = arena_strdup(r->arena, password ? password : "");
	json_decref(body); /* token and password were borrowed from it */
	access_reset_complete(r, token, pw, pw_reset_json_done);
	sodium_memzero(pw, strlen(pw)); /* the task hashes its own copy */
}
