/* access_tokens.c - API tokens of a business (admin and owner). A token is shown once, at
 * creation, as "<business_id>.<secret>"; only its SHA-256 is stored. It acts with the
 * current role of the user who created it and dies with that user. */
#include <string.h>

#include "api/access.h"
#include "api/app.h"
#include "api/auth.h"
#include "api/common.h"
#include "base/ids.h"
#include "store/business.h"
#include "store/session.h"

static json_t *token_json(const store_token *t, const tz *z)
{
	json_t *o = json_object();
	/* json_object_set_new steals each value. */
	json_object_set_new(o, "id", json_string(t->id));
	json_object_set_new(o, "name", json_string(t->name));
	json_object_set_new(o, "hint", json_string(t->hint));
	json_object_set_new(o, "user", json_pack("{s:s, s:s}", "id", t->user_id, "email",
						 t->user_email));
	json_object_set_new(o, "role", json_string(t->role));
	json_object_set_new(o, "created_at", access_instant(z, t->created_at));
	json_object_set_new(o, "last_used_at", access_instant(z, t->last_used_at));
	json_object_set_new(o, "revoked_at", access_instant(z, t->revoked_at));
	return o;
}

void access_tokens_list(http_req *r)
{
	const principal *p = auth_principal(r);
	app *ap = r->app;
	db_conn *c = db_acquire(ap->db);
	business biz;
	store_token *list = NULL;
	int n = 0;
	bool ok = auth_business(r, c, &biz);
	status st = ok ? store_token_list(c, p->business_id, NULL, r->arena, &list, &n) : STATUS_OK;
	if (ok && st != STATUS_OK)
		api_store_error(r, c, st);
	db_release(ap->db, c);
	if (!ok || st != STATUS_OK)
		return;
	const tz *zone = tz_get(biz.timezone);
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, token_json(&list[i], zone)); /* steals */
	http_json_take(r, 200, json_pack("{s:o}", "tokens", arr));   /* "o" steals */
}

void access_tokens_create(http_req *r)
{
	const principal *p = auth_principal(r);
	const char *name = "";
	if (r->body_len > 0) {
		json_t *body = http_body_json(r);
		if (!body)
			return;
		const char *n = access_string(r, body, "name");
		if (n && strlen(n) > 200)
			http_field_error_add(r, "name", "must be at most 200 bytes");
		name = arena_strdup(r->arena, n ? n : "");
		json_decref(body);
		if (r->nerrors) {
			http_problem(r, STATUS_INVALID, "the token is not valid");
			return;
		}
	}
	const char *secret = ids_secret(r->arena);
	const char *id = ids_new(r->arena, "tok");
	const char *hint = secret + strlen(secret) - 4;
	app *ap = r->app;
	db_conn *c = db_acquire(ap->db);
	business biz;
	store_token t;
	bool ok = auth_business(r, c, &biz);
	status st = ok ? store_token_insert(c, p->business_id, id, ids_secret_hash(r->arena, secret),
					    p->user_id, name, hint, r->now)
		       : STATUS_OK;
	if (ok && st == STATUS_OK)
		st = store_token_get(c, p->business_id, id, r->arena, &t);
	if (ok && st != STATUS_OK)
		api_store_error(r, c, st);
	db_release(ap->db, c);
	if (!ok || st != STATUS_OK)
		return;
	json_t *out = token_json(&t, tz_get(biz.timezone));
	/* Shown this once: only the hash is kept. */
	json_object_set_new(out, "token", json_string(arena_printf(r->arena, "%s.%s", biz.id, secret)));
	http_json_take(r, 201, out);
}

void access_tokens_revoke(http_req *r)
{
	const principal *p = auth_principal(r);
	app *ap = r->app;
	db_conn *c = db_acquire(ap->db);
	status st = store_token_revoke(c, p->business_id, http_param(r, "token"), r->now);
	if (st == STATUS_NOT_FOUND)
		http_problem(r, st, "no such token");
	else if (st != STATUS_OK)
		api_store_error(r, c, st);
	db_release(ap->db, c);
	if (st == STATUS_OK)
		http_text(r, 204, "text/plain", "", 0);
}
