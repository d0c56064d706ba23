/* access_users.c - the owner manages the staff users of a business. Answers never carry a
 * password hash. The last owner can be neither demoted nor deleted. */
#include <sodium.h>
#include <string.h>

#include "api/access.h"
#include "api/app.h"
#include "api/auth.h"
#include "api/common.h"
#include "api/credentials.h"
#include "api/password.h"
#include "base/ids.h"
#include "store/business.h"
#include "store/account.h"
#include "store/user.h"

void access_users_list(http_req *r)
{
	const principal *p = auth_principal(r);
	db_conn *c = app_db(r);
	business biz;
	staff_user *users = NULL;
	int n = 0;
	bool ok = auth_business(r, c, &biz);
	status st = ok ? store_user_list(c, p->business_id, r->arena, &users, &n) : STATUS_OK;
	if (ok && st != STATUS_OK)
		api_store_error(r, c, st);
	if (!ok || st != STATUS_OK)
		return;
	const tz *zone = tz_get(biz.timezone);
	json_t *list = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(list, access_user_json(&users[i], zone)); /* steals */
	http_json_take(r, 200, json_pack("{s:o}", "users", list));        /* "o" steals */
}

/* A user being created, between the request and the hash of their password. */
typedef struct users_new {
	password_task task; /* hashes the password */
	staff_user u;       /* the row to insert */
	char *password;     /* the arena copy the task reads; wiped once hashed */
} users_new;

static void users_create_finish(http_req *r, void *arg);

void access_users_create(http_req *r)
{
	const principal *p = auth_principal(r);
	json_t *body = http_body_json(r);
	if (!body)
		return;
	const char *email_in = access_string(r, body, "email");
	const char *name = access_string(r, body, "name");
	const char *role_s = access_string(r, body, "role");
	const char *password = access_string(r, body, "password");
	char email[256];
	role rl = ROLE_STAFF;
	if (!cred_email_norm(email_in, email, sizeof(email)))
		http_field_error_add(r, "email", "must be an email address");
	if (!role_parse(role_s, &rl))
		http_field_error_add(r, "role", "must be owner, admin or staff");
	if (!password_acceptable(password))
		http_field_error_add(r, "password", "must be %d to %d bytes", PASSWORD_MIN_LEN,
				     PASSWORD_MAX_LEN);
	if (name && strlen(name) > 200)
		http_field_error_add(r, "name", "must be at most 200 bytes");
	if (r->nerrors) {
		json_decref(body);
		http_problem(r, STATUS_INVALID, "the user is not valid");
		return;
	}
	users_new *nu = arena_alloc(r->arena, sizeof(*nu));
	memset(nu, 0, sizeof(*nu));
	nu->u = (staff_user){
		.business_id = p->business_id,
		.id = ids_new(r->arena, "usr"),
		.email = arena_strdup(r->arena, email),
		.name = arena_strdup(r->arena, name ? name : ""),
		.role = role_name(rl),
		.created_at = r->now,
	};
	nu->password = arena_strdup(r->arena, password);
	json_decref(body); /* password was borrowed from it */
	nu->task = (password_task){.op = PASSWORD_OP_HASH, .password = nu->password};
	password_run(r, &nu->task, users_create_finish, nu); /* before taking a connection */
}

static void users_create_finish(http_req *r, void *arg)
{
	users_new *nu = arg;
	sodium_memzero(nu->password, strlen(nu->password));
	if (nu->task.result == STATUS_BUSY) {
		http_add_header(r, "Retry-After", arena_printf(r->arena, "%d", PASSWORD_RETRY_AFTER_S));
		http_problem_code(r, 503, STATUS_BUSY, "too many passwords being hashed; try again shortly");
		return;
	}
	if (nu->task.result != STATUS_OK) {
		http_problem(r, STATUS_INTERNAL, "the password could not be hashed");
		return;
	}
	staff_user *u = &nu->u;
	u->password_hash = nu->task.out;
	db_conn *c = app_db(r);
	business biz;
	bool ok = auth_business(r, c, &biz);
	status st = ok ? store_user_insert(c, u) : STATUS_OK;
	if (ok && st == STATUS_CONFLICT)
		http_problem(r, st, "a user with this email exists in this business");
	else if (ok && st != STATUS_OK)
		api_store_error(r, c, st);
	if (!ok || st != STATUS_OK)
		return;
	http_json_take(r, 201, access_user_json(u, tz_get(biz.timezone)));
}

/* Inside a write transaction: refuses (409) when user u is the last owner. */
/* Answers the outcome of a user change that failed. */
static void users_fail(http_req *r, db_conn *c, status st, bool guard)
{
	if (st == STATUS_NOT_FOUND)
		http_problem(r, st, "no such user");
	else if (st == STATUS_CONFLICT && guard)
		http_problem(r, st, "the business must keep at least one owner");
	else
		api_store_error(r, c, st);
}

void access_users_update(http_req *r)
{
	const principal *p = auth_principal(r);
	json_t *body = http_body_json(r);
	if (!body)
		return;
	const char *name = access_string(r, body, "name");
	const char *role_s = access_string(r, body, "role");
	role rl = ROLE_STAFF;
	if (role_s && !role_parse(role_s, &rl))
		http_field_error_add(r, "role", "must be owner, admin or staff");
	if (name && strlen(name) > 200)
		http_field_error_add(r, "name", "must be at most 200 bytes");
	if (json_object_get(body, "password") || json_object_get(body, "email"))
		http_field_error_add(r, json_object_get(body, "password") ? "password" : "email",
				     "cannot be changed here");
	if (r->nerrors) {
		json_decref(body);
		http_problem(r, STATUS_INVALID, "the change is not valid");
		return;
	}
	const char *new_name = name ? arena_strdup(r->arena, name) : NULL;
	const char *new_role = role_s ? role_name(rl) : NULL;
	json_decref(body);
	const char *id = http_param(r, "user");
	db_conn *c = app_db(r);
	business biz;
	staff_user u;
	bool guard = false;
	if (!auth_business(r, c, &biz))
		return;
	status st = store_account_update(c, p->business_id, id, new_role, new_name, r->arena, &u,
					 &guard);
	if (st != STATUS_OK) {
		users_fail(r, c, st, guard);
		return;
	}
	http_json_take(r, 200, access_user_json(&u, tz_get(biz.timezone)));
}

void access_users_delete(http_req *r)
{
	const principal *p = auth_principal(r);
	const char *id = http_param(r, "user");
	db_conn *c = app_db(r);
	bool guard = false;
	status st = store_account_delete(c, p->business_id, id, r->arena, &guard);
	if (st != STATUS_OK)
		users_fail(r, c, st, guard);
	else
		http_text(r, 204, "text/plain", "", 0);
}
